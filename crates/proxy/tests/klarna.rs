//! Klarna orders through the proxy's router against the real sandbox: every action, the
//! refusals in Klarna's terms, the ledger's exactly-once with Klarna's idempotency key,
//! notifications, import, search and the expiry radar.
use crate::common::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::{json, Value};

async fn act(w: &World, id: &str, action: Value) -> (StatusCode, Value) {
    let req = authed(
        post_json(&format!("/api/orders/{id}/actions"), &action),
        &w.auth,
    );
    let (status, body, _) = call_as(&w.app, req).await;
    (status, body)
}

async fn view(w: &World, id: &str) -> Value {
    let (status, body, text) =
        call_as(&w.app, authed(get(&format!("/api/orders/{id}")), &w.auth)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    body
}

/// Captures everything left under `intent`; the id of the order's first capture.
async fn capture_all(w: &World, id: &str, intent: &str) -> String {
    let (status, body) = act(w, id, json!({"kind": "ship", "intent_id": intent})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["order"]["shipments"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// The Klarna order as the sandbox has it.
async fn at_klarna(w: &World, id: &str) -> Value {
    klarna_call(w, "GET", &format!("/ordermanagement/v1/orders/{id}"), None).await
}

fn line<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == id)
        .unwrap()
}

fn unavailable(v: &Value, kind: &str) -> Option<String> {
    v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == kind)
        .and_then(|a| a["unavailable"].as_str().map(str::to_owned))
}

fn klarna_webhook(body: &str) -> Request<Body> {
    Request::post("/webhooks/klarna")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test]
async fn an_imported_order_reads_in_kassas_terms() {
    let w = world().await;
    let v = klarna_order(&w, "approved", None).await;
    assert_eq!(v["provider"], "klarna");
    assert_eq!(v["status"], "authorized");
    assert_eq!(v["provider_status"], "AUTHORIZED");
    assert_eq!(v["fraud_status"], "ACCEPTED");
    assert_eq!(v["order_number"], "SHOP-1001");
    assert!(v["provider_reference"].as_str().is_some());
    assert_eq!(v["method"], "invoice");
    assert_eq!(v["amount"], json!({"minor": 11000, "currency": "SEK"}));
    assert_eq!(v["amount_remaining"]["minor"], 11000);
    assert_eq!(v["billing_address"]["givenName"], "Testperson-se");
    let battery = line(&v, "19-402-SWE");
    assert_eq!(battery["shippable_quantity"], 2);
    assert_eq!(battery["cancelable_quantity"], 2);
    assert_eq!(battery["refundable_quantity"], 0);
    assert_eq!(battery["vat_rate"], "25.00");
    assert_eq!(unavailable(&v, "ship"), None);
    assert!(unavailable(&v, "refund")
        .unwrap()
        .contains("Nothing captured yet"));
    // Today's extension gives the same date: nothing to extend yet.
    assert!(v["extended_expires_at"].is_null());
    assert!(unavailable(&v, "extend_authorization")
        .unwrap()
        .contains("as long as Klarna allows"));
    let events: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert!(
        events
            .iter()
            .any(|e| e.contains("Added from Klarna by olga@shop.test")),
        "{events:?}"
    );
}

#[tokio::test]
async fn capture_in_two_parts_with_tracking_then_refunds() {
    let w = world().await;
    let id = id_of(&klarna_order(&w, "approved", None).await);
    let ship = json!({"kind": "ship", "intent_id": "cap-0000-0001",
        "lines": [{"line_id": "19-402-SWE", "quantity": 1}],
        "description": "First box",
        "tracking": {"carrier": "PostNord SE", "code": "6345641567", "url": "https://postnord.example/t/1",
                     "method": "Home"}});
    let (status, body) = act(&w, &id, ship).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v = &body["order"];
    assert_eq!(v["status"], "shipping");
    assert_eq!(v["provider_status"], "PART_CAPTURED");
    assert_eq!(line(v, "19-402-SWE")["quantity_shipped"], 1);
    assert_eq!(line(v, "19-402-SWE")["shippable_quantity"], 1);
    let shipment = &v["shipments"][0];
    assert_eq!(shipment["amount"]["minor"], 5000);
    assert_eq!(shipment["tracking"]["carrier"], "PostNord SE");
    assert_eq!(shipment["tracking"]["method"], "Home");
    assert_eq!(shipment["shipping_info"].as_array().unwrap().len(), 1);
    let k = at_klarna(&w, &id).await;
    assert_eq!(k["captures"][0]["description"], "First box");
    assert_eq!(k["captures"][0]["order_lines"][0]["total_tax_amount"], 1000);

    // The rest: everything remaining.
    let (status, body) = act(
        &w,
        &id,
        json!({"kind": "ship", "intent_id": "cap-0000-0002"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v = &body["order"];
    assert_eq!(v["status"], "completed");
    assert_eq!(v["provider_status"], "CAPTURED");
    assert_eq!(v["amount_captured"]["minor"], 11000);
    assert_eq!(v["shipments"].as_array().unwrap().len(), 2);
    assert!(unavailable(v, "ship")
        .unwrap()
        .contains("Everything has been captured"));

    // Refund a line with a reference, then an amount.
    let refund = json!({"kind": "refund", "intent_id": "ref-0000-0001",
        "lines": [{"line_id": "19-402-SWE", "quantity": 1}], "description": "Broken",
        "reference": "RMA-7"});
    let (status, body) = act(&w, &id, refund).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["order"]["amount_refunded"]["minor"], 5000);
    assert_eq!(line(&body["order"], "19-402-SWE")["quantity_refunded"], 1);
    assert_eq!(at_klarna(&w, &id).await["refunds"][0]["reference"], "RMA-7");
    let amount = json!({"kind": "refund_amount", "intent_id": "ref-0000-0002",
        "amount": {"minor": 500, "currency": "SEK"}, "description": "Goodwill"});
    let (status, body) = act(&w, &id, amount).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["order"]["amount_refunded"]["minor"], 5500);
    // More than is left: Kassa says so before Klarna.
    let over = json!({"kind": "refund_amount", "intent_id": "ref-0000-0003",
        "amount": {"minor": 6000, "currency": "SEK"}});
    let (status, body) = act(&w, &id, over).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["field"], "amount");
    // A return fee with the last battery: Klarna's negative line, the refund less the fee.
    let fee = json!({"kind": "refund", "intent_id": "ref-0000-0004",
        "lines": [{"line_id": "19-402-SWE", "quantity": 1}],
        "return_fee": {"minor": 500, "currency": "SEK"}});
    let (status, body) = act(&w, &id, fee).await;
    // Klarna takes return fees only on orders captured in one capture: its refusal, in
    // Kassa's shape.
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "not_allowed");
    assert!(
        body["message"].as_str().unwrap().contains("return fee"),
        "{body}"
    );
}

