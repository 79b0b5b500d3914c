//! Browser tests: the Klarna step against the sandbox's stand-in of Klarna's library, the
//! library and its dialog as a shopper meets them.
//!
//! They need a running sandbox: `KASSA_TEST_SANDBOX_URL` at compile time (`cargo xtask test`
//! starts a `kassa-sandbox` on a free port and sets it). The test opens a Klarna Payments
//! session through the sandbox's `POST /_sandbox/klarna/sessions` (the merchant server's part,
//! open to this page's origin), loads the library from the sandbox and clicks in its dialog.
//! The order is placed through a handler that records the token, so each test can also make
//! the placement fail.

use std::cell::RefCell;
use std::rc::Rc;

use kassa_app::klarna::{KlarnaStep, PlaceWith};
use kassa_model::api::{KlarnaPayment, PaymentCategory, PlacedOrder};

use super::helpers::*;

const SANDBOX: Option<&str> = option_env!("KASSA_TEST_SANDBOX_URL");

/// The sandbox's origin, or `None` (and why) when this build has none.
fn sandbox() -> Option<&'static str> {
    if SANDBOX.is_none() {
        console_log!(
            "skipped: KASSA_TEST_SANDBOX_URL was not set when the tests were compiled; \
             `cargo xtask test` sets it, or start `kassa-sandbox` and set it yourself"
        );
    }
    SANDBOX.map(|url| url.trim_end_matches('/'))
}

/// A session for Klarna's documented example cart, as the proxy would hand it to the page.
async fn open_session(sandbox: &str) -> KlarnaPayment {
    let cart = serde_json::json!({
        "purchase_country": "SE",
        "purchase_currency": "SEK",
        "locale": "sv-SE",
        "order_amount": 11000,
        "order_tax_amount": 2200,
        "order_lines": [
            {"type": "physical", "reference": "19-402-SWE", "name": "Battery Power Pack",
             "quantity": 2, "unit_price": 5000, "tax_rate": 2500, "total_amount": 10000,
             "total_discount_amount": 0, "total_tax_amount": 2000},
            {"type": "shipping_fee", "reference": "SHIP", "name": "Shipping",
             "quantity": 1, "unit_price": 1000, "tax_rate": 2500, "total_amount": 1000,
             "total_discount_amount": 0, "total_tax_amount": 200}
        ],
        "billing_address": {"given_name": "Testperson-se", "family_name": "Approved",
            "street_address": "Stårgatan 1", "postal_code": "12345", "city": "Ankeborg",
            "country": "SE", "email": "customer@email.se"}
    });
    let response = gloo_net::http::Request::post(&format!("{sandbox}/_sandbox/klarna/sessions"))
        .json(&cart)
        .expect("cart as JSON")
        .send()
        .await
        .unwrap_or_else(|e| panic!("the sandbox at {sandbox} cannot be reached: {e}"));
    let body = response.text().await.expect("the sandbox's answer");
    assert_eq!(response.status(), 200, "opening a session: {body}");
    let session: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let categories = session["payment_method_categories"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| PaymentCategory {
            identifier: c["identifier"].as_str().expect("identifier").to_owned(),
            name: c["name"].as_str().expect("name").to_owned(),
            asset_url: c["asset_urls"]["standard"].as_str().map(str::to_owned),
        })
        .collect();
    KlarnaPayment {
        reference: "pl_browser_test".into(),
        client_token: session["client_token"]
            .as_str()
            .expect("client_token")
            .to_owned(),
        categories,
        library_url: format!("{sandbox}/klarna/lib/v1/api.js"),
        expires_at: "2030-01-01T00:00:00Z".into(),
    }
}

/// What the step asked the placement handler (the tokens) and told `on_placed`.
struct Recorded {
    tokens: Rc<RefCell<Vec<String>>>,
    placed: RwSignal<Vec<PlacedOrder>>,
}

