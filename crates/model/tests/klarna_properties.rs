//! Property tests of Klarna's arithmetic and checks.
use kassa_model::klarna::arithmetic::{
    line_total, order_amount, order_line, order_tax_amount, tax_within_tolerance,
};
use kassa_model::klarna::om::OrderLine;
use kassa_model::klarna::payments::SessionCreate;
use kassa_model::klarna::validate;
use kassa_model::{Currency, Money, MoneyError, VatRate};
use num_bigint::BigInt;
use num_integer::Integer;
use proptest::prelude::*;

fn vat_rate() -> impl Strategy<Value = VatRate> {
    prop_oneof![
        prop::sample::select(vec![0u32, 600, 700, 1900, 2000, 2100, 2500, 10_000]),
        0u32..=10_000,
    ]
    .prop_map(|bp| VatRate::from_basis_points(bp).unwrap())
}

/// Amounts near zero, ordinary ones and the extremes of i64.
fn amount() -> impl Strategy<Value = i64> {
    prop_oneof![
        -1_000i64..1_000,
        -100_000_000i64..=100_000_000,
        any::<i64>()
    ]
}

/// The integers within 1 of `total × rate / (10000 + rate)`, computed as an exact rational
/// with big integers: `ceil(e) − 1 ..= floor(e) + 1`.
fn accepted_taxes(total: i64, rate: VatRate) -> (BigInt, BigInt) {
    let n = BigInt::from(total) * BigInt::from(rate.basis_points());
    let d = BigInt::from(10_000 + rate.basis_points());
    let floor = n.div_floor(&d);
    let ceil = -(-n).div_floor(&d);
    (ceil - 1, floor + 1)
}

fn within(tax: i64, bounds: &(BigInt, BigInt)) -> bool {
    let t = BigInt::from(tax);
    bounds.0 <= t && t <= bounds.1
}

proptest! {
    /// The model's VAT (nearest minor unit, half away from zero) is always within Klarna's ±1,
    /// for every i64 total: the reason Kassa's lines never meet `Bad value: …total_tax_amount`.
    #[test]
    fn the_models_vat_always_passes_klarnas_tax_check(total in amount(), rate in vat_rate()) {
        let vat = rate.vat_included_in(Money::new(total, Currency::EUR)).minor;
        prop_assert!(tax_within_tolerance(total, rate, vat));
        prop_assert!(within(vat, &accepted_taxes(total, rate)));
    }

    /// The integer check accepts exactly the taxes within 1 of the exact rational tax.
    #[test]
    fn the_tax_check_accepts_exactly_the_values_within_one(
        total in amount(),
        rate in vat_rate(),
        delta in -3i64..=3,
        anywhere in any::<i64>(),
    ) {
        let bounds = accepted_taxes(total, rate);
        let n = BigInt::from(total) * BigInt::from(rate.basis_points());
        let d = BigInt::from(10_000 + rate.basis_points());
        // floor(e) fits in i64: |e| ≤ |total| / 2.
        let centre = i64::try_from(n.div_floor(&d)).unwrap();
        for tax in [centre.saturating_add(delta), anywhere] {
            prop_assert_eq!(
                tax_within_tolerance(total, rate, tax),
                within(tax, &bounds),
                "tax {} of {} at {}", tax, total, rate
            );
        }
        // Two or three integers are accepted: three when the exact tax is an integer.
        let count = &bounds.1 - &bounds.0 + 1;
        prop_assert!(count == BigInt::from(2) || count == BigInt::from(3));
    }

    /// `quantity × unit_price − discount` is exact or an overflow error, never a wrapped value.
    #[test]
    fn line_totals_never_wrap(quantity in amount(), unit in amount(), discount in amount()) {
        let exact = i128::from(quantity) * i128::from(unit) - i128::from(discount);
        match line_total(quantity, unit, discount) {
            Ok(t) => prop_assert_eq!(i128::from(t), exact),
            Err(e) => {
                prop_assert_eq!(e, MoneyError::Overflow);
                prop_assert!(i64::try_from(exact).is_err());
            }
        }
    }

    /// Order sums are exact or an overflow error.
    #[test]
    fn order_sums_never_overflow_silently(totals in prop::collection::vec(amount(), 0..8)) {
        let lines: Vec<OrderLine> = totals
            .iter()
            .map(|&t| OrderLine { total_amount: Some(t), total_tax_amount: Some(t), ..OrderLine::default() })
            .collect();
        let exact: i128 = totals.iter().map(|&t| i128::from(t)).sum();
        let expected = i64::try_from(exact).map_err(|_| MoneyError::Overflow);
        prop_assert_eq!(order_amount(&lines), expected.clone());
        prop_assert_eq!(order_tax_amount(&lines), expected);
    }

    /// A cart of lines made by `order_line` passes every Klarna Payments check (line totals
    /// stay below 10^7, so seven of them stay within the order maximum); making one line's
    /// tax 2 off (outside ±1 of the exact tax, since the model's is within ½) names exactly
    /// that line; an order tax 1 off names `order_tax_amount`.
    #[test]
    fn carts_from_kassas_arithmetic_pass_and_a_wrong_tax_is_named(
        inputs in prop::collection::vec((0i64..100_000, 0u32..100, 0i64..1_000, vat_rate()), 1..8),
        wrong in any::<prop::sample::Index>(),
        up in any::<bool>(),
    ) {
        let c = Currency::SEK;
        let lines: Vec<OrderLine> = inputs
            .iter()
            .enumerate()
            .map(|(i, &(unit, qty, discount, rate))| {
                let discount = discount.min(unit * i64::from(qty));
                let line = order_line(format!("Item {i}"), Money::new(unit, c), qty, Some(Money::new(discount, c)), rate)
                    .unwrap();
                let total = line.total_amount.unwrap();
                prop_assert!(tax_within_tolerance(total, rate, line.total_tax_amount.unwrap()));
                Ok(line)
            })
            .collect::<Result<_, _>>()?;
        let mut session = SessionCreate {
            purchase_country: Some("SE".into()),
            purchase_currency: Some("SEK".into()),
            locale: Some("sv-SE".into()),
            order_amount: Some(order_amount(&lines).unwrap()),
            order_tax_amount: Some(order_tax_amount(&lines).unwrap()),
            order_lines: Some(lines),
            ..SessionCreate::default()
        };
        let valid = validate::cart(&session).unwrap();
        prop_assert_eq!(validate::cart_mismatch(&valid, &valid), None);

        let mut off_order = session.clone();
        off_order.order_tax_amount = off_order.order_tax_amount.map(|t| t + 1);
        prop_assert_eq!(validate::cart(&off_order).unwrap_err().to_string(), "Bad value: order_tax_amount");

        let lines = session.order_lines.as_mut().unwrap();
        let k = wrong.index(lines.len());
        let step = if up { 2 } else { -2 };
        // The order tax stays as it was: lines are checked before the order's sums.
        lines[k].total_tax_amount = lines[k].total_tax_amount.map(|t| t + step);
        prop_assert_eq!(
            validate::cart(&session).unwrap_err().to_string(),
            format!("Bad value: order_lines[{k}].total_tax_amount")
        );
    }
}
