//! The address block of the order form, the shop and the "Edit details" dialog (billing, or
//! a Klarna order's shipping address).

use leptos::prelude::*;

use super::FieldErrorMsg;
use super::FormErrors;
use crate::countries;
use crate::draft::{field_id, field_message_id, AddressDraft, AddressField};
use crate::i18n::{address_label, Lang, Msg};

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
    /// The customer's language (the shop); staff forms stay English.
    #[prop(optional, into)]
    lang: Option<Signal<Lang>>,
) -> impl IntoView {
    let prefix = testid_prefix.unwrap_or("billing");
    let (root, legend) = if shipping {
        ("shippingAddress", "Shipping address")
    } else {
        ("billingAddress", "Billing address")
    };
    view! {
        <fieldset class="block address">
            <legend>
                {move || lang.map_or(legend, |l| l.get().t(Msg::BillingAddress))}
            </legend>
            <FieldErrorMsg at=root/>
            <div class="field-grid">
                {AddressField::ALL
                    .into_iter()
                    .map(|field| view! { <AddressInput address on_input field prefix root lang/> })
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
    lang: Option<Signal<Lang>>,
) -> impl IntoView {
    let path = field.path_in(root);
    let errors = FormErrors::expect_context();
    let testid = format!("{prefix}-{}", field.key());
    let invalid = {
        let path = path.clone();
        move || errors.invalid(&path)
    };
    // The postal code's hint (a Berlin postcode with NL) is only advice: shown and announced
    // with the field, never blocking the submit.
    let warning = Memo::new(move |_| {
        (field == AddressField::PostalCode)
            .then(|| {
                let lang = lang.map_or(Lang::En, |l| l.get());
                address.with(|a| a.postal_code_warning_in(lang))
            })
            .flatten()
    });
    let warning_id = format!("{}-warning", field_id(&path));
    let described_by = {
        let (path, warning_id) = (path.clone(), warning_id.clone());
        move || {
            let ids: Vec<String> = [
                errors.at(&path).map(|_| field_message_id(&path)),
                warning.with(Option::is_some).then(|| warning_id.clone()),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let control = match field {
        AddressField::Country => view! {
            <CountrySelect
                address
                lang
                on_input
                path=path.clone()
                testid=testid.clone()
                invalid
                described_by
            />
        }
        .into_any(),
        _ => {
            let input_type = match field {
                AddressField::Email => "email",
                _ => "text",
            };
            view! {
                <input
                    type=input_type
                    id=field_id(&path)
                    name=path.clone()
                    data-testid=testid.clone()
                    autocomplete=field.autocomplete()
                    aria-invalid=invalid
                    aria-describedby=described_by
                    prop:value=move || address.with(|a| field.get(a).to_owned())
                    on:input:target=move |ev| on_input.run((field, ev.target().value()))
                />
            }
            .into_any()
        }
    };
    view! {
        <div class=format!("field field-{}", field.key())>
            <label>
                <span class="label">
                    {move || lang.map_or(field.label(), |l| l.get().t(address_label(field)))}
                </span>
                {control}
            </label>
            <FieldErrorMsg at=path/>
            {move || {
                warning
                    .get()
                    .map(|message| {
                        view! {
                            <p
                                class="field-warning"
                                id=warning_id.clone()
                                data-testid=format!("{testid}-warning")
                            >
                                {message}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// The country as a choice of the countries the model accepts, "Germany (DE)", so nobody
/// types "Netherlands" (or "GERMANY" into a two-letter box). An empty first option stays for
/// an address without a country (the check then asks for one).
#[component]
fn CountrySelect(
    address: Signal<AddressDraft>,
    lang: Option<Signal<Lang>>,
    on_input: Callback<(AddressField, String)>,
    path: String,
    testid: String,
    invalid: impl Fn() -> Option<&'static str> + Send + Sync + 'static,
    described_by: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> impl IntoView {
    // A memo, so the 249 options only re-check `selected` when the country itself changes.
    let country = Memo::new(move |_| address.with(|a| a.country.trim().to_ascii_uppercase()));
    // A country the list does not have (an old order's) is shown as it is, not silently lost.
    let unknown = move || {
        country.with(|c| {
            (!c.is_empty() && countries::name(c).is_none()).then(|| {
                let c = c.clone();
                view! { <option value=c.clone() selected>{c.clone()}</option> }
            })
        })
    };
    view! {
        <select
            id=field_id(&path)
            name=path
            data-testid=testid
            autocomplete=AddressField::Country.autocomplete()
            aria-invalid=invalid
            aria-describedby=described_by
            on:change:target=move |ev| on_input.run((AddressField::Country, ev.target().value()))
        >
            <option value="" prop:selected=move || country.with(String::is_empty)>
                {move || lang.map_or(Lang::En, |l| l.get()).t(Msg::ChooseCountry)}
            </option>
            {unknown}
            {move || {
                countries::labels_in(lang.map_or(Lang::En, |l| l.get()))
                    .into_iter()
                    .map(|(code, label)| {
                        view! {
                            <option value=code prop:selected=move || country.with(|c| c == code)>
                                {label}
                            </option>
                        }
                    })
                    .collect_view()
            }}
        </select>
    }
}
