//! The chaos run: two proxies (the `kassa` binary, as separate processes) on one PostgreSQL,
//! one sandbox injecting faults on about 30% of the provider calls, many staff clients that
//! resend every intent on any error or timeout (to either proxy), one proxy killed with
//! SIGKILL mid-run and restarted, and webhooks duplicated, spoofed and aimed at the wrong
//! provider all along. At the end the provider's orders are reconciled with what the clients
//! were told and with the ledger.
//!
//! Each intent ships or refunds one unit of its own order line (every line has 3 units and
//! one intent), so the provider's count on that line is the number of times the intent was
//! carried out: 0 (lost), 1, or more (a duplicate). Every other order is Klarna's (placed
//! through Klarna Payments, added with "Add a Klarna order"), whose intents capture. Shared by the test (`tests/chaos.rs`, a
//! small run) and the bench (`benches/chaos.rs`, `cargo xtask chaos`).

use std::collections::VecDeque;
use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kassa_proxy::config::SANDBOX_KEY;

use super::proxies::{
    healthy, login, spawn, start_proxy, ProxyOptions, KLARNA_PASSWORD, KLARNA_USER,
};
use kassa_sandbox::{FaultSpec, Sandbox, SandboxConfig};
use serde_json::{json, Value};

const LINES: usize = 10;
/// A client gives an intent up after this long without a final answer.
const GIVE_UP: Duration = Duration::from_secs(150);

/// What to run.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Intents in all; orders are made for them, `LINES` per order.
    pub intents: usize,
    /// Staff clients sending at once.
    pub clients: usize,
    /// Kill proxy A when this many intents have had their answer (`None`: no kill).
    pub kill_after: Option<usize>,
    /// The `kassa` binary.
    pub proxy_binary: PathBuf,
}

/// What a run found.
#[derive(Debug, Default)]
pub struct Report {
    pub intents: usize,
    /// Of them, Klarna captures (the rest: Mollie shipments and refunds).
    pub klarna_intents: usize,
    pub orders: usize,
    pub faults_injected: u64,
    /// Requests a client sent again after an error, a timeout or 409/429/5xx.
    pub retries: u64,
    /// Intents the provider carried out more than once (must be 0).
    pub duplicates: usize,
    /// Intents answered 200 that the provider never carried out, or with no final answer
    /// (must be 0).
    pub lost: usize,
    /// Intents refused with a 4xx (the client knows; none is expected here).
    pub refused: usize,
    /// Ledger rows still pending at the end (must be 0).
    pub pending: i64,
    /// Orders whose mirror differs from the provider after a refresh (must be 0).
    pub mirror_mismatches: usize,
    /// Orders whose timeline's status changes do not chain up to the status shown (each
    /// "from" the previous "to", the last "to" the order's status; must be 0).
    pub timeline_mismatches: usize,
    /// Webhooks sent under the storm: real (duplicated), unknown, other provider's, spoofed.
    pub webhooks: u64,
    /// Whether proxy A was killed and came back.
    pub killed_and_restarted: bool,
    pub p50: Duration,
    pub p95: Duration,
    pub elapsed: Duration,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "chaos: {} intents ({} of them Klarna captures) on {} orders in {:.1} s",
            self.intents,
            self.klarna_intents,
            self.orders,
            self.elapsed.as_secs_f64()
        )?;
        writeln!(f, "  faults injected      {}", self.faults_injected)?;
        writeln!(f, "  client retries       {}", self.retries)?;
        writeln!(f, "  webhooks (storm)     {}", self.webhooks)?;
        writeln!(
            f,
            "  proxy A killed       {}",
            if self.killed_and_restarted {
                "yes, SIGKILL, restarted"
            } else {
                "no"
            }
        )?;
        writeln!(f, "  duplicates           {}", self.duplicates)?;
        writeln!(f, "  lost                 {}", self.lost)?;
        writeln!(f, "  refused (4xx)        {}", self.refused)?;
        writeln!(f, "  ledger pending       {}", self.pending)?;
        writeln!(f, "  mirror ≠ provider    {}", self.mirror_mismatches)?;
        writeln!(f, "  timeline broken      {}", self.timeline_mismatches)?;
        write!(
            f,
            "  action p50 {:.0} ms   p95 {:.0} ms (first send to final answer)",
            ms(self.p50),
            ms(self.p95)
        )
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One staff intent: ship or refund one unit of `line` of `order`.
struct Intent {
    id: String,
    order: String,
    line: String,
    ship: bool,
    klarna: bool,
}