#[tokio::test]
async fn remove_items_then_cancel_and_refusals() {
    let w = world().await;
    let id = id_of(&klarna_order(&w, "approved", None).await);
    let remove = json!({"kind": "cancel_lines", "intent_id": "rm-0000-0001",
        "lines": [{"line_id": "19-402-SWE", "quantity": 1}]});
    let (status, body) = act(&w, &id, remove).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v = &body["order"];
    assert_eq!(v["amount"]["minor"], 6000);
    assert_eq!(v["amount_original"]["minor"], 11000);
    assert_eq!(line(v, "19-402-SWE")["quantity"], 1);
    assert_eq!(at_klarna(&w, &id).await["order_amount"], 6000);
    // Too many: named on the line.
    let too_many = json!({"kind": "cancel_lines", "intent_id": "rm-0000-0002",
        "lines": [{"line_id": "19-402-SWE", "quantity": 2}]});
    let (status, body) = act(&w, &id, too_many).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("lines.0.quantity"))
    );
    // Release needs a capture.
    let (status, body) = act(
        &w,
        &id,
        json!({"kind": "release_authorization", "intent_id": "rel-0000-0001"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "not_allowed");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("Nothing captured yet"));
    // Acknowledge.
    let (status, body) = act(
        &w,
        &id,
        json!({"kind": "acknowledge", "intent_id": "ack-0000-0001"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Cancel.
    let (status, body) = act(
        &w,
        &id,
        json!({"kind": "cancel_order", "intent_id": "can-0000-0001"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["order"]["status"], "canceled");
    assert_eq!(line(&body["order"], "19-402-SWE")["quantity_canceled"], 1);

    // An order with a capture cannot be cancelled, but released.
    let other = id_of(&klarna_order(&w, "approved", None).await);
    let ship = json!({"kind": "ship", "intent_id": "cap-0000-0011", "lines": [{"line_id": "SHIP", "quantity": 1}]});
    assert_eq!(act(&w, &other, ship).await.0, StatusCode::OK);
    let before = w.sandbox.requests().len();
    let (status, body) = act(
        &w,
        &other,
        json!({"kind": "cancel_order", "intent_id": "can-0000-0002"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "not_allowed");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("Order has captures"),
        "{body}"
    );
    assert!(
        !w.sandbox.requests()[before..]
            .iter()
            .any(|r| r.path.ends_with("/cancel")),
        "Klarna was not asked"
    );
    let (status, body) = act(
        &w,
        &other,
        json!({"kind": "release_authorization", "intent_id": "rel-0000-0002"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["order"]["provider_status"], "CLOSED");
    assert_eq!(body["order"]["status"], "completed");
    assert_eq!(line(&body["order"], "19-402-SWE")["quantity_canceled"], 2);
}

#[tokio::test]
async fn fraud_review_blocks_capture_until_the_notification() {
    let w = world().await;
    let v = klarna_order(&w, "pending", None).await;
    let id = id_of(&v);
    assert_eq!(v["status"], "pending");
    let ship = json!({"kind": "ship", "intent_id": "cap-0000-0021"});
    let (status, body) = act(&w, &id, ship).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "not_allowed");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("Fraud review pending"));

    // Klarna decides; its notification only names the order.
    klarna_call(
        &w,
        "POST",
        &format!("/_sandbox/klarna/orders/{id}/fraud"),
        Some(&json!({"status": "ACCEPTED"})),
    )
    .await;
    let before = w.sandbox.requests().len();
    let note = json!({"order_id": id, "event_type": "FRAUD_RISK_ACCEPTED", "event_id": "e1", "occurred_at": "2026-01-01T00:00:00Z"});
    let (status, _, _) = call_as(&w.app, klarna_webhook(&note.to_string())).await;
    assert_eq!(status, StatusCode::OK);
    let fetched: Vec<_> = w.sandbox.requests()[before..]
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        fetched,
        vec![format!("GET /ordermanagement/v1/orders/{id}")]
    );
    let v = view(&w, &id).await;
    assert_eq!(v["status"], "authorized");
    assert_eq!(v["fraud_status"], "ACCEPTED");
    let details: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert!(
        details.contains(&"Webhook received from Klarna"),
        "{details:?}"
    );
    assert!(
        details.contains(&"Status changed from pending to authorized"),
        "{details:?}"
    );

    // Forged notifications change nothing: a body that claims a decision is not believed,
    // unknown or malformed ids are not fetched.
    let forged = json!({"order_id": id, "event_type": "FRAUD_RISK_REJECTED"});
    assert_eq!(
        call_as(&w.app, klarna_webhook(&forged.to_string())).await.0,
        StatusCode::OK
    );
    assert_eq!(view(&w, &id).await["fraud_status"], "ACCEPTED");
    let before = w.sandbox.requests().len();
    for body in [
        json!({"order_id": "f3392f8b-6116-4073-ab96-e330819e2c07"}).to_string(),
        json!({"order_id": "../../v2/orders"}).to_string(),
        json!({"order_id": "ord_abc"}).to_string(),
        "not json".to_owned(),
        "{}".to_owned(),
    ] {
        assert_eq!(
            call_as(&w.app, klarna_webhook(&body)).await.0,
            StatusCode::OK,
            "{body}"
        );
    }
    assert_eq!(w.sandbox.requests().len(), before, "nothing fetched");
    assert_eq!(
        act(
            &w,
            &id,
            json!({"kind": "ship", "intent_id": "cap-0000-0022"})
        )
        .await
        .0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn shipments_get_shipping_info_send_outs_and_longer_due_dates() {
    let w = world().await;
    let id = id_of(&klarna_order(&w, "approved", None).await);
    let shipment = capture_all(&w, &id, "cap-0000-0031").await;
    let track = json!({"kind": "update_tracking", "intent_id": "trk-0000-0001", "shipment_id": shipment,
        "tracking": {"carrier": "DHL SE", "code": "JJD1", "return_carrier": "DHL SE", "return_code": "R1"}});
    let (status, body) = act(&w, &id, track).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let s = &body["order"]["shipments"][0];
    assert_eq!(s["shipping_info"].as_array().unwrap().len(), 1);
    assert_eq!(s["tracking"]["return_code"], "R1");
    let send =
        json!({"kind": "trigger_send_out", "intent_id": "snd-0000-0001", "shipment_id": shipment});
    assert_eq!(act(&w, &id, send).await.0, StatusCode::OK);

    let uri = format!("/api/orders/{id}/shipments/{shipment}/due-date-options");
    let (status, options, text) = call_as(&w.app, authed(get(&uri), &w.auth)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let days: Vec<u64> = options
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["days"].as_u64().unwrap())
        .collect();
    assert_eq!(days, vec![7, 14, 30]);
    assert_eq!(options[1]["fee"], json!({"minor": 200, "currency": "SEK"}));
    let bad = json!({"kind": "extend_due_date", "intent_id": "due-0000-0001", "shipment_id": shipment, "days": 5});
    let (status, body) = act(&w, &id, bad).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("days")),
        "{body}"
    );
    let ok = json!({"kind": "extend_due_date", "intent_id": "due-0000-0002", "shipment_id": shipment, "days": 14});
    let (status, body) = act(&w, &id, ok).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, options, _) = call_as(&w.app, authed(get(&uri), &w.auth)).await;
    assert_eq!(options, json!([]), "extended once");
    // Not a shipment of this order.
    let (status, _, _) = call_as(
        &w.app,
        authed(
            get(&format!(
                "/api/orders/{id}/shipments/f3392f8b-6116-4073-ab96-e330819e2c07/due-date-options"
            )),
            &w.auth,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Card payments: no due date.
    let card = id_of(&klarna_order(&w, "approved", Some("pay_now")).await);
    let s = capture_all(&w, &card, "cap-0000-0032").await;
    let due = json!({"kind": "extend_due_date", "intent_id": "due-0000-0003", "shipment_id": s, "days": 7});
    let (status, body) = act(&w, &card, due).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("not_allowed"))
    );
}

#[tokio::test]
async fn details_change_where_klarna_allows() {
    let w = world().await;
    let id = id_of(&klarna_order(&w, "approved", None).await);
    let billing = json!({"kind": "update_order", "intent_id": "upd-0000-0001",
        "billing_address": {"givenName": "A", "familyName": "B", "email": "a@b.se", "streetAndNumber": "X 1",
                            "postalCode": "12345", "city": "Y", "country": "SE"}});
    let before = w.sandbox.requests().len();
    let (status, body) = act(&w, &id, billing).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("billing_address")),
        "{body}"
    );
    assert!(!w.sandbox.requests()[before..]
        .iter()
        .any(|r| r.method == "PATCH"));
    let update = json!({"kind": "update_order", "intent_id": "upd-0000-0002",
        "shipping_address": {"givenName": "Testperson-se", "familyName": "Approved", "email": "c@email.se",
                             "streetAndNumber": "Hamngatan 2", "postalCode": "12345", "city": "Ankeborg", "country": "SE"},
        "order_number": "SHOP-2002", "merchant_reference2": "crm-9"});
    let (status, body) = act(&w, &id, update).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v = &body["order"];
    assert_eq!(v["order_number"], "SHOP-2002");
    assert_eq!(v["merchant_reference2"], "crm-9");
    assert_eq!(v["shipping_address"]["streetAndNumber"], "Hamngatan 2");
}

#[tokio::test]
async fn each_intent_captures_once_and_resumes_with_its_first_request() {
    let w = world().await;
    let id = id_of(&klarna_order(&w, "approved", None).await);
    let ship = json!({"kind": "ship", "intent_id": "cap-0000-0041", "lines": [{"line_id": "19-402-SWE", "quantity": 1}]});
    let (s1, first) = act(&w, &id, ship.clone()).await;
    let (s2, again) = act(&w, &id, ship).await;
    assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK));
    assert_eq!(again["replayed"], true);
    assert_eq!(first["order"]["shipments"], again["order"]["shipments"]);
    assert_eq!(
        at_klarna(&w, &id).await["captures"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Klarna captures, but every answer is lost: 503 to staff, the intent stays pending.
    w.sandbox
        .add_fault(
            "POST /ordermanagement/v1/orders/*/captures drop after times=4"
                .parse()
                .unwrap(),
        )
        .unwrap();
    let rest = json!({"kind": "ship", "intent_id": "cap-0000-0042"});
    let (status, body) = act(&w, &id, rest.clone()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["code"], "provider_unavailable");
    // Meanwhile the mirror moves on (a webhook), yet the retry sends what was sent first.
    let (status, body) = act(&w, &id, rest).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let k = at_klarna(&w, &id).await;
    assert_eq!(k["captures"].as_array().unwrap().len(), 2, "captured once");
    assert_eq!(k["captured_amount"], 11000);
    let keys: Vec<_> = w
        .sandbox
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/captures"))
        .map(|r| r.idempotency_key.clone())
        .collect();
    assert_eq!(keys.len(), 6, "{keys:?}");
    assert!(
        keys[1..]
            .iter()
            .all(|k| k.as_deref() == Some("cap-0000-0042")),
        "{keys:?}"
    );
}

#[tokio::test]
async fn extension_moves_expiry_by_klarnas_rule() {
    // Ten days on: the proxy's clock and the sandbox's.
    let w = world_with(|c| c.clock_offset = time::Duration::days(10)).await;
    let id = id_of(&klarna_order(&w, "approved", None).await);
    let before = view(&w, &id).await["expires_at"]
        .as_str()
        .unwrap()
        .to_owned();
    let resp = reqwest::Client::new()
        .post(format!("{}/_sandbox/clock", w.sandbox_url))
        .json(&json!({"seconds": 10 * 86_400}))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    let v = view(&w, &id).await;
    let promised = v["extended_expires_at"].as_str().unwrap().to_owned();
    assert!(promised > before, "{promised} after {before}");
    let (status, body) = act(
        &w,
        &id,
        json!({"kind": "extend_authorization", "intent_id": "ext-0000-0001"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["order"]["expires_at"],
        promised.as_str(),
        "what Kassa promised"
    );
    // Card: never.
    let card = id_of(&klarna_order(&w, "approved", Some("pay_now")).await);
    let (status, body) = act(
        &w,
        &card,
        json!({"kind": "extend_authorization", "intent_id": "ext-0000-0002"}),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("not_allowed"))
    );
}

#[tokio::test]
async fn import_search_and_the_expiry_radar() {
    let w = world().await;
    let id = place_klarna_order(&w, "approved", None).await;
    let import = |body: Value| authed(post_json("/api/orders/import", &body), &w.auth);
    let (status, body, _) = call_as(
        &w.app,
        import(json!({"provider": "klarna", "id": "ord_abc"})),
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("id"))
    );
    let (status, body, _) = call_as(&w.app, import(json!({"provider": "mollie", "id": id}))).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("id"))
    );
    let unknown = json!({"provider": "klarna", "id": "f3392f8b-6116-4073-ab96-e330819e2c07"});
    let (status, body, _) = call_as(&w.app, import(unknown)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    // Viewers cannot add orders.
    let viewer = login(&w.app, VIEWER).await;
    let req = authed(
        post_json(
            "/api/orders/import",
            &json!({"provider": "klarna", "id": id}),
        ),
        &viewer,
    );
    assert_eq!(call_as(&w.app, req).await.0, StatusCode::FORBIDDEN);
    let (status, _, text) = call_as(
        &w.app,
        import(json!({"provider": "klarna", "id": id.to_uppercase()})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");

    // A Mollie order beside it.
    let new = json!({"currency": "EUR", "locale": "nl_NL", "lines": [{"name": "Boek", "quantity": 1, "unit_price": 1500, "vat_rate": "21.00"}],
        "billing_address": {"givenName": "Piet", "familyName": "Jansen", "email": "piet@example.nl",
            "streetAndNumber": "Keizersgracht 1", "postalCode": "1015 CJ", "city": "Amsterdam", "country": "NL"}});
    let (status, created, text) =
        call_as(&w.app, authed(post_json("/api/orders", &new), &w.auth)).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let mollie = created["order"]["id"].as_str().unwrap().to_owned();

    let list = |q: &str| {
        let uri = format!("/api/orders?{q}");
        let req = authed(get(&uri), &w.auth);
        let app = w.app.clone();
        async move {
            let (status, page, text) = call_as(&app, req).await;
            assert_eq!(status, StatusCode::OK, "{text}");
            page["orders"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(list("provider=klarna").await, vec![id.clone()]);
    assert_eq!(list("provider=mollie").await, vec![mollie.clone()]);
    assert_eq!(list("").await.len(), 2);
    assert_eq!(
        list(&format!("q={}", id.to_uppercase())).await,
        vec![id.clone()]
    );
    assert_eq!(list("q=testperson").await, vec![id.clone()]);
    assert_eq!(list("q=SHOP-1001").await, vec![id.clone()]);
    let (_, page, _) = call_as(&w.app, authed(get("/api/orders?provider=klarna"), &w.auth)).await;
    assert_eq!(page["orders"][0]["provider"], "klarna");
    assert!(page["orders"][0]["expires_at"].as_str().is_some());
    let (status, _, _) = call_as(&w.app, authed(get("/api/orders?provider=paypal"), &w.auth)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // The radar: Klarna's authorization runs 28 days.
    let radar = |q: &str| {
        let req = authed(get(&format!("/api/orders/expiring{q}")), &w.auth);
        let app = w.app.clone();
        async move { call_as(&app, req).await }
    };
    let (status, soon, text) = radar("?within_days=30").await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(soon.as_array().unwrap().len(), 1, "{soon}");
    assert_eq!(soon[0]["order"]["id"], id.as_str());
    assert_eq!(
        soon[0]["uncaptured"],
        json!({"minor": 11000, "currency": "SEK"})
    );
    let kinds: Vec<&str> = soon[0]["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["ship", "extend_authorization"]);
    let (_, week, _) = radar("").await;
    assert_eq!(week, json!([]), "default: 7 days");
    for bad in ["?within_days=0", "?within_days=61", "?within_days=abc"] {
        let (status, body, _) = radar(bad).await;
        assert_eq!(
            (status, body["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("within_days")),
            "{bad}"
        );
    }
    // Mollie orders have no due dates.
    let (status, body, _) = call_as(
        &w.app,
        authed(
            get(&format!(
                "/api/orders/{mollie}/shipments/shp_x/due-date-options"
            )),
            &w.auth,
        ),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("not_allowed"))
    );
}
