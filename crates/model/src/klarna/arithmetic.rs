//! Klarna's order-line arithmetic (reference §5.4), on the model's money and VAT:
//!
//! - `total_amount = quantity × unit_price − total_discount_amount`;
//! - `total_tax_amount` within ±1 of `total_amount − total_amount × 10000 / (10000 + tax_rate)`,
//!   which is `total_amount × tax_rate / (10000 + tax_rate)`, the VAT contained in the total;
//! - `order_amount = Σ total_amount`, `order_tax_amount = Σ total_tax_amount`.
//!
//! Lines Kassa sends are made by [`order_line`] with [`LineAmounts::compute`], whose VAT is
//! the nearest minor unit and so always within Klarna's ±1 (property-tested).

use crate::klarna::om::OrderLine;
use crate::{LineAmounts, Money, MoneyError, VatRate};

/// How far `total_tax_amount` may be from the exact tax, in minor units.
pub const TAX_TOLERANCE: i64 = 1;

/// `quantity × unit_price − total_discount_amount`, or [`MoneyError::Overflow`].
pub fn line_total(
    quantity: i64,
    unit_price: i64,
    total_discount_amount: i64,
) -> Result<i64, MoneyError> {
    // In i128, so a product just past i64 that the discount brings back is still exact
    // (|i64 × i64| < 2^126).
    let exact = i128::from(quantity) * i128::from(unit_price) - i128::from(total_discount_amount);
    i64::try_from(exact).map_err(|_| MoneyError::Overflow)
}

/// Whether `total_tax_amount` is within ±1 of the tax contained in `total_amount` at
/// `tax_rate`, decided exactly in integers: with `d = 10000 + rate`, the exact tax is
/// `total × rate / d`, so the rule is `|tax × d − total × rate| ≤ d`. Every product fits in
/// i128 (|i64| × 20000 < 2^79).
pub fn tax_within_tolerance(total_amount: i64, tax_rate: VatRate, total_tax_amount: i64) -> bool {
    let rate = i128::from(tax_rate.basis_points());
    let d = 10_000 + rate;
    let off = i128::from(total_tax_amount) * d - i128::from(total_amount) * rate;
    off.abs() <= i128::from(TAX_TOLERANCE) * d
}

/// A Klarna order line for Kassa's inputs: unit price including tax, quantity, an optional
/// discount (including tax, not negative) and the VAT rate. The totals come from
/// [`LineAmounts::compute`]; `name` is set, every other field is left for the caller
/// (`kind`, `reference`, …).
pub fn order_line(
    name: impl Into<String>,
    unit_price: Money,
    quantity: u32,
    discount: Option<Money>,
    vat_rate: VatRate,
) -> Result<OrderLine, MoneyError> {
    let amounts = LineAmounts::compute(unit_price, quantity, discount, vat_rate)?;
    Ok(OrderLine {
        name: Some(name.into()),
        quantity: Some(i64::from(quantity)),
        unit_price: Some(unit_price.minor),
        total_discount_amount: Some(discount.map_or(0, |d| d.minor)),
        tax_rate: Some(i64::from(vat_rate.basis_points())),
        total_amount: Some(amounts.total.minor),
        total_tax_amount: Some(amounts.vat.minor),
        ..OrderLine::default()
    })
}

/// `order_amount`: Σ `total_amount` of the lines (a line without one counts 0).
pub fn order_amount(lines: &[OrderLine]) -> Result<i64, MoneyError> {
    checked_sum(lines.iter().map(|l| l.total_amount.unwrap_or(0)))
}

/// `order_tax_amount`: Σ `total_tax_amount` of the lines (a line without one counts 0).
pub fn order_tax_amount(lines: &[OrderLine]) -> Result<i64, MoneyError> {
    checked_sum(lines.iter().map(|l| l.total_tax_amount.unwrap_or(0)))
}

/// Σ of minor units: exact whenever the sum fits in i64 (the running sum is i128, so lines
/// in an order that only overflow on the way do not fail), [`MoneyError::Overflow`] when it
/// does not — never a wrapped value.
pub fn checked_sum(amounts: impl IntoIterator<Item = i64>) -> Result<i64, MoneyError> {
    let sum = amounts
        .into_iter()
        .try_fold(0i128, |acc, a| acc.checked_add(i128::from(a)))
        .ok_or(MoneyError::Overflow)?;
    i64::try_from(sum).map_err(|_| MoneyError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency::SEK;

    fn rate(bp: u32) -> VatRate {
        VatRate::from_basis_points(bp).unwrap()
    }

    #[test]
    fn klarnas_worked_examples() {
        // 6000 at 25 %: 6000 − 6000 × 10000 / 12500 = 1200 exactly.
        assert!(tax_within_tolerance(6000, rate(2500), 1200));
        assert!(tax_within_tolerance(6000, rate(2500), 1199));
        assert!(tax_within_tolerance(6000, rate(2500), 1201));
        assert!(!tax_within_tolerance(6000, rate(2500), 1202));
        // 9900 at 19 %: 1580.67, so 1580 and 1581 (and 1579.67 < 1580 … 1581.67) pass.
        assert!(tax_within_tolerance(9900, rate(1900), 1581));
        assert!(tax_within_tolerance(9900, rate(1900), 1580));
        assert!(!tax_within_tolerance(9900, rate(1900), 1579));
        assert!(!tax_within_tolerance(9900, rate(1900), 1582));
        // 495 at 7 %: 32.38; 41 was refused by Klarna.
        assert!(!tax_within_tolerance(495, rate(700), 41));
        assert!(tax_within_tolerance(495, rate(700), 32));
        // Discount lines: negative totals, negative tax.
        assert!(tax_within_tolerance(-1000, rate(2500), -200));
        assert!(!tax_within_tolerance(-1000, rate(2500), 200));
        // The spec's own example line: 1 × 2500 − 500 = 2000 at 20 %, tax 333 (333.33).
        assert_eq!(line_total(1, 2500, 500), Ok(2000));
        assert!(tax_within_tolerance(2000, rate(2000), 333));
    }

    #[test]
    fn the_update_authorization_example_is_made_by_kassas_arithmetic() {
        // Klarna's docs: 10 kg of tomatoes at 6.00, 25 % → 6000, tax 1200.
        let line = order_line("Tomatoes", Money::new(600, SEK), 10, None, rate(2500)).unwrap();
        assert_eq!(line.total_amount, Some(6000));
        assert_eq!(line.total_tax_amount, Some(1200));
        assert_eq!(line.total_discount_amount, Some(0));
        assert_eq!(line.tax_rate, Some(2500));
        assert_eq!(line.quantity, Some(10));
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        assert_eq!(line_total(i64::MAX, 2, 0), Err(MoneyError::Overflow));
        assert_eq!(line_total(1, i64::MIN, 1), Err(MoneyError::Overflow));
        // Only the product passes i64; the discount brings it back: exact (found by proptest).
        assert_eq!(line_total(4, -2_305_843_009_213_693_953, -4), Ok(i64::MIN));
        let big = OrderLine {
            total_amount: Some(i64::MAX),
            ..OrderLine::default()
        };
        assert_eq!(order_amount(&[big.clone(), big]), Err(MoneyError::Overflow));
        assert_eq!(order_tax_amount(&[]), Ok(0));
        // Only the running sum overflows: still exact.
        assert_eq!(checked_sum([i64::MAX, 1, -1]), Ok(i64::MAX));
        assert_eq!(
            order_line("x", Money::new(i64::MAX, SEK), 2, None, rate(0)),
            Err(MoneyError::Overflow)
        );
    }
}
