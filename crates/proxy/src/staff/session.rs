//! Login sessions: a random token in an HttpOnly cookie, stored hashed, with the CSRF token
//! the app must echo on every change.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::Instant;

use kassa_model::api::{Role, SessionView};
use time::{Duration, OffsetDateTime};

use super::StaffMember;
use crate::error::AppError;
use crate::store::Db;
use crate::token::{random_token, sha256_hex};

pub const COOKIE: &str = "kassa_session";

#[derive(Clone, Debug)]
pub struct Session {
    pub staff: StaffMember,
    pub csrf_token: String,
}

impl Session {
    pub fn view(&self) -> SessionView {
        SessionView {
            staff: self.staff.view(),
            csrf_token: self.csrf_token.clone(),
        }
    }
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Starts a session; returns the cookie value and the session.
pub async fn open(
    db: &Db,
    staff: StaffMember,
    ttl: Duration,
) -> Result<(String, Session), AppError> {
    let token = random_token(32);
    let csrf_token = random_token(32);
    let now = OffsetDateTime::now_utc();
    db.query(
        "INSERT INTO sessions (token_hash, staff_id, csrf_token, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(sha256_hex(&token))
    .bind(staff.id)
    .bind(&csrf_token)
    .bind(rfc3339(now))
    .bind(rfc3339(now + ttl))
    .execute()
    .await?;
    // Expired sessions are of no use to anyone: clear them out now and then.
    db.query("DELETE FROM sessions WHERE expires_at < ?")
        .bind(rfc3339(now))
        .execute()
        .await?;
    Ok((token, Session { staff, csrf_token }))
}

/// A session and its staff member as [`lookup`] reads them.
#[derive(sqlx::FromRow)]
struct Stored {
    id: i64,
    email: String,
    name: String,
    role: String,
    csrf_token: String,
    expires_at: String,
}

/// The live session for a cookie value, if any: from the cache while it is fresh, else from
/// the database. On a database shared with other proxies there is no cache: a logout or a
/// role change made through any of them takes effect on the next request everywhere.
pub async fn lookup(
    db: &Db,
    cache: &SessionCache,
    token: &str,
) -> Result<Option<Session>, AppError> {
    let token_hash = sha256_hex(token);
    let cached = !db.shared();
    if cached {
        if let Some(session) = cache.get(&token_hash) {
            return Ok(Some(session));
        }
    }
    let row: Option<Stored> = db
        .query(
            "SELECT s.id, s.email, s.name, s.role, x.csrf_token, x.expires_at
             FROM sessions x JOIN staff s ON s.id = x.staff_id WHERE x.token_hash = ?",
        )
        .bind(&token_hash)
        .fetch_optional()
        .await?;
    let Some(r) = row else { return Ok(None) };
    let expires = r.expires_at;
    let left = OffsetDateTime::parse(&expires, &time::format_description::well_known::Rfc3339)
        .map_err(|e| AppError::Internal(format!("session expiry {expires:?}: {e}")))?
        - OffsetDateTime::now_utc();
    if left <= Duration::ZERO {
        return Ok(None);
    }
    let session = Session {
        staff: StaffMember {
            id: r.id,
            email: r.email,
            name: r.name,
            role: r.role.parse::<Role>().map_err(AppError::Internal)?,
        },
        csrf_token: r.csrf_token,
    };
    if cached {
        cache.put(token_hash, session.clone(), left.unsigned_abs());
    }
    Ok(Some(session))
}

/// Sessions checked in the last [`SessionCache::TRUST_FOR`], so that reading an order costs
/// no database round trip for the session. Only on a database of the proxy's own (SQLite),
/// where every logout goes through this proxy, which forgets the entry at once.
#[derive(Default)]
pub struct SessionCache {
    entries: RwLock<HashMap<String, (Session, Instant)>>,
}

impl SessionCache {
    pub const TRUST_FOR: std::time::Duration = std::time::Duration::from_secs(30);
    /// More live sessions than any shop has staff; past it, stale entries are swept.
    const CAPACITY: usize = 4096;

    fn get(&self, token_hash: &str) -> Option<Session> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .get(token_hash)
            .filter(|(_, until)| Instant::now() < *until)
            .map(|(s, _)| s.clone())
    }

    fn put(&self, token_hash: String, session: Session, session_left: std::time::Duration) {
        let until = Instant::now() + session_left.min(Self::TRUST_FOR);
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= Self::CAPACITY {
            let now = Instant::now();
            entries.retain(|_, (_, until)| now < *until);
            if entries.len() >= Self::CAPACITY {
                entries.clear();
            }
        }
        entries.insert(token_hash, (session, until));
    }

    fn forget(&self, token_hash: &str) {
        self.entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(token_hash);
    }
}

pub async fn close(db: &Db, cache: &SessionCache, token: &str) -> Result<(), AppError> {
    let token_hash = sha256_hex(token);
    cache.forget(&token_hash);
    db.query("DELETE FROM sessions WHERE token_hash = ?")
        .bind(&token_hash)
        .execute()
        .await?;
    Ok(())
}

/// The `Set-Cookie` value for a new session (`Secure` when Kassa is served over HTTPS).
pub fn set_cookie(token: &str, ttl: Duration, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{}",
        ttl.whole_seconds(),
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The session token from a `Cookie` header.
pub fn token_from_cookies(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value)
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_session_cookie() {
        assert_eq!(
            token_from_cookies("a=1; kassa_session=abc; b=2"),
            Some("abc")
        );
        assert_eq!(token_from_cookies("kassa_session="), None);
        assert_eq!(token_from_cookies("other=1"), None);
    }

    #[test]
    fn cookies_are_http_only_and_strict() {
        let c = set_cookie("t", Duration::hours(12), true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.ends_with("; Secure"));
        assert!(!set_cookie("t", Duration::hours(1), false).contains("Secure"));
    }
}
