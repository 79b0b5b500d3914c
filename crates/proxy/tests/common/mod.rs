#![allow(dead_code)]
//! What the proxy's tests share: a proxy in front of a real sandbox on a free loopback port
//! (the provider is never mocked), staff to log in as, and requests the way the app sends them.

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use kassa_model::api::Role;
use kassa_proxy::config::SANDBOX_KEY;
use kassa_proxy::{app, staff, AppState, KlarnaConfig, StateConfig};
use kassa_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};
use tower::ServiceExt;

pub const OPERATOR: &str = "olga@shop.test";
pub const VIEWER: &str = "vic@shop.test";
pub const PASSWORD: &str = "a long enough password";

pub struct World {
    pub app: Router,
    pub sandbox: Sandbox,
    pub sandbox_url: String,
    /// An operator's session: the cookie and the CSRF token.
    pub auth: (String, String),
    /// The proxy's state (its database, for what no API shows).
    pub state: AppState,
}

/// Where a test's proxy keeps its data: a fresh in-memory SQLite database, or with
/// `KASSA_TEST_POSTGRES` set (a PostgreSQL server's URL; `cargo xtask test` runs the proxy's
/// tests a second time so) a fresh database on that server.
pub async fn database_url() -> String {
    match std::env::var("KASSA_TEST_POSTGRES") {
        Ok(server) if !server.is_empty() => scratch_database(&server).await,
        _ => "sqlite::memory:".into(),
    }
}

/// Like [`database_url`], for tests that restart the proxy on the same data: a SQLite file at
/// `file`, or a fresh PostgreSQL database.
pub async fn durable_database_url(file: &std::path::Path) -> String {
    match std::env::var("KASSA_TEST_POSTGRES") {
        Ok(server) if !server.is_empty() => scratch_database(&server).await,
        _ => format!("sqlite:{}", file.display()),
    }
}

/// A new, empty database on the PostgreSQL server at `server`.
pub async fn scratch_database(server: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "t{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    kassa_proxy::store::create_database(server, &name)
        .await
        .expect("a scratch database")
}

/// A fresh sandbox served on a free loopback port: it and its base URL.
pub async fn serve_sandbox() -> (Sandbox, String) {
    let sandbox = Sandbox::new(SandboxConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = sandbox.router();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (sandbox, format!("http://{addr}"))
}

/// A proxy in front of a fresh sandbox, configured by `tune`, with an operator (logged in) and
/// a viewer. Nothing listens on port 1, the public URL: the sandbox's own webhooks fail, so
/// tests decide when the proxy hears one.
pub async fn world_with(tune: impl FnOnce(&mut StateConfig)) -> World {
    let (sandbox, sandbox_url) = serve_sandbox().await;
    let mut config = StateConfig::new(
        &database_url().await,
        &format!("{sandbox_url}/v2/"),
        SANDBOX_KEY,
        "http://127.0.0.1:1",
        std::path::PathBuf::from("/nonexistent-dist"),
    );
    config.klarna = Some(KlarnaConfig {
        base: format!("{sandbox_url}/"),
        username: KLARNA_USER.into(),
        password: KLARNA_PASS.into(),
    });
    tune(&mut config);
    let state = AppState::new(config).await.unwrap();
    for (email, name, role) in [
        (OPERATOR, "Olga Operator", Role::Operator),
        (VIEWER, "Vic Viewer", Role::Viewer),
    ] {
        staff::create(state.db(), email, name, role, PASSWORD)
            .await
            .unwrap();
    }
    let app = app(state.clone());
    let auth = login(&app, OPERATOR).await;
    World {
        app,
        sandbox,
        sandbox_url,
        auth,
        state,
    }
}

pub async fn world() -> World {
    world_with(|_| {}).await
}

/// Logs in; returns the session cookie (`name=value`) and the CSRF token.
pub async fn login(app: &Router, email: &str) -> (String, String) {
    let resp = app
        .clone()
        .oneshot(login_req(email, PASSWORD))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let cookie = resp.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let body: Value =
        serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
    (cookie, body["csrf_token"].as_str().unwrap().to_owned())
}

pub fn login_req(email: &str, password: &str) -> Request<Body> {
    post_json(
        "/api/session",
        &json!({"email": email, "password": password}),
    )
}

/// The request with a session's cookie and CSRF token.
pub fn authed(mut req: Request<Body>, (cookie, csrf): &(String, String)) -> Request<Body> {
    req.headers_mut()
        .insert(header::COOKIE, cookie.parse().unwrap());
    req.headers_mut()
        .insert("x-csrf-token", csrf.parse().unwrap());
    req
}

pub fn post_json(uri: &str, body: &Value) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

pub fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

/// Mollie's webhook for order `id`.
pub fn webhook(id: &str) -> Request<Body> {
    Request::post("/webhooks/mollie")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("id={id}")))
        .unwrap()
}

