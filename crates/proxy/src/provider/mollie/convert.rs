//! Translations at the provider edge: Kassa's priced order → Mollie's create body, and
//! Mollie's order → the view the app shows. Amount strings are parsed here and nowhere else.

use kassa_model::api::{
    LineView, NewOrder, OrderEvent, OrderView, PartView, PaymentView, PricedLine, PricedOrder,
    Provider, RefundView, ShipmentView, TrackingInfo,
};
use kassa_model::mollie::{
    CreateLine, CreateOrder, LinePart, MollieAmount, Order, OrderEmbedded, OrderLine,
};
use kassa_model::{Money, MoneyError, VatRate};
use serde_json::json;

use crate::provider::{Callbacks, ProviderError};

pub fn create_order(
    new: &NewOrder,
    priced: &PricedOrder,
    order_number: String,
    cb: &Callbacks,
) -> CreateOrder {
    let amount = |m: Money| Some(MollieAmount::from(m));
    CreateOrder {
        amount: amount(priced.amount),
        order_number: Some(order_number),
        lines: priced
            .lines
            .iter()
            .map(|l| CreateLine {
                kind: Some("physical".into()),
                ..line(l)
            })
            .collect(),
        billing_address: Some(new.billing_address.clone()),
        redirect_url: Some(format!("{}/return/{}", cb.public_url, cb.return_ref)),
        webhook_url: cb
            .webhooks_reachable
            .then(|| format!("{}/webhooks/mollie", cb.public_url)),
        locale: Some(new.locale.clone()),
        method: new
            .method
            .clone()
            .filter(|m| !m.is_empty())
            .map(serde_json::Value::String),
        metadata: Some(json!({ "kassaReturnRef": cb.return_ref })),
        ..CreateOrder::default()
    }
}

/// A priced line with every amount Mollie checks: for creating an order and, without `type`,
/// for updating one of its lines.
pub fn line(l: &PricedLine) -> CreateLine {
    let amount = |m: Money| Some(MollieAmount::from(m));
    CreateLine {
        name: Some(l.name.clone()),
        sku: l.sku.clone(),
        quantity: Some(l.quantity.into()),
        unit_price: amount(l.unit_price),
        discount_amount: l.discount.map(MollieAmount::from),
        total_amount: amount(l.amounts.total),
        vat_rate: Some(l.vat_rate.to_string()),
        vat_amount: amount(l.amounts.vat),
        ..CreateLine::default()
    }
}

pub fn order_view(o: &Order, events: Vec<OrderEvent>) -> Result<OrderView, ProviderError> {
    let money = |a: &MollieAmount| a.to_money().map_err(|e| invalid(&o.id, e));
    let mut view = OrderView {
        id: o.id.clone(),
        provider: Provider::Mollie,
        order_number: o.order_number.clone(),
        merchant_reference2: None,
        provider_reference: None,
        status: o.status,
        provider_status: None,
        fraud_status: None,
        amount: money(&o.amount)?,
        amount_original: None,
        amount_remaining: uncaptured(o)?,
        amount_captured: o.amount_captured.as_ref().map(money).transpose()?,
        amount_refunded: o.amount_refunded.as_ref().map(money).transpose()?,
        locale: o.locale.clone(),
        method: o.method.clone(),
        created_at: o.created_at.clone(),
        expires_at: o.expires_at.clone(),
        extended_expires_at: None,
        billing_address: o.billing_address.clone(),
        shipping_address: o.shipping_address.clone(),
        lines: o
            .lines
            .iter()
            .map(|l| line_view(&o.id, l))
            .collect::<Result<_, _>>()?,
        checkout_url: o.links.checkout.as_ref().map(|l| l.href.clone()),
        events,
        shipments: embedded(o, |e| e.shipments.as_deref())
            .iter()
            .map(|s| {
                Ok(ShipmentView {
                    id: s.id.clone(),
                    created_at: s.created_at.clone(),
                    tracking: s.tracking.as_ref().map(|t| TrackingInfo {
                        carrier: t.carrier.clone(),
                        code: t.code.clone(),
                        url: t.url.clone(),
                        ..TrackingInfo::default()
                    }),
                    shipping_info: Vec::new(),
                    lines: parts(o, &s.lines)?,
                    amount: None,
                    reference: None,
                    actions: Vec::new(),
                })
            })
            .collect::<Result<_, ProviderError>>()?,
        refunds: embedded(o, |e| e.refunds.as_deref())
            .iter()
            .map(|r| {
                Ok(RefundView {
                    id: r.id.clone(),
                    created_at: r.created_at.clone(),
                    amount: money(&r.amount)?,
                    status: r.status.clone(),
                    description: r.description.clone(),
                    lines: parts(o, r.lines.as_deref().unwrap_or_default())?,
                })
            })
            .collect::<Result<_, ProviderError>>()?,
        payments: embedded(o, |e| e.payments.as_deref())
            .iter()
            .map(|p| {
                Ok(PaymentView {
                    id: p.id.clone(),
                    created_at: p.created_at.clone(),
                    status: p.status.clone(),
                    method: p.method.clone(),
                    amount: money(&p.amount)?,
                    checkout_url: p.links["checkout"]["href"].as_str().map(str::to_owned),
                })
            })
            .collect::<Result<_, ProviderError>>()?,
        actions: Vec::new(),
    };
    kassa_model::rules::annotate(&mut view);
    Ok(view)
}

