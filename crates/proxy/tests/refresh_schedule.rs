//! Each order's own refresh schedule (issue 13): an order whose customer never came back, and
//! whose webhook never arrives, is refreshed soon after creation and then on a backoff,
//! without anyone asking. One pass of the proxy's loop is run directly at a time the test
//! picks (`refresh_due_orders`), never by waiting.
use crate::common::*;
use axum::http::StatusCode;
use kassa_proxy::refresh_due_orders;
use serde_json::{json, Value};

fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

async fn status(w: &World, id: &str) -> Value {
    let (_, view, _) = call_as(&w.app, authed(get(&format!("/api/orders/{id}")), &w.auth)).await;
    view["status"].clone()
}

async fn details(w: &World, id: &str) -> Vec<String> {
    let (_, view, _) = call_as(&w.app, authed(get(&format!("/api/orders/{id}")), &w.auth)).await;
    view["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["detail"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn an_order_that_went_pending_and_expired_without_a_webhook_is_refreshed_on_its_schedule() {
    let w = world().await;
    let before = now_unix();
    let order = json!({
        "currency": "EUR", "locale": "nl_NL", "method": "klarnapaylater",
        "billing_address": {"givenName": "Piet", "familyName": "Mondriaan", "email": "piet@mondriaan.com",
            "streetAndNumber": "Keizersgracht 126", "postalCode": "1234AB", "city": "Amsterdam", "country": "NL"},
        "lines": [{"name": "Regenjas", "quantity": 2, "unit_price": 4450, "vat_rate": "21"}]
    });
    let (code, created, text) =
        call_as(&w.app, authed(post_json("/api/orders", &order), &w.auth)).await;
    assert_eq!(code, StatusCode::CREATED, "{text}");
    let created_by = now_unix();
    let id = created["order"]["id"].as_str().unwrap().to_owned();
    // The customer starts paying and leaves; the webhook cannot reach this proxy.
    pay(created["checkout_url"].as_str().unwrap(), "pending").await;
    assert_eq!(status(&w, &id).await, "created");

    // Not due within its first minute; due after it, and taken by one of two passes at once
    // (two proxies on one database).
    assert_eq!(
        refresh_due_orders(&w.state, before + 59, 50).await.unwrap(),
        0
    );
    let t = created_by + 60;
    let (a, b) = tokio::join!(
        refresh_due_orders(&w.state, t, 50),
        refresh_due_orders(&w.state, t, 50)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1, "one refresh of one order");
    assert_eq!(status(&w, &id).await, "pending");
    assert!(details(&w, &id)
        .await
        .contains(&"Status changed from created to pending".to_owned()));

    // Its status changed, so the backoff starts again: due after 1 minute, then 2.
    assert_eq!(refresh_due_orders(&w.state, t + 59, 50).await.unwrap(), 0);
    assert_eq!(refresh_due_orders(&w.state, t + 60, 50).await.unwrap(), 1);
    let t = t + 60;
    assert_eq!(refresh_due_orders(&w.state, t + 119, 50).await.unwrap(), 0);
    assert_eq!(refresh_due_orders(&w.state, t + 120, 50).await.unwrap(), 1);
    let t = t + 120;

    // The customer never pays: after 28 days Mollie expires the order. The next due pass
    // sees it, and a final order is never due again.
    w.sandbox.advance_clock(time::Duration::days(29)).unwrap();
    assert_eq!(refresh_due_orders(&w.state, t + 300, 50).await.unwrap(), 1);
    assert_eq!(status(&w, &id).await, "expired");
    assert_eq!(
        refresh_due_orders(&w.state, t + 365 * 86_400, 50)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn a_pass_refreshes_a_bounded_batch() {
    let w = world().await;
    let order = |number: &str| {
        json!({
            "currency": "EUR", "locale": "nl_NL", "order_number": number,
            "billing_address": {"givenName": "Piet", "familyName": "Mondriaan", "email": "piet@mondriaan.com",
                "streetAndNumber": "Keizersgracht 126", "postalCode": "1234AB", "city": "Amsterdam", "country": "NL"},
            "lines": [{"name": "Regenjas", "quantity": 1, "unit_price": 4450, "vat_rate": "21"}]
        })
    };
    for n in ["A-1", "A-2", "A-3"] {
        let (code, _, text) =
            call_as(&w.app, authed(post_json("/api/orders", &order(n)), &w.auth)).await;
        assert_eq!(code, StatusCode::CREATED, "{text}");
    }
    let later = now_unix() + 60;
    assert_eq!(refresh_due_orders(&w.state, later, 2).await.unwrap(), 2);
    assert_eq!(refresh_due_orders(&w.state, later, 2).await.unwrap(), 1);
    assert_eq!(refresh_due_orders(&w.state, later, 2).await.unwrap(), 0);
}
