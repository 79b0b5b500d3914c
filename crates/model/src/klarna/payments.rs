//! Klarna Payments API v1 wire types (`/payments/v1/sessions`, `/payments/v1/authorizations`),
//! named after the schemas of Klarna's OpenAPI export (reference §0 S2). Same rules as
//! [`super::om`]: every field optional, amounts in minor units, `tax_rate` in basis points.
//!
//! KP's `order_line`, `address`, `product_identifiers` and `subscription` have exactly the
//! fields of their Order Management namesakes, so they are the same types (a session's lines
//! become the order's lines unchanged); their limits differ and [`super::validate`] knows both.

pub use super::om::{Address, ErrorBody, OrderLine, ProductIdentifiers, Subscription};

/// KP's name for the error body.
pub type ErrorV2 = ErrorBody;

klarna_object! {
    /// `POST /payments/v1/sessions` body (schema `session_create`), and what a session holds.
    /// Read-only fields (`authorization_token`, `client_token`, `expires_at`,
    /// `payment_method_categories`, `status`) are ignored in requests.
    pub struct SessionCreate {
        /// `ECOMMERCE` (default), `IN_STORE`, `TELESALES`.
        acquiring_channel: String,
        attachment: Attachment,
        authorization_token: String,
        billing_address: Address,
        client_token: String,
        custom_payment_method_ids: Vec<String>,
        customer: Customer,
        design: String,
        expires_at: String,
        /// `buy`, `tokenize`, `buy_and_tokenize`.
        intent: String,
        /// Default `en-US`.
        locale: String,
        merchant_data: String,
        merchant_reference1: String,
        merchant_reference2: String,
        merchant_urls: MerchantUrls,
        options: Options,
        order_amount: i64,
        order_lines: Vec<OrderLine>,
        order_tax_amount: i64,
        payment_method_categories: Vec<PaymentMethodCategory>,
        purchase_country: String,
        purchase_currency: String,
        shipping_address: Address,
        /// `incomplete`, or `complete` once an order was placed.
        status: String,
    }
}

/// `POST /payments/v1/sessions/{session_id}` body (schema `session`): the fields of
/// [`SessionCreate`], all optional; those sent replace the session's
/// ([`SessionCreate::apply_update`]).
pub type Session = SessionCreate;

impl SessionCreate {
    /// The session after an update: every writable field the update carries replaces this
    /// session's; read-only fields in the update are ignored, as Klarna does.
    pub fn apply_update(&mut self, update: Session) {
        fn set<T>(field: &mut Option<T>, new: Option<T>) {
            if new.is_some() {
                *field = new;
            }
        }
        set(&mut self.acquiring_channel, update.acquiring_channel);
        set(&mut self.attachment, update.attachment);
        set(&mut self.billing_address, update.billing_address);
        set(
            &mut self.custom_payment_method_ids,
            update.custom_payment_method_ids,
        );
        set(&mut self.customer, update.customer);
        set(&mut self.design, update.design);
        set(&mut self.intent, update.intent);
        set(&mut self.locale, update.locale);
        set(&mut self.merchant_data, update.merchant_data);
        set(&mut self.merchant_reference1, update.merchant_reference1);
        set(&mut self.merchant_reference2, update.merchant_reference2);
        set(&mut self.merchant_urls, update.merchant_urls);
        set(&mut self.options, update.options);
        set(&mut self.order_amount, update.order_amount);
        set(&mut self.order_lines, update.order_lines);
        set(&mut self.order_tax_amount, update.order_tax_amount);
        set(&mut self.purchase_country, update.purchase_country);
        set(&mut self.purchase_currency, update.purchase_currency);
        set(&mut self.shipping_address, update.shipping_address);
    }
}

klarna_object! {
    /// `GET /payments/v1/sessions/{session_id}` answer (schema `session_read`).
    pub struct SessionRead {
        acquiring_channel: String,
        attachment: Attachment,
        authorization_token: String,
        billing_address: Address,
        client_token: String,
        custom_payment_method_ids: Vec<String>,
        customer: CustomerRead,
        design: String,
        expires_at: String,
        intent: String,
        locale: String,
        merchant_data: String,
        merchant_reference1: String,
        merchant_reference2: String,
        merchant_urls: MerchantUrls,
        options: Options,
        order_amount: i64,
        order_lines: Vec<OrderLine>,
        order_tax_amount: i64,
        payment_method_categories: Vec<PaymentMethodCategory>,
        purchase_country: String,
        purchase_currency: String,
        shipping_address: Address,
        status: String,
    }
}

klarna_object! {
    /// `POST /payments/v1/sessions` answer (schema `merchant_session`).
    pub struct MerchantSession {
        session_id: String,
        /// For `Klarna.Payments.init` in the browser; at most 4096 characters.
        client_token: String,
        payment_method_categories: Vec<PaymentMethodCategory>,
    }
}

klarna_object! {
    /// Schema `payment_method_category`.
    pub struct PaymentMethodCategory {
        /// `klarna`, `pay_later`, `pay_now`, `pay_over_time`, `direct_bank_transfer`,
        /// `direct_debit`.
        identifier: String,
        name: String,
        asset_urls: AssetUrls,
    }
}

