//! Klarna Order Management in the sandbox: every transition of the order's state machine and
//! every guard of reference §5.1, with Klarna's status codes, error codes and messages.
use crate::common::klarna::*;
use crate::common::*;
use axum::http::{header, StatusCode};
use kassa_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};

fn sandbox() -> (Sandbox, axum::Router) {
    let sandbox = Sandbox::new(SandboxConfig::default());
    let app = sandbox.router();
    (sandbox, app)
}

fn om(id: &str, rest: &str) -> String {
    format!("/ordermanagement/v1/orders/{id}{rest}")
}

fn shipping_line() -> Value {
    cart()["order_lines"][1].clone()
}

#[tokio::test]
async fn capture_as_you_ship_until_everything_is_captured() {
    let (_, app) = sandbox();
    let id = order(&app).await;

    let first = call(
        &app,
        "POST",
        &om(&id, "/captures"),
        Some(&json!({
            "captured_amount": 5000, "description": "First box", "reference": "SHIP-1",
            "order_lines": [battery_line(1)],
            "shipping_info": [{"shipping_company": "PostNord", "shipping_method": "Home",
                               "tracking_number": "63456415674545679874",
                               "tracking_uri": "https://postnord.example/t/63456415674545679874"}]
        })),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert!(first.text.is_empty(), "no body");
    let capture_id = first.headers["capture-id"].to_str().unwrap().to_owned();
    let location = first.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert_eq!(
        location,
        format!(
            "http://sandbox.test{}",
            om(&id, &format!("/captures/{capture_id}"))
        )
    );
    let o = get_order(&app, &id).await;
    assert_eq!(o["status"], "PART_CAPTURED");
    assert_eq!(o["captured_amount"], 5000);
    assert_eq!(o["remaining_authorized_amount"], 6000);
    let reference = o["klarna_reference"].as_str().unwrap();
    let c = &o["captures"][0];
    assert_eq!(c["klarna_reference"], format!("{reference}-1").as_str());
    assert_eq!(c["shipping_info"][0]["shipping_company"], "PostNord");
    assert_eq!(c["billing_address"]["city"], "Ankeborg", "a snapshot");

    // More than is left: Klarna's own message.
    let r = capture(&app, &id, 6001, json!([])).await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "CAPTURE_NOT_ALLOWED",
        "Captured amount is higher than the remaining authorized amount. Capture not possible.",
    );
    // Lines must add up to the amount.
    let r = capture(&app, &id, 6000, json!([battery_line(1)])).await;
    assert_klarna_error(
        &r,
        StatusCode::BAD_REQUEST,
        "BAD_VALUE",
        "Bad value: captured_amount",
    );

    let r = capture(&app, &id, 6000, json!([battery_line(1), shipping_line()])).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let o = get_order(&app, &id).await;
    assert_eq!(o["status"], "CAPTURED");
    assert_eq!(o["remaining_authorized_amount"], 0);
    assert_eq!(
        o["captures"][1]["klarna_reference"],
        format!("{reference}-2").as_str()
    );
    let r = capture(&app, &id, 1, json!([])).await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "CAPTURE_NOT_ALLOWED",
        "Order is fully captured. Capture not possible.",
    );

    // The captures: a bare array, and one by its Location.
    let list = call(&app, "GET", &om(&id, "/captures"), None).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json.as_array().map(Vec::len), Some(2));
    let path = location.strip_prefix("http://sandbox.test").unwrap();
    let one = call(&app, "GET", path, None).await;
    assert_eq!(one.json["capture_id"], capture_id.as_str());
    assert_eq!(one.json["captured_amount"], 5000);
}

