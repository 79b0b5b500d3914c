//! Browser tests: the order form.

use super::helpers::*;

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
    // The cursor waits in the new line's name.
    sleep(100).await;
    let focused = document()
        .active_element()
        .expect("something has the focus");
    assert_eq!(
        focused.get_attribute("data-testid").as_deref(),
        Some("line-1-name")
    );
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

#[wasm_bindgen_test]
async fn a_klarna_order_is_handed_on_as_a_pay_link_with_the_save_choice() {
    let root = fresh_section();
    let orders = RwSignal::new(Vec::<NewOrder>::new());
    let links = RwSignal::new(Vec::<NewPayLink>::new());
    let _handle = mount_to(root.clone(), move || {
        view! {
            <OrderForm
                on_submit=move |o| orders.update(|all| all.push(o))
                on_pay_link=move |l| links.update(|all| all.push(l))
            />
        }
    });
    tick().await;
    assert!(
        try_by_testid(&root, "save-customer-token").is_none(),
        "Mollie first"
    );
    fill_billing(&root);
    type_into(&root, "line-0-name", "Espresso cup");
    type_into(&root, "line-0-unitPrice", "12.50");
    choose(&root, "method", "ideal");
    click(&root, "provider-klarna");
    tick().await;
    assert_eq!(text(&root, "submit-order"), "Create pay link");
    click(&root, "save-customer-token");
    click(&root, "submit-order");
    tick().await;
    assert!(orders.with_untracked(Vec::is_empty), "no Mollie order");
    let links = links.get_untracked();
    assert_eq!(links.len(), 1);
    assert!(links[0].save_customer_token);
    assert_eq!(links[0].order.lines[0].unit_price, 1250);
    assert_eq!(links[0].order.method, None, "Klarna's customer chooses");

    click(&root, "provider-mollie");
    tick().await;
    click(&root, "submit-order");
    tick().await;
    assert_eq!(orders.get_untracked()[0].method.as_deref(), Some("ideal"));
}

#[wasm_bindgen_test]
async fn without_a_pay_link_handler_the_form_offers_no_provider_choice() {
    let root = fresh_section();
    let (_submitted, _handle) = mount_form(&root, Signal::from(false), Signal::from(None));
    tick().await;
    assert!(try_by_testid(&root, "provider-klarna").is_none());
    assert_eq!(text(&root, "submit-order"), "Create order");
}
