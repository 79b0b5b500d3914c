//! The dialog of an action without a form of its own (acknowledge, release the remaining
//! authorization, extend the authorization, resend a capture's invoice): what it will do, in
//! money and dates, and one button to do it. Sends nothing itself: `on_submit` gets the action,
//! with the same intent id for every retry after an unknown outcome.

use kassa_model::api::{ActionKind, OrderAction, OrderView, ShipmentView};
use leptos::prelude::*;

use super::order_updates::{error_message, renew_intent_if_refused, EditDialog};
use crate::actions::{new_intent_id, plain_action, plain_question};
use crate::api::ClientError;
use crate::format::short_timestamp;

#[component]
pub fn PlainActionDialog(
    kind: ActionKind,
    order: OrderView,
    /// The capture the action is about (resend invoice).
    #[prop(optional)]
    shipment: Option<ShipmentView>,
    #[prop(into)] on_submit: Callback<OrderAction>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into, optional)] busy: Signal<bool>,
    /// The caller's error for the last send.
    #[prop(into, optional)]
    error: Signal<Option<ClientError>>,
) -> impl IntoView {
    let intent = StoredValue::new(new_intent_id());
    let listed = match &shipment {
        Some(s) => &s.actions,
        None => &order.actions,
    };
    let label = listed
        .iter()
        .find(|a| a.kind == kind)
        .map_or_else(|| kind.as_str().replace('_', " "), |a| a.label.clone());
    let question = plain_question(kind, &order, shipment.as_ref()).unwrap_or_default();
    let new_expiry = (kind == ActionKind::ExtendAuthorization)
        .then(|| order.extended_expires_at.as_deref().map(short_timestamp))
        .flatten();
    let shipment_id = shipment.map(|s| s.id);
    let message = Signal::derive(move || error.get().map(|e| error_message(&e)));
    let submit = Callback::new(move |()| {
        renew_intent_if_refused(intent, error);
        if let Some(action) = plain_action(kind, intent.get_value(), shipment_id.as_deref()) {
            on_submit.run(action);
        }
    });
    view! {
        <EditDialog
            title=format!("{label}: order {}", order.order_number)
            submit_label=submit_label(kind)
            on_submit=submit
            on_close
            busy
            message
        >
            <p class="confirm" data-testid="plain-question">{question}</p>
            {new_expiry
                .map(|at| {
                    view! {
                        <p class="new-total">
                            "New expiry: "
                            <strong data-testid="new-expiry">{at}</strong>
                        </p>
                    }
                })}
        </EditDialog>
    }
}

fn submit_label(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Acknowledge => "Yes, acknowledge",
        ActionKind::ReleaseAuthorization => "Yes, release",
        ActionKind::ExtendAuthorization => "Yes, extend",
        ActionKind::TriggerSendOut => "Yes, resend",
        _ => "Yes, do it",
    }
}
