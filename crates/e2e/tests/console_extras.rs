//! Issue #13's "also expected of an order console" and small things, in Chromium against the
//! real proxy: an internal note written on the order page lands in its timeline with its
//! author, the tab is named after the order and "Skip to content" comes first, and "Export
//! CSV" on the orders list downloads every order the filters match (not just the page shown).
//!
//! Needs the built app and chromedriver, like `manage_orders.rs`; run with `cargo xtask test`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::time::{Duration, Instant};

use common::*;
use fantoccini::Locator;
use kassa_proxy::config::{TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD};
use serde_json::{json, Value};

/// Staff's API as a script would use it: logged in, with the session's CSRF token.
struct Staff {
    http: reqwest::Client,
    url: String,
    cookie: String,
    csrf: String,
}

impl Staff {
    async fn log_in(url: &str) -> Self {
        let http = reqwest::Client::new();
        let resp = http
            .post(format!("{url}/api/session"))
            .json(&json!({"email": TEST_ADMIN_EMAIL, "password": TEST_ADMIN_PASSWORD}))
            .send()
            .await
            .unwrap();
        let cookie = resp.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let session: Value = resp.json().await.unwrap();
        Self {
            http,
            url: url.to_owned(),
            cookie,
            csrf: session["csrf_token"].as_str().unwrap().to_owned(),
        }
    }

    /// An order for `given` Jansen with `number`; its id.
    async fn order(&self, number: &str, given: &str) -> String {
        self.order_of(number, given, 1).await
    }

    /// [`Staff::order`] with `lines` lines.
    async fn order_of(&self, number: &str, given: &str, lines: usize) -> String {
        let lines: Vec<Value> = (0..lines)
            .map(|i| json!({"name": format!("Regenjas {i}"), "quantity": 2, "unit_price": 8900, "vat_rate": "21.00"}))
            .collect();
        let body = json!({
            "currency": "EUR", "locale": "nl_NL", "order_number": number,
            "billing_address": {"givenName": given, "familyName": "Jansen",
                "email": "piet@example.com", "streetAndNumber": "Keizersgracht 126",
                "postalCode": "1015 CW", "city": "Amsterdam", "country": "NL"},
            "lines": lines
        });
        let created: Value = self
            .http
            .post(format!("{}/api/orders", self.url))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        created["order"]["id"].as_str().unwrap().to_owned()
    }
}

