//! An order's payment and fulfilment, read apart (as Shopify shows them: "Paid · Partially
//! refunded", "Unfulfilled · Partially shipped"), from Kassa's provider-neutral view. One
//! order status cannot say both: a `completed` order may be refunded in full, a `paid` one
//! not shipped at all.

use serde::{Deserialize, Serialize};

use crate::api::OrderView;
use crate::status::OrderStatus;

/// Where the customer's money is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    /// Created, the customer has not paid (yet).
    AwaitingPayment,
    /// The provider is still deciding (a bank transfer, a fraud review).
    Pending,
    /// Authorized, nothing captured yet: charged when it ships.
    Authorized,
    /// Part of an authorization captured.
    PartiallyPaid,
    Paid,
    PartiallyRefunded,
    Refunded,
    /// Canceled before any money moved.
    Voided,
    /// The customer never paid, or the authorization ran out.
    Expired,
}

/// Where the goods are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FulfilmentState {
    Unfulfilled,
    PartiallyShipped,
    Shipped,
    /// Canceled with nothing shipped.
    Canceled,
}

impl PaymentState {
    pub const ALL: [Self; 9] = [
        Self::AwaitingPayment,
        Self::Pending,
        Self::Authorized,
        Self::PartiallyPaid,
        Self::Paid,
        Self::PartiallyRefunded,
        Self::Refunded,
        Self::Voided,
        Self::Expired,
    ];

