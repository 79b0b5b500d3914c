//! The "New order" form. It owns the draft and local validation; what happens to a valid
//! order is the caller's business (`on_submit`, or `on_pay_link` for Klarna), which keeps the
//! form testable without a network and lets a test see that an invalid form sends nothing.

use kassa_model::api::{NewOrder, NewPayLink};
use kassa_model::{Currency, Provider};
use leptos::html;
use leptos::prelude::*;

use super::{
    focus_summary, AddressFields, ErrorSummary, FieldErrorMsg, FormErrors, FormLevelError,
    LinesEditor, LocaleSelect, ProviderChoice, Totals,
};
use crate::draft::{field_id, AddressField, FormError, OrderDraft, METHODS};

#[component]
pub fn OrderForm(
    /// Called with the order once it passed the model's validation; never called otherwise.
    #[prop(into)]
    on_submit: Callback<NewOrder>,
    /// True while the caller is creating the order: the button shows "Creating…" and further
    /// submits are ignored.
    #[prop(into, optional)]
    busy: Signal<bool>,
    /// The caller's error for the last submit (the proxy's 422 or a network failure).
    #[prop(into, optional)]
    server_error: Signal<Option<FormError>>,
    /// With it the form offers Klarna besides Mollie: a Klarna order becomes a pay link the
    /// customer pays on Kassa's public page, and is handed here instead of `on_submit`.
    #[prop(into, optional)]
    on_pay_link: Option<Callback<NewPayLink>>,
) -> impl IntoView {
    let draft = RwSignal::new(OrderDraft::default());
    let provider = RwSignal::new(Provider::Mollie);
    let save_customer_token = RwSignal::new(false);
    // The fields that had a problem at the last failed submit. Their messages stay while the
    // problem does and go as soon as an edit fixes it; a field that was fine then gets no
    // message while the user types, only at the next submit.
    let flagged = RwSignal::new(Vec::<String>::new());
    let local_errors = Memo::new(move |_| {
        flagged.with(|fields| {
            if fields.is_empty() {
                return Vec::new();
            }
            draft
                .with(|d| d.to_new_order_all().err().unwrap_or_default())
                .into_iter()
                .filter(|e| fields.contains(&e.field))
                .map(FormError::Field)
                .collect::<Vec<_>>()
        })
    });
    // Local validation wins over a stale server error, also once its problems are fixed (the
    // server's answer was to an older submit); a valid submit lets the server's answer to
    // *that* submit show.
    let server_stale = RwSignal::new(false);
    let shown = Signal::derive(move || {
        let local = local_errors.get();
        if !local.is_empty() || server_stale.get() {
            local
        } else {
            server_error.get().into_iter().collect()
        }
    });
    let line_count = Signal::derive(move || draft.with(|d| d.lines.len()));
    FormErrors::provide_all(shown, line_count);
    let summary_ref = NodeRef::<html::Div>::new();
    let billing = Memo::new(move |_| draft.with(|d| d.billing.clone()));
    let set_billing = move |(field, value): (AddressField, String)| {
        draft.update(|d| match field {
            AddressField::Country => d.choose_country(value),
            _ => field.set(&mut d.billing, value),
        })
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        match draft.with_untracked(OrderDraft::to_new_order_all) {
            Ok(order) => {
                flagged.set(Vec::new());
                server_stale.set(false);
                match (provider.get_untracked(), on_pay_link) {
                    (Provider::Klarna, Some(on_pay_link)) => on_pay_link.run(NewPayLink {
                        // Klarna's categories are chosen by the customer on the pay page.
                        order: NewOrder {
                            method: None,
                            ..order
                        },
                        save_customer_token: save_customer_token.get_untracked(),
                    }),
                    _ => on_submit.run(order),
                }
            }
            Err(errors) => {
                flagged.set(errors.into_iter().map(|e| e.field).collect());
                server_stale.set(true);
                focus_summary(summary_ref);
            }
        }
    };

    view! {
        <form class="order-form" on:submit=submit novalidate>
            <ErrorSummary node_ref=summary_ref/>
            {on_pay_link.map(|_| view! { <PaymentChoice provider save_customer_token/> })}
            <OrderSettings draft provider=provider.into()/>
            <AddressFields address=billing on_input=set_billing/>
            <LinesEditor draft/>
            <Totals draft/>
            <div class="form-actions">
                <FormLevelError/>
                <button
                    type="submit"
                    class="primary"
                    data-testid="submit-order"
                    disabled=move || busy.get()
                    aria-busy=move || busy.get().then_some("true")
                >
                    {move || match (busy.get(), provider.get()) {
                        (true, _) => "Creating…",
                        (false, Provider::Mollie) => "Create order",
                        (false, Provider::Klarna) => "Create pay link",
                    }}
                </button>
            </div>
        </form>
    }
}

