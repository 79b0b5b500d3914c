//! The payment providers behind Kassa, and the only code that knows them: each folder holds a
//! provider's client, the translation of its order into Kassa's [`OrderView`] and the planning
//! of staff actions into its calls. Everything above (routes, mirror, ledger, refresh) works
//! on the neutral types here and never names a provider.
//!
//! Dispatch is a `match` on [`Provider`], not a trait object: with two providers a `match`
//! reads top to bottom, and `async fn` in traits is not dyn-compatible without boxing.

pub mod klarna;
pub mod mollie;

use kassa_model::api::{DueDateOption, NewOrder, OrderAction, OrderEvent, OrderView, PricedOrder};
use kassa_model::Provider;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::AppError;
use crate::AppState;

/// Why a call to a provider did not give us what we asked for. Each adapter maps its own
/// error body into this once.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// The provider answered with an error (validation, not found, state rules).
    #[error("provider answered {status}: {message}")]
    Rejected {
        /// The provider's HTTP status.
        status: u16,
        /// What kind of refusal it is, in Kassa's terms.
        code: Refusal,
        /// The provider's own words (for Klarna, its messages joined).
        message: String,
        /// The request field it names, if any.
        field: Option<String>,
    },
    /// Network trouble, a timeout, 429, a 5xx (or a duplicate still in flight): the call may
    /// be retried with the same idempotency key.
    #[error("provider unavailable: {0}")]
    Unavailable(String),
    /// The provider answered something we could not read.
    #[error("unreadable provider answer: {0}")]
    Invalid(String),
}

/// A provider's refusal, classified once by its adapter so [`AppError`] picks the status
/// without knowing any provider's codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No such order (or capture, refund…): 404.
    NotFound,
    /// The input broke the provider's rules for a field: 422 `provider`.
    Invalid,
    /// Not allowed in the order's state (Klarna's 403 `…NOT_ALLOWED`): 422 `not_allowed`.
    NotAllowed,
    /// The request contradicts what the provider already holds (Klarna Payments: an order
    /// for another cart than the one authorized): 409 `conflict`.
    Conflict,
    /// Anything else (credentials, a request Kassa should never send): 502.
    Other,
}

impl ProviderError {
    /// A provider's "no such order", for ids that cannot be one of its orders: never sent.
    pub fn no_such_order(id: &str) -> Self {
        Self::Rejected {
            status: 404,
            code: Refusal::NotFound,
            message: format!("No order {}.", kassa_model::quoted(id)),
            field: None,
        }
    }

    /// Whether the provider says the order does not exist (a webhook for it is done with).
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            Self::Rejected {
                code: Refusal::NotFound,
                ..
            }
        )
    }
}

/// One request to a provider, as the ledger records and replays it: the very same request
/// goes out again under the same idempotency key when an intent is resumed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProviderCall {
    /// Rows written before Klarna were all Mollie's.
    #[serde(default = "mollie_provider")]
    pub provider: Provider,
    /// `POST`, `PATCH`, `DELETE`.
    pub method: String,
    /// Relative to the provider's API base (`orders/ord_x/shipments`,
    /// `ordermanagement/v1/orders/{id}/captures`).
    pub path: String,
    /// JSON body; `null` for none (Klarna's bodiless POSTs).
    #[serde(default)]
    pub body: Value,
}

fn mollie_provider() -> Provider {
    Provider::Mollie
}

impl ProviderCall {
    pub fn new(provider: Provider, method: &str, path: String, body: Value) -> Self {
        Self {
            provider,
            method: method.to_owned(),
            path,
            body,
        }
    }

    /// The idempotency key of the `n`th call of an intent: the intent id itself for the first
    /// (most actions are one call), `{intent}-{n}` for the others.
    pub fn key(intent: &str, n: usize) -> String {
        if n == 0 {
            intent.to_owned()
        } else {
            format!("{intent}-{n}")
        }
    }

    /// The calls as the ledger stores them (a JSON array).
    pub fn record(calls: &[ProviderCall]) -> Result<String, AppError> {
        serde_json::to_string(calls).map_err(|e| AppError::Internal(e.to_string()))
    }

    /// What [`ProviderCall::record`] stored; an object alone is a row from before actions
    /// could take several calls.
    pub fn recorded(text: &str) -> Result<Vec<ProviderCall>, AppError> {
        let broken = |e: serde_json::Error| {
            AppError::Internal(format!("ledger: unreadable provider call {text}: {e}"))
        };
        match serde_json::from_str::<Value>(text).map_err(broken)? {
            Value::Array(_) => serde_json::from_str(text).map_err(broken),
            one => Ok(vec![serde_json::from_value(one).map_err(broken)?]),
        }
    }
}

/// An order as its provider sent it: what the mirror keeps (as JSON), and what views are made
/// from.
#[derive(Clone, Debug, PartialEq)]
pub enum ProviderOrder {
    Mollie(Box<kassa_model::mollie::Order>),
    Klarna(Box<kassa_model::klarna::om::Order>),
}

impl ProviderOrder {
    pub fn provider(&self) -> Provider {
        match self {
            Self::Mollie(_) => Provider::Mollie,
            Self::Klarna(_) => Provider::Klarna,
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Self::Mollie(o) => &o.id,
            Self::Klarna(o) => o.order_id.as_deref().unwrap_or_default(),
        }
    }

    pub fn to_json(&self) -> Result<String, AppError> {
        match self {
            Self::Mollie(o) => serde_json::to_string(o),
            Self::Klarna(o) => serde_json::to_string(o),
        }
        .map_err(|e| AppError::Internal(e.to_string()))
    }

