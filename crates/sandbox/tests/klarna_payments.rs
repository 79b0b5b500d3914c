//! Klarna Payments in the sandbox: sessions checked as Klarna checks a cart, authorizations,
//! and the one order (or customer token) a token makes — with every refusal Klarna documents.
use crate::common::klarna::*;
use crate::common::*;
use axum::http::StatusCode;
use kassa_sandbox::{KlarnaCredentials, Sandbox, SandboxConfig};
use serde_json::{json, Value};

fn sandbox() -> (Sandbox, axum::Router) {
    let sandbox = Sandbox::new(SandboxConfig::default());
    let app = sandbox.router();
    (sandbox, app)
}

#[tokio::test]
async fn a_session_is_made_from_a_cart_that_adds_up() {
    let (_, app) = sandbox();
    let r = call(&app, "POST", "/payments/v1/sessions", Some(&cart())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let client_token = r.json["client_token"].as_str().unwrap();
    assert_eq!(client_token.split('.').count(), 3, "JWT-shaped");
    let categories: Vec<&str> = r.json["payment_method_categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["identifier"].as_str().unwrap())
        .collect();
    assert_eq!(categories, ["pay_now", "pay_later", "pay_over_time"]);
    assert!(
        r.json["payment_method_categories"][0]["asset_urls"]["standard"]
            .as_str()
            .unwrap()
            .starts_with("http://sandbox.test/klarna/assets/")
    );

    let id = r.json["session_id"].as_str().unwrap();
    let read = call(&app, "GET", &format!("/payments/v1/sessions/{id}"), None).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    assert_eq!(read.json["status"], "incomplete");
    assert_eq!(read.json["order_amount"], 11000);
    assert_eq!(read.json["client_token"], client_token);
    assert!(read.json["expires_at"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn a_cart_that_does_not_add_up_is_klarnas_bad_value() {
    let (_, app) = sandbox();
    type Spoil = fn(&mut Value);
    let cases: [(&str, Spoil); 6] = [
        ("order_lines[0].total_tax_amount", |c| {
            c["order_lines"][0]["total_tax_amount"] = json!(2002)
        }),
        ("order_lines[1].total_amount", |c| {
            c["order_lines"][1]["total_amount"] = json!(999)
        }),
        ("order_amount", |c| c["order_amount"] = json!(11001)),
        ("order_tax_amount", |c| c["order_tax_amount"] = json!(2199)),
        ("purchase_currency", |c| {
            c["purchase_currency"] = json!("EURO")
        }),
        ("purchase_country", |c| {
            c.as_object_mut().unwrap().remove("purchase_country");
        }),
    ];
    for (field, spoil) in cases {
        let mut bad = cart();
        spoil(&mut bad);
        let r = call(&app, "POST", "/payments/v1/sessions", Some(&bad)).await;
        assert_klarna_error(
            &r,
            StatusCode::BAD_REQUEST,
            "BAD_VALUE",
            &format!("Bad value: {field}"),
        );
    }
    // A wrong type names its field the same way.
    let mut bad = cart();
    bad["order_lines"][1]["quantity"] = json!("two");
    let r = call(&app, "POST", "/payments/v1/sessions", Some(&bad)).await;
    assert_klarna_error(
        &r,
        StatusCode::BAD_REQUEST,
        "BAD_VALUE",
        "Bad value: order_lines[1].quantity",
    );
}

#[tokio::test]
async fn updates_replace_fields_and_must_leave_a_valid_cart() {
    let (_, app) = sandbox();
    let id = session(&app, &cart()).await;
    let path = format!("/payments/v1/sessions/{id}");
    // Drop the shipping line: amounts must follow.
    let mut update = json!({
        "order_amount": 10000, "order_tax_amount": 2000,
        "order_lines": [cart()["order_lines"][0].clone()],
        "merchant_reference1": "45aa52f387871e3a210645d4"
    });
    let r = call(&app, "POST", &path, Some(&update)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert!(r.text.is_empty());
    let read = call(&app, "GET", &path, None).await.json;
    assert_eq!(read["order_amount"], 10000);
    assert_eq!(read["order_lines"].as_array().unwrap().len(), 1);
    assert_eq!(read["merchant_reference1"], "45aa52f387871e3a210645d4");
    assert_eq!(read["purchase_country"], "SE", "untouched fields stay");

    update["order_amount"] = json!(12000);
    let r = call(&app, "POST", &path, Some(&update)).await;
    assert_klarna_error(
        &r,
        StatusCode::BAD_REQUEST,
        "BAD_VALUE",
        "Bad value: order_amount",
    );
    assert_eq!(
        call(&app, "GET", &path, None).await.json["order_amount"],
        10000
    );
}

#[tokio::test]
async fn sessions_belong_to_their_merchant_and_end_after_48_hours() {
    let (sandbox, app) = sandbox();
    let id = session(&app, &cart()).await;
    let path = format!("/payments/v1/sessions/{id}");
    let other = send(
        &app,
        klarna_as("GET", &path, None, &basic("K999_other", "x")),
    )
    .await;
    assert_klarna_error(
        &other,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "Invalid session id",
    );
    sandbox
        .advance_clock(time::Duration::hours(47))
        .expect("clock");
    assert_eq!(call(&app, "GET", &path, None).await.status, StatusCode::OK);
    sandbox
        .advance_clock(time::Duration::hours(1))
        .expect("clock");
    let r = call(&app, "GET", &path, None).await;
    assert_klarna_error(&r, StatusCode::NOT_FOUND, "NOT_FOUND", "Invalid session id");
}

#[tokio::test]
async fn an_approved_authorization_places_one_order_with_the_authorized_cart() {
    let (_, app) = sandbox();
    let id = session(&app, &cart()).await;
    let callback = authorize(&app, &id, json!({"outcome": "approved"})).await;
    assert_eq!(callback["approved"], true);
    assert_eq!(callback["show_form"], true);
    assert_eq!(callback["finalize_required"], false);
    let token = callback["authorization_token"].as_str().unwrap();
    let path = format!("/payments/v1/authorizations/{token}/order");

    // Another cart than the one authorized: 409 with Klarna's message.
    let mut other = cart();
    other["order_lines"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "Gift wrap", "quantity": 1, "unit_price": 0,
                     "total_amount": 0, "tax_rate": 0, "total_tax_amount": 0}));
    let r = call(&app, "POST", &path, Some(&other)).await;
    assert_klarna_error(
        &r,
        StatusCode::CONFLICT,
        "BAD_VALUE",
        "Not matching fields: [Incorrect number of items in the cart. Expected: 2, Actual: 3]",
    );

    // Addresses and references may be added.
    let mut order = cart();
    order["merchant_reference1"] = json!("ORDER-1001");
    order["shipping_address"] = order["billing_address"].clone();
    let r = call(&app, "POST", &path, Some(&order)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["fraud_status"], "ACCEPTED");
    assert_eq!(r.json["authorized_payment_method"]["type"], "invoice");
    assert_eq!(r.json["authorized_payment_method"]["number_of_days"], 14);
    let order_id = r.json["order_id"].as_str().unwrap().to_owned();
    assert_eq!(order_id.len(), 36, "a UUID");
    let redirect = r.json["redirect_url"].as_str().unwrap().to_owned();

    // The same request again is the same order; another body is refused.
    let again = call(&app, "POST", &path, Some(&order)).await;
    assert_eq!(again.json["order_id"], order_id.as_str());
    order["merchant_reference1"] = json!("ORDER-1002");
    let r = call(&app, "POST", &path, Some(&order)).await;
    assert_klarna_error(
        &r,
        StatusCode::CONFLICT,
        "BAD_VALUE",
        "The order has been already completed with different request body",
    );

    let om = get_order(&app, &order_id).await;
    assert_eq!(om["status"], "AUTHORIZED");
    assert_eq!(om["order_amount"], 11000);
    assert_eq!(om["remaining_authorized_amount"], 11000);
    assert_eq!(om["merchant_reference1"], "ORDER-1001");
    assert_eq!(om["initial_payment_method"]["type"], "INVOICE");
    assert_eq!(om["shipping_address"]["city"], "Ankeborg");
    let read = call(&app, "GET", &format!("/payments/v1/sessions/{id}"), None).await;
    assert_eq!(read.json["status"], "complete");
    let r = call(
        &app,
        "POST",
        &format!("/payments/v1/sessions/{id}"),
        Some(&json!({"locale": "en-SE"})),
    )
    .await;
    assert_klarna_error(
        &r,
        StatusCode::NOT_FOUND,
        "SESSION_COMPLETED",
        "already been completed",
    );

    // redirect_url sends the customer on to the confirmation page, placeholders filled.
    let path = redirect.strip_prefix("http://sandbox.test").unwrap();
    let r = send(&app, get(path)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers[axum::http::header::LOCATION],
        format!("https://shop.test/thanks?order={order_id}").as_str()
    );
}

#[tokio::test]
async fn rejected_pending_and_chosen_categories() {
    let (_, app) = sandbox();
    let id = session(&app, &cart()).await;
    let rejected = authorize(&app, &id, json!({"outcome": "rejected"})).await;
    assert_eq!(
        rejected,
        json!({"approved": false, "show_form": false, "authorization_token": null,
               "finalize_required": false})
    );
    let r = send(
        &app,
        control(
            &format!("/_sandbox/klarna/sessions/{id}/authorize"),
            &json!({"outcome": "maybe"}),
        ),
    )
    .await;
    assert_klarna_error(
        &r,
        StatusCode::BAD_REQUEST,
        "BAD_VALUE",
        "Bad value: outcome",
    );
    let r = send(
        &app,
        control(
            &format!("/_sandbox/klarna/sessions/{id}/authorize"),
            &json!({"outcome": "approved", "payment_method_category": "pay_by_cheque"}),
        ),
    )
    .await;
    assert_klarna_error(
        &r,
        StatusCode::BAD_REQUEST,
        "BAD_VALUE",
        "Bad value: payment_method_category",
    );

    let pending = order_with(&app, "pending", Some("pay_over_time")).await;
    let om = get_order(&app, &pending).await;
    assert_eq!(om["fraud_status"], "PENDING");
    assert_eq!(om["initial_payment_method"]["type"], "FIXED_AMOUNT");
}

#[tokio::test]
async fn tokens_last_an_hour_and_a_cancelled_one_is_gone() {
    let (sandbox, app) = sandbox();
    let cart = cart();
    let late = token(&app, &cart, "approved", None).await;
    let unused = token(&app, &cart, "approved", None).await;
    sandbox
        .advance_clock(time::Duration::minutes(61))
        .expect("clock");
    let r = call(
        &app,
        "POST",
        &format!("/payments/v1/authorizations/{late}/order"),
        Some(&cart),
    )
    .await;
    assert_klarna_error(
        &r,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "Invalid authorization token",
    );

    let path = format!("/payments/v1/authorizations/{unused}");
    let r = call(&app, "DELETE", &path, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = call(&app, "DELETE", &path, None).await;
    assert_klarna_error(
        &r,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "Authorization cannot be deleted",
    );
    let r = call(&app, "POST", &format!("{path}/order"), Some(&cart)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let r = call(&app, "DELETE", "/payments/v1/authorizations/nope", None).await;
    assert_klarna_error(
        &r,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "Invalid authorization token",
    );
}

#[tokio::test]
async fn customer_tokens_need_a_tokenize_intent_and_are_made_once() {
    let (_, app) = sandbox();
    let request = json!({"description": "Monthly coffee", "intended_use": "SUBSCRIPTION",
        "locale": "sv-SE", "purchase_country": "SE", "purchase_currency": "SEK"});
    let buy = token(&app, &cart(), "approved", None).await;
    let r = call(
        &app,
        "POST",
        &format!("/payments/v1/authorizations/{buy}/customer-token"),
        Some(&request),
    )
    .await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "INVALID_OPERATION",
        "Not allowed to create customer token for intent buy",
    );

    let mut tokenize = cart();
    tokenize["intent"] = json!("tokenize");
    let t = token(&app, &tokenize, "approved", None).await;
    let path = format!("/payments/v1/authorizations/{t}/customer-token");
    let mut no_description = request.clone();
    no_description
        .as_object_mut()
        .unwrap()
        .remove("description");
    let r = call(&app, "POST", &path, Some(&no_description)).await;
    assert_klarna_error(
        &r,
        StatusCode::BAD_REQUEST,
        "BAD_VALUE",
        "Bad value: description",
    );
    let r = call(&app, "POST", &path, Some(&request)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["token_id"].as_str().unwrap().len(), 36);
    assert_eq!(r.json["billing_address"]["city"], "Ankeborg");
    let r = call(&app, "POST", &path, Some(&request)).await;
    assert_klarna_error(
        &r,
        StatusCode::FORBIDDEN,
        "INVALID_OPERATION",
        "Authorization token already consumed",
    );
    let r = call(
        &app,
        "POST",
        &format!("/payments/v1/authorizations/{t}/order"),
        Some(&tokenize),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
}

#[tokio::test]
async fn every_call_needs_klarnas_basic_authentication() {
    let (_, app) = sandbox();
    for auth in ["", "Bearer test_abc", "Basic not-base64!", &basic("", "x")] {
        let r = send(
            &app,
            klarna_as("POST", "/payments/v1/sessions", Some(&cart()), auth),
        )
        .await;
        assert_klarna_error(&r, StatusCode::UNAUTHORIZED, "UNAUTHORIZED", "Basic");
    }
    let r = send(
        &app,
        klarna_as(
            "POST",
            "/payments/v1/sessions",
            Some(&cart()),
            "Basic klarna_test_api_OTMxMDQ4YjQtN2Y5Ny00MjQ1",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "an API key as Klarna issues them");

    // A sandbox told its credential accepts only that one.
    let only = Sandbox::new(SandboxConfig {
        klarna_credentials: Some(KlarnaCredentials {
            username: USER.into(),
            password: PASS.into(),
        }),
        ..SandboxConfig::default()
    })
    .router();
    let wrong = send(
        &only,
        klarna_as(
            "POST",
            "/payments/v1/sessions",
            Some(&cart()),
            &basic(USER, "guess"),
        ),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        call(&only, "POST", "/payments/v1/sessions", Some(&cart()))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_browser_test_opens_a_session_without_credentials_from_any_origin() {
    let (_, app) = sandbox();
    let r = send(&app, control("/_sandbox/klarna/sessions", &cart())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.headers["access-control-allow-origin"], "*");
    let id = r.json["session_id"].as_str().unwrap();
    // The tester's merchant owns it: Basic `sandbox-tester:…` reads it, others do not.
    let mine = klarna_as(
        "GET",
        &format!("/payments/v1/sessions/{id}"),
        None,
        &basic("sandbox-tester", "x"),
    );
    assert_eq!(send(&app, mine).await.status, StatusCode::OK);
    let theirs = call(&app, "GET", &format!("/payments/v1/sessions/{id}"), None).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    // The cart is checked as Klarna checks it.
    let mut bad = cart();
    bad["order_amount"] = json!(1);
    let r = send(&app, control("/_sandbox/klarna/sessions", &bad)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(r.headers["access-control-allow-origin"], "*");
    // The library itself loads into a cross-origin isolated page (COEP require-corp).
    let script = send(&app, get("/klarna/lib/v1/api.js")).await;
    assert_eq!(script.status, StatusCode::OK);
    assert_eq!(
        script.headers["cross-origin-resource-policy"],
        "cross-origin"
    );
}
