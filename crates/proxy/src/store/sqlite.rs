//! SQLite: the embedded default, one proxy on one file.

use std::str::FromStr;

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
