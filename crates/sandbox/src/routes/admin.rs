//! Tester-facing endpoints under `/_sandbox`: the webhook delivery log and the clock.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use time::Duration;

use crate::clock::format_datetime;
use crate::{Delivery, Sandbox};

/// The admin routes; mounted next to the API, without API-key checks.
pub fn router() -> Router<Sandbox> {
    Router::new()
        .route("/_sandbox/deliveries", get(deliveries))
        .route("/_sandbox/clock", post(advance_clock))
}

/// `GET /_sandbox/deliveries`: every webhook attempt, oldest first.
pub async fn deliveries(State(sandbox): State<Sandbox>) -> Json<Vec<Delivery>> {
    Json(sandbox.deliveries())
}

#[derive(Deserialize)]
pub struct Advance {
    seconds: i64,
}

#[derive(Serialize)]
pub struct Now {
    now: String,
}

/// `POST /_sandbox/clock` with `{"seconds": 86400}`: moves the sandbox's time forward.
pub async fn advance_clock(State(sandbox): State<Sandbox>, Json(a): Json<Advance>) -> Json<Now> {
    sandbox.clock().advance(Duration::seconds(a.seconds.max(0)));
    Json(Now {
        now: format_datetime(sandbox.clock().now()),
    })
}
