//! Listing and searching the mirror: filters, prefix search and keyset pagination on
//! `(created_at, id)`, so page 1000 costs what page 1 does.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use kassa_model::api::{OrderFilter, OrderPage, OrderSummary};
use kassa_model::states::{FulfilmentState, PaymentState};
use kassa_model::{Currency, FieldError, Money, Provider};

use crate::error::AppError;
use crate::store::{Backend, Db, Dialect, Query};

const DEFAULT_LIMIT: u32 = 25;
pub(crate) const MAX_LIMIT: u32 = 100;

pub async fn list(db: &Db, f: &OrderFilter) -> Result<OrderPage, AppError> {
    let (sql, limit) = listing(db, f, "").await?;
    page(sql.fetch_all().await?, limit)
}

/// The database's plan for the query [`list`] runs for `f` (SQLite's `EXPLAIN QUERY PLAN`,
/// PostgreSQL's `EXPLAIN`), one line per step.
pub async fn query_plan(db: &Db, f: &OrderFilter) -> Result<Vec<String>, AppError> {
    let (sql, _) = listing(db, f, db.dialect().explain).await?;
    plan(db, sql).await
}

async fn plan(db: &Db, sql: Query<'_>) -> Result<Vec<String>, AppError> {
    Ok(match db.backend() {
        Backend::Sqlite => sql
            .fetch_all::<(i64, i64, i64, String)>()
            .await?
            .into_iter()
            .map(|(_, _, _, detail)| detail)
            .collect(),
        Backend::Postgres => sql.scalars::<String>().await?,
    })
}

/// The query for a listing (after `prefix`), and the page size.
async fn listing<'a>(
    db: &'a Db,
    f: &OrderFilter,
    prefix: &str,
) -> Result<(Query<'a>, u32), AppError> {
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
    let filters = Filters::parse(f, newest_first)?;
    let dir = if newest_first { "DESC" } else { "ASC" };
    let d = db.dialect();
    let mut sql = db.query(format!(
        "{prefix}SELECT {} FROM orders WHERE ",
        summary_columns(d)
    ));
    match f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        None => {
            sql.push("1 = 1");
            filters.push(&mut sql, d, Walk::Listing);
        }
        Some(q) if q.starts_with("ord_") || Provider::owning(q).is_some() => {
            // An order id, exact. Klarna's UUIDs are lower case; one pasted in capitals
            // finds its order too.
            sql.push("id IN (")
                .push_bind(q.to_owned())
                .push(", ")
                .push_bind(q.to_ascii_lowercase())
                .push(")");
            filters.push(&mut sql, d, Walk::Other);
        }
        Some(q) => {
            let prefix = Prefix::new(q);
            match prefix.matching_columns(db, DENSE).await? {
                None => {
                    // Many matches: walk newest first and stop at a page; one row in every
                    // DENSE/N matches, so the walk is short. `+column` keeps SQLite on the
                    // (created_at, id, search_*) index, which answers the test itself.
                    sql.push("1 = 1");
                    filters.push(&mut sql, d, Walk::Other);
                    prefix.push_test(&mut sql, d.no_index);
                }
                Some(columns) if columns.is_empty() => {
                    sql.push("0 = 1");
                }
                Some(columns) => {
                    // Few matches: gather them from the prefix indexes of the columns that
                    // have any (the indexes hold created_at and id), keep the page, and only
                    // then read those rows. One column needs no UNION, so SQLite keeps just
                    // the page while sorting.
                    let key = d.row_key;
                    sql.push(format!("{key} IN (SELECT k FROM ("));
                    for (i, column) in columns.iter().enumerate() {
                        if i > 0 {
                            sql.push(" UNION ");
                        }
                        sql.push(format!(
                            "SELECT {key} AS k, created_at, id FROM orders WHERE "
                        ));
                        prefix.push_range(&mut sql, column, "");
                        filters.push(&mut sql, d, Walk::Gather);
                    }
                    sql.push(format!(
                        ") AS matches ORDER BY created_at {dir}, id {dir} LIMIT "
                    ))
                    .push_bind(i64::from(limit) + 1)
                    .push(")");
                }
            }
        }
    }
    sql.push(format!(" ORDER BY created_at {dir}, id {dir} LIMIT "))
        .push_bind(i64::from(limit) + 1);
    Ok((sql, limit))
}

