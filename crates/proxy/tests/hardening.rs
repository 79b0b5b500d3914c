//! The security review's proxy findings (issue 8), each as a user or an attacker would meet
//! it: login and checkout limits, the client address behind reverse proxies, checkout caps,
//! headers, missing files, webhooks that cost provider calls, inputs that are echoed or
//! accepted when they should not be. The provider is a real sandbox on a free loopback port.
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::common::*;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use kassa_proxy::config::SANDBOX_KEY;
use kassa_proxy::{app, AppState, Config, StateConfig};
use serde_json::{json, Value};
use tower::ServiceExt;

/// The app as seen from a connection from `peer`.
fn from(app: &Router, peer: [u8; 4]) -> Router {
    app.clone()
        .layer(MockConnectInfo(SocketAddr::from((peer, 40_000))))
}

fn forwarded_for(mut req: Request<Body>, value: &str) -> Request<Body> {
    req.headers_mut()
        .insert("x-forwarded-for", value.parse().unwrap());
    req
}

fn address() -> Value {
    json!({"givenName": "Piet", "familyName": "Mondriaan", "email": "piet@mondriaan.com",
        "streetAndNumber": "Keizersgracht 126", "postalCode": "1234AB", "city": "Amsterdam", "country": "NL"})
}

fn new_order() -> Value {
    json!({
        "currency": "EUR",
        "locale": "nl_NL",
        "billing_address": address(),
        "lines": [{"name": "LEGO 42083 Bugatti Chiron", "quantity": 2, "unit_price": 39900, "vat_rate": "21.00"}]
    })
}

fn checkout_body(items: Value) -> Value {
    json!({"items": items, "locale": "nl_NL", "billing_address": address()})
}

/// Provider calls that fetched this order (`GET /v2/orders/{id}...`).
fn provider_gets(w: &World, id: &str) -> usize {
    let path = format!("/v2/orders/{id}");
    w.sandbox
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.starts_with(&path))
        .count()
}

/// Creates an order as the operator; returns its id and checkout URL.
async fn create_order(w: &World, auth: &(String, String)) -> (String, String) {
    let (status, created, _) =
        send(&w.app, authed(post_json("/api/orders", &new_order()), auth)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    (
        created["order"]["id"].as_str().unwrap().to_owned(),
        created["checkout_url"].as_str().unwrap().to_owned(),
    )
}

// --- 1. Login limits: per account and per address, each on its own ---

#[tokio::test]
async fn five_wrong_passwords_block_that_account_only() {
    let w = world().await;
    let app = from(&w.app, [203, 0, 113, 7]);
    for _ in 0..5 {
        let (status, _, _) = send(&app, login_req(OPERATOR, "wrong")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, err, headers) = send(&app, login_req(OPERATOR, PASSWORD)).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("rate_limited")),
        "that account waits, even with its right password"
    );
    assert!(headers.contains_key(header::RETRY_AFTER));
    let (status, _, _) = send(&app, login_req(VIEWER, PASSWORD)).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "another account from the same address gets in"
    );
}

