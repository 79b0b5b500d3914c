//! "Refund an amount": money back that is not a line (shipping costs, goodwill), on the order's
//! payment. The amount is typed in the order's currency and checked against what is left; a
//! refund cannot be undone, so the first submit describes it and the second confirms. Sends
//! nothing itself: `on_submit` gets the checked `RefundAmount`.

use kassa_model::api::{OrderAction, OrderView};
use kassa_model::FieldError;
use leptos::prelude::*;

use super::order_updates::{provide_dialog_errors, renew_intent_if_refused, EditDialog};
use super::TextField;
use crate::actions::{amount_refund, new_intent_id, refundable_amount};
use crate::api::ClientError;
use crate::draft::FormError;
use crate::format::money_in_locale;
use crate::terms::terms;

#[component]
pub fn AmountRefundDialog(
    order: OrderView,
    /// Called with the confirmed action; never with something the checks refused.
    #[prop(into)]
    on_submit: Callback<OrderAction>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into, optional)] busy: Signal<bool>,
    /// The caller's error for the last send.
    #[prop(into, optional)]
    error: Signal<Option<ClientError>>,
) -> impl IntoView {
    let intent = StoredValue::new(new_intent_id());
    let locale = order.locale.clone();
    let description_max = terms(order.provider).description_max;
    let left = refundable_amount(&order)
        .map(|m| money_in_locale(m, &locale))
        .unwrap_or_else(|| "nothing".to_owned());
    let order = StoredValue::new(order);
    let amount = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    // The checked action, waiting for its confirmation.
    let pending = RwSignal::new(None::<OrderAction>);
    let local_error = RwSignal::new(None::<FormError>);
    // The proxy and the provider name `amount`; here that field is `refund.amount`.
    let errors = provide_dialog_errors(local_error, error, |f| {
        FieldError::new(format!("refund.{}", f.field), f.message)
    });
    // Typing into a field drops the described refund: it must be checked and confirmed again.
    let edit = move |field: RwSignal<String>| {
        Callback::new(move |value: String| {
            field.set(value);
            pending.set(None);
            local_error.set(None);
        })
    };
    let submit = Callback::new(move |()| {
        if let Some(action) = pending.get_untracked() {
            on_submit.run(action);
            return;
        }
        renew_intent_if_refused(intent, error);
        let result = order.with_value(|o| {
            amount_refund(
                intent.get_value(),
                o,
                &amount.get_untracked(),
                &description.get_untracked(),
            )
        });
        match result {
            Ok(action) => {
                local_error.set(None);
                pending.set(Some(action));
            }
            Err(e) => local_error.set(Some(e)),
        }
    });
    let confirmation = move || {
        pending.with(|p| match p {
            Some(OrderAction::RefundAmount { amount, .. }) => Some(format!(
                "Refund {} to the customer? This cannot be undone.",
                order.with_value(|o| money_in_locale(*amount, &o.locale))
            )),
            _ => None,
        })
    };
    view! {
        <EditDialog
            title=format!("Refund an amount of order {}", order.with_value(|o| o.order_number.clone()))
            submit_label="Refund"
            confirm_label="Yes, refund"
            confirming=Signal::derive(move || pending.with(Option::is_some))
            on_submit=submit
            on_close
            busy
            message=Signal::derive(move || errors.form_level())
        >
            <p class="hint" data-testid="refund-left">{format!("At most {left} can be refunded.")}</p>
            <TextField
                label="Amount"
                path="refund.amount"
                testid="refund-amount-input"
                inputmode="decimal"
                value=amount.into()
                on_input=edit(amount)
            />
            <TextField
                label="Description (optional, on the customer's statement)"
                path="refund.description"
                testid="refund-description-input"
                maxlength=u32::try_from(description_max).unwrap_or(u32::MAX)
                value=description.into()
                on_input=edit(description)
            />
            {move || {
                confirmation()
                    .map(|text| view! { <p class="confirm" role="status" data-testid="confirm-text">{text}</p> })
            }}
        </EditDialog>
    }
}
