//! `/expiring`: the expiry radar. Authorizations of every provider that expire within the
//! chosen number of days (`?within=7`, in the address bar like the orders list's filters) with
//! money still uncaptured, soonest first: staff capture what shipped, or extend, before the
//! money is lost.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::{ExpiryRadar, LoadError, Loading};
use crate::routes;
use crate::session::Session;

/// The periods staff pick from; anything else in the address is [`DEFAULT_DAYS`].
pub const PERIODS: [u32; 4] = [3, 7, 14, 30];
const DEFAULT_DAYS: u32 = 7;

#[component]
pub fn ExpiringPage() -> impl IntoView {
    crate::title::set("Expiring authorizations");
    let operator = Session::expect_context().can_change_now();
    let query = use_query_map();
    // Anything but one of the offered periods (a hand-edited address) is the default.
    let days = Memo::new(move |_| {
        query
            .with(|q| q.get("within"))
            .and_then(|d| d.parse().ok())
            .filter(|d| PERIODS.contains(d))
            .unwrap_or(DEFAULT_DAYS)
    });
    let rows = LocalResource::new(move || {
        let days = days.get();
        async move { api::expiring_orders(days).await }
    });
    let navigate = use_navigate();
    let pick = move |value: String| {
        navigate(
            &format!("{}?within={value}", routes::EXPIRING),
            Default::default(),
        );
    };
    view! {
        <article class="page">
            <header class="page-header">
                <h1>"Expiring authorizations"</h1>
                <button type="button" class="secondary" on:click=move |_| rows.refetch()>
                    "Reload"
                </button>
            </header>
            <p class="lead">
                "Money authorized but not yet captured is lost when the authorization expires. Capture what has shipped, or extend the authorization where the provider allows it."
            </p>
            <form class="filter-bar" on:submit=|ev| ev.prevent_default()>
                <label>
                    <span>"Expiring within"</span>
                    <select
                        data-testid="radar-days"
                        on:change:target=move |ev| pick(ev.target().value())
                    >
                        // `selected` per option: a `value` on the select would be set before
                        // its options exist, and lost.
                        {PERIODS
                            .into_iter()
                            .map(|d| {
                                view! {
                                    <option value=d.to_string() selected=move || days.get() == d>
                                        {format!("{d} days")}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
            </form>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) => Either::Left(view! { <ExpiryRadar rows operator/> }),
                        Err(error) => {
                            Either::Right(view! { <LoadError error what="the expiring orders"/> })
                        }
                    }
                })}
            </Transition>
        </article>
    }
}
