//! The sandbox's order state and the rules that move it (Mollie's state machines,
//! `shared/reference/mollie-orders-api.md` §5 and §8).

use std::str::FromStr;

use kassa_model::mollie::{Address, CreateOrder, LineStatus, OrderStatus};
use kassa_model::validate::ValidOrder;
use kassa_model::{Currency, Money, VatRate};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::{Duration, OffsetDateTime};

use crate::ids::{new_id, new_token};
use crate::mollie::auth::Mode;

/// Methods whose successful checkout authorizes (Klarna and friends) instead of paying.
pub const AUTHORIZING_METHODS: &[&str] = &[
    "klarna",
    "klarnapaylater",
    "klarnapaynow",
    "klarnasliceit",
    "billie",
    "in3",
    "riverty",
];

/// Every method Mollie's Orders API accepts.
pub const METHODS: &[&str] = &[
    "applepay",
    "bancontact",
    "banktransfer",
    "belfius",
    "billie",
    "creditcard",
    "directdebit",
    "eps",
    "giftcard",
    "giropay",
    "ideal",
    "in3",
    "kbc",
    "klarna",
    "klarnapaylater",
    "klarnapaynow",
    "klarnasliceit",
    "mybank",
    "paypal",
    "paysafecard",
    "przelewy24",
    "riverty",
    "sofort",
    "voucher",
];

/// 32 base62 characters: about 190 bits.
fn checkout_token() -> String {
    new_token(32)
}

pub fn is_authorizing(method: &str) -> bool {
    AUTHORIZING_METHODS.contains(&method)
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OrderRecord {
    pub id: String,
    /// The hosted checkout's key (`/checkout/{token}`), given only to the shopper through
    /// `_links.checkout`. Order ids show up in consoles and logs; knowing one must not let
    /// anyone pay, or see the return link (and with it the customer's details) of that order.
    #[serde(default = "checkout_token")]
    pub checkout_token: String,
    pub mode: Mode,
    pub profile_id: String,
    pub order_number: String,
    pub status: OrderStatus,
    pub currency: Currency,
    pub amount: Money,
    pub locale: String,
    /// The methods the merchant allowed (empty: any).
    pub methods: Vec<String>,
    /// The method the customer paid with, once chosen.
    pub method: Option<String>,
    pub billing_address: Address,
    pub shipping_address: Address,
    pub consumer_date_of_birth: Option<String>,
    pub shopper_country_must_match_billing_country: Option<bool>,
    pub redirect_url: Option<String>,
    pub cancel_url: Option<String>,
    pub webhook_url: Option<String>,
    pub metadata: Value,
    pub lines: Vec<LineRecord>,
    pub payments: Vec<PaymentRecord>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub paid_at: Option<OffsetDateTime>,
    pub authorized_at: Option<OffsetDateTime>,
    pub canceled_at: Option<OffsetDateTime>,
    pub completed_at: Option<OffsetDateTime>,
    pub expired_at: Option<OffsetDateTime>,
    pub shipments: Vec<ShipmentRecord>,
    pub refunds: Vec<RefundRecord>,
}

/// One line's part in a shipment, refund or cancellation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinePart {
    pub line_id: String,
    pub quantity: u32,
    pub amount: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracking {
    pub carrier: String,
    pub code: String,
    pub url: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ShipmentRecord {
    pub id: String,
    pub created_at: OffsetDateTime,
    pub tracking: Option<Tracking>,
    pub lines: Vec<LinePart>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RefundRecord {
    pub id: String,
    pub created_at: OffsetDateTime,
    pub description: String,
    pub metadata: Value,
    pub amount: Money,
    pub payment_id: String,
    pub lines: Vec<LinePart>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LineRecord {
    pub id: String,
    pub kind: String,
    pub category: Option<String>,
    pub name: String,
    pub sku: Option<String>,
    pub status: LineStatus,
    pub metadata: Value,
    pub quantity: u32,
    pub unit_price: Money,
    pub discount: Option<Money>,
    pub total: Money,
    pub vat_rate: VatRate,
    pub vat: Money,
    pub image_url: Option<String>,
    pub product_url: Option<String>,
    pub created_at: OffsetDateTime,
    pub quantity_shipped: u32,
    pub amount_shipped: Money,
    pub quantity_refunded: u32,
    pub amount_refunded: Money,
    pub quantity_canceled: u32,
    pub amount_canceled: Money,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PaymentRecord {
    pub id: String,
    pub status: PaymentStatus,
    pub method: Option<String>,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaymentStatus {
    Open,
    Pending,
    Authorized,
    Paid,
    Failed,
    Canceled,
    Expired,
}

impl PaymentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Pending => "pending",
            Self::Authorized => "authorized",
            Self::Paid => "paid",
            Self::Failed => "failed",
            Self::Canceled => "canceled",
            Self::Expired => "expired",
        }
    }

    /// The payment can no longer succeed; a new attempt needs a new payment.
    pub fn is_unsuccessful(self) -> bool {
        matches!(self, Self::Failed | Self::Canceled | Self::Expired)
    }
}

/// What the tester chose on the hosted checkout page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Paid,
    Authorized,
    Failed,
    Canceled,
    Expired,
    Open,
    Pending,
}

impl Outcome {
    pub const ALL: [Outcome; 7] = [
        Self::Paid,
        Self::Authorized,
        Self::Failed,
        Self::Canceled,
        Self::Expired,
        Self::Open,
        Self::Pending,
    ];

    pub fn as_str(self) -> &'static str {
        self.payment_status().as_str()
    }

    fn payment_status(self) -> PaymentStatus {
        match self {
            Self::Paid => PaymentStatus::Paid,
            Self::Authorized => PaymentStatus::Authorized,
            Self::Failed => PaymentStatus::Failed,
            Self::Canceled => PaymentStatus::Canceled,
            Self::Expired => PaymentStatus::Expired,
            Self::Open => PaymentStatus::Open,
            Self::Pending => PaymentStatus::Pending,
        }
    }
}

impl FromStr for Outcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| format!("Unknown outcome '{}'.", crate::echo::clip(s)))
    }
}

