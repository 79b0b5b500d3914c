//! Browser tests: components mounted into a real DOM in headless Chromium, driven the way a
//! person would (typing fires `input`, clicking the real button submits the real form), and
//! checked by what is on screen. Run with
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p kassa-app --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use std::any::Any;

use kassa_app::actions::ActionKind;
use kassa_app::api::{self, ClientError};
use kassa_app::components::{
    ActionDialog, AmountRefundDialog, AppHeader, FilterBar, LineDialog, LoginForm, OrderActions,
    OrderForm, OrderSummary, OrderUpdates, OrdersTable, ShopForm, TrackingDialog,
};
use kassa_app::draft::FormError;
use kassa_app::filters::FilterForm;
use kassa_app::pages::{LoginPage, NewOrderPage};
use kassa_app::routes;
use kassa_app::session::{RequireStaff, Session, SessionState};
use kassa_model::api::{
    Address, ApiError, Credentials, LineStatus, LineView, NewOrder, OrderAction, OrderFilter,
    OrderStatus, OrderView, PartView, PaymentView, Product, PublicCheckout, RefundView, Role,
    ShipmentView, StaffView, TrackingInfo,
};
use kassa_model::{Currency, FieldError, Money};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use leptos_router::components::Router;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{
    Element, Event, EventInit, HtmlButtonElement, HtmlElement, HtmlInputElement, HtmlSelectElement,
};

wasm_bindgen_test_configure!(run_in_browser);

// ---- helpers ---------------------------------------------------------------------------

/// A new `<section>` in the page for one test, so tests cannot see each other's DOM.
fn fresh_section() -> HtmlElement {
    let document = document();
    let section = document.create_element("section").expect("create section");
    document
        .body()
        .expect("body")
        .append_child(&section)
        .expect("append section");
    section.unchecked_into()
}

fn by_testid(root: &Element, testid: &str) -> Element {
    try_by_testid(root, testid).unwrap_or_else(|| panic!("no element with data-testid={testid}"))
}

fn try_by_testid(root: &Element, testid: &str) -> Option<Element> {
    root.query_selector(&format!("[data-testid=\"{testid}\"]"))
        .expect("valid selector")
}

fn text(root: &Element, testid: &str) -> String {
    by_testid(root, testid)
        .text_content()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// Sets an input's value and fires a bubbling `input` event, as typing does (Leptos delegates
/// events to the document, so a non-bubbling event would never reach the handler).
fn type_into(root: &Element, testid: &str, value: &str) {
    let input: HtmlInputElement = by_testid(root, testid).unchecked_into();
    input.set_value(value);
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict("input", &init).expect("input event");
    input.dispatch_event(&event).expect("dispatch input");
}

/// Picks an option of a `<select>` and fires `change`, as choosing from the list does.
fn choose(root: &Element, testid: &str, value: &str) {
    let select: HtmlSelectElement = by_testid(root, testid).unchecked_into();
    select.set_value(value);
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict("change", &init).expect("change event");
    select.dispatch_event(&event).expect("dispatch change");
}

fn select_value(root: &Element, testid: &str) -> String {
    by_testid(root, testid)
        .unchecked_into::<HtmlSelectElement>()
        .value()
}

fn input_value(root: &Element, testid: &str) -> String {
    by_testid(root, testid)
        .unchecked_into::<HtmlInputElement>()
        .value()
}

fn click(root: &Element, testid: &str) {
    by_testid(root, testid)
        .unchecked_into::<HtmlElement>()
        .click();
}

fn button(root: &Element, testid: &str) -> HtmlButtonElement {
    by_testid(root, testid).unchecked_into()
}

/// Waits (up to ~5 s) for an element that appears after a network answer.
async fn wait_for(root: &Element, testid: &str) -> Element {
    for _ in 0..100 {
        if let Some(element) = try_by_testid(root, testid) {
            return element;
        }
        sleep(50).await;
    }
    panic!("data-testid={testid} did not appear");
}

/// Lets the browser run timers, fetches and navigations for `ms` milliseconds.
async fn sleep(ms: i32) {
    let promise = wasm_bindgen_futures::js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer");
}

fn staff(role: Role) -> StaffView {
    StaffView {
        email: "ada@example.com".into(),
        name: "Ada Lovelace".into(),
        role,
    }
}

fn http_error(status: u16, code: &str) -> ClientError {
    ClientError::Http {
        status,
        error: ApiError {
            code: code.into(),
            message: format!("{code} from the proxy"),
            field: None,
        },
    }
}

/// The field errors on screen, as `(data-field, message)`.
fn field_errors(root: &Element) -> Vec<(String, String)> {
    let list = root
        .query_selector_all("[data-testid=\"field-error\"]")
        .expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .map(|el| {
            (
                el.get_attribute("data-field").unwrap_or_default(),
                el.text_content().unwrap_or_default().trim().to_owned(),
            )
        })
        .collect()
}

/// Fills everything but the lines with valid values.
fn fill_billing(root: &Element) {
    type_into(root, "billing-givenName", "Piet");
    type_into(root, "billing-familyName", "Mondriaan");
    type_into(root, "billing-email", "piet@mondriaan.com");
    type_into(root, "billing-streetAndNumber", "Keizersgracht 126");
    type_into(root, "billing-postalCode", "1015 CW");
    type_into(root, "billing-city", "Amsterdam");
}

/// Mounts an [`OrderForm`] whose submits are recorded instead of sent. Keep the returned box:
/// dropping the mount handle unmounts the form.
fn mount_form(
    root: &HtmlElement,
    busy: Signal<bool>,
    server_error: Signal<Option<FormError>>,
) -> (RwSignal<Vec<NewOrder>>, Box<dyn Any>) {
    let submitted = RwSignal::new(Vec::<NewOrder>::new());
    let on_submit = Callback::new(move |order: NewOrder| submitted.update(|s| s.push(order)));
    let handle = mount_to(root.clone(), move || {
        view! { <OrderForm on_submit busy server_error/> }
    });
    (submitted, Box::new(handle))
}

// ---- the order form --------------------------------------------------------------------

#[wasm_bindgen_test]
async fn line_totals_and_order_total_update_as_the_user_types() {
    let root = fresh_section();
    let (_submitted, _handle) = mount_form(&root, Signal::from(false), Signal::from(None));
    tick().await;
    // The defaults a merchant starts from.
    assert_eq!(select_value(&root, "currency"), "EUR");
    assert_eq!(select_value(&root, "locale"), "en_US");
    assert_eq!(select_value(&root, "method"), "");
    assert_eq!(input_value(&root, "billing-country"), "NL");
    assert_eq!(input_value(&root, "line-0-quantity"), "1");
    assert_eq!(input_value(&root, "line-0-vatRate"), "21");
    assert_eq!(text(&root, "order-total"), "—");
    assert_eq!(text(&root, "line-0-total"), "—");

    type_into(&root, "line-0-quantity", "2");
    type_into(&root, "line-0-unitPrice", "399.00");
    type_into(&root, "line-0-discount", "100.00");
    tick().await;
    // 2 × €399.00 − €100.00 at the default 21%.
    assert_eq!(text(&root, "line-0-total"), "€698.00");
    assert_eq!(text(&root, "line-0-vat"), "€121.14");
    assert_eq!(text(&root, "order-total"), "€698.00");

    click(&root, "add-line");
    tick().await;
    type_into(&root, "line-1-unitPrice", "329,99");
    tick().await;
    assert_eq!(text(&root, "line-1-total"), "€329.99");
    assert_eq!(text(&root, "order-total"), "€1,027.99");
    assert_eq!(text(&root, "order-vat"), "€178.41");

    // A price with too many decimals is not a total yet, for the line or the order.
    type_into(&root, "line-1-unitPrice", "329.999");
    tick().await;
    assert_eq!(text(&root, "line-1-total"), "—");
    assert_eq!(text(&root, "order-total"), "—");

    // Removing line 0 moves line 1 up, with its values and test ids.
    type_into(&root, "line-1-unitPrice", "10");
    click(&root, "remove-line-0");
    tick().await;
    assert!(try_by_testid(&root, "line-1-name").is_none());
    let price: HtmlInputElement = by_testid(&root, "line-0-unitPrice").unchecked_into();
    assert_eq!(price.value(), "10");
    assert_eq!(text(&root, "order-total"), "€10.00");

    // Amounts follow the currency: yen have no decimals.
    choose(&root, "currency", "JPY");
    tick().await;
    assert_eq!(text(&root, "order-total"), "¥10");
    let remove: HtmlButtonElement = by_testid(&root, "remove-line-0").unchecked_into();
    assert!(remove.disabled(), "the only line cannot be removed");
}

#[wasm_bindgen_test]
async fn invalid_input_shows_the_error_next_to_the_field_and_sends_nothing() {
    let root = fresh_section();
    let (submitted, _handle) = mount_form(&root, Signal::from(false), Signal::from(None));
    tick().await;
    fill_billing(&root);
    type_into(&root, "line-0-unitPrice", "12.50");

    // No name on the line.
    click(&root, "submit-order");
    tick().await;
    assert_eq!(
        field_errors(&root),
        vec![(
            "lines.0.name".to_owned(),
            "Enter a name for this line.".to_owned()
        )]
    );
    let error = by_testid(&root, "field-error");
    let field = error.parent_element().expect("error has a parent");
    assert!(
        try_by_testid(&field, "line-0-name").is_some(),
        "the error sits next to the name input"
    );
    assert!(submitted.with_untracked(Vec::is_empty), "nothing was sent");

    // A price with three decimals.
    type_into(&root, "line-0-name", "Espresso cup");
    type_into(&root, "line-0-unitPrice", "12.345");
    click(&root, "submit-order");
    tick().await;
    let errors = field_errors(&root);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, "lines.0.unitPrice");
    assert_eq!(errors[0].1, "Use at most 2 decimals for EUR.");
    assert!(submitted.with_untracked(Vec::is_empty), "nothing was sent");

    // Fixed: the error goes and exactly one order is handed over, parsed into minor units.
    type_into(&root, "line-0-unitPrice", "12.34");
    type_into(&root, "line-0-quantity", "3");
    choose(&root, "locale", "nl_NL");
    choose(&root, "method", "klarnapaylater");
    click(&root, "submit-order");
    tick().await;
    assert!(field_errors(&root).is_empty());
    let orders = submitted.get_untracked();
    assert_eq!(orders.len(), 1);
    let order = &orders[0];
    assert_eq!(order.currency, Currency::EUR);
    assert_eq!(order.locale, "nl_NL");
    assert_eq!(order.lines[0].name, "Espresso cup");
    assert_eq!(order.lines[0].quantity, 3);
    assert_eq!(order.lines[0].unit_price, 1234);
    assert_eq!(order.lines[0].vat_rate.to_string(), "21.00");
    assert_eq!(order.billing_address.country.as_deref(), Some("NL"));
    assert_eq!(order.method.as_deref(), Some("klarnapaylater"));
}

