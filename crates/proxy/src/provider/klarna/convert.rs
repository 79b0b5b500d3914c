//! Klarna's order → Kassa's [`OrderView`]. Klarna sends no per-line counters, so they are
//! computed here from the captures and refunds, whose lines are matched to the order's by
//! `reference` (the SKU; Klarna allocates refunds by it too), else by `name`:
//!
//! - shipped = units captured, refunded = units refunded (return-fee lines aside);
//! - shippable = cancelable ("remove items") = what is neither captured nor removed, while the
//!   authorization is open (`AUTHORIZED`, `PART_CAPTURED`); refundable = shipped − refunded;
//! - canceled = what was never captured once the authorization ended (cancelled, released,
//!   expired). Items removed from an open order leave the line (Klarna keeps no removed
//!   lines): `amount_original` still shows what was first authorized.

use kassa_model::api::{
    Address, LineStatus, LineView, OrderEvent, OrderStatus, OrderView, PartView, Provider,
    RefundView, ShipmentView, TrackingInfo,
};
use kassa_model::klarna::om::{self, Order, OrderLine, ShippingInfo};
use kassa_model::klarna::{expiry, FraudStatus, OrderStatus as KlarnaStatus};
use kassa_model::{Currency, Money, VatRate};

use crate::provider::ProviderError;

/// A line's identity in Kassa (`LineView::id`, `LineQuantity::line_id`): its reference, else
/// its name.
pub fn line_key(line: &OrderLine) -> &str {
    line.reference
        .as_deref()
        .filter(|r| !r.trim().is_empty())
        .or(line.name.as_deref())
        .unwrap_or_default()
}

/// Whether an order line is the return fee Kassa adds to a refund, not goods.
pub fn is_return_fee(line: &OrderLine) -> bool {
    line.kind.as_deref() == Some("return_fee")
}

/// Units and money of one order line that went out in captures and came back in refunds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub captured: u32,
    pub captured_total: i64,
    pub refunded: u32,
    pub refunded_total: i64,
}

/// [`Tally`] of the line keyed `key` over the order's captures and refunds.
pub fn tally(o: &Order, key: &str) -> Tally {
    let mut t = Tally::default();
    let matching = |lines: &Option<Vec<OrderLine>>| -> Vec<(u32, i64)> {
        lines
            .iter()
            .flatten()
            .filter(|l| !is_return_fee(l) && line_key(l) == key)
            .map(|l| {
                (
                    u32::try_from(l.quantity.unwrap_or_default()).unwrap_or(0),
                    l.total_amount.unwrap_or_default(),
                )
            })
            .collect()
    };
    for c in o.captures.iter().flatten() {
        for (q, total) in matching(&c.order_lines) {
            t.captured = t.captured.saturating_add(q);
            t.captured_total = t.captured_total.saturating_add(total);
        }
    }
    for r in o.refunds.iter().flatten() {
        for (q, total) in matching(&r.order_lines) {
            t.refunded = t.refunded.saturating_add(q);
            t.refunded_total = t.refunded_total.saturating_add(total);
        }
    }
    t
}

/// The order's currency, as Kassa knows it (Klarna writes `usd` and `PLN` alike).
pub fn currency(o: &Order) -> Result<Currency, ProviderError> {
    let code = o.purchase_currency.as_deref().unwrap_or_default();
    code.to_ascii_uppercase()
        .parse()
        .map_err(|_| invalid(o, &format!("purchase_currency {code:?}")))
}

/// Klarna's status, when it is one Klarna documents.
pub fn status(o: &Order) -> Option<KlarnaStatus> {
    o.parsed_status().and_then(Result::ok)
}

/// Whether the authorization is open: captures and removals still possible.
pub fn is_open(o: &Order) -> bool {
    status(o).is_some_and(KlarnaStatus::is_capturable)
}

