//! The proxy's `/api` and webhook routes, driven with `oneshot` against a real sandbox on a
//! free loopback port (the provider is never mocked).
use std::path::PathBuf;

use crate::common::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use kassa_model::api::Role;
use kassa_proxy::config::SANDBOX_KEY;
use kassa_proxy::{app, staff, AppState, StateConfig};
use serde_json::{json, Value};
use tower::ServiceExt;

/// Sends as the logged-in operator.
async fn call(w: &World, req: Request<Body>) -> (StatusCode, Value, String) {
    call_as(&w.app, authed(req, &w.auth)).await
}

fn new_order() -> Value {
    json!({
        "currency": "EUR",
        "locale": "nl_NL",
        "order_number": "1337",
        "method": "klarnapaylater",
        "billing_address": {"givenName": "Piet", "familyName": "Mondriaan", "email": "piet@mondriaan.com",
            "streetAndNumber": "Keizersgracht 126", "postalCode": "1234AB", "city": "Amsterdam", "country": "NL"},
        "lines": [
            {"name": "LEGO 42083 Bugatti Chiron", "quantity": 2, "unit_price": 39900, "discount": 10000, "vat_rate": "21.00"},
            {"name": "LEGO 42056 Porsche 911 GT3 RS", "quantity": 1, "unit_price": 32999, "vat_rate": "21"}
        ]
    })
}

