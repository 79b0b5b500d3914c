//! Klarna Order Management's rules (Klarna's reference §5–§8 and `docs/providers/klarna.md`):
//! captures only while the authorization is open, the fraud review accepted and something is
//! left; cancel only without captures; remove items (an authorization update) never below what
//! was captured; release only after a capture; extend while open and not for Pay now (card);
//! due dates only on invoices. Reasons are in Klarna's terms, since staff will read Klarna's
//! own documentation beside them.

use super::{entry, refundable_amount};
use crate::api::{ActionAvailability, ActionKind, OrderView, ShipmentView};

/// Klarna's order statuses (`OrderView::provider_status`).
const AUTHORIZED: &str = "AUTHORIZED";
const PART_CAPTURED: &str = "PART_CAPTURED";
const CAPTURED: &str = "CAPTURED";
const CANCELLED: &str = "CANCELLED";
const EXPIRED: &str = "EXPIRED";
const CLOSED: &str = "CLOSED";

pub fn order_actions(order: &OrderView) -> Vec<ActionAvailability> {
    vec![
        entry(ActionKind::Ship, "Capture", capture(order)),
        entry(ActionKind::Refund, "Refund", refund(order)),
        entry(
            ActionKind::RefundAmount,
            "Refund an amount",
            refund_amount(order),
        ),
        entry(ActionKind::CancelLines, "Remove items", remove_items(order)),
        entry(ActionKind::CancelOrder, "Cancel order", cancel(order)),
        entry(
            ActionKind::ReleaseAuthorization,
            "Release remaining authorization",
            release(order),
        ),
        entry(
            ActionKind::ExtendAuthorization,
            "Extend authorization",
            extend(order),
        ),
        entry(
            ActionKind::UpdateOrder,
            "Edit details",
            update_details(order),
        ),
        entry(ActionKind::Acknowledge, "Acknowledge", Ok(())),
    ]
}

pub fn shipment_actions(order: &OrderView, _shipment: &ShipmentView) -> Vec<ActionAvailability> {
    let invoice = is_invoice(order);
    vec![
        entry(ActionKind::UpdateTracking, "Add shipping info", Ok(())),
        entry(ActionKind::TriggerSendOut, "Resend invoice", Ok(())),
        entry(
            ActionKind::ExtendDueDate,
            "Extend due date",
            if invoice {
                Ok(())
            } else {
                Err("Only invoices (Pay later) have a due date to extend".into())
            },
        ),
    ]
}

fn status(order: &OrderView) -> &str {
    order.provider_status.as_deref().unwrap_or("")
}

/// The authorization can still move money: no capture, removal or extension otherwise.
fn open(order: &OrderView, doing: &str) -> Result<(), String> {
    match status(order) {
        AUTHORIZED | PART_CAPTURED => Ok(()),
        CAPTURED => Err(format!(
            "Everything has been captured: {doing} is not possible"
        )),
        CANCELLED => Err("The order is cancelled".into()),
        EXPIRED => Err(match order.expires_at.as_deref() {
            Some(at) => format!("Authorization expired on {}", day(at)),
            None => "Authorization expired".into(),
        }),
        CLOSED => Err(format!(
            "The remaining authorization was released: {doing} is not possible"
        )),
        other => Err(format!(
            "Klarna order status {other}: {doing} is not possible"
        )),
    }
}

fn capture(order: &OrderView) -> Result<(), String> {
    open(order, "capture")?;
    match order.fraud_status.as_deref() {
        Some("PENDING") => {
            return Err(
                "Fraud review pending: Klarna allows no capture until it is accepted".into(),
            )
        }
        Some("REJECTED") => return Err("Fraud review rejected: Klarna allows no capture".into()),
        _ => {}
    }
    if order.lines.iter().any(|l| l.shippable_quantity > 0) {
        Ok(())
    } else {
        Err("Nothing left to capture".into())
    }
}

fn refund(order: &OrderView) -> Result<(), String> {
    if order.lines.iter().any(|l| l.refundable_quantity > 0) {
        Ok(())
    } else if order.shipments.is_empty() {
        Err("Nothing captured yet: remove items or cancel instead".into())
    } else {
        Err("Everything captured has been refunded".into())
    }
}

fn refund_amount(order: &OrderView) -> Result<(), String> {
    match refundable_amount(order) {
        Some(_) => Ok(()),
        None if order.shipments.is_empty() => {
            Err("Nothing captured yet: remove items or cancel instead".into())
        }
        None => Err("Everything captured has been refunded".into()),
    }
}

fn remove_items(order: &OrderView) -> Result<(), String> {
    open(order, "removing items")?;
    if order.lines.iter().any(|l| l.cancelable_quantity > 0) {
        Ok(())
    } else {
        Err("Every item left has been captured: refund instead".into())
    }
}

fn cancel(order: &OrderView) -> Result<(), String> {
    if !order.shipments.is_empty() {
        return Err("Order has captures: cancel is not possible, refund instead".into());
    }
    open(order, "cancel")
}

fn release(order: &OrderView) -> Result<(), String> {
    if order.shipments.is_empty() {
        return Err("Nothing captured yet: cancel the order instead".into());
    }
    open(order, "release")
}

fn extend(order: &OrderView) -> Result<(), String> {
    open(order, "extending")?;
    if matches!(order.method.as_deref(), Some("pay_by_card") | Some("card")) {
        return Err("Pay now (card) authorizations cannot be extended".into());
    }
    match (&order.extended_expires_at, &order.expires_at) {
        (Some(new), Some(now)) if new > now => Ok(()),
        (Some(_), None) => Ok(()),
        _ => Err("The authorization already runs as long as Klarna allows".into()),
    }
}

fn update_details(order: &OrderView) -> Result<(), String> {
    if status(order) == CANCELLED {
        Err("The order is cancelled".into())
    } else {
        Ok(())
    }
}

/// Klarna's `initial_payment_method.type` `INVOICE`, as the proxy lowercases it into
/// `OrderView::method`.
fn is_invoice(order: &OrderView) -> bool {
    order.method.as_deref() == Some("invoice")
}

/// `2026-12-24` of an RFC 3339 time.
fn day(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}
