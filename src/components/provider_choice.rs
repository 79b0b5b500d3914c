//! Who takes the payment, Mollie or Klarna: one radio each. The staff order form and the shop
//! both ask; they word the choices for their own readers.

use kassa_model::Provider;
use leptos::prelude::*;

#[component]
pub fn ProviderChoice(
    /// The provider chosen now.
    #[prop(into)]
    provider: Signal<Provider>,
    on_change: Callback<Provider>,
    /// The radios' `name`, and the start of their test ids (`provider` gives `provider-klarna`).
    name: &'static str,
    legend: &'static str,
    /// What choosing Mollie means here.
    mollie: &'static str,
    /// What choosing Klarna means here.
    klarna: &'static str,
    /// The fieldset's class, and its legend's.
    class: &'static str,
    #[prop(optional)] legend_class: Option<&'static str>,
    /// Anything that belongs to the choice, under the radios.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let choice = move |value: Provider, label: &'static str| {
        view! {
            <label class="choice">
                <input
                    type="radio"
                    name=name
                    value=value.as_str()
                    data-testid=format!("{name}-{}", value.as_str())
                    prop:checked=move || provider.get() == value
                    on:change=move |_| on_change.run(value)
                />
                {label}
            </label>
        }
    };
    view! {
        <fieldset class=class>
            <legend class=legend_class>{legend}</legend>
            {choice(Provider::Mollie, mollie)}
            {choice(Provider::Klarna, klarna)}
            {children.map(|c| c())}
        </fieldset>
    }
}
