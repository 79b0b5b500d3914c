//! `NewOrder::validate_all`: every problem of a staff order at once, in the order the form
//! shows the fields, and `NewOrder::price` naming the first of them (the proxy's one error).
use crate::common::address;
use kassa_model::api::{Address, NewLine, NewOrder};
use kassa_model::Currency;
use proptest::prelude::*;

fn line() -> NewLine {
    NewLine {
        name: "Thing".into(),
        sku: None,
        quantity: 1,
        unit_price: 1000,
        discount: 0,
        vat_rate: "21".parse().expect("a valid rate"),
    }
}

fn order(lines: usize) -> NewOrder {
    NewOrder {
        currency: Currency::EUR,
        locale: "nl_NL".into(),
        order_number: None,
        billing_address: address(),
        lines: vec![line(); lines],
        method: None,
    }
}

fn fields(order: &NewOrder) -> Vec<String> {
    order.validate_all().into_iter().map(|e| e.field).collect()
}

/// Every independent way to break one field, in form order, with the field it names:
/// order details, then the address, then line 0, line 1 (the form's top-to-bottom order).
type Breakage = (fn(&mut NewOrder), &'static str);
const BREAKAGES: [Breakage; 14] = [
    (|o| o.locale = "xx_XX".into(), "locale"),
    (|o| o.order_number = Some("x".repeat(101)), "orderNumber"),
    (|o| o.method = Some("iDEAL!".into()), "method"),
    (
        |o| o.billing_address.given_name = None,
        "billingAddress.givenName",
    ),
    (
        |o| o.billing_address.family_name = Some("1".into()),
        "billingAddress.familyName",
    ),
    (
        |o| o.billing_address.email = Some("ada".into()),
        "billingAddress.email",
    ),
    (
        |o| o.billing_address.street_and_number = None,
        "billingAddress.streetAndNumber",
    ),
    (
        |o| o.billing_address.postal_code = Some(" ".into()),
        "billingAddress.postalCode",
    ),
    (|o| o.billing_address.city = None, "billingAddress.city"),
    (
        |o| o.billing_address.country = Some("Germany".into()),
        "billingAddress.country",
    ),
    (|o| o.lines[0].name = " ".into(), "lines.0.name"),
    (|o| o.lines[0].quantity = 0, "lines.0.quantity"),
    (|o| o.lines[1].sku = Some("s".repeat(65)), "lines.1.sku"),
    (|o| o.lines[1].discount = 5000, "lines.1.discount"),
];

#[test]
fn the_issue_example_reports_everything_with_the_address_before_the_lines() {
    let mut o = order(1);
    o.lines[0].name = String::new();
    o.billing_address = Address {
        country: Some("NL".into()),
        ..Address::default()
    };
    assert_eq!(
        fields(&o),
        [
            "billingAddress.givenName",
            "billingAddress.familyName",
            "billingAddress.email",
            "billingAddress.streetAndNumber",
            "billingAddress.postalCode",
            "billingAddress.city",
            "lines.0.name",
        ]
    );
    let first = o.price().expect_err("invalid order");
    assert_eq!(first.field, "billingAddress.givenName");
    assert_eq!(first, o.validate_all()[0]);
}

#[test]
fn a_valid_order_has_no_problems() {
    let o = order(2);
    assert!(o.validate_all().is_empty());
    assert_eq!(o.price().expect("valid").amount.minor, 2000);
}

#[test]
fn order_totals_are_checked_once_the_lines_price() {
    let mut o = order(1);
    o.lines[0].unit_price = 0;
    o.billing_address.city = None;
    assert_eq!(fields(&o), ["billingAddress.city", "lines"]);
    // A line that cannot be priced leaves the totals unknown, so nothing is said about them.
    o.lines[0].quantity = 0;
    assert_eq!(fields(&o), ["billingAddress.city", "lines.0.quantity"]);
    o.lines.clear();
    assert_eq!(fields(&o), ["billingAddress.city", "lines"]);
}

proptest! {
    /// Any combination of broken fields is reported completely, once each, in form order; and
    /// `price` (what the proxy answers with) names the first.
    #[test]
    fn every_problem_is_reported_in_form_order(mask in 0u32..(1 << BREAKAGES.len())) {
        let mut o = order(2);
        let mut expected = Vec::new();
        for (bit, (break_it, field)) in BREAKAGES.iter().enumerate() {
            if mask & (1 << bit) != 0 {
                break_it(&mut o);
                expected.push(field.to_string());
            }
        }
        prop_assert_eq!(fields(&o), expected.clone());
        match expected.first() {
            None => prop_assert!(o.price().is_ok()),
            Some(first) => prop_assert_eq!(&o.price().expect_err("invalid").field, first),
        }
    }
}
