//! Orders and lines for the unit tests of the app's pure logic (`actions`, `format`).

use kassa_model::api::{Address, LineStatus, LineView, OrderStatus, OrderView, Provider};
use kassa_model::{Currency, Money};

/// Euros in cents.
pub fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

pub fn line(id: &str, quantity: u32, unit: i64, discount: Option<i64>) -> LineView {
    let total = unit * i64::from(quantity) - discount.unwrap_or(0);
    LineView {
        id: id.into(),
        name: id.into(),
        sku: None,
        status: LineStatus::Paid,
        quantity,
        unit_price: eur(unit),
        discount: discount.map(eur),
        total: eur(total),
        vat_rate: "21".parse().unwrap(),
        vat_amount: eur(0),
        quantity_shipped: 0,
        quantity_refunded: 0,
        quantity_canceled: 0,
        shippable_quantity: quantity,
        refundable_quantity: quantity,
        cancelable_quantity: 0,
        amount_shipped: Some(eur(0)),
        amount_refunded: Some(eur(0)),
        amount_canceled: Some(eur(0)),
    }
}

/// An order with its actions filled in by the model's rules, as the proxy sends them.
pub fn order(status: OrderStatus, lines: Vec<LineView>) -> OrderView {
    let mut order = OrderView {
        id: "ord_1".into(),
        provider: Provider::Mollie,
        order_number: "1337".into(),
        merchant_reference2: None,
        provider_reference: None,
        status,
        provider_status: None,
        fraud_status: None,
        amount: eur(102_799),
        amount_original: None,
        amount_remaining: None,
        amount_captured: None,
        amount_refunded: None,
        locale: "en_US".into(),
        method: None,
        created_at: String::new(),
        expires_at: None,
        extended_expires_at: None,
        billing_address: Address::default(),
        shipping_address: None,
        lines,
        checkout_url: None,
        events: Vec::new(),
        shipments: Vec::new(),
        refunds: Vec::new(),
        payments: Vec::new(),
        actions: Vec::new(),
    };
    kassa_model::rules::annotate(&mut order);
    order
}
