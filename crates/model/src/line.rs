//! Order-line arithmetic, exactly as Mollie checks it:
//! `totalAmount = unitPrice × quantity − discountAmount`,
//! `vatAmount = totalAmount × vatRate / (100 + vatRate)` (rounded), order amount = Σ totals.

use crate::{Currency, Money, MoneyError, VatRate};

/// The amounts of one order line derived from its inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineAmounts {
    /// `unitPrice × quantity − discount`, VAT included.
    pub total: Money,
    /// The VAT contained in `total`.
    pub vat: Money,
}

impl LineAmounts {
    pub fn compute(
        unit_price: Money,
        quantity: u32,
        discount: Option<Money>,
        vat_rate: VatRate,
    ) -> Result<Self, MoneyError> {
        let gross = unit_price.checked_mul(i64::from(quantity))?;
        let total = match discount {
            Some(d) => gross.checked_sub(d)?,
            None => gross,
        };
        Ok(Self {
            total,
            vat: vat_rate.vat_included_in(total),
        })
    }
}

/// The amount of `quantity` out of `available` remaining units of a line worth `rest`
/// together: their share, rounded toward zero. Mollie needs an explicit amount to ship, refund
/// or cancel part of a discounted line, between `rest − unitPrice × (available − quantity)`
/// and `unitPrice × quantity` (and within `rest`); the share always lies there (see the
/// property test), so staff never have to work it out. `None` when `quantity` is 0 or more
/// than `available`.
pub fn share_of_rest(rest: Money, quantity: u32, available: u32) -> Option<Money> {
    if quantity == 0 || quantity > available {
        return None;
    }
    let share = i128::from(rest.minor) * i128::from(quantity) / i128::from(available);
    // |share| ≤ |rest|, so it fits in i64.
    i64::try_from(share)
        .ok()
        .map(|minor| Money::new(minor, rest.currency))
}

/// The order amount: the sum of the line totals.
pub fn order_total(
    currency: Currency,
    lines: impl IntoIterator<Item = LineAmounts>,
) -> Result<Money, MoneyError> {
    Money::sum(currency, lines.into_iter().map(|l| l.total))
}

/// The VAT of a whole order: the sum of the lines' VAT.
pub fn order_vat(
    currency: Currency,
    lines: impl IntoIterator<Item = LineAmounts>,
) -> Result<Money, MoneyError> {
    Money::sum(currency, lines.into_iter().map(|l| l.vat))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Currency::EUR;

    fn eur(minor: i64) -> Money {
        Money::new(minor, EUR)
    }

    #[test]
    fn mollie_documentation_example() {
        let rate: VatRate = "21.00".parse().unwrap();
        let bugatti = LineAmounts::compute(eur(39_900), 2, Some(eur(10_000)), rate).unwrap();
        assert_eq!((bugatti.total, bugatti.vat), (eur(69_800), eur(12_114)));
        let porsche = LineAmounts::compute(eur(32_999), 1, None, rate).unwrap();
        assert_eq!((porsche.total, porsche.vat), (eur(32_999), eur(5_727)));
        assert_eq!(order_total(EUR, [bugatti, porsche]).unwrap(), eur(102_799));
    }

    #[test]
    fn one_of_two_discounted_hoodies() {
        // 2 × €59.00 − €5.00 = €113.00; one is worth €56.50 (Mollie accepts €54.00–€59.00).
        assert_eq!(share_of_rest(eur(11_300), 1, 2), Some(eur(5_650)));
        assert_eq!(share_of_rest(eur(11_300), 2, 2), Some(eur(11_300)));
        assert_eq!(share_of_rest(eur(11_300), 3, 2), None);
        assert_eq!(share_of_rest(eur(11_300), 0, 2), None);
    }

    #[test]
    fn discount_lines_are_negative_with_negative_vat() {
        let line = LineAmounts::compute(eur(-390), 1, None, "21".parse().unwrap()).unwrap();
        assert_eq!((line.total, line.vat), (eur(-390), eur(-68)));
    }

    #[test]
    fn zero_decimal_currency() {
        let jpy = |m| Money::new(m, Currency::JPY);
        let line =
            LineAmounts::compute(jpy(1_980), 3, Some(jpy(100)), "10".parse().unwrap()).unwrap();
        assert_eq!((line.total, line.vat), (jpy(5_840), jpy(531)));
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        let r = LineAmounts::compute(
            eur(i64::MAX / 2),
            3,
            None,
            VatRate::from_basis_points(0).unwrap(),
        );
        assert_eq!(r, Err(MoneyError::Overflow));
    }
}
