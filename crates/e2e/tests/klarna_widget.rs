//! The sandbox's stand-in of Klarna's JavaScript library in a real browser: a merchant's
//! checkout page on its own origin (`fixtures/klarna-checkout.html` + `.js`, served with a
//! strict Content-Security-Policy) loads `<sandbox>/klarna/lib/v1/api.js`, calls
//! `Klarna.Payments.init → load → authorize` as Klarna's docs do, and the tester decides in
//! the library's dialog. The authorization token then places an order through the sandbox's
//! Klarna Payments API, as the merchant's server would.
//!
//! A standalone sandbox runs in-process; no built app is needed, only chromedriver
//! (`CHROMEDRIVER`, default on `PATH`). Run with `cargo xtask test`, or
//! `cargo test -p kassa-e2e --test e2e -- --ignored klarna_widget::`.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::*;
use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::routing::get;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use kassa_e2e::klarna::KlarnaApi;
use kassa_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};
use tokio::net::TcpListener;

const PAGE: &str = include_str!("fixtures/klarna-checkout.html");
const SCRIPT: &str = include_str!("fixtures/klarna-checkout.js");
/// Any HTTP Basic credential opens the standalone sandbox's Klarna API.
const MERCHANT: (&str, &str) = ("PK12345_shop", "sandbox-secret");

/// The sandbox and the shop, each on its own free loopback port (two origins).
struct Env {
    shop: String,
    /// How many `POST /klarna/lib/v1/authorize` the sandbox got.
    authorize_calls: Arc<AtomicUsize>,
    klarna: KlarnaApi,
}

async fn env() -> Env {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sandbox = format!("http://{}", listener.local_addr().unwrap());
    let authorize_calls = Arc::new(AtomicUsize::new(0));
    let counter = authorize_calls.clone();
    let app = Sandbox::new(SandboxConfig::default())
        .router()
        .layer(axum::middleware::from_fn(
            move |req: Request, next: Next| {
                let counter = counter.clone();
                async move {
                    if req.method() == Method::POST
                        && req.uri().path() == "/klarna/lib/v1/authorize"
                    {
                        counter.fetch_add(1, Ordering::SeqCst);
                    }
                    next.run(req).await
                }
            },
        ));
    tokio::spawn(async move { axum::serve(listener, app).await });

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let shop = format!("http://{}", listener.local_addr().unwrap());
    let page = PAGE.replace("SANDBOX_ORIGIN", &sandbox);
    // No inline script or style anywhere: the library must work under this.
    let csp = format!(
        "default-src 'none'; script-src 'self' {sandbox}; connect-src {sandbox}; \
         img-src 'self' {sandbox}; style-src 'self'; base-uri 'none'; form-action 'none'"
    );
    let router = axum::Router::new()
        .route(
            "/checkout.html",
            get(move || {
                let (page, csp) = (page.clone(), csp.clone());
                async move {
                    (
                        [
                            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
                            (header::CONTENT_SECURITY_POLICY, csp),
                        ],
                        page,
                    )
                }
            }),
        )
        .route(
            "/checkout.js",
            get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], SCRIPT) }),
        )
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }));
    tokio::spawn(async move { axum::serve(listener, router).await });

    Env {
        klarna: KlarnaApi::new(sandbox, MERCHANT.0, MERCHANT.1),
        shop,
        authorize_calls,
    }
}

/// A cart Klarna takes: two lines' worth of one product, 20 % tax included
/// (2000 = 12000 − 12000 × 10000 / 12000).
fn cart(country: &str, currency: &str, locale: &str) -> Value {
    json!({
        "purchase_country": country,
        "purchase_currency": currency,
        "locale": locale,
        "order_amount": 12000,
        "order_tax_amount": 2000,
        "order_lines": [{
            "type": "physical",
            "reference": "KB-42",
            "name": "Mechanical keyboard",
            "quantity": 2,
            "unit_price": 6000,
            "tax_rate": 2000,
            "total_amount": 12000,
            "total_discount_amount": 0,
            "total_tax_amount": 2000,
        }],
    })
}

impl Env {
    /// A Klarna Payments session for this cart; its client token.
    async fn session(&self, cart: &Value) -> String {
        let session = self.klarna.session(cart).await;
        session["client_token"]
            .as_str()
            .expect("client_token")
            .to_owned()
    }

    /// The merchant's server places the order with the authorization token.
    async fn place_order(&self, token: &str, cart: &Value) -> Value {
        self.klarna.place_order(token, cart).await
    }

    async fn order(&self, order_id: &str) -> Value {
        self.klarna.order(order_id).await
    }

    fn authorize_calls(&self) -> usize {
        self.authorize_calls.load(Ordering::SeqCst)
    }
}

/// The checkout page in the browser, and how many callbacks it has shown.
struct Checkout<'a> {
    c: &'a Client,
    seen: u64,
}

impl<'a> Checkout<'a> {
    async fn open(c: &'a Client, env: &Env, client_token: &str) -> Self {
        c.goto(&format!(
            "{}/checkout.html?client_token={client_token}",
            env.shop
        ))
        .await
        .unwrap();
        Self { c, seen: 0 }
    }

