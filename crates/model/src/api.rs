//! Kassa's own JSON API between the browser app and the merchant proxy (`/api/...`).
//! Money travels as [`Money`] (integer minor units + currency); providers' formats never reach
//! the browser.

use serde::{Deserialize, Serialize};

use crate::{validate, Currency, FieldError, LineAmounts, Money, VatRate};

pub use crate::mollie::Address;
pub use crate::status::{LineStatus, OrderStatus};

/// `POST /api/orders`: what staff enter in the "New order" form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOrder {
    pub currency: Currency,
    pub locale: String,
    /// The merchant's reference; the proxy generates one when it is empty.
    #[serde(default)]
    pub order_number: Option<String>,
    pub billing_address: Address,
    pub lines: Vec<NewLine>,
    /// A provider payment method to preselect (`ideal`, `klarnapaylater`, ...); none lets the
    /// customer choose at checkout.
    #[serde(default)]
    pub method: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLine {
    pub name: String,
    #[serde(default)]
    pub sku: Option<String>,
    pub quantity: u32,
    /// VAT-inclusive unit price in minor units of the order currency.
    pub unit_price: i64,
    /// Discount on the whole line, in minor units; 0 for none.
    #[serde(default)]
    pub discount: i64,
    pub vat_rate: VatRate,
}

/// A [`NewOrder`] with every amount computed by the one line arithmetic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricedOrder {
    pub currency: Currency,
    pub amount: Money,
    pub vat: Money,
    pub lines: Vec<PricedLine>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricedLine {
    pub name: String,
    pub sku: Option<String>,
    pub quantity: u32,
    pub unit_price: Money,
    pub discount: Option<Money>,
    pub vat_rate: VatRate,
    pub amounts: LineAmounts,
}

impl NewLine {
    /// Prices one line (index `i`); errors name `lines.{i}.{field}`.
    pub fn price(&self, i: usize, currency: Currency) -> Result<PricedLine, FieldError> {
        let field = |f: &str, msg: &str| FieldError::new(format!("lines.{i}.{f}"), msg);
        if self.name.trim().is_empty() {
            return Err(field("name", "Enter a name for this line."));
        }
        if self.sku.as_deref().is_some_and(|s| s.chars().count() > 64) {
            return Err(field("sku", "The SKU can be at most 64 characters."));
        }
        if self.quantity == 0 {
            return Err(field("quantity", "The quantity should be at least 1."));
        }
        if self.discount < 0 {
            return Err(field("discount", "The discount cannot be negative."));
        }
        let unit_price = Money::new(self.unit_price, currency);
        let discount = (self.discount != 0).then(|| Money::new(self.discount, currency));
        let amounts = LineAmounts::compute(unit_price, self.quantity, discount, self.vat_rate)
            .map_err(|_| field("unitPrice", "This line's amount is too large."))?;
        if self.unit_price >= 0 && amounts.total.minor < 0 {
            return Err(field(
                "discount",
                "The discount cannot be more than the line's price.",
            ));
        }
        Ok(PricedLine {
            name: self.name.trim().to_owned(),
            sku: self.sku.clone().filter(|s| !s.trim().is_empty()),
            quantity: self.quantity,
            unit_price,
            discount,
            vat_rate: self.vat_rate,
            amounts,
        })
    }
}

impl NewOrder {
    /// Validates the order and computes its amounts. The app calls this for its live totals and
    /// before sending; the proxy calls it again on what it receives.
    pub fn price(&self) -> Result<PricedOrder, FieldError> {
        validate::check_locale(&self.locale)?;
        if self.lines.is_empty() {
            return Err(FieldError::new("lines", "Add at least one line."));
        }
        let lines = self
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| l.price(i, self.currency))
            .collect::<Result<Vec<_>, _>>()?;
        let too_large = |_| FieldError::new("lines", "The order total is too large.");
        let amount = crate::line::order_total(self.currency, lines.iter().map(|l| l.amounts))
            .map_err(too_large)?;
        let vat = crate::line::order_vat(self.currency, lines.iter().map(|l| l.amounts))
            .map_err(too_large)?;
        if amount.minor <= 0 {
            return Err(FieldError::new(
                "lines",
                "The order total must be more than zero.",
            ));
        }
        if vat.minor < 0 {
            return Err(FieldError::new(
                "lines",
                "The order's total VAT cannot be negative.",
            ));
        }
        validate::address(&self.billing_address, "billingAddress", "billing address")?;
        Ok(PricedOrder {
            currency: self.currency,
            amount,
            vat,
            lines,
        })
    }
}

/// An order as the console shows it, read from the proxy's mirror.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: String,
    pub provider: String,
    pub order_number: String,
    pub status: OrderStatus,
    pub amount: Money,
    #[serde(default)]
    pub amount_captured: Option<Money>,
    #[serde(default)]
    pub amount_refunded: Option<Money>,
    pub locale: String,
    #[serde(default)]
    pub method: Option<String>,
    pub created_at: String,
    #[serde(default)]
    pub expires_at: Option<String>,
    pub billing_address: Address,
    pub lines: Vec<LineView>,
    /// The hosted checkout, while the customer can still pay.
    #[serde(default)]
    pub checkout_url: Option<String>,
    #[serde(default)]
    pub events: Vec<OrderEvent>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineView {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub sku: Option<String>,
    pub status: LineStatus,
    pub quantity: u32,
    pub unit_price: Money,
    #[serde(default)]
    pub discount: Option<Money>,
    pub total: Money,
    pub vat_rate: VatRate,
    pub vat_amount: Money,
    pub quantity_shipped: u32,
    pub quantity_refunded: u32,
    pub quantity_canceled: u32,
    pub shippable_quantity: u32,
    pub refundable_quantity: u32,
    pub cancelable_quantity: u32,
}

/// One entry of an order's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEvent {
    pub at: String,
    /// `created`, `webhook`, `status`.
    pub kind: String,
    pub detail: String,
}

/// `POST /api/orders` answer: the order and where to send the customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedOrder {
    pub order: OrderView,
    pub checkout_url: String,
}

/// The proxy's one error shape: `{"code":"validation","message":"...","field":"lines.0.name"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// `validation`, `not_found`, `provider`, `provider_unavailable`, `bad_request`, `internal`.
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
