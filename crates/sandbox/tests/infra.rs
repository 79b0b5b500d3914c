//! The sandbox's infrastructure: idempotency keys, fault injection, the request log, webhook
//! retries on the sandbox clock, and HTTPS.
use std::time::{Duration, Instant};

use crate::common::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use kassa_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};

const OTHER_KEY: &str = "Bearer test_someOtherMerchantKey1234567890";

fn sandbox() -> (Sandbox, axum::Router) {
    let s = Sandbox::new(SandboxConfig::default());
    let r = s.router();
    (s, r)
}

fn with_key(mut req: Request<Body>, key: &str) -> Request<Body> {
    req.headers_mut()
        .insert("idempotency-key", key.parse().expect("header value"));
    req
}

fn admin(method: &str, uri: &str, body: Option<Value>) -> Request<Body> {
    let builder = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, "sandbox.test");
    match body {
        Some(b) => builder
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string())),
        None => builder.body(Body::empty()),
    }
    .expect("request")
}

async fn add_fault(app: &axum::Router, rule: Value) -> String {
    let r = send(app, admin("POST", "/_sandbox/faults", Some(rule))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json["id"].as_str().expect("rule id").to_owned()
}

fn assert_mollie_error(r: &Reply, status: StatusCode) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/hal+json");
    assert_eq!(r.json["status"], status.as_u16());
    assert!(r.json["title"].is_string() && r.json["detail"].is_string());
    assert!(r.json["_links"]["documentation"]["href"].is_string());
}

/// Serves the sandbox on a free loopback port.
async fn serve(sandbox: &Sandbox) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = sandbox.router();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

// --- idempotency -------------------------------------------------------------------------

#[tokio::test]
async fn a_repeated_key_replays_the_first_answer() {
    let (sandbox, app) = sandbox();
    let first = send(
        &app,
        with_key(post_json("/v2/orders", &lego_order()), "k-1"),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert!(first.headers.get("idempotent-replayed").is_none());
    let again = send(
        &app,
        with_key(post_json("/v2/orders", &lego_order()), "k-1"),
    )
    .await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.headers[header::CONTENT_TYPE], "application/hal+json");
    assert_eq!(again.json["id"], first.json["id"]);
    assert_eq!(again.text, first.text);
    assert_eq!(sandbox.order_count(), 1);
}

#[tokio::test]
async fn a_key_reused_with_other_parameters_is_a_400() {
    let (sandbox, app) = sandbox();
    send(
        &app,
        with_key(post_json("/v2/orders", &lego_order()), "k-2"),
    )
    .await;
    let mut other = lego_order();
    other["orderNumber"] = json!("1338");
    let r = send(&app, with_key(post_json("/v2/orders", &other), "k-2")).await;
    assert_mollie_error(&r, StatusCode::BAD_REQUEST);
    let r = send(
        &app,
        with_key(post_json("/v2/orders?embed=payments", &lego_order()), "k-2"),
    )
    .await;
    assert_mollie_error(&r, StatusCode::BAD_REQUEST);
    assert_eq!(sandbox.order_count(), 1);
}

