//! What merchants do to an order after checkout: ship, cancel lines or the order, refund,
//! edit, and start a new payment. Each operation checks Mollie's rules for the order's state
//! (`shared/reference/mollie-orders-api.md` §3 and §5.4) and changes nothing when it fails.

mod cancel;
mod edit;
mod payment;
mod refund;
mod ship;

pub use cancel::*;
pub use edit::*;
pub use payment::*;
pub use refund::*;
pub use ship::*;

use kassa_model::mollie::{LineStatus, MollieAmount};
use kassa_model::Money;
use serde::Deserialize;
use serde_json::json;

use crate::echo::clip;

use crate::mollie::order::{LinePart, LineRecord, OrderRecord};
use crate::MollieError;

/// `{id, quantity?, amount?}`: one line of a shipment, refund or cancellation request.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct LineItem {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub quantity: Option<i64>,
    #[serde(default)]
    pub amount: Option<MollieAmount>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Ship,
    Cancel,
    Refund,
}

/// What of a line an operation may still take: units and their amount.
fn available(order: &OrderRecord, line: &LineRecord, kind: Kind) -> (u32, Money) {
    let currency = line.total.currency;
    let none = (0, Money::zero(currency));
    match kind {
        Kind::Ship => match line.status {
            LineStatus::Authorized | LineStatus::Paid | LineStatus::Shipping => {
                (line.open_quantity(), line.open_amount())
            }
            _ => none,
        },
        Kind::Cancel => {
            if line.counters(order.is_authorizing_flow()).cancelable > 0 {
                (line.open_quantity(), line.open_amount())
            } else {
                none
            }
        }
        Kind::Refund => {
            let refundable = line.counters(order.is_authorizing_flow()).refundable;
            let base = if order.is_authorizing_flow() {
                line.amount_shipped
            } else {
                line.total
            };
            (
                refundable,
                Money::new(base.minor - line.amount_refunded.minor, currency),
            )
        }
    }
}

/// Turns request items into line parts, or every line's whole remainder when `items` is
/// empty. Amounts follow §6.4: the rest of a line costs what is left of its total; part of a
/// discounted line needs an explicit `amount` within the allowed range.
fn resolve(
    order: &OrderRecord,
    items: &[LineItem],
    kind: Kind,
) -> Result<Vec<LinePart>, MollieError> {
    if items.is_empty() {
        return Ok(order
            .lines
            .iter()
            .filter_map(|l| {
                let (quantity, amount) = available(order, l, kind);
                (quantity > 0).then(|| LinePart {
                    line_id: l.id.clone(),
                    quantity,
                    amount,
                })
            })
            .collect());
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let invalid = |field: &str, why: String| {
                MollieError::unprocessable(
                    format!("lines.{i}.{field}"),
                    format!("Line {i} contains invalid data. {why}"),
                )
            };
            let id = item
                .id
                .as_deref()
                .ok_or_else(|| invalid("id", "The 'id' field is missing.".into()))?;
            let line = order.lines.iter().find(|l| l.id == id).ok_or_else(|| {
                invalid("id", format!("The order line with id '{}' does not exist.", clip(id)))
            })?;
            let (max_quantity, rest) = available(order, line, kind);
            let quantity = match item.quantity {
                None => max_quantity,
                Some(q) if q < 1 => {
                    return Err(invalid("quantity", "The quantity should be at least 1.".into()))
                }
                Some(q) => u32::try_from(q).unwrap_or(u32::MAX),
            };
            if quantity == 0 || quantity > max_quantity {
                return Err(invalid(
                    "quantity",
                    format!(
                        "The quantity is higher than the maximum quantity. The maximum quantity is {max_quantity}."
                    ),
                ));
            }
            let amount = part_amount(line, quantity, max_quantity, rest, item.amount.as_ref())
                .map_err(|(min, max)| {
                    let mut e = invalid(
                        "amount",
                        format!(
                            "An amount is required for this API call. The amount must be between {} and {}.",
                            min.display(),
                            max.display()
                        ),
                    );
                    e.extra = Some(json!({
                        "minimumAmount": MollieAmount::from(min),
                        "maximumAmount": MollieAmount::from(max),
                    }));
                    e
                })?;
            Ok(LinePart {
                line_id: line.id.clone(),
                quantity,
                amount,
            })
        })
        .collect()
}

/// The amount of `quantity` of `line` out of `available` remaining units worth `rest`.
/// `Err((min, max))` when an amount is needed and missing, or outside that range.
fn part_amount(
    line: &LineRecord,
    quantity: u32,
    available: u32,
    rest: Money,
    given: Option<&MollieAmount>,
) -> Result<Money, (Money, Money)> {
    let currency = rest.currency;
    let unit = line.unit_price.minor;
    let at_unit_price = unit * i64::from(quantity);
    let rest_after = unit * i64::from(available - quantity);
    let a = rest.minor - rest_after;
    let (lo, hi) = if unit >= 0 {
        (a.max(0), at_unit_price.min(rest.minor))
    } else {
        (at_unit_price.max(rest.minor), a.min(0))
    };
    let range = (Money::new(lo, currency), Money::new(hi, currency));
    match given {
        Some(wire) => match wire.to_money() {
            Ok(m) if m.currency == currency && (lo..=hi).contains(&m.minor) => Ok(m),
            _ => Err(range),
        },
        None if quantity == available => Ok(rest),
        None if lo == hi => Ok(range.0),
        None => Err(range),
    }
}

fn apply(order: &mut OrderRecord, parts: &[LinePart], kind: Kind) {
    for part in parts {
        if let Some(line) = order.line_mut(&part.line_id) {
            let add = |total: &mut Money| total.minor += part.amount.minor;
            match kind {
                Kind::Ship => {
                    line.quantity_shipped += part.quantity;
                    add(&mut line.amount_shipped);
                }
                Kind::Cancel => {
                    line.quantity_canceled += part.quantity;
                    add(&mut line.amount_canceled);
                }
                Kind::Refund => {
                    line.quantity_refunded += part.quantity;
                    add(&mut line.amount_refunded);
                }
            }
        }
    }
}
