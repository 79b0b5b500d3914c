//! The proxy's `/api` and webhook routes, driven with `oneshot` against a real sandbox on a
//! free loopback port (the provider is never mocked).

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use kassa_proxy::config::SANDBOX_KEY;
use kassa_proxy::{app, AppState, StateConfig};
use kassa_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};
use tower::ServiceExt;

struct World {
    app: Router,
    sandbox: Sandbox,
    sandbox_url: String,
}

async fn world_with(dist: PathBuf) -> World {
    let sandbox = Sandbox::new(SandboxConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = sandbox.router();
    tokio::spawn(async move { axum::serve(listener, router).await });
    let state = AppState::new(StateConfig {
        database_url: "sqlite::memory:".into(),
        mollie_base: format!("http://{addr}/v2/"),
        mollie_key: SANDBOX_KEY.into(),
        // Nothing listens on port 1: the sandbox's own webhook attempts fail, so these tests
        // decide when the proxy hears a webhook.
        public_url: "http://127.0.0.1:1".into(),
        dist,
    })
    .await
    .unwrap();
    World {
        app: app(state),
        sandbox,
        sandbox_url: format!("http://{addr}"),
    }
}

async fn world() -> World {
    world_with(PathBuf::from("/nonexistent-dist")).await
}

async fn call(app: &Router, req: Request<Body>) -> (StatusCode, Value, String) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        text,
    )
}

fn post_json(uri: &str, body: &Value) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn webhook(id: &str) -> Request<Body> {
    Request::post("/webhooks/mollie")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("id={id}")))
        .unwrap()
}

fn new_order() -> Value {
    json!({
        "currency": "EUR",
        "locale": "nl_NL",
        "order_number": "1337",
        "method": "klarnapaylater",
        "billing_address": {"givenName": "Piet", "familyName": "Mondriaan", "email": "piet@mondriaan.com",
            "streetAndNumber": "Keizersgracht 126", "postalCode": "1234AB", "city": "Amsterdam", "country": "NL"},
        "lines": [
            {"name": "LEGO 42083 Bugatti Chiron", "quantity": 2, "unit_price": 39900, "discount": 10000, "vat_rate": "21.00"},
            {"name": "LEGO 42056 Porsche 911 GT3 RS", "quantity": 1, "unit_price": 32999, "vat_rate": "21"}
        ]
    })
}

/// Completes the sandbox's hosted checkout as a customer would, without following the redirect.
async fn checkout(url: &str, outcome: &str) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = client
        .post(url)
        .form(&[("outcome", outcome)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), reqwest::StatusCode::SEE_OTHER);
}

