//! Does searching the mirror stay fast as it grows?
//!
//! Builds two SQLite mirrors with the real migrations, 10k and 1M generated orders (kept in
//! the temp directory and reused by later runs), then times `GET /api/orders` with a few
//! representative queries through the proxy's router in-process (`oneshot`: session check,
//! query parsing, SQL, JSON), one request at a time. Prints p50/p95 per query and size, the
//! 1M/10k p95 ratio (target ≤ 2×) and SQLite's query plan for each query.
//! Run: `cargo bench -p kassa-proxy --bench search` (first run: ~1–2 min to generate).
//! `KASSA_BENCH_SIZES=10000,100000` picks other sizes.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{micros, percentile};

use axum::body::Body;
use axum::http::{header, Request};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use http_body_util::BodyExt;
use kassa_model::api::{OrderFilter, Role};
use kassa_proxy::config::SANDBOX_KEY;
use kassa_proxy::{staff, AppState, StateConfig};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use sqlx::{QueryBuilder, Sqlite};
use tower::ServiceExt;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EMAIL: &str = "bench@kassa.test";
const PASSWORD: &str = "a long enough password";
/// Rows per INSERT statement: 15 columns each, under SQLite's 32766 bound parameters.
const ROWS_PER_INSERT: usize = 1_000;
/// Rows per transaction.
const ROWS_PER_TX: usize = 50_000;
/// How long to sample one query at one size, at most, and how many samples at most.
const BUDGET: Duration = Duration::from_secs(8);
const MAX_SAMPLES: usize = 1_000;
const WARMUP: usize = 20;

const GIVEN: &[&str] = &[
    "Anna", "Sanne", "Emma", "Julia", "Lotte", "Eva", "Lisa", "Sophie", "Fleur", "Noor", "Sara",
    "Iris", "Anouk", "Lieke", "Femke", "Marieke", "Inge", "Ingrid", "Karin", "Monique", "Petra",
    "Sandra", "Linda", "Els", "Marloes", "Jan", "Piet", "Kees", "Henk", "Daan", "Sem", "Lucas",
    "Finn", "Luuk", "Milan", "Jesse", "Thijs", "Bram", "Ruben", "Tim", "Lars", "Tom", "Niels",
    "Bas", "Jeroen", "Martijn", "Sander", "Mark", "Peter", "Erik", "Thomas", "Stefan", "Michael",
    "Laura", "Hannah", "Marie", "Léa", "Chloé", "Lukas", "Jonas", "Björn", "Zoë", "Ömer",
];
const COMMON_FAMILY: &[&str] = &[
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Smith",
    "Jones",
    "Dubois",
    "Martin",
    "Mondriaan",
];
const SYLLABLES_A: &[&str] = &[
    "Ver", "Hoog", "Klein", "Groen", "Zwart", "Wit", "Berg", "Dal", "Kamp", "Veld", "Bosch",
    "Hout", "Steen", "Water", "Molen", "Brug", "Kerk", "Dijk", "Hof", "Land", "Zand", "Stroo",
    "Roos", "Lind", "Eik", "Wolf", "Vink", "Haan", "Kool", "Beek",
];
const SYLLABLES_B: &[&str] = &[
    "man", "mans", "stra", "ink", "ing", "huis", "hof", "kamp", "berg", "dijk", "veld", "beek",
    "meijer", "boer", "smit", "sma", "ema", "ga", "sen", "sz", "horst", "broek", "brink", "water",
    "ven", "laar", "loo", "hout", "kes", "er",
];
const DOMAINS: &[&str] = &[
    "gmail.com",
    "hotmail.com",
    "outlook.com",
    "ziggo.nl",
    "kpnmail.nl",
    "xs4all.nl",
    "icloud.com",
    "web.de",
    "proton.me",
    "yahoo.com",
];
const LOCALES: &[&str] = &["nl_NL", "nl_BE", "en_US", "de_DE", "fr_FR", "de_AT"];
const PRODUCTS: &[&str] = &[
    "LEGO 42083 Bugatti Chiron",
    "LEGO 42056 Porsche 911 GT3 RS",
    "Stroopwafels, 12 pack",
    "Espresso beans 1 kg",
    "Wool blanket",
    "Bicycle bell",
    "Tulip bulbs, mixed",
    "Ceramic mug",
];
/// Statuses with rough real-world weights (most orders end up completed or expired).
const STATUSES: &[(&str, u32)] = &[
    ("completed", 55),
    ("expired", 12),
    ("canceled", 6),
    ("paid", 10),
    ("shipping", 3),
    ("authorized", 5),
    ("pending", 2),
    ("created", 7),
];
const CURRENCIES: &[(&str, u32)] = &[("EUR", 85), ("GBP", 6), ("USD", 4), ("CHF", 3), ("SEK", 2)];
/// The year the orders are spread over (2025, in seconds since the epoch).
const YEAR_START: i64 = 1_735_689_600;
const YEAR_SECONDS: i64 = 365 * 24 * 3600;

