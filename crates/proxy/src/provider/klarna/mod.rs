//! Klarna Order Management: the client (HTTP Basic on every call, `Klarna-Idempotency-Key` on
//! every change, a regional base URL), the translation of Klarna's order into Kassa's view
//! ([`convert`]) and the planning of staff actions into Klarna's calls ([`plan`]).

pub mod convert;
pub mod payments;
pub mod plan;

use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use kassa_model::api::{DueDateOption, OrderView};
use kassa_model::klarna::om::{ErrorBody, ExtendDueDateOptions, Order};
use kassa_model::{Money, Provider};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::Method;
use serde::de::DeserializeOwned;

use super::{ProviderCall, ProviderError, Refusal};
use crate::error::AppError;

/// Order Management's paths, relative to the regional base.
const ORDERS: &str = "ordermanagement/v1/orders";

#[derive(Clone)]
pub struct KlarnaClient {
    http: reqwest::Client,
    /// Ends with `/`: `https://api.klarna.com/`, or the sandbox's root.
    base: String,
    /// `Basic base64(username:password)`.
    authorization: String,
}

impl KlarnaClient {
    pub fn new(base: &str, username: &str, password: &str) -> Self {
        let base = if base.ends_with('/') {
            base.to_owned()
        } else {
            format!("{base}/")
        };
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(20))
            .user_agent(concat!("Kassa/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        let authorization = format!(
            "Basic {}",
            STANDARD.encode(format!("{username}:{password}"))
        );
        Self {
            http,
            base,
            authorization,
        }
    }

    /// Whether Klarna here is a sandbox on this machine.
    pub fn is_local(&self) -> bool {
        crate::is_loopback_url(&self.base)
    }

    /// `GET /ordermanagement/v1/orders/{id}`. Only UUIDs reach the URL.
    pub async fn get_order(&self, id: &str) -> Result<Order, ProviderError> {
        if Provider::owning(id) != Some(Provider::Klarna) {
            return Err(ProviderError::no_such_order(id));
        }
        self.read(&format!("{ORDERS}/{id}")).await
    }

    /// `GET …/captures/{capture_id}/extend-due-date-options`.
    pub async fn due_date_options(
        &self,
        order_id: &str,
        capture_id: &str,
    ) -> Result<ExtendDueDateOptions, ProviderError> {
        if !is_uuid(order_id) || !is_uuid(capture_id) {
            return Err(ProviderError::no_such_order(order_id));
        }
        self.read(&format!(
            "{ORDERS}/{order_id}/captures/{capture_id}/extend-due-date-options"
        ))
        .await
    }

    async fn read<T: DeserializeOwned>(&self, path: &str) -> Result<T, ProviderError> {
        let bytes = self
            .send(self.http.get(format!("{}{path}", self.base)))
            .await?;
        serde_json::from_slice(&bytes).map_err(|e| ProviderError::Invalid(e.to_string()))
    }

    /// A planned change, with the ledger's key as `Klarna-Idempotency-Key`: Klarna answers a
    /// repeat with the first answer, whatever its body (only the key counts).
    pub async fn send_call(&self, call: &ProviderCall, key: &str) -> Result<(), ProviderError> {
        let method = Method::from_bytes(call.method.as_bytes())
            .map_err(|_| ProviderError::Invalid(format!("method {}", call.method)))?;
        let mut req = self
            .http
            .request(method, format!("{}{}", self.base, call.path))
            .header("Klarna-Idempotency-Key", key);
        if !call.body.is_null() {
            req = req.json(&call.body);
        }
        self.send(req).await.map(drop)
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<axum::body::Bytes, ProviderError> {
        self.send_with(req, Conflict::Busy).await
    }

    /// [`Self::send`], saying what a 409 means on this path.
    async fn send_with(
        &self,
        req: reqwest::RequestBuilder,
        conflict: Conflict,
    ) -> Result<axum::body::Bytes, ProviderError> {
        let resp = req
            .header(AUTHORIZATION, &self.authorization)
            .send()
            .await
            .map_err(|e| ProviderError::Unavailable(e.to_string()))?;
        let status = resp.status();
        let json = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("json"));
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| ProviderError::Unavailable(e.to_string()))?;
        // 409 on Order Management: Klarna's answer to a repeat while the first is still
        // running; the first's answer comes to the next repeat.
        let busy = status.as_u16() == 409 && conflict == Conflict::Busy;
        if status.is_server_error() || status.as_u16() == 429 || busy {
            return Err(ProviderError::Unavailable(format!("HTTP {status}")));
        }
        if status.is_success() {
            return Ok(bytes);
        }
        // 401 has an empty body at Klarna: still an error in Kassa's terms.
        let body: ErrorBody = if json {
            serde_json::from_slice(&bytes)
                .map_err(|e| ProviderError::Invalid(format!("HTTP {status}, {e}")))?
        } else {
            ErrorBody::default()
        };
        Err(rejected(status.as_u16(), body))
    }
}

