//! Staff actions on an order (ship, refund, cancel, and each provider's own): checked against
//! the provider's rules ([`kassa_model::rules`]), planned into the provider's calls
//! ([`crate::provider::plan`]) and carried out exactly once through the [`crate::ledger`],
//! with transient provider failures retried under the same idempotency key.

use std::time::Duration;

use kassa_model::api::{ActionOutcome, LineQuantity, OrderAction};
use kassa_model::{FieldError, Provider};
use serde_json::Value;

use crate::error::AppError;
use crate::ledger::{self, Begin};
use crate::orders::{self, RefreshCause};
use crate::provider::{self, ProviderCall, ProviderError};
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
    if Provider::owning(order_id).is_none() {
        // Not repeated back: it is whatever was in the URL.
        return Err(AppError::NotFound("No such order.".into()));
    }
    let request = serde_json::to_string(&action).map_err(|e| AppError::Internal(e.to_string()))?;
    let kind = action.kind().as_str();
    // A double click arrives while the first request is still talking to the provider: it
    // waits for it here and then gets the recorded answer.
    let _in_flight = state.intents.lock(&intent).await;
    let db = state.db();
    let owner = state.intents.owner();
    // The ledger first: a finished intent is answered as it was, and a pending one resends
    // what it sent, whatever the mirror says now.
    let calls = match ledger::existing(db, owner, &intent, order_id, kind, &request).await? {
        Some(known) => match resumed(state, order_id, &action, known).await? {
            Ok(calls) => calls,
            Err(answer) => return Ok(answer),
        },
        None => {
            let actor = &session.staff.email;
            // A fresh intent: the provider's rules first, so a refusal costs no change at
            // the provider and says why in the words the app shows. It is recorded like the
            // provider's own refusals: the intent is spent, a retry answers the same.
            if let Err(refused @ AppError::NotAllowed(_)) = allowed(state, order_id, &action).await
            {
                let (status, error) = refused.status_and_body();
                let body =
                    serde_json::to_value(&error).map_err(|e| AppError::Internal(e.to_string()))?;
                if let Begin::Fresh =
                    ledger::begin(db, owner, &intent, order_id, kind, actor, &request, "[]").await?
                {
                    ledger::finish(db, &intent, false, status.as_u16(), &body).await?;
                    return Ok(Answer {
                        status: status.as_u16(),
                        body,
                    });
                }
                // Recorded meanwhile by another request: what it recorded counts.
                return match ledger::existing(db, owner, &intent, order_id, kind, &request).await? {
                    Some(known) => match resumed(state, order_id, &action, known).await? {
                        Err(answer) => Ok(answer),
                        Ok(_) => Err(AppError::Conflict(
                            "This action is already being carried out.".into(),
                        )),
                    },
                    None => Err(AppError::Internal(format!(
                        "ledger: intent {intent} vanished"
                    ))),
                };
            }
            let calls = provider::plan(state, order_id, &action).await?;
            let recorded = ProviderCall::record(&calls)?;
            match ledger::begin(
                db, owner, &intent, order_id, kind, actor, &request, &recorded,
            )
            .await?
            {
                Begin::Fresh => calls,
                // Recorded meanwhile by another request: what it recorded counts.
                known => match resumed(state, order_id, &action, known).await? {
                    Ok(calls) => calls,
                    Err(answer) => return Ok(answer),
                },
            }
        }
    };
    match send_all(state, &calls, &intent).await {
        Ok(()) => {
            let order = orders::refresh(state, order_id, RefreshCause::Action).await?;
            let detail = kassa_model::api::OrderEvent::action_detail(
                &describe(&action),
                &session.staff.email,
                &intent,
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
            // Left pending: the same intent later is sent again with the same key, through
            // whichever proxy gets it.
            ledger::release(db, owner, &intent).await?;
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

/// Refuses (422 `not_allowed`, with the provider's reason) an action the order's provider
/// does not allow in the order's state. The mirror is asked first; only when it says no is
/// the provider asked for the order, since a webhook may not have told the mirror yet what
/// made the action possible (the customer just paid).
async fn allowed(state: &AppState, order_id: &str, action: &OrderAction) -> Result<(), AppError> {
    let check = |order: &kassa_model::api::OrderView| -> Result<(), AppError> {
        let shipment = action.shipment_id();
        if let Some(id) = shipment {
            if !order.shipments.iter().any(|s| s.id == id) {
                return Err(FieldError::new(
                    "shipment_id",
                    "This is not a shipment of this order.",
                )
                .into());
            }
        }
        if let Some(why) = kassa_model::rules::refusal(order, action.kind(), shipment) {
            return Err(AppError::NotAllowed(why));
        }
        match action {
            OrderAction::Ship { lines, .. } if order.provider == Provider::Mollie => {
                ship_within_what_is_left(order, lines)
            }
            _ => Ok(()),
        }
    };
    if check(&orders::get(state, order_id).await?).is_ok() {
        return Ok(());
    }
    check(&orders::refresh(state, order_id, RefreshCause::Action).await?)
}

/// A Mollie shipment takes no more of a line than the order offers. Mollie itself would ship
/// a unit that was refunded before it shipped (its `shippableQuantity` ignores refunds); Kassa
/// offers fewer ([`kassa_model::rules::annotate`]) and holds to it here. A line the order does
/// not have is left to Mollie, which names it.
fn ship_within_what_is_left(
    order: &kassa_model::api::OrderView,
    parts: &[LineQuantity],
) -> Result<(), AppError> {
    for part in parts {
        let Some(line) = order.lines.iter().find(|l| l.id == part.line_id) else {
            continue;
        };
        if part.quantity > line.shippable_quantity {
            let left = match line.shippable_quantity {
                0 => "None".to_owned(),
                1 => "Only 1".to_owned(),
                n => format!("Only {n}"),
            };
            return Err(AppError::NotAllowed(format!(
                "{left} of {} can be shipped: the rest was shipped, canceled or refunded.",
                line.name
            )));
        }
    }
    Ok(())
}

/// What to do with an intent the ledger knew: the calls to send (`Ok`), or the recorded
/// answer (`Err`).
async fn resumed(
    state: &AppState,
    order_id: &str,
    action: &OrderAction,
    known: Begin,
) -> Result<Result<Vec<ProviderCall>, Answer>, AppError> {
    match known {
        Begin::Replay { status, mut body } => {
            if body.get("intent_id").is_some() {
                body["replayed"] = Value::Bool(true);
            }
            Ok(Err(Answer { status, body }))
        }
        // Exactly what was sent the first time: the mirror may have moved on since.
        Begin::Resume { call: Some(call) } => ProviderCall::recorded(&call).map(Ok),
        // Recorded before the ledger kept calls: computed again.
        Begin::Fresh | Begin::Resume { call: None } => {
            provider::plan(state, order_id, action).await.map(Ok)
        }
    }
}

/// Every call of an intent in order, each under its own key ([`ProviderCall::key`]); a call
/// that already went through is answered from the provider's idempotency store when resent.
async fn send_all(
    state: &AppState,
    calls: &[ProviderCall],
    intent: &str,
) -> Result<(), ProviderError> {
    for (n, call) in calls.iter().enumerate() {
        call_with_retries(state, call, &ProviderCall::key(intent, n)).await?;
    }
    Ok(())
}

async fn call_with_retries(
    state: &AppState,
    call: &ProviderCall,
    key: &str,
) -> Result<(), ProviderError> {
    let mut wait = FIRST_BACKOFF;
    let mut attempt = 0;
    loop {
        match state.providers.send(call, key).await {
            Ok(()) => return Ok(()),
            Err(ProviderError::Unavailable(why)) if attempt < RETRIES => {
                let path = &call.path;
                tracing::warn!(path, key, attempt, %why, "provider unavailable; retrying with the same key");
                tokio::time::sleep(wait).await;
                wait *= 2;
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

fn describe(action: &OrderAction) -> String {
    // "items", as the app's dialogs and confirmations say.
    let units = |lines: &[LineQuantity]| -> String {
        if lines.is_empty() {
            "everything remaining".into()
        } else {
            // u64: quantities come from the request, and u32::MAX twice must not overflow.
            let n: u64 = lines.iter().map(|l| u64::from(l.quantity)).sum();
            format!("{n} item{}", if n == 1 { "" } else { "s" })
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
        OrderAction::RefundAmount { amount, .. } => format!("Refunded {amount}"),
        OrderAction::UpdateLine { line, .. } => {
            format!("Changed a line to {} × {}", line.quantity, line.name.trim())
        }
        OrderAction::CreatePayment { .. } => "Created a new payment link".into(),
        OrderAction::Acknowledge { .. } => "Acknowledged the order".into(),
        OrderAction::ReleaseAuthorization { .. } => "Released the remaining authorization".into(),
        OrderAction::ExtendAuthorization { .. } => "Extended the authorization".into(),
        OrderAction::TriggerSendOut { .. } => "Sent the invoice again".into(),
        OrderAction::ExtendDueDate { days, .. } => format!("Extended the due date by {days} days"),
    }
}