fn weighted<'a>(rng: &mut StdRng, table: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    let mut pick = rng.random_range(0..total);
    for (value, weight) in table {
        if pick < *weight {
            return value;
        }
        pick -= weight;
    }
    table[0].0
}

fn family_name(rng: &mut StdRng) -> String {
    // Half the customers share a few dozen common names; the rest have one of 900 rarer ones.
    if rng.random_bool(0.5) {
        COMMON_FAMILY[rng.random_range(0..COMMON_FAMILY.len())].to_owned()
    } else {
        format!(
            "{}{}",
            SYLLABLES_A[rng.random_range(0..SYLLABLES_A.len())],
            SYLLABLES_B[rng.random_range(0..SYLLABLES_B.len())]
        )
    }
}

fn order_id(rng: &mut StdRng) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut id = String::from("ord_");
    for _ in 0..10 {
        id.push(ALPHABET[rng.random_range(0..ALPHABET.len())] as char);
    }
    id
}

fn rfc3339(seconds: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(seconds).expect("timestamp");
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

struct Row {
    id: String,
    order_number: String,
    status: &'static str,
    currency: &'static str,
    amount_minor: i64,
    given: String,
    family: String,
    email: String,
    created_at: String,
    body: String,
}

fn row(rng: &mut StdRng, n: usize, created: i64) -> Row {
    let id = order_id(rng);
    let given = GIVEN[rng.random_range(0..GIVEN.len())].to_owned();
    let family = family_name(rng);
    let local: String = format!("{given}.{family}")
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let email = format!(
        "{local}{}@{}",
        rng.random_range(1..1000),
        DOMAINS[rng.random_range(0..DOMAINS.len())]
    );
    let status = weighted(rng, STATUSES);
    let currency = weighted(rng, CURRENCIES);
    let amount_minor = rng.random_range(495..250_000);
    let order_number = format!("{}", 100_000 + n);
    let created_at = rfc3339(created);
    let locale = LOCALES[rng.random_range(0..LOCALES.len())];
    let product = PRODUCTS[rng.random_range(0..PRODUCTS.len())];
    let value = format!("{}.{:02}", amount_minor / 100, amount_minor % 100);
    let body = json!({
        "resource": "order", "id": id, "profileId": "pfl_QkEhN94Ba", "mode": "test",
        "amount": {"value": value, "currency": currency}, "status": status, "isCancelable": false,
        "orderNumber": order_number, "locale": locale, "method": "ideal", "createdAt": created_at,
        "redirectUrl": "https://kassa.example/return/x", "webhookUrl": "https://kassa.example/webhooks/mollie",
        "billingAddress": {"givenName": given, "familyName": family, "email": email,
            "streetAndNumber": "Keizersgracht 126", "postalCode": "1015 CW", "city": "Amsterdam", "country": "NL"},
        "lines": [{"resource": "orderline", "id": "odl_1.bench", "orderId": id, "type": "physical",
            "name": product, "quantity": 1, "status": status, "vatRate": "21.00",
            "unitPrice": {"value": value, "currency": currency}, "totalAmount": {"value": value, "currency": currency},
            "vatAmount": {"value": "0.00", "currency": currency}, "createdAt": created_at}]
    })
    .to_string();
    Row {
        id,
        order_number,
        status,
        currency,
        amount_minor,
        given,
        family,
        email,
        created_at,
        body,
    }
}

async fn open(path: &Path) -> AppState {
    let config = StateConfig::new(
        &format!("sqlite:{}", path.display()),
        "http://127.0.0.1:1/v2/",
        SANDBOX_KEY,
        "http://127.0.0.1:1",
        PathBuf::from("/nonexistent-dist"),
    );
    AppState::new(config).await.expect("open the mirror")
}

async fn count(state: &AppState) -> usize {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(state.db())
        .await
        .expect("count");
    n as usize
}

/// The mirror with `n` orders: the file from an earlier run if it has them, else a new one.
async fn mirror_with(n: usize) -> AppState {
    let path = std::env::temp_dir().join(format!("kassa-bench-search-{n}.db"));
    if path.exists() {
        let state = open(&path).await;
        if count(&state).await == n {
            println!("{n} orders: reusing {}", path.display());
            return state;
        }
        state.db().close().await;
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let state = open(&path).await; // applies the migrations
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(n as u64);
    // Orders arrive over the year in time order, as they would.
    let step = YEAR_SECONDS as f64 / n as f64;
    let mut conn = state.db().acquire().await.expect("connection");
    for pragma in ["PRAGMA synchronous = OFF", "PRAGMA cache_size = -400000"] {
        sqlx::query(pragma)
            .execute(&mut *conn)
            .await
            .expect("pragma");
    }
    let mut done = 0;
    while done < n {
        let tx_end = (done + ROWS_PER_TX).min(n);
        sqlx::query("BEGIN")
            .execute(&mut *conn)
            .await
            .expect("begin");
        while done < tx_end {
            let end = (done + ROWS_PER_INSERT).min(tx_end);
            let rows: Vec<Row> = (done..end)
                .map(|i| {
                    let created = YEAR_START + (i as f64 * step) as i64;
                    row(&mut rng, i, created)
                })
                .collect();
            let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO orders (id, provider, order_number, status, currency, amount_minor,
                    customer_name, customer_email, created_at, updated_at, body,
                    search_number, search_email, search_name, search_family) ",
            );
            insert.push_values(&rows, |mut b, r| {
                b.push_bind(&r.id)
                    .push_bind("mollie")
                    .push_bind(&r.order_number)
                    .push_bind(r.status)
                    .push_bind(r.currency)
                    .push_bind(r.amount_minor)
                    .push_bind(format!("{} {}", r.given, r.family))
                    .push_bind(&r.email)
                    .push_bind(&r.created_at)
                    .push_bind(&r.created_at)
                    .push_bind(&r.body)
                    .push_bind(r.order_number.to_lowercase())
                    .push_bind(r.email.to_lowercase())
                    .push_bind(format!("{} {}", r.given, r.family).to_lowercase())
                    .push_bind(r.family.to_lowercase());
            });
            insert.build().execute(&mut *conn).await.expect("insert");
            done = end;
        }
        sqlx::query("COMMIT")
            .execute(&mut *conn)
            .await
            .expect("commit");
    }
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut *conn)
        .await
        .expect("checkpoint");
    sqlx::query("ANALYZE")
        .execute(&mut *conn)
        .await
        .expect("analyze");
    drop(conn);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "{n} orders: generated {} in {:.1} s ({:.0} MB)",
        path.display(),
        started.elapsed().as_secs_f64(),
        size as f64 / 1e6
    );
    state
}

