//! Cancellation of lines (`DELETE /v2/orders/{id}/lines`) and of the whole order.

use kassa_model::mollie::{LineStatus, OrderStatus};
use serde::Deserialize;
use time::OffsetDateTime;

use super::*;
use crate::mollie::order::{OrderRecord, PaymentStatus};
use crate::MollieError;

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
