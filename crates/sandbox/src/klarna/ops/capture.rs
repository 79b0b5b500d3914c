//! Captures: capture as you ship, shipping information per capture, sending the invoice
//! again, and extending an invoice's due date.

use kassa_model::klarna::om::{
    CaptureObject, ExtendDueDateOption, ExtendDueDateOptions, UpdateShippingInfo,
};
use kassa_model::klarna::{validate, FraudStatus};
use time::OffsetDateTime;

use super::require_open;
use crate::ids::new_uuid;
use crate::klarna::order::{Capture, Order};
use crate::klarna::KlarnaError;

const NOT_POSSIBLE: &str = "Capture not possible.";

/// `POST /orders/{id}/captures`: the new capture's id.
pub fn capture(
    order: &mut Order,
    req: &CaptureObject,
    now: OffsetDateTime,
) -> Result<String, KlarnaError> {
    validate::capture(req)?;
    let amount = req.captured_amount.unwrap_or_default();
    validate::lines_match_amount("captured_amount", amount, req.order_lines.as_deref())?;
    require_open(order, "CAPTURE_NOT_ALLOWED", NOT_POSSIBLE)?;
    match order.fraud_status {
        FraudStatus::Accepted => {}
        FraudStatus::Pending => {
            return Err(not_allowed(
                "Order is pending fraud review. Capture not possible.",
            ))
        }
        FraudStatus::Rejected => {
            return Err(not_allowed(
                "Order was rejected in fraud review. Capture not possible.",
            ))
        }
    }
    if amount > order.remaining_authorized_amount() {
        return Err(not_allowed(
            "Captured amount is higher than the remaining authorized amount. Capture not possible.",
        ));
    }
    let id = new_uuid();
    order.captures.push(Capture {
        id: id.clone(),
        klarna_reference: format!("{}-{}", order.klarna_reference, order.captures.len() + 1),
        captured_amount: amount,
        captured_at: now,
        description: req.description.clone(),
        reference: req.reference.clone(),
        order_lines: req.order_lines.clone().unwrap_or_default(),
        refunded_amount: 0,
        billing_address: order.billing_address.clone(),
        shipping_address: order.shipping_address.clone(),
        shipping_info: req.shipping_info.clone().unwrap_or_default(),
        send_outs: 0,
        due_date_extended_by: None,
    });
    order.settle_status();
    Ok(id)
}

fn not_allowed(message: &str) -> KlarnaError {
    KlarnaError::forbidden("CAPTURE_NOT_ALLOWED", message)
}

/// The capture an operation names: 403 when the order has none at all, `missing` (a 404) when
/// this one is not among them.
fn find<'a>(
    order: &'a mut Order,
    capture_id: &str,
    consequence: &str,
    missing: impl FnOnce() -> KlarnaError,
) -> Result<&'a mut Capture, KlarnaError> {
    if order.captures.is_empty() {
        return Err(KlarnaError::forbidden(
            "NOT_ALLOWED",
            format!("Order has no captures. {consequence}"),
        ));
    }
    order
        .captures
        .iter_mut()
        .find(|c| c.id == capture_id)
        .ok_or_else(missing)
}

pub fn no_such_capture(capture_id: &str, consequence: &str) -> KlarnaError {
    KlarnaError::not_found(
        "NO_SUCH_CAPTURE",
        format!(
            "Capture {} could not be found. {consequence}",
            crate::echo::clip(capture_id)
        ),
    )
}

/// `POST …/captures/{capture_id}/shipping-info`: appended, never replaced.
pub fn append_shipping_info(
    order: &mut Order,
    capture_id: &str,
    req: &UpdateShippingInfo,
) -> Result<(), KlarnaError> {
    validate::shipping_info(req)?;
    // Klarna's own words for this 404 (reference §3 and §6).
    let missing = || {
        KlarnaError::not_found(
            "NO_SUCH_CAPTURE",
            format!(
                "Capture could not be found. Shipping info cannot be added to capture {}",
                crate::echo::clip(capture_id)
            ),
        )
    };
    let capture = find(order, capture_id, "Shipping info cannot be added.", missing)?;
    capture
        .shipping_info
        .extend(req.shipping_info.clone().unwrap_or_default());
    Ok(())
}

/// `POST …/captures/{capture_id}/trigger-send-out`: the customer gets the invoice (payment
/// instructions) again.
pub fn trigger_send_out(order: &mut Order, capture_id: &str) -> Result<(), KlarnaError> {
    const CONSEQUENCE: &str = "Send out not possible.";
    let capture = find(order, capture_id, CONSEQUENCE, || {
        no_such_capture(capture_id, CONSEQUENCE)
    })?;
    capture.send_outs = capture.send_outs.saturating_add(1);
    Ok(())
}

/// The due-date extensions an invoice offers, and the merchant's fee for each (minor units of
/// the order's currency): the sandbox's own price list, Klarna's is per contract.
const DUE_DATE_OPTIONS: [(i64, i64); 3] = [(7, 100), (14, 200), (30, 400)];

/// `GET …/captures/{capture_id}/extend-due-date-options`: none for captures that are not
/// invoices or whose due date was extended already.
pub fn due_date_options(
    order: &Order,
    capture_id: &str,
) -> Result<ExtendDueDateOptions, KlarnaError> {
    let capture = order
        .capture(capture_id)
        .ok_or_else(|| no_such_capture(capture_id, "No due date options."))?;
    let offered = order.category.has_due_date() && capture.due_date_extended_by.is_none();
    Ok(ExtendDueDateOptions {
        currency: Some(order.purchase_currency.clone()),
        options: Some(if offered {
            DUE_DATE_OPTIONS
                .iter()
                .map(|(days, fee)| ExtendDueDateOption {
                    number_of_days: Some(*days),
                    amount: Some(*fee),
                })
                .collect()
        } else {
            Vec::new()
        }),
    })
}

/// `PATCH …/captures/{capture_id}/extend-due-date`: `number_of_days` must be one of the options.
pub fn extend_due_date(
    order: &mut Order,
    capture_id: &str,
    req: &kassa_model::klarna::om::ExtendDueDateRequest,
) -> Result<(), KlarnaError> {
    validate::extend_due_date(req)?;
    let days = req.number_of_days.unwrap_or_default();
    let invoice = order.category.has_due_date();
    let capture = order
        .captures
        .iter_mut()
        .find(|c| c.id == capture_id)
        .ok_or_else(|| no_such_capture(capture_id, "Due date cannot be extended."))?;
    let refuse = |message: String| Err(KlarnaError::forbidden("NOT_ALLOWED", message));
    if !invoice {
        return refuse("Only invoices have a due date. Due date cannot be extended.".into());
    }
    if capture.due_date_extended_by.is_some() {
        return refuse("Due date was extended already. Due date cannot be extended.".into());
    }
    if !DUE_DATE_OPTIONS.iter().any(|(d, _)| *d == days) {
        return refuse(format!(
            "{days} days is not one of the offered options. Due date cannot be extended."
        ));
    }
    capture.due_date_extended_by = Some(days);
    Ok(())
}