/// Why a checkout outcome cannot be applied.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckoutError {
    #[error("This order can no longer be paid: its status is {0}.")]
    NotPayable(OrderStatus),
    #[error("The method {method} cannot end {outcome}: {why}")]
    MethodMismatch {
        method: String,
        outcome: &'static str,
        why: &'static str,
    },
    #[error("The method {0} is not allowed for this order.")]
    MethodNotAllowed(String),
}

/// What changed, so the caller knows whether to send the order webhook.
#[derive(Debug, PartialEq, Eq)]
pub struct CheckoutResult {
    pub order_status_changed: bool,
}

impl OrderRecord {
    pub fn new(
        req: &CreateOrder,
        valid: ValidOrder,
        methods: Vec<String>,
        mode: Mode,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Self {
        let id = new_id("ord");
        let zero = Money::zero(valid.currency);
        let lines = req
            .lines
            .iter()
            .zip(valid.lines)
            .map(|(wire, v)| LineRecord {
                id: new_id("odl"),
                kind: wire.kind.clone().unwrap_or_else(|| "physical".into()),
                category: wire.category.clone(),
                name: wire.name.clone().unwrap_or_default(),
                sku: wire.sku.clone(),
                status: LineStatus::Created,
                metadata: wire.metadata.clone().unwrap_or(Value::Null),
                quantity: v.quantity,
                unit_price: v.unit_price,
                discount: v.discount,
                total: v.amounts.total,
                vat_rate: v.vat_rate,
                vat: v.amounts.vat,
                image_url: wire.image_url.clone(),
                product_url: wire.product_url.clone(),
                created_at: now,
                quantity_shipped: 0,
                amount_shipped: zero,
                quantity_refunded: 0,
                amount_refunded: zero,
                quantity_canceled: 0,
                amount_canceled: zero,
            })
            .collect();
        let billing = req.billing_address.clone().unwrap_or_default();
        Self {
            id,
            checkout_token: checkout_token(),
            mode,
            profile_id: "pfl_kassasandbx".into(),
            order_number: req.order_number.clone().unwrap_or_default(),
            status: OrderStatus::Created,
            currency: valid.currency,
            amount: valid.amount,
            locale: req.locale.clone().unwrap_or_default(),
            method: methods.first().filter(|_| methods.len() == 1).cloned(),
            methods,
            shipping_address: req
                .shipping_address
                .clone()
                .unwrap_or_else(|| billing.clone()),
            billing_address: billing,
            consumer_date_of_birth: req.consumer_date_of_birth.clone(),
            shopper_country_must_match_billing_country: req
                .shopper_country_must_match_billing_country,
            redirect_url: req.redirect_url.clone(),
            cancel_url: req.cancel_url.clone(),
            webhook_url: req.webhook_url.clone(),
            metadata: req.metadata.clone().unwrap_or(Value::Null),
            lines,
            payments: vec![PaymentRecord {
                id: new_id("tr"),
                status: PaymentStatus::Open,
                method: None,
                created_at: now,
            }],
            created_at: now,
            expires_at,
            paid_at: None,
            authorized_at: None,
            canceled_at: None,
            completed_at: None,
            expired_at: None,
            shipments: Vec::new(),
            refunds: Vec::new(),
        }
    }

    /// Authorizing flow (captures happen on shipment) rather than paid flow.
    pub fn is_authorizing_flow(&self) -> bool {
        self.authorized_at.is_some()
    }

    /// The method the checkout page should suggest: the order's only method, if it has one.
    pub fn suggested_outcome(&self) -> Outcome {
        match self.methods.as_slice() {
            [only] if is_authorizing(only) => Outcome::Authorized,
            _ => Outcome::Paid,
        }
    }

    /// Applies the tester's checkout choice to the current payment (§8 of the reference):
    /// paid → order and lines `paid`; authorized → `authorized`; failed, canceled or expired
    /// end the payment but keep the order `created`; open changes nothing; pending moves the
    /// order to `pending` (the supplier is checking).
    pub fn checkout(
        &mut self,
        outcome: Outcome,
        chosen_method: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<CheckoutResult, CheckoutError> {
        if !matches!(self.status, OrderStatus::Created | OrderStatus::Pending) {
            return Err(CheckoutError::NotPayable(self.status));
        }
        let method = self.checkout_method(outcome, chosen_method)?;
        if self
            .payments
            .last()
            .is_none_or(|p| p.status.is_unsuccessful())
        {
            self.payments.push(PaymentRecord {
                id: new_id("tr"),
                status: PaymentStatus::Open,
                method: None,
                created_at: now,
            });
        }
        let before = self.status;
        if let Some(payment) = self.payments.last_mut() {
            payment.status = outcome.payment_status();
            payment.method = Some(method.clone());
        }
        self.method = Some(method);
        match outcome {
            Outcome::Paid => {
                self.status = OrderStatus::Paid;
                self.paid_at = Some(now);
                self.set_line_status(LineStatus::Paid);
            }
            Outcome::Authorized => {
                self.status = OrderStatus::Authorized;
                self.authorized_at = Some(now);
                self.set_line_status(LineStatus::Authorized);
            }
            Outcome::Pending => self.status = OrderStatus::Pending,
            Outcome::Failed | Outcome::Canceled | Outcome::Expired => {
                self.status = OrderStatus::Created
            }
            Outcome::Open => {}
        }
        Ok(CheckoutResult {
            order_status_changed: before != self.status,
        })
    }

    fn checkout_method(
        &self,
        outcome: Outcome,
        chosen: Option<&str>,
    ) -> Result<String, CheckoutError> {
        let method = match chosen.filter(|m| !m.is_empty()) {
            Some(m) => m.to_owned(),
            None => match (self.methods.as_slice(), outcome) {
                ([only], _) => only.clone(),
                (_, Outcome::Authorized | Outcome::Pending) => "klarnapaylater".into(),
                _ => "ideal".into(),
            },
        };
        if !self.methods.is_empty() && !self.methods.contains(&method) {
            return Err(CheckoutError::MethodNotAllowed(method));
        }
        let authorizing = is_authorizing(&method);
        match outcome {
            Outcome::Paid if authorizing => Err(CheckoutError::MethodMismatch {
                method,
                outcome: "paid",
                why: "it authorizes; the merchant captures by shipping",
            }),
            Outcome::Authorized | Outcome::Pending if !authorizing => {
                Err(CheckoutError::MethodMismatch {
                    method,
                    outcome: outcome.as_str(),
                    why: "only authorizing methods (Klarna, Billie, in3, Riverty) do that",
                })
            }
            _ => Ok(method),
        }
    }

    pub fn line_mut(&mut self, id: &str) -> Option<&mut LineRecord> {
        self.lines.iter_mut().find(|l| l.id == id)
    }

    /// Moves the order after a shipment, cancellation or line change (§5.5): all lines
    /// canceled → `canceled`; all completed or canceled → `completed`; any shipped → `shipping`.
    pub fn settle(&mut self, now: OffsetDateTime) {
        for line in &mut self.lines {
            line.settle();
        }
        if !matches!(
            self.status,
            OrderStatus::Authorized | OrderStatus::Paid | OrderStatus::Shipping
        ) {
            return;
        }
        let all = |f: fn(LineStatus) -> bool| self.lines.iter().all(|l| f(l.status));
        if all(|s| s == LineStatus::Canceled) {
            self.status = OrderStatus::Canceled;
            self.canceled_at = Some(now);
        } else if all(|s| matches!(s, LineStatus::Completed | LineStatus::Canceled)) {
            self.status = OrderStatus::Completed;
            self.completed_at = Some(now);
            // Everything that will ever be captured now is: the authorization has become a
            // payment (UNCONFIRMED when exactly Mollie flips it; docs/sandbox.md says so).
            for payment in &mut self.payments {
                if payment.status == PaymentStatus::Authorized {
                    payment.status = PaymentStatus::Paid;
                }
            }
        } else if self
            .lines
            .iter()
            .any(|l| matches!(l.status, LineStatus::Shipping | LineStatus::Completed))
        {
            self.status = OrderStatus::Shipping;
        }
    }

    /// Whether `expires_at` still means something: unpaid orders, and authorized ones until
    /// everything is shipped or canceled.
    pub fn can_expire(&self) -> bool {
        match self.status {
            OrderStatus::Created | OrderStatus::Pending => true,
            OrderStatus::Authorized | OrderStatus::Shipping => self.is_authorizing_flow(),
            _ => false,
        }
    }

    /// Ends an order whose time ran out (§8): an unpaid one expires with all lines canceled; an
    /// authorized one releases what was not shipped — `expired` if nothing was, else
    /// `completed` (Mollie leaves this case undocumented). Returns whether anything changed.
    pub fn expire_if_due(&mut self, now: OffsetDateTime) -> bool {
        let due = now >= self.expires_at;
        match self.status {
            OrderStatus::Created | OrderStatus::Pending if due => {
                for line in &mut self.lines {
                    line.cancel_rest();
                }
                for p in &mut self.payments {
                    if matches!(p.status, PaymentStatus::Open | PaymentStatus::Pending) {
                        p.status = PaymentStatus::Expired;
                    }
                }
                self.status = OrderStatus::Expired;
                self.expired_at = Some(now);
                true
            }
            OrderStatus::Authorized | OrderStatus::Shipping
                if due && self.is_authorizing_flow() =>
            {
                let shipped_any = self.lines.iter().any(|l| l.quantity_shipped > 0);
                for line in &mut self.lines {
                    line.cancel_rest();
                }
                if shipped_any {
                    self.settle(now);
                } else {
                    self.status = OrderStatus::Expired;
                    self.expired_at = Some(now);
                }
                true
            }
            _ => false,
        }
    }

    /// The payment refunds are booked against: the one that succeeded.
    pub fn settled_payment_id(&self) -> String {
        self.payments
            .iter()
            .rev()
            .find(|p| matches!(p.status, PaymentStatus::Paid | PaymentStatus::Authorized))
            .or(self.payments.last())
            .map(|p| p.id.clone())
            .unwrap_or_default()
    }

    fn set_line_status(&mut self, status: LineStatus) {
        for line in &mut self.lines {
            line.status = status;
        }
    }

    /// Whether the whole order may still be canceled (§5.5).
    pub fn is_cancelable(&self) -> bool {
        match self.status {
            OrderStatus::Created | OrderStatus::Authorized => true,
            OrderStatus::Shipping => !self.lines.iter().any(|l| l.status == LineStatus::Paid),
            _ => false,
        }
    }

    /// Everything ever captured: paid orders are captured at once, authorized ones per shipment.
    pub fn amount_captured(&self) -> Option<Money> {
        if self.paid_at.is_some() {
            Some(self.amount)
        } else if self.authorized_at.is_some() {
            Money::sum(self.currency, self.lines.iter().map(|l| l.amount_shipped)).ok()
        } else {
            None
        }
    }

    /// Every refund of the order's payment: those of lines and those of an amount
    /// (`POST /v2/payments/{id}/refunds`).
    pub fn amount_refunded(&self) -> Option<Money> {
        if self.paid_at.is_some() || self.authorized_at.is_some() {
            Money::sum(self.currency, self.refunds.iter().map(|r| r.amount)).ok()
        } else {
            None
        }
    }
}

/// A line's still-possible quantities (§5.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCounters {
    pub shippable: u32,
    pub refundable: u32,
    pub cancelable: u32,
}

impl LineRecord {
    /// Units neither shipped nor canceled.
    pub fn open_quantity(&self) -> u32 {
        self.quantity
            .saturating_sub(self.quantity_shipped + self.quantity_canceled)
    }