/// Who takes the payment. Mollie: the order is created now and the customer pays at Mollie's
/// checkout. Klarna: a pay link; the order exists once the customer has authorized on it.
#[component]
fn PaymentChoice(
    provider: RwSignal<Provider>,
    save_customer_token: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <ProviderChoice
            provider
            on_change=Callback::new(move |p| provider.set(p))
            name="provider"
            legend="Payment"
            mollie="Mollie: the customer pays at Mollie's checkout"
            klarna="Klarna: a pay link to send the customer"
            class="block provider-choice"
        >
            <Show when=move || provider.get() == Provider::Klarna>
                <label class="choice">
                    <input
                        type="checkbox"
                        name="saveCustomerToken"
                        data-testid="save-customer-token"
                        prop:checked=move || save_customer_token.get()
                        on:change:target=move |ev| save_customer_token.set(ev.target().checked())
                    />
                    "Save Klarna for this customer's future orders"
                </label>
            </Show>
        </ProviderChoice>
    }
}

/// Currency, locale, order number and payment method (Mollie's; Klarna's customer chooses).
#[component]
fn OrderSettings(draft: RwSignal<OrderDraft>, provider: Signal<Provider>) -> impl IntoView {
    // Memos so the option lists only re-check `selected` when their own field changes.
    let currency = Memo::new(move |_| draft.with(|d| d.currency));
    let locale = Memo::new(move |_| draft.with(|d| d.locale.clone()));
    let method = Memo::new(move |_| draft.with(|d| d.method.clone()));
    let set_locale = Callback::new(move |l: String| draft.update(|d| d.set_locale(l)));
    let errors = FormErrors::expect_context();
    view! {
        <fieldset class="block settings">
            <legend>"Order"</legend>
            <div class="field-grid">
                <div class="field">
                    <label>
                        <span class="label">"Currency"</span>
                        <select
                            name="currency"
                            id=field_id("currency")
                            aria-invalid=move || errors.invalid("currency")
                            aria-describedby=move || errors.message_id("currency")
                            data-testid="currency"
                            on:change:target=move |ev| {
                                if let Ok(c) = ev.target().value().parse::<Currency>() {
                                    draft.update(|d| d.currency = c);
                                }
                            }
                        >
                            {Currency::ALL
                                .into_iter()
                                .map(|c| {
                                    view! {
                                        <option value=c.code() prop:selected=move || currency.get() == c>
                                            {c.code()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </label>
                    <FieldErrorMsg at="currency"/>
                </div>
                <div class="field field-locale">
                    <LocaleSelect label="Checkout language" locale on_change=set_locale/>
                </div>
                <div class="field">
                    <label>
                        <span class="label">"Order number (optional)"</span>
                        <input
                            type="text"
                            name="orderNumber"
                            id=field_id("orderNumber")
                            aria-invalid=move || errors.invalid("orderNumber")
                            aria-describedby=move || errors.message_id("orderNumber")
                            data-testid="order-number"
                            autocomplete="off"
                            placeholder="Generated when empty"
                            prop:value=move || draft.with(|d| d.order_number.clone())
                            on:input:target=move |ev| {
                                draft.update(|d| d.order_number = ev.target().value())
                            }
                        />
                    </label>
                    <FieldErrorMsg at="orderNumber"/>
                </div>
                <div class="field" hidden=move || provider.get() == Provider::Klarna>
                    <label>
                        <span class="label">"Payment method"</span>
                        <select
                            name="method"
                            id=field_id("method")
                            aria-invalid=move || errors.invalid("method")
                            aria-describedby=move || errors.message_id("method")
                            data-testid="method"
                            on:change:target=move |ev| {
                                draft.update(|d| d.method = ev.target().value())
                            }
                        >
                            <option value="" prop:selected=move || method.with(String::is_empty)>
                                "Customer chooses"
                            </option>
                            {METHODS
                                .into_iter()
                                .map(|(id, label)| {
                                    view! {
                                        <option value=id prop:selected=move || method.with(|m| m == id)>
                                            {label}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </label>
                    <FieldErrorMsg at="method"/>
                </div>
            </div>
        </fieldset>
    }
}
