//! Staff actions on an order (ship, refund, cancel lines, cancel the order): translated to
//! the provider's calls and carried out exactly once through the [`crate::ledger`], with
//! transient provider failures retried under the same idempotency key.

use std::time::Duration;

use kassa_model::api::{ActionOutcome, LineQuantity, NewLine, OrderAction};
use kassa_model::line::share_of_rest;
use kassa_model::mollie::{MollieAmount, Order, OrderLine};
use kassa_model::{Currency, FieldError, Money};
use reqwest::Method;
use serde_json::{json, Value};

use crate::error::AppError;
use crate::ledger::{self, Begin};
use crate::mollie::{is_object_id, is_order_id, ProviderError};
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
        if !is_object_id(shipment_id, "shp_") {
            return Err(
                FieldError::new("shipment_id", "This is not a shipment of this order.").into(),
            );
        }
    }
    if !is_order_id(order_id) {
        // Not repeated back: it is whatever was in the URL.
        return Err(AppError::NotFound("No such order.".into()));
    }
    let request = serde_json::to_string(&action).map_err(|e| AppError::Internal(e.to_string()))?;
    // A double click arrives while the first request is still talking to the provider: it
    // waits for it here and then gets the recorded answer.
    let _in_flight = state.intents.lock(&intent).await;
    let db = state.db();
    // The ledger first: a finished intent is answered as it was, and a pending one resends
    // what it sent, whatever the mirror says now.
    let (method, path, body) =
        match ledger::existing(db, &intent, order_id, action.kind().as_str(), &request).await? {
            Some(known) => match resumed(state, order_id, &action, known).await? {
                Ok(call) => call,
                Err(answer) => return Ok(answer),
            },
            None => {
                let (method, path, body) = provider_call(state, order_id, &action).await?;
                let call =
                    json!({"method": method.as_str(), "path": path, "body": body}).to_string();
                let actor = &session.staff.email;
                match ledger::begin(
                    db,
                    &intent,
                    order_id,
                    action.kind().as_str(),
                    actor,
                    &request,
                    &call,
                )
                .await?
                {
                    Begin::Fresh => (method, path, body),
                    // Recorded meanwhile by another request: what it recorded counts.
                    known => match resumed(state, order_id, &action, known).await? {
                        Ok(call) => call,
                        Err(answer) => return Ok(answer),
                    },
                }
            }
        };
    match call_with_retries(state, method, &path, &body, &intent).await {
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

/// What to do with an intent the ledger knew: the call to send (`Ok`), or the recorded
/// answer (`Err`).
async fn resumed(
    state: &AppState,
    order_id: &str,
    action: &OrderAction,
    known: Begin,
) -> Result<Result<(Method, String, Value), Answer>, AppError> {
    match known {
        Begin::Replay { status, mut body } => {
            if body.get("intent_id").is_some() {
                body["replayed"] = Value::Bool(true);
            }
            Ok(Err(Answer { status, body }))
        }
        // Exactly what was sent the first time: the mirror may have moved on since.
        Begin::Resume { call: Some(call) } => recorded_call(&call).map(Ok),
        // Recorded before the ledger kept calls: computed again.
        Begin::Fresh | Begin::Resume { call: None } => {
            provider_call(state, order_id, action).await.map(Ok)
        }
    }
}

/// A provider call as [`perform`] records it in the ledger.
fn recorded_call(call: &str) -> Result<(Method, String, Value), AppError> {
    let broken = || AppError::Internal(format!("ledger: unreadable provider call {call}"));
    let call: Value = serde_json::from_str(call).map_err(|_| broken())?;
    let method = call["method"]
        .as_str()
        .and_then(|m| Method::from_bytes(m.as_bytes()).ok())
        .ok_or_else(broken)?;
    let path = call["path"].as_str().ok_or_else(broken)?.to_owned();
    Ok((method, path, call["body"].clone()))
}

async fn call_with_retries(
    state: &AppState,
    method: Method,
    path: &str,
    body: &Value,
    key: &str,
) -> Result<(), ProviderError> {
    let mut wait = FIRST_BACKOFF;
    let mut attempt = 0;
    loop {
        match state.mollie.change(method.clone(), path, body, key).await {
            Ok(_) => return Ok(()),
            Err(ProviderError::Unavailable(why)) if attempt < RETRIES => {
                tracing::warn!(path, key, attempt, %why, "provider unavailable; retrying with the same key");
                tokio::time::sleep(wait).await;
                wait *= 2;
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// `PATCH /orders/{id}/lines/{lineId}` with the line as staff typed it, priced here in the
/// order's currency (from the mirror) with every amount Mollie checks. A discount removed is
/// sent as zero, so the provider does not keep the old one.
async fn line_update_call(
    state: &AppState,
    order_id: &str,
    line_id: &str,
    line: &NewLine,
) -> Result<(Method, String, Value), AppError> {
    if !is_object_id(line_id, "odl_") {
        return Err(FieldError::new("line_id", "This is not a line of this order.").into());
    }
    let currency = order_currency(&mirrored(state, order_id).await?)?;
    let priced = line
        .price(0, currency)
        .map_err(|e| FieldError::new(e.field.replacen("lines.0.", "line.", 1), e.message))?;
    let mut update = crate::convert::line(&priced);
    update.discount_amount = Some(priced.discount.unwrap_or(Money::zero(currency)).into());
    let body = serde_json::to_value(update).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        Method::PATCH,
        format!("orders/{order_id}/lines/{line_id}"),
        body,
    ))
}

/// `POST /payments/{id}/refunds` on the order's captured payment (the mirror's): Mollie's
/// way to refund an amount rather than lines. The provider checks the amount against what is
/// left; Kassa checks currency and sign first, so a typo never reaches it.
async fn amount_refund_call(
    state: &AppState,
    order_id: &str,
    amount: Money,
    description: Option<&str>,
) -> Result<(Method, String, Value), AppError> {
    let mut order = mirrored(state, order_id).await?;
    let currency = order_currency(&order)?;
    if amount.currency != currency {
        return Err(FieldError::new(
            "amount",
            format!("Refund in {}, the order's currency.", currency.code()),
        )
        .into());
    }
    if amount.minor <= 0 {
        return Err(FieldError::new("amount", "Enter an amount more than zero.").into());
    }
    if !kassa_model::limits::within(amount) {
        return Err(FieldError::new(
            "amount",
            kassa_model::limits::Exceeded::OrderTotal.message(currency),
        )
        .into());
    }
    if captured_payment(&order).is_none() {
        // The mirror may not have heard of the payment yet (a webhook on its way).
        orders::refresh(state, order_id, RefreshCause::Action).await?;
        order = mirrored(state, order_id).await?;
    }
    let payment = captured_payment(&order).ok_or_else(|| {
        FieldError::new("amount", "This order has no paid payment to refund from.")
    })?;
    let mut body = json!({ "amount": MollieAmount::from(amount) });
    if let Some(d) = description.map(str::trim).filter(|d| !d.is_empty()) {
        body["description"] = json!(d);
    }
    Ok((Method::POST, format!("payments/{payment}/refunds"), body))
}

/// The order as the mirror has it.
async fn mirrored(state: &AppState, order_id: &str) -> Result<Order, AppError> {
    state
        .mirror
        .get(order_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("No order {order_id}.")))
}

fn order_currency(order: &Order) -> Result<Currency, AppError> {
    Ok(order
        .amount
        .to_money()
        .map_err(|e| AppError::Internal(format!("order {} amount: {e}", order.id)))?
        .currency)
}

/// The id of the order's paid (or authorized, captured on shipping) payment, if any.
fn captured_payment(order: &Order) -> Option<String> {
    order
        .embedded
        .as_ref()
        .and_then(|e| e.payments.as_ref())?
        .iter()
        .rev()
        .find(|p| p.status == "paid" || p.status == "authorized")
        .map(|p| p.id.clone())
        .filter(|id| is_object_id(id, "tr_"))
}

/// What a ship, refund or cancel request does to its lines.
#[derive(Clone, Copy)]
enum Part {
    Ship,
    Refund,
    Cancel,
}

/// The `lines` of a ship, refund or cancel request. Part of a discounted line without an
/// amount goes out with its share of what is left of the line, computed from the mirror:
/// Mollie refuses such a part without an amount, and staff should not have to work it out.
async fn line_parts(
    state: &AppState,
    order_id: &str,
    kind: Part,
    parts: &[LineQuantity],
) -> Result<Vec<Value>, AppError> {
    let order = if parts.iter().any(|p| p.amount.is_none()) {
        let order = mirrored(state, order_id).await?;
        let needs_share = parts.iter().any(|p| {
            p.amount.is_none()
                && order
                    .lines
                    .iter()
                    .any(|l| l.id == p.line_id && is_discounted(l))
        });
        if needs_share {
            // A share depends on what is left of the line right now: ask the provider rather
            // than a mirror its webhook may not have reached yet.
            orders::refresh(state, order_id, RefreshCause::Action).await?;
            Some(mirrored(state, order_id).await?)
        } else {
            Some(order)
        }
    } else {
        None
    };
    Ok(parts
        .iter()
        .map(|part| {
            let amount = part
                .amount
                .or_else(|| order.as_ref().and_then(|o| share(o, kind, part)));
            let mut v = json!({"id": part.line_id, "quantity": part.quantity});
            if let Some(amount) = amount {
                v["amount"] = json!(MollieAmount::from(amount));
            }
            v
        })
        .collect())
}

/// The amount of `part` when Mollie needs one: part (not the rest) of a line with a discount.
/// `None` when it does not (Mollie computes it) or the mirror does not know the line.
fn share(order: &Order, kind: Part, part: &LineQuantity) -> Option<Money> {
    let line = order.lines.iter().find(|l| l.id == part.line_id)?;
    if !is_discounted(line) {
        return None;
    }
    // The provider's numbers: checked arithmetic, so a nonsensical answer means "no share"
    // (Mollie then says what it wants) rather than a panic.
    let minor = |a: &MollieAmount| a.to_money().ok().map(|m| m.minor);
    let total = line.total_amount.to_money().ok()?;
    let (rest, available) = match kind {
        // What is neither shipped nor canceled.
        Part::Ship | Part::Cancel => (
            total
                .minor
                .checked_sub(minor(&line.amount_shipped)?)?
                .checked_sub(minor(&line.amount_canceled)?)?,
            line.quantity
                .checked_sub(line.quantity_shipped)?
                .checked_sub(line.quantity_canceled)?,
        ),
        Part::Refund => {
            let refunded = minor(&line.amount_refunded)?;
            // Paid: the whole amount was captured, every unit not yet refunded counts. Pay
            // later: only what shipped was captured.
            let paid = order.amount_captured.as_ref().and_then(minor) == minor(&order.amount);
            let base = if paid {
                total.minor
            } else {
                minor(&line.amount_shipped)?
            };
            (base.checked_sub(refunded)?, line.refundable_quantity)
        }
    };
    let available = u32::try_from(available).ok()?;
    if part.quantity >= available {
        // The rest of the line: Mollie takes exactly what is left.
        return None;
    }
    share_of_rest(Money::new(rest, total.currency), part.quantity, available)
}

/// A line with a discount: Mollie wants an amount for part of it.
fn is_discounted(line: &OrderLine) -> bool {
    line.discount_amount
        .as_ref()
        .and_then(|d| d.to_money().ok())
        .is_some_and(|d| d.minor != 0)
}

/// The Mollie call for an action: method, path (relative to the API base), body.
async fn provider_call(
    state: &AppState,
    order_id: &str,
    action: &OrderAction,
) -> Result<(Method, String, Value), AppError> {
    let (method, sub_path, body) = match action {
        OrderAction::Ship {
            lines: l, tracking, ..
        } => {
            let mut body = json!({"lines": line_parts(state, order_id, Part::Ship, l).await?});
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
            let mut body = json!({"lines": line_parts(state, order_id, Part::Refund, l).await?});
            if let Some(d) = description.as_deref().filter(|d| !d.trim().is_empty()) {
                body["description"] = json!(d);
            }
            (Method::POST, "/refunds".into(), body)
        }
        OrderAction::CancelLines { lines: l, .. } => {
            let lines = line_parts(state, order_id, Part::Cancel, l).await?;
            (Method::DELETE, "/lines".into(), json!({ "lines": lines }))
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
            // Kassa's own address check, as for new orders: plain words, a real country code.
            let mut body = json!({});
            if let Some(a) = billing_address {
                kassa_model::validate::customer_address(a, "billingAddress")?;
                body["billingAddress"] = json!(a);
            }
            if let Some(a) = shipping_address {
                kassa_model::validate::customer_address(a, "shippingAddress")?;
                body["shippingAddress"] = json!(a);
            }
            if let Some(n) = order_number {
                kassa_model::validate::order_number(n)?;
                body["orderNumber"] = json!(n);
            }
            (Method::PATCH, String::new(), body)
        }
        OrderAction::UpdateLine { line_id, line, .. } => {
            return line_update_call(state, order_id, line_id, line).await;
        }
        OrderAction::RefundAmount {
            amount,
            description,
            ..
        } => return amount_refund_call(state, order_id, *amount, description.as_deref()).await,
        OrderAction::CreatePayment { method, .. } => {
            let mut body = json!({});
            if let Some(m) = method.as_deref().filter(|m| !m.is_empty()) {
                kassa_model::validate::payment_method(m)?;
                body["method"] = json!(m);
            }
            (Method::POST, "/payments".into(), body)
        }
        OrderAction::Acknowledge { .. }
        | OrderAction::ReleaseAuthorization { .. }
        | OrderAction::ExtendAuthorization { .. }
        | OrderAction::TriggerSendOut { .. }
        | OrderAction::ExtendDueDate { .. } => {
            return Err(FieldError::new("kind", "Mollie orders have no such action.").into())
        }
    };
    Ok((method, format!("orders/{order_id}{sub_path}"), body))
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
