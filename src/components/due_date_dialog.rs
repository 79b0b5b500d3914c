//! "Extend due date" of a Klarna capture (an invoice): the extensions Klarna offers for it,
//! each with its fee, fetched from the proxy; staff pick one, see what it costs, and confirm.
//! Sends nothing itself: `on_submit` gets the checked `ExtendDueDate`.

use kassa_model::api::{DueDateOption, OrderAction, ShipmentView};
use leptos::prelude::*;

use super::order_updates::{error_message, renew_intent_if_refused, EditDialog};
use crate::actions::{capture_name, due_date_extension, new_intent_id, DialogError};
use crate::api::{self, ClientError};
use crate::staff_locale::StaffLocale;

/// The proxy's answer for the options: `None` while loading.
pub type DueDateOptions = Option<Result<Vec<DueDateOption>, ClientError>>;

/// [`DueDateDialog`] with its options fetched for `shipment` of order `order_id`.
#[component]
pub fn DueDateLoader(
    order_id: String,
    shipment: ShipmentView,
    #[prop(into)] on_submit: Callback<OrderAction>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] error: Signal<Option<ClientError>>,
) -> impl IntoView {
    let shipment_id = shipment.id.clone();
    let loaded = LocalResource::new(move || {
        let (order_id, shipment_id) = (order_id.clone(), shipment_id.clone());
        async move { api::due_date_options(&order_id, &shipment_id).await }
    });
    let options = Signal::derive(move || loaded.get());
    view! { <DueDateDialog shipment options on_submit on_close busy error/> }
}

#[component]
pub fn DueDateDialog(
    shipment: ShipmentView,
    #[prop(into)] options: Signal<DueDateOptions>,
    #[prop(into)] on_submit: Callback<OrderAction>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into, optional)] busy: Signal<bool>,
    /// The caller's error for the last send.
    #[prop(into, optional)]
    error: Signal<Option<ClientError>>,
) -> impl IntoView {
    let intent = StoredValue::new(new_intent_id());
    let picked = RwSignal::new(String::new());
    // The checked extension, waiting for its confirmation.
    let pending = RwSignal::new(None::<(OrderAction, DueDateOption)>);
    let local_error = RwSignal::new(None::<DialogError>);
    let staff = StoredValue::new(StaffLocale::current());
    let fee = move |option: &DueDateOption| staff.with_value(|s| s.money(option.fee));
    let message = Signal::derive(move || {
        local_error
            .get()
            .map(|e| e.message)
            .or_else(|| error.get().map(|e| error_message(&e)))
    });
    let shipment_id = shipment.id.clone();
    let submit = Callback::new(move |()| {
        if let Some((action, _)) = pending.get_untracked() {
            on_submit.run(action);
            return;
        }
        renew_intent_if_refused(intent, error);
        let offered = options.with_untracked(|o| match o {
            Some(Ok(list)) => list.clone(),
            _ => Vec::new(),
        });
        match due_date_extension(
            intent.get_value(),
            &shipment_id,
            &offered,
            &picked.get_untracked(),
        ) {
            Ok(checked) => {
                local_error.set(None);
                pending.set(Some(checked));
            }
            Err(e) => local_error.set(Some(e)),
        }
    });
    let choices = move || {
        match options.get() {
        None => view! { <p class="loading muted" role="status">"Loading the options…"</p> }.into_any(),
        Some(Err(e)) => view! {
            <p class="form-error" role="alert" data-testid="due-date-load-error">
                {format!("Could not load the options: {e}")}
            </p>
        }
        .into_any(),
        Some(Ok(list)) if list.is_empty() => view! {
            <p class="notice" data-testid="due-date-none">"Klarna offers no extension for this capture."</p>
        }
        .into_any(),
        Some(Ok(list)) => view! {
            <fieldset class="due-date-options" disabled=move || busy.get()>
                <legend>"Add to the due date"</legend>
                {list
                    .into_iter()
                    .map(|option| {
                        let days = option.days.to_string();
                        let value = days.clone();
                        let checked = days.clone();
                        view! {
                            <label data-testid="due-date-option">
                                <input
                                    type="radio"
                                    name="due-date-days"
                                    value=days.clone()
                                    data-testid=format!("due-date-{days}")
                                    prop:checked=move || picked.get() == checked
                                    on:change=move |_| {
                                        picked.set(value.clone());
                                        pending.set(None);
                                    }
                                />
                                <span>{format!("{days} days")}</span>
                                <span class="muted" data-testid="due-date-fee">
                                    {format!("fee {}", fee(&option))}
                                </span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
        }
        .into_any(),
    }
    };
    let confirmation = move || {
        pending.with(|p| {
            p.as_ref().map(|(_, option)| {
                format!(
                    "Extend the due date by {} days? Klarna charges a fee of {} for it.",
                    option.days,
                    fee(option)
                )
            })
        })
    };
    view! {
        <EditDialog
            title=format!("Extend the due date of the capture {}", capture_name(&shipment))
            submit_label="Extend due date"
            confirm_label="Yes, extend"
            confirming=Signal::derive(move || pending.with(Option::is_some))
            on_submit=submit
            on_close
            busy
            message
        >
            {choices}
            {move || {
                confirmation()
                    .map(|text| view! { <p class="confirm" role="status" data-testid="confirm-text">{text}</p> })
            }}
        </EditDialog>
    }
}
