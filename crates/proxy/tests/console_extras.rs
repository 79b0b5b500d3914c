//! Issue 13's "also expected of an order console", through the proxy's router against the
//! real sandbox: internal notes on an order, the orders list as CSV, saved views.
use crate::common::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::{json, Value};

/// An order created by staff, with `number` and a customer called `given`.
async fn order(w: &World, number: &str, given: &str) -> String {
    let body = json!({
        "currency": "EUR", "locale": "nl_NL", "order_number": number,
        "billing_address": {"givenName": given, "familyName": "Jansen", "email": "piet@example.com",
            "streetAndNumber": "Keizersgracht 126", "postalCode": "1015 CW", "city": "Amsterdam",
            "country": "NL"},
        "lines": [{"name": "Regenjas", "quantity": 2, "unit_price": 8900, "vat_rate": "21.00"}]
    });
    let (status, created, text) =
        call_as(&w.app, authed(post_json("/api/orders", &body), &w.auth)).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    created["order"]["id"].as_str().unwrap().to_owned()
}

async fn note(w: &World, auth: &(String, String), id: &str, text: &str) -> (StatusCode, Value) {
    let req = authed(
        post_json(&format!("/api/orders/{id}/notes"), &json!({ "text": text })),
        auth,
    );
    let (status, body, _) = call_as(&w.app, req).await;
    (status, body)
}

