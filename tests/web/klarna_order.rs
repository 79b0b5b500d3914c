//! Browser tests: a Klarna order on the order page (summary, captures, the action bar from
//! the order's `actions`).

use super::helpers::*;

/// The texts of the buttons in `root`'s action bar, in order.
fn action_labels(root: &Element) -> Vec<String> {
    let list = root
        .query_selector_all(".order-actions .action button")
        .expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.text_content().unwrap_or_default().trim().to_owned())
        .collect()
}

fn mount_summary(root: &HtmlElement, order: OrderView) -> Box<dyn Any> {
    Box::new(mount_to(
        root.clone(),
        move || view! { <OrderSummary order/> },
    ))
}

#[wasm_bindgen_test]
async fn a_klarna_order_shows_its_amounts_fraud_review_references_and_addresses() {
    let root = fresh_section();
    let _handle = mount_summary(&root, klarna_order());
    tick().await;
    assert_eq!(text(&root, "order-provider"), "Klarna");
    assert_eq!(text(&root, "order-status"), "shipping");
    assert_eq!(text(&root, "order-provider-status"), "PART_CAPTURED");
    assert_eq!(text(&root, "order-fraud-status"), "ACCEPTED");
    assert!(
        try_by_testid(&root, "fraud-notice").is_none(),
        "nothing to warn about"
    );
    assert_eq!(text(&root, "order-number"), "K-1001");
    assert_eq!(text(&root, "order-reference2"), "PO-77");
    assert_eq!(text(&root, "order-provider-reference"), "2b5a3b7e");
    assert_eq!(text(&root, "order-amount"), "€1,027.99");
    assert_eq!(text(&root, "order-original-amount"), "€1,027.99");
    assert_eq!(text(&root, "order-captured"), "€349.00");
    assert_eq!(text(&root, "order-refunded"), "€10.00");
    assert_eq!(text(&root, "order-remaining-authorization"), "€678.99");
    assert_eq!(text(&root, "order-method"), "Klarna Pay later (invoice)");
    assert!(text(&root, "shipping-address").contains("Prinsengracht 263"));
    assert!(text(&root, "billing-address").contains("Keizersgracht 126"));
    // The lines in Klarna's terms: captured, removed, still capturable.
    let headings = root
        .query_selector_all(".lines-table th")
        .expect("valid selector");
    let headings: Vec<String> = (0..headings.length())
        .filter_map(|i| headings.item(i))
        .map(|n| n.text_content().unwrap_or_default())
        .collect();
    for word in ["Captured", "Refunded", "Removed", "Capturable"] {
        assert!(headings.iter().any(|h| h == word), "{word} in {headings:?}");
    }
    assert!(!headings.iter().any(|h| h == "Shipped"), "{headings:?}");
    let bugatti = nth(&root, "order-line", 0);
    assert_eq!(text(&bugatti, "line-shipped"), "1");
    assert_eq!(text(&bugatti, "line-to-ship"), "1");

    // A pending fraud review is said where nobody can miss it.
    let pending = fresh_section();
    let mut order = klarna_order();
    order.fraud_status = Some("PENDING".into());
    let _pending = mount_summary(&pending, order);
    tick().await;
    assert!(text(&pending, "fraud-notice").contains("do not ship"));
}

#[wasm_bindgen_test]
async fn captures_list_every_shipping_info_with_amount_and_reference() {
    let root = fresh_section();
    let _handle = mount_updates(&root, Role::Operator, klarna_order());
    tick().await;
    let shipments = by_testid(&root, "shipments");
    assert_eq!(
        shipments
            .query_selector("h2")
            .expect("selector")
            .expect("heading")
            .text_content()
            .as_deref(),
        Some("Captures")
    );
    let capture = nth(&shipments, "shipment", 0);
    assert_eq!(count(&capture, "shipping-info"), 2, "all of them");
    assert!(text(&capture, "shipment-tracking").contains("PostNL 3S01 (Pick-up point)"));
    assert_eq!(text(&capture, "shipment-amount"), "€349.00");
    assert_eq!(text(&capture, "shipment-reference"), "2b5a3b7e-1");
    // The capture's own actions, as the proxy lists them.
    by_testid(&capture, "edit-tracking");
    by_testid(&capture, "action-send-out");
    assert!(
        !button(&capture, "action-extend-due-date").disabled(),
        "an invoice"
    );
    assert!(text(&root, "expires-in").ends_with("capture before then"));
    // Klarna has no payment attempts to list.
    assert!(try_by_testid(&root, "payments").is_none());
}

