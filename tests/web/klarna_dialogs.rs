//! Browser tests: the dialogs of Klarna's actions (capture, refund, remove items, release,
//! extend, due date, shipping info, details).

use super::helpers::*;

#[wasm_bindgen_test]
async fn the_capture_dialog_is_bounded_by_what_is_capturable() {
    let root = fresh_section();
    let (submitted, _handle) =
        mount_dialog(&root, ActionKind::Ship, klarna_order(), RwSignal::new(None));
    tick().await;
    tick().await;
    assert!(text(&root, "dialog").contains("Capture order K-1001"));
    assert_eq!(
        by_testid(&root, "dialog-qty-odl_1")
            .get_attribute("max")
            .as_deref(),
        Some("1")
    );
    type_into(&root, "dialog-qty-odl_1", "2");
    click(&root, "dialog-submit");
    tick().await;
    assert!(submitted.get_untracked().is_empty());
    assert_eq!(
        field_errors_of_lines(&root),
        vec![(
            "odl_1".to_owned(),
            "Only 1 item of this line can be captured.".to_owned()
        )]
    );
    type_into(&root, "dialog-qty-odl_1", "1");
    type_into(&root, "dialog-qty-odl_2", "0");
    type_into(&root, "tracking-carrier", "DHL");
    type_into(&root, "tracking-code", "JD03");
    choose(&root, "tracking-method", "Home");
    type_into(&root, "capture-description", "Second parcel");
    click(&root, "dialog-submit");
    tick().await;
    let sent = submitted.get_untracked();
    let [OrderAction::Ship {
        lines,
        tracking: Some(tracking),
        description,
        ..
    }] = sent.as_slice()
    else {
        panic!("not one capture: {sent:?}");
    };
    assert_eq!((lines[0].line_id.as_str(), lines[0].quantity), ("odl_1", 1));
    assert_eq!(tracking.method.as_deref(), Some("Home"));
    assert_eq!(description.as_deref(), Some("Second parcel"));
}

