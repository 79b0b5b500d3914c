//! The embedded sandbox as someone who can reach the proxy meets it: its test controls are
//! off unless the operator turns them on, its checkout cannot be driven by order id, and it
//! refuses to run on a public address unless this is a demonstration.
use std::path::PathBuf;

use kassa_proxy::config::Config;
use reqwest::StatusCode;

fn config() -> Config {
    Config::for_tests(PathBuf::from("/nonexistent-dist"))
}

/// Every test control, as an attacker would try it: `(method, path, body)`.
const CONTROLS: [(&str, &str, &str); 9] = [
    ("POST", "/sandbox/_sandbox/klarna/sessions", "{}"),
    (
        "POST",
        "/sandbox/_sandbox/klarna/sessions/x/authorize",
        r#"{"outcome":"approved"}"#,
    ),
    (
        "POST",
        "/sandbox/_sandbox/klarna/orders/x/fraud",
        r#"{"status":"ACCEPTED"}"#,
    ),
    ("GET", "/sandbox/_sandbox/requests", ""),
    ("GET", "/sandbox/_sandbox/deliveries", ""),
    ("GET", "/sandbox/_sandbox/faults", ""),
    (
        "POST",
        "/sandbox/_sandbox/faults",
        r#"{"path":"/v2/orders","status":503}"#,
    ),
    ("POST", "/sandbox/_sandbox/clock", r#"{"seconds":2592000}"#),
    ("DELETE", "/sandbox/_sandbox/requests", ""),
];

async fn try_controls(url: &str) -> Vec<(String, StatusCode)> {
    let http = reqwest::Client::new();
    let mut answers = Vec::new();
    for (method, path, body) in CONTROLS {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let resp = http
            .request(method.clone(), format!("{url}{path}"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        answers.push((format!("{method} {path}"), resp.status()));
    }
    answers
}

#[tokio::test]
async fn the_embedded_sandboxs_test_controls_are_off_by_default() {
    let running = kassa_proxy::start(config()).await.unwrap();
    for (control, status) in try_controls(&running.url).await {
        assert_eq!(status, StatusCode::NOT_FOUND, "{control}");
    }
    let sandbox = running.sandbox.as_ref().unwrap();
    assert!(sandbox.faults().is_empty(), "no fault rule got in");
    assert_eq!(
        sandbox.clock().offset_seconds(),
        0,
        "the clock did not move"
    );
}

#[tokio::test]
async fn the_operator_can_turn_the_test_controls_on() {
    let mut config = config();
    config.sandbox_test_controls = true;
    let running = kassa_proxy::start(config).await.unwrap();
    for (control, status) in try_controls(&running.url).await {
        // The Klarna controls name a session and an order that do not exist: reachable, 404
        // in Klarna's shape rather than the router's; an empty cart is Klarna's 400.
        if control.ends_with("/klarna/sessions") {
            assert_eq!(status, StatusCode::BAD_REQUEST, "{control}");
        } else if control.contains("/klarna/") {
            assert_eq!(status, StatusCode::NOT_FOUND, "{control}");
        } else {
            assert!(status.is_success(), "{control}: {status}");
        }
    }
    assert_eq!(running.sandbox.as_ref().unwrap().faults().len(), 1);
}

#[tokio::test]
async fn the_embedded_checkout_cannot_be_driven_by_order_id() {
    let running = kassa_proxy::start(config()).await.unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // An order made through the embedded sandbox's API, as the proxy makes them.
    let key = running.sandbox_key.clone().unwrap();
    let order: serde_json::Value = http
        .post(format!("{}/sandbox/v2/orders", running.url))
        .bearer_auth(&key)
        .json(&serde_json::json!({
            "amount": {"value": "10.00", "currency": "EUR"},
            "orderNumber": "42", "locale": "nl_NL",
            "redirectUrl": format!("{}/return/secret-return-ref", running.url),
            "billingAddress": {"streetAndNumber": "Damrak 1", "city": "Amsterdam",
                "postalCode": "1012LG", "country": "NL", "givenName": "Piet",
                "familyName": "Mondriaan", "email": "piet@example.org"},
            "lines": [{"name": "Mug", "quantity": 1, "vatRate": "21.00",
                "unitPrice": {"currency": "EUR", "value": "10.00"},
                "totalAmount": {"currency": "EUR", "value": "10.00"},
                "vatAmount": {"currency": "EUR", "value": "1.74"}}]
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = order["id"].as_str().unwrap();
    for outcome in ["open", "paid"] {
        let resp = http
            .post(format!("{}/sandbox/checkout/{id}", running.url))
            .form(&[("outcome", outcome)])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{outcome}");
        assert!(resp.headers().get("location").is_none());
    }
    let page = http
        .get(format!("{}/sandbox/checkout/{id}", running.url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_embedded_sandbox_refuses_a_public_address_unless_this_is_a_demo() {
    for public in [
        "https://shop.example.com",
        "http://0.0.0.0:8080",
        "http://127.0.0.1.nip.io",
    ] {
        let mut config = config();
        config.public_url = Some(public.into());
        let refused = kassa_proxy::start(config).await;
        let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("--demo"), "{public}: {message}");

        let mut config = self::config();
        config.public_url = Some(public.into());
        config.demo = true;
        assert!(
            kassa_proxy::start(config).await.is_ok(),
            "{public} as a demo"
        );
    }
    for local in [
        "http://localhost:8080",
        "http://127.0.0.2:9000",
        "http://[::1]:80",
    ] {
        let mut config = config();
        config.public_url = Some(local.into());
        assert!(kassa_proxy::start(config).await.is_ok(), "{local}");
    }
}

#[tokio::test]
async fn the_embedded_klarna_side_answers_only_the_credential_made_for_this_start() {
    let running = kassa_proxy::start(config()).await.unwrap();
    let klarna = running.sandbox_klarna.clone().unwrap();
    let url = format!("{}/sandbox/ordermanagement/v1/orders/nothing", running.url);
    let http = reqwest::Client::new();
    for (user, pass) in [("merchant", "secret"), (klarna.username.as_str(), "wrong")] {
        let resp = http
            .get(&url)
            .basic_auth(user, Some(pass))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{user}");
        let body: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(body["error_code"], "UNAUTHORIZED");
    }
    let resp = http
        .get(&url)
        .basic_auth(&klarna.username, Some(&klarna.password))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND, "past the check");
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error_code"], "NO_SUCH_ORDER");
}
