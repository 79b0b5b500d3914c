//! How much slower is the sandbox than the cheapest possible axum endpoint?
//!
//! Both servers run in this process on free loopback ports and are called over HTTP with a
//! keep-alive client, one request at a time, alternating: a trivial handler that returns a
//! small fixed JSON; the sandbox's Mollie `POST /v2/orders` (Mollie's two-line example, fully
//! validated) followed by `GET /v2/orders/{id}`; and its Klarna `GET
//! /ordermanagement/v1/orders/{id}` (an order with two captures) and `POST …/captures` (one
//! line, checked, on one of 100 orders in turn so no order grows large). Prints p50/p95
//! latencies, the p50 ratios and the create+get throughput.
//! Run: `cargo bench -p kassa-sandbox --bench create_get`.

use std::time::{Duration, Instant};

use axum::routing::get;
use axum::{Json, Router};
use kassa_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const WARMUP: usize = 200;
const ROUNDS: usize = 3_000;
const KEY: &str = "Bearer test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM";
/// Klarna's HTTP Basic for `bench:secret`.
const KLARNA_AUTH: &str = "Basic YmVuY2g6c2VjcmV0";
/// Orders the Klarna captures take turns on.
const KLARNA_ORDERS: usize = 100;

/// A Klarna cart: one line of 100 units at 10 000 öre, 25 % VAT (room for many captures).
fn klarna_cart() -> Value {
    json!({
        "purchase_country": "SE", "purchase_currency": "SEK", "locale": "sv-SE",
        "order_amount": 1_000_000, "order_tax_amount": 200_000,
        "order_lines": [{"type": "physical", "reference": "BAT-1", "name": "Battery",
            "quantity": 100, "unit_price": 10_000, "tax_rate": 2500,
            "total_amount": 1_000_000, "total_discount_amount": 0, "total_tax_amount": 200_000}]
    })
}

/// A capture of one unit of the cart's line.
fn klarna_capture() -> Value {
    json!({"captured_amount": 10_000, "order_lines": [{"type": "physical", "reference": "BAT-1",
        "name": "Battery", "quantity": 1, "unit_price": 10_000, "tax_rate": 2500,
        "total_amount": 10_000, "total_discount_amount": 0, "total_tax_amount": 2_000}]})
}

/// Places `n` Klarna orders through Klarna Payments (session, the test control's
/// authorization, create order): their ids.
async fn klarna_orders(client: &reqwest::Client, sandbox: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::with_capacity(n);
    for _ in 0..n {
        let session: Value = client
            .post(format!("{sandbox}/payments/v1/sessions"))
            .header("Authorization", KLARNA_AUTH)
            .json(&klarna_cart())
            .send()
            .await
            .expect("session")
            .json()
            .await
            .expect("session json");
        let session_id = session["session_id"].as_str().expect("session id");
        let authorized: Value = client
            .post(format!(
                "{sandbox}/_sandbox/klarna/sessions/{session_id}/authorize"
            ))
            .json(&json!({"outcome": "approved"}))
            .send()
            .await
            .expect("authorize")
            .json()
            .await
            .expect("authorize json");
        let token = authorized["authorization_token"].as_str().expect("token");
        let order: Value = client
            .post(format!(
                "{sandbox}/payments/v1/authorizations/{token}/order"
            ))
            .header("Authorization", KLARNA_AUTH)
            .json(&klarna_cart())
            .send()
            .await
            .expect("order")
            .json()
            .await
            .expect("order json");
        ids.push(order["order_id"].as_str().expect("order id").to_owned());
    }
    ids
}

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

