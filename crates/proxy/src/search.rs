//! Listing and searching the mirror: filters, prefix search and keyset pagination on
//! `(created_at, id)`, so page 1000 costs what page 1 does.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use kassa_model::api::{OrderFilter, OrderPage, OrderSummary};
use kassa_model::{Currency, FieldError, Money};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};

use crate::error::AppError;

const DEFAULT_LIMIT: u32 = 25;
const MAX_LIMIT: u32 = 100;

pub async fn list(pool: &SqlitePool, f: &OrderFilter) -> Result<OrderPage, AppError> {
    let limit = f.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(FieldError::new(
            "limit",
            format!("The limit should be between 1 and {MAX_LIMIT}."),
        )
        .into());
    }
    let newest_first = match f.sort.as_deref() {
        None | Some("newest") => true,
        Some("oldest") => false,
        Some(_) => return Err(FieldError::new("sort", "Sort by newest or oldest.").into()),
    };
    let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT id, order_number, status, currency, amount_minor, customer_name, customer_email,
                created_at, json_extract(body, '$.locale') AS locale FROM orders WHERE 1 = 1",
    );
    if let Some(status) = f.status {
        sql.push(" AND status = ").push_bind(status.as_str());
    }
    if let Some(from) = &f.from {
        sql.push(" AND created_at >= ")
            .push_bind(day(from, "from")?);
    }
    if let Some(to) = &f.to {
        // Everything on that day: up to the start of the next character after the date.
        sql.push(" AND created_at < ")
            .push_bind(format!("{}U", day(to, "to")?));
    }
    if let Some(min) = f.min_minor {
        sql.push(" AND amount_minor >= ").push_bind(min);
    }
    if let Some(max) = f.max_minor {
        sql.push(" AND amount_minor <= ").push_bind(max);
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        if q.starts_with("ord_") {
            sql.push(" AND id = ").push_bind(q.to_owned());
        } else {
            let low = q.to_lowercase();
            // A prefix as a range, which every one of these indexes can answer.
            let high = format!("{low}\u{10FFFF}");
            sql.push(" AND (");
            for (i, column) in [
                "search_number",
                "search_email",
                "search_given",
                "search_family",
            ]
            .iter()
            .enumerate()
            {
                if i > 0 {
                    sql.push(" OR ");
                }
                sql.push(format!("({column} >= "))
                    .push_bind(low.clone())
                    .push(format!(" AND {column} < "))
                    .push_bind(high.clone())
                    .push(")");
            }
            sql.push(")");
        }
    }
    if let Some(cursor) = &f.cursor {
        let (created, id) = decode_cursor(cursor)
            .ok_or_else(|| FieldError::new("cursor", "This page link is not valid any more."))?;
        let op = if newest_first { "<" } else { ">" };
        sql.push(format!(" AND (created_at, id) {op} ("))
            .push_bind(created.to_owned())
            .push(", ")
            .push_bind(id.to_owned())
            .push(")");
    }
    let dir = if newest_first { "DESC" } else { "ASC" };
    sql.push(format!(" ORDER BY created_at {dir}, id {dir} LIMIT "))
        .push_bind(i64::from(limit) + 1);
    let rows = sql.build().fetch_all(pool).await?;
    let mut orders = rows
        .iter()
        .map(|r| {
            let currency: String = r.get("currency");
            let status: String = r.get("status");
            Ok(OrderSummary {
                id: r.get("id"),
                order_number: r.get("order_number"),
                status: status
                    .parse()
                    .map_err(|_| AppError::Internal(format!("mirror status {status}")))?,
                amount: Money::new(
                    r.get("amount_minor"),
                    currency
                        .parse::<Currency>()
                        .map_err(|e| AppError::Internal(e.to_string()))?,
                ),
                customer_name: r.get("customer_name"),
                customer_email: r.get("customer_email"),
                locale: r.get::<Option<String>, _>("locale").unwrap_or_default(),
                created_at: r.get("created_at"),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let next_cursor = if orders.len() > limit as usize {
        orders.truncate(limit as usize);
        orders.last().map(|o| encode_cursor(&o.created_at, &o.id))
    } else {
        None
    };
    Ok(OrderPage {
        orders,
        next_cursor,
    })
}

/// The cursor is opaque and URL-safe: timestamps carry `+`, which a query string would
/// turn into a space.
fn encode_cursor(created_at: &str, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{created_at}~{id}"))
}

fn decode_cursor(cursor: &str) -> Option<(String, String)> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (created, id) = text.split_once('~')?;
    Some((created.to_owned(), id.to_owned()))
}

/// A `YYYY-MM-DD` day, checked.
fn day(s: &str, field: &str) -> Result<String, AppError> {
    let b = s.as_bytes();
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if ok {
        Ok(s.to_owned())
    } else {
        Err(FieldError::new(field, "Use a date like 2026-11-22.").into())
    }
}
