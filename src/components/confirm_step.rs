//! The "are you sure?" step of a dialog whose action cannot be undone: the question, a button
//! that does it and one back to the form. Both refund dialogs (lines, an amount) ask with it,
//! so the two read and look alike ("Refund €89.00 … to the customer? This cannot be undone.",
//! "Yes, refund €89.00").
//!
//! When the step appears, focus moves to the question: a keyboard or screen-reader user hears
//! what is asked before anything can be confirmed, and no Enter still held from the form's
//! submit lands on "Yes".

use leptos::prelude::*;

#[component]
pub fn ConfirmStep(
    question: String,
    /// The confirming button's words ("Yes, refund €89.00").
    yes: String,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] on_confirm: Callback<()>,
    #[prop(into)] on_back: Callback<()>,
) -> impl IntoView {
    let asked = NodeRef::<leptos::html::P>::new();
    Effect::new(move |_| {
        if let Some(p) = asked.get() {
            let _ = p.focus();
        }
    });
    view! {
        <div class="confirm" role="group" aria-label="Confirm">
            <p data-testid="dialog-question" tabindex="-1" node_ref=asked>
                {question}
            </p>
            <button
                type="button"
                class="danger"
                data-testid="dialog-confirm"
                disabled=move || busy.get()
                aria-busy=move || busy.get().then_some("true")
                on:click=move |_| {
                    if !busy.get_untracked() {
                        on_confirm.run(());
                    }
                }
            >
                {move || if busy.get() { "Working…".to_owned() } else { yes.clone() }}
            </button>
            <button
                type="button"
                class="secondary"
                data-testid="dialog-back"
                disabled=move || busy.get()
                on:click=move |_| on_back.run(())
            >
                "Back"
            </button>
        </div>
    }
}
