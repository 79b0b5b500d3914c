use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kassa_model::api::ApiError;
use kassa_model::FieldError;

use crate::mollie::ProviderError;

/// Every way a proxy request can fail, mapped once to a status and Kassa's JSON error shape
/// (`{"code","message","field"}`).
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 422: the input breaks a rule; `field` names it (so the message does not repeat it).
    #[error("{}", .0.message)]
    Validation(#[from] FieldError),
    /// 400: the body is not the JSON this endpoint takes.
    #[error("{0}")]
    BadRequest(String),
    /// 404
    #[error("{0}")]
    NotFound(String),
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
    /// 409: an intent id came back with a different request.
    #[error("{0}")]
    Conflict(String),
    /// 429: too many failed logins.
    #[error("Too many failed attempts; wait a few minutes and try again.")]
    RateLimited,
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

impl From<JsonRejection> for AppError {
    fn from(e: JsonRejection) -> Self {
        Self::BadRequest(e.body_text())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, body) = self.status_and_body();
        (status, Json(body)).into_response()
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
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", None),
            Self::Unauthorized | Self::BadCredentials => {
                (StatusCode::UNAUTHORIZED, "unauthorized", None)
            }
            Self::Csrf => (StatusCode::FORBIDDEN, "csrf", None),
            Self::Forbidden => (StatusCode::FORBIDDEN, "forbidden", None),
            Self::RateLimited => (StatusCode::TOO_MANY_REQUESTS, "rate_limited", None),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict", None),
            Self::Provider(ProviderError::Rejected { status: 404, .. }) => {
                (StatusCode::NOT_FOUND, "not_found", None)
            }
            Self::Provider(ProviderError::Rejected {
                status: 400 | 422,
                body,
            }) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "provider",
                body.field.clone(),
            ),
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
            (Self::Provider(ProviderError::Rejected { body, .. }), _) => body.detail.clone(),
            _ => self.to_string(),
        };
        let body = ApiError {
            code: code.to_owned(),
            message,
            field,
        };
        (status, body)
    }
}
