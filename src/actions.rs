//! What an operator may do to an order (ship, refund, cancel lines, cancel the order), as pure
//! functions the order page's dialogs call: which actions are possible and why not, how many
//! of each line, checking what was typed, the confirmation sentence, and the toast afterwards.
//!
//! Mollie's rules, as the proxy enforces them: authorized (Klarna) lines are shipped (which
//! captures) or canceled, and refunded only once shipped; paid lines are shipped or refunded,
//! never canceled; the whole order can be canceled while `created` or `authorized` (or
//! `shipping` with no paid lines left).

use kassa_model::api::{
    LineQuantity, LineStatus, LineView, OrderAction, OrderStatus, OrderView, PaymentView,
};
use kassa_model::{validate, Currency, FieldError, Money, MoneyError};

use crate::api::ClientError;
use crate::draft::{AddressDraft, FormError, LineDraft};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionKind {
    Ship,
    Refund,
    CancelLines,
    CancelOrder,
}

impl ActionKind {
    pub const ALL: [ActionKind; 4] = [
        Self::Ship,
        Self::Refund,
        Self::CancelLines,
        Self::CancelOrder,
    ];

    /// The button's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Ship => "Ship",
            Self::Refund => "Refund",
            Self::CancelLines => "Cancel lines",
            Self::CancelOrder => "Cancel order",
        }
    }

    /// The button's `data-testid`.
    pub fn testid(self) -> &'static str {
        match self {
            Self::Ship => "action-ship",
            Self::Refund => "action-refund",
            Self::CancelLines => "action-cancel-lines",
            Self::CancelOrder => "action-cancel-order",
        }
    }

    /// Whether the dialog asks "are you sure?" before sending: money goes back or the
    /// customer loses the goods, and neither can be undone.
    pub fn is_irreversible(self) -> bool {
        !matches!(self, Self::Ship)
    }

    /// Whether the dialog picks quantities per line.
    pub fn has_lines(self) -> bool {
        !matches!(self, Self::CancelOrder)
    }

    /// How many of `line` this action can still take.
    pub fn limit(self, line: &LineView) -> u32 {
        match self {
            Self::Ship => line.shippable_quantity,
            Self::Refund => line.refundable_quantity,
            Self::CancelLines | Self::CancelOrder => line.cancelable_quantity,
        }
    }

    /// The verb in messages: "ship", "refund", "cancel".
    fn verb(self) -> &'static str {
        match self {
            Self::Ship => "ship",
            Self::Refund => "refund",
            Self::CancelLines | Self::CancelOrder => "cancel",
        }
    }
}

/// `Ok` when `kind` can be done to `order` now, else why not, in words for the button.
pub fn availability(kind: ActionKind, order: &OrderView) -> Result<(), &'static str> {
    let any = |f: fn(&LineView) -> bool| order.lines.iter().any(f);
    match kind {
        ActionKind::Ship => {
            if any(|l| l.shippable_quantity > 0) {
                Ok(())
            } else if matches!(order.status, OrderStatus::Created | OrderStatus::Pending) {
                Err("Nothing can be shipped before the customer pays")
            } else {
                Err("Nothing left to ship")
            }
        }
        ActionKind::Refund => {
            if any(|l| l.refundable_quantity > 0) {
                Ok(())
            } else if order.status == OrderStatus::Authorized
                || any(|l| l.status == LineStatus::Authorized)
            {
                Err("Authorized lines are canceled, not refunded, until they are shipped")
            } else {
                Err("Nothing left to refund")
            }
        }
        ActionKind::CancelLines => {
            if any(|l| l.cancelable_quantity > 0) {
                Ok(())
            } else if order.status == OrderStatus::Paid || any(|l| l.status == LineStatus::Paid) {
                Err("Paid lines are refunded, not canceled")
            } else {
                Err("Nothing left to cancel")
            }
        }
        ActionKind::CancelOrder => match order.status {
            OrderStatus::Created | OrderStatus::Authorized => Ok(()),
            OrderStatus::Shipping if !any(|l| l.status == LineStatus::Paid) => Ok(()),
            OrderStatus::Paid | OrderStatus::Shipping => {
                Err("Paid orders are refunded, not canceled")
            }
            OrderStatus::Pending => Err("A payment is in progress; wait for it to finish"),
            OrderStatus::Completed | OrderStatus::Canceled | OrderStatus::Expired => {
                Err("This order is closed")
            }
        },
    }
}

