//! What does reading an order through Kassa cost, next to asking the provider directly?
//!
//! One proxy runs in this process on a free loopback port, as `kassa` runs it
//! (`kassa_proxy::start(Config::for_tests(..))`: in-memory mirror, the embedded sandbox under
//! `/sandbox/`, its test controls on). The bench logs in and makes two orders: a Mollie order
//! through `POST /api/orders`, and a Klarna order placed at the sandbox's Klarna as a shop's
//! checkout would (Klarna Payments session, the shopper's authorization, the order) and added
//! to Kassa with `POST /api/orders/import`. Then, for each provider, it alternates, one
//! request at a time over keep-alive HTTP:
//!
//! - `GET /api/orders/{id}` from the proxy (session cookie checked, served from the mirror:
//!   the order's JSON and its timeline, converted to Kassa's view), and
//! - the provider's own read at the sandbox: Mollie's `GET /sandbox/v2/orders/{id}` (bearer
//!   key), Klarna's `GET /sandbox/ordermanagement/v1/orders/{id}` (HTTP Basic).
//!
//! Prints p50/p95 for both and the p50 ratio per provider (target ≤ 1.15×), plus the same
//! requests in-process (`oneshot`, no sockets) to show how much of it is the servers' own
//! work. Run: `cargo bench -p kassa-proxy --bench proxy_get`.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{micros, percentile};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
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

