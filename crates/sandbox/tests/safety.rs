//! What no client can do to the sandbox: move its clock out of range, reach its test controls
//! when they are off, or pay (and learn the return link of) an order whose checkout link it
//! was never given.
use crate::common::*;
use axum::http::{header, StatusCode};
use kassa_sandbox::{Sandbox, SandboxConfig};
use serde_json::json;

fn sandbox_with(config: SandboxConfig) -> (Sandbox, axum::Router) {
    let sandbox = Sandbox::new(config);
    let app = sandbox.router();
    (sandbox, app)
}

#[tokio::test]
async fn a_clock_jump_out_of_range_is_refused_and_the_sandbox_keeps_working() {
    let (sandbox, app) = sandbox_with(SandboxConfig::default());
    let (hook, got) = webhook_receiver().await;
    for (seconds, why) in [
        (json!(i64::MAX), "far past the bound"),
        (json!(-60), "backwards"),
        (json!(101_i64 * 366 * 86_400), "more than 100 years"),
    ] {
        let r = send(
            &app,
            post_json("/_sandbox/clock", &json!({ "seconds": seconds })),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{why}: {}",
            r.text
        );
        assert_eq!(r.json["field"], "seconds", "{why}");
    }
    assert_eq!(
        sandbox.clock().offset_seconds(),
        0,
        "refusals change nothing"
    );
    let r = send(
        &app,
        post_json("/_sandbox/clock", &json!({"seconds": "soon"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);

    // Every later request still works, the webhook sender included.
    let mut order = lego_order();
    order["webhookUrl"] = json!(hook);
    let created = send(&app, post_json("/v2/orders", &order)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let r = send(
        &app,
        post_form(&checkout_path(&created.json), "outcome=authorized"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(got.lock().unwrap().len(), 1, "the webhook went out");

    // The largest allowed move still leaves dates the sandbox can compute with.
    let r = send(
        &app,
        post_json(
            "/_sandbox/clock",
            &json!({"seconds": 100_i64 * 366 * 86_400}),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let id = created.json["id"].as_str().unwrap();
    let o = send(&app, get(&format!("/v2/orders/{id}"))).await;
    assert_eq!(o.status, StatusCode::OK, "{}", o.text);
    assert_eq!(o.json["status"], "expired", "the authorization ran out");
    let r = send(&app, post_json("/_sandbox/clock", &json!({"seconds": 1}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
}

#[tokio::test]
async fn without_test_controls_no_control_answers() {
    let (_, app) = sandbox_with(SandboxConfig {
        test_controls: false,
        ..SandboxConfig::default()
    });
    for (method, path) in [
        ("GET", "/_sandbox/requests"),
        ("DELETE", "/_sandbox/requests"),
        ("GET", "/_sandbox/faults"),
        ("POST", "/_sandbox/faults"),
        ("DELETE", "/_sandbox/faults"),
        ("POST", "/_sandbox/clock"),
        ("GET", "/_sandbox/deliveries"),
    ] {
        let req = axum::http::Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(
                r#"{"path":"/v2/orders","status":503,"seconds":86400}"#,
            ))
            .unwrap();
        let r = send(&app, req).await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "{method} {path}: {}",
            r.text
        );
    }
    // The API itself is unaffected, and no fault was added by the attempt above.
    let r = send(&app, post_json("/v2/orders", &lego_order())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

#[tokio::test]
async fn the_checkout_answers_its_token_only_never_the_order_id() {
    let (_, app) = sandbox_with(SandboxConfig::default());
    let created = send(&app, post_json("/v2/orders", &lego_order())).await;
    let id = created.json["id"].as_str().unwrap().to_owned();
    let by_id = format!("/checkout/{id}");
    let page = send(&app, get(&by_id)).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.text.contains("Mondriaan"), "no customer data");
    let r = send(&app, post_form(&by_id, "outcome=open")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        r.headers.get(header::LOCATION).is_none(),
        "no redirect to the order's return link"
    );
    let r = send(&app, post_form(&by_id, "outcome=paid")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let o = send(&app, get(&format!("/v2/orders/{id}"))).await.json;
    assert_eq!(o["status"], "created", "nobody paid it through its id");

    // The shopper, who has the link, still pays.
    let pay = checkout_path(&created.json);
    let r = send(&app, post_form(&pay, "outcome=authorized")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let o = send(&app, get(&format!("/v2/orders/{id}"))).await.json;
    assert_eq!(o["status"], "authorized");
}

#[tokio::test]
async fn the_checkout_page_cannot_be_framed_sniffed_or_cached() {
    let (_, app) = sandbox_with(SandboxConfig::default());
    let created = send(&app, post_json("/v2/orders", &lego_order())).await;
    for path in [checkout_path(&created.json), "/checkout/nothing".to_owned()] {
        let page = send(&app, get(&path)).await;
        let csp = page.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        assert_eq!(page.headers[header::X_FRAME_OPTIONS], "DENY", "{path}");
        assert_eq!(page.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    }
}

#[tokio::test]
async fn long_input_is_never_echoed_at_length() {
    let (_, app) = sandbox_with(SandboxConfig::default());
    let long = "x".repeat(10_000);
    let mut order = lego_order();
    order["method"] = json!(long);
    let r = send(&app, post_json("/v2/orders", &order)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json["field"], "method");
    assert!(r.text.len() < 1_000, "{} bytes", r.text.len());
    let r = send(&app, get(&format!("/v2/orders/{long}"))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text.len() < 1_000, "{} bytes", r.text.len());
    let created = send(&app, post_json("/v2/orders", &lego_order())).await;
    let r = send(
        &app,
        post_form(&checkout_path(&created.json), &format!("outcome={long}")),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.len() < 5_000, "{} bytes", r.text.len());
}
