//! The billing address block of the order form.

use leptos::prelude::*;

use super::FieldErrorMsg;
use super::FormErrors;
use crate::draft::{AddressField, OrderDraft};

/// All billing fields, each with its error slot; plus a block slot for errors that name the
/// address as a whole ("The following fields ... are missing").
#[component]
pub fn AddressFields(draft: RwSignal<OrderDraft>) -> impl IntoView {
    view! {
        <fieldset class="block address">
            <legend>"Billing address"</legend>
            <FieldErrorMsg at="billingAddress"/>
            <div class="field-grid">
                {AddressField::ALL
                    .into_iter()
                    .map(|field| view! { <AddressInput draft field/> })
                    .collect_view()}
            </div>
        </fieldset>
    }
}

#[component]
fn AddressInput(draft: RwSignal<OrderDraft>, field: AddressField) -> impl IntoView {
    let path = field.path();
    let errors = FormErrors::expect_context();
    let invalid = {
        let path = path.clone();
        move || errors.at(&path).is_some().then_some("true")
    };
    let (input_type, max_length) = match field {
        AddressField::Email => ("email", None),
        AddressField::Country => ("text", Some("2")),
        _ => ("text", None),
    };
    view! {
        <div class=format!("field field-{}", field.key())>
            <label>
                <span class="label">{field.label()}</span>
                <input
                    type=input_type
                    name=path.clone()
                    data-testid=format!("billing-{}", field.key())
                    autocomplete=field.autocomplete()
                    maxlength=max_length
                    aria-invalid=invalid
                    prop:value=move || draft.with(|d| field.get(&d.billing).to_owned())
                    on:input:target=move |ev| {
                        draft.update(|d| field.set(&mut d.billing, ev.target().value()))
                    }
                />
            </label>
            <FieldErrorMsg at=path/>
        </div>
    }
}
