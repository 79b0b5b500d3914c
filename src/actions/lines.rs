//! The line-by-line actions (ship or capture, refund, cancel lines or remove items, cancel
//! the order): quantities checked against what each line has left, what the parts are worth,
//! the checks on money (what is left to refund, never below captured, a return fee), the
//! confirmation sentence and the request.

use kassa_model::api::{LineQuantity, LineView, OrderAction, OrderView, Provider, TrackingInfo};
use kassa_model::{Money, MoneyError};

use super::{items, line_limit, past, refundable_amount, verb, ActionKind, DialogError};
use crate::staff_locale::staff_money;
use crate::terms::terms;

/// What staff typed for one line: a quantity and, for a discounted line, an optional amount.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineInput {
    pub quantity: String,
    pub amount: String,
}

/// Checks the quantities (and amounts) typed for `lines`, one [`LineInput`] per line in the
/// same order, and returns the parts to send: lines with a quantity above 0, in order. A blank
/// quantity is 0; more than the line's limit for `kind` is refused and says how many are left,
/// in `provider`'s words.
pub fn validate_lines(
    provider: Provider,
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
        let limit = line_limit(kind, line);
        if quantity > limit {
            let done = past(provider, kind);
            let message = match limit {
                0 => format!("None of this line can be {done}."),
                1 => format!("Only 1 item of this line can be {done}."),
                n => format!("At most {n} items of this line can be {done}."),
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
            verb(provider, kind)
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

/// The number of items in `parts`.
pub fn item_count(parts: &[LineQuantity]) -> u32 {
    parts.iter().map(|p| p.quantity).sum()
}

/// The money a part of a line is worth to `kind`: the amount typed, else the model's value
/// of that many units ([`kassa_model::rules::part_value`]: unit price × quantity, or for a
/// discounted line its share of what is left, exactly as the proxy prices the part). `None`
/// when the model cannot tell.
pub fn part_value(
    order: &OrderView,
    kind: ActionKind,
    line: &LineView,
    part: &LineQuantity,
) -> Option<Money> {
    if let Some(amount) = part.amount {
        return Some(amount);
    }
    kassa_model::rules::part_value(order, line, kind, part.quantity)
}

/// What `parts` are worth together to `kind`, when [`part_value`] can tell for each of them.
pub fn parts_total(order: &OrderView, kind: ActionKind, parts: &[LineQuantity]) -> Option<Money> {
    let values = parts.iter().map(|part| {
        let line = order.lines.iter().find(|l| l.id == part.line_id)?;
        part_value(order, kind, line, part)
    });
    let values = values.collect::<Option<Vec<_>>>()?;
    Money::sum(order.amount.currency, values).ok()
}

/// The line dialog's running total of what is typed: zero while nothing is chosen; `None`
/// while something typed is not a quantity (or more than is left), or a part's value cannot
/// be told.
pub fn running_total(
    order: &OrderView,
    kind: ActionKind,
    lines: &[LineView],
    inputs: &[LineInput],
) -> Option<Money> {
    match validate_lines(order.provider, kind, lines, inputs) {
        Ok(parts) => parts_total(order, kind, &parts),
        // Only "choose at least one item" is about the dialog as a whole.
        Err(e) if e.line_id.is_none() => Some(Money::zero(order.amount.currency)),
        Err(_) => None,
    }
}

/// The question before a refund, the same in the line dialog and in "Refund an amount":
/// "Refund €89.00 (2 items) to the customer? This cannot be undone." (`items` is `None` for an
/// amount).
pub fn refund_question(total: Money, items_refunded: Option<u32>) -> String {
    let items_refunded = items_refunded
        .map(|n| format!(" ({})", items(n)))
        .unwrap_or_default();
    format!(
        "Refund {}{items_refunded} to the customer? This cannot be undone.",
        staff_money(total)
    )
}

/// The confirming button of a refund: "Yes, refund €89.00".
pub fn refund_yes(total: Money) -> String {
    format!("Yes, refund {}", staff_money(total))
}

/// Refunded lines must fit in what is left to refund: a refund of an amount leaves the lines
/// refundable but takes from the same payment. When the value of the parts is unknown (part
/// of a discounted line, no amount typed) the provider checks instead.
pub fn check_refund_total(order: &OrderView, parts: &[LineQuantity]) -> Result<(), DialogError> {
    let Some(total) = parts_total(order, ActionKind::Refund, parts) else {
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
            staff_money(total),
            staff_money(left)
        )));
    }
    Ok(())
}

