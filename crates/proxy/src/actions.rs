//! Staff actions on an order (ship, refund, cancel lines, cancel the order): translated to
//! the provider's calls and carried out exactly once through the [`crate::ledger`], with
//! transient provider failures retried under the same idempotency key.

use std::time::Duration;

use kassa_model::api::{ActionOutcome, LineQuantity, OrderAction};
use kassa_model::mollie::MollieAmount;
use kassa_model::FieldError;
use reqwest::Method;
use serde_json::{json, Value};

use crate::error::AppError;
use crate::ledger::{self, Begin};
use crate::mollie::ProviderError;
use crate::orders::{self, RefreshCause};
use crate::staff::Session;
use crate::AppState;

/// How often a transient failure (timeout, 5xx, 429) is tried again, and the first wait.
const RETRIES: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(200);

/// The answer to an action: a status and a JSON body, recorded for replays.
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

pub async fn perform(
    state: &AppState,
    session: &Session,
    order_id: &str,
    action: OrderAction,
) -> Result<Answer, AppError> {
    let intent = action.intent_id().to_owned();
    if !ledger::valid_intent_id(&intent) {
        return Err(FieldError::new(
            "intent_id",
            "The action id should be 8–64 letters, digits, - or _.",
        )
        .into());
    }
    if let OrderAction::UpdateTracking { shipment_id, .. } = &action {
        let ok = shipment_id.strip_prefix("shp_").is_some_and(|r| {
            !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        });
        if !ok {
            return Err(
                FieldError::new("shipment_id", "This is not a shipment of this order.").into(),
            );
        }
    }
    let (method, sub_path, body) = provider_call(&action);
    let request = serde_json::to_string(&action).map_err(|e| AppError::Internal(e.to_string()))?;
    // A double click arrives while the first request is still talking to the provider: it
    // waits for it here and then gets the recorded answer.
    let _in_flight = state.intents.lock(&intent).await;
    let db = state.db();
    match ledger::begin(
        db,
        &intent,
        order_id,
        action.kind(),
        &session.staff.email,
        &request,
    )
    .await?
    {
        Begin::Replay { status, mut body } => {
            if body.get("intent_id").is_some() {
                body["replayed"] = Value::Bool(true);
            }
            return Ok(Answer { status, body });
        }
        Begin::Fresh | Begin::Resume => {}
    }
    match call_with_retries(state, method, order_id, &sub_path, &body, &intent).await {
        Ok(()) => {
            let order = orders::refresh(state, order_id, RefreshCause::Action).await?;
            let detail = format!(
                "{} by {} (action {intent})",
                describe(&action),
                session.staff.email
            );
            state
                .mirror
                .record_event(order_id, &crate::now_rfc3339(), "action", &detail)
                .await?;
            let order = orders::get(state, order_id).await.unwrap_or(order);
            let outcome = ActionOutcome {
                intent_id: intent.clone(),
                replayed: false,
                order,
            };
            let body =
                serde_json::to_value(&outcome).map_err(|e| AppError::Internal(e.to_string()))?;
            ledger::finish(db, &intent, true, 200, &body).await?;
            Ok(Answer { status: 200, body })
        }
        Err(e @ ProviderError::Unavailable(_)) => {
            // Left pending: the same intent later is sent again with the same key.
            Err(e.into())
        }
        Err(e) => {
            let (status, error) = AppError::Provider(e).status_and_body();
            let body =
                serde_json::to_value(&error).map_err(|e| AppError::Internal(e.to_string()))?;
            ledger::finish(db, &intent, false, status.as_u16(), &body).await?;
            Ok(Answer {
                status: status.as_u16(),
                body,
            })
        }
    }
}

