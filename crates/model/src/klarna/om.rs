//! Order Management API v1 wire types (`/ordermanagement/v1/orders`), one struct per schema of
//! Klarna's OpenAPI export (2023-12-05, reference §0 S1), named after it, fields in snake_case
//! exactly as the spec. Amounts are integer minor units, `tax_rate` basis points (2500 = 25 %).
//!
//! Every integer is `i64`, including the spec's int32 ones (`tax_rate`, `number_of_days`,
//! `number_of_installments`, `interval_count`): a value out of range then reaches
//! [`super::validate`] and gets Klarna's answer instead of failing to parse.

use serde::{Deserialize, Serialize};

use super::status::{FraudEvent, FraudStatus, OrderStatus, UnknownValue};

klarna_object! {
    /// An order as `GET /ordermanagement/v1/orders/{order_id}` returns it (schema `Order`,
    /// `MerchantOrderDto` in newer specs).
    pub struct Order {
        order_id: String,
        /// One of [`OrderStatus`]; see [`Order::parsed_status`].
        status: String,
        /// One of [`FraudStatus`]; see [`Order::parsed_fraud_status`].
        fraud_status: String,
        /// The current authorized amount.
        order_amount: i64,
        /// The amount at creation; never changes.
        original_order_amount: i64,
        captured_amount: i64,
        refunded_amount: i64,
        remaining_authorized_amount: i64,
        /// ISO 4217; Klarna's examples use both `usd` and `PLN`.
        purchase_currency: String,
        /// ISO 3166-1 alpha-2, any case.
        purchase_country: String,
        /// RFC 1766 (`en-us`, `pl-PL`).
        locale: String,
        order_lines: Vec<OrderLine>,
        merchant_reference1: String,
        merchant_reference2: String,
        /// The short customer-facing reference (`K4MADNY`).
        klarna_reference: String,
        customer: Customer,
        billing_address: Address,
        shipping_address: Address,
        created_at: String,
        /// The order can only be captured until then.
        expires_at: String,
        captures: Vec<Capture>,
        refunds: Vec<Refund>,
        merchant_data: String,
        initial_payment_method: InitialPaymentMethod,
        selected_shipping_option: SelectedShippingOption,
        shipping_info: Vec<ShippingInfo>,
    }
}

impl Order {
    /// `status` as a closed enum; `None` when absent, `Err` for a value Klarna added since.
    pub fn parsed_status(&self) -> Option<Result<OrderStatus, UnknownValue>> {
        self.status.as_deref().map(str::parse)
    }

    /// `fraud_status` as a closed enum; `None` when absent.
    pub fn parsed_fraud_status(&self) -> Option<Result<FraudStatus, UnknownValue>> {
        self.fraud_status.as_deref().map(str::parse)
    }
}

klarna_object! {
    /// An order line (schema `order_line`). The Klarna Payments `order_line` has exactly the
    /// same fields, with other limits (see [`super::validate`]), so this type serves both.
    pub struct OrderLine {
        /// `physical`, `discount`, `shipping_fee`, `sales_tax`, `store_credit`, `gift_card`,
        /// `digital`, `surcharge`, `return_fee` (OM only) — an open set on the wire.
        #[serde(rename = "type")]
        kind: String,
        /// SKU; Klarna allocates refunds to captures by it.
        reference: String,
        name: String,
        quantity: i64,
        quantity_unit: String,
        /// Including tax, excluding discount; negative for discount and return-fee lines.
        unit_price: i64,
        /// Basis points: 2500 = 25 %.
        tax_rate: i64,
        /// `quantity × unit_price − total_discount_amount`.
        total_amount: i64,
        /// Including tax; never negative.
        total_discount_amount: i64,
        /// Within ±1 of `total_amount × tax_rate / (10000 + tax_rate)`.
        total_tax_amount: i64,
        merchant_data: String,
        product_url: String,
        image_url: String,
        product_identifiers: ProductIdentifiers,
        subscription: Subscription,
    }
}

klarna_object! {
    /// An address (schema `address`, lower-case; not the `Address` of a shipping location,
    /// which is [`LocationAddress`]). Klarna Payments' `address` has the same fields.
    pub struct Address {
        given_name: String,
        family_name: String,
        title: String,
        street_address: String,
        street_address2: String,
        postal_code: String,
        city: String,
        /// Required for US (OM) and for US and AU (KP).
        region: String,
        /// ISO 3166-1 alpha-2.
        country: String,
        email: String,
        phone: String,
        /// B2B only.
        organization_name: String,
        /// B2B only.
        attention: String,
    }
}

klarna_object! {
    /// The customer of an order (schema `customer`).
    pub struct Customer {
        /// `YYYY-MM-DD`.
        date_of_birth: String,
        national_identification_number: String,
    }
}

klarna_object! {
    /// Schema `product_identifiers`.
    pub struct ProductIdentifiers {
        brand: String,
        category_path: String,
        global_trade_item_number: String,
        manufacturer_part_number: String,
        color: String,
        size: String,
    }
}

