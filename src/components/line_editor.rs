//! The order lines of the form: one row per line with its live total and VAT.
//!
//! Rows are keyed by index, like their test ids (`line-0-name`): removing line 0 drops the last
//! row and every remaining row re-reads its values from the draft, so ids and field paths
//! always match what the model reports (`lines.0.unitPrice`).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{FieldErrorMsg, TextField};
use crate::draft::{LineField, OrderDraft};

#[component]
pub fn LinesEditor(draft: RwSignal<OrderDraft>) -> impl IntoView {
    let lines = NodeRef::<leptos::html::Fieldset>::new();
    // "Add line" puts the cursor in the new line's name, once the row is on the page.
    let add_line = move |_| {
        let index = draft.with_untracked(|d| d.lines.len());
        draft.update(OrderDraft::add_line);
        request_animation_frame(move || {
            let name = lines.get_untracked().and_then(|set| {
                set.query_selector(&format!("[data-testid=\"line-{index}-name\"]"))
                    .ok()
                    .flatten()
            });
            if let Some(name) = name.and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = name.focus();
            }
        });
    };
    view! {
        <fieldset class="block lines" node_ref=lines>
            <legend>"Lines"</legend>
            <p class="hint">
                "Prices include VAT. The discount is for the whole line; SKU and discount are optional."
            </p>
            <ol class="line-list">
                <For
                    each=move || 0..draft.with(|d| d.lines.len())
                    key=|index| *index
                    children=move |index| view! { <LineRow draft index/> }
                />
            </ol>
            <button
                type="button"
                class="secondary"
                data-testid="add-line"
                on:click=add_line
            >
                "Add line"
            </button>
        </fieldset>
    }
}

/// Line `index`: its inputs, live amounts (computed by the model as the user types) and a
/// remove button (disabled for the only line: an order needs one).
#[component]
pub fn LineRow(draft: RwSignal<OrderDraft>, index: usize) -> impl IntoView {
    let amounts = Memo::new(move |_| draft.with(|d| d.line_text(index)));
    let only_line = move || draft.with(|d| d.lines.len() <= 1);
    view! {
        <li class="line" aria-label=format!("Line {}", index + 1)>
            <div class="line-fields">
                {LineField::ALL
                    .into_iter()
                    .map(|field| view! { <LineInput draft index field/> })
                    .collect_view()}
            </div>
            <div class="line-footer">
                <dl class="line-amounts">
                    <div>
                        <dt>"Line total"</dt>
                        <dd data-testid=format!("line-{index}-total")>
                            {move || amounts.get().total}
                        </dd>
                    </div>
                    <div>
                        <dt>"VAT"</dt>
                        <dd data-testid=format!("line-{index}-vat")>
                            {move || amounts.get().vat}
                        </dd>
                    </div>
                </dl>
                <button
                    type="button"
                    class="link-button"
                    data-testid=format!("remove-line-{index}")
                    aria-label=format!("Remove line {}", index + 1)
                    disabled=only_line
                    on:click=move |_| draft.update(|d| d.remove_line(index))
                >
                    "Remove"
                </button>
            </div>
            <FieldErrorMsg at=format!("lines.{index}")/>
        </li>
    }
}

/// Field `field` of line `index` of the new-order form.
#[component]
fn LineInput(draft: RwSignal<OrderDraft>, index: usize, field: LineField) -> impl IntoView {
    let value = Signal::derive(move || {
        draft.with(|d| {
            d.lines
                .get(index)
                .map(|l| field.get(l).to_owned())
                .unwrap_or_default()
        })
    });
    let on_input = Callback::new(move |value: String| {
        draft.update(|d| {
            if let Some(line) = d.lines.get_mut(index) {
                field.set(line, value);
            }
        })
    });
    view! {
        <LineFieldInput
            field
            path=field.path(index)
            testid=format!("line-{index}-{}", field.key())
            value
            on_input
        />
    }
}

/// One labelled input of a line ("Unit price"), with its error: the new-order form's rows and
/// the "Edit line" dialog share it. `path` is the field path errors name.
#[component]
pub fn LineFieldInput(
    field: LineField,
    path: String,
    testid: String,
    value: Signal<String>,
    on_input: Callback<String>,
) -> impl IntoView {
    view! {
        <TextField
            label=field.label()
            path
            testid
            value
            on_input
            inputmode=field.inputmode()
            class=format!("field field-{}", field.key())
        />
    }
}