/// Logs in through the API; returns the session cookie.
async fn login(app: &Router, state: &AppState) -> String {
    // The account stays in a reused file: "already exists" is fine.
    let _ = staff::create(state.db(), EMAIL, "Bench", Role::Viewer, PASSWORD).await;
    let req = Request::post("/api/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"email": EMAIL, "password": PASSWORD}).to_string(),
        ))
        .expect("req");
    let resp = app.clone().oneshot(req).await.expect("login");
    assert_eq!(resp.status(), 200, "login");
    resp.headers()[header::SET_COOKIE]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("cookie")
        .to_owned()
}

/// A cursor pointing into the middle of the newest-first list, as `next_cursor` would after
/// paging halfway down.
async fn middle_cursor(state: &AppState, n: usize) -> String {
    let (created, id): (String, String) = sqlx::query_as(
        "SELECT created_at, id FROM orders ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?",
    )
    .bind((n / 2) as i64)
    .fetch_one(state.db())
    .await
    .expect("middle row");
    URL_SAFE_NO_PAD.encode(format!("{created}~{id}"))
}

struct Query {
    label: &'static str,
    /// The query string, `{cursor}` standing for the deep page's cursor.
    query: &'static str,
}

const QUERIES: &[Query] = &[
    Query {
        label: "first page, no filter",
        query: "",
    },
    Query {
        label: "status=paid (10%)",
        query: "status=paid",
    },
    Query {
        label: "status=shipping (3%)",
        query: "status=shipping",
    },
    Query {
        label: "email prefix 'sanne.visser'",
        query: "q=sanne.visser",
    },
    Query {
        label: "family prefix 'steenhu' (rare)",
        query: "q=steenhu",
    },
    Query {
        label: "family prefix 'jans' (common)",
        query: "q=jans",
    },
    Query {
        label: "full name 'sanne jans'",
        query: "q=sanne%20jans",
    },
    Query {
        label: "deep page (cursor at n/2)",
        query: "cursor={cursor}",
    },
];

