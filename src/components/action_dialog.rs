//! The dialog of the actions done line by line: ship (Klarna: capture), refund, cancel lines
//! (Klarna: remove items) and cancel the order. The checks are in [`crate::actions`]; this is
//! their view.

use kassa_model::api::{ActionKind, LineQuantity, LineView, OrderAction, OrderView, Provider};
use leptos::prelude::*;

use crate::actions::{
    build_action, check_refund_total, check_removal, confirmation, description, has_lines,
    is_irreversible, keeps_intent, line_limit, line_of_field, new_intent_id, parts_total,
    refund_yes, return_fee, running_total, starting_quantity, total_after_removing, validate_lines,
    ActionExtras, DialogError, LineInput, TrackingInput,
};
use crate::api::ClientError;
use crate::staff_locale::StaffLocale;

use super::tracking_fields::{TrackingFields, TrackingSignals};
use super::{ConfirmStep, DialogButtons, Modal};

/// One action's dialog: quantities per line (starting at what is left to ship, and at 0 for
/// refunds and cancels: [`crate::actions::starting_quantity`]), amounts for discounted lines, a
/// running total of the chosen items with the model's arithmetic (a refund's button names
/// it, "Refund €89.00", and is off at €0.00), tracking and (Klarna) a description when shipping, a description and
/// (Klarna) a reference and return fee when refunding, the new order total when removing
/// Klarna items, and a confirmation step for what cannot be undone. It sends nothing itself:
/// `on_submit` gets the checked [`OrderAction`].
///
/// The intent id is made when the dialog opens and kept for every retry after a network
/// failure, a 5xx or a 409, so the proxy carries the action out once however often it is sent;
/// only after a definite refusal (422) is a corrected request a new intent. A new dialog is a
/// new intent.
#[component]
pub fn ActionDialog(
    kind: ActionKind,
    /// The order as it is now; the dialog keeps this copy while open.
    order: OrderView,
    /// Called with the action to send; never with something the checks refused.
    #[prop(into)]
    on_submit: Callback<OrderAction>,
    /// Escape, "Close" or the backdrop's cancel.
    #[prop(into)]
    on_close: Callback<()>,
    /// True while the caller sends: the buttons show it and further submits are ignored.
    #[prop(into, optional)]
    busy: Signal<bool>,
    /// The caller's error for the last send.
    #[prop(into, optional)]
    error: Signal<Option<ClientError>>,
) -> impl IntoView {
    let provider = order.provider;
    let klarna = provider == Provider::Klarna;
    let intent = StoredValue::new(new_intent_id());
    let lines: Vec<LineView> = order
        .lines
        .iter()
        .filter(|l| has_lines(kind) && line_limit(kind, l) > 0)
        .cloned()
        .collect();
    let inputs: Vec<(RwSignal<String>, RwSignal<String>)> = lines
        .iter()
        .map(|l| {
            (
                RwSignal::new(starting_quantity(kind, l).to_string()),
                RwSignal::new(String::new()),
            )
        })
        .collect();
    let tracking = TrackingSignals::new(TrackingInput::default());
    let description_text = RwSignal::new(String::new());
    let reference = RwSignal::new(String::new());
    let fee = RwSignal::new(String::new());
    let local_error = RwSignal::new(None::<DialogError>);
    // The parts last handed to `on_submit`: the provider's `lines.N` counts in these.
    let sent = StoredValue::new(Vec::<LineQuantity>::new());
    // The action waiting for "Confirm", the question asked and the confirming button's words.
    let confirming = RwSignal::new(None::<(OrderAction, String, String)>);
    let order = StoredValue::new(order);
    let lines = StoredValue::new(lines);
    let inputs = StoredValue::new(inputs);
    // What is typed (tracked: the totals follow the typing).
    let typed = move || -> Vec<LineInput> {
        inputs.with_value(|i| {
            i.iter()
                .map(|(q, a)| LineInput {
                    quantity: q.get(),
                    amount: a.get(),
                })
                .collect()
        })
    };
    // ... read as the parts to send.
    let typed_parts = move || lines.with_value(|ls| validate_lines(provider, kind, ls, &typed()));
    // What the chosen items are worth: zero while none are, `None` while the typing is not
    // (yet) a valid choice.
    let total = Memo::new(move |_| {
        let typed = typed();
        order.with_value(|o| lines.with_value(|ls| running_total(o, kind, ls, &typed)))
    });

    let shown_error = Signal::derive(move || {
        if let Some(local) = local_error.get() {
            return Some(local);
        }
        let error = error.get()?;
        let message = error.to_string();
        if let Some(field) = error.field_error() {
            if let Some(line_id) =
                sent.with_value(|s| line_of_field(&field.field, s).map(str::to_owned))
            {
                return Some(DialogError {
                    line_id: Some(line_id),
                    message,
                });
            }
        }
        let message = if keeps_intent(&error) {
            format!("{message} Try again: it will be carried out only once.")
        } else {
            message
        };
        Some(DialogError {
            line_id: None,
            message,
        })
    });

    let check = move || -> Result<(OrderAction, String, String), DialogError> {
        let parts = if has_lines(kind) {
            untrack(typed_parts)?
        } else {
            Vec::new()
        };
        let mut extras = ActionExtras::default();
        order.with_value(|o| -> Result<(), DialogError> {
            match kind {
                ActionKind::Ship => {
                    extras.tracking = tracking.typed().to_tracking()?;
                    extras.description = description(
                        provider,
                        "capture description",
                        &description_text.get_untracked(),
                    )?;
                }
                ActionKind::Refund => {
                    check_refund_total(o, &parts)?;
                    extras.description = description(
                        provider,
                        "refund description",
                        &description_text.get_untracked(),
                    )?;
                    extras.reference =
                        Some(reference.get_untracked().trim().to_owned()).filter(|r| !r.is_empty());
                    extras.return_fee = return_fee(o, &parts, &fee.get_untracked())?;
                }
                ActionKind::CancelLines if klarna => check_removal(o, &parts)?,
                _ => {}
            }
            Ok(())
        })?;
        // After a definite refusal nothing happened: the corrected request is a new intent.
        if error.get_untracked().is_some_and(|e| !keeps_intent(&e)) {
            intent.set_value(new_intent_id());
        }
        let question = order.with_value(|o| confirmation(kind, o, &parts));
        let yes = match kind {
            ActionKind::Refund => order
                .with_value(|o| parts_total(o, kind, &parts))
                .map(refund_yes)
                .unwrap_or_else(|| "Yes, refund".to_owned()),
            _ => "Yes, do it".to_owned(),
        };
        sent.set_value(parts.clone());
        Ok((
            build_action(kind, intent.get_value(), parts, extras),
            question,
            yes,
        ))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        match check() {
            Err(e) => local_error.set(Some(e)),
            Ok((action, question, yes)) => {
                local_error.set(None);
                if is_irreversible(kind) {
                    confirming.set(Some((action, question, yes)));
                } else {
                    on_submit.run(action);
                }
            }
        }
    };
    let confirm = move |()| {
        if busy.get_untracked() {
            return;
        }
        if let Some((action, _, _)) = confirming.get_untracked() {
            on_submit.run(action);
        }
    };
    let locked = Signal::derive(move || busy.get() || confirming.with(Option::is_some));
    // Nothing chosen: there is nothing to send (refunds and cancels start here).
    let nothing_chosen = Signal::derive(move || {
        has_lines(kind) && typed_parts().is_err_and(|e| e.line_id.is_none())
    });

    let (title, submit_word) = order.with_value(|o| dialog_words(kind, o));
    let staff = StoredValue::new(StaffLocale::current());
    // A refund's button names its amount: "Refund €89.00".
    let submit_label = Signal::derive(move || {
        if busy.get() {
            return "Working…".to_owned();
        }
        match (kind, total.get()) {
            (ActionKind::Refund, Some(total)) => {
                format!("Refund {}", staff.with_value(|s| s.money(total)))
            }
            _ => submit_word.clone(),
        }
    });
    let title_id = format!("dialog-title-{}", crate::actions::testid(kind));
    // Klarna "Remove items": the order's new total as the quantities are typed.
    let new_total = move || {
        let parts = typed_parts().ok()?;
        order.with_value(|o| {
            total_after_removing(o, &parts).map(|t| staff.with_value(|s| s.money(t)))
        })
    };

    view! {
        <Modal labelled_by=title_id.clone() busy on_close>
            <form on:submit=submit novalidate>
                <h2 id=title_id>{title}</h2>
                <LinePicker
                    kind
                    lines=lines.get_value()
                    inputs=inputs.get_value()
                    locked
                    shown_error
                />
                {has_lines(kind)
                    .then(|| {
                        view! {
                            <p class="running-total" data-testid="dialog-total">
                                "Total of the chosen items: "
                                <strong>
                                    {move || {
                                        total.get().map(|t| staff.with_value(|s| s.money(t))).unwrap_or_else(|| "—".to_owned())
                                    }}
                                </strong>
                            </p>
                        }
                    })}
                {(kind == ActionKind::CancelLines && klarna)
                    .then(|| {
                        view! {
                            <p class="new-total" data-testid="new-order-total">
                                "New order total: "
                                <strong>{move || new_total().unwrap_or_else(|| "—".to_owned())}</strong>
                            </p>
                        }
                    })}
                {(kind == ActionKind::Ship)
                    .then(|| {
                        view! {
                            <TrackingFields
                                input=tracking
                                klarna
                                legend="Tracking (optional)"
                                disabled=locked
                            />
                        }
                    })}
                {(kind == ActionKind::Ship && klarna)
                    .then(|| {
                        view! {
                            <label class="field">
                                <span>"Capture description (optional, the customer may see it)"</span>
                                <input
                                    type="text"
                                    data-testid="capture-description"
                                    disabled=locked
                                    bind:value=description_text
                                />
                            </label>
                        }
                    })}
                {(kind == ActionKind::Refund)
                    .then(|| {
                        view! {
                            <label class="field">
                                <span>"Description (optional, the customer may see it)"</span>
                                <input
                                    type="text"
                                    data-testid="refund-description"
                                    disabled=locked
                                    bind:value=description_text
                                />
                            </label>
                        }
                    })}
                {(kind == ActionKind::Refund && klarna)
                    .then(|| {
                        let code = order.with_value(|o| o.amount.currency.code());
                        view! {
                            <label class="field">
                                <span>"Your refund reference (optional)"</span>
                                <input
                                    type="text"
                                    data-testid="refund-reference"
                                    disabled=locked
                                    bind:value=reference
                                />
                            </label>
                            <label class="field">
                                <span>{format!("Return fee you keep (optional, in {code})")}</span>
                                <input
                                    type="text"
                                    inputmode="decimal"
                                    data-testid="refund-return-fee"
                                    placeholder=code
                                    disabled=locked
                                    bind:value=fee
                                />
                            </label>
                        }
                    })}
                {move || {
                    shown_error
                        .get()
                        .filter(|e| e.line_id.is_none())
                        .map(|e| {
                            view! {
                                <p class="form-error" role="alert" data-testid="dialog-error">
                                    {e.message}
                                </p>
                            }
                        })
                }}
                {move || {
                    confirming
                        .get()
                        .map(|(_, question, yes)| {
                            view! {
                                <ConfirmStep
                                    question
                                    yes
                                    busy
                                    on_confirm=confirm
                                    on_back=move |()| confirming.set(None)
                                />
                            }
                        })
                }}
                <DialogButtons
                    busy
                    submit_disabled=Signal::derive(move || locked.get() || nothing_chosen.get())
                    submit_label
                    on_close
                />
            </form>
        </Modal>
    }
}

