//! Issue #4's flows in Chromium against the real proxy and embedded sandbox: ship an
//! authorized order in two shipments until it completes, refund part of a paid order, and a
//! viewer who sees no action buttons.
//!
//! Needs the built app and chromedriver, like `first_order.rs`; run with `cargo xtask test`.
use std::time::{Duration, Instant};

use crate::common::*;
use fantoccini::{Client, Locator};
use kassa_model::api::Role;
use kassa_proxy::config::{TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD};

/// Creates an order of three lines with the form, pays it at the sandbox's checkout with
/// `outcome`, and lands on its order page. Returns the order id.
async fn order_paid_with(c: &Client, url: &str, method: &str, outcome: &str) -> String {
    order_to_checkout(c, url, method).await;
    click(c, &format!("outcome-{outcome}")).await;
    click(c, "checkout-submit").await;
    wait_url(c, "/return/").await;
    // Authorized or paid, the customer reads the same: thank you, it is paid for.
    wait_outcome(c, "paid").await;
    let id = returned_order_id(c).await;
    c.goto(&format!("{url}/orders/{id}")).await.unwrap();
    wait_text(c, &testid("order-status"), outcome).await;
    id
}

/// Fills the new-order form (three lines, `method` preselected), submits it and waits at the
/// sandbox's checkout page.
async fn order_to_checkout(c: &Client, url: &str, method: &str) {
    c.goto(&format!("{url}/orders/new")).await.unwrap();
    for (id, value) in [
        ("billing-givenName", "Piet"),
        ("billing-familyName", "Mondriaan"),
        ("billing-email", "piet@mondriaan.com"),
        ("billing-streetAndNumber", "Keizersgracht 126"),
        ("billing-postalCode", "1234AB"),
        ("billing-city", "Amsterdam"),
    ] {
        fill(c, id, value).await;
    }
    choose(c, "billing-country", "NL").await;
    let lines = [
        ("Bugatti", "2", "399.00"),
        ("Porsche", "1", "329.99"),
        ("Tyres", "3", "50.00"),
    ];
    for (i, (name, qty, price)) in lines.iter().enumerate() {
        if i > 0 {
            click(c, "add-line").await;
        }
        fill(c, &format!("line-{i}-name"), name).await;
        fill(c, &format!("line-{i}-quantity"), qty).await;
        fill(c, &format!("line-{i}-unitPrice"), price).await;
        fill(c, &format!("line-{i}-vatRate"), "21").await;
    }
    let select = c
        .wait()
        .for_element(Locator::Css(&testid("method")))
        .await
        .unwrap();
    select.select_by_value(method).await.unwrap();
    click(c, "submit-order").await;
    wait_url(c, "/sandbox/checkout/").await;
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

/// Submits the dialog, confirming when asked, and waits for the toast.
async fn submit_dialog(c: &Client) {
    click(c, "dialog-submit").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    if let Ok(confirm) = c.find(Locator::Css(&testid("dialog-confirm"))).await {
        confirm.click().await.unwrap();
    }
    c.wait()
        .for_element(Locator::Css(&testid("toast")))
        .await
        .expect("a result toast");
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn ship_in_two_parts_then_refund_a_paid_order_partially() {
    let running = kassa().await;
    let url = running.url.clone();
    let b = browser().await;
    let c = &b.client;
    log_in(c, &url, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD).await;

    // An authorized (Klarna) order: ship two of three lines with tracking, then the rest.
    order_paid_with(c, &url, "klarnapaylater", "authorized").await;
    click(c, "action-ship").await;
    quantities(c, &["2", "1", "0"]).await;
    fill(c, "tracking-carrier", "PostNL").await;
    fill(c, "tracking-code", "3SKABA000000000").await;
    submit_dialog(c).await;
    wait_text(c, &testid("order-status"), "shipping").await;
    let row = r#"[data-testid="order-line"]"#;
    assert_eq!(
        texts(c, &format!("{row} [data-testid=\"line-shipped\"]")).await,
        ["2", "1", "0"]
    );

    // Only what is left to ship is offered: the three tyres.
    click(c, "action-ship").await;
    quantities(c, &["3"]).await;
    submit_dialog(c).await;
    wait_text(c, &testid("order-status"), "completed").await;
    assert_eq!(
        texts(c, &format!("{row} [data-testid=\"line-shipped\"]")).await,
        ["2", "1", "3"]
    );
    // "Refresh from Mollie" asks the provider again and notes it in the timeline.
    click(c, "refresh-order").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while !texts(c, &testid("event"))
        .await
        .iter()
        .any(|e| e.contains("Refreshed from Mollie"))
    {
        assert!(Instant::now() < deadline, "no refresh in the timeline");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Everything captured: the payment reads paid, not authorized, on a completed order.
    wait_text(c, &testid("payment-status"), "paid").await;

    // A paid (iDEAL) order: refund one of the three tyres.
    order_paid_with(c, &url, "ideal", "paid").await;
    click(c, "action-refund").await;
    quantities(c, &["0", "0", "1"]).await;
    submit_dialog(c).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let refunded = texts(c, &format!("{row} [data-testid=\"line-refunded\"]")).await;
        if refunded == ["0", "0", "1"] {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "refunded quantities: {refunded:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_text(c, &testid("order-status"), "paid").await;

    // And an amount that is no line (shipping costs): described, confirmed, refunded once.
    // "Refund an amount" lives in the Refunds card.
    c.find(Locator::Css(
        r#"[data-testid="refunds"] [data-testid="refund-amount-open"]"#,
    ))
    .await
    .expect("Refund an amount in the Refunds card")
    .click()
    .await
    .unwrap();
    fill(c, "refund-amount-input", "4.95").await;
    fill(c, "refund-description-input", "Shipping costs").await;
    wait_text(c, &testid("dialog-submit"), "Refund €4.95").await;
    click(c, "dialog-submit").await;
    // Asked like a refund of lines: the question, then "Yes, refund €4.95".
    wait_text(
        c,
        &testid("dialog-question"),
        "Refund €4.95 to the customer? This cannot be undone.",
    )
    .await;
    wait_text(c, &testid("dialog-confirm"), "Yes, refund €4.95").await;
    click(c, "dialog-confirm").await;
    // One success message at a time: "Refund made" replaces "Refunded 1 item".
    wait_text(c, &testid("toast"), "Refund made").await;
    assert_eq!(texts(c, ".toast").await, ["Refund made"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let descriptions = texts(c, &testid("refund-description")).await;
        if descriptions.iter().any(|d| d == "Shipping costs") {
            break;
        }
        assert!(Instant::now() < deadline, "refunds: {descriptions:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // One tyre (50.00) and the shipping costs.
    wait_text(c, &testid("order-refunded"), "€54.95").await;

    // Logging out from the order page takes it down cleanly: no error in the page (a panic
    // in the wasm surfaces as an uncaught error).
    c.execute(
        "window.kassaErrors = [];
         const keep = e => window.kassaErrors.push(String(e.message || e.reason));
         window.addEventListener('error', keep);
         window.addEventListener('unhandledrejection', keep);",
        vec![],
    )
    .await
    .unwrap();
    click(c, "logout").await;
    c.wait()
        .for_element(Locator::Css(&testid("login-email")))
        .await
        .expect("the login page after logging out");
    let errors = c
        .execute("return window.kassaErrors", vec![])
        .await
        .unwrap();
    assert_eq!(errors, serde_json::json!([]), "errors in the page");
    c.clone().close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn a_viewer_sees_orders_but_no_action_buttons() {
    let running = kassa().await;
    let url = running.url.clone();
    kassa_proxy::staff::create(
        running.state.db(),
        "vic@shop.test",
        "Vic Viewer",
        Role::Viewer,
        "a long enough password",
    )
    .await
    .unwrap();
    let b = browser().await;
    let c = &b.client;
    log_in(c, &url, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD).await;
    let id = order_paid_with(c, &url, "ideal", "paid").await;
    c.wait()
        .for_element(Locator::Css(&testid("action-refund")))
        .await
        .expect("operators see actions");
    click(c, "logout").await;
    wait_url(c, "/login").await;

    log_in(c, &url, "vic@shop.test", "a long enough password").await;
    c.goto(&format!("{url}/")).await.unwrap();
    c.wait()
        .for_element(Locator::Css(&testid("order-row")))
        .await
        .expect("the list shows the order");
    c.goto(&format!("{url}/orders/{id}")).await.unwrap();
    wait_text(c, &testid("order-status"), "paid").await;
    for action in [
        "action-ship",
        "action-refund",
        "action-cancel-lines",
        "action-cancel-order",
        "refresh-order",
    ] {
        assert!(
            c.find(Locator::Css(&testid(action))).await.is_err(),
            "a viewer sees no {action}"
        );
    }
    c.clone().close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn a_shopper_pays_a_storefront_order_priced_by_the_proxy() {
    let running = kassa().await;
    let url = running.url.clone();
    let b = browser().await;
    let c = &b.client;
    // No login: the storefront is public.
    c.goto(&format!("{url}/shop")).await.unwrap();
    fill(c, "shop-qty-KASSA-MUG", "2").await;
    fill(c, "shop-qty-KASSA-BOOK", "1").await;
    wait_text(c, &testid("shop-total"), "€54.40").await;
    for (id, value) in [
        ("billing-givenName", "Sanne"),
        ("billing-familyName", "Visser"),
        ("billing-email", "sanne@example.nl"),
        ("billing-streetAndNumber", "Damrak 1"),
        ("billing-postalCode", "1012LG"),
        ("billing-city", "Amsterdam"),
    ] {
        fill(c, id, value).await;
    }
    choose(c, "billing-country", "NL").await;
    click(c, "shop-pay").await;
    wait_url(c, "/sandbox/checkout/").await;
    wait_text(c, &testid("checkout-amount"), "€54.40").await;
    click(c, "outcome-paid").await;
    click(c, "checkout-submit").await;
    wait_url(c, "/return/").await;
    wait_outcome(c, "paid").await;
    wait_text(c, &testid("return-total"), "€54.40").await;
    c.clone().close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn a_customer_whose_payment_failed_is_told_so_and_tries_again() {
    let running = kassa().await;
    let b = browser().await;
    let c = &b.client;
    log_in(c, &running.url, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD).await;
    order_to_checkout(c, &running.url, "ideal").await;
    click(c, "outcome-failed").await;
    click(c, "checkout-submit").await;

    // The return page says the payment failed (not "confirming"), and offers another try,
    // in the order's language (the form's default, nl_NL).
    wait_url(c, "/return/").await;
    wait_text(c, &testid("return-heading"), "Je betaling is niet gelukt").await;
    // Said in words, not as the order's raw `created`.
    wait_outcome(c, "failed").await;
    click(c, "retry-payment").await;
    wait_url(c, "/sandbox/checkout/").await;
    click(c, "outcome-paid").await;
    click(c, "checkout-submit").await;
    wait_url(c, "/return/").await;
    wait_text(c, &testid("return-heading"), "Bedankt voor je bestelling!").await;
    wait_outcome(c, "paid").await;
    c.clone().close().await.unwrap();
}
