//! Turns the sandbox's records into Mollie's JSON objects, with HAL links pointing at the
//! sandbox itself (clients follow them as absolute URLs).

use kassa_model::mollie::{
    self, LineLinks, Link, MollieAmount, Order, OrderEmbedded, OrderLine, OrderLinks, OrderStatus,
    Payment,
};
use kassa_model::Money;
use serde_json::{json, Value};

use crate::clock::format_datetime;
use crate::mollie::order::{
    LinePart, LineRecord, OrderRecord, PaymentRecord, RefundRecord, ShipmentRecord,
};

/// Which sub-resources to embed (`?embed=payments,refunds,shipments`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Embeds {
    pub payments: bool,
    pub refunds: bool,
    pub shipments: bool,
}

impl Embeds {
    pub fn parse(embed: Option<&str>) -> Self {
        let mut e = Self::default();
        for part in embed.unwrap_or_default().split(',') {
            match part.trim().split('.').next().unwrap_or_default() {
                "payments" => e.payments = true,
                "refunds" => e.refunds = true,
                "shipments" => e.shipments = true,
                _ => {}
            }
        }
        e
    }
}

/// `base` is the sandbox's own origin and mount path, e.g. `http://127.0.0.1:8080/sandbox`.
pub fn order(o: &OrderRecord, base: &str, embeds: Embeds) -> Order {
    let authorizing = o.is_authorizing_flow();
    let final_status = matches!(
        o.status,
        OrderStatus::Canceled | OrderStatus::Expired | OrderStatus::Completed
    );
    let embedded = (embeds.payments || embeds.refunds || embeds.shipments).then(|| OrderEmbedded {
        payments: embeds
            .payments
            .then(|| o.payments.iter().map(|p| payment(o, p, base)).collect()),
        refunds: embeds
            .refunds
            .then(|| o.refunds.iter().map(|r| refund(o, r, base)).collect()),
        shipments: embeds
            .shipments
            .then(|| o.shipments.iter().map(|s| shipment(o, s, base)).collect()),
    });
    Order {
        resource: "order".into(),
        id: o.id.clone(),
        profile_id: o.profile_id.clone(),
        method: o.method.clone(),
        mode: o.mode.as_str().into(),
        amount: o.amount.into(),
        amount_captured: o.amount_captured().map(Into::into),
        amount_refunded: o.amount_refunded().map(Into::into),
        status: o.status,
        is_cancelable: o.is_cancelable(),
        billing_address: o.billing_address.clone(),
        shipping_address: Some(o.shipping_address.clone()),
        shopper_country_must_match_billing_country: o.shopper_country_must_match_billing_country,
        consumer_date_of_birth: o.consumer_date_of_birth.clone(),
        order_number: o.order_number.clone(),
        locale: o.locale.clone(),
        metadata: o.metadata.clone(),
        redirect_url: o.redirect_url.clone(),
        cancel_url: o.cancel_url.clone(),
        webhook_url: o.webhook_url.clone(),
        lines: o.lines.iter().map(|l| line(o, l, authorizing)).collect(),
        created_at: format_datetime(o.created_at),
        expires_at: (!final_status).then(|| format_datetime(o.expires_at)),
        expired_at: o.expired_at.map(format_datetime),
        paid_at: o.paid_at.map(format_datetime),
        authorized_at: o.authorized_at.map(format_datetime),
        canceled_at: o.canceled_at.map(format_datetime),
        completed_at: o.completed_at.map(format_datetime),
        embedded,
        extra: Default::default(),
        links: OrderLinks {
            self_: Link::hal(format!("{base}/v2/orders/{}", o.id)),
            checkout: (o.status == OrderStatus::Created)
                .then(|| Link::html(checkout_url(base, &o.checkout_token))),
            dashboard: Some(Link::html(format!("{base}/dashboard/orders/{}", o.id))),
            documentation: Some(Link::html(
                "https://docs.mollie.com/reference/v2/orders-api/get-order",
            )),
        },
    }
}

pub fn checkout_url(base: &str, token: &str) -> String {
    format!("{base}/checkout/{token}")
}

fn line(o: &OrderRecord, l: &LineRecord, authorizing: bool) -> OrderLine {
    let counters = l.counters(authorizing);
    OrderLine {
        resource: "orderline".into(),
        id: l.id.clone(),
        order_id: o.id.clone(),
        name: l.name.clone(),
        sku: l.sku.clone(),
        kind: l.kind.clone(),
        category: l.category.clone(),
        status: l.status,
        metadata: l.metadata.clone(),
        is_cancelable: counters.cancelable > 0,
        quantity: l.quantity.into(),
        quantity_shipped: l.quantity_shipped.into(),
        amount_shipped: l.amount_shipped.into(),
        quantity_refunded: l.quantity_refunded.into(),
        amount_refunded: l.amount_refunded.into(),
        quantity_canceled: l.quantity_canceled.into(),
        amount_canceled: l.amount_canceled.into(),
        shippable_quantity: counters.shippable.into(),
        refundable_quantity: counters.refundable.into(),
        cancelable_quantity: counters.cancelable.into(),
        unit_price: l.unit_price.into(),
        discount_amount: l.discount.map(Into::into),
        total_amount: l.total.into(),
        vat_rate: l.vat_rate.to_string(),
        vat_amount: l.vat.into(),
        created_at: format_datetime(l.created_at),
        links: LineLinks {
            product_url: l.product_url.clone().map(Link::html),
            image_url: l.image_url.clone().map(Link::html),
        },
        extra: Default::default(),
    }
}