#[wasm_bindgen_test]
async fn server_errors_go_next_to_their_field_or_to_the_form() {
    let root = fresh_section();
    let server_error = RwSignal::new(Some(FormError::Field(FieldError::new(
        "billingAddress.email",
        "Member 'email' in billing address is missing or incorrect.",
    ))));
    let busy = RwSignal::new(false);
    let (_submitted, _handle) = mount_form(&root, busy.into(), server_error.into());
    tick().await;
    assert_eq!(field_errors(&root)[0].0, "billingAddress.email");
    assert!(try_by_testid(&root, "form-error").is_none());

    // A field the form does not show falls back to the form-level message.
    server_error.set(Some(FormError::Field(FieldError::new(
        "redirectUrl",
        "The redirect URL is invalid.",
    ))));
    tick().await;
    assert!(field_errors(&root).is_empty());
    assert_eq!(text(&root, "form-error"), "The redirect URL is invalid.");

    server_error.set(Some(FormError::Form("Mollie is unavailable.".into())));
    busy.set(true);
    tick().await;
    assert_eq!(text(&root, "form-error"), "Mollie is unavailable.");
    let button: HtmlButtonElement = by_testid(&root, "submit-order").unchecked_into();
    assert!(button.disabled());
    assert_eq!(text(&root, "submit-order"), "Creating…");
}

// ---- the API client --------------------------------------------------------------------

#[wasm_bindgen_test]
async fn a_missing_order_is_a_typed_404() {
    // The test runner's own server answers 404 for paths it does not know.
    let error = api::get_order("ord_missing")
        .await
        .expect_err("there is no API behind the test server");
    match &error {
        ClientError::Http { status, .. } => assert_eq!(*status, 404),
        other => panic!("expected an HTTP 404, got {other:?}"),
    }
    assert!(error.is_not_found());
    assert!(!error.to_string().is_empty(), "a person can read it");
}

// ---- the order summary -----------------------------------------------------------------

fn sample_order() -> OrderView {
    let eur = |minor| Money::new(minor, Currency::EUR);
    let line = |id: &str, name: &str, quantity, unit, discount: Option<i64>, total, vat| LineView {
        id: id.into(),
        name: name.into(),
        sku: None,
        status: LineStatus::Authorized,
        quantity,
        unit_price: eur(unit),
        discount: discount.map(eur),
        total: eur(total),
        vat_rate: "21".parse().expect("rate"),
        vat_amount: eur(vat),
        quantity_shipped: 0,
        quantity_refunded: 0,
        quantity_canceled: 0,
        shippable_quantity: quantity,
        refundable_quantity: 0,
        cancelable_quantity: quantity,
    };
    OrderView {
        id: "ord_stTC2WHAuS".into(),
        provider: "mollie".into(),
        order_number: "1337".into(),
        status: OrderStatus::Authorized,
        amount: eur(102_799),
        amount_captured: None,
        amount_refunded: None,
        locale: "nl_NL".into(),
        method: Some("klarnapaylater".into()),
        created_at: "2025-11-22T04:20:13+00:00".into(),
        expires_at: None,
        billing_address: Address {
            given_name: Some("Piet".into()),
            family_name: Some("Mondriaan".into()),
            email: Some("piet@mondriaan.com".into()),
            street_and_number: Some("Keizersgracht 126".into()),
            postal_code: Some("1234AB".into()),
            city: Some("Amsterdam".into()),
            country: Some("NL".into()),
            ..Address::default()
        },
        lines: vec![
            line(
                "odl_1",
                "LEGO 42083 Bugatti Chiron",
                2,
                39_900,
                Some(10_000),
                69_800,
                12_114,
            ),
            line(
                "odl_2",
                "LEGO 42056 Porsche 911 GT3",
                1,
                32_999,
                None,
                32_999,
                5_727,
            ),
        ],
        checkout_url: None,
        events: Vec::new(),
        shipments: Vec::new(),
        refunds: Vec::new(),
        payments: Vec::new(),
    }
}

