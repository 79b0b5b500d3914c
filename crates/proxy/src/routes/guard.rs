//! Access control for `/api`: deny by default. Every route needs a live staff session except
//! a short list of public ones; every change (anything but GET/HEAD) also needs the session's
//! CSRF token and, except logging out and one's own saved views, the `operator` role.
//!
//! [`access`] is the one statement of that rule: the guard enforces it and the OpenAPI
//! document (`super::openapi`) states it, so the two cannot disagree.

use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;

use crate::error::AppError;
use crate::staff::session::{self, token_from_cookies};
use crate::AppState;

/// The CSRF token's header, as the app sends it (header names are case-insensitive).
pub const CSRF_HEADER: &str = "X-CSRF-Token";

/// What a request to `/api` must bring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Nothing: anyone may call it.
    Public,
    /// A live staff session (reads).
    Session,
    /// A live session and its CSRF token (changes); `operator`: the role must be `operator`.
    Change { operator: bool },
}

/// What `method path` needs, for a path under `/api/`.
pub fn access(method: &Method, path: &str) -> Access {
    if is_public(method, path) {
        return Access::Public;
    }
    if matches!(*method, Method::GET | Method::HEAD) {
        return Access::Session;
    }
    let logging_out = method == Method::DELETE && path == "/api/session";
    // A saved view is the staff member's own list filters, not a change to any order.
    let own_views = path == "/api/views" || path.starts_with("/api/views/");
    Access::Change {
        operator: !logging_out && !own_views,
    }
}

/// Routes anyone may call: health, this API's description, logging in, the customer's return
/// page, the public storefront (catalog and checkout) and pay links (`/api/public/pay/{ref}`,
/// and placing its order with Klarna's authorization).
fn is_public(method: &Method, path: &str) -> bool {
    (method == Method::GET
        && (path == "/api/health" || path == "/api/public/catalog" || path == "/api/openapi.json"))
        || (method == Method::POST && path == "/api/public/checkout")
        || (method == Method::GET && is_pay_link(path, ""))
        || (method == Method::POST && is_pay_link(path, "/order"))
        || (method == Method::POST && path == "/api/session")
        || (method == Method::GET && path.starts_with("/api/returns/"))
}

pub async fn require_staff(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Result<Response, AppError> {
    let path = req.uri().path().to_owned();
    let access = access(req.method(), &path);
    if !path.starts_with("/api/") || access == Access::Public {
        return Ok(next.run(req).await);
    }
    let token = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(token_from_cookies);
    let session = match token {
        Some(t) => session::lookup(state.db(), &state.sessions, t).await?,
        None => None,
    }
    .ok_or(AppError::Unauthorized)?;
    if let Access::Change { operator } = access {
        let sent = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !constant_time_eq(sent.as_bytes(), session.csrf_token.as_bytes()) {
            return Err(AppError::Csrf);
        }
        if operator && !session.staff.role.can_change() {
            return Err(AppError::Forbidden);
        }
    }
    req.extensions_mut().insert(session);
    Ok(next.run(req).await)
}

/// `/api/public/pay/{reference}{tail}`, the reference one path segment.
fn is_pay_link(path: &str, tail: &str) -> bool {
    path.strip_prefix("/api/public/pay/")
        .and_then(|rest| rest.strip_suffix(tail))
        .is_some_and(|reference| !reference.is_empty() && !reference.contains('/'))
}

/// Compares without stopping at the first difference, so timing does not leak the token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_listed_routes_are_public() {
        assert!(is_public(&Method::POST, "/api/session"));
        assert!(is_public(&Method::GET, "/api/returns/abc"));
        assert!(!is_public(&Method::GET, "/api/session"));
        assert!(!is_public(&Method::DELETE, "/api/session"));
        assert!(!is_public(&Method::POST, "/api/orders"));
        assert!(!is_public(&Method::GET, "/api/orders/ord_x"));
        assert!(!is_public(&Method::POST, "/api/returns/abc"));
        assert!(is_public(&Method::GET, "/api/public/pay/abc"));
        assert!(is_public(&Method::POST, "/api/public/pay/abc/order"));
        assert!(!is_public(&Method::POST, "/api/public/pay/abc"));
        assert!(!is_public(&Method::GET, "/api/public/pay/a/b"));
        assert!(!is_public(&Method::POST, "/api/pay-links"));
        assert!(is_public(&Method::GET, "/api/openapi.json"));
        assert!(!is_public(&Method::POST, "/api/openapi.json"));
    }

    #[test]
    fn changes_need_the_operator_role_except_logging_out_and_own_views() {
        assert_eq!(access(&Method::GET, "/api/orders"), Access::Session);
        assert_eq!(access(&Method::HEAD, "/api/orders"), Access::Session);
        let operator = Access::Change { operator: true };
        let anyone = Access::Change { operator: false };
        assert_eq!(access(&Method::POST, "/api/orders"), operator);
        assert_eq!(access(&Method::PUT, "/api/orders/x"), operator);
        assert_eq!(access(&Method::DELETE, "/api/session"), anyone);
        assert_eq!(access(&Method::POST, "/api/views"), anyone);
        assert_eq!(access(&Method::DELETE, "/api/views/3"), anyone);
    }

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
