//! The HTTP side of Klarna's APIs: each handler parses, calls an operation in [`super::ops`]
//! on a copy of the record, stores it on success, and answers in Klarna's shapes (200 JSON,
//! 201 with `Capture-Id`/`Refund-Id` and an absolute `Location`, 204 with an empty body).

pub mod captures;
pub mod orders;
pub mod payments;
pub mod refunds;

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use time::OffsetDateTime;

use super::error::{correlation_id, CORRELATION_ID};
use super::ops::no_such_order;
use super::order::Order;
use super::KlarnaError;
use crate::Sandbox;

/// Parses a request body. An empty body is `{}`, so a missing required field gets Klarna's
/// "Bad value: <field>"; a value of the wrong type too, with Klarna's path
/// (`order_lines[0].quantity`).
pub fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, KlarnaError> {
    crate::body::parse(body).map_err(|e| match e {
        crate::body::BodyError::Syntax(_) => KlarnaError::for_status(
            StatusCode::BAD_REQUEST,
            "The request body is not a JSON object.",
        ),
        crate::body::BodyError::Value { path, .. } => KlarnaError::bad_value(path),
    })
}

/// Every Klarna answer carries a correlation id.
fn with_correlation(mut resp: Response) -> Response {
    if let Ok(v) = HeaderValue::from_str(&correlation_id()) {
        resp.headers_mut().insert(CORRELATION_ID, v);
    }
    resp
}

/// 200 (or `status`) with a JSON body.
pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => with_correlation(
            (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        ),
        Err(e) => KlarnaError::for_status(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
            .into_response(),
    }
}

/// 204 with no body: what every Order Management change but captures and refunds answers.
pub fn no_content() -> Response {
    with_correlation(StatusCode::NO_CONTENT.into_response())
}

/// 201 with no body, the new resource's id in `id_header` and its absolute URL in `Location`.
pub fn created(id_header: HeaderName, id: &str, location: &str) -> Response {
    let mut resp = with_correlation(StatusCode::CREATED.into_response());
    for (name, value) in [(id_header, id), (header::LOCATION, location)] {
        if let Ok(v) = HeaderValue::from_str(value) {
            resp.headers_mut().insert(name, v);
        }
    }
    resp
}

/// A copy of the caller's order.
pub fn read(sandbox: &Sandbox, merchant: &str, id: &str) -> Result<Order, KlarnaError> {
    sandbox
        .state()
        .klarna
        .order(id, merchant)
        .cloned()
        .ok_or_else(|| no_such_order(id, None))
}

/// Applies `change` to a copy of the caller's order and stores the copy only if it succeeded:
/// a refused request (or a panic halfway) leaves the order as it was. `consequence` finishes
/// Klarna's 404 message ("Order … cannot be found. Capture not possible."). Klarna answers
/// changes without the order, so none is copied back out.
pub fn change<T>(
    sandbox: &Sandbox,
    merchant: &str,
    id: &str,
    consequence: &str,
    change: impl FnOnce(&mut Order, OffsetDateTime) -> Result<T, KlarnaError>,
) -> Result<T, KlarnaError> {
    let now = sandbox.clock().now();
    let mut state = sandbox.state();
    let stored = state
        .klarna
        .order_mut(id, merchant)
        .ok_or_else(|| no_such_order(id, Some(consequence)))?;
    let mut order = stored.clone();
    let result = change(&mut order, now)?;
    let expires_at = order.expires_at;
    *stored = order;
    state.klarna.note_expiry(expires_at);
    sandbox.persist(&state);
    Ok(result)
}
