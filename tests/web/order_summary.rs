//! Browser tests: the order summary.

use super::helpers::*;

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
    let label = by_testid(&paid, "order-remaining")
        .previous_element_sibling()
        .expect("a label")
        .text_content();
    assert_eq!(label.as_deref(), Some("Refundable"));

    // Authorized, nothing captured yet: no "Refundable €0.00".
    let held = fresh_section();
    let mut order = sample_order();
    order.amount_captured = Some(Money::new(0, Currency::EUR));
    let _held = mount_to(held.clone(), move || view! { <OrderSummary order/> });
    tick().await;
    assert!(try_by_testid(&held, "order-remaining").is_none());
}
