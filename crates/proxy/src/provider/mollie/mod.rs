//! Mollie's Orders API: the client (the only code that holds the API key and speaks to
//! Mollie), the translation of its order into Kassa's view ([`convert`]), what counts as a
//! change ([`changes`]) and the planning of staff actions into its calls ([`plan`]).

pub mod changes;
pub mod convert;
pub mod plan;

use std::time::Duration;

use kassa_model::api::{NewOrder, PricedOrder};
use kassa_model::mollie::{CreateOrder, ErrorBody, Order};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use serde::de::DeserializeOwned;

use super::{Callbacks, Created, ProviderCall, ProviderError, ProviderOrder, Refusal};
use crate::error::AppError;

/// `POST /v2/orders` for a priced order; the checkout link comes with it.
pub async fn create(
    client: &MollieClient,
    new: &NewOrder,
    priced: &PricedOrder,
    order_number: String,
    callbacks: &Callbacks,
    idempotency_key: &str,
) -> Result<Created, AppError> {
    let body = convert::create_order(new, priced, order_number, callbacks);
    let order = client.create_order(&body, idempotency_key).await?;
    let checkout_url = order
        .links
        .checkout
        .as_ref()
        .map(|l| l.href.clone())
        .ok_or_else(|| AppError::Internal(format!("order {} has no checkout link", order.id)))?;
    Ok(Created {
        order: ProviderOrder::Mollie(Box::new(order)),
        checkout_url,
    })
}

/// Mollie's error body in Kassa's terms: 404 is "not found", 400 and 422 a field Mollie
/// refused; anything else Kassa should not have sent.
fn rejected(status: u16, body: ErrorBody) -> ProviderError {
    ProviderError::Rejected {
        status,
        code: match status {
            404 => Refusal::NotFound,
            400 | 422 => Refusal::Invalid,
            _ => Refusal::Other,
        },
        message: body.detail,
        field: body.field,
    }
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
            return Err(ProviderError::no_such_order(id));
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

    /// A planned call (see [`plan`]), under the ledger's idempotency key.
    pub async fn send_call(&self, call: &ProviderCall, key: &str) -> Result<(), ProviderError> {
        let method = reqwest::Method::from_bytes(call.method.as_bytes())
            .map_err(|_| ProviderError::Invalid(format!("method {}", call.method)))?;
        self.change(method, &call.path, &call.body, key)
            .await
            .map(drop)
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
            return Err(rejected(status.as_u16(), body));
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