/// What a listing reads of each order (a [`SummaryRow`]).
fn summary_columns(d: &Dialect) -> String {
    format!(
        "id, provider, order_number, status, currency, amount_minor, customer_name,
         customer_email, created_at, {} AS locale, expires_at, payment_state, fulfilment_state",
        d.body_locale
    )
}

/// Rows to a page: `limit` orders, and the cursor when one more row came back.
fn page(rows: Vec<SummaryRow>, limit: u32) -> Result<OrderPage, AppError> {
    let mut orders = rows
        .into_iter()
        .map(OrderSummary::try_from)
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

/// One row of [`summary_columns`].
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    provider: String,
    order_number: String,
    status: String,
    currency: String,
    amount_minor: i64,
    customer_name: String,
    customer_email: String,
    created_at: String,
    locale: Option<String>,
    expires_at: Option<String>,
    payment_state: Option<String>,
    fulfilment_state: Option<String>,
}

impl TryFrom<SummaryRow> for OrderSummary {
    type Error = AppError;

    fn try_from(r: SummaryRow) -> Result<Self, AppError> {
        Ok(OrderSummary {
            id: r.id,
            provider: r
                .provider
                .parse()
                .map_err(|_| AppError::Internal(format!("mirror provider {}", r.provider)))?,
            expires_at: r.expires_at,
            order_number: r.order_number,
            status: r
                .status
                .parse()
                .map_err(|_| AppError::Internal(format!("mirror status {}", r.status)))?,
            amount: Money::new(
                r.amount_minor,
                r.currency
                    .parse::<Currency>()
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            ),
            customer_name: r.customer_name,
            customer_email: r.customer_email,
            locale: r.locale.unwrap_or_default(),
            created_at: r.created_at,
            payment_state: r.payment_state.as_deref().and_then(PaymentState::parse),
            fulfilment_state: r
                .fulfilment_state
                .as_deref()
                .and_then(FulfilmentState::parse),
        })
    }
}

/// One row of the expiry radar: a summary and what is uncaptured.
#[derive(sqlx::FromRow)]
struct ExpiringRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    uncaptured_minor: i64,
}

/// Most orders the expiry radar lists.
const EXPIRING_MAX: i64 = 200;

/// Orders holding uncaptured money whose authorization expires after `now` and by `until`
/// (Unix seconds), not final, soonest first: each with its expiry instant and what is
/// uncaptured. Read from the partial index `orders_by_expiry` (migration 0008).
pub async fn expiring(db: &Db, now: i64, until: i64) -> Result<Vec<(OrderSummary, i64)>, AppError> {
    let rows: Vec<ExpiringRow> = db
        .query(expiring_sql(db.dialect(), ""))
        .bind(now)
        .bind(until)
        .bind(EXPIRING_MAX)
        .fetch_all()
        .await?;
    rows.into_iter()
        .map(|r| Ok((r.summary.try_into()?, r.uncaptured_minor)))
        .collect()
}

/// The database's plan for [`expiring`].
pub async fn expiring_plan(db: &Db) -> Result<Vec<String>, AppError> {
    let sql = db
        .query(expiring_sql(db.dialect(), db.dialect().explain))
        .bind(0_i64)
        .bind(0_i64)
        .bind(EXPIRING_MAX);
    plan(db, sql).await
}

fn expiring_sql(d: &Dialect, prefix: &str) -> String {
    format!(
        "{prefix}SELECT {}, uncaptured_minor FROM orders
         WHERE uncaptured_minor > 0 AND expires_unix > ? AND expires_unix <= ?
           AND status NOT IN ('completed', 'canceled', 'expired')
         ORDER BY expires_unix, id LIMIT ?",
        summary_columns(d)
    )
}

/// The columns a search box prefix is looked up in (lower-cased copies, each indexed with
/// `created_at, id`). `search_name` is the full name, given name first, so "piet" and
/// "piet jansen" both find Piet Jansen; `search_family` finds "jansen".
const SEARCH_COLUMNS: [&str; 4] = [
    "search_number",
    "search_email",
    "search_name",
    "search_family",
];

