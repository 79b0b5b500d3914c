//! Actions without a form of their own (acknowledge, release, extend, resend an invoice) and
//! their confirmation in money and dates; the due-date extension among the proxy's options; the
//! id of "Add a Klarna order".

use kassa_model::api::{
    ActionKind, DueDateOption, ImportOrder, OrderAction, OrderView, Provider, ShipmentView,
};
use kassa_model::{FieldError, Money};

use super::DialogError;
use crate::format::short_timestamp;
use crate::staff_locale::staff_money;

/// What "Release remaining authorization" gives up: the remaining authorization as the
/// provider counts it, else the order's amount less what was captured.
pub fn uncaptured(order: &OrderView) -> Option<Money> {
    order.amount_remaining.or_else(|| {
        let captured = order
            .amount_captured
            .unwrap_or(Money::zero(order.amount.currency));
        order.amount.checked_sub(captured).ok()
    })
}

/// The confirmation of an action without a form of its own (acknowledge, release, extend,
/// resend an invoice): what it does, in money and dates where it has them. `None` for the
/// actions that have their own dialog.
pub fn plain_question(
    kind: ActionKind,
    order: &OrderView,
    shipment: Option<&ShipmentView>,
) -> Option<String> {
    let number = &order.order_number;
    let provider = order.provider.label();
    Some(match kind {
        ActionKind::Acknowledge => format!(
            "Acknowledge order {number} at {provider}? This tells {provider} the order has reached your systems."
        ),
        ActionKind::ReleaseAuthorization => format!(
            "Release the remaining authorization of order {number}? No more captures will be possible: {} remains uncaptured and is released to the customer. This cannot be undone.",
            uncaptured(order).map_or_else(|| "what".to_owned(), staff_money)
        ),
        ActionKind::ExtendAuthorization => match (&order.extended_expires_at, &order.expires_at) {
            (Some(new), Some(now)) => format!(
                "Extend the authorization of order {number}? It will then expire on {} instead of {}.",
                short_timestamp(new),
                short_timestamp(now)
            ),
            (Some(new), None) => format!(
                "Extend the authorization of order {number}? It will then expire on {}.",
                short_timestamp(new)
            ),
            _ => format!("Extend the authorization of order {number}?"),
        },
        ActionKind::TriggerSendOut => format!(
            "Send the customer the invoice of the capture {} again?",
            shipment.map_or_else(String::new, capture_name)
        ),
        _ => return None,
    })
}

/// A capture as staff name it: its reference and date.
pub fn capture_name(shipment: &ShipmentView) -> String {
    let when = short_timestamp(&shipment.created_at);
    match &shipment.reference {
        Some(reference) => format!("{reference} of {when}"),
        None => format!("of {when}"),
    }
}

/// The request of an action without a form of its own; `None` for the others.
pub fn plain_action(
    kind: ActionKind,
    intent_id: String,
    shipment_id: Option<&str>,
) -> Option<OrderAction> {
    Some(match kind {
        ActionKind::Acknowledge => OrderAction::Acknowledge { intent_id },
        ActionKind::ReleaseAuthorization => OrderAction::ReleaseAuthorization { intent_id },
        ActionKind::ExtendAuthorization => OrderAction::ExtendAuthorization { intent_id },
        ActionKind::TriggerSendOut => OrderAction::TriggerSendOut {
            intent_id,
            shipment_id: shipment_id?.to_owned(),
        },
        _ => return None,
    })
}

/// "Extend due date": the days picked must be one of the options the proxy offered.
pub fn due_date_extension(
    intent_id: String,
    shipment_id: &str,
    options: &[DueDateOption],
    picked: &str,
) -> Result<(OrderAction, DueDateOption), DialogError> {
    let days: u32 = picked
        .trim()
        .parse()
        .map_err(|_| DialogError::dialog("Choose how many days to add to the due date."))?;
    let option = options
        .iter()
        .find(|o| o.days == days)
        .ok_or_else(|| DialogError::dialog("Choose one of the offered extensions."))?;
    Ok((
        OrderAction::ExtendDueDate {
            intent_id,
            shipment_id: shipment_id.to_owned(),
            days,
        },
        option.clone(),
    ))
}

/// "Add a Klarna order": the id as typed, trimmed, when it is a Klarna order id (a UUID);
/// errors name the field (`klarnaOrderId`).
pub fn import_request(typed: &str) -> Result<ImportOrder, FieldError> {
    let id = typed.trim();
    if id.is_empty() {
        return Err(FieldError::new(
            "klarnaOrderId",
            "Enter the Klarna order id.",
        ));
    }
    if Provider::owning(id) != Some(Provider::Klarna) {
        return Err(FieldError::new(
            "klarnaOrderId",
            "A Klarna order id looks like f3392f8b-6116-4073-ab96-e330819e2c07 (from Klarna's merchant portal).",
        ));
    }
    Ok(ImportOrder {
        provider: Provider::Klarna,
        id: id.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{eur, order};
    use kassa_model::api::*;

    fn klarna(mut o: OrderView) -> OrderView {
        o.provider = Provider::Klarna;
        o
    }

    #[test]
    fn only_klarna_ids_are_imported() {
        assert_eq!(import_request(" ").unwrap_err().field, "klarnaOrderId");
        assert!(import_request("ord_pbjz8x").is_err());
        let ok = import_request(" f3392f8b-6116-4073-ab96-e330819e2c07 ").unwrap();
        assert_eq!(ok.id, "f3392f8b-6116-4073-ab96-e330819e2c07");
        assert_eq!(ok.provider, Provider::Klarna);
    }

    #[test]
    fn plain_actions_say_what_they_do_in_money_and_dates() {
        let mut o = klarna(order(OrderStatus::Shipping, vec![]));
        o.amount_remaining = Some(eur(32_999));
        o.expires_at = Some("2026-12-01T00:00:00Z".into());
        o.extended_expires_at = Some("2026-12-24T00:00:00Z".into());
        let release = plain_question(ActionKind::ReleaseAuthorization, &o, None).unwrap();
        assert!(release.contains("No more captures"), "{release}");
        assert!(release.contains("€329.99 remains uncaptured"), "{release}");
        let extend = plain_question(ActionKind::ExtendAuthorization, &o, None).unwrap();
        assert!(
            extend.contains("2026-12-24 00:00 instead of 2026-12-01 00:00"),
            "{extend}"
        );
        assert_eq!(plain_question(ActionKind::Ship, &o, None), None);
        assert_eq!(
            plain_action(ActionKind::TriggerSendOut, "i".into(), Some("cap_1")),
            Some(OrderAction::TriggerSendOut {
                intent_id: "i".into(),
                shipment_id: "cap_1".into()
            })
        );
        assert_eq!(
            plain_action(ActionKind::TriggerSendOut, "i".into(), None),
            None
        );
    }

    #[test]
    fn a_due_date_extension_is_one_of_the_offered_options() {
        let options = [
            DueDateOption {
                days: 7,
                fee: eur(100),
            },
            DueDateOption {
                days: 14,
                fee: eur(200),
            },
        ];
        assert!(due_date_extension("i".into(), "cap_1", &options, "").is_err());
        assert!(due_date_extension("i".into(), "cap_1", &options, "30").is_err());
        let (action, option) = due_date_extension("i".into(), "cap_1", &options, "14").unwrap();
        assert_eq!(option.fee, eur(200));
        assert_eq!(
            action,
            OrderAction::ExtendDueDate {
                intent_id: "i".into(),
                shipment_id: "cap_1".into(),
                days: 14
            }
        );
    }
}
