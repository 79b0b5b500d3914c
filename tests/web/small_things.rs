//! Browser tests: the small things a merchant hit on a first walk through the console (issue
//! 13's points 8 and 10) — where "Refund an amount" sits, where focus goes when a dialog asks
//! for confirmation, and messages that must not outlive what they describe.

use super::helpers::*;

/// The document's focused element's `data-testid`, if it has one.
fn focused_testid() -> Option<String> {
    document().active_element()?.get_attribute("data-testid")
}

#[wasm_bindgen_test]
async fn refund_an_amount_sits_in_the_refunds_card_and_its_question_takes_the_focus() {
    let mut paid = sample_order();
    paid.status = OrderStatus::Paid;
    paid.amount_captured = Some(eur(102_799));
    let page = fresh_section();
    let _page = mount_updates(&page, Role::Operator, paid);
    tick().await;

    let refunds = by_testid(&page, "refunds");
    assert!(
        try_by_testid(&refunds, "refund-amount-open").is_some(),
        "Refund an amount belongs to the Refunds card"
    );
    let bar = page
        .query_selector(".order-actions")
        .ok()
        .flatten()
        .expect("the action bar");
    assert!(try_by_testid(&bar, "refund-amount-open").is_none());
    assert!(
        try_by_testid(&bar, "action-refund").is_some(),
        "refunds of lines stay among the order's actions"
    );

    let opener: HtmlElement = by_testid(&refunds, "refund-amount-open").unchecked_into();
    opener.focus().expect("focus");
    opener.click();
    tick().await;
    type_into(&page, "refund-amount-input", "12.50");
    tick().await;
    click(&page, "dialog-submit");
    tick().await;
    // The question is what a keyboard user meets first, not the "Yes" button.
    assert_eq!(focused_testid().as_deref(), Some("dialog-question"));
    assert_eq!(
        text(&page, "dialog-question"),
        "Refund €12.50 to the customer? This cannot be undone."
    );

    // Back, then Cancel: the dialog closes and focus returns to the button that opened it.
    click(&page, "dialog-back");
    tick().await;
    click(&page, "dialog-cancel");
    tick().await;
    assert!(try_by_testid(&page, "refund-amount-input").is_none());
    assert_eq!(focused_testid().as_deref(), Some("refund-amount-open"));
}

#[wasm_bindgen_test]
async fn a_viewer_sees_the_refunds_without_the_button() {
    let mut paid = sample_order();
    paid.status = OrderStatus::Paid;
    paid.amount_captured = Some(eur(102_799));
    let page = fresh_section();
    let _page = mount_updates(&page, Role::Viewer, paid);
    tick().await;
    let refunds = by_testid(&page, "refunds");
    assert!(try_by_testid(&refunds, "refund-amount-open").is_none());
}

#[wasm_bindgen_test]
async fn the_shop_drops_the_empty_cart_message_once_a_product_is_chosen() {
    let root = fresh_section();
    let _handle = mount_to(root.clone(), move || {
        view! { <ShopForm catalog=catalog() on_submit=|_| {}/> }
    });
    tick().await;
    fill_billing(&root);
    click(&root, "shop-pay");
    tick().await;
    assert!(
        try_by_testid(&root, "form-error").is_some(),
        "an empty cart is refused"
    );

    type_into(&root, "shop-qty-42083", "1");
    tick().await;
    assert!(
        try_by_testid(&root, "form-error").is_none(),
        "no empty-cart message next to a filled cart"
    );
}

#[wasm_bindgen_test]
async fn a_filter_that_fails_says_the_list_is_unchanged_and_goes_back_to_what_it_shows() {
    let root = fresh_section();
    let applied = RwSignal::new(Vec::<OrderFilter>::new());
    let shown = FilterForm {
        status: "paid".into(),
        q: "piet".into(),
        ..FilterForm::default()
    };
    let _handle = mount_to(root.clone(), move || {
        view! {
            <FilterBar initial=shown.clone() on_apply=move |f| applied.update(|a| a.push(f))/>
        }
    });
    tick().await;
    choose(&root, "filter-status", "shipping");
    type_into(&root, "filter-min", "12,5");
    click(&root, "filter-apply");
    tick().await;
    assert!(applied.get_untracked().is_empty(), "nothing applied");
    assert!(text(&root, "filter-not-applied").contains("still shows"));

    click(&root, "filter-back");
    tick().await;
    assert_eq!(select_value(&root, "filter-status"), "paid");
    assert_eq!(input_value(&root, "filter-q"), "piet");
    assert_eq!(input_value(&root, "filter-min"), "");
    assert!(try_by_testid(&root, "filter-error").is_none());
}

#[wasm_bindgen_test]
async fn the_shop_shows_every_problem_after_one_submit() {
    let root = fresh_section();
    let submitted = RwSignal::new(0u32);
    let _handle = mount_to(root.clone(), move || {
        view! { <ShopForm catalog=catalog() on_submit=move |_| submitted.update(|n| *n += 1)/> }
    });
    tick().await;
    type_into(&root, "shop-qty-42083", "1.5");
    click(&root, "shop-pay");
    tick().await;
    assert_eq!(submitted.get_untracked(), 0);
    let fields: Vec<String> = field_errors(&root).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields.first().map(String::as_str), Some("items.0.quantity"));
    for field in [
        "billingAddress.givenName",
        "billingAddress.email",
        "billingAddress.city",
    ] {
        assert!(fields.iter().any(|f| f == field), "{field} in {fields:?}");
    }
}