#[wasm_bindgen_test]
async fn the_order_summary_shows_status_amount_and_lines() {
    let root = fresh_section();
    let order = sample_order();
    let _handle = mount_to(root.clone(), move || view! { <OrderSummary order/> });
    tick().await;

    assert_eq!(text(&root, "order-status"), "authorized");
    assert_eq!(text(&root, "order-number"), "1337");
    assert_eq!(text(&root, "order-amount"), "€1,027.99");
    assert_eq!(text(&root, "order-id"), "ord_stTC2WHAuS");
    assert_eq!(text(&root, "order-method"), "Klarna Pay later");
    let address = by_testid(&root, "billing-address")
        .unchecked_into::<HtmlElement>()
        .inner_text();
    assert_eq!(address.trim(), "Keizersgracht 126\n1234AB Amsterdam\nNL");

    let rows = root
        .query_selector_all("[data-testid=\"order-line\"]")
        .expect("valid selector");
    assert_eq!(rows.length(), 2);
    let row = |i: u32| -> Element { rows.item(i).expect("row").unchecked_into() };
    let first = row(0);
    assert_eq!(text(&first, "line-name"), "LEGO 42083 Bugatti Chiron");
    assert_eq!(text(&first, "line-quantity"), "2");
    assert_eq!(text(&first, "line-unit-price"), "€399.00");
    assert_eq!(text(&first, "line-discount"), "€100.00");
    assert_eq!(text(&first, "line-vat-rate"), "21.00%");
    assert_eq!(text(&first, "line-vat-amount"), "€121.14");
    assert_eq!(text(&first, "line-total"), "€698.00");
    assert_eq!(text(&first, "line-status"), "authorized");
    assert_eq!(text(&first, "line-shipped"), "0");
    let second = row(1);
    assert_eq!(text(&second, "line-quantity"), "1");
    assert_eq!(text(&second, "line-discount"), "—");
    // Nothing captured yet: no captured, refunded or remaining amounts.
    assert!(try_by_testid(&root, "order-remaining").is_none());

    let paid = fresh_section();
    let mut order = sample_order();
    order.amount_captured = Some(Money::new(102_799, Currency::EUR));
    order.amount_refunded = Some(Money::new(32_999, Currency::EUR));
    let _paid = mount_to(paid.clone(), move || view! { <OrderSummary order/> });
    tick().await;
    assert_eq!(text(&paid, "order-captured"), "€1,027.99");
    assert_eq!(text(&paid, "order-refunded"), "€329.99");
    assert_eq!(text(&paid, "order-remaining"), "€698.00");

    // The customer's copy (the return page): no merchant money columns, no order id.
    let customer = fresh_section();
    let mut order = sample_order();
    order.amount_captured = Some(Money::new(102_799, Currency::EUR));
    let _customer = mount_to(
        customer.clone(),
        move || view! { <OrderSummary order customer=true/> },
    );
    tick().await;
    assert_eq!(text(&customer, "order-amount"), "€1,027.99");
    assert!(try_by_testid(&customer, "order-captured").is_none());
    assert!(try_by_testid(&customer, "order-id").is_none());
}

// ---- logging in ------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn the_login_form_sends_credentials_shows_busy_and_explains_a_401_and_a_429() {
    let root = fresh_section();
    let submitted = RwSignal::new(Vec::<Credentials>::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ClientError>);
    let on_submit = Callback::new(move |c: Credentials| submitted.update(|s| s.push(c)));
    let _handle = mount_to(root.clone(), move || {
        view! { <LoginForm on_submit busy=busy error=error/> }
    });
    tick().await;
    assert!(try_by_testid(&root, "login-error").is_none());
    assert_eq!(text(&root, "login-submit"), "Log in");

    // Nothing typed: a local message, nothing sent, focus on the email field.
    click(&root, "login-submit");
    tick().await;
    assert_eq!(text(&root, "login-error"), "Enter your email address.");
    assert!(submitted.with_untracked(Vec::is_empty));
    let focused = document().active_element().expect("something has focus");
    assert_eq!(
        focused.get_attribute("data-testid").as_deref(),
        Some("login-email")
    );

    type_into(&root, "login-email", "  ada@example.com ");
    type_into(&root, "login-password", "correct horse");
    click(&root, "login-submit");
    tick().await;
    assert!(
        try_by_testid(&root, "login-error").is_none(),
        "a valid submit clears it"
    );
    assert_eq!(
        submitted.get_untracked(),
        vec![Credentials {
            email: "ada@example.com".into(),
            password: "correct horse".into(),
        }]
    );

    // While the caller waits for the proxy.
    busy.set(true);
    tick().await;
    let submit = button(&root, "login-submit");
    assert!(submit.disabled());
    assert_eq!(submit.get_attribute("aria-busy").as_deref(), Some("true"));
    assert_eq!(text(&root, "login-submit"), "Logging in…");

    // The proxy said 401: a clear message, and the form is usable again.
    error.set(Some(http_error(401, "unauthorized")));
    busy.set(false);
    tick().await;
    assert_eq!(
        text(&root, "login-error"),
        "That email address and password do not match. Check both and try again."
    );
    assert!(!button(&root, "login-submit").disabled());
    assert_eq!(text(&root, "login-submit"), "Log in");

    error.set(Some(http_error(429, "rate_limited")));
    tick().await;
    assert_eq!(
        text(&root, "login-error"),
        "Too many login attempts. Wait a few minutes, then try again."
    );
}

#[wasm_bindgen_test]
async fn the_login_page_shows_the_answer_of_a_server_without_the_api() {
    // The real page and the real client: the test runner's server answers 404 to
    // `POST /api/session`, which must end as a readable error with the button usable again.
    let root = fresh_section();
    let _handle = mount_to(root.clone(), || {
        Session::provide_with(SessionState::SignedOut);
        view! {
            <Router>
                <LoginPage/>
            </Router>
        }
    });
    tick().await;
    type_into(&root, "login-email", "ada@example.com");
    type_into(&root, "login-password", "correct horse");
    click(&root, "login-submit");
    tick().await;
    let error = wait_for(&root, "login-error").await;
    assert!(!error.text_content().unwrap_or_default().trim().is_empty());
    assert!(!button(&root, "login-submit").disabled());
    assert!(try_by_testid(&root, "logged-out").is_none());
}

#[wasm_bindgen_test]
async fn a_login_against_a_server_without_the_api_is_a_typed_error() {
    let error = api::login(&Credentials {
        email: "ada@example.com".into(),
        password: "correct horse".into(),
    })
    .await
    .expect_err("there is no API behind the test server");
    assert!(matches!(error, ClientError::Http { .. }), "{error:?}");
    assert!(!error.is_unauthorized());
}

