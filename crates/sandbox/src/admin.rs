//! Tester-facing endpoints under `/_sandbox`: the webhook delivery log, the clock, fault rules
//! and the request log. They need no credentials (a tester's tool), so they are only mounted
//! when [`crate::SandboxConfig::test_controls`] is on: always for the standalone sandbox, and
//! for the proxy's embedded one only when its operator asks.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use time::Duration;

use crate::clock::format_datetime;
use crate::mollie::routes::orders::parse_json;
use crate::{Delivery, FaultRule, FaultSpec, LoggedRequest, MollieError, Sandbox};

/// The admin routes; mounted next to the API, without API-key checks.
pub fn router() -> Router<Sandbox> {
    Router::new()
        .route("/_sandbox/deliveries", get(deliveries))
        .route("/_sandbox/clock", post(advance_clock))
        .route(
            "/_sandbox/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/_sandbox/faults/{id}", delete(remove_fault))
        .route(
            "/_sandbox/requests",
            get(list_requests).delete(clear_requests),
        )
}

/// `GET /_sandbox/deliveries`: every webhook attempt, oldest first.
pub async fn deliveries(State(sandbox): State<Sandbox>) -> Json<Vec<Delivery>> {
    Json(sandbox.deliveries())
}

#[derive(Deserialize)]
pub struct Advance {
    seconds: Option<i64>,
}

#[derive(Serialize)]
pub struct Now {
    now: String,
}

/// `POST /_sandbox/clock` with `{"seconds": 86400}`: moves the sandbox's time forward; webhook
/// retries that became due go out right away. Backwards or past the bound: 422 on `seconds`,
/// and the clock stays where it was.
pub async fn advance_clock(
    State(sandbox): State<Sandbox>,
    body: axum::body::Bytes,
) -> Result<Json<Now>, MollieError> {
    let a: Advance = parse_json(&body)?;
    let seconds = a
        .seconds
        .ok_or_else(|| MollieError::unprocessable("seconds", "The 'seconds' field is missing."))?;
    sandbox
        .advance_clock(Duration::seconds(seconds))
        .map_err(|e| MollieError::unprocessable("seconds", e.to_string()))?;
    Ok(Json(Now {
        now: format_datetime(sandbox.clock().now()),
    }))
}

/// `POST /_sandbox/faults` with a rule (see `infra::faults`): 201 with the rule and its id.
pub async fn add_fault(
    State(sandbox): State<Sandbox>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<FaultRule>), MollieError> {
    let spec: FaultSpec = serde_json::from_slice(&body).map_err(|e| {
        MollieError::bad_request(format!(
            "The fault rule is invalid: {}",
            crate::echo::clip_message(&e.to_string())
        ))
    })?;
    Ok((StatusCode::CREATED, Json(sandbox.add_fault(spec)?)))
}

/// `GET /_sandbox/faults`: the rules in the order they are tried, with how often each fired.
pub async fn list_faults(State(sandbox): State<Sandbox>) -> Json<Vec<FaultRule>> {
    Json(sandbox.faults())
}

/// `DELETE /_sandbox/faults`: removes every rule.
pub async fn clear_faults(State(sandbox): State<Sandbox>) -> StatusCode {
    sandbox.inner.faults.clear();
    StatusCode::NO_CONTENT
}

/// `DELETE /_sandbox/faults/{id}`
pub async fn remove_fault(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
) -> Result<StatusCode, MollieError> {
    if sandbox.inner.faults.remove(&id) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(MollieError::not_found(format!(
            "No fault rule {}.",
            crate::echo::clip(&id)
        )))
    }
}

/// `GET /_sandbox/requests`: the last API requests, oldest first.
pub async fn list_requests(State(sandbox): State<Sandbox>) -> Json<Vec<LoggedRequest>> {
    Json(sandbox.requests())
}

/// `DELETE /_sandbox/requests`: forgets them.
pub async fn clear_requests(State(sandbox): State<Sandbox>) -> StatusCode {
    sandbox.inner.requests.clear();
    StatusCode::NO_CONTENT
}
