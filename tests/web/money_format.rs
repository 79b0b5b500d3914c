//! Browser tests: every staff screen writes money one way, the staff member's (their locale,
//! the order's currency, with grouping), whatever locale the order was made in.

use super::helpers::*;

/// A Dutch order of €1,299.00 in the orders list and in the order page's summary, for a
/// staff member whose locale is `tag`: the amount as each shows it.
async fn amounts_for_staff_in(tag: &'static str) -> (String, String, String) {
    let list = fresh_section();
    let page = fresh_section();
    let row = summary_row("2001", OrderStatus::Paid, 129_900, "nl_NL");
    let mut order = sample_order();
    assert_eq!(order.locale, "nl_NL");
    order.amount = eur(129_900);
    let _list = mount_to(list.clone(), move || {
        provide_context(StaffLocale::new(tag));
        view! { <OrdersTable orders=vec![row]/> }
    });
    let _page = mount_to(page.clone(), move || {
        provide_context(StaffLocale::new(tag));
        view! { <OrderSummary order/> }
    });
    tick().await;
    let first_line = nth(&page, "order-line", 0);
    (
        plain(&text(&list, "row-amount")),
        plain(&text(&page, "order-amount")),
        plain(&text(&first_line, "line-total")),
    )
}

#[wasm_bindgen_test]
async fn a_dutch_order_reads_the_same_in_the_list_and_on_its_page_in_the_staff_locale() {
    // A German staff member: German grouping and sign, not the order's Dutch "€ 1.299,00".
    let (listed, on_page, line) = amounts_for_staff_in("de-DE").await;
    assert_eq!(listed, "1.299,00 €");
    assert_eq!(on_page, listed);
    assert_eq!(line, "698,00 €");

    // An American one: the same order, the same amount, written the American way.
    let (listed, on_page, line) = amounts_for_staff_in("en-US").await;
    assert_eq!(listed, "€1,299.00");
    assert_eq!(on_page, listed);
    assert_eq!(line, "€698.00");
}

#[wasm_bindgen_test]
async fn large_amounts_are_grouped() {
    let root = fresh_section();
    let rows = vec![
        summary_row("3001", OrderStatus::Paid, 123_456_789, "en_US"),
        summary_row("3002", OrderStatus::Paid, 123_456_789, "de_DE"),
    ];
    let _handle = mount_to(root.clone(), move || {
        provide_context(StaffLocale::new("en-US"));
        view! { <OrdersTable orders=rows/> }
    });
    tick().await;
    assert_eq!(
        plain(&text(&nth(&root, "order-row", 0), "row-amount")),
        "€1,234,567.89"
    );
    assert_eq!(
        plain(&text(&nth(&root, "order-row", 1), "row-amount")),
        "€1,234,567.89"
    );
}
