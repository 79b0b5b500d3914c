use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a piece of money could not be parsed or computed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("unknown currency {0:?}")]
    UnknownCurrency(String),
    #[error("not a number")]
    NotANumber,
    #[error("expected exactly {expected} decimals")]
    WrongDecimals { expected: u32 },
    #[error("at most {max} decimals")]
    TooManyDecimals { max: u32 },
    #[error("amount is too large")]
    Overflow,
    #[error("currencies differ ({0} and {1})")]
    CurrencyMismatch(crate::Currency, crate::Currency),
}

/// A validation failure that names the failing field with a Mollie-style path
/// (`lines.1.vatAmount`, `billingAddress.givenName`, `amount`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}
