//! Browser tests: shipments, refunds, payments.

use super::helpers::*;

#[wasm_bindgen_test]
async fn shipments_refunds_and_payments_are_listed_from_the_order() {
    let root = fresh_section();
    let _handle = mount_updates(&root, Role::Operator, order_with_history());
    tick().await;
    assert_eq!(
        text(&root, "expires-in"),
        "The authorization expires in 27 days: ship before then"
    );

    let shipments = by_testid(&root, "shipments");
    assert_eq!(count(&shipments, "shipment"), 2);
    let first = nth(&shipments, "shipment", 0);
    assert!(first
        .text_content()
        .unwrap_or_default()
        .contains("2 × LEGO 42083 Bugatti Chiron"));
    assert!(first
        .text_content()
        .unwrap_or_default()
        .contains("2025-11-23 10:00"));
    let tracking = by_testid(&first, "shipment-tracking");
    let link = tracking
        .query_selector("a")
        .expect("selector")
        .expect("a link");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://postnl.nl/tracktrace/3SKABA000000000")
    );
    assert_eq!(text(&first, "shipment-tracking"), "PostNL 3SKABA000000000");
    let second = nth(&shipments, "shipment", 1);
    assert_eq!(text(&second, "shipment-tracking"), "No tracking");
    assert_eq!(count(&shipments, "edit-tracking"), 2, "one per shipment");

    let refunds = by_testid(&root, "refunds");
    assert_eq!(count(&refunds, "refund"), 1);
    // Written the staff member's way (the browser's en-US here), not the Dutch order's.
    assert_eq!(text(&refunds, "refund-amount"), "€10.00");
    assert_eq!(text(&refunds, "refund-description"), "Damaged box");
    assert_eq!(text(&refunds, "refund-status"), "pending");

    let payments = by_testid(&root, "payments");
    assert_eq!(count(&payments, "payment"), 2);
    let expired = nth(&payments, "payment", 0);
    assert_eq!(text(&expired, "payment-status"), "expired");
    assert_eq!(text(&expired, "payment-method"), "iDEAL");
    by_testid(&root, "edit-details");
    // Shipping orders are paid: no new payment link, and the proxy's reason says so.
    assert!(
        disabled_reason(&root, "new-payment-link").is_some_and(|r| r.contains("the order is paid"))
    );
}

#[wasm_bindgen_test]
async fn only_an_open_payment_with_a_link_can_be_copied() {
    let root = fresh_section();
    let mut order = order_with_history();
    order.payments.push(payment("tr_ccc", "open", None));
    let _handle = mount_updates(&root, Role::Viewer, order);
    tick().await;
    let payments = by_testid(&root, "payments");
    assert_eq!(count(&payments, "payment"), 3);
    assert_eq!(count(&payments, "copy-payment-link"), 1);
    let open = nth(&payments, "payment", 1);
    by_testid(&open, "copy-payment-link");
    assert_eq!(
        input_value(&open, "payment-link"),
        "https://pay.example/tr_bb"
    );
    assert!(try_by_testid(&nth(&payments, "payment", 0), "copy-payment-link").is_none());
    assert!(try_by_testid(&nth(&payments, "payment", 2), "copy-payment-link").is_none());
    // Viewers read but change nothing.
    assert!(try_by_testid(&root, "edit-tracking").is_none());
    assert!(try_by_testid(&root, "edit-details").is_none());

    // A created order whose last payment expired can get a new link; final orders show no
    // expiry.
    let other = fresh_section();
    let mut created = order_with_history();
    created.status = OrderStatus::Created;
    created.payments = vec![payment("tr_a", "expired", None)];
    let _other_handle = mount_updates(&other, Role::Operator, created);
    let third = fresh_section();
    let mut expired = order_with_history();
    expired.status = OrderStatus::Expired;
    let _third_handle = mount_updates(&third, Role::Operator, expired);
    tick().await;
    assert!(!button(&other, "new-payment-link").disabled());
    assert!(try_by_testid(&third, "expires-in").is_none());
}