#[tokio::test]
async fn unknown_orders_captures_and_refunds_are_klarnas_404s() {
    let (_, app) = sandbox();
    let r = call(&app, "GET", &om("nope", ""), None).await;
    assert_klarna_error(
        &r,
        StatusCode::NOT_FOUND,
        "NO_SUCH_ORDER",
        "Order nope cannot be found",
    );
    let r = capture(&app, "nope", 100, json!([])).await;
    assert_klarna_error(
        &r,
        StatusCode::NOT_FOUND,
        "NO_SUCH_ORDER",
        "Capture not possible.",
    );
    let r = call(
        &app,
        "POST",
        &om("nope", "/refunds"),
        Some(&json!({"refunded_amount": 1})),
    )
    .await;
    assert_klarna_error(&r, StatusCode::NOT_FOUND, "NOT_FOUND", "cannot be found");

    let id = order(&app).await;
    let r = call(&app, "GET", &om(&id, "/captures/nope"), None).await;
    assert_klarna_error(
        &r,
        StatusCode::NOT_FOUND,
        "NO_SUCH_CAPTURE",
        "could not be found",
    );
    let r = call(&app, "GET", &om(&id, "/refunds/nope"), None).await;
    assert_klarna_error(
        &r,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        &format!("Refund nope cannot be found for order {id}"),
    );
    // Another merchant's order is not there for this one.
    let r = send(
        &app,
        klarna_as("GET", &om(&id, ""), None, &basic("K999_other", "x")),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn refunds_never_exceed_what_was_captured_and_are_allocated_to_captures() {
    let (_, app) = sandbox();
    let id = order(&app).await;
    let refund = |amount: i64, lines: Value| {
        let app = app.clone();
        let id = id.clone();
        async move {
            call(
                &app,
                "POST",
                &om(&id, "/refunds"),
                Some(
                    &json!({"refunded_amount": amount, "description": "Returned",
                             "order_lines": lines}),
                ),
            )
            .await
        }
    };
    let r = refund(100, json!([])).await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "REFUND_NOT_ALLOWED",
        "Order has no captures. Refund not possible",
    );
    // Two captures: a battery, then the other battery with shipping.
    assert_eq!(
        capture(&app, &id, 5000, json!([battery_line(1)]))
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        capture(&app, &id, 6000, json!([battery_line(1), shipping_line()]))
            .await
            .status,
        StatusCode::CREATED
    );
    // Refunding the shipping line goes to the capture that holds it, not the oldest one.
    let r = refund(1000, json!([shipping_line()])).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let refund_id = r.headers["refund-id"].to_str().unwrap().to_owned();
    let location = r.headers[header::LOCATION].to_str().unwrap().to_owned();
    let o = get_order(&app, &id).await;
    assert_eq!(o["refunded_amount"], 1000);
    assert_eq!(o["captures"][0]["refunded_amount"], 0);
    assert_eq!(o["captures"][1]["refunded_amount"], 1000);
    assert_eq!(
        o["status"], "CAPTURED",
        "a refund does not change the status"
    );
    let one = call(
        &app,
        "GET",
        location.strip_prefix("http://sandbox.test").unwrap(),
        None,
    )
    .await;
    assert_eq!(one.json["refund_id"], refund_id.as_str());
    assert_eq!(one.json["description"], "Returned");

    // An amount without lines: oldest capture first.
    assert_eq!(refund(7000, json!([])).await.status, StatusCode::CREATED);
    let o = get_order(&app, &id).await;
    assert_eq!(o["captures"][0]["refunded_amount"], 5000);
    assert_eq!(o["captures"][1]["refunded_amount"], 3000);
    let r = refund(3001, json!([])).await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "REFUND_NOT_ALLOWED",
        "Over refund is not allowed. Refund not possible.",
    );
    assert_eq!(refund(3000, json!([])).await.status, StatusCode::CREATED);
    assert_eq!(get_order(&app, &id).await["refunded_amount"], 11000);
}

