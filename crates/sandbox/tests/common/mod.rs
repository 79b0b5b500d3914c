#![allow(dead_code)]
//! Helpers for driving the sandbox router in tests without binding a port, and
//! ([`scripts`]) for the contract tests' scripts against a served sandbox.

pub mod scripts;

pub mod klarna;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

pub const KEY: &str = "Bearer test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM";

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub json: Value,
    pub text: String,
}

pub async fn send(app: &Router, req: Request<Body>) -> Reply {
    let resp = app.clone().oneshot(req).await.expect("router answers");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        json,
        text,
    }
}

pub fn post_json(uri: &str, body: &Value) -> Request<Body> {
    Request::post(uri)
        .header(header::HOST, "sandbox.test")
        .header(header::AUTHORIZATION, KEY)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request")
}

pub fn get(uri: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::HOST, "sandbox.test")
        .header(header::AUTHORIZATION, KEY)
        .body(Body::empty())
        .expect("request")
}

/// The path of an order's hosted checkout (`_links.checkout`), which is keyed by a token of
/// its own rather than the order id.
pub fn checkout_path(order: &Value) -> String {
    let href = order["_links"]["checkout"]["href"]
        .as_str()
        .expect("the order has a checkout link");
    let path = href.find("/checkout/").expect("a checkout path");
    href[path..].to_owned()
}

/// The checkout path of order `id`, read from the API (`GET /v2/orders/{id}`).
pub async fn checkout_of(app: &Router, id: &str) -> String {
    checkout_path(&send(app, get(&format!("/v2/orders/{id}"))).await.json)
}

pub fn post_form(uri: &str, form: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::HOST, "sandbox.test")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_owned()))
        .expect("request")
}

/// Mollie's documented create-order example (trimmed), amounts verified by hand.
pub fn lego_order() -> Value {
    json!({
        "amount": {"value": "1027.99", "currency": "EUR"},
        "orderNumber": "1337",
        "locale": "nl_NL",
        "redirectUrl": "https://example.org/redirect",
        "webhookUrl": "https://example.org/webhook",
        "method": "klarnapaylater",
        "billingAddress": {"streetAndNumber": "Keizersgracht 126", "city": "Amsterdam",
            "postalCode": "1234AB", "country": "NL", "givenName": "Piet",
            "familyName": "Mondriaan", "email": "piet@mondriaan.com"},
        "lines": [
            {"type": "physical", "sku": "5702016116977", "name": "LEGO 42083 Bugatti Chiron",
             "quantity": 2, "vatRate": "21.00",
             "unitPrice": {"currency": "EUR", "value": "399.00"},
             "discountAmount": {"currency": "EUR", "value": "100.00"},
             "totalAmount": {"currency": "EUR", "value": "698.00"},
             "vatAmount": {"currency": "EUR", "value": "121.14"}},
            {"type": "physical", "sku": "5702015594028", "name": "LEGO 42056 Porsche 911 GT3 RS",
             "quantity": 1, "vatRate": "21.00",
             "unitPrice": {"currency": "EUR", "value": "329.99"},
             "totalAmount": {"currency": "EUR", "value": "329.99"},
             "vatAmount": {"currency": "EUR", "value": "57.27"}}
        ]
    })
}

/// Starts a webhook receiver on a free loopback port; returns its URL and the ids it got.
pub async fn webhook_receiver() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use axum::routing::post;
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = got.clone();
    let app = Router::new().route(
        "/hook",
        post(
            move |axum::Form(f): axum::Form<std::collections::HashMap<String, String>>| {
                let sink = sink.clone();
                async move {
                    sink.lock()
                        .unwrap()
                        .push(f.get("id").cloned().unwrap_or_default());
                    StatusCode::OK
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    (format!("http://{addr}/hook"), got)
}
