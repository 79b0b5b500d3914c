//! Browser tests: the order form.

use super::helpers::*;

#[wasm_bindgen_test]
async fn line_totals_and_order_total_update_as_the_user_types() {
    let root = fresh_section();
    let (_submitted, _handle) = mount_form(&root, Signal::from(false), Signal::from(None));
    tick().await;
    // The defaults a merchant starts from.
    assert_eq!(select_value(&root, "currency"), "EUR");
    assert_eq!(select_value(&root, "locale"), "nl_NL");
    assert_eq!(select_value(&root, "method"), "");
    assert_eq!(select_value(&root, "billing-country"), "NL");
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

/// The links of the error summary, as `(href, text)`.
fn summary_links(root: &Element) -> Vec<(String, String)> {
    let list = root
        .query_selector_all("[data-testid=\"error-summary-link\"]")
        .expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .map(|a| {
            (
                a.get_attribute("href").unwrap_or_default(),
                a.text_content().unwrap_or_default(),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_failed_submit_shows_every_problem_at_once_with_a_summary_in_form_order() {
    let root = fresh_section();
    let (submitted, _handle) = mount_form(&root, Signal::from(false), Signal::from(None));
    tick().await;
    // The form: no address, no line name, VAT 150 %; and a second line's bad price.
    type_into(&root, "line-0-unitPrice", "10");
    type_into(&root, "line-0-vatRate", "150");
    click(&root, "add-line");
    tick().await;
    type_into(&root, "line-1-name", "Saucer");
    type_into(&root, "line-1-unitPrice", "abc");
    click(&root, "submit-order");
    tick().await;
    sleep(50).await;

    let fields: Vec<String> = field_errors(&root).into_iter().map(|(f, _)| f).collect();
    let expected = [
        "billingAddress.givenName",
        "billingAddress.familyName",
        "billingAddress.email",
        "billingAddress.streetAndNumber",
        "billingAddress.postalCode",
        "billingAddress.city",
        "lines.0.name",
        "lines.0.vatRate",
        "lines.1.unitPrice",
    ];
    assert_eq!(fields, expected, "every problem at once, by its field");
    assert!(submitted.with_untracked(Vec::is_empty), "nothing was sent");

    // The summary: a count, then one link per problem in the order of the form.
    let summary = by_testid(&root, "error-summary");
    assert!(!summary.has_attribute("hidden"));
    assert_eq!(
        summary
            .query_selector("h2")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "9 problems to fix"
    );
    assert_eq!(
        document().active_element(),
        Some(summary.clone()),
        "the focus moved to the summary"
    );
    let links = summary_links(&root);
    let hrefs: Vec<&str> = links.iter().map(|(href, _)| href.as_str()).collect();
    let expected_hrefs: Vec<String> = expected
        .iter()
        .map(|f| format!("#field-{}", f.replace('.', "-")))
        .collect();
    assert_eq!(hrefs, expected_hrefs);
    assert_eq!(links[6].1, "Line 1, Name: Enter a name for this line.");
    assert_eq!(links[5].1, "Billing address, City: Enter the city.");

    // Each input is marked invalid and described by its message.
    let vat = by_testid(&root, "line-0-vatRate");
    assert_eq!(vat.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = vat.get_attribute("aria-describedby").expect("described");
    let message = document().get_element_by_id(&described).expect("message");
    assert_eq!(
        message.get_attribute("data-field").as_deref(),
        Some("lines.0.vatRate")
    );
    assert!(
        message.text_content().unwrap_or_default().contains("100"),
        "{:?}",
        message.text_content()
    );
    assert_eq!(
        by_testid(&root, "billing-city")
            .get_attribute("aria-describedby")
            .as_deref(),
        Some("field-billingAddress-city-error")
    );

    // A link takes the keyboard to its field.
    let link: HtmlElement = root
        .query_selector("[href=\"#field-lines-1-unitPrice\"]")
        .unwrap()
        .expect("a link to line 2's price")
        .unchecked_into();
    link.click();
    assert_eq!(
        document()
            .active_element()
            .and_then(|e| e.get_attribute("data-testid"))
            .as_deref(),
        Some("line-1-unitPrice")
    );

    // Fixing a field takes its message away as the user types; the count follows.
    type_into(&root, "line-0-vatRate", "21");
    tick().await;
    assert!(!field_errors(&root)
        .iter()
        .any(|(f, _)| f == "lines.0.vatRate"));
    assert_eq!(
        by_testid(&root, "line-0-vatRate").get_attribute("aria-invalid"),
        None
    );
    assert_eq!(
        by_testid(&root, "line-0-vatRate").get_attribute("aria-describedby"),
        None
    );
    assert_eq!(
        summary
            .query_selector("h2")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "8 problems to fix"
    );

    // All fixed: the order goes, and the summary is gone.
    fill_billing(&root);
    type_into(&root, "line-0-name", "Cup");
    type_into(&root, "line-1-unitPrice", "4.50");
    click(&root, "submit-order");
    tick().await;
    assert!(field_errors(&root).is_empty());
    assert!(summary.has_attribute("hidden"));
    assert_eq!(submitted.with_untracked(Vec::len), 1);
}

#[wasm_bindgen_test]
async fn the_country_is_picked_from_a_list_and_follows_the_locale_until_chosen() {
    let root = fresh_section();
    let (submitted, _handle) = mount_form(&root, Signal::from(false), Signal::from(None));
    tick().await;
    let country: HtmlSelectElement = by_testid(&root, "billing-country").unchecked_into();
    let shown = |country: &HtmlSelectElement| {
        country
            .query_selector("option:checked")
            .ok()
            .flatten()
            .and_then(|o| o.text_content())
            .unwrap_or_default()
    };
    // The defaults agree: Dutch checkout, the Netherlands.
    assert_eq!(select_value(&root, "locale"), "nl_NL");
    assert_eq!(shown(&country), "Netherlands (NL)");

    choose(&root, "locale", "de_DE");
    tick().await;
    assert_eq!(country.value(), "DE");
    assert_eq!(shown(&country), "Germany (DE)");
    choose(&root, "locale", "en_GB");
    tick().await;
    assert_eq!(shown(&country), "United Kingdom (GB)");

    // Chosen by hand, the country stays whatever the language.
    choose(&root, "billing-country", "AT");
    choose(&root, "locale", "fr_FR");
    tick().await;
    assert_eq!(country.value(), "AT");

    fill_billing(&root);
    type_into(&root, "billing-postalCode", "1010");
    type_into(&root, "line-0-name", "Cup");
    type_into(&root, "line-0-unitPrice", "4.50");
    click(&root, "submit-order");
    tick().await;
    let orders = submitted.get_untracked();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].locale, "fr_FR");
    assert_eq!(orders[0].billing_address.country.as_deref(), Some("AT"));
}

#[wasm_bindgen_test]
async fn a_postal_code_that_does_not_fit_the_country_warns_without_blocking() {
    let root = fresh_section();
    let (submitted, _handle) = mount_form(&root, Signal::from(false), Signal::from(None));
    tick().await;
    fill_billing(&root);
    assert!(
        try_by_testid(&root, "billing-postalCode-warning").is_none(),
        "1015 CW is Dutch"
    );

    // A Berlin postcode with the country left on NL.
    type_into(&root, "billing-postalCode", "10115");
    tick().await;
    let warning = by_testid(&root, "billing-postalCode-warning");
    assert!(
        warning
            .text_content()
            .unwrap_or_default()
            .contains("Netherlands (NL)"),
        "{:?}",
        warning.text_content()
    );
    assert_eq!(
        by_testid(&root, "billing-postalCode").get_attribute("aria-describedby"),
        Some(warning.id())
    );
    assert!(field_errors(&root).is_empty(), "a warning, not an error");

    choose(&root, "billing-country", "DE");
    tick().await;
    assert!(
        try_by_testid(&root, "billing-postalCode-warning").is_none(),
        "fits Germany"
    );

    // Back on NL the warning returns, and the order can still be sent.
    choose(&root, "billing-country", "NL");
    type_into(&root, "line-0-name", "Cup");
    type_into(&root, "line-0-unitPrice", "4.50");
    tick().await;
    assert!(try_by_testid(&root, "billing-postalCode-warning").is_some());
    click(&root, "submit-order");
    tick().await;
    let orders = submitted.get_untracked();
    assert_eq!(orders.len(), 1);
    assert_eq!(
        orders[0].billing_address.postal_code.as_deref(),
        Some("10115")
    );
    assert_eq!(orders[0].billing_address.country.as_deref(), Some("NL"));
}

#[wasm_bindgen_test]
async fn an_old_server_error_does_not_come_back_once_local_problems_are_fixed() {
    let root = fresh_section();
    let server_error = RwSignal::new(Some(FormError::Form("Mollie is unavailable.".into())));
    let (submitted, _handle) = mount_form(&root, Signal::from(false), server_error.into());
    tick().await;
    assert_eq!(text(&root, "form-error"), "Mollie is unavailable.");

    fill_billing(&root);
    type_into(&root, "line-0-unitPrice", "4.50");
    click(&root, "submit-order");
    tick().await;
    assert!(try_by_testid(&root, "form-error").is_none());
    assert_eq!(field_errors(&root).len(), 1, "the missing name");

    type_into(&root, "line-0-name", "Cup");
    tick().await;
    assert!(field_errors(&root).is_empty());
    assert!(
        try_by_testid(&root, "form-error").is_none(),
        "the answer to an older submit stays away"
    );

    // The next valid submit shows the caller's answer to it.
    click(&root, "submit-order");
    tick().await;
    assert_eq!(submitted.with_untracked(Vec::len), 1);
    assert_eq!(text(&root, "form-error"), "Mollie is unavailable.");
}
