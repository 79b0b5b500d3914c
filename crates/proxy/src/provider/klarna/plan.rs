//! Klarna's side of staff actions: each [`OrderAction`] as the Order Management calls that
//! carry it out, computed from the mirrored order. Amounts come from lines with the model's
//! Klarna arithmetic ([`kassa_model::klarna::arithmetic`]): part of a line takes its share of
//! what is left of it ([`share_of_rest`]), so the parts of a discounted line add up to it.

use kassa_model::api::{Address, LineQuantity, OrderAction, OrderView, TrackingInfo};
use kassa_model::klarna::arithmetic;
use kassa_model::klarna::om::{
    CaptureObject, ExtendDueDateRequest, Order, OrderLine, RefundObject, UpdateAuthorization,
    UpdateConsumer, UpdateMerchantReferences, UpdateShippingInfo,
};
use kassa_model::line::share_of_rest;
use kassa_model::{FieldError, Money, Provider, VatRate};
use serde_json::Value;

use super::convert::{self, is_return_fee, line_key, tally};
use super::{is_uuid, KlarnaClient, ORDERS};
use crate::error::AppError;
use crate::provider::{ProviderCall, ProviderOrder};
use crate::AppState;

/// Klarna's longest description and reference (capture, refund, merchant references).
const TEXT_MAX: usize = 255;

pub async fn calls(
    state: &AppState,
    client: &KlarnaClient,
    order_id: &str,
    action: &OrderAction,
) -> Result<Vec<ProviderCall>, AppError> {
    let order = match state.mirror.get(order_id).await? {
        Some(ProviderOrder::Klarna(order)) => *order,
        _ => return Err(AppError::NotFound(format!("No order {order_id}."))),
    };
    let view = convert::order_view(&order, Vec::new(), state.now_unix())?;
    let base = format!("{ORDERS}/{order_id}");
    let post = |path: String, body: Value| ProviderCall::new(Provider::Klarna, "POST", path, body);
    let patch =
        |path: String, body: Value| ProviderCall::new(Provider::Klarna, "PATCH", path, body);
    let calls = match action {
        OrderAction::Ship {
            lines,
            tracking,
            description,
            ..
        } => vec![post(
            format!("{base}/captures"),
            json(&capture(&order, lines, tracking.as_ref(), description)?)?,
        )],
        OrderAction::Refund {
            lines,
            description,
            reference,
            return_fee,
            ..
        } => {
            let body = refund(&order, lines, description, reference, *return_fee)?;
            vec![post(format!("{base}/refunds"), json(&body)?)]
        }
        OrderAction::RefundAmount {
            amount,
            description,
            ..
        } => {
            let body = amount_refund(&view, *amount, description)?;
            vec![post(format!("{base}/refunds"), json(&body)?)]
        }
        OrderAction::CancelLines { lines, .. } => vec![patch(
            format!("{base}/authorization"),
            json(&remove_items(&order, lines)?)?,
        )],
        OrderAction::CancelOrder { .. } => vec![post(format!("{base}/cancel"), Value::Null)],
        OrderAction::UpdateTracking {
            shipment_id,
            tracking,
            ..
        } => {
            let body = UpdateShippingInfo {
                shipping_info: Some(vec![convert::shipping_info(tracking)]),
            };
            vec![post(
                format!("{base}/captures/{}/shipping-info", capture_id(shipment_id)?),
                json(&body)?,
            )]
        }
        OrderAction::UpdateOrder {
            billing_address,
            shipping_address,
            order_number,
            merchant_reference2,
            ..
        } => {
            let mut calls = Vec::new();
            if billing_address.is_some() {
                return Err(FieldError::new(
                    "billing_address",
                    "Klarna does not allow changing the billing address; change the shipping address instead.",
                )
                .into());
            }
            if let Some(a) = shipping_address {
                calls.push(patch(
                    format!("{base}/customer-details"),
                    json(&customer_details(a)?)?,
                ));
            }
            if order_number.is_some() || merchant_reference2.is_some() {
                let body = UpdateMerchantReferences {
                    merchant_reference1: text(order_number, "order_number")?,
                    merchant_reference2: text(merchant_reference2, "merchant_reference2")?,
                };
                calls.push(patch(format!("{base}/merchant-references"), json(&body)?));
            }
            if calls.is_empty() {
                return Err(FieldError::new(
                    "shipping_address",
                    "Give a shipping address or a reference to change.",
                )
                .into());
            }
            calls
        }
        OrderAction::Acknowledge { .. } => {
            vec![post(format!("{base}/acknowledge"), Value::Null)]
        }
        OrderAction::ReleaseAuthorization { .. } => vec![post(
            format!("{base}/release-remaining-authorization"),
            Value::Null,
        )],
        OrderAction::ExtendAuthorization { .. } => vec![post(
            format!("{base}/extend-authorization-time"),
            Value::Null,
        )],
        OrderAction::TriggerSendOut { shipment_id, .. } => vec![post(
            format!(
                "{base}/captures/{}/trigger-send-out",
                capture_id(shipment_id)?
            ),
            Value::Null,
        )],
        OrderAction::ExtendDueDate {
            shipment_id, days, ..
        } => {
            let capture = capture_id(shipment_id)?;
            let offered = super::due_date_options(client, &view, capture).await?;
            if !offered.iter().any(|o| o.days == *days) {
                let message = if offered.is_empty() {
                    "Klarna offers no due-date extension for this capture.".to_owned()
                } else {
                    let list: Vec<String> = offered.iter().map(|o| o.days.to_string()).collect();
                    format!(
                        "Choose one of the offered extensions: {} days.",
                        list.join(", ")
                    )
                };
                return Err(FieldError::new("days", message).into());
            }
            let body = ExtendDueDateRequest {
                number_of_days: Some(i64::from(*days)),
            };
            vec![patch(
                format!("{base}/captures/{capture}/extend-due-date"),
                json(&body)?,
            )]
        }
        OrderAction::UpdateLine { .. } | OrderAction::CreatePayment { .. } => {
            return Err(AppError::NotAllowed(
                "Klarna orders have no such action.".into(),
            ))
        }
    };
    Ok(calls)
}

