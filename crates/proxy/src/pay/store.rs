//! The `pay_links` and `customer_tokens` tables (migration 0010).

use kassa_model::api::{PayLine, PayLinkState, PaymentCategory};
use kassa_model::klarna::payments::SessionCreate;
use kassa_model::{Currency, Money};
use sqlx::FromRow;

use crate::error::AppError;
use crate::store::Db;

/// A pay link as stored.
#[derive(Clone, Debug, FromRow)]
pub struct Link {
    pub reference: String,
    pub created_by: Option<String>,
    pub client_token: String,
    categories: String,
    cart: String,
    pub intent: String,
    pub order_number: String,
    pub locale: String,
    currency: String,
    amount_minor: i64,
    lines: String,
    pub return_ref: String,
    pub expires_at: String,
    expires_unix: i64,
    pub authorization_token: Option<String>,
    pub order_id: Option<String>,
    pub fraud_pending: bool,
}

impl Link {
    pub fn state(&self, now_unix: i64) -> PayLinkState {
        if self.order_id.is_some() {
            PayLinkState::Placed
        } else if now_unix >= self.expires_unix {
            PayLinkState::Expired
        } else {
            PayLinkState::Open
        }
    }

    pub fn categories(&self) -> Result<Vec<PaymentCategory>, AppError> {
        json(&self.categories, "categories")
    }

    pub fn cart(&self) -> Result<SessionCreate, AppError> {
        json(&self.cart, "cart")
    }

    pub fn lines(&self) -> Result<Vec<PayLine>, AppError> {
        json(&self.lines, "lines")
    }

    pub fn amount(&self) -> Result<Money, AppError> {
        let currency: Currency = self
            .currency
            .parse()
            .map_err(|_| AppError::Internal(format!("pay link currency {}", self.currency)))?;
        Ok(Money::new(self.amount_minor, currency))
    }
}

fn json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, AppError> {
    serde_json::from_str(text).map_err(|e| AppError::Internal(format!("pay link {what}: {e}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.to_string()))
}

/// What [`insert`] writes.
pub struct NewLink<'a> {
    pub reference: &'a str,
    pub origin: &'a str,
    pub created_by: Option<&'a str>,
    pub session_id: &'a str,
    pub client_token: &'a str,
    pub categories: &'a [PaymentCategory],
    pub cart: &'a SessionCreate,
    pub intent: &'a str,
    pub order_number: &'a str,
    pub locale: &'a str,
    pub amount: Money,
    pub lines: &'a [PayLine],
    pub return_ref: &'a str,
    pub created_at: &'a str,
    pub expires_at: &'a str,
    pub expires_unix: i64,
}

pub async fn insert(db: &Db, link: &NewLink<'_>) -> Result<(), AppError> {
    db.query(
        "INSERT INTO pay_links (reference, provider, origin, created_by, session_id, \
         client_token, categories, cart, intent, order_number, locale, currency, amount_minor, \
         lines, return_ref, created_at, expires_at, expires_unix) \
         VALUES (?, 'klarna', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(link.reference)
    .bind(link.origin)
    .bind(link.created_by)
    .bind(link.session_id)
    .bind(link.client_token)
    .bind(to_json(&link.categories)?)
    .bind(to_json(link.cart)?)
    .bind(link.intent)
    .bind(link.order_number)
    .bind(link.locale)
    .bind(link.amount.currency.code())
    .bind(link.amount.minor)
    .bind(to_json(&link.lines)?)
    .bind(link.return_ref)
    .bind(link.created_at)
    .bind(link.expires_at)
    .bind(link.expires_unix)
    .execute()
    .await?;
    Ok(())
}

pub async fn get(db: &Db, reference: &str) -> Result<Option<Link>, AppError> {
    Ok(db
        .query(
            "SELECT reference, created_by, client_token, categories, cart, intent, order_number, \
         locale, currency, amount_minor, lines, return_ref, expires_at, expires_unix, \
         authorization_token, order_id, fraud_pending FROM pay_links WHERE reference = ?",
        )
        .bind(reference)
        .fetch_optional::<Link>()
        .await?)
}

/// Claims the link for `token` if no other token holds it: one statement, so of two
/// authorizations at once only one places the order.
pub async fn claim(db: &Db, reference: &str, token: &str) -> Result<bool, AppError> {
    let done = db.query(
        "UPDATE pay_links SET authorization_token = ? WHERE reference = ? AND order_id IS NULL \
         AND (authorization_token IS NULL OR authorization_token = ?)",
    )
    .bind(token)
    .bind(reference)
    .bind(token)
    .execute()
    .await?;
    Ok(done == 1)
}

/// Frees the link from `token`, which Klarna refused.
pub async fn release(db: &Db, reference: &str, token: &str) -> Result<(), AppError> {
    db.query(
        "UPDATE pay_links SET authorization_token = NULL WHERE reference = ? \
         AND authorization_token = ? AND order_id IS NULL",
    )
    .bind(reference)
    .bind(token)
    .execute()
    .await?;
    Ok(())
}

pub async fn placed(
    db: &Db,
    reference: &str,
    token: &str,
    order_id: &str,
    fraud_pending: bool,
) -> Result<(), AppError> {
    db.query(
        "UPDATE pay_links SET order_id = ?, fraud_pending = ? WHERE reference = ? \
         AND authorization_token = ?",
    )
    .bind(order_id)
    .bind(fraud_pending)
    .bind(reference)
    .bind(token)
    .execute()
    .await?;
    Ok(())
}

pub async fn order_for_return(db: &Db, return_ref: &str) -> Result<Option<String>, AppError> {
    Ok(db
        .query("SELECT order_id FROM pay_links WHERE return_ref = ? AND order_id IS NOT NULL")
        .bind(return_ref)
        .scalar()
        .await?)
}

pub async fn save_customer_token(
    db: &Db,
    token_id: &str,
    email: &str,
    order_id: &str,
    payment_method_reference: Option<&str>,
    at: &str,
) -> Result<(), AppError> {
    db.query(
        "INSERT INTO customer_tokens (token_id, provider, customer_email, order_id, \
         payment_method_reference, created_at) VALUES (?, 'klarna', ?, ?, ?, ?) \
         ON CONFLICT (token_id) DO NOTHING",
    )
    .bind(token_id)
    .bind(email)
    .bind(order_id)
    .bind(payment_method_reference)
    .bind(at)
    .execute()
    .await?;
    Ok(())
}
