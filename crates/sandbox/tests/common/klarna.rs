//! Driving the sandbox's Klarna side in tests: requests with HTTP Basic, a cart that obeys
//! Klarna's arithmetic, and the way from a session to an order.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};

use super::{send, Reply};

pub const USER: &str = "K123456_sandbox";
pub const PASS: &str = "sharedsecret";

pub fn basic(user: &str, pass: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    )
}

/// A Klarna request as the merchant `USER` sends it.
pub fn klarna(method: &str, uri: &str, body: Option<&Value>) -> Request<Body> {
    klarna_as(method, uri, body, &basic(USER, PASS))
}

pub fn klarna_as(method: &str, uri: &str, body: Option<&Value>, auth: &str) -> Request<Body> {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, "sandbox.test")
        .header(header::AUTHORIZATION, auth);
    if body.is_some() {
        req = req.header(header::CONTENT_TYPE, "application/json");
    }
    req.body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .expect("request")
}

/// A request to a test control (no credentials).
pub fn control(uri: &str, body: &Value) -> Request<Body> {
    Request::post(uri)
        .header(header::HOST, "sandbox.test")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request")
}

/// Klarna's documented example cart, in Sweden: one line of 2 × 5000 öre at 25 % VAT (tax
/// 2000 of 10000) and a shipping line of 1000 at 25 % (tax 200). Total 11000, tax 2200.
pub fn cart() -> Value {
    json!({
        "purchase_country": "SE",
        "purchase_currency": "SEK",
        "locale": "sv-SE",
        "order_amount": 11000,
        "order_tax_amount": 2200,
        "order_lines": [
            {"type": "physical", "reference": "19-402-SWE", "name": "Battery Power Pack",
             "quantity": 2, "unit_price": 5000, "tax_rate": 2500, "total_amount": 10000,
             "total_discount_amount": 0, "total_tax_amount": 2000},
            {"type": "shipping_fee", "reference": "SHIP", "name": "Shipping",
             "quantity": 1, "unit_price": 1000, "tax_rate": 2500, "total_amount": 1000,
             "total_discount_amount": 0, "total_tax_amount": 200}
        ],
        "merchant_urls": {"confirmation": "https://shop.test/thanks?order={order.id}"},
        "billing_address": {"given_name": "Testperson-se", "family_name": "Approved",
            "street_address": "Stårgatan 1", "postal_code": "12345", "city": "Ankeborg",
            "country": "SE", "email": "customer@email.se"}
    })
}

/// The lines of [`cart`] as Order Management takes them in a capture or refund.
pub fn battery_line(quantity: i64) -> Value {
    json!({"type": "physical", "reference": "19-402-SWE", "name": "Battery Power Pack",
           "quantity": quantity, "unit_price": 5000, "tax_rate": 2500,
           "total_amount": 5000 * quantity, "total_discount_amount": 0,
           "total_tax_amount": 1000 * quantity})
}

pub async fn call(app: &Router, method: &str, uri: &str, body: Option<&Value>) -> Reply {
    send(app, klarna(method, uri, body)).await
}

/// Creates a session with `cart`; its id.
pub async fn session(app: &Router, cart: &Value) -> String {
    let r = call(app, "POST", "/payments/v1/sessions", Some(cart)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json["session_id"]
        .as_str()
        .expect("a session id")
        .to_owned()
}

/// Authorizes a session through the test control; the callback object.
pub async fn authorize(app: &Router, session_id: &str, body: Value) -> Value {
    let r = send(
        app,
        control(
            &format!("/_sandbox/klarna/sessions/{session_id}/authorize"),
            &body,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json
}

/// Session → approved authorization (`category`, or pay later) → token.
pub async fn token(app: &Router, cart: &Value, outcome: &str, category: Option<&str>) -> String {
    let id = session(app, cart).await;
    let mut body = json!({ "outcome": outcome });
    if let Some(c) = category {
        body["payment_method_category"] = json!(c);
    }
    authorize(app, &id, body).await["authorization_token"]
        .as_str()
        .expect("a token")
        .to_owned()
}

/// A placed order of [`cart`] (`outcome` approved or pending, `category` or pay later): its id.
pub async fn order_with(app: &Router, outcome: &str, category: Option<&str>) -> String {
    let cart = cart();
    let token = token(app, &cart, outcome, category).await;
    let r = call(
        app,
        "POST",
        &format!("/payments/v1/authorizations/{token}/order"),
        Some(&cart),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json["order_id"].as_str().expect("an order id").to_owned()
}

/// An approved pay-later order of [`cart`].
pub async fn order(app: &Router) -> String {
    order_with(app, "approved", None).await
}

pub async fn get_order(app: &Router, id: &str) -> Value {
    let r = call(
        app,
        "GET",
        &format!("/ordermanagement/v1/orders/{id}"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json
}

/// `POST …/captures` of `amount` with `lines`.
pub async fn capture(app: &Router, id: &str, amount: i64, lines: Value) -> Reply {
    call(
        app,
        "POST",
        &format!("/ordermanagement/v1/orders/{id}/captures"),
        Some(&json!({"captured_amount": amount, "order_lines": lines})),
    )
    .await
}

/// Asserts Klarna's error shape, code and (part of the) message.
pub fn assert_klarna_error(r: &Reply, status: StatusCode, code: &str, message: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.json["error_code"], code, "{}", r.text);
    let messages = r.json["error_messages"].as_array().expect("error_messages");
    assert!(
        messages
            .iter()
            .any(|m| m.as_str().unwrap_or_default().contains(message)),
        "{message:?} not in {}",
        r.text
    );
    assert!(
        r.json["correlation_id"]
            .as_str()
            .is_some_and(|c| c.len() == 36),
        "{}",
        r.text
    );
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/json");
}
