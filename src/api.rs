//! The typed client for the proxy's JSON API (`/api/...`).
//!
//! This is the only module that builds URLs or touches gloo-net: pages call one `async fn` per
//! endpoint and get either the model's wire type or a [`ClientError`]. The error is `Clone` so
//! it can live inside a `LocalResource` or an `Action` value.

use gloo_net::http::{Request, Response};
use kassa_model::api::{ApiError, CreatedOrder, NewOrder, OrderView};
use kassa_model::FieldError;
use serde::de::DeserializeOwned;

use crate::routes::encode_segment;

/// Prefix for every API path. Empty means "same origin": the proxy serves this app and the API.
/// Set `KASSA_API_BASE` at build time (e.g. `https://kassa.example.com`) to embed the app
/// under another origin; it is the one place that knows where the API lives.
const API_BASE: &str = match option_env!("KASSA_API_BASE") {
    Some(base) => base,
    None => "",
};

/// Why a call to the proxy did not produce the expected value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The request never got an HTTP answer (offline, DNS, CORS, aborted).
    #[error("Could not reach the Kassa server ({0}). Check your connection and try again.")]
    Network(String),
    /// The proxy answered with a non-2xx status; `error` is its JSON error body, or one made up
    /// from the status when the body was not the proxy's error shape.
    #[error("{}", http_message(*status, error))]
    Http { status: u16, error: ApiError },
    /// A 2xx answer whose body did not match the expected type (app and proxy out of step).
    #[error("The Kassa server sent an answer this page could not read ({0}).")]
    Decode(String),
}

impl ClientError {
    /// The proxy's validation error as a field error, when it names a field (`lines.0.name`).
    pub fn field_error(&self) -> Option<FieldError> {
        let Self::Http { error, .. } = self else {
            return None;
        };
        let field = error.field.as_ref()?;
        Some(FieldError::new(field.clone(), error.message.clone()))
    }

    /// True for a 404 answer: the thing asked for does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Http { status: 404, .. })
    }
}

fn http_message(status: u16, error: &ApiError) -> String {
    if error.message.trim().is_empty() {
        format!("The Kassa server answered with an error (HTTP {status}).")
    } else {
        error.message.clone()
    }
}

/// `POST /api/orders`: creates the order at the provider; the answer carries the checkout URL.
pub async fn create_order(order: &NewOrder) -> Result<CreatedOrder, ClientError> {
    let request = Request::post(&url(&["orders"]))
        .header("Accept", "application/json")
        .json(order)
        .map_err(|e| ClientError::Decode(e.to_string()))?;
    decode(request.send().await.map_err(network)?).await
}

/// `GET /api/orders/{id}`: the proxy's mirror of one order, with its timeline.
pub async fn get_order(id: &str) -> Result<OrderView, ClientError> {
    get(&url(&["orders", id])).await
}

/// `GET /api/returns/{ref}`: the order a customer just came back from; `reference` is the value
/// the proxy put in the return URL.
pub async fn get_return(reference: &str) -> Result<OrderView, ClientError> {
    get(&url(&["returns", reference])).await
}

async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ClientError> {
    let response = Request::get(url)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(network)?;
    decode(response).await
}

fn network(e: gloo_net::Error) -> ClientError {
    ClientError::Network(e.to_string())
}

/// Turns any answer into the expected value or a typed error. Non-2xx bodies are read as the
/// proxy's [`ApiError`]; anything else (an HTML 404 from a static server, a gateway's text)
/// still becomes [`ClientError::Http`] with the status, so callers can branch on it.
async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ClientError> {
    let status = response.status();
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|e| ClientError::Decode(e.to_string()));
    }
    let body = response.text().await.unwrap_or_default();
    let error = serde_json::from_str::<ApiError>(&body).unwrap_or_else(|_| fallback_error(status));
    Err(ClientError::Http { status, error })
}

fn fallback_error(status: u16) -> ApiError {
    let (code, message) = match status {
        404 => ("not_found", "Not found."),
        400..=499 => ("bad_request", "The Kassa server refused the request."),
        502..=504 => (
            "provider_unavailable",
            "The Kassa server or the payment provider is unavailable. Try again in a moment.",
        ),
        _ => (
            "internal",
            "The Kassa server had a problem. Try again in a moment.",
        ),
    };
    ApiError {
        code: code.to_owned(),
        message: message.to_owned(),
        field: None,
    }
}

/// `API_BASE` + `/api/` + the percent-encoded segments, so an id can never change the path.
fn url(segments: &[&str]) -> String {
    let mut out = format!("{API_BASE}/api");
    for segment in segments {
        out.push('/');
        out.push_str(&encode_segment(segment));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_encode_ids() {
        assert_eq!(url(&["orders", "ord_abc"]), "/api/orders/ord_abc");
        assert_eq!(url(&["returns", "a/b c"]), "/api/returns/a%2Fb%20c");
    }

    #[test]
    fn http_errors_read_as_the_proxy_message() {
        let err = ClientError::Http {
            status: 422,
            error: ApiError {
                code: "validation".into(),
                message: "Enter a name for this line.".into(),
                field: Some("lines.0.name".into()),
            },
        };
        assert_eq!(err.to_string(), "Enter a name for this line.");
        assert_eq!(
            err.field_error(),
            Some(FieldError::new(
                "lines.0.name",
                "Enter a name for this line."
            ))
        );
        assert!(!err.is_not_found());
    }
}
