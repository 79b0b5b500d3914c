//! Orders made the way a shop's customers make them, through the proxy's public checkout and
//! the sandbox's checkout page: what the first-load bench and the screenshots need in the
//! console.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Creates `n` orders in `locale` through the public checkout (what `/shop` sends) and pays
/// each at the sandbox's checkout with a form post, as the shopper's browser would: paid,
/// authorized, left open, in turn. Returns the first's return-page URL, once the proxy has
/// that order as paid.
pub async fn orders_through_the_shop(url: &str, n: usize, locale: &str) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let catalog: Value = http
        .get(format!("{url}/api/public/catalog"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let skus: Vec<&str> = catalog
        .as_array()
        .expect("the catalog")
        .iter()
        .filter_map(|p| p["sku"].as_str())
        .collect();
    let mut first = None;
    for i in 0..n {
        let items: Vec<Value> = skus
            .iter()
            .take(1 + i % skus.len())
            .map(|sku| json!({"sku": sku, "quantity": 1 + i % 3}))
            .collect();
        let checkout = json!({
            "items": items,
            "locale": locale,
            "billing_address": {
                "givenName": "Piet", "familyName": format!("Mondriaan {i}"),
                "email": format!("piet{i}@mondriaan.com"), "streetAndNumber": "Keizersgracht 126",
                "postalCode": "1234AB", "city": "Amsterdam", "country": "NL"
            }
        });
        let resp = http
            .post(format!("{url}/api/public/checkout"))
            .json(&checkout)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), reqwest::StatusCode::CREATED, "checkout {i}");
        let created: Value = resp.json().await.unwrap();
        let checkout_url = created["checkout_url"].as_str().unwrap();
        let outcome = ["paid", "authorized", "open"][i % 3];
        let paid = http
            .post(checkout_url)
            .form(&[("outcome", outcome)])
            .send()
            .await
            .unwrap();
        assert_eq!(paid.status(), reqwest::StatusCode::SEE_OTHER, "pay {i}");
        let location = paid.headers()[reqwest::header::LOCATION]
            .to_str()
            .unwrap()
            .to_owned();
        let location = reqwest::Url::parse(checkout_url)
            .unwrap()
            .join(&location)
            .unwrap()
            .to_string();
        if first.is_none() {
            first = Some(location);
        }
    }
    let return_url = first.expect("at least one order");
    // The webhook reaches the proxy on its own schedule: wait until it says paid.
    let reference = return_url.rsplit('/').next().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let view: Value = http
            .get(format!("{url}/api/returns/{reference}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap_or_default();
        if view["status"] == "paid" {
            return return_url;
        }
        assert!(Instant::now() < deadline, "the order is not paid: {view}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
