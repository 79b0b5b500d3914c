//! PostgreSQL: one database shared by several proxies.

use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

use super::Dialect;
use crate::error::AppError;

pub(super) const DIALECT: Dialect = Dialect {
    // A primary-key lookup; PostgreSQL's `ctid` is not stable across updates.
    row_key: "id",
    no_index: "",
    body_locale: "(body::jsonb ->> 'locale')",
    explain: "EXPLAIN ",
};

pub(super) fn is_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

pub(super) async fn open(url: &str) -> Result<PgPool, AppError> {
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(10))
        .connect(url)
        .await?;
    // Several proxies starting at once: PostgreSQL's migrator takes an advisory lock, so one
    // applies the migrations and the others wait and find them applied.
    sqlx::migrate!("./migrations/postgres")
        .run(&pool)
        .await
        .map_err(|e| AppError::Internal(format!("migrations: {e}")))?;
    Ok(pool)
}

/// [`super::Db::fetch_ticket`]: one sequence numbers every proxy's fetches.
pub(super) async fn fetch_ticket(pool: &PgPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT nextval('fetch_tickets')")
        .fetch_one(pool)
        .await
}

/// Creates an empty database named `name` on the server `server_url` points at (any database
/// of it, e.g. `postgres`); returns the new database's URL. For tests and benches, which each
/// take a database of their own on one throwaway server.
pub async fn create_database(server_url: &str, name: &str) -> Result<String, AppError> {
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(AppError::Internal(format!("database name {name:?}")));
    }
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(server_url)
        .await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&pool)
        .await?;
    pool.close().await;
    let base = server_url
        .rsplit_once('/')
        .map_or(server_url, |(base, _)| base);
    Ok(format!("{base}/{name}"))
}

/// `?` placeholders as PostgreSQL's `$1, $2, …`. Kassa's SQL has no `?` inside string
/// literals or identifiers (and uses none of PostgreSQL's `?` JSON operators); quoted text is
/// skipped all the same.
pub(super) fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    let mut quote: Option<char> = None;
    for c in sql.chars() {
        match (quote, c) {
            (None, '?') => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
                continue;
            }
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::numbered;

    #[test]
    fn placeholders_are_numbered_outside_quotes() {
        assert_eq!(
            numbered("SELECT a FROM t WHERE b = ? AND c IN (?, ?) AND d = '?' AND \"e?\" = ?"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3) AND d = '?' AND \"e?\" = $4"
        );
        assert_eq!(numbered("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
    }
}
