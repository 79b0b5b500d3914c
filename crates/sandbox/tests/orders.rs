//! The sandbox's create / get / checkout / webhook behaviour, through its router.
use crate::common::*;
use axum::http::{header, StatusCode};
use kassa_sandbox::{Sandbox, SandboxConfig};
use serde_json::json;

fn sandbox() -> (Sandbox, axum::Router) {
    let s = Sandbox::new(SandboxConfig::default());
    let r = s.router();
    (s, r)
}

#[tokio::test]
async fn creates_an_order_in_mollies_shape() {
    let (_, app) = sandbox();
    let r = send(&app, post_json("/v2/orders", &lego_order())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/hal+json");
    let o = &r.json;
    assert_eq!(o["resource"], "order");
    assert!(o["id"].as_str().unwrap().starts_with("ord_"));
    assert_eq!(o["status"], "created");
    assert_eq!(o["mode"], "test");
    assert_eq!(o["amount"], json!({"currency":"EUR","value":"1027.99"}));
    assert_eq!(o["isCancelable"], true);
    assert!(
        o.get("amountCaptured").is_none(),
        "no captured amount while created"
    );
    let line = &o["lines"][0];
    assert_eq!(line["resource"], "orderline");
    assert!(line["id"].as_str().unwrap().starts_with("odl_"));
    assert_eq!(line["status"], "created");
    assert_eq!(line["shippableQuantity"], 0);
    assert_eq!(line["discountAmount"]["value"], "100.00");
    assert_eq!(line["vatAmount"]["value"], "121.14");
    assert!(o["lines"][1].get("discountAmount").is_none());
    let checkout = o["_links"]["checkout"]["href"].as_str().unwrap();
    let token = checkout
        .strip_prefix("http://sandbox.test/checkout/")
        .unwrap();
    assert!(
        token.len() >= 32 && !token.contains(o["id"].as_str().unwrap()),
        "the checkout is keyed by a token of its own, not the order id: {checkout}"
    );
    assert_eq!(o["_links"]["self"]["type"], "application/hal+json");
    // expiresAt = createdAt + 28 days
    let created = o["createdAt"].as_str().unwrap();
    let expires = o["expiresAt"].as_str().unwrap();
    assert!(created.ends_with("+00:00") && expires.ends_with("+00:00"));
    assert_ne!(created[..10], expires[..10]);
}

#[tokio::test]
async fn gets_the_order_it_created_with_embedded_payments() {
    let (_, app) = sandbox();
    let created = send(&app, post_json("/v2/orders", &lego_order()))
        .await
        .json;
    let id = created["id"].as_str().unwrap();
    let r = send(
        &app,
        get(&format!("/v2/orders/{id}?embed=payments%2Crefunds")),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["lines"], created["lines"]);
    let payments = r.json["_embedded"]["payments"].as_array().unwrap();
    assert_eq!(payments.len(), 1);
    assert_eq!(payments[0]["status"], "open");
    assert!(payments[0]["id"].as_str().unwrap().starts_with("tr_"));
    assert_eq!(r.json["_embedded"]["refunds"], json!([]));
}

#[tokio::test]
async fn unknown_order_is_mollies_404() {
    let (_, app) = sandbox();
    let r = send(&app, get("/v2/orders/ord_nope")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json["status"], 404);
    assert_eq!(r.json["title"], "Not Found");
    assert_eq!(r.json["detail"], "No order exists with token ord_nope.");
    assert!(r.json["_links"]["documentation"]["href"].is_string());
}

#[tokio::test]
async fn requests_without_a_valid_key_get_401() {
    let (_, app) = sandbox();
    for auth in [None, Some("Bearer nonsense"), Some("Bearer test_")] {
        let mut req = get("/v2/orders/ord_x");
        req.headers_mut().remove(header::AUTHORIZATION);
        if let Some(a) = auth {
            req.headers_mut()
                .insert(header::AUTHORIZATION, a.parse().unwrap());
        }
        let r = send(&app, req).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.json["title"], "Unauthorized Request");
        assert_eq!(
            r.json["detail"],
            "Missing authentication, or failed to authenticate"
        );
    }
}

