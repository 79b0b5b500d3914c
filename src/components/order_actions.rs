//! The order page's actions for operators: Ship, Refund, Cancel lines, Cancel order. Each
//! button opens an [`ActionDialog`]; a button that cannot be used says why next to it. The
//! rules and checks are in [`crate::actions`]; this is only their view.

use kassa_model::api::{LineQuantity, LineView, OrderAction, OrderView};
use leptos::prelude::*;

use crate::actions::{
    availability, build_action, check_refund_total, confirmation, item_count, keeps_intent,
    line_of_field, new_intent_id, success_message, tracking, validate_lines, ActionKind,
    DialogError, LineInput,
};
use crate::api::ClientError;
use crate::session::Session;

use super::action_runner::ActionRunner;
use super::{DialogButtons, Modal};

/// The action buttons and dialogs for `order`, which is replaced by the proxy's answer after
/// each action. Viewers see nothing here.
#[component]
pub fn OrderActions(order: RwSignal<OrderView>) -> impl IntoView {
    let operator = Session::expect_context().can_change_now();
    let open = RwSignal::new(None::<ActionKind>);
    let runner = ActionRunner::new(order, toast_message, move || {
        let _ = open.try_set(None);
    });
    let (toast, busy, error) = (runner.toast, runner.busy(), runner.error());
    let open_dialog = move |kind: ActionKind| {
        runner.clear();
        open.set(Some(kind));
    };
    let close = Callback::new(move |()| {
        if let Some(kind) = open.get_untracked() {
            open.set(None);
            focus_testid(kind.testid());
        }
    });

    view! {
        <Show when=move || operator>
            <section class="block order-actions" aria-label="Actions">
                <div class="action-buttons">
                    {ActionKind::ALL
                        .into_iter()
                        .map(|kind| {
                            let reason = move || order.with(|o| availability(kind, o).err());
                            let reason_id = format!("{}-reason", kind.testid());
                            view! {
                                <div class="action">
                                    <button
                                        type="button"
                                        class="secondary"
                                        data-testid=kind.testid()
                                        disabled=move || reason().is_some()
                                        title=reason
                                        aria-describedby=move || reason().map(|_| reason_id.clone())
                                        on:click=move |_| open_dialog(kind)
                                    >
                                        {kind.label()}
                                    </button>
                                    {move || {
                                        reason()
                                            .map(|r| {
                                                view! {
                                                    <span
                                                        class="action-reason muted"
                                                        id=format!("{}-reason", kind.testid())
                                                        data-testid="action-disabled-reason"
                                                    >
                                                        {r}
                                                    </span>
                                                }
                                            })
                                    }}
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
                {move || {
                    toast
                        .get()
                        .map(|message| {
                            view! {
                                <p class="toast" role="status" data-testid="toast">
                                    {message}
                                </p>
                            }
                        })
                }}
                {move || {
                    open.get()
                        .map(|kind| {
                            view! {
                                <ActionDialog
                                    kind
                                    order=order.get_untracked()
                                    on_submit=move |action| {
                                        runner.send(action);
                                    }
                                    on_close=close
                                    busy
                                    error
                                />
                            }
                        })
                }}
            </section>
        </Show>
    }
}

/// The dialog kind an action came from; `None` for actions these dialogs do not make.
/// The toast after one of these actions: what was done, counted in items.
fn toast_message(action: &OrderAction, replayed: bool) -> String {
    let count = match action {
        OrderAction::Ship { lines, .. }
        | OrderAction::Refund { lines, .. }
        | OrderAction::CancelLines { lines, .. } => item_count(lines),
        _ => 0,
    };
    match kind_of(action) {
        Some(kind) => success_message(kind, count, replayed),
        None => "Saved.".to_owned(),
    }
}

fn kind_of(action: &OrderAction) -> Option<ActionKind> {
    match action {
        OrderAction::Ship { .. } => Some(ActionKind::Ship),
        OrderAction::Refund { .. } => Some(ActionKind::Refund),
        OrderAction::CancelLines { .. } => Some(ActionKind::CancelLines),
        OrderAction::CancelOrder { .. } => Some(ActionKind::CancelOrder),
        _ => None,
    }
}

/// Gives focus back to the button that opened a dialog.
fn focus_testid(testid: &str) {
    use wasm_bindgen::JsCast;
    let found = document()
        .query_selector(&format!("[data-testid=\"{testid}\"]"))
        .ok()
        .flatten();
    if let Some(element) = found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// One action's dialog: quantities per line (what is left for this action), amounts for
/// discounted lines, tracking (Ship) or a description (Refund), and a confirmation step for what
/// cannot be undone. It sends nothing itself: `on_submit` gets the checked [`OrderAction`].
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
    let intent = StoredValue::new(new_intent_id());
    let lines: Vec<LineView> = order
        .lines
        .iter()
        .filter(|l| kind.has_lines() && kind.limit(l) > 0)
        .cloned()
        .collect();
    let inputs: Vec<(RwSignal<String>, RwSignal<String>)> = lines
        .iter()
        .map(|l| {
            (
                RwSignal::new(kind.limit(l).to_string()),
                RwSignal::new(String::new()),
            )
        })
        .collect();
    let carrier = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let local_error = RwSignal::new(None::<DialogError>);
    // The parts last handed to `on_submit`: the provider's `lines.N` counts in these.
    let sent = StoredValue::new(Vec::<LineQuantity>::new());
    // The action waiting for "Confirm", and the question asked.
    let confirming = RwSignal::new(None::<(OrderAction, String)>);

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
    let line_error = move |line_id: &str| {
        shown_error
            .get()
            .filter(|e| e.line_id.as_deref() == Some(line_id))
            .map(|e| e.message)
    };

    let order_for_submit = order.clone();
    let lines_for_submit = lines.clone();
    let inputs_for_submit = inputs.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let typed: Vec<LineInput> = inputs_for_submit
            .iter()
            .map(|(q, a)| LineInput {
                quantity: q.get_untracked(),
                amount: a.get_untracked(),
            })
            .collect();
        let parts = if kind.has_lines() {
            let checked = validate_lines(kind, &lines_for_submit, &typed).and_then(|parts| {
                if kind == ActionKind::Refund {
                    check_refund_total(&order_for_submit, &parts)?;
                }
                Ok(parts)
            });
            match checked {
                Ok(parts) => parts,
                Err(e) => {
                    local_error.set(Some(e));
                    return;
                }
            }
        } else {
            Vec::new()
        };
        let tracking = if kind == ActionKind::Ship {
            match tracking(
                &carrier.get_untracked(),
                &code.get_untracked(),
                &url.get_untracked(),
            ) {
                Ok(t) => t,
                Err(e) => {
                    local_error.set(Some(e));
                    return;
                }
            }
        } else {
            None
        };
        // After a definite refusal nothing happened: the corrected request is a new intent.
        if error.get_untracked().is_some_and(|e| !keeps_intent(&e)) {
            intent.set_value(new_intent_id());
        }
        local_error.set(None);
        let question = confirmation(kind, &order_for_submit, &parts);
        sent.set_value(parts.clone());
        let action = build_action(
            kind,
            intent.get_value(),
            parts,
            tracking,
            &description.get_untracked(),
        );
        if kind.is_irreversible() {
            confirming.set(Some((action, question)));
        } else {
            on_submit.run(action);
        }
    };
    let confirm = move |_| {
        if busy.get_untracked() {
            return;
        }
        if let Some((action, _)) = confirming.get_untracked() {
            on_submit.run(action);
        }
    };
    let locked = move || busy.get() || confirming.with(Option::is_some);

    let title_id = format!("dialog-title-{}", kind.testid());
    let currency = order.amount.currency;

    view! {
        <Modal labelled_by=title_id.clone() busy on_close>
            <form on:submit=submit novalidate>
                <h2 id=title_id>{dialog_title(kind, &order.order_number)}</h2>
                {(!lines.is_empty())
                    .then(|| {
                        let any_discounted = lines
                            .iter()
                            .any(|l| l.discount.is_some_and(|d| d.minor != 0));
                        view! {
                            <table class="dialog-lines">
                                <thead>
                                    <tr>
                                        <th scope="col">"Line"</th>
                                        <th scope="col" class="num">"Quantity"</th>
                                        {any_discounted
                                            .then(|| view! { <th scope="col" class="num">"Amount (optional)"</th> })}
                                    </tr>
                                </thead>
                                <tbody>
                                    {lines
                                        .iter()
                                        .cloned()
                                        .zip(inputs.iter().copied())
                                        .map(|(line, (qty, amount))| {
                                            let limit = kind.limit(&line);
                                            let qty_id = format!("dialog-qty-{}", line.id);
                                            let amount_id = format!("dialog-amount-{}", line.id);
                                            let discounted = line.discount.is_some_and(|d| d.minor != 0);
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
                                                    {any_discounted.then(|| view! {
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
                                                    })}
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                            {any_discounted
                                .then(|| {
                                    view! {
                                        <p class="hint muted">
                                            "Part of a discounted line is sent with its share of what is left of the line. Type an amount only to send another; the provider says which range it accepts."
                                        </p>
                                    }
                                })}
                        }
                    })}
                {(kind == ActionKind::Ship)
                    .then(|| {
                        view! {
                            <fieldset class="tracking" disabled=locked>
                                <legend>"Tracking (optional)"</legend>
                                <label>
                                    <span>"Carrier"</span>
                                    <input type="text" data-testid="tracking-carrier" bind:value=carrier/>
                                </label>
                                <label>
                                    <span>"Tracking code"</span>
                                    <input type="text" data-testid="tracking-code" bind:value=code/>
                                </label>
                                <label>
                                    <span>"Tracking URL"</span>
                                    <input type="url" data-testid="tracking-url" bind:value=url/>
                                </label>
                            </fieldset>
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
                                    bind:value=description
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
                        .map(|(_, question)| {
                            view! {
                                <div class="confirm" role="group" aria-label="Confirm">
                                    <p data-testid="dialog-question">{question}</p>
                                    <button
                                        type="button"
                                        class="danger"
                                        data-testid="dialog-confirm"
                                        disabled=move || busy.get()
                                        aria-busy=move || busy.get().then_some("true")
                                        on:click=confirm
                                    >
                                        {move || if busy.get() { "Working…" } else { "Yes, do it" }}
                                    </button>
                                    <button
                                        type="button"
                                        class="secondary"
                                        data-testid="dialog-back"
                                        disabled=move || busy.get()
                                        on:click=move |_| confirming.set(None)
                                    >
                                        "Back"
                                    </button>
                                </div>
                            }
                        })
                }}
                <DialogButtons
                    busy
                    submit_disabled=Signal::derive(locked)
                    submit_label=Signal::derive(move || submit_label(kind, busy.get()).to_owned())
                    on_close
                />
            </form>
        </Modal>
    }
}

fn dialog_title(kind: ActionKind, number: &str) -> String {
    match kind {
        ActionKind::Ship => format!("Ship order {number}"),
        ActionKind::Refund => format!("Refund order {number}"),
        ActionKind::CancelLines => format!("Cancel lines of order {number}"),
        ActionKind::CancelOrder => format!("Cancel order {number}"),
    }
}

fn submit_label(kind: ActionKind, busy: bool) -> &'static str {
    match (kind, busy) {
        (_, true) => "Working…",
        (ActionKind::Ship, false) => "Ship",
        (_, false) => "Continue",
    }
}