#[wasm_bindgen_test]
fn next_paths_outside_the_app_go_home() {
    assert_eq!(routes::safe_next(Some("/orders/ord_x")), "/orders/ord_x");
    assert_eq!(routes::safe_next(Some("//evil.example")), "/");
    assert_eq!(routes::safe_next(Some("https://evil.example")), "/");
    assert_eq!(routes::safe_next(Some("/\\evil.example")), "/");
    assert_eq!(routes::safe_next(None), "/");
    assert_eq!(
        routes::login_then("/orders/ord_x"),
        "/login?next=/orders/ord_x"
    );
}

// ---- who is logged in ------------------------------------------------------------------

#[wasm_bindgen_test]
async fn a_viewer_is_told_they_cannot_create_orders() {
    let root = fresh_section();
    let _handle = mount_to(root.clone(), || {
        Session::provide_with(SessionState::SignedIn(staff(Role::Viewer)));
        view! { <NewOrderPage/> }
    });
    tick().await;
    assert!(text(&root, "viewer-notice").contains("can view orders but not create them"));
    assert!(try_by_testid(&root, "submit-order").is_none(), "no form");
}

#[wasm_bindgen_test]
async fn an_operator_gets_the_order_form() {
    let root = fresh_section();
    let _handle = mount_to(root.clone(), || {
        Session::provide_with(SessionState::SignedIn(staff(Role::Operator)));
        view! { <NewOrderPage/> }
    });
    tick().await;
    assert!(try_by_testid(&root, "viewer-notice").is_none());
    assert_eq!(text(&root, "submit-order"), "Create order");
}

fn nav_links(root: &Element) -> Vec<String> {
    let list = root.query_selector_all("nav a").expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|node| node.text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn the_header_shows_who_is_logged_in_and_what_they_may_do() {
    let root = fresh_section();
    let session = RwSignal::new(None::<Session>);
    let _handle = mount_to(root.clone(), move || {
        session.set(Some(Session::provide_with(SessionState::SignedIn(staff(
            Role::Viewer,
        )))));
        view! {
            <Router>
                <AppHeader/>
            </Router>
        }
    });
    tick().await;
    assert_eq!(text(&root, "staff-name"), "Ada Lovelace");
    assert_eq!(
        by_testid(&root, "staff-name")
            .get_attribute("title")
            .as_deref(),
        Some("ada@example.com")
    );
    assert_eq!(text(&root, "staff-role"), "viewer");
    assert_eq!(text(&root, "logout"), "Log out");
    assert_eq!(
        nav_links(&root),
        vec!["Orders".to_owned()],
        "a viewer gets no New order link"
    );

    let session = session.get_untracked().expect("provided");
    session.signed_in(kassa_model::api::SessionView {
        staff: staff(Role::Operator),
        csrf_token: "t0k".into(),
    });
    tick().await;
    assert_eq!(
        nav_links(&root),
        vec!["Orders".to_owned(), "New order".to_owned()]
    );

    session.logged_out();
    tick().await;
    assert!(try_by_testid(&root, "staff-name").is_none());
    assert!(try_by_testid(&root, "logout").is_none());
    assert!(nav_links(&root).is_empty());
}

#[wasm_bindgen_test]
async fn staff_pages_send_visitors_without_a_session_to_the_login_page() {
    let root = fresh_section();
    let history = window().history().expect("history");
    let location = window().location();
    let before = format!(
        "{}{}",
        location.pathname().expect("path"),
        location.search().expect("search")
    );
    // Pretend the visitor opened an order page.
    history
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some("/orders/ord_x?tab=2"),
        )
        .expect("replaceState");
    let state = RwSignal::new(None::<Session>);
    let _handle = mount_to(root.clone(), move || {
        state.set(Some(Session::provide_with(SessionState::SignedIn(staff(
            Role::Viewer,
        )))));
        view! {
            <Router>
                <RequireStaff>
                    <p data-testid="secret">"Staff only"</p>
                </RequireStaff>
            </Router>
        }
    });
    tick().await;
    assert_eq!(text(&root, "secret"), "Staff only");

    // The session ends (what a 401 from any call does): off to the login page, remembering
    // the page with its query.
    state.get_untracked().expect("provided").signed_out();
    tick().await;
    let mut path = String::new();
    for _ in 0..100 {
        path = format!(
            "{}{}",
            location.pathname().expect("path"),
            location.search().expect("search")
        );
        if path.starts_with("/login") {
            break;
        }
        sleep(20).await;
    }
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&before))
        .expect("restore the runner's address");
    assert_eq!(path, "/login?next=/orders/ord_x%3Ftab%3D2");
    assert!(try_by_testid(&root, "secret").is_none());
}

#[wasm_bindgen_test]
async fn staff_pages_say_so_when_the_session_cannot_be_checked() {
    let root = fresh_section();
    let _handle = mount_to(root.clone(), || {
        Session::provide_with(SessionState::Unavailable(ClientError::Network(
            "offline".into(),
        )));
        view! {
            <Router>
                <RequireStaff>
                    <p data-testid="secret">"Staff only"</p>
                </RequireStaff>
            </Router>
        }
    });
    tick().await;
    assert!(text(&root, "session-error").contains("could not check whether you are logged in"));
    assert!(try_by_testid(&root, "secret").is_none());
}

// ---- the orders list -------------------------------------------------------------------

fn summary_row(
    number: &str,
    status: OrderStatus,
    minor: i64,
    locale: &str,
) -> kassa_model::api::OrderSummary {
    kassa_model::api::OrderSummary {
        id: format!("ord_{number}"),
        order_number: number.into(),
        status,
        amount: Money::new(minor, Currency::EUR),
        customer_name: "Piet Mondriaan".into(),
        customer_email: "piet@mondriaan.com".into(),
        locale: locale.into(),
        created_at: "2025-11-22T04:20:13+00:00".into(),
    }
}

#[wasm_bindgen_test]
async fn the_orders_table_shows_one_row_per_order_with_status_and_formatted_amount() {
    let root = fresh_section();
    let page = kassa_model::api::OrderPage {
        orders: vec![
            summary_row("1337", OrderStatus::Paid, 102_799, "en_US"),
            summary_row("1338", OrderStatus::Authorized, 32_999, "nl_NL"),
        ],
        next_cursor: Some("c2".into()),
    };
    let _handle = mount_to(root.clone(), move || {
        view! { <OrdersTable orders=page.orders/> }
    });
    tick().await;
    by_testid(&root, "orders-table");
    let rows = root
        .query_selector_all("[data-testid=\"order-row\"]")
        .expect("valid selector");
    assert_eq!(rows.length(), 2);
    let first: Element = rows.item(0).expect("row").unchecked_into();
    assert_eq!(text(&first, "row-number"), "1337");
    let link = first.query_selector("a").expect("selector").expect("link");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/orders/ord_1337")
    );
    assert!(text(&first, "row-customer").contains("Piet Mondriaan"));
    assert!(text(&first, "row-customer").contains("piet@mondriaan.com"));
    assert_eq!(text(&first, "row-status"), "paid");
    assert!(first
        .query_selector(".badge.badge-paid")
        .expect("selector")
        .is_some());
    assert_eq!(text(&first, "row-amount"), "€1,027.99");
    assert_eq!(text(&first, "row-created"), "2025-11-22 04:20");
    // The Dutch order is written the Dutch way (Intl puts a no-break space after the sign).
    let second: Element = rows.item(1).expect("row").unchecked_into();
    assert_eq!(text(&second, "row-status"), "authorized");
    let dutch = text(&second, "row-amount");
    assert!(dutch.contains("329,99") && dutch.contains('€'), "{dutch}");
    assert!(try_by_testid(&root, "orders-empty").is_none());
}