#[tokio::test]
async fn a_return_fee_needs_one_full_capture_in_a_market_that_takes_them() {
    let (_, app) = sandbox();
    let fee = json!({"type": "return_fee", "name": "Return fee", "quantity": 1,
                     "unit_price": -500, "total_amount": -500, "tax_rate": 2500,
                     "total_tax_amount": -100});
    let refund = json!({"refunded_amount": 4500, "order_lines": [battery_line(1), fee]});
    // Captured in two parts: refused.
    let split = order(&app).await;
    capture(&app, &split, 5000, json!([])).await;
    capture(&app, &split, 6000, json!([])).await;
    let r = call(&app, "POST", &om(&split, "/refunds"), Some(&refund)).await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "REFUND_NOT_ALLOWED",
        "return fee",
    );
    // Captured in one go in Sweden: the fee is kept from the refund.
    let whole = order(&app).await;
    capture(&app, &whole, 11000, json!([])).await;
    let r = call(&app, "POST", &om(&whole, "/refunds"), Some(&refund)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(get_order(&app, &whole).await["refunded_amount"], 4500);
}

#[tokio::test]
async fn an_order_is_cancelled_only_while_nothing_was_captured() {
    let (_, app) = sandbox();
    let id = order(&app).await;
    let r = call(&app, "POST", &om(&id, "/cancel"), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let o = get_order(&app, &id).await;
    assert_eq!(o["status"], "CANCELLED");
    assert_eq!(o["remaining_authorized_amount"], 0);
    let r = capture(&app, &id, 100, json!([])).await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "CAPTURE_NOT_ALLOWED",
        "Order is cancelled. Capture not possible.",
    );
    let r = call(&app, "POST", &om(&id, "/cancel"), None).await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "CANCEL_NOT_ALLOWED",
        "Cancel not possible.",
    );
    let r = call(
        &app,
        "PATCH",
        &om(&id, "/merchant-references"),
        Some(&json!({"merchant_reference1": "X"})),
    )
    .await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "NOT_ALLOWED",
        "Can not update a cancelled order",
    );
    let r = call(
        &app,
        "PATCH",
        &om(&id, "/customer-details"),
        Some(&json!({"shipping_address": {"city": "Stockholm"}})),
    )
    .await;
    assert_klarna_error(&r, StatusCode::FORBIDDEN, "NOT_ALLOWED", "cancelled order");

    let captured = order(&app).await;
    capture(&app, &captured, 100, json!([])).await;
    let r = call(&app, "POST", &om(&captured, "/cancel"), None).await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "CANCEL_NOT_ALLOWED",
        "Order has previous captures. Cancel not possible.",
    );
}

#[tokio::test]
async fn the_authorization_changes_but_never_below_what_was_captured() {
    let (_, app) = sandbox();
    let id = order(&app).await;
    capture(&app, &id, 5000, json!([battery_line(1)])).await;
    let patch = |body: Value| {
        let (app, id) = (app.clone(), id.clone());
        async move { call(&app, "PATCH", &om(&id, "/authorization"), Some(&body)).await }
    };
    let r = patch(json!({"order_amount": 4000})).await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "NOT_ALLOWED",
        "Resulting authorization amount 4000 cannot be less than the captured amount 5000 for \
         order. Order authorization cannot be updated",
    );
    let r = patch(json!({"order_amount": 6000, "order_lines": [battery_line(1)]})).await;
    assert_klarna_error(
        &r,
        StatusCode::BAD_REQUEST,
        "BAD_VALUE",
        "Bad value: order_amount",
    );
    // Without the shipping line: lines replaced, amount down.
    let r = patch(json!({"order_amount": 10000, "description": "No shipping",
                         "order_lines": [battery_line(2)]}))
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let o = get_order(&app, &id).await;
    assert_eq!(o["order_amount"], 10000);
    assert_eq!(o["original_order_amount"], 11000);
    assert_eq!(o["remaining_authorized_amount"], 5000);
    assert_eq!(o["order_lines"].as_array().unwrap().len(), 1);
    // Up again (an invoice may grow); lines left out are deleted, as Klarna documents.
    assert_eq!(
        patch(json!({"order_amount": 12000})).await.status,
        StatusCode::NO_CONTENT
    );
    let o = get_order(&app, &id).await;
    assert_eq!(o["order_amount"], 12000);
    assert_eq!(o["order_lines"], json!([]));
    // Down to what was captured: fully captured.
    assert_eq!(
        patch(json!({"order_amount": 5000})).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(get_order(&app, &id).await["status"], "CAPTURED");
    let r = patch(json!({"order_amount": 6000})).await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "NOT_ALLOWED",
        "Order is fully captured. Order authorization cannot be updated.",
    );

    // A card payment cannot be increased.
    let card = order_with(&app, "approved", Some("pay_now")).await;
    let r = call(
        &app,
        "PATCH",
        &om(&card, "/authorization"),
        Some(&json!({"order_amount": 12000})),
    )
    .await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "NOT_ALLOWED",
        "Update not allowed.",
    );
}

