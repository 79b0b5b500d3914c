use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use kassa_model::mollie::ErrorBody;
use kassa_model::FieldError;
use serde_json::{json, Value};

/// The sandbox's one error type, answered in Mollie's error shape (`status`, `title`, `detail`,
/// `field`, `extra`, `_links.documentation`) with `application/hal+json`.
#[derive(Debug, Clone, PartialEq)]
pub struct MollieError {
    pub status: StatusCode,
    pub detail: String,
    pub field: Option<String>,
    pub extra: Option<Value>,
}

impl MollieError {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            status,
            detail: detail.into(),
            field: None,
            extra: None,
        }
    }

    /// 422 for a field that breaks a rule.
    pub fn unprocessable(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            field: Some(field.into()),
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, detail)
        }
    }

    /// 422 for a request that is well-formed but not allowed in the order's state.
    pub fn not_allowed(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, detail)
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "Missing authentication, or failed to authenticate",
        )
    }

    pub fn body(&self) -> ErrorBody {
        let doc = if self.status == StatusCode::UNAUTHORIZED {
            "https://docs.mollie.com/overview/authentication"
        } else {
            "https://docs.mollie.com/overview/handling-errors"
        };
        let title = match self.status {
            StatusCode::UNAUTHORIZED => "Unauthorized Request",
            s => s.canonical_reason().unwrap_or("Error"),
        };
        ErrorBody {
            status: self.status.as_u16(),
            title: title.to_owned(),
            detail: self.detail.clone(),
            field: self.field.clone(),
            extra: self.extra.clone(),
            links: Some(json!({"documentation": {"href": doc, "type": "text/html"}})),
        }
    }
}

impl From<FieldError> for MollieError {
    fn from(e: FieldError) -> Self {
        Self::unprocessable(e.field, e.message)
    }
}

impl IntoResponse for MollieError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.body()).unwrap_or_default();
        (
            self.status,
            [(header::CONTENT_TYPE, "application/hal+json")],
            body,
        )
            .into_response()
    }
}
