//! One labelled text input with its error message underneath, as every form here lays it out.

use leptos::prelude::*;

use super::{FieldErrorMsg, FormErrors};
use crate::draft::field_id;

/// `path` names the input and is the slot its errors appear in (see [`FormErrors`]).
#[component]
pub fn TextField(
    label: &'static str,
    #[prop(into)] path: String,
    #[prop(into)] testid: String,
    value: Signal<String>,
    on_input: Callback<String>,
    /// The on-screen keyboard a phone should offer.
    #[prop(default = "text")]
    inputmode: &'static str,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(into, default = "field".to_owned())] class: String,
) -> impl IntoView {
    let errors = FormErrors::expect_context();
    let invalid = {
        let path = path.clone();
        move || errors.invalid(&path)
    };
    let described_by = {
        let path = path.clone();
        move || errors.message_id(&path)
    };
    view! {
        <div class=class>
            <label>
                <span class="label">{label}</span>
                <input
                    type="text"
                    id=field_id(&path)
                    name=path.clone()
                    data-testid=testid
                    inputmode=inputmode
                    maxlength=maxlength.map(|m| m.to_string())
                    autocomplete="off"
                    aria-invalid=invalid
                    aria-describedby=described_by
                    prop:value=value
                    on:input:target=move |ev| on_input.run(ev.target().value())
                />
            </label>
            <FieldErrorMsg at=path/>
        </div>
    }
}
