//! An Order Management order: what the sandbox keeps, the amounts that follow from it
//! (reference §5.1), and how it is shown (`Order`, `Capture`, `Refund` of Klarna's spec).

use kassa_model::klarna::om::{self, Address, Customer, OrderLine, ShippingInfo};
use kassa_model::klarna::{FraudStatus, OrderStatus};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime, Time};

use crate::clock::klarna_datetime;

use super::payments::Category;

/// Klarna's default authorization period.
pub const AUTHORIZATION_DAYS: i64 = 28;
/// Extensions never reach past this many days after the day of creation.
pub const EXTENSION_LIMIT_DAYS: i64 = 180;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    pub merchant: String,
    pub klarna_reference: String,
    pub status: OrderStatus,
    pub fraud_status: FraudStatus,
    pub purchase_country: String,
    pub purchase_currency: String,
    pub locale: Option<String>,
    pub order_amount: i64,
    pub original_order_amount: i64,
    pub order_lines: Vec<OrderLine>,
    pub billing_address: Option<Address>,
    pub shipping_address: Option<Address>,
    pub customer: Option<Customer>,
    pub merchant_reference1: Option<String>,
    pub merchant_reference2: Option<String>,
    pub merchant_data: Option<String>,
    pub category: Category,
    /// `merchant_urls.notification`, placeholders filled: where fraud decisions are POSTed.
    pub notification_url: Option<String>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub captures: Vec<Capture>,
    pub refunds: Vec<Refund>,
    /// Order-level shipping information (appended before capture).
    pub shipping_info: Vec<ShippingInfo>,
    pub acknowledged: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Capture {
    pub id: String,
    pub klarna_reference: String,
    pub captured_amount: i64,
    pub captured_at: OffsetDateTime,
    pub description: Option<String>,
    pub reference: Option<String>,
    pub order_lines: Vec<OrderLine>,
    /// Refunds allocated to this capture.
    pub refunded_amount: i64,
    pub billing_address: Option<Address>,
    pub shipping_address: Option<Address>,
    pub shipping_info: Vec<ShippingInfo>,
    /// How often the customer's invoice was sent again.
    pub send_outs: u32,
    /// Days the due date was extended by, once extended.
    pub due_date_extended_by: Option<i64>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Refund {
    pub id: String,
    pub refunded_amount: i64,
    pub refunded_at: OffsetDateTime,
    pub description: Option<String>,
    pub reference: Option<String>,
    pub order_lines: Vec<OrderLine>,
}

impl Order {
    /// Σ captures. Each capture is at most what was left, so the sum never passes the order
    /// amount (≤ 100000000): no overflow.
    pub fn captured_amount(&self) -> i64 {
        self.captures.iter().map(|c| c.captured_amount).sum()
    }

    /// Σ refunds, at most what was captured.
    pub fn refunded_amount(&self) -> i64 {
        self.refunds.iter().map(|r| r.refunded_amount).sum()
    }

    /// What can still be captured: nothing once the order is cancelled, expired, closed or
    /// fully captured.
    pub fn remaining_authorized_amount(&self) -> i64 {
        if self.status.is_capturable() {
            (self.order_amount - self.captured_amount()).max(0)
        } else {
            0
        }
    }

    /// The status after a capture or an authorization change.
    pub fn settle_status(&mut self) {
        if !self.status.is_capturable() {
            return;
        }
        let captured = self.captured_amount();
        self.status = if captured == 0 {
            OrderStatus::Authorized
        } else if captured >= self.order_amount {
            OrderStatus::Captured
        } else {
            OrderStatus::PartCaptured
        };
    }

    /// Whether the authorization can still run out.
    pub fn can_expire(&self) -> bool {
        self.status.is_capturable()
    }

    /// `AUTHORIZED` or `PART_CAPTURED` past `expires_at` becomes `EXPIRED`.
    pub fn expire_if_due(&mut self, now: OffsetDateTime) -> bool {
        if self.can_expire() && now >= self.expires_at {
            self.status = OrderStatus::Expired;
            true
        } else {
            false
        }
    }

    pub fn capture(&self, capture_id: &str) -> Option<&Capture> {
        self.captures.iter().find(|c| c.id == capture_id)
    }

    pub fn render(&self) -> om::Order {
        om::Order {
            order_id: Some(self.id.clone()),
            status: Some(self.status.as_str().into()),
            fraud_status: Some(self.fraud_status.as_str().into()),
            order_amount: Some(self.order_amount),
            original_order_amount: Some(self.original_order_amount),
            captured_amount: Some(self.captured_amount()),
            refunded_amount: Some(self.refunded_amount()),
            remaining_authorized_amount: Some(self.remaining_authorized_amount()),
            purchase_currency: Some(self.purchase_currency.clone()),
            purchase_country: Some(self.purchase_country.clone()),
            locale: self.locale.clone(),
            order_lines: Some(self.order_lines.clone()),
            merchant_reference1: self.merchant_reference1.clone(),
            merchant_reference2: self.merchant_reference2.clone(),
            klarna_reference: Some(self.klarna_reference.clone()),
            customer: self.customer.clone(),
            billing_address: self.billing_address.clone(),
            shipping_address: self.shipping_address.clone(),
            created_at: Some(klarna_datetime(self.created_at)),
            expires_at: Some(klarna_datetime(self.expires_at)),
            captures: Some(self.captures.iter().map(Capture::render).collect()),
            refunds: Some(self.refunds.iter().map(Refund::render).collect()),
            merchant_data: self.merchant_data.clone(),
            initial_payment_method: Some(self.category.initial_payment_method()),
            selected_shipping_option: None,
            shipping_info: Some(self.shipping_info.clone()),
        }
    }
}

impl Capture {
    pub fn render(&self) -> om::Capture {
        om::Capture {
            capture_id: Some(self.id.clone()),
            klarna_reference: Some(self.klarna_reference.clone()),
            captured_amount: Some(self.captured_amount),
            captured_at: Some(klarna_datetime(self.captured_at)),
            description: self.description.clone(),
            reference: self.reference.clone(),
            order_lines: Some(self.order_lines.clone()),
            refunded_amount: Some(self.refunded_amount),
            billing_address: self.billing_address.clone(),
            shipping_address: self.shipping_address.clone(),
            shipping_info: Some(self.shipping_info.clone()),
        }
    }
}

impl Refund {
    pub fn render(&self) -> om::Refund {
        om::Refund {
            refund_id: Some(self.id.clone()),
            refunded_amount: Some(self.refunded_amount),
            refunded_at: Some(klarna_datetime(self.refunded_at)),
            description: self.description.clone(),
            reference: self.reference.clone(),
            order_lines: Some(self.order_lines.clone()),
            credit_invoice: None,
        }
    }
}

/// Midnight UTC starting the day `days` after the day of `from` (Klarna's own example:
/// created 2022-07-08, expires 2022-08-05T00:00:00Z).
pub fn midnight_after(from: OffsetDateTime, days: i64) -> OffsetDateTime {
    (from.date() + Duration::days(days))
        .with_time(Time::MIDNIGHT)
        .assume_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_look_like_klarnas() {
        let t = time::macros::datetime!(2022-07-08 09:48:16.680 UTC);
        assert_eq!(klarna_datetime(t), "2022-07-08T09:48:16.680Z");
        assert_eq!(
            klarna_datetime(midnight_after(t, AUTHORIZATION_DAYS)),
            "2022-08-05T00:00:00.000Z"
        );
    }
}
