//! The list of every problem at the top of a form that shows them all at once: a heading
//! ("3 problems to fix") and one link per problem, in the order the form shows the fields.
//! A failed submit moves the focus here, so a keyboard or screen reader user hears how many
//! problems there are and can jump to each.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::FormErrors;
use crate::draft::{slot_label, summary_target};

/// The summary of the [`FormErrors`] in context; nothing while there are none. `node_ref` is
/// what the form focuses after a failed submit.
#[component]
pub fn ErrorSummary(node_ref: NodeRef<html::Div>) -> impl IntoView {
    let errors = FormErrors::expect_context();
    let entries = Memo::new(move |_| errors.slotted());
    view! {
        <div
            class="error-summary"
            data-testid="error-summary"
            node_ref=node_ref
            tabindex="-1"
            role="group"
            aria-labelledby="error-summary-heading"
            hidden=move || entries.with(Vec::is_empty)
        >
            <h2 id="error-summary-heading">
                {move || match entries.with(Vec::len) {
                    1 => "1 problem to fix".to_owned(),
                    n => format!("{n} problems to fix"),
                }}
            </h2>
            <ul>
                {move || {
                    entries
                        .get()
                        .into_iter()
                        .map(|(slot, message)| {
                            let target = summary_target(&slot);
                            let text = match slot_label(&slot) {
                                Some(place) => format!("{place}: {message}"),
                                None => message,
                            };
                            view! {
                                <li>
                                    <a
                                        href=format!("#{target}")
                                        data-testid="error-summary-link"
                                        on:click=move |ev| {
                                            // Focus, not the browser's jump to the fragment: the
                                            // router would treat the link as a navigation, and a
                                            // jump alone leaves the keyboard where it was.
                                            ev.prevent_default();
                                            focus_by_id(&target);
                                        }
                                    >
                                        {text}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

/// Focuses (and so scrolls to) the element with `id`, if it is on the page.
fn focus_by_id(id: &str) {
    let element = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// Moves the focus to the summary once the view has caught up with a failed submit (the
/// summary is hidden until its errors are rendered, and a hidden element takes no focus).
pub fn focus_summary(node_ref: NodeRef<html::Div>) {
    request_animation_frame(move || {
        // `try_`: the form may be gone by the next frame (a page left, a test unmounted).
        if let Some(summary) = node_ref.try_get_untracked().flatten() {
            let _ = summary.focus();
        }
    });
}
