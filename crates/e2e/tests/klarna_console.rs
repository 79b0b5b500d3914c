//! Issue #10's console in Chromium against the real proxy and its embedded sandbox (test
//! controls on): Klarna orders placed through the sandbox's Klarna API as a shop's checkout
//! would (a Klarna Payments session, the shopper's authorization by the sandbox's test
//! control, the order), then added with "Add a Klarna order" and managed by an operator:
//! captured in two parts with shipping info, partly refunded, the rest of the authorization
//! released; an authorization about to expire found on the expiry radar, extended (the dialog
//! shows the new expiry) and then the order cancelled; a fraud review that keeps "Capture"
//! disabled, with Klarna's reason, until Klarna accepts the order and notifies Kassa; a viewer
//! who reads a Klarna order but has no buttons. What the page shows is checked against what
//! the sandbox holds afterwards (one capture per confirmed intent).
//!
//! Needs the built app and chromedriver, like `manage_orders.rs`; run with `cargo xtask test`.
use std::time::{Duration, Instant};

use crate::common::*;
use fantoccini::{Client, Locator};
use kassa_e2e::klarna::KlarnaApi;
use kassa_model::api::Role;
use kassa_model::klarna::expiry;
use kassa_proxy::config::{TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD};
use kassa_proxy::Running;
use serde_json::{json, Value};

const VIEWER: &str = "vic@shop.test";
const VIEWER_PASSWORD: &str = "a long enough password";

/// The embedded sandbox's Klarna API, as a shop's checkout calls it (the credential the proxy
/// was started with), and its test controls.
struct Klarna {
    api: KlarnaApi,
    /// Where Klarna's notifications reach Kassa.
    notification_url: String,
}

impl Klarna {
    fn of(running: &Running) -> Self {
        let credentials = running
            .sandbox_klarna
            .clone()
            .expect("the embedded sandbox's Klarna credential");
        Self {
            api: KlarnaApi::new(
                format!("{}/sandbox", running.url),
                &credentials.username,
                &credentials.password,
            ),
            notification_url: format!("{}/webhooks/klarna", running.url),
        }
    }

    /// A call that must succeed (see [`KlarnaApi::call`]).
    async fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        self.api.call(method, path, body).await
    }

    /// Places an order for [`cart`] as a shop's checkout would: a Klarna Payments session, the
    /// shopper's authorization (`approved`, or `pending` for a fraud review) and the order,
    /// with `reference` as its first merchant reference and Kassa's notification URL. Its id;
    /// Kassa has not heard of it yet.
    async fn place(&self, outcome: &str, reference: &str) -> String {
        let session = self.api.session(&cart()).await;
        let session = session["session_id"].as_str().expect("session_id");
        let token = self.api.authorize(session, outcome).await;
        let mut order = cart();
        order["merchant_reference1"] = json!(reference);
        order["merchant_urls"] = json!({
            "confirmation": "https://shop.example/thanks",
            "notification": self.notification_url,
        });
        let placed = self.api.place_order(&token, &order).await;
        placed["order_id"].as_str().expect("order_id").to_owned()
    }

    /// The order as Klarna has it.
    async fn order(&self, id: &str) -> Value {
        self.api.order(id).await
    }
}

/// A cart in Sweden: 3 × Battery Power Pack at 50.00 SEK (25 % VAT, line `19-402-SWE`) and
/// shipping at 10.00 SEK (line `SHIP`); 160.00 SEK in all.
fn cart() -> Value {
    json!({
        "purchase_country": "SE", "purchase_currency": "SEK", "locale": "sv-SE",
        "order_amount": 16000, "order_tax_amount": 3200,
        "order_lines": [
            {"type": "physical", "reference": "19-402-SWE", "name": "Battery Power Pack",
             "quantity": 3, "unit_price": 5000, "tax_rate": 2500, "total_amount": 15000,
             "total_discount_amount": 0, "total_tax_amount": 3000},
            {"type": "shipping_fee", "reference": "SHIP", "name": "Shipping",
             "quantity": 1, "unit_price": 1000, "tax_rate": 2500, "total_amount": 1000,
             "total_discount_amount": 0, "total_tax_amount": 200}
        ],
        "billing_address": {"given_name": "Testperson-se", "family_name": "Approved",
            "street_address": "Stårgatan 1", "postal_code": "12345", "city": "Ankeborg",
            "country": "SE", "email": "customer@email.se"}
    })
}

/// Text as a person reads it: `Intl` writes "SEK 160.00" with a no-break space.
fn plain(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ").trim().to_owned()
}

