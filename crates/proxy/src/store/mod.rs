//! The proxy's database: SQLite (the embedded default, one proxy) or PostgreSQL (several
//! proxies sharing one database), behind one interface.
//!
//! Every query is written once, with `?` placeholders, and bound with [`Query::bind`]; what
//! differs between the two databases lives in [`sqlite`] and [`postgres`]: connecting, the
//! migrations (`migrations/sqlite`, `migrations/postgres`), the placeholders, and the few
//! expressions a [`Dialect`] names. Rows come back as types that read both databases' rows
//! (`#[derive(sqlx::FromRow)]` structs and tuples).

mod postgres;
mod sqlite;

pub use postgres::create_database;

use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, PgPool, SqlitePool};

use crate::error::AppError;

/// Which database a [`Db`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pool of connections to the proxy's database, migrated.
#[derive(Clone, Debug)]
pub struct Db {
    pool: Pool,
    /// SQLite's fetch tickets ([`Db::fetch_ticket`]); PostgreSQL takes them from a sequence.
    tickets: std::sync::Arc<sqlite::Tickets>,
}

#[derive(Clone, Debug)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Db {
    /// Connects to `url` (`sqlite:…` or `postgres://…`) and applies the migrations.
    pub async fn open(url: &str) -> Result<Self, AppError> {
        let pool = if postgres::is_url(url) {
            Pool::Postgres(postgres::open(url).await?)
        } else {
            Pool::Sqlite(sqlite::open(url).await?)
        };
        Ok(Self {
            pool,
            tickets: Default::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Whether other proxies may share this database (and so write to it behind our back).
    pub fn shared(&self) -> bool {
        self.backend() == Backend::Postgres
    }

    /// What this database writes its own way.
    pub fn dialect(&self) -> &'static Dialect {
        match self.pool {
            Pool::Sqlite(_) => &sqlite::DIALECT,
            Pool::Postgres(_) => &postgres::DIALECT,
        }
    }

    /// The SQLite pool, for what only SQLite has (the search's plan tests, bulk loading in
    /// the benches); `None` on PostgreSQL.
    pub fn sqlite(&self) -> Option<&SqlitePool> {
        match &self.pool {
            Pool::Sqlite(pool) => Some(pool),
            Pool::Postgres(_) => None,
        }
    }

    /// A query written with `?` placeholders.
    pub fn query(&self, sql: impl Into<String>) -> Query<'_> {
        Query {
            db: self,
            sql: sql.into(),
            args: Vec::new(),
        }
    }

    /// A number taken just before asking a provider for an order: a fetch that started later
    /// holds a higher one, whichever proxy on the database made it. The mirror stores the
    /// ticket with what the fetch brought, and never replaces a later fetch's order with an
    /// earlier one's that took longer to arrive.
    pub async fn fetch_ticket(&self) -> Result<i64, sqlx::Error> {
        match &self.pool {
            Pool::Sqlite(pool) => self.tickets.next(pool).await,
            Pool::Postgres(pool) => postgres::fetch_ticket(pool).await,
        }
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

/// The expressions the two databases write differently.
#[derive(Debug)]
pub struct Dialect {
    /// A key of the row cheaper to look up than the primary key (`rowid` in SQLite).
    pub row_key: &'static str,
    /// Put before a column to keep the planner from answering it with an index (SQLite's
    /// unary `+`; nothing in PostgreSQL, whose planner has statistics).
    pub no_index: &'static str,
    /// The order's locale from its provider JSON (`body`).
    pub body_locale: &'static str,
    /// What turns a query into its plan.
    pub explain: &'static str,
}

/// A value bound to a placeholder: what Kassa stores is text, integers and flags.
#[derive(Clone, Debug)]
pub enum Arg {
    Text(Option<String>),
    Int(Option<i64>),
    Bool(bool),
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Self::Text(Some(v.to_owned()))
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Self::Text(Some(v))
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Self::Text(Some(v.clone()))
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        Self::Text(v.map(str::to_owned))
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Self::Text(v)
    }
}
impl From<&Option<String>> for Arg {
    fn from(v: &Option<String>) -> Self {
        Self::Text(v.clone())
    }
}
impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Self::Int(Some(v))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Self::Int(v)
    }
}
impl From<bool> for Arg {
    fn from(v: bool) -> Self {
        Self::Bool(v)
    }
}

/// What a row can be read into from either database.
pub trait FromDbRow:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> FromDbRow for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// A query and its bound values, run on whichever database the [`Db`] is.
#[must_use = "a query does nothing until it is run"]
pub struct Query<'a> {
    db: &'a Db,
    sql: String,
    args: Vec<Arg>,
}

/// Binds `args` to a sqlx query of either database, in order.
macro_rules! bind_all {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg {
                Arg::Text(v) => query.bind(v),
                Arg::Int(v) => query.bind(v),
                Arg::Bool(v) => query.bind(v),
            };
        }
        query
    }};
}

/// `query.$run(pool)` on whichever database the query's [`Db`] is, the SQL's placeholders
/// numbered for PostgreSQL, `$make` (`sqlx::query` or `sqlx::query_as`) instantiated for each,
/// and the result mapped by `$then` (each database's result type is its own).
macro_rules! on_either {
    ($query:ident, $make:expr, $run:ident $(, $then:expr)?) => {
        match &$query.db.pool {
            Pool::Sqlite(pool) => bind_all!($make(&$query.sql), $query.args)
                .$run(pool)
                .await
                $(.map($then))?,
            Pool::Postgres(pool) => {
                let sql = postgres::numbered(&$query.sql);
                bind_all!($make(&sql), $query.args).$run(pool).await $(.map($then))?
            }
        }
    };
}

impl Query<'_> {
    pub fn bind(mut self, value: impl Into<Arg>) -> Self {
        self.args.push(value.into());
        self
    }

    /// Appends SQL (for queries built piece by piece).
    pub fn push(&mut self, sql: impl AsRef<str>) -> &mut Self {
        self.sql.push_str(sql.as_ref());
        self
    }

    /// Appends a placeholder bound to `value`.
    pub fn push_bind(&mut self, value: impl Into<Arg>) -> &mut Self {
        self.sql.push('?');
        self.args.push(value.into());
        self
    }

    /// Runs a statement; how many rows it changed.
    pub async fn execute(self) -> Result<u64, sqlx::Error> {
        on_either!(self, sqlx::query, execute, |done| done.rows_affected())
    }

    pub async fn fetch_all<T: FromDbRow>(self) -> Result<Vec<T>, sqlx::Error> {
        on_either!(self, sqlx::query_as::<_, T>, fetch_all)
    }

    pub async fn fetch_optional<T: FromDbRow>(self) -> Result<Option<T>, sqlx::Error> {
        on_either!(self, sqlx::query_as::<_, T>, fetch_optional)
    }

    pub async fn fetch_one<T: FromDbRow>(self) -> Result<T, sqlx::Error> {
        self.fetch_optional().await?.ok_or(sqlx::Error::RowNotFound)
    }

    /// The first column of the row, if there is one.
    pub async fn scalar<T>(self) -> Result<Option<T>, sqlx::Error>
    where
        (T,): FromDbRow,
    {
        Ok(self.fetch_optional::<(T,)>().await?.map(|(v,)| v))
    }

    /// The first column of every row.
    pub async fn scalars<T>(self) -> Result<Vec<T>, sqlx::Error>
    where
        (T,): FromDbRow,
    {
        Ok(self
            .fetch_all::<(T,)>()
            .await?
            .into_iter()
            .map(|(v,)| v)
            .collect())
    }
}
