//! Browser tests: the customer's pages (return page, shop, pay link) speak the order's
//! language and write money the way its locale does; the return page shows only what a
//! customer needs.

use kassa_model::api::{PayLine, PayLink, PayLinkState};

use super::helpers::*;

/// The return page for `order`, as the customer lands on it.
fn mount_return(root: &HtmlElement, order: OrderView) -> Box<dyn Any> {
    Box::new(mount_to(root.clone(), move || {
        view! {
            <Router>
                <ReturnDetails order waiting=false/>
            </Router>
        }
    }))
}

/// The texts of the elements with `data-testid` `testid`, in order.
fn texts(root: &Element, testid: &str) -> Vec<String> {
    (0..count(root, testid))
        .map(|i| {
            plain(
                nth(root, testid, i)
                    .text_content()
                    .unwrap_or_default()
                    .trim(),
            )
        })
        .collect()
}

/// An order whose only payment failed: Mollie leaves such an order `created`.
fn failed_order(locale: &str) -> OrderView {
    let mut order = sample_order();
    order.locale = locale.into();
    order.status = OrderStatus::Created;
    order.payments = vec![payment("tr_1", "failed", None)];
    order.checkout_url = Some("https://checkout.example/pay/ord_1337".into());
    order
}

#[wasm_bindgen_test]
async fn a_german_customer_whose_payment_failed_reads_german_and_is_asked_to_try_again() {
    let root = fresh_section();
    let _handle = mount_return(&root, failed_order("de_DE"));
    tick().await;
    let heading = by_testid(&root, "return-heading");
    assert_eq!(
        text(&root, "return-heading"),
        "Ihre Zahlung ist fehlgeschlagen"
    );
    assert_eq!(
        heading.get_attribute("data-outcome").as_deref(),
        Some("failed")
    );
    assert!(text(&root, "return-note").contains("Bitte versuchen Sie es erneut"));
    let retry = by_testid(&root, "retry-payment");
    assert_eq!(text(&root, "retry-payment"), "Erneut versuchen");
    assert_eq!(
        retry.get_attribute("href").as_deref(),
        Some("https://checkout.example/pay/ord_1337")
    );
    // What was ordered, the German way: names, quantities, prices and the total.
    assert_eq!(
        texts(&root, "return-line-name"),
        ["LEGO 42083 Bugatti Chiron", "LEGO 42056 Porsche 911 GT3"]
    );
    assert_eq!(texts(&root, "return-line-quantity"), ["2", "1"]);
    assert_eq!(texts(&root, "return-line-price"), ["698,00 €", "329,99 €"]);
    assert_eq!(plain(&text(&root, "return-total")), "1.027,99 €");
    let headers = root.query_selector_all("thead th").expect("selector");
    let headers: Vec<String> = (0..headers.length())
        .map(|i| {
            headers
                .item(i)
                .and_then(|h| h.text_content())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(headers, ["Artikel", "Menge", "Preis"]);
    // Nothing internal: no status names, no shipped / refunded / canceled counts.
    for internal in [
        "order-status",
        "line-shipped",
        "line-refunded",
        "line-canceled",
        "line-status",
    ] {
        assert!(
            try_by_testid(&root, internal).is_none(),
            "{internal} is shown"
        );
    }
    let all = root.text_content().unwrap_or_default();
    for word in [
        "created", "Status", "Shipped", "Refunded", "Canceled", "email",
    ] {
        assert!(!all.contains(word), "{word:?} in {all}");
    }
}

#[wasm_bindgen_test]
async fn dutch_and_french_customers_read_their_own_language() {
    // Belgian Dutch, paid.
    let dutch = fresh_section();
    let mut order = sample_order();
    order.locale = "nl_BE".into();
    order.status = OrderStatus::Paid;
    let _dutch = mount_return(&dutch, order);
    // French, a canceled payment.
    let french = fresh_section();
    let mut order = failed_order("fr_FR");
    order.payments = vec![payment("tr_1", "canceled", None)];
    let _french = mount_return(&french, order);
    tick().await;

    assert_eq!(
        text(&dutch, "return-heading"),
        "Bedankt voor je bestelling!"
    );
    assert_eq!(
        text(&dutch, "return-note"),
        "We hebben je betaling ontvangen."
    );
    assert!(try_by_testid(&dutch, "retry-payment").is_none());
    assert!(plain(&text(&dutch, "return-total")).contains("1.027,99"));

    assert_eq!(
        text(&french, "return-heading"),
        "Votre paiement a été annulé"
    );
    assert_eq!(text(&french, "retry-payment"), "Réessayer");
    assert_eq!(plain(&text(&french, "return-total")), "1 027,99 €");
}

#[wasm_bindgen_test]
async fn an_english_order_is_promised_nothing_kassa_does_not_do() {
    let root = fresh_section();
    let mut order = sample_order();
    order.locale = "en_GB".into();
    let _handle = mount_return(&root, order);
    tick().await;
    // Authorized: charged when it ships; no email is promised (Kassa sends none).
    assert_eq!(text(&root, "return-heading"), "Thank you for your order!");
    assert_eq!(
        text(&root, "return-note"),
        "Your payment is authorized: you are charged when your order ships."
    );
}

/// The text of the label around the input with `testid`, without the input's.
fn field_label(root: &Element, testid: &str) -> String {
    by_testid(root, testid)
        .closest("label")
        .ok()
        .flatten()
        .and_then(|l| l.query_selector(".label").ok().flatten())
        .and_then(|l| l.text_content())
        .unwrap_or_default()
        .trim()
        .to_owned()
}

#[wasm_bindgen_test]
async fn the_shop_speaks_the_language_the_shopper_picks() {
    let root = fresh_section();
    let picked = RwSignal::new(Vec::<String>::new());
    let _handle = mount_to(root.clone(), move || {
        view! {
            <ShopForm
                catalog=catalog()
                on_submit=|_| {}
                on_locale=move |l| picked.update(|p| p.push(l))
            />
        }
    });
    tick().await;
    type_into(&root, "shop-qty-42056", "4");
    tick().await;
    assert_eq!(text(&root, "shop-pay"), "Pay");
    assert_eq!(text(&root, "shop-total-label"), "Total");
    assert_eq!(plain(&text(&root, "shop-total")), "€1,319.96");

    choose(&root, "locale", "de_AT");
    tick().await;
    assert_eq!(text(&root, "shop-pay"), "Bezahlen");
    assert_eq!(text(&root, "shop-total-label"), "Gesamt");
    assert_eq!(plain(&text(&root, "shop-total")), "€ 1.319,96");
    // The address asks in German too, and "Pay with" offers its choices in German.
    assert_eq!(field_label(&root, "billing-givenName"), "Vorname");
    assert_eq!(field_label(&root, "billing-postalCode"), "Postleitzahl");
    let pay_with = root
        .query_selector(".pay-with legend")
        .ok()
        .flatten()
        .and_then(|l| l.text_content());
    assert_eq!(pay_with.as_deref().map(str::trim), Some("Bezahlen mit"));

    choose(&root, "locale", "nl_NL");
    tick().await;
    assert_eq!(text(&root, "shop-pay"), "Betalen");
    assert_eq!(plain(&text(&root, "shop-total")), "€ 1.319,96");

    click(&root, "shop-provider-klarna");
    choose(&root, "locale", "fr_BE");
    tick().await;
    assert_eq!(text(&root, "shop-pay"), "Continuer avec Klarna");
    assert_eq!(plain(&text(&root, "shop-total")), "1 319,96 €");
    // The page around the form hears each pick, to speak it too.
    assert_eq!(picked.get_untracked(), ["de_AT", "nl_NL", "fr_BE"]);
}

#[wasm_bindgen_test]
async fn a_dutch_pay_link_that_expired_says_so_in_dutch() {
    let root = fresh_section();
    let link = PayLink {
        order_number: "1337".into(),
        locale: "nl_NL".into(),
        lines: vec![PayLine {
            name: "LEGO 42083 Bugatti Chiron".into(),
            quantity: 2,
            total: eur(69_800),
        }],
        amount: eur(69_800),
        state: PayLinkState::Expired,
        klarna: None,
        return_ref: None,
    };
    let _handle = mount_to(root.clone(), move || {
        view! {
            <Router>
                <PayLinkDetails link/>
            </Router>
        }
    });
    tick().await;
    assert_eq!(text(&root, "pay-heading"), "Bestelling 1337");
    assert_eq!(plain(&text(&root, "pay-total")), "€ 698,00");
    assert_eq!(
        text(&root, "pay-link-expired"),
        "Deze betaallink is verlopen; vraag de winkel om een nieuwe."
    );
}

#[wasm_bindgen_test]
async fn the_shop_names_its_problems_in_the_shoppers_language() {
    let root = fresh_section();
    let _handle = mount_to(root.clone(), move || {
        view! { <ShopForm catalog=catalog() on_submit=|_| {}/> }
    });
    tick().await;
    choose(&root, "locale", "de_DE");
    click(&root, "shop-pay");
    tick().await;
    let errors = field_errors(&root);
    let given = errors
        .iter()
        .find(|(field, _)| field == "billingAddress.givenName")
        .map(|(_, message)| message.as_str());
    assert_eq!(
        given,
        Some("Vorname: Bitte prüfen Sie diese Angabe."),
        "{errors:?}"
    );
    assert_eq!(
        text(&root, "form-error"),
        "Wählen Sie mindestens ein Produkt."
    );
    // A quantity that is no number, in German too.
    type_into(&root, "shop-qty-42083", "zwei");
    click(&root, "shop-pay");
    tick().await;
    let errors = field_errors(&root);
    assert!(
        errors
            .iter()
            .any(|(field, message)| field == "items.0.quantity"
                && message == "Geben Sie eine ganze Zahl von 0 bis 99 ein."),
        "{errors:?}"
    );
}

#[wasm_bindgen_test]
async fn the_shops_countries_and_postal_hint_are_in_the_shoppers_language() {
    let root = fresh_section();
    let _handle = mount_to(root.clone(), move || {
        view! { <ShopForm catalog=catalog() on_submit=|_| {}/> }
    });
    tick().await;
    choose(&root, "locale", "de_DE");
    tick().await;
    let option = |code: &str| {
        root.query_selector(&format!(
            "[data-testid=\"billing-country\"] option[value=\"{code}\"]"
        ))
        .ok()
        .flatten()
        .and_then(|o| o.text_content())
        .unwrap_or_default()
    };
    // The browser's CLDR names, in German.
    assert_eq!(option("DE"), "Deutschland (DE)");
    assert_eq!(option("NL"), "Niederlande (NL)");
    choose(&root, "billing-country", "NL");
    type_into(&root, "billing-postalCode", "10115");
    tick().await;
    assert_eq!(
        text(&root, "billing-postalCode-warning"),
        "Das sieht nicht nach einer Postleitzahl in Niederlande (NL) aus. Prüfen Sie Postleitzahl und Land."
    );
}