pub fn order_view(
    o: &Order,
    events: Vec<OrderEvent>,
    now: i64,
) -> Result<OrderView, ProviderError> {
    let id = o
        .order_id
        .clone()
        .ok_or_else(|| invalid(o, "no order_id"))?;
    let currency = currency(o)?;
    let money = |minor: Option<i64>| Money::new(minor.unwrap_or_default(), currency);
    let open = is_open(o);
    let fraud = o.parsed_fraud_status().and_then(Result::ok);
    let kassa_status = match status(o) {
        Some(KlarnaStatus::Authorized) if fraud == Some(FraudStatus::Pending) => {
            OrderStatus::Pending
        }
        Some(KlarnaStatus::Authorized) => OrderStatus::Authorized,
        Some(KlarnaStatus::PartCaptured) => OrderStatus::Shipping,
        Some(KlarnaStatus::Captured | KlarnaStatus::Closed) => OrderStatus::Completed,
        Some(KlarnaStatus::Cancelled) => OrderStatus::Canceled,
        Some(KlarnaStatus::Expired) => OrderStatus::Expired,
        // A status Klarna added since: shown as authorized, Klarna's word beside it, and the
        // rules allow nothing on it.
        None => OrderStatus::Authorized,
    };
    let reference = o.klarna_reference.clone().filter(|r| !r.is_empty());
    let order_number = o
        .merchant_reference1
        .clone()
        .filter(|r| !r.is_empty())
        .or_else(|| reference.clone())
        .unwrap_or_default();
    let extended_expires_at = match (&o.created_at, &o.expires_at) {
        (Some(created), Some(expires)) if open => {
            expiry::extended_expires_at(created, expires, now)
        }
        _ => None,
    };
    let mut view = OrderView {
        id,
        provider: Provider::Klarna,
        order_number,
        merchant_reference2: o.merchant_reference2.clone().filter(|r| !r.is_empty()),
        provider_reference: reference,
        status: kassa_status,
        provider_status: o.status.clone(),
        fraud_status: o.fraud_status.clone(),
        amount: money(o.order_amount),
        amount_original: o.original_order_amount.map(|m| money(Some(m))),
        amount_captured: Some(money(o.captured_amount)),
        amount_refunded: Some(money(o.refunded_amount)),
        amount_remaining: Some(money(o.remaining_authorized_amount)),
        locale: o.locale.clone().unwrap_or_default(),
        method: o
            .initial_payment_method
            .as_ref()
            .and_then(|m| m.kind.as_deref())
            .map(str::to_ascii_lowercase),
        created_at: o.created_at.clone().unwrap_or_default(),
        expires_at: o.expires_at.clone(),
        extended_expires_at,
        billing_address: o.billing_address.as_ref().map(address).unwrap_or_default(),
        shipping_address: o.shipping_address.as_ref().map(address),
        lines: lines(o, currency)?,
        checkout_url: None,
        events,
        shipments: o
            .captures
            .iter()
            .flatten()
            .map(|c| {
                let shipping_info: Vec<TrackingInfo> =
                    c.shipping_info.iter().flatten().map(tracking).collect();
                Ok(ShipmentView {
                    id: c.capture_id.clone().unwrap_or_default(),
                    created_at: c.captured_at.clone().unwrap_or_default(),
                    tracking: shipping_info.last().cloned(),
                    shipping_info,
                    lines: parts(o, c.order_lines.as_deref(), currency)?,
                    amount: c.captured_amount.map(|m| money(Some(m))),
                    reference: c.klarna_reference.clone(),
                    actions: Vec::new(),
                })
            })
            .collect::<Result<_, ProviderError>>()?,
        refunds: o
            .refunds
            .iter()
            .flatten()
            .map(|r| {
                Ok(RefundView {
                    id: r.refund_id.clone().unwrap_or_default(),
                    created_at: r.refunded_at.clone().unwrap_or_default(),
                    amount: money(r.refunded_amount),
                    status: "refunded".into(),
                    description: r.description.clone().unwrap_or_default(),
                    lines: parts(o, r.order_lines.as_deref(), currency)?,
                })
            })
            .collect::<Result<_, ProviderError>>()?,
        payments: Vec::new(),
        actions: Vec::new(),
    };
    kassa_model::rules::annotate(&mut view);
    Ok(view)
}