/// The per-line errors on screen, as `(line id, message)`.
fn field_errors_of_lines(root: &Element) -> Vec<(String, String)> {
    let list = root
        .query_selector_all("[data-testid=\"field-error\"][data-line]")
        .expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .map(|e| {
            (
                e.get_attribute("data-line").unwrap_or_default(),
                e.text_content().unwrap_or_default().trim().to_owned(),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_klarna_refund_takes_a_reference_and_a_return_fee_up_to_the_refund() {
    let root = fresh_section();
    let (submitted, _handle) = mount_dialog(
        &root,
        ActionKind::Refund,
        klarna_order(),
        RwSignal::new(None),
    );
    tick().await;
    tick().await;
    // Only the captured Bugatti can be refunded.
    assert!(try_by_testid(&root, "dialog-qty-odl_2").is_none());
    // €349.00 captured, €10.00 of it refunded already.
    type_into(&root, "dialog-qty-odl_1", "1");
    type_into(&root, "dialog-amount-odl_1", "339");
    type_into(&root, "refund-reference", "RMA-12");
    type_into(&root, "refund-return-fee", "400");
    tick().await;
    click(&root, "dialog-submit");
    tick().await;
    assert!(text(&root, "dialog-error").contains("return fee cannot be more than the €339.00"));
    type_into(&root, "refund-return-fee", "4,95");
    click(&root, "dialog-submit");
    tick().await;
    assert!(text(&root, "dialog-question").starts_with("Refund €339.00 (1 item)"));
    click(&root, "dialog-confirm");
    tick().await;
    let sent = submitted.get_untracked();
    let [OrderAction::Refund {
        reference,
        return_fee,
        ..
    }] = sent.as_slice()
    else {
        panic!("not one refund: {sent:?}");
    };
    assert_eq!(reference.as_deref(), Some("RMA-12"));
    assert_eq!(*return_fee, Some(eur(495)));
}

#[wasm_bindgen_test]
async fn remove_items_shows_the_new_total_and_never_goes_below_captured() {
    let root = fresh_section();
    let (submitted, _handle) = mount_dialog(
        &root,
        ActionKind::CancelLines,
        klarna_order(),
        RwSignal::new(None),
    );
    tick().await;
    tick().await;
    assert!(text(&root, "dialog").contains("Remove items of order K-1001"));
    // Nothing is removed unless chosen.
    assert_eq!(input_value(&root, "dialog-qty-odl_2"), "0");
    assert!(button(&root, "dialog-submit").disabled());
    type_into(&root, "dialog-qty-odl_2", "1");
    tick().await;
    // €1,027.99 less the Porsche (€329.99), written the staff member's way (en-US), not
    // the Dutch order's.
    let total = text(&root, "new-order-total");
    assert!(total.contains("€698.00"), "{total}");
    click(&root, "dialog-submit");
    tick().await;
    assert!(text(&root, "dialog-question").contains("The order total becomes €698.00"));
    click(&root, "dialog-confirm");
    tick().await;
    let sent = submitted.get_untracked();
    let [OrderAction::CancelLines { lines, .. }] = sent.as_slice() else {
        panic!("not one removal: {sent:?}");
    };
    assert_eq!((lines[0].line_id.as_str(), lines[0].quantity), ("odl_2", 1));

    // With €800.00 captured, €698.00 would be below it: refused before anything is sent.
    let below = fresh_section();
    let mut order = klarna_order();
    order.amount_captured = Some(eur(80_000));
    let (none_sent, _below) =
        mount_dialog(&below, ActionKind::CancelLines, order, RwSignal::new(None));
    tick().await;
    tick().await;
    type_into(&below, "dialog-qty-odl_2", "1");
    tick().await;
    click(&below, "dialog-submit");
    tick().await;
    assert!(text(&below, "dialog-error").contains("below the €800.00 already captured"));
    assert!(try_by_testid(&below, "dialog-question").is_none());
    assert!(none_sent.get_untracked().is_empty());
}

fn mount_plain(
    root: &HtmlElement,
    kind: ActionKind,
    order: OrderView,
    error: RwSignal<Option<ClientError>>,
) -> (RwSignal<Vec<OrderAction>>, Box<dyn Any>) {
    let submitted = RwSignal::new(Vec::<OrderAction>::new());
    let handle = mount_to(root.clone(), move || {
        view! {
            <PlainActionDialog
                kind
                order
                on_submit=move |a| submitted.update(|s| s.push(a))
                on_close=|()| {}
                error
            />
        }
    });
    (submitted, Box::new(handle))
}

#[wasm_bindgen_test]
async fn the_extend_dialog_shows_the_new_expiry_and_keeps_its_intent_on_retry() {
    let order = klarna_order();
    let new = order.extended_expires_at.clone().expect("an extension");
    let shown = format!("{} {}", &new[..10], &new[11..16]);
    let root = fresh_section();
    let error = RwSignal::new(None::<ClientError>);
    let (submitted, _handle) = mount_plain(&root, ActionKind::ExtendAuthorization, order, error);
    tick().await;
    assert_eq!(text(&root, "new-expiry"), shown);
    assert!(text(&root, "plain-question").contains(&format!("expire on {shown} instead of")));
    click(&root, "dialog-submit");
    tick().await;
    error.set(Some(http_error(503, "provider_unavailable")));
    tick().await;
    click(&root, "dialog-submit");
    tick().await;
    let sent = submitted.get_untracked();
    assert_eq!(sent.len(), 2);
    assert!(matches!(sent[0], OrderAction::ExtendAuthorization { .. }));
    assert_eq!(sent[0].intent_id(), sent[1].intent_id());

    // A rule refusal reads as one, and the next try is a new intent.
    error.set(Some(ClientError::Http {
        status: 422,
        error: ApiError {
            code: "not_allowed".into(),
            message: "Authorization expired on 2025-12-01".into(),
            field: None,
        },
    }));
    tick().await;
    assert!(text(&root, "dialog-error")
        .starts_with("Not possible now: Authorization expired on 2025-12-01."));
    click(&root, "dialog-submit");
    tick().await;
    assert_ne!(
        submitted.get_untracked()[2].intent_id(),
        sent[0].intent_id()
    );
}

#[wasm_bindgen_test]
async fn releasing_says_what_stays_uncaptured() {
    let root = fresh_section();
    let (submitted, _handle) = mount_plain(
        &root,
        ActionKind::ReleaseAuthorization,
        klarna_order(),
        RwSignal::new(None),
    );
    tick().await;
    let question = text(&root, "plain-question");
    assert!(question.contains("No more captures"), "{question}");
    assert!(
        question.contains("€678.99 remains uncaptured"),
        "{question}"
    );
    click(&root, "dialog-submit");
    tick().await;
    assert!(matches!(
        submitted.get_untracked().as_slice(),
        [OrderAction::ReleaseAuthorization { .. }]
    ));
}

#[wasm_bindgen_test]
async fn the_due_date_dialog_lists_the_options_with_their_fees() {
    let root = fresh_section();
    let submitted = RwSignal::new(Vec::<OrderAction>::new());
    let options = RwSignal::new(None::<Result<Vec<DueDateOption>, ClientError>>);
    let capture = klarna_order().shipments.remove(0);
    let _handle = mount_to(root.clone(), move || {
        // Fees in the staff member's locale (German here), like every staff amount.
        provide_context(StaffLocale::new("de-DE"));
        view! {
            <DueDateDialog
                shipment=capture
                options
                on_submit=move |a| submitted.update(|s| s.push(a))
                on_close=|()| {}
            />
        }
    });
    tick().await;
    assert_eq!(count(&root, "due-date-option"), 0, "still loading");
    options.set(Some(Ok(vec![
        DueDateOption {
            days: 7,
            fee: eur(100),
        },
        DueDateOption {
            days: 14,
            fee: eur(200),
        },
        DueDateOption {
            days: 30,
            fee: eur(400),
        },
    ])));
    tick().await;
    assert_eq!(count(&root, "due-date-option"), 3);
    let fee = text(&nth(&root, "due-date-option", 1), "due-date-fee");
    assert!(fee.contains("2,00"), "{fee}");
    click(&root, "dialog-submit");
    tick().await;
    assert!(text(&root, "dialog-error").contains("Choose how many days"));
    click(&root, "due-date-14");
    tick().await;
    click(&root, "dialog-submit");
    tick().await;
    assert!(submitted.get_untracked().is_empty(), "described first");
    let question = text(&root, "confirm-text");
    assert!(
        question.contains("14 days") && question.contains("2,00"),
        "{question}"
    );
    click(&root, "dialog-submit");
    tick().await;
    assert_eq!(
        submitted.get_untracked().as_slice(),
        [OrderAction::ExtendDueDate {
            intent_id: submitted.get_untracked()[0].intent_id().to_owned(),
            shipment_id: "cap_1".into(),
            days: 14,
        }]
    );
}

#[wasm_bindgen_test]
async fn add_shipping_info_starts_blank_and_takes_the_return_shipment() {
    let root = fresh_section();
    let submitted = RwSignal::new(Vec::<OrderAction>::new());
    let capture = klarna_order().shipments.remove(0);
    let _handle = mount_to(root.clone(), move || {
        view! {
            <TrackingDialog
                shipment=capture
                provider=Provider::Klarna
                on_submit=move |a| submitted.update(|s| s.push(a))
                on_close=|()| {}
            />
        }
    });
    tick().await;
    tick().await;
    assert!(text(&root, "dialog").contains("Add shipping info"));
    assert_eq!(
        input_value(&root, "tracking-carrier"),
        "",
        "a new one, not an edit"
    );
    type_into(&root, "tracking-carrier", "DHL");
    type_into(&root, "tracking-code", "JD04");
    type_into(&root, "tracking-return-carrier", "DHL");
    click(&root, "dialog-submit");
    tick().await;
    assert!(text(&root, "dialog-error").contains("return shipment"));
    type_into(&root, "tracking-return-code", "JD05");
    click(&root, "dialog-submit");
    tick().await;
    let sent = submitted.get_untracked();
    let [OrderAction::UpdateTracking {
        shipment_id,
        tracking,
        ..
    }] = sent.as_slice()
    else {
        panic!("not one shipping info: {sent:?}");
    };
    assert_eq!(shipment_id, "cap_1");
    assert_eq!(tracking.return_code.as_deref(), Some("JD05"));
}

#[wasm_bindgen_test]
async fn klarna_details_change_the_references_and_the_shipping_address() {
    let root = fresh_section();
    let submitted = RwSignal::new(Vec::<OrderAction>::new());
    let _handle = mount_to(root.clone(), move || {
        view! {
            <DetailsDialog
                order=klarna_order()
                on_submit=move |a| submitted.update(|s| s.push(a))
                on_close=|()| {}
            />
        }
    });
    tick().await;
    tick().await;
    assert!(
        try_by_testid(&root, "details-billing-city").is_none(),
        "Klarna keeps it"
    );
    assert_eq!(input_value(&root, "details-reference2"), "PO-77");
    assert_eq!(
        input_value(&root, "details-shipping-streetAndNumber"),
        "Prinsengracht 263"
    );
    type_into(&root, "details-shipping-email", "nope");
    click(&root, "dialog-submit");
    tick().await;
    assert!(
        field_errors(&root)
            .iter()
            .any(|(f, _)| f == "shippingAddress.email"),
        "{:?}",
        field_errors(&root)
    );
    type_into(&root, "details-shipping-email", "piet@mondriaan.com");
    type_into(&root, "details-reference2", "PO-78");
    click(&root, "dialog-submit");
    tick().await;
    let sent = submitted.get_untracked();
    let [OrderAction::UpdateOrder {
        merchant_reference2,
        shipping_address,
        billing_address,
        ..
    }] = sent.as_slice()
    else {
        panic!("not one update: {sent:?}");
    };
    assert_eq!(merchant_reference2.as_deref(), Some("PO-78"));
    assert_eq!((shipping_address, billing_address), (&None, &None));
}
