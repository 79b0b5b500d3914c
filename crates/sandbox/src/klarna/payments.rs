//! Klarna Payments: a session holds the cart; an authorization (in the shopper's browser, or
//! the test control) turns it into a token valid 60 minutes; the token places one order or
//! makes one customer token (reference §7).

use kassa_model::klarna::om::{Address, InitialPaymentMethod};
use kassa_model::klarna::payments::{
    AssetUrls, AuthorizedPaymentMethod, Customer, CustomerRead, MerchantSession,
    Order as PlacedOrder, PaymentMethodCategory, SessionCreate, SessionRead,
};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::clock::klarna_datetime;
use crate::ids::{new_token, new_uuid};

/// How long a session lives (sandbox time).
pub const SESSION_LIFETIME: Duration = Duration::hours(48);
/// How long an authorization token can place an order (sandbox time).
pub const TOKEN_LIFETIME: Duration = Duration::minutes(60);

/// The payment method categories every session offers, named as Klarna names them
/// (`pay_now`, `pay_later`, `pay_over_time`).
#[allow(clippy::enum_variant_names)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    PayNow,
    PayLater,
    PayOverTime,
}

impl Category {
    pub const ALL: [Self; 3] = [Self::PayNow, Self::PayLater, Self::PayOverTime];

    pub fn identifier(self) -> &'static str {
        match self {
            Self::PayNow => "pay_now",
            Self::PayLater => "pay_later",
            Self::PayOverTime => "pay_over_time",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::PayNow => "Pay now.",
            Self::PayLater => "Pay later.",
            Self::PayOverTime => "Financing.",
        }
    }

    pub fn from_identifier(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.identifier() == s)
    }

    /// What Klarna Payments says was authorized (`authorized_payment_method`).
    pub fn authorized_payment_method(self) -> AuthorizedPaymentMethod {
        let (kind, days, installments) = match self {
            Self::PayNow => ("pay_by_card", None, None),
            Self::PayLater => ("invoice", Some(14), None),
            Self::PayOverTime => ("fixed_amount", None, Some(3)),
        };
        AuthorizedPaymentMethod {
            kind: Some(kind.into()),
            number_of_days: days,
            number_of_installments: installments,
        }
    }

    /// What Order Management says the order was paid with (`initial_payment_method`).
    pub fn initial_payment_method(self) -> InitialPaymentMethod {
        let (kind, description, installments) = match self {
            Self::PayNow => ("PAY_BY_CARD", "Pay now", None),
            Self::PayLater => ("INVOICE", "Pay later", None),
            Self::PayOverTime => ("FIXED_AMOUNT", "Financing", Some(3)),
        };
        InitialPaymentMethod {
            kind: Some(kind.into()),
            description: Some(description.into()),
            number_of_installments: installments,
        }
    }

    /// Klarna: increasing an authorization is for invoices and financing, not cards.
    pub fn can_increase_authorization(self) -> bool {
        self != Self::PayNow
    }

    /// Klarna: "not for Pay Now by Card".
    pub fn can_extend_authorization(self) -> bool {
        self != Self::PayNow
    }

    /// Only invoices have a due date to extend.
    pub fn has_due_date(self) -> bool {
        self == Self::PayLater
    }

    fn category(self, base: &str) -> PaymentMethodCategory {
        let badge = format!("{base}/klarna/assets/badge.svg");
        PaymentMethodCategory {
            identifier: Some(self.identifier().into()),
            name: Some(self.name().into()),
            asset_urls: Some(AssetUrls {
                descriptive: Some(badge.clone()),
                standard: Some(badge),
            }),
        }
    }
}

/// A Klarna Payments session.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Session {
    pub id: String,
    pub merchant: String,
    pub client_token: String,
    /// The cart as the merchant sent it, with every update merged in; always valid.
    pub cart: SessionCreate,
    /// An order or a customer token was made from it.
    pub complete: bool,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

impl Session {
    pub fn new(merchant: &str, cart: SessionCreate, base: &str, now: OffsetDateTime) -> Self {
        let id = new_uuid();
        Self {
            client_token: client_token(&id, base),
            id,
            merchant: merchant.to_owned(),
            cart,
            complete: false,
            created_at: now,
            expires_at: now + SESSION_LIFETIME,
        }
    }

    pub fn is_live(&self, now: OffsetDateTime) -> bool {
        now < self.expires_at
    }

    pub fn intent(&self) -> &str {
        self.cart.intent.as_deref().unwrap_or("buy")
    }

    pub fn created(&self, base: &str) -> MerchantSession {
        MerchantSession {
            session_id: Some(self.id.clone()),
            client_token: Some(self.client_token.clone()),
            payment_method_categories: Some(categories(base)),
        }
    }