/// Sends a request; the status, the JSON (or null) and the text of the answer.
pub async fn call_as(app: &Router, req: Request<Body>) -> (StatusCode, Value, String) {
    let (status, json, text, _) = answer(app, req).await;
    (status, json, text)
}

/// Sends a request; the status, the JSON (or null) and the headers of the answer.
pub async fn send(app: &Router, req: Request<Body>) -> (StatusCode, Value, HeaderMap) {
    let (status, json, _, headers) = answer(app, req).await;
    (status, json, headers)
}

async fn answer(app: &Router, req: Request<Body>) -> (StatusCode, Value, String, HeaderMap) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        String::from_utf8_lossy(&bytes).into_owned(),
        headers,
    )
}

/// Completes the sandbox's hosted checkout as a customer would, without following the
/// redirect.
pub async fn pay(checkout_url: &str, outcome: &str) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = client
        .post(checkout_url)
        .form(&[("outcome", outcome)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), reqwest::StatusCode::SEE_OTHER);
}

/// The order as the provider has it.
pub async fn provider_order(w: &World, id: &str) -> Value {
    mollie_get(&w.sandbox_url, &format!("/v2/orders/{id}")).await
}

/// `GET {path}` from the sandbox's Mollie, with the proxy's key.
pub async fn mollie_get(sandbox_url: &str, path: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{sandbox_url}{path}"))
        .bearer_auth(SANDBOX_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The Klarna credential the world's proxy uses (a standalone sandbox takes any).
pub const KLARNA_USER: &str = "K123456_kassa";
pub const KLARNA_PASS: &str = "sharedsecret";

/// Klarna's example cart in Sweden: 2 × 5000 öre at 25 % (line `19-402-SWE`) and shipping
/// 1000 (line `SHIP`); 11000 in all, tax 2200.
pub fn klarna_cart() -> Value {
    json!({
        "purchase_country": "SE", "purchase_currency": "SEK", "locale": "sv-SE",
        "order_amount": 11000, "order_tax_amount": 2200,
        "order_lines": [
            {"type": "physical", "reference": "19-402-SWE", "name": "Battery Power Pack",
             "quantity": 2, "unit_price": 5000, "tax_rate": 2500, "total_amount": 10000,
             "total_discount_amount": 0, "total_tax_amount": 2000},
            {"type": "shipping_fee", "reference": "SHIP", "name": "Shipping",
             "quantity": 1, "unit_price": 1000, "tax_rate": 2500, "total_amount": 1000,
             "total_discount_amount": 0, "total_tax_amount": 200}
        ],
        "billing_address": {"given_name": "Testperson-se", "family_name": "Approved",
            "street_address": "Stårgatan 1", "postal_code": "12345", "city": "Ankeborg",
            "country": "SE", "email": "customer@email.se"}
    })
}

/// A Klarna call to the world's sandbox, as the merchant.
pub async fn klarna_call(w: &World, method: &str, path: &str, body: Option<&Value>) -> Value {
    let client = reqwest::Client::new();
    let mut req = client
        .request(method.parse().unwrap(), format!("{}{path}", w.sandbox_url))
        .basic_auth(KLARNA_USER, Some(KLARNA_PASS));
    if let Some(b) = body {
        req = req.json(b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    assert!(status.is_success(), "{method} {path}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Places a Klarna order through the real sandbox, as a shop's checkout would: a Klarna
/// Payments session for [`klarna_cart`], the shopper's authorization (the sandbox's test
/// control: `approved`, or `pending` for a fraud review; `category` or pay later), and the
/// order. Its id; Kassa has not heard of it yet.
pub async fn place_klarna_order(w: &World, outcome: &str, category: Option<&str>) -> String {
    let cart = klarna_cart();
    let session = klarna_call(w, "POST", "/payments/v1/sessions", Some(&cart)).await;
    let session_id = session["session_id"].as_str().unwrap();
    let mut authorize = json!({ "outcome": outcome });
    if let Some(c) = category {
        authorize["payment_method_category"] = json!(c);
    }
    let path = format!("/_sandbox/klarna/sessions/{session_id}/authorize");
    let token = klarna_call(w, "POST", &path, Some(&authorize)).await;
    let token = token["authorization_token"].as_str().unwrap().to_owned();
    let mut order = cart;
    order["merchant_reference1"] = json!("SHOP-1001");
    let path = format!("/payments/v1/authorizations/{token}/order");
    let placed = klarna_call(w, "POST", &path, Some(&order)).await;
    placed["order_id"].as_str().unwrap().to_owned()
}

/// [`place_klarna_order`], then "Add a Klarna order" in Kassa: the order's view.
pub async fn klarna_order(w: &World, outcome: &str, category: Option<&str>) -> Value {
    let id = place_klarna_order(w, outcome, category).await;
    let (status, view, text) = call_as(
        &w.app,
        authed(
            post_json(
                "/api/orders/import",
                &json!({"provider": "klarna", "id": id}),
            ),
            &w.auth,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    view
}
