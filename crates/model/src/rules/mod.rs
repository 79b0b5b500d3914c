//! What staff may do to an order, and why not, for every provider: written once here, enforced
//! by the proxy before it calls a provider, and rendered by the app from
//! [`OrderView::actions`] and [`ShipmentView::actions`]. A third provider adds a module here,
//! not a copy in the app.

mod klarna;
mod mollie;

use crate::api::{ActionAvailability, ActionKind, LineView, OrderView, Provider, ShipmentView};
use crate::line::share_of_rest;
use crate::Money;

/// Every order-level action `order`'s provider has, in the order the page shows them.
pub fn availability(order: &OrderView) -> Vec<ActionAvailability> {
    match order.provider {
        Provider::Mollie => mollie::order_actions(order),
        Provider::Klarna => klarna::order_actions(order),
    }
}

/// Every action on one shipment (capture) of `order`.
pub fn shipment_availability(
    order: &OrderView,
    shipment: &ShipmentView,
) -> Vec<ActionAvailability> {
    match order.provider {
        Provider::Mollie => mollie::shipment_actions(order, shipment),
        Provider::Klarna => klarna::shipment_actions(order, shipment),
    }
}

/// Fills in `order.actions` and each shipment's, from the order as it is, after what each
/// line can still be shipped follows what was refunded ([`mollie::settle_shippable`]).
pub fn annotate(order: &mut OrderView) {
    if order.provider == Provider::Mollie {
        mollie::settle_shippable(order);
    }
    order.actions = availability(order);
    let per_shipment: Vec<_> = order
        .shipments
        .iter()
        .map(|s| shipment_availability(order, s))
        .collect();
    for (shipment, actions) in order.shipments.iter_mut().zip(per_shipment) {
        shipment.actions = actions;
    }
}

/// Why `kind` cannot be done to `order` (or to its shipment `shipment_id`) now; `None` when it
/// can. An action the provider does not have at all is refused too.
pub fn refusal(order: &OrderView, kind: ActionKind, shipment_id: Option<&str>) -> Option<String> {
    let listed = match shipment_id {
        None => availability(order),
        Some(id) => match order.shipments.iter().find(|s| s.id == id) {
            Some(shipment) => shipment_availability(order, shipment),
            None => return Some("This is not a shipment of this order.".to_owned()),
        },
    };
    match listed.into_iter().find(|a| a.kind == kind) {
        Some(a) => a.unavailable,
        None => Some(format!(
            "{} orders have no such action.",
            order.provider.label()
        )),
    }
}

/// An availability entry: `Ok` when the action can be done, else why not.
fn entry(kind: ActionKind, label: &str, why_not: Result<(), String>) -> ActionAvailability {
    ActionAvailability {
        kind,
        label: label.to_owned(),
        unavailable: why_not.err(),
    }
}

/// What can still be refunded as an amount: what was captured less what was refunded. `None`:
/// nothing.
pub fn refundable_amount(order: &OrderView) -> Option<Money> {
    let captured = order.amount_captured?;
    let refunded = order
        .amount_refunded
        .unwrap_or(Money::zero(captured.currency));
    captured
        .checked_sub(refunded)
        .ok()
        .filter(|left| left.minor > 0)
}

/// What is left of `line` for a line action `kind`: the money and the number of units that
/// hold it. Ship and cancel take what is neither shipped nor canceled; a refund takes what was
/// paid and not refunded: the whole line once a Mollie order is paid in full, else what was
/// shipped (captured). `None` when the provider's counters are not known or do not add up.
pub fn line_rest(order: &OrderView, line: &LineView, kind: ActionKind) -> Option<(Money, u32)> {
    let shipped = line.amount_shipped?;
    let rest = match kind {
        ActionKind::Refund => {
            let paid_in_full = order.provider == Provider::Mollie
                && order
                    .amount_captured
                    .is_some_and(|c| c.minor == order.amount.minor);
            let base = if paid_in_full { line.total } else { shipped };
            (
                base.checked_sub(line.amount_refunded?).ok()?,
                line.refundable_quantity,
            )
        }
        _ => (
            line.total
                .checked_sub(shipped)
                .ok()?
                .checked_sub(line.amount_canceled?)
                .ok()?,
            line.quantity
                .checked_sub(line.quantity_shipped)?
                .checked_sub(line.quantity_canceled)?,
        ),
    };
    Some(rest)
}

/// What `quantity` units of `line` are worth to a line action `kind`, with the arithmetic the
/// proxy prices parts with: unit price × quantity on a line without a discount; on a
/// discounted line all that is left ([`line_rest`]) for the rest of it, else its share
/// ([`share_of_rest`], rounded toward zero). `None` when that cannot be told (the provider's
/// counters are unknown, or more than is left is asked for).
pub fn part_value(
    order: &OrderView,
    line: &LineView,
    kind: ActionKind,
    quantity: u32,
) -> Option<Money> {
    let currency = line.total.currency;
    if quantity == 0 {
        return Some(Money::zero(currency));
    }
    if line.discount.is_none_or(|d| d.minor == 0) {
        return line.unit_price.checked_mul(i64::from(quantity)).ok();
    }
    let (rest, available) = line_rest(order, line, kind)?;
    match quantity.cmp(&available) {
        std::cmp::Ordering::Equal => Some(rest),
        std::cmp::Ordering::Less => share_of_rest(rest, quantity, available),
        std::cmp::Ordering::Greater => None,
    }
}