/// Mounts the step; the placement answers `answers` in turn (then success).
fn mount_step(
    root: &HtmlElement,
    payment: KlarnaPayment,
    answers: Vec<Result<PlacedOrder, ClientError>>,
) -> (Recorded, Box<dyn Any>) {
    let tokens = Rc::new(RefCell::new(Vec::new()));
    let answers = Rc::new(RefCell::new(answers.into_iter()));
    let place = {
        let tokens = tokens.clone();
        PlaceWith::new(move |token: String| {
            tokens.borrow_mut().push(token);
            let answer = answers
                .borrow_mut()
                .next()
                .unwrap_or_else(|| Ok(placed_order()));
            async move { answer }
        })
    };
    let placed = RwSignal::new(Vec::<PlacedOrder>::new());
    let on_placed = Callback::new(move |p: PlacedOrder| placed.update(|all| all.push(p)));
    let handle = mount_to(root.clone(), move || {
        view! { <KlarnaStep payment=payment.clone() place=place.clone() on_placed/> }
    });
    (Recorded { tokens, placed }, Box::new(handle))
}

fn placed_order() -> PlacedOrder {
    PlacedOrder {
        return_ref: "ret_browser_test".into(),
        fraud_pending: false,
    }
}

fn body() -> Element {
    document().body().expect("body").unchecked_into()
}

/// Waits until Klarna's form for `category` is in the step's container.
async fn wait_for_form(root: &Element, category: &str) {
    for _ in 0..100 {
        let shown = try_by_testid(root, "klarna-widget")
            .and_then(|w| w.get_attribute("data-payment-method-category"));
        if shown.as_deref() == Some(category) && !button(root, "klarna-pay").disabled() {
            return;
        }
        sleep(50).await;
    }
    panic!(
        "Klarna's form for {category} did not load; the step says {:?}",
        text(root, "klarna-status")
    );
}

/// Presses Pay, then `outcome`'s button in Klarna's dialog, and waits for the dialog to go.
async fn pay_and_answer(root: &Element, outcome: &str) {
    click(root, "klarna-pay");
    wait_for(&body(), "klarna-dialog").await;
    click(&body(), outcome);
    for _ in 0..100 {
        if try_by_testid(&body(), "klarna-dialog").is_none() {
            // The callback runs on its own task after the dialog closes.
            sleep(50).await;
            return;
        }
        sleep(50).await;
    }
    panic!("Klarna's dialog did not close after {outcome}");
}

/// Waits until the status line contains `wanted`.
async fn wait_for_status(root: &Element, wanted: &str) {
    for _ in 0..100 {
        if text(root, "klarna-status").contains(wanted) {
            return;
        }
        sleep(50).await;
    }
    panic!(
        "the status never said {wanted:?}; it says {:?}",
        text(root, "klarna-status")
    );
}

#[wasm_bindgen_test]
async fn the_klarna_step_authorizes_with_klarnas_library_and_places_the_order() {
    let Some(sandbox) = sandbox() else { return };
    let payment = open_session(sandbox).await;
    let root = fresh_section();
    let (recorded, _handle) = mount_step(&root, payment, Vec::new());

    // Klarna's categories as choices, the first loaded into the page.
    wait_for_form(&root, "pay_now").await;
    for id in ["pay_now", "pay_later", "pay_over_time"] {
        by_testid(&root, &format!("klarna-category-{id}"));
    }
    assert!(by_testid(&root, "klarna-category-pay_now")
        .unchecked_into::<HtmlInputElement>()
        .checked());
    by_testid(&root, "klarna-category-pay_later")
        .unchecked_into::<HtmlInputElement>()
        .click();
    wait_for_form(&root, "pay_later").await;
    assert_eq!(text(&root, "klarna-pay"), "Pay with Klarna");

    pay_and_answer(&root, "klarna-approve").await;
    for _ in 0..100 {
        if !recorded.placed.with_untracked(Vec::is_empty) {
            break;
        }
        sleep(50).await;
    }
    let tokens = recorded.tokens.borrow().clone();
    assert_eq!(tokens.len(), 1, "one placement, with Klarna's token");
    assert!(!tokens[0].trim().is_empty());
    assert_eq!(recorded.placed.get_untracked(), vec![placed_order()]);
    assert_eq!(text(&root, "klarna-status"), "Your order is placed.");
    assert!(button(&root, "klarna-pay").disabled(), "no second order");
}

