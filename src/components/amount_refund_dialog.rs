//! "Refund an amount": money back that is not a line (shipping costs, goodwill), on the order's
//! payment. The amount is typed in the order's currency and checked against what is left; the
//! button names it ("Refund €4.95", off while nothing is typed). A refund cannot be undone, so
//! the submit asks first, with the same question and buttons as a refund of lines
//! ([`super::ConfirmStep`]). Sends nothing itself: `on_submit` gets the checked `RefundAmount`.

use kassa_model::api::{OrderAction, OrderView};
use kassa_model::{FieldError, Money};
use leptos::prelude::*;

use super::order_updates::{provide_dialog_errors, renew_intent_if_refused, EditDialog};
use super::{ConfirmStep, TextField};
use crate::actions::{
    amount_refund, new_intent_id, refund_question, refund_yes, refundable_amount,
};
use crate::api::ClientError;
use crate::draft::FormError;
use crate::staff_locale::StaffLocale;
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
    let staff = StaffLocale::current();
    let description_max = terms(order.provider).description_max;
    let left = refundable_amount(&order)
        .map(|m| staff.money(m))
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
        if pending.with_untracked(Option::is_some) {
            // The question is showing: its own button confirms.
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
    let confirm = move |()| {
        if let Some(action) = pending.get_untracked() {
            on_submit.run(action);
        }
    };
    // What is typed, when it reads as an amount: the button names it.
    let typed = Signal::derive(move || {
        let currency = order.with_value(|o| o.amount.currency);
        Money::parse_major(amount.get().trim(), currency).ok()
    });
    let submit_text = Signal::derive(move || match typed.get() {
        Some(m) if m.minor > 0 => format!("Refund {}", staff.money(m)),
        _ => "Refund".to_owned(),
    });
    // Nothing typed (or nothing to refund in it): nothing to send.
    let nothing = Signal::derive(move || {
        amount.with(|a| a.trim().is_empty()) || typed.get().is_some_and(|m| m.minor == 0)
    });
    view! {
        <EditDialog
            title=format!("Refund an amount of order {}", order.with_value(|o| o.order_number.clone()))
            submit_label="Refund"
            submit_text
            submit_off=Signal::derive(move || pending.with(Option::is_some) || nothing.get())
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
                pending
                    .with(|p| match p {
                        Some(OrderAction::RefundAmount { amount, .. }) => Some(*amount),
                        _ => None,
                    })
                    .map(|amount| {
                        view! {
                            <ConfirmStep
                                question=refund_question(amount, None)
                                yes=refund_yes(amount)
                                busy
                                on_confirm=confirm
                                on_back=move |()| pending.set(None)
                            />
                        }
                    })
            }}
        </EditDialog>
    }
}