/// What staff typed for one line: a quantity and, for a discounted line, an optional amount.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineInput {
    pub quantity: String,
    pub amount: String,
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

/// Checks the quantities (and amounts) typed for `lines`, one [`LineInput`] per line in the
/// same order, and returns the parts to send: lines with a quantity above 0, in order. A blank
/// quantity is 0; more than the line's limit for `kind` is refused and says how many are left.
pub fn validate_lines(
    kind: ActionKind,
    lines: &[LineView],
    inputs: &[LineInput],
) -> Result<Vec<LineQuantity>, DialogError> {
    let mut parts = Vec::new();
    for (line, input) in lines.iter().zip(inputs) {
        let typed = input.quantity.trim();
        let quantity: u32 = if typed.is_empty() {
            0
        } else {
            typed.parse().map_err(|_| {
                DialogError::line(&line.id, "Enter a whole number of items, 0 or more.")
            })?
        };
        let limit = kind.limit(line);
        if quantity > limit {
            let message = match limit {
                0 => format!("None of this line can be {}.", past(kind)),
                1 => format!("Only 1 item of this line can be {}.", past(kind)),
                n => format!("At most {n} items of this line can be {}.", past(kind)),
            };
            return Err(DialogError::line(&line.id, message));
        }
        let amount = match input.amount.trim() {
            "" => None,
            typed => {
                let currency = line.total.currency;
                let money = Money::parse_major(typed, currency)
                    .map_err(|e| DialogError::line(&line.id, amount_message(e, currency.code())))?;
                if money.minor < 0 {
                    return Err(DialogError::line(
                        &line.id,
                        "The amount cannot be negative.",
                    ));
                }
                Some(money)
            }
        };
        if quantity == 0 {
            if amount.is_some() {
                return Err(DialogError::line(
                    &line.id,
                    "Enter a quantity for this amount, or clear the amount.",
                ));
            }
            continue;
        }
        parts.push(LineQuantity {
            line_id: line.id.clone(),
            quantity,
            amount,
        });
    }
    if parts.is_empty() {
        return Err(DialogError::dialog(format!(
            "Choose at least one item to {}.",
            kind.verb()
        )));
    }
    Ok(parts)
}

fn amount_message(error: MoneyError, code: &str) -> String {
    match error {
        MoneyError::TooManyDecimals { max: 0 } => format!("{code} amounts have no decimals."),
        MoneyError::TooManyDecimals { max } => {
            format!("{code} amounts have at most {max} decimals.")
        }
        _ => format!("Enter an amount in {code}, like 12.50."),
    }
}

fn past(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Ship => "shipped",
        ActionKind::Refund => "refunded",
        ActionKind::CancelLines | ActionKind::CancelOrder => "canceled",
    }
}

/// Optional tracking for a shipment: nothing, or both carrier and code (and maybe a URL).
pub fn tracking(
    carrier: &str,
    code: &str,
    url: &str,
) -> Result<Option<kassa_model::api::TrackingInfo>, DialogError> {
    let (carrier, code, url) = (carrier.trim(), code.trim(), url.trim());
    if carrier.is_empty() && code.is_empty() && url.is_empty() {
        return Ok(None);
    }
    if carrier.is_empty() || code.is_empty() {
        return Err(DialogError::dialog(
            "For tracking, enter both the carrier and the tracking code (or neither).",
        ));
    }
    let web_address = url.starts_with("https://") || url.starts_with("http://");
    if !url.is_empty() && !web_address {
        return Err(DialogError::dialog(
            "The tracking URL should start with https://.",
        ));
    }
    Ok(Some(kassa_model::api::TrackingInfo {
        carrier: carrier.to_owned(),
        code: code.to_owned(),
        url: (!url.is_empty()).then(|| url.to_owned()),
        ..Default::default()
    }))
}

/// The number of items in `parts`.
pub fn item_count(parts: &[LineQuantity]) -> u32 {
    parts.iter().map(|p| p.quantity).sum()
}

fn items(n: u32) -> String {
    if n == 1 {
        "1 item".to_owned()
    } else {
        format!("{n} items")
    }
}

/// The money a part of a line is worth, when the model's arithmetic can tell: the amount
/// typed, the whole line's total, or unit price × quantity for a line without a discount.
/// `None` for part of a discounted line without an amount (the proxy sends its share).
pub fn part_value(line: &LineView, part: &LineQuantity) -> Option<Money> {
    if let Some(amount) = part.amount {
        return Some(amount);
    }
    if part.quantity == line.quantity {
        return Some(line.total);
    }
    if line.discount.is_some_and(|d| d.minor != 0) {
        return None;
    }
    line.unit_price.checked_mul(i64::from(part.quantity)).ok()
}

