//! The expiry radar's table: authorizations of every provider that expire soon with money
//! still uncaptured, soonest first, with what is at stake and the actions that save it (as
//! the proxy lists them) as links to the order page, where they are done.

use kassa_model::api::ExpiringOrder;
use leptos::prelude::*;

use super::ProviderBadge;
use crate::format::{short_timestamp, time_until};
use crate::routes;
use crate::staff_locale::staff_money;

#[component]
pub fn ExpiryRadar(
    rows: Vec<ExpiringOrder>,
    /// Operators see the saving actions named; viewers, who cannot do them, only the link.
    #[prop(optional)]
    operator: bool,
) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <p class="notice" data-testid="radar-empty">
                "No authorization expires in this period with money still uncaptured."
            </p>
        }
        .into_any();
    }
    // The proxy sends them soonest first; sorted again so the promise holds whatever the
    // answer's order. RFC 3339 times in UTC sort as text.
    let mut rows = rows;
    rows.sort_by(|a, b| a.expires_at.cmp(&b.expires_at));
    view! {
        <div class="table-scroll">
            <table class="orders-table radar-table" data-testid="radar-table">
                <caption class="visually-hidden">"Authorizations expiring soon"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Order"</th>
                        <th scope="col">"Provider"</th>
                        <th scope="col">"Customer"</th>
                        <th scope="col">"Expires"</th>
                        <th scope="col" class="num">"Uncaptured"</th>
                        <th scope="col">"To save it"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| view! { <RadarRow row operator/> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn RadarRow(row: ExpiringOrder, operator: bool) -> impl IntoView {
    let ExpiringOrder {
        order,
        expires_at,
        uncaptured,
        actions,
    } = row;
    let link = routes::href(&routes::order(&order.id));
    let left = time_until(&expires_at)
        .map(|l| format!("in {l}"))
        .unwrap_or_default();
    let saving = operator.then(|| {
        actions
            .into_iter()
            .map(|a| match a.unavailable {
                None => view! {
                    <a class="button-link small" href=link.clone() data-testid="radar-action">
                        {a.label}
                    </a>
                }
                .into_any(),
                Some(reason) => view! {
                    <span class="muted radar-unavailable" title=reason.clone() data-testid="radar-unavailable">
                        {format!("{}: {reason}", a.label)}
                    </span>
                }
                .into_any(),
            })
            .collect_view()
    });
    view! {
        <tr data-testid="radar-row">
            <td data-label="Order" data-testid="radar-number">
                <a class="order-number" href=link.clone() title=order.id.clone()>
                    {order.order_number.clone()}
                </a>
            </td>
            <td data-label="Provider">
                <ProviderBadge provider=order.provider testid="radar-provider"/>
            </td>
            <td data-label="Customer">
                <span class="cell-stack">
                    <span>{order.customer_name.clone()}</span>
                    <span class="muted">{order.customer_email.clone()}</span>
                </span>
            </td>
            <td data-label="Expires" data-testid="radar-expires">
                <span class="cell-stack">
                    <time datetime=expires_at.clone() title=expires_at.clone()>
                        {short_timestamp(&expires_at)}
                    </time>
                    <span class="muted" data-testid="radar-left">{left}</span>
                </span>
            </td>
            <td class="num" data-label="Uncaptured" data-testid="radar-uncaptured">
                {staff_money(uncaptured)}
            </td>
            <td data-label="To save it" class="radar-actions">
                {saving}
                {(!operator)
                    .then(|| view! { <a href=link.clone() data-testid="radar-open">"Open order"</a> })}
            </td>
        </tr>
    }
}
