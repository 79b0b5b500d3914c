//! Browser tests: components mounted into a real DOM in headless Chromium, driven the way a
//! person would (typing fires `input`, clicking the real button submits the real form), and
//! checked by what is on screen. Run with
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p kassa-app --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use std::any::Any;

use kassa_app::api::{self, ClientError};
use kassa_app::components::{OrderForm, OrderSummary};
use kassa_app::draft::FormError;
use kassa_model::api::{Address, LineStatus, LineView, NewOrder, OrderStatus, OrderView};
use kassa_model::{Currency, FieldError, Money};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
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
}