klarna_object! {
    /// Schema `subscription`: all three fields are required when the object is sent.
    pub struct Subscription {
        name: String,
        /// `DAY`, `WEEK`, `MONTH` or `YEAR`.
        interval: String,
        /// At least 1.
        interval_count: i64,
    }
}

klarna_object! {
    /// Tracking of a shipment (schema `shipping_info`).
    pub struct ShippingInfo {
        /// Be specific: "DHL US", not "DHL".
        shipping_company: String,
        /// `PickUpStore`, `Home`, `BoxReg`, `BoxUnreg`, `PickUpPoint`, `Own`, `Postal`,
        /// `DHLPackstation`, `Digital`, `Undefined`, `PickUpWarehouse`, `ClickCollect`,
        /// `PalletDelivery`.
        shipping_method: String,
        tracking_number: String,
        tracking_uri: String,
        return_shipping_company: String,
        return_tracking_number: String,
        return_tracking_uri: String,
    }
}

klarna_object! {
    /// A capture as Klarna reports it (schema `Capture`).
    pub struct Capture {
        capture_id: String,
        /// `<order klarna_reference>-<n>` in Klarna's examples.
        klarna_reference: String,
        captured_amount: i64,
        captured_at: String,
        description: String,
        reference: String,
        order_lines: Vec<OrderLine>,
        /// The refunded amount allocated to this capture.
        refunded_amount: i64,
        billing_address: Address,
        shipping_address: Address,
        shipping_info: Vec<ShippingInfo>,
    }
}

klarna_object! {
    /// A refund as Klarna reports it (schema `Refund`).
    pub struct Refund {
        refund_id: String,
        refunded_amount: i64,
        refunded_at: String,
        description: String,
        reference: String,
        order_lines: Vec<OrderLine>,
        /// B2B invoices: refunded as a credit invoice.
        credit_invoice: bool,
    }
}

klarna_object! {
    /// How the customer first paid (schema `InitialPaymentMethodDto`).
    pub struct InitialPaymentMethod {
        /// `INVOICE`, `FIXED_AMOUNT`, `PAY_LATER_IN_PARTS`, … — an open set.
        #[serde(rename = "type")]
        kind: String,
        description: String,
        number_of_installments: i64,
    }
}

klarna_object! {
    /// Klarna Checkout's chosen shipping (schema `SelectedShippingOptionDto`).
    pub struct SelectedShippingOption {
        id: String,
        name: String,
        tms_reference: String,
        carrier: String,
        #[serde(rename = "type")]
        kind: String,
        method: String,
        /// In newer specs only (reference §10); kept so nothing is lost.
        class: String,
        price: i64,
        tax_amount: i64,
        tax_rate: i64,
        location: Location,
        timeslot: Timeslot,
        carrier_product: CarrierProduct,
        selected_addons: Vec<Addon>,
    }
}

klarna_object! {
    /// A pick-up location (schema `Location`).
    pub struct Location {
        id: String,
        name: String,
        price: i64,
        address: LocationAddress,
    }
}

klarna_object! {
    /// A location's address (schema `Address`, capitalised): its own shape, with
    /// `street_address__2`.
    pub struct LocationAddress {
        street_address: String,
        #[serde(rename = "street_address__2")]
        street_address2: String,
        postal_code: String,
        city: String,
        region: String,
        country: String,
    }
}

klarna_object! {
    /// Schema `Timeslot`.
    pub struct Timeslot {
        id: String,
        start: String,
        end: String,
        cutoff: String,
        price: i64,
    }
}

klarna_object! {
    /// Schema `CarrierProduct`.
    pub struct CarrierProduct {
        identifier: String,
        name: String,
    }
}

klarna_object! {
    /// Schema `Addon`.
    pub struct Addon {
        #[serde(rename = "type")]
        kind: String,
        price: i64,
        external_id: String,
        user_input: String,
    }
}

klarna_object! {
    /// `POST /orders/{order_id}/captures` body (schema `CaptureObject`).
    pub struct CaptureObject {
        /// Required.
        captured_amount: i64,
        description: String,
        reference: String,
        order_lines: Vec<OrderLine>,
        shipping_info: Vec<ShippingInfo>,
        /// Days; needs Klarna's enablement and is not returned on read.
        shipping_delay: i64,
    }
}

klarna_object! {
    /// `POST /orders/{order_id}/refunds` body (schema `RefundObject`).
    pub struct RefundObject {
        /// Required.
        refunded_amount: i64,
        description: String,
        reference: String,
        order_lines: Vec<OrderLine>,
    }
}

klarna_object! {
    /// `PATCH /orders/{order_id}/authorization` body (schema `Update_authorization`). Lines
    /// sent replace the order's; lines left out are deleted (reference §3).
    pub struct UpdateAuthorization {
        /// Required.
        order_amount: i64,
        description: String,
        order_lines: Vec<OrderLine>,
    }
}

klarna_object! {
    /// `PATCH /orders/{order_id}/customer-details` body (schema `UpdateConsumer`). Newer
    /// specs dropped `billing_address`; Klarna refuses billing changes either way.
    pub struct UpdateConsumer {
        shipping_address: Address,
        billing_address: Address,
    }
}