/// What an authorized (pay later) order still holds uncaptured: the amount less what was
/// captured (on shipping) and what was canceled. `None` for orders that hold no
/// authorization (unpaid, paid, closed).
fn uncaptured(o: &Order) -> Result<Option<Money>, ProviderError> {
    use kassa_model::api::OrderStatus;
    if !matches!(o.status, OrderStatus::Authorized | OrderStatus::Shipping) {
        return Ok(None);
    }
    let money = |a: &MollieAmount| a.to_money().map_err(|e| invalid(&o.id, e));
    let amount = money(&o.amount)?;
    let mut left = amount;
    if let Some(captured) = &o.amount_captured {
        left = left
            .checked_sub(money(captured)?)
            .map_err(|e| invalid(&o.id, e))?;
    }
    for line in &o.lines {
        left = left
            .checked_sub(money(&line.amount_canceled)?)
            .map_err(|e| invalid(&o.id, e))?;
    }
    Ok(Some(Money::new(left.minor.max(0), amount.currency)))
}

/// One kind of embedded object (empty when the provider did not embed them).
fn embedded<'a, T>(o: &'a Order, pick: impl Fn(&'a OrderEmbedded) -> Option<&'a [T]>) -> &'a [T] {
    o.embedded.as_ref().and_then(pick).unwrap_or_default()
}

fn parts(o: &Order, lines: &[LinePart]) -> Result<Vec<PartView>, ProviderError> {
    lines
        .iter()
        .map(|p| {
            Ok(PartView {
                line_id: p.id.clone(),
                name: o
                    .lines
                    .iter()
                    .find(|l| l.id == p.id)
                    .map(|l| l.name.clone())
                    .unwrap_or_else(|| p.name.clone()),
                quantity: u32::try_from(p.quantity).map_err(|_| {
                    ProviderError::Invalid(format!("order {}: quantity {}", o.id, p.quantity))
                })?,
                amount: p.total_amount.to_money().map_err(|e| invalid(&o.id, e))?,
            })
        })
        .collect()
}

fn line_view(order_id: &str, l: &OrderLine) -> Result<LineView, ProviderError> {
    let money = |a: &MollieAmount| a.to_money().map_err(|e| invalid(order_id, e));
    let count = |n: i64| {
        u32::try_from(n)
            .map_err(|_| ProviderError::Invalid(format!("order {order_id}: quantity {n}")))
    };
    Ok(LineView {
        id: l.id.clone(),
        name: l.name.clone(),
        sku: l.sku.clone(),
        status: l.status,
        quantity: count(l.quantity)?,
        unit_price: money(&l.unit_price)?,
        discount: l.discount_amount.as_ref().map(money).transpose()?,
        total: money(&l.total_amount)?,
        vat_rate: l.vat_rate.parse::<VatRate>().map_err(|e| {
            ProviderError::Invalid(format!("order {order_id}: vatRate {}: {e}", l.vat_rate))
        })?,
        vat_amount: money(&l.vat_amount)?,
        quantity_shipped: count(l.quantity_shipped)?,
        quantity_refunded: count(l.quantity_refunded)?,
        quantity_canceled: count(l.quantity_canceled)?,
        shippable_quantity: count(l.shippable_quantity)?,
        refundable_quantity: count(l.refundable_quantity)?,
        cancelable_quantity: count(l.cancelable_quantity)?,
        amount_shipped: Some(money(&l.amount_shipped)?),
        amount_refunded: Some(money(&l.amount_refunded)?),
        amount_canceled: Some(money(&l.amount_canceled)?),
    })
}

fn invalid(order_id: &str, e: MoneyError) -> ProviderError {
    ProviderError::Invalid(format!("order {order_id}: amount: {e}"))
}
