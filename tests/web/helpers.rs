//! What the browser tests share: a fresh piece of page per test, DOM helpers that act the
//! way a person would, and fixtures (orders, lines, staff, a catalog).
#![allow(dead_code)]

pub use std::any::Any;

pub use kassa_app::actions::ActionKind;
pub use kassa_app::api::{self, ClientError};
pub use kassa_app::components::{
    ActionDialog, AmountRefundDialog, AppHeader, DetailsDialog, DueDateDialog, ExpiryRadar,
    FilterBar, ImportOrderForm, LineDialog, LoginForm, OrderActions, OrderForm, OrderSummary,
    OrderUpdates, OrdersTable, PageToast, PlainActionDialog, ShopForm, Timeline, TrackingDialog,
};
pub use kassa_app::draft::FormError;
pub use kassa_app::filters::FilterForm;
pub use kassa_app::pages::{LoginPage, NewOrderPage, PayLinkDetails, ReturnDetails};
pub use kassa_app::routes;
pub use kassa_app::session::{RequireStaff, Session, SessionState};
pub use kassa_app::staff_locale::StaffLocale;
pub use kassa_model::api::{
    ActionAvailability, Address, ApiError, Credentials, DueDateOption, ExpiringOrder, ImportOrder,
    LineStatus, LineView, NewOrder, NewPayLink, OrderAction, OrderFilter, OrderStatus, OrderView,
    PartView, PaymentView, Product, Provider, PublicCheckout, RefundView, Role, ShipmentView,
    StaffView, TrackingInfo,
};
pub use kassa_model::{Currency, FieldError, Money};
pub use leptos::mount::mount_to;
pub use leptos::prelude::*;
pub use leptos::task::tick;
pub use leptos_router::components::Router;
pub use wasm_bindgen::JsCast;
pub use wasm_bindgen_test::*;
pub use web_sys::{
    Element, Event, EventInit, HtmlButtonElement, HtmlElement, HtmlInputElement, HtmlSelectElement,
};

/// A new `<section>` in the page for one test, so tests cannot see each other's DOM.
pub fn fresh_section() -> HtmlElement {
    let document = document();
    let section = document.create_element("section").expect("create section");
    document
        .body()
        .expect("body")
        .append_child(&section)
        .expect("append section");
    section.unchecked_into()
}

pub fn by_testid(root: &Element, testid: &str) -> Element {
    try_by_testid(root, testid).unwrap_or_else(|| panic!("no element with data-testid={testid}"))
}

pub fn try_by_testid(root: &Element, testid: &str) -> Option<Element> {
    root.query_selector(&format!("[data-testid=\"{testid}\"]"))
        .expect("valid selector")
}

/// Text as a person reads it: `Intl` puts no-break spaces (U+00A0, U+202F) in amounts
/// ("1.299,00 €"); they read as spaces.
pub fn plain(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
}

pub fn text(root: &Element, testid: &str) -> String {
    by_testid(root, testid)
        .text_content()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// Sets an input's value and fires a bubbling `input` event, as typing does (Leptos delegates
/// events to the document, so a non-bubbling event would never reach the handler).
pub fn type_into(root: &Element, testid: &str, value: &str) {
    let input: HtmlInputElement = by_testid(root, testid).unchecked_into();
    input.set_value(value);
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict("input", &init).expect("input event");
    input.dispatch_event(&event).expect("dispatch input");
}

/// Picks an option of a `<select>` and fires `change`, as choosing from the list does.
pub fn choose(root: &Element, testid: &str, value: &str) {
    let select: HtmlSelectElement = by_testid(root, testid).unchecked_into();
    select.set_value(value);
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict("change", &init).expect("change event");
    select.dispatch_event(&event).expect("dispatch change");
}

pub fn select_value(root: &Element, testid: &str) -> String {
    by_testid(root, testid)
        .unchecked_into::<HtmlSelectElement>()
        .value()
}

pub fn input_value(root: &Element, testid: &str) -> String {
    by_testid(root, testid)
        .unchecked_into::<HtmlInputElement>()
        .value()
}

pub fn click(root: &Element, testid: &str) {
    by_testid(root, testid)
        .unchecked_into::<HtmlElement>()
        .click();
}

pub fn button(root: &Element, testid: &str) -> HtmlButtonElement {
    by_testid(root, testid).unchecked_into()
}

/// Waits (up to ~5 s) for an element that appears after a network answer.
pub async fn wait_for(root: &Element, testid: &str) -> Element {
    for _ in 0..100 {
        if let Some(element) = try_by_testid(root, testid) {
            return element;
        }
        sleep(50).await;
    }
    panic!("data-testid={testid} did not appear");
}

/// Lets the browser run timers, fetches and navigations for `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = wasm_bindgen_futures::js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer");
}