struct Measured {
    p50: Duration,
    p95: Duration,
    samples: usize,
    rows: usize,
}

async fn measure(app: &Router, cookie: &str, uri: &str) -> Measured {
    let mut samples = Vec::new();
    let mut rows = 0;
    let started = Instant::now();
    for round in 0.. {
        if round >= WARMUP && (samples.len() >= MAX_SAMPLES || started.elapsed() > BUDGET) {
            break;
        }
        let t = Instant::now();
        let req = Request::get(uri)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .expect("req");
        let resp = app.clone().oneshot(req).await.expect("search");
        let status = resp.status();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        let elapsed = t.elapsed();
        assert_eq!(status, 200, "{uri}: {}", String::from_utf8_lossy(&bytes));
        if round == 0 {
            let page: Value = serde_json::from_slice(&bytes).expect("page json");
            rows = page["orders"].as_array().map_or(0, Vec::len);
        }
        if round >= WARMUP {
            samples.push(elapsed);
        }
    }
    Measured {
        p50: percentile(&mut samples, 0.5),
        p95: percentile(&mut samples, 0.95),
        samples: samples.len(),
        rows,
    }
}

async fn print_plans(state: &AppState) {
    println!("\nSQLite's plans (EXPLAIN QUERY PLAN):");
    for q in QUERIES {
        // The deep page's cursor does not change the plan: any valid one will do.
        let query = q.query.replace(
            "{cursor}",
            &URL_SAFE_NO_PAD.encode("2025-07-02T00:00:00+00:00~ord_x"),
        );
        let mut filter = OrderFilter::default();
        match query.split_once('=') {
            Some(("status", v)) => filter.status = Some(v.parse().expect("status")),
            Some(("q", v)) => filter.q = Some(v.replace("%20", " ")),
            Some(("cursor", v)) => filter.cursor = Some(v.to_owned()),
            _ => {}
        }
        let plan = kassa_proxy::search::query_plan(state.db(), &filter)
            .await
            .expect("explain");
        println!("  {}:", q.label);
        for step in plan {
            println!("    {step}");
        }
    }
}

#[tokio::main]
async fn main() {
    let sizes: Vec<usize> = std::env::var("KASSA_BENCH_SIZES")
        .ok()
        .map(|s| {
            s.split(',')
                .map(|n| n.trim().parse().expect("KASSA_BENCH_SIZES: numbers"))
                .collect()
        })
        .unwrap_or_else(|| vec![10_000, 1_000_000]);
    let mut results: Vec<(usize, Vec<Measured>)> = Vec::new();
    let mut last_state = None;
    for &n in &sizes {
        let state = mirror_with(n).await;
        let app = kassa_proxy::app(state.clone());
        let cookie = login(&app, &state).await;
        let cursor = middle_cursor(&state, n).await;
        println!("{n} orders, GET /api/orders (in-process, sequential):");
        let mut measured = Vec::new();
        for q in QUERIES {
            let query = q.query.replace("{cursor}", &cursor);
            let uri = if query.is_empty() {
                "/api/orders".to_owned()
            } else {
                format!("/api/orders?{query}")
            };
            let m = measure(&app, &cookie, &uri).await;
            println!(
                "  {:<32} p50 {:>9.1} µs   p95 {:>9.1} µs   ({} rows, {} samples)",
                q.label,
                micros(m.p50),
                micros(m.p95),
                m.rows,
                m.samples
            );
            measured.push(m);
        }
        results.push((n, measured));
        last_state = Some(state);
    }
    if let [(small_n, small), .., (large_n, large)] = results.as_slice() {
        println!("\np95 at {large_n} / p95 at {small_n} (target ≤ 2×):");
        for ((q, s), l) in QUERIES.iter().zip(small).zip(large) {
            let ratio = micros(l.p95) / micros(s.p95);
            println!(
                "  {:<32} {ratio:>7.2}×  {}",
                q.label,
                if ratio <= 2.0 { "met" } else { "MISSED" }
            );
        }
    }
    if let Some(state) = last_state {
        print_plans(&state).await;
    }
}
