//! Paying with Klarna on Kassa's own pages (the shop's Klarna step and the pay link page):
//! Klarna Payments authorizes in the customer's browser with Klarna's JavaScript library, and
//! the proxy turns the authorization token into an order.
//!
//! - [`loader`] adds the library's `<script>` to the page once and waits for it;
//! - [`bindings`] calls `Klarna.Payments.init / load / authorize`, each callback as a future;
//! - [`outcome`] reads Klarna's callback objects into what the page says (no DOM, host tests);
//! - [`step`] is the [`KlarnaStep`] component the pages show.
//!
//! The library is Klarna's CDN in production and the sandbox's stand-in otherwise; the proxy
//! says which (`KlarnaPayment::library_url`) and its CSP allows exactly that origin.

pub mod bindings;
pub mod loader;
pub mod outcome;
mod step;

pub use step::{KlarnaStep, PlaceWith};