fn json<T: serde::Serialize>(body: &T) -> Result<Value, AppError> {
    serde_json::to_value(body).map_err(|e| AppError::Internal(e.to_string()))
}

/// A capture id from the mirror, checked again before it goes into a URL.
fn capture_id(id: &str) -> Result<&str, AppError> {
    if is_uuid(id) {
        Ok(id)
    } else {
        Err(FieldError::new("shipment_id", "This is not a shipment of this order.").into())
    }
}

/// A text Klarna takes up to 255 characters of; blank is left out.
fn text(value: &Option<String>, field: &str) -> Result<Option<String>, AppError> {
    match value.as_deref().map(str::trim) {
        None => Ok(None),
        Some(v) if v.chars().count() > TEXT_MAX => Err(FieldError::new(
            field,
            format!("Klarna takes at most {TEXT_MAX} characters here."),
        )
        .into()),
        Some(v) => Ok(Some(v.to_owned())),
    }
}

/// What a request does to its lines: which units of a line are available to it, and how
/// much money they hold.
#[derive(Clone, Copy)]
enum Part {
    Capture,
    Refund,
    Remove,
}

impl Part {
    fn verb(self) -> &'static str {
        match self {
            Self::Capture => "captured",
            Self::Refund => "refunded",
            Self::Remove => "removed",
        }
    }

    /// Units of `line` this request can take, and the money they hold.
    fn available(self, order: &Order, line: &OrderLine) -> (u32, i64) {
        let t = tally(order, line_key(line));
        let quantity = u32::try_from(line.quantity.unwrap_or_default()).unwrap_or(0);
        match self {
            Self::Capture | Self::Remove => (
                quantity.saturating_sub(t.captured),
                line.total_amount
                    .unwrap_or_default()
                    .saturating_sub(t.captured_total),
            ),
            Self::Refund => (
                t.captured.saturating_sub(t.refunded),
                t.captured_total.saturating_sub(t.refunded_total),
            ),
        }
    }
}

/// Part of an order line a request takes: the line, how many units, the amount staff typed.
type Chosen<'a> = (&'a OrderLine, u32, Option<Money>);

