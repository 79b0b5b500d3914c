use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kassa_model::api::ApiError;
use kassa_model::FieldError;

use crate::provider::{ProviderError, Refusal};

/// Every way a proxy request can fail, mapped once to a status and Kassa's JSON error shape
/// (`{"code","message","field"}`).
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 422: the input breaks a rule; `field` names it (so the message does not repeat it).
    #[error("{}", .0.message)]
    Validation(#[from] FieldError),
    /// 400: the request is not what this endpoint takes.
    #[error("{0}")]
    BadRequest(String),
    /// 400: the body is not the JSON this endpoint takes; `field` is where it went wrong
    /// (`lines.0.unitPrice`), when it is in a field.
    #[error("{message}")]
    BadBody {
        message: String,
        field: Option<String>,
    },
    /// 413 `too_large`: the body is over the proxy's limit (64 KiB, [`crate::BODY_LIMIT`]),
    /// by its `Content-Length` or as it was read.
    #[error("The body is too large: at most 64 KiB.")]
    TooLarge,
    /// 404
    #[error("{0}")]
    NotFound(String),
    /// 405: the path exists, but not with this method (`Allow` lists the ones it takes).
    #[error("This endpoint does not take this method.")]
    MethodNotAllowed,
    /// 401: no (live) session.
    #[error("Log in to continue.")]
    Unauthorized,
    /// 401 on login: wrong email or password.
    #[error("The email or password is not right.")]
    BadCredentials,
    /// 403: the request did not carry the session's CSRF token.
    #[error("This request is missing its security token; reload the page and try again.")]
    Csrf,
    /// 403: the staff member's role does not allow this.
    #[error("Your role can view orders but not change them.")]
    Forbidden,
    /// 422 `not_allowed`: the order's provider does not allow this action in the order's
    /// state; the message says why in the provider's terms ([`kassa_model::rules`]).
    #[error("{0}")]
    NotAllowed(String),
    /// 409: an intent id came back with a different request; a pay link already paid.
    #[error("{0}")]
    Conflict(String),
    /// 410 `expired`: a pay link whose Klarna session has ended.
    #[error("{0}")]
    Gone(String),
    /// 429: a limit was reached (docs/security.md); answered with `Retry-After`.
    #[error("{}", .limit.message())]
    RateLimited {
        limit: Limited,
        retry_after: std::time::Duration,
    },
    /// The provider refused or could not be reached.
    #[error(transparent)]
    Provider(#[from] ProviderError),
    /// 500: logged, never shown.
    #[error("{0}")]
    Internal(String),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(format!("database: {e}"))
    }
}

/// Which limit a request ran into; each says what happened in its own words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limited {
    /// Failed logins, per account or per client address.
    Login,
    /// Public checkouts per client address (successful ones count too).
    Checkout,
}

impl Limited {
    fn message(self) -> &'static str {
        match self {
            Self::Login => "Too many failed attempts; wait a few minutes and try again.",
            Self::Checkout => {
                "Too many orders from this address in a short time; please try again in a few minutes."
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, body) = self.status_and_body();
        let mut response = (status, Json(body)).into_response();
        if let Self::RateLimited { retry_after, .. } = self {
            // Whole seconds, rounded up: a client that waits that long gets through.
            let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        }
        response
    }
}