#[tokio::test]
async fn keys_are_per_api_key_and_expire_after_an_hour_of_sandbox_time() {
    let (sandbox, app) = sandbox();
    send(
        &app,
        with_key(post_json("/v2/orders", &lego_order()), "k-3"),
    )
    .await;
    let mut other_merchant = with_key(post_json("/v2/orders", &lego_order()), "k-3");
    other_merchant
        .headers_mut()
        .insert(header::AUTHORIZATION, OTHER_KEY.parse().unwrap());
    let r = send(&app, other_merchant).await;
    assert!(r.headers.get("idempotent-replayed").is_none());
    assert_eq!(sandbox.order_count(), 2);

    sandbox.advance_clock(time::Duration::minutes(61)).unwrap();
    let r = send(
        &app,
        with_key(post_json("/v2/orders", &lego_order()), "k-3"),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert!(r.headers.get("idempotent-replayed").is_none());
    assert_eq!(sandbox.order_count(), 3);
}

#[tokio::test]
async fn get_ignores_the_key() {
    let (_, app) = sandbox();
    let created = send(&app, post_json("/v2/orders", &lego_order())).await;
    let path = format!("/v2/orders/{}", created.json["id"].as_str().unwrap());
    send(&app, with_key(get(&path), "k-4")).await;
    let r = send(&app, with_key(get("/v2/orders/ord_unknown"), "k-4")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.headers.get("idempotent-replayed").is_none());
}

// --- faults -------------------------------------------------------------------------------

#[tokio::test]
async fn a_once_fault_fails_one_request_before_the_handler() {
    let (sandbox, app) = sandbox();
    add_fault(
        &app,
        json!({"method": "POST", "path": "/v2/orders", "status": 503, "once": true}),
    )
    .await;
    let r = send(&app, post_json("/v2/orders", &lego_order())).await;
    assert_mollie_error(&r, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(sandbox.order_count(), 0, "the handler did not run");
    let r = send(&app, post_json("/v2/orders", &lego_order())).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let rules = send(&app, admin("GET", "/_sandbox/faults", None)).await;
    assert_eq!(rules.json[0]["fired"], 1);
}

#[tokio::test]
async fn a_429_says_when_to_retry() {
    let (_, app) = sandbox();
    add_fault(&app, json!({"path": "/v2/**", "status": 429})).await;
    let r = send(&app, get("/v2/orders/ord_x")).await;
    assert_mollie_error(&r, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers[header::RETRY_AFTER], "1");
}

#[tokio::test]
async fn patterns_and_methods_select_the_requests() {
    let (_, app) = sandbox();
    add_fault(
        &app,
        json!({"method": "GET", "path": "/v2/orders/*/shipments", "status": 500}),
    )
    .await;
    let r = send(&app, get("/v2/orders/ord_x/shipments")).await;
    assert_mollie_error(&r, StatusCode::INTERNAL_SERVER_ERROR);
    let r = send(&app, get("/v2/orders/ord_x")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = send(&app, post_json("/v2/orders/ord_x/shipments", &json!({}))).await;
    assert_ne!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    // Admin routes are never faulted.
    add_fault(&app, json!({"path": "/**", "status": 500})).await;
    let r = send(&app, admin("GET", "/_sandbox/faults", None)).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn an_after_fault_lets_the_handler_act_but_hides_its_answer() {
    let (sandbox, app) = sandbox();
    add_fault(
        &app,
        json!({"method": "POST", "path": "/v2/orders", "status": 502, "after": true, "once": true}),
    )
    .await;
    let r = send(&app, post_json("/v2/orders", &lego_order())).await;
    assert_mollie_error(&r, StatusCode::BAD_GATEWAY);
    assert_eq!(sandbox.order_count(), 1, "the order was created anyway");
}

#[tokio::test]
async fn latency_delays_and_timeout_answers_504_late() {
    let (_, app) = sandbox();
    let slow = add_fault(&app, json!({"path": "/v2/orders/*", "latency_ms": 150})).await;
    let start = Instant::now();
    let r = send(&app, get("/v2/orders/ord_x")).await;
    assert!(start.elapsed() >= Duration::from_millis(150));
    assert_eq!(r.status, StatusCode::NOT_FOUND, "the real answer, late");

    let r = send(
        &app,
        admin("DELETE", &format!("/_sandbox/faults/{slow}"), None),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    add_fault(&app, json!({"path": "/v2/orders/*", "timeout_ms": 200})).await;
    let start = Instant::now();
    let r = send(&app, get("/v2/orders/ord_x")).await;
    assert!(start.elapsed() >= Duration::from_millis(200));
    assert_mollie_error(&r, StatusCode::GATEWAY_TIMEOUT);
}

#[tokio::test]
async fn fault_admin_lists_removes_clears_and_rejects_bad_rules() {
    let (_, app) = sandbox();
    let a = add_fault(&app, json!({"path": "/v2/orders", "drop": true})).await;
    add_fault(&app, json!({"path": "/v2/**", "rate": 0.5, "status": 500})).await;
    let list = send(&app, admin("GET", "/_sandbox/faults", None))
        .await
        .json;
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    assert_eq!(list[0]["id"], a.as_str());
    assert_eq!(list[0]["drop"], true);
    assert_eq!(list[1]["probability"], 0.5);

    let r = send(
        &app,
        admin("DELETE", &format!("/_sandbox/faults/{a}"), None),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = send(
        &app,
        admin("DELETE", &format!("/_sandbox/faults/{a}"), None),
    )
    .await;
    assert_mollie_error(&r, StatusCode::NOT_FOUND);
    let r = send(&app, admin("DELETE", "/_sandbox/faults", None)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let list = send(&app, admin("GET", "/_sandbox/faults", None))
        .await
        .json;
    assert_eq!(list, json!([]));

    for bad in [
        json!({"path": "/v2/orders"}),
        json!({"path": "/v2/orders", "status": 200}),
        json!({"path": "/v2/orders", "status": 500, "drop": true}),
        json!({"path": "v2", "drop": true}),
        json!({"path": "/v2/orders", "drop": true, "probability": 2.0}),
        json!({"path": "/v2/orders", "drop": true, "sometimes": true}),
    ] {
        let r = send(&app, admin("POST", "/_sandbox/faults", Some(bad.clone()))).await;
        assert_mollie_error(&r, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn a_dropped_connection_is_a_client_error_and_the_idempotent_retry_gets_the_answer() {
    let sandbox = Sandbox::new(SandboxConfig::default());
    let base = serve(&sandbox).await;
    sandbox
        .add_fault("POST /v2/orders drop after once".parse().unwrap())
        .unwrap();
    let client = reqwest::Client::new();
    let create = || {
        client
            .post(format!("{base}/v2/orders"))
            .header("Authorization", KEY)
            .header("Idempotency-Key", "retry-me")
            .json(&lego_order())
            .send()
    };
    let first = create().await;
    assert!(first.is_err(), "the client sees no answer: {first:?}");
    assert_eq!(sandbox.order_count(), 1, "but the order exists");

    let retry = create().await.expect("the retry is answered");
    assert_eq!(retry.status(), 201);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    assert_eq!(sandbox.order_count(), 1, "and was not created twice");

    let log = sandbox.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].status, None);
    assert!(log[0].fault.as_ref().is_some_and(|f| f.after));
    assert_eq!(log[1].status, Some(201));
    assert!(log[1].replayed);
}

#[tokio::test]
async fn a_dropped_connection_before_the_handler_creates_nothing() {
    let sandbox = Sandbox::new(SandboxConfig::default());
    let base = serve(&sandbox).await;
    sandbox
        .add_fault("POST /v2/orders drop".parse().unwrap())
        .unwrap();
    let r = reqwest::Client::new()
        .post(format!("{base}/v2/orders"))
        .header("Authorization", KEY)
        .json(&lego_order())
        .send()
        .await;
    assert!(r.is_err(), "{r:?}");
    assert_eq!(sandbox.order_count(), 0);
}

#[tokio::test]
async fn a_client_timeout_shows_in_the_log() {
    let sandbox = Sandbox::new(SandboxConfig::default());
    let base = serve(&sandbox).await;
    sandbox
        .add_fault("GET /v2/orders/* timeout_ms=5000".parse().unwrap())
        .unwrap();
    let r = reqwest::Client::new()
        .get(format!("{base}/v2/orders/ord_x"))
        .header("Authorization", KEY)
        .timeout(Duration::from_millis(200))
        .send()
        .await;
    assert!(r.is_err_and(|e| e.is_timeout()));
    // hyper notices the closed connection and drops the request; the log still has it.
    let mut log = sandbox.requests();
    for _ in 0..50 {
        if !log.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        log = sandbox.requests();
    }
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].status, None);
    assert!(log[0].error.is_some());
}

// --- request log --------------------------------------------------------------------------

#[tokio::test]
async fn the_request_log_records_api_requests() {
    let (_, app) = sandbox();
    send(
        &app,
        with_key(post_json("/v2/orders", &lego_order()), "k-log"),
    )
    .await;
    send(
        &app,
        with_key(post_json("/v2/orders", &lego_order()), "k-log"),
    )
    .await;
    add_fault(
        &app,
        json!({"path": "/v2/orders/*", "status": 503, "once": true}),
    )
    .await;
    send(&app, get("/v2/orders/ord_x?embed=payments")).await;
    send(&app, admin("GET", "/_sandbox/deliveries", None)).await;

    let log = send(&app, admin("GET", "/_sandbox/requests", None))
        .await
        .json;
    let log = log.as_array().expect("a list");
    assert_eq!(log.len(), 3, "admin requests are not logged: {log:?}");
    assert_eq!(log[0]["method"], "POST");
    assert_eq!(log[0]["path"], "/v2/orders");
    assert_eq!(log[0]["status"], 201);
    assert_eq!(log[0]["idempotency_key"], "k-log");
    assert_eq!(log[0]["replayed"], false);
    assert_eq!(log[1]["replayed"], true);
    assert_eq!(log[2]["path"], "/v2/orders/ord_x?embed=payments");
    assert_eq!(log[2]["status"], 503);
    assert_eq!(log[2]["fault"]["effect"], "status 503");
    assert!(log[2]["at"].as_str().unwrap().ends_with("+00:00"));

    let r = send(&app, admin("DELETE", "/_sandbox/requests", None)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let log = send(&app, admin("GET", "/_sandbox/requests", None))
        .await
        .json;
    assert_eq!(log, json!([]));
}

// --- webhook retries ----------------------------------------------------------------------

/// A webhook receiver on a free loopback port that answers 500 to its first `failures` calls.
async fn flaky_receiver(failures: usize) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let calls = Arc::new(AtomicUsize::new(0));
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                if n < failures {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::OK
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/hook")
}

#[tokio::test]
async fn failed_webhooks_are_retried_when_the_clock_moves() {
    let (_, app) = sandbox();
    let mut order = lego_order();
    order["webhookUrl"] = json!(flaky_receiver(2).await);
    let created = send(&app, post_json("/v2/orders", &order)).await;
    let r = send(
        &app,
        post_form(&checkout_path(&created.json), "outcome=authorized"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);

    let deliveries = || async {
        send(&app, admin("GET", "/_sandbox/deliveries", None))
            .await
            .json
    };
    assert_eq!(deliveries().await.as_array().map(Vec::len), Some(1));
    let advanced = send(
        &app,
        admin("POST", "/_sandbox/clock", Some(json!({"seconds": 3600}))),
    )
    .await;
    assert_eq!(advanced.status, StatusCode::OK);

    let mut log = deliveries().await;
    for _ in 0..50 {
        if log.as_array().map(Vec::len) >= Some(3) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        log = deliveries().await;
    }
    let attempts: Vec<(Value, Value)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["attempt"].clone(), d["status"].clone()))
        .collect();
    assert_eq!(
        attempts,
        [
            (json!(1), json!(500)),
            (json!(2), json!(500)),
            (json!(3), json!(200))
        ]
    );
}

// --- TLS ----------------------------------------------------------------------------------

#[tokio::test]
async fn serves_https_with_a_certificate_clients_can_trust() {
    let sandbox = Sandbox::new(SandboxConfig {
        scheme: "https".into(),
        ..SandboxConfig::default()
    });
    let identity = kassa_sandbox::TlsIdentity::self_signed().unwrap();
    let cert = reqwest::Certificate::from_pem(identity.cert_pem().as_bytes()).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let router = sandbox.router();
    tokio::spawn(kassa_sandbox::serve_tls_with(listener, router, identity));
    let client = reqwest::Client::builder()
        .add_root_certificate(cert)
        .build()
        .unwrap();

    let r = client
        .get(format!("https://127.0.0.1:{port}/v2/orders/ord_x"))
        .send()
        .await
        .expect("TLS handshake with the IP SAN");
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["status"], 401);
    assert_eq!(body["title"], "Unauthorized Request");

    let r = client
        .post(format!("https://localhost:{port}/v2/orders"))
        .header("Authorization", KEY)
        .json(&lego_order())
        .send()
        .await
        .expect("TLS handshake with the DNS SAN");
    assert_eq!(r.status(), 201);
    let order: Value = r.json().await.unwrap();
    let checkout = order["_links"]["checkout"]["href"].as_str().unwrap();
    assert!(
        checkout.starts_with(&format!("https://localhost:{port}/checkout/")),
        "{checkout}"
    );

    // Klarna's side over the same listener: its absolute URLs are https too.
    let r = client
        .post(format!("https://localhost:{port}/payments/v1/sessions"))
        .basic_auth(klarna::USER, Some(klarna::PASS))
        .json(&klarna::cart())
        .send()
        .await
        .expect("Klarna over TLS");
    assert_eq!(r.status(), 200);
    let session: Value = r.json().await.unwrap();
    let badge = session["payment_method_categories"][0]["asset_urls"]["standard"]
        .as_str()
        .unwrap();
    assert!(
        badge.starts_with(&format!("https://localhost:{port}/klarna/")),
        "{badge}"
    );
}