#[wasm_bindgen_test]
async fn an_empty_page_says_so() {
    let root = fresh_section();
    let _handle = mount_to(root.clone(), || view! { <OrdersTable orders=Vec::new()/> });
    let filtered = fresh_section();
    let _other = mount_to(
        filtered.clone(),
        || view! { <OrdersTable orders=Vec::new() filtered=true/> },
    );
    tick().await;
    assert!(text(&root, "orders-empty").starts_with("No orders yet."));
    assert!(try_by_testid(&root, "orders-table").is_none());
    assert_eq!(
        text(&filtered, "orders-empty"),
        "No orders match these filters."
    );
}

#[wasm_bindgen_test]
async fn the_filter_bar_parses_amounts_as_money_and_applies_on_submit() {
    let root = fresh_section();
    let applied = RwSignal::new(Vec::<OrderFilter>::new());
    let _handle = mount_to(root.clone(), move || {
        view! {
            <FilterBar
                initial=FilterForm::default()
                on_apply=move |f| applied.update(|a| a.push(f))
            />
        }
    });
    tick().await;
    choose(&root, "filter-status", "paid");
    type_into(&root, "filter-q", "piet");
    // Amounts need a currency: €10 and ¥10 are not comparable.
    type_into(&root, "filter-min", "12,5");
    click(&root, "filter-apply");
    tick().await;
    assert!(applied.get_untracked().is_empty(), "nothing applied");
    assert!(text(&root, "filter-error").contains("currency"));

    choose(&root, "filter-currency", "EUR");
    type_into(&root, "filter-min", "12.345");
    click(&root, "filter-apply");
    tick().await;
    assert!(applied.get_untracked().is_empty(), "nothing applied");
    assert!(text(&root, "filter-error").contains("EUR"));

    type_into(&root, "filter-min", "12,5");
    type_into(&root, "filter-max", "100");
    click(&root, "filter-apply");
    tick().await;
    let applied = applied.get_untracked();
    assert_eq!(applied.len(), 1);
    let filter = &applied[0];
    assert_eq!(filter.currency, Some(Currency::EUR));
    assert_eq!(filter.status, Some(OrderStatus::Paid));
    assert_eq!(filter.q.as_deref(), Some("piet"));
    assert_eq!(filter.min_minor, Some(1250));
    assert_eq!(filter.max_minor, Some(10_000));
    assert!(try_by_testid(&root, "filter-error").is_none());
}

// ---- order actions ---------------------------------------------------------------------

/// Mounts an [`ActionDialog`] whose sends are recorded instead of made; `error` plays the
/// answer to the last send.
fn mount_dialog(
    root: &HtmlElement,
    kind: ActionKind,
    order: OrderView,
    error: RwSignal<Option<ClientError>>,
) -> (RwSignal<Vec<OrderAction>>, Box<dyn Any>) {
    let submitted = RwSignal::new(Vec::<OrderAction>::new());
    let handle = mount_to(root.clone(), move || {
        view! {
            <ActionDialog
                kind
                order
                on_submit=move |a| submitted.update(|s| s.push(a))
                on_close=|()| {}
                error
            />
        }
    });
    (submitted, Box::new(handle))
}

#[wasm_bindgen_test]
async fn the_ship_dialog_refuses_more_than_is_left_to_ship() {
    let root = fresh_section();
    let (submitted, _handle) =
        mount_dialog(&root, ActionKind::Ship, sample_order(), RwSignal::new(None));
    tick().await;
    let qty = by_testid(&root, "dialog-qty-odl_1");
    assert_eq!(qty.get_attribute("type").as_deref(), Some("number"));
    assert_eq!(qty.get_attribute("min").as_deref(), Some("0"));
    assert_eq!(qty.get_attribute("max").as_deref(), Some("2"));
    // The discounted line gets an amount field; the other does not.
    by_testid(&root, "dialog-amount-odl_1");
    assert!(try_by_testid(&root, "dialog-amount-odl_2").is_none());
    by_testid(&root, "tracking-carrier");

    type_into(&root, "dialog-qty-odl_1", "3");
    click(&root, "dialog-submit");
    tick().await;
    assert!(submitted.get_untracked().is_empty(), "nothing sent");
    let errors = root
        .query_selector("[data-testid=\"field-error\"][data-line=\"odl_1\"]")
        .expect("selector")
        .expect("error next to the line");
    assert_eq!(
        errors.text_content().unwrap_or_default().trim(),
        "At most 2 items of this line can be shipped."
    );

    type_into(&root, "dialog-qty-odl_1", "1");
    type_into(&root, "dialog-qty-odl_2", "0");
    type_into(&root, "tracking-carrier", "PostNL");
    type_into(&root, "tracking-code", "3SKABA000000000");
    click(&root, "dialog-submit");
    tick().await;
    let sent = submitted.get_untracked();
    assert_eq!(sent.len(), 1);
    let OrderAction::Ship {
        lines, tracking, ..
    } = &sent[0]
    else {
        panic!("not a shipment: {:?}", sent[0]);
    };
    assert_eq!(lines.len(), 1);
    assert_eq!((lines[0].line_id.as_str(), lines[0].quantity), ("odl_1", 1));
    assert_eq!(
        tracking.as_ref().map(|t| t.carrier.as_str()),
        Some("PostNL")
    );
}

#[wasm_bindgen_test]
async fn a_retry_keeps_the_intent_id_and_a_new_dialog_gets_a_new_one() {
    let root = fresh_section();
    let error = RwSignal::new(None::<ClientError>);
    let (submitted, _handle) = mount_dialog(&root, ActionKind::Ship, sample_order(), error);
    tick().await;
    click(&root, "dialog-submit");
    tick().await;
    error.set(Some(http_error(503, "provider_unavailable")));
    tick().await;
    assert!(text(&root, "dialog-error").contains("provider_unavailable from the proxy"));
    click(&root, "dialog-submit");
    tick().await;
    error.set(Some(ClientError::Network("offline".into())));
    tick().await;
    click(&root, "dialog-submit");
    tick().await;
    let sent = submitted.get_untracked();
    assert_eq!(sent.len(), 3);
    let first = sent[0].intent_id().to_owned();
    assert!(!first.is_empty());
    assert!(sent.iter().all(|a| a.intent_id() == first), "{sent:?}");

    // A definite refusal means nothing happened: the corrected request is a new intent.
    error.set(Some(http_error(422, "provider")));
    tick().await;
    click(&root, "dialog-submit");
    tick().await;
    let after_refusal = submitted.get_untracked()[3].intent_id().to_owned();
    assert_ne!(after_refusal, first);

    let other = fresh_section();
    let (second, _other_handle) = mount_dialog(
        &other,
        ActionKind::Ship,
        sample_order(),
        RwSignal::new(None),
    );
    tick().await;
    click(&other, "dialog-submit");
    tick().await;
    let second = second.get_untracked();
    assert_eq!(second.len(), 1);
    assert_ne!(second[0].intent_id(), first);
    assert_ne!(second[0].intent_id(), after_refusal);
}

