//! An internal note on an order (operators): written here, kept in the order's timeline with
//! its author and time, never shown to the customer.

use kassa_model::api::NewNote;
use leptos::prelude::*;

use super::checked_submit::CheckedSubmit;
use crate::api::ClientError;

#[component]
pub fn NoteForm(
    /// Called with a note that passed the model's check (not empty, not too long).
    #[prop(into)]
    on_submit: Callback<NewNote>,
    #[prop(into, optional)] busy: Signal<bool>,
    /// The proxy's answer to the last note, when it failed.
    #[prop(into, optional)]
    error: Signal<Option<ClientError>>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let form = CheckedSubmit::new(error);
    let message = move || form.message();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let note = NewNote {
            text: text.get_untracked(),
        };
        form.submit(busy, note, |n| n.checked().err(), on_submit);
    };
    view! {
        <form class="note-form" on:submit=submit novalidate aria-label="Add an internal note">
            <label>
                <span class="label">"Internal note"</span>
                <span class="hint">"Staff only; the customer never sees it."</span>
                <textarea
                    name="note"
                    rows="2"
                    data-testid="note-text"
                    aria-invalid=move || message().is_some().then_some("true")
                    aria-describedby="note-error"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
            </label>
            <button
                type="submit"
                class="secondary"
                data-testid="note-submit"
                disabled=move || busy.get()
                aria-busy=move || busy.get().then_some("true")
            >
                {move || if busy.get() { "Adding…" } else { "Add note" }}
            </button>
            {move || {
                message()
                    .map(|m| {
                        view! {
                            <p class="field-error" id="note-error" role="alert" data-testid="note-error" data-field="note">
                                {m}
                            </p>
                        }
                    })
            }}
        </form>
    }
}
