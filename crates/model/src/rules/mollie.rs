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

/// Lowers each line's `shippable_quantity` by the units refunded before they shipped.
///
/// Mollie's `shippableQuantity` is `quantity − shipped − canceled` and ignores refunds: a live
/// order in Mollie's own OpenAPI file (List orders, `ord_zdyeft`) is paid, wholly refunded and
/// still lists `shippableQuantity: 1` on each line. Mollie would ship such a unit; a merchant
/// who refunded it (out of stock, the customer changed their mind) must not be offered it.
///
/// Which units a refund took is not said, so the refunds and shipments are replayed in time:
/// a refund takes shipped units not yet refunded first (a return), and whatever it takes
/// beyond them was never shipped. A refund made in the same second as a shipment counts as
/// before it (a return comes days after its shipment, not within the second). Mollie writes
/// every timestamp the same way (`2021-07-12T12:08:42+00:00`), so the strings sort in time.
/// Failed and canceled refunds took nothing. Idempotent: it never raises a quantity.
pub fn settle_shippable(order: &mut OrderView) {
    let refunded: Vec<u32> = order
        .lines
        .iter()
        .map(|l| refunded_before_shipping(order, &l.id).min(l.quantity_refunded))
        .collect();
    for (line, unshipped_refunds) in order.lines.iter_mut().zip(refunded) {
        let left = line
            .quantity
            .saturating_sub(line.quantity_shipped)
            .saturating_sub(line.quantity_canceled)
            .saturating_sub(unshipped_refunds);
        line.shippable_quantity = line.shippable_quantity.min(left);
    }
}

/// The units of line `line_id` refunded before they shipped (see [`settle_shippable`]).
fn refunded_before_shipping(order: &OrderView, line_id: &str) -> u32 {
    // (when, refund first at the same instant, units): refunds sort before shipments.
    let mut moves: Vec<(&str, u8, i64)> = Vec::new();
    for refund in &order.refunds {
        if matches!(refund.status.as_str(), "failed" | "canceled") {
            continue;
        }
        for part in refund.lines.iter().filter(|p| p.line_id == line_id) {
            moves.push((&refund.created_at, 0, -i64::from(part.quantity)));
        }
    }
    for shipment in &order.shipments {
        for part in shipment.lines.iter().filter(|p| p.line_id == line_id) {
            moves.push((&shipment.created_at, 1, i64::from(part.quantity)));
        }
    }
    moves.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    // Shipped units not refunded yet, and refunded units never shipped.
    let (mut returnable, mut unshipped) = (0i64, 0i64);
    for (_, _, units) in moves {
        if units > 0 {
            returnable += units;
        } else {
            let taken = -units;
            let returned = taken.min(returnable);
            returnable -= returned;
            unshipped += taken - returned;
        }
    }
    u32::try_from(unshipped).unwrap_or(u32::MAX)
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A paid order of one line of 2 × €44.50 ("Regenjas"), with these shipments and refunds
    /// as `(when, units)`, and Mollie's counters to match (its `shippableQuantity` ignores
    /// refunds).
    fn regenjas(shipments: &[(&str, u32)], refunds: &[(&str, u32)]) -> OrderView {
        let shipped: u32 = shipments.iter().map(|s| s.1).sum();
        let refunded: u32 = refunds.iter().map(|r| r.1).sum();
        let eur = |minor: i64| json!({"minor": minor, "currency": "EUR"});
        let part = |units: u32| {
            json!([{"line_id": "odl_1", "name": "Regenjas", "quantity": units,
                    "amount": eur(4450 * i64::from(units))}])
        };
        let mut order: OrderView = serde_json::from_value(json!({
            "id": "ord_1", "provider": "mollie", "order_number": "1", "status": "paid",
            "amount": eur(8900), "locale": "nl_NL", "created_at": "2026-01-01T00:00:00+00:00",
            "billing_address": {},
            "lines": [{
                "id": "odl_1", "name": "Regenjas", "status": "paid", "quantity": 2,
                "unit_price": eur(4450), "total": eur(8900), "vat_rate": "21.00",
                "vat_amount": eur(1545), "quantity_shipped": shipped,
                "quantity_refunded": refunded, "quantity_canceled": 0,
                "shippable_quantity": 2 - shipped, "refundable_quantity": 2 - refunded,
                "cancelable_quantity": 0
            }],
            "shipments": shipments.iter().enumerate().map(|(i, (at, units))| json!({
                "id": format!("shp_{i}"), "created_at": at, "lines": part(*units)
            })).collect::<Vec<_>>(),
            "refunds": refunds.iter().enumerate().map(|(i, (at, units))| json!({
                "id": format!("re_{i}"), "created_at": at, "amount": eur(4450),
                "status": "pending", "description": "", "lines": part(*units)
            })).collect::<Vec<_>>()
        }))
        .expect("an order view");
        settle_shippable(&mut order);
        order
    }

    fn shippable(order: &OrderView) -> u32 {
        order.lines[0].shippable_quantity
    }

    #[test]
    fn a_unit_refunded_before_it_shipped_is_not_offered_to_ship() {
        let t = |s: u32| format!("2026-01-0{s}T10:00:00+00:00");
        // Refund one of two unshipped: one left, and none once that one shipped.
        assert_eq!(shippable(&regenjas(&[], &[(&t(2), 1)])), 1);
        assert_eq!(shippable(&regenjas(&[(&t(3), 1)], &[(&t(2), 1)])), 0);
        // In the same second the refund counts first.
        assert_eq!(shippable(&regenjas(&[(&t(2), 1)], &[(&t(2), 1)])), 0);
        // A return of a shipped unit leaves the other one to ship.
        assert_eq!(shippable(&regenjas(&[(&t(2), 1)], &[(&t(3), 1)])), 1);
        // Everything refunded before shipping: nothing to ship, and the action says so.
        let mut order = regenjas(&[], &[(&t(2), 2)]);
        assert_eq!(shippable(&order), 0);
        crate::rules::annotate(&mut order);
        assert_eq!(
            crate::rules::refusal(&order, ActionKind::Ship, None).as_deref(),
            Some("Nothing left to ship")
        );
        // A failed refund took nothing.
        let mut failed = regenjas(&[], &[(&t(2), 1)]);
        failed.refunds[0].status = "failed".into();
        failed.lines[0].shippable_quantity = 2;
        settle_shippable(&mut failed);
        assert_eq!(shippable(&failed), 2);
    }
}
