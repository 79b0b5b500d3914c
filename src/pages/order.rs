//! `/orders/:id`: one order with its lines, checkout link, shipments, refunds, payments and
//! timeline, and for operators the actions (ship, refund, cancel) and changes (tracking,
//! details, a new payment link).

use kassa_model::api::OrderView;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::{LoadError, Loading, OrderActions, OrderSummary, OrderUpdates, Timeline};

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let order = LocalResource::new(move || {
        let id = id();
        async move { api::get_order(&id).await }
    });

    view! {
        <article class="page">
            <header class="page-header">
                <h1>"Order"</h1>
                <button type="button" class="secondary" on:click=move |_| order.refetch()>
                    "Reload"
                </button>
            </header>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match order.await {
                        Ok(order) => Either::Left(view! { <OrderDetails order/> }),
                        Err(error) => Either::Right(view! { <LoadError error what="this order"/> }),
                    }
                })}
            </Transition>
        </article>
    }
}

/// The order as loaded, then as each action's answer leaves it.
#[component]
fn OrderDetails(order: OrderView) -> impl IntoView {
    let order = RwSignal::new(order);
    view! {
        <OrderActions order/>
        {move || view! { <OrderSummary order=order.get()/> }}
        {move || {
            order
                .with(|o| o.checkout_url.clone())
                .map(|url| {
                    view! {
                        <p class="checkout-link">
                            "The customer can still pay at "
                            <a href=url data-testid="checkout-link" rel="noopener">
                                "the checkout page"
                            </a>
                            "."
                        </p>
                    }
                })
        }}
        <OrderUpdates order/>
        <section class="block" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">"Timeline"</h2>
            {move || view! { <Timeline events=order.with(|o| o.events.clone())/> }}
        </section>
    }
}
