use leptos::prelude::*;

/// The footer every action dialog has: Close, and the submit button with its busy state.
#[component]
pub fn DialogButtons(
    /// A request is on its way: nothing can be clicked.
    #[prop(into)]
    busy: Signal<bool>,
    /// The submit button is off (while busy, or for a reason of the dialog's own).
    #[prop(into)]
    submit_disabled: Signal<bool>,
    #[prop(into)] submit_label: Signal<String>,
    on_close: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="form-actions">
            <button
                type="button"
                class="secondary"
                data-testid="dialog-cancel"
                disabled=move || busy.get()
                on:click=move |_| on_close.run(())
            >
                "Close"
            </button>
            <button
                type="submit"
                class="primary"
                data-testid="dialog-submit"
                disabled=move || submit_disabled.get()
                aria-busy=move || busy.get().then_some("true")
            >
                {move || submit_label.get()}
            </button>
        </div>
    }
}