/// What Klarna means by 409 on a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Conflict {
    /// A repeat of a change still in flight (Order Management): try again.
    Busy,
    /// A refusal (Klarna Payments' create order: the cart is not the one authorized).
    Refusal,
}

/// Klarna's error body in Kassa's terms: 404 is "not found"; 403 (`CAPTURE_NOT_ALLOWED`,
/// `REFUND_NOT_ALLOWED`, `NOT_ALLOWED`…) the order's state forbids it; 400 and 422 a bad
/// value, whose field Klarna names as "Bad value: order_lines[0].quantity"; anything else
/// (401: the credentials) is Kassa's problem, not staff's.
fn rejected(status: u16, body: ErrorBody) -> ProviderError {
    let message = if body.error_messages.is_empty() {
        body.error_code.clone()
    } else {
        body.error_messages.join(" ")
    };
    let field = body
        .error_messages
        .iter()
        .find_map(|m| m.strip_prefix("Bad value: "))
        .map(str::to_owned);
    ProviderError::Rejected {
        status,
        code: match status {
            404 => Refusal::NotFound,
            403 => Refusal::NotAllowed,
            400 | 422 => Refusal::Invalid,
            409 => Refusal::Conflict,
            _ => Refusal::Other,
        },
        message,
        field,
    }
}

/// Klarna's ids (orders, captures) are UUIDs; nothing else is put in a URL.
pub fn is_uuid(id: &str) -> bool {
    Provider::owning(id) == Some(Provider::Klarna)
}

/// A capture's due-date options in the order's currency.
pub async fn due_date_options(
    client: &KlarnaClient,
    order: &OrderView,
    shipment_id: &str,
) -> Result<Vec<DueDateOption>, AppError> {
    if !order.shipments.iter().any(|s| s.id == shipment_id) {
        return Err(AppError::NotFound("No such shipment of this order.".into()));
    }
    let offered = client.due_date_options(&order.id, shipment_id).await?;
    offered
        .options
        .unwrap_or_default()
        .into_iter()
        .map(|o| {
            let days = o
                .number_of_days
                .and_then(|d| u32::try_from(d).ok())
                .ok_or_else(|| ProviderError::Invalid("due-date option without days".into()))?;
            Ok(DueDateOption {
                days,
                fee: Money::new(o.amount.unwrap_or_default(), order.amount.currency),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn klarnas_errors_in_kassas_terms() {
        let body = |code: &str, m: &str| ErrorBody::new(code, vec![m.into()], "c");
        match rejected(403, body("CAPTURE_NOT_ALLOWED", "Capture not allowed")) {
            ProviderError::Rejected { code, message, .. } => {
                assert_eq!(code, Refusal::NotAllowed);
                assert_eq!(message, "Capture not allowed");
            }
            other => panic!("{other:?}"),
        }
        match rejected(400, body("BAD_VALUE", "Bad value: order_lines[0].quantity")) {
            ProviderError::Rejected { code, field, .. } => {
                assert_eq!(code, Refusal::Invalid);
                assert_eq!(field.as_deref(), Some("order_lines[0].quantity"));
            }
            other => panic!("{other:?}"),
        }
        assert!(rejected(404, ErrorBody::default()).is_not_found());
        assert!(matches!(
            rejected(401, ErrorBody::default()),
            ProviderError::Rejected {
                code: Refusal::Other,
                ..
            }
        ));
    }

    #[test]
    fn only_uuids_reach_urls() {
        assert!(is_uuid("f3392f8b-6116-4073-ab96-e330819e2c07"));
        for bad in ["ord_x", "../x", "f3392f8b-6116-4073-ab96-e330819e2c0/"] {
            assert!(!is_uuid(bad), "{bad}");
        }
    }
}