#[tokio::test]
async fn mistyped_emails_from_one_address_do_not_lock_out_a_right_login() {
    let w = world().await;
    let app = from(&w.app, [203, 0, 113, 7]);
    for i in 0..5 {
        let (status, _, _) = send(&app, login_req(&format!("typo{i}@shop.test"), "wrong")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _, _) = send(&app, login_req(OPERATOR, PASSWORD)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn twenty_failures_from_one_address_block_that_address() {
    let w = world().await;
    let app = from(&w.app, [203, 0, 113, 7]);
    for i in 0..20 {
        let (status, _, _) = send(&app, login_req(&format!("guess{i}@shop.test"), "wrong")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let (status, err, _) = send(&app, login_req(VIEWER, PASSWORD)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("Too many failed attempts"),
        "{err}"
    );
    let elsewhere = from(&w.app, [198, 51, 100, 1]);
    let (status, _, _) = send(&elsewhere, login_req(VIEWER, PASSWORD)).await;
    assert_eq!(status, StatusCode::OK, "other addresses are not affected");
}

// --- 2. The client address behind a reverse proxy ---

#[tokio::test]
async fn forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() {
    let w = world().await;
    let app = from(&w.app, [203, 0, 113, 7]);
    // A client that names a new address in every request is still one address.
    for i in 0..20 {
        let req = forwarded_for(
            login_req(&format!("guess{i}@shop.test"), "wrong"),
            &format!("198.51.100.{i}"),
        );
        assert_eq!(send(&app, req).await.0, StatusCode::UNAUTHORIZED);
    }
    let req = forwarded_for(login_req(VIEWER, PASSWORD), "198.51.100.99");
    assert_eq!(send(&app, req).await.0, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_limit_and_cannot_pick_it() {
    let w = world_with(|c| c.trusted_proxies = vec!["10.0.0.0/8".into()]).await;
    let proxy = from(&w.app, [10, 0, 0, 2]);
    // One client behind the proxy fails twenty times, writing a different address of its own
    // choosing on the left each time; the proxy appends the address it really came from.
    for i in 0..20 {
        let req = forwarded_for(
            login_req(&format!("guess{i}@shop.test"), "wrong"),
            &format!("6.6.6.{i}, 203.0.113.7"),
        );
        assert_eq!(send(&proxy, req).await.0, StatusCode::UNAUTHORIZED);
    }
    let req = forwarded_for(login_req(VIEWER, PASSWORD), "6.6.6.200, 203.0.113.7");
    assert_eq!(
        send(&proxy, req).await.0,
        StatusCode::TOO_MANY_REQUESTS,
        "the spoofed entries did not help"
    );
    // Another client behind the same proxy is not blocked with it.
    let req = forwarded_for(login_req(VIEWER, PASSWORD), "198.51.100.1");
    assert_eq!(send(&proxy, req).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_bad_trusted_proxy_setting_stops_the_start() {
    let mut config = StateConfig::new(
        "sqlite::memory:",
        "http://127.0.0.1:1/v2/",
        SANDBOX_KEY,
        "http://127.0.0.1:1",
        PathBuf::from("/nonexistent-dist"),
    );
    config.trusted_proxies = vec!["proxy.internal".into()];
    let error = AppState::new(config).await.err().expect("refused");
    assert!(
        error.to_string().contains("KASSA_TRUSTED_PROXIES"),
        "{error}"
    );
}

// --- 3. Public checkout caps; 8. its own 429 ---

#[tokio::test]
async fn a_public_checkout_is_capped_in_items_and_pieces() {
    let w = world().await;
    let mug = |quantity: u32| json!({"sku": "KASSA-MUG", "quantity": quantity});
    for items in [
        Value::Array((0..900).map(|_| mug(99)).collect()),
        Value::Array((0..26).map(|_| mug(1)).collect()),
        json!([mug(99), mug(2)]),
    ] {
        let (status, err, _) = send(
            &w.app,
            post_json("/api/public/checkout", &checkout_body(items)),
        )
        .await;
        assert_eq!(
            (status, err["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("items")),
            "{err}"
        );
    }
    let items = Value::Array((0..25).map(|_| mug(4)).collect());
    let (status, _, _) = send(
        &w.app,
        post_json("/api/public/checkout", &checkout_body(items)),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "25 items, 100 pieces: the most allowed"
    );
    assert_eq!(w.sandbox.order_count(), 1);
}

#[tokio::test]
async fn the_checkout_limit_says_so_and_when_to_come_back() {
    let w = world().await;
    let app = from(&w.app, [203, 0, 113, 7]);
    let body = checkout_body(json!([{"sku": "KASSA-MUG", "quantity": 1}]));
    for _ in 0..30 {
        assert_eq!(
            send(&app, post_json("/api/public/checkout", &body)).await.0,
            StatusCode::CREATED
        );
    }
    let (status, err, headers) = send(&app, post_json("/api/public/checkout", &body)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let message = err["message"].as_str().unwrap();
    assert!(!message.contains("failed"), "{message}");
    assert!(message.contains("Too many orders"), "{message}");
    let wait: u64 = headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=600).contains(&wait), "{wait}");
}

// --- 4. The model's maxima reach the API ---

#[tokio::test]
async fn staff_orders_past_the_providers_maxima_are_refused_before_the_provider() {
    let w = world().await;
    let auth = w.auth.clone();
    for (pointer, value, field) in [
        ("/lines/0/unit_price", json!(i64::MAX), "lines.0.unitPrice"),
        ("/lines/0/quantity", json!(u32::MAX), "lines.0.quantity"),
        (
            "/lines/0/unit_price",
            json!(100_000_001),
            "lines.0.unitPrice",
        ),
    ] {
        let mut body = new_order();
        *body.pointer_mut(pointer).unwrap() = value;
        let (status, err, _) = send(&w.app, authed(post_json("/api/orders", &body), &auth)).await;
        assert_eq!(
            (status, err["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{err}"
        );
        assert!(
            err["message"].as_str().unwrap().contains("at most"),
            "{err}"
        );
    }
    assert_eq!(w.sandbox.order_count(), 0);
}

// --- 5. Missing files are 404; only page loads get the app ---

#[tokio::test]
async fn missing_files_are_404_and_page_loads_get_the_app() {
    let dist = std::env::temp_dir().join(format!("kassa-dist-assets-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<html>kassa app</html>").unwrap();
    std::fs::write(dist.join("kassa-app-1234.js"), "boot()").unwrap();
    let w = world_with(|c| c.dist = dist.clone()).await;
    let page = |path: &str| {
        Request::get(path)
            .header(
                header::ACCEPT,
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            )
            .body(Body::empty())
            .unwrap()
    };
    let text = |resp: axum::response::Response| async move {
        String::from_utf8(
            resp.into_body()
                .collect()
                .await
                .unwrap()
                .to_bytes()
                .to_vec(),
        )
        .unwrap()
    };
    for path in ["/", "/orders/ord_1.o2io4c", "/return/xyz"] {
        let resp = w.app.clone().oneshot(page(path)).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        assert!(text(resp).await.contains("kassa app"), "{path}");
    }
    let resp = w
        .app
        .clone()
        .oneshot(get("/kassa-app-1234.js"))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(text(resp).await, "boot()");
    for req in [
        get("/kassa-app-9999.wasm"),
        page("/kassa-app-9999.wasm"),
        get("/favicon.ico"),
        Request::get("/orders/ord_x")
            .header(header::ACCEPT, "application/json")
            .body(Body::empty())
            .unwrap(),
    ] {
        let path = req.uri().path().to_owned();
        let resp = w.app.clone().oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(!text(resp).await.contains("kassa app"), "{path}");
    }
    std::fs::remove_dir_all(&dist).ok();
}

// --- 6. Headers ---

#[tokio::test]
async fn every_api_answer_is_no_store() {
    let w = world().await;
    let resp = w
        .app
        .clone()
        .oneshot(login_req(OPERATOR, PASSWORD))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[header::CACHE_CONTROL], "no-store");
    let auth = w.auth.clone();
    for (req, status) in [
        (authed(get("/api/session"), &auth), StatusCode::OK),
        (get("/api/session"), StatusCode::UNAUTHORIZED),
        (get("/api/orders"), StatusCode::UNAUTHORIZED),
        (get("/api/health"), StatusCode::OK),
        (authed(get("/api/nope"), &auth), StatusCode::NOT_FOUND),
        (
            authed(post_json("/api/orders", &json!({})), &auth),
            StatusCode::BAD_REQUEST,
        ),
        (login_req(OPERATOR, "wrong"), StatusCode::UNAUTHORIZED),
    ] {
        let uri = req.uri().to_string();
        let (got, _, headers) = send(&w.app, req).await;
        assert_eq!(got, status, "{uri}");
        assert_eq!(headers[header::CACHE_CONTROL], "no-store", "{uri}");
    }
}

#[tokio::test]
async fn over_https_every_answer_carries_hsts() {
    let w = world_with(|c| c.public_url = "https://kassa.shop.test".into()).await;
    for req in [
        get("/api/health"),
        get("/api/orders"),
        get("/"),
        get("/favicon.ico"),
        webhook("ord_unknown"),
    ] {
        let uri = req.uri().to_string();
        let (_, _, headers) = send(&w.app, req).await;
        assert_eq!(
            headers[header::STRICT_TRANSPORT_SECURITY],
            "max-age=63072000",
            "{uri}"
        );
    }
    let plain = world().await;
    let (_, _, headers) = send(&plain.app, get("/api/health")).await;
    assert!(!headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
}

// --- 7. Webhooks ---

#[tokio::test]
async fn a_webhook_that_changes_nothing_adds_no_timeline_entry() {
    let w = world().await;
    let auth = w.auth.clone();
    let (id, _) = create_order(&w, &auth).await;
    for _ in 0..2 {
        assert_eq!(send(&w.app, webhook(&id)).await.0, StatusCode::OK);
    }
    let (_, view, _) = send(&w.app, authed(get(&format!("/api/orders/{id}")), &auth)).await;
    let kinds: Vec<&str> = view["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created"], "{view}");
}

#[tokio::test]
async fn a_burst_of_webhooks_costs_a_bounded_number_of_provider_calls() {
    let w = world_with(|c| c.webhook_cooldown = Duration::from_secs(2)).await;
    let auth = w.auth.clone();
    let (id, checkout_url) = create_order(&w, &auth).await;
    let burst = |n: usize| {
        let requests: Vec<_> = (0..n)
            .map(|_| {
                let (app, req) = (w.app.clone(), webhook(&id));
                async move { send(&app, req).await.0 }
            })
            .collect();
        join_all(requests)
    };
    // Webhooks before and after the customer pays.
    let before = burst(25).await;
    pay(&checkout_url, "authorized").await;
    let after = burst(25).await;
    assert!(before.iter().chain(&after).all(|s| *s == StatusCode::OK));
    // Every webhook was answered after a fetch that started after it: the last state is in.
    let (_, view, _) = send(&w.app, authed(get(&format!("/api/orders/{id}")), &auth)).await;
    assert_eq!(view["status"], "authorized", "{view}");
    // Each burst: one fetch at once (or at the end of the cooldown) and one gathered fetch for
    // the webhooks that came while it ran; 50 webhooks, not 50 fetches.
    let gets = provider_gets(&w, &id);
    assert!(gets <= 4, "{gets} provider fetches for 50 webhooks");
}

#[tokio::test]
async fn a_webhook_for_an_order_kassa_does_not_know_costs_no_provider_call() {
    let w = world().await;
    // An order that exists at the provider, but Kassa never created or looked up.
    let at_provider: Value = reqwest::Client::new()
        .post(format!("{}/v2/orders", w.sandbox_url))
        .bearer_auth(SANDBOX_KEY)
        .json(&json!({
            "amount": {"currency": "EUR", "value": "10.00"}, "orderNumber": "X1", "locale": "nl_NL",
            "redirectUrl": "https://shop.test/return", "billingAddress": address(),
            "lines": [{"name": "Thing", "quantity": 1, "unitPrice": {"currency": "EUR", "value": "10.00"},
                "totalAmount": {"currency": "EUR", "value": "10.00"}, "vatRate": "21.00",
                "vatAmount": {"currency": "EUR", "value": "1.74"}}]
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let foreign = at_provider["id"].as_str().expect("created").to_owned();
    for id in [foreign.as_str(), "ord_doesnotexist"] {
        assert_eq!(send(&w.app, webhook(id)).await.0, StatusCode::OK, "{id}");
        assert_eq!(provider_gets(&w, id), 0, "{id}");
    }
}

#[tokio::test]
async fn a_webhook_for_a_known_order_while_the_provider_is_down_is_503() {
    // Two proxies on one database: one reaches the provider, the other does not.
    let file = std::env::temp_dir().join(format!(
        "kassa-hardening-{}-{}.db",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    let database_url = crate::common::durable_database_url(&file).await;
    let w = world_with(|c| c.database_url = database_url.clone()).await;
    let auth = w.auth.clone();
    let (id, _) = create_order(&w, &auth).await;
    let offline = StateConfig::new(
        &database_url,
        "http://127.0.0.1:1/v2/",
        SANDBOX_KEY,
        "http://127.0.0.1:1",
        PathBuf::from("/nonexistent-dist"),
    );
    let offline = app(AppState::new(offline).await.unwrap());
    assert_eq!(
        send(&offline, webhook(&id)).await.0,
        StatusCode::SERVICE_UNAVAILABLE,
        "so the provider retries"
    );
    std::fs::remove_file(&file).ok();
}

/// Runs the futures concurrently (`futures::future::join_all` without the dependency).
async fn join_all<F>(futures: Vec<F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

// --- 8. Inputs: validated, never echoed at length, failing paths named ---

#[tokio::test]
async fn locales_and_dates_must_be_real() {
    let w = world().await;
    let mut body = checkout_body(json!([{"sku": "KASSA-MUG", "quantity": 1}]));
    body["locale"] = json!("zz_ZZ");
    let (status, err, _) = send(&w.app, post_json("/api/public/checkout", &body)).await;
    assert_eq!(
        (status, err["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("locale"))
    );
    let auth = w.auth.clone();
    for (query, field) in [("from=2026-99-99", "from"), ("to=2026-02-30", "to")] {
        let (status, err, _) =
            send(&w.app, authed(get(&format!("/api/orders?{query}")), &auth)).await;
        assert_eq!(
            (status, err["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{query}"
        );
    }
    assert_eq!(w.sandbox.order_count(), 0);
}

#[tokio::test]
async fn long_input_is_never_echoed_back() {
    let w = world().await;
    let auth = w.auth.clone();
    let long = "x".repeat(10 * 1024);
    let mut body = new_order();
    body["method"] = json!(long);
    let (status, err, _) = send(&w.app, authed(post_json("/api/orders", &body), &auth)).await;
    assert_eq!(
        (status, err["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("method"))
    );
    let mut body = new_order();
    body["lines"][0]["quantity"] = json!(long);
    let (status, err, _) = send(&w.app, authed(post_json("/api/orders", &body), &auth)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let mut body = new_order();
    body["locale"] = json!(long);
    let (_, err_locale, _) = send(&w.app, authed(post_json("/api/orders", &body), &auth)).await;
    let (_, err_query, _) = send(
        &w.app,
        authed(get(&format!("/api/orders?status={long}")), &auth),
    )
    .await;
    let (_, err_action, _) = send(
        &w.app,
        authed(
            post_json(
                &format!("/api/orders/{long}/actions"),
                &json!({"kind": "cancel_order", "intent_id": "intent-0001"}),
            ),
            &auth,
        ),
    )
    .await;
    for e in [&err, &err_locale, &err_query, &err_action] {
        let message = e["message"].as_str().unwrap();
        assert!(
            message.len() < 400,
            "{} bytes: {message:.80}",
            message.len()
        );
        assert!(!message.contains(&"x".repeat(100)), "{message:.80}");
    }
    assert_eq!(w.sandbox.order_count(), 0);
}

#[tokio::test]
async fn an_undecodable_body_names_the_failing_field() {
    let w = world().await;
    let auth = w.auth.clone();
    let mut body = new_order();
    body["lines"][0]["unit_price"] = json!("ten euros");
    let (status, err, _) = send(&w.app, authed(post_json("/api/orders", &body), &auth)).await;
    assert_eq!(
        (status, err["code"].as_str(), err["field"].as_str()),
        (
            StatusCode::BAD_REQUEST,
            Some("bad_request"),
            Some("lines.0.unitPrice")
        ),
        "{err}"
    );
    let mut body = new_order();
    body["billing_address"]["country"] = json!(31);
    let (_, err, _) = send(&w.app, authed(post_json("/api/orders", &body), &auth)).await;
    assert_eq!(err["field"], "billingAddress.country", "{err}");
}

// --- 9. Settings that would overflow are refused at start ---

#[tokio::test]
async fn out_of_range_settings_are_refused_at_start() {
    use clap::Parser;
    for args in [
        ["kassa", "--session-hours", "9223372036854775807"],
        ["kassa", "--session-hours", "0"],
        ["kassa", "--refresh-minutes", "18446744073709551615"],
    ] {
        let error = Config::try_parse_from(args).unwrap_err().to_string();
        assert!(error.contains("--"), "{args:?}: {error}");
    }
    let mut config = Config::for_tests(PathBuf::from("/nonexistent-dist"));
    config.session_hours = i64::MAX;
    let error = kassa_proxy::start(config).await.err().expect("refused");
    assert!(error.to_string().contains("KASSA_SESSION_HOURS"), "{error}");
    let mut config = Config::for_tests(PathBuf::from("/nonexistent-dist"));
    config.refresh_minutes = u64::MAX;
    let error = kassa_proxy::start(config).await.err().expect("refused");
    assert!(
        error.to_string().contains("KASSA_REFRESH_MINUTES"),
        "{error}"
    );
}

// --- Provider credentials never leave the proxy (issue 14's security checks) ---

/// Everything the proxy writes to its log, at every level, for one test.
#[derive(Clone, Default)]
struct LogBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuffer {
    type Writer = Self;
    fn make_writer(&'a self) -> Self {
        self.clone()
    }
}

/// An answer as a client receives it: status, every header and the body, as text.
async fn whole_answer(app: &Router, req: Request<Body>) -> String {
    let resp = app.clone().oneshot(req).await.unwrap();
    let mut text = format!("{}\n", resp.status());
    for (name, value) in resp.headers() {
        text.push_str(&format!(
            "{name}: {}\n",
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    text.push_str(&String::from_utf8_lossy(&body));
    text
}

#[tokio::test]
async fn provider_credentials_appear_in_no_answer_and_no_log_line() {
    use base64::Engine;
    let logs = LogBuffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(logs.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let w = world().await;
    let auth = w.auth.clone();
    let mut answers = Vec::new();
    // A staff order at Mollie, its page, a refresh and a webhook; the list.
    let (id, _) = create_order(&w, &auth).await;
    for req in [
        authed(get(&format!("/api/orders/{id}")), &auth),
        authed(
            post_json(&format!("/api/orders/{id}/refresh"), &json!({})),
            &auth,
        ),
        webhook(&id),
        authed(get("/api/orders"), &auth),
        authed(get("/api/session"), &auth),
        // The shop at Mollie and at Klarna (a Klarna Payments session with Basic auth).
        post_json(
            "/api/public/checkout",
            &checkout_body(json!([{"sku": "KASSA-MUG", "quantity": 1}])),
        ),
        post_json("/api/public/checkout", &{
            let mut body = checkout_body(json!([{"sku": "KASSA-MUG", "quantity": 1}]));
            body["provider"] = json!("klarna");
            body["billing_address"]["country"] = json!("DE");
            body
        }),
    ] {
        answers.push(whole_answer(&w.app, req).await);
    }
    // The provider failing: its error reaches staff as Kassa's, never with the key it was sent.
    w.sandbox
        .add_fault("GET /v2/orders/* status=500 times=10".parse().unwrap())
        .unwrap();
    answers.push(
        whole_answer(
            &w.app,
            authed(
                post_json(&format!("/api/orders/{id}/refresh"), &json!({})),
                &auth,
            ),
        )
        .await,
    );
    answers.push(whole_answer(&w.app, webhook(&id)).await);
    // A Klarna order Kassa does not know, imported by id (Klarna answers 404).
    answers.push(
        whole_answer(
            &w.app,
            authed(
                post_json(
                    "/api/orders/import",
                    &json!({"provider": "klarna", "id": "f3392f8b-6116-4073-ab96-e330819e2c07"}),
                ),
                &auth,
            ),
        )
        .await,
    );

    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("{KLARNA_USER}:{KLARNA_PASS}"));
    let log = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(
        log.contains(&id),
        "the log was captured, with what happened to the order"
    );
    for secret in [SANDBOX_KEY, KLARNA_PASS, basic.as_str()] {
        for answer in &answers {
            assert!(
                !answer.contains(secret),
                "an answer carries a credential: {answer}"
            );
        }
        assert!(!log.contains(secret), "the log carries a credential");
    }
    // The answers were real ones: orders made, the provider's failure said.
    assert!(answers.iter().any(|a| a.starts_with("201")), "{answers:?}");
    assert!(
        answers
            .iter()
            .any(|a| a.starts_with("502") || a.starts_with("503")),
        "{answers:?}"
    );
}
