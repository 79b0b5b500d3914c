//! Kassa's shared model: one implementation of money and order-line arithmetic, used by the
//! browser app (wasm), the merchant proxy and the sandbox (native).
//!
//! Money is always an integer number of minor units next to its [`Currency`]. Decimal strings
//! (Mollie's `{"currency":"EUR","value":"10.00"}`, a user's "12,5") are parsed and printed only at
//! the edges, by [`Money::parse_major`], [`MollieAmount`] and [`Money::to_major_string`].
//!
//! Providers' wire types and rules: [`mollie`] (with [`validate`]) and [`klarna`] (Order
//! Management and Klarna Payments, with their arithmetic and checks), both on the same money
//! and VAT.

pub mod api;
mod currency;
mod error;
pub mod klarna;
pub mod limits;
pub mod line;
pub mod mollie;
mod money;
pub mod pay;
pub mod postal;
pub mod provider;
pub mod rules;
pub mod states;
mod status;
pub mod validate;
pub mod vat;

pub use currency::Currency;
pub use error::{clipped, quoted, FieldError, MoneyError, QUOTE_MAX_CHARS};
pub use line::LineAmounts;
pub use mollie::MollieAmount;
pub use money::Money;
pub use provider::Provider;
pub use vat::VatRate;
