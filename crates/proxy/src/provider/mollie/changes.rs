//! Whether the provider's fresh copy of an order differs from the mirror's in something a
//! merchant cares about: status, amounts, order number, addresses, each line's amounts,
//! quantities and status, and the payments, shipments and refunds. Links, timestamps of the
//! fetch, expiry and the like are not a change; neither is a list the earlier copy did not
//! carry (the order as created has no embedded payments, shipments or refunds: Kassa cannot
//! tell that anything about them changed, so it does not claim it).

use kassa_model::api::{Address, LineStatus, OrderStatus};
use kassa_model::mollie::{MollieAmount, Order, Tracking};

/// Whether `after` brings news compared with `before`.
pub fn differs(before: &Order, after: &Order) -> bool {
    let (a, b) = (Snapshot::of(before), Snapshot::of(after));
    a.order != b.order
        || both_known_and_differ(&a.payments, &b.payments)
        || both_known_and_differ(&a.refunds, &b.refunds)
        || both_known_and_differ(&a.shipments, &b.shipments)
}

fn both_known_and_differ<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a != b)
}

struct Snapshot<'a> {
    order: OrderPart<'a>,
    payments: Option<Vec<PaymentPart<'a>>>,
    refunds: Option<Vec<RefundPart<'a>>>,
    shipments: Option<Vec<ShipmentPart<'a>>>,
}

#[derive(PartialEq)]
struct OrderPart<'a> {
    status: OrderStatus,
    amount: &'a MollieAmount,
    amount_captured: Option<&'a MollieAmount>,
    amount_refunded: Option<&'a MollieAmount>,
    order_number: &'a str,
    billing_address: &'a Address,
    shipping_address: Option<&'a Address>,
    lines: Vec<LinePart<'a>>,
}

#[derive(PartialEq)]
struct LinePart<'a> {
    id: &'a str,
    name: &'a str,
    sku: Option<&'a str>,
    status: LineStatus,
    quantity: i64,
    quantity_shipped: i64,
    quantity_refunded: i64,
    quantity_canceled: i64,
    unit_price: &'a MollieAmount,
    discount: Option<&'a MollieAmount>,
    total: &'a MollieAmount,
    vat_rate: &'a str,
}

#[derive(PartialEq)]
struct PaymentPart<'a> {
    id: &'a str,
    status: &'a str,
    method: Option<&'a str>,
    amount: &'a MollieAmount,
}

#[derive(PartialEq)]
struct RefundPart<'a> {
    id: &'a str,
    status: &'a str,
    amount: &'a MollieAmount,
}

#[derive(PartialEq)]
struct ShipmentPart<'a> {
    id: &'a str,
    tracking: Option<&'a Tracking>,
    lines: Vec<(&'a str, i64)>,
}

impl<'a> Snapshot<'a> {
    fn of(o: &'a Order) -> Self {
        let embedded = o.embedded.as_ref();
        Self {
            order: OrderPart {
                status: o.status,
                amount: &o.amount,
                amount_captured: o.amount_captured.as_ref(),
                amount_refunded: o.amount_refunded.as_ref(),
                order_number: &o.order_number,
                billing_address: &o.billing_address,
                shipping_address: o.shipping_address.as_ref(),
                lines: o
                    .lines
                    .iter()
                    .map(|l| LinePart {
                        id: &l.id,
                        name: &l.name,
                        sku: l.sku.as_deref(),
                        status: l.status,
                        quantity: l.quantity,
                        quantity_shipped: l.quantity_shipped,
                        quantity_refunded: l.quantity_refunded,
                        quantity_canceled: l.quantity_canceled,
                        unit_price: &l.unit_price,
                        discount: l.discount_amount.as_ref(),
                        total: &l.total_amount,
                        vat_rate: &l.vat_rate,
                    })
                    .collect(),
            },
            payments: embedded.and_then(|e| e.payments.as_ref()).map(|ps| {
                ps.iter()
                    .map(|p| PaymentPart {
                        id: &p.id,
                        status: &p.status,
                        method: p.method.as_deref(),
                        amount: &p.amount,
                    })
                    .collect()
            }),
            refunds: embedded.and_then(|e| e.refunds.as_ref()).map(|rs| {
                rs.iter()
                    .map(|r| RefundPart {
                        id: &r.id,
                        status: &r.status,
                        amount: &r.amount,
                    })
                    .collect()
            }),
            shipments: embedded.and_then(|e| e.shipments.as_ref()).map(|ss| {
                ss.iter()
                    .map(|s| ShipmentPart {
                        id: &s.id,
                        tracking: s.tracking.as_ref(),
                        lines: s
                            .lines
                            .iter()
                            .map(|l| (l.id.as_str(), l.quantity))
                            .collect(),
                    })
                    .collect()
            }),
        }
    }
}
