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
        let (status, code, field) = match &self {
            Self::Validation(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                Some(e.field.clone()),
            ),
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request", None),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", None),
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
        let message = match (&self, status) {
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
        (status, Json(body)).into_response()
    }
}
