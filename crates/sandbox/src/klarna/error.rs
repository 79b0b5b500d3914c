//! Klarna's one error shape (`ErrorV2` in Klarna Payments, the `*_error_message` schemas in
//! Order Management, all alike): `{"error_code", "error_messages", "correlation_id"}`, with the
//! correlation id also in `Klarna-Correlation-Id`, as Klarna's transcripts show.

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kassa_model::klarna::validate::{BadValue, OmInvalid};
use kassa_model::klarna::ErrorBody;

pub const CORRELATION_ID: HeaderName = HeaderName::from_static("klarna-correlation-id");

/// The Klarna side's one error type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KlarnaError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl KlarnaError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// An error whose code follows from its status (faults, fallbacks, shared layers).
    pub fn for_status(status: StatusCode, message: impl Into<String>) -> Self {
        let code = match status.as_u16() {
            400 => "BAD_REQUEST",
            401 => "UNAUTHORIZED",
            403 => "NOT_ALLOWED",
            404 => "NOT_FOUND",
            405 => "METHOD_NOT_ALLOWED",
            409 => "CONFLICT",
            413 => "REQUEST_TOO_LARGE",
            422 => "UNPROCESSABLE_ENTITY",
            429 => "TOO_MANY_REQUESTS",
            502..=504 => "TEMPORARILY_UNAVAILABLE",
            s if s >= 500 => "INTERNAL_SERVER_ERROR",
            _ => "BAD_REQUEST",
        };
        Self::new(status, code, message)
    }

    /// 400 `BAD_VALUE` "Bad value: <field>".
    pub fn bad_value(field: impl Into<String>) -> Self {
        Self::from(BadValue::new(field))
    }

    /// 403 with a state rule's code (`CAPTURE_NOT_ALLOWED`, `NOT_ALLOWED`, …).
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, message)
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "Missing or wrong credentials: Klarna's API takes HTTP Basic authentication.",
        )
    }

    pub fn body(&self, correlation_id: &str) -> ErrorBody {
        ErrorBody::new(
            self.code,
            vec![self.message.clone()],
            correlation_id.to_owned(),
        )
    }
}

impl From<BadValue> for KlarnaError {
    fn from(e: BadValue) -> Self {
        Self::new(StatusCode::BAD_REQUEST, BadValue::ERROR_CODE, e.to_string())
    }
}

impl From<OmInvalid> for KlarnaError {
    fn from(e: OmInvalid) -> Self {
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
        Self::new(status, e.error_code(), e.to_string())
    }
}

/// A fresh correlation id per answer, as Klarna gives one per request.
pub fn correlation_id() -> String {
    crate::ids::new_uuid()
}

impl IntoResponse for KlarnaError {
    fn into_response(self) -> Response {
        let id = correlation_id();
        let body = serde_json::to_vec(&self.body(&id)).unwrap_or_default();
        let mut resp = (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
        if let Ok(v) = HeaderValue::from_str(&id) {
            resp.headers_mut().insert(CORRELATION_ID, v);
        }
        resp
    }
}
