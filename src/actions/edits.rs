//! Changes that leave what was shipped and paid alone: the order's details (Mollie: order
//! number and billing address; Klarna: the merchant references and the shipping address), a
//! line before payment, and a refund of an amount. Errors name the dialog's fields.

use kassa_model::api::{Address, LineView, OrderAction, OrderView};
use kassa_model::{validate, Currency, FieldError, Money};

use super::refundable_amount;
use crate::draft::{AddressDraft, FormError, LineDraft};
use crate::terms::terms;

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
    let number = changed_number(order, order_number)?;
    let address = changed_address(&order.billing_address, billing, "billingAddress")?;
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

/// `UpdateOrder` for a Klarna order, whose billing address Klarna does not let merchants
/// change: the merchant references and the shipping address (starting from the billing
/// address when the order has none), only what changed.
pub fn klarna_details_update(
    intent_id: String,
    order: &OrderView,
    order_number: &str,
    reference2: &str,
    shipping: &AddressDraft,
) -> Result<OrderAction, FormError> {
    let number = changed_number(order, order_number)?;
    let reference2 = reference2.trim();
    if reference2.chars().count() > 255 {
        return Err(FormError::Field(FieldError::new(
            "merchantReference2",
            "The second reference can be at most 255 characters.",
        )));
    }
    let reference2 = (reference2 != order.merchant_reference2.as_deref().unwrap_or(""))
        .then(|| reference2.to_owned());
    let current = order
        .shipping_address
        .clone()
        .unwrap_or_else(|| order.billing_address.clone());
    let address = changed_address(&current, shipping, "shippingAddress")?;
    if number.is_none() && reference2.is_none() && address.is_none() {
        return Err(FormError::Form("Nothing was changed.".to_owned()));
    }
    Ok(OrderAction::UpdateOrder {
        intent_id,
        billing_address: None,
        shipping_address: address,
        order_number: number,
        merchant_reference2: reference2,
    })
}

fn changed_number(order: &OrderView, typed: &str) -> Result<Option<String>, FormError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(FormError::Field(FieldError::new(
            "orderNumber",
            "Enter an order number.",
        )));
    }
    validate::order_number(typed).map_err(FormError::Field)?;
    Ok((typed != order.order_number).then(|| typed.to_owned()))
}

fn changed_address(
    current: &Address,
    typed: &AddressDraft,
    path: &str,
) -> Result<Option<Box<Address>>, FormError> {
    let address = typed.merge_into(current);
    if &address == current {
        return Ok(None);
    }
    validate::customer_address(&address, path).map_err(FormError::Field)?;
    Ok(Some(Box::new(address)))
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
    let max = terms(order.provider).description_max;
    if description.chars().count() > max {
        return Err(field(
            "description",
            format!("Use at most {max} characters."),
        ));
    }
    Ok(OrderAction::RefundAmount {
        intent_id,
        amount: Money::new(minor, left.currency),
        description: (!description.is_empty()).then(|| description.to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::*;
    use crate::fixtures::{eur, line, order};
    use kassa_model::api::*;

    fn klarna(mut o: OrderView) -> OrderView {
        o.provider = Provider::Klarna;
        o
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
    fn klarna_details_change_references_and_the_shipping_address_only() {
        let mut o = klarna(order(OrderStatus::Authorized, vec![]));
        o.billing_address = Address {
            given_name: Some("Piet".into()),
            family_name: Some("Mondriaan".into()),
            email: Some("piet@mondriaan.com".into()),
            street_and_number: Some("Keizersgracht 126".into()),
            postal_code: Some("1015 CW".into()),
            city: Some("Amsterdam".into()),
            country: Some("NL".into()),
            ..Address::default()
        };
        let same = AddressDraft::from_address(&o.billing_address);
        assert_eq!(
            klarna_details_update("i".into(), &o, "1337", "", &same),
            Err(FormError::Form("Nothing was changed.".into()))
        );
        let Ok(OrderAction::UpdateOrder {
            merchant_reference2,
            shipping_address,
            billing_address,
            order_number,
            ..
        }) = klarna_details_update("i".into(), &o, "1337", "PO-7", &same)
        else {
            panic!("a new reference is an update");
        };
        assert_eq!(merchant_reference2.as_deref(), Some("PO-7"));
        assert_eq!(
            (shipping_address, billing_address, order_number),
            (None, None, None)
        );
        let mut moved = same.clone();
        moved.city = "Utrecht".into();
        let Ok(OrderAction::UpdateOrder {
            shipping_address: Some(to),
            billing_address: None,
            ..
        }) = klarna_details_update("i".into(), &o, "1337", "", &moved)
        else {
            panic!("a new shipping city is an update");
        };
        assert_eq!(to.city.as_deref(), Some("Utrecht"));
        moved.email = "nope".into();
        let Err(FormError::Field(e)) = klarna_details_update("i".into(), &o, "1337", "", &moved)
        else {
            panic!("the address is checked");
        };
        assert_eq!(e.field, "shippingAddress.email");
    }
}