#[tokio::test]
async fn authorizations_expire_after_28_days_unless_extended_within_180() {
    let (sandbox, app) = sandbox();
    let id = order(&app).await;
    let o = get_order(&app, &id).await;
    let created = o["created_at"].as_str().unwrap().to_owned();
    let expires = o["expires_at"].as_str().unwrap().to_owned();
    assert!(expires.ends_with("T00:00:00.000Z"), "{expires}");
    let day = |s: &str| {
        time::Date::parse(
            &s[..10],
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .unwrap()
    };
    assert_eq!(day(&expires) - day(&created), time::Duration::days(28));

    // Ten days on, an extension moves the expiry to 28 days from today.
    sandbox.advance_clock(time::Duration::days(10)).unwrap();
    let extend_path = om(&id, "/extend-authorization-time");
    let extend = || call(&app, "POST", &extend_path, None);
    assert_eq!(extend().await.status, StatusCode::NO_CONTENT);
    let extended = get_order(&app, &id).await["expires_at"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(day(&extended) - day(&created), time::Duration::days(38));
    assert_eq!(extend().await.status, StatusCode::NO_CONTENT);
    assert_eq!(
        get_order(&app, &id).await["expires_at"],
        extended.as_str(),
        "twice on one day: one date"
    );
    // Extending every 20 days never passes 180 days after creation.
    for _ in 0..8 {
        sandbox.advance_clock(time::Duration::days(20)).unwrap();
        assert_eq!(extend().await.status, StatusCode::NO_CONTENT);
    }
    let last = get_order(&app, &id).await;
    assert_eq!(
        day(last["expires_at"].as_str().unwrap()) - day(&created),
        time::Duration::days(180)
    );
    sandbox.advance_clock(time::Duration::days(11)).unwrap();
    assert_eq!(get_order(&app, &id).await["status"], "EXPIRED");
    let r = extend().await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "NOT_ALLOWED",
        "Order is expired. Authorization time cannot be extended.",
    );

    // Another order runs out: EXPIRED, no capture, no extension.
    let other = order(&app).await;
    capture(&app, &other, 1000, json!([shipping_line()])).await;
    sandbox.advance_clock(time::Duration::days(29)).unwrap();
    let o = get_order(&app, &other).await;
    assert_eq!(o["status"], "EXPIRED");
    assert_eq!(o["remaining_authorized_amount"], 0);
    let r = capture(&app, &other, 100, json!([])).await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "CAPTURE_NOT_ALLOWED",
        "Order is expired. Capture not possible.",
    );
    let r = call(
        &app,
        "POST",
        &om(&other, "/extend-authorization-time"),
        None,
    )
    .await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "NOT_ALLOWED",
        "Order is expired. Authorization time cannot be extended.",
    );
    // What was captured can still be refunded.
    let r = call(
        &app,
        "POST",
        &om(&other, "/refunds"),
        Some(&json!({"refunded_amount": 1000})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    // A card payment's authorization is not extendable.
    let card = order_with(&app, "approved", Some("pay_now")).await;
    let r = call(&app, "POST", &om(&card, "/extend-authorization-time"), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
}

#[tokio::test]
async fn releasing_the_rest_closes_a_part_captured_order() {
    let (_, app) = sandbox();
    let id = order(&app).await;
    let release_path = om(&id, "/release-remaining-authorization");
    let release = || call(&app, "POST", &release_path, None);
    let r = release().await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "NOT_ALLOWED",
        "Order has no captures. Remaining authorization cannot be released.",
    );
    capture(&app, &id, 5000, json!([battery_line(1)])).await;
    assert_eq!(release().await.status, StatusCode::NO_CONTENT);
    let o = get_order(&app, &id).await;
    assert_eq!(o["status"], "CLOSED");
    assert_eq!(o["remaining_authorized_amount"], 0);
    assert_eq!(o["captured_amount"], 5000);
    let r = release().await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = capture(&app, &id, 100, json!([])).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Refunds stay possible.
    let r = call(
        &app,
        "POST",
        &om(&id, "/refunds"),
        Some(&json!({"refunded_amount": 5000})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    let full = order(&app).await;
    capture(&app, &full, 11000, json!([])).await;
    let r = call(
        &app,
        "POST",
        &om(&full, "/release-remaining-authorization"),
        None,
    )
    .await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "NOT_ALLOWED",
        "Order is fully captured. Remaining authorization cannot be released.",
    );
}

#[tokio::test]
async fn a_pending_fraud_review_holds_captures_until_it_ends() {
    let (_, app) = sandbox();
    let (hook, got) = klarna_receiver().await;
    let mut c = cart();
    c["merchant_urls"]["notification"] = json!(format!("{hook}?order={{order.id}}"));
    let token = token(&app, &c, "pending", None).await;
    let r = call(
        &app,
        "POST",
        &format!("/payments/v1/authorizations/{token}/order"),
        Some(&c),
    )
    .await;
    assert_eq!(r.json["fraud_status"], "PENDING");
    let id = r.json["order_id"].as_str().unwrap().to_owned();
    let r = capture(&app, &id, 100, json!([])).await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "CAPTURE_NOT_ALLOWED",
        "pending fraud review",
    );
    let fraud = |status: &str| {
        send(
            &app,
            control(
                &format!("/_sandbox/klarna/orders/{id}/fraud"),
                &json!({ "status": status }),
            ),
        )
    };
    let r = fraud("ACCEPTED").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["event_type"], "FRAUD_RISK_ACCEPTED");
    let notes = got.lock().unwrap().clone();
    assert_eq!(notes.len(), 1, "notified before the control answered");
    assert_eq!(notes[0].0, format!("order={id}"), "placeholder filled");
    assert_eq!(notes[0].1["order_id"], id.as_str());
    assert_eq!(notes[0].1["event_type"], "FRAUD_RISK_ACCEPTED");
    assert!(notes[0].1["occurred_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        capture(&app, &id, 100, json!([])).await.status,
        StatusCode::CREATED
    );
    let r = fraud("ACCEPTED").await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "only a pending review ends"
    );
    // Stopped after acceptance: no more captures.
    let r = fraud("STOPPED").await;
    assert_eq!(r.json["event_type"], "FRAUD_RISK_STOPPED");
    assert_eq!(get_order(&app, &id).await["fraud_status"], "REJECTED");
    assert_eq!(
        capture(&app, &id, 100, json!([])).await.status,
        StatusCode::FORBIDDEN
    );

    // Rejected: the order is cancelled.
    let rejected = order_with(&app, "pending", None).await;
    let r = send(
        &app,
        control(
            &format!("/_sandbox/klarna/orders/{rejected}/fraud"),
            &json!({"status": "REJECTED"}),
        ),
    )
    .await;
    assert_eq!(r.json["status"], "CANCELLED");
    let r = send(
        &app,
        control(
            &format!("/_sandbox/klarna/orders/{rejected}/fraud"),
            &json!({"status": "LATER"}),
        ),
    )
    .await;
    assert_klarna_error(
        &r,
        StatusCode::BAD_REQUEST,
        "BAD_VALUE",
        "Bad value: status",
    );
}

