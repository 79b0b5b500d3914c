//! Paying with Klarna on Kassa's pages, through the proxy's router against the real sandbox:
//! the shop's Klarna checkout priced from the catalog, staff pay links, placing the order with
//! the authorization token exactly once, 409 on a cart Klarna did not authorize, unused
//! authorizations canceled, a fraud review, customer tokens and expiry. The shopper's side is
//! played through the sandbox's library routes, as its stand-in of Klarna's library does.
use crate::common::*;
use axum::http::StatusCode;
use serde_json::{json, Value};

fn address() -> Value {
    json!({
        "givenName": "Erika", "familyName": "Mustermann", "email": "Erika@Example.com",
        "streetAndNumber": "Unter den Linden 1", "postalCode": "10117", "city": "Berlin",
        "country": "DE"
    })
}

/// A shopper's Klarna checkout of two mugs and a book, with a price of their own that the
/// proxy must ignore.
async fn shop_checkout(w: &World) -> Value {
    let body = json!({
        "items": [
            {"sku": "KASSA-MUG", "quantity": 2, "unit_price": 1},
            {"sku": "KASSA-BOOK", "quantity": 1}
        ],
        "amount": {"minor": 1, "currency": "EUR"},
        "billing_address": address(),
        "locale": "de_DE",
        "provider": "klarna"
    });
    let (status, created, text) = call_as(&w.app, post_json("/api/public/checkout", &body)).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    created
}

/// [`shop_checkout`]'s pay link reference and client token.
async fn shop_klarna(w: &World) -> (String, String) {
    let created = shop_checkout(w).await;
    (
        str_of(&created, "/klarna/reference").to_owned(),
        str_of(&created, "/klarna/client_token").to_owned(),
    )
}

