//! "Add a Klarna order": an operator enters the id of an order placed at Klarna (outside
//! Kassa's checkout, or before Kassa mirrored it); the proxy fetches and mirrors it, and the
//! page opens it. The id is checked here first, so a typo is said at once.

use kassa_model::api::ImportOrder;
use leptos::prelude::*;

use crate::actions::import_request;
use crate::api::ClientError;

#[component]
pub fn ImportOrderForm(
    /// Called with the checked request; never with an id that is not Klarna's.
    #[prop(into)]
    on_submit: Callback<ImportOrder>,
    #[prop(into, optional)] busy: Signal<bool>,
    /// The proxy's answer to the last request, when it failed.
    #[prop(into, optional)]
    error: Signal<Option<ClientError>>,
) -> impl IntoView {
    let id = RwSignal::new(String::new());
    let local_error = RwSignal::new(None::<String>);
    let message = move || {
        local_error.get().or_else(|| {
            error.get().map(|e| {
                if e.is_not_found() {
                    "Klarna has no order with this id (for these credentials).".to_owned()
                } else {
                    e.to_string()
                }
            })
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        match import_request(&id.get_untracked()) {
            Ok(request) => {
                local_error.set(None);
                on_submit.run(request);
            }
            Err(e) => local_error.set(Some(e.message)),
        }
    };
    view! {
        <form class="import-order" on:submit=submit novalidate aria-label="Add a Klarna order">
            <label>
                <span class="label">"Add a Klarna order"</span>
                <input
                    type="text"
                    name="klarnaOrderId"
                    data-testid="import-id"
                    placeholder="Klarna order id, like f3392f8b-6116-4073-ab96-e330819e2c07"
                    autocomplete="off"
                    spellcheck="false"
                    aria-invalid=move || message().is_some().then_some("true")
                    bind:value=id
                />
            </label>
            <button
                type="submit"
                class="secondary"
                data-testid="import-submit"
                disabled=move || busy.get()
                aria-busy=move || busy.get().then_some("true")
            >
                {move || if busy.get() { "Adding…" } else { "Add order" }}
            </button>
            {move || {
                message()
                    .map(|m| {
                        view! {
                            <p class="field-error" role="alert" data-testid="import-error" data-field="klarnaOrderId">
                                {m}
                            </p>
                        }
                    })
            }}
        </form>
    }
}
