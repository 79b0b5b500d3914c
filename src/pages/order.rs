//! `/orders/:id`: one order of either provider with its lines, checkout link, shipments
//! (Klarna: captures), refunds, payments and timeline, and for operators the actions the proxy
//! lists for it (ship or capture, refund, cancel or remove items, extend, …).

use kassa_model::api::OrderView;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::{
    LoadError, Loading, NoteForm, OrderActions, OrderSummary, OrderUpdates, PageToast, StateBadges,
    Timeline,
};
use crate::session::Session;

#[component]
pub fn OrderPage() -> impl IntoView {
    crate::title::set("Order");
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let order = LocalResource::new(move || {
        let id = id();
        async move { api::get_order(&id).await }
    });

    // Until the order is here, the header can only say what the page is.
    let plain_header = move || {
        view! {
            <header class="page-header">
                <h1>"Order"</h1>
                <button type="button" class="secondary" on:click=move |_| order.refetch()>
                    "Reload"
                </button>
            </header>
        }
    };
    view! {
        <article class="page">
            <Transition fallback=move || view! { {plain_header()} <Loading/> }>
                {move || Suspend::new(async move {
                    match order.await {
                        Ok(order) => Either::Left(view! { <OrderDetails order/> }),
                        Err(error) => {
                            Either::Right(view! {
                                {plain_header()}
                                <LoadError error what="this order"/>
                            })
                        }
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
    // One success message for the whole page, whichever panel's action it reports.
    PageToast::provide();
    // The order's number names the tab, and follows an edit of it.
    Effect::new(move |_| order.with(|o| crate::title::set(&o.order_number)));
    let operator = Session::expect_context().can_change_now();
    // One refresh button: operators ask the provider (noted in the timeline), viewers reload
    // Kassa's copy.
    let refresh = Action::new_local(move |_: &()| {
        let id = order.with_untracked(|o| o.id.clone());
        async move {
            let fresh = if operator {
                api::refresh_order(&id).await?
            } else {
                api::get_order(&id).await?
            };
            let _ = order.try_set(fresh);
            Ok::<_, api::ClientError>(())
        }
    });
    // Notes saved so far: each one gives a fresh, empty note form (a failed one keeps the text).
    let notes_saved = RwSignal::new(0u32);
    let add_note = Action::new_local(move |note: &kassa_model::api::NewNote| {
        let id = order.with_untracked(|o| o.id.clone());
        let note = note.clone();
        async move {
            let fresh = api::add_note(&id, &note).await?;
            let _ = order.try_set(fresh);
            let _ = notes_saved.try_update(|n| *n += 1);
            Ok::<_, api::ClientError>(())
        }
    });
    let note_error = Signal::derive(move || {
        add_note
            .value()
            .get()
            .and_then(|r| r.err())
            .filter(|_| !add_note.pending().get())
    });
    view! {
        <header class="page-header order-header">
            <div class="order-heading">
                <h1 data-testid="order-heading">
                    "Order "
                    <span class="order-number-text">
                        {move || order.with(|o| o.order_number.clone())}
                    </span>
                </h1>
                {move || order.with(|o| view! { <OrderByline order=o.clone()/> })}
            </div>
            <button
                type="button"
                class="secondary"
                data-testid=if operator { "refresh-order" } else { "reload-order" }
                disabled=move || refresh.pending().get()
                on:click=move |_| {
                    refresh.dispatch_local(());
                }
            >
                {move || {
                    if refresh.pending().get() {
                        "Refreshing…".to_owned()
                    } else if operator {
                        format!("Refresh from {}", order.with(|o| o.provider.label()))
                    } else {
                        "Reload".to_owned()
                    }
                }}
            </button>
            {move || {
                refresh
                    .value()
                    .get()
                    .and_then(|r| r.err())
                    .map(|e| view! { <span class="error" role="alert">{e.to_string()}</span> })
            }}
        </header>
        <OrderActions order/>
        {move || view! { <OrderSummary order=order.get()/> }}
        {move || {
            order
                .with(|o| o.checkout_url.clone())
                .map(|url| {
                    view! {
                        <p class="checkout-link">
                            "The customer can still pay at "
                            <a href=url data-testid="checkout-link" rel="external noopener">
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
            <Show when=move || operator>
                {move || {
                    notes_saved.track();
                    view! {
                        <NoteForm
                            on_submit=move |note| {
                                add_note.dispatch_local(note);
                            }
                            busy=add_note.pending()
                            error=note_error
                        />
                    }
                }}
            </Show>
        </section>
    }
}

/// Under the order's number: who ordered, its status and its total, readable at a glance.
#[component]
fn OrderByline(order: OrderView) -> impl IntoView {
    let customer = crate::format::full_name(
        order.billing_address.given_name.as_deref(),
        order.billing_address.family_name.as_deref(),
    );
    let total = crate::staff_locale::staff_money(order.amount);
    view! {
        <p class="order-byline">
            <span data-testid="header-customer">{customer}</span>
            <span data-testid="header-status">
                <StateBadges
                    payment=Some(order.payment_state())
                    fulfilment=Some(order.fulfilment_state())
                    status=order.status
                />
            </span>
            <strong class="order-total" data-testid="header-total">{total}</strong>
        </p>
    }
}