#[wasm_bindgen_test]
async fn the_edit_tracking_dialog_sends_update_tracking_for_its_shipment() {
    // Opened from the list, the dialog is prefilled with that shipment's tracking.
    let page = fresh_section();
    let _page_handle = mount_updates(&page, Role::Operator, order_with_history());
    tick().await;
    let opener: HtmlElement = nth(&page, "edit-tracking", 0).unchecked_into();
    opener.focus().expect("focus");
    opener.click();
    tick().await;
    by_testid(&page, "dialog");
    // The dialog was built by the click's update; its inputs are filled on the next turn.
    tick().await;
    assert_eq!(input_value(&page, "tracking-carrier"), "PostNL");
    assert_eq!(input_value(&page, "tracking-code"), "3SKABA000000000");
    click(&page, "dialog-cancel");
    tick().await;
    assert!(try_by_testid(&page, "dialog").is_none());
    // Keyboard users are back on the button that opened it.
    let focused = document().active_element().expect("something has focus");
    assert_eq!(
        focused.get_attribute("data-testid").as_deref(),
        Some("edit-tracking")
    );

    let root = fresh_section();
    let submitted = RwSignal::new(Vec::<OrderAction>::new());
    let error = RwSignal::new(None::<ClientError>);
    let _handle = mount_to(root.clone(), move || {
        view! {
            <TrackingDialog
                shipment=shipment("shp_2", None)
                on_submit=move |a| submitted.update(|s| s.push(a))
                on_close=|()| {}
                error
            />
        }
    });
    tick().await;
    assert_eq!(input_value(&root, "tracking-carrier"), "");
    type_into(&root, "tracking-carrier", "DHL");
    click(&root, "dialog-submit");
    tick().await;
    assert!(submitted.get_untracked().is_empty(), "the code is missing");
    assert!(text(&root, "dialog-error").contains("tracking code"));

    type_into(&root, "tracking-code", "JD014600006281230704");
    type_into(
        &root,
        "tracking-url",
        "https://dhl.example/JD014600006281230704",
    );
    click(&root, "dialog-submit");
    tick().await;
    assert!(try_by_testid(&root, "dialog-error").is_none());
    let sent = submitted.get_untracked();
    assert_eq!(sent.len(), 1);
    let OrderAction::UpdateTracking {
        intent_id,
        shipment_id,
        tracking,
    } = &sent[0]
    else {
        panic!("not a tracking update: {:?}", sent[0]);
    };
    assert!(!intent_id.is_empty());
    assert_eq!(shipment_id, "shp_2");
    assert_eq!(tracking.carrier, "DHL");
    assert_eq!(tracking.code, "JD014600006281230704");
    assert_eq!(
        tracking.url.as_deref(),
        Some("https://dhl.example/JD014600006281230704")
    );

    // A retry after an unknown outcome is the same intent.
    error.set(Some(http_error(503, "provider_unavailable")));
    tick().await;
    click(&root, "dialog-submit");
    tick().await;
    let sent = submitted.get_untracked();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].intent_id(), sent[0].intent_id());
}

#[wasm_bindgen_test]
async fn the_edit_line_dialog_prices_the_change_and_sends_update_line() {
    // Offered before payment or shipping only.
    let page = fresh_section();
    let _authorized = mount_updates(&page, Role::Operator, sample_order());
    tick().await;
    assert!(try_by_testid(&page, "edit-line").is_some());
    let shipping = fresh_section();
    let _shipping = mount_updates(&shipping, Role::Operator, order_with_history());
    tick().await;
    assert!(disabled_reason(&shipping, "edit-line")
        .is_some_and(|r| r.contains("before the order is paid")));

    let root = fresh_section();
    let submitted = RwSignal::new(Vec::<OrderAction>::new());
    let _handle = mount_to(root.clone(), move || {
        view! {
            <LineDialog
                order=sample_order()
                on_submit=move |a| submitted.update(|s| s.push(a))
                on_close=|()| {}
            />
        }
    });
    tick().await;
    tick().await;
    // The first line, prefilled.
    assert_eq!(
        input_value(&root, "edit-line-name"),
        "LEGO 42083 Bugatti Chiron"
    );
    assert_eq!(input_value(&root, "edit-line-unitPrice"), "399.00");
    assert_eq!(input_value(&root, "edit-line-discount"), "100.00");
    click(&root, "dialog-submit");
    tick().await;
    assert!(submitted.get_untracked().is_empty());
    assert!(text(&root, "dialog-error").contains("Nothing was changed"));
    // The second line: two Porsches instead of one.
    choose(&root, "edit-line-choice", "1");
    tick().await;
    assert_eq!(
        input_value(&root, "edit-line-name"),
        "LEGO 42056 Porsche 911 GT3"
    );
    type_into(&root, "edit-line-quantity", "2");
    tick().await;
    // The staff member's way (the browser's en-US), not the Dutch order's: €659.98, and
    // €1,027.99 − €329.99 + €659.98 = €1,357.98.
    assert!(
        text(&root, "edit-line-total").contains("€659.98"),
        "{}",
        text(&root, "edit-line-total")
    );
    assert!(text(&root, "edit-line-order-total").contains("€1,357.98"));
    type_into(&root, "edit-line-quantity", "0");
    click(&root, "dialog-submit");
    tick().await;
    assert!(submitted.get_untracked().is_empty());
    assert!(
        field_errors(&root)
            .iter()
            .any(|(f, _)| f == "line.quantity"),
        "{:?}",
        field_errors(&root)
    );
    type_into(&root, "edit-line-quantity", "2");
    click(&root, "dialog-submit");
    tick().await;
    let sent = submitted.get_untracked();
    let [OrderAction::UpdateLine { line_id, line, .. }] = sent.as_slice() else {
        panic!("not one line update: {sent:?}");
    };
    assert_eq!(line_id, "odl_2");
    assert_eq!(
        (line.quantity, line.unit_price, line.discount),
        (2, 32_999, 0)
    );
}

