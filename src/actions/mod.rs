//! What an operator does to an order, as pure functions the order page's dialogs call: how
//! many of each line, checking what was typed, the confirmation sentence, the request, and the
//! toast afterwards.
//!
//! Which actions an order has, and why one cannot be done now, is not decided here: the proxy
//! sends it with every order (`OrderView::actions`, computed by `kassa_model::rules`, which the
//! proxy also enforces), and the page renders that list. What stays here is checking input
//! against what the order says is left (a line's shippable / refundable / cancelable quantity,
//! what was captured and not refunded), in each provider's words (see [`crate::terms`]).

mod edits;
mod lines;
mod payments;
mod plain;
mod tracking;

pub use edits::{amount_refund, details_update, klarna_details_update, line_update};
pub use kassa_model::api::ActionKind;
pub use lines::{
    build_action, check_refund_total, check_removal, confirmation, description, item_count,
    line_of_field, part_value, parts_total, refund_question, refund_yes, return_fee, running_total,
    total_after_removing, validate_lines, ActionExtras, LineInput,
};
pub use payments::{ended_unpaid, is_payable, latest_payment};
pub use plain::{
    capture_name, due_date_extension, import_request, plain_action, plain_question, uncaptured,
};
pub use tracking::{tracking, update_tracking, TrackingInput};

use kassa_model::api::{LineView, Provider};

use crate::api::ClientError;
use crate::terms::terms;

/// What can still be refunded as an amount (captured less refunded): the model's one answer,
/// which the proxy checks against too.
pub use kassa_model::rules::refundable_amount;

/// The button's `data-testid` for each action (kept from before actions came from the proxy,
/// so the page's tests and styles find the same buttons).
pub fn testid(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Ship => "action-ship",
        ActionKind::Refund => "action-refund",
        ActionKind::RefundAmount => "refund-amount-open",
        ActionKind::CancelLines => "action-cancel-lines",
        ActionKind::CancelOrder => "action-cancel-order",
        ActionKind::UpdateTracking => "edit-tracking",
        ActionKind::UpdateOrder => "edit-details",
        ActionKind::UpdateLine => "edit-line",
        ActionKind::CreatePayment => "new-payment-link",
        ActionKind::Acknowledge => "action-acknowledge",
        ActionKind::ReleaseAuthorization => "action-release",
        ActionKind::ExtendAuthorization => "action-extend",
        ActionKind::TriggerSendOut => "action-send-out",
        ActionKind::ExtendDueDate => "action-extend-due-date",
    }
}

/// Whether `kind` is done in the quantities-per-line dialog ([`crate::components::ActionDialog`]).
pub fn is_line_action(kind: ActionKind) -> bool {
    matches!(
        kind,
        ActionKind::Ship | ActionKind::Refund | ActionKind::CancelLines | ActionKind::CancelOrder
    )
}

/// Whether the line dialog asks "are you sure?" before sending: money goes back or the
/// customer loses the goods, and neither can be undone.
pub fn is_irreversible(kind: ActionKind) -> bool {
    !matches!(kind, ActionKind::Ship)
}

/// Whether the line dialog picks quantities per line.
pub fn has_lines(kind: ActionKind) -> bool {
    matches!(
        kind,
        ActionKind::Ship | ActionKind::Refund | ActionKind::CancelLines
    )
}

/// How many of `line` the dialog starts with. Shipping (Klarna: capturing) starts at what is
/// left, since sending everything that is left is the common case and nothing is lost by it;
/// refunds and cancels start at 0, since money back and lost goods are chosen on purpose,
/// never taken by default.
pub fn starting_quantity(kind: ActionKind, line: &LineView) -> u32 {
    match kind {
        ActionKind::Ship => line_limit(kind, line),
        _ => 0,
    }
}

/// How many of `line` this action can still take, as the order says.
pub fn line_limit(kind: ActionKind, line: &LineView) -> u32 {
    match kind {
        ActionKind::Ship => line.shippable_quantity,
        ActionKind::Refund => line.refundable_quantity,
        ActionKind::CancelLines | ActionKind::CancelOrder => line.cancelable_quantity,
        _ => 0,
    }
}

