//! Mollie's wire shapes for the Orders API family (v2), shared by the sandbox (which serves
//! them) and the proxy (which reads them). Field names, nullability and `_links` follow
//! `shared/reference/mollie-orders-api.md` §3–§4.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{Currency, Money, MoneyError};

pub use crate::status::{LineStatus, OrderStatus};

/// Mollie's amount object: `{"currency":"EUR","value":"10.00"}`, `value` with exactly the
/// currency's decimals. Kept as strings so a bad value can be reported precisely.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MollieAmount {
    pub currency: String,
    pub value: String,
}

impl MollieAmount {
    pub fn to_money(&self) -> Result<Money, MoneyError> {
        let currency: Currency = self.currency.parse()?;
        Money::parse_exact(&self.value, currency)
    }
}

impl From<Money> for MollieAmount {
    fn from(m: Money) -> Self {
        Self {
            currency: m.currency.code().to_owned(),
            value: m.to_major_string(),
        }
    }
}

/// A HAL link: `{"href": "...", "type": "application/hal+json"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub href: String,
    #[serde(rename = "type")]
    pub kind: String,
}

impl Link {
    pub fn hal(href: impl Into<String>) -> Self {
        Self {
            href: href.into(),
            kind: "application/hal+json".into(),
        }
    }
    pub fn html(href: impl Into<String>) -> Self {
        Self {
            href: href.into(),
            kind: "text/html".into(),
        }
    }
}

/// Mollie's address object. Every field is optional on the wire; which ones an order needs is
/// checked by [`crate::validate`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Address {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_and_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_additional: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// `POST /v2/orders` body. Required fields are `Option` so that a missing one is reported the
/// way Mollie does ("The 'orderNumber' field is missing.") instead of as a parse error.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateOrder {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<MollieAmount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_number: Option<String>,
    #[serde(default)]
    pub lines: Vec<CreateLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumer_date_of_birth: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// A method name or a list of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shopper_country_must_match_billing_country: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub testmode: Option<bool>,
}

/// One line of a create-order request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateLine {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<MollieAmount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_amount: Option<MollieAmount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_amount: Option<MollieAmount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_rate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_amount: Option<MollieAmount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

/// The order object (§4.1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub resource: String,
    pub id: String,
    pub profile_id: String,
    #[serde(default)]
    pub method: Option<String>,
    pub mode: String,
    pub amount: MollieAmount,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_captured: Option<MollieAmount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_refunded: Option<MollieAmount>,
    pub status: OrderStatus,
    pub is_cancelable: bool,
    pub billing_address: Address,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shopper_country_must_match_billing_country: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumer_date_of_birth: Option<String>,
    pub order_number: String,
    pub locale: String,
    #[serde(default)]
    pub metadata: Value,
    #[serde(default)]
    pub redirect_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    pub lines: Vec<OrderLine>,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expired_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorized_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canceled_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
    #[serde(rename = "_embedded", default, skip_serializing_if = "Option::is_none")]
    pub embedded: Option<OrderEmbedded>,
    #[serde(rename = "_links")]
    pub links: OrderLinks,
    /// Fields this type does not name, kept so that nothing is lost on a round trip.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderEmbedded {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payments: Option<Vec<Payment>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunds: Option<Vec<Refund>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipments: Option<Vec<Shipment>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLinks {
    #[serde(rename = "self")]
    pub self_: Link,
    /// Present only while the order is `created`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout: Option<Link>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dashboard: Option<Link>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation: Option<Link>,
}

/// The order line object (§4.2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderLine {
    pub resource: String,
    pub id: String,
    pub order_id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    pub status: LineStatus,
    #[serde(default)]
    pub metadata: Value,
    pub is_cancelable: bool,
    pub quantity: i64,
    pub quantity_shipped: i64,
    pub amount_shipped: MollieAmount,
    pub quantity_refunded: i64,
    pub amount_refunded: MollieAmount,
    pub quantity_canceled: i64,
    pub amount_canceled: MollieAmount,
    pub shippable_quantity: i64,
    pub refundable_quantity: i64,
    pub cancelable_quantity: i64,
    pub unit_price: MollieAmount,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_amount: Option<MollieAmount>,
    pub total_amount: MollieAmount,
    pub vat_rate: String,
    pub vat_amount: MollieAmount,
    pub created_at: String,
    #[serde(rename = "_links", default)]
    pub links: LineLinks,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineLinks {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_url: Option<Link>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<Link>,
}

/// An order's payment (§4.5), the subset that order payments carry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    pub resource: String,
    pub id: String,
    pub mode: String,
    pub created_at: String,
    pub amount: MollieAmount,
    pub description: String,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub metadata: Value,
    pub status: String,
    pub is_cancelable: bool,
    pub locale: String,
    pub profile_id: String,
    pub order_id: String,
    pub sequence_type: String,
    #[serde(default)]
    pub redirect_url: Option<String>,
    #[serde(rename = "_links")]
    pub links: Value,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Tracking information of a shipment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracking {
    pub carrier: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The part of an order line a shipment or refund covers (§4.4): an order-line object whose
/// `quantity` and amounts are that part's, usually without the running counters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinePart {
    pub resource: String,
    pub id: String,
    pub order_id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub status: LineStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_cancelable: Option<bool>,
    pub quantity: i64,
    pub unit_price: MollieAmount,
    pub vat_rate: String,
    pub vat_amount: MollieAmount,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_amount: Option<MollieAmount>,
    pub total_amount: MollieAmount,
    pub created_at: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The shipment object (§4.4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shipment {
    pub resource: String,
    pub id: String,
    pub order_id: String,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking: Option<Tracking>,
    pub lines: Vec<LinePart>,
    #[serde(rename = "_links")]
    pub links: Value,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The refund object (§4.6), as created through an order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Refund {
    pub resource: String,
    pub id: String,
    pub amount: MollieAmount,
    pub status: String,
    pub created_at: String,
    pub description: String,
    #[serde(default)]
    pub metadata: Value,
    pub payment_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement_amount: Option<MollieAmount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<LinePart>>,
    #[serde(rename = "_links")]
    pub links: Value,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Mollie's error body (§1.6).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub status: u16,
    pub title: String,
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<Value>,
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amount_round_trips_through_money() {
        let wire = MollieAmount {
            currency: "EUR".into(),
            value: "1027.99".into(),
        };
        let money = wire.to_money().unwrap();
        assert_eq!(money, Money::new(102_799, Currency::EUR));
        assert_eq!(MollieAmount::from(money), wire);
        assert_eq!(
            serde_json::to_value(&wire).unwrap(),
            serde_json::json!({"currency":"EUR","value":"1027.99"})
        );
    }

    #[test]
    fn amount_values_must_be_strings() {
        let number: Result<MollieAmount, _> =
            serde_json::from_value(serde_json::json!({"currency":"EUR","value":10.0}));
        assert!(number.is_err());
    }
}