#[tokio::test]
async fn validation_errors_name_the_field_like_mollie() {
    let (_, app) = sandbox();
    let cases = [
        ("/lines/1/vatAmount/value", json!("57.28"), "lines.1.vatAmount",
         "Order line 1 is invalid. VAT amount is off. Expected VAT amount to be €57.27 (€329.99 × (21.00% / 121.00%)), got €57.28"),
        ("/lines/0/totalAmount/value", json!("798.00"), "lines.0.totalAmount",
         "Order line 0 is invalid. Total amount is off. Expected total amount to be €698.00 (2 × €399.00 - €100.00), got €798.00"),
        ("/amount/value", json!("100.00"), "amount",
         "The amount of the order does not match the total amount from the order lines. Expected order amount to be €1,027.99 but got €100.00."),
        ("/lines/0/vatRate", json!("-21.00"), "lines.0.vatRate",
         "Order line 0 is invalid. The VAT rate cannot be negative."),
        ("/lines/1/unitPrice/value", json!("329.9"), "lines.1.unitPrice.value",
         "Order line 1 is invalid. Invalid amount value for field unitPrice."),
        ("/billingAddress/givenName", json!("P"), "billingAddress.givenName",
         "Member 'givenName' in billing address is missing or incorrect."),
        ("/lines/0/quantity", json!(1.5), "lines.0.quantity",
         "The 'quantity' field should be a whole number"),
    ];
    for (pointer, value, field, detail) in cases {
        let mut body = lego_order();
        *body.pointer_mut(pointer).unwrap() = value;
        let r = send(&app, post_json("/v2/orders", &body)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{pointer}: {}",
            r.text
        );
        assert_eq!(r.json["status"], 422);
        assert_eq!(r.json["title"], "Unprocessable Entity");
        assert_eq!(r.json["field"], field, "{pointer}");
        assert_eq!(r.json["detail"], detail, "{pointer}");
    }
}