    /// What is left of the line total after shipments and cancellations.
    pub fn open_amount(&self) -> Money {
        Money::new(
            self.total.minor - self.amount_shipped.minor - self.amount_canceled.minor,
            self.total.currency,
        )
    }

    /// Cancels whatever is neither shipped nor canceled yet.
    pub fn cancel_rest(&mut self) {
        let amount = self.open_amount();
        self.quantity_canceled += self.open_quantity();
        self.amount_canceled = Money::new(
            self.amount_canceled.minor + amount.minor,
            self.total.currency,
        );
        self.settle();
    }

    /// The line's status from its counters (§5.3): all canceled → `canceled`; shipped plus
    /// canceled is everything → `completed`; partly shipped → `shipping`.
    pub fn settle(&mut self) {
        if self.status == LineStatus::Created {
            if self.quantity_canceled >= self.quantity {
                self.status = LineStatus::Canceled;
            }
            return;
        }
        if self.quantity_canceled >= self.quantity {
            self.status = LineStatus::Canceled;
        } else if self.quantity_shipped + self.quantity_canceled >= self.quantity {
            self.status = LineStatus::Completed;
        } else if self.quantity_shipped > 0 {
            self.status = LineStatus::Shipping;
        }
    }

    pub fn counters(&self, authorizing_flow: bool) -> LineCounters {
        let open = self
            .quantity
            .saturating_sub(self.quantity_shipped + self.quantity_canceled);
        match self.status {
            LineStatus::Created | LineStatus::Canceled => LineCounters {
                shippable: 0,
                refundable: 0,
                cancelable: 0,
            },
            _ if authorizing_flow => LineCounters {
                shippable: open,
                refundable: self.quantity_shipped.saturating_sub(self.quantity_refunded),
                cancelable: open,
            },
            _ => LineCounters {
                shippable: open,
                refundable: self.quantity.saturating_sub(self.quantity_refunded),
                cancelable: 0,
            },
        }
    }
}

/// The default expiry: 28 days after creation.
pub fn default_expiry(created: OffsetDateTime) -> OffsetDateTime {
    created + Duration::days(28)
}
