//! Browser tests: order actions.

use super::helpers::*;

#[wasm_bindgen_test]
async fn the_ship_dialog_refuses_more_than_is_left_to_ship() {
    let root = fresh_section();
    let (submitted, _handle) =
        mount_dialog(&root, ActionKind::Ship, sample_order(), RwSignal::new(None));
    tick().await;
    let qty = by_testid(&root, "dialog-qty-odl_1");
    assert_eq!(qty.get_attribute("type").as_deref(), Some("number"));
    assert_eq!(qty.get_attribute("min").as_deref(), Some("0"));
    assert_eq!(qty.get_attribute("max").as_deref(), Some("2"));
    // The discounted line gets an amount field; the other does not.
    by_testid(&root, "dialog-amount-odl_1");
    assert!(try_by_testid(&root, "dialog-amount-odl_2").is_none());
    by_testid(&root, "tracking-carrier");

    type_into(&root, "dialog-qty-odl_1", "3");
    click(&root, "dialog-submit");
    tick().await;
    assert!(submitted.get_untracked().is_empty(), "nothing sent");
    let errors = root
        .query_selector("[data-testid=\"field-error\"][data-line=\"odl_1\"]")
        .expect("selector")
        .expect("error next to the line");
    assert_eq!(
        errors.text_content().unwrap_or_default().trim(),
        "At most 2 items of this line can be shipped."
    );

    type_into(&root, "dialog-qty-odl_1", "1");
    type_into(&root, "dialog-qty-odl_2", "0");
    type_into(&root, "tracking-carrier", "PostNL");
    type_into(&root, "tracking-code", "3SKABA000000000");
    click(&root, "dialog-submit");
    tick().await;
    let sent = submitted.get_untracked();
    assert_eq!(sent.len(), 1);
    let OrderAction::Ship {
        lines, tracking, ..
    } = &sent[0]
    else {
        panic!("not a shipment: {:?}", sent[0]);
    };
    assert_eq!(lines.len(), 1);
    assert_eq!((lines[0].line_id.as_str(), lines[0].quantity), ("odl_1", 1));
    assert_eq!(
        tracking.as_ref().map(|t| t.carrier.as_str()),
        Some("PostNL")
    );
}

#[wasm_bindgen_test]
async fn a_retry_keeps_the_intent_id_and_a_new_dialog_gets_a_new_one() {
    let root = fresh_section();
    let error = RwSignal::new(None::<ClientError>);
    let (submitted, _handle) = mount_dialog(&root, ActionKind::Ship, sample_order(), error);
    tick().await;
    click(&root, "dialog-submit");
    tick().await;
    error.set(Some(http_error(503, "provider_unavailable")));
    tick().await;
    assert!(text(&root, "dialog-error").contains("provider_unavailable from the proxy"));
    click(&root, "dialog-submit");
    tick().await;
    error.set(Some(ClientError::Network("offline".into())));
    tick().await;
    click(&root, "dialog-submit");
    tick().await;
    let sent = submitted.get_untracked();
    assert_eq!(sent.len(), 3);
    let first = sent[0].intent_id().to_owned();
    assert!(!first.is_empty());
    assert!(sent.iter().all(|a| a.intent_id() == first), "{sent:?}");

    // A definite refusal means nothing happened: the corrected request is a new intent.
    error.set(Some(http_error(422, "provider")));
    tick().await;
    click(&root, "dialog-submit");
    tick().await;
    let after_refusal = submitted.get_untracked()[3].intent_id().to_owned();
    assert_ne!(after_refusal, first);

    let other = fresh_section();
    let (second, _other_handle) = mount_dialog(
        &other,
        ActionKind::Ship,
        sample_order(),
        RwSignal::new(None),
    );
    tick().await;
    click(&other, "dialog-submit");
    tick().await;
    let second = second.get_untracked();
    assert_eq!(second.len(), 1);
    assert_ne!(second[0].intent_id(), first);
    assert_ne!(second[0].intent_id(), after_refusal);
}

#[wasm_bindgen_test]
async fn a_provider_error_naming_a_line_appears_next_to_that_line() {
    let root = fresh_section();
    let mut order = sample_order();
    order.status = OrderStatus::Paid;
    order.amount_captured = Some(order.amount);
    for line in &mut order.lines {
        line.status = LineStatus::Paid;
        line.refundable_quantity = line.quantity;
    }
    let error = RwSignal::new(None::<ClientError>);
    let (submitted, _handle) = mount_dialog(&root, ActionKind::Refund, order, error);
    tick().await;
    // Refund one Bugatti only: the request's `lines.0` is odl_1.
    type_into(&root, "dialog-qty-odl_1", "1");
    type_into(&root, "dialog-qty-odl_2", "0");
    tick().await;
    click(&root, "dialog-submit");
    tick().await;
    assert!(
        submitted.get_untracked().is_empty(),
        "waits for confirmation"
    );
    // Its share of the discounted line, as the proxy will send it.
    assert!(text(&root, "dialog-question").starts_with("Refund €349.00 (1 item)"));
    click(&root, "dialog-confirm");
    tick().await;
    assert_eq!(submitted.get_untracked().len(), 1);
    error.set(Some(ClientError::Http {
        status: 422,
        error: ApiError {
            code: "provider".into(),
            message: "Line 0 contains invalid data. An amount is required.".into(),
            field: Some("lines.0.amount".into()),
        },
    }));
    tick().await;
    let at_line = root
        .query_selector("[data-testid=\"field-error\"][data-line=\"odl_1\"]")
        .expect("selector")
        .expect("error next to the line");
    assert!(at_line
        .text_content()
        .unwrap_or_default()
        .contains("An amount is required"));
    assert!(try_by_testid(&root, "dialog-error").is_none());
}

