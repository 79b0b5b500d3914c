//! What does reading an order through Kassa cost, next to asking the provider directly?
//!
//! One proxy runs in this process on a free loopback port, as `kassa` runs it
//! (`kassa_proxy::start(Config::for_tests(..))`: in-memory mirror, the embedded sandbox under
//! `/sandbox/v2/`). The bench logs in, creates one order through `POST /api/orders`, then
//! alternates, one request at a time over keep-alive HTTP:
//!
//! - `GET /api/orders/{id}` from the proxy (session cookie checked, served from the mirror:
//!   the order's JSON and its timeline, converted to Kassa's view), and
//! - `GET /sandbox/v2/orders/{id}` from the sandbox (the provider's own answer).
//!
//! Prints p50/p95 for both and the p50 ratio (target ≤ 1.15×), plus the same two requests
//! in-process (`oneshot`, no sockets) to show how much of it is the servers' own work.
//! Run: `cargo bench -p kassa-proxy --bench proxy_get`.

mod common;

use std::path::PathBuf;
use std::time::Instant;

use common::{micros, percentile};

use kassa_proxy::config::{TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD};
use kassa_proxy::Config;
use serde_json::{json, Value};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const WARMUP: usize = 500;
const ROUNDS: usize = 5_000;

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

/// A dist directory with a placeholder page: the proxy wants one to serve the app from.
fn dist_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kassa-bench-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dist dir");
    std::fs::write(
        dir.join("index.html"),
        "<!DOCTYPE html><title>Kassa</title>",
    )
    .expect("index.html");
    dir
}

/// The same two reads through the routers in-process: no sockets, no client.
async fn in_process(running: &kassa_proxy::Running, cookie: &str, id: &str) {
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let proxy = kassa_proxy::app(running.state.clone());
    let sandbox = running.sandbox.as_ref().expect("embedded sandbox").router();
    let host = running.addr.to_string();
    let key = running.sandbox_key.clone().expect("embedded sandbox key");
    let mut via_proxy = Vec::with_capacity(ROUNDS);
    let mut direct = Vec::with_capacity(ROUNDS);
    for round in 0..WARMUP + ROUNDS {
        let t = Instant::now();
        let req = Request::get(format!("/api/orders/{id}"))
            .header("Cookie", cookie)
            .body(Body::empty())
            .expect("req");
        let r = proxy.clone().oneshot(req).await.expect("proxy");
        assert_eq!(r.status(), 200);
        r.into_body().collect().await.expect("body");
        let proxy_time = t.elapsed();
        let t = Instant::now();
        let req = Request::get(format!("/v2/orders/{id}"))
            .header("Authorization", format!("Bearer {key}"))
            .header("Host", &host)
            .body(Body::empty())
            .expect("req");
        let r = sandbox.clone().oneshot(req).await.expect("sandbox");
        assert_eq!(r.status(), 200);
        r.into_body().collect().await.expect("body");
        let direct_time = t.elapsed();
        if round >= WARMUP {
            via_proxy.push(proxy_time);
            direct.push(direct_time);
        }
    }
    // The proxy's handler makes three SQLite queries (session, order body, timeline): what
    // one costs through sqlx's pool alone.
    let mut query = Vec::with_capacity(ROUNDS);
    for round in 0..WARMUP + ROUNDS {
        let t = Instant::now();
        let body: Option<String> = sqlx::query_scalar("SELECT body FROM orders WHERE id = ?")
            .bind(id)
            .fetch_optional(running.state.db())
            .await
            .expect("query");
        assert!(body.is_some());
        if round >= WARMUP {
            query.push(t.elapsed());
        }
    }
    println!("in-process, no sockets (the servers' own work):");
    println!(
        "  proxy   GET /api/orders/{{id}}  p50 {:>8.1} µs   p95 {:>8.1} µs",
        micros(percentile(&mut via_proxy, 0.5)),
        micros(percentile(&mut via_proxy, 0.95))
    );
    println!(
        "  sandbox GET /v2/orders/{{id}}   p50 {:>8.1} µs   p95 {:>8.1} µs",
        micros(percentile(&mut direct, 0.5)),
        micros(percentile(&mut direct, 0.95))
    );
    println!(
        "  one sqlx query (SELECT body … WHERE id = ?) p50 {:>6.1} µs",
        micros(percentile(&mut query, 0.5))
    );
}