#[tokio::test]
async fn creating_an_order_prices_it_on_the_server_and_returns_the_checkout() {
    let w = world().await;
    let (status, body, text) = call(&w, post_json("/api/orders", &new_order())).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let checkout = body["checkout_url"].as_str().unwrap();
    assert!(checkout.starts_with(&format!("{}/checkout/", w.sandbox_url)));
    assert!(
        !checkout.contains(body["order"]["id"].as_str().unwrap()),
        "the checkout link does not carry the order id"
    );
    let order = &body["order"];
    assert_eq!(order["status"], "created");
    assert_eq!(order["order_number"], "1337");
    assert_eq!(order["amount"], json!({"minor": 102799, "currency": "EUR"}));
    assert_eq!(order["lines"][0]["vat_amount"]["minor"], 12114);
    assert_eq!(order["lines"][0]["total"]["minor"], 69800);
    assert_eq!(order["events"][0]["kind"], "created");

    // What Mollie received: its own amount format, our return and webhook URLs.
    let at_provider = provider_order(&w, order["id"].as_str().unwrap()).await;
    assert_eq!(at_provider["amount"]["value"], "1027.99");
    assert_eq!(at_provider["lines"][0]["vatAmount"]["value"], "121.14");
    assert!(at_provider["redirectUrl"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:1/return/"));
    assert_eq!(
        at_provider["webhookUrl"],
        "http://127.0.0.1:1/webhooks/mollie"
    );
}

#[tokio::test]
async fn a_missing_order_number_is_generated() {
    let w = world().await;
    let mut body = new_order();
    body["order_number"] = json!("  ");
    let (status, body, _) = call(&w, post_json("/api/orders", &body)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(body["order"]["order_number"]
        .as_str()
        .unwrap()
        .starts_with("K-"));
}

#[tokio::test]
async fn invalid_orders_name_the_field_and_reach_no_provider() {
    let w = world().await;
    let cases = [
        ("/lines/0/name", json!(" "), "lines.0.name"),
        ("/lines/1/quantity", json!(0), "lines.1.quantity"),
        ("/lines/0/discount", json!(99999), "lines.0.discount"),
        (
            "/billing_address/email",
            json!("not-an-email"),
            "billingAddress.email",
        ),
        (
            "/billing_address/postalCode",
            json!(""),
            "billingAddress.postalCode",
        ),
        ("/locale", json!("dutch"), "locale"),
        ("/lines", json!([]), "lines"),
    ];
    for (pointer, value, field) in cases {
        let mut body = new_order();
        *body.pointer_mut(pointer).unwrap() = value;
        let (status, err, text) = call(&w, post_json("/api/orders", &body)).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{pointer}: {text}"
        );
        assert_eq!(err["code"], "validation");
        assert_eq!(err["field"], field, "{pointer}");
        assert!(!err["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(
        w.sandbox.order_count(),
        0,
        "nothing was sent to the provider"
    );
}

#[tokio::test]
async fn malformed_bodies_get_the_json_error_shape() {
    let w = world().await;
    let (status, err, _) = call(&w, post_json("/api/orders", &json!({"currency": "EUR"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err["message"].as_str().unwrap().contains("locale"), "{err}");
    assert_eq!(err["code"], "bad_request");
    let req = Request::post("/api/orders")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    let (status, err, _) = call(&w, req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["code"], "bad_request");
}

#[tokio::test]
async fn unknown_orders_and_endpoints_are_404() {
    let w = world().await;
    let (status, err, _) = call(&w, get("/api/orders/ord_doesnotexist")).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (status, err, _) = call(&w, get("/api/orders/..%2F..%2Fetc")).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (status, err, _) = call(&w, get("/api/nope")).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (status, _, _) = call(&w, get("/api/returns/unknownref")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_webhook_makes_the_proxy_refetch_the_order() {
    let w = world().await;
    let (_, created, _) = call(&w, post_json("/api/orders", &new_order())).await;
    let id = created["order"]["id"].as_str().unwrap().to_owned();
    pay(created["checkout_url"].as_str().unwrap(), "authorized").await;

    // The mirror does not know yet: the webhook has not reached us.
    let (_, before, _) = call(&w, get(&format!("/api/orders/{id}"))).await;
    assert_eq!(before["status"], "created");

    let (status, _, _) = call(&w, webhook(&id)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, after, _) = call(&w, get(&format!("/api/orders/{id}"))).await;
    assert_eq!(after["status"], "authorized");
    assert_eq!(after["lines"][0]["status"], "authorized");
    assert_eq!(after["lines"][0]["shippable_quantity"], 2);
    let kinds: Vec<&str> = after["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created", "webhook", "status"]);
    assert_eq!(
        after["events"][2]["detail"],
        "Status changed from created to authorized"
    );

    // The same webhook again changes nothing: duplicates stay out of the timeline.
    let (status, _, _) = call(&w, webhook(&id)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, again, _) = call(&w, get(&format!("/api/orders/{id}"))).await;
    assert_eq!(again["events"], after["events"]);
    let statuses = again["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "status")
        .count();
    assert_eq!(statuses, 1);
}

#[tokio::test]
async fn webhooks_for_unknown_or_malformed_ids_change_nothing() {
    let w = world().await;
    for id in [
        "ord_doesnotexist",
        "tr_12345",
        "x%27%3B+DROP+TABLE+orders",
        "",
    ] {
        let (status, _, _) = call(&w, webhook(id)).await;
        assert_eq!(status, StatusCode::OK, "{id}");
    }
    let (status, _, _) = call(&w, get("/api/orders/ord_doesnotexist")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_return_page_sees_the_payment_even_before_the_webhook() {
    let w = world().await;
    let (_, created, _) = call(&w, post_json("/api/orders", &new_order())).await;
    let id = created["order"]["id"].as_str().unwrap();
    let redirect = provider_order(&w, id).await["redirectUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let return_ref = redirect.rsplit('/').next().unwrap();
    pay(created["checkout_url"].as_str().unwrap(), "authorized").await;

    // No session needed: the return link is the customer's.
    let (status, order, _) = call_as(&w.app, get(&format!("/api/returns/{return_ref}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(order["id"], id);
    assert_eq!(order["status"], "authorized");
    // The order's locale: the return page speaks its language and writes money its way.
    assert_eq!(order["locale"], "nl_NL");
    // The customer's copy: no timeline (staff emails, action ids), no merchant bookkeeping.
    assert!(
        order["events"].as_array().is_none_or(Vec::is_empty),
        "{order}"
    );
    assert!(order["amount_captured"].is_null() && order["amount_refunded"].is_null());
    let (_, staff_view, _) = call(&w, get(&format!("/api/orders/{id}"))).await;
    assert!(!staff_view["events"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn an_unreachable_provider_is_503_and_nothing_is_stored() {
    let config = StateConfig::new(
        &crate::common::database_url().await,
        "http://127.0.0.1:1/v2/",
        SANDBOX_KEY,
        "http://127.0.0.1:1",
        PathBuf::from("/nonexistent"),
    );
    let state = AppState::new(config).await.unwrap();
    staff::create(state.db(), OPERATOR, "", Role::Operator, PASSWORD)
        .await
        .unwrap();
    let app = app(state);
    let auth = login(&app, OPERATOR).await;
    let (status, err, _) =
        call_as(&app, authed(post_json("/api/orders", &new_order()), &auth)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(err["code"], "provider_unavailable");
    // An order the mirror does not know is never fetched (a known one is 503, so the
    // provider retries: tests/hardening.rs).
    let (status, _, _) = call_as(&app, webhook("ord_abc")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn deep_links_load_the_app() {
    let dist = std::env::temp_dir().join(format!("kassa-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<html>kassa app</html>").unwrap();
    let w = world_with(|c| c.dist = dist).await;
    for path in ["/", "/orders/ord_abc", "/return/xyz"] {
        // As a browser loads a page (missing files without it: tests/hardening.rs).
        let page = Request::get(path)
            .header(header::ACCEPT, "text/html,*/*;q=0.8")
            .body(Body::empty())
            .unwrap();
        let (status, _, text) = call(&w, page).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(text.contains("kassa app"), "{path}");
    }
}

#[tokio::test]
async fn every_api_route_needs_a_session_except_the_public_ones() {
    let w = world().await;
    let (_, created, _) = call(&w, post_json("/api/orders", &new_order())).await;
    let id = created["order"]["id"].as_str().unwrap();
    for req in [
        post_json("/api/orders", &new_order()),
        get(&format!("/api/orders/{id}")),
        get("/api/session"),
        get("/api/nope"),
    ] {
        let (status, err, _) = call_as(&w.app, req).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(err["code"], "unauthorized");
    }
    let (status, _, _) = call_as(&w.app, get("/api/health")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = call_as(&w.app, get("/api/returns/unknown")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "public, and simply unknown");
    let forged = authed(
        get(&format!("/api/orders/{id}")),
        &("kassa_session=forged".into(), String::new()),
    );
    assert_eq!(call_as(&w.app, forged).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn changes_need_the_csrf_token_and_the_operator_role() {
    let w = world().await;
    let mut no_csrf = authed(post_json("/api/orders", &new_order()), &w.auth);
    no_csrf.headers_mut().remove("x-csrf-token");
    let (status, err, _) = call_as(&w.app, no_csrf).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("csrf"))
    );
    let wrong = authed(
        post_json("/api/orders", &new_order()),
        &(w.auth.0.clone(), "wrong".into()),
    );
    assert_eq!(call_as(&w.app, wrong).await.0, StatusCode::FORBIDDEN);

    let viewer = login(&w.app, VIEWER).await;
    let (status, err, _) = call_as(
        &w.app,
        authed(post_json("/api/orders", &new_order()), &viewer),
    )
    .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    assert_eq!(
        w.sandbox.order_count(),
        0,
        "refused changes reach no provider"
    );
    let (status, me, _) = call_as(&w.app, authed(get("/api/session"), &viewer)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["staff"]["role"], "viewer");
    assert_eq!(me["csrf_token"], viewer.1.as_str());
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let w = world().await;
    let logout = Request::delete("/api/session").body(Body::empty()).unwrap();
    let resp = w
        .app
        .clone()
        .oneshot(authed(logout, &w.auth))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert!(resp.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let (status, _, _) = call(&w, get("/api/session")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn wrong_passwords_are_refused_and_then_rate_limited() {
    let w = world().await;
    for _ in 0..5 {
        let (status, err, _) = call_as(
            &w.app,
            post_json(
                "/api/session",
                &json!({"email": OPERATOR, "password": "wrong"}),
            ),
        )
        .await;
        assert_eq!(
            (status, err["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("unauthorized"))
        );
    }
    let (status, err, _) = call_as(
        &w.app,
        post_json(
            "/api/session",
            &json!({"email": OPERATOR, "password": PASSWORD}),
        ),
    )
    .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("rate_limited")),
        "even the right password, for a while"
    );
    let (status, _, _) = call_as(
        &w.app,
        post_json(
            "/api/session",
            &json!({"email": "nobody@shop.test", "password": "x"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn app_pages_carry_a_content_security_policy() {
    let dist = std::env::temp_dir().join(format!("kassa-dist-csp-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<html><script type=\"module\">boot()</script></html>",
    )
    .unwrap();
    let w = world_with(|c| c.dist = dist).await;
    let resp = w.app.clone().oneshot(get("/orders/ord_x")).await.unwrap();
    let csp = resp.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(resp.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
}

/// A configuration whose provider is unreachable (nothing listens on port 1).
fn offline_config() -> StateConfig {
    StateConfig::new(
        "sqlite::memory:",
        "http://127.0.0.1:1/v2/",
        SANDBOX_KEY,
        "http://127.0.0.1:1",
        PathBuf::from("/nonexistent-dist"),
    )
}

/// The proxy with `KASSA_EMBED_ORIGINS=http://admin.shop.test` and one operator.
async fn embedding_app() -> Router {
    let mut config = offline_config();
    config.embed_origins = vec!["http://admin.shop.test".into()];
    let state = AppState::new(config).await.unwrap();
    staff::create(state.db(), OPERATOR, "Olga", Role::Operator, PASSWORD)
        .await
        .unwrap();
    app(state)
}

fn from_origin(mut req: Request<Body>, origin: &str) -> Request<Body> {
    req.headers_mut()
        .insert(header::ORIGIN, origin.parse().unwrap());
    req
}

#[tokio::test]
async fn a_listed_host_page_may_call_the_api_with_the_session_cookie() {
    let app = embedding_app().await;
    let login = |origin: &'static str| {
        from_origin(
            post_json(
                "/api/session",
                &json!({"email": OPERATOR, "password": PASSWORD}),
            ),
            origin,
        )
    };
    let resp = app
        .clone()
        .oneshot(login("http://admin.shop.test"))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let h = resp.headers();
    assert_eq!(
        h[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "http://admin.shop.test"
    );
    assert_eq!(h[header::ACCESS_CONTROL_ALLOW_CREDENTIALS], "true");
    assert!(h.contains_key(header::SET_COOKIE));

    // Any other page gets no CORS headers, so its browser keeps the answer from it.
    let resp = app
        .clone()
        .oneshot(login("http://evil.test"))
        .await
        .unwrap();
    assert!(!resp
        .headers()
        .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));

    // The preflight of a mutation allows the CSRF header and is answered before the session
    // guard (it carries no cookie).
    let preflight = Request::options("/api/orders/ord_x/actions")
        .header(header::ORIGIN, "http://admin.shop.test")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "content-type,x-csrf-token",
        )
        .body(Body::empty())
        .unwrap();
    let resp = app.clone().oneshot(preflight).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let h = resp.headers();
    assert_eq!(
        h[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "http://admin.shop.test"
    );
    let allowed = h[header::ACCESS_CONTROL_ALLOW_HEADERS].to_str().unwrap();
    assert!(allowed.contains("x-csrf-token"), "{allowed}");
    let methods = h[header::ACCESS_CONTROL_ALLOW_METHODS].to_str().unwrap();
    assert!(
        methods.contains("POST") && methods.contains("DELETE"),
        "{methods}"
    );

    // A 401 still names the origin, so the host page can read why.
    let resp = app
        .clone()
        .oneshot(from_origin(get("/api/orders"), "http://admin.shop.test"))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(resp
        .headers()
        .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));
}

#[tokio::test]
async fn without_embed_origins_there_is_no_cors_and_bad_ones_stop_the_start() {
    let w = world().await;
    let resp = w
        .app
        .clone()
        .oneshot(from_origin(get("/api/session"), "http://admin.shop.test"))
        .await
        .unwrap();
    assert!(!resp
        .headers()
        .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));

    let mut config = offline_config();
    config.embed_origins = vec!["*".into()];
    let error = AppState::new(config)
        .await
        .err()
        .expect("a wildcard is refused");
    assert!(error.to_string().contains("KASSA_EMBED_ORIGINS"), "{error}");
}

#[tokio::test]
async fn orders_are_listed_searched_and_paged_from_the_mirror() {
    let w = world().await;
    let people = [
        ("Piet", "Mondriaan", "piet@mondriaan.com", "A-100", 1),
        ("Anna", "Bakker", "anna@bakker.nl", "A-200", 2),
        ("Karel", "Appel", "karel@appel.nl", "B-300", 3),
    ];
    let mut ids = Vec::new();
    for (given, family, email, number, qty) in people {
        let mut body = new_order();
        body["order_number"] = json!(number);
        body["billing_address"]["givenName"] = json!(given);
        body["billing_address"]["familyName"] = json!(family);
        body["billing_address"]["email"] = json!(email);
        body["lines"][1]["quantity"] = json!(qty);
        let (status, created, text) = call(&w, post_json("/api/orders", &body)).await;
        assert_eq!(status, StatusCode::CREATED, "{text}");
        ids.push(created["order"]["id"].as_str().unwrap().to_owned());
    }
    let numbers = |page: &Value| -> Vec<String> {
        page["orders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["order_number"].as_str().unwrap().to_owned())
            .collect()
    };

    let (status, all, _) = call(&w, get("/api/orders")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all["orders"].as_array().unwrap().len(), 3);
    assert!(all["next_cursor"].is_null());
    assert_eq!(all["orders"][0]["amount"]["currency"], "EUR");

    for (q, expected) in [
        ("a-", vec!["A-100", "A-200"]),
        ("ANNA", vec!["A-200"]),
        ("appel", vec!["B-300"]),
        ("karel@", vec!["B-300"]),
        ("Anna Bakker", vec!["A-200"]),
        ("piet mond", vec!["A-100"]),
        ("piet appel", vec![]),
        ("zzz", vec![]),
    ] {
        let q = q.replace(' ', "%20");
        let (_, page, _) = call(&w, get(&format!("/api/orders?q={q}"))).await;
        let mut got = numbers(&page);
        got.sort();
        assert_eq!(got, expected, "q={q}");
    }
    let (_, by_id, _) = call(&w, get(&format!("/api/orders?q={}", ids[1]))).await;
    assert_eq!(numbers(&by_id), ["A-200"]);
    // 698.00 + 2 × 329.99 = 1357.98 is the only amount in this range.
    let (_, by_amount, _) = call(
        &w,
        get("/api/orders?currency=EUR&min_minor=135000&max_minor=136000"),
    )
    .await;
    assert_eq!(numbers(&by_amount), ["A-200"]);
    // Only orders in that currency; the same minor units are another amount elsewhere.
    let (_, in_gbp, _) = call(&w, get("/api/orders?currency=GBP")).await;
    assert!(numbers(&in_gbp).is_empty());
    let (_, created, _) = call(&w, get("/api/orders?status=created")).await;
    assert_eq!(created["orders"].as_array().unwrap().len(), 3);
    let (_, paid, _) = call(&w, get("/api/orders?status=paid")).await;
    assert!(paid["orders"].as_array().unwrap().is_empty());

    // Keyset pages: every order once.
    let (_, first, _) = call(&w, get("/api/orders?limit=2")).await;
    assert_eq!(first["orders"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second, _) = call(&w, get(&format!("/api/orders?limit=2&cursor={cursor}"))).await;
    assert!(second["next_cursor"].is_null());
    let mut seen = numbers(&first);
    seen.extend(numbers(&second));
    seen.sort();
    assert_eq!(seen, ["A-100", "A-200", "B-300"]);

    for bad in [
        "/api/orders?limit=0",
        "/api/orders?from=yesterday",
        "/api/orders?cursor=nonsense",
        "/api/orders?sort=up",
        "/api/orders?min_minor=100",
    ] {
        let (status, err, _) = call(&w, get(bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(err["code"], "validation");
    }
    let (status, _, _) = call(&w, get("/api/orders?status=nonsense")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let viewer = login(&w.app, VIEWER).await;
    let (status, _, _) = call_as(&w.app, authed(get("/api/orders"), &viewer)).await;
    assert_eq!(status, StatusCode::OK, "viewers read");
}

#[tokio::test]
async fn the_order_view_lists_shipments_refunds_and_payments() {
    let w = world().await;
    let mut body = new_order();
    body["method"] = json!("ideal");
    let (_, created, _) = call(&w, post_json("/api/orders", &body)).await;
    let id = created["order"]["id"].as_str().unwrap().to_owned();
    pay(created["checkout_url"].as_str().unwrap(), "paid").await;
    let client = reqwest::Client::new();
    let ship = json!({"lines": [], "tracking": {"carrier": "PostNL", "code": "3S123"}});
    client
        .post(format!("{}/v2/orders/{id}/shipments", w.sandbox_url))
        .bearer_auth(SANDBOX_KEY)
        .json(&ship)
        .send()
        .await
        .unwrap();
    client
        .post(format!("{}/v2/orders/{id}/refunds", w.sandbox_url))
        .bearer_auth(SANDBOX_KEY)
        .json(&json!({"lines": []}))
        .send()
        .await
        .unwrap();
    call(&w, webhook(&id)).await;
    let (_, view, _) = call(&w, get(&format!("/api/orders/{id}"))).await;
    assert_eq!(view["shipments"][0]["tracking"]["carrier"], "PostNL");
    assert_eq!(
        view["shipments"][0]["lines"][0]["name"],
        "LEGO 42083 Bugatti Chiron"
    );
    assert_eq!(view["shipments"][0]["lines"][0]["quantity"], 2);
    assert_eq!(view["refunds"][0]["amount"]["minor"], 102799);
    assert_eq!(view["payments"][0]["status"], "paid");
    assert_eq!(view["payments"][0]["method"], "ideal");
    assert_eq!(view["status"], "completed");
}

#[tokio::test]
async fn the_public_checkout_prices_from_the_catalog_only() {
    let w = world().await;
    let (status, catalog, _) = call_as(&w.app, get("/api/public/catalog")).await;
    assert_eq!(status, StatusCode::OK, "public: no session needed");
    assert_eq!(catalog.as_array().unwrap().len(), 4);

    // The browser tries to set its own prices and totals: they are ignored.
    let checkout = json!({
        "items": [{"sku": "KASSA-MUG", "quantity": 2, "unit_price": 1}, {"sku": "KASSA-BOOK", "quantity": 1}],
        "amount": {"minor": 1, "currency": "EUR"},
        "locale": "nl_NL",
        "billing_address": new_order()["billing_address"].clone()
    });
    let (status, created, text) =
        call_as(&w.app, post_json("/api/public/checkout", &checkout)).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    assert_eq!(created["amount"], json!({"minor": 5440, "currency": "EUR"}));
    // The shopper learns no order id; the provider's newest order is the one just made.
    let listed: Value = reqwest::Client::new()
        .get(format!("{}/v2/orders?limit=1", w.sandbox_url))
        .bearer_auth(SANDBOX_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let newest = &listed["_embedded"]["orders"][0];
    assert_eq!(
        newest["_links"]["checkout"]["href"], created["checkout_url"],
        "the shopper was sent to this order's checkout"
    );
    let at_provider = provider_order(&w, newest["id"].as_str().unwrap()).await;
    assert_eq!(at_provider["amount"]["value"], "54.40");
    assert_eq!(at_provider["lines"][1]["vatRate"], "9.00");
    assert_eq!(at_provider["lines"][1]["vatAmount"]["value"], "2.02");
    assert_eq!(at_provider["lines"][0]["sku"], "KASSA-MUG");

    for (items, field) in [
        (json!([{"sku": "NOPE", "quantity": 1}]), "items.0.sku"),
        (
            json!([{"sku": "KASSA-MUG", "quantity": 0}]),
            "items.0.quantity",
        ),
        (
            json!([{"sku": "KASSA-MUG", "quantity": 100}]),
            "items.0.quantity",
        ),
        (json!([]), "items"),
    ] {
        let mut bad = checkout.clone();
        bad["items"] = items;
        let (status, err, _) = call_as(&w.app, post_json("/api/public/checkout", &bad)).await;
        assert_eq!(
            (status, err["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field))
        );
    }
    assert_eq!(w.sandbox.order_count(), 1);
}

#[tokio::test]
async fn public_checkouts_are_limited_per_client_address() {
    let w = world().await;
    let app = w
        .app
        .clone()
        .layer(axum::extract::connect_info::MockConnectInfo(
            std::net::SocketAddr::from(([203, 0, 113, 7], 5555)),
        ));
    let checkout = json!({
        "items": [{"sku": "KASSA-MUG", "quantity": 1}],
        "locale": "nl_NL",
        "billing_address": new_order()["billing_address"].clone()
    });
    for _ in 0..30 {
        let (status, _, text) = call_as(&app, post_json("/api/public/checkout", &checkout)).await;
        assert_eq!(status, StatusCode::CREATED, "{text}");
    }
    let (status, err, _) = call_as(&app, post_json("/api/public/checkout", &checkout)).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("rate_limited"))
    );
    assert_eq!(w.sandbox.order_count(), 30);
}

#[tokio::test]
async fn staff_can_refresh_one_order_from_the_provider() {
    let w = world().await;
    let (_, created, _) = call(&w, post_json("/api/orders", &new_order())).await;
    let id = created["order"]["id"].as_str().unwrap().to_owned();
    pay(created["checkout_url"].as_str().unwrap(), "authorized").await;
    let (status, view, _) = call(
        &w,
        Request::post(format!("/api/orders/{id}/refresh"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["status"], "authorized");
    let last = view["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "refresh");
    assert_eq!(last["detail"], "Refreshed from Mollie by olga@shop.test");
    let viewer = login(&w.app, VIEWER).await;
    let (status, _, _) = call_as(
        &w.app,
        authed(
            Request::post(format!("/api/orders/{id}/refresh"))
                .body(Body::empty())
                .unwrap(),
            &viewer,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a POST: operators only");
}