/// What `parts` are worth together, when [`part_value`] can tell for each of them.
fn parts_total(order: &OrderView, parts: &[LineQuantity]) -> Option<Money> {
    let values = parts.iter().map(|part| {
        let line = order.lines.iter().find(|l| l.id == part.line_id)?;
        part_value(line, part)
    });
    let values = values.collect::<Option<Vec<_>>>()?;
    Money::sum(order.amount.currency, values).ok()
}

/// Refunded lines must fit in what is left to refund: a refund of an amount leaves the lines
/// refundable but takes from the same payment. When the value of the parts is unknown (part
/// of a discounted line, no amount typed) the provider checks instead.
pub fn check_refund_total(order: &OrderView, parts: &[LineQuantity]) -> Result<(), DialogError> {
    let Some(total) = parts_total(order, parts) else {
        return Ok(());
    };
    if order.amount_captured.is_none() {
        // Not known here (the provider left it out): the provider checks.
        return Ok(());
    }
    let left = refundable_amount(order).unwrap_or(Money::zero(total.currency));
    if total.minor > left.minor {
        return Err(DialogError::dialog(format!(
            "These items are worth {}, but only {} is left to refund. Refund fewer items, or refund an amount instead.",
            total.display(),
            left.display()
        )));
    }
    Ok(())
}

/// The question before an irreversible action: "Refund €399.00 to the customer?" when the
/// amount is known, else the item count.
pub fn confirmation(kind: ActionKind, order: &OrderView, parts: &[LineQuantity]) -> String {
    let total = || parts_total(order, parts);
    match kind {
        ActionKind::Refund => match total() {
            Some(total) => format!(
                "Refund {} ({}) to the customer? This cannot be undone.",
                total.display(),
                items(item_count(parts))
            ),
            None => format!(
                "Refund {} to the customer (part of a discounted line: its share of the line)? This cannot be undone.",
                items(item_count(parts))
            ),
        },
        ActionKind::CancelLines => format!(
            "Cancel {}{}? The customer will not get them, and this cannot be undone.",
            items(item_count(parts)),
            total()
                .map(|t| format!(" worth {}", t.display()))
                .unwrap_or_default()
        ),
        ActionKind::CancelOrder => format!(
            "Cancel order {} ({})? This cannot be undone.",
            order.order_number,
            order.amount.display()
        ),
        ActionKind::Ship => format!("Ship {}?", items(item_count(parts))),
    }
}

/// The toast after success: "Shipped 2 items".
pub fn success_message(kind: ActionKind, count: u32, replayed: bool) -> String {
    let done = match kind {
        ActionKind::Ship => format!("Shipped {}", items(count)),
        ActionKind::Refund => format!("Refunded {}", items(count)),
        ActionKind::CancelLines => format!("Canceled {}", items(count)),
        ActionKind::CancelOrder => "Order canceled".to_owned(),
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

/// Builds the request. `parts` is what [`validate_lines`] returned (ignored for cancel order).
pub fn build_action(
    kind: ActionKind,
    intent_id: String,
    parts: Vec<LineQuantity>,
    tracking: Option<kassa_model::api::TrackingInfo>,
    description: &str,
) -> OrderAction {
    match kind {
        ActionKind::Ship => OrderAction::Ship {
            intent_id,
            lines: parts,
            tracking,
            description: None,
        },
        ActionKind::Refund => OrderAction::Refund {
            intent_id,
            lines: parts,
            description: Some(description.trim().to_owned()).filter(|d| !d.is_empty()),
            reference: None,
            return_fee: None,
        },
        ActionKind::CancelLines => OrderAction::CancelLines {
            intent_id,
            lines: parts,
        },
        ActionKind::CancelOrder => OrderAction::CancelOrder { intent_id },
    }
}

/// The line an error's `field` names, for an action that sent `sent` (the provider counts
/// `lines.N` in the request, which holds only the lines with a quantity).
pub fn line_of_field<'a>(field: &str, sent: &'a [LineQuantity]) -> Option<&'a str> {
    let rest = field.strip_prefix("lines.")?;
    let index: usize = rest.split('.').next()?.parse().ok()?;
    sent.get(index).map(|p| p.line_id.as_str())
}