    /// Waits for the page's next callback, from `call` (`load`, `authorize`).
    async fn callback(&mut self, call: &str) -> Value {
        let want = (self.seen + 1).to_string();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let pre = self
                .c
                .find(Locator::Css(&testid("callback")))
                .await
                .unwrap();
            if pre.attr("data-seq").await.unwrap().as_deref() == Some(&want) {
                self.seen += 1;
                let name = pre.attr("data-call").await.unwrap().unwrap_or_default();
                let text = pre.text().await.unwrap();
                assert_eq!(name, call, "the callback came from {name}: {text}");
                return serde_json::from_str(&text).unwrap();
            }
            assert!(Instant::now() < deadline, "no callback #{want} from {call}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks "Buy" and waits for Klarna's dialog; focus moves into it.
    async fn buy(&self) {
        click(self.c, "buy").await;
        let dialog = self
            .c
            .wait()
            .for_element(Locator::Css(&testid("klarna-dialog")))
            .await
            .expect("Klarna's dialog");
        assert_eq!(
            dialog.attr("role").await.unwrap().as_deref(),
            Some("dialog")
        );
        assert_eq!(
            dialog.attr("aria-modal").await.unwrap().as_deref(),
            Some("true")
        );
        assert_eq!(self.focused().await.as_deref(), Some("klarna-approve"));
    }

    /// The `data-testid` of the focused element.
    async fn focused(&self) -> Option<String> {
        let el = self.c.active_element().await.unwrap();
        el.attr("data-testid").await.unwrap()
    }

    async fn dialogs(&self) -> usize {
        self.c
            .find_all(Locator::Css(&testid("klarna-dialog")))
            .await
            .unwrap()
            .len()
    }

    /// The amount the widget shows, no-break spaces as spaces.
    async fn amount(&self) -> String {
        let el = self
            .c
            .wait()
            .for_element(Locator::Css(&testid("klarna-amount")))
            .await
            .unwrap();
        el.text()
            .await
            .unwrap()
            .replace(['\u{a0}', '\u{202f}'], " ")
    }

    async fn js(&self, script: &str) -> Value {
        self.c.execute(script, vec![]).await.unwrap()
    }

    /// Calls the library from outside the page's script; `done` is its callback.
    async fn js_async(&self, script: &str) -> Value {
        let script = format!("const done = arguments[arguments.length - 1];\n{script}");
        self.c.execute_async(&script, vec![]).await.unwrap()
    }

    /// No error in the page: none the page saw (CSP refusals included), none in the console.
    async fn assert_no_errors(&self) {
        assert_eq!(
            self.js("return window.checkoutErrors").await,
            json!([]),
            "errors in the page"
        );
        assert_eq!(
            console_errors(self.c).await,
            Vec::<String>::new(),
            "console errors"
        );
    }
}

#[tokio::test]
#[ignore = "needs chromedriver: run `cargo xtask test`"]
async fn approve_in_the_widget_and_place_the_order() {
    let started = Instant::now();
    let env = env().await;
    let gb = cart("GB", "GBP", "en-GB");
    let token = env.session(&gb).await;
    let b = browser().await;
    let c = &b.client;
    let mut page = Checkout::open(c, &env, &token).await;

    // load: the widget, in the session's currency and locale, clearly a sandbox.
    assert_eq!(page.callback("load").await, json!({"show_form": true}));
    assert_eq!(page.amount().await, "£120.00");
    let widget = c
        .find(Locator::Css(&format!(
            "#klarna-payments-container {}",
            testid("klarna-widget")
        )))
        .await
        .expect("the widget inside the container");
    let text = widget.text().await.unwrap();
    assert!(
        text.contains("Pay later.") && text.contains("Sandbox"),
        "{text}"
    );
    // The badge comes from the sandbox (img-src allows it) and loads.
    let deadline = Instant::now() + Duration::from_secs(10);
    while page
        .js("const i = document.querySelector('[data-testid=klarna-widget] img'); return i.complete && i.naturalWidth > 0")
        .await
        != json!(true)
    {
        assert!(Instant::now() < deadline, "the badge did not load");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Escape: the shopper closed Klarna's popup. Nothing asked of the server; focus returns.
    page.buy().await;
    // Styled although the page allows no inline style.
    assert_eq!(
        page.js("return getComputedStyle(document.querySelector('[data-testid=klarna-dialog]').parentNode).position")
            .await,
        json!("fixed")
    );
    c.active_element()
        .await
        .unwrap()
        .send_keys(&Key::Escape.to_string())
        .await
        .unwrap();
    assert_eq!(
        page.callback("authorize").await,
        json!({"approved": false, "show_form": true})
    );
    assert_eq!(page.dialogs().await, 0);
    assert_eq!(page.focused().await.as_deref(), Some("buy"));

    // The close button: the same.
    page.buy().await;
    click(c, "klarna-close").await;
    assert_eq!(
        page.callback("authorize").await,
        json!({"approved": false, "show_form": true})
    );
    assert_eq!(page.dialogs().await, 0);
    assert_eq!(env.authorize_calls(), 0, "closing asked the sandbox");

    // Approve: a token that places the order, fraud check passed.
    page.buy().await;
    click(c, "klarna-approve").await;
    let res = page.callback("authorize").await;
    assert_eq!(res["approved"], true, "{res}");
    assert_eq!(res["show_form"], true, "{res}");
    assert_eq!(res["finalize_required"], false, "{res}");
    let auth = res["authorization_token"].as_str().expect("a token");
    assert_eq!(page.dialogs().await, 0);
    assert_eq!(env.authorize_calls(), 1);
    let placed = env.place_order(auth, &gb).await;
    assert_eq!(placed["fraud_status"], "ACCEPTED", "{placed}");
    let order = env.order(placed["order_id"].as_str().unwrap()).await;
    assert_eq!(order["fraud_status"], "ACCEPTED", "{order}");
    assert_eq!(order["order_amount"], 12000, "{order}");
    // The address the page passed to authorize() reached the order.
    assert_eq!(order["billing_address"]["given_name"], "Alice", "{order}");

    page.assert_no_errors().await;
    c.clone().close().await.unwrap();
    eprintln!("approve test: {:?}", started.elapsed());
}

#[tokio::test]
#[ignore = "needs chromedriver: run `cargo xtask test`"]
async fn reject_hides_the_form_and_a_pending_review_places_an_order_under_review() {
    let started = Instant::now();
    let env = env().await;
    let b = browser().await;
    let c = &b.client;

    // Reject: no token, and the merchant should hide Klarna (show_form false).
    let de = cart("DE", "EUR", "de-DE");
    let token = env.session(&de).await;
    let mut page = Checkout::open(c, &env, &token).await;
    assert_eq!(page.callback("load").await, json!({"show_form": true}));
    assert_eq!(page.amount().await, "120,00 €");
    page.buy().await;
    click(c, "klarna-reject").await;
    assert_eq!(
        page.callback("authorize").await,
        json!({
            "approved": false,
            "show_form": false,
            "authorization_token": null,
            "finalize_required": false,
        })
    );
    assert_eq!(env.authorize_calls(), 1);
    page.assert_no_errors().await;

    // Approve with a fraud review pending: the order waits for the review.
    let se = cart("SE", "SEK", "sv-SE");
    let token = env.session(&se).await;
    let mut page = Checkout::open(c, &env, &token).await;
    assert_eq!(page.callback("load").await, json!({"show_form": true}));
    assert_eq!(page.amount().await, "120,00 kr");

    // An address Klarna would refuse: the field comes back, the form stays.
    page.js(
        "Klarna.Payments.authorize({payment_method_category: 'pay_later'}, \
         {billing_address: {postal_code: '123 45 123 45', country: 'SE'}}, \
         function (res) { window.badAddress = res; })",
    )
    .await;
    click(c, "klarna-approve").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    let res = loop {
        let res = page.js("return window.badAddress || null").await;
        if !res.is_null() {
            break res;
        }
        assert!(Instant::now() < deadline, "no callback for the bad address");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(res["approved"], false, "{res}");
    assert_eq!(res["show_form"], true, "{res}");
    assert_eq!(
        res["error"]["invalid_fields"],
        json!(["billing_address.postal_code"]),
        "{res}"
    );
    // Console errors so far: the sandbox's 400 is one ("Failed to load resource").
    let logged = console_errors(c).await;
    assert!(logged.len() == 1 && logged[0].contains("400"), "{logged:?}");

    page.buy().await;
    click(c, "klarna-approve-pending").await;
    let res = page.callback("authorize").await;
    assert_eq!(res["approved"], true, "{res}");
    let auth = res["authorization_token"].as_str().expect("a token");
    let placed = env.place_order(auth, &se).await;
    assert_eq!(placed["fraud_status"], "PENDING", "{placed}");
    let order = env.order(placed["order_id"].as_str().unwrap()).await;
    assert_eq!(order["fraud_status"], "PENDING", "{order}");

    // Mistakes are answered as Klarna's library answers them.
    assert_eq!(
        page.js_async(
            "Klarna.Payments.load({container: '#klarna-payments-container', \
             payment_method_category: 'pay_in_parts'}, done)"
        )
        .await,
        json!({"show_form": false, "error": {"invalid_fields": ["payment_method_category"]}})
    );
    assert_eq!(
        page.js_async("Klarna.Payments.finalize({payment_method_category: 'pay_later'}, {}, done)")
            .await,
        json!({"approved": false, "show_form": true})
    );
    assert_eq!(
        page.js(
            "try { Klarna.Payments.init({client_token: 'not-a-jwt'}); return null } \
                 catch (e) { return e.name }"
        )
        .await,
        json!("InvalidClientTokenError")
    );
    page.assert_no_errors().await;
    c.clone().close().await.unwrap();
    eprintln!("reject/pending test: {:?}", started.elapsed());
}
