//! First load of the built app in headless Chromium: bytes over the wire and time until the
//! page is usable, cold (a fresh profile, so an empty HTTP cache) and warm (a reload in the
//! same profile), for the login page, the orders list after logging in, the public shop and
//! the customer's return page. A bench, not a test: it prints figures beside the targets of
//! issue #12 and never fails because the machine is slow.
//!
//!   cargo bench -p kassa-e2e --bench first_load
//!
//! Needs the built, precompressed app (`cargo xtask build`; `KASSA_E2E_DIST`, default `dist/`
//! at the workspace root) and chromedriver (`CHROMEDRIVER`, default on `PATH`).
//! `KASSA_BENCH_ROUNDS` (default 5) sets the rounds; one unrecorded warm-up round comes first.
//! `KASSA_BENCH_NETWORK=<latency ms>,<down kbit/s>,<up kbit/s>` (e.g. `40,10000,5000`) has
//! Chromium emulate a slower network than loopback (DevTools'
//! `Network.emulateNetworkConditions`: the latency is added to every request, the throughput
//! caps each direction), for the time a visitor on that network waits.
//!
//! How:
//! - The real proxy with the embedded sandbox on a free loopback port, Chromium through its
//!   own chromedriver, a fresh profile for every cold load.
//! - Times are taken in the page, from the navigation's start (`performance.now()`): a script
//!   added with DevTools' `Page.addScriptToEvaluateOnNewDocument` runs before the page's own
//!   and records, with a `MutationObserver`, when each page's control first exists in the DOM
//!   (the login form's submit button, the orders table or its empty state, the shop's pay
//!   button, the return page's heading) and when a form is submitted. WebDriver's polling adds
//!   nothing to them. DOMContentLoaded and load come from the Navigation Timing entry.
//! - Bytes are the Resource Timing API's `transferSize` of the navigation and of every
//!   resource (0 for what came from the cache). One more pass keeps the DevTools Network
//!   domain's events (chromedriver's performance log) and prints each request with its status,
//!   `Content-Encoding`, `Cache-Control`, where it came from and the bytes DevTools counted
//!   (`encodedDataLength`: headers and body as received).
// Native only, like the tests; on wasm32 (a workspace check with `--all-targets`) it is empty.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use kassa_e2e::shop::orders_through_the_shop;
use kassa_e2e::{browser, browser_with_network_log, cdp, fill, kassa, network_log, testid};
use kassa_proxy::config::{TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD};
use serde_json::{json, Value};

/// Injected before the page's scripts: when each control first exists, and when a form was
/// first submitted, in ms since the navigation started.
const MARKS: &str = r#"
(() => {
  const marks = {};
  window.__kassaBench = marks;
  const wanted = {
    login: '[data-testid="login-submit"]',
    orders: '[data-testid="orders-table"], [data-testid="orders-empty"]',
    shop: '[data-testid="shop-pay"]',
    return: '[data-testid="return-heading"]',
  };
  const look = () => {
    const now = performance.now();
    for (const [name, css] of Object.entries(wanted)) {
      if (!(name in marks) && document.querySelector(css)) marks[name] = now;
    }
  };
  new MutationObserver(look).observe(document, { childList: true, subtree: true });
  document.addEventListener('submit', () => {
    if (!('submit' in marks)) marks.submit = performance.now();
  }, true);
  // index.html's loader, once the wasm is instantiated and the app's `main` has run.
  addEventListener('TrunkApplicationStarted', () => { marks.started = performance.now(); });
})();
"#;

/// The page's marks, its navigation entry and its resources.
const COLLECT: &str = r#"
const pick = (e) => ({
  url: e.name, type: e.initiatorType || 'navigation', start: e.startTime,
  duration: e.responseEnd - e.startTime,
  transfer: e.transferSize, decoded: e.decodedBodySize,
  status: e.responseStatus || 0,
});
const nav = performance.getEntriesByType('navigation')[0];
return {
  marks: window.__kassaBench || {},
  nav: Object.assign(pick(nav), { dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd }),
  resources: performance.getEntriesByType('resource').map(pick),
};
"#;