#[tokio::test]
async fn missing_fields_and_empty_lines_are_rejected() {
    let (_, app) = sandbox();
    let mut body = lego_order();
    body.as_object_mut().unwrap().remove("orderNumber");
    let r = send(&app, post_json("/v2/orders", &body)).await;
    assert_eq!(
        (r.status, r.json["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("orderNumber"))
    );

    let mut body = lego_order();
    body["lines"] = json!([]);
    let r = send(&app, post_json("/v2/orders", &body)).await;
    assert_eq!(r.json["detail"], "No order lines present in order.");

    let r = send(&app, post_json("/v2/orders", &json!({"amount": "x"}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json["field"], "amount");
}

#[tokio::test]
async fn authorized_checkout_moves_the_order_sends_the_webhook_and_redirects() {
    let (sandbox, app) = sandbox();
    let (hook, got) = webhook_receiver().await;
    let mut body = lego_order();
    body["webhookUrl"] = json!(hook);
    let id = send(&app, post_json("/v2/orders", &body)).await.json["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let pay = checkout_of(&app, &id).await;

    let page = send(&app, get(&pay)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text
            .contains(r#"value="authorized" data-testid="outcome-authorized" checked"#),
        "klarna suggests authorized"
    );

    let r = send(&app, post_form(&pay, "outcome=authorized")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "https://example.org/redirect");
    assert_eq!(
        *got.lock().unwrap(),
        vec![id.clone()],
        "webhook delivered before the redirect"
    );
    assert!(sandbox.deliveries()[0].succeeded());

    let o = send(&app, get(&format!("/v2/orders/{id}"))).await.json;
    assert_eq!(o["status"], "authorized");
    assert_eq!(o["method"], "klarnapaylater");
    assert!(o["authorizedAt"].is_string());
    assert!(
        o["_links"].get("checkout").is_none(),
        "no checkout link once authorized"
    );
    assert_eq!(o["amountCaptured"]["value"], "0.00");
    let line = &o["lines"][0];
    assert_eq!(line["status"], "authorized");
    assert_eq!(line["shippableQuantity"], 2);
    assert_eq!(line["cancelableQuantity"], 2);
    assert_eq!(line["refundableQuantity"], 0);
    assert_eq!(line["isCancelable"], true);

    // Paying twice is refused.
    let again = send(&app, post_form(&pay, "outcome=authorized")).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn paid_checkout_makes_lines_refundable_not_cancelable() {
    let (_, app) = sandbox();
    let mut body = lego_order();
    body["method"] = json!("ideal");
    let id = send(&app, post_json("/v2/orders", &body)).await.json["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let pay = checkout_of(&app, &id).await;
    let r = send(&app, post_form(&pay, "outcome=paid")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let o = send(&app, get(&format!("/v2/orders/{id}"))).await.json;
    assert_eq!(o["status"], "paid");
    assert_eq!(o["amountCaptured"]["value"], "1027.99");
    assert_eq!(o["lines"][0]["refundableQuantity"], 2);
    assert_eq!(o["lines"][0]["cancelableQuantity"], 0);
    assert_eq!(o["isCancelable"], false);
}

#[tokio::test]
async fn failed_payment_keeps_the_order_created_and_allows_another_try() {
    let (sandbox, app) = sandbox();
    let mut body = lego_order();
    body.as_object_mut().unwrap().remove("method");
    body.as_object_mut().unwrap().remove("webhookUrl");
    let id = send(&app, post_json("/v2/orders", &body)).await.json["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let pay = checkout_of(&app, &id).await;
    send(&app, post_form(&pay, "outcome=failed")).await;
    let o = send(&app, get(&format!("/v2/orders/{id}?embed=payments")))
        .await
        .json;
    assert_eq!(o["status"], "created");
    assert!(o["_links"]["checkout"].is_object());
    assert_eq!(o["_embedded"]["payments"][0]["status"], "failed");
    assert!(
        sandbox.deliveries().is_empty(),
        "no order webhook for a failed payment"
    );

    // A method that only pays cannot authorize.
    let r = send(&app, post_form(&pay, "outcome=authorized&method=ideal")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = send(&app, post_form(&pay, "outcome=paid")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let o = send(&app, get(&format!("/v2/orders/{id}?embed=payments")))
        .await
        .json;
    assert_eq!(o["status"], "paid");
    assert_eq!(o["_embedded"]["payments"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn zero_decimal_currency_orders() {
    let (_, app) = sandbox();
    let mut body = lego_order();
    body["amount"] = json!({"currency": "JPY", "value": "5840"});
    body["lines"] = json!([{ "name": "Tea", "quantity": 3, "vatRate": "10.00",
        "unitPrice": {"currency": "JPY", "value": "1980"},
        "discountAmount": {"currency": "JPY", "value": "100"},
        "totalAmount": {"currency": "JPY", "value": "5840"},
        "vatAmount": {"currency": "JPY", "value": "531"}}]);
    let r = send(&app, post_json("/v2/orders", &body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["amount"]["value"], "5840");

    body["lines"][0]["vatAmount"]["value"] = json!("531.00");
    let r = send(&app, post_json("/v2/orders", &body)).await;
    assert_eq!(r.json["field"], "lines.0.vatAmount.value");
}

#[tokio::test]
async fn wrong_methods_get_mollies_error_shape() {
    let (_, app) = sandbox();
    let mut req = get("/v2/orders");
    *req.method_mut() = axum::http::Method::PUT;
    let r = send(&app, req).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.json["status"], 405);
    assert_eq!(r.json["title"], "Method Not Allowed");
}

#[tokio::test]
async fn a_sandbox_started_with_a_key_accepts_only_that_key() {
    let config = SandboxConfig {
        api_key: Some("test_onlyThisKey1234567890".into()),
        ..SandboxConfig::default()
    };
    let app = Sandbox::new(config).router();
    let r = send(&app, get("/v2/orders/ord_x")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "another test_ key");
    let mut req = get("/v2/orders/ord_x");
    req.headers_mut().insert(
        header::AUTHORIZATION,
        "Bearer test_onlyThisKey1234567890".parse().unwrap(),
    );
    assert_eq!(
        send(&app, req).await.status,
        StatusCode::NOT_FOUND,
        "the right key gets through"
    );
}

/// Found by fuzzing against Mollie's OpenAPI file (contract/mollie/fuzz.py): a query string
/// the sandbox cannot read (a repeated `limit`) and a path that is not UTF-8 were axum's plain
/// text; they are Mollie's errors, `application/hal+json` with `status`, `title`, `detail`.
#[tokio::test]
async fn unreadable_queries_and_paths_answer_in_mollies_error_shape() {
    let (_, app) = sandbox();
    let r = send(&app, post_json("/v2/orders", &lego_order())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json["id"].as_str().unwrap().to_owned();
    for (uri, status) in [
        (
            format!("/v2/orders/{id}/refunds?limit=1&limit=2"),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/v2/orders?limit=1&limit=2".to_owned(),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/v2/orders/{id}?embed=a&embed=b"),
            StatusCode::BAD_REQUEST,
        ),
        ("/v2/orders/%FF".to_owned(), StatusCode::NOT_FOUND),
        (
            format!("/v2/orders/{id}/shipments/%FF"),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let r = send(&app, get(&uri)).await;
        assert_eq!(r.status, status, "{uri}: {}", r.text);
        assert_eq!(
            r.headers[header::CONTENT_TYPE],
            "application/hal+json",
            "{uri}"
        );
        assert_eq!(r.json["status"], status.as_u16(), "{uri}: {}", r.text);
        assert!(r.json["title"].is_string(), "{uri}: {}", r.text);
        assert!(r.json["detail"].is_string(), "{uri}: {}", r.text);
    }
}
