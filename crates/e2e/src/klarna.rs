//! Klarna's API as a shop's server calls it, against a sandbox (embedded in the proxy or
//! standalone): one client for the end-to-end tests that place Klarna orders themselves.

use serde_json::{json, Value};

/// A merchant's credential on a sandbox's Klarna API, and the way to call it.
pub struct KlarnaApi {
    /// The sandbox's root: `{proxy}/sandbox` when embedded, the sandbox's URL otherwise.
    base: String,
    username: String,
    password: String,
    http: reqwest::Client,
}

impl KlarnaApi {
    pub fn new(base: impl Into<String>, username: &str, password: &str) -> Self {
        Self {
            base: base.into(),
            username: username.to_owned(),
            password: password.to_owned(),
            http: reqwest::Client::new(),
        }
    }

    /// A call to Klarna's API (or a test control under `/_sandbox`): its status and its JSON
    /// answer, null for an empty one.
    pub async fn send(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let method = method.parse().expect("an HTTP method");
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .basic_auth(&self.username, Some(&self.password));
        if let Some(body) = body {
            req = req.json(body);
        }
        let resp = req.send().await.expect("the sandbox answers");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("the sandbox's answer");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// [`Self::send`] for a call that must succeed: its JSON answer.
    pub async fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let (status, answer) = self.send(method, path, body).await;
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {answer}"
        );
        answer
    }

    /// A Klarna Payments session for `cart`: `session_id`, `client_token`, categories.
    pub async fn session(&self, cart: &Value) -> Value {
        self.call("POST", "/payments/v1/sessions", Some(cart)).await
    }

    /// The shopper's answer in the widget, by the sandbox's test control (`approved`, or
    /// `pending` for a fraud review): the authorization token.
    pub async fn authorize(&self, session_id: &str, outcome: &str) -> String {
        let path = format!("/_sandbox/klarna/sessions/{session_id}/authorize");
        let authorized = self
            .call("POST", &path, Some(&json!({ "outcome": outcome })))
            .await;
        authorized["authorization_token"]
            .as_str()
            .expect("authorization_token")
            .to_owned()
    }

    /// The merchant's server places the order with the authorization token: Klarna's answer
    /// (`order_id`, `fraud_status`, …).
    pub async fn place_order(&self, token: &str, order: &Value) -> Value {
        let path = format!("/payments/v1/authorizations/{token}/order");
        self.call("POST", &path, Some(order)).await
    }

    /// The order as Klarna's Order Management has it.
    pub async fn order(&self, order_id: &str) -> Value {
        let path = format!("/ordermanagement/v1/orders/{order_id}");
        self.call("GET", &path, None).await
    }
}