/// The order lines a capture, refund or removal takes: the parts asked for (each unit at
/// most once, `lines.{i}` named when not), or everything available when none are.
fn chosen<'a>(
    order: &'a Order,
    kind: Part,
    asked: &[LineQuantity],
) -> Result<Vec<Chosen<'a>>, AppError> {
    let lines: Vec<&OrderLine> = order
        .order_lines
        .iter()
        .flatten()
        .filter(|l| !is_return_fee(l))
        .collect();
    if asked.is_empty() {
        return Ok(lines
            .into_iter()
            .filter_map(|l| {
                let (units, _) = kind.available(order, l);
                (units > 0).then_some((l, units, None))
            })
            .collect());
    }
    let currency = convert::currency(order)?;
    let mut out: Vec<Chosen> = Vec::new();
    for (i, part) in asked.iter().enumerate() {
        let line = lines
            .iter()
            .find(|l| line_key(l) == part.line_id)
            .ok_or_else(|| {
                FieldError::new(
                    format!("lines.{i}.line_id"),
                    "This is not a line of this order.",
                )
            })?;
        let (units, _) = kind.available(order, line);
        let already: u32 = out
            .iter()
            .filter(|(l, ..)| line_key(l) == part.line_id)
            .map(|(_, q, _)| *q)
            .sum();
        if part.quantity == 0 || part.quantity > units.saturating_sub(already) {
            return Err(FieldError::new(
                format!("lines.{i}.quantity"),
                format!(
                    "At most {} of this line can be {}.",
                    units.saturating_sub(already),
                    kind.verb()
                ),
            )
            .into());
        }
        if let Some(amount) = part.amount {
            if amount.currency != currency || amount.minor < 0 {
                return Err(FieldError::new(
                    format!("lines.{i}.amount"),
                    format!(
                        "Give an amount in {} that is not negative.",
                        currency.code()
                    ),
                )
                .into());
            }
        }
        out.push((line, part.quantity, part.amount));
    }
    Ok(out)
}

/// `quantity` units of `line` as a Klarna line, out of the `units` this request can take
/// which hold `rest`: all of it for all of them, else the share ([`share_of_rest`]), or the
/// amount staff typed.
fn part_line(
    order: &Order,
    kind: Part,
    line: &OrderLine,
    quantity: u32,
    amount: Option<Money>,
) -> Result<OrderLine, AppError> {
    let currency = convert::currency(order)?;
    let (units, rest) = kind.available(order, line);
    let total = match amount {
        Some(a) => a.minor,
        None if quantity >= units => rest,
        None => share_of_rest(Money::new(rest, currency), quantity, units)
            .map(|m| m.minor)
            .unwrap_or(rest),
    };
    build_line(order, line, quantity, total)
}

/// A copy of `line` for `quantity` units totalling `total`: the unit price stays, the
/// difference is the part's discount, the tax follows from Klarna's arithmetic.
fn build_line(
    order: &Order,
    line: &OrderLine,
    quantity: u32,
    total: i64,
) -> Result<OrderLine, AppError> {
    let currency = convert::currency(order)?;
    let unit = line.unit_price.unwrap_or_default();
    let overflow = || AppError::Internal(format!("Klarna line {} overflows", line_key(line)));
    let gross = unit.checked_mul(i64::from(quantity)).ok_or_else(overflow)?;
    let discount = gross.checked_sub(total).ok_or_else(overflow)?;
    let rate = u32::try_from(line.tax_rate.unwrap_or_default())
        .ok()
        .and_then(|bp| VatRate::from_basis_points(bp).ok())
        .ok_or_else(overflow)?;
    if (unit >= 0 && discount < 0) || (unit < 0 && discount > 0) {
        return Err(FieldError::new("lines", "A part cannot be worth more than its line.").into());
    }
    let mut out = arithmetic::order_line(
        line.name.clone().unwrap_or_default(),
        Money::new(unit, currency),
        quantity,
        (discount != 0).then(|| Money::new(discount, currency)),
        rate,
    )
    .map_err(|_| overflow())?;
    out.kind = line.kind.clone();
    out.reference = line.reference.clone();
    out.quantity_unit = line.quantity_unit.clone();
    Ok(out)
}

fn capture(
    order: &Order,
    asked: &[LineQuantity],
    tracking: Option<&TrackingInfo>,
    description: &Option<String>,
) -> Result<CaptureObject, AppError> {
    let lines = chosen(order, Part::Capture, asked)?
        .into_iter()
        .map(|(l, q, a)| part_line(order, Part::Capture, l, q, a))
        .collect::<Result<Vec<_>, _>>()?;
    if lines.is_empty() {
        return Err(FieldError::new("lines", "Nothing is left to capture.").into());
    }
    let amount = arithmetic::order_amount(&lines)
        .map_err(|_| FieldError::new("lines", "The capture is too large."))?;
    Ok(CaptureObject {
        captured_amount: Some(amount),
        description: text(description, "description")?.filter(|d| !d.is_empty()),
        order_lines: Some(lines),
        shipping_info: tracking.map(|t| vec![convert::shipping_info(t)]),
        ..CaptureObject::default()
    })
}

