//! The customer's payment attempts, as the order page and the return page show them.

use kassa_model::api::{OrderStatus, OrderView, PaymentView};

/// Whether the customer's last payment attempt ended without paying while the order still
/// waits for its money (the return page offers "Try again" then). About the customer's
/// attempt, not about what staff may do.
pub fn ended_unpaid(order: &OrderView) -> bool {
    const ENDED_UNPAID: [&str; 3] = ["failed", "canceled", "expired"];
    order.status == OrderStatus::Created
        && latest_payment(order).is_some_and(|p| ENDED_UNPAID.contains(&p.status.as_str()))
}

/// The most recent payment (the last of those created at the same moment).
pub fn latest_payment(order: &OrderView) -> Option<&PaymentView> {
    order
        .payments
        .iter()
        .max_by(|a, b| a.created_at.cmp(&b.created_at))
}

/// Whether the customer can still pay with this payment at its checkout link.
pub fn is_payable(payment: &PaymentView) -> bool {
    payment.status == "open" && payment.checkout_url.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{eur, order};

    #[test]
    fn the_return_page_knows_when_the_last_payment_ended_unpaid() {
        let payment = |at: &str, status: &str| PaymentView {
            id: format!("tr_{at}"),
            created_at: at.into(),
            status: status.into(),
            method: None,
            amount: eur(100),
            checkout_url: (status == "open").then(|| "https://pay.example/x".to_owned()),
        };
        let mut o = order(OrderStatus::Created, Vec::new());
        assert!(!ended_unpaid(&o));
        o.payments = vec![
            payment("2025-11-22T05:00:00Z", "expired"),
            payment("2025-11-22T04:00:00Z", "open"),
        ];
        assert!(ended_unpaid(&o), "the latest is the expired one");
        o.payments.push(payment("2025-11-23T00:00:00Z", "open"));
        assert!(!ended_unpaid(&o));
        assert!(is_payable(&o.payments[2]) && !is_payable(&o.payments[0]));
        o.payments.pop();
        o.status = OrderStatus::Paid;
        assert!(!ended_unpaid(&o));
    }
}
