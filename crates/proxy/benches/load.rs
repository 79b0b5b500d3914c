//! Load (`cargo bench -p kassa-proxy --bench load`): 200 public checkouts a second and 100
//! staff sessions reading and acting, for 60 s on loopback, against two proxy processes on one
//! PostgreSQL (behind no balancer: requests alternate between them), then the same load
//! against one proxy on SQLite for comparison. Prints requests, errors and p50/p95 per kind;
//! exits non-zero on any error of the two proxies on PostgreSQL (the target); SQLite's are
//! reported, not held against it. `LOAD_SECONDS`, `LOAD_CHECKOUTS` (per second) and `LOAD_STAFF` change the size.
//!
//! The checkouts come from many client addresses (`X-Forwarded-For` from a trusted
//! "balancer" at 127.0.0.1), as a shop's customers would; each staff session logs in once,
//! then lists orders, opens one and now and then writes a note on it, with a think time of
//! 0.5 s. The sandbox (in this process) answers as Mollie.

#[path = "../tests/chaos"]
mod chaos {
    // What the chaos suite uses to restart a proxy is not needed here.
    #[allow(dead_code)]
    pub mod proxies;
}

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chaos::proxies::{login, start_proxy, Proxy, ProxyOptions};
use kassa_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};

fn number(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Latencies and errors of one kind of request.
#[derive(Default)]
struct Tally {
    took: Mutex<Vec<Duration>>,
    errors: AtomicU64,
}

impl Tally {
    fn record(&self, ok: bool, took: Duration) {
        if ok {
            self.took.lock().unwrap().push(took);
        } else {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn line(&self, what: &str) -> (String, u64) {
        let mut took = self.took.lock().unwrap().clone();
        took.sort();
        let pct = |q: f64| {
            took.get(((took.len() as f64 - 1.0) * q).round() as usize)
                .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        let errors = self.errors.load(Ordering::Relaxed);
        (
            format!(
                "  {what:<22} {:>7} ok {:>5} errors   p50 {:>7.1} ms   p95 {:>7.1} ms",
                took.len(),
                errors,
                pct(0.5),
                pct(0.95)
            ),
            errors,
        )
    }
}

#[derive(Default)]
struct Tallies {
    checkout: Tally,
    list: Tally,
    order: Tally,
    note: Tally,
}

fn checkout_body() -> Value {
    json!({
        "items": [{"sku": "KASSA-MUG", "quantity": 2}, {"sku": "KASSA-BOOK", "quantity": 1}],
        "billing_address": {"givenName": "Load", "familyName": "Tester", "email": "load@example.com",
            "streetAndNumber": "Keizersgracht 1", "postalCode": "1015CJ", "city": "Amsterdam", "country": "NL"},
        "locale": "nl_NL"
    })
}

/// Runs the load against `proxies` (base URLs) for `seconds`; returns the report and errors.
async fn load(proxies: Vec<String>, seconds: u64, checkouts: u64, staff: u64) -> (String, u64) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(256)
        .build()
        .unwrap();
    let tallies = Arc::new(Tallies::default());
    let over = Arc::new(AtomicBool::new(false));
    let proxies = Arc::new(proxies);

    // Staff: one session each (all valid on every proxy), logged in before the clock starts.
    let mut sessions = Vec::new();
    for _ in 0..staff {
        sessions.push(login(&client, &proxies[0]).await);
    }
    // Some orders to open, from the shop.
    let mut known = Vec::new();
    let first = Instant::now();
    for n in 0..20u32 {
        let created: Value = client
            .post(format!("{}/api/public/checkout", proxies[0]))
            .header("x-forwarded-for", format!("10.9.0.{n}"))
            .json(&checkout_body())
            .send()
            .await
            .expect("checkout")
            .json()
            .await
            .expect("created");
        let _ = created;
    }
    let page: Value = client
        .get(format!("{}/api/orders?limit=20", proxies[0]))
        .header("cookie", &sessions[0].0)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("a page");
    for o in page["orders"].as_array().expect("orders") {
        known.push(o["id"].as_str().unwrap().to_owned());
    }
    assert!(!known.is_empty(), "orders to open ({:?})", first.elapsed());
    let known = Arc::new(known);

    let started = Instant::now();
    let mut tasks = Vec::new();
    // Open loop: checkouts at a fixed rate, whatever the answers take.
    {
        let (client, tallies, over, proxies) = (
            client.clone(),
            tallies.clone(),
            over.clone(),
            proxies.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / checkouts));
            let mut n = 0u64;
            let mut inflight = Vec::new();
            while !over.load(Ordering::Relaxed) {
                tick.tick().await;
                n += 1;
                let (client, tallies) = (client.clone(), tallies.clone());
                let url = format!(
                    "{}/api/public/checkout",
                    proxies[(n % proxies.len() as u64) as usize]
                );
                // 2,000 shoppers' addresses: each well under the per-address limit.
                let from = format!("10.{}.{}.{}", 1 + n % 2, (n / 2) % 100, (n / 200) % 10);
                inflight.push(tokio::spawn(async move {
                    let t = Instant::now();
                    let ok = client
                        .post(url)
                        .header("x-forwarded-for", from)
                        .json(&checkout_body())
                        .send()
                        .await
                        .is_ok_and(|r| r.status().is_success());
                    tallies.checkout.record(ok, t.elapsed());
                }));
            }
            for t in inflight {
                let _ = t.await;
            }
        }));
    }
    // Closed loops: each staff session reads the list, opens an order, and every tenth time
    // writes a note (a change through the timeline), then thinks for half a second.
    for (i, auth) in sessions.into_iter().enumerate() {
        let (client, tallies, over, proxies, known) = (
            client.clone(),
            tallies.clone(),
            over.clone(),
            proxies.clone(),
            known.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut round = i;
            while !over.load(Ordering::Relaxed) {
                round += 1;
                let base = &proxies[round % proxies.len()];
                let id = &known[round % known.len()];
                let t = Instant::now();
                let ok = client
                    .get(format!("{base}/api/orders?limit=25"))
                    .header("cookie", &auth.0)
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success());
                tallies.list.record(ok, t.elapsed());
                let t = Instant::now();
                let ok = client
                    .get(format!("{base}/api/orders/{id}"))
                    .header("cookie", &auth.0)
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success());
                tallies.order.record(ok, t.elapsed());
                if round % 10 == 0 {
                    let t = Instant::now();
                    let ok = client
                        .post(format!("{base}/api/orders/{id}/notes"))
                        .header("cookie", &auth.0)
                        .header("x-csrf-token", &auth.1)
                        .json(&json!({"text": format!("load round {round}")}))
                        .send()
                        .await
                        .is_ok_and(|r| r.status().is_success());
                    tallies.note.record(ok, t.elapsed());
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    over.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut report = String::new();
    let mut errors = 0;
    for (what, tally) in [
        ("public checkout", &tallies.checkout),
        ("staff: list", &tallies.list),
        ("staff: open an order", &tallies.order),
        ("staff: add a note", &tallies.note),
    ] {
        let (line, e) = tally.line(what);
        report.push_str(&line);
        report.push('\n');
        errors += e;
    }
    let checkouts_done = tallies.checkout.took.lock().unwrap().len() as f64;
    report.push_str(&format!(
        "  {:.0} checkouts/s over {:.0} s",
        checkouts_done / elapsed,
        elapsed
    ));
    (report, errors)
}

async fn sandbox() -> (Sandbox, String) {
    let sandbox = Sandbox::new(SandboxConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let router = sandbox.router();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (sandbox, url)
}

fn main() -> std::process::ExitCode {
    let seconds = number("LOAD_SECONDS", 60);
    let checkouts = number("LOAD_CHECKOUTS", 200);
    let staff = number("LOAD_STAFF", 100);
    let binary: std::path::PathBuf = env!("CARGO_BIN_EXE_kassa").into();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let errors = runtime.block_on(async {
        let client = reqwest::Client::new();
        let cluster = throwaway_pg::Cluster::start().expect("a throwaway PostgreSQL");
        let database = kassa_proxy::store::create_database(&cluster.url("postgres"), "load")
            .await
            .expect("a database");
        let (_sandbox, sandbox_url) = sandbox().await;
        let options = |name, database_url: &str| ProxyOptions {
            name,
            database_url: database_url.to_owned(),
            sandbox_url: sandbox_url.clone(),
            trusted_proxies: Some("127.0.0.1".into()),
        };
        let a: Proxy = start_proxy(&client, &binary, options("load-a", &database)).await;
        let b: Proxy = start_proxy(&client, &binary, options("load-b", &database)).await;
        println!(
            "load: {checkouts} public checkouts/s + {staff} staff sessions, {seconds} s, on loopback"
        );
        println!("two proxies on one PostgreSQL:");
        let (report, pg_errors) = load(vec![a.url(), b.url()], seconds, checkouts, staff).await;
        println!("{report}");
        drop((a, b));

        let file = std::env::temp_dir().join(format!("kassa-load-{}.db", std::process::id()));
        let sqlite = format!("sqlite:{}", file.display());
        let (_sandbox, sandbox_url) = sandbox().await;
        let one = start_proxy(
            &client,
            &binary,
            ProxyOptions {
                name: "load-sqlite",
                database_url: sqlite,
                sandbox_url,
                trusted_proxies: Some("127.0.0.1".into()),
            },
        )
        .await;
        println!("one proxy on SQLite:");
        let (report, _) = load(vec![one.url()], seconds, checkouts, staff).await;
        println!("{report}");
        drop(one);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
        pg_errors
    });
    if errors == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