klarna_object! {
    /// `PATCH /orders/{order_id}/merchant-references` body: a field sent overwrites, `""`
    /// clears.
    pub struct UpdateMerchantReferences {
        merchant_reference1: String,
        merchant_reference2: String,
    }
}

klarna_object! {
    /// `POST /orders/{order_id}/shipping-info` and `…/captures/{capture_id}/shipping-info` body.
    pub struct UpdateShippingInfo {
        /// Required, 1 to 500 entries.
        shipping_info: Vec<ShippingInfo>,
    }
}

klarna_object! {
    /// `PATCH …/captures/{capture_id}/extend-due-date` body.
    pub struct ExtendDueDateRequest {
        /// Required; one of the offered [`ExtendDueDateOption`]s.
        number_of_days: i64,
    }
}

klarna_object! {
    /// `GET …/captures/{capture_id}/extend-due-date-options` answer.
    pub struct ExtendDueDateOptions {
        /// ISO 4217.
        currency: String,
        options: Vec<ExtendDueDateOption>,
    }
}

klarna_object! {
    /// One due-date extension on offer (schema `OptionDto`).
    pub struct ExtendDueDateOption {
        number_of_days: i64,
        /// The merchant's fee, minor units.
        amount: i64,
    }
}

/// The body of every Order Management and Klarna Payments error (OM's `*_error_message`
/// schemas and `ErrorMessageDto`, KP's `ErrorV2`). A missing field reads as empty, so a
/// gateway's partial body still parses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub error_code: String,
    #[serde(default)]
    pub error_messages: Vec<String>,
    #[serde(default)]
    pub correlation_id: String,
}

impl ErrorBody {
    pub fn new(
        error_code: impl Into<String>,
        error_messages: Vec<String>,
        correlation_id: impl Into<String>,
    ) -> Self {
        Self {
            error_code: error_code.into(),
            error_messages,
            correlation_id: correlation_id.into(),
        }
    }
}

/// What Klarna POSTs to `merchant_urls.notification` when it decides a PENDING order.
///
/// Klarna documents `order_id`, the event and a timestamp (reference §5.2); the names
/// `event_id` and `occurred_at` (RFC 3339) are Kassa's choice, optional when read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FraudNotification {
    pub order_id: String,
    /// One of [`FraudEvent`]; kept as text so a new event does not break parsing.
    pub event_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<String>,
}

impl FraudNotification {
    pub fn new(order_id: impl Into<String>, event: FraudEvent) -> Self {
        Self {
            order_id: order_id.into(),
            event_type: event.as_str().to_owned(),
            event_id: None,
            occurred_at: None,
        }
    }

    pub fn event(&self) -> Result<FraudEvent, UnknownValue> {
        self.event_type.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn absent_fields_stay_absent_and_type_is_spelled_type() {
        let line = OrderLine {
            kind: Some("physical".into()),
            name: Some("Tomatoes".into()),
            quantity: Some(10),
            ..OrderLine::default()
        };
        assert_eq!(
            serde_json::to_value(&line).unwrap(),
            json!({"type": "physical", "name": "Tomatoes", "quantity": 10})
        );
    }

    #[test]
    fn a_request_missing_required_fields_still_parses() {
        let capture: CaptureObject = serde_json::from_value(json!({"description": "x"})).unwrap();
        assert_eq!(capture.captured_amount, None);
        let unknown: UpdateAuthorization =
            serde_json::from_value(json!({"order_amount": 5, "future_field": true})).unwrap();
        assert_eq!(unknown.order_amount, Some(5));
    }

    #[test]
    fn the_location_address_has_its_double_underscore() {
        let a: LocationAddress =
            serde_json::from_value(json!({"street_address__2": "2nd floor"})).unwrap();
        assert_eq!(a.street_address2.as_deref(), Some("2nd floor"));
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            json!({"street_address__2": "2nd floor"})
        );
    }

    #[test]
    fn statuses_parse_from_the_wire_strings() {
        let order: Order =
            serde_json::from_value(json!({"status": "PART_CAPTURED", "fraud_status": "NEW"}))
                .unwrap();
        assert_eq!(order.parsed_status(), Some(Ok(OrderStatus::PartCaptured)));
        assert!(matches!(order.parsed_fraud_status(), Some(Err(_))));
        assert_eq!(Order::default().parsed_status(), None);
    }

    #[test]
    fn notifications_and_error_bodies() {
        let n = FraudNotification::new("abc", FraudEvent::Accepted);
        assert_eq!(
            serde_json::to_value(&n).unwrap(),
            json!({"order_id": "abc", "event_type": "FRAUD_RISK_ACCEPTED"})
        );
        let read: FraudNotification = serde_json::from_value(
            json!({"order_id": "abc", "event_type": "FRAUD_RISK_STOPPED", "occurred_at": "2024-01-01T00:00:00Z"}),
        )
        .unwrap();
        assert_eq!(read.event(), Ok(FraudEvent::Stopped));
        let empty: ErrorBody =
            serde_json::from_value(json!({"error_code": "UNAUTHORIZED"})).unwrap();
        assert!(empty.error_messages.is_empty());
    }
}