/// Whether a retry after `error` must reuse the intent id. After a network failure, a 5xx or
/// a 409 the action may have happened (or be happening): only the same intent id makes sure it
/// happens once. A 4xx refusal (422 from the provider or the proxy's checks, 403) means nothing
/// happened, so a corrected request is a new intent.
pub fn keeps_intent(error: &ClientError) -> bool {
    match error {
        ClientError::Network(_) | ClientError::Decode(_) => true,
        ClientError::Http { status, .. } => *status == 409 || *status >= 500,
    }
}

/// `UpdateTracking` for one shipment, from the "Edit tracking" dialog's three fields. Unlike
/// shipping, tracking is required here: the dialog exists to set it.
pub fn update_tracking(
    intent_id: String,
    shipment_id: &str,
    carrier: &str,
    code: &str,
    url: &str,
) -> Result<OrderAction, DialogError> {
    let tracking = tracking(carrier, code, url)?
        .ok_or_else(|| DialogError::dialog("Enter the carrier and the tracking code."))?;
    Ok(OrderAction::UpdateTracking {
        intent_id,
        shipment_id: shipment_id.to_owned(),
        tracking,
    })
}

/// `UpdateOrder` from the "Edit details" dialog, carrying only what changed: the order number
/// when it differs, the billing address (checked by the model, with the fields the dialog does
/// not show kept) when any of its fields differs. Nothing changed is an error: there is nothing
/// to send.
pub fn details_update(
    intent_id: String,
    order: &OrderView,
    order_number: &str,
    billing: &AddressDraft,
) -> Result<OrderAction, FormError> {
    let order_number = order_number.trim();
    if order_number.is_empty() {
        return Err(FormError::Field(FieldError::new(
            "orderNumber",
            "Enter an order number.",
        )));
    }
    validate::order_number(order_number).map_err(FormError::Field)?;
    let number = (order_number != order.order_number).then(|| order_number.to_owned());
    let address = billing.merge_into(&order.billing_address);
    let address = if address == order.billing_address {
        None
    } else {
        validate::customer_address(&address, "billingAddress").map_err(FormError::Field)?;
        Some(Box::new(address))
    };
    if number.is_none() && address.is_none() {
        return Err(FormError::Form("Nothing was changed.".to_owned()));
    }
    Ok(OrderAction::UpdateOrder {
        intent_id,
        billing_address: address,
        shipping_address: None,
        order_number: number,
        merchant_reference2: None,
    })
}

/// Whether the order's lines may still change: Mollie allows it while nothing is paid or
/// shipped (`created`, `pending`, `authorized`).
pub fn line_editing(order: &OrderView) -> Result<(), &'static str> {
    match order.status {
        OrderStatus::Created | OrderStatus::Pending | OrderStatus::Authorized => Ok(()),
        _ => Err("Lines can only change before the order is paid or shipped."),
    }
}

/// `UpdateLine` from the "Edit line" dialog: the draft parsed and checked by the model, errors
/// naming the dialog's fields (`line.quantity`). An unchanged line is an error: nothing to send.
pub fn line_update(
    intent_id: String,
    line: &LineView,
    draft: &LineDraft,
    currency: Currency,
) -> Result<OrderAction, FormError> {
    let field = |e: FieldError| {
        FormError::Field(FieldError::new(
            e.field.replacen("lines.0.", "line.", 1),
            e.message,
        ))
    };
    let new = draft.parse(0, currency).map_err(field)?;
    new.price(0, currency).map_err(field)?;
    let unchanged = new.name == line.name
        && new.sku == line.sku
        && new.quantity == line.quantity
        && new.unit_price == line.unit_price.minor
        && new.discount == line.discount.map_or(0, |d| d.minor)
        && new.vat_rate == line.vat_rate;
    if unchanged {
        return Err(FormError::Form("Nothing was changed.".to_owned()));
    }
    Ok(OrderAction::UpdateLine {
        intent_id,
        line_id: line.id.clone(),
        line: new,
    })
}

/// What can still be refunded as an amount: what was captured (paid, or shipped on a pay-later
/// order) less what was refunded. `None`: nothing.
pub fn refundable_amount(order: &OrderView) -> Option<Money> {
    let captured = order.amount_captured?;
    let refunded = order
        .amount_refunded
        .unwrap_or(Money::zero(captured.currency));
    captured
        .checked_sub(refunded)
        .ok()
        .filter(|left| left.minor > 0)
}

