//! Klarna Order Management's rules (Klarna's reference §5–§8 and `docs/providers/klarna.md`):
//! captures only while the authorization is open, the fraud review accepted and something is
//! left; cancel only without captures; remove items (an authorization update) never below what
//! was captured; release only after a capture; extend while open and not for Pay now (card);
//! due dates only on invoices. Reasons are in Klarna's terms, since staff will read Klarna's
//! own documentation beside them.

use super::{entry, refundable_amount};
use crate::api::{ActionAvailability, ActionKind, OrderView, ShipmentView};
use crate::klarna::expiry;

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
    let left = order.amount_remaining.is_none_or(|m| m.minor > 0);
    if left && order.lines.iter().any(|l| l.shippable_quantity > 0) {
        Ok(())
    } else {
        Err("Nothing left to capture".into())
    }
}

fn refund(order: &OrderView) -> Result<(), String> {
    if order.lines.iter().any(|l| l.refundable_quantity > 0) {
        Ok(())
    } else {
        Err(nothing_to_refund(order))
    }
}

fn refund_amount(order: &OrderView) -> Result<(), String> {
    match refundable_amount(order) {
        Some(_) => Ok(()),
        None => Err(nothing_to_refund(order)),
    }
}

/// Klarna refunds only what was captured (`REFUND_NOT_ALLOWED` otherwise).
fn nothing_to_refund(order: &OrderView) -> String {
    if !order.shipments.is_empty() {
        "Everything captured has been refunded".into()
    } else if open(order, "").is_ok() {
        "Nothing captured yet: remove items or cancel instead".into()
    } else {
        "Nothing was captured: there is nothing to refund".into()
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
    // Compared as instants: Klarna writes `…00.000Z`, other sources `+00:00`.
    let instant = |t: &Option<String>| t.as_deref().and_then(expiry::unix_seconds);
    match (
        instant(&order.extended_expires_at),
        instant(&order.expires_at),
    ) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Address, LineStatus, LineView, OrderStatus, Provider};
    use crate::{Currency, Money, VatRate};

    fn sek(minor: i64) -> Money {
        Money::new(minor, Currency::SEK)
    }

    fn line(quantity: u32, shipped: u32, refunded: u32, open: bool) -> LineView {
        let left = if open { quantity - shipped } else { 0 };
        LineView {
            id: "19-402-SWE".into(),
            name: "Battery Power Pack".into(),
            sku: Some("19-402-SWE".into()),
            status: LineStatus::Authorized,
            quantity,
            unit_price: sek(5000),
            discount: None,
            total: sek(5000 * i64::from(quantity)),
            vat_rate: VatRate::from_basis_points(2500).unwrap(),
            vat_amount: sek(1000 * i64::from(quantity)),
            quantity_shipped: shipped,
            quantity_refunded: refunded,
            quantity_canceled: 0,
            shippable_quantity: left,
            refundable_quantity: shipped - refunded,
            cancelable_quantity: left,
            amount_shipped: None,
            amount_refunded: None,
            amount_canceled: None,
        }
    }

    fn shipment() -> ShipmentView {
        ShipmentView {
            id: "c1".into(),
            created_at: "2026-01-02T00:00:00.000Z".into(),
            tracking: None,
            shipping_info: Vec::new(),
            lines: Vec::new(),
            amount: Some(sek(5000)),
            reference: Some("K1-1".into()),
            actions: Vec::new(),
        }
    }

    /// An authorized pay-later order of 2 × 5000, `shipped` of them captured and `refunded`
    /// of those refunded.
    fn order(status: &str, shipped: u32, refunded: u32) -> OrderView {
        let open = matches!(status, AUTHORIZED | PART_CAPTURED);
        OrderView {
            id: "f3392f8b-6116-4073-ab96-e330819e2c07".into(),
            provider: Provider::Klarna,
            order_number: "K-1".into(),
            merchant_reference2: None,
            provider_reference: Some("K1".into()),
            status: OrderStatus::Authorized,
            provider_status: Some(status.into()),
            fraud_status: Some("ACCEPTED".into()),
            amount: sek(10000),
            amount_original: Some(sek(10000)),
            amount_captured: Some(sek(5000 * i64::from(shipped))),
            amount_refunded: Some(sek(5000 * i64::from(refunded))),
            amount_remaining: Some(sek(if open {
                10000 - 5000 * i64::from(shipped)
            } else {
                0
            })),
            locale: "sv-SE".into(),
            method: Some("invoice".into()),
            created_at: "2026-01-01T10:00:00.000Z".into(),
            expires_at: Some("2026-01-29T00:00:00.000Z".into()),
            extended_expires_at: Some("2026-02-12T00:00:00.000Z".into()),
            billing_address: Address::default(),
            shipping_address: None,
            lines: vec![line(2, shipped, refunded, open)],
            checkout_url: None,
            events: Vec::new(),
            shipments: (0..shipped.min(1)).map(|_| shipment()).collect(),
            refunds: Vec::new(),
            payments: Vec::new(),
            actions: Vec::new(),
        }
    }

    fn why(order: &OrderView, kind: ActionKind) -> Option<String> {
        super::super::refusal(order, kind, None)
    }

    fn why_shipment(order: &OrderView, kind: ActionKind) -> Option<String> {
        super::super::refusal(order, kind, Some("c1"))
    }

    fn says(got: Option<String>, words: &str) {
        let got = got.unwrap_or_else(|| panic!("allowed, expected {words:?}"));
        assert!(got.contains(words), "{got:?} does not say {words:?}");
    }

    #[test]
    fn an_open_order_can_be_captured_changed_and_cancelled() {
        let o = order(AUTHORIZED, 0, 0);
        for kind in [
            ActionKind::Ship,
            ActionKind::CancelLines,
            ActionKind::CancelOrder,
            ActionKind::ExtendAuthorization,
            ActionKind::UpdateOrder,
            ActionKind::Acknowledge,
        ] {
            assert_eq!(why(&o, kind), None, "{kind:?}");
        }
        says(why(&o, ActionKind::Refund), "Nothing captured yet");
        says(why(&o, ActionKind::RefundAmount), "Nothing captured yet");
        says(
            why(&o, ActionKind::ReleaseAuthorization),
            "cancel the order instead",
        );
        says(
            why(&o, ActionKind::UpdateLine),
            "Klarna orders have no such action",
        );
        says(why(&o, ActionKind::CreatePayment), "no such action");
        says(
            why_shipment(&o, ActionKind::TriggerSendOut),
            "not a shipment",
        );
    }

    #[test]
    fn fraud_review_blocks_captures_only() {
        let mut o = order(AUTHORIZED, 0, 0);
        o.fraud_status = Some("PENDING".into());
        says(why(&o, ActionKind::Ship), "Fraud review pending");
        assert_eq!(why(&o, ActionKind::CancelOrder), None);
        o.fraud_status = Some("REJECTED".into());
        says(why(&o, ActionKind::Ship), "Fraud review rejected");
    }

    #[test]
    fn captures_stop_cancel_and_allow_refund_and_release() {
        let o = order(PART_CAPTURED, 1, 0);
        says(why(&o, ActionKind::CancelOrder), "Order has captures");
        assert_eq!(why(&o, ActionKind::ReleaseAuthorization), None);
        assert_eq!(why(&o, ActionKind::Refund), None);
        assert_eq!(why(&o, ActionKind::RefundAmount), None);
        assert_eq!(why(&o, ActionKind::Ship), None);
        for kind in [
            ActionKind::UpdateTracking,
            ActionKind::TriggerSendOut,
            ActionKind::ExtendDueDate,
        ] {
            assert_eq!(why_shipment(&o, kind), None, "{kind:?}");
        }
        let refunded = order(PART_CAPTURED, 1, 1);
        says(why(&refunded, ActionKind::Refund), "has been refunded");
        says(
            why(&refunded, ActionKind::RefundAmount),
            "has been refunded",
        );
    }

    #[test]
    fn nothing_left_to_capture() {
        let mut o = order(PART_CAPTURED, 1, 0);
        o.amount_remaining = Some(sek(0));
        says(why(&o, ActionKind::Ship), "Nothing left to capture");
        let mut o = order(PART_CAPTURED, 1, 0);
        o.lines[0].shippable_quantity = 0;
        o.lines[0].cancelable_quantity = 0;
        says(why(&o, ActionKind::Ship), "Nothing left to capture");
        says(why(&o, ActionKind::CancelLines), "refund instead");
    }

    #[test]
    fn closed_states_say_which() {
        let captured = order(CAPTURED, 2, 0);
        says(
            why(&captured, ActionKind::Ship),
            "Everything has been captured",
        );
        says(why(&captured, ActionKind::CancelLines), "removing items");
        says(why(&captured, ActionKind::ReleaseAuthorization), "release");
        says(why(&captured, ActionKind::ExtendAuthorization), "extending");
        assert_eq!(why(&captured, ActionKind::Refund), None);

        let cancelled = order(CANCELLED, 0, 0);
        says(
            why(&cancelled, ActionKind::CancelOrder),
            "The order is cancelled",
        );
        says(
            why(&cancelled, ActionKind::UpdateOrder),
            "The order is cancelled",
        );
        says(why(&cancelled, ActionKind::Refund), "Nothing was captured");
        says(
            why(&cancelled, ActionKind::RefundAmount),
            "Nothing was captured",
        );
        assert_eq!(why(&cancelled, ActionKind::Acknowledge), None);

        let expired = order(EXPIRED, 0, 0);
        says(
            why(&expired, ActionKind::Ship),
            "Authorization expired on 2026-01-29",
        );
        let mut no_date = expired.clone();
        no_date.expires_at = None;
        says(why(&no_date, ActionKind::Ship), "Authorization expired");

        let closed = order(CLOSED, 1, 0);
        says(
            why(&closed, ActionKind::Ship),
            "remaining authorization was released",
        );
        assert_eq!(why(&closed, ActionKind::Refund), None);

        let odd = order("ON_HOLD", 0, 0);
        says(why(&odd, ActionKind::Ship), "Klarna order status ON_HOLD");
    }

    #[test]
    fn extensions_need_a_later_date_and_not_card() {
        let mut o = order(AUTHORIZED, 0, 0);
        o.method = Some("pay_by_card".into());
        says(why(&o, ActionKind::ExtendAuthorization), "Pay now (card)");
        let mut o = order(AUTHORIZED, 0, 0);
        o.extended_expires_at = None;
        says(
            why(&o, ActionKind::ExtendAuthorization),
            "as long as Klarna allows",
        );
        // The same instant written two ways is not later.
        o.extended_expires_at = Some("2026-01-29T00:00:00+00:00".into());
        says(
            why(&o, ActionKind::ExtendAuthorization),
            "as long as Klarna allows",
        );
        o.extended_expires_at = Some("2026-02-12T00:00:00+00:00".into());
        assert_eq!(why(&o, ActionKind::ExtendAuthorization), None);
    }

    #[test]
    fn due_dates_only_on_invoices() {
        let mut o = order(PART_CAPTURED, 1, 0);
        o.method = Some("fixed_amount".into());
        says(why_shipment(&o, ActionKind::ExtendDueDate), "Only invoices");
        assert_eq!(why_shipment(&o, ActionKind::TriggerSendOut), None);
    }
}