const KB: f64 = 1024.0;

/// One request as the Resource Timing API saw it.
#[derive(Clone, Debug)]
struct Entry {
    url: String,
    kind: String,
    start: f64,
    /// From the request's start to the response's end, ms.
    duration: f64,
    transfer: u64,
    decoded: u64,
    status: u64,
}

impl Entry {
    fn from(v: &Value) -> Self {
        let n = |k: &str| v[k].as_f64().unwrap_or(0.0);
        Entry {
            url: v["url"].as_str().unwrap_or_default().to_owned(),
            kind: v["type"].as_str().unwrap_or_default().to_owned(),
            start: n("start"),
            duration: n("duration"),
            transfer: n("transfer") as u64,
            decoded: n("decoded") as u64,
            status: n("status") as u64,
        }
    }

    fn is_api(&self) -> bool {
        path_of(&self.url).starts_with("/api/")
    }
}

/// One measured load.
#[derive(Clone, Debug)]
struct Load {
    /// ms from the navigation's start (or the form's submit) until the page's control existed.
    interactive: f64,
    /// When the wasm was instantiated and the app's `main` had run (Trunk's
    /// `TrunkApplicationStarted`), and the ends of DOMContentLoaded and load, ms from the
    /// navigation's start (None: no navigation).
    started: Option<f64>,
    dcl: Option<f64>,
    load: Option<f64>,
    /// The requests counted: the navigation (if any) and resources.
    entries: Vec<Entry>,
    /// The bytes DevTools counted for the same requests (headers and body as received), in
    /// the pass that keeps its Network log.
    wire: Option<u64>,
    /// What the times are counted from in `entries`: 0 for a page load, the submit's time for
    /// what follows a form's submit.
    origin: f64,
}

impl Load {
    fn bytes(&self) -> u64 {
        self.entries.iter().map(|e| e.transfer).sum()
    }
    fn api_bytes(&self) -> u64 {
        self.entries
            .iter()
            .filter(|e| e.is_api())
            .map(|e| e.transfer)
            .sum()
    }
    /// When the main wasm had arrived (its response's end), ms from [`Load::origin`]; None
    /// when this load did not fetch it.
    fn main_wasm(&self) -> Option<f64> {
        self.entries
            .iter()
            .filter(|e| path_of(&e.url).ends_with("_bg.wasm"))
            .map(|e| e.start + e.duration - self.origin)
            .reduce(f64::max)
    }
    /// The split build's page chunks (`kassa-split_…`, `kassa-chunk_…`): from the first one's
    /// request to the last one's response end, ms from [`Load::origin`]; None without chunks.
    fn chunks(&self) -> Option<(f64, f64)> {
        let chunks: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| {
                let path = path_of(&e.url);
                path.starts_with("/kassa-split_") || path.starts_with("/kassa-chunk_")
            })
            .collect();
        let first = chunks.iter().map(|e| e.start).reduce(f64::min)?;
        let last = chunks
            .iter()
            .map(|e| e.start + e.duration)
            .reduce(f64::max)?;
        Some((first - self.origin, last - self.origin))
    }
    /// Files other than the page itself that came over the network with a body (not from
    /// the cache, not a 304).
    fn static_downloads(&self) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| e.kind != "navigation" && !e.is_api() && e.transfer > 0 && e.status != 304)
            .collect()
    }
}

fn path_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/').map_or("/", |i| &rest[i..])
}