fn refund(
    order: &Order,
    asked: &[LineQuantity],
    description: &Option<String>,
    reference: &Option<String>,
    return_fee: Option<Money>,
) -> Result<RefundObject, AppError> {
    let chosen = chosen(order, Part::Refund, asked)?;
    let mut lines = chosen
        .iter()
        .map(|(l, q, a)| part_line(order, Part::Refund, l, *q, *a))
        .collect::<Result<Vec<_>, _>>()?;
    if lines.is_empty() {
        return Err(FieldError::new("lines", "Nothing captured is left to refund.").into());
    }
    let goods = arithmetic::order_amount(&lines)
        .map_err(|_| FieldError::new("lines", "The refund is too large."))?;
    if let Some(fee) = return_fee {
        let currency = convert::currency(order)?;
        if fee.currency != currency || fee.minor <= 0 || fee.minor >= goods {
            return Err(FieldError::new(
                "return_fee",
                format!(
                    "The return fee is an amount in {} above zero and below what is refunded.",
                    currency.code()
                ),
            )
            .into());
        }
        // Klarna's return fee: a line of its own with negative amounts, taxed as the goods.
        let rate = lines
            .first()
            .and_then(|l| l.tax_rate)
            .and_then(|bp| u32::try_from(bp).ok())
            .and_then(|bp| VatRate::from_basis_points(bp).ok())
            .unwrap_or(
                VatRate::from_basis_points(0).map_err(|e| AppError::Internal(e.to_string()))?,
            );
        let mut line = arithmetic::order_line(
            "Return fee",
            Money::new(-fee.minor, currency),
            1,
            None,
            rate,
        )
        .map_err(|e| AppError::Internal(e.to_string()))?;
        line.kind = Some("return_fee".into());
        line.reference = Some("return-fee".into());
        lines.push(line);
    }
    let amount = arithmetic::order_amount(&lines)
        .map_err(|_| FieldError::new("lines", "The refund is too large."))?;
    Ok(RefundObject {
        refunded_amount: Some(amount),
        description: text(description, "description")?.filter(|d| !d.is_empty()),
        reference: text(reference, "reference")?.filter(|r| !r.is_empty()),
        order_lines: Some(lines),
    })
}

/// A refund of an amount, no lines: up to what was captured and not refunded (Kassa says so
/// before Klarna's "Over refund is not allowed").
fn amount_refund(
    view: &OrderView,
    amount: Money,
    description: &Option<String>,
) -> Result<RefundObject, AppError> {
    let currency = view.amount.currency;
    if amount.currency != currency {
        return Err(FieldError::new(
            "amount",
            format!("Refund in {}, the order's currency.", currency.code()),
        )
        .into());
    }
    if amount.minor <= 0 {
        return Err(FieldError::new("amount", "Enter an amount more than zero.").into());
    }
    let left = kassa_model::rules::refundable_amount(view).unwrap_or(Money::zero(currency));
    if amount.minor > left.minor {
        return Err(FieldError::new("amount", format!("At most {left} can be refunded.")).into());
    }
    Ok(RefundObject {
        refunded_amount: Some(amount.minor),
        description: text(description, "description")?.filter(|d| !d.is_empty()),
        ..RefundObject::default()
    })
}

/// "Remove items": the authorization updated to the lines that remain (each less what is
/// removed, a line removed entirely left out) and their sum, which is never below what was
/// captured since captured units are never removed.
fn remove_items(order: &Order, asked: &[LineQuantity]) -> Result<UpdateAuthorization, AppError> {
    let removed = chosen(order, Part::Remove, asked)?;
    if removed.is_empty() {
        return Err(FieldError::new("lines", "Nothing is left to remove.").into());
    }
    let mut remaining = Vec::new();
    for line in order.order_lines.iter().flatten() {
        let mut quantity = u32::try_from(line.quantity.unwrap_or_default()).unwrap_or(0);
        let mut total = line.total_amount.unwrap_or_default();
        let mut touched = false;
        for (l, q, a) in removed.iter().filter(|(l, ..)| std::ptr::eq(*l, line)) {
            let part = part_line(order, Part::Remove, l, *q, *a)?;
            quantity -= *q;
            total -= part.total_amount.unwrap_or_default();
            touched = true;
        }
        if quantity == 0 {
            continue;
        }
        remaining.push(if touched {
            build_line(order, line, quantity, total)?
        } else {
            line.clone()
        });
    }
    let amount = arithmetic::order_amount(&remaining)
        .map_err(|_| FieldError::new("lines", "The order is too large."))?;
    Ok(UpdateAuthorization {
        order_amount: Some(amount),
        description: None,
        order_lines: Some(remaining),
    })
}

/// Klarna changes only the shipping address (in the purchase country; Klarna checks that).
fn customer_details(a: &Address) -> Result<UpdateConsumer, AppError> {
    kassa_model::validate::customer_address(a, "shippingAddress")?;
    Ok(UpdateConsumer {
        shipping_address: Some(convert::klarna_address(a)),
        billing_address: None,
    })
}
