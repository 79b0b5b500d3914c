//! A coloured pill for an order or line status. The text is the raw status (`authorized`) so
//! it matches Mollie's dashboard and documentation word for word.

use leptos::prelude::*;

#[component]
pub fn StatusBadge(
    /// The status as Mollie spells it.
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
