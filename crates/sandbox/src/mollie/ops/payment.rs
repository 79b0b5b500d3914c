//! A new payment attempt after a failed, canceled or expired one.

use kassa_model::mollie::OrderStatus;
use serde::Deserialize;
use serde_json::Value;
use time::OffsetDateTime;

use crate::ids::new_id;
use crate::mollie::order::{OrderRecord, PaymentRecord, PaymentStatus};
use crate::MollieError;

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
