use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::MoneyError;

/// The currencies Mollie accepts for orders, with their number of decimals.
///
/// Mollie documents two decimals for every currency except JPY and ISK (zero); for HUF and TWD
/// that matches Mollie rather than ISO 4217's cash conventions, which is what its API checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub enum Currency {
    AED,
    AUD,
    BGN,
    BRL,
    CAD,
    CHF,
    CZK,
    DKK,
    EUR,
    GBP,
    HKD,
    HUF,
    ILS,
    ISK,
    JPY,
    MXN,
    MYR,
    NOK,
    NZD,
    PHP,
    PLN,
    RON,
    RUB,
    SEK,
    SGD,
    THB,
    TWD,
    USD,
}

impl Currency {
    pub const ALL: [Currency; 28] = [
        Self::AED,
        Self::AUD,
        Self::BGN,
        Self::BRL,
        Self::CAD,
        Self::CHF,
        Self::CZK,
        Self::DKK,
        Self::EUR,
        Self::GBP,
        Self::HKD,
        Self::HUF,
        Self::ILS,
        Self::ISK,
        Self::JPY,
        Self::MXN,
        Self::MYR,
        Self::NOK,
        Self::NZD,
        Self::PHP,
        Self::PLN,
        Self::RON,
        Self::RUB,
        Self::SEK,
        Self::SGD,
        Self::THB,
        Self::TWD,
        Self::USD,
    ];

    /// Number of digits after the decimal point in this currency's amounts.
    pub const fn exponent(self) -> u32 {
        match self {
            Self::JPY | Self::ISK => 0,
            _ => 2,
        }
    }

    /// 10^exponent: how many minor units make one major unit.
    pub const fn minor_per_major(self) -> i64 {
        10i64.pow(self.exponent())
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::AED => "AED",
            Self::AUD => "AUD",
            Self::BGN => "BGN",
            Self::BRL => "BRL",
            Self::CAD => "CAD",
            Self::CHF => "CHF",
            Self::CZK => "CZK",
            Self::DKK => "DKK",
            Self::EUR => "EUR",
            Self::GBP => "GBP",
            Self::HKD => "HKD",
            Self::HUF => "HUF",
            Self::ILS => "ILS",
            Self::ISK => "ISK",
            Self::JPY => "JPY",
            Self::MXN => "MXN",
            Self::MYR => "MYR",
            Self::NOK => "NOK",
            Self::NZD => "NZD",
            Self::PHP => "PHP",
            Self::PLN => "PLN",
            Self::RON => "RON",
            Self::RUB => "RUB",
            Self::SEK => "SEK",
            Self::SGD => "SGD",
            Self::THB => "THB",
            Self::TWD => "TWD",
            Self::USD => "USD",
        }
    }

    /// The prefix Mollie puts before amounts in its error messages ("€16.20").
    pub fn symbol(self) -> &'static str {
        match self {
            Self::EUR => "€",
            Self::USD => "$",
            Self::GBP => "£",
            Self::JPY => "¥",
            _ => "",
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.code() == s)
            .ok_or_else(|| MoneyError::UnknownCurrency(s.to_owned()))
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> Self {
        c.code().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_parses_back_to_itself() {
        for c in Currency::ALL {
            assert_eq!(c.code().parse::<Currency>().unwrap(), c);
        }
    }

    #[test]
    fn zero_decimal_currencies() {
        assert_eq!(Currency::JPY.exponent(), 0);
        assert_eq!(Currency::ISK.minor_per_major(), 1);
        assert_eq!(Currency::EUR.minor_per_major(), 100);
    }

    #[test]
    fn unknown_and_lowercase_codes_are_rejected() {
        assert!("eur".parse::<Currency>().is_err());
        assert!("XXX".parse::<Currency>().is_err());
    }
}