async fn wait_title(c: &fantoccini::Client, expected: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let title = c.title().await.unwrap();
        if title == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "tab title {title:?}, expected {expected:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn a_note_written_on_the_order_page_is_in_its_timeline() {
    let running = kassa().await;
    let url = running.url.clone();
    let id = Staff::log_in(&url).await.order("NOTE-1", "Piet").await;
    let b = browser().await;
    let c = &b.client;
    log_in(c, &url, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD).await;
    c.goto(&format!("{url}/orders/{id}")).await.unwrap();
    // The tab names the order; the first thing a keyboard reaches is "Skip to content".
    wait_title(c, "NOTE-1 · Kassa").await;
    // The header says which order, whose, in what state and for how much.
    wait_text(c, &testid("order-heading"), "Order NOTE-1").await;
    wait_text(c, &testid("header-customer"), "Piet Jansen").await;
    wait_text(
        c,
        "[data-testid=\"header-status\"] [data-testid=\"payment-state\"]",
        "Awaiting payment",
    )
    .await;
    wait_text(
        c,
        "[data-testid=\"header-status\"] [data-testid=\"fulfilment-state\"]",
        "Unfulfilled",
    )
    .await;
    let total = c
        .find(Locator::Css(&testid("header-total")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(total.contains("178"), "{total}");
    let first = c
        .execute(
            "return document.querySelector('a[href], button, input, select, textarea')\
             .dataset.testid",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(first, json!("skip-link"));
    fill(c, "note-text", "Customer called: ship after the 12th.").await;
    click(c, "note-submit").await;
    let expected = format!("{TEST_ADMIN_EMAIL}: Customer called: ship after the 12th.");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !texts(c, &testid("event"))
        .await
        .iter()
        .any(|t| t.contains(&expected))
    {
        assert!(Instant::now() < deadline, "the note is not in the timeline");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The form is empty again for the next note.
    let box_text = c
        .find(Locator::Css(&testid("note-text")))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(box_text.as_deref(), Some(""));
    c.clone().close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn export_csv_downloads_every_order_the_filters_match() {
    let running = kassa().await;
    let url = running.url.clone();
    let staff = Staff::log_in(&url).await;
    // More than one page of the list (25), all matching "csv".
    for i in 0..27 {
        staff.order(&format!("CSV-{i:02}"), "Piet").await;
    }
    staff.order("OTHER-1", "Anna").await;
    let downloads = std::env::temp_dir().join(format!("kassa-e2e-csv-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&downloads);
    std::fs::create_dir_all(&downloads).unwrap();

    let b = browser().await;
    let c = &b.client;
    cdp(
        c,
        "Browser.setDownloadBehavior",
        json!({"behavior": "allow", "downloadPath": downloads.display().to_string()}),
    )
    .await;
    log_in(c, &url, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD).await;
    c.goto(&format!("{url}/?q=csv")).await.unwrap();
    c.wait()
        .for_element(Locator::Css(&testid("order-row")))
        .await
        .expect("the list shows the orders");
    click(c, "export-csv").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    let file = loop {
        let done = std::fs::read_dir(&downloads)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "csv"));
        if let Some(file) = done {
            break file;
        }
        assert!(Instant::now() < deadline, "no CSV was downloaded");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("kassa-orders-"), "{name}");
    let text = std::fs::read_to_string(&file).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(
        rows.len(),
        1 + 27,
        "a header and all 27 matching orders: {text}"
    );
    assert!(rows[1..].iter().all(|r| r.starts_with("CSV-")), "{text}");
    let _ = std::fs::remove_dir_all(&downloads);
    c.clone().close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn on_a_phone_the_list_comes_first_and_an_order_stays_short() {
    let running = kassa().await;
    let url = running.url.clone();
    let staff = Staff::log_in(&url).await;
    let id = staff.order_of("PHONE-1", "Piet", 3).await;
    let b = browser().await;
    let c = &b.client;
    log_in(c, &url, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD).await;
    // An upright phone: 390 × 844 CSS pixels.
    c.set_window_rect(0, 0, 390, 844).await.unwrap();
    c.goto(&format!("{url}/")).await.unwrap();
    let row = c
        .wait()
        .for_element(Locator::Css(&testid("order-row")))
        .await
        .unwrap();
    let status = c
        .find(Locator::Css(&testid("filter-status")))
        .await
        .unwrap();
    assert!(
        !status.is_displayed().await.unwrap(),
        "the filters are folded"
    );
    let (_, top, _, _) = row.rectangle().await.unwrap();
    let inner: f64 = serde_json::from_value(
        c.execute("return window.innerHeight", vec![])
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(
        top < inner,
        "the first order is on the first screen ({top} of {inner})"
    );
    click(c, "filter-toggle").await;
    assert!(
        status.is_displayed().await.unwrap(),
        "\"Filters\" opens them"
    );

    // The order page of a three-line order is not a scroll marathon.
    c.goto(&format!("{url}/orders/{id}")).await.unwrap();
    c.wait()
        .for_element(Locator::Css(&testid("line-name")))
        .await
        .unwrap();
    let height: f64 = serde_json::from_value(
        c.execute("return document.documentElement.scrollHeight", vec![])
            .await
            .unwrap(),
    )
    .unwrap();
    let parts = c
        .execute(
            "return window.innerWidth + ' ' + getComputedStyle(document.querySelector('.lines-table tr')).display + ' ' + document.styleSheets.length + ' ' + Array.from(document.querySelectorAll('article.page > *, .block, table')).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().height)).join(' | ')",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        height < 3000.0,
        "the order page is {height} px tall on a phone: {}",
        parts.as_str().unwrap_or_default()
    );
    c.clone().close().await.unwrap();
}
