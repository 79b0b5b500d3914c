//! What every action dialog does with its `<dialog>` element.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Opens the `<dialog>` as a modal once it is in the page, and when the dialog goes (Close,
/// Escape, or done) gives the focus back to what had it before: the button that opened it,
/// so keyboard users carry on where they were instead of at the top of the page.
pub fn show_modal_when_mounted(dialog_ref: NodeRef<html::Dialog>) {
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