/// The Klarna orders in the console's list.
async fn klarna_orders(w: &World) -> Vec<Value> {
    let (status, page, text) =
        call_as(&w.app, authed(get("/api/orders?provider=klarna"), &w.auth)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    page["orders"].as_array().unwrap().clone()
}

/// What Klarna's library does in the shopper's browser: ask about the session, then authorize
/// it with the shopper's decision. The token, if approved.
async fn authorize(w: &World, client_token: &str, outcome: &str) -> Option<String> {
    let http = reqwest::Client::new();
    let answer: Value = http
        .post(format!("{}/klarna/lib/v1/authorize", w.sandbox_url))
        .json(&json!({
            "client_token": client_token, "outcome": outcome,
            "payment_method_category": "pay_later"
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["authorization_token"].as_str().map(str::to_owned)
}

async fn summary(w: &World, client_token: &str) -> Value {
    reqwest::Client::new()
        .post(format!("{}/klarna/lib/v1/session", w.sandbox_url))
        .json(&json!({ "client_token": client_token }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn place(w: &World, reference: &str, token: &str) -> (StatusCode, Value) {
    let (status, body, _) = call_as(
        &w.app,
        post_json(
            &format!("/api/public/pay/{reference}/order"),
            &json!({ "authorization_token": token }),
        ),
    )
    .await;
    (status, body)
}

async fn pay_link(w: &World, reference: &str) -> Value {
    let (status, body, text) = call_as(&w.app, get(&format!("/api/public/pay/{reference}"))).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    body
}

/// Whether Klarna would still place an order with `token` (an authorization not canceled).
async fn token_usable(w: &World, token: &str) -> bool {
    let status = reqwest::Client::new()
        .delete(format!(
            "{}/payments/v1/authorizations/{token}",
            w.sandbox_url
        ))
        .basic_auth(KLARNA_USER, Some(KLARNA_PASS))
        .send()
        .await
        .unwrap()
        .status();
    status == reqwest::StatusCode::NO_CONTENT
}

fn str_of<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no {pointer} in {v}"))
}

fn has_event(order: &Value, words: &str) -> bool {
    order["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["detail"].as_str().unwrap_or_default().contains(words))
}

#[tokio::test]
async fn the_shop_prices_a_klarna_session_from_its_catalog_and_hands_out_only_the_client_token() {
    let w = world().await;
    let created = shop_checkout(&w).await;
    // 2 × €14.95 + €24.50 from the catalog; the shopper's "1" is ignored.
    assert_eq!(created["amount"], json!({"minor": 5440, "currency": "EUR"}));
    assert!(created.get("checkout_url").is_none(), "{created}");
    let klarna = &created["klarna"];
    let keys: Vec<&String> = klarna.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "categories",
            "client_token",
            "expires_at",
            "library_url",
            "reference"
        ],
        "no session id, no cart"
    );
    assert_eq!(
        str_of(klarna, "/library_url"),
        format!("{}/klarna/lib/v1/api.js", w.sandbox_url)
    );
    assert_eq!(klarna["categories"][1]["identifier"], "pay_later");
    // Klarna holds the catalog's amounts in its own arithmetic and spelling.
    let session = summary(&w, str_of(klarna, "/client_token")).await;
    assert_eq!(session["order_amount"], 5440);
    assert_eq!(session["purchase_country"], "DE");
    assert_eq!(session["locale"], "de-DE");
    // Nothing is in the console until the shopper has authorized.
    assert_eq!(klarna_orders(&w).await, Vec::<Value>::new());
}

#[tokio::test]
async fn an_authorization_places_the_order_once_and_the_console_shows_it() {
    let w = world().await;
    let (reference, client_token) = shop_klarna(&w).await;
    assert_eq!(str_of(&pay_link(&w, &reference).await, "/state"), "open");
    // The shopper authorizes twice (two windows) before either places the order.
    let first = authorize(&w, &client_token, "approved").await.unwrap();
    let second = authorize(&w, &client_token, "approved").await.unwrap();

    let (status, placed) = place(&w, &reference, &first).await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    assert_eq!(placed["fraud_pending"], false);
    let return_ref = str_of(&placed, "/return_ref").to_owned();
    // A repeat (a lost answer, a double click) is the same order.
    let (status, again) = place(&w, &reference, &first).await;
    assert_eq!((status, &again), (StatusCode::CREATED, &placed));
    // The other authorization is refused and canceled at Klarna: nothing is charged twice.
    let (status, refused) = place(&w, &reference, &second).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(
        !token_usable(&w, &second).await,
        "the unused authorization is canceled"
    );

    let link = pay_link(&w, &reference).await;
    assert_eq!(link["state"], "placed");
    assert_eq!(link["return_ref"], json!(return_ref));
    assert!(link.get("klarna").is_none(), "{link}");

    // The customer's return page and the console see one authorized Klarna order.
    let (status, returned, text) =
        call_as(&w.app, get(&format!("/api/returns/{return_ref}"))).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(returned["provider"], "klarna");
    assert_eq!(returned["status"], "authorized");
    assert_eq!(returned["amount"]["minor"], 5440);
    let orders = klarna_orders(&w).await;
    assert_eq!(orders.len(), 1, "{orders:?}");
    let id = str_of(&orders[0], "/id");
    let (_, order, _) = call_as(&w.app, authed(get(&format!("/api/orders/{id}")), &w.auth)).await;
    assert!(
        has_event(&order, "placed at Klarna by the customer in the shop"),
        "{order}"
    );
    assert_eq!(order["lines"][0]["sku"], "KASSA-MUG");
}

#[tokio::test]
async fn a_cart_klarna_did_not_authorize_is_refused_with_409_and_its_authorization_canceled() {
    let w = world().await;
    let (reference, client_token) = shop_klarna(&w).await;
    // Someone changes the session at Klarna (one mug more) and the shopper authorizes that.
    let session_id: String = w
        .state
        .db()
        .query("SELECT session_id FROM pay_links WHERE reference = ?")
        .bind(&reference)
        .scalar()
        .await
        .unwrap()
        .unwrap();
    let mut cart: Value = serde_json::from_str(
        &w.state
            .db()
            .query("SELECT cart FROM pay_links WHERE reference = ?")
            .bind(&reference)
            .scalar::<String>()
            .await
            .unwrap()
            .unwrap(),
    )
    .unwrap();
    cart["order_lines"][0]["quantity"] = json!(3);
    cart["order_lines"][0]["total_amount"] = json!(4485);
    cart["order_lines"][0]["total_tax_amount"] = json!(778);
    let lines = &cart["order_lines"];
    let amount: i64 = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["total_amount"].as_i64().unwrap())
        .sum();
    let tax: i64 = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["total_tax_amount"].as_i64().unwrap())
        .sum();
    klarna_call(
        &w,
        "POST",
        &format!("/payments/v1/sessions/{session_id}"),
        Some(&json!({"order_lines": lines, "order_amount": amount, "order_tax_amount": tax})),
    )
    .await;
    let token = authorize(&w, &client_token, "approved").await.unwrap();

    let (status, refused) = place(&w, &reference, &token).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["code"], "conflict");
    assert!(
        str_of(&refused, "/message").contains("nothing was charged"),
        "{refused}"
    );
    assert!(
        !token_usable(&w, &token).await,
        "the authorization is canceled"
    );
    // The link is free for another try, and no order was made.
    assert_eq!(str_of(&pay_link(&w, &reference).await, "/state"), "open");
    assert_eq!(klarna_orders(&w).await, Vec::<Value>::new());
}

#[tokio::test]
async fn a_token_klarna_refuses_frees_the_link_for_another_authorization() {
    let w = world().await;
    let (reference, client_token) = shop_klarna(&w).await;
    let (status, refused) = place(&w, &reference, "not-a-real-token").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["code"], "provider");
    let (status, refused) = place(&w, &reference, "../../orders").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    // The shopper authorizes again and that one places the order.
    let token = authorize(&w, &client_token, "approved").await.unwrap();
    let (status, placed) = place(&w, &reference, &token).await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    // A rejected authorization has no token to send: Klarna's library says so in the page.
    let other = shop_checkout(&w).await;
    assert_eq!(
        authorize(&w, str_of(&other, "/klarna/client_token"), "rejected").await,
        None
    );
}

#[tokio::test]
async fn a_pending_fraud_review_is_placed_and_shown_as_pending() {
    let w = world().await;
    let (reference, client_token) = shop_klarna(&w).await;
    let token = authorize(&w, &client_token, "pending").await.unwrap();
    let (status, placed) = place(&w, &reference, &token).await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    assert_eq!(placed["fraud_pending"], true);
    let (_, returned, _) = call_as(
        &w.app,
        get(&format!("/api/returns/{}", str_of(&placed, "/return_ref"))),
    )
    .await;
    assert_eq!(returned["fraud_status"], "PENDING");
    let id = str_of(&klarna_orders(&w).await[0], "/id").to_owned();
    let (_, order, _) = call_as(&w.app, authed(get(&format!("/api/orders/{id}")), &w.auth)).await;
    assert!(
        has_event(&order, "reviewing this order for fraud"),
        "{order}"
    );
    let ship = order["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "ship")
        .unwrap();
    assert!(
        ship["unavailable"]
            .as_str()
            .unwrap()
            .contains("Fraud review pending"),
        "{ship}"
    );
}

#[tokio::test]
async fn staff_make_a_pay_link_the_customer_pays_and_the_customer_token_is_kept() {
    let w = world().await;
    let body = json!({
        "order": {
            "currency": "EUR", "locale": "nl_NL", "order_number": "PL-1",
            "billing_address": address(),
            "lines": [{"name": "Regenjas", "sku": "RJ", "quantity": 2, "unit_price": 8900,
                       "discount": 0, "vat_rate": "21.00"}]
        },
        "save_customer_token": true
    });
    // Not for the public, nor for viewers.
    let (status, _, _) = call_as(&w.app, post_json("/api/pay-links", &body)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let viewer = login(&w.app, VIEWER).await;
    let (status, _, _) = call_as(&w.app, authed(post_json("/api/pay-links", &body), &viewer)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, created, text) =
        call_as(&w.app, authed(post_json("/api/pay-links", &body), &w.auth)).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let reference = str_of(&created, "/reference").to_owned();
    assert_eq!(
        str_of(&created, "/url"),
        format!("http://127.0.0.1:1/pay/{reference}")
    );
    assert_eq!(
        created["amount"],
        json!({"minor": 17800, "currency": "EUR"})
    );

    // The customer's page: what they buy, no bookkeeping, and the library's needs.
    let link = pay_link(&w, &reference).await;
    assert_eq!(link["order_number"], "PL-1");
    assert_eq!(link["state"], "open");
    assert_eq!(
        link["lines"],
        json!([{"name": "Regenjas", "quantity": 2, "total": {"minor": 17800, "currency": "EUR"}}])
    );
    let token = authorize(&w, str_of(&link, "/klarna/client_token"), "approved")
        .await
        .unwrap();
    let (status, placed) = place(&w, &reference, &token).await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");

    let (_, page, _) = call_as(&w.app, authed(get("/api/orders?q=PL-1"), &w.auth)).await;
    let id = str_of(&page, "/orders/0/id").to_owned();
    let (_, order, _) = call_as(&w.app, authed(get(&format!("/api/orders/{id}")), &w.auth)).await;
    assert_eq!(order["order_number"], "PL-1");
    assert!(
        has_event(&order, &format!("pay link from {OPERATOR}")),
        "{order}"
    );
    assert!(
        has_event(&order, "Customer token saved for later orders (…"),
        "{order}"
    );
    // The token is kept against the customer's email, in full only in the database.
    let (token_id, email): (String, String) = w
        .state
        .db()
        .query("SELECT token_id, customer_email FROM customer_tokens WHERE order_id = ?")
        .bind(&id)
        .fetch_one()
        .await
        .unwrap();
    assert_eq!(email, "erika@example.com");
    assert!(
        !order.to_string().contains(&token_id),
        "the full token is not shown"
    );
}

#[tokio::test]
async fn an_expired_pay_link_says_so_and_places_nothing() {
    let w = world().await;
    let (reference, client_token) = shop_klarna(&w).await;
    let token = authorize(&w, &client_token, "approved").await.unwrap();
    // 48 hours pass (the link's own clock; Klarna's session ends at the same time).
    w.state
        .db()
        .query("UPDATE pay_links SET expires_unix = 0 WHERE reference = ?")
        .bind(&reference)
        .execute()
        .await
        .unwrap();
    let link = pay_link(&w, &reference).await;
    assert_eq!(link["state"], "expired");
    assert!(link.get("klarna").is_none(), "{link}");
    let (status, refused) = place(&w, &reference, &token).await;
    assert_eq!(status, StatusCode::GONE, "{refused}");
    assert_eq!(refused["code"], "expired");
    assert!(!token_usable(&w, &token).await);
    let (status, _, _) = call_as(&w.app, get("/api/public/pay/no-such-link")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
