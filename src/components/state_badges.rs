//! Payment and fulfilment side by side ("Paid" "Unfulfilled"), as merchants know them from
//! Shopify, each state in its own colour. Rows mirrored before Kassa kept the two show their
//! order status instead, until their next refresh.

use kassa_model::api::OrderStatus;
use kassa_model::states::{FulfilmentState, PaymentState};
use leptos::either::Either;
use leptos::prelude::*;

use super::StatusBadge;

#[component]
pub fn StateBadges(
    payment: Option<PaymentState>,
    fulfilment: Option<FulfilmentState>,
    /// Shown when the two are not known.
    status: OrderStatus,
) -> impl IntoView {
    match (payment, fulfilment) {
        (Some(payment), Some(fulfilment)) => Either::Left(view! {
            <span class="state-badges">
                <span
                    class=format!("badge badge-pay-{}", payment.as_str())
                    data-testid="payment-state"
                    title="Payment"
                >
                    {payment.label()}
                </span>
                <span
                    class=format!("badge badge-ful-{}", fulfilment.as_str())
                    data-testid="fulfilment-state"
                    title="Fulfilment"
                >
                    {fulfilment.label()}
                </span>
            </span>
        }),
        _ => Either::Right(view! { <StatusBadge status=status.as_str()/> }),
    }
}