    /// The API's and the database's spelling (`partially_refunded`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AwaitingPayment => "awaiting_payment",
            Self::Pending => "pending",
            Self::Authorized => "authorized",
            Self::PartiallyPaid => "partially_paid",
            Self::Paid => "paid",
            Self::PartiallyRefunded => "partially_refunded",
            Self::Refunded => "refunded",
            Self::Voided => "voided",
            Self::Expired => "expired",
        }
    }

    /// What staff read.
    pub fn label(self) -> &'static str {
        match self {
            Self::AwaitingPayment => "Awaiting payment",
            Self::Pending => "Payment pending",
            Self::Authorized => "Authorized",
            Self::PartiallyPaid => "Partially paid",
            Self::Paid => "Paid",
            Self::PartiallyRefunded => "Partially refunded",
            Self::Refunded => "Refunded",
            Self::Voided => "Voided",
            Self::Expired => "Expired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

impl FulfilmentState {
    pub const ALL: [Self; 4] = [
        Self::Unfulfilled,
        Self::PartiallyShipped,
        Self::Shipped,
        Self::Canceled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unfulfilled => "unfulfilled",
            Self::PartiallyShipped => "partially_shipped",
            Self::Shipped => "shipped",
            Self::Canceled => "canceled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Unfulfilled => "Unfulfilled",
            Self::PartiallyShipped => "Partially shipped",
            Self::Shipped => "Shipped",
            Self::Canceled => "Canceled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

impl OrderView {
    /// The money's state: what was captured (the whole amount once paid, unless the provider
    /// says how much was captured) against what was refunded, else the order's status.
    pub fn payment_state(&self) -> PaymentState {
        let captured = self.amount_captured.map_or(0, |m| m.minor);
        let paid = match self.status {
            OrderStatus::Paid | OrderStatus::Shipping | OrderStatus::Completed if captured == 0 => {
                self.amount.minor
            }
            _ => captured,
        };
        let refunded = self.amount_refunded.map_or(0, |m| m.minor);
        if paid > 0 {
            return if refunded >= paid {
                PaymentState::Refunded
            } else if refunded > 0 {
                PaymentState::PartiallyRefunded
            } else if paid < self.amount.minor
                && !matches!(self.status, OrderStatus::Completed | OrderStatus::Canceled)
            {
                PaymentState::PartiallyPaid
            } else {
                PaymentState::Paid
            };
        }
        match self.status {
            OrderStatus::Created => PaymentState::AwaitingPayment,
            OrderStatus::Pending => PaymentState::Pending,
            OrderStatus::Authorized => PaymentState::Authorized,
            OrderStatus::Paid | OrderStatus::Shipping | OrderStatus::Completed => {
                PaymentState::Paid
            }
            OrderStatus::Canceled => PaymentState::Voided,
            OrderStatus::Expired => PaymentState::Expired,
        }
    }

    /// The goods' state: units shipped against units ordered and not canceled.
    pub fn fulfilment_state(&self) -> FulfilmentState {
        let shipped: u64 = self
            .lines
            .iter()
            .map(|l| u64::from(l.quantity_shipped))
            .sum();
        let to_ship: u64 = self
            .lines
            .iter()
            .map(|l| u64::from(l.quantity.saturating_sub(l.quantity_canceled)))
            .sum();
        if shipped == 0 {
            if self.status == OrderStatus::Canceled || (to_ship == 0 && !self.lines.is_empty()) {
                FulfilmentState::Canceled
            } else {
                FulfilmentState::Unfulfilled
            }
        } else if shipped >= to_ship {
            FulfilmentState::Shipped
        } else {
            FulfilmentState::PartiallyShipped
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Address, LineStatus, LineView};
    use crate::{Currency, Money, Provider, VatRate};

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }

    /// Two lines of 2 × €10.00: `shipped` and `canceled` units of the first.
    fn order(
        status: OrderStatus,
        captured: i64,
        refunded: i64,
        shipped: u32,
        canceled: u32,
    ) -> OrderView {
        let line = |q_shipped, q_canceled| LineView {
            id: "l".into(),
            name: "Regenjas".into(),
            sku: None,
            status: LineStatus::Paid,
            quantity: 2,
            unit_price: eur(1000),
            discount: None,
            total: eur(2000),
            vat_rate: VatRate::from_basis_points(2100).unwrap(),
            vat_amount: eur(347),
            quantity_shipped: q_shipped,
            quantity_refunded: 0,
            quantity_canceled: q_canceled,
            shippable_quantity: 0,
            refundable_quantity: 0,
            cancelable_quantity: 0,
            amount_shipped: None,
            amount_refunded: None,
            amount_canceled: None,
        };
        OrderView {
            id: "ord_1".into(),
            provider: Provider::Mollie,
            order_number: "K-1".into(),
            merchant_reference2: None,
            provider_reference: None,
            status,
            provider_status: None,
            fraud_status: None,
            amount: eur(4000),
            amount_original: None,
            amount_captured: (captured > 0).then(|| eur(captured)),
            amount_refunded: (refunded > 0).then(|| eur(refunded)),
            amount_remaining: None,
            locale: "nl_NL".into(),
            method: None,
            created_at: String::new(),
            expires_at: None,
            extended_expires_at: None,
            billing_address: Address::default(),
            shipping_address: None,
            lines: vec![line(shipped, canceled), line(0, 0)],
            checkout_url: None,
            events: Vec::new(),
            shipments: Vec::new(),
            refunds: Vec::new(),
            payments: Vec::new(),
            actions: Vec::new(),
        }
    }

    #[test]
    fn payment_reads_captured_against_refunded() {
        use OrderStatus::*;
        let cases = [
            (Created, 0, 0, PaymentState::AwaitingPayment),
            (Pending, 0, 0, PaymentState::Pending),
            (Authorized, 0, 0, PaymentState::Authorized),
            (Shipping, 1000, 0, PaymentState::PartiallyPaid),
            // Mollie says nothing of captures for a paid order: all of it was paid.
            (Paid, 0, 0, PaymentState::Paid),
            (Completed, 0, 1000, PaymentState::PartiallyRefunded),
            (Completed, 4000, 4000, PaymentState::Refunded),
            // Completed after the rest was released: what was captured is all there is.
            (Completed, 1000, 0, PaymentState::Paid),
            (Canceled, 0, 0, PaymentState::Voided),
            (Expired, 0, 0, PaymentState::Expired),
        ];
        for (status, captured, refunded, expected) in cases {
            assert_eq!(
                order(status, captured, refunded, 0, 0).payment_state(),
                expected,
                "{status} captured {captured} refunded {refunded}"
            );
        }
    }

    #[test]
    fn fulfilment_reads_shipped_against_what_is_left_to_ship() {
        use OrderStatus::*;
        assert_eq!(
            order(Paid, 0, 0, 0, 0).fulfilment_state(),
            FulfilmentState::Unfulfilled
        );
        assert_eq!(
            order(Shipping, 0, 0, 1, 0).fulfilment_state(),
            FulfilmentState::PartiallyShipped
        );
        assert_eq!(
            order(Canceled, 0, 0, 0, 0).fulfilment_state(),
            FulfilmentState::Canceled
        );
        let mut all = order(Completed, 0, 0, 2, 0);
        all.lines[1].quantity_shipped = 2;
        assert_eq!(all.fulfilment_state(), FulfilmentState::Shipped);
        // What was canceled does not wait to be shipped.
        let mut rest_canceled = order(Completed, 0, 0, 2, 0);
        rest_canceled.lines[1].quantity_canceled = 2;
        assert_eq!(rest_canceled.fulfilment_state(), FulfilmentState::Shipped);
    }

    #[test]
    fn spellings_read_back() {
        for p in PaymentState::ALL {
            assert_eq!(PaymentState::parse(p.as_str()), Some(p));
        }
        for f in FulfilmentState::ALL {
            assert_eq!(FulfilmentState::parse(f.as_str()), Some(f));
        }
    }
}