/// Mollie's limit on a refund's description.
const REFUND_DESCRIPTION_MAX: usize = 140;

/// `RefundAmount` from the "Refund an amount" dialog: the amount parsed in the order's
/// currency and at most what is left; errors name the dialog's fields (`refund.amount`).
pub fn amount_refund(
    intent_id: String,
    order: &OrderView,
    amount: &str,
    description: &str,
) -> Result<OrderAction, FormError> {
    let field = |f: &str, m: String| FormError::Field(FieldError::new(format!("refund.{f}"), m));
    let left = refundable_amount(order)
        .ok_or_else(|| FormError::Form("Nothing is left to refund.".to_owned()))?;
    let minor = crate::draft::parse_money(amount, left.currency, "an amount")
        .map_err(|m| field("amount", m))?;
    if minor <= 0 {
        return Err(field(
            "amount",
            "Enter an amount more than zero.".to_owned(),
        ));
    }
    if minor > left.minor {
        return Err(field("amount", format!("At most {left} can be refunded.")));
    }
    let description = description.trim();
    if description.chars().count() > REFUND_DESCRIPTION_MAX {
        return Err(field(
            "description",
            format!("Use at most {REFUND_DESCRIPTION_MAX} characters."),
        ));
    }
    Ok(OrderAction::RefundAmount {
        intent_id,
        amount: Money::new(minor, left.currency),
        description: (!description.is_empty()).then(|| description.to_owned()),
    })
}

/// Payment statuses after which the customer can no longer pay with that payment.
const ENDED_UNPAID: [&str; 3] = ["failed", "canceled", "expired"];

/// Whether a new payment link can be made: the order still waits for its money and its latest
/// payment ended unpaid.
pub fn can_create_payment(order: &OrderView) -> bool {
    order.status == OrderStatus::Created
        && latest_payment(order).is_some_and(|p| ENDED_UNPAID.contains(&p.status.as_str()))
}

/// The most recent payment (the last of those created at the same moment).
pub fn latest_payment(order: &OrderView) -> Option<&PaymentView> {
    order
        .payments
        .iter()
        .max_by(|a, b| a.created_at.cmp(&b.created_at))
}