/// Waits until the page has recorded `mark`, its load event is over and no request started in
/// the last half second; then reads what [`COLLECT`] returns.
async fn settle(c: &Client, mark: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut last_count = usize::MAX;
    let mut quiet_since = Instant::now();
    loop {
        let got = c.execute(COLLECT, vec![]).await.expect("page state");
        let ready = got["marks"][mark].is_number() && got["nav"]["load"].as_f64() > Some(0.0);
        let count = got["resources"].as_array().map_or(0, Vec::len);
        if count != last_count {
            last_count = count;
            quiet_since = Instant::now();
        }
        if ready && quiet_since.elapsed() >= Duration::from_millis(500) {
            return got;
        }
        assert!(
            Instant::now() < deadline,
            "{mark} did not show up: {}",
            got["marks"]
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A page load (the browser has just navigated): everything it fetched, timed to `mark`.
async fn page_load(c: &Client, mark: &str) -> Load {
    let got = settle(c, mark).await;
    let nav = Entry::from(&got["nav"]);
    let mut entries = vec![nav];
    entries.extend(got["resources"].as_array().unwrap().iter().map(Entry::from));
    Load {
        interactive: got["marks"][mark].as_f64().unwrap(),
        started: got["marks"]["started"].as_f64(),
        dcl: got["nav"]["dcl"].as_f64(),
        load: got["nav"]["load"].as_f64(),
        entries,
        wire: None,
        origin: 0.0,
    }
}

/// After a form's submit in the same document: what was fetched since, timed to `mark`.
async fn after_submit(c: &Client, mark: &str) -> Load {
    let got = settle(c, mark).await;
    let submit = got["marks"]["submit"].as_f64().expect("a submit was seen");
    let entries = got["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(Entry::from)
        .filter(|e| e.start >= submit)
        .collect();
    Load {
        interactive: got["marks"][mark].as_f64().unwrap() - submit,
        started: None,
        dcl: None,
        load: None,
        entries,
        wire: None,
        origin: submit,
    }
}

/// `KASSA_BENCH_NETWORK`: latency (ms), download and upload (kbit/s); None for loopback as it is.
fn emulated_network() -> Option<(f64, f64, f64)> {
    let spec = std::env::var("KASSA_BENCH_NETWORK").ok()?;
    let parts: Vec<f64> = spec
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("KASSA_BENCH_NETWORK={spec}: {e}"));
    match parts[..] {
        [latency, down, up] if latency >= 0.0 && down > 0.0 && up > 0.0 => {
            Some((latency, down, up))
        }
        _ => panic!("KASSA_BENCH_NETWORK={spec}: expected <latency ms>,<down kbit/s>,<up kbit/s>"),
    }
}

/// A fresh browser (empty cache) that records [`MARKS`] on every page.
async fn fresh(network: bool) -> kassa_e2e::Browser {
    let b = if network {
        browser_with_network_log().await
    } else {
        browser().await
    };
    cdp(
        &b.client,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": MARKS }),
    )
    .await;
    if let Some((latency, down, up)) = emulated_network() {
        cdp(&b.client, "Network.enable", json!({})).await;
        // DevTools wants bytes per second.
        cdp(
            &b.client,
            "Network.emulateNetworkConditions",
            json!({
                "offline": false,
                "latency": latency,
                "downloadThroughput": down * 1000.0 / 8.0,
                "uploadThroughput": up * 1000.0 / 8.0,
            }),
        )
        .await;
    }
    if network {
        network_log(&b.client).await;
    }
    b
}

/// The loads of one round, by name, in the order they are reported.
type Round = Vec<(&'static str, Load)>;

/// Login cold, its warm reload, the orders list after logging in; the shop cold and warm; the
/// return page cold. With `network`, also prints each load's requests from DevTools.
async fn round(url: &str, return_url: &str, network: bool) -> Round {
    let mut out = Vec::new();
    let b = fresh(network).await;
    let c = &b.client;
    let mut record = |name, mut load: Load, log: Option<Vec<Value>>| {
        if let Some(log) = log {
            load.wire = Some(breakdown(name, &load, &log));
        }
        out.push((name, load));
    };
    let log = |c: &Client| {
        let c = c.clone();
        async move {
            if network {
                Some(network_log(&c).await)
            } else {
                None
            }
        }
    };

    c.goto(&format!("{url}/login")).await.unwrap();
    let load = page_load(c, "login").await;
    record("login, cold", load, log(c).await);

    c.refresh().await.unwrap();
    let load = page_load(c, "login").await;
    record("login, warm reload", load, log(c).await);

    fill(c, "login-email", TEST_ADMIN_EMAIL).await;
    fill(c, "login-password", TEST_ADMIN_PASSWORD).await;
    c.find(Locator::Css(&testid("login-submit")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let load = after_submit(c, "orders").await;
    assert!(
        c.find(Locator::Css(&testid("order-row"))).await.is_ok(),
        "the orders list shows the bench's orders"
    );
    record("orders after login", load, log(c).await);
    c.clone().close().await.unwrap();
    drop(b);

    let b = fresh(network).await;
    let c = &b.client;
    c.goto(&format!("{url}/shop")).await.unwrap();
    let load = page_load(c, "shop").await;
    record("shop, cold", load, log(c).await);
    c.refresh().await.unwrap();
    let load = page_load(c, "shop").await;
    record("shop, warm reload", load, log(c).await);
    c.clone().close().await.unwrap();
    drop(b);

    let b = fresh(network).await;
    let c = &b.client;
    c.goto(return_url).await.unwrap();
    let load = page_load(c, "return").await;
    // The outcome the customer reads (the page shows no raw status).
    let outcome = c
        .find(Locator::Css(&testid("return-heading")))
        .await
        .expect("the return page shows the order")
        .attr("data-outcome")
        .await
        .unwrap();
    assert_eq!(outcome.as_deref(), Some("paid"), "the return page's order");
    record("return page, cold", load, log(c).await);
    c.clone().close().await.unwrap();
    drop(b);
    out
}

/// Prints one load's requests, Resource Timing's view and DevTools'; returns the bytes DevTools
/// counted.
fn breakdown(name: &str, load: &Load, log: &[Value]) -> u64 {
    // DevTools: per request id, the response (URL, status, headers, cache) and the bytes.
    #[derive(Default)]
    struct Seen {
        method: String,
        url: String,
        status: u64,
        /// What came over the wire (`responseReceivedExtraInfo`): 304 for a revalidation,
        /// which `responseReceived` shows as the cached 200.
        wire_status: Option<u64>,
        encoding: String,
        cache_control: String,
        from: &'static str,
        wire: u64,
    }
    let mut seen: BTreeMap<String, Seen> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for event in log {
        let p = &event["params"];
        let Some(id) = p["requestId"].as_str() else {
            continue;
        };
        let id = id.to_owned();
        if !seen.contains_key(&id) {
            order.push(id.clone());
        }
        let s = seen.entry(id).or_default();
        match event["method"].as_str().unwrap_or_default() {
            "Network.requestWillBeSent" => {
                s.url = p["request"]["url"].as_str().unwrap_or_default().to_owned();
                s.method = p["request"]["method"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
            }
            "Network.responseReceived" => {
                let r = &p["response"];
                s.url = r["url"].as_str().unwrap_or_default().to_owned();
                s.status = r["status"].as_u64().unwrap_or(0);
                let header = |name: &str| {
                    r["headers"]
                        .as_object()
                        .and_then(|h| {
                            h.iter()
                                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                                .and_then(|(_, v)| v.as_str())
                        })
                        .unwrap_or("-")
                        .to_owned()
                };
                s.encoding = header("content-encoding");
                s.cache_control = header("cache-control");
                if r["fromDiskCache"].as_bool() == Some(true) {
                    s.from = "disk cache";
                } else if r["fromPrefetchCache"].as_bool() == Some(true) {
                    s.from = "prefetch cache";
                }
            }
            "Network.responseReceivedExtraInfo" => {
                s.wire_status = p["statusCode"].as_u64();
            }
            "Network.requestServedFromCache" => s.from = "memory cache",
            "Network.loadingFinished" => {
                s.wire = p["encodedDataLength"].as_f64().unwrap_or(0.0) as u64;
            }
            _ => {}
        }
    }
    println!("\n{name}: each request");
    println!(
        "  {:<46} {:>5} {:<9} {:<36} {:<13} {:>12} {:>10} {:>10} {:>7}",
        "request",
        "code",
        "encoding",
        "cache-control",
        "from",
        "transferSize",
        "DevTools",
        "decoded",
        "ms"
    );
    // The n-th request for a URL is its n-th Resource Timing entry.
    let mut nth: BTreeMap<&str, usize> = BTreeMap::new();
    for id in &order {
        let s = &seen[id];
        if s.url.is_empty() || s.url.starts_with("data:") {
            continue;
        }
        let from = match (s.from, s.wire_status) {
            ("", Some(304)) => "network, 304",
            ("", _) => "network",
            (from, _) => from,
        };
        let n = nth.entry(&s.url).or_default();
        let timing = load.entries.iter().filter(|e| e.url == s.url).nth(*n);
        *n += 1;
        let request = match s.method.as_str() {
            "GET" | "" => path_of(&s.url).to_owned(),
            method => format!("{method} {}", path_of(&s.url)),
        };
        println!(
            "  {:<46} {:>5} {:<9} {:<36} {:<13} {:>12} {:>10} {:>10} {:>7}",
            clip(&request, 46),
            s.wire_status.unwrap_or(s.status),
            s.encoding,
            clip(&s.cache_control, 36),
            from,
            timing.map_or("-".into(), |e| e.transfer.to_string()),
            s.wire,
            timing.map_or("-".into(), |e| e.decoded.to_string()),
            timing.map_or("-".into(), |e| format!("{:.0}", e.duration)),
        );
    }
    let devtools: u64 = order.iter().map(|id| seen[id].wire).sum();
    println!(
        "  total: {} B by transferSize ({} B of it /api), {} B by DevTools' encodedDataLength",
        load.bytes(),
        load.api_bytes(),
        devtools
    );
    devtools
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(n - 1).collect();
        out.push('…');
        out
    }
}

fn median_max(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    (median, v[n - 1])
}

fn flush() {
    use std::io::Write;
    let _ = std::io::stdout().flush();
}

fn kb(bytes: f64) -> String {
    format!("{:.1} KB", bytes / KB)
}

#[tokio::main]
async fn main() {
    let rounds: usize = std::env::var("KASSA_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let dist = kassa_e2e::dist();
    println!(
        "first load of {} in headless Chromium; load average {}",
        dist.display(),
        load_average()
    );
    match emulated_network() {
        Some((latency, down, up)) => println!(
            "network emulated by Chromium: {latency} ms added to each request, {down} kbit/s down, {up} kbit/s up"
        ),
        None => println!("network: loopback, not emulated"),
    }
    let running = kassa().await;
    let url = running.url.clone();
    let return_url = orders_through_the_shop(&url, 12, "nl_NL").await;
    println!("proxy at {url}; 12 orders made through the shop; return page {return_url}");

    // The DevTools pass: every request of one round, with encodings and cache headers.
    println!("\n== one round with DevTools' Network log (not in the figures below)");
    let devtools = round(&url, &return_url, true).await;

    print!("\n== warm-up round (not recorded) ...");
    flush();
    round(&url, &return_url, false).await;
    println!(" done");
    let mut by_name: Vec<(&'static str, Vec<Load>)> = Vec::new();
    for i in 0..rounds {
        print!("round {}/{rounds} ...", i + 1);
        flush();
        let started = Instant::now();
        for (name, load) in round(&url, &return_url, false).await {
            match by_name.iter_mut().find(|(n, _)| *n == name) {
                Some((_, loads)) => loads.push(load),
                None => by_name.push((name, vec![load])),
            }
        }
        println!(" {:.1} s", started.elapsed().as_secs_f64());
    }

    println!(
        "\n== {rounds} rounds, median / max. Bytes: transferSize of the navigation and every \
         resource (0 from the cache; Chromium counts 300 B for any response's headers), and \
         what DevTools counted in its pass (headers as sent). Times in ms: until the page's \
         control exists (interactive) and the app's start (wasm instantiated, `main` run), from the \
         navigation's start; after login, from the form's submit. Main wasm: when it had \
         arrived. Chunks (split build): from the first chunk's request to the last one's \
         arrival"
    );
    println!(
        "  {:<20} {:>21} {:>10} {:>10} {:>13} {:>13} {:>11} {:>17} {:>16} {:>13}  target",
        "load",
        "bytes",
        "of it /api",
        "DevTools",
        "interactive",
        "app started",
        "main wasm",
        "chunks",
        "DOMContentLoaded",
        "load"
    );
    for (name, loads) in &by_name {
        let (bytes, bytes_max) = median_max(loads.iter().map(|l| l.bytes() as f64).collect());
        let (api, _) = median_max(loads.iter().map(|l| l.api_bytes() as f64).collect());
        let (tti, tti_max) = median_max(loads.iter().map(|l| l.interactive).collect());
        let timing = |f: fn(&Load) -> Option<f64>| {
            let v: Vec<f64> = loads.iter().filter_map(f).collect();
            if v.is_empty() {
                "-".to_owned()
            } else {
                let (m, x) = median_max(v);
                format!("{m:.0} / {x:.0}")
            }
        };
        let target = target(name, loads);
        let wire = devtools
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, l)| l.wire)
            .map_or("-".to_owned(), |b| kb(b as f64));
        let chunk_times: Vec<(f64, f64)> = loads.iter().filter_map(Load::chunks).collect();
        let chunks = if chunk_times.is_empty() {
            "-".to_owned()
        } else {
            let (from, _) = median_max(chunk_times.iter().map(|c| c.0).collect());
            let (to, _) = median_max(chunk_times.iter().map(|c| c.1).collect());
            format!("{from:.0} – {to:.0}")
        };
        println!(
            "  {:<20} {:>21} {:>10} {:>10} {:>13} {:>13} {:>11} {:>17} {:>16} {:>13}  {}",
            name,
            format!("{} / {}", kb(bytes), kb(bytes_max)),
            kb(api),
            wire,
            format!("{tti:.0} / {tti_max:.0}"),
            timing(|l| l.started),
            timing(Load::main_wasm),
            chunks,
            timing(|l| l.dcl),
            timing(|l| l.load),
            target
        );
    }
    println!("load average {}", load_average());
    running.server.abort();
}

/// The machine's load (1, 5, 15 minutes), for the record: the times depend on it.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "unknown".to_owned(),
        |l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    )
}

/// The issue's target for this load, and whether the figures meet it (in every round).
fn target(name: &str, loads: &[Load]) -> String {
    let max_bytes = loads.iter().map(Load::bytes).max().unwrap_or(0);
    let under = |limit_kb: u64| {
        format!(
            "≤ {limit_kb} KB: {}",
            if max_bytes <= limit_kb * 1024 {
                "met"
            } else {
                "MISSED"
            }
        )
    };
    match name {
        "login, cold" | "shop, cold" => under(150),
        "orders after login" => under(100),
        "login, warm reload" | "shop, warm reload" => {
            let downloads: Vec<String> = loads
                .iter()
                .flat_map(Load::static_downloads)
                .map(|e| path_of(&e.url).to_owned())
                .collect();
            if downloads.is_empty() {
                "only the page (and /api) over the network: met".to_owned()
            } else {
                format!("only the page over the network: MISSED ({downloads:?})")
            }
        }
        _ => "-".to_owned(),
    }
}
