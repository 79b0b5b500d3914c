//! A coloured pill for an order or line status in Kassa's vocabulary (`authorized`), which is
//! Mollie's word for word; Klarna's statuses are mapped into it by the model (`PART_CAPTURED`
//! is `shipping`), and the order page shows Klarna's own word beside the badge.

use leptos::prelude::*;

#[component]
pub fn StatusBadge(
    /// The status as Kassa's API spells it (`OrderStatus::as_str`).
    status: &'static str,
    /// A `data-testid` for the badge, when a test or a caller needs to find it.
    #[prop(optional)]
    testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <span class=format!("badge badge-{status}") data-testid=testid>
            {status}
        </span>
    }
}
