use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a piece of money could not be parsed or computed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("unknown currency {}", quoted(.0))]
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

/// How a message quotes what someone typed: in single quotes, cut to [`QUOTE_MAX_CHARS`]
/// characters with an ellipsis. Input is never echoed whole, so a 10 KB value in a field
/// does not come back in the error about it (or end up in logs).
pub fn quoted(input: &str) -> String {
    format!("'{}'", clipped(input, QUOTE_MAX_CHARS))
}

/// `input` cut to `max_chars` characters, with an ellipsis when something was cut: for any
/// text that comes from outside and ends up in a message (a parser's message quoting a value,
/// an id in a "not found").
pub fn clipped(input: &str, max_chars: usize) -> String {
    match input.char_indices().nth(max_chars) {
        None => input.to_owned(),
        Some((cut, _)) => format!("{}…", &input[..cut]),
    }
}

/// The most of someone's input an error message repeats: enough for any id a provider hands
/// out (Klarna's are 36-character UUIDs), far too little to carry a payload back.
pub const QUOTE_MAX_CHARS: usize = 40;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_input_is_cut_when_quoted() {
        assert_eq!(quoted("ideal"), "'ideal'");
        let long = "x".repeat(10_000);
        let q = quoted(&long);
        assert_eq!(q.chars().count(), QUOTE_MAX_CHARS + 3);
        assert!(q.ends_with("…'"));
        assert!(MoneyError::UnknownCurrency(long).to_string().len() < 80);
    }
}