#[wasm_bindgen_test]
async fn refund_on_an_authorized_order_is_disabled_and_says_why() {
    let root = fresh_section();
    let _handle = mount_actions(&root, Role::Operator, sample_order());
    tick().await;
    assert!(!button(&root, "action-ship").disabled());
    assert!(!button(&root, "action-cancel-lines").disabled());
    assert!(!button(&root, "action-cancel-order").disabled());
    let refund = button(&root, "action-refund");
    assert!(refund.disabled());
    let reason_id = refund
        .get_attribute("aria-describedby")
        .expect("described by its reason");
    let reason = root
        .query_selector(&format!("#{reason_id}"))
        .expect("selector")
        .expect("reason element");
    assert_eq!(
        reason.get_attribute("data-testid").as_deref(),
        Some("action-disabled-reason")
    );
    assert!(reason
        .text_content()
        .unwrap_or_default()
        .contains("Authorized lines are canceled, not refunded"));

    // Opening a dialog shows it; Close removes it.
    click(&root, "action-cancel-order");
    tick().await;
    by_testid(&root, "dialog");
    click(&root, "dialog-cancel");
    tick().await;
    assert!(try_by_testid(&root, "dialog").is_none());
}

#[wasm_bindgen_test]
async fn a_viewer_sees_no_action_buttons() {
    let root = fresh_section();
    let _handle = mount_actions(&root, Role::Viewer, sample_order());
    tick().await;
    for testid in [
        "action-ship",
        "action-refund",
        "action-cancel-lines",
        "action-cancel-order",
    ] {
        assert!(try_by_testid(&root, testid).is_none(), "{testid}");
    }
}

/// Issue 13: the refund dialog started with every line's full quantity, one click from
/// refunding everything. Now nothing is chosen at first, the total follows the choice with
/// the model's arithmetic (a discounted Bugatti is its share of the line, as the proxy sends
/// it), the button names the amount, and the question reads like "Refund an amount"'s.
#[wasm_bindgen_test]
async fn a_refund_starts_at_nothing_and_its_button_names_the_amount() {
    let root = fresh_section();
    let mut order = sample_order();
    order.status = OrderStatus::Paid;
    order.amount_captured = Some(order.amount);
    for line in &mut order.lines {
        line.status = LineStatus::Paid;
        line.refundable_quantity = line.quantity;
    }
    let (submitted, _handle) = mount_dialog(
        &root,
        ActionKind::Refund,
        order.clone(),
        RwSignal::new(None),
    );
    tick().await;
    assert_eq!(input_value(&root, "dialog-qty-odl_1"), "0");
    assert_eq!(input_value(&root, "dialog-qty-odl_2"), "0");
    assert_eq!(
        text(&root, "dialog-total"),
        "Total of the chosen items: €0.00"
    );
    assert!(button(&root, "dialog-submit").disabled(), "off at €0.00");

    type_into(&root, "dialog-qty-odl_2", "1");
    tick().await;
    assert_eq!(text(&root, "dialog-submit"), "Refund €329.99");
    assert!(!button(&root, "dialog-submit").disabled());
    type_into(&root, "dialog-qty-odl_1", "1");
    tick().await;
    // €698.00 for two Bugattis: one is €349.00.
    assert_eq!(
        text(&root, "dialog-total"),
        "Total of the chosen items: €678.99"
    );
    assert_eq!(text(&root, "dialog-submit"), "Refund €678.99");
    click(&root, "dialog-submit");
    tick().await;
    assert!(submitted.get_untracked().is_empty(), "asks first");
    assert_eq!(
        text(&root, "dialog-question"),
        "Refund €678.99 (2 items) to the customer? This cannot be undone."
    );
    assert_eq!(text(&root, "dialog-confirm"), "Yes, refund €678.99");
    click(&root, "dialog-confirm");
    tick().await;
    let sent = submitted.get_untracked();
    let [OrderAction::Refund { lines, .. }] = sent.as_slice() else {
        panic!("not one refund: {sent:?}");
    };
    let parts: Vec<_> = lines
        .iter()
        .map(|p| (p.line_id.as_str(), p.quantity))
        .collect();
    assert_eq!(parts, [("odl_1", 1), ("odl_2", 1)]);

    // "Refund an amount" asks the same way.
    let amount = fresh_section();
    let _amount = mount_to(amount.clone(), move || {
        view! { <AmountRefundDialog order=order.clone() on_submit=|_: OrderAction| {} on_close=|()| {} /> }
    });
    tick().await;
    assert!(button(&amount, "dialog-submit").disabled(), "nothing typed");
    type_into(&amount, "refund-amount-input", "89");
    tick().await;
    assert_eq!(text(&amount, "dialog-submit"), "Refund €89.00");
    click(&amount, "dialog-submit");
    tick().await;
    assert_eq!(
        text(&amount, "dialog-question"),
        "Refund €89.00 to the customer? This cannot be undone."
    );
    assert_eq!(text(&amount, "dialog-confirm"), "Yes, refund €89.00");
}

#[wasm_bindgen_test]
async fn cancel_lines_starts_at_nothing_and_ship_at_what_is_left() {
    let root = fresh_section();
    let (_cancel, _handle) = mount_dialog(
        &root,
        ActionKind::CancelLines,
        sample_order(),
        RwSignal::new(None),
    );
    tick().await;
    assert_eq!(input_value(&root, "dialog-qty-odl_1"), "0");
    assert!(button(&root, "dialog-submit").disabled());
    let ship = fresh_section();
    let (_ship, _ship_handle) =
        mount_dialog(&ship, ActionKind::Ship, sample_order(), RwSignal::new(None));
    tick().await;
    assert_eq!(input_value(&ship, "dialog-qty-odl_1"), "2");
    assert!(!button(&ship, "dialog-submit").disabled());
}