#[wasm_bindgen_test]
async fn a_provider_error_naming_a_line_appears_next_to_that_line() {
    let root = fresh_section();
    let mut order = sample_order();
    order.status = OrderStatus::Paid;
    for line in &mut order.lines {
        line.status = LineStatus::Paid;
        line.refundable_quantity = line.quantity;
    }
    let error = RwSignal::new(None::<ClientError>);
    let (submitted, _handle) = mount_dialog(&root, ActionKind::Refund, order, error);
    tick().await;
    // Refund one Bugatti only: the request's `lines.0` is odl_1.
    type_into(&root, "dialog-qty-odl_1", "1");
    type_into(&root, "dialog-qty-odl_2", "0");
    click(&root, "dialog-submit");
    tick().await;
    assert!(
        submitted.get_untracked().is_empty(),
        "waits for confirmation"
    );
    assert!(text(&root, "dialog-question")
        .starts_with("Refund 1 item to the customer (part of a discounted line"));
    click(&root, "dialog-confirm");
    tick().await;
    assert_eq!(submitted.get_untracked().len(), 1);
    error.set(Some(ClientError::Http {
        status: 422,
        error: ApiError {
            code: "provider".into(),
            message: "Line 0 contains invalid data. An amount is required.".into(),
            field: Some("lines.0.amount".into()),
        },
    }));
    tick().await;
    let at_line = root
        .query_selector("[data-testid=\"field-error\"][data-line=\"odl_1\"]")
        .expect("selector")
        .expect("error next to the line");
    assert!(at_line
        .text_content()
        .unwrap_or_default()
        .contains("An amount is required"));
    assert!(try_by_testid(&root, "dialog-error").is_none());
}

fn mount_actions(root: &HtmlElement, role: Role, order: OrderView) -> Box<dyn Any> {
    let handle = mount_to(root.clone(), move || {
        Session::provide_with(SessionState::SignedIn(staff(role)));
        let order = RwSignal::new(order);
        view! { <OrderActions order/> }
    });
    Box::new(handle)
}

#[wasm_bindgen_test]
async fn refund_on_an_authorized_order_is_disabled_and_says_why() {
    let root = fresh_section();
    let _handle = mount_actions(&root, Role::Operator, sample_order());
    tick().await;
    assert!(!button(&root, "action-ship").disabled());
    assert!(!button(&root, "action-cancel-lines").disabled());
    assert!(!button(&root, "action-cancel-order").disabled());
    let refund = button(&root, "action-refund");
    assert!(refund.disabled());
    let reason_id = refund
        .get_attribute("aria-describedby")
        .expect("described by its reason");
    let reason = root
        .query_selector(&format!("#{reason_id}"))
        .expect("selector")
        .expect("reason element");
    assert_eq!(
        reason.get_attribute("data-testid").as_deref(),
        Some("action-disabled-reason")
    );
    assert!(reason
        .text_content()
        .unwrap_or_default()
        .contains("Authorized lines are canceled, not refunded"));

    // Opening a dialog shows it; Close removes it.
    click(&root, "action-cancel-order");
    tick().await;
    by_testid(&root, "dialog");
    click(&root, "dialog-cancel");
    tick().await;
    assert!(try_by_testid(&root, "dialog").is_none());
}

#[wasm_bindgen_test]
async fn a_viewer_sees_no_action_buttons() {
    let root = fresh_section();
    let _handle = mount_actions(&root, Role::Viewer, sample_order());
    tick().await;
    for testid in [
        "action-ship",
        "action-refund",
        "action-cancel-lines",
        "action-cancel-order",
    ] {
        assert!(try_by_testid(&root, testid).is_none(), "{testid}");
    }
}

// ---- shipments, refunds, payments ----------------------------------------------------------

fn count(root: &Element, testid: &str) -> u32 {
    root.query_selector_all(&format!("[data-testid=\"{testid}\"]"))
        .expect("valid selector")
        .length()
}

fn nth(root: &Element, testid: &str, i: u32) -> Element {
    root.query_selector_all(&format!("[data-testid=\"{testid}\"]"))
        .expect("valid selector")
        .item(i)
        .unwrap_or_else(|| panic!("no {testid} number {i}"))
        .unchecked_into()
}

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

fn shipment(id: &str, tracking: Option<TrackingInfo>) -> ShipmentView {
    ShipmentView {
        id: id.into(),
        created_at: "2025-11-23T10:00:00+00:00".into(),
        tracking,
        lines: vec![PartView {
            line_id: "odl_1".into(),
            name: "LEGO 42083 Bugatti Chiron".into(),
            quantity: 2,
            amount: eur(69_800),
        }],
    }
}

fn payment(id: &str, status: &str, url: Option<&str>) -> PaymentView {
    PaymentView {
        id: id.into(),
        created_at: format!("2025-11-22T04:2{}:00+00:00", id.len() % 10),
        status: status.into(),
        method: Some("ideal".into()),
        amount: eur(102_799),
        checkout_url: url.map(str::to_owned),
    }
}

/// An order shipped twice (with and without tracking), refunded once, with an expired and an
/// open payment, its authorization expiring in 27 and a half days.
fn order_with_history() -> OrderView {
    let mut order = sample_order();
    order.status = OrderStatus::Shipping;
    let in_27_days = wasm_bindgen_futures::js_sys::Date::now() + 27.5 * 86_400_000.0;
    order.expires_at = Some(
        wasm_bindgen_futures::js_sys::Date::new(&in_27_days.into())
            .to_iso_string()
            .into(),
    );
    order.shipments = vec![
        shipment(
            "shp_1",
            Some(TrackingInfo {
                carrier: "PostNL".into(),
                code: "3SKABA000000000".into(),
                url: Some("https://postnl.nl/tracktrace/3SKABA000000000".into()),
            }),
        ),
        shipment("shp_2", None),
    ];
    order.refunds = vec![RefundView {
        id: "re_1".into(),
        created_at: "2025-11-24T09:00:00+00:00".into(),
        amount: eur(1_000),
        status: "pending".into(),
        description: "Damaged box".into(),
        lines: Vec::new(),
    }];
    order.payments = vec![
        payment("tr_a", "expired", None),
        payment("tr_bb", "open", Some("https://pay.example/tr_bb")),
    ];
    order
}

fn mount_updates(root: &HtmlElement, role: Role, order: OrderView) -> Box<dyn Any> {
    let handle = mount_to(root.clone(), move || {
        Session::provide_with(SessionState::SignedIn(staff(role)));
        let order = RwSignal::new(order);
        view! { <OrderUpdates order/> }
    });
    Box::new(handle)
}