#[tokio::main]
async fn main() {
    let dist = dist_dir();
    let running = kassa_proxy::start(Config::for_tests(dist.clone()))
        .await
        .expect("start the proxy");
    let base = running.url.clone();
    let sandbox_key = running.sandbox_key.clone().expect("embedded sandbox key");
    let client = reqwest::Client::new();

    // Log in as the first account, as the app does.
    let r = client
        .post(format!("{base}/api/session"))
        .json(&json!({"email": TEST_ADMIN_EMAIL, "password": TEST_ADMIN_PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), 200, "login");
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_owned();
    let session: Value = r.json().await.expect("session json");
    let csrf = session["csrf_token"]
        .as_str()
        .expect("csrf token")
        .to_owned();

    let r = client
        .post(format!("{base}/api/orders"))
        .header("Cookie", &cookie)
        .header("X-CSRF-Token", &csrf)
        .json(&new_order())
        .send()
        .await
        .expect("create");
    assert_eq!(r.status(), 201, "create order");
    let created: Value = r.json().await.expect("created json");
    let id = created["order"]["id"]
        .as_str()
        .expect("order id")
        .to_owned();

    in_process(&running, &cookie, &id).await;

    let proxy_url = format!("{base}/api/orders/{id}");
    let sandbox_url = format!("{base}/sandbox/v2/orders/{id}");
    let mut via_proxy = Vec::with_capacity(ROUNDS);
    let mut direct = Vec::with_capacity(ROUNDS);
    let mut bytes = (0, 0);
    let started = Instant::now();
    // Alternating the two keeps drift (CPU frequency, other work on the machine) out of the
    // ratio.
    for round in 0..WARMUP + ROUNDS {
        let t = Instant::now();
        let r = client
            .get(&proxy_url)
            .header("Cookie", &cookie)
            .send()
            .await
            .expect("proxy get");
        assert_eq!(r.status(), 200);
        let body = r.bytes().await.expect("proxy body");
        let proxy_time = t.elapsed();

        let t = Instant::now();
        let r = client
            .get(&sandbox_url)
            .bearer_auth(&sandbox_key)
            .send()
            .await
            .expect("sandbox get");
        assert_eq!(r.status(), 200);
        let provider_body = r.bytes().await.expect("sandbox body");
        let direct_time = t.elapsed();
        bytes = (body.len(), provider_body.len());
        if round >= WARMUP {
            via_proxy.push(proxy_time);
            direct.push(direct_time);
        }
    }
    let total = started.elapsed();
    let (p50_proxy, p95_proxy) = (
        percentile(&mut via_proxy, 0.5),
        percentile(&mut via_proxy, 0.95),
    );
    let (p50_direct, p95_direct) = (percentile(&mut direct, 0.5), percentile(&mut direct, 0.95));
    println!(
        "{ROUNDS} rounds of each over loopback HTTP, keep-alive, sequential ({:.1} s in all)",
        total.as_secs_f64()
    );
    println!(
        "sandbox GET /v2/orders/{{id}}   p50 {:>8.1} µs   p95 {:>8.1} µs   ({} bytes)",
        micros(p50_direct),
        micros(p95_direct),
        bytes.1
    );
    println!(
        "proxy   GET /api/orders/{{id}}  p50 {:>8.1} µs   p95 {:>8.1} µs   ({} bytes)",
        micros(p50_proxy),
        micros(p95_proxy),
        bytes.0
    );
    let ratio = micros(p50_proxy) / micros(p50_direct);
    println!(
        "proxy/sandbox p50 ratio {ratio:.2}× (target ≤ 1.15×: {})",
        if ratio <= 1.15 { "met" } else { "missed" }
    );
    let _ = std::fs::remove_dir_all(dist);
}
