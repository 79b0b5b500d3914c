//! What a merchant does with a Klarna order (reference §3 and §5.1), one module per kind of
//! operation. Each checks Klarna's rules for the order's state with Klarna's error codes and
//! messages, and changes nothing when it refuses (the caller works on a copy besides).
//! Klarna Payments' operations (sessions, authorizations, placing the order) are in
//! [`session`].

pub mod authorization;
pub mod capture;
pub mod details;
pub mod fraud;
pub mod refund;
pub mod session;

use kassa_model::klarna::OrderStatus;

use super::order::Order;
use super::KlarnaError;

/// How a closed order's state reads in Klarna's messages ("Order is cancelled. …").
fn state_word(order: &Order) -> &'static str {
    match order.status {
        OrderStatus::Cancelled => "cancelled",
        OrderStatus::Expired => "expired",
        OrderStatus::Captured => "fully captured",
        OrderStatus::Closed => "closed",
        OrderStatus::Authorized | OrderStatus::PartCaptured => "open",
    }
}

/// 403 `code` "Order is <state>. <consequence>" unless the order is `AUTHORIZED` or
/// `PART_CAPTURED`.
fn require_open(order: &Order, code: &'static str, consequence: &str) -> Result<(), KlarnaError> {
    if order.status.is_capturable() {
        Ok(())
    } else {
        Err(KlarnaError::forbidden(
            code,
            format!("Order is {}. {consequence}", state_word(order)),
        ))
    }
}

/// Order Management's one 404 for an order that is not there (or not the caller's).
pub fn no_such_order(id: &str, consequence: Option<&str>) -> KlarnaError {
    let id = crate::echo::clip(id);
    let message = match consequence {
        Some(c) => format!("Order {id} cannot be found. {c}"),
        None => format!("Order {id} cannot be found"),
    };
    KlarnaError::not_found("NO_SUCH_ORDER", message)
}
