//! The address block of the order form, the shop and the "Edit details" dialog (billing, or
//! a Klarna order's shipping address).

use leptos::prelude::*;

use super::FieldErrorMsg;
use super::FormErrors;
use crate::draft::{AddressDraft, AddressField};

/// All billing fields, each with its error slot; plus a block slot for errors that name the
/// address as a whole (a provider's answer may name only `billingAddress`). Needs a [`FormErrors`] in
/// context.
#[component]
pub fn AddressFields(
    /// The address as typed.
    #[prop(into)]
    address: Signal<AddressDraft>,
    /// Called on every keystroke with the field and its new value.
    #[prop(into)]
    on_input: Callback<(AddressField, String)>,
    /// The start of each input's `data-testid`: `billing` (the default) gives `billing-email`.
    #[prop(optional)]
    testid_prefix: Option<&'static str>,
    /// The shipping address (`shippingAddress.…` paths) rather than the billing address.
    #[prop(optional)]
    shipping: bool,
) -> impl IntoView {
    let prefix = testid_prefix.unwrap_or("billing");
    let (root, legend) = if shipping {
        ("shippingAddress", "Shipping address")
    } else {
        ("billingAddress", "Billing address")
    };
    view! {
        <fieldset class="block address">
            <legend>{legend}</legend>
            <FieldErrorMsg at=root/>
            <div class="field-grid">
                {AddressField::ALL
                    .into_iter()
                    .map(|field| view! { <AddressInput address on_input field prefix root/> })
                    .collect_view()}
            </div>
        </fieldset>
    }
}

#[component]
fn AddressInput(
    address: Signal<AddressDraft>,
    on_input: Callback<(AddressField, String)>,
    field: AddressField,
    prefix: &'static str,
    root: &'static str,
) -> impl IntoView {
    let path = field.path_in(root);
    let errors = FormErrors::expect_context();
    let invalid = {
        let path = path.clone();
        move || errors.at(&path).is_some().then_some("true")
    };
    // No `maxlength` on the country: it would cut "Netherlands" to "NE" (Niger) without a
    // word; the check says what to type instead.
    let input_type = match field {
        AddressField::Email => "email",
        _ => "text",
    };
    view! {
        <div class=format!("field field-{}", field.key())>
            <label>
                <span class="label">{field.label()}</span>
                <input
                    type=input_type
                    name=path.clone()
                    data-testid=format!("{prefix}-{}", field.key())
                    autocomplete=field.autocomplete()
                    aria-invalid=invalid
                    prop:value=move || address.with(|a| field.get(a).to_owned())
                    on:input:target=move |ev| on_input.run((field, ev.target().value()))
                />
            </label>
            <FieldErrorMsg at=path/>
        </div>
    }
}
