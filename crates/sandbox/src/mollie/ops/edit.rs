//! Changing an order before it is paid or shipped: its details (`PATCH /v2/orders/{id}`), one
//! line (`PATCH …/lines/{lineId}`) or several lines at once (`PATCH …/lines`).

use kassa_model::mollie::{Address, CreateLine, LineStatus, MollieAmount, OrderStatus};
use kassa_model::{validate, Money};
use serde::Deserialize;
use serde_json::{json, Value};
use time::OffsetDateTime;

use super::*;
use crate::echo::{clip, clip_message};
use crate::ids::new_id;
use crate::mollie::order::{LinePart, LineRecord, OrderRecord};
use crate::MollieError;

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