/// From this many matches on, a prefix search walks the orders newest first instead of
/// collecting and sorting its matches. Either plan then reads at most about this many index
/// entries, whatever the size of the mirror.
const DENSE: i64 = 1_000;

/// A search box prefix, lower-cased, as the range `[low, high)` every index can answer.
struct Prefix {
    low: String,
    high: String,
}

impl Prefix {
    fn new(q: &str) -> Self {
        let low = q.to_lowercase();
        let high = format!("{low}\u{10FFFF}");
        Self { low, high }
    }

    /// `(column >= low AND column < high)`, the column written as `{marker}column`.
    fn push_range(&self, sql: &mut Query<'_>, column: &str, marker: &str) {
        sql.push(format!("({marker}{column} >= "))
            .push_bind(self.low.clone())
            .push(format!(" AND {marker}{column} < "))
            .push_bind(self.high.clone())
            .push(")");
    }

    /// ` AND (any search column starts with the prefix)`.
    fn push_test(&self, sql: &mut Query<'_>, marker: &str) {
        sql.push(" AND (");
        for (i, column) in SEARCH_COLUMNS.iter().enumerate() {
            if i > 0 {
                sql.push(" OR ");
            }
            self.push_range(sql, column, marker);
        }
        sql.push(")");
    }

    /// The search columns with matches, or `None` when there are at least `n` matches in all
    /// (an order matching in two columns counts twice: this only picks a plan). Reads at most
    /// `n` entries of each index.
    async fn matching_columns(
        &self,
        db: &Db,
        n: i64,
    ) -> Result<Option<Vec<&'static str>>, AppError> {
        let mut sql = db.query("SELECT ");
        for (i, column) in SEARCH_COLUMNS.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(SELECT count(*) FROM (SELECT 1 FROM orders WHERE ");
            self.push_range(&mut sql, column, "");
            sql.push(" LIMIT ").push_bind(n).push(") AS matches)");
        }
        let (a, b, c, d): (i64, i64, i64, i64) = sql.fetch_one().await?;
        let counts = [a, b, c, d];
        if counts.iter().sum::<i64>() >= n {
            return Ok(None);
        }
        Ok(Some(
            SEARCH_COLUMNS
                .iter()
                .zip(counts)
                .filter(|(_, count)| *count > 0)
                .map(|(column, _)| *column)
                .collect(),
        ))
    }
}

/// What a query's filters are pushed into.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Walk {
    /// The listing without a search: the index it walks may come from the filters.
    Listing,
    /// A search with few matches, gathered from the prefix indexes: no filter may take an
    /// index of its own.
    Gather,
    /// An id, or the newest-first walk of a search with many matches.
    Other,
}

/// The filters besides the search box, checked once and pushed into each query that needs them.
struct Filters {
    status: Option<&'static str>,
    provider: Option<&'static str>,
    currency: Option<&'static str>,
    from: Option<String>,
    /// Exclusive: the start of the day after.
    to: Option<String>,
    min_minor: Option<i64>,
    max_minor: Option<i64>,
    /// After this `(created_at, id)` in the sort order.
    after: Option<(String, String)>,
    newest_first: bool,
}

impl Filters {
    fn parse(f: &OrderFilter, newest_first: bool) -> Result<Self, AppError> {
        let after = match &f.cursor {
            Some(cursor) => Some(decode_cursor(cursor).ok_or_else(|| {
                FieldError::new("cursor", "This page link is not valid any more.")
            })?),
            None => None,
        };
        if f.currency.is_none() && (f.min_minor.is_some() || f.max_minor.is_some()) {
            return Err(FieldError::new(
                "currency",
                "Choose a currency to filter by amount: amounts in different currencies cannot be compared.",
            )
            .into());
        }
        Ok(Self {
            status: f.status.map(|s| s.as_str()),
            provider: f.provider.map(Provider::as_str),
            currency: f.currency.map(|c| c.code()),
            from: f.from.as_deref().map(|d| day(d, "from")).transpose()?,
            // Everything on that day: up to the start of the next character after the date.
            to: f
                .to
                .as_deref()
                .map(|d| day(d, "to").map(|d| format!("{d}U")))
                .transpose()?,
            min_minor: f.min_minor,
            max_minor: f.max_minor,
            after,
            newest_first,
        })
    }