#[wasm_bindgen_test]
async fn shipments_refunds_and_payments_are_listed_from_the_order() {
    let root = fresh_section();
    let _handle = mount_updates(&root, Role::Operator, order_with_history());
    tick().await;
    assert_eq!(
        text(&root, "expires-in"),
        "The authorization expires in 27 days: ship before then"
    );

    let shipments = by_testid(&root, "shipments");
    assert_eq!(count(&shipments, "shipment"), 2);
    let first = nth(&shipments, "shipment", 0);
    assert!(first
        .text_content()
        .unwrap_or_default()
        .contains("2 × LEGO 42083 Bugatti Chiron"));
    assert!(first
        .text_content()
        .unwrap_or_default()
        .contains("2025-11-23 10:00"));
    let tracking = by_testid(&first, "shipment-tracking");
    let link = tracking
        .query_selector("a")
        .expect("selector")
        .expect("a link");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://postnl.nl/tracktrace/3SKABA000000000")
    );
    assert_eq!(text(&first, "shipment-tracking"), "PostNL 3SKABA000000000");
    let second = nth(&shipments, "shipment", 1);
    assert_eq!(text(&second, "shipment-tracking"), "No tracking");
    assert_eq!(count(&shipments, "edit-tracking"), 2, "one per shipment");

    let refunds = by_testid(&root, "refunds");
    assert_eq!(count(&refunds, "refund"), 1);
    // Written the way the order's locale (nl_NL) writes it, like the orders list.
    let amount = text(&refunds, "refund-amount");
    assert!(amount.contains("10,00") && amount.contains('€'), "{amount}");
    assert_eq!(text(&refunds, "refund-description"), "Damaged box");
    assert_eq!(text(&refunds, "refund-status"), "pending");

    let payments = by_testid(&root, "payments");
    assert_eq!(count(&payments, "payment"), 2);
    let expired = nth(&payments, "payment", 0);
    assert_eq!(text(&expired, "payment-status"), "expired");
    assert_eq!(text(&expired, "payment-method"), "iDEAL");
    by_testid(&root, "edit-details");
    // Shipping orders are paid: no new payment link.
    assert!(try_by_testid(&root, "new-payment-link").is_none());
}

#[wasm_bindgen_test]
async fn only_an_open_payment_with_a_link_can_be_copied() {
    let root = fresh_section();
    let mut order = order_with_history();
    order.payments.push(payment("tr_ccc", "open", None));
    let _handle = mount_updates(&root, Role::Viewer, order);
    tick().await;
    let payments = by_testid(&root, "payments");
    assert_eq!(count(&payments, "payment"), 3);
    assert_eq!(count(&payments, "copy-payment-link"), 1);
    let open = nth(&payments, "payment", 1);
    by_testid(&open, "copy-payment-link");
    assert_eq!(
        input_value(&open, "payment-link"),
        "https://pay.example/tr_bb"
    );
    assert!(try_by_testid(&nth(&payments, "payment", 0), "copy-payment-link").is_none());
    assert!(try_by_testid(&nth(&payments, "payment", 2), "copy-payment-link").is_none());
    // Viewers read but change nothing.
    assert!(try_by_testid(&root, "edit-tracking").is_none());
    assert!(try_by_testid(&root, "edit-details").is_none());

    // A created order whose last payment expired can get a new link; final orders show no
    // expiry.
    let other = fresh_section();
    let mut created = order_with_history();
    created.status = OrderStatus::Created;
    created.payments = vec![payment("tr_a", "expired", None)];
    let _other_handle = mount_updates(&other, Role::Operator, created);
    let third = fresh_section();
    let mut expired = order_with_history();
    expired.status = OrderStatus::Expired;
    let _third_handle = mount_updates(&third, Role::Operator, expired);
    tick().await;
    by_testid(&other, "new-payment-link");
    assert!(try_by_testid(&third, "expires-in").is_none());
}

#[wasm_bindgen_test]
async fn the_edit_tracking_dialog_sends_update_tracking_for_its_shipment() {
    // Opened from the list, the dialog is prefilled with that shipment's tracking.
    let page = fresh_section();
    let _page_handle = mount_updates(&page, Role::Operator, order_with_history());
    tick().await;
    let opener: HtmlElement = nth(&page, "edit-tracking", 0).unchecked_into();
    opener.focus().expect("focus");
    opener.click();
    tick().await;
    by_testid(&page, "dialog");
    // The dialog was built by the click's update; its inputs are filled on the next turn.
    tick().await;
    assert_eq!(input_value(&page, "tracking-carrier"), "PostNL");
    assert_eq!(input_value(&page, "tracking-code"), "3SKABA000000000");
    click(&page, "dialog-cancel");
    tick().await;
    assert!(try_by_testid(&page, "dialog").is_none());
    // Keyboard users are back on the button that opened it.
    let focused = document().active_element().expect("something has focus");
    assert_eq!(
        focused.get_attribute("data-testid").as_deref(),
        Some("edit-tracking")
    );

    let root = fresh_section();
    let submitted = RwSignal::new(Vec::<OrderAction>::new());
    let error = RwSignal::new(None::<ClientError>);
    let _handle = mount_to(root.clone(), move || {
        view! {
            <TrackingDialog
                shipment=shipment("shp_2", None)
                on_submit=move |a| submitted.update(|s| s.push(a))
                on_close=|()| {}
                error
            />
        }
    });
    tick().await;
    assert_eq!(input_value(&root, "tracking-carrier"), "");
    type_into(&root, "tracking-carrier", "DHL");
    click(&root, "dialog-submit");
    tick().await;
    assert!(submitted.get_untracked().is_empty(), "the code is missing");
    assert!(text(&root, "dialog-error").contains("tracking code"));

    type_into(&root, "tracking-code", "JD014600006281230704");
    type_into(
        &root,
        "tracking-url",
        "https://dhl.example/JD014600006281230704",
    );
    click(&root, "dialog-submit");
    tick().await;
    assert!(try_by_testid(&root, "dialog-error").is_none());
    let sent = submitted.get_untracked();
    assert_eq!(sent.len(), 1);
    let OrderAction::UpdateTracking {
        intent_id,
        shipment_id,
        tracking,
    } = &sent[0]
    else {
        panic!("not a tracking update: {:?}", sent[0]);
    };
    assert!(!intent_id.is_empty());
    assert_eq!(shipment_id, "shp_2");
    assert_eq!(tracking.carrier, "DHL");
    assert_eq!(tracking.code, "JD014600006281230704");
    assert_eq!(
        tracking.url.as_deref(),
        Some("https://dhl.example/JD014600006281230704")
    );

    // A retry after an unknown outcome is the same intent.
    error.set(Some(http_error(503, "provider_unavailable")));
    tick().await;
    click(&root, "dialog-submit");
    tick().await;
    let sent = submitted.get_untracked();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].intent_id(), sent[0].intent_id());
}

