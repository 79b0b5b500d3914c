//! Which provider holds an order, as a small label beside it.

use kassa_model::api::Provider;
use leptos::prelude::*;

#[component]
pub fn ProviderBadge(
    provider: Provider,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <span class=format!("provider provider-{}", provider.as_str()) data-testid=testid>
            {provider.label()}
        </span>
    }
}
