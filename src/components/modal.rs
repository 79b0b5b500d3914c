//! The frame every action dialog shares: a modal `<dialog>` that Escape closes through the
//! caller's state, and that hands the focus back when it goes.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A modal dialog around `children` (the dialog's form), named by the heading `labelled_by`.
/// Escape asks `on_close`, never while `busy` (a request is on its way).
#[component]
pub fn Modal(
    /// The id of the heading that names the dialog.
    labelled_by: String,
    busy: Signal<bool>,
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let dialog_ref = NodeRef::<html::Dialog>::new();
    show_modal_when_mounted(dialog_ref);
    view! {
        <dialog
            class="action-dialog"
            node_ref=dialog_ref
            data-testid="dialog"
            aria-labelledby=labelled_by
            on:cancel=move |ev: leptos::ev::Event| {
                // Escape: close through our state (never while sending).
                ev.prevent_default();
                if !busy.get_untracked() {
                    on_close.run(());
                }
            }
        >
            {children()}
        </dialog>
    }
}

/// Opens the `<dialog>` as a modal once it is in the page, and when the dialog goes (Close,
/// Escape, or done) gives the focus back to what had it before: the button that opened it,
/// so keyboard users carry on where they were instead of at the top of the page.
fn show_modal_when_mounted(dialog_ref: NodeRef<html::Dialog>) {
    let opener = StoredValue::new_local(document().active_element());
    Effect::new(move |_| {
        if let Some(dialog) = dialog_ref.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        }
    });
    on_cleanup(move || {
        // Cleanup runs while the dialog is still in the page and modal, which makes the rest
        // of the page inert and ignores `focus()` there: close it first.
        if let Some(dialog) = dialog_ref.try_get_untracked().flatten() {
            dialog.close();
        }
        let opener = opener.try_get_value().flatten();
        if let Some(element) = opener.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            // Gone when the page re-rendered meanwhile: then there is nothing to return to.
            if element.is_connected() {
                let _ = element.focus();
            }
        }
    });
}
