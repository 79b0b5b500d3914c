use axum::extract::Request;
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::Response;

use axum::extract::State;

use crate::{MollieError, Sandbox};

/// Test or live mode, chosen by the API key's prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Test,
    Live,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Test => "test",
            Self::Live => "live",
        }
    }
}

/// Accepts `Authorization: Bearer test_...` or `live_...` (Mollie's key shape, `\w+` after the
/// prefix) and records the mode; anything else is Mollie's 401.
pub async fn require_api_key(
    State(sandbox): State<Sandbox>,
    mut req: Request,
    next: Next,
) -> Result<Response, MollieError> {
    let key = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let allowed = sandbox
        .inner
        .config
        .api_key
        .as_deref()
        .is_none_or(|only| only == key);
    let mode = mode_of_key(key)
        .filter(|_| allowed)
        .ok_or_else(MollieError::unauthorized)?;
    req.extensions_mut().insert(mode);
    Ok(next.run(req).await)
}

fn mode_of_key(key: &str) -> Option<Mode> {
    let (mode, rest) = if let Some(rest) = key.strip_prefix("test_") {
        (Mode::Test, rest)
    } else if let Some(rest) = key.strip_prefix("live_") {
        (Mode::Live, rest)
    } else {
        return None;
    };
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    (!rest.is_empty() && rest.chars().all(word)).then_some(mode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_select_the_mode() {
        assert_eq!(
            mode_of_key("test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM"),
            Some(Mode::Test)
        );
        assert_eq!(mode_of_key("live_abc"), Some(Mode::Live));
        for bad in ["test_", "access_abc", "test_a-b", "", "TEST_abc"] {
            assert_eq!(mode_of_key(bad), None, "{bad:?}");
        }
    }
}