/// A Klarna cart of the same two products in the Netherlands (21 % VAT, tax per line within
/// Klarna's ±1), with shipping: 1133.99 EUR in all.
fn klarna_cart() -> Value {
    json!({
        "purchase_country": "NL", "purchase_currency": "EUR", "locale": "nl-NL",
        "order_amount": 113399, "order_tax_amount": 19681,
        "order_lines": [
            {"type": "physical", "reference": "42083", "name": "LEGO 42083 Bugatti Chiron",
             "quantity": 2, "unit_price": 39900, "tax_rate": 2100, "total_amount": 69800,
             "total_discount_amount": 10000, "total_tax_amount": 12114},
            {"type": "physical", "reference": "42056", "name": "LEGO 42056 Porsche 911 GT3 RS",
             "quantity": 1, "unit_price": 32999, "tax_rate": 2100, "total_amount": 32999,
             "total_discount_amount": 0, "total_tax_amount": 5727},
            {"type": "shipping_fee", "reference": "SHIP", "name": "Shipping",
             "quantity": 1, "unit_price": 10600, "tax_rate": 2100, "total_amount": 10600,
             "total_discount_amount": 0, "total_tax_amount": 1840}
        ],
        "billing_address": {"given_name": "Piet", "family_name": "Mondriaan",
            "street_address": "Keizersgracht 126", "postal_code": "1234 AB", "city": "Amsterdam",
            "country": "NL", "email": "piet@mondriaan.com"}
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

/// One order read two ways: through Kassa, and from its provider at the sandbox.
struct Pair {
    provider: &'static str,
    /// Kassa's order id.
    id: String,
    /// The provider's read, relative to the sandbox's root (`v2/orders/{id}`).
    sandbox_path: String,
    /// The provider's `Authorization` header.
    authorization: String,
}

fn p50_p95(samples: &mut [Duration]) -> (f64, f64) {
    (
        micros(percentile(samples, 0.5)),
        micros(percentile(samples, 0.95)),
    )
}

/// The same two reads through the routers in-process: no sockets, no client.
async fn in_process(running: &kassa_proxy::Running, cookie: &str, pair: &Pair) {
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let proxy = kassa_proxy::app(running.state.clone());
    let sandbox = running.sandbox.as_ref().expect("embedded sandbox").router();
    let host = running.addr.to_string();
    let mut via_proxy = Vec::with_capacity(ROUNDS);
    let mut direct = Vec::with_capacity(ROUNDS);
    for round in 0..WARMUP + ROUNDS {
        let t = Instant::now();
        let req = Request::get(format!("/api/orders/{}", pair.id))
            .header("Cookie", cookie)
            .body(Body::empty())
            .expect("req");
        let r = proxy.clone().oneshot(req).await.expect("proxy");
        assert_eq!(r.status(), 200);
        r.into_body().collect().await.expect("body");
        let proxy_time = t.elapsed();
        let t = Instant::now();
        let req = Request::get(format!("/{}", pair.sandbox_path))
            .header("Authorization", &pair.authorization)
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
    let (proxy50, proxy95) = p50_p95(&mut via_proxy);
    let (direct50, direct95) = p50_p95(&mut direct);
    let path = format!("/{}", pair.sandbox_path.replace(&pair.id, "{id}"));
    println!(
        "  {:<7} proxy   GET {:<33} p50 {proxy50:>8.1} µs   p95 {proxy95:>8.1} µs",
        pair.provider, "/api/orders/{id}"
    );
    println!(
        "  {:<7} sandbox GET {path:<33} p50 {direct50:>8.1} µs   p95 {direct95:>8.1} µs",
        pair.provider
    );
}

/// What one sqlx query costs through the pool alone: the proxy's handler made three (session,
/// order body, timeline) before its caches.
async fn one_query(running: &kassa_proxy::Running, id: &str) {
    let mut query = Vec::with_capacity(ROUNDS);
    for round in 0..WARMUP + ROUNDS {
        let t = Instant::now();
        let body: Option<String> = sqlx::query_scalar("SELECT body FROM orders WHERE id = ?")
            .bind(id)
            .fetch_optional(running.state.db().sqlite().expect("SQLite"))
            .await
            .expect("query");
        assert!(body.is_some());
        if round >= WARMUP {
            query.push(t.elapsed());
        }
    }
    println!(
        "  one sqlx query (SELECT body … WHERE id = ?) p50 {:>6.1} µs",
        micros(percentile(&mut query, 0.5))
    );
}

/// The pair over loopback HTTP, alternating; returns the p50 ratio.
async fn over_http(client: &reqwest::Client, base: &str, cookie: &str, pair: &Pair) -> f64 {
    let proxy_url = format!("{base}/api/orders/{}", pair.id);
    let sandbox_url = format!("{base}/sandbox/{}", pair.sandbox_path);
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
            .header("Cookie", cookie)
            .send()
            .await
            .expect("proxy get");
        assert_eq!(r.status(), 200);
        let body = r.bytes().await.expect("proxy body");
        let proxy_time = t.elapsed();

        let t = Instant::now();
        let r = client
            .get(&sandbox_url)
            .header("Authorization", &pair.authorization)
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
    let (proxy50, proxy95) = p50_p95(&mut via_proxy);
    let (direct50, direct95) = p50_p95(&mut direct);
    println!(
        "{}: {ROUNDS} rounds of each over loopback HTTP, keep-alive, sequential ({:.1} s in all)",
        pair.provider,
        total.as_secs_f64()
    );
    let path = format!("/{}", pair.sandbox_path.replace(&pair.id, "{id}"));
    println!(
        "  sandbox GET {path:<33} p50 {direct50:>8.1} µs   p95 {direct95:>8.1} µs   ({} bytes)",
        bytes.1
    );
    println!(
        "  proxy   GET {:<33} p50 {proxy50:>8.1} µs   p95 {proxy95:>8.1} µs   ({} bytes)",
        "/api/orders/{id}", bytes.0
    );
    let ratio = proxy50 / direct50;
    println!(
        "  proxy/sandbox p50 ratio {ratio:.2}× (target ≤ 1.15×: {})",
        if ratio <= 1.15 { "met" } else { "missed" }
    );
    ratio
}

/// A call to the embedded sandbox's Klarna, as the merchant; the answer's JSON.
async fn klarna_call(
    client: &reqwest::Client,
    base: &str,
    authorization: &str,
    path: &str,
    body: &Value,
) -> Value {
    let r = client
        .post(format!("{base}/sandbox/{path}"))
        .header("Authorization", authorization)
        .json(body)
        .send()
        .await
        .expect("klarna call");
    let status = r.status();
    let text = r.text().await.expect("klarna answer");
    assert!(status.is_success(), "POST {path}: {status} {text}");
    serde_json::from_str(&text).expect("klarna json")
}

/// Places a Klarna order at the sandbox as a shop's checkout would: a Klarna Payments session,
/// the shopper's authorization (the sandbox's test control) and the order. Its id.
async fn place_klarna_order(client: &reqwest::Client, base: &str, authorization: &str) -> String {
    let session = klarna_call(
        client,
        base,
        authorization,
        "payments/v1/sessions",
        &klarna_cart(),
    )
    .await;
    let session = session["session_id"].as_str().expect("session id");
    let authorized = klarna_call(
        client,
        base,
        authorization,
        &format!("_sandbox/klarna/sessions/{session}/authorize"),
        &json!({"outcome": "approved"}),
    )
    .await;
    let token = authorized["authorization_token"]
        .as_str()
        .expect("authorization token");
    let mut order = klarna_cart();
    order["merchant_reference1"] = json!("1338");
    let placed = klarna_call(
        client,
        base,
        authorization,
        &format!("payments/v1/authorizations/{token}/order"),
        &order,
    )
    .await;
    placed["order_id"].as_str().expect("order id").to_owned()
}

#[tokio::main]
async fn main() {
    let dist = dist_dir();
    let mut config = Config::for_tests(dist.clone());
    // The shopper's side of a Klarna checkout is a test control of the sandbox.
    config.sandbox_test_controls = true;
    let running = kassa_proxy::start(config).await.expect("start the proxy");
    let base = running.url.clone();
    let mollie_key = running.sandbox_key.clone().expect("embedded sandbox key");
    let klarna = running
        .sandbox_klarna
        .clone()
        .expect("embedded sandbox's Klarna credential");
    let klarna_authorization = format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", klarna.username, klarna.password))
    );
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
    let mollie_id = created["order"]["id"]
        .as_str()
        .expect("order id")
        .to_owned();

    let klarna_id = place_klarna_order(&client, &base, &klarna_authorization).await;
    let r = client
        .post(format!("{base}/api/orders/import"))
        .header("Cookie", &cookie)
        .header("X-CSRF-Token", &csrf)
        .json(&json!({"provider": "klarna", "id": klarna_id}))
        .send()
        .await
        .expect("import");
    assert_eq!(r.status(), 200, "add the Klarna order");

    let pairs = [
        Pair {
            provider: "Mollie",
            sandbox_path: format!("v2/orders/{mollie_id}"),
            id: mollie_id,
            authorization: format!("Bearer {mollie_key}"),
        },
        Pair {
            provider: "Klarna",
            sandbox_path: format!("ordermanagement/v1/orders/{klarna_id}"),
            id: klarna_id,
            authorization: klarna_authorization,
        },
    ];

    println!("in-process, no sockets (the servers' own work):");
    for pair in &pairs {
        in_process(&running, &cookie, pair).await;
    }
    one_query(&running, &pairs[0].id).await;

    let mut ratios = Vec::new();
    for pair in &pairs {
        ratios.push((
            pair.provider,
            over_http(&client, &base, &cookie, pair).await,
        ));
    }
    let summary: Vec<String> = ratios
        .iter()
        .map(|(provider, ratio)| {
            format!(
                "{provider} {ratio:.2}× ({})",
                if *ratio <= 1.15 { "met" } else { "missed" }
            )
        })
        .collect();
    println!(
        "p50 ratios, proxy/sandbox (target ≤ 1.15×): {}",
        summary.join(", ")
    );
    let _ = std::fs::remove_dir_all(dist);
}
