//! The tester's Klarna controls under `/_sandbox/klarna/…` (mounted only when the sandbox's
//! test controls are on; no credentials, like the other controls):
//!
//! - `POST /_sandbox/klarna/sessions` with a Klarna Payments session body: creates the session
//!   as `POST /payments/v1/sessions` does, without credentials (for the tester's merchant, see
//!   [`TESTER`]) and open to any origin, so a browser test can open one and hand its client
//!   token to the library. 200 `{session_id, client_token, payment_method_categories}`.
//! - `POST /_sandbox/klarna/sessions/{session_id}/authorize` with `{"outcome": "approved" |
//!   "rejected" | "pending", "payment_method_category"?, "billing_address"?,
//!   "shipping_address"?}`: what the shopper does in Klarna's widget, without a browser.
//!   200 with the object `Klarna.Payments.authorize` calls back with.
//! - `POST /_sandbox/klarna/orders/{order_id}/fraud` with `{"status": "ACCEPTED" | "REJECTED" |
//!   "STOPPED"}`: ends a fraud review and POSTs Klarna's notification to the order's
//!   `merchant_urls.notification`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use kassa_model::klarna::om::FraudNotification;
use serde::Deserialize;

use super::library::{open_to_all, preflight};
use super::ops::{fraud, session};
use super::payments::Outcome;
use super::routes::{json, parse};
use super::KlarnaError;
use crate::clock::klarna_datetime;
use crate::notify::Payload;
use crate::routes::BaseUrl;
use crate::Sandbox;

/// Whose sessions the control opens when the sandbox takes any credential: a Basic
/// `sandbox-tester:…` caller sees them. With `--klarna-credentials` they are that username's.
pub const TESTER: &str = "sandbox-tester";

pub fn router() -> Router<Sandbox> {
    Router::new()
        .route(
            "/_sandbox/klarna/sessions",
            post(open_session).options(preflight),
        )
        .route(
            "/_sandbox/klarna/sessions/{session_id}/authorize",
            post(authorize),
        )
        .route(
            "/_sandbox/klarna/orders/{order_id}/fraud",
            post(decide_fraud),
        )
}

#[derive(Deserialize)]
struct AuthorizeBody {
    outcome: Option<String>,
    #[serde(flatten)]
    data: session::AuthorizeData,
}

/// `POST /_sandbox/klarna/sessions`. The app's browser tests (tests/web/klarna_step.rs) run on
/// another origin than the sandbox and cannot send Basic credentials across it, as no
/// merchant's page can to Klarna: this is the test's stand-in for the merchant's server.
async fn open_session(
    State(sandbox): State<Sandbox>,
    BaseUrl(base): BaseUrl,
    body: Bytes,
) -> Response {
    let answer = (|| {
        let cart = parse(&body)?;
        let merchant = match &sandbox.inner.config.klarna_credentials {
            Some(only) => only.username.clone(),
            None => TESTER.to_owned(),
        };
        let now = sandbox.clock().now();
        let mut state = sandbox.state();
        let created = session::create_session(&mut state.klarna, &merchant, cart, &base, now)?;
        sandbox.persist(&state);
        Ok::<_, KlarnaError>(created)
    })();
    open_to_all(match answer {
        Ok(created) => json(StatusCode::OK, &created),
        Err(e) => e.into_response(),
    })
}

/// Reads `outcome`, Klarna-style: "Bad value: outcome" when missing or unknown.
pub fn outcome(value: Option<&str>) -> Result<Outcome, KlarnaError> {
    value
        .and_then(|o| o.parse().ok())
        .ok_or_else(|| KlarnaError::bad_value("outcome"))
}

async fn authorize(
    State(sandbox): State<Sandbox>,
    Path(session_id): Path<String>,
    body: Bytes,
) -> Result<Response, KlarnaError> {
    let body: AuthorizeBody = parse(&body)?;
    let outcome = outcome(body.outcome.as_deref())?;
    let now = sandbox.clock().now();
    let mut state = sandbox.state();
    let callback = session::authorize(&mut state.klarna, &session_id, outcome, body.data, now)?;
    sandbox.persist(&state);
    Ok(json(StatusCode::OK, &callback))
}

#[derive(Deserialize)]
struct FraudBody {
    status: Option<String>,
}

async fn decide_fraud(
    State(sandbox): State<Sandbox>,
    Path(order_id): Path<String>,
    body: Bytes,
) -> Result<Response, KlarnaError> {
    let body: FraudBody = parse(&body)?;
    let decision: fraud::Decision = body
        .status
        .as_deref()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| KlarnaError::bad_value("status"))?;
    let now = sandbox.clock().now();
    let (event, order) = {
        let mut state = sandbox.state();
        let stored = state
            .klarna
            .order_any_mut(&order_id)
            .ok_or_else(|| super::ops::no_such_order(&order_id, None))?;
        let mut order = stored.clone();
        let event = fraud::decide(&mut order, decision)?;
        *stored = order.clone();
        sandbox.persist(&state);
        (event, order)
    };
    let mut notification = FraudNotification::new(order.id.clone(), event);
    notification.event_id = Some(crate::ids::new_uuid());
    notification.occurred_at = Some(klarna_datetime(now));
    if let Some(url) = &order.notification_url {
        let json_body = serde_json::to_string(&notification).unwrap_or_default();
        sandbox
            .notify(
                url,
                Payload::Klarna {
                    order_id: order.id.clone(),
                    event: event.as_str().to_owned(),
                    json: json_body,
                },
            )
            .await;
    }
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({
            "order_id": order.id,
            "event_type": event.as_str(),
            "fraud_status": order.fraud_status.as_str(),
            "status": order.status.as_str(),
        }),
    ))
}
