//! Mollie's Orders API rules, as Mollie enforces them: authorized (pay later) lines are shipped
//! (which captures) or canceled, and refunded only once shipped; paid lines are shipped or
//! refunded, never canceled; the whole order can be canceled while `created` or `authorized`
//! (or `shipping` with no paid lines left); lines change only before anything is paid or
//! shipped.

use super::entry;
use crate::api::{
    ActionAvailability, ActionKind, LineStatus, LineView, OrderStatus, OrderView, ShipmentView,
};

/// Payment statuses after which the customer can no longer pay with that payment.
const ENDED_UNPAID: [&str; 3] = ["failed", "canceled", "expired"];

pub fn order_actions(order: &OrderView) -> Vec<ActionAvailability> {
    vec![
        entry(ActionKind::Ship, "Ship", ship(order)),
        entry(ActionKind::Refund, "Refund", refund(order)),
        entry(
            ActionKind::RefundAmount,
            "Refund an amount",
            refund_amount(order),
        ),
        entry(ActionKind::CancelLines, "Cancel lines", cancel_lines(order)),
        entry(ActionKind::CancelOrder, "Cancel order", cancel_order(order)),
        entry(ActionKind::UpdateOrder, "Edit details", Ok(())),
        entry(ActionKind::UpdateLine, "Edit a line", update_line(order)),
        entry(
            ActionKind::CreatePayment,
            "New payment link",
            create_payment(order),
        ),
    ]
}

pub fn shipment_actions(_order: &OrderView, _shipment: &ShipmentView) -> Vec<ActionAvailability> {
    vec![entry(ActionKind::UpdateTracking, "Edit tracking", Ok(()))]
}

fn any(order: &OrderView, f: fn(&LineView) -> bool) -> bool {
    order.lines.iter().any(f)
}

fn ship(order: &OrderView) -> Result<(), String> {
    if any(order, |l| l.shippable_quantity > 0) {
        Ok(())
    } else if matches!(order.status, OrderStatus::Created | OrderStatus::Pending) {
        Err("Nothing can be shipped before the customer pays".into())
    } else {
        Err("Nothing left to ship".into())
    }
}

fn refund(order: &OrderView) -> Result<(), String> {
    if any(order, |l| l.refundable_quantity > 0) {
        Ok(())
    } else if order.status == OrderStatus::Authorized
        || any(order, |l| l.status == LineStatus::Authorized)
    {
        Err("Authorized lines are canceled, not refunded, until they are shipped".into())
    } else {
        Err("Nothing left to refund".into())
    }
}

fn refund_amount(order: &OrderView) -> Result<(), String> {
    match super::refundable_amount(order) {
        Some(_) => Ok(()),
        None => Err("Nothing captured is left to refund".into()),
    }
}

fn cancel_lines(order: &OrderView) -> Result<(), String> {
    if any(order, |l| l.cancelable_quantity > 0) {
        Ok(())
    } else if order.status == OrderStatus::Paid || any(order, |l| l.status == LineStatus::Paid) {
        Err("Paid lines are refunded, not canceled".into())
    } else {
        Err("Nothing left to cancel".into())
    }
}

fn cancel_order(order: &OrderView) -> Result<(), String> {
    match order.status {
        OrderStatus::Created | OrderStatus::Authorized => Ok(()),
        OrderStatus::Shipping if !any(order, |l| l.status == LineStatus::Paid) => Ok(()),
        OrderStatus::Paid | OrderStatus::Shipping => {
            Err("Paid orders are refunded, not canceled".into())
        }
        OrderStatus::Pending => Err("A payment is in progress; wait for it to finish".into()),
        OrderStatus::Completed | OrderStatus::Canceled | OrderStatus::Expired => {
            Err("This order is closed".into())
        }
    }
}

fn update_line(order: &OrderView) -> Result<(), String> {
    match order.status {
        OrderStatus::Created | OrderStatus::Pending | OrderStatus::Authorized => Ok(()),
        _ => Err("Lines can only change before the order is paid or shipped.".into()),
    }
}

/// A new payment link: the order still waits for its money and its latest payment ended
/// unpaid.
fn create_payment(order: &OrderView) -> Result<(), String> {
    let latest = order
        .payments
        .iter()
        .max_by(|a, b| a.created_at.cmp(&b.created_at));
    let ended_unpaid = latest.is_some_and(|p| ENDED_UNPAID.contains(&p.status.as_str()));
    if order.status == OrderStatus::Created && ended_unpaid {
        Ok(())
    } else {
        Err("The customer's payment is still open, or the order is paid".into())
    }
}
