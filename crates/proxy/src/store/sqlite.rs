//! SQLite: the embedded default, one proxy on one file.

use std::str::FromStr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::SqlitePool;

use super::Dialect;
use crate::error::AppError;

pub(super) const DIALECT: Dialect = Dialect {
    row_key: "rowid",
    no_index: "+",
    body_locale: "json_extract(body, '$.locale')",
    explain: "EXPLAIN QUERY PLAN ",
};

pub(super) async fn open(url: &str) -> Result<SqlitePool, AppError> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        // Sorts and UNIONs of searches in memory, not temp files; 16 MiB of pages per
        // connection keeps a large mirror's hot index pages (SQLite's default is 2 MiB).
        .pragma("temp_store", "memory")
        .pragma("cache_size", "-16384");
    // Each connection to `:memory:` is its own database: keep one.
    let max = if url.contains(":memory:") { 1 } else { 8 };
    let pool = SqlitePoolOptions::new()
        .max_connections(max)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations/sqlite")
        .run(&pool)
        .await
        .map_err(|e| AppError::Internal(format!("migrations: {e}")))?;
    Ok(pool)
}

/// One proxy's fetch tickets ([`super::Db::fetch_ticket`]): the time in microseconds, each one
/// above the one before and above the highest stored when the proxy started (so a clock set
/// back cannot make new fetches look older than stored ones). Time rather than a counter from
/// zero, so that two processes on one file, as when a proxy restarts while the old one
/// drains, still number their fetches in the order they started.
#[derive(Debug, Default)]
pub(super) struct Tickets {
    last: AtomicI64,
    floor: tokio::sync::OnceCell<i64>,
}

impl Tickets {
    pub(super) async fn next(&self, pool: &SqlitePool) -> Result<i64, sqlx::Error> {
        let floor = *self
            .floor
            .get_or_try_init(|| async {
                sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(fetch_ticket) FROM orders")
                    .fetch_one(pool)
                    .await
                    .map(Option::unwrap_or_default)
            })
            .await?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX));
        let next = |last: i64| now.max(last + 1).max(floor + 1);
        let last = self
            .last
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| Some(next(last)))
            .unwrap_or_else(|last| last);
        Ok(next(last))
    }
}

#[cfg(test)]
mod tests {
    use super::super::Db;

    /// A ticket stored by a clock that ran ahead (and was then set back) must not make every
    /// later fetch look older: the mirror would keep that order as it was.
    #[tokio::test]
    async fn tickets_grow_and_start_above_the_highest_stored() {
        let db = Db::open("sqlite::memory:").await.unwrap();
        let ahead = 4_000_000_000_000_000_i64; // microseconds: the year 2096
        db.query(
            "INSERT INTO orders (id, provider, order_number, status, currency, amount_minor,
                                 customer_name, customer_email, created_at, updated_at, body,
                                 fetch_ticket)
             VALUES ('ord_ahead', 'mollie', '1', 'paid', 'EUR', 100, '', '', '', '', '{}', ?)",
        )
        .bind(ahead)
        .execute()
        .await
        .unwrap();
        let mut last = ahead;
        for _ in 0..1000 {
            let ticket = db.fetch_ticket().await.unwrap();
            assert!(ticket > last, "{ticket} after {last}");
            last = ticket;
        }
    }
}
