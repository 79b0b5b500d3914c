//! The proxy's staff API as a script uses it: logged in as the test admin, with the session's
//! cookie and CSRF token on every call. For the end-to-end tests and the screenshots, which
//! set up orders without clicking through the console.

use kassa_proxy::config::{TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

pub struct StaffApi {
    url: String,
    http: reqwest::Client,
    cookie: String,
    csrf: String,
}

impl StaffApi {
    /// Logs in to the proxy at `url` as the test admin.
    pub async fn log_in(url: &str) -> Self {
        let http = reqwest::Client::new();
        let resp = http
            .post(format!("{url}/api/session"))
            .json(&json!({"email": TEST_ADMIN_EMAIL, "password": TEST_ADMIN_PASSWORD}))
            .send()
            .await
            .expect("the proxy answers");
        assert!(resp.status().is_success(), "log in: {}", resp.status());
        let cookie = resp
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
            .collect::<Vec<_>>()
            .join("; ");
        let session: Value = resp.json().await.expect("the session");
        let csrf = session["csrf_token"]
            .as_str()
            .expect("csrf_token")
            .to_owned();
        Self {
            url: url.to_owned(),
            http,
            cookie,
            csrf,
        }
    }

    /// A call that must succeed: its JSON answer, null for an empty one.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self
            .http
            .request(method.clone(), format!("{}{path}", self.url))
            .header(reqwest::header::COOKIE, &self.cookie)
            .header("x-csrf-token", &self.csrf);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.expect("the proxy answers");
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// A Dutch order for `given` Jansen numbered `number`, with `lines` lines of two raincoats
    /// at €89.00; its id.
    pub async fn order_of(&self, number: &str, given: &str, lines: usize) -> String {
        let lines: Vec<Value> = (0..lines)
            .map(|i| json!({"name": format!("Regenjas {i}"), "quantity": 2, "unit_price": 8900, "vat_rate": "21.00"}))
            .collect();
        let body = json!({
            "currency": "EUR", "locale": "nl_NL", "order_number": number,
            "billing_address": {"givenName": given, "familyName": "Jansen",
                "email": "piet@example.com", "streetAndNumber": "Keizersgracht 126",
                "postalCode": "1015 CW", "city": "Amsterdam", "country": "NL"},
            "lines": lines
        });
        let created = self.call(Method::POST, "/api/orders", Some(body)).await;
        created["order"]["id"]
            .as_str()
            .expect("the order's id")
            .to_owned()
    }

    /// The newest order in `status`, as the list shows it.
    pub async fn newest(&self, status: &str) -> Value {
        let path = format!("/api/orders?status={status}&limit=1");
        let page = self.call(Method::GET, &path, None).await;
        page["orders"][0].clone()
    }

    /// An action on order `id` (`{"kind": "ship", "intent_id": …}`): the proxy's answer.
    pub async fn act(&self, id: &str, action: Value) -> Value {
        let path = format!("/api/orders/{id}/actions");
        self.call(Method::POST, &path, Some(action)).await
    }
}
