//! The end of a fraud review (the test control decides it; Klarna takes 4–24 hours): the
//! order's fraud status changes and Klarna notifies the merchant (reference §5.2).

use kassa_model::klarna::{FraudEvent, FraudStatus, OrderStatus};

use crate::klarna::order::Order;
use crate::klarna::KlarnaError;

/// A reviewer's decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// From `PENDING`: the merchant may capture.
    Accepted,
    /// From `PENDING`: the order is cancelled.
    Rejected,
    /// From `ACCEPTED` or `PENDING`: fraud found after all; no more captures, and an order
    /// nothing was captured from is cancelled.
    Stopped,
}

impl std::str::FromStr for Decision {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "ACCEPTED" => Ok(Self::Accepted),
            "REJECTED" => Ok(Self::Rejected),
            "STOPPED" => Ok(Self::Stopped),
            _ => Err(()),
        }
    }
}

/// Applies the decision; the event to notify.
pub fn decide(order: &mut Order, decision: Decision) -> Result<FraudEvent, KlarnaError> {
    let refuse = |why: &str| {
        Err(KlarnaError::forbidden(
            "NOT_ALLOWED",
            format!("The fraud review cannot end that way: {why}"),
        ))
    };
    match (decision, order.fraud_status) {
        (Decision::Accepted, FraudStatus::Pending) => {
            order.fraud_status = FraudStatus::Accepted;
            Ok(FraudEvent::Accepted)
        }
        (Decision::Rejected, FraudStatus::Pending) => {
            order.fraud_status = FraudStatus::Rejected;
            cancel_if_uncaptured(order);
            Ok(FraudEvent::Rejected)
        }
        (Decision::Stopped, FraudStatus::Pending | FraudStatus::Accepted) => {
            order.fraud_status = FraudStatus::Rejected;
            cancel_if_uncaptured(order);
            Ok(FraudEvent::Stopped)
        }
        (Decision::Accepted | Decision::Rejected, _) => refuse("the order is not pending review."),
        (Decision::Stopped, _) => refuse("the order was rejected already."),
    }
}

fn cancel_if_uncaptured(order: &mut Order) {
    if order.captures.is_empty() && order.status.is_capturable() {
        order.status = OrderStatus::Cancelled;
    }
}
