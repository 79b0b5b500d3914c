//! The order page's actions for operators: one button per action the proxy lists in
//! `OrderView::actions`, in its order and words (Mollie: Ship, Refund, Cancel lines, …;
//! Klarna: Capture, Remove items, Release remaining authorization, Extend authorization, …),
//! each opening its dialog; a button that cannot be used says why next to it. The checks are
//! in [`crate::actions`]; this is only their view.

use kassa_model::api::{ActionKind, OrderAction, OrderView, Provider};
use leptos::prelude::*;

use crate::actions::{
    is_line_action, item_count, keeps_intent, new_intent_id, success_message, testid,
};
use crate::api::ClientError;
use crate::session::Session;

use super::action_buttons::ActionButtons;
use super::action_runner::{ActionRunner, Panel};
use super::plain_action_dialog::PlainActionDialog;
use super::{ActionDialog, DetailsDialog, LineDialog};

/// The action buttons and dialogs for `order`, which is replaced by the proxy's answer after
/// each action. Viewers see nothing here.
#[component]
pub fn OrderActions(order: RwSignal<OrderView>) -> impl IntoView {
    let operator = Session::expect_context().can_change_now();
    let open = RwSignal::new(None::<ActionKind>);
    let runner = ActionRunner::new(order, Panel::Actions, toast_message, move || {
        let _ = open.try_set(None);
    });
    let (toast, busy, error) = (runner.toast(), runner.busy(), runner.error());
    // "New payment link" has no dialog: its intent lives here, kept for a retry after an
    // unknown outcome and renewed otherwise.
    let payment_intent = StoredValue::new(None::<String>);
    // Whether the last request came from a button without a dialog (its errors show here).
    let direct_sent = RwSignal::new(false);
    let new_payment = move || {
        if busy.get_untracked() {
            return;
        }
        let retry = runner.last_error().is_some_and(|e| keeps_intent(&e));
        if !retry || payment_intent.with_value(Option::is_none) {
            payment_intent.set_value(Some(new_intent_id()));
        }
        runner.clear_toast();
        direct_sent.set(true);
        runner.send(OrderAction::CreatePayment {
            intent_id: payment_intent.get_value().unwrap_or_default(),
            method: None,
        });
    };
    let on_open = Callback::new(move |kind: ActionKind| {
        if kind == ActionKind::CreatePayment {
            new_payment();
            return;
        }
        // A new dialog starts clean: no error from the last one, no toast.
        direct_sent.set(false);
        runner.clear();
        open.set(Some(kind));
    });
    let close = Callback::new(move |()| {
        if let Some(kind) = open.get_untracked() {
            open.set(None);
            focus_testid(testid(kind));
        }
    });
    let send = Callback::new(move |action: OrderAction| runner.send(action));
    // "Refund an amount" sits in the Refunds card ([`super::OrderUpdates`]), not up here.
    let actions = Signal::derive(move || {
        order.with(|o| {
            o.actions
                .iter()
                .filter(|a| a.kind != ActionKind::RefundAmount)
                .cloned()
                .collect::<Vec<_>>()
        })
    });

    view! {
        <Show when=move || operator>
            <section class="block order-actions" aria-label="Actions">
                <div class="action-buttons">
                    <ActionButtons actions on_open busy/>
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
                    // Errors of buttons without a dialog ("New payment link").
                    error
                        .get()
                        .filter(|_| direct_sent.get())
                        .map(|e| {
                            view! {
                                <p class="form-error" role="alert" data-testid="action-error">
                                    {e.to_string()}
                                </p>
                            }
                        })
                }}
                {move || {
                    open.get()
                        .map(|kind| {
                            let order = order.get_untracked();
                            dialog(kind, order, send, close, busy, error)
                        })
                }}
            </section>
        </Show>
    }
}

/// The dialog of `kind`, sending through `send`.
fn dialog(
    kind: ActionKind,
    order: OrderView,
    send: Callback<OrderAction>,
    close: Callback<()>,
    busy: Signal<bool>,
    error: Signal<Option<ClientError>>,
) -> AnyView {
    match kind {
        k if is_line_action(k) => view! {
            <ActionDialog kind order on_submit=send on_close=close busy error/>
        }
        .into_any(),
        ActionKind::UpdateOrder => view! {
            <DetailsDialog order on_submit=send on_close=close busy error/>
        }
        .into_any(),
        ActionKind::UpdateLine => view! {
            <LineDialog order on_submit=send on_close=close busy error/>
        }
        .into_any(),
        _ => view! {
            <PlainActionDialog kind order on_submit=send on_close=close busy error/>
        }
        .into_any(),
    }
}

/// The toast after an action: what was done, counted in items, in the provider's words.
fn toast_message(action: &OrderAction, provider: Provider, replayed: bool) -> String {
    let count = match action {
        OrderAction::Ship { lines, .. }
        | OrderAction::Refund { lines, .. }
        | OrderAction::CancelLines { lines, .. } => item_count(lines),
        _ => 0,
    };
    success_message(provider, action.kind(), count, replayed)
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
