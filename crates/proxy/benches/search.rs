//! Does searching the mirror stay fast as it grows?
//!
//! Builds two SQLite mirrors with the real migrations, 10k and 1M generated orders (kept in
//! the temp directory and reused by later runs), then times `GET /api/orders` with a few
//! representative queries through the proxy's router in-process (`oneshot`: session check,
//! query parsing, SQL, JSON), one request at a time, the sizes taking turns request by
//! request so that other work on the machine weighs on both alike. Prints p50/p95 per query
//! and size, the 1M/10k p95 ratio (target ≤ 2×) and SQLite's query plan for each query.
//!
//! About one order in three is Klarna's: a Klarna Order Management order (UUID id, Klarna's
//! statuses, captures and refunds, its timestamps) stored as the proxy stores it, through
//! Kassa's view of it and [`kassa_proxy::MirrorRow`]; the rest are Mollie orders. The Klarna
//! cases filter by provider alone, with a status (one Klarna orders never have among them),
//! with a prefix search, and look one up by its id.
//! Run: `cargo bench -p kassa-proxy --bench search` (first run: a few minutes to generate).
//! `KASSA_BENCH_SIZES=10000,100000` picks other sizes.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{micros, percentile};

use axum::body::Body;
use axum::extract::Query as UrlQuery;
use axum::http::{header, Request};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use http_body_util::BodyExt;
use kassa_model::api::{OrderFilter, Role};
use kassa_model::klarna::om::{
    self, Capture, InitialPaymentMethod, OrderLine, Refund, ShippingInfo,
};
use kassa_model::klarna::{expiry, FraudStatus, OrderStatus as KlarnaStatus};
use kassa_proxy::config::SANDBOX_KEY;
use kassa_proxy::provider::ProviderOrder;
use kassa_proxy::{staff, AppState, MirrorRow, StateConfig};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use sqlx::{QueryBuilder, Sqlite};
use tower::ServiceExt;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EMAIL: &str = "bench@kassa.test";
const PASSWORD: &str = "a long enough password";
/// Bumped whenever the generated data changes: a file from an older generator (say, one
/// without Klarna orders) is then never reused.
const DATA_VERSION: u32 = 2;
/// Rows per INSERT statement: 18 columns each, under SQLite's 32766 bound parameters.
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
/// Mollie statuses with rough real-world weights (most orders end up completed or expired).
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
/// One order in this many is Klarna's.
const KLARNA_ONE_IN: u32 = 3;
/// Klarna Order Management statuses with rough weights. Kassa lists CAPTURED and CLOSED as
/// completed, PART_CAPTURED as shipping, AUTHORIZED as authorized (pending while the fraud
/// review runs).
const KLARNA_STATUSES: &[(KlarnaStatus, u32)] = &[
    (KlarnaStatus::Captured, 52),
    (KlarnaStatus::Closed, 5),
    (KlarnaStatus::Expired, 9),
    (KlarnaStatus::Cancelled, 8),
    (KlarnaStatus::Authorized, 20),
    (KlarnaStatus::PartCaptured, 6),
];
/// Of AUTHORIZED Klarna orders, how many in a hundred wait on Klarna's fraud review.
const FRAUD_PENDING_PERCENT: u32 = 5;
/// Where Klarna's customers buy (country, currency, locale, VAT in basis points), with weights.
type Market = (&'static str, &'static str, &'static str, i64);
const KLARNA_MARKETS: &[(Market, u32)] = &[
    (("NL", "EUR", "nl-NL", 2100), 30),
    (("DE", "EUR", "de-DE", 1900), 25),
    (("AT", "EUR", "de-AT", 2000), 5),
    (("BE", "EUR", "nl-BE", 2100), 5),
    (("SE", "SEK", "sv-SE", 2500), 15),
    (("NO", "NOK", "nb-NO", 2500), 5),
    (("DK", "DKK", "da-DK", 2500), 5),
    (("GB", "GBP", "en-GB", 2000), 7),
    (("CH", "CHF", "de-CH", 810), 3),
];
/// How Klarna's customers pay (`initial_payment_method`: type, description, instalments),
/// with weights.
type Method = (&'static str, &'static str, Option<i64>);
const KLARNA_METHODS: &[(Method, u32)] = &[
    (("INVOICE", "Pay later", None), 60),
    (("PAY_BY_CARD", "Pay now", None), 25),
    (("FIXED_AMOUNT", "Financing", Some(3)), 15),
];
const CARRIERS: &[&str] = &[
    "PostNL",
    "DHL Parcel NL",
    "DHL Paket DE",
    "PostNord SE",
    "UPS",
    "DPD",
];
/// The year the orders are spread over (2025, in seconds since the epoch).
const YEAR_START: i64 = 1_735_689_600;
const YEAR_SECONDS: i64 = 365 * 24 * 3600;

fn weighted<T: Copy>(rng: &mut StdRng, table: &[(T, u32)]) -> T {
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    let mut pick = rng.random_range(0..total);
    for (value, weight) in table {
        if pick < *weight {
            return *value;
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

/// Klarna's way of writing an instant: `2025-03-04T10:11:12.345Z`.
fn klarna_time(seconds: i64, millis: u32) -> String {
    expiry::klarna_timestamp(seconds).replace(".000Z", &format!(".{millis:03}Z"))
}

/// A random (version 4) UUID, as Klarna's ids are written.
fn uuid(rng: &mut StdRng) -> String {
    let mut b: [u8; 16] = rng.random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A customer: given name, family name, email.
fn customer(rng: &mut StdRng) -> (String, String, String) {
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
    (given, family, email)
}

/// The `n`th order, created at `created`: Klarna's one time in [`KLARNA_ONE_IN`], else Mollie's.
fn row(rng: &mut StdRng, n: usize, created: i64) -> MirrorRow {
    if rng.random_ratio(1, KLARNA_ONE_IN) {
        klarna_row(rng, n, created)
    } else {
        mollie_row(rng, n, created)
    }
}

/// A Mollie order: its JSON as Mollie sends it and the mirror's columns.
fn mollie_row(rng: &mut StdRng, n: usize, created: i64) -> MirrorRow {
    let id = order_id(rng);
    let (given, family, email) = customer(rng);
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
    let name = format!("{given} {family}");
    MirrorRow {
        id,
        provider: "mollie",
        search_number: order_number.to_lowercase(),
        order_number,
        status,
        currency,
        amount_minor,
        search_email: email.to_lowercase(),
        search_name: name.to_lowercase(),
        search_family: family.to_lowercase(),
        customer_name: name,
        customer_email: email,
        created_at,
        body,
        expires_at: None,
        expires_unix: None,
        uncaptured_minor: 0,
        // What `kassa_model::states` reads from a one-line order in this status.
        payment_state: match status {
            "created" => "awaiting_payment",
            "pending" => "pending",
            "authorized" => "authorized",
            "canceled" => "voided",
            "expired" => "expired",
            _ => "paid",
        },
        fulfilment_state: match status {
            "completed" => "shipped",
            "shipping" => "partially_shipped",
            "canceled" | "expired" => "canceled",
            _ => "unfulfilled",
        },
    }
}

/// An order line of `quantity` × `unit_price` (VAT included) at `tax_rate` basis points.
fn klarna_line(
    kind: &str,
    reference: &str,
    name: &str,
    quantity: i64,
    unit_price: i64,
    tax_rate: i64,
) -> OrderLine {
    let total = quantity * unit_price;
    OrderLine {
        kind: Some(kind.into()),
        reference: Some(reference.into()),
        name: Some(name.into()),
        quantity: Some(quantity),
        unit_price: Some(unit_price),
        tax_rate: Some(tax_rate),
        total_amount: Some(total),
        total_discount_amount: Some(0),
        // Klarna's rule: total × rate / (10000 + rate), here rounded down.
        total_tax_amount: Some(total * tax_rate / (10_000 + tax_rate)),
        ..Default::default()
    }
}

/// A Klarna order as Order Management's `GET /ordermanagement/v1/orders/{id}` describes it,
/// stored as the proxy stores one: the order's JSON beside the columns of Kassa's view
/// ([`MirrorRow::new`]), expiry and uncaptured amount included.
fn klarna_row(rng: &mut StdRng, n: usize, created: i64) -> MirrorRow {
    let id = uuid(rng);
    let (given, family, email) = customer(rng);
    let (country, currency, locale, tax_rate) = weighted(rng, KLARNA_MARKETS);
    let status = weighted(rng, KLARNA_STATUSES);
    let fraud =
        if status == KlarnaStatus::Authorized && rng.random_range(0..100) < FRAUD_PENDING_PERCENT {
            FraudStatus::Pending
        } else {
            FraudStatus::Accepted
        };
    // One or two products, then shipping: an order that can be captured in parts.
    let mut lines = Vec::new();
    for i in 0..rng.random_range(1..=2) {
        let product = PRODUCTS[rng.random_range(0..PRODUCTS.len())];
        lines.push(klarna_line(
            "physical",
            &format!("SKU-{}{i}", rng.random_range(1000..10_000)),
            product,
            rng.random_range(1..=2),
            rng.random_range(495..125_000),
            tax_rate,
        ));
    }
    lines.push(klarna_line(
        "shipping_fee",
        "SHIP",
        "Shipping",
        1,
        495,
        tax_rate,
    ));
    let amount: i64 = lines.iter().filter_map(|l| l.total_amount).sum();
    let reference = {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        (0..8)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
            .collect::<String>()
    };
    // Most shops send their order number; without one Kassa shows Klarna's reference.
    let merchant_reference1 = (rng.random_range(0..10) > 0).then(|| format!("{}", 100_000 + n));
    let millis = rng.random_range(0..1000);
    let expires = expiry::initial_expiry(created);
    let billing = om::Address {
        given_name: Some(given),
        family_name: Some(family),
        email: Some(email),
        street_address: Some("Keizersgracht 126".into()),
        postal_code: Some("1015 CW".into()),
        city: Some("Amsterdam".into()),
        country: Some(country.into()),
        ..Default::default()
    };
    // Captured: everything (CAPTURED, CLOSED) or the first product (PART_CAPTURED), a day or
    // a few after the order, with tracking.
    let captured_lines: Vec<OrderLine> = match status {
        KlarnaStatus::Captured | KlarnaStatus::Closed => lines.clone(),
        KlarnaStatus::PartCaptured => vec![lines[0].clone()],
        _ => Vec::new(),
    };
    let captured: i64 = captured_lines.iter().filter_map(|l| l.total_amount).sum();
    let captured_at = created + rng.random_range(3_600..5 * 86_400);
    let captures: Vec<Capture> = if captured_lines.is_empty() {
        Vec::new()
    } else {
        vec![Capture {
            capture_id: Some(uuid(rng)),
            klarna_reference: Some(format!("{reference}-1")),
            captured_amount: Some(captured),
            captured_at: Some(klarna_time(captured_at, millis)),
            order_lines: Some(captured_lines),
            refunded_amount: Some(0),
            billing_address: Some(billing.clone()),
            shipping_address: Some(billing.clone()),
            shipping_info: Some(vec![ShippingInfo {
                shipping_company: Some(CARRIERS[rng.random_range(0..CARRIERS.len())].into()),
                shipping_method: Some("Home".into()),
                tracking_number: Some(format!(
                    "3S{}",
                    rng.random_range(100_000_000u64..999_999_999)
                )),
                ..Default::default()
            }]),
            ..Default::default()
        }]
    };
    // One captured order in ten sends its first product back.
    let mut refunds = Vec::new();
    if !captures.is_empty() && status != KlarnaStatus::PartCaptured && rng.random_range(0..10) == 0
    {
        let line = lines[0].clone();
        refunds.push(Refund {
            refund_id: Some(uuid(rng)),
            refunded_amount: line.total_amount,
            refunded_at: Some(klarna_time(captured_at + 7 * 86_400, millis)),
            description: Some("Returned".into()),
            order_lines: Some(vec![line]),
            ..Default::default()
        });
    }
    let refunded: i64 = refunds.iter().filter_map(|r| r.refunded_amount).sum();
    let mut captures = captures;
    if let Some(c) = captures.first_mut() {
        c.refunded_amount = Some(refunded);
    }
    let remaining = if status.is_capturable() {
        amount - captured
    } else {
        0
    };
    let order = om::Order {
        order_id: Some(id),
        status: Some(status.as_str().into()),
        fraud_status: Some(fraud.as_str().into()),
        order_amount: Some(amount),
        original_order_amount: Some(amount),
        captured_amount: Some(captured),
        refunded_amount: Some(refunded),
        remaining_authorized_amount: Some(remaining),
        purchase_currency: Some(currency.into()),
        purchase_country: Some(country.into()),
        locale: Some(locale.into()),
        order_lines: Some(lines),
        merchant_reference1,
        klarna_reference: Some(reference),
        billing_address: Some(billing.clone()),
        shipping_address: Some(billing),
        created_at: Some(klarna_time(created, millis)),
        expires_at: Some(expiry::klarna_timestamp(expires)),
        captures: Some(captures),
        refunds: Some(refunds),
        initial_payment_method: Some({
            let (kind, description, instalments) = weighted(rng, KLARNA_METHODS);
            InitialPaymentMethod {
                kind: Some(kind.into()),
                description: Some(description.into()),
                number_of_installments: instalments,
            }
        }),
        shipping_info: Some(Vec::new()),
        ..Default::default()
    };
    let order = ProviderOrder::Klarna(Box::new(order));
    let view = order
        .view(Vec::new(), YEAR_START + YEAR_SECONDS)
        .expect("a Klarna order Kassa can read");
    MirrorRow::new(&order, &view).expect("the mirror's row")
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

/// The mirror's SQLite pool: this bench measures SQLite's plans and loads the file directly.
fn pool(state: &AppState) -> &sqlx::SqlitePool {
    state
        .db()
        .sqlite()
        .expect("the search bench runs on SQLite")
}

/// How many orders the mirror holds, and how many of them are Klarna's.
async fn count(state: &AppState) -> (usize, usize) {
    let (all, klarna): (i64, i64) =
        sqlx::query_as("SELECT count(*), count(*) FILTER (WHERE provider = 'klarna') FROM orders")
            .fetch_one(pool(state))
            .await
            .expect("count");
    (all as usize, klarna as usize)
}

/// A file from an earlier run that a migration added an index to since has no statistics
/// for it, and SQLite plans without: gather them.
async fn analyze_new_indexes(state: &AppState) {
    let missing: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders'
           AND name NOT LIKE 'sqlite_autoindex%'
           AND name NOT IN (SELECT idx FROM sqlite_stat1 WHERE idx IS NOT NULL)",
    )
    .fetch_one(pool(state))
    .await
    .expect("indexes without statistics");
    if missing > 0 {
        println!("  {missing} index(es) without statistics: ANALYZE");
        sqlx::query("ANALYZE")
            .execute(pool(state))
            .await
            .expect("analyze");
    }
}

/// The mirror with `n` orders: the file from an earlier run if it has them (Klarna's among
/// them), else a new one.
async fn mirror_with(n: usize) -> AppState {
    let path = std::env::temp_dir().join(format!("kassa-bench-search-v{DATA_VERSION}-{n}.db"));
    if path.exists() {
        let state = open(&path).await;
        let (all, klarna) = count(&state).await;
        if all == n && klarna > 0 {
            println!(
                "{n} orders: reusing {} ({klarna} of them Klarna's)",
                path.display()
            );
            analyze_new_indexes(&state).await;
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
    let mut conn = pool(&state).acquire().await.expect("connection");
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
            let rows: Vec<MirrorRow> = (done..end)
                .map(|i| {
                    let created = YEAR_START + (i as f64 * step) as i64;
                    row(&mut rng, i, created)
                })
                .collect();
            let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO orders (id, provider, order_number, status, currency, amount_minor,
                    customer_name, customer_email, created_at, updated_at, body,
                    search_number, search_email, search_name, search_family,
                    expires_at, expires_unix, uncaptured_minor, payment_state, fulfilment_state) ",
            );
            insert.push_values(&rows, |mut b, r| {
                b.push_bind(&r.id)
                    .push_bind(r.provider)
                    .push_bind(&r.order_number)
                    .push_bind(r.status)
                    .push_bind(r.currency)
                    .push_bind(r.amount_minor)
                    .push_bind(&r.customer_name)
                    .push_bind(&r.customer_email)
                    .push_bind(&r.created_at)
                    .push_bind(&r.created_at)
                    .push_bind(&r.body)
                    .push_bind(&r.search_number)
                    .push_bind(&r.search_email)
                    .push_bind(&r.search_name)
                    .push_bind(&r.search_family)
                    .push_bind(&r.expires_at)
                    .push_bind(r.expires_unix)
                    .push_bind(r.uncaptured_minor)
                    .push_bind(r.payment_state)
                    .push_bind(r.fulfilment_state);
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
    let (_, klarna) = count(&state).await;
    println!(
        "{n} orders: generated {} in {:.1} s ({:.0} MB, {klarna} of them Klarna's)",
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
    .fetch_one(pool(state))
    .await
    .expect("middle row");
    URL_SAFE_NO_PAD.encode(format!("{created}~{id}"))
}

/// A Klarna order from the middle of the list, to look up by its id.
async fn middle_klarna_id(state: &AppState, n: usize) -> String {
    sqlx::query_scalar(
        "SELECT id FROM orders WHERE provider = 'klarna'
         ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?",
    )
    .bind((n / (2 * KLARNA_ONE_IN as usize)) as i64)
    .fetch_one(pool(state))
    .await
    .expect("a Klarna order")
}

struct Query {
    label: &'static str,
    /// The query string, `{cursor}` standing for the deep page's cursor and `{klarna_id}` for
    /// a Klarna order's id.
    query: &'static str,
}

const QUERIES: &[Query] = &[
    Query {
        label: "first page, no filter",
        query: "",
    },
    Query {
        label: "status=paid (7%)",
        query: "status=paid",
    },
    Query {
        label: "status=shipping (4%)",
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
    Query {
        label: "provider=klarna (33%)",
        query: "provider=klarna",
    },
    Query {
        label: "klarna, status=authorized (6%)",
        query: "provider=klarna&status=authorized",
    },
    Query {
        label: "klarna, fraud review (0.3%)",
        query: "provider=klarna&status=pending",
    },
    Query {
        label: "klarna, status=paid (none)",
        query: "provider=klarna&status=paid",
    },
    Query {
        label: "klarna, family 'jans' (common)",
        query: "provider=klarna&q=jans",
    },
    Query {
        label: "klarna, family 'steenhu' (rare)",
        query: "provider=klarna&q=steenhu",
    },
    Query {
        label: "Klarna order id (exact)",
        query: "q={klarna_id}",
    },
];

/// A query string with its placeholders filled.
fn fill(query: &str, cursor: &str, klarna_id: &str) -> String {
    query
        .replace("{cursor}", cursor)
        .replace("{klarna_id}", klarna_id)
}

struct Measured {
    p50: Duration,
    p95: Duration,
    samples: usize,
    rows: usize,
}

/// One mirror under test, and what its requests need.
struct Size {
    n: usize,
    state: AppState,
    app: Router,
    cookie: String,
    cursor: String,
    klarna_id: String,
}

/// Times `uris[i]` on `sizes[i]`, the sizes taking turns request by request: whatever else the
/// machine does then weighs on each size alike, and their ratio is what counts (a 2-core
/// machine shared with builds swings more between two sequential runs than within one).
async fn measure(sizes: &[Size], uris: &[String]) -> Vec<Measured> {
    let mut samples = vec![Vec::new(); sizes.len()];
    let mut rows = vec![0; sizes.len()];
    let budget = BUDGET * sizes.len() as u32;
    let started = Instant::now();
    for round in 0.. {
        if round >= WARMUP && (samples[0].len() >= MAX_SAMPLES || started.elapsed() > budget) {
            break;
        }
        for (i, (size, uri)) in sizes.iter().zip(uris).enumerate() {
            let t = Instant::now();
            let req = Request::get(uri)
                .header(header::COOKIE, &size.cookie)
                .body(Body::empty())
                .expect("req");
            let resp = size.app.clone().oneshot(req).await.expect("search");
            let status = resp.status();
            let bytes = resp.into_body().collect().await.expect("body").to_bytes();
            let elapsed = t.elapsed();
            assert_eq!(status, 200, "{uri}: {}", String::from_utf8_lossy(&bytes));
            if round == 0 {
                let page: Value = serde_json::from_slice(&bytes).expect("page json");
                rows[i] = page["orders"].as_array().map_or(0, Vec::len);
            }
            if round >= WARMUP {
                samples[i].push(elapsed);
            }
        }
    }
    samples
        .into_iter()
        .zip(rows)
        .map(|(mut samples, rows)| Measured {
            p50: percentile(&mut samples, 0.5),
            p95: percentile(&mut samples, 0.95),
            samples: samples.len(),
            rows,
        })
        .collect()
}

async fn print_plans(state: &AppState) {
    println!("\nSQLite's plans (EXPLAIN QUERY PLAN):");
    for q in QUERIES {
        // Neither the deep page's cursor nor the Klarna id changes the plan: any valid one
        // will do.
        let query = fill(
            q.query,
            &URL_SAFE_NO_PAD.encode("2025-07-02T00:00:00+00:00~ord_x"),
            "f3392f8b-6116-4073-ab96-e330819e2c07",
        );
        // Read as the route reads it.
        let uri: axum::http::Uri = format!("/api/orders?{query}").parse().expect("uri");
        let UrlQuery(filter) = UrlQuery::<OrderFilter>::try_from_uri(&uri).expect("filter");
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
    let mut mirrors = Vec::new();
    for &n in &sizes {
        let state = mirror_with(n).await;
        let app = kassa_proxy::app(state.clone());
        let cookie = login(&app, &state).await;
        let cursor = middle_cursor(&state, n).await;
        let klarna_id = middle_klarna_id(&state, n).await;
        mirrors.push(Size {
            n,
            state,
            app,
            cookie,
            cursor,
            klarna_id,
        });
    }
    let mut measured: Vec<Vec<Measured>> = mirrors.iter().map(|_| Vec::new()).collect();
    for q in QUERIES {
        let uris: Vec<String> = mirrors
            .iter()
            .map(|m| match fill(q.query, &m.cursor, &m.klarna_id) {
                query if query.is_empty() => "/api/orders".to_owned(),
                query => format!("/api/orders?{query}"),
            })
            .collect();
        for (i, m) in measure(&mirrors, &uris).await.into_iter().enumerate() {
            measured[i].push(m);
        }
    }
    let mut results: Vec<(usize, Vec<Measured>)> = Vec::new();
    for (size, measured) in mirrors.iter().zip(measured) {
        println!(
            "{} orders, GET /api/orders (in-process, one request at a time, the sizes taking turns):",
            size.n
        );
        for (q, m) in QUERIES.iter().zip(&measured) {
            println!(
                "  {:<32} p50 {:>9.1} µs   p95 {:>9.1} µs   ({} rows, {} samples)",
                q.label,
                micros(m.p50),
                micros(m.p95),
                m.rows,
                m.samples
            );
        }
        results.push((size.n, measured));
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
    if let Some(largest) = mirrors.last() {
        print_plans(&largest.state).await;
    }
}