/// How an intent ended for its client.
enum Outcome {
    Succeeded,
    Refused,
    Unanswered,
}

fn order_body() -> Value {
    let lines: Vec<Value> = (0..LINES)
        .map(|i| json!({"name": format!("Part {i}"), "quantity": 3, "unit_price": 1000 + i as i64 * 100, "vat_rate": "21"}))
        .collect();
    json!({
        "currency": "EUR", "locale": "nl_NL", "method": "ideal",
        "billing_address": {"givenName": "Chaos", "familyName": "Monkey", "email": "chaos@example.com",
            "streetAndNumber": "Keizersgracht 1", "postalCode": "1015CJ", "city": "Amsterdam", "country": "NL"},
        "lines": lines
    })
}

/// A Klarna cart of `LINES` lines of 3 units each, in Sweden at 25% (Klarna's tax rule: the
/// tax of a line is its total × 2500 / 12500).
fn klarna_cart() -> Value {
    let lines: Vec<Value> = (0..LINES)
        .map(|i| {
            let total = 3 * (1000 + i as i64 * 100);
            json!({"type": "physical", "reference": format!("PART-{i}"), "name": format!("Part {i}"),
                "quantity": 3, "unit_price": 1000 + i as i64 * 100, "tax_rate": 2500,
                "total_amount": total, "total_discount_amount": 0, "total_tax_amount": total / 5})
        })
        .collect();
    let amount: i64 = lines
        .iter()
        .map(|l| l["total_amount"].as_i64().unwrap())
        .sum();
    let tax: i64 = lines
        .iter()
        .map(|l| l["total_tax_amount"].as_i64().unwrap())
        .sum();
    json!({
        "purchase_country": "SE", "purchase_currency": "SEK", "locale": "sv-SE",
        "order_amount": amount, "order_tax_amount": tax, "order_lines": lines,
        "billing_address": {"given_name": "Chaos", "family_name": "Monkey",
            "street_address": "Stårgatan 1", "postal_code": "12345", "city": "Ankeborg",
            "country": "SE", "email": "chaos@example.se"}
    })
}

/// A Klarna call to the sandbox, as the shop's server makes it.
async fn klarna(client: &reqwest::Client, sandbox_url: &str, path: &str, body: &Value) -> Value {
    let resp = client
        .post(format!("{sandbox_url}{path}"))
        .basic_auth(KLARNA_USER, Some(KLARNA_PASSWORD))
        .json(body)
        .send()
        .await
        .expect("the sandbox's Klarna");
    assert!(resp.status().is_success(), "{path}: {}", resp.status());
    resp.json().await.expect("Klarna's answer")
}

/// Places a Klarna order as a shop's checkout would (a session, the shopper's approval, the
/// order); its id.
async fn place_klarna_order(client: &reqwest::Client, sandbox_url: &str) -> String {
    let cart = klarna_cart();
    let session = klarna(client, sandbox_url, "/payments/v1/sessions", &cart).await;
    let session_id = session["session_id"].as_str().expect("a session");
    let path = format!("/_sandbox/klarna/sessions/{session_id}/authorize");
    let token = klarna(client, sandbox_url, &path, &json!({"outcome": "approved"})).await;
    let token = token["authorization_token"].as_str().expect("a token");
    let path = format!("/payments/v1/authorizations/{token}/order");
    let placed = klarna(client, sandbox_url, &path, &cart).await;
    placed["order_id"].as_str().expect("an order").to_owned()
}

async fn klarna_at_provider(client: &reqwest::Client, sandbox_url: &str, id: &str) -> Value {
    client
        .get(format!("{sandbox_url}/ordermanagement/v1/orders/{id}"))
        .basic_auth(KLARNA_USER, Some(KLARNA_PASSWORD))
        .send()
        .await
        .expect("the sandbox's Klarna")
        .json()
        .await
        .expect("a Klarna order")
}

