//! Klarna's wire types and arithmetic, beside Mollie's: the Order Management API v1
//! ([`om`]), Klarna Payments v1 ([`payments`]), the line arithmetic ([`arithmetic`]), request
//! checks with Klarna's error texts ([`validate`]) and API hosts ([`region`]). The sandbox's
//! Klarna emulator parses requests, checks them and renders answers with these; the proxy's
//! Klarna client parses Klarna's answers.
//!
//! Sources: Klarna's OpenAPI exports and docs as summarised in
//! `shared/reference/klarna-order-management-api.md` (cited as "reference §n").
//!
//! **Klarna's facts** here: field names and shapes; limits in the specs (amounts ≤ 100000000,
//! lengths, list sizes, patterns, word lists); the line formula
//! `total_amount = quantity × unit_price − total_discount_amount`; the ±1 tax rule; the
//! `Bad value: <field>` and "Not matching fields: [Incorrect number of items in the cart. …]"
//! messages; the size message "The size of the … value must be between … and …"; the hosts.
//!
//! **Kassa's choices** where Klarna is silent (each also said where it is made): the order in
//! which checks run and so which field is named first ([`validate`]); `Bad value: <field>`
//! for a missing required field, and for OM violations other than sizes; `quantity` ≤ 100000;
//! amounts ≥ −100000000; OM `tax_rate` ≤ 10000; lengths in UTF-16 code units; exact
//! order-level sums, `sales_tax` lines counted into `order_tax_amount`; session updates
//! checked as the merged session; the wording of create-order mismatches other than the line
//! count; `captured_amount` ≥ 1; `number_of_days` ≥ 1; the fraud notification's `event_id`
//! and `occurred_at`; OM line-sum checking left to the emulator
//! ([`validate::lines_match_amount`]).

#[macro_use]
mod wire;

pub mod arithmetic;
pub mod expiry;
pub mod om;
pub mod payments;
pub mod region;
mod status;
pub mod validate;

pub use om::{ErrorBody, FraudNotification};
pub use region::{Environment, Region};
pub use status::{FraudEvent, FraudStatus, OrderStatus, UnknownValue};
pub use validate::BadValue;