    /// `GET /payments/v1/sessions/{id}`: the cart, and what Klarna adds to it.
    pub fn read(&self, base: &str) -> SessionRead {
        let c = self.cart.clone();
        SessionRead {
            acquiring_channel: c.acquiring_channel,
            attachment: c.attachment,
            authorization_token: None,
            billing_address: c.billing_address,
            client_token: Some(self.client_token.clone()),
            custom_payment_method_ids: c.custom_payment_method_ids,
            customer: c.customer.map(customer_read),
            design: c.design,
            expires_at: Some(klarna_datetime(self.expires_at)),
            intent: Some(self.intent().to_owned()),
            locale: c.locale,
            merchant_data: c.merchant_data,
            merchant_reference1: c.merchant_reference1,
            merchant_reference2: c.merchant_reference2,
            merchant_urls: c.merchant_urls,
            options: c.options,
            order_amount: c.order_amount,
            order_lines: c.order_lines,
            order_tax_amount: c.order_tax_amount,
            payment_method_categories: Some(categories(base)),
            purchase_country: c.purchase_country,
            purchase_currency: c.purchase_currency,
            shipping_address: c.shipping_address,
            status: Some(
                if self.complete {
                    "complete"
                } else {
                    "incomplete"
                }
                .into(),
            ),
        }
    }
}

/// The customer as a session read shows it (`customer_read`): without the national
/// identification number and the last four SSN digits it was given.
fn customer_read(c: Customer) -> CustomerRead {
    CustomerRead {
        date_of_birth: c.date_of_birth,
        gender: c.gender,
        organization_entity_type: c.organization_entity_type,
        organization_registration_id: c.organization_registration_id,
        title: c.title,
        kind: c.kind,
        vat_id: c.vat_id,
    }
}

fn categories(base: &str) -> Vec<PaymentMethodCategory> {
    Category::ALL.iter().map(|c| c.category(base)).collect()
}

/// A JWT-shaped client token, as Klarna's are: a header, a payload naming the session and the
/// sandbox that issued it, and a random part that makes it unguessable. The stand-in library
/// sends it back to authorize; it is the only key to the session a browser ever holds.
fn client_token(session_id: &str, base: &str) -> String {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let payload = serde_json::json!({ "session_id": session_id, "base_url": base });
    format!(
        "{}.{}.{}",
        b64(r#"{"alg":"none","typ":"JWT"}"#),
        b64(&payload.to_string()),
        new_token(43)
    )
}

/// How the tester (or the stand-in widget) ends an authorization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Approved,
    Rejected,
    /// Approved, with the order's fraud review pending.
    Pending,
}

impl std::str::FromStr for Outcome {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "approved" => Ok(Self::Approved),
            "rejected" => Ok(Self::Rejected),
            "pending" => Ok(Self::Pending),
            _ => Err(()),
        }
    }
}

/// What `Klarna.Payments.authorize` calls back with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Callback {
    pub approved: bool,
    pub show_form: bool,
    pub authorization_token: Option<String>,
    pub finalize_required: bool,
}

/// An authorization token and what it may still do.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Authorization {
    pub token: String,
    pub session_id: String,
    pub merchant: String,
    pub category: Category,
    /// The order it places waits for a fraud review.
    pub fraud_pending: bool,
    /// The session's cart when it was authorized: an order must match it.
    pub cart: SessionCreate,
    pub intent: String,
    /// Addresses the shopper gave in the widget (`authorize`'s data), if any.
    pub billing_address: Option<Address>,
    pub shipping_address: Option<Address>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub canceled: bool,
    pub placed: Option<Placed>,
    pub customer_token: Option<String>,
}

/// The one order a token placed, and the request that placed it (a repeat of the same request
/// gets the same answer).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Placed {
    pub request: serde_json::Value,
    pub response: PlacedOrder,
    /// The key of `redirect_url` (`/klarna/redirect/{key}`).
    pub redirect_key: String,
    pub confirmation_url: Option<String>,
}

impl Authorization {
    pub fn new(
        session: &Session,
        category: Category,
        fraud_pending: bool,
        addresses: (Option<Address>, Option<Address>),
        now: OffsetDateTime,
    ) -> Self {
        Self {
            token: new_uuid(),
            session_id: session.id.clone(),
            merchant: session.merchant.clone(),
            category,
            fraud_pending,
            cart: session.cart.clone(),
            intent: session.intent().to_owned(),
            billing_address: addresses.0,
            shipping_address: addresses.1,
            created_at: now,
            expires_at: now + TOKEN_LIFETIME,
            canceled: false,
            placed: None,
            customer_token: None,
        }
    }

    /// Still able to place an order or make a customer token.
    pub fn is_usable(&self, now: OffsetDateTime) -> bool {
        !self.canceled && now < self.expires_at
    }
}

/// Fills Klarna's placeholders in a merchant URL.
pub fn fill_placeholders(
    url: &str,
    session_id: &str,
    order_id: Option<&str>,
    token: &str,
) -> String {
    let mut url = url
        .replace("{session.id}", session_id)
        .replace("{authorization_token}", token);
    if let Some(order_id) = order_id {
        url = url.replace("{order.id}", order_id);
    }
    url
}