#[wasm_bindgen_test]
async fn the_edit_line_dialog_prices_the_change_and_sends_update_line() {
    // Offered before payment or shipping only.
    let page = fresh_section();
    let _authorized = mount_updates(&page, Role::Operator, sample_order());
    tick().await;
    assert!(try_by_testid(&page, "edit-line").is_some());
    let shipping = fresh_section();
    let _shipping = mount_updates(&shipping, Role::Operator, order_with_history());
    tick().await;
    assert!(try_by_testid(&shipping, "edit-line").is_none());

    let root = fresh_section();
    let submitted = RwSignal::new(Vec::<OrderAction>::new());
    let _handle = mount_to(root.clone(), move || {
        view! {
            <LineDialog
                order=sample_order()
                on_submit=move |a| submitted.update(|s| s.push(a))
                on_close=|()| {}
            />
        }
    });
    tick().await;
    tick().await;
    // The first line, prefilled.
    assert_eq!(
        input_value(&root, "edit-line-name"),
        "LEGO 42083 Bugatti Chiron"
    );
    assert_eq!(input_value(&root, "edit-line-unitPrice"), "399.00");
    assert_eq!(input_value(&root, "edit-line-discount"), "100.00");
    click(&root, "dialog-submit");
    tick().await;
    assert!(submitted.get_untracked().is_empty());
    assert!(text(&root, "dialog-error").contains("Nothing was changed"));
    // The second line: two Porsches instead of one.
    choose(&root, "edit-line-choice", "1");
    tick().await;
    assert_eq!(
        input_value(&root, "edit-line-name"),
        "LEGO 42056 Porsche 911 GT3"
    );
    type_into(&root, "edit-line-quantity", "2");
    tick().await;
    // nl_NL through Intl.NumberFormat: 659,98 and 1.027,99 − 329,99 + 659,98 = 1.357,98.
    assert!(
        text(&root, "edit-line-total").contains("659,98"),
        "{}",
        text(&root, "edit-line-total")
    );
    assert!(text(&root, "edit-line-order-total").contains("1.357,98"));
    type_into(&root, "edit-line-quantity", "0");
    click(&root, "dialog-submit");
    tick().await;
    assert!(submitted.get_untracked().is_empty());
    assert!(
        field_errors(&root)
            .iter()
            .any(|(f, _)| f == "line.quantity"),
        "{:?}",
        field_errors(&root)
    );
    type_into(&root, "edit-line-quantity", "2");
    click(&root, "dialog-submit");
    tick().await;
    let sent = submitted.get_untracked();
    let [OrderAction::UpdateLine { line_id, line, .. }] = sent.as_slice() else {
        panic!("not one line update: {sent:?}");
    };
    assert_eq!(line_id, "odl_2");
    assert_eq!(
        (line.quantity, line.unit_price, line.discount),
        (2, 32_999, 0)
    );
}

#[wasm_bindgen_test]
async fn an_amount_refund_is_checked_described_and_confirmed_before_it_is_sent() {
    let mut paid = sample_order();
    paid.status = OrderStatus::Paid;
    // Nothing captured: no button.
    let page = fresh_section();
    let _unpaid = mount_updates(&page, Role::Operator, paid.clone());
    tick().await;
    assert!(try_by_testid(&page, "refund-amount-open").is_none());
    paid.amount_captured = Some(eur(102_799));
    paid.amount_refunded = Some(eur(1_000));
    let page = fresh_section();
    let _paid = mount_updates(&page, Role::Operator, paid.clone());
    tick().await;
    assert!(try_by_testid(&page, "refund-amount-open").is_some());
    let viewer = fresh_section();
    let _viewer = mount_updates(&viewer, Role::Viewer, paid.clone());
    tick().await;
    assert!(try_by_testid(&viewer, "refund-amount-open").is_none());

    let root = fresh_section();
    let submitted = RwSignal::new(Vec::<OrderAction>::new());
    let _handle = mount_to(root.clone(), move || {
        view! {
            <AmountRefundDialog
                order=paid.clone()
                on_submit=move |a| submitted.update(|s| s.push(a))
                on_close=|()| {}
            />
        }
    });
    tick().await;
    // 1.027,99 − 10,00 in nl_NL.
    assert!(
        text(&root, "refund-left").contains("1.017,99"),
        "{}",
        text(&root, "refund-left")
    );
    type_into(&root, "refund-amount-input", "1017.99");
    type_into(&root, "refund-amount-input", "1018");
    click(&root, "dialog-submit");
    tick().await;
    assert!(
        field_errors(&root)
            .iter()
            .any(|(f, _)| f == "refund.amount"),
        "{:?}",
        field_errors(&root)
    );
    assert!(try_by_testid(&root, "confirm-text").is_none());
    type_into(&root, "refund-amount-input", "12.50");
    type_into(&root, "refund-description-input", "Shipping costs");
    click(&root, "dialog-submit");
    tick().await;
    // Described first, not sent.
    assert!(submitted.get_untracked().is_empty());
    assert!(
        text(&root, "confirm-text").contains("12,50"),
        "{}",
        text(&root, "confirm-text")
    );
    assert_eq!(
        button(&root, "dialog-submit")
            .text_content()
            .unwrap_or_default()
            .trim(),
        "Yes, refund"
    );
    click(&root, "dialog-submit");
    tick().await;
    let sent = submitted.get_untracked();
    let [OrderAction::RefundAmount {
        amount,
        description,
        ..
    }] = sent.as_slice()
    else {
        panic!("not one amount refund: {sent:?}");
    };
    assert_eq!(*amount, eur(1_250));
    assert_eq!(description.as_deref(), Some("Shipping costs"));
}

// ---- the shop --------------------------------------------------------------------------

fn catalog() -> Vec<Product> {
    let product = |sku: &str, name: &str, minor| Product {
        sku: sku.into(),
        name: name.into(),
        unit_price: eur(minor),
        vat_rate: "21".parse().expect("rate"),
    };
    vec![
        product("42083", "LEGO 42083 Bugatti Chiron", 39_900),
        product("42056", "LEGO 42056 Porsche 911 GT3", 32_999),
    ]
}

#[wasm_bindgen_test]
async fn the_shop_total_follows_the_quantities_and_100_is_refused() {
    let root = fresh_section();
    let submitted = RwSignal::new(Vec::<PublicCheckout>::new());
    let _handle = mount_to(root.clone(), move || {
        view! { <ShopForm catalog=catalog() on_submit=move |c| submitted.update(|s| s.push(c))/> }
    });
    tick().await;
    assert_eq!(count(&root, "shop-product"), 2);
    assert_eq!(text(&root, "shop-total"), "€0.00");
    let picker = by_testid(&root, "shop-qty-42083");
    assert_eq!(
        picker.get_attribute("inputmode").as_deref(),
        Some("numeric")
    );

    type_into(&root, "shop-qty-42083", "2");
    tick().await;
    assert_eq!(text(&root, "shop-total"), "€798.00");
    type_into(&root, "shop-qty-42056", "1");
    tick().await;
    assert_eq!(text(&root, "shop-total"), "€1,127.99");

    fill_billing(&root);
    type_into(&root, "shop-qty-42083", "100");
    tick().await;
    assert_eq!(text(&root, "shop-total"), "—");
    click(&root, "shop-pay");
    tick().await;
    assert!(submitted.get_untracked().is_empty(), "nothing was sent");
    assert_eq!(
        field_errors(&root),
        vec![(
            "items.0.quantity".to_owned(),
            "You can order at most 99 of one product.".to_owned()
        )]
    );

    // What was typed stays as typed, and is explained.
    type_into(&root, "shop-qty-42083", "1.5");
    tick().await;
    click(&root, "shop-pay");
    tick().await;
    assert_eq!(
        field_errors(&root),
        vec![(
            "items.0.quantity".to_owned(),
            "Enter a whole number, like 1 or 12.".to_owned()
        )]
    );
    assert_eq!(input_value(&root, "shop-qty-42083"), "1.5");

    type_into(&root, "shop-qty-42083", "0");
    choose(&root, "locale", "nl_NL");
    click(&root, "shop-pay");
    tick().await;
    assert!(field_errors(&root).is_empty());
    let sent = submitted.get_untracked();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].items.len(), 1);
    assert_eq!(
        (sent[0].items[0].sku.as_str(), sent[0].items[0].quantity),
        ("42056", 1)
    );
    assert_eq!(sent[0].locale, "nl_NL");
    assert_eq!(
        sent[0].billing_address.email.as_deref(),
        Some("piet@mondriaan.com")
    );
}