async fn call_with_retries(
    state: &AppState,
    method: Method,
    order_id: &str,
    sub_path: &str,
    body: &Value,
    key: &str,
) -> Result<(), ProviderError> {
    let mut wait = FIRST_BACKOFF;
    let mut attempt = 0;
    loop {
        match state
            .mollie
            .order_change(method.clone(), order_id, sub_path, body, key)
            .await
        {
            Ok(_) => return Ok(()),
            Err(ProviderError::Unavailable(why)) if attempt < RETRIES => {
                tracing::warn!(order_id, key, attempt, %why, "provider unavailable; retrying with the same key");
                tokio::time::sleep(wait).await;
                wait *= 2;
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// The Mollie call for an action: method, path under `orders/{id}`, body.
fn provider_call(action: &OrderAction) -> (Method, String, Value) {
    let lines = |lines: &[LineQuantity]| -> Vec<Value> {
        lines
            .iter()
            .map(|l| {
                let mut v = json!({"id": l.line_id, "quantity": l.quantity});
                if let Some(amount) = l.amount {
                    v["amount"] = json!(MollieAmount::from(amount));
                }
                v
            })
            .collect()
    };
    match action {
        OrderAction::Ship {
            lines: l, tracking, ..
        } => {
            let mut body = json!({"lines": lines(l)});
            if let Some(t) = tracking {
                body["tracking"] = json!({"carrier": t.carrier, "code": t.code});
                if let Some(url) = &t.url {
                    body["tracking"]["url"] = json!(url);
                }
            }
            (Method::POST, "/shipments".into(), body)
        }
        OrderAction::Refund {
            lines: l,
            description,
            ..
        } => {
            let mut body = json!({"lines": lines(l)});
            if let Some(d) = description.as_deref().filter(|d| !d.trim().is_empty()) {
                body["description"] = json!(d);
            }
            (Method::POST, "/refunds".into(), body)
        }
        OrderAction::CancelLines { lines: l, .. } => {
            (Method::DELETE, "/lines".into(), json!({"lines": lines(l)}))
        }
        OrderAction::CancelOrder { .. } => (Method::DELETE, String::new(), json!({})),
        OrderAction::UpdateTracking {
            shipment_id,
            tracking,
            ..
        } => (
            Method::PATCH,
            format!("/shipments/{shipment_id}"),
            json!({"tracking": tracking}),
        ),
        OrderAction::UpdateOrder {
            billing_address,
            shipping_address,
            order_number,
            ..
        } => {
            let mut body = json!({});
            if let Some(a) = billing_address {
                body["billingAddress"] = json!(a);
            }
            if let Some(a) = shipping_address {
                body["shippingAddress"] = json!(a);
            }
            if let Some(n) = order_number {
                body["orderNumber"] = json!(n);
            }
            (Method::PATCH, String::new(), body)
        }
        OrderAction::CreatePayment { method, .. } => {
            let mut body = json!({});
            if let Some(m) = method.as_deref().filter(|m| !m.is_empty()) {
                body["method"] = json!(m);
            }
            (Method::POST, "/payments".into(), body)
        }
    }
}

fn describe(action: &OrderAction) -> String {
    let units = |lines: &[LineQuantity]| -> String {
        if lines.is_empty() {
            "everything remaining".into()
        } else {
            let n: u32 = lines.iter().map(|l| l.quantity).sum();
            format!("{n} unit{}", if n == 1 { "" } else { "s" })
        }
    };
    match action {
        OrderAction::Ship {
            lines, tracking, ..
        } => format!(
            "Shipped {}{}",
            units(lines),
            tracking
                .as_ref()
                .map(|t| format!(" ({} {})", t.carrier, t.code))
                .unwrap_or_default()
        ),
        OrderAction::Refund { lines, .. } => format!("Refunded {}", units(lines)),
        OrderAction::CancelLines { lines, .. } => format!("Canceled {}", units(lines)),
        OrderAction::CancelOrder { .. } => "Canceled the order".into(),
        OrderAction::UpdateTracking { tracking, .. } => {
            format!("Changed tracking to {} {}", tracking.carrier, tracking.code)
        }
        OrderAction::UpdateOrder { .. } => "Updated the order's details".into(),
        OrderAction::CreatePayment { .. } => "Created a new payment link".into(),
    }
}