/// A notification receiver on a free loopback port: (query, JSON body) of each call.
async fn klarna_receiver() -> (
    String,
    std::sync::Arc<std::sync::Mutex<Vec<(String, Value)>>>,
) {
    use axum::extract::RawQuery;
    use axum::routing::post;
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = got.clone();
    let app = axum::Router::new().route(
        "/klarna",
        post(
            move |RawQuery(q): RawQuery, axum::Json(body): axum::Json<Value>| {
                let sink = sink.clone();
                async move {
                    sink.lock().unwrap().push((q.unwrap_or_default(), body));
                    StatusCode::OK
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    (format!("http://{addr}/klarna"), got)
}

#[tokio::test]
async fn details_change_without_moving_money() {
    let (_, app) = sandbox();
    let id = order(&app).await;
    assert_eq!(
        call(&app, "POST", &om(&id, "/acknowledge"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let r = call(
        &app,
        "PATCH",
        &om(&id, "/merchant-references"),
        Some(&json!({"merchant_reference1": "ORDER-9", "merchant_reference2": ""})),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = call(
        &app,
        "PATCH",
        &om(&id, "/customer-details"),
        Some(&json!({"shipping_address": {"street_address": "Nygatan 2", "city": "Stockholm"}})),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let o = get_order(&app, &id).await;
    assert_eq!(o["merchant_reference1"], "ORDER-9");
    assert!(o.get("merchant_reference2").is_none());
    assert_eq!(o["shipping_address"]["city"], "Stockholm");
    assert_eq!(o["shipping_address"]["given_name"], "Testperson-se", "kept");
    assert_eq!(
        o["billing_address"]["city"], "Ankeborg",
        "billing untouched"
    );

    let r = call(
        &app,
        "PATCH",
        &om(&id, "/customer-details"),
        Some(&json!({"billing_address": {"city": "Stockholm"}})),
    )
    .await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "NOT_ALLOWED",
        "Billing address cannot be updated",
    );
    let r = call(
        &app,
        "PATCH",
        &om(&id, "/customer-details"),
        Some(&json!({"shipping_address": {"country": "NO"}})),
    )
    .await;
    assert_klarna_error(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_ADDRESS",
        "The shipping and/or billing address is invalid",
    );

    // Shipping info: order-level before capture, then per capture, appended.
    let info = json!({"shipping_info": [{"shipping_company": "DHL SE", "tracking_number": "1"}]});
    let r = call(&app, "POST", &om(&id, "/shipping-info"), Some(&info)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = call(
        &app,
        "POST",
        &om(&id, "/captures/x/shipping-info"),
        Some(&info),
    )
    .await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "NOT_ALLOWED",
        "Order has no captures",
    );
    let captured = capture(&app, &id, 5000, json!([])).await;
    let capture_id = captured.headers["capture-id"].to_str().unwrap().to_owned();
    let path = om(&id, &format!("/captures/{capture_id}/shipping-info"));
    for _ in 0..2 {
        assert_eq!(
            call(&app, "POST", &path, Some(&info)).await.status,
            StatusCode::NO_CONTENT
        );
    }
    let r = call(
        &app,
        "POST",
        &om(&id, "/captures/x/shipping-info"),
        Some(&info),
    )
    .await;
    assert_klarna_error(
        &r,
        StatusCode::NOT_FOUND,
        "NO_SUCH_CAPTURE",
        "Shipping info cannot be added",
    );
    let too_long = json!({"shipping_info": [{"shipping_company": "x".repeat(101)}]});
    let r = call(&app, "POST", &path, Some(&too_long)).await;
    assert_klarna_error(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "UNPROCESSABLE_ENTITY",
        "The size of the shipping_info/shipping_company value must be between 0 and 100",
    );
    let o = get_order(&app, &id).await;
    assert_eq!(o["shipping_info"].as_array().unwrap().len(), 1);
    assert_eq!(
        o["captures"][0]["shipping_info"].as_array().unwrap().len(),
        2
    );

    let send_out = om(&id, &format!("/captures/{capture_id}/trigger-send-out"));
    assert_eq!(
        call(&app, "POST", &send_out, None).await.status,
        StatusCode::NO_CONTENT
    );
    let r = call(&app, "POST", &om(&id, "/captures/x/trigger-send-out"), None).await;
    assert_klarna_error(
        &r,
        StatusCode::NOT_FOUND,
        "NO_SUCH_CAPTURE",
        "Send out not possible",
    );
}

#[tokio::test]
async fn an_invoices_due_date_is_extended_once_for_a_fee() {
    let (_, app) = sandbox();
    let id = order(&app).await;
    let captured = capture(&app, &id, 11000, json!([])).await;
    let capture_id = captured.headers["capture-id"].to_str().unwrap().to_owned();
    let options_path = om(
        &id,
        &format!("/captures/{capture_id}/extend-due-date-options"),
    );
    let options = call(&app, "GET", &options_path, None).await;
    assert_eq!(options.status, StatusCode::OK, "{}", options.text);
    assert_eq!(options.json["currency"], "SEK");
    let days: Vec<i64> = options.json["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["number_of_days"].as_i64().unwrap())
        .collect();
    assert_eq!(days, [7, 14, 30]);
    assert!(options.json["options"][0]["amount"].as_i64().unwrap() > 0);
    let extend = |days: i64| {
        let (app, path) = (
            app.clone(),
            om(&id, &format!("/captures/{capture_id}/extend-due-date")),
        );
        async move {
            call(
                &app,
                "PATCH",
                &path,
                Some(&json!({ "number_of_days": days })),
            )
            .await
        }
    };
    let r = extend(10).await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "NOT_ALLOWED",
        "not one of the offered options",
    );
    assert_eq!(extend(14).await.status, StatusCode::NO_CONTENT);
    assert_eq!(
        call(&app, "GET", &options_path, None).await.json["options"],
        json!([])
    );
    let r = extend(7).await;
    assert_klarna_error(&r, StatusCode::FORBIDDEN, "NOT_ALLOWED", "extended already");

    // A card payment has no due date.
    let card = order_with(&app, "approved", Some("pay_now")).await;
    let captured = capture(&app, &card, 11000, json!([])).await;
    let card_capture = captured.headers["capture-id"].to_str().unwrap().to_owned();
    let options = call(
        &app,
        "GET",
        &om(
            &card,
            &format!("/captures/{card_capture}/extend-due-date-options"),
        ),
        None,
    )
    .await;
    assert_eq!(options.json["options"], json!([]));
}

#[tokio::test]
async fn the_idempotency_key_replays_the_first_answer_for_24_hours() {
    let (sandbox, app) = sandbox();
    let id = order(&app).await;
    let keyed = |key: &str, amount: i64| {
        let mut req = klarna(
            "POST",
            &om(&id, "/captures"),
            Some(&json!({ "captured_amount": amount })),
        );
        req.headers_mut()
            .insert("klarna-idempotency-key", key.parse().unwrap());
        send(&app, req)
    };
    let first = keyed("6c9bb8d2-7a3c-4d1e-9b6a-1f2e3d4c5b6a", 1000).await;
    assert_eq!(first.status, StatusCode::CREATED);
    // Only the key counts: another amount with it gets the first answer, headers included.
    let again = keyed("6c9bb8d2-7a3c-4d1e-9b6a-1f2e3d4c5b6a", 2000).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.headers["capture-id"], first.headers["capture-id"]);
    assert_eq!(
        again.headers[header::LOCATION],
        first.headers[header::LOCATION]
    );
    let o = get_order(&app, &id).await;
    assert_eq!(o["captures"].as_array().unwrap().len(), 1);
    assert_eq!(o["captured_amount"], 1000);
    // The same key on another operation is another request.
    let mut ack = klarna("POST", &om(&id, "/acknowledge"), None);
    ack.headers_mut().insert(
        "klarna-idempotency-key",
        "6c9bb8d2-7a3c-4d1e-9b6a-1f2e3d4c5b6a".parse().unwrap(),
    );
    assert_eq!(send(&app, ack).await.status, StatusCode::NO_CONTENT);
    // A refusal is an answer too, and is replayed.
    let refused = keyed("k-over", 999_999).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(keyed("k-over", 10).await.status, StatusCode::FORBIDDEN);
    // The request log shows the replay with its key.
    let log = sandbox.requests();
    let replays: Vec<_> = log.iter().filter(|r| r.replayed).collect();
    assert_eq!(replays.len(), 2);
    assert_eq!(
        replays[0].idempotency_key.as_deref(),
        Some("6c9bb8d2-7a3c-4d1e-9b6a-1f2e3d4c5b6a")
    );
    // After 24 hours the key is forgotten.
    sandbox.advance_clock(time::Duration::hours(25)).unwrap();
    let later = keyed("6c9bb8d2-7a3c-4d1e-9b6a-1f2e3d4c5b6a", 2000).await;
    assert_eq!(later.status, StatusCode::CREATED);
    assert_ne!(later.headers["capture-id"], first.headers["capture-id"]);
}

#[tokio::test]
async fn faults_and_the_request_log_speak_klarna_on_klarnas_paths() {
    let (sandbox, app) = sandbox();
    let id = order(&app).await;
    sandbox
        .add_fault(
            "POST /ordermanagement/v1/orders/*/captures status=503 once"
                .parse()
                .unwrap(),
        )
        .unwrap();
    let r = capture(&app, &id, 100, json!([])).await;
    assert_klarna_error(
        &r,
        StatusCode::SERVICE_UNAVAILABLE,
        "TEMPORARILY_UNAVAILABLE",
        "injected by the sandbox",
    );
    assert_eq!(
        get_order(&app, &id).await["captured_amount"],
        0,
        "nothing happened"
    );
    assert_eq!(
        capture(&app, &id, 100, json!([])).await.status,
        StatusCode::CREATED
    );
    let log = sandbox.requests();
    let captures: Vec<_> = log
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/captures"))
        .map(|r| r.status)
        .collect();
    assert_eq!(captures, [Some(503), Some(201)]);
    assert!(log.iter().any(|r| r.path == "/payments/v1/sessions"));
}

#[tokio::test]
async fn klarna_orders_survive_a_restart_with_a_data_file() {
    let dir = std::env::temp_dir().join(format!("kassa-klarna-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("sandbox.json");
    let _ = std::fs::remove_file(&file);
    let id = {
        let sandbox = Sandbox::with_data_file(SandboxConfig::default(), &file).unwrap();
        let app = sandbox.router();
        let id = order(&app).await;
        capture(&app, &id, 5000, json!([battery_line(1)])).await;
        id
    };
    let sandbox = Sandbox::with_data_file(SandboxConfig::default(), &file).unwrap();
    let app = sandbox.router();
    let o = get_order(&app, &id).await;
    assert_eq!(o["status"], "PART_CAPTURED");
    assert_eq!(o["captured_amount"], 5000);
    assert_eq!(sandbox.klarna_order_count(), 1);
    std::fs::remove_dir_all(&dir).ok();
}
