//! HTTP Basic on every Klarna call (reference §1.2). Klarna takes `base64(username:password)`
//! or, for API keys, `Basic <klarna_…_api_…>` as it is. The caller's username (or key) is the
//! merchant: sessions, authorizations and orders are visible to it only.

use std::str::FromStr;

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;

use super::KlarnaError;
use crate::Sandbox;

/// A username and password pair (`--klarna-credentials USER:PASS`).
#[derive(Clone, PartialEq, Eq)]
pub struct KlarnaCredentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for KlarnaCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The password never reaches a log.
        write!(f, "KlarnaCredentials({}:***)", self.username)
    }
}

impl FromStr for KlarnaCredentials {
    type Err = String;

    /// `USER:PASS`, both non-empty; the password may contain `:`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once(':') {
            Some((user, pass)) if !user.is_empty() && !pass.is_empty() => Ok(Self {
                username: user.to_owned(),
                password: pass.to_owned(),
            }),
            _ => Err("expected USER:PASS, both non-empty".to_owned()),
        }
    }
}

/// The merchant a Klarna request is made for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merchant(pub String);

/// What an `Authorization` header says: a username and password, or an API key.
fn credential(header: &str) -> Option<(String, Option<String>)> {
    let value = header.strip_prefix("Basic ")?.trim();
    if value.starts_with("klarna_") {
        return Some((value.to_owned(), None));
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(value)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())?;
    let (user, pass) = decoded.split_once(':')?;
    (!user.is_empty() && !pass.is_empty()).then(|| (user.to_owned(), Some(pass.to_owned())))
}

/// Checks the credential: when the sandbox was given one, only that one; otherwise any
/// non-empty one. 401 in Klarna's shape otherwise.
pub async fn require_credentials(
    State(sandbox): State<Sandbox>,
    mut req: Request,
    next: Next,
) -> Result<Response, KlarnaError> {
    let given = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(credential)
        .ok_or_else(KlarnaError::unauthorized)?;
    if let Some(only) = &sandbox.inner.config.klarna_credentials {
        let matches = given.0 == only.username && given.1.as_deref() == Some(&only.password);
        if !matches {
            return Err(KlarnaError::unauthorized());
        }
    }
    req.extensions_mut().insert(Merchant(given.0));
    Ok(next.run(req).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(s: &str) -> String {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(s)
        )
    }

    #[test]
    fn user_password_pairs_and_api_keys_are_credentials() {
        assert_eq!(
            credential(&basic("K123_abc:s3cret:with:colons")),
            Some(("K123_abc".into(), Some("s3cret:with:colons".into())))
        );
        assert_eq!(
            credential("Basic klarna_test_api_abc123"),
            Some(("klarna_test_api_abc123".into(), None))
        );
        for bad in [
            basic(":pass"),
            basic("user:"),
            basic("nocolon"),
            "Bearer x".into(),
            "Basic %%%".into(),
            String::new(),
        ] {
            assert_eq!(credential(&bad), None, "{bad}");
        }
        assert!("user:pass".parse::<KlarnaCredentials>().is_ok());
        assert!("user".parse::<KlarnaCredentials>().is_err());
        let shown = format!("{:?}", "u:secret".parse::<KlarnaCredentials>().unwrap());
        assert!(!shown.contains("secret"), "{shown}");
    }
}