#[wasm_bindgen_test]
async fn a_declined_or_closed_authorization_is_said_and_the_shopper_tries_again() {
    let Some(sandbox) = sandbox() else { return };
    let payment = open_session(sandbox).await;
    let root = fresh_section();
    // The proxy refuses the first token as Klarna would refuse an expired one.
    let refused = ClientError::Http {
        status: 422,
        error: ApiError {
            code: "provider".into(),
            message: "Klarna refused the authorization.".into(),
            field: None,
        },
    };
    let (recorded, _handle) = mount_step(&root, payment, vec![Err(refused)]);
    wait_for_form(&root, "pay_now").await;

    pay_and_answer(&root, "klarna-reject").await;
    wait_for_status(&root, "Klarna declined this payment").await;
    assert_eq!(text(&root, "klarna-pay"), "Try again");
    assert!(!button(&root, "klarna-pay").disabled());
    assert!(recorded.tokens.borrow().is_empty(), "nothing to place");

    pay_and_answer(&root, "klarna-close").await;
    wait_for_status(&root, "was not completed").await;
    assert_eq!(text(&root, "klarna-pay"), "Pay with Klarna");
    assert!(recorded.tokens.borrow().is_empty(), "nothing to place");

    pay_and_answer(&root, "klarna-approve").await;
    wait_for_status(
        &root,
        "Klarna refused the authorization. Please pay with Klarna again.",
    )
    .await;
    assert_eq!(text(&root, "klarna-pay"), "Try again");
    assert!(recorded.placed.with_untracked(Vec::is_empty));

    // Again: a new authorization, so a new token, and this time the order is placed.
    pay_and_answer(&root, "klarna-approve").await;
    wait_for_status(&root, "Your order is placed.").await;
    let tokens = recorded.tokens.borrow().clone();
    assert_eq!(tokens.len(), 2);
    assert_ne!(
        tokens[0], tokens[1],
        "authorized again, not the refused token"
    );
    assert_eq!(recorded.placed.get_untracked(), vec![placed_order()]);
}

#[wasm_bindgen_test]
async fn a_library_that_does_not_load_is_said_with_a_reload_button() {
    let root = fresh_section();
    let payment = KlarnaPayment {
        reference: "pl_1".into(),
        client_token: "a.b.c".into(),
        categories: vec![PaymentCategory {
            identifier: "pay_later".into(),
            name: "Pay later.".into(),
            asset_url: None,
        }],
        // Nothing is served here: the test server answers 404.
        library_url: "/no-such-klarna/lib/v1/api.js".into(),
        expires_at: String::new(),
    };
    let (recorded, _handle) = mount_step(&root, payment, Vec::new());
    wait_for(&root, "klarna-reload").await;
    assert_eq!(
        text(&root, "klarna-status"),
        "Klarna could not be loaded. Check your connection, then reload the page."
    );
    assert!(try_by_testid(&root, "klarna-pay").is_none());
    assert!(recorded.tokens.borrow().is_empty());
}

#[wasm_bindgen_test]
async fn the_step_speaks_the_customers_language() {
    let root = fresh_section();
    let payment = KlarnaPayment {
        reference: "pl_de".into(),
        client_token: "a.b.c".into(),
        categories: vec![PaymentCategory {
            identifier: "pay_later".into(),
            name: "Später bezahlen.".into(),
            asset_url: None,
        }],
        // Nothing is served here, so the reload button shows too.
        library_url: "/no-such-klarna/lib/v1/api.js".into(),
        expires_at: String::new(),
    };
    let _handle = mount_to(root.clone(), move || {
        view! {
            <Router>
                <KlarnaStep payment=payment.clone() lang=kassa_app::i18n::Lang::De/>
            </Router>
        }
    });
    wait_for(&root, "klarna-reload").await;
    let heading = root
        .query_selector("#klarna-step-title")
        .ok()
        .flatten()
        .and_then(|h| h.text_content());
    assert_eq!(heading.as_deref(), Some("Mit Klarna bezahlen"));
    let legend = root
        .query_selector(".klarna-categories legend")
        .ok()
        .flatten()
        .and_then(|l| l.text_content());
    assert_eq!(legend.as_deref(), Some("Wie möchten Sie bezahlen?"));
    assert_eq!(text(&root, "klarna-reload"), "Seite neu laden");
}
