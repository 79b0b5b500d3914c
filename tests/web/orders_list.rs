//! Browser tests: the orders list.

use super::helpers::*;

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
    // The Dutch order is written the staff member's way too (the browser's en-US here): one
    // format down the column.
    let second: Element = rows.item(1).expect("row").unchecked_into();
    assert_eq!(text(&second, "row-status"), "authorized");
    assert_eq!(text(&second, "row-amount"), "€329.99");
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