impl AppError {
    /// The status and JSON body this error is answered with (also what the action ledger
    /// records, so a replay answers the same).
    pub fn status_and_body(&self) -> (StatusCode, ApiError) {
        let (status, code, field) = match self {
            Self::Validation(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                Some(e.field.clone()),
            ),
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request", None),
            Self::BadBody { field, .. } => (StatusCode::BAD_REQUEST, "bad_request", field.clone()),
            Self::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large", None),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", None),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", None),
            Self::Unauthorized | Self::BadCredentials => {
                (StatusCode::UNAUTHORIZED, "unauthorized", None)
            }
            Self::Csrf => (StatusCode::FORBIDDEN, "csrf", None),
            Self::Forbidden => (StatusCode::FORBIDDEN, "forbidden", None),
            Self::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited", None),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict", None),
            Self::Gone(_) => (StatusCode::GONE, "expired", None),
            Self::NotAllowed(_) => (StatusCode::UNPROCESSABLE_ENTITY, "not_allowed", None),
            Self::Provider(ProviderError::Rejected {
                code: Refusal::NotFound,
                ..
            }) => (StatusCode::NOT_FOUND, "not_found", None),
            Self::Provider(ProviderError::Rejected {
                code: Refusal::Invalid,
                field,
                ..
            }) => (StatusCode::UNPROCESSABLE_ENTITY, "provider", field.clone()),
            Self::Provider(ProviderError::Rejected {
                code: Refusal::NotAllowed,
                ..
            }) => (StatusCode::UNPROCESSABLE_ENTITY, "not_allowed", None),
            Self::Provider(ProviderError::Rejected {
                code: Refusal::Conflict,
                ..
            }) => (StatusCode::CONFLICT, "conflict", None),
            Self::Provider(ProviderError::Rejected { .. } | ProviderError::Invalid(_)) => {
                tracing::error!(error = %self, "provider refused a request we consider valid");
                (StatusCode::BAD_GATEWAY, "provider", None)
            }
            Self::Provider(ProviderError::Unavailable(_)) => {
                tracing::warn!(error = %self, "provider unavailable");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "provider_unavailable",
                    None,
                )
            }
            Self::Internal(_) => {
                tracing::error!(error = %self, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", None)
            }
        };
        let message = match (self, status) {
            (_, StatusCode::INTERNAL_SERVER_ERROR) => "Something went wrong on our side.".to_owned(),
            (_, StatusCode::SERVICE_UNAVAILABLE) => {
                "The payment provider cannot be reached right now; nothing was changed. Try again shortly.".to_owned()
            }
            (_, StatusCode::BAD_GATEWAY) => "The payment provider refused the request.".to_owned(),
            (Self::Provider(ProviderError::Rejected { message, .. }), _) => message.clone(),
            _ => self.to_string(),
        };
        let body = ApiError {
            code: code.to_owned(),
            message: bounded(&message, MESSAGE_MAX_CHARS),
            field: field.map(|f| bounded(&f, FIELD_MAX_CHARS)),
        };
        (status, body)
    }
}

/// The longest message and field name an error answer carries. Messages that quote input cut
/// it at the source ([`kassa_model::quoted`]); these bounds catch what comes from elsewhere
/// (serde's texts, the provider's `detail`), so no answer repeats long input back.
const MESSAGE_MAX_CHARS: usize = 300;
const FIELD_MAX_CHARS: usize = 100;

/// `text` with every `"…"` or `` `…` `` quotation cut to [`kassa_model::QUOTE_MAX_CHARS`]
/// characters (serde's messages quote the value they could not read that way), and the whole
/// cut to `max` characters.
fn bounded(text: &str, max: usize) -> String {
    let limit = kassa_model::QUOTE_MAX_CHARS;
    let mut out = String::with_capacity(text.len().min(max * 4));
    let mut open: Option<char> = None;
    let mut quoted = 0;
    for c in text.chars() {
        match open {
            Some(q) if c == q => {
                open = None;
                out.push(c);
            }
            Some(_) => {
                quoted += 1;
                if quoted <= limit {
                    out.push(c);
                } else if quoted == limit + 1 {
                    out.push('…');
                }
            }
            None => {
                if c == '"' || c == '`' {
                    open = Some(c);
                    quoted = 0;
                }
                out.push(c);
            }
        }
    }
    if out.chars().count() > max {
        out = out.chars().take(max - 1).collect();
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_never_repeat_long_input() {
        let long = "x".repeat(10_000);
        let serde_style = format!("invalid type: string \"{long}\", expected u32 at line 1");
        let e = AppError::BadBody {
            message: serde_style,
            field: Some(long.clone()),
        };
        let (_, body) = e.status_and_body();
        assert!(
            body.message.starts_with("invalid type: string \"xxx"),
            "{}",
            body.message
        );
        assert!(
            body.message.ends_with("…\", expected u32 at line 1"),
            "{}",
            body.message
        );
        assert!(body.field.unwrap().chars().count() <= FIELD_MAX_CHARS);
        let (_, body) = AppError::BadRequest(long).status_and_body();
        assert_eq!(body.message.chars().count(), MESSAGE_MAX_CHARS);
        // Short quotes and ordinary text are left alone.
        assert_eq!(
            bounded("missing field `locale` at line 1", 300),
            "missing field `locale` at line 1"
        );
    }

    #[test]
    fn limits_say_which_limit_and_when_to_come_back() {
        let e = AppError::RateLimited {
            limit: Limited::Checkout,
            retry_after: std::time::Duration::from_millis(90_500),
        };
        assert!(e.to_string().contains("Too many orders"), "{e}");
        let response = e.into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "91");
    }
}