/// The quantity (and, for discounted lines, amount) inputs, one row per line this action can
/// still take; a line's error appears in its row.
#[component]
fn LinePicker(
    kind: ActionKind,
    lines: Vec<LineView>,
    inputs: Vec<(RwSignal<String>, RwSignal<String>)>,
    locked: Signal<bool>,
    shown_error: Signal<Option<DialogError>>,
) -> impl IntoView {
    if lines.is_empty() {
        return None;
    }
    let line_error = move |line_id: &str| {
        shown_error
            .get()
            .filter(|e| e.line_id.as_deref() == Some(line_id))
            .map(|e| e.message)
    };
    let any_discounted = lines
        .iter()
        .any(|l| l.discount.is_some_and(|d| d.minor != 0));
    let rows = lines
        .into_iter()
        .zip(inputs)
        .map(|(line, (qty, amount))| {
            let limit = line_limit(kind, &line);
            let qty_id = format!("dialog-qty-{}", line.id);
            let amount_id = format!("dialog-amount-{}", line.id);
            let discounted = line.discount.is_some_and(|d| d.minor != 0);
            let currency = line.total.currency;
            let id = line.id.clone();
            view! {
                <tr>
                    <td>
                        <label for=qty_id.clone()>{line.name.clone()}</label>
                        <span class="muted">{format!(" ({limit} left)")}</span>
                        {move || {
                            line_error(&id)
                                .map(|message| {
                                    view! {
                                        <p
                                            class="field-error"
                                            role="alert"
                                            data-testid="field-error"
                                            data-line=id.clone()
                                        >
                                            {message}
                                        </p>
                                    }
                                })
                        }}
                    </td>
                    <td class="num">
                        <input
                            type="number"
                            id=qty_id.clone()
                            data-testid=qty_id
                            min="0"
                            max=limit.to_string()
                            step="1"
                            inputmode="numeric"
                            disabled=locked
                            bind:value=qty
                        />
                    </td>
                    {any_discounted
                        .then(|| {
                            view! {
                                <td class="num">
                                    {discounted
                                        .then(|| {
                                            view! {
                                                <input
                                                    type="text"
                                                    inputmode="decimal"
                                                    id=amount_id.clone()
                                                    data-testid=amount_id.clone()
                                                    aria-label=format!(
                                                        "Amount for {} in {}",
                                                        line.name,
                                                        currency.code(),
                                                    )
                                                    placeholder=currency.code()
                                                    disabled=locked
                                                    bind:value=amount
                                                />
                                            }
                                        })}
                                </td>
                            }
                        })}
                </tr>
            }
        })
        .collect_view();
    Some(view! {
        <table class="dialog-lines">
            <thead>
                <tr>
                    <th scope="col">"Line"</th>
                    <th scope="col" class="num">"Quantity"</th>
                    {any_discounted
                        .then(|| view! { <th scope="col" class="num">"Amount (optional)"</th> })}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        {any_discounted
            .then(|| {
                view! {
                    <p class="hint muted">
                        "Part of a discounted line is sent with its share of what is left of the line. Type an amount only to send another; the provider says which range it accepts."
                    </p>
                }
            })}
    })
}

/// The dialog's title and its submit button's words, with the action's label as the provider
/// lists it ("Capture", "Remove items").
fn dialog_words(kind: ActionKind, order: &OrderView) -> (String, String) {
    let label = order
        .actions
        .iter()
        .find(|a| a.kind == kind)
        .map(|a| a.label.clone())
        .unwrap_or_else(|| default_label(kind).to_owned());
    let number = &order.order_number;
    let title = match kind {
        ActionKind::CancelLines if order.provider == Provider::Mollie => {
            format!("Cancel lines of order {number}")
        }
        ActionKind::CancelLines => format!("{label} of order {number}"),
        ActionKind::CancelOrder => format!("Cancel order {number}"),
        _ => format!("{label} order {number}"),
    };
    let submit = if is_irreversible(kind) {
        "Continue".to_owned()
    } else {
        label
    };
    (title, submit)
}

fn default_label(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Ship => "Ship",
        ActionKind::Refund => "Refund",
        ActionKind::CancelLines => "Cancel lines",
        _ => "Cancel",
    }
}
