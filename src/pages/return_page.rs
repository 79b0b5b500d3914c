//! `/return/:ref`: where the provider sends the customer after checkout, and where the Klarna
//! step sends them once the order is placed.
//!
//! The customer often arrives before the provider's webhook has reached the proxy, so the
//! order may still read `created`. The page then asks again every second, up to
//! [`MAX_POLLS`] times, and shows the newer answer in place (a `Transition` keeps the old one
//! on screen meanwhile).

use std::time::Duration;

use kassa_model::api::{OrderStatus, OrderView, Provider};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::actions::{ended_unpaid, latest_payment};
use crate::api;
use crate::components::{LoadError, Loading, OrderSummary};
use crate::routes;

const POLL_INTERVAL: Duration = Duration::from_secs(1);
const MAX_POLLS: u32 = 10;

#[component]
pub fn ReturnPage() -> impl IntoView {
    let params = use_params_map();
    let reference = move || params.with(|p| p.get("ref").unwrap_or_default());
    let polls = RwSignal::new(0u32);
    let order = LocalResource::new(move || {
        polls.track();
        let reference = reference();
        async move { api::get_return(&reference).await }
    });
    poll_while_created(order, polls);

    view! {
        <article class="page">
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    let waiting = polls.get_untracked() < MAX_POLLS;
                    match order.await {
                        Ok(order) => Either::Left(view! { <ReturnDetails order waiting/> }),
                        Err(error) => {
                            Either::Right(
                                view! {
                                    <h1 data-testid="return-heading">"We could not find your order"</h1>
                                    <LoadError error what="the order for this payment"/>
                                },
                            )
                        }
                    }
                })}
            </Transition>
        </article>
    }
}

/// Schedules the next load one second after an answer that still says `created`. Only timers
/// are started here (the poll count changes when one fires), and each count gets at most one
/// timer, so a re-run of the effect cannot start a second polling chain. Leaving the page
/// clears the pending timer.
fn poll_while_created(
    order: LocalResource<Result<OrderView, api::ClientError>>,
    polls: RwSignal<u32>,
) {
    let scheduled_for = StoredValue::new(None::<u32>);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        // Still waiting for the provider, unless the payment already ended unpaid.
        let created = order.with(|result| {
            matches!(result, Some(Ok(o)) if o.status == OrderStatus::Created && !ended_unpaid(o))
        });
        let count = polls.get_untracked();
        if !created || count >= MAX_POLLS || scheduled_for.get_value() == Some(count) {
            return;
        }
        scheduled_for.set_value(Some(count));
        let handle = set_timeout_with_handle(move || polls.update(|n| *n += 1), POLL_INTERVAL);
        timer.set_value(handle.ok());
    });
    on_cleanup(move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
    });
}

#[component]
fn ReturnDetails(order: OrderView, waiting: bool) -> impl IntoView {
    let (heading, note) = return_message(&order, waiting);
    // The payment ended unpaid: the order's checkout (while it lasts) takes another try.
    let retry = ended_unpaid(&order)
        .then(|| order.checkout_url.clone())
        .flatten();
    let unpaid_without_retry = ended_unpaid(&order) && retry.is_none();
    let link = routes::href(&routes::order(&order.id));
    view! {
        <h1 data-testid="return-heading">{heading}</h1>
        <p class="lead" role="status" data-testid="return-note">
            {note}
        </p>
        {retry
            .map(|url| {
                view! {
                    <p>
                        <a class="button" href=url data-testid="retry-payment" rel="external">
                            "Try again"
                        </a>
                    </p>
                }
            })}
        {unpaid_without_retry
            .then(|| view! { <p>"Please contact the shop to pay another way."</p> })}
        <OrderSummary order customer=true/>
        <p class="muted staff-link">
            "Shop staff: "
            <a href=link data-testid="order-link">
                "open this order in Kassa"
            </a>
        </p>
    }
}

/// The page's heading and note for the customer: what happened to the payment, in words.
fn return_message(order: &OrderView, waiting: bool) -> (&'static str, &'static str) {
    if let Some(said) = klarna_message(order) {
        return said;
    }
    let ended = latest_payment(order)
        .filter(|_| ended_unpaid(order))
        .map(|p| p.status.as_str());
    match (order.status, ended) {
        (_, Some("canceled")) => (
            "Your payment was canceled",
            "Nothing was charged. You can try again.",
        ),
        (_, Some("expired")) => (
            "Your payment has expired",
            "Nothing was charged. You can try again.",
        ),
        (_, Some(_)) => (
            "Your payment did not go through",
            "The payment failed and nothing was charged. You can try again, with another method if you like.",
        ),
        (OrderStatus::Created, _) if waiting => (
            "Thank you! We are confirming your payment",
            "We are waiting for the payment provider to confirm your payment…",
        ),
        (OrderStatus::Created | OrderStatus::Pending, _) => (
            "Thank you! We are confirming your payment",
            "Your payment has not been confirmed yet. This page shows the latest status when you reload it.",
        ),
        (OrderStatus::Canceled, _) => ("Your order was canceled", "No payment was made for this order."),
        (OrderStatus::Expired, _) => ("Your order has expired", "No payment was made for this order."),
        (OrderStatus::Authorized, _) => (
            "Thank you for your order!",
            "Your payment is authorized: you are charged when your order ships. A confirmation follows by email.",
        ),
        _ => (
            "Thank you for your order!",
            "Your payment was received. A confirmation follows by email.",
        ),
    }
}

/// A Klarna order is placed once Klarna authorized it; Klarna's fraud review may still be
/// running (`PENDING`), and its outcome goes to the shop, not to this page. Other states read
/// as any order's.
fn klarna_message(order: &OrderView) -> Option<(&'static str, &'static str)> {
    if order.provider != Provider::Klarna {
        return None;
    }
    match (order.status, order.fraud_status.as_deref()) {
        (_, Some("PENDING")) => Some((
            "Thank you! Your order is placed",
            "Your order is placed. Klarna is checking it; the shop hears the outcome from Klarna.",
        )),
        (OrderStatus::Authorized, _) => Some((
            "Thank you for your order!",
            "Your order is placed and Klarna approved the payment.",
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{line, order};

    #[test]
    fn a_klarna_order_is_placed_and_a_pending_review_is_said_as_such() {
        let mut klarna = order(OrderStatus::Authorized, vec![line("l1", 1, 1000, None)]);
        klarna.provider = Provider::Klarna;
        klarna.fraud_status = Some("ACCEPTED".into());
        assert_eq!(
            return_message(&klarna, true).1,
            "Your order is placed and Klarna approved the payment."
        );
        klarna.fraud_status = Some("PENDING".into());
        assert_eq!(
            return_message(&klarna, true).1,
            "Your order is placed. Klarna is checking it; the shop hears the outcome from Klarna."
        );
        // Mollie's authorized order keeps its own words.
        let mollie = order(OrderStatus::Authorized, vec![line("l1", 1, 1000, None)]);
        assert!(return_message(&mollie, true)
            .1
            .starts_with("Your payment is authorized"));
    }
}
