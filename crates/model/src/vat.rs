use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Money, MoneyError};

/// A VAT rate in hundredths of a percent: 21% is `VatRate(2100)`, 9.5% is `VatRate(950)`.
///
/// Mollie sends and expects it as a string with two decimals (`"21.00"`); that is this type's
/// `Display` and serde form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VatRate(u32);

impl VatRate {
    /// Rates above this are refused: no tax system has them, and it keeps arithmetic far from overflow.
    pub const MAX_BASIS_POINTS: u32 = 10_000;

    pub fn from_basis_points(bp: u32) -> Result<Self, VatRateError> {
        if bp > Self::MAX_BASIS_POINTS {
            Err(VatRateError::TooHigh)
        } else {
            Ok(Self(bp))
        }
    }

    /// Hundredths of a percent (2100 for 21%).
    pub const fn basis_points(self) -> u32 {
        self.0
    }

    /// The VAT contained in a VAT-inclusive amount: `total × rate / (100 + rate)`, rounded to the
    /// currency's minor unit, half away from zero (Mollie's rule; exact ties are rare and
    /// unconfirmed, half-up is what every observed example agrees with).
    pub fn vat_included_in(self, total: Money) -> Money {
        let numerator = i128::from(total.minor) * i128::from(self.0);
        let denominator = 10_000i128 + i128::from(self.0);
        Money::new(
            div_round_half_away(numerator, denominator) as i64,
            total.currency,
        )
    }
}

/// Integer division rounding half away from zero. `d` must be positive.
fn div_round_half_away(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d {
        q + n.signum()
    } else {
        q
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VatRateError {
    #[error("The VAT rate cannot be negative.")]
    Negative,
    #[error("The VAT rate should be a number with at most two decimals.")]
    Invalid,
    #[error("The VAT rate cannot be higher than 100%.")]
    TooHigh,
}

impl FromStr for VatRate {
    type Err = VatRateError;

    /// Accepts `21`, `21.0`, `21.00`, `9.5`, `9,5`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.starts_with('-') {
            return Err(VatRateError::Negative);
        }
        let as_money = Money::parse_major(s, crate::Currency::EUR).map_err(|e| match e {
            MoneyError::Overflow => VatRateError::TooHigh,
            _ => VatRateError::Invalid,
        })?;
        let bp = u32::try_from(as_money.minor).map_err(|_| VatRateError::TooHigh)?;
        Self::from_basis_points(bp)
    }
}

impl fmt::Display for VatRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl TryFrom<String> for VatRate {
    type Error = VatRateError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<VatRate> for String {
    fn from(r: VatRate) -> Self {
        r.to_string()
    }
}

/// On the wire a rate is its `Display` form, a string with two decimals, not the number
/// inside (see the type's serde attributes).
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for VatRate {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "A VAT rate in percent, 0 to 100: answers write two decimals (`21.00`); \
                 requests may also send `21`, `9.5` or `9,5`.",
            ))
            .examples(["21.00"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for VatRate {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency::EUR;

    fn rate(s: &str) -> VatRate {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_prints_two_decimals() {
        assert_eq!(rate("21").to_string(), "21.00");
        assert_eq!(rate("9.5").to_string(), "9.50");
        assert_eq!(rate("0,00").basis_points(), 0);
        assert_eq!("-1".parse::<VatRate>(), Err(VatRateError::Negative));
        assert_eq!("21.005".parse::<VatRate>(), Err(VatRateError::Invalid));
        assert_eq!("abc".parse::<VatRate>(), Err(VatRateError::Invalid));
        assert_eq!("100.01".parse::<VatRate>(), Err(VatRateError::TooHigh));
    }

    #[test]
    fn vat_matches_mollie_examples() {
        // Values observed in Mollie's docs and in real error messages.
        let cases = [
            (69_800, "21.00", 12_114),
            (32_999, "21.00", 5_727),
            (3_120, "21.00", 541),
            (-3_650, "20.00", -608),
            (-390, "21.00", -68),
            (1_999, "21.00", 347),
            (125_625, "0.00", 0),
        ];
        for (total, r, vat) in cases {
            assert_eq!(
                rate(r).vat_included_in(Money::new(total, EUR)).minor,
                vat,
                "{total} at {r}"
            );
        }
    }

    #[test]
    fn exact_half_rounds_away_from_zero() {
        // At 100% the VAT is half the total, so odd totals are exact ties.
        let full = VatRate::from_basis_points(10_000).unwrap();
        assert_eq!(full.vat_included_in(Money::new(1, EUR)).minor, 1);
        assert_eq!(full.vat_included_in(Money::new(-1, EUR)).minor, -1);
        assert_eq!(full.vat_included_in(Money::new(3, EUR)).minor, 2);
    }
}
