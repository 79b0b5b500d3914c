//! Issue #2's flow in a real browser: a merchant creates an order in the app, pays it on the
//! sandbox's hosted checkout, comes back, and sees the order — all against the real proxy with
//! the embedded sandbox on free loopback ports.
//!
//! Needs the built app (`KASSA_E2E_DIST`, default `dist/` at the workspace root) and
//! chromedriver (`CHROMEDRIVER`, default on `PATH`). Run with `cargo xtask test`.
use crate::common::*;
use fantoccini::Locator;
use kassa_model::api::Role;
use kassa_proxy::config::{TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD};

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn create_pay_and_see_the_order() {
    let running = kassa().await;
    let sandbox = running.sandbox.clone().expect("embedded sandbox");
    let b = browser().await;
    let c = &b.client;

    // 0. Staff pages need a login: the app sends us there and back.
    c.goto(&format!("{}/orders/new", running.url))
        .await
        .unwrap();
    log_in_here(c, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD).await;

    // 1. New order with two lines; the totals are live.
    choose(c, "currency", "EUR").await;
    choose(c, "locale", "en_US").await;
    fill(c, "order-number", "1337").await;
    fill(c, "billing-givenName", "Piet").await;
    fill(c, "billing-familyName", "Mondriaan").await;
    fill(c, "billing-email", "piet@mondriaan.com").await;
    fill(c, "billing-streetAndNumber", "Keizersgracht 126").await;
    fill(c, "billing-postalCode", "1234AB").await;
    fill(c, "billing-city", "Amsterdam").await;
    choose(c, "billing-country", "NL").await;
    fill(c, "line-0-name", "LEGO 42083 Bugatti Chiron").await;
    fill(c, "line-0-quantity", "2").await;
    fill(c, "line-0-unitPrice", "399.00").await;
    fill(c, "line-0-discount", "100").await;
    fill(c, "line-0-vatRate", "21").await;
    wait_text(c, &testid("line-0-total"), "€698.00").await;
    wait_text(c, &testid("line-0-vat"), "€121.14").await;
    click(c, "add-line").await;
    fill(c, "line-1-name", "LEGO 42056 Porsche 911 GT3 RS").await;
    fill(c, "line-1-quantity", "1").await;
    fill(c, "line-1-unitPrice", "329.99").await;
    fill(c, "line-1-vatRate", "21").await;
    wait_text(c, &testid("order-total"), "€1,027.99").await;

    // Invalid input names the field and sends nothing.
    fill(c, "line-1-unitPrice", "329.999").await;
    click(c, "submit-order").await;
    let error = c
        .wait()
        .for_element(Locator::Css(
            r#"[data-testid="field-error"][data-field="lines.1.unitPrice"]"#,
        ))
        .await
        .expect("the failing field is marked");
    assert!(!error.text().await.unwrap().trim().is_empty());
    assert_eq!(sandbox.order_count(), 0, "nothing was sent");
    fill(c, "line-1-unitPrice", "329.99").await;

    // 2. Submit: the app sends us to the provider's hosted checkout.
    click(c, "submit-order").await;
    wait_url(c, "/sandbox/checkout/").await;
    assert_eq!(sandbox.order_count(), 1);
    wait_text(c, &testid("checkout-amount"), "€1,027.99").await;

    // 3. Authorize the payment there.
    click(c, "outcome-authorized").await;
    choose(c, "checkout-method", "klarnapaylater").await;
    click(c, "checkout-submit").await;

    // 4. Back on Kassa's return page, which shows the authorized order in the customer's
    // words (the order is en_US): what they ordered and the total, no internal statuses.
    wait_url(c, &format!("{}/return/", running.url)).await;
    wait_outcome(c, "paid").await;
    wait_text(c, &testid("return-heading"), "Thank you for your order!").await;
    wait_text(c, &testid("return-total"), "€1,027.99").await;
    wait_text(c, &testid("return-order"), "Order 1337").await;
    assert_eq!(
        texts(c, &testid("return-line-name")).await,
        ["LEGO 42083 Bugatti Chiron", "LEGO 42056 Porsche 911 GT3 RS"]
    );
    assert_eq!(texts(c, &testid("return-line-quantity")).await, ["2", "1"]);
    assert_eq!(
        texts(c, &testid("return-line-price")).await,
        ["€698.00", "€329.99"]
    );
    assert!(c.find(Locator::Css(&testid("order-status"))).await.is_err());
    assert!(c.find(Locator::Css(&testid("line-shipped"))).await.is_err());
    let deliveries = sandbox.deliveries();
    assert_eq!(deliveries.len(), 1, "one webhook for the authorization");
    assert!(
        deliveries[0].succeeded(),
        "the proxy accepted the webhook: {deliveries:?}"
    );

    // The customer reads the order without the merchant's money columns or the order id, and
    // is promised no email (Kassa sends none).
    assert!(c.find(Locator::Css(&testid("order-id"))).await.is_err());
    wait_text(
        c,
        &testid("return-note"),
        "Your payment is authorized: you are charged when your order ships.",
    )
    .await;

    // 5. The order page shows the same at any later time, also when opened directly (the
    // return page links it for the shop's staff).
    let id = returned_order_id(c).await;
    assert!(id.starts_with("ord_"), "{id}");
    c.goto(&format!("{}/orders/{id}", running.url))
        .await
        .unwrap();
    wait_text(c, &testid("order-status"), "authorized").await;
    wait_text(c, &testid("order-amount"), "€1,027.99").await;
    let row = r#"[data-testid="order-line"]"#;
    assert_eq!(
        texts(c, &format!("{row} [data-testid=\"line-quantity\"]")).await,
        ["2", "1"]
    );
    assert!(
        !texts(c, &testid("event")).await.is_empty(),
        "the timeline shows the webhook"
    );

    c.clone().close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn a_viewer_reads_but_cannot_create() {
    let running = kassa().await;
    let viewer = "vic@shop.test";
    let password = "a long enough password";
    kassa_proxy::staff::create(
        running.state.db(),
        viewer,
        "Vic Viewer",
        Role::Viewer,
        password,
    )
    .await
    .expect("viewer account");
    let b = browser().await;
    let c = &b.client;

    // A wrong password: the page says so and lets nobody in.
    c.goto(&format!("{}/orders/new", running.url))
        .await
        .unwrap();
    wait_url(c, "/login").await;
    fill(c, "login-email", viewer).await;
    fill(c, "login-password", "not the password").await;
    click(c, "login-submit").await;
    let error = c
        .wait()
        .for_element(Locator::Css(&testid("login-error")))
        .await
        .expect("error shown");
    assert!(!error.text().await.unwrap().trim().is_empty());

    // The right one: back to the page asked for, which a viewer may not use.
    fill(c, "login-password", password).await;
    click(c, "login-submit").await;
    wait_text(c, &testid("staff-name"), "Vic Viewer").await;
    wait_url(c, "/orders/new").await;
    c.wait()
        .for_element(Locator::Css(&testid("viewer-notice")))
        .await
        .expect("viewers are told why there is no form");
    assert!(c.find(Locator::Css(&testid("submit-order"))).await.is_err());
    assert!(
        c.find(Locator::LinkText("New order")).await.is_err(),
        "no New order link for viewers"
    );

    // Logging out returns to the login page; the session is gone.
    click(c, "logout").await;
    wait_url(c, "/login").await;
    c.goto(&format!("{}/orders/new", running.url))
        .await
        .unwrap();
    wait_url(c, "/login").await;
    c.clone().close().await.unwrap();
}
