//! The largest amounts and quantities Kassa accepts, checked in this one place by everything
//! that prices or validates an order line: the app's live form and the proxy (through
//! [`crate::api::NewLine::price`] and [`crate::api::NewOrder::price`]) and the sandbox
//! (through [`crate::validate::create_order`]).
//!
//! - Amounts: at most 100,000,000 minor units (€1,000,000.00; ¥100,000,000), either sign for
//!   unit prices (discount lines are negative). Klarna's Order Management API documents that
//!   maximum for every amount (its newest spec allows twice as much); Mollie's Orders API
//!   documents none in our reference, so Kassa uses Klarna's for both: an order one provider
//!   would refuse is refused before it reaches any.
//! - Quantities: at most 100,000 per line, the maximum of Klarna's 2020 spec.
//!
//! With both bounds, `unit price × quantity` stays below 10^13 minor units, far inside `i64`:
//! the line arithmetic cannot overflow on anything that passed.

use crate::{Currency, Money};

/// The largest amount, in minor units: a unit price, a discount, a line total or an order total.
pub const MAX_AMOUNT_MINOR: i64 = 100_000_000;

/// The largest quantity of one line.
pub const MAX_QUANTITY: u32 = 100_000;

/// Which maximum an order line or order broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exceeded {
    Quantity,
    UnitPrice,
    Discount,
    LineTotal,
    OrderTotal,
}

impl Exceeded {
    /// What to tell the person, with the maximum written in `currency`.
    pub fn message(self, currency: Currency) -> String {
        let max = Money::new(MAX_AMOUNT_MINOR, currency).display();
        match self {
            Self::Quantity => format!(
                "The quantity can be at most {}.",
                crate::money::group_thousands(&MAX_QUANTITY.to_string())
            ),
            Self::UnitPrice => format!(
                "The unit price can be at most {max} (and a discount line at least -{max})."
            ),
            Self::Discount => format!("The discount can be at most {max}."),
            Self::LineTotal => format!("A line's total can be at most {max}."),
            Self::OrderTotal => format!("The order total can be at most {max}."),
        }
    }
}

/// A line's inputs, checked before any arithmetic is done with them.
pub fn line_inputs(
    quantity: u64,
    unit_price: Money,
    discount: Option<Money>,
) -> Result<(), Exceeded> {
    if quantity > u64::from(MAX_QUANTITY) {
        return Err(Exceeded::Quantity);
    }
    if !within(unit_price) {
        return Err(Exceeded::UnitPrice);
    }
    if discount.is_some_and(|d| !within(d)) {
        return Err(Exceeded::Discount);
    }
    Ok(())
}

/// A line's total (unit price × quantity − discount).
pub fn line_total(total: Money) -> Result<(), Exceeded> {
    if within(total) {
        Ok(())
    } else {
        Err(Exceeded::LineTotal)
    }
}

/// An order's amount (the sum of its lines' totals).
pub fn order_total(amount: Money) -> Result<(), Exceeded> {
    if within(amount) {
        Ok(())
    } else {
        Err(Exceeded::OrderTotal)
    }
}

/// Whether an amount of either sign is within the maximum.
pub fn within(amount: Money) -> bool {
    amount.minor.unsigned_abs() <= MAX_AMOUNT_MINOR.unsigned_abs()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Currency::{EUR, JPY};

    #[test]
    fn the_bounds_are_inclusive() {
        let eur = |m| Money::new(m, EUR);
        assert_eq!(
            line_inputs(100_000, eur(MAX_AMOUNT_MINOR), Some(eur(1))),
            Ok(())
        );
        assert_eq!(line_inputs(1, eur(-MAX_AMOUNT_MINOR), None), Ok(()));
        assert_eq!(line_inputs(100_001, eur(1), None), Err(Exceeded::Quantity));
        assert_eq!(
            line_inputs(1, eur(MAX_AMOUNT_MINOR + 1), None),
            Err(Exceeded::UnitPrice)
        );
        assert_eq!(
            line_inputs(1, eur(i64::MIN), None),
            Err(Exceeded::UnitPrice)
        );
        assert_eq!(
            line_inputs(1, eur(1), Some(eur(MAX_AMOUNT_MINOR + 1))),
            Err(Exceeded::Discount)
        );
        assert_eq!(
            line_total(eur(MAX_AMOUNT_MINOR + 1)),
            Err(Exceeded::LineTotal)
        );
        assert_eq!(order_total(eur(MAX_AMOUNT_MINOR)), Ok(()));
    }

    #[test]
    fn messages_name_the_maximum_in_the_currency() {
        assert_eq!(
            Exceeded::OrderTotal.message(EUR),
            "The order total can be at most €1,000,000.00."
        );
        assert_eq!(
            Exceeded::Discount.message(JPY),
            "The discount can be at most ¥100,000,000."
        );
        assert_eq!(
            Exceeded::Quantity.message(EUR),
            "The quantity can be at most 100,000."
        );
    }
}
