//! Paying on Kassa's own pages, with a provider's JavaScript library (Klarna Payments): the
//! shop's Klarna step and the pay links staff make. The browser gets only what the library
//! needs (the session's client token and categories); the cart stays on the proxy, priced
//! from its catalog or by staff, and is what the order is placed with.

use serde::{Deserialize, Serialize};

use crate::api::NewOrder;
use crate::Money;

/// What the browser needs to authorize with Klarna's library: `Klarna.Payments.init` with
/// `client_token`, `load` one of `categories` into the page, `authorize`, then
/// `POST /api/public/pay/{reference}/order` with the token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KlarnaPayment {
    /// Names this payment in `/api/public/pay/{reference}` and the pay link `/pay/{reference}`.
    pub reference: String,
    /// For `Klarna.Payments.init`; the session itself stays on the proxy.
    pub client_token: String,
    /// The payment method categories Klarna offers for this cart, in Klarna's order.
    pub categories: Vec<PaymentCategory>,
    /// Klarna's library: the sandbox's stand-in by default, Klarna's CDN for the playground
    /// and live (`KLARNA_LIBRARY_URL`).
    pub library_url: String,
    /// When the session, and with it the pay link, ends (RFC 3339, 48 hours after it opened).
    pub expires_at: String,
}

/// A payment method category as Klarna names it (`pay_later`, "Pay later.").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentCategory {
    pub identifier: String,
    pub name: String,
    /// Klarna's badge for it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_url: Option<String>,
}

/// `POST /api/pay-links` (staff): a priced cart for a customer to pay with Klarna on a public
/// Kassa page. The order exists once the customer has authorized.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPayLink {
    pub order: NewOrder,
    /// Also save the customer's Klarna payment method for later orders (Klarna Payments
    /// intent `buy_and_tokenize`): the customer token is kept in the mirror.
    #[serde(default)]
    pub save_customer_token: bool,
}

/// The answer to [`NewPayLink`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayLinkCreated {
    pub reference: String,
    /// The public page the customer pays on (`{public_url}/pay/{reference}`).
    pub url: String,
    pub amount: Money,
    pub expires_at: String,
}

/// `GET /api/public/pay/{reference}`: a pay link as the customer sees it. No login: the
/// reference is the customer's; nothing of the merchant's bookkeeping is in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayLink {
    pub order_number: String,
    pub locale: String,
    pub lines: Vec<PayLine>,
    pub amount: Money,
    pub state: PayLinkState,
    /// While `open`: what the library needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub klarna: Option<KlarnaPayment>,
    /// Once `placed`: the return page's reference (`/return/{return_ref}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_ref: Option<String>,
}

/// One line of a pay link: what the customer buys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayLine {
    pub name: String,
    pub quantity: u32,
    /// The line's total, VAT and discount included.
    pub total: Money,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PayLinkState {
    /// Waiting for the customer.
    Open,
    /// The order was placed; the link leads to the return page.
    Placed,
    /// The Klarna session ended (48 hours) before the customer paid.
    Expired,
}

/// `POST /api/public/pay/{reference}/order`: the token Klarna's `authorize` callback gave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceOrder {
    pub authorization_token: String,
}

/// The order placed at Klarna: where the customer goes next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlacedOrder {
    /// The return page's reference (`/return/{return_ref}`).
    pub return_ref: String,
    /// Klarna placed the order with `fraud_status: PENDING`: it is being checked.
    pub fraud_pending: bool,
}