fn lines(o: &Order, currency: Currency) -> Result<Vec<LineView>, ProviderError> {
    let open = is_open(o);
    let ended = matches!(
        status(o),
        Some(KlarnaStatus::Cancelled | KlarnaStatus::Closed | KlarnaStatus::Expired)
    );
    let count = |n: Option<i64>| {
        u32::try_from(n.unwrap_or_default()).map_err(|_| invalid(o, "a line's quantity"))
    };
    o.order_lines
        .iter()
        .flatten()
        .map(|l| {
            let money = |minor: Option<i64>| Money::new(minor.unwrap_or_default(), currency);
            let quantity = count(l.quantity)?;
            let t = tally(o, line_key(l));
            let shipped = t.captured.min(quantity);
            let refunded = t.refunded.min(shipped);
            let left = quantity - shipped;
            let status = if quantity > 0 && shipped == quantity {
                LineStatus::Completed
            } else if ended {
                if shipped > 0 {
                    LineStatus::Completed
                } else {
                    LineStatus::Canceled
                }
            } else if shipped > 0 {
                LineStatus::Shipping
            } else {
                LineStatus::Authorized
            };
            let rate = u32::try_from(l.tax_rate.unwrap_or_default())
                .ok()
                .and_then(|bp| VatRate::from_basis_points(bp).ok())
                .ok_or_else(|| invalid(o, "a line's tax_rate"))?;
            Ok(LineView {
                id: line_key(l).to_owned(),
                name: l.name.clone().unwrap_or_default(),
                sku: l.reference.clone().filter(|r| !r.is_empty()),
                status,
                quantity,
                unit_price: money(l.unit_price),
                discount: l
                    .total_discount_amount
                    .filter(|d| *d != 0)
                    .map(|d| money(Some(d))),
                total: money(l.total_amount),
                vat_rate: rate,
                vat_amount: money(l.total_tax_amount),
                quantity_shipped: shipped,
                quantity_refunded: refunded,
                quantity_canceled: if ended { left } else { 0 },
                shippable_quantity: if open { left } else { 0 },
                refundable_quantity: shipped - refunded,
                cancelable_quantity: if open { left } else { 0 },
                amount_shipped: Some(money(Some(t.captured_total))),
                amount_refunded: Some(money(Some(t.refunded_total))),
                // What an ended order did not capture was let go; removed items left the line.
                amount_canceled: Some(money(Some(if ended {
                    l.total_amount
                        .unwrap_or_default()
                        .saturating_sub(t.captured_total)
                } else {
                    0
                }))),
            })
        })
        .collect()
}

/// A capture's or refund's lines, named as the order names them.
fn parts(
    o: &Order,
    lines: Option<&[OrderLine]>,
    currency: Currency,
) -> Result<Vec<PartView>, ProviderError> {
    lines
        .unwrap_or_default()
        .iter()
        .map(|l| {
            Ok(PartView {
                line_id: line_key(l).to_owned(),
                name: l.name.clone().unwrap_or_default(),
                quantity: u32::try_from(l.quantity.unwrap_or_default())
                    .map_err(|_| invalid(o, "a part's quantity"))?,
                amount: Money::new(l.total_amount.unwrap_or_default(), currency),
            })
        })
        .collect()
}

/// Klarna's `shipping_info` in Kassa's words.
pub fn tracking(s: &ShippingInfo) -> TrackingInfo {
    TrackingInfo {
        carrier: s.shipping_company.clone().unwrap_or_default(),
        code: s.tracking_number.clone().unwrap_or_default(),
        url: s.tracking_uri.clone(),
        method: s.shipping_method.clone(),
        return_carrier: s.return_shipping_company.clone(),
        return_code: s.return_tracking_number.clone(),
        return_url: s.return_tracking_uri.clone(),
    }
}

/// Kassa's tracking as Klarna's `shipping_info`.
pub fn shipping_info(t: &TrackingInfo) -> ShippingInfo {
    let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let opt = |s: &Option<String>| s.as_deref().and_then(some);
    ShippingInfo {
        shipping_company: some(&t.carrier),
        shipping_method: opt(&t.method),
        tracking_number: some(&t.code),
        tracking_uri: opt(&t.url),
        return_shipping_company: opt(&t.return_carrier),
        return_tracking_number: opt(&t.return_code),
        return_tracking_uri: opt(&t.return_url),
    }
}

/// Klarna's address in Kassa's (the same facts, other names).
pub fn address(a: &om::Address) -> Address {
    Address {
        organization_name: a.organization_name.clone(),
        title: a.title.clone(),
        given_name: a.given_name.clone(),
        family_name: a.family_name.clone(),
        email: a.email.clone(),
        phone: a.phone.clone(),
        street_and_number: a.street_address.clone(),
        street_additional: a.street_address2.clone(),
        postal_code: a.postal_code.clone(),
        city: a.city.clone(),
        region: a.region.clone(),
        country: a.country.clone(),
    }
}

/// Kassa's address as Klarna's.
pub fn klarna_address(a: &Address) -> om::Address {
    om::Address {
        organization_name: a.organization_name.clone(),
        title: a.title.clone(),
        given_name: a.given_name.clone(),
        family_name: a.family_name.clone(),
        email: a.email.clone(),
        phone: a.phone.clone(),
        street_address: a.street_and_number.clone(),
        street_address2: a.street_additional.clone(),
        postal_code: a.postal_code.clone(),
        city: a.city.clone(),
        region: a.region.clone(),
        country: a.country.clone(),
        attention: None,
    }
}

fn invalid(o: &Order, what: &str) -> ProviderError {
    ProviderError::Invalid(format!(
        "Klarna order {}: {what}",
        o.order_id.as_deref().unwrap_or("?")
    ))
}