/// The part of a line a shipment or refund covers, as Mollie shows it: an order-line object
/// whose `quantity` and `totalAmount` are that part, `discountAmount` the difference to the
/// unit price, `vatAmount` recomputed, and without the line's running counters.
fn line_part(o: &OrderRecord, part: &LinePart) -> Option<mollie::LinePart> {
    let l = o.lines.iter().find(|l| l.id == part.line_id)?;
    let discount = l.unit_price.minor * i64::from(part.quantity) - part.amount.minor;
    let counters = l.counters(o.is_authorizing_flow());
    Some(mollie::LinePart {
        resource: "orderline".into(),
        id: l.id.clone(),
        order_id: o.id.clone(),
        name: l.name.clone(),
        sku: l.sku.clone(),
        kind: l.kind.clone(),
        status: l.status,
        is_cancelable: Some(counters.cancelable > 0),
        quantity: part.quantity.into(),
        unit_price: l.unit_price.into(),
        vat_rate: l.vat_rate.to_string(),
        vat_amount: l.vat_rate.vat_included_in(part.amount).into(),
        discount_amount: (discount != 0).then(|| Money::new(discount, o.currency).into()),
        total_amount: part.amount.into(),
        created_at: format_datetime(l.created_at),
        extra: Default::default(),
    })
}

pub fn shipment(o: &OrderRecord, s: &ShipmentRecord, base: &str) -> mollie::Shipment {
    mollie::Shipment {
        resource: "shipment".into(),
        id: s.id.clone(),
        order_id: o.id.clone(),
        created_at: format_datetime(s.created_at),
        tracking: s.tracking.as_ref().map(|t| mollie::Tracking {
            carrier: t.carrier.clone(),
            code: t.code.clone(),
            url: t.url.clone(),
        }),
        lines: s.lines.iter().filter_map(|p| line_part(o, p)).collect(),
        links: json!({
            "self": Link::hal(format!("{base}/v2/orders/{}/shipments/{}", o.id, s.id)),
            "order": Link::hal(format!("{base}/v2/orders/{}", o.id)),
            "documentation": Link::html("https://docs.mollie.com/reference/v2/shipments-api/get-shipment"),
        }),
        extra: Default::default(),
    }
}

pub fn refund(o: &OrderRecord, r: &RefundRecord, base: &str) -> mollie::Refund {
    mollie::Refund {
        resource: "refund".into(),
        id: r.id.clone(),
        amount: r.amount.into(),
        status: "pending".into(),
        created_at: format_datetime(r.created_at),
        description: r.description.clone(),
        metadata: r.metadata.clone(),
        payment_id: r.payment_id.clone(),
        order_id: Some(o.id.clone()),
        settlement_amount: None,
        // Only refunds made through the order have lines; an amount refunded on the payment
        // has none.
        lines: (!r.lines.is_empty())
            .then(|| r.lines.iter().filter_map(|p| line_part(o, p)).collect()),
        links: json!({
            "self": Link::hal(format!("{base}/v2/payments/{}/refunds/{}", r.payment_id, r.id)),
            "payment": Link::hal(format!("{base}/v2/payments/{}", r.payment_id)),
            "order": Link::hal(format!("{base}/v2/orders/{}", o.id)),
            "documentation": Link::html("https://docs.mollie.com/reference/v2/refunds-api/get-payment-refund"),
        }),
        extra: Default::default(),
    }
}

pub fn payment(o: &OrderRecord, p: &PaymentRecord, base: &str) -> Payment {
    let open = p.status == crate::mollie::order::PaymentStatus::Open;
    let mut links = json!({
        "self": Link::hal(format!("{base}/v2/payments/{}", p.id)),
        "order": Link::hal(format!("{base}/v2/orders/{}", o.id)),
        "dashboard": Link::html(format!("{base}/dashboard/payments/{}", p.id)),
    });
    if open && o.status == OrderStatus::Created {
        links["checkout"] = serde_json::to_value(Link::html(checkout_url(base, &o.checkout_token)))
            .unwrap_or_default();
    }
    Payment {
        resource: "payment".into(),
        id: p.id.clone(),
        mode: o.mode.as_str().into(),
        created_at: format_datetime(p.created_at),
        amount: MollieAmount::from(o.amount),
        description: format!("Order #{}", o.order_number),
        method: p.method.clone(),
        metadata: Value::Null,
        status: p.status.as_str().into(),
        is_cancelable: false,
        locale: o.locale.clone(),
        profile_id: o.profile_id.clone(),
        order_id: o.id.clone(),
        sequence_type: "oneoff".into(),
        redirect_url: o.redirect_url.clone(),
        links,
        extra: Default::default(),
    }
}
