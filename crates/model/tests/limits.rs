//! The maxima of `kassa_model::limits`, as every caller meets them: staff orders priced with
//! `NewOrder::price` (the app's form, the proxy) and provider bodies checked by
//! `validate::create_order` (the sandbox).
use crate::common::address;
use kassa_model::api::{NewLine, NewOrder};
use kassa_model::limits::{MAX_AMOUNT_MINOR, MAX_QUANTITY};
use kassa_model::mollie::{CreateLine, CreateOrder, MollieAmount};
use kassa_model::{validate, Currency, LineAmounts, Money, VatRate};
use proptest::prelude::*;

fn staff_order(quantity: u32, unit_price: i64, discount: i64) -> NewOrder {
    NewOrder {
        currency: Currency::EUR,
        locale: "nl_NL".into(),
        order_number: None,
        billing_address: address(),
        lines: vec![NewLine {
            name: "Thing".into(),
            sku: None,
            quantity,
            unit_price,
            discount,
            vat_rate: "21".parse().unwrap(),
        }],
        method: None,
    }
}

/// A provider body for one line, with every amount computed (so only the maxima can fail).
fn provider_order(quantity: i64, unit_price: i64) -> CreateOrder {
    let c = Currency::EUR;
    let rate = VatRate::from_basis_points(2100).unwrap();
    let unit = Money::new(unit_price, c);
    let amounts = u32::try_from(quantity)
        .ok()
        .and_then(|q| LineAmounts::compute(unit, q, None, rate).ok());
    let total = amounts.map_or(Money::zero(c), |a| a.total);
    CreateOrder {
        amount: Some(MollieAmount::from(total)),
        order_number: Some("1".into()),
        locale: Some("en_US".into()),
        redirect_url: Some("https://example.org".into()),
        billing_address: Some(address()),
        lines: vec![CreateLine {
            name: Some("Thing".into()),
            quantity: Some(quantity),
            unit_price: Some(unit.into()),
            total_amount: Some(total.into()),
            vat_rate: Some(rate.to_string()),
            vat_amount: Some(amounts.map_or(Money::zero(c), |a| a.vat).into()),
            ..CreateLine::default()
        }],
        ..CreateOrder::default()
    }
}

proptest! {
    /// Within both maxima a line prices, unless its total passes the amount maximum; past
    /// either, the error names the field that broke it, in words.
    #[test]
    fn staff_lines_are_priced_within_the_maxima_and_refused_past_them(
        quantity in prop_oneof![1u32..=1_000, 1u32..=200_000, 1u32..=u32::MAX],
        unit_price in prop_oneof![1i64..=100_000, 1i64..=200_000_000, 1i64..=i64::MAX],
    ) {
        let result = staff_order(quantity, unit_price, 0).price();
        if quantity > MAX_QUANTITY {
            let e = result.unwrap_err();
            prop_assert_eq!(e.field, "lines.0.quantity");
            prop_assert_eq!(e.message, "The quantity can be at most 100,000.");
        } else if unit_price > MAX_AMOUNT_MINOR
            || i128::from(unit_price) * i128::from(quantity) > i128::from(MAX_AMOUNT_MINOR)
        {
            let e = result.unwrap_err();
            prop_assert_eq!(e.field, "lines.0.unitPrice");
            prop_assert!(e.message.contains("€1,000,000.00"), "{}", e.message);
        } else {
            prop_assert_eq!(
                result.unwrap().amount.minor,
                unit_price * i64::from(quantity)
            );
        }
    }

    /// The sandbox's validation of provider bodies applies the same maxima.
    #[test]
    fn provider_bodies_are_held_to_the_same_maxima(
        quantity in prop_oneof![1i64..=1_000, 1i64..=200_000, 1i64..=i64::MAX],
        unit_price in prop_oneof![1i64..=100_000, 1i64..=200_000_000, 1i64..=i64::MAX],
    ) {
        let result = validate::create_order(&provider_order(quantity, unit_price));
        if quantity > i64::from(MAX_QUANTITY) {
            prop_assert_eq!(result.unwrap_err().field, "lines.0.quantity");
        } else if unit_price > MAX_AMOUNT_MINOR {
            prop_assert_eq!(result.unwrap_err().field, "lines.0.unitPrice");
        } else if i128::from(unit_price) * i128::from(quantity) > i128::from(MAX_AMOUNT_MINOR) {
            prop_assert_eq!(result.unwrap_err().field, "lines.0.totalAmount");
        } else {
            prop_assert!(result.is_ok(), "{result:?}");
        }
    }
}

#[test]
fn the_documented_examples() {
    // i64::MAX and u32::MAX were accepted before: the order came to ~€92 quadrillion.
    let e = staff_order(1, i64::MAX, 0).price().unwrap_err();
    assert_eq!(e.field, "lines.0.unitPrice");
    let e = staff_order(u32::MAX, 1, 0).price().unwrap_err();
    assert_eq!(e.field, "lines.0.quantity");
    // The exact maximum is fine, one more is not; a discount is held to it as well.
    assert!(staff_order(1, MAX_AMOUNT_MINOR, 0).price().is_ok());
    assert_eq!(
        staff_order(1, 10, MAX_AMOUNT_MINOR + 1)
            .price()
            .unwrap_err()
            .field,
        "lines.0.discount"
    );
    // Two lines each within the maximum, together past it.
    let mut two = staff_order(1, MAX_AMOUNT_MINOR, 0);
    two.lines.push(two.lines[0].clone());
    let e = two.price().unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.message.as_str()),
        ("lines", "The order total can be at most €1,000,000.00.")
    );
}

#[test]
fn orders_use_a_locale_mollies_checkout_speaks_and_a_plain_method_id() {
    let mut o = staff_order(1, 100, 0);
    for bad in ["zz_ZZ", "dutch", "nl-NL", ""] {
        o.locale = bad.into();
        assert_eq!(o.price().unwrap_err().field, "locale", "{bad}");
    }
    o.locale = "lt_LT".into();
    assert!(o.price().is_ok());
    for bad in ["x".repeat(10_000), "iDEAL".into(), "ideal;drop".into()] {
        o.method = Some(bad.clone());
        let e = o.price().unwrap_err();
        assert_eq!(e.field, "method");
        assert!(!e.message.contains(&bad), "the input is not echoed");
    }
    o.method = Some("przelewy24".into());
    assert!(o.price().is_ok());
}

#[test]
fn messages_never_repeat_long_input() {
    let long = "x".repeat(10_000);
    let e = validate::check_locale(&long).unwrap_err();
    assert!(e.message.len() < 120, "{}", e.message);
}