klarna_object! {
    /// Schema `asset_urls`.
    pub struct AssetUrls {
        descriptive: String,
        standard: String,
    }
}

klarna_object! {
    /// `POST /payments/v1/authorizations/{authorizationToken}/order` body (schema
    /// `create_order_request`).
    pub struct CreateOrderRequest {
        authorization_token: String,
        /// Default false.
        auto_capture: bool,
        billing_address: Address,
        custom_payment_method_ids: Vec<String>,
        customer: Customer,
        locale: String,
        merchant_data: String,
        merchant_reference1: String,
        merchant_reference2: String,
        merchant_urls: MerchantUrls,
        order_amount: i64,
        order_lines: Vec<OrderLine>,
        order_tax_amount: i64,
        payment_method_categories: Vec<PaymentMethodCategory>,
        purchase_country: String,
        purchase_currency: String,
        shipping_address: Address,
        status: String,
    }
}

klarna_object! {
    /// The create-order answer (schema `order`): the order now exists in Order Management.
    pub struct Order {
        /// Required; the id for every Order Management call.
        order_id: String,
        redirect_url: String,
        /// `ACCEPTED` or `PENDING` ([`super::FraudStatus`]).
        fraud_status: String,
        authorized_payment_method: AuthorizedPaymentMethod,
    }
}

klarna_object! {
    /// Schema `authorized_payment_method`.
    pub struct AuthorizedPaymentMethod {
        /// `invoice`, `fixed_amount`, `base_account`, `direct_debit`, `direct_bank_transfer`,
        /// `b2b_invoice`, `card`, `slice_it_by_card`, `pay_later_by_card`, `pay_by_card`,
        /// `fixed_sum_credit`, `alternative_payment_method`.
        #[serde(rename = "type")]
        kind: String,
        number_of_installments: i64,
        number_of_days: i64,
    }
}

klarna_object! {
    /// `POST /payments/v1/authorizations/{authorizationToken}/customer-token` body.
    pub struct CustomerTokenCreationRequest {
        /// Required, 1 to 255 characters.
        description: String,
        /// Required: `SUBSCRIPTION`.
        intended_use: String,
        locale: String,
        purchase_country: String,
        purchase_currency: String,
        billing_address: Address,
        customer: Customer,
    }
}

klarna_object! {
    /// The customer-token answer.
    pub struct CustomerTokenCreationResponse {
        /// Required.
        token_id: String,
        redirect_url: String,
        payment_method_reference: String,
        billing_address: Address,
        customer: CustomerReadCreateToken,
    }
}

klarna_object! {
    /// Schema `merchant_urls`; `{session.id}` and `{order.id}` are placeholders Klarna fills.
    pub struct MerchantUrls {
        confirmation: String,
        /// Where Klarna POSTs fraud decisions ([`super::FraudNotification`]).
        notification: String,
        push: String,
        authorization: String,
    }
}

klarna_object! {
    /// Widget styling (schema `options`): CSS hex colours `#RRGGBB`.
    pub struct Options {
        color_border: String,
        color_border_selected: String,
        color_details: String,
        color_text: String,
        radius_border: String,
    }
}

klarna_object! {
    /// Extra merchant data (schema `attachment`): `body` is JSON serialised into a string.
    pub struct Attachment {
        body: String,
        content_type: String,
    }
}

klarna_object! {
    /// The customer in a request (schema `customer`).
    pub struct Customer {
        date_of_birth: String,
        gender: String,
        last_four_ssn: String,
        national_identification_number: String,
        organization_entity_type: String,
        organization_registration_id: String,
        title: String,
        /// `person` or `organization`.
        #[serde(rename = "type")]
        kind: String,
        vat_id: String,
    }
}

klarna_object! {
    /// The customer in a session read (schema `customer_read`).
    pub struct CustomerRead {
        date_of_birth: String,
        gender: String,
        organization_entity_type: String,
        organization_registration_id: String,
        title: String,
        #[serde(rename = "type")]
        kind: String,
        vat_id: String,
    }
}

klarna_object! {
    /// The customer in a customer-token answer (schema `customer_read_create_token`).
    pub struct CustomerReadCreateToken {
        date_of_birth: String,
        gender: String,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_update_replaces_what_it_carries_and_ignores_read_only_fields() {
        let mut session: SessionCreate = serde_json::from_value(json!({
            "purchase_country": "SE", "purchase_currency": "SEK", "order_amount": 100,
            "client_token": "tok", "locale": "sv-SE"
        }))
        .unwrap();
        let update: Session = serde_json::from_value(json!({
            "order_amount": 200, "client_token": "forged", "status": "complete"
        }))
        .unwrap();
        session.apply_update(update);
        assert_eq!(session.order_amount, Some(200));
        assert_eq!(session.locale.as_deref(), Some("sv-SE"));
        assert_eq!(session.client_token.as_deref(), Some("tok"));
        assert_eq!(session.status, None);
    }
}
