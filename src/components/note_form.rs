//! An internal note on an order (operators): written here, kept in the order's timeline with
//! its author and time, never shown to the customer.

use kassa_model::api::NewNote;
use leptos::prelude::*;

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
    let local_error = RwSignal::new(None::<String>);
    let message = move || {
        local_error
            .get()
            .or_else(|| error.get().map(|e| e.to_string()))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let note = NewNote {
            text: text.get_untracked(),
        };
        match note.checked() {
            Ok(_) => {
                local_error.set(None);
                on_submit.run(note);
            }
            Err(e) => local_error.set(Some(e.message)),
        }
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
