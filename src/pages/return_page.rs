//! `/return/:ref`: where the provider sends the customer after checkout.
//!
//! The customer often arrives before the provider's webhook has reached the proxy, so the
//! order may still read `created`. The page then asks again every second, up to
//! [`MAX_POLLS`] times, and shows the newer answer in place (a `Transition` keeps the old one
//! on screen meanwhile).

use std::time::Duration;

use kassa_model::api::{OrderStatus, OrderView};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

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
        let created =
            order.with(|result| matches!(result, Some(Ok(o)) if o.status == OrderStatus::Created));
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
    let status = order.status;
    let link = routes::href(&routes::order(&order.id));
    let note = match status {
        OrderStatus::Created if waiting => "We are waiting for the payment provider to confirm your payment…",
        OrderStatus::Created | OrderStatus::Pending => {
            "Your payment has not been confirmed yet. This page shows the latest status when you reload it."
        }
        OrderStatus::Canceled | OrderStatus::Expired => "No payment was made for this order.",
        _ => "Your payment was received. A confirmation follows by email.",
    };
    view! {
        <h1 data-testid="return-heading">{heading(status)}</h1>
        <p class="lead" role="status">
            {note}
        </p>
        <OrderSummary order/>
        <p>
            <a href=link data-testid="order-link">
                "View the order"
            </a>
        </p>
    }
}

fn heading(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::Created | OrderStatus::Pending => "Thank you! We are confirming your payment",
        OrderStatus::Canceled => "Your order was canceled",
        OrderStatus::Expired => "Your order has expired",
        _ => "Thank you for your order!",
    }
}