    /// ` AND ...` for each filter given.
    fn push(&self, sql: &mut Query<'_>, d: &Dialect, walk: Walk) {
        if let Some(status) = self.status {
            // Few matches are best read from the prefix index. `+status` is answered by no
            // index: without statistics SQLite takes `status = ?` for a few rows and would
            // read every order in that status instead. A listing or a walk of many matches
            // may use `orders_by_status`, newest first.
            if walk == Walk::Gather {
                sql.push(format!(" AND {}status = ", d.no_index))
                    .push_bind(status);
            } else {
                sql.push(" AND status = ").push_bind(status);
            }
        }
        if let Some(provider) = self.provider {
            // `orders_by_provider_status` (migration 0009) serves a listing by provider and
            // status, and nothing else: Kassa never runs ANALYZE, and SQLite without
            // statistics takes `provider = ?` for a few rows, so it would walk that index for
            // a provider alone (and sort all of that provider's orders) or instead of a
            // prefix index. `+provider` is answered by no index; the prefix indexes and
            // `orders_by_created` read it, or the row does.
            if walk == Walk::Listing && self.status.is_some() {
                sql.push(" AND provider = ").push_bind(provider);
            } else {
                sql.push(format!(" AND {}provider = ", d.no_index))
                    .push_bind(provider);
            }
        }
        if let Some(currency) = self.currency {
            sql.push(" AND currency = ").push_bind(currency);
        }
        if let Some(from) = &self.from {
            sql.push(" AND created_at >= ").push_bind(from.clone());
        }
        if let Some(to) = &self.to {
            sql.push(" AND created_at < ").push_bind(to.clone());
        }
        if let Some(min) = self.min_minor {
            sql.push(" AND amount_minor >= ").push_bind(min);
        }
        if let Some(max) = self.max_minor {
            sql.push(" AND amount_minor <= ").push_bind(max);
        }
        if let Some((created, id)) = &self.after {
            let op = if self.newest_first { "<" } else { ">" };
            sql.push(format!(" AND (created_at, id) {op} ("))
                .push_bind(created.clone())
                .push(", ")
                .push_bind(id.clone())
                .push(")");
        }
    }
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

/// A `YYYY-MM-DD` day that exists in the calendar (not `2026-02-30`), as typed.
fn day(s: &str, field: &str) -> Result<String, AppError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match time::Date::parse(s, &format) {
        Ok(_) if s.len() == 10 => Ok(s.to_owned()),
        _ => Err(FieldError::new(field, "Use a date like 2026-11-22.").into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mirror::Mirror;
    use kassa_model::api::OrderStatus;

    #[test]
    fn only_calendar_days_are_dates() {
        assert_eq!(day("2026-11-22", "from").unwrap(), "2026-11-22");
        assert_eq!(day("2024-02-29", "from").unwrap(), "2024-02-29");
        for bad in [
            "2026-13-01",
            "2026-02-30",
            "2026-99-99",
            "0000-00-00",
            "2026-1-1",
            "+2026-11-2",
        ] {
            match day(bad, "to") {
                Err(AppError::Validation(e)) => assert_eq!(e.field, "to", "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    /// A given name: mostly Anna, now and then Vissia (so "viss" matches two columns).
    fn given(n: usize) -> &'static str {
        if n % 100 == 5 {
            "Vissia"
        } else {
            "Anna"
        }
    }

    /// One generated order: (id, created_at, status, family name, amount).
    fn order(n: usize) -> (String, String, &'static str, &'static str, i64) {
        // More than DENSE Jansens; a handful of Steenhuis; the rest spread out.
        let family = match n % 10 {
            0 => "Steenhuis",
            1..=8 => "Jansen",
            _ => "Bakker",
        };
        let family = if n.is_multiple_of(10) && !n.is_multiple_of(300) {
            "Visser"
        } else {
            family
        };
        let status = ["paid", "authorized", "completed"][n % 3];
        // Several orders share a second, so the id breaks ties.
        let created = format!(
            "2026-01-01T00:{:02}:{:02}+00:00",
            (n / 4) / 60 % 60,
            (n / 4) % 60
        );
        (
            format!("ord_{n:05}"),
            created,
            status,
            family,
            (n as i64 % 7) * 1000,
        )
    }

    async fn mirror(n: usize) -> Mirror {
        mirror_on("sqlite::memory:", n).await
    }

    /// A mirror on SQLite, or with `KASSA_TEST_POSTGRES` set on a fresh PostgreSQL database:
    /// what a search finds must not depend on the database.
    async fn mirror_on_either(n: usize) -> Mirror {
        match std::env::var("KASSA_TEST_POSTGRES") {
            Ok(server) if !server.is_empty() => {
                let name = format!("search_{}_{}", std::process::id(), n);
                let url = crate::store::create_database(&server, &name)
                    .await
                    .expect("database");
                mirror_on(&url, n).await
            }
            _ => mirror(n).await,
        }
    }

    async fn mirror_on(url: &str, n: usize) -> Mirror {
        let mirror = Mirror::open(url).await.expect("mirror");
        for i in 0..n {
            let (id, created, status, family, amount) = order(i);
            mirror
                .db()
                .query(
                "INSERT INTO orders (id, provider, order_number, status, currency, amount_minor,
                    customer_name, customer_email, created_at, updated_at, body,
                    search_number, search_email, search_name, search_family)
                 VALUES (?, 'mollie', ?, ?, 'EUR', ?, ?, ?, ?, ?, '{}', ?, ?, lower(?), lower(?))",
            )
            .bind(&id)
            .bind(format!("{}", 10_000 + i))
            .bind(status)
            .bind(amount)
            .bind(format!("{} {family}", given(i)))
            .bind(format!("anna.{}@example.com", family.to_lowercase()))
            .bind(&created)
            .bind(&created)
            .bind(format!("{}", 10_000 + i))
            .bind(format!("anna.{}@example.com", family.to_lowercase()))
            .bind(format!("{} {family}", given(i)))
            .bind(family)
            .execute()
            .await
            .expect("insert");
        }
        mirror
    }

    /// Every page of a listing, followed by its cursors.
    async fn all_pages(pool: &Db, mut f: OrderFilter) -> Vec<String> {
        let mut ids = Vec::new();
        f.limit = Some(40);
        loop {
            let page = list(pool, &f).await.expect("page");
            ids.extend(page.orders.into_iter().map(|o| o.id));
            match page.next_cursor {
                Some(c) => f.cursor = Some(c),
                None => return ids,
            }
        }
    }

    /// What the listing must return, computed without SQL.
    fn expected(n: usize, prefix: &str, status: Option<&str>, newest_first: bool) -> Vec<String> {
        let mut rows: Vec<_> = (0..n)
            .filter(|i| {
                let (_, _, s, family, _) = order(*i);
                status.is_none_or(|st| st == s)
                    && (family.to_lowercase().starts_with(prefix)
                        || format!("anna.{}@example.com", family.to_lowercase())
                            .starts_with(prefix)
                        || format!("{} {family}", given(*i))
                            .to_lowercase()
                            .starts_with(prefix))
            })
            .map(|i| {
                let (id, created, ..) = order(i);
                (created, id)
            })
            .collect();
        rows.sort();
        if newest_first {
            rows.reverse();
        }
        rows.into_iter().map(|(_, id)| id).collect()
    }

    #[tokio::test]
    async fn both_search_plans_find_every_match_in_order() {
        let n = 1_500;
        let mirror = mirror_on_either(n).await;
        let pool = mirror.db();
        // "jans": 1200 matches, walked newest first; "steenhu" and "viss": few, gathered
        // from the indexes.
        for prefix in [
            "jans",
            "JANS",
            "steenhu",
            "viss",
            "anna.bakker",
            "vissia vis",
            "Anna Steen",
            "nobody",
        ] {
            for (status, sort) in [(None, None), (Some(OrderStatus::Paid), Some("oldest"))] {
                let f = OrderFilter {
                    q: Some(prefix.to_owned()),
                    status,
                    sort: sort.map(str::to_owned),
                    ..Default::default()
                };
                let got = all_pages(pool, f).await;
                let want = expected(
                    n,
                    &prefix.to_lowercase(),
                    status.map(OrderStatus::as_str),
                    sort.is_none(),
                );
                assert_eq!(got.len(), want.len(), "q={prefix} status={status:?}");
                assert_eq!(got, want, "q={prefix} status={status:?}");
            }
        }
        let columns = |q: &str| {
            let prefix = Prefix::new(q);
            async move { prefix.matching_columns(pool, DENSE).await.unwrap() }
        };
        assert_eq!(columns("jans").await, None, "dense: walked newest first");
        assert_eq!(columns("steenhu").await, Some(vec!["search_family"]));
        assert_eq!(
            columns("viss").await,
            Some(vec!["search_name", "search_family"])
        );
        assert_eq!(columns("nobody").await, Some(vec![]));
    }

    /// The plans of a provider filter on a mirror without statistics, as Kassa's are (it
    /// never runs ANALYZE): each walks the index it should and sorts no more than a page.
    #[tokio::test]
    async fn a_provider_filter_keeps_each_plan() {
        let mirror = mirror(1_500).await;
        let plan = |status: Option<OrderStatus>, q: Option<&str>| {
            let f = OrderFilter {
                provider: Some(Provider::Klarna),
                status,
                q: q.map(str::to_owned),
                ..Default::default()
            };
            let pool = mirror.db();
            async move { query_plan(pool, &f).await.unwrap().join("\n") }
        };
        // A provider alone: newest first, stopping at a page.
        let p = plan(None, None).await;
        assert!(p.contains("orders_by_created"), "{p}");
        assert!(!p.contains("TEMP B-TREE"), "{p}");
        // With a status: that index, whatever share of the status the provider has.
        let p = plan(Some(OrderStatus::Paid), None).await;
        assert!(p.contains("orders_by_provider_status"), "{p}");
        assert!(!p.contains("TEMP B-TREE"), "{p}");
        // A prefix with few matches: the prefix index alone, provider included.
        let p = plan(None, Some("steenhu")).await;
        assert!(p.contains("COVERING INDEX orders_by_family"), "{p}");
        assert!(!p.contains("orders_by_provider_status"), "{p}");
        // A prefix with many: newest first on the index holding the search columns.
        let p = plan(None, Some("jans")).await;
        assert!(p.contains("orders_by_created"), "{p}");
        assert!(!p.contains("TEMP B-TREE"), "{p}");
    }

    /// A status with a search, without statistics: the search's index, not every order in
    /// that status (SQLite takes `status = ?` for a few rows when it knows nothing).
    #[tokio::test]
    async fn a_status_filter_keeps_the_search_plans() {
        let mirror = mirror(1_500).await;
        let plan = |q: &str| {
            let f = OrderFilter {
                status: Some(OrderStatus::Paid),
                q: Some(q.to_owned()),
                ..Default::default()
            };
            let pool = mirror.db();
            async move { query_plan(pool, &f).await.unwrap().join("\n") }
        };
        // The prefix index finds the few matches; each row says its status.
        let p = plan("steenhu").await;
        assert!(p.contains("INDEX orders_by_family"), "{p}");
        assert!(!p.contains("orders_by_status"), "{p}");
        // Many matches: walked newest first and stopped at a page, on either index.
        let p = plan("jans").await;
        assert!(p.contains("orders_by_"), "{p}");
        assert!(!p.contains("TEMP B-TREE"), "{p}");
        // No search: the status's own index, newest first.
        let f = OrderFilter {
            status: Some(OrderStatus::Paid),
            ..Default::default()
        };
        let p = query_plan(mirror.db(), &f).await.unwrap().join("\n");
        assert!(p.contains("orders_by_status"), "{p}");
        assert!(!p.contains("TEMP B-TREE"), "{p}");
    }
}

#[cfg(test)]
mod expiring_tests {
    use super::*;
    use crate::mirror::Mirror;

    #[tokio::test]
    async fn the_radar_reads_its_partial_index() {
        let mirror = Mirror::open("sqlite::memory:").await.expect("mirror");
        let plan = expiring_plan(mirror.db()).await.unwrap().join("\n");
        assert!(plan.contains("orders_by_expiry"), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "sorted by the index: {plan}");
    }
}
