use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Currency, MoneyError};

/// An amount of money: integer minor units (cents, or yen for JPY) and the currency.
///
/// Serialised as `{"minor": 1099, "currency": "EUR"}` on Kassa's own API; providers' decimal
/// formats are produced at the edge (see [`crate::MollieAmount`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub const fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    pub const fn zero(currency: Currency) -> Self {
        Self::new(0, currency)
    }

    pub fn checked_add(self, other: Self) -> Result<Self, MoneyError> {
        self.same_currency(other)?;
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Self::new(minor, self.currency))
    }

    pub fn checked_sub(self, other: Self) -> Result<Self, MoneyError> {
        self.same_currency(other)?;
        let minor = self
            .minor
            .checked_sub(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Self::new(minor, self.currency))
    }

    pub fn checked_mul(self, factor: i64) -> Result<Self, MoneyError> {
        let minor = self.minor.checked_mul(factor).ok_or(MoneyError::Overflow)?;
        Ok(Self::new(minor, self.currency))
    }

    /// Sums amounts of one currency; `None` for an empty iterator is avoided by starting at zero.
    pub fn sum<I: IntoIterator<Item = Money>>(
        currency: Currency,
        items: I,
    ) -> Result<Self, MoneyError> {
        items
            .into_iter()
            .try_fold(Self::zero(currency), |acc, m| acc.checked_add(m))
    }

    fn same_currency(self, other: Self) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch(self.currency, other.currency))
        }
    }

    /// Parses what a person typed: `12`, `12.5`, `12,50`, `-3.90`. At most the currency's number
    /// of decimals; no thousands separators (they are ambiguous between locales).
    pub fn parse_major(input: &str, currency: Currency) -> Result<Self, MoneyError> {
        let s = input.trim().replace(',', ".");
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.as_str()),
        };
        let (whole, frac) = match digits.split_once('.') {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        let max = currency.exponent();
        if frac.len() > max as usize {
            return Err(MoneyError::TooManyDecimals { max });
        }
        let minor = digits_to_minor(whole, frac, max, !digits.contains('.'))?;
        Ok(Self::new(if negative { -minor } else { minor }, currency))
    }

    /// Parses a provider's decimal string that must carry exactly the currency's number of
    /// decimals (`"10.00"` for EUR, `"1000"` for JPY), as Mollie requires.
    pub fn parse_exact(value: &str, currency: Currency) -> Result<Self, MoneyError> {
        let (negative, digits) = match value.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, value),
        };
        let exponent = currency.exponent();
        let (whole, frac) = match digits.split_once('.') {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        let has_point = digits.contains('.');
        if whole.is_empty() {
            return Err(MoneyError::NotANumber);
        }
        if frac.len() != exponent as usize || (exponent == 0 && has_point) {
            return Err(MoneyError::WrongDecimals { expected: exponent });
        }
        let minor = digits_to_minor(whole, frac, exponent, !has_point)?;
        Ok(Self::new(if negative { -minor } else { minor }, currency))
    }

    /// The plain decimal string with exactly the currency's decimals: `"1027.99"`, `"-0.68"`, `"1000"`.
    pub fn to_major_string(self) -> String {
        let exponent = self.currency.exponent();
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if exponent == 0 {
            return format!("{sign}{abs}");
        }
        let per = self.currency.minor_per_major().unsigned_abs();
        format!(
            "{sign}{}.{:0width$}",
            abs / per,
            abs % per,
            width = exponent as usize
        )
    }

    /// Human display as Mollie writes it in messages: `€1,027.99`, `-€0.68`, `CHF 5.00`.
    pub fn display(self) -> String {
        let plain = Money::new(self.minor.abs(), self.currency).to_major_string();
        let (whole, frac) = match plain.split_once('.') {
            Some((w, f)) => (w.to_owned(), format!(".{f}")),
            None => (plain.clone(), String::new()),
        };
        let grouped = group_thousands(&whole);
        let sign = if self.minor < 0 { "-" } else { "" };
        match self.currency.symbol() {
            "" => format!("{sign}{} {grouped}{frac}", self.currency.code()),
            symbol => format!("{sign}{symbol}{grouped}{frac}"),
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// Joins whole and fractional digit strings into minor units. `whole` may be empty only when a
/// fraction follows (".5"); both must be ASCII digits.
fn digits_to_minor(
    whole: &str,
    frac: &str,
    exponent: u32,
    no_point: bool,
) -> Result<i64, MoneyError> {
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && (frac.is_empty() || no_point))
        || !all_digits(whole)
        || !all_digits(frac)
        || (!no_point && frac.is_empty())
    {
        return Err(MoneyError::NotANumber);
    }
    let mut minor: i64 = 0;
    for b in whole.bytes().chain(frac.bytes()) {
        minor = minor
            .checked_mul(10)
            .and_then(|m| m.checked_add(i64::from(b - b'0')))
            .ok_or(MoneyError::Overflow)?;
    }
    let missing = exponent - frac.len() as u32;
    minor
        .checked_mul(10i64.pow(missing))
        .ok_or(MoneyError::Overflow)
}

/// `1234567` as `1,234,567`.
pub(crate) fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Currency::{EUR, JPY};

    #[test]
    fn parses_what_people_type() {
        assert_eq!(Money::parse_major("12", EUR).unwrap().minor, 1200);
        assert_eq!(Money::parse_major("12.5", EUR).unwrap().minor, 1250);
        assert_eq!(Money::parse_major(" 12,05 ", EUR).unwrap().minor, 1205);
        assert_eq!(Money::parse_major("-3.90", EUR).unwrap().minor, -390);
        assert_eq!(Money::parse_major(".5", EUR).unwrap().minor, 50);
        assert_eq!(Money::parse_major("1500", JPY).unwrap().minor, 1500);
    }

    #[test]
    fn rejects_what_is_not_money() {
        assert_eq!(
            Money::parse_major("1.234", EUR),
            Err(MoneyError::TooManyDecimals { max: 2 })
        );
        assert_eq!(
            Money::parse_major("15.5", JPY),
            Err(MoneyError::TooManyDecimals { max: 0 })
        );
        for bad in [
            "", "-", "abc", "1.2.3", "1e3", "12.", "1,000.00", "+5", "NaN",
        ] {
            assert!(Money::parse_major(bad, EUR).is_err(), "{bad:?} parsed");
        }
        assert_eq!(
            Money::parse_major("99999999999999999999", EUR),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn exact_parsing_demands_the_currency_decimals() {
        assert_eq!(Money::parse_exact("10.00", EUR).unwrap().minor, 1000);
        assert_eq!(Money::parse_exact("-6.08", EUR).unwrap().minor, -608);
        assert_eq!(Money::parse_exact("1000", JPY).unwrap().minor, 1000);
        for bad in ["10", "10.0", "10.000", " 10.00", "10,00", ".50"] {
            assert!(Money::parse_exact(bad, EUR).is_err(), "{bad:?} parsed");
        }
        assert!(Money::parse_exact("1000.00", JPY).is_err());
        assert!(Money::parse_exact("1000.", JPY).is_err());
    }

    #[test]
    fn prints_provider_and_human_formats() {
        assert_eq!(Money::new(102_799, EUR).to_major_string(), "1027.99");
        assert_eq!(Money::new(-68, EUR).to_major_string(), "-0.68");
        assert_eq!(Money::new(5, EUR).to_major_string(), "0.05");
        assert_eq!(Money::new(1000, JPY).to_major_string(), "1000");
        assert_eq!(Money::new(102_799, EUR).display(), "€1,027.99");
        assert_eq!(Money::new(-68, EUR).display(), "-€0.68");
        assert_eq!(Money::new(1_234_567, JPY).display(), "¥1,234,567");
        assert_eq!(Money::new(500, Currency::CHF).display(), "CHF 5.00");
    }

    #[test]
    fn arithmetic_refuses_mixed_currencies_and_overflow() {
        let eur = Money::new(100, EUR);
        assert!(eur.checked_add(Money::new(1, JPY)).is_err());
        assert_eq!(
            Money::new(i64::MAX, EUR).checked_add(eur),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            Money::sum(EUR, [eur, eur, eur]).unwrap(),
            Money::new(300, EUR)
        );
    }
}
