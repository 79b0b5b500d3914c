//! The order and line state machines (reference §5): shipping, cancelling, refunding,
//! editing, listing and expiry, through the sandbox's HTTP API.
use crate::common::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use kassa_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};

struct S {
    app: axum::Router,
    sandbox: Sandbox,
}

fn sandbox() -> S {
    let sandbox = Sandbox::new(SandboxConfig::default());
    S {
        app: sandbox.router(),
        sandbox,
    }
}

fn request(method: &str, uri: &str, body: Option<&Value>) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, "sandbox.test")
        .header(header::AUTHORIZATION, KEY)
        .header(header::CONTENT_TYPE, "application/json")
        .body(
            body.map(|b| Body::from(b.to_string()))
                .unwrap_or_else(Body::empty),
        )
        .unwrap()
}

impl S {
    async fn call(&self, method: &str, uri: &str, body: Option<&Value>) -> Reply {
        send(&self.app, request(method, uri, body)).await
    }

    /// Creates Mollie's Lego example order (optionally with a method and webhook) and pays it.
    async fn order(&self, method: &str, outcome: Option<&str>, webhook: Option<&str>) -> String {
        let mut body = lego_order();
        body["method"] = json!(method);
        match webhook {
            Some(url) => body["webhookUrl"] = json!(url),
            None => {
                body.as_object_mut().unwrap().remove("webhookUrl");
            }
        }
        let r = self.call("POST", "/v2/orders", Some(&body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let id = r.json["id"].as_str().unwrap().to_owned();
        if let Some(outcome) = outcome {
            let r = send(
                &self.app,
                post_form(&checkout_path(&r.json), &format!("outcome={outcome}")),
            )
            .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        }
        id
    }

    async fn get(&self, id: &str) -> Value {
        self.call(
            "GET",
            &format!("/v2/orders/{id}?embed=payments,refunds,shipments"),
            None,
        )
        .await
        .json
    }
}

fn line_id(order: &Value, i: usize) -> String {
    order["lines"][i]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn authorized_order_ships_in_parts_and_completes() {
    let s = sandbox();
    let (hook, got) = webhook_receiver().await;
    let id = s
        .order("klarnapaylater", Some("authorized"), Some(&hook))
        .await;
    let order = s.get(&id).await;
    let (bugatti, porsche) = (line_id(&order, 0), line_id(&order, 1));

    // Part of a discounted line needs an amount, and says which.
    let no_amount = json!({"lines": [{"id": bugatti, "quantity": 1}]});
    let r = s
        .call(
            "POST",
            &format!("/v2/orders/{id}/shipments"),
            Some(&no_amount),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json["field"], "lines.0.amount");
    assert_eq!(
        r.json["detail"],
        "Line 0 contains invalid data. An amount is required for this API call. The amount must be between €299.00 and €399.00."
    );
    assert_eq!(r.json["extra"]["minimumAmount"]["value"], "299.00");
    assert_eq!(r.json["extra"]["maximumAmount"]["value"], "399.00");

    let too_many = json!({"lines": [{"id": porsche, "quantity": 2}]});
    let r = s
        .call(
            "POST",
            &format!("/v2/orders/{id}/shipments"),
            Some(&too_many),
        )
        .await;
    assert_eq!(r.json["detail"], "Line 0 contains invalid data. The quantity is higher than the maximum quantity. The maximum quantity is 1.");

    // Mollie's documented shipment: 1 of the Bugatti (299.00) and the Porsche.
    let first = json!({
        "lines": [{"id": bugatti, "quantity": 1, "amount": {"currency": "EUR", "value": "299.00"}}, {"id": porsche}],
        "tracking": {"carrier": "PostNL", "code": "3SKABA000000000", "url": "http://postnl.nl/tracktrace/?B=3SKABA000000000"}
    });
    let r = s
        .call("POST", &format!("/v2/orders/{id}/shipments"), Some(&first))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let shipment = r.json;
    assert!(shipment["id"].as_str().unwrap().starts_with("shp_"));
    assert_eq!(shipment["tracking"]["carrier"], "PostNL");
    assert_eq!(shipment["lines"][0]["quantity"], 1);
    assert_eq!(shipment["lines"][0]["totalAmount"]["value"], "299.00");
    assert_eq!(shipment["lines"][0]["vatAmount"]["value"], "51.89");
    assert_eq!(shipment["lines"][0]["discountAmount"]["value"], "100.00");
    assert_eq!(shipment["lines"][0]["status"], "shipping");
    assert_eq!(shipment["lines"][1]["status"], "completed");
    assert!(shipment["lines"][0].get("shippableQuantity").is_none());

    let order = s.get(&id).await;
    assert_eq!(order["status"], "shipping");
    assert_eq!(order["amountCaptured"]["value"], "628.99");
    assert_eq!(order["lines"][0]["quantityShipped"], 1);
    assert_eq!(order["lines"][0]["amountShipped"]["value"], "299.00");
    assert_eq!(order["lines"][0]["shippableQuantity"], 1);
    assert_eq!(
        order["lines"][0]["refundableQuantity"], 1,
        "captured units can be refunded"
    );
    assert_eq!(order["lines"][1]["shippableQuantity"], 0);
    assert_eq!(
        order["_embedded"]["payments"][0]["status"], "authorized",
        "a partial shipment captures part; the payment stays authorized"
    );

    // The rest, with no lines given.
    let r = s
        .call(
            "POST",
            &format!("/v2/orders/{id}/shipments"),
            Some(&json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["lines"][0]["totalAmount"]["value"], "399.00");
    let order = s.get(&id).await;
    assert_eq!(order["status"], "completed");
    assert!(order["completedAt"].is_string());
    assert_eq!(order["amountCaptured"]["value"], "1027.99");
    assert_eq!(order["lines"][0]["status"], "completed");
    assert_eq!(
        order["_embedded"]["payments"][0]["status"], "paid",
        "everything is captured: the payment no longer reads authorized"
    );
    assert_eq!(order["_embedded"]["shipments"].as_array().unwrap().len(), 2);

    let r = s
        .call(
            "POST",
            &format!("/v2/orders/{id}/shipments"),
            Some(&json!({"lines": []})),
        )
        .await;
    assert_eq!(
        r.json["detail"],
        "Cannot create a shipment. No lines can be shipped."
    );

    // Shipments can be read back and their tracking changed.
    let sid = shipment["id"].as_str().unwrap();
    let list = s
        .call("GET", &format!("/v2/orders/{id}/shipments"), None)
        .await;
    assert_eq!(list.json["count"], 2);
    let tracking = json!({"tracking": {"carrier": "DHL", "code": "JJD01"}});
    let r = s
        .call(
            "PATCH",
            &format!("/v2/orders/{id}/shipments/{sid}"),
            Some(&tracking),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.json["tracking"],
        json!({"carrier": "DHL", "code": "JJD01"})
    );
    let r = s
        .call(
            "PATCH",
            &format!("/v2/orders/{id}/shipments/{sid}"),
            Some(&json!({})),
        )
        .await;
    assert_eq!(
        (r.status, r.json["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("tracking"))
    );
    let r = s
        .call("GET", &format!("/v2/orders/{id}/shipments/shp_nope"), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Webhooks: authorized, then one per shipment.
    assert_eq!(got.lock().unwrap().len(), 3);
    assert!(s.sandbox.deliveries().iter().all(|d| d.succeeded()));
}

#[tokio::test]
async fn authorized_lines_are_canceled_not_refunded() {
    let s = sandbox();
    let id = s.order("klarnapaylater", Some("authorized"), None).await;
    let order = s.get(&id).await;
    let (bugatti, porsche) = (line_id(&order, 0), line_id(&order, 1));

    let r = s
        .call(
            "POST",
            &format!("/v2/orders/{id}/refunds"),
            Some(&json!({"lines": []})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json["detail"]
        .as_str()
        .unwrap()
        .contains("canceled, not refunded"));

    let cancel = json!({"lines": [{"id": porsche}, {"id": bugatti, "quantity": 1, "amount": {"currency": "EUR", "value": "349.00"}}]});
    let r = s
        .call("DELETE", &format!("/v2/orders/{id}/lines"), Some(&cancel))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert!(r.text.is_empty());
    let order = s.get(&id).await;
    assert_eq!(order["status"], "authorized");
    assert_eq!(order["lines"][1]["status"], "canceled");
    assert_eq!(
        order["lines"][0]["status"], "authorized",
        "a partial cancel keeps the status"
    );
    assert_eq!(order["lines"][0]["quantityCanceled"], 1);
    assert_eq!(order["lines"][0]["amountCanceled"]["value"], "349.00");
    assert_eq!(order["lines"][0]["cancelableQuantity"], 1);
    assert_eq!(
        order["amount"]["value"], "1027.99",
        "cancelling lines keeps the order amount"
    );

    // Ship what is left: the line is done (shipped + canceled), the order completes.
    let r = s
        .call(
            "POST",
            &format!("/v2/orders/{id}/shipments"),
            Some(&json!({"lines": []})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json["lines"][0]["totalAmount"]["value"], "349.00");
    let order = s.get(&id).await;
    assert_eq!(order["lines"][0]["status"], "completed");
    assert_eq!(order["status"], "completed");
}

#[tokio::test]
async fn paid_lines_are_refunded_not_canceled() {
    let s = sandbox();
    let id = s.order("ideal", Some("paid"), None).await;
    let order = s.get(&id).await;
    let porsche = line_id(&order, 1);

    let r = s
        .call(
            "DELETE",
            &format!("/v2/orders/{id}/lines"),
            Some(&json!({"lines": [{"id": porsche}]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json["detail"]
        .as_str()
        .unwrap()
        .contains("refund them instead"));
    let r = s.call("DELETE", &format!("/v2/orders/{id}"), None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.json["detail"],
        "The order cannot be canceled from state: paid."
    );

    let r = s
        .call(
            "POST",
            &format!("/v2/orders/{id}/refunds"),
            Some(&json!({})),
        )
        .await;
    assert_eq!(
        (r.status, r.json["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("lines"))
    );

    let refund = json!({"lines": [{"id": porsche, "quantity": 1}], "description": "Scratched box"});
    let r = s
        .call("POST", &format!("/v2/orders/{id}/refunds"), Some(&refund))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert!(r.json["id"].as_str().unwrap().starts_with("re_"));
    assert_eq!(r.json["amount"]["value"], "329.99");
    assert_eq!(r.json["orderId"], id);
    assert_eq!(r.json["description"], "Scratched box");
    assert!(r.json["paymentId"].as_str().unwrap().starts_with("tr_"));

    let order = s.get(&id).await;
    assert_eq!(
        order["status"], "paid",
        "refunds do not change the order status"
    );
    assert_eq!(order["amountRefunded"]["value"], "329.99");
    assert_eq!(order["lines"][1]["refundableQuantity"], 0);
    assert_eq!(order["lines"][1]["quantityRefunded"], 1);
    let r = s
        .call("POST", &format!("/v2/orders/{id}/refunds"), Some(&refund))
        .await;
    assert_eq!(r.json["field"], "lines.0.quantity");

    // Refund the rest; list them.
    let r = s
        .call(
            "POST",
            &format!("/v2/orders/{id}/refunds"),
            Some(&json!({"lines": []})),
        )
        .await;
    assert_eq!(r.json["amount"]["value"], "698.00");
    let list = s
        .call("GET", &format!("/v2/orders/{id}/refunds"), None)
        .await;
    assert_eq!(list.json["count"], 2);
    assert_eq!(
        list.json["_embedded"]["refunds"][0]["amount"]["value"], "698.00",
        "newest first"
    );
}

#[tokio::test]
async fn an_amount_is_refunded_on_the_orders_payment() {
    let s = sandbox();
    // Unpaid: nothing to refund yet.
    let open = s.order("ideal", None, None).await;
    let tr_open = s.get(&open).await["_embedded"]["payments"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let refund = |value: &str| json!({"amount": {"currency": "EUR", "value": value}, "description": "Goodwill"});
    let r = s
        .call(
            "POST",
            &format!("/v2/payments/{tr_open}/refunds"),
            Some(&refund("1.00")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);

    let id = s.order("ideal", Some("paid"), None).await;
    let tr = s.get(&id).await["_embedded"]["payments"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let uri = format!("/v2/payments/{tr}/refunds");
    let r = s.call("POST", &uri, Some(&refund("25.00"))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["resource"], "refund");
    assert_eq!(r.json["amount"]["value"], "25.00");
    assert_eq!(r.json["paymentId"], tr.as_str());
    assert_eq!(r.json["description"], "Goodwill");
    assert!(r.json.get("lines").is_none_or(Value::is_null), "{}", r.text);
    // The same amount again within the hour is a duplicate; another amount is fine.
    let r = s.call("POST", &uri, Some(&refund("25.00"))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.json["detail"].as_str().unwrap().contains("duplicate"));
    let r = s.call("POST", &uri, Some(&refund("2.99"))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // Never more than is left: 1027.99 − 27.99 = 1000.00.
    let r = s.call("POST", &uri, Some(&refund("1000.01"))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.json["field"], "amount");
    assert!(
        r.json["detail"].as_str().unwrap().contains("1000.00"),
        "{}",
        r.text
    );
    for (body, field) in [
        (json!({}), "amount"),
        (
            json!({"amount": {"currency": "USD", "value": "1.00"}}),
            "amount.currency",
        ),
        (
            json!({"amount": {"currency": "EUR", "value": "0.00"}}),
            "amount",
        ),
    ] {
        let r = s.call("POST", &uri, Some(&body)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text
        );
        assert_eq!(r.json["field"], field, "{body}");
    }
    // The lines are still refundable, but the money is the payment's: refunding every line
    // (1027.99) on top of the 27.99 is refused, and changes nothing.
    let r = s
        .call(
            "POST",
            &format!("/v2/orders/{id}/refunds"),
            Some(&json!({"lines": []})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.json["detail"].as_str().unwrap().contains("1000.00"),
        "{}",
        r.text
    );
    // The order counts them and lists them; its lines are untouched.
    let order = s.get(&id).await;
    assert_eq!(order["amountRefunded"]["value"], "27.99");
    assert_eq!(order["_embedded"]["refunds"].as_array().unwrap().len(), 2);
    assert_eq!(order["lines"][0]["quantityRefunded"], 0);
    let r = s
        .call(
            "POST",
            "/v2/payments/tr_nonexistent/refunds",
            Some(&refund("1.00")),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn cancelling_whole_orders() {
    let s = sandbox();
    let created = s.order("ideal", None, None).await;
    let r = s
        .call("DELETE", &format!("/v2/orders/{created}"), Some(&json!({})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["status"], "canceled");
    assert!(r.json["canceledAt"].is_string());
    assert!(r.json.get("expiresAt").is_none());
    assert_eq!(r.json["amount"]["value"], "1027.99");
    assert_eq!(r.json["lines"][0]["quantityCanceled"], 2);
    assert_eq!(r.json["lines"][0]["amountCanceled"]["value"], "698.00");
    let r = s
        .call("DELETE", &format!("/v2/orders/{created}"), None)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.json["detail"],
        "The order cannot be canceled from state: canceled."
    );

    let authorized = s.order("klarnapaylater", Some("authorized"), None).await;
    let r = s
        .call("DELETE", &format!("/v2/orders/{authorized}"), None)
        .await;
    assert_eq!(r.json["status"], "canceled");
    assert_eq!(r.json["lines"][1]["status"], "canceled");

    // From shipping: shipped lines complete, the rest is released.
    let shipping = s.order("klarnapaylater", Some("authorized"), None).await;
    let porsche = line_id(&s.get(&shipping).await, 1);
    s.call(
        "POST",
        &format!("/v2/orders/{shipping}/shipments"),
        Some(&json!({"lines": [{"id": porsche}]})),
    )
    .await;
    let r = s
        .call("DELETE", &format!("/v2/orders/{shipping}"), None)
        .await;
    assert_eq!(r.json["status"], "completed");
    assert_eq!(r.json["lines"][0]["status"], "canceled");
    assert_eq!(r.json["lines"][1]["status"], "completed");
}

#[tokio::test]
async fn nothing_ships_before_payment() {
    let s = sandbox();
    let id = s.order("ideal", None, None).await;
    let r = s
        .call(
            "POST",
            &format!("/v2/orders/{id}/shipments"),
            Some(&json!({"lines": []})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json["detail"], "This order cannot be shipped.");
}

#[tokio::test]
async fn orders_are_listed_newest_first_with_absolute_cursor_links() {
    let s = sandbox();
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(s.order("ideal", None, None).await);
    }
    let r = s.call("GET", "/v2/orders?limit=2", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["count"], 2);
    let page: Vec<&str> = r.json["_embedded"]["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(page, [ids[4].as_str(), ids[3].as_str()]);
    assert!(r.json["_links"]["previous"].is_null());
    let next = r.json["_links"]["next"]["href"].as_str().unwrap();
    assert_eq!(
        next,
        format!("http://sandbox.test/v2/orders?from={}&limit=2", ids[2])
    );

    let r = s
        .call("GET", next.trim_start_matches("http://sandbox.test"), None)
        .await;
    let page: Vec<&str> = r.json["_embedded"]["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(page, [ids[2].as_str(), ids[1].as_str()]);
    assert_eq!(
        r.json["_links"]["previous"]["href"],
        format!("http://sandbox.test/v2/orders?from={}&limit=2", ids[4])
    );

    let r = s
        .call(
            "GET",
            &format!("/v2/orders?sort=asc&limit=10&from={}", ids[3]),
            None,
        )
        .await;
    assert_eq!(r.json["count"], 2);
    assert!(r.json["_links"]["next"].is_null());

    for bad in [
        "/v2/orders?limit=0",
        "/v2/orders?limit=251",
        "/v2/orders?from=ord_unknown",
        "/v2/orders?sort=up",
    ] {
        assert_eq!(
            s.call("GET", bad, None).await.status,
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn updating_the_order_and_its_lines() {
    let s = sandbox();
    let id = s.order("klarnapaylater", None, None).await;
    let bugatti = line_id(&s.get(&id).await, 0);

    let patch = json!({"orderNumber": "1338", "billingAddress": {"givenName": "Piet", "familyName": "Mondriaan",
        "email": "piet@example.org", "streetAndNumber": "Prinsengracht 1", "postalCode": "1015DK", "city": "Amsterdam", "country": "NL"}});
    let r = s
        .call("PATCH", &format!("/v2/orders/{id}"), Some(&patch))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["orderNumber"], "1338");
    assert_eq!(
        r.json["billingAddress"]["streetAndNumber"],
        "Prinsengracht 1"
    );
    let r = s
        .call(
            "PATCH",
            &format!("/v2/orders/{id}"),
            Some(&json!({"billingAddress": {"city": "Amsterdam"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json["field"], "billingAddress");

    // Mollie's documented line update: 2 × 349.00 − 100.00 = 598.00 and the order follows.
    let line = json!({"name": "LEGO 42083 Bugatti Chiron", "quantity": 2, "vatRate": "21.00",
        "unitPrice": {"currency": "EUR", "value": "349.00"}, "discountAmount": {"currency": "EUR", "value": "100.00"},
        "totalAmount": {"currency": "EUR", "value": "598.00"}, "vatAmount": {"currency": "EUR", "value": "103.79"}});
    let r = s
        .call(
            "PATCH",
            &format!("/v2/orders/{id}/lines/{bugatti}"),
            Some(&line),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["resource"], "order");
    assert_eq!(r.json["amount"]["value"], "927.99");
    assert_eq!(r.json["lines"][0]["totalAmount"]["value"], "598.00");

    let partial = json!({"quantity": 3});
    let r = s
        .call(
            "PATCH",
            &format!("/v2/orders/{id}/lines/{bugatti}"),
            Some(&partial),
        )
        .await;
    assert_eq!(
        (r.status, r.json["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unitPrice"))
    );
    let mut wrong = line.clone();
    wrong["vatAmount"]["value"] = json!("103.80");
    let r = s
        .call(
            "PATCH",
            &format!("/v2/orders/{id}/lines/{bugatti}"),
            Some(&wrong),
        )
        .await;
    assert_eq!(r.json["field"], "vatAmount");
    assert_eq!(
        s.get(&id).await["amount"]["value"],
        "927.99",
        "a refused update changes nothing"
    );

    // Once paid, lines are fixed.
    let paid = s.order("ideal", Some("paid"), None).await;
    let line_of_paid = line_id(&s.get(&paid).await, 0);
    let r = s
        .call(
            "PATCH",
            &format!("/v2/orders/{paid}/lines/{line_of_paid}"),
            Some(&json!({"name": "x y"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn managing_lines_applies_all_operations_or_none() {
    let s = sandbox();
    let id = s.order("klarnapaylater", None, None).await;
    let order = s.get(&id).await;
    let (bugatti, porsche) = (line_id(&order, 0), line_id(&order, 1));
    let add = json!({"name": "Adding new orderline", "quantity": 2, "sku": "12345679", "type": "digital",
        "unitPrice": {"currency": "EUR", "value": "15.00"}, "totalAmount": {"currency": "EUR", "value": "30.00"},
        "vatRate": "0.00", "vatAmount": {"currency": "EUR", "value": "0.00"}});
    let ops = json!({"operations": [
        {"operation": "update", "data": {"id": bugatti, "name": "New order line name"}},
        {"operation": "cancel", "data": {"id": porsche}},
        {"operation": "add", "data": add},
    ]});
    let r = s
        .call("PATCH", &format!("/v2/orders/{id}/lines"), Some(&ops))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["lines"].as_array().unwrap().len(), 3);
    assert_eq!(r.json["lines"][0]["name"], "New order line name");
    assert_eq!(r.json["lines"][1]["status"], "canceled");
    assert_eq!(r.json["lines"][1]["amountCanceled"]["value"], "329.99");
    assert_eq!(
        r.json["amount"]["value"], "728.00",
        "698.00 + 30.00, the canceled line left out"
    );

    let bad = json!({"operations": [
        {"operation": "update", "data": {"id": bugatti, "name": "Changed again"}},
        {"operation": "add", "data": {"name": "Broken", "quantity": 1, "vatRate": "21.00",
            "unitPrice": {"currency": "EUR", "value": "10.00"}, "totalAmount": {"currency": "EUR", "value": "10.00"},
            "vatAmount": {"currency": "EUR", "value": "1.00"}}},
    ]});
    let r = s
        .call("PATCH", &format!("/v2/orders/{id}/lines"), Some(&bad))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json["field"], "operations.1.data.vatAmount");
    assert_eq!(
        s.get(&id).await["lines"][0]["name"],
        "New order line name",
        "the first operation was not kept"
    );
}

#[tokio::test]
async fn a_new_payment_after_a_failed_one() {
    let s = sandbox();
    let id = s.order("ideal", Some("failed"), None).await;
    let r = s
        .call(
            "POST",
            &format!("/v2/orders/{id}/payments"),
            Some(&json!({"method": "creditcard"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["resource"], "payment");
    assert_eq!(r.json["status"], "open");
    assert_eq!(r.json["orderId"], id);
    assert_eq!(r.json["amount"]["value"], "1027.99");
    assert_eq!(
        checkout_path(&r.json),
        checkout_path(&s.get(&id).await),
        "the new payment is paid at the order's checkout"
    );
    let r = s
        .call(
            "POST",
            &format!("/v2/orders/{id}/payments"),
            Some(&json!({"method": "ideal"})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the new payment is still open"
    );

    let paid = s.order("ideal", Some("paid"), None).await;
    let r = s
        .call(
            "POST",
            &format!("/v2/orders/{paid}/payments"),
            Some(&json!({"method": "ideal"})),
        )
        .await;
    assert_eq!(
        r.json["detail"],
        format!("Cannot create a new payment for order {paid} when the order status is \"paid\".")
    );
}

#[tokio::test]
async fn unpaid_orders_expire_when_the_clock_passes_expires_at() {
    let s = sandbox();
    let (hook, got) = webhook_receiver().await;
    let unpaid = s.order("ideal", None, Some(&hook)).await;
    let authorized = s
        .order("klarnapaylater", Some("authorized"), Some(&hook))
        .await;
    let paid = s.order("ideal", Some("paid"), Some(&hook)).await;
    got.lock().unwrap().clear();

    s.sandbox.clock().advance(time::Duration::days(27)).unwrap();
    assert_eq!(s.get(&unpaid).await["status"], "created");
    s.sandbox
        .clock()
        .advance(time::Duration::days(1) + time::Duration::seconds(1))
        .unwrap();
    let order = s.get(&unpaid).await;
    assert_eq!(order["status"], "expired");
    assert!(order["expiredAt"].is_string());
    assert_eq!(order["lines"][0]["status"], "canceled");
    assert!(order["_links"].get("checkout").is_none());
    assert_eq!(s.get(&authorized).await["status"], "expired");
    assert_eq!(
        s.get(&paid).await["status"],
        "paid",
        "paid orders do not expire"
    );
    let mut notified = got.lock().unwrap().clone();
    notified.sort();
    let mut expected = vec![unpaid, authorized];
    expected.sort();
    assert_eq!(notified, expected);
}

#[tokio::test]
async fn test_and_live_data_are_separate() {
    let s = sandbox();
    let id = s.order("ideal", None, None).await;
    let mut req = request("GET", &format!("/v2/orders/{id}"), None);
    req.headers_mut().insert(
        header::AUTHORIZATION,
        "Bearer live_abcdefghijklmnopqrstuvwxyz0123"
            .parse()
            .unwrap(),
    );
    assert_eq!(send(&s.app, req).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_data_file_keeps_orders_and_the_clock_across_restarts() {
    let path = std::env::temp_dir().join(format!("kassa-sandbox-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let first = Sandbox::with_data_file(SandboxConfig::default(), &path).unwrap();
    let s = S {
        app: first.router(),
        sandbox: first,
    };
    let id = s.order("klarnapaylater", Some("authorized"), None).await;
    s.call(
        "POST",
        &format!("/v2/orders/{id}/shipments"),
        Some(&json!({"lines": []})),
    )
    .await;
    s.sandbox.advance_clock(time::Duration::days(3)).unwrap();
    let before = s.get(&id).await;
    drop(s);

    let again = Sandbox::with_data_file(SandboxConfig::default(), &path).unwrap();
    let s = S {
        app: again.router(),
        sandbox: again,
    };
    let after = s.get(&id).await;
    assert_eq!(after, before);
    assert_eq!(after["status"], "completed");
    assert!(s.sandbox.clock().offset_seconds() >= 3 * 86_400);
    std::fs::write(&path, "not json").unwrap();
    assert!(
        Sandbox::with_data_file(SandboxConfig::default(), &path).is_err(),
        "a broken file is an error, not an empty sandbox"
    );
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn responses_parse_into_the_model_types() {
    use kassa_model::mollie::{Order, Refund, Shipment};
    let s = sandbox();
    let id = s.order("ideal", Some("paid"), None).await;
    let r = s
        .call(
            "POST",
            &format!("/v2/orders/{id}/shipments"),
            Some(&json!({"lines": []})),
        )
        .await;
    let _: Shipment = serde_json::from_value(r.json).unwrap();
    let r = s
        .call(
            "POST",
            &format!("/v2/orders/{id}/refunds"),
            Some(&json!({"lines": []})),
        )
        .await;
    let _: Refund = serde_json::from_value(r.json).unwrap();
    let order: Order = serde_json::from_value(s.get(&id).await).unwrap();
    let embedded = order.embedded.unwrap();
    assert_eq!(embedded.shipments.unwrap().len(), 1);
    assert_eq!(embedded.refunds.unwrap()[0].amount.value, "1027.99");
    assert_eq!(order.status, kassa_model::mollie::OrderStatus::Completed);
}