/// Waits until the elements matching `css` read `expected` (no-break spaces as spaces).
async fn see_all(c: &Client, css: &str, expected: &[&str]) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        seen = texts(c, css).await.iter().map(|t| plain(t)).collect();
        if seen == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css}: expected {expected:?}, saw {seen:?}");
}

/// Waits until the element with `data-testid` `id` reads `expected`.
async fn see(c: &Client, id: &str, expected: &str) {
    see_all(c, &testid(id), &[expected]).await;
}

/// The text of the element with `data-testid` `id`, once it is there.
async fn text_of(c: &Client, id: &str) -> String {
    let el = c
        .wait()
        .for_element(Locator::Css(&testid(id)))
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"));
    plain(&el.text().await.unwrap())
}

/// Whether the order's action button `id` is disabled, and the reason shown beside it.
async fn button_state(c: &Client, id: &str) -> (bool, Option<String>) {
    let button = c
        .wait()
        .for_element(Locator::Css(&testid(id)))
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"));
    let disabled = button.attr("disabled").await.unwrap().is_some();
    let reason = match c.find(Locator::Css(&format!("#{id}-reason"))).await {
        Ok(el) => Some(plain(&el.text().await.unwrap())),
        Err(_) => None,
    };
    (disabled, reason)
}

/// Waits until the action button `id` is disabled with `reason` beside it.
async fn disabled_because(c: &Client, id: &str, reason: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut state = (false, None);
    while Instant::now() < deadline {
        state = button_state(c, id).await;
        if state == (true, Some(reason.to_owned())) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{id}: expected disabled because {reason:?}, saw {state:?}");
}

/// Waits until the action button `id` can be used.
async fn enabled(c: &Client, id: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut state = (true, None);
    while Instant::now() < deadline {
        state = button_state(c, id).await;
        if state == (false, None) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{id}: expected enabled, saw {state:?}");
}

/// "Add a Klarna order" on the orders list: the proxy mirrors it and its page opens.
async fn add_klarna_order(c: &Client, url: &str, id: &str) {
    c.goto(&format!("{url}/")).await.unwrap();
    fill(c, "import-id", id).await;
    click(c, "import-submit").await;
    wait_url(c, &format!("/orders/{id}")).await;
    c.wait()
        .for_element(Locator::Css(&testid("order-status")))
        .await
        .expect("the order page");
}

/// Sets the quantity pickers of the open dialog (one per line with something left), in line
/// order.
async fn quantities(c: &Client, values: &[&str]) {
    c.wait()
        .for_element(Locator::Css(&testid("dialog")))
        .await
        .expect("dialog open");
    let inputs = c
        .find_all(Locator::Css(r#"[data-testid^="dialog-qty-"]"#))
        .await
        .unwrap();
    assert_eq!(inputs.len(), values.len(), "one picker per line");
    for (input, value) in inputs.iter().zip(values) {
        input.clear().await.unwrap();
        input.send_keys(value).await.unwrap();
    }
}

/// Waits for the order actions' toast to read `expected` and the dialog to close.
async fn toast(c: &Client, id: &str, expected: &str) {
    see(c, id, expected).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while c.find(Locator::Css(&testid("dialog"))).await.is_ok() {
        assert!(Instant::now() < deadline, "the dialog stayed open");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The labels of the order's action buttons, in the page's order.
async fn order_buttons(c: &Client) -> Vec<String> {
    texts(c, "section.order-actions .action-buttons button").await
}

/// Sandbox requests (Klarna's paths, without `/sandbox`) of `method` whose path ends with
/// `tail`, and their statuses.
fn requests(running: &Running, method: &str, tail: &str) -> Vec<Option<u16>> {
    running
        .sandbox
        .as_ref()
        .expect("embedded sandbox")
        .requests()
        .into_iter()
        .filter(|r| r.method == method && r.path.ends_with(tail))
        .map(|r| r.status)
        .collect()
}

async fn klarna_kassa() -> Running {
    kassa_with(|c| c.sandbox_test_controls = true).await
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn capture_in_two_parts_refund_part_and_release_the_rest() {
    let running = klarna_kassa().await;
    let url = running.url.clone();
    let klarna = Klarna::of(&running);
    let id = klarna.place("approved", "SHOP-2001").await;
    let b = browser().await;
    let c = &b.client;
    log_in(c, &url, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD).await;
    add_klarna_order(c, &url, &id).await;

    // The order in Kassa's words and Klarna's.
    see(c, "order-status", "authorized").await;
    see(c, "order-provider-status", "AUTHORIZED").await;
    see(c, "order-provider", "Klarna").await;
    see(c, "order-fraud-status", "ACCEPTED").await;
    see(c, "order-number", "SHOP-2001").await;
    see(c, "order-amount", "SEK 160.00").await;
    see(c, "order-remaining-authorization", "SEK 160.00").await;
    see_all(c, &testid("line-name"), &["Battery Power Pack", "Shipping"]).await;
    // Klarna's actions, in its words; what cannot be done now is disabled and says why.
    assert_eq!(
        order_buttons(c).await,
        [
            "Capture",
            "Refund",
            "Remove items",
            "Cancel order",
            "Release remaining authorization",
            "Extend authorization",
            "Edit details",
            "Acknowledge",
        ]
    );
    // "Refund an amount" sits with the refunds.
    assert_eq!(
        texts(c, r#"[data-testid="refunds"] button"#).await,
        ["Refund an amount"]
    );
    enabled(c, "action-ship").await;
    disabled_because(
        c,
        "action-refund",
        "Nothing captured yet: remove items or cancel instead",
    )
    .await;
    disabled_because(
        c,
        "action-release",
        "Nothing captured yet: cancel the order instead",
    )
    .await;
    disabled_because(
        c,
        "action-extend",
        "The authorization already runs as long as Klarna allows",
    )
    .await;

    // First capture: one battery and the shipping, with shipping info and a description.
    click(c, "action-ship").await;
    quantities(c, &["1", "1"]).await;
    fill(c, "tracking-carrier", "PostNord SE").await;
    fill(c, "tracking-code", "6345641567").await;
    fill(c, "tracking-url", "https://tracking.example/6345641567").await;
    choose(c, "tracking-method", "Home").await;
    fill(c, "capture-description", "First box").await;
    click(c, "dialog-submit").await;
    toast(c, "toast", "Captured 2 items").await;
    see(c, "order-status", "shipping").await;
    see(c, "order-provider-status", "PART_CAPTURED").await;
    see(c, "order-captured", "SEK 60.00").await;
    see(c, "order-remaining-authorization", "SEK 100.00").await;
    see_all(c, &testid("shipment-amount"), &["SEK 60.00"]).await;
    see_all(
        c,
        &testid("shipping-info"),
        &["PostNord SE 6345641567 (Home delivery)"],
    )
    .await;
    // Now something was captured: nothing to cancel, but refunds and a release.
    disabled_because(
        c,
        "action-cancel-order",
        "Order has captures: cancel is not possible, refund instead",
    )
    .await;
    enabled(c, "action-release").await;

    // Second capture: one more battery; its shipping info added afterwards on the capture.
    click(c, "action-ship").await;
    quantities(c, &["1"]).await;
    click(c, "dialog-submit").await;
    toast(c, "toast", "Captured 1 item").await;
    see(c, "order-captured", "SEK 110.00").await;
    see(c, "order-remaining-authorization", "SEK 50.00").await;
    see_all(c, &testid("shipment-amount"), &["SEK 60.00", "SEK 50.00"]).await;
    see_all(
        c,
        &format!("{} {}", testid("shipment"), testid("shipment-tracking")),
        &["PostNord SE 6345641567 (Home delivery)", "No tracking"],
    )
    .await;
    let second = c
        .find_all(Locator::Css(&format!(
            "{} {}",
            testid("shipment"),
            testid("edit-tracking")
        )))
        .await
        .unwrap();
    assert_eq!(second.len(), 2, "Add shipping info on each capture");
    assert_eq!(second[1].text().await.unwrap(), "Add shipping info");
    second[1].click().await.unwrap();
    fill(c, "tracking-carrier", "DHL").await;
    fill(c, "tracking-code", "JJD000390007").await;
    choose(c, "tracking-method", "PickUpPoint").await;
    fill(c, "tracking-return-carrier", "DHL").await;
    fill(c, "tracking-return-code", "JJD000390008").await;
    click(c, "dialog-submit").await;
    toast(c, "toast", "Shipping info added").await;
    see_all(
        c,
        &format!("{} {}", testid("shipment"), testid("shipment-tracking")),
        &[
            "PostNord SE 6345641567 (Home delivery)",
            "DHL JJD000390007 (Pick-up point; return: DHL JJD000390008)",
        ],
    )
    .await;

    // Refund one battery, with the customer's return reference: asked, then confirmed.
    click(c, "action-refund").await;
    quantities(c, &["1", "0"]).await;
    fill(c, "refund-description", "Broken on arrival").await;
    fill(c, "refund-reference", "RMA-7").await;
    click(c, "dialog-submit").await;
    let asked = text_of(c, "dialog-question").await;
    assert!(asked.contains("cannot be undone"), "{asked}");
    click(c, "dialog-confirm").await;
    toast(c, "toast", "Refunded 1 item").await;
    see(c, "order-refunded", "SEK 50.00").await;
    see_all(c, &testid("line-refunded"), &["1", "0"]).await;
    see_all(c, &testid("refund-amount"), &["SEK 50.00"]).await;
    see_all(c, &testid("refund-description"), &["Broken on arrival"]).await;
    see(c, "order-status", "shipping").await;

    // Release the last battery's authorization: said in money, confirmed.
    click(c, "action-release").await;
    see(
        c,
        "plain-question",
        "Release the remaining authorization of order SHOP-2001? No more captures will be \
         possible: SEK 50.00 remains uncaptured and is released to the customer. This cannot \
         be undone.",
    )
    .await;
    click(c, "dialog-submit").await;
    toast(c, "toast", "Remaining authorization released").await;
    see(c, "order-status", "completed").await;
    see(c, "order-provider-status", "CLOSED").await;
    see(c, "order-remaining-authorization", "SEK 0.00").await;
    disabled_because(
        c,
        "action-ship",
        "The remaining authorization was released: capture is not possible",
    )
    .await;
    disabled_because(
        c,
        "action-release",
        "The remaining authorization was released: release is not possible",
    )
    .await;

    // "Refresh from Klarna" asks Klarna again and notes it in the timeline; nothing changed.
    click(c, "refresh-order").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while !texts(c, &testid("event"))
        .await
        .iter()
        .any(|e| e.contains("Refreshed from Klarna"))
    {
        assert!(Instant::now() < deadline, "no refresh in the timeline");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    see(c, "order-captured", "SEK 110.00").await;

    // Klarna has the same: two captures with their shipping info, one refund, closed.
    let k = klarna.order(&id).await;
    assert_eq!(k["status"], "CLOSED", "{k}");
    assert_eq!(k["captured_amount"], 11000);
    assert_eq!(k["refunded_amount"], 5000);
    assert_eq!(k["remaining_authorized_amount"], 0);
    let captures = k["captures"].as_array().unwrap();
    assert_eq!(captures.len(), 2, "{k}");
    assert_eq!(captures[0]["captured_amount"], 6000);
    assert_eq!(captures[0]["description"], "First box");
    let first = &captures[0]["shipping_info"][0];
    assert_eq!(first["shipping_company"], "PostNord SE");
    assert_eq!(first["tracking_number"], "6345641567");
    assert_eq!(first["shipping_method"], "Home");
    assert_eq!(captures[1]["captured_amount"], 5000);
    let second = &captures[1]["shipping_info"][0];
    assert_eq!(second["shipping_company"], "DHL");
    assert_eq!(second["tracking_number"], "JJD000390007");
    assert_eq!(second["return_tracking_number"], "JJD000390008");
    let refunds = k["refunds"].as_array().unwrap();
    assert_eq!(refunds.len(), 1, "{k}");
    assert_eq!(refunds[0]["refunded_amount"], 5000);
    assert_eq!(refunds[0]["description"], "Broken on arrival");
    assert_eq!(refunds[0]["reference"], "RMA-7");
    // Each confirmed intent reached Klarna once.
    assert_eq!(
        requests(&running, "POST", &format!("/orders/{id}/captures")),
        [Some(201), Some(201)]
    );
    assert_eq!(
        requests(&running, "POST", &format!("/orders/{id}/refunds")),
        [Some(201)]
    );
    assert_eq!(
        requests(
            &running,
            "POST",
            &format!("/orders/{id}/release-remaining-authorization")
        ),
        [Some(204)]
    );
    c.clone().close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn extend_an_authorization_about_to_expire_then_cancel_the_order() {
    // 25 days after the order was placed (Klarna authorizes for 28): the sandbox's clock is
    // moved with its test control, the proxy's runs as far ahead from the start.
    const DAYS: i64 = 25;
    let running = kassa_with(|c| {
        c.sandbox_test_controls = true;
        c.clock_offset = time::Duration::days(DAYS);
    })
    .await;
    let url = running.url.clone();
    let klarna = Klarna::of(&running);
    let id = klarna.place("approved", "SHOP-3001").await;
    let placed = klarna.order(&id).await;
    let expires = placed["expires_at"].as_str().unwrap().to_owned();
    klarna
        .call(
            "POST",
            "/_sandbox/clock",
            Some(&json!({"seconds": DAYS * 86_400})),
        )
        .await;
    // Klarna's rule for an extension on that day: midnight UTC starting the 28th day after.
    let now = time::OffsetDateTime::now_utc().unix_timestamp() + DAYS * 86_400;
    let extended = expiry::klarna_timestamp(expiry::midnight_after(now, 28));
    let short = |t: &str| format!("{} {}", &t[..10], &t[11..16]);

    let b = browser().await;
    let c = &b.client;
    log_in(c, &url, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD).await;
    add_klarna_order(c, &url, &id).await;
    see(c, "order-status", "authorized").await;

    // The expiry radar: within 3 days, with what saves the money.
    c.goto(&format!("{url}/expiring?within=3")).await.unwrap();
    see_all(c, &testid("radar-number"), &["SHOP-3001"]).await;
    see(c, "radar-provider", "Klarna").await;
    see(c, "radar-uncaptured", "SEK 160.00").await;
    let shown = text_of(c, "radar-expires").await;
    assert!(shown.starts_with(&short(&expires)), "{shown}");
    see_all(
        c,
        &testid("radar-action"),
        &["Capture", "Extend authorization"],
    )
    .await;
    let extend = c
        .find_all(Locator::Css(&testid("radar-action")))
        .await
        .unwrap();
    extend[1].click().await.unwrap();
    wait_url(c, &format!("/orders/{id}")).await;

    // Extend: the dialog shows the new expiry before anything happens.
    enabled(c, "action-extend").await;
    click(c, "action-extend").await;
    see(c, "new-expiry", &short(&extended)).await;
    see(
        c,
        "plain-question",
        &format!(
            "Extend the authorization of order SHOP-3001? It will then expire on {} instead \
             of {}.",
            short(&extended),
            short(&expires)
        ),
    )
    .await;
    click(c, "dialog-submit").await;
    toast(c, "toast", "Authorization extended").await;
    disabled_because(
        c,
        "action-extend",
        "The authorization already runs as long as Klarna allows",
    )
    .await;
    let k = klarna.order(&id).await;
    assert_eq!(
        expiry::unix_seconds(k["expires_at"].as_str().unwrap()),
        expiry::unix_seconds(&extended),
        "{k}"
    );
    assert_eq!(
        requests(
            &running,
            "POST",
            &format!("/orders/{id}/extend-authorization-time")
        ),
        [Some(204)]
    );
    // No longer on the radar's 3 days.
    c.goto(&format!("{url}/expiring?within=3")).await.unwrap();
    c.wait()
        .for_element(Locator::Css(&testid("radar-empty")))
        .await
        .expect("nothing expires within 3 days now");

    // Then the customer cancels: the whole order, asked and confirmed.
    c.goto(&format!("{url}/orders/{id}")).await.unwrap();
    click(c, "action-cancel-order").await;
    click(c, "dialog-submit").await;
    let asked = text_of(c, "dialog-question").await;
    assert!(asked.contains("SHOP-3001"), "{asked}");
    click(c, "dialog-confirm").await;
    toast(c, "toast", "Order canceled").await;
    see(c, "order-status", "canceled").await;
    see(c, "order-provider-status", "CANCELLED").await;
    disabled_because(c, "action-ship", "The order is cancelled").await;
    let k = klarna.order(&id).await;
    assert_eq!(k["status"], "CANCELLED", "{k}");
    assert_eq!(
        requests(&running, "POST", &format!("/orders/{id}/cancel")),
        [Some(204)]
    );
    c.clone().close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn a_fraud_review_blocks_capture_until_klarna_accepts() {
    let running = klarna_kassa().await;
    let url = running.url.clone();
    let klarna = Klarna::of(&running);
    let id = klarna.place("pending", "SHOP-4001").await;
    let b = browser().await;
    let c = &b.client;
    log_in(c, &url, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD).await;
    add_klarna_order(c, &url, &id).await;

    see(c, "order-status", "pending").await;
    see(c, "order-fraud-status", "PENDING").await;
    let warning = text_of(c, "fraud-notice").await;
    assert!(
        warning.contains("do not ship anything until the review is accepted"),
        "{warning}"
    );
    disabled_because(
        c,
        "action-ship",
        "Fraud review pending: Klarna allows no capture until it is accepted",
    )
    .await;

    // Klarna accepts and notifies Kassa, which asks Klarna for the order; a reload shows it.
    let decided = klarna
        .call(
            "POST",
            &format!("/_sandbox/klarna/orders/{id}/fraud"),
            Some(&json!({"status": "ACCEPTED"})),
        )
        .await;
    assert_eq!(decided["event_type"], "FRAUD_RISK_ACCEPTED");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        c.refresh().await.unwrap();
        if text_of(c, "order-fraud-status").await == "ACCEPTED" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "Kassa did not hear of the decision"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    see(c, "order-status", "authorized").await;
    let events = texts(c, &testid("event")).await;
    for expected in [
        "Webhook received from Klarna",
        "Status changed from pending to authorized",
    ] {
        assert!(
            events.iter().any(|e| e.contains(expected)),
            "{expected}: {events:?}"
        );
    }
    assert!(c.find(Locator::Css(&testid("fraud-notice"))).await.is_err());

    // Now everything is captured at once.
    enabled(c, "action-ship").await;
    click(c, "action-ship").await;
    quantities(c, &["3", "1"]).await;
    click(c, "dialog-submit").await;
    toast(c, "toast", "Captured 4 items").await;
    see(c, "order-status", "completed").await;
    see(c, "order-provider-status", "CAPTURED").await;
    see(c, "order-captured", "SEK 160.00").await;
    disabled_because(
        c,
        "action-ship",
        "Everything has been captured: capture is not possible",
    )
    .await;
    let k = klarna.order(&id).await;
    assert_eq!(k["status"], "CAPTURED", "{k}");
    assert_eq!(k["fraud_status"], "ACCEPTED");
    assert_eq!(k["captures"].as_array().unwrap().len(), 1, "{k}");
    // The refused moment sent nothing: one capture request, answered 201.
    assert_eq!(
        requests(&running, "POST", &format!("/orders/{id}/captures")),
        [Some(201)]
    );
    c.clone().close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn a_viewer_reads_a_klarna_order_but_has_no_buttons() {
    let running = klarna_kassa().await;
    let url = running.url.clone();
    kassa_proxy::staff::create(
        running.state.db(),
        VIEWER,
        "Vic Viewer",
        Role::Viewer,
        VIEWER_PASSWORD,
    )
    .await
    .unwrap();
    let klarna = Klarna::of(&running);
    let id = klarna.place("approved", "SHOP-5001").await;
    let b = browser().await;
    let c = &b.client;

    // An operator adds it and captures the shipping with tracking.
    log_in(c, &url, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD).await;
    add_klarna_order(c, &url, &id).await;
    click(c, "action-ship").await;
    quantities(c, &["0", "1"]).await;
    fill(c, "tracking-carrier", "PostNord SE").await;
    fill(c, "tracking-code", "6345641567").await;
    click(c, "dialog-submit").await;
    toast(c, "toast", "Captured 1 item").await;
    click(c, "logout").await;
    wait_url(c, "/login").await;

    log_in(c, &url, VIEWER, VIEWER_PASSWORD).await;
    c.goto(&format!("{url}/")).await.unwrap();
    see_all(c, &testid("row-provider"), &["Klarna"]).await;
    assert!(
        c.find(Locator::Css(&testid("import-id"))).await.is_err(),
        "viewers add no orders"
    );
    c.goto(&format!("{url}/orders/{id}")).await.unwrap();
    see(c, "order-status", "shipping").await;
    see(c, "order-captured", "SEK 10.00").await;
    see_all(c, &testid("shipping-info"), &["PostNord SE 6345641567"]).await;
    let buttons = c
        .find_all(Locator::Css(
            r#"[data-testid^="action-"], [data-testid="refresh-order"],
               [data-testid="refund-amount-open"], [data-testid="edit-details"],
               [data-testid="edit-tracking"], [data-testid="edit-line"],
               [data-testid="new-payment-link"], section.order-actions,
               [data-testid="shipment"] button"#,
        ))
        .await
        .unwrap();
    assert!(
        buttons.is_empty(),
        "a viewer sees {} buttons",
        buttons.len()
    );

    // The radar lists the order for viewers too, to open, not to act on.
    c.goto(&format!("{url}/expiring?within=30")).await.unwrap();
    see_all(c, &testid("radar-number"), &["SHOP-5001"]).await;
    see(c, "radar-uncaptured", "SEK 150.00").await;
    see(c, "radar-open", "Open order").await;
    assert!(c.find(Locator::Css(&testid("radar-action"))).await.is_err());
    c.clone().close().await.unwrap();
}
