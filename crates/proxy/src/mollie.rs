//! The proxy's Mollie client: the only code that holds the API key and speaks to the provider.

use std::time::Duration;

use kassa_model::mollie::{CreateOrder, ErrorBody, Order};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use serde::de::DeserializeOwned;

/// Why a call to the provider did not give us the object we asked for.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// The provider answered with an error body (validation, not found, state rules).
    #[error("provider answered {status}: {}", body.detail)]
    Rejected { status: u16, body: Box<ErrorBody> },
    /// Network trouble, a timeout, 429 or a 5xx: the call may be retried.
    #[error("provider unavailable: {0}")]
    Unavailable(String),
    /// The provider answered something we could not read.
    #[error("unreadable provider answer: {0}")]
    Invalid(String),
}

#[derive(Clone)]
pub struct MollieClient {
    http: reqwest::Client,
    /// Ends with `/v2/`.
    base: String,
    key: String,
}

impl MollieClient {
    pub fn new(base: &str, key: String) -> Self {
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
        Self { http, base, key }
    }

    /// Whether the provider runs on this machine (the embedded or a local sandbox), which can
    /// reach loopback webhook URLs; real Mollie cannot.
    pub fn is_local(&self) -> bool {
        let host = self
            .base
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split(['/', ':']).next())
            .unwrap_or_default();
        matches!(host, "127.0.0.1" | "localhost" | "[::1]")
    }

    /// `POST /v2/orders`. The idempotency key makes a retried create safe.
    pub async fn create_order(
        &self,
        body: &CreateOrder,
        idempotency_key: &str,
    ) -> Result<Order, ProviderError> {
        let req = self
            .http
            .post(format!("{}orders", self.base))
            .header("Idempotency-Key", idempotency_key)
            .json(body);
        self.send(req).await
    }

    /// `GET /v2/orders/{id}`
    pub async fn get_order(&self, id: &str) -> Result<Order, ProviderError> {
        if !is_order_id(id) {
            return Err(ProviderError::Rejected {
                status: 404,
                body: Box::new(ErrorBody {
                    status: 404,
                    title: "Not Found".into(),
                    detail: format!("No order exists with token {id}."),
                    field: None,
                    extra: None,
                    links: None,
                }),
            });
        }
        self.send(self.http.get(format!(
            "{}orders/{id}?embed=payments,refunds,shipments",
            self.base
        )))
        .await
    }

    /// A change (`POST`/`PATCH`/`DELETE` on `path`, relative to the API base, e.g.
    /// `orders/ord_x/shipments` or `payments/tr_x/refunds`), sent with the ledger's
    /// idempotency key so a retry can never do it twice. The caller has checked the ids in
    /// `path`. Returns the provider's body (`null` for 204).
    pub async fn change(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &serde_json::Value,
        idempotency_key: &str,
    ) -> Result<serde_json::Value, ProviderError> {
        let req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("Idempotency-Key", idempotency_key)
            .json(body);
        self.send::<Option<serde_json::Value>>(req)
            .await
            .map(Option::unwrap_or_default)
    }

    async fn send<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, ProviderError> {
        let resp = req
            .header(AUTHORIZATION, format!("Bearer {}", self.key))
            .header(CONTENT_TYPE, "application/json")
            .send()
            .await
            .map_err(|e| ProviderError::Unavailable(e.to_string()))?;
        let status = resp.status();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| ProviderError::Unavailable(e.to_string()))?;
        if status.is_server_error() || status.as_u16() == 429 {
            return Err(ProviderError::Unavailable(format!("HTTP {status}")));
        }
        if !status.is_success() {
            let body: ErrorBody = serde_json::from_slice(&bytes)
                .map_err(|e| ProviderError::Invalid(format!("HTTP {status}, {e}")))?;
            return Err(ProviderError::Rejected {
                status: status.as_u16(),
                body: Box::new(body),
            });
        }
        // 204 No Content reads as JSON `null`.
        let bytes = if bytes.is_empty() {
            &b"null"[..]
        } else {
            &bytes[..]
        };
        serde_json::from_slice(bytes).map_err(|e| ProviderError::Invalid(e.to_string()))
    }
}

/// Mollie order ids are `ord_` plus letters, digits and dots; anything else never reaches a URL.
pub fn is_order_id(id: &str) -> bool {
    is_object_id(id, "ord_")
}

/// A Mollie id with this `prefix` (`shp_`, `odl_`, `tr_`): letters, digits or dots after it,
/// so it is safe to put in a provider URL.
pub fn is_object_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix).is_some_and(|rest| {
        !rest.is_empty()
            && rest.len() <= 64
            && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_order_ids_reach_urls() {
        assert!(is_order_id("ord_pbjz8x"));
        assert!(is_order_id("ord_1.o2io4c"));
        for bad in ["ord_", "tr_abc", "ord_../x", "ord_a?b", "ord_a/b"] {
            assert!(!is_order_id(bad), "{bad}");
        }
    }

    #[test]
    fn knows_local_providers() {
        assert!(MollieClient::new("http://127.0.0.1:9090/v2/", "k".into()).is_local());
        assert!(!MollieClient::new("https://api.mollie.com/v2/", "k".into()).is_local());
    }
}