/// Units of line `reference` captured at Klarna, over all captures.
fn klarna_captured(order: &Value, reference: &str) -> u64 {
    order["captures"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["order_lines"].as_array().into_iter().flatten())
        .filter(|l| l["reference"] == reference)
        .map(|l| l["quantity"].as_u64().unwrap_or(0))
        .sum()
}

async fn provider_order(client: &reqwest::Client, sandbox_url: &str, id: &str) -> Value {
    client
        .get(format!("{sandbox_url}/v2/orders/{id}"))
        .bearer_auth(SANDBOX_KEY)
        .send()
        .await
        .expect("the sandbox")
        .json()
        .await
        .expect("an order")
}

/// Faults on about 30% of the provider's order calls: 500, 503, 429, dropped connections,
/// timeouts, and `after` faults (the provider acted, the answer was lost).
fn add_faults(sandbox: &Sandbox) {
    let p = 0.06; // six rules: 1 − 0.94⁶ ≈ 31% of the matching calls
    for path in [
        "/v2/orders/*/refunds",
        "/v2/orders/*/shipments",
        "/v2/orders/*",
        "/ordermanagement/v1/orders/*/captures",
        "/ordermanagement/v1/orders/*",
    ] {
        let rule =
            |status: Option<u16>, drop: bool, timeout_ms: Option<u64>, after: bool| FaultSpec {
                method: None,
                path: path.to_owned(),
                status,
                drop,
                timeout_ms,
                after,
                probability: Some(p),
                ..Default::default()
            };
        for spec in [
            rule(Some(500), false, None, false),
            rule(Some(503), false, None, false),
            rule(Some(429), false, None, false),
            rule(None, true, None, false),
            rule(None, false, Some(1_500), false),
            rule(Some(500), false, None, true),
        ] {
            sandbox.add_fault(spec).expect("a fault rule");
        }
    }
}