#[wasm_bindgen_test]
async fn an_amount_refund_is_checked_described_and_confirmed_before_it_is_sent() {
    let mut paid = sample_order();
    paid.status = OrderStatus::Paid;
    // Nothing captured: the button is off and says why.
    let page = fresh_section();
    let _unpaid = mount_updates(&page, Role::Operator, paid.clone());
    tick().await;
    assert!(disabled_reason(&page, "refund-amount-open").is_some());
    paid.amount_captured = Some(eur(102_799));
    paid.amount_refunded = Some(eur(1_000));
    let page = fresh_section();
    let _paid = mount_updates(&page, Role::Operator, paid.clone());
    tick().await;
    assert!(!button(&page, "refund-amount-open").disabled());
    let viewer = fresh_section();
    let _viewer = mount_updates(&viewer, Role::Viewer, paid.clone());
    tick().await;
    assert!(try_by_testid(&viewer, "refund-amount-open").is_none());

    let root = fresh_section();
    let submitted = RwSignal::new(Vec::<OrderAction>::new());
    let _handle = mount_to(root.clone(), move || {
        view! {
            <AmountRefundDialog
                order=paid.clone()
                on_submit=move |a| submitted.update(|s| s.push(a))
                on_close=|()| {}
            />
        }
    });
    tick().await;
    // €1,027.99 − €10.00, the staff member's way (the browser's en-US), not the Dutch order's.
    assert!(
        text(&root, "refund-left").contains("€1,017.99"),
        "{}",
        text(&root, "refund-left")
    );
    type_into(&root, "refund-amount-input", "1017.99");
    type_into(&root, "refund-amount-input", "1018");
    tick().await;
    click(&root, "dialog-submit");
    tick().await;
    assert!(
        field_errors(&root)
            .iter()
            .any(|(f, _)| f == "refund.amount"),
        "{:?}",
        field_errors(&root)
    );
    assert!(try_by_testid(&root, "dialog-question").is_none());
    type_into(&root, "refund-amount-input", "12.50");
    type_into(&root, "refund-description-input", "Shipping costs");
    tick().await;
    assert_eq!(text(&root, "dialog-submit"), "Refund €12.50");
    click(&root, "dialog-submit");
    tick().await;
    // Asked first, not sent: in the words and buttons of a refund of lines.
    assert!(submitted.get_untracked().is_empty());
    assert_eq!(
        text(&root, "dialog-question"),
        "Refund €12.50 to the customer? This cannot be undone."
    );
    assert_eq!(text(&root, "dialog-confirm"), "Yes, refund €12.50");
    assert!(button(&root, "dialog-submit").disabled());
    click(&root, "dialog-confirm");
    tick().await;
    let sent = submitted.get_untracked();
    let [OrderAction::RefundAmount {
        amount,
        description,
        ..
    }] = sent.as_slice()
    else {
        panic!("not one amount refund: {sent:?}");
    };
    assert_eq!(*amount, eur(1_250));
    assert_eq!(description.as_deref(), Some("Shipping costs"));
}
