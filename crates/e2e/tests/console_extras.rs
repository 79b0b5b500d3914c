//! Issue #13's "also expected of an order console" and small things, in Chromium against the
//! real proxy: an internal note written on the order page lands in its timeline with its
//! author, the tab is named after the order and "Skip to content" comes first, and "Export
//! CSV" on the orders list downloads every order the filters match (not just the page shown).
//!
//! Needs the built app and chromedriver, like `manage_orders.rs`; run with `cargo xtask test`.
use std::time::{Duration, Instant};

use crate::common::*;
use fantoccini::Locator;
use kassa_e2e::staff::StaffApi;
use kassa_proxy::config::{TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD};
use serde_json::json;

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
    let id = StaffApi::log_in(&url)
        .await
        .order_of("NOTE-1", "Piet", 1)
        .await;
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
    let staff = StaffApi::log_in(&url).await;
    // More than one page of the list (25), all matching "csv".
    for i in 0..27 {
        staff.order_of(&format!("CSV-{i:02}"), "Piet", 1).await;
    }
    staff.order_of("OTHER-1", "Anna", 1).await;
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
    let staff = StaffApi::log_in(&url).await;
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
    no_sideways_scroll(c, "the orders list").await;

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
    no_sideways_scroll(c, "the order page").await;
    c.clone().close().await.unwrap();
}

/// The page is no wider than the phone: nothing (the header's name and "Log out", say) sits
/// off to the right behind a sideways scroll.
async fn no_sideways_scroll(c: &fantoccini::Client, page: &str) {
    let widths = c
        .execute(
            "const wide = Array.from(document.querySelectorAll('body *'))
               .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                 && getComputedStyle(e.parentElement).overflowX === 'visible')
               .map(e => e.tagName + '.' + e.className).slice(0, 5).join(', ');
             return [document.documentElement.scrollWidth, window.innerWidth, wide];",
            vec![],
        )
        .await
        .unwrap();
    let (scroll, inner) = (
        widths[0].as_f64().unwrap_or(0.0),
        widths[1].as_f64().unwrap_or(0.0),
    );
    assert!(
        scroll <= inner,
        "{page} is {scroll} px wide on a {inner} px phone: {}",
        widths[2]
    );
}