#[tokio::test]
async fn a_note_lands_in_the_timeline_with_its_author_and_never_reaches_the_customer() {
    let w = world().await;
    let id = order(&w, "N-1", "Piet").await;
    let (status, view) = note(
        &w,
        &w.auth,
        &id,
        "  Customer called: ship after the 12th.  ",
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{view}");
    let last = view["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "note");
    assert_eq!(
        last["detail"],
        format!("{OPERATOR}: Customer called: ship after the 12th.")
    );

    // Empty and overlong notes change nothing; viewers read but do not write.
    let (status, err) = note(&w, &w.auth, &id, "   ").await;
    assert_eq!(
        (status, err["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("text"))
    );
    let (status, _) = note(&w, &w.auth, &id, &"x".repeat(2001)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let viewer = login(&w.app, VIEWER).await;
    let (status, _) = note(&w, &viewer, &id, "hello").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, view, _) = call_as(&w.app, authed(get(&format!("/api/orders/{id}")), &w.auth)).await;
    let notes = view["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "note")
        .count();
    assert_eq!(notes, 1);
    // No note for an order Kassa does not have.
    let (status, _) = note(&w, &w.auth, "ord_doesnotexist", "hello").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_csv_export_holds_every_order_the_filters_match_and_defuses_formulas() {
    let w = world().await;
    order(&w, "CSV-1", "Piet").await;
    order(&w, "CSV-2", "=HYPERLINK(\"http://evil\")").await;
    order(&w, "OTHER-3", "Anna").await;
    let resp = send(
        &w.app,
        authed(get("/api/orders/export?q=csv&sort=oldest"), &w.auth),
    )
    .await;
    // `send` parses JSON; the CSV itself is read from a second call as text.
    assert_eq!(resp.0, StatusCode::OK);
    assert!(resp.2[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(resp.2[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"kassa-orders-"));
    let (_, _, text) = call_as(
        &w.app,
        authed(get("/api/orders/export?q=csv&sort=oldest"), &w.auth),
    )
    .await;
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 3, "{text}");
    assert!(rows[0].starts_with("order_number,id,provider,status,payment,fulfilment,created_at,"));
    // Orders made in the same second may come in either order.
    let row = |number: &str| {
        *rows
            .iter()
            .find(|r| r.starts_with(&format!("{number},ord_")))
            .unwrap_or_else(|| panic!("no {number} in {text}"))
    };
    assert!(
        row("CSV-1").contains(",Mollie,created,Awaiting payment,Unfulfilled,"),
        "{text}"
    );
    // The list itself says the same, apart.
    let (_, page, _) = call_as(&w.app, authed(get("/api/orders?q=CSV-1"), &w.auth)).await;
    assert_eq!(page["orders"][0]["payment_state"], "awaiting_payment");
    assert_eq!(page["orders"][0]["fulfilment_state"], "unfulfilled");
    assert!(row("CSV-1").contains(",EUR,178.00,17800,nl_NL,"), "{text}");
    // The customer's name is text in a spreadsheet, not a formula.
    assert!(
        row("CSV-2").contains(r#","'=HYPERLINK(""http://evil"") Jansen","#),
        "{text}"
    );

    // Bad filters are the list's errors; staff only.
    let (status, err, _) = call_as(
        &w.app,
        authed(get("/api/orders/export?from=yesterday"), &w.auth),
    )
    .await;
    assert_eq!(
        (status, err["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("from"))
    );
    let (status, _, _) = call_as(&w.app, get("/api/orders/export")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

fn delete(uri: &str) -> Request<Body> {
    Request::delete(uri).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn saved_views_are_each_staff_members_own_and_checked_like_the_list() {
    let w = world().await;
    let save = |auth: &(String, String), body: Value| {
        call_as(&w.app, authed(post_json("/api/views", &body), auth))
    };
    let (status, view, text) = save(
        &w.auth,
        json!({"name": " Klarna, authorized ", "filter": {"status": "authorized", "provider": "klarna", "cursor": "x", "limit": 5}}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    assert_eq!(view["name"], "Klarna, authorized");
    // Only the filters are kept, not where the list was paged to.
    assert_eq!(
        view["filter"],
        json!({"status": "authorized", "provider": "klarna"})
    );
    // The same name again replaces it.
    let (status, again, _) = save(
        &w.auth,
        json!({"name": "Klarna, authorized", "filter": {"status": "shipping", "provider": "klarna"}}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(again["id"], view["id"]);
    let (_, mine, _) = call_as(&w.app, authed(get("/api/views"), &w.auth)).await;
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(mine[0]["filter"]["status"], "shipping");

    // Filters the list would refuse are refused here, and nothing is saved.
    let (status, err, _) = save(
        &w.auth,
        json!({"name": "Cheap", "filter": {"min_minor": 100}}),
    )
    .await;
    assert_eq!(
        (status, err["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("currency"))
    );
    let (status, err, _) = save(&w.auth, json!({"name": "  ", "filter": {}})).await;
    assert_eq!(
        (status, err["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("name"))
    );

    // A viewer keeps views too, sees only their own, and cannot delete the operator's.
    let viewer = login(&w.app, VIEWER).await;
    let (status, _, text) = save(&viewer, json!({"name": "Mine", "filter": {"q": "piet"}})).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let (_, theirs, _) = call_as(&w.app, authed(get("/api/views"), &viewer)).await;
    assert_eq!(theirs.as_array().unwrap().len(), 1, "{theirs}");
    assert_eq!(theirs[0]["name"], "Mine");
    let id = view["id"].as_i64().unwrap();
    let (status, _, _) =
        call_as(&w.app, authed(delete(&format!("/api/views/{id}")), &viewer)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) =
        call_as(&w.app, authed(delete(&format!("/api/views/{id}")), &w.auth)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, mine, _) = call_as(&w.app, authed(get("/api/views"), &w.auth)).await;
    assert_eq!(mine, json!([]));
    let (status, _, _) = call_as(&w.app, authed(delete("/api/views/nope"), &w.auth)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // No views without a session; no saving without the CSRF token.
    let (status, _, _) = call_as(&w.app, get("/api/views")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let mut req = authed(
        post_json("/api/views", &json!({"name": "x", "filter": {}})),
        &w.auth,
    );
    req.headers_mut().remove("x-csrf-token");
    let (status, _, _) = call_as(&w.app, req).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_failed_payment_attempt_is_in_the_timeline_once() {
    let w = world().await;
    let body = json!({
        "currency": "EUR", "locale": "nl_NL", "order_number": "FAIL-1", "method": "ideal",
        "billing_address": {"givenName": "Piet", "familyName": "Jansen", "email": "piet@example.com",
            "streetAndNumber": "Keizersgracht 126", "postalCode": "1015 CW", "city": "Amsterdam",
            "country": "NL"},
        "lines": [{"name": "Regenjas", "quantity": 1, "unit_price": 8900, "vat_rate": "21.00"}]
    });
    let (_, created, _) = call_as(&w.app, authed(post_json("/api/orders", &body), &w.auth)).await;
    let id = created["order"]["id"].as_str().unwrap().to_owned();
    pay(created["checkout_url"].as_str().unwrap(), "failed").await;
    // The webhook, twice (Mollie repeats them).
    for _ in 0..2 {
        let (status, _, _) = call_as(&w.app, webhook(&id)).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (_, view, _) = call_as(&w.app, authed(get(&format!("/api/orders/{id}")), &w.auth)).await;
    let failed: Vec<&str> = view["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "payment")
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert_eq!(failed.len(), 1, "{view}");
    assert!(failed[0].starts_with("Payment tr_"), "{failed:?}");
    assert!(failed[0].ends_with(" (ideal) failed"), "{failed:?}");
}