pub fn staff(role: Role) -> StaffView {
    StaffView {
        email: "ada@example.com".into(),
        name: "Ada Lovelace".into(),
        role,
    }
}

pub fn http_error(status: u16, code: &str) -> ClientError {
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
pub fn field_errors(root: &Element) -> Vec<(String, String)> {
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
pub fn fill_billing(root: &Element) {
    type_into(root, "billing-givenName", "Piet");
    type_into(root, "billing-familyName", "Mondriaan");
    type_into(root, "billing-email", "piet@mondriaan.com");
    type_into(root, "billing-streetAndNumber", "Keizersgracht 126");
    type_into(root, "billing-postalCode", "1015 CW");
    type_into(root, "billing-city", "Amsterdam");
}

/// Mounts an [`OrderForm`] whose submits are recorded instead of sent. Keep the returned box:
/// dropping the mount handle unmounts the form.
pub fn mount_form(
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

/// `order` with its actions (and its shipments') filled in by the model's rules, as the proxy
/// sends every order. Tests change an order's facts and then call this, like the proxy does
/// after each change.
pub fn annotated(mut order: OrderView) -> OrderView {
    kassa_model::rules::annotate(&mut order);
    order
}

pub fn sample_order() -> OrderView {
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
        amount_shipped: Some(eur(0)),
        amount_refunded: Some(eur(0)),
        amount_canceled: Some(eur(0)),
    };
    let order = OrderView {
        id: "ord_stTC2WHAuS".into(),
        provider: kassa_model::api::Provider::Mollie,
        order_number: "1337".into(),
        merchant_reference2: None,
        provider_reference: None,
        status: OrderStatus::Authorized,
        provider_status: None,
        fraud_status: None,
        amount: eur(102_799),
        amount_original: None,
        amount_remaining: None,
        amount_captured: None,
        amount_refunded: None,
        locale: "nl_NL".into(),
        method: Some("klarnapaylater".into()),
        created_at: "2025-11-22T04:20:13+00:00".into(),
        expires_at: None,
        extended_expires_at: None,
        shipping_address: None,
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
        actions: Vec::new(),
    };
    annotated(order)
}

pub fn nav_links(root: &Element) -> Vec<String> {
    let list = root.query_selector_all("nav a").expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|node| node.text_content().unwrap_or_default())
        .collect()
}

pub fn summary_row(
    number: &str,
    status: OrderStatus,
    minor: i64,
    locale: &str,
) -> kassa_model::api::OrderSummary {
    kassa_model::api::OrderSummary {
        id: format!("ord_{number}"),
        provider: kassa_model::api::Provider::Mollie,
        expires_at: None,
        order_number: number.into(),
        status,
        amount: Money::new(minor, Currency::EUR),
        customer_name: "Piet Mondriaan".into(),
        customer_email: "piet@mondriaan.com".into(),
        locale: locale.into(),
        created_at: "2025-11-22T04:20:13+00:00".into(),
        payment_state: None,
        fulfilment_state: None,
    }
}

/// Mounts an [`ActionDialog`] whose sends are recorded instead of made; `error` plays the
/// answer to the last send.
pub fn mount_dialog(
    root: &HtmlElement,
    kind: ActionKind,
    order: OrderView,
    error: RwSignal<Option<ClientError>>,
) -> (RwSignal<Vec<OrderAction>>, Box<dyn Any>) {
    let submitted = RwSignal::new(Vec::<OrderAction>::new());
    let order = annotated(order);
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

/// The order page's action bar for `role`, with the order's actions as the proxy would list
/// them.
pub fn mount_actions(root: &HtmlElement, role: Role, order: OrderView) -> Box<dyn Any> {
    let order = annotated(order);
    let handle = mount_to(root.clone(), move || {
        Session::provide_with(SessionState::SignedIn(staff(role)));
        let order = RwSignal::new(order);
        view! { <OrderActions order/> }
    });
    Box::new(handle)
}

pub fn count(root: &Element, testid: &str) -> u32 {
    root.query_selector_all(&format!("[data-testid=\"{testid}\"]"))
        .expect("valid selector")
        .length()
}

pub fn nth(root: &Element, testid: &str, i: u32) -> Element {
    root.query_selector_all(&format!("[data-testid=\"{testid}\"]"))
        .expect("valid selector")
        .item(i)
        .unwrap_or_else(|| panic!("no {testid} number {i}"))
        .unchecked_into()
}

pub fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

pub fn shipment(id: &str, tracking: Option<TrackingInfo>) -> ShipmentView {
    ShipmentView {
        id: id.into(),
        created_at: "2025-11-23T10:00:00+00:00".into(),
        tracking,
        shipping_info: Vec::new(),
        lines: vec![PartView {
            line_id: "odl_1".into(),
            name: "LEGO 42083 Bugatti Chiron".into(),
            quantity: 2,
            amount: eur(69_800),
        }],
        amount: None,
        reference: None,
        actions: Vec::new(),
    }
}

pub fn payment(id: &str, status: &str, url: Option<&str>) -> PaymentView {
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
pub fn order_with_history() -> OrderView {
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
                ..TrackingInfo::default()
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

/// The order page's panels around the summary (the action bar and the sections below it)
/// sharing one order, as the page has them.
pub fn mount_updates(root: &HtmlElement, role: Role, order: OrderView) -> Box<dyn Any> {
    let order = annotated(order);
    let handle = mount_to(root.clone(), move || {
        Session::provide_with(SessionState::SignedIn(staff(role)));
        // As the order page does: one toast for both panels.
        PageToast::provide();
        let order = RwSignal::new(order);
        view! {
            <OrderActions order/>
            <OrderUpdates order/>
        }
    });
    Box::new(handle)
}

/// A Klarna order (pay later, an invoice) of two lines, €1,027.99: one of two Bugattis
/// captured (€349.00, with two shipping infos), €10.00 of it refunded, the Porsche not yet
/// captured; its authorization expires in 5 days and can be extended by 23 more.
pub fn klarna_order() -> OrderView {
    let mut order = sample_order();
    order.id = "f3392f8b-6116-4073-ab96-e330819e2c07".into();
    order.provider = Provider::Klarna;
    order.order_number = "K-1001".into();
    order.merchant_reference2 = Some("PO-77".into());
    order.provider_reference = Some("2b5a3b7e".into());
    order.status = OrderStatus::Shipping;
    order.provider_status = Some("PART_CAPTURED".into());
    order.fraud_status = Some("ACCEPTED".into());
    order.method = Some("invoice".into());
    order.amount_original = Some(eur(102_799));
    order.amount_captured = Some(eur(34_900));
    order.amount_refunded = Some(eur(1_000));
    order.amount_remaining = Some(eur(67_899));
    order.expires_at = Some(days_from_now(5.0));
    order.extended_expires_at = Some(days_from_now(28.0));
    order.shipping_address = Some(Address {
        street_and_number: Some("Prinsengracht 263".into()),
        postal_code: Some("1016 GV".into()),
        city: Some("Amsterdam".into()),
        country: Some("NL".into()),
        ..order.billing_address.clone()
    });
    for line in &mut order.lines {
        line.status = LineStatus::Authorized;
    }
    let bugatti = &mut order.lines[0];
    bugatti.status = LineStatus::Shipping;
    bugatti.quantity_shipped = 1;
    bugatti.shippable_quantity = 1;
    bugatti.refundable_quantity = 1;
    bugatti.cancelable_quantity = 1;
    let porsche = &mut order.lines[1];
    porsche.shippable_quantity = 1;
    porsche.cancelable_quantity = 1;
    let info = |carrier: &str, code: &str| TrackingInfo {
        carrier: carrier.into(),
        code: code.into(),
        url: None,
        method: Some("PickUpPoint".into()),
        ..TrackingInfo::default()
    };
    let mut capture = shipment("cap_1", Some(info("DHL", "JD02")));
    capture.shipping_info = vec![info("PostNL", "3S01"), info("DHL", "JD02")];
    capture.amount = Some(eur(34_900));
    capture.reference = Some("2b5a3b7e-1".into());
    capture.lines[0].quantity = 1;
    capture.lines[0].amount = eur(34_900);
    order.shipments = vec![capture];
    order.refunds = vec![RefundView {
        id: "ref_1".into(),
        created_at: "2025-11-24T09:00:00+00:00".into(),
        amount: eur(1_000),
        status: "refunded".into(),
        description: "Damaged box".into(),
        lines: Vec::new(),
    }];
    order.events = vec![kassa_model::api::OrderEvent {
        at: "2025-11-23T10:00:00+00:00".into(),
        kind: "action".into(),
        detail: "ship by ada@example.com (intent 7d0c…)".into(),
    }];
    annotated(order)
}

/// An RFC 3339 time `days` from now, by the browser's clock.
pub fn days_from_now(days: f64) -> String {
    let at = wasm_bindgen_futures::js_sys::Date::now() + days * 86_400_000.0;
    wasm_bindgen_futures::js_sys::Date::new(&at.into())
        .to_iso_string()
        .into()
}

/// Whether the button `testid` is there and disabled, and the reason shown beside it.
pub fn disabled_reason(root: &Element, testid: &str) -> Option<String> {
    let button = button(root, testid);
    if !button.disabled() {
        return None;
    }
    let id = button.get_attribute("aria-describedby")?;
    root.query_selector(&format!("#{id}"))
        .ok()
        .flatten()
        .map(|r| r.text_content().unwrap_or_default().trim().to_owned())
}

pub fn catalog() -> Vec<Product> {
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
