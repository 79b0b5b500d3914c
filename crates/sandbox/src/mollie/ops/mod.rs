//! What merchants do to an order after checkout: ship, cancel lines or the order, refund,
//! edit, and start a new payment. Each operation checks Mollie's rules for the order's state
//! (`shared/reference/mollie-orders-api.md` §3 and §5.4) and changes nothing when it fails.

use kassa_model::mollie::{Address, CreateLine, LineStatus, MollieAmount, OrderStatus};
use kassa_model::{validate, Money};
use serde::Deserialize;
use serde_json::{json, Value};
use time::OffsetDateTime;

use crate::echo::{clip, clip_message};
use crate::ids::new_id;
use crate::mollie::order::{
    LinePart, LineRecord, OrderRecord, PaymentRecord, PaymentStatus, RefundRecord, ShipmentRecord,
    Tracking,
};
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

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackingInput {
    #[serde(default)]
    pub carrier: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

impl TrackingInput {
    pub fn validate(&self) -> Result<Tracking, MollieError> {
        let required = |v: &Option<String>, name: &str| match v.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() && s.chars().count() <= 100 => Ok(s.to_owned()),
            Some(s) if !s.is_empty() => Err(MollieError::unprocessable(
                format!("tracking.{name}"),
                format!("The tracking {name} may be at most 100 characters."),
            )),
            _ => Err(MollieError::unprocessable(
                format!("tracking.{name}"),
                format!("The 'tracking.{name}' field is missing."),
            )),
        };
        Ok(Tracking {
            carrier: required(&self.carrier, "carrier")?,
            code: required(&self.code, "code")?,
            url: self.url.clone().filter(|u| !u.trim().is_empty()),
        })
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ShipmentRequest {
    #[serde(default)]
    pub lines: Vec<LineItem>,
    #[serde(default)]
    pub tracking: Option<TrackingInput>,
}

/// `POST /v2/orders/{id}/shipments`: ships (and, for authorized orders, captures) lines.
pub fn ship(
    order: &mut OrderRecord,
    req: &ShipmentRequest,
    now: OffsetDateTime,
) -> Result<String, MollieError> {
    match order.status {
        OrderStatus::Authorized | OrderStatus::Paid | OrderStatus::Shipping => {}
        OrderStatus::Completed => {
            return Err(MollieError::not_allowed(
                "Cannot create a shipment. No lines can be shipped.",
            ))
        }
        _ => return Err(MollieError::not_allowed("This order cannot be shipped.")),
    }
    let tracking = req
        .tracking
        .as_ref()
        .map(TrackingInput::validate)
        .transpose()?;
    let parts = resolve(order, &req.lines, Kind::Ship)?;
    if parts.is_empty() {
        return Err(MollieError::not_allowed(
            "Cannot create a shipment. No lines can be shipped.",
        ));
    }
    apply(order, &parts, Kind::Ship);
    order.settle(now);
    let id = new_id("shp");
    order.shipments.push(ShipmentRecord {
        id: id.clone(),
        created_at: now,
        tracking,
        lines: parts,
    });
    Ok(id)
}

#[derive(Debug, Default, Deserialize)]
pub struct CancelLinesRequest {
    #[serde(default)]
    pub lines: Vec<LineItem>,
}

/// `DELETE /v2/orders/{id}/lines`: releases the authorization for (parts of) lines.
pub fn cancel_lines(
    order: &mut OrderRecord,
    req: &CancelLinesRequest,
    now: OffsetDateTime,
) -> Result<(), MollieError> {
    if !matches!(
        order.status,
        OrderStatus::Authorized | OrderStatus::Shipping
    ) || !order.is_authorizing_flow()
    {
        return Err(MollieError::not_allowed(format!(
            "Update authorization not allowed. Lines of a {} order cannot be canceled{}.",
            order.status,
            if order.paid_at.is_some() {
                "; refund them instead"
            } else {
                ""
            }
        )));
    }
    let parts = resolve(order, &req.lines, Kind::Cancel)?;
    if parts.is_empty() {
        return Err(MollieError::not_allowed("No lines can be canceled."));
    }
    apply(order, &parts, Kind::Cancel);
    order.settle(now);
    Ok(())
}

/// `DELETE /v2/orders/{id}` (§3.4).
pub fn cancel_order(order: &mut OrderRecord, now: OffsetDateTime) -> Result<(), MollieError> {
    let refuse = || {
        MollieError::bad_request(format!(
            "The order cannot be canceled from state: {}.",
            order.status
        ))
    };
    match order.status {
        OrderStatus::Created => {
            for line in &mut order.lines {
                line.cancel_rest();
            }
            for p in &mut order.payments {
                if matches!(p.status, PaymentStatus::Open | PaymentStatus::Pending) {
                    p.status = PaymentStatus::Canceled;
                }
            }
            order.status = OrderStatus::Canceled;
            order.canceled_at = Some(now);
        }
        OrderStatus::Authorized => {
            for line in &mut order.lines {
                line.cancel_rest();
            }
            order.settle(now);
        }
        OrderStatus::Shipping if !order.lines.iter().any(|l| l.status == LineStatus::Paid) => {
            for line in &mut order.lines {
                line.cancel_rest();
            }
            order.settle(now);
        }
        _ => return Err(refuse()),
    }
    Ok(())
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundRequest {
    #[serde(default)]
    pub lines: Option<Vec<LineItem>>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub metadata: Option<Value>,
}

/// `POST /v2/orders/{id}/refunds`: refunds paid (or shipped, captured) lines.
pub fn refund(
    order: &mut OrderRecord,
    req: &RefundRequest,
    now: OffsetDateTime,
) -> Result<String, MollieError> {
    let items = req
        .lines
        .as_ref()
        .ok_or_else(|| MollieError::unprocessable("lines", "The 'lines' field is missing."))?;
    if !matches!(
        order.status,
        OrderStatus::Paid | OrderStatus::Shipping | OrderStatus::Completed
    ) {
        let hint = if order.status == OrderStatus::Authorized {
            " Authorized lines are canceled, not refunded."
        } else {
            ""
        };
        return Err(MollieError::not_allowed(format!(
            "Cannot create a refund for an order with status {}.{hint}",
            order.status
        )));
    }
    check_refund_description(req.description.as_deref())?;
    let parts = resolve(order, items, Kind::Refund)?;
    if parts.is_empty() {
        return Err(MollieError::not_allowed(
            "Cannot create a refund. No lines can be refunded.",
        ));
    }
    let amount = Money::new(parts.iter().map(|p| p.amount.minor).sum(), order.currency);
    // An earlier refund of an amount on the payment leaves the lines refundable, but the
    // money is the payment's: together the refunds cannot exceed what was captured.
    check_within_remaining(order, amount, "lines")?;
    apply(order, &parts, Kind::Refund);
    let payment_id = order.settled_payment_id();
    let text = (req.description.as_deref(), req.metadata.as_ref());
    Ok(add_refund(order, now, text, amount, payment_id, parts))
}

/// Mollie shows a refund's description on the customer's statement: at most 140 characters.
fn check_refund_description(description: Option<&str>) -> Result<(), MollieError> {
    if description.is_some_and(|d| d.chars().count() > 140) {
        return Err(MollieError::unprocessable(
            "description",
            "The description may be at most 140 characters.",
        ));
    }
    Ok(())
}

/// A refund of `amount` fits in what was captured and not yet refunded, whether the earlier
/// refunds were of lines or of amounts; `field` is where the error points.
fn check_within_remaining(
    order: &OrderRecord,
    amount: Money,
    field: &str,
) -> Result<(), MollieError> {
    let zero = Money::zero(order.currency);
    let captured = order.amount_captured().unwrap_or(zero);
    let refunded = order.amount_refunded().unwrap_or(zero);
    let remaining = captured.checked_sub(refunded).unwrap_or(zero);
    if amount.minor > remaining.minor {
        return Err(MollieError::unprocessable(
            field,
            format!(
                "The amount requested exceeds the amount remaining for refund ({} {}).",
                order.currency.code(),
                MollieAmount::from(remaining).value
            ),
        ));
    }
    Ok(())
}

/// Records a refund (of `lines`, or of an amount when there are none) and returns its id.
/// `text` is the request's description and metadata.
fn add_refund(
    order: &mut OrderRecord,
    now: OffsetDateTime,
    (description, metadata): (Option<&str>, Option<&Value>),
    amount: Money,
    payment_id: String,
    lines: Vec<LinePart>,
) -> String {
    let id = new_id("re");
    order.refunds.push(RefundRecord {
        id: id.clone(),
        created_at: now,
        description: description
            .map(str::to_owned)
            .unwrap_or_else(|| format!("Refund for order {}", order.order_number)),
        metadata: metadata.cloned().unwrap_or(Value::Null),
        amount,
        payment_id,
        lines,
    });
    id
}

/// `POST /v2/payments/{id}/refunds`: an amount, not lines.
#[derive(Debug, Default, Deserialize)]
pub struct PaymentRefundRequest {
    #[serde(default)]
    pub amount: Option<MollieAmount>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub metadata: Option<Value>,
}

/// How long Mollie blocks a second refund of the same amount on the same payment.
const DUPLICATE_REFUND_WINDOW: time::Duration = time::Duration::hours(1);

/// `POST /v2/payments/{id}/refunds` on an order's payment: any amount up to what was captured
/// and not yet refunded (Mollie's way to refund an arbitrary amount of a pay-later order).
/// Lines are untouched; the order's `amountRefunded` grows.
pub fn refund_payment(
    order: &mut OrderRecord,
    payment_id: &str,
    req: &PaymentRefundRequest,
    now: OffsetDateTime,
) -> Result<String, MollieError> {
    let payment = order
        .payments
        .iter()
        .find(|p| p.id == payment_id)
        .ok_or_else(|| {
            MollieError::not_found(format!("No payment exists with token {payment_id}."))
        })?;
    if !matches!(
        payment.status,
        PaymentStatus::Paid | PaymentStatus::Authorized
    ) {
        return Err(MollieError::unprocessable(
            "amount",
            format!(
                "The payment cannot be refunded: its status is {}.",
                payment.status.as_str()
            ),
        ));
    }
    let wire = req
        .amount
        .as_ref()
        .ok_or_else(|| MollieError::unprocessable("amount", "The 'amount' field is missing."))?;
    let amount = wire.to_money().map_err(|e| {
        MollieError::unprocessable(
            "amount",
            format!("The amount is invalid: {}.", clip_message(&e.to_string())),
        )
    })?;
    if amount.currency != order.currency {
        return Err(MollieError::unprocessable(
            "amount.currency",
            format!(
                "The currency should be {}, the payment's currency.",
                order.currency.code()
            ),
        ));
    }
    if amount.minor <= 0 {
        return Err(MollieError::unprocessable(
            "amount",
            "The amount should be more than zero.",
        ));
    }
    check_refund_description(req.description.as_deref())?;
    check_within_remaining(order, amount, "amount")?;
    let duplicate = order.refunds.iter().any(|r| {
        r.payment_id == payment_id
            && r.lines.is_empty()
            && r.amount == amount
            && now - r.created_at < DUPLICATE_REFUND_WINDOW
    });
    if duplicate {
        return Err(MollieError::unprocessable(
            "amount",
            "A duplicate refund has been detected: the same amount was refunded on this payment within the last hour.",
        ));
    }
    let text = (req.description.as_deref(), req.metadata.as_ref());
    Ok(add_refund(
        order,
        now,
        text,
        amount,
        payment_id.to_owned(),
        Vec::new(),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateOrderRequest {
    #[serde(default)]
    pub billing_address: Option<Address>,
    #[serde(default)]
    pub shipping_address: Option<Address>,
    #[serde(default)]
    pub order_number: Option<String>,
    #[serde(default)]
    pub redirect_url: Option<String>,
    #[serde(default)]
    pub cancel_url: Option<String>,
    #[serde(default)]
    pub webhook_url: Option<String>,
}

/// `PATCH /v2/orders/{id}` (§3.3).
pub fn update_order(order: &mut OrderRecord, req: UpdateOrderRequest) -> Result<(), MollieError> {
    if matches!(
        order.status,
        OrderStatus::Canceled | OrderStatus::Expired | OrderStatus::Completed
    ) {
        return Err(MollieError::not_allowed(format!(
            "The order cannot be updated from state: {}.",
            order.status
        )));
    }
    let nothing = req.billing_address.is_none()
        && req.shipping_address.is_none()
        && req.order_number.is_none()
        && req.redirect_url.is_none()
        && req.cancel_url.is_none()
        && req.webhook_url.is_none();
    if nothing {
        return Err(MollieError::unprocessable(
            "billingAddress",
            "At least one field should be updated.",
        ));
    }
    if (req.redirect_url.is_some() || req.cancel_url.is_some())
        && order.status != OrderStatus::Created
    {
        return Err(MollieError::not_allowed(
            "The redirect and cancel URLs can only be updated before the payment is finalized.",
        ));
    }
    if let Some(a) = &req.billing_address {
        validate::address(a, "billingAddress", "billing address")?;
    }
    if let Some(a) = &req.shipping_address {
        validate::address(a, "shippingAddress", "shipping address")?;
    }
    if req
        .order_number
        .as_deref()
        .is_some_and(|n| n.trim().is_empty())
    {
        return Err(MollieError::unprocessable(
            "orderNumber",
            "The order number cannot be empty.",
        ));
    }
    if let Some(a) = req.billing_address {
        order.billing_address = a;
    }
    if let Some(a) = req.shipping_address {
        order.shipping_address = a;
    }
    if let Some(n) = req.order_number {
        order.order_number = n;
    }
    if let Some(u) = req.redirect_url {
        order.redirect_url = Some(u);
    }
    if let Some(u) = req.cancel_url {
        order.cancel_url = Some(u);
    }
    if let Some(u) = req.webhook_url {
        order.webhook_url = Some(u);
    }
    Ok(())
}

/// Line fields that `PATCH .../lines/{id}` and the manage operations `update` take.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineUpdate {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub image_url: Option<String>,
    #[serde(default)]
    pub product_url: Option<String>,
    #[serde(default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub metadata: Option<Value>,
    #[serde(default)]
    pub quantity: Option<i64>,
    #[serde(default)]
    pub unit_price: Option<MollieAmount>,
    #[serde(default)]
    pub discount_amount: Option<MollieAmount>,
    #[serde(default)]
    pub total_amount: Option<MollieAmount>,
    #[serde(default)]
    pub vat_amount: Option<MollieAmount>,
    #[serde(default)]
    pub vat_rate: Option<String>,
}

fn editable(order: &OrderRecord) -> Result<(), MollieError> {
    if matches!(
        order.status,
        OrderStatus::Created | OrderStatus::Pending | OrderStatus::Authorized
    ) {
        Ok(())
    } else {
        Err(MollieError::not_allowed(format!(
            "Update authorization not allowed. The order lines of a {} order cannot be changed.",
            order.status
        )))
    }
}

/// Applies a line update in place; `prefix` names fields in errors (`lines.0` style paths
/// for manage operations, none for the single-line endpoint).
fn apply_line_update(
    order: &mut OrderRecord,
    line_id: &str,
    u: &LineUpdate,
    prefix: &str,
) -> Result<(), MollieError> {
    let currency = order.currency;
    let line = order.line_mut(line_id).ok_or_else(|| {
        MollieError::not_found(format!("No order line exists with token {line_id}."))
    })?;
    if !matches!(line.status, LineStatus::Created | LineStatus::Authorized)
        || line.quantity_canceled > 0
    {
        return Err(MollieError::not_allowed(
            "This order line cannot be updated.",
        ));
    }
    let touches_amounts = u.quantity.is_some()
        || u.unit_price.is_some()
        || u.discount_amount.is_some()
        || u.total_amount.is_some()
        || u.vat_amount.is_some()
        || u.vat_rate.is_some();
    let nothing = !touches_amounts
        && u.name.is_none()
        && u.image_url.is_none()
        && u.product_url.is_none()
        && u.sku.is_none()
        && u.metadata.is_none();
    if nothing {
        return Err(MollieError::unprocessable(
            format!("{prefix}name"),
            "At least one field should be updated.",
        ));
    }
    if touches_amounts {
        // Mollie's coupling rule: any amount field means all of them (discount optional).
        let wire = CreateLine {
            name: Some(u.name.clone().unwrap_or_else(|| line.name.clone())),
            quantity: u.quantity,
            unit_price: u.unit_price.clone(),
            discount_amount: u.discount_amount.clone(),
            total_amount: u.total_amount.clone(),
            vat_rate: u.vat_rate.clone(),
            vat_amount: u.vat_amount.clone(),
            ..CreateLine::default()
        };
        for (present, field) in [
            (wire.quantity.is_some(), "quantity"),
            (wire.unit_price.is_some(), "unitPrice"),
            (wire.total_amount.is_some(), "totalAmount"),
            (wire.vat_amount.is_some(), "vatAmount"),
            (wire.vat_rate.is_some(), "vatRate"),
        ] {
            if !present {
                return Err(MollieError::unprocessable(
                    format!("{prefix}{field}"),
                    format!("The '{field}' field is missing: quantity, unitPrice, totalAmount, vatAmount and vatRate are updated together."),
                ));
            }
        }
        let valid = validate::create_line(0, &wire, currency).map_err(|e| {
            let field = e.field.trim_start_matches("lines.0.").to_owned();
            MollieError::unprocessable(
                format!("{prefix}{field}"),
                e.message.replace("Order line 0 is invalid. ", ""),
            )
        })?;
        line.quantity = valid.quantity;
        line.unit_price = valid.unit_price;
        line.discount = valid.discount;
        line.total = valid.amounts.total;
        line.vat = valid.amounts.vat;
        line.vat_rate = valid.vat_rate;
    }
    if let Some(n) = u.name.as_deref() {
        if n.trim().is_empty() {
            return Err(MollieError::unprocessable(
                format!("{prefix}name"),
                "The name cannot be empty.",
            ));
        }
        line.name = n.to_owned();
    }
    if u.sku.as_deref().is_some_and(|s| s.chars().count() > 64) {
        return Err(MollieError::unprocessable(
            format!("{prefix}sku"),
            "The SKU may be at most 64 characters.",
        ));
    }
    if let Some(s) = &u.sku {
        line.sku = Some(s.clone());
    }
    if let Some(v) = &u.image_url {
        line.image_url = Some(v.clone());
    }
    if let Some(v) = &u.product_url {
        line.product_url = Some(v.clone());
    }
    if let Some(m) = &u.metadata {
        line.metadata = m.clone();
    }
    Ok(())
}

/// The order amount after line edits: what is left of every line once canceled parts are
/// taken out (the manage-lines example in Mollie's docs drops a canceled line from `amount`).
fn recompute_amount(order: &mut OrderRecord) {
    order.amount = Money::new(
        order
            .lines
            .iter()
            .map(|l| l.total.minor - l.amount_canceled.minor)
            .sum(),
        order.currency,
    );
}

/// `PATCH /v2/orders/{id}/lines/{lineId}` (§3.6).
pub fn update_line(
    order: &mut OrderRecord,
    line_id: &str,
    u: &LineUpdate,
) -> Result<(), MollieError> {
    editable(order)?;
    let mut draft = order.clone();
    apply_line_update(&mut draft, line_id, u, "")?;
    recompute_amount(&mut draft);
    *order = draft;
    Ok(())
}

#[derive(Debug, Default, Deserialize)]
pub struct ManageLinesRequest {
    #[serde(default)]
    pub operations: Vec<Operation>,
}

#[derive(Debug, Deserialize)]
pub struct Operation {
    pub operation: String,
    #[serde(default)]
    pub data: Value,
}

/// `PATCH /v2/orders/{id}/lines` (§3.7): all operations or none.
pub fn manage_lines(
    order: &mut OrderRecord,
    req: ManageLinesRequest,
    now: OffsetDateTime,
) -> Result<(), MollieError> {
    editable(order)?;
    if req.operations.is_empty() {
        return Err(MollieError::unprocessable(
            "operations",
            "The 'operations' field is missing.",
        ));
    }
    let mut draft = order.clone();
    for (i, op) in req.operations.into_iter().enumerate() {
        let prefix = format!("operations.{i}.data.");
        let parse = |data: Value| {
            serde_json::from_value::<LineUpdate>(data).map_err(|e| {
                MollieError::unprocessable(
                    format!("operations.{i}.data"),
                    clip_message(&e.to_string()),
                )
            })
        };
        match op.operation.as_str() {
            "update" => {
                let u = parse(op.data)?;
                let id = u.id.clone().ok_or_else(|| {
                    MollieError::unprocessable(format!("{prefix}id"), "The 'id' field is missing.")
                })?;
                apply_line_update(&mut draft, &id, &u, &prefix)?;
            }
            "add" => {
                let wire: CreateLine = serde_json::from_value(op.data).map_err(|e| {
                    MollieError::unprocessable(
                        format!("operations.{i}.data"),
                        clip_message(&e.to_string()),
                    )
                })?;
                let valid = validate::create_line(draft.lines.len(), &wire, draft.currency)
                    .map_err(|e| {
                        let field = e.field.splitn(3, '.').nth(2).unwrap_or_default().to_owned();
                        MollieError::unprocessable(format!("{prefix}{field}"), e.message)
                    })?;
                let status = match draft.status {
                    OrderStatus::Authorized => LineStatus::Authorized,
                    _ => LineStatus::Created,
                };
                draft.lines.push(LineRecord {
                    id: new_id("odl"),
                    kind: wire.kind.clone().unwrap_or_else(|| "physical".into()),
                    category: wire.category.clone(),
                    name: wire.name.clone().unwrap_or_default(),
                    sku: wire.sku.clone(),
                    status,
                    metadata: wire.metadata.clone().unwrap_or(Value::Null),
                    quantity: valid.quantity,
                    unit_price: valid.unit_price,
                    discount: valid.discount,
                    total: valid.amounts.total,
                    vat_rate: valid.vat_rate,
                    vat: valid.amounts.vat,
                    image_url: wire.image_url.clone(),
                    product_url: wire.product_url.clone(),
                    created_at: now,
                    quantity_shipped: 0,
                    amount_shipped: Money::zero(draft.currency),
                    quantity_refunded: 0,
                    amount_refunded: Money::zero(draft.currency),
                    quantity_canceled: 0,
                    amount_canceled: Money::zero(draft.currency),
                });
            }
            "cancel" => {
                let item: LineItem = serde_json::from_value(op.data).map_err(|e| {
                    MollieError::unprocessable(
                        format!("operations.{i}.data"),
                        clip_message(&e.to_string()),
                    )
                })?;
                let id = item.id.clone().ok_or_else(|| {
                    MollieError::unprocessable(format!("{prefix}id"), "The 'id' field is missing.")
                })?;
                let line = draft.lines.iter().find(|l| l.id == id).ok_or_else(|| {
                    MollieError::unprocessable(
                        format!("{prefix}id"),
                        format!("The order line with id '{}' does not exist.", clip(&id)),
                    )
                })?;
                let open = line.open_quantity();
                let quantity = match item.quantity {
                    None => open,
                    Some(q) if q >= 1 && q <= i64::from(open) => q as u32,
                    Some(_) => {
                        return Err(MollieError::unprocessable(
                            format!("{prefix}quantity"),
                            format!("The quantity is higher than the maximum quantity. The maximum quantity is {open}."),
                        ))
                    }
                };
                let rest = line.open_amount();
                let amount = part_amount(line, quantity, open, rest, item.amount.as_ref()).map_err(|(min, max)| {
                    let mut e = MollieError::unprocessable(
                        format!("{prefix}amount"),
                        format!("An amount is required for this API call. The amount must be between {} and {}.", min.display(), max.display()),
                    );
                    e.extra = Some(json!({"minimumAmount": MollieAmount::from(min), "maximumAmount": MollieAmount::from(max)}));
                    e
                })?;
                apply(
                    &mut draft,
                    &[LinePart {
                        line_id: id,
                        quantity,
                        amount,
                    }],
                    Kind::Cancel,
                );
            }
            other => {
                return Err(MollieError::unprocessable(
                    format!("operations.{i}.operation"),
                    format!(
                        "The operation '{}' is invalid. Use add, update or cancel.",
                        clip(other)
                    ),
                ))
            }
        }
    }
    recompute_amount(&mut draft);
    if draft.amount.minor <= 0
        && draft
            .lines
            .iter()
            .any(|l| l.status != LineStatus::Canceled && l.open_quantity() > 0)
    {
        return Err(MollieError::unprocessable(
            "operations",
            "The order amount cannot be zero or negative.",
        ));
    }
    draft.settle(now);
    *order = draft;
    Ok(())
}

#[derive(Debug, Default, Deserialize)]
pub struct NewPaymentRequest {
    #[serde(default)]
    pub method: Option<Value>,
}

/// `POST /v2/orders/{id}/payments` (§3.9): a new attempt after a failed, canceled or
/// expired payment, at most 25 per order.
pub fn new_payment(
    order: &mut OrderRecord,
    methods: Vec<String>,
    now: OffsetDateTime,
) -> Result<usize, MollieError> {
    let refuse = |why: String| MollieError::not_allowed(why);
    if order.status != OrderStatus::Created {
        return Err(refuse(format!(
            "Cannot create a new payment for order {} when the order status is \"{}\".",
            order.id, order.status
        )));
    }
    if order
        .payments
        .last()
        .is_some_and(|p| !p.status.is_unsuccessful())
    {
        return Err(refuse(format!(
            "Cannot create a new payment for order {} while its payment is still {}.",
            order.id,
            order
                .payments
                .last()
                .map(|p| p.status.as_str())
                .unwrap_or_default()
        )));
    }
    if order.payments.len() >= 25 {
        return Err(refuse(format!(
            "The maximum of 25 payments for order {} has been reached.",
            order.id
        )));
    }
    if !methods.is_empty() {
        order.method = methods.first().filter(|_| methods.len() == 1).cloned();
        order.methods = methods;
    }
    order.payments.push(PaymentRecord {
        id: new_id("tr"),
        status: PaymentStatus::Open,
        method: order.method.clone(),
        created_at: now,
    });
    Ok(order.payments.len() - 1)
}
