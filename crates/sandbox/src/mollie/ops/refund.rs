//! Refunds of lines (`POST /v2/orders/{id}/refunds`) and of amounts on an order's payment
//! (`POST /v2/payments/{id}/refunds`), never beyond what was captured and not yet refunded.

use kassa_model::mollie::{MollieAmount, OrderStatus};
use kassa_model::Money;
use serde::Deserialize;
use serde_json::Value;
use time::OffsetDateTime;

use super::*;
use crate::echo::clip_message;
use crate::ids::new_id;
use crate::mollie::order::{LinePart, OrderRecord, PaymentStatus, RefundRecord};
use crate::MollieError;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundRequest {
    #[serde(default)]
    pub lines: Option<Vec<LineItem>>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub metadata: Option<Value>,
}

/// `POST /v2/orders/{id}/refunds`: refunds paid (or shipped, captured) lines.
pub fn refund(
    order: &mut OrderRecord,
    req: &RefundRequest,
    now: OffsetDateTime,
) -> Result<String, MollieError> {
    let items = req
        .lines
        .as_ref()
        .ok_or_else(|| MollieError::unprocessable("lines", "The 'lines' field is missing."))?;
    if !matches!(
        order.status,
        OrderStatus::Paid | OrderStatus::Shipping | OrderStatus::Completed
    ) {
        let hint = if order.status == OrderStatus::Authorized {
            " Authorized lines are canceled, not refunded."
        } else {
            ""
        };
        return Err(MollieError::not_allowed(format!(
            "Cannot create a refund for an order with status {}.{hint}",
            order.status
        )));
    }
    check_refund_description(req.description.as_deref())?;
    let parts = resolve(order, items, Kind::Refund)?;
    if parts.is_empty() {
        return Err(MollieError::not_allowed(
            "Cannot create a refund. No lines can be refunded.",
        ));
    }
    let amount = Money::new(parts.iter().map(|p| p.amount.minor).sum(), order.currency);
    // An earlier refund of an amount on the payment leaves the lines refundable, but the
    // money is the payment's: together the refunds cannot exceed what was captured.
    check_within_remaining(order, amount, "lines")?;
    apply(order, &parts, Kind::Refund);
    let payment_id = order.settled_payment_id();
    let text = (req.description.as_deref(), req.metadata.as_ref());
    Ok(add_refund(order, now, text, amount, payment_id, parts))
}

/// Mollie shows a refund's description on the customer's statement: at most 140 characters.
fn check_refund_description(description: Option<&str>) -> Result<(), MollieError> {
    if description.is_some_and(|d| d.chars().count() > 140) {
        return Err(MollieError::unprocessable(
            "description",
            "The description may be at most 140 characters.",
        ));
    }
    Ok(())
}

/// A refund of `amount` fits in what was captured and not yet refunded, whether the earlier
/// refunds were of lines or of amounts; `field` is where the error points.
fn check_within_remaining(
    order: &OrderRecord,
    amount: Money,
    field: &str,
) -> Result<(), MollieError> {
    let zero = Money::zero(order.currency);
    let captured = order.amount_captured().unwrap_or(zero);
    let refunded = order.amount_refunded().unwrap_or(zero);
    let remaining = captured.checked_sub(refunded).unwrap_or(zero);
    if amount.minor > remaining.minor {
        return Err(MollieError::unprocessable(
            field,
            format!(
                "The amount requested exceeds the amount remaining for refund ({} {}).",
                order.currency.code(),
                MollieAmount::from(remaining).value
            ),
        ));
    }
    Ok(())
}

/// Records a refund (of `lines`, or of an amount when there are none) and returns its id.
/// `text` is the request's description and metadata.
fn add_refund(
    order: &mut OrderRecord,
    now: OffsetDateTime,
    (description, metadata): (Option<&str>, Option<&Value>),
    amount: Money,
    payment_id: String,
    lines: Vec<LinePart>,
) -> String {
    let id = new_id("re");
    order.refunds.push(RefundRecord {
        id: id.clone(),
        created_at: now,
        description: description
            .map(str::to_owned)
            .unwrap_or_else(|| format!("Refund for order {}", order.order_number)),
        metadata: metadata.cloned().unwrap_or(Value::Null),
        amount,
        payment_id,
        lines,
    });
    id
}

/// `POST /v2/payments/{id}/refunds`: an amount, not lines.
#[derive(Debug, Default, Deserialize)]
pub struct PaymentRefundRequest {
    #[serde(default)]
    pub amount: Option<MollieAmount>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub metadata: Option<Value>,
}

/// How long Mollie blocks a second refund of the same amount on the same payment.
const DUPLICATE_REFUND_WINDOW: time::Duration = time::Duration::hours(1);

/// `POST /v2/payments/{id}/refunds` on an order's payment: any amount up to what was captured
/// and not yet refunded (Mollie's way to refund an arbitrary amount of a pay-later order).
/// Lines are untouched; the order's `amountRefunded` grows.
pub fn refund_payment(
    order: &mut OrderRecord,
    payment_id: &str,
    req: &PaymentRefundRequest,
    now: OffsetDateTime,
) -> Result<String, MollieError> {
    let payment = order
        .payments
        .iter()
        .find(|p| p.id == payment_id)
        .ok_or_else(|| {
            MollieError::not_found(format!("No payment exists with token {payment_id}."))
        })?;
    if !matches!(
        payment.status,
        PaymentStatus::Paid | PaymentStatus::Authorized
    ) {
        return Err(MollieError::unprocessable(
            "amount",
            format!(
                "The payment cannot be refunded: its status is {}.",
                payment.status.as_str()
            ),
        ));
    }
    let wire = req
        .amount
        .as_ref()
        .ok_or_else(|| MollieError::unprocessable("amount", "The 'amount' field is missing."))?;
    let amount = wire.to_money().map_err(|e| {
        MollieError::unprocessable(
            "amount",
            format!("The amount is invalid: {}.", clip_message(&e.to_string())),
        )
    })?;
    if amount.currency != order.currency {
        return Err(MollieError::unprocessable(
            "amount.currency",
            format!(
                "The currency should be {}, the payment's currency.",
                order.currency.code()
            ),
        ));
    }
    if amount.minor <= 0 {
        return Err(MollieError::unprocessable(
            "amount",
            "The amount should be more than zero.",
        ));
    }
    check_refund_description(req.description.as_deref())?;
    check_within_remaining(order, amount, "amount")?;
    let duplicate = order.refunds.iter().any(|r| {
        r.payment_id == payment_id
            && r.lines.is_empty()
            && r.amount == amount
            && now - r.created_at < DUPLICATE_REFUND_WINDOW
    });
    if duplicate {
        return Err(MollieError::unprocessable(
            "amount",
            "A duplicate refund has been detected: the same amount was refunded on this payment within the last hour.",
        ));
    }
    let text = (req.description.as_deref(), req.metadata.as_ref());
    Ok(add_refund(
        order,
        now,
        text,
        amount,
        payment_id.to_owned(),
        Vec::new(),
    ))
}