async fn provider_order(w: &World, id: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{}/v2/orders/{id}", w.sandbox_url))
        .bearer_auth(SANDBOX_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn creating_an_order_prices_it_on_the_server_and_returns_the_checkout() {
    let w = world().await;
    let (status, body, text) = call(&w.app, post_json("/api/orders", &new_order())).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let checkout = body["checkout_url"].as_str().unwrap();
    assert!(checkout.starts_with(&format!("{}/checkout/ord_", w.sandbox_url)));
    let order = &body["order"];
    assert_eq!(order["status"], "created");
    assert_eq!(order["order_number"], "1337");
    assert_eq!(order["amount"], json!({"minor": 102799, "currency": "EUR"}));
    assert_eq!(order["lines"][0]["vat_amount"]["minor"], 12114);
    assert_eq!(order["lines"][0]["total"]["minor"], 69800);
    assert_eq!(order["events"][0]["kind"], "created");

    // What Mollie received: its own amount format, our return and webhook URLs.
    let at_provider = provider_order(&w, order["id"].as_str().unwrap()).await;
    assert_eq!(at_provider["amount"]["value"], "1027.99");
    assert_eq!(at_provider["lines"][0]["vatAmount"]["value"], "121.14");
    assert!(at_provider["redirectUrl"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:1/return/"));
    assert_eq!(
        at_provider["webhookUrl"],
        "http://127.0.0.1:1/webhooks/mollie"
    );
}

#[tokio::test]
async fn a_missing_order_number_is_generated() {
    let w = world().await;
    let mut body = new_order();
    body["order_number"] = json!("  ");
    let (status, body, _) = call(&w.app, post_json("/api/orders", &body)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(body["order"]["order_number"]
        .as_str()
        .unwrap()
        .starts_with("K-"));
}

#[tokio::test]
async fn invalid_orders_name_the_field_and_reach_no_provider() {
    let w = world().await;
    let cases = [
        ("/lines/0/name", json!(" "), "lines.0.name"),
        ("/lines/1/quantity", json!(0), "lines.1.quantity"),
        ("/lines/0/discount", json!(99999), "lines.0.discount"),
        (
            "/billing_address/email",
            json!("not-an-email"),
            "billingAddress.email",
        ),
        (
            "/billing_address/postalCode",
            json!(""),
            "billingAddress.postalCode",
        ),
        ("/locale", json!("dutch"), "locale"),
        ("/lines", json!([]), "lines"),
    ];
    for (pointer, value, field) in cases {
        let mut body = new_order();
        *body.pointer_mut(pointer).unwrap() = value;
        let (status, err, text) = call(&w.app, post_json("/api/orders", &body)).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{pointer}: {text}"
        );
        assert_eq!(err["code"], "validation");
        assert_eq!(err["field"], field, "{pointer}");
        assert!(!err["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(
        w.sandbox.order_count(),
        0,
        "nothing was sent to the provider"
    );
}

#[tokio::test]
async fn malformed_bodies_get_the_json_error_shape() {
    let w = world().await;
    let (status, err, _) = call(
        &w.app,
        post_json("/api/orders", &json!({"currency": "EUR"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err["message"].as_str().unwrap().contains("locale"), "{err}");
    assert_eq!(err["code"], "bad_request");
    let req = Request::post("/api/orders")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    let (status, err, _) = call(&w.app, req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["code"], "bad_request");
}

#[tokio::test]
async fn unknown_orders_and_endpoints_are_404() {
    let w = world().await;
    let (status, err, _) = call(&w.app, get("/api/orders/ord_doesnotexist")).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (status, err, _) = call(&w.app, get("/api/orders/..%2F..%2Fetc")).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (status, err, _) = call(&w.app, get("/api/nope")).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (status, _, _) = call(&w.app, get("/api/returns/unknownref")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_webhook_makes_the_proxy_refetch_the_order() {
    let w = world().await;
    let (_, created, _) = call(&w.app, post_json("/api/orders", &new_order())).await;
    let id = created["order"]["id"].as_str().unwrap().to_owned();
    checkout(created["checkout_url"].as_str().unwrap(), "authorized").await;

    // The mirror does not know yet: the webhook has not reached us.
    let (_, before, _) = call(&w.app, get(&format!("/api/orders/{id}"))).await;
    assert_eq!(before["status"], "created");

    let (status, _, _) = call(&w.app, webhook(&id)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, after, _) = call(&w.app, get(&format!("/api/orders/{id}"))).await;
    assert_eq!(after["status"], "authorized");
    assert_eq!(after["lines"][0]["status"], "authorized");
    assert_eq!(after["lines"][0]["shippable_quantity"], 2);
    let kinds: Vec<&str> = after["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created", "webhook", "status"]);
    assert_eq!(
        after["events"][2]["detail"],
        "Status changed from created to authorized"
    );

    // The same webhook again changes nothing but the log.
    call(&w.app, webhook(&id)).await;
    let (_, again, _) = call(&w.app, get(&format!("/api/orders/{id}"))).await;
    let statuses = again["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "status")
        .count();
    assert_eq!(statuses, 1);
}

#[tokio::test]
async fn webhooks_for_unknown_or_malformed_ids_change_nothing() {
    let w = world().await;
    for id in [
        "ord_doesnotexist",
        "tr_12345",
        "x%27%3B+DROP+TABLE+orders",
        "",
    ] {
        let (status, _, _) = call(&w.app, webhook(id)).await;
        assert_eq!(status, StatusCode::OK, "{id}");
    }
    let (status, _, _) = call(&w.app, get("/api/orders/ord_doesnotexist")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_return_page_sees_the_payment_even_before_the_webhook() {
    let w = world().await;
    let (_, created, _) = call(&w.app, post_json("/api/orders", &new_order())).await;
    let id = created["order"]["id"].as_str().unwrap();
    let redirect = provider_order(&w, id).await["redirectUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let return_ref = redirect.rsplit('/').next().unwrap();
    checkout(created["checkout_url"].as_str().unwrap(), "authorized").await;

    let (status, order, _) = call(&w.app, get(&format!("/api/returns/{return_ref}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(order["id"], id);
    assert_eq!(order["status"], "authorized");
}

#[tokio::test]
async fn an_unreachable_provider_is_503_and_nothing_is_stored() {
    let state = AppState::new(StateConfig {
        database_url: "sqlite::memory:".into(),
        mollie_base: "http://127.0.0.1:1/v2/".into(),
        mollie_key: SANDBOX_KEY.into(),
        public_url: "http://127.0.0.1:1".into(),
        dist: PathBuf::from("/nonexistent"),
    })
    .await
    .unwrap();
    let app = app(state);
    let (status, err, _) = call(&app, post_json("/api/orders", &new_order())).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(err["code"], "provider_unavailable");
    let (status, _, _) = call(&app, webhook("ord_abc")).await;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "so the provider retries"
    );
}

#[tokio::test]
async fn deep_links_load_the_app() {
    let dist = std::env::temp_dir().join(format!("kassa-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<html>kassa app</html>").unwrap();
    let w = world_with(dist).await;
    for path in ["/", "/orders/ord_abc", "/return/xyz"] {
        let (status, _, text) = call(&w.app, get(path)).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(text.contains("kassa app"), "{path}");
    }
}
