//! The README's and docs' screenshots, taken from the real thing: the built app (`dist/`, see
//! `kassa_e2e::dist`), the proxy with its embedded sandbox and headless Chromium. Orders are
//! made through the shop's public checkout and paid at the sandbox's checkout; staff ship part
//! of one and refund an amount of another through the proxy's API, so the order page has a
//! history. Then the orders list, that order page and the customer's return page are captured
//! at a desktop size (1280 px wide, the whole page up to 2,400 px) and a phone's (390 × 844,
//! the first screen).
//!
//! Not a benchmark: a bench target because it needs the built app and a browser like the
//! first-load bench, and because `cargo test` should not build it.
//!
//! `cargo bench -p kassa-e2e --bench screenshots` writes `docs/screenshots/*.png`;
//! `KASSA_SCREENSHOTS=dir` writes elsewhere.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use base64::Engine;
use fantoccini::{Client, Locator};
use kassa_e2e::shop::orders_through_the_shop;
use kassa_e2e::staff::StaffApi;
use kassa_e2e::{browser, cdp, kassa, log_in, testid};
use kassa_proxy::config::{TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD};
use serde_json::json;

const DESKTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (390, 844);
/// The tallest capture: a long page is cut here rather than making a huge image.
const MAX_HEIGHT: f64 = 2400.0;

/// Waits until `css` is on the page, then a little for fonts and badges to settle.
async fn ready(c: &Client, css: &str) {
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} never appeared: {e}"));
    tokio::time::sleep(Duration::from_millis(400)).await;
}

/// A PNG of the page: the whole of it up to [`MAX_HEIGHT`] when `full`, else the screen.
async fn capture(c: &Client, full: bool, (width, height): (u32, u32)) -> Vec<u8> {
    let mut params = json!({"format": "png"});
    if full {
        let metrics = cdp(c, "Page.getLayoutMetrics", json!({})).await;
        let tall = metrics["cssContentSize"]["height"]
            .as_f64()
            .unwrap_or(f64::from(height))
            .min(MAX_HEIGHT);
        params["captureBeyondViewport"] = json!(true);
        params["clip"] = json!({
            "x": 0, "y": 0, "width": f64::from(width), "height": tall, "scale": 1
        });
    }
    let shot = cdp(c, "Page.captureScreenshot", params).await;
    let data = shot["data"].as_str().expect("a screenshot");
    base64::engine::general_purpose::STANDARD
        .decode(data)
        .expect("base64 PNG")
}

#[tokio::main]
async fn main() {
    let out = std::env::var_os("KASSA_SCREENSHOTS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&out).expect("the screenshots' directory");
    let running = kassa().await;
    let url = running.url.clone();

    // A German customer's paid order (its return page), then a Dutch shop's day.
    let return_url = orders_through_the_shop(&url, 1, "de_DE").await;
    orders_through_the_shop(&url, 8, "nl_NL").await;
    let staff = StaffApi::log_in(&url).await;
    let started = Instant::now();
    // An authorized order with part shipped (tracked) and an amount refunded of a paid one.
    let authorized = staff.newest("authorized").await;
    let id = authorized["id"].as_str().expect("an authorized order");
    let order = staff
        .call(reqwest::Method::GET, &format!("/api/orders/{id}"), None)
        .await;
    let first_line = order["lines"][0]["id"].as_str().expect("a line");
    staff
        .act(
            id,
            json!({
                "kind": "ship",
                "intent_id": "screenshots-ship-1",
                "lines": [{"line_id": first_line, "quantity": 1}],
                "tracking": {"carrier": "PostNL", "code": "3SKABA000000000"}
            }),
        )
        .await;
    staff
        .act(
            id,
            json!({
                "kind": "refund_amount",
                "intent_id": "screenshots-refund-1",
                "amount": {"currency": "EUR", "minor": 250},
                "description": "Shipping costs"
            }),
        )
        .await;
    println!(
        "proxy at {url}; 9 orders, one shipped in part and refunded in part ({:.1} s)",
        started.elapsed().as_secs_f64()
    );

    // Staff's pages in a logged-in browser; the return page in the customer's, without a
    // session (so without the staff header).
    let staff_browser = browser().await;
    let customer_browser = browser().await;
    log_in(
        &staff_browser.client,
        &url,
        TEST_ADMIN_EMAIL,
        TEST_ADMIN_PASSWORD,
    )
    .await;
    let pages = [
        (
            "orders",
            &staff_browser.client,
            format!("{url}/"),
            testid("order-row"),
        ),
        (
            "order",
            &staff_browser.client,
            format!("{url}/orders/{id}"),
            testid("event"),
        ),
        (
            "return",
            &customer_browser.client,
            return_url.clone(),
            testid("return-heading"),
        ),
    ];
    for (device, size, full) in [("desktop", DESKTOP, true), ("phone", PHONE, false)] {
        for (name, c, page, css) in &pages {
            c.set_window_size(size.0, size.1)
                .await
                .expect("window size");
            c.goto(page).await.expect("the page");
            ready(c, css).await;
            let png = capture(c, full, size).await;
            let file = out.join(format!("{name}-{device}.png"));
            std::fs::write(&file, &png).expect("write the screenshot");
            println!("{} ({} KB)", file.display(), png.len() / 1024);
        }
    }
    for b in [staff_browser, customer_browser] {
        b.client.clone().close().await.ok();
    }
}
