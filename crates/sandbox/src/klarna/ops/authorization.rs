//! The authorization itself: change it, extend it, release what is left of it, or cancel the
//! order.

use kassa_model::klarna::om::UpdateAuthorization;
use kassa_model::klarna::{validate, OrderStatus};
use time::OffsetDateTime;

use super::require_open;
use kassa_model::klarna::expiry;

use crate::klarna::order::{from_unix, Order};
use crate::klarna::KlarnaError;

/// `PATCH /orders/{id}/authorization`: a new amount (never below what was captured; higher
/// only where the payment method allows) and lines that replace the order's. Lines left out
/// are deleted, as Klarna documents.
pub fn update(order: &mut Order, req: &UpdateAuthorization) -> Result<(), KlarnaError> {
    validate::update_authorization(req)?;
    let amount = req.order_amount.unwrap_or_default();
    validate::lines_match_amount("order_amount", amount, req.order_lines.as_deref())?;
    const CONSEQUENCE: &str = "Order authorization cannot be updated";
    require_open(order, "NOT_ALLOWED", &format!("{CONSEQUENCE}."))?;
    let captured = order.captured_amount();
    if amount < captured {
        return Err(KlarnaError::forbidden(
            "NOT_ALLOWED",
            format!(
                "Resulting authorization amount {amount} cannot be less than the captured \
                 amount {captured} for order. {CONSEQUENCE}"
            ),
        ));
    }
    if amount > order.order_amount && !order.category.can_increase_authorization() {
        return Err(KlarnaError::forbidden("NOT_ALLOWED", "Update not allowed."));
    }
    order.order_amount = amount;
    order.order_lines = req.order_lines.clone().unwrap_or_default();
    order.settle_status();
    Ok(())
}

/// `POST /orders/{id}/extend-authorization-time`: the new expiry is midnight starting the 28th
/// day after today, never past 180 days after the day of creation, never earlier than the
/// current one (two extensions on one day give one date): the model's
/// [`expiry::extended_expiry`], which the proxy also shows staff before they extend.
pub fn extend(order: &mut Order, now: OffsetDateTime) -> Result<(), KlarnaError> {
    const CONSEQUENCE: &str = "Authorization time cannot be extended.";
    require_open(order, "NOT_ALLOWED", CONSEQUENCE)?;
    if !order.category.can_extend_authorization() {
        return Err(KlarnaError::forbidden(
            "NOT_ALLOWED",
            format!("Pay now orders are not extendable. {CONSEQUENCE}"),
        ));
    }
    // The cap keeps every expiry within 180 days of creation, so an order that old has
    // expired already and was refused above.
    order.expires_at = from_unix(expiry::extended_expiry(
        order.created_at.unix_timestamp(),
        now.unix_timestamp(),
        order.expires_at.unix_timestamp(),
    ));
    Ok(())
}

/// `POST /orders/{id}/release-remaining-authorization`: no more captures; the order is
/// `CLOSED` (refunds stay possible).
pub fn release(order: &mut Order) -> Result<(), KlarnaError> {
    const CONSEQUENCE: &str = "Remaining authorization cannot be released.";
    require_open(order, "NOT_ALLOWED", CONSEQUENCE)?;
    if order.captures.is_empty() {
        return Err(KlarnaError::forbidden(
            "NOT_ALLOWED",
            format!("Order has no captures. {CONSEQUENCE}"),
        ));
    }
    order.status = OrderStatus::Closed;
    Ok(())
}

/// `POST /orders/{id}/cancel`: only an order nothing was captured from.
pub fn cancel(order: &mut Order) -> Result<(), KlarnaError> {
    if !order.captures.is_empty() {
        return Err(KlarnaError::forbidden(
            "CANCEL_NOT_ALLOWED",
            "Order has previous captures. Cancel not possible.",
        ));
    }
    require_open(order, "CANCEL_NOT_ALLOWED", "Cancel not possible.")?;
    order.status = OrderStatus::Cancelled;
    Ok(())
}
