//! The orders list's parts: the filter bar (typed values, applied on submit) and the table of
//! one page of orders. Neither fetches; the page owns the address bar and the request.

use kassa_model::api::{OrderFilter, OrderStatus, OrderSummary as OrderRow, Provider};
use kassa_model::{Currency, FieldError};
use leptos::prelude::*;

use super::{EmailText, ProviderBadge, StateBadges};
use crate::filters::{FilterForm, SORTS};
use crate::format::short_timestamp;
use crate::routes;
use crate::staff_locale::staff_money;

/// The filter bar. `on_apply` gets the parsed filter; a value that does not parse is shown
/// next to the bar and nothing is applied.
#[component]
pub fn FilterBar(
    /// What the bar shows at first (the filter in the address bar).
    initial: FilterForm,
    #[prop(into)] on_apply: Callback<OrderFilter>,
) -> impl IntoView {
    let active = [
        !initial.status.is_empty(),
        !initial.provider.is_empty(),
        !initial.from.is_empty(),
        !initial.to.is_empty(),
        !initial.min.is_empty(),
        !initial.max.is_empty(),
        !initial.currency.is_empty(),
    ]
    .into_iter()
    .filter(|a| *a)
    .count();
    // What the list shows now: a filter that does not parse leaves the list on these, and
    // the bar can go back to them.
    let applied = StoredValue::new(initial.clone());
    let status = RwSignal::new(initial.status);
    let provider = RwSignal::new(initial.provider);
    let q = RwSignal::new(initial.q);
    let from = RwSignal::new(initial.from);
    let to = RwSignal::new(initial.to);
    let min = RwSignal::new(initial.min);
    let max = RwSignal::new(initial.max);
    let currency = RwSignal::new(initial.currency);
    let sort = RwSignal::new(initial.sort);
    let error = RwSignal::new(None::<FieldError>);
    // On a phone the filters would fill the first screen: there only the search shows until
    // "Filters" opens the rest; on wider screens they start open. The count says how many of
    // them narrow the list now.
    let shown = RwSignal::new(is_wide_screen());
    let toggle_label = if active == 0 {
        "Filters".to_owned()
    } else {
        format!("Filters ({active})")
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = FilterForm {
            status: status.get_untracked(),
            provider: provider.get_untracked(),
            q: q.get_untracked(),
            from: from.get_untracked(),
            to: to.get_untracked(),
            min: min.get_untracked(),
            max: max.get_untracked(),
            currency: currency.get_untracked(),
            sort: sort.get_untracked(),
        };
        match form.to_filter() {
            Ok(filter) => {
                error.set(None);
                on_apply.run(filter);
            }
            Err(e) => error.set(Some(e)),
        }
    };

    let back_to_applied = move |_| {
        let form = applied.get_value();
        status.set(form.status);
        provider.set(form.provider);
        q.set(form.q);
        from.set(form.from);
        to.set(form.to);
        min.set(form.min);
        max.set(form.max);
        currency.set(form.currency);
        sort.set(form.sort);
        error.set(None);
    };

    view! {
        <form class="filter-bar" on:submit=submit role="search" novalidate>
            <label class="filter-q">
                <span>"Search"</span>
                <input
                    type="search"
                    data-testid="filter-q"
                    placeholder="Order id, order number, email or name"
                    bind:value=q
                />
            </label>
            <button
                type="button"
                class="secondary filter-toggle"
                data-testid="filter-toggle"
                aria-expanded=move || if shown.get() { "true" } else { "false" }
                aria-controls="more-filters"
                on:click=move |_| shown.update(|s| *s = !*s)
            >
                {toggle_label}
            </button>
            <div class="more-filters" id="more-filters" hidden=move || !shown.get()>
            <label>
                <span>"Status"</span>
                <select data-testid="filter-status" bind:value=status>
                    <option value="">"Any"</option>
                    {OrderStatus::ALL
                        .into_iter()
                        .map(|s| view! { <option value=s.as_str()>{s.as_str()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                <span>"Provider"</span>
                <select data-testid="filter-provider" bind:value=provider>
                    <option value="">"Any"</option>
                    {Provider::ALL
                        .into_iter()
                        .map(|p| view! { <option value=p.as_str()>{p.label()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                <span>"From"</span>
                <input type="date" data-testid="filter-from" bind:value=from/>
            </label>
            <label>
                <span>"To"</span>
                <input type="date" data-testid="filter-to" bind:value=to/>
            </label>
            <label>
                <span>"Min amount"</span>
                <input type="text" inputmode="decimal" data-testid="filter-min" bind:value=min/>
            </label>
            <label>
                <span>"Max amount"</span>
                <input type="text" inputmode="decimal" data-testid="filter-max" bind:value=max/>
            </label>
            <label>
                <span>"Currency"</span>
                <select data-testid="filter-currency" bind:value=currency>
                    <option value="">"Any"</option>
                    {Currency::ALL
                        .into_iter()
                        .map(|c| view! { <option value=c.code()>{c.code()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                <span>"Sort"</span>
                <select data-testid="filter-sort" bind:value=sort>
                    <option value="">"Newest first"</option>
                    {SORTS
                        .into_iter()
                        .skip(1)
                        .map(|(value, label)| view! { <option value=value>{label}</option> })
                        .collect_view()}
                </select>
            </label>
            </div>
            <button type="submit" class="primary" data-testid="filter-apply">
                "Apply"
            </button>
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <div class="filter-problem" role="alert">
                                <p class="form-error" data-testid="filter-error" data-field=e.field>
                                    {e.message}
                                </p>
                                // The bar shows what was typed; the rows are still the last
                                // applied filters' — said, with a way back to them.
                                <p class="muted" data-testid="filter-not-applied">
                                    "Not applied: the list still shows the filters before. "
                                    <button
                                        type="button"
                                        class="secondary small"
                                        data-testid="filter-back"
                                        on:click=back_to_applied
                                    >
                                        "Show them in the bar again"
                                    </button>
                                </p>
                            </div>
                        }
                    })
            }}
        </form>
    }
}

/// One page of orders, or the empty state. Amounts are written the way each order's locale
/// writes them; each row says which provider holds the order, and Klarna's statuses are shown
/// in Kassa's status vocabulary with the same badges.
#[component]
pub fn OrdersTable(
    orders: Vec<OrderRow>,
    /// Whether a filter or search is applied: an empty list then means "nothing matches",
    /// else "nothing yet".
    #[prop(optional)]
    filtered: bool,
) -> impl IntoView {
    if orders.is_empty() {
        let message = if filtered {
            "No orders match these filters."
        } else {
            "No orders yet. New orders and the shop's orders appear here."
        };
        return view! {
            <p class="notice" data-testid="orders-empty">
                {message}
            </p>
        }
        .into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="orders-table" data-testid="orders-table">
                <caption class="visually-hidden">"Orders"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Order"</th>
                        <th scope="col">"Provider"</th>
                        <th scope="col">"Customer"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col" class="num">"Amount"</th>
                        <th scope="col">"Created"</th>
                    </tr>
                </thead>
                <tbody>
                    {orders.into_iter().map(|row| view! { <OrderRowView row/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn OrderRowView(row: OrderRow) -> impl IntoView {
    let amount = staff_money(row.amount);
    let created = short_timestamp(&row.created_at);
    view! {
        <tr data-testid="order-row">
            <td data-label="Order" data-testid="row-number">
                <a
                    class="order-number"
                    href=routes::href(&routes::order(&row.id))
                    title=format!("{} ({})", row.order_number, row.id)
                >
                    {row.order_number.clone()}
                </a>
            </td>
            <td data-label="Provider">
                <ProviderBadge provider=row.provider testid="row-provider"/>
            </td>
            <td data-label="Customer" data-testid="row-customer">
                <span class="cell-stack">
                    <span>{row.customer_name}</span>
                    <span class="muted">
                        <EmailText email=row.customer_email/>
                    </span>
                </span>
            </td>
            <td data-label="Status" data-testid="row-status">
                <StateBadges
                    payment=row.payment_state
                    fulfilment=row.fulfilment_state
                    status=row.status
                />
            </td>
            <td class="num" data-label="Amount" data-testid="row-amount">
                {amount}
            </td>
            <td data-label="Created" data-testid="row-created">
                <time datetime=row.created_at.clone() title=row.created_at>
                    {created}
                </time>
            </td>
        </tr>
    }
}

/// Wider than a phone held upright (48rem at 16px): the filters start open.
fn is_wide_screen() -> bool {
    leptos::prelude::window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .is_none_or(|w| w >= 768.0)
}
