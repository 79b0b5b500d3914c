//! Mollie's side of staff actions: each [`OrderAction`] as the one Mollie call that carries it
//! out (method, path relative to the API base, body), computed from the mirror. Mollie's
//! discounted-line rule lives here: part of such a line needs an amount, its share of what is
//! left ([`share`]).

use kassa_model::api::{ActionKind, LineQuantity, NewLine, OrderAction};
use kassa_model::line::share_of_rest;
use kassa_model::mollie::{MollieAmount, Order, OrderLine};
use kassa_model::{Currency, FieldError, Money, Provider};
use reqwest::Method;
use serde_json::{json, Value};

use super::is_object_id;
use crate::error::AppError;
use crate::orders::{self, RefreshCause};
use crate::provider::{ProviderCall, ProviderOrder};
use crate::AppState;

/// The Mollie call for `action` on order `order_id`.
pub async fn call(
    state: &AppState,
    order_id: &str,
    action: &OrderAction,
) -> Result<ProviderCall, AppError> {
    if let OrderAction::UpdateTracking { shipment_id, .. } = action {
        if !is_object_id(shipment_id, "shp_") {
            return Err(
                FieldError::new("shipment_id", "This is not a shipment of this order.").into(),
            );
        }
    }
    let (method, path, body) = provider_call(state, order_id, action).await?;
    Ok(ProviderCall::new(
        Provider::Mollie,
        method.as_str(),
        path,
        body,
    ))
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
    let mut update = super::convert::line(&priced);
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
    match state.mirror.get(order_id).await? {
        Some(ProviderOrder::Mollie(order)) => Ok(*order),
        _ => Err(AppError::NotFound(format!("No order {order_id}."))),
    }
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
/// `None` when it does not (Mollie computes it) or the mirror does not know the line. What is
/// left and the share are the model's ([`kassa_model::rules::line_rest`]), which the app's
/// dialogs price parts with too.
fn share(order: &Order, kind: Part, part: &LineQuantity) -> Option<Money> {
    let line = order.lines.iter().find(|l| l.id == part.line_id)?;
    if !is_discounted(line) {
        return None;
    }
    // The provider's numbers, read as Kassa's view: one that does not read means "no share"
    // (Mollie then says what it wants) rather than a panic.
    let view = super::convert::order_view(order, Vec::new()).ok()?;
    let line = view.lines.iter().find(|l| l.id == part.line_id)?;
    let kind = match kind {
        Part::Ship => ActionKind::Ship,
        Part::Refund => ActionKind::Refund,
        Part::Cancel => ActionKind::CancelLines,
    };
    let (rest, available) = kassa_model::rules::line_rest(&view, line, kind)?;
    if part.quantity >= available {
        // The rest of the line: Mollie takes exactly what is left.
        return None;
    }
    share_of_rest(rest, part.quantity, available)
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
            return Err(AppError::NotAllowed(
                "Mollie orders have no such action.".into(),
            ))
        }
    };
    Ok((method, format!("orders/{order_id}{sub_path}"), body))
}