#[wasm_bindgen_test]
async fn klarna_buttons_are_the_orders_actions_in_their_order_with_their_reasons() {
    let root = fresh_section();
    let _handle = mount_actions(&root, Role::Operator, klarna_order());
    tick().await;
    assert_eq!(
        action_labels(&root),
        [
            "Capture",
            "Refund",
            // "Refund an amount" is in the Refunds card.
            "Remove items",
            "Cancel order",
            "Release remaining authorization",
            "Extend authorization",
            "Edit details",
            "Acknowledge",
        ]
    );
    assert_eq!(
        disabled_reason(&root, "action-cancel-order").as_deref(),
        Some("Order has captures: cancel is not possible, refund instead")
    );
    assert!(!button(&root, "action-ship").disabled());

    // The page renders what the order says, whatever it would have guessed: a reason the
    // proxy gives is shown as is, and an action it does not list has no button.
    let listed = fresh_section();
    let mut order = klarna_order();
    order.actions = vec![
        ActionAvailability {
            kind: ActionKind::ExtendAuthorization,
            label: "Extend authorization".into(),
            unavailable: Some("Pay now (card) authorizations cannot be extended".into()),
        },
        ActionAvailability {
            kind: ActionKind::Ship,
            label: "Capture".into(),
            unavailable: None,
        },
    ];
    let _listed = mount_to(listed.clone(), move || {
        Session::provide_with(SessionState::SignedIn(staff(Role::Operator)));
        let order = RwSignal::new(order);
        view! { <OrderActions order/> }
    });
    tick().await;
    assert_eq!(action_labels(&listed), ["Extend authorization", "Capture"]);
    let extend = button(&listed, "action-extend");
    assert!(extend.disabled());
    assert_eq!(
        extend.get_attribute("title").as_deref(),
        Some("Pay now (card) authorizations cannot be extended")
    );
    assert_eq!(
        disabled_reason(&listed, "action-extend").as_deref(),
        Some("Pay now (card) authorizations cannot be extended")
    );
    assert!(try_by_testid(&listed, "action-cancel-order").is_none());

    // A capture pending fraud review is refused with Klarna's reason.
    let pending = fresh_section();
    let mut order = klarna_order();
    order.fraud_status = Some("PENDING".into());
    let _pending = mount_actions(&pending, Role::Operator, order);
    tick().await;
    assert!(disabled_reason(&pending, "action-ship")
        .is_some_and(|r| r.starts_with("Fraud review pending")));
}

#[wasm_bindgen_test]
async fn a_viewer_sees_no_buttons_on_a_klarna_order() {
    let root = fresh_section();
    let _handle = mount_updates(&root, Role::Viewer, klarna_order());
    tick().await;
    by_testid(&root, "shipments");
    let buttons = root.query_selector_all("button").expect("valid selector");
    assert_eq!(buttons.length(), 0, "no button at all");
}

#[wasm_bindgen_test]
async fn the_timeline_shows_staff_actions_as_the_proxy_records_them() {
    let root = fresh_section();
    let events = klarna_order().events;
    let _handle = mount_to(root.clone(), move || view! { <Timeline events/> });
    tick().await;
    assert_eq!(count(&root, "event"), 1);
    let event = text(&root, "event");
    assert!(
        event.contains("ship by ada@example.com (intent 7d0c…)"),
        "{event}"
    );
}