/// The order's total once `parts` are removed (Klarna's "Remove items"), when their value is
/// known.
pub fn total_after_removing(order: &OrderView, parts: &[LineQuantity]) -> Option<Money> {
    let removed = parts_total(order, ActionKind::CancelLines, parts)?;
    order.amount.checked_sub(removed).ok()
}

/// Removing items never takes the order below what was captured (Klarna refuses an
/// authorization update under it); the message says both amounts.
pub fn check_removal(order: &OrderView, parts: &[LineQuantity]) -> Result<(), DialogError> {
    let (Some(after), Some(captured)) = (total_after_removing(order, parts), order.amount_captured)
    else {
        return Ok(());
    };
    if after.minor < captured.minor {
        return Err(DialogError::dialog(format!(
            "The order total would become {}, below the {} already captured. Remove fewer items, or refund instead.",
            staff_money(after),
            staff_money(captured)
        )));
    }
    Ok(())
}

/// A Klarna return fee as typed: blank is none; otherwise an amount in the order's currency,
/// not negative, and not more than the refund when its value is known.
pub fn return_fee(
    order: &OrderView,
    parts: &[LineQuantity],
    typed: &str,
) -> Result<Option<Money>, DialogError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let currency = order.amount.currency;
    let fee = Money::parse_major(typed, currency).map_err(|e| {
        DialogError::dialog(format!(
            "Return fee: {}",
            amount_message(e, currency.code())
        ))
    })?;
    if fee.minor < 0 {
        return Err(DialogError::dialog("The return fee cannot be negative."));
    }
    if let Some(total) = parts_total(order, ActionKind::Refund, parts) {
        if fee.minor > total.minor {
            return Err(DialogError::dialog(format!(
                "The return fee cannot be more than the {} refunded.",
                staff_money(total)
            )));
        }
    }
    Ok((fee.minor > 0).then_some(fee))
}

/// A description (of a capture or refund) within the provider's limit; errors say which.
pub fn description(
    provider: Provider,
    what: &str,
    typed: &str,
) -> Result<Option<String>, DialogError> {
    let typed = typed.trim();
    let max = terms(provider).description_max;
    if typed.chars().count() > max {
        return Err(DialogError::dialog(format!(
            "The {what} can be at most {max} characters."
        )));
    }
    Ok((!typed.is_empty()).then(|| typed.to_owned()))
}

/// The question before an irreversible action: "Refund €399.00 (1 item) to the customer?"
/// ([`refund_question`]) when the amount is known, else the item count.
pub fn confirmation(kind: ActionKind, order: &OrderView, parts: &[LineQuantity]) -> String {
    let total = || parts_total(order, kind, parts);
    let provider = order.provider;
    match kind {
        ActionKind::Refund => match total() {
            Some(total) => refund_question(total, Some(item_count(parts))),
            None => format!(
                "Refund {} to the customer (part of a discounted line: its share of the line)? This cannot be undone.",
                items(item_count(parts))
            ),
        },
        ActionKind::CancelLines if provider == Provider::Klarna => format!(
            "Remove {}{}?{} The customer will not get them, and this cannot be undone.",
            items(item_count(parts)),
            total()
                .map(|t| format!(" worth {}", staff_money(t)))
                .unwrap_or_default(),
            total_after_removing(order, parts)
                .map(|t| format!(" The order total becomes {}.", staff_money(t)))
                .unwrap_or_default()
        ),
        ActionKind::CancelLines => format!(
            "Cancel {}{}? The customer will not get them, and this cannot be undone.",
            items(item_count(parts)),
            total()
                .map(|t| format!(" worth {}", staff_money(t)))
                .unwrap_or_default()
        ),
        ActionKind::CancelOrder => format!(
            "Cancel order {} ({})? This cannot be undone.",
            order.order_number,
            staff_money(order.amount)
        ),
        _ => {
            let verb = verb(provider, kind);
            let mut verb = verb.to_owned();
            if let Some(first) = verb.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            format!("{verb} {}?", items(item_count(parts)))
        }
    }
}

/// What the line dialog sends besides the lines; each only for the actions that take it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionExtras {
    /// Ship.
    pub tracking: Option<TrackingInfo>,
    /// Ship (Klarna's capture description) and Refund.
    pub description: Option<String>,
    /// Refund (Klarna).
    pub reference: Option<String>,
    /// Refund (Klarna).
    pub return_fee: Option<Money>,
}