/// Whether the customer can still pay with this payment at its checkout link.
pub fn is_payable(payment: &PaymentView) -> bool {
    payment.status == "open" && payment.checkout_url.is_some()
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
    use crate::fixtures::{eur, line, order};
    use kassa_model::api::{Address, ApiError};

    fn input(q: &str) -> LineInput {
        LineInput {
            quantity: q.into(),
            amount: String::new(),
        }
    }

    #[test]
    fn quantities_above_the_limit_are_refused_and_say_so() {
        let lines = [
            line("odl_1", 2, 39_900, Some(10_000)),
            line("odl_2", 1, 32_999, None),
        ];
        let err = validate_lines(ActionKind::Ship, &lines, &[input("3"), input("0")]).unwrap_err();
        assert_eq!(err.line_id.as_deref(), Some("odl_1"));
        assert_eq!(err.message, "At most 2 items of this line can be shipped.");
        let err = validate_lines(ActionKind::Ship, &lines, &[input("0"), input("2")]).unwrap_err();
        assert_eq!(err.message, "Only 1 item of this line can be shipped.");
        let err =
            validate_lines(ActionKind::CancelLines, &lines, &[input("1"), input("")]).unwrap_err();
        assert_eq!(err.message, "None of this line can be canceled.");
        let err = validate_lines(ActionKind::Ship, &lines, &[input("x"), input("")]).unwrap_err();
        assert!(err.message.contains("whole number"));
        let err = validate_lines(ActionKind::Ship, &lines, &[input("-1"), input("")]).unwrap_err();
        assert!(err.message.contains("whole number"));
    }

    #[test]
    fn valid_quantities_become_the_parts_to_send() {
        let lines = [
            line("odl_1", 2, 39_900, Some(10_000)),
            line("odl_2", 1, 32_999, None),
        ];
        let inputs = [
            LineInput {
                quantity: "1".into(),
                amount: "349,00".into(),
            },
            input(""),
        ];
        let parts = validate_lines(ActionKind::Refund, &lines, &inputs).unwrap();
        assert_eq!(
            parts,
            vec![LineQuantity {
                line_id: "odl_1".into(),
                quantity: 1,
                amount: Some(eur(34_900)),
            }]
        );
        let none = validate_lines(ActionKind::Refund, &lines, &[input("0"), input("")]);
        assert_eq!(
            none.unwrap_err().message,
            "Choose at least one item to refund."
        );
        let bad_amount = [
            LineInput {
                quantity: "1".into(),
                amount: "3.999".into(),
            },
            input(""),
        ];
        let err = validate_lines(ActionKind::Refund, &lines, &bad_amount).unwrap_err();
        assert_eq!(err.message, "EUR amounts have at most 2 decimals.");
    }

    #[test]
    fn rules_explain_unavailable_actions() {
        let mut authorized = order(OrderStatus::Authorized, vec![line("odl_1", 2, 100, None)]);
        authorized.lines[0].status = LineStatus::Authorized;
        authorized.lines[0].refundable_quantity = 0;
        authorized.lines[0].cancelable_quantity = 2;
        assert_eq!(availability(ActionKind::Ship, &authorized), Ok(()));
        assert!(availability(ActionKind::Refund, &authorized)
            .unwrap_err()
            .starts_with("Authorized lines are canceled, not refunded"));
        assert_eq!(availability(ActionKind::CancelLines, &authorized), Ok(()));
        assert_eq!(availability(ActionKind::CancelOrder, &authorized), Ok(()));

        let paid = order(OrderStatus::Paid, vec![line("odl_1", 2, 100, None)]);
        assert_eq!(availability(ActionKind::Refund, &paid), Ok(()));
        assert_eq!(
            availability(ActionKind::CancelLines, &paid),
            Err("Paid lines are refunded, not canceled")
        );
        assert_eq!(
            availability(ActionKind::CancelOrder, &paid),
            Err("Paid orders are refunded, not canceled")
        );

        let mut shipped = paid.clone();
        shipped.status = OrderStatus::Completed;
        shipped.lines[0].shippable_quantity = 0;
        assert_eq!(
            availability(ActionKind::Ship, &shipped),
            Err("Nothing left to ship")
        );
    }

    #[test]
    fn confirmations_use_the_model_arithmetic() {
        let o = order(
            OrderStatus::Paid,
            vec![
                line("odl_1", 2, 39_900, Some(10_000)),
                line("odl_2", 3, 1_000, None),
            ],
        );
        let part = |id: &str, quantity, amount: Option<i64>| LineQuantity {
            line_id: id.into(),
            quantity,
            amount: amount.map(eur),
        };
        assert_eq!(
            confirmation(
                ActionKind::Refund,
                &o,
                &[part("odl_1", 2, None), part("odl_2", 2, None)]
            ),
            "Refund €718.00 (4 items) to the customer? This cannot be undone."
        );
        assert!(
            confirmation(ActionKind::Refund, &o, &[part("odl_1", 1, None)])
                .starts_with("Refund 1 item to the customer (part of a discounted line")
        );
        assert!(
            confirmation(ActionKind::Refund, &o, &[part("odl_1", 1, Some(34_900))])
                .starts_with("Refund €349.00 (1 item)")
        );
        assert!(confirmation(ActionKind::CancelOrder, &o, &[]).starts_with("Cancel order 1337"));
    }

    #[test]
    fn errors_map_back_to_the_line_sent() {
        let sent = [
            LineQuantity {
                line_id: "odl_2".into(),
                quantity: 1,
                amount: None,
            },
            LineQuantity {
                line_id: "odl_5".into(),
                quantity: 1,
                amount: None,
            },
        ];
        assert_eq!(line_of_field("lines.1.amount", &sent), Some("odl_5"));
        assert_eq!(line_of_field("lines.0", &sent), Some("odl_2"));
        assert_eq!(line_of_field("lines.2.amount", &sent), None);
        assert_eq!(line_of_field("tracking.code", &sent), None);
    }

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

    #[test]
    fn tracking_updates_need_carrier_and_code() {
        assert!(update_tracking("i".into(), "shp_1", "", "", "").is_err());
        assert_eq!(
            update_tracking("i".into(), "shp_1", "DHL", "JD01", ""),
            Ok(OrderAction::UpdateTracking {
                intent_id: "i".into(),
                shipment_id: "shp_1".into(),
                tracking: kassa_model::api::TrackingInfo {
                    carrier: "DHL".into(),
                    code: "JD01".into(),
                    url: None,
                    ..Default::default()
                },
            })
        );
    }

    #[test]
    fn details_send_only_what_changed() {
        let mut o = order(OrderStatus::Created, Vec::new());
        o.billing_address = Address {
            given_name: Some("Piet".into()),
            family_name: Some("Mondriaan".into()),
            email: Some("piet@mondriaan.com".into()),
            phone: Some("+31208202070".into()),
            street_and_number: Some("Keizersgracht 126".into()),
            postal_code: Some("1015 CW".into()),
            city: Some("Amsterdam".into()),
            country: Some("NL".into()),
            ..Address::default()
        };
        let same = AddressDraft::from_address(&o.billing_address);
        assert_eq!(
            details_update("i".into(), &o, " 1337 ", &same),
            Err(FormError::Form("Nothing was changed.".into()))
        );
        let Ok(OrderAction::UpdateOrder {
            order_number,
            billing_address,
            ..
        }) = details_update("i".into(), &o, "1338", &same)
        else {
            panic!("a new number is an update");
        };
        assert_eq!(
            (order_number.as_deref(), billing_address),
            (Some("1338"), None)
        );
        let mut moved = same.clone();
        moved.city = "Utrecht".into();
        let Ok(OrderAction::UpdateOrder {
            order_number,
            billing_address: Some(address),
            ..
        }) = details_update("i".into(), &o, "1337", &moved)
        else {
            panic!("a new city is an update");
        };
        assert_eq!(order_number, None);
        assert_eq!(address.city.as_deref(), Some("Utrecht"));
        assert_eq!(
            address.phone.as_deref(),
            Some("+31208202070"),
            "unshown fields stay"
        );
        moved.email = "nope".into();
        let Err(FormError::Field(e)) = details_update("i".into(), &o, "1337", &moved) else {
            panic!("the address is checked");
        };
        assert_eq!(e.field, "billingAddress.email");
    }

    #[test]
    fn a_new_payment_link_needs_a_created_order_whose_last_payment_ended_unpaid() {
        let payment = |at: &str, status: &str| PaymentView {
            id: format!("tr_{at}"),
            created_at: at.into(),
            status: status.into(),
            method: None,
            amount: eur(100),
            checkout_url: (status == "open").then(|| "https://pay.example/x".to_owned()),
        };
        let mut o = order(OrderStatus::Created, Vec::new());
        assert!(!can_create_payment(&o));
        o.payments = vec![
            payment("2025-11-22T05:00:00Z", "expired"),
            payment("2025-11-22T04:00:00Z", "open"),
        ];
        assert!(can_create_payment(&o), "the latest is the expired one");
        o.payments.push(payment("2025-11-23T00:00:00Z", "open"));
        assert!(!can_create_payment(&o));
        assert!(is_payable(&o.payments[2]) && !is_payable(&o.payments[0]));
        o.payments.pop();
        o.status = OrderStatus::Paid;
        assert!(!can_create_payment(&o));
    }

    #[test]
    fn tracking_is_all_or_nothing_and_messages_count_items() {
        assert_eq!(tracking(" ", "", ""), Ok(None));
        assert!(tracking("PostNL", "", "").is_err());
        assert!(tracking("PostNL", "3S123", "ftp://x").is_err());
        let t = tracking("PostNL", "3S123", "https://postnl.nl/t/3S123")
            .unwrap()
            .unwrap();
        assert_eq!(t.url.as_deref(), Some("https://postnl.nl/t/3S123"));
        assert_eq!(
            success_message(ActionKind::Ship, 2, false),
            "Shipped 2 items"
        );
        assert_eq!(
            success_message(ActionKind::Refund, 1, false),
            "Refunded 1 item"
        );
        assert_eq!(
            success_message(ActionKind::CancelOrder, 0, false),
            "Order canceled"
        );
    }

    #[test]
    fn a_line_edit_is_checked_by_the_model_and_names_the_dialogs_fields() {
        let tyres = line("odl_3", 3, 5_000, None);
        let draft = LineDraft::from_line(&tyres);
        assert_eq!(
            (
                draft.unit_price.as_str(),
                draft.discount.as_str(),
                draft.vat_rate.as_str()
            ),
            ("50.00", "", "21.00")
        );
        let nothing = line_update("i".into(), &tyres, &draft, Currency::EUR);
        assert!(matches!(nothing, Err(FormError::Form(m)) if m == "Nothing was changed."));
        let zero = LineDraft {
            quantity: "0".into(),
            ..draft.clone()
        };
        match line_update("i".into(), &tyres, &zero, Currency::EUR) {
            Err(FormError::Field(e)) => assert_eq!(e.field, "line.quantity"),
            other => panic!("{other:?}"),
        }
        let too_much_off = LineDraft {
            discount: "150.01".into(),
            ..draft.clone()
        };
        match line_update("i".into(), &tyres, &too_much_off, Currency::EUR) {
            Err(FormError::Field(e)) => assert_eq!(e.field, "line.discount"),
            other => panic!("{other:?}"),
        }
        let two = LineDraft {
            quantity: "2".into(),
            discount: "5".into(),
            ..draft
        };
        match line_update("intent-1".into(), &tyres, &two, Currency::EUR) {
            Ok(OrderAction::UpdateLine {
                intent_id,
                line_id,
                line,
            }) => {
                assert_eq!(
                    (intent_id.as_str(), line_id.as_str()),
                    ("intent-1", "odl_3")
                );
                assert_eq!(
                    (line.quantity, line.unit_price, line.discount),
                    (2, 5_000, 500)
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lines_change_only_before_payment_or_shipping() {
        for status in [
            OrderStatus::Created,
            OrderStatus::Pending,
            OrderStatus::Authorized,
        ] {
            assert!(line_editing(&order(status, vec![])).is_ok(), "{status:?}");
        }
        for status in [
            OrderStatus::Paid,
            OrderStatus::Shipping,
            OrderStatus::Completed,
        ] {
            assert!(line_editing(&order(status, vec![])).is_err(), "{status:?}");
        }
    }

    #[test]
    fn an_amount_refund_is_at_most_what_is_left_and_names_its_fields() {
        let mut paid = order(OrderStatus::Paid, vec![]);
        assert_eq!(refundable_amount(&paid), None, "nothing captured");
        paid.amount_captured = Some(eur(102_799));
        paid.amount_refunded = Some(eur(2_799));
        assert_eq!(refundable_amount(&paid), Some(eur(100_000)));
        let field_of = |r: Result<OrderAction, FormError>| match r {
            Err(FormError::Field(e)) => (e.field, e.message),
            other => panic!("{other:?}"),
        };
        let (f, m) = field_of(amount_refund("i".into(), &paid, "1000.01", ""));
        assert_eq!(f, "refund.amount");
        assert!(m.contains("1,000.00"), "{m}");
        assert_eq!(
            field_of(amount_refund("i".into(), &paid, "0", "")).0,
            "refund.amount"
        );
        assert_eq!(
            field_of(amount_refund("i".into(), &paid, "12.345", "")).0,
            "refund.amount"
        );
        let long = "x".repeat(141);
        assert_eq!(
            field_of(amount_refund("i".into(), &paid, "1", &long)).0,
            "refund.description"
        );
        match amount_refund("intent-1".into(), &paid, "12.50", "  Shipping costs ") {
            Ok(OrderAction::RefundAmount {
                amount,
                description,
                ..
            }) => {
                assert_eq!(amount, eur(1_250));
                assert_eq!(description.as_deref(), Some("Shipping costs"));
            }
            other => panic!("{other:?}"),
        }
        paid.amount_refunded = Some(eur(102_799));
        assert!(matches!(
            amount_refund("i".into(), &paid, "1", ""),
            Err(FormError::Form(_))
        ));
    }

    #[test]
    fn refunded_lines_must_fit_in_what_an_amount_refund_left() {
        // €698.00 + €329.99 paid; €4.95 already refunded as an amount.
        let mut paid = order(
            OrderStatus::Paid,
            vec![
                line("odl_1", 2, 39_900, Some(10_000)),
                line("odl_2", 1, 32_999, None),
            ],
        );
        paid.amount_captured = Some(eur(102_799));
        paid.amount_refunded = Some(eur(495));
        let part = |id: &str, quantity| LineQuantity {
            line_id: id.into(),
            quantity,
            amount: None,
        };
        let everything = [part("odl_1", 2), part("odl_2", 1)];
        let err = check_refund_total(&paid, &everything).unwrap_err();
        assert!(err.message.contains("€1,027.99"), "{}", err.message);
        assert!(err.message.contains("€1,023.04"), "{}", err.message);
        assert_eq!(check_refund_total(&paid, &[part("odl_2", 1)]), Ok(()));
        // Part of a discounted line has no known value: the provider decides.
        assert_eq!(check_refund_total(&paid, &[part("odl_1", 1)]), Ok(()));
        paid.amount_refunded = Some(eur(102_799));
        assert!(check_refund_total(&paid, &[part("odl_2", 1)]).is_err());
    }
}
