//! Browser tests: the shop.

use super::helpers::*;

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

#[wasm_bindgen_test]
async fn the_shopper_can_choose_klarna_and_the_checkout_says_so() {
    let root = fresh_section();
    let submitted = RwSignal::new(Vec::<PublicCheckout>::new());
    let _handle = mount_to(root.clone(), move || {
        view! { <ShopForm catalog=catalog() on_submit=move |c| submitted.update(|s| s.push(c))/> }
    });
    tick().await;
    assert_eq!(text(&root, "shop-pay"), "Pay");
    type_into(&root, "shop-qty-42083", "1");
    fill_billing(&root);
    click(&root, "shop-provider-klarna");
    tick().await;
    assert_eq!(text(&root, "shop-pay"), "Continue with Klarna");
    click(&root, "shop-pay");
    tick().await;
    let sent = submitted.get_untracked();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].provider, Provider::Klarna);
}