/// Builds the request. `parts` is what [`validate_lines`] returned (ignored for cancel order).
pub fn build_action(
    kind: ActionKind,
    intent_id: String,
    parts: Vec<LineQuantity>,
    extras: ActionExtras,
) -> OrderAction {
    match kind {
        ActionKind::Ship => OrderAction::Ship {
            intent_id,
            lines: parts,
            tracking: extras.tracking,
            description: extras.description,
        },
        ActionKind::Refund => OrderAction::Refund {
            intent_id,
            lines: parts,
            description: extras.description,
            reference: extras.reference,
            return_fee: extras.return_fee,
        },
        ActionKind::CancelLines => OrderAction::CancelLines {
            intent_id,
            lines: parts,
        },
        _ => OrderAction::CancelOrder { intent_id },
    }
}

/// The line an error's `field` names, for an action that sent `sent` (the provider counts
/// `lines.N` in the request, which holds only the lines with a quantity).
pub fn line_of_field<'a>(field: &str, sent: &'a [LineQuantity]) -> Option<&'a str> {
    let rest = field.strip_prefix("lines.")?;
    let index: usize = rest.split('.').next()?.parse().ok()?;
    sent.get(index).map(|p| p.line_id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::*;
    use crate::fixtures::{eur, line, order};
    use kassa_model::api::*;

    fn input(q: &str) -> LineInput {
        LineInput {
            quantity: q.into(),
            amount: String::new(),
        }
    }

    fn klarna(mut o: OrderView) -> OrderView {
        o.provider = Provider::Klarna;
        o
    }

    #[test]
    fn quantities_above_the_limit_are_refused_and_say_so() {
        let lines = [
            line("odl_1", 2, 39_900, Some(10_000)),
            line("odl_2", 1, 32_999, None),
        ];
        let err = validate_lines(
            Provider::Mollie,
            ActionKind::Ship,
            &lines,
            &[input("3"), input("0")],
        )
        .unwrap_err();
        assert_eq!(err.line_id.as_deref(), Some("odl_1"));
        assert_eq!(err.message, "At most 2 items of this line can be shipped.");
        let err = validate_lines(
            Provider::Mollie,
            ActionKind::Ship,
            &lines,
            &[input("0"), input("2")],
        )
        .unwrap_err();
        assert_eq!(err.message, "Only 1 item of this line can be shipped.");
        let err = validate_lines(
            Provider::Mollie,
            ActionKind::CancelLines,
            &lines,
            &[input("1"), input("")],
        )
        .unwrap_err();
        assert_eq!(err.message, "None of this line can be canceled.");
        let err = validate_lines(
            Provider::Mollie,
            ActionKind::Ship,
            &lines,
            &[input("x"), input("")],
        )
        .unwrap_err();
        assert!(err.message.contains("whole number"));
        let err = validate_lines(
            Provider::Mollie,
            ActionKind::Ship,
            &lines,
            &[input("-1"), input("")],
        )
        .unwrap_err();
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
        let parts = validate_lines(Provider::Mollie, ActionKind::Refund, &lines, &inputs).unwrap();
        assert_eq!(
            parts,
            vec![LineQuantity {
                line_id: "odl_1".into(),
                quantity: 1,
                amount: Some(eur(34_900)),
            }]
        );
        let none = validate_lines(
            Provider::Mollie,
            ActionKind::Refund,
            &lines,
            &[input("0"), input("")],
        );
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
        let err =
            validate_lines(Provider::Mollie, ActionKind::Refund, &lines, &bad_amount).unwrap_err();
        assert_eq!(err.message, "EUR amounts have at most 2 decimals.");
    }

    #[test]
    fn confirmations_use_the_model_arithmetic() {
        let mut o = order(
            OrderStatus::Paid,
            vec![
                line("odl_1", 2, 39_900, Some(10_000)),
                line("odl_2", 3, 1_000, None),
            ],
        );
        // Paid in full: every unit not refunded counts.
        o.amount = eur(72_800);
        o.amount_captured = Some(eur(72_800));
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
        // One Bugatti of two: its share of the €698.00 line, as the proxy sends it.
        assert_eq!(
            confirmation(ActionKind::Refund, &o, &[part("odl_1", 1, None)]),
            "Refund €349.00 (1 item) to the customer? This cannot be undone."
        );
        // Without the provider's counters the share is unknown: the item count instead.
        let mut unknown = o.clone();
        unknown.lines[0].amount_refunded = None;
        assert!(
            confirmation(ActionKind::Refund, &unknown, &[part("odl_1", 1, None)])
                .starts_with("Refund 1 item to the customer (part of a discounted line")
        );
        assert!(
            confirmation(ActionKind::Refund, &o, &[part("odl_1", 1, Some(34_900))])
                .starts_with("Refund €349.00 (1 item)")
        );
        assert!(confirmation(ActionKind::CancelOrder, &o, &[]).starts_with("Cancel order 1337"));
    }

    #[test]
    fn the_running_total_starts_at_zero_and_follows_what_is_typed() {
        let mut o = order(
            OrderStatus::Paid,
            vec![
                line("odl_1", 2, 39_900, Some(10_000)),
                line("odl_2", 1, 32_999, None),
            ],
        );
        o.amount_captured = Some(o.amount);
        let lines = o.lines.clone();
        let total =
            |a: &str, b: &str| running_total(&o, ActionKind::Refund, &lines, &[input(a), input(b)]);
        assert_eq!(starting_quantity(ActionKind::Refund, &lines[0]), 0);
        assert_eq!(starting_quantity(ActionKind::CancelLines, &lines[0]), 0);
        assert_eq!(starting_quantity(ActionKind::Ship, &lines[0]), 2);
        assert_eq!(total("0", "0"), Some(eur(0)));
        assert_eq!(total("", "1"), Some(eur(32_999)));
        // One discounted Bugatti is its share of the line: €349.00.
        assert_eq!(total("1", "1"), Some(eur(34_900 + 32_999)));
        assert_eq!(total("2", "1"), Some(eur(102_799)));
        assert_eq!(total("3", "1"), None, "more than is left");
        assert_eq!(total("x", "1"), None);
        assert_eq!(refund_yes(eur(8_900)), "Yes, refund €89.00");
        assert_eq!(
            refund_question(eur(8_900), None),
            "Refund €89.00 to the customer? This cannot be undone."
        );
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

    #[test]
    fn klarna_messages_capture_and_remove() {
        let lines = [line("l1", 2, 1_000, None)];
        let err =
            validate_lines(Provider::Klarna, ActionKind::Ship, &lines, &[input("3")]).unwrap_err();
        assert_eq!(err.message, "At most 2 items of this line can be captured.");
        let err =
            validate_lines(Provider::Klarna, ActionKind::Ship, &lines, &[input("0")]).unwrap_err();
        assert_eq!(err.message, "Choose at least one item to capture.");
        assert_eq!(
            success_message(Provider::Klarna, ActionKind::Ship, 2, false),
            "Captured 2 items"
        );
        assert_eq!(
            success_message(Provider::Klarna, ActionKind::CancelLines, 1, false),
            "Removed 1 item"
        );
    }

    #[test]
    fn removing_items_shows_the_new_total_and_never_goes_below_captured() {
        let mut o = klarna(order(
            OrderStatus::Shipping,
            vec![line("l1", 2, 10_000, None), line("l2", 1, 5_000, None)],
        ));
        o.amount = eur(25_000);
        o.amount_captured = Some(eur(10_000));
        let part = |id: &str, quantity| LineQuantity {
            line_id: id.into(),
            quantity,
            amount: None,
        };
        assert_eq!(
            total_after_removing(&o, &[part("l1", 1)]),
            Some(eur(15_000))
        );
        assert_eq!(check_removal(&o, &[part("l1", 1)]), Ok(()));
        let question = confirmation(ActionKind::CancelLines, &o, &[part("l1", 1)]);
        assert!(
            question.contains("The order total becomes €150.00"),
            "{question}"
        );
        let err = check_removal(&o, &[part("l1", 2)]).unwrap_err();
        assert!(err.message.contains("€50.00"), "{}", err.message);
        assert!(err.message.contains("€100.00"), "{}", err.message);
    }

    #[test]
    fn a_return_fee_is_money_and_at_most_the_refund() {
        let o = klarna(order(
            OrderStatus::Completed,
            vec![line("l1", 2, 1_000, None)],
        ));
        let parts = [LineQuantity {
            line_id: "l1".into(),
            quantity: 1,
            amount: None,
        }];
        assert_eq!(return_fee(&o, &parts, " "), Ok(None));
        assert_eq!(return_fee(&o, &parts, "2,50"), Ok(Some(eur(250))));
        assert!(return_fee(&o, &parts, "10.01").is_err());
        assert!(return_fee(&o, &parts, "-1").is_err());
        assert!(return_fee(&o, &parts, "1.234")
            .unwrap_err()
            .message
            .starts_with("Return fee"));
        assert!(description(Provider::Mollie, "description", &"x".repeat(141)).is_err());
        assert!(
            description(Provider::Klarna, "description", &"x".repeat(141))
                .unwrap()
                .is_some()
        );
    }
}
