//! The shop's form: the catalog with a quantity picker per product, the billing address, the
//! checkout language, who takes the payment and the live total. It owns the draft and the checks; what happens to a
//! valid checkout is the caller's business (`on_submit`), so it is testable without a network.
//! Its own words follow the language the shopper picks (see [`crate::i18n`]), and prices are
//! written the way that locale writes them.

use kassa_model::api::{CheckoutItem, Product, PublicCheckout};
use kassa_model::{FieldError, Provider};
use leptos::prelude::*;

use super::{AddressFields, FormErrors, FormLevelError, LocaleSelect, ProviderChoice};
use crate::api::ClientError;
use crate::draft::{AddressField, DASH};
use crate::format::money_in_locale;
use crate::i18n::{shop_problem, Lang, Msg};
use crate::shop::{ShopDraft, ShopError};

#[component]
pub fn ShopForm(
    /// What is for sale, in the order shown.
    catalog: Vec<Product>,
    /// Called with the checkout once it passed the checks; never called otherwise.
    #[prop(into)]
    on_submit: Callback<PublicCheckout>,
    /// True while the caller sends (and after, while the browser leaves for the checkout).
    #[prop(into, optional)]
    busy: Signal<bool>,
    /// The caller's error for the last send (the proxy's 422 or a network failure).
    #[prop(into, optional)]
    server_error: Signal<Option<ClientError>>,
    /// Called with the locale the shopper picks, so the page around the form speaks it too.
    #[prop(into, optional)]
    on_locale: Option<Callback<String>>,
) -> impl IntoView {
    let catalog = StoredValue::new(catalog);
    let draft = RwSignal::new(catalog.with_value(|c| ShopDraft::new(c)));
    // Every problem of the last submit that failed here; a submit that passes clears them.
    let local_errors = RwSignal::new(Vec::<ShopError>::new());
    // The items last handed to `on_submit`: the proxy's `items.N` counts in these.
    let sent = StoredValue::new(Vec::<CheckoutItem>::new());
    let lang = Memo::new(move |_| draft.with(|d| Lang::of_locale(&d.locale)));
    let shown = Signal::derive(move || {
        let local = local_errors.get();
        let errors: Vec<ShopError> = if !local.is_empty() {
            local
        } else {
            server_error
                .get()
                .map(|error| {
                    sent.with_value(|s| {
                        catalog.with_value(|c| {
                            ShopError::from_proxy(error.field_error(), error.to_string(), s, c)
                        })
                    })
                })
                .into_iter()
                .collect()
        };
        // In the shopper's language.
        let lang = lang.get();
        errors
            .into_iter()
            .map(|e| e.map_error(|e| FieldError::new(e.field.clone(), shop_problem(lang, e))))
            .collect::<Vec<_>>()
    });
    // The address fields and the language show their errors through the form's usual slots.
    let form_errors = Signal::derive(move || {
        shown
            .get()
            .into_iter()
            .filter_map(|e| match e {
                ShopError::Other(e) => Some(e),
                ShopError::Item { .. } => None,
            })
            .collect::<Vec<_>>()
    });
    FormErrors::provide_list(form_errors, Signal::from(0));
    let item_error = move |sku: &str| {
        shown.get().into_iter().find_map(|e| match e {
            ShopError::Item { sku: s, error } if s == sku => Some(error),
            _ => None,
        })
    };

    let total = Memo::new(move |_| catalog.with_value(|c| draft.with(|d| d.total(c))));
    let billing = Memo::new(move |_| draft.with(|d| d.billing.clone()));
    let locale = Memo::new(move |_| draft.with(|d| d.locale.clone()));
    let money = move |m| locale.with(|l| money_in_locale(m, l));
    let provider = Memo::new(move |_| draft.with(|d| d.provider));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        match catalog.with_value(|c| draft.with_untracked(|d| d.to_checkout_all(c))) {
            Ok(checkout) => {
                local_errors.set(Vec::new());
                sent.set_value(checkout.items.clone());
                on_submit.run(checkout);
            }
            Err(problems) => local_errors.set(problems),
        }
    };

    let rows = catalog.with_value(|c| {
        c.iter()
            .cloned()
            .enumerate()
            .map(|(i, product)| {
                let qty_id = format!("shop-qty-{}", product.sku);
                let sku = product.sku.clone();
                let invalid = {
                    let sku = sku.clone();
                    move || item_error(&sku).is_some().then_some("true")
                };
                view! {
                    <li class="shop-product" data-testid="shop-product">
                        <label for=qty_id.clone() class="shop-name">
                            {product.name}
                        </label>
                        <span class="amount" data-testid="shop-price">
                            {move || money(product.unit_price)}
                        </span>
                        // Text, not `number`: a number input reports "" for "1.5" or "1.", and
                        // writing that back garbled what was typed. As text, the check says
                        // what is wrong with it.
                        <input
                            type="text"
                            id=qty_id.clone()
                            data-testid=qty_id
                            inputmode="numeric"
                            autocomplete="off"
                            aria-invalid=invalid
                            prop:value=move || draft.with(|d| d.quantities[i].clone())
                            on:input:target=move |ev| {
                                draft.update(|d| d.quantities[i] = ev.target().value());
                                // "Choose at least one product." beside a filled cart would be
                                // a lie: a cart problem goes as soon as the cart changes.
                                local_errors.update(|e| e.retain(|e| !e.is_about_cart()));
                            }
                        />
                        {move || {
                            item_error(&sku)
                                .map(|e| {
                                    view! {
                                        <p
                                            class="field-error"
                                            role="alert"
                                            data-testid="field-error"
                                            data-field=e.field
                                        >
                                            {e.message}
                                        </p>
                                    }
                                })
                        }}
                    </li>
                }
            })
            .collect_view()
    });

    view! {
        <form class="shop-form" on:submit=submit novalidate>
            <ul class="block shop-products" aria-label=move || lang.get().t(Msg::Products)>
                {rows}
            </ul>
            <AddressFields
                address=billing
                on_input=move |(field, value): (AddressField, String)| {
                    draft.update(|d| field.set(&mut d.billing, value))
                }
                lang=Signal::from(lang)
            />
            <div class="field field-locale">
                // In every language the shop speaks: whoever reads the page finds it.
                <LocaleSelect
                    label="Language · Taal · Sprache · Langue"
                    locale
                    on_change=Callback::new(move |l: String| {
                        draft.update(|d| d.locale = l.clone());
                        if let Some(on_locale) = on_locale {
                            on_locale.run(l);
                        }
                    })
                />
            </div>
            // "Pay with": Mollie's hosted checkout (the shopper leaves for Mollie's page) or
            // Klarna on this page (the Klarna step appears below once the proxy priced it).
            {move || {
                let lang = lang.get();
                view! {
                    <ProviderChoice
                        provider
                        on_change=Callback::new(move |p| draft.update(|d| d.provider = p))
                        name="shop-provider"
                        legend=lang.t(Msg::PayWith)
                        mollie=lang.t(Msg::MollieCheckout)
                        klarna=lang.t(Msg::KlarnaOnThisPage)
                        class="field pay-with"
                        legend_class="label"
                    />
                }
            }}
            <p class="totals">
                <span data-testid="shop-total-label">{move || lang.get().t(Msg::Total)}</span>
                " "
                <span class="amount" data-testid="shop-total">
                    {move || total.get().map_or_else(|| DASH.to_owned(), money)}
                </span>
            </p>
            <div class="form-actions">
                <FormLevelError/>
                <button
                    type="submit"
                    class="primary"
                    data-testid="shop-pay"
                    disabled=move || busy.get()
                    aria-busy=move || busy.get().then_some("true")
                >
                    {move || {
                        lang.get()
                            .t(
                                match (busy.get(), provider.get()) {
                                    (true, _) => Msg::Working,
                                    (false, Provider::Mollie) => Msg::Pay,
                                    (false, Provider::Klarna) => Msg::ContinueWithKlarna,
                                },
                            )
                    }}
                </button>
            </div>
        </form>
    }
}