fn order() -> Value {
    json!({
        "amount": {"value": "1027.99", "currency": "EUR"}, "orderNumber": "1337", "locale": "nl_NL",
        "redirectUrl": "https://example.org/redirect", "method": "klarnapaylater",
        "billingAddress": {"streetAndNumber": "Keizersgracht 126", "city": "Amsterdam", "postalCode": "1234AB",
            "country": "NL", "givenName": "Piet", "familyName": "Mondriaan", "email": "piet@mondriaan.com"},
        "lines": [
            {"type": "physical", "name": "LEGO 42083 Bugatti Chiron", "quantity": 2, "vatRate": "21.00",
             "unitPrice": {"currency": "EUR", "value": "399.00"}, "discountAmount": {"currency": "EUR", "value": "100.00"},
             "totalAmount": {"currency": "EUR", "value": "698.00"}, "vatAmount": {"currency": "EUR", "value": "121.14"}},
            {"type": "physical", "name": "LEGO 42056 Porsche 911 GT3 RS", "quantity": 1, "vatRate": "21.00",
             "unitPrice": {"currency": "EUR", "value": "329.99"}, "totalAmount": {"currency": "EUR", "value": "329.99"},
             "vatAmount": {"currency": "EUR", "value": "57.27"}}
        ]
    })
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Server-side cost alone: the same requests through the routers in-process (`oneshot`), no
/// sockets; shows how much of the HTTP numbers is the sandbox's own work.
async fn in_process(trivial: Router, sandbox: Router, body: &Value) {
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut plain = Vec::new();
    let mut creates = Vec::new();
    let mut gets = Vec::new();
    for round in 0..WARMUP + ROUNDS {
        let t = Instant::now();
        let req = Request::get("/hello").body(Body::empty()).expect("req");
        let r = trivial.clone().oneshot(req).await.expect("trivial");
        r.into_body().collect().await.expect("body");
        let plain_time = t.elapsed();
        let t = Instant::now();
        let req = Request::post("/v2/orders")
            .header("Authorization", KEY)
            .header("Host", "127.0.0.1")
            .header("Content-Type", "application/json")
            .body(Body::from(body.to_string()))
            .expect("req");
        let r = sandbox.clone().oneshot(req).await.expect("create");
        let bytes = r.into_body().collect().await.expect("body").to_bytes();
        let create_time = t.elapsed();
        let created: Value = serde_json::from_slice(&bytes).expect("json");
        let id = created["id"].as_str().expect("id");
        let t = Instant::now();
        let req = Request::get(format!("/v2/orders/{id}"))
            .header("Authorization", KEY)
            .header("Host", "127.0.0.1")
            .body(Body::empty())
            .expect("req");
        let r = sandbox.clone().oneshot(req).await.expect("get");
        r.into_body().collect().await.expect("body");
        let get_time = t.elapsed();
        if round >= WARMUP {
            plain.push(plain_time);
            creates.push(create_time);
            gets.push(get_time);
        }
    }
    println!("in-process, no sockets (the servers' own work):");
    println!(
        "  trivial handler p50 {:>8.1} µs",
        micros(percentile(&mut plain, 0.5))
    );
    println!(
        "  sandbox create  p50 {:>8.1} µs",
        micros(percentile(&mut creates, 0.5))
    );
    println!(
        "  sandbox get     p50 {:>8.1} µs",
        micros(percentile(&mut gets, 0.5))
    );
}

fn trivial_router() -> Router {
    Router::new().route("/hello", get(|| async { Json(json!({"status": "ok"})) }))
}

#[tokio::main]
async fn main() {
    in_process(
        trivial_router(),
        Sandbox::new(SandboxConfig::default()).router(),
        &order(),
    )
    .await;
    let trivial = serve(trivial_router()).await;
    let sandbox = serve(Sandbox::new(SandboxConfig::default()).router()).await;
    let client = reqwest::Client::new();
    let body = order();

    let klarna = klarna_orders(&client, &sandbox, KLARNA_ORDERS).await;
    let read_me = &klarna[0];
    for _ in 0..2 {
        let r = client
            .post(format!(
                "{sandbox}/ordermanagement/v1/orders/{read_me}/captures"
            ))
            .header("Authorization", KLARNA_AUTH)
            .json(&klarna_capture())
            .send()
            .await
            .expect("capture");
        assert_eq!(r.status(), 201);
    }
    let capture = klarna_capture();

    let mut plain = Vec::with_capacity(ROUNDS);
    let mut creates = Vec::with_capacity(ROUNDS);
    let mut gets = Vec::with_capacity(ROUNDS);
    let mut klarna_gets = Vec::with_capacity(ROUNDS);
    let mut klarna_captures = Vec::with_capacity(ROUNDS);
    let started = Instant::now();
    let mut pairs_time = Duration::ZERO;
    for round in 0..WARMUP + ROUNDS {
        let t = Instant::now();
        let r = client
            .get(format!("{trivial}/hello"))
            .send()
            .await
            .expect("trivial");
        r.bytes().await.expect("trivial body");
        let plain_time = t.elapsed();

        let t = Instant::now();
        let r = client
            .post(format!("{sandbox}/v2/orders"))
            .header("Authorization", KEY)
            .json(&body)
            .send()
            .await
            .expect("create");
        assert_eq!(r.status(), 201);
        let created = r.bytes().await.expect("created");
        let create_time = t.elapsed();
        // Reading the id is the client's work, not the server's: outside the timing.
        let created: Value = serde_json::from_slice(&created).expect("created json");
        let id = created["id"].as_str().expect("id");
        let t = Instant::now();
        let r = client
            .get(format!("{sandbox}/v2/orders/{id}"))
            .header("Authorization", KEY)
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), 200);
        r.bytes().await.expect("get body");
        let get_time = t.elapsed();

        let t = Instant::now();
        let r = client
            .get(format!("{sandbox}/ordermanagement/v1/orders/{read_me}"))
            .header("Authorization", KLARNA_AUTH)
            .send()
            .await
            .expect("klarna get");
        assert_eq!(r.status(), 200);
        r.bytes().await.expect("klarna get body");
        let klarna_get_time = t.elapsed();

        let order = &klarna[1 + round % (KLARNA_ORDERS - 1)];
        let t = Instant::now();
        let r = client
            .post(format!(
                "{sandbox}/ordermanagement/v1/orders/{order}/captures"
            ))
            .header("Authorization", KLARNA_AUTH)
            .json(&capture)
            .send()
            .await
            .expect("klarna capture");
        assert_eq!(r.status(), 201);
        r.bytes().await.expect("klarna capture body");
        let klarna_capture_time = t.elapsed();
        if round >= WARMUP {
            plain.push(plain_time);
            creates.push(create_time);
            gets.push(get_time);
            klarna_gets.push(klarna_get_time);
            klarna_captures.push(klarna_capture_time);
            pairs_time += create_time + get_time;
        }
    }
    let total = started.elapsed();
    let (p50_plain, p95_plain) = (percentile(&mut plain, 0.5), percentile(&mut plain, 0.95));
    let (p50_create, p95_create) = (
        percentile(&mut creates, 0.5),
        percentile(&mut creates, 0.95),
    );
    let (p50_get, p95_get) = (percentile(&mut gets, 0.5), percentile(&mut gets, 0.95));
    println!(
        "{ROUNDS} rounds over loopback HTTP ({:.1} s in all)",
        total.as_secs_f64()
    );
    println!(
        "trivial handler   p50 {:>8.1} µs   p95 {:>8.1} µs",
        micros(p50_plain),
        micros(p95_plain)
    );
    println!(
        "sandbox create    p50 {:>8.1} µs   p95 {:>8.1} µs   p50 ratio {:.2}×",
        micros(p50_create),
        micros(p95_create),
        micros(p50_create) / micros(p50_plain)
    );
    println!(
        "sandbox get       p50 {:>8.1} µs   p95 {:>8.1} µs   p50 ratio {:.2}×",
        micros(p50_get),
        micros(p95_get),
        micros(p50_get) / micros(p50_plain)
    );
    for (name, samples) in [
        ("klarna get order ", &mut klarna_gets),
        ("klarna capture   ", &mut klarna_captures),
    ] {
        let (p50, p95) = (percentile(samples, 0.5), percentile(samples, 0.95));
        println!(
            "{name} p50 {:>8.1} µs   p95 {:>8.1} µs   p50 ratio {:.2}×",
            micros(p50),
            micros(p95),
            micros(p50) / micros(p50_plain)
        );
    }
    println!(
        "create+get throughput {:.0} pairs/s (one client, sequential)",
        ROUNDS as f64 / pairs_time.as_secs_f64()
    );
}
