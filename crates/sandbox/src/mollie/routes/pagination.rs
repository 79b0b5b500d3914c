//! Mollie's cursor pagination: `from` (an id, included), `limit` (1–250, default 50), `sort`
//! (`desc`, newest first, by default; `asc`), and absolute `next` / `previous` links.

use kassa_model::mollie::Link;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::MollieError;

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    from: Option<String>,
    limit: Option<String>,
    sort: Option<String>,
}

pub struct Page<'a> {
    pub ids: Vec<&'a str>,
    pub previous: Option<&'a str>,
    pub next: Option<&'a str>,
    limit: usize,
    descending: bool,
}

impl PageQuery {
    /// Picks one page of `ids` (oldest first).
    pub fn page<'a>(&self, mut ids: Vec<&'a str>, kind: &str) -> Result<Page<'a>, MollieError> {
        let limit = match self.limit.as_deref() {
            None => 50,
            Some(l) => l
                .parse::<usize>()
                .ok()
                .filter(|l| (1..=250).contains(l))
                .ok_or_else(|| {
                    MollieError::bad_request(
                        "The 'limit' parameter should be a number between 1 and 250.",
                    )
                })?,
        };
        let descending = match self.sort.as_deref() {
            None | Some("desc") => true,
            Some("asc") => false,
            Some(_) => {
                return Err(MollieError::bad_request(
                    "The 'sort' parameter should be 'asc' or 'desc'.",
                ))
            }
        };
        if descending {
            ids.reverse();
        }
        let start = match self.from.as_deref() {
            None => 0,
            Some(from) => ids.iter().position(|id| *id == from).ok_or_else(|| {
                MollieError::bad_request(format!(
                    "The 'from' parameter does not refer to an existing {kind}."
                ))
            })?,
        };
        let end = (start + limit).min(ids.len());
        Ok(Page {
            previous: (start > 0).then(|| ids[start.saturating_sub(limit)]),
            next: ids.get(end).copied(),
            ids: ids[start..end].to_vec(),
            limit,
            descending,
        })
    }
}

impl Page<'_> {
    /// The list envelope: `count`, `_embedded.{key}`, `_links.{self,previous,next,documentation}`.
    pub fn envelope(&self, url: &str, key: &str, items: Vec<Value>, doc: &str) -> Value {
        let link = |from: &str| {
            let sort = if self.descending { "" } else { "&sort=asc" };
            Link::hal(format!("{url}?from={from}&limit={}{sort}", self.limit))
        };
        json!({
            "count": items.len(),
            "_embedded": { key: items },
            "_links": {
                "self": Link::hal(url),
                "previous": self.previous.map(link),
                "next": self.next.map(link),
                "documentation": Link::html(doc),
            }
        })
    }
}