/// The verb in messages: "ship" / "capture", "refund", "cancel" / "remove".
fn verb(provider: Provider, kind: ActionKind) -> &'static str {
    let t = terms(provider);
    match kind {
        ActionKind::Ship => t.ship,
        ActionKind::Refund => "refund",
        _ => t.cancel,
    }
}

fn past(provider: Provider, kind: ActionKind) -> &'static str {
    let t = terms(provider);
    match kind {
        ActionKind::Ship => t.shipped_past,
        ActionKind::Refund => "refunded",
        _ => t.canceled_past,
    }
}

/// A problem with what was typed: on one line (`line_id`) or for the dialog as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialogError {
    pub line_id: Option<String>,
    pub message: String,
}

impl DialogError {
    fn line(line_id: &str, message: impl Into<String>) -> Self {
        Self {
            line_id: Some(line_id.to_owned()),
            message: message.into(),
        }
    }

    fn dialog(message: impl Into<String>) -> Self {
        Self {
            line_id: None,
            message: message.into(),
        }
    }
}

fn items(n: u32) -> String {
    if n == 1 {
        "1 item".to_owned()
    } else {
        format!("{n} items")
    }
}

/// The toast after success: "Shipped 2 items", "Captured 2 items".
pub fn success_message(provider: Provider, kind: ActionKind, count: u32, replayed: bool) -> String {
    let t = terms(provider);
    let capital = |s: &str| {
        let mut s = s.to_owned();
        if let Some(first) = s.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        s
    };
    let done = match kind {
        ActionKind::Ship => format!("{} {}", capital(t.shipped_past), items(count)),
        ActionKind::Refund => format!("Refunded {}", items(count)),
        ActionKind::CancelLines => format!("{} {}", capital(t.canceled_past), items(count)),
        ActionKind::CancelOrder => "Order canceled".to_owned(),
        ActionKind::RefundAmount => "Refund made".to_owned(),
        ActionKind::UpdateTracking => match provider {
            Provider::Klarna => "Shipping info added".to_owned(),
            Provider::Mollie => "Tracking saved".to_owned(),
        },
        ActionKind::UpdateOrder => "Order details saved".to_owned(),
        ActionKind::UpdateLine => "Line saved".to_owned(),
        ActionKind::CreatePayment => "New payment link made".to_owned(),
        ActionKind::Acknowledge => "Order acknowledged".to_owned(),
        ActionKind::ReleaseAuthorization => "Remaining authorization released".to_owned(),
        ActionKind::ExtendAuthorization => "Authorization extended".to_owned(),
        ActionKind::TriggerSendOut => "Invoice sent again".to_owned(),
        ActionKind::ExtendDueDate => "Due date extended".to_owned(),
    };
    with_replay_note(done, replayed)
}

/// `done`, and when the proxy answered from its ledger, that nothing happened twice.
pub fn with_replay_note(done: String, replayed: bool) -> String {
    if replayed {
        format!("{done} (this had already been done; nothing happened twice)")
    } else {
        done
    }
}

/// Whether a retry after `error` must reuse the intent id. After a network failure, a 5xx or
/// a 409 the action may have happened (or be happening): only the same intent id makes sure it
/// happens once. A 4xx refusal (422 from the provider or the proxy's checks, `not_allowed`,
/// 403) means nothing happened, so a corrected request is a new intent.
pub fn keeps_intent(error: &ClientError) -> bool {
    match error {
        ClientError::Network(_) | ClientError::Decode(_) => true,
        ClientError::Http { status, .. } => *status == 409 || *status >= 500,
    }
}

/// A fresh intent id: the browser's `crypto.randomUUID()`. On the host (unit tests) a counter.
pub fn new_intent_id() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
            return crypto.random_uuid();
        }
    }
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("intent-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kassa_model::api::ApiError;

    #[test]
    fn only_definite_refusals_start_a_new_intent() {
        let http = |status| ClientError::Http {
            status,
            error: ApiError {
                code: "x".into(),
                message: "x".into(),
                field: None,
            },
        };
        assert!(keeps_intent(&http(503)));
        assert!(keeps_intent(&http(409)));
        assert!(keeps_intent(&ClientError::Network("offline".into())));
        assert!(!keeps_intent(&http(422)));
        assert_ne!(new_intent_id(), new_intent_id());
    }
}