    /// What the mirror stored for an order of `provider`.
    pub fn from_json(provider: Provider, body: &str) -> Result<Self, serde_json::Error> {
        Ok(match provider {
            Provider::Mollie => Self::Mollie(serde_json::from_str(body)?),
            Provider::Klarna => Self::Klarna(serde_json::from_str(body)?),
        })
    }

    /// Kassa's view of it, actions annotated; `now` (Unix seconds) for what depends on the
    /// day (the expiry an extension would give).
    pub fn view(&self, events: Vec<OrderEvent>, now: i64) -> Result<OrderView, ProviderError> {
        match self {
            Self::Mollie(o) => mollie::convert::order_view(o, events),
            Self::Klarna(o) => klarna::convert::order_view(o, events, now),
        }
    }

    /// Whether this copy brings news a merchant cares about compared with `before`.
    pub fn differs_from(&self, before: &ProviderOrder) -> bool {
        match (self, before) {
            (Self::Mollie(after), Self::Mollie(before)) => mollie::changes::differs(before, after),
            // Klarna's order carries nothing that changes per fetch (no links, no fetch
            // times): any difference is news.
            (Self::Klarna(after), Self::Klarna(before)) => after != before,
            _ => true,
        }
    }
}

/// Where the provider should send the customer back and notify us.
pub struct Callbacks {
    pub public_url: String,
    pub return_ref: String,
    /// Whether the provider can reach `public_url` (otherwise no webhook URL is sent).
    pub webhooks_reachable: bool,
}

/// An order made at a provider, and where the customer pays.
pub struct Created {
    pub order: ProviderOrder,
    pub checkout_url: String,
}

/// The providers' clients. Mollie is always configured (the embedded sandbox by default);
/// Klarna when `KLARNA_API_URL` is set or the embedded sandbox runs.
pub struct Providers {
    mollie: mollie::MollieClient,
    klarna: Option<klarna::KlarnaClient>,
}

impl Providers {
    pub fn new(mollie: mollie::MollieClient, klarna: Option<klarna::KlarnaClient>) -> Self {
        Self { mollie, klarna }
    }

    /// Whether every configured provider runs on this machine (the embedded or a local
    /// sandbox), which can reach loopback webhook URLs.
    pub fn all_local(&self) -> bool {
        self.mollie.is_local() && self.klarna.as_ref().is_none_or(|k| k.is_local())
    }

    pub(crate) fn klarna_client(&self) -> Result<&klarna::KlarnaClient, ProviderError> {
        self.klarna()
    }

    fn klarna(&self) -> Result<&klarna::KlarnaClient, ProviderError> {
        self.klarna.as_ref().ok_or(ProviderError::Rejected {
            status: 404,
            code: Refusal::NotFound,
            message: "Klarna is not set up in this Kassa (KLARNA_API_URL).".into(),
            field: None,
        })
    }

    /// Creates an order for the customer to pay at Mollie's hosted checkout. Klarna orders
    /// are placed by the customer's authorization instead ([`crate::pay`]).
    pub async fn create(
        &self,
        new: &NewOrder,
        priced: &PricedOrder,
        order_number: String,
        callbacks: &Callbacks,
        idempotency_key: &str,
    ) -> Result<Created, AppError> {
        mollie::create(
            &self.mollie,
            new,
            priced,
            order_number,
            callbacks,
            idempotency_key,
        )
        .await
    }

    /// The order as its provider has it now; the provider is the one whose ids look like `id`
    /// (ids of neither are never sent anywhere).
    pub async fn fetch(&self, id: &str) -> Result<ProviderOrder, ProviderError> {
        match Provider::owning(id) {
            Some(Provider::Mollie) => Ok(ProviderOrder::Mollie(Box::new(
                self.mollie.get_order(id).await?,
            ))),
            Some(Provider::Klarna) => Ok(ProviderOrder::Klarna(Box::new(
                self.klarna()?.get_order(id).await?,
            ))),
            None => Err(ProviderError::no_such_order(id)),
        }
    }

    /// Sends one planned call under `key`.
    pub async fn send(&self, call: &ProviderCall, key: &str) -> Result<(), ProviderError> {
        match call.provider {
            Provider::Mollie => self.mollie.send_call(call, key).await,
            Provider::Klarna => self.klarna()?.send_call(call, key).await,
        }
    }

    /// How far a shipment's (capture's) payment due date can be moved, and the fee.
    pub async fn due_date_options(
        &self,
        order: &OrderView,
        shipment_id: &str,
    ) -> Result<Vec<DueDateOption>, AppError> {
        match order.provider {
            Provider::Mollie => Err(AppError::NotAllowed(
                "Mollie orders have no payment due dates to extend.".into(),
            )),
            Provider::Klarna => klarna::due_date_options(self.klarna()?, order, shipment_id).await,
        }
    }
}

/// The provider calls that carry out `action` on order `order_id`, computed from the mirror
/// (and, where that is not enough, from the provider).
pub async fn plan(
    state: &AppState,
    order_id: &str,
    action: &OrderAction,
) -> Result<Vec<ProviderCall>, AppError> {
    match Provider::owning(order_id) {
        Some(Provider::Mollie) => Ok(vec![mollie::plan::call(state, order_id, action).await?]),
        Some(Provider::Klarna) => {
            let client = state.providers.klarna()?;
            klarna::plan::calls(state, client, order_id, action).await
        }
        None => Err(AppError::NotFound("No such order.".into())),
    }
}