pub async fn run(plan: Plan) -> Report {
    let started = Instant::now();
    // The database server: `KASSA_TEST_POSTGRES`, or a throwaway cluster of our own.
    let (_cluster, server) = match std::env::var("KASSA_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => (None, url),
        _ => {
            let c = throwaway_pg::Cluster::start().expect("a throwaway PostgreSQL");
            let url = c.url("postgres");
            (Some(c), url)
        }
    };
    let name = format!("chaos_{}_{}", std::process::id(), rand::random::<u32>());
    let database_url = kassa_proxy::store::create_database(&server, &name)
        .await
        .expect("a database");

    let sandbox = Sandbox::new(SandboxConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sandbox_url = format!("http://{}", listener.local_addr().unwrap());
    let router = sandbox.router();
    tokio::spawn(async move { axum::serve(listener, router).await });

    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    // A first (it creates the staff account), then B.
    let options = |name| ProxyOptions {
        name,
        database_url: database_url.clone(),
        sandbox_url: sandbox_url.clone(),
        trusted_proxies: None,
    };
    let a = start_proxy(&client, &plan.proxy_binary, options("proxy-a")).await;
    let b = start_proxy(&client, &plan.proxy_binary, options("proxy-b")).await;
    let auth = login(&client, &a.url()).await;

    // Orders, paid, before the storm.
    let orders_needed = plan.intents.div_ceil(LINES);
    let mut intents = Vec::with_capacity(plan.intents);
    // (id, Klarna's?)
    let mut orders: Vec<(String, bool)> = Vec::new();
    for o in 0..orders_needed {
        let base = if o % 2 == 0 { a.url() } else { b.url() };
        if o % 2 == 1 {
            // Klarna's: placed by the shop at Klarna, then added to Kassa by its id.
            let id = place_klarna_order(&client, &sandbox_url).await;
            let view: Value = client
                .post(format!("{base}/api/orders/import"))
                .header("cookie", &auth.0)
                .header("x-csrf-token", &auth.1)
                .json(&json!({"provider": "klarna", "id": id}))
                .send()
                .await
                .expect("import")
                .json()
                .await
                .expect("the imported order");
            for l in view["lines"].as_array().expect("lines") {
                if intents.len() < plan.intents {
                    intents.push(Intent {
                        id: format!("chaos-{name}-{:05}", intents.len()),
                        order: id.clone(),
                        line: l["id"].as_str().expect("a line id").to_owned(),
                        ship: true,
                        klarna: true,
                    });
                }
            }
            orders.push((id, true));
            continue;
        }
        let created: Value = client
            .post(format!("{base}/api/orders"))
            .header("cookie", &auth.0)
            .header("x-csrf-token", &auth.1)
            .json(&order_body())
            .send()
            .await
            .expect("create")
            .json()
            .await
            .expect("created");
        let id = created["order"]["id"]
            .as_str()
            .expect("an order id")
            .to_owned();
        let checkout = created["checkout_url"]
            .as_str()
            .expect("checkout")
            .to_owned();
        let paid = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(checkout)
            .form(&[("outcome", "paid")])
            .send()
            .await
            .expect("checkout");
        assert!(paid.status().is_redirection(), "paid: {}", paid.status());
        let lines: Vec<String> = created["order"]["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap().to_owned())
            .collect();
        for (i, line) in lines.iter().enumerate() {
            if intents.len() < plan.intents {
                intents.push(Intent {
                    id: format!("chaos-{name}-{:05}", intents.len()),
                    order: id.clone(),
                    line: line.clone(),
                    ship: i % 2 == 0,
                    klarna: false,
                });
            }
        }
        orders.push((id, false));
    }
    // Shuffled, so both kinds and all orders are in flight together.
    let mut queue: Vec<Intent> = intents;
    for i in (1..queue.len()).rev() {
        let j = (rand::random::<u64>() % (i as u64 + 1)) as usize;
        queue.swap(i, j);
    }
    let total = queue.len();
    let queue = Arc::new(Mutex::new(queue.into_iter().collect::<VecDeque<_>>()));

    add_faults(&sandbox);
    let proxies = Arc::new(Mutex::new(vec![a.url(), b.url()]));
    let done = Arc::new(AtomicUsize::new(0));
    let retries = Arc::new(AtomicU64::new(0));
    let results = Arc::new(Mutex::new(Vec::<(Intent, Outcome, Duration)>::new()));

    // The staff clients.
    let mut workers = Vec::new();
    for _ in 0..plan.clients {
        let (queue, proxies, done, retries, results, auth) = (
            queue.clone(),
            proxies.clone(),
            done.clone(),
            retries.clone(),
            results.clone(),
            auth.clone(),
        );
        workers.push(tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .timeout(Duration::from_secs(8))
                .build()
                .unwrap();
            loop {
                let Some(intent) = queue.lock().unwrap().pop_front() else {
                    return;
                };
                let body = if intent.ship {
                    json!({"kind": "ship", "intent_id": intent.id, "lines": [{"line_id": intent.line, "quantity": 1}]})
                } else {
                    json!({"kind": "refund", "intent_id": intent.id, "lines": [{"line_id": intent.line, "quantity": 1}]})
                };
                let first = Instant::now();
                let mut attempt = 0u64;
                let outcome = loop {
                    if first.elapsed() > GIVE_UP {
                        break Outcome::Unanswered;
                    }
                    let base = {
                        let p = proxies.lock().unwrap();
                        p[(rand::random::<u64>() % p.len() as u64) as usize].clone()
                    };
                    if attempt > 0 {
                        retries.fetch_add(1, Ordering::Relaxed);
                        let wait = 50 + rand::random::<u64>() % 200;
                        tokio::time::sleep(Duration::from_millis(wait)).await;
                    }
                    attempt += 1;
                    let sent = client
                        .post(format!("{base}/api/orders/{}/actions", intent.order))
                        .header("cookie", &auth.0)
                        .header("x-csrf-token", &auth.1)
                        .json(&body)
                        .send()
                        .await;
                    match sent.map(|r| r.status().as_u16()) {
                        Ok(200) => break Outcome::Succeeded,
                        Ok(408 | 409 | 429) | Ok(500..) | Err(_) => continue,
                        Ok(_) => break Outcome::Refused,
                    }
                };
                done.fetch_add(1, Ordering::Relaxed);
                results
                    .lock()
                    .unwrap()
                    .push((intent, outcome, first.elapsed()));
            }
        }));
    }

    // Webhooks under the same storm, until the clients are done.
    let storm_over = Arc::new(AtomicBool::new(false));
    let webhooks = Arc::new(AtomicU64::new(0));
    let storm = {
        let (proxies, over, sent, orders) = (
            proxies.clone(),
            storm_over.clone(),
            webhooks.clone(),
            orders.clone(),
        );
        tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap();
            let mut n = 0u64;
            while !over.load(Ordering::Relaxed) {
                n += 1;
                let base = {
                    let p = proxies.lock().unwrap();
                    p[(n % p.len() as u64) as usize].clone()
                };
                let (real, is_klarna) = &orders[(n as usize) % orders.len()];
                let mollie = format!("{base}/webhooks/mollie");
                let klarna = format!("{base}/webhooks/klarna");
                let notification = |id: &str, event: &str| json!({"order_id": id, "event_type": event, "event_id": n.to_string()});
                let request = match (n % 5, *is_klarna) {
                    // A real order's webhook, again and again (duplicated, late, reordered).
                    (0 | 1, false) => client.post(&mollie).form(&[("id", real.as_str())]),
                    (0 | 1, true) => client
                        .post(&klarna)
                        .json(&notification(real, "order.captured")),
                    // A body claiming a status: only the id is read, and only as a hint.
                    (2, false) => client
                        .post(&mollie)
                        .form(&[("id", real.as_str()), ("status", "canceled")]),
                    (2, true) => client
                        .post(&klarna)
                        .json(&notification(real, "FRAUD_RISK_REJECTED")),
                    // Unknown ids.
                    (3, _) => client
                        .post(&mollie)
                        .form(&[("id", format!("ord_unknown{n}"))]),
                    // Another provider's order at each webhook.
                    (_, false) => client
                        .post(&klarna)
                        .json(&notification(real, "FRAUD_RISK_REJECTED")),
                    (_, true) => client.post(&mollie).form(&[("id", real.as_str())]),
                };
                let _ = request.send().await;
                sent.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(15)).await;
            }
        })
    };

    // Proxy A killed mid-run and restarted under its name.
    let mut a = a;
    let mut killed = false;
    if let Some(after) = plan.kill_after {
        while done.load(Ordering::Relaxed) < after.min(total) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        a.child.kill().expect("SIGKILL proxy A");
        let _ = a.child.wait();
        tokio::time::sleep(Duration::from_millis(500)).await;
        a.child = spawn(&plan.proxy_binary, &a.args);
        healthy(&client, &a.url()).await;
        killed = true;
    }
    for w in workers {
        w.await.expect("a client");
    }
    storm_over.store(true, Ordering::Relaxed);
    storm.await.expect("the storm");
    let faults_injected: u64 = sandbox.faults().iter().map(|r| u64::from(r.fired)).sum();
    sandbox.clear_faults();

    // Reconcile.
    let results = std::mem::take(&mut *results.lock().unwrap());
    let mut report = Report {
        intents: total,
        klarna_intents: results.iter().filter(|(i, ..)| i.klarna).count(),
        orders: orders.len(),
        faults_injected,
        retries: retries.load(Ordering::Relaxed),
        webhooks: webhooks.load(Ordering::Relaxed),
        killed_and_restarted: killed,
        ..Default::default()
    };
    let mut at_provider = std::collections::HashMap::new();
    for (id, is_klarna) in &orders {
        let order = if *is_klarna {
            klarna_at_provider(&client, &sandbox_url, id).await
        } else {
            provider_order(&client, &sandbox_url, id).await
        };
        at_provider.insert(id.clone(), order);
    }
    let mut latencies = Vec::new();
    for (intent, outcome, took) in &results {
        let order = &at_provider[&intent.order];
        let effects = if intent.klarna {
            klarna_captured(order, &intent.line)
        } else {
            let line = order["lines"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["id"] == intent.line.as_str())
                .expect("the line at the provider");
            let field = if intent.ship {
                "quantityShipped"
            } else {
                "quantityRefunded"
            };
            line[field].as_u64().unwrap_or(0)
        };
        if effects > 1 {
            report.duplicates += 1;
            // What the provider was sent for it, for whoever reads the report.
            for r in sandbox.requests() {
                if r.idempotency_key
                    .as_deref()
                    .is_some_and(|k| k.starts_with(&intent.id))
                {
                    eprintln!(
                        "duplicate {} ({}): {} {} -> {:?} replayed={} fault={:?}",
                        intent.id,
                        if intent.ship { "ship" } else { "refund" },
                        r.method,
                        r.path,
                        r.status,
                        r.replayed,
                        r.fault.as_ref().map(|f| &f.effect)
                    );
                }
            }
        }
        match outcome {
            Outcome::Succeeded => {
                latencies.push(*took);
                if effects == 0 {
                    report.lost += 1;
                }
            }
            Outcome::Refused => report.refused += 1,
            Outcome::Unanswered => report.lost += 1,
        }
    }
    latencies.sort();
    let pct = |q: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    report.p50 = pct(0.5);
    report.p95 = pct(0.95);

    // The ledger: nothing left pending.
    let db = kassa_proxy::store::Db::open(&database_url)
        .await
        .expect("the database");
    report.pending = db
        .query("SELECT count(*) FROM actions WHERE state = 'pending'")
        .scalar::<i64>()
        .await
        .expect("count")
        .unwrap_or(0);
    db.close().await;

    // Mirrors equal to the provider after a refresh (through B, then read through A).
    for (id, is_klarna) in &orders {
        let refreshed = client
            .post(format!("{}/api/orders/{id}/refresh", b.url()))
            .header("cookie", &auth.0)
            .header("x-csrf-token", &auth.1)
            .send()
            .await
            .expect("refresh");
        assert!(
            refreshed.status().is_success(),
            "refresh {id}: {}",
            refreshed.status()
        );
        let view: Value = client
            .get(format!("{}/api/orders/{id}", a.url()))
            .header("cookie", &auth.0)
            .send()
            .await
            .expect("view")
            .json()
            .await
            .expect("a view");
        let view_lines = view["lines"].as_array().cloned().unwrap_or_default();
        let (same_status, same_lines) = if *is_klarna {
            let provider = klarna_at_provider(&client, &sandbox_url, id).await;
            let lines = provider["order_lines"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            (
                view["provider_status"] == provider["status"],
                lines.iter().all(|pl| {
                    let reference = pl["reference"].as_str().unwrap_or_default();
                    view_lines.iter().any(|vl| {
                        vl["id"] == reference
                            && vl["quantity_shipped"].as_u64()
                                == Some(klarna_captured(&provider, reference))
                    })
                }),
            )
        } else {
            let provider = provider_order(&client, &sandbox_url, id).await;
            (
                view["status"] == provider["status"],
                provider["lines"].as_array().unwrap().iter().all(|pl| {
                    view_lines.iter().any(|vl| {
                        vl["id"] == pl["id"]
                            && vl["quantity_shipped"] == pl["quantityShipped"]
                            && vl["quantity_refunded"] == pl["quantityRefunded"]
                    })
                }),
            )
        };
        if !(same_status && same_lines) {
            report.mirror_mismatches += 1;
        }
        if !status_changes_chain(&view) {
            report.timeline_mismatches += 1;
        }
    }
    report.elapsed = started.elapsed();
    report
}

/// Whether the timeline's status entries chain: "Order first seen with status S" or "Status
/// changed from X to Y", each X the previous status, the last one the order's status now.
fn status_changes_chain(view: &Value) -> bool {
    let mut status: Option<String> = Some("created".into());
    for event in view["events"].as_array().into_iter().flatten() {
        if event["kind"] != "status" {
            continue;
        }
        let detail = event["detail"].as_str().unwrap_or_default();
        if let Some(first) = detail.strip_prefix("Order first seen with status ") {
            status = Some(first.to_owned());
        } else if let Some((from, to)) = detail
            .strip_prefix("Status changed from ")
            .and_then(|d| d.split_once(" to "))
        {
            if status.as_deref() != Some(from) || from == to {
                eprintln!("timeline of {}: {detail} after {status:?}", view["id"]);
                return false;
            }
            status = Some(to.to_owned());
        }
    }
    let now = view["status"].as_str();
    if status.as_deref() != now {
        eprintln!(
            "timeline of {} ends at {status:?}, the order is {now:?}",
            view["id"]
        );
        return false;
    }
    true
}
