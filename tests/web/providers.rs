//! Browser tests: both providers side by side: "Add a Klarna order", the expiry radar and
//! the provider in the orders list.

use super::helpers::*;

#[wasm_bindgen_test]
async fn adding_a_klarna_order_checks_the_id_first() {
    let root = fresh_section();
    let submitted = RwSignal::new(Vec::<ImportOrder>::new());
    let error = RwSignal::new(None::<ClientError>);
    let _handle = mount_to(root.clone(), move || {
        view! { <ImportOrderForm on_submit=move |r| submitted.update(|s| s.push(r)) error/> }
    });
    tick().await;
    type_into(&root, "import-id", "ord_pbjz8x");
    click(&root, "import-submit");
    tick().await;
    assert!(submitted.get_untracked().is_empty());
    assert!(text(&root, "import-error").contains("looks like"));
    type_into(&root, "import-id", " f3392f8b-6116-4073-ab96-e330819e2c07 ");
    click(&root, "import-submit");
    tick().await;
    assert_eq!(
        submitted.get_untracked(),
        vec![ImportOrder {
            provider: Provider::Klarna,
            id: "f3392f8b-6116-4073-ab96-e330819e2c07".into()
        }]
    );
    error.set(Some(http_error(404, "not_found")));
    tick().await;
    assert!(text(&root, "import-error").contains("Klarna has no order"));
}

fn expiring(number: &str, provider: Provider, days: f64, uncaptured: i64) -> ExpiringOrder {
    let mut order = summary_row(number, OrderStatus::Authorized, uncaptured, "en_US");
    order.provider = provider;
    let expires_at = days_from_now(days);
    order.expires_at = Some(expires_at.clone());
    ExpiringOrder {
        order,
        expires_at,
        uncaptured: eur(uncaptured),
        actions: vec![
            ActionAvailability {
                kind: ActionKind::Ship,
                label: if provider == Provider::Klarna {
                    "Capture"
                } else {
                    "Ship"
                }
                .into(),
                unavailable: None,
            },
            ActionAvailability {
                kind: ActionKind::ExtendAuthorization,
                label: "Extend authorization".into(),
                unavailable: (provider == Provider::Mollie)
                    .then(|| "Mollie authorizations cannot be extended".into()),
            },
        ],
    }
}

#[wasm_bindgen_test]
async fn the_radar_lists_expiring_authorizations_soonest_first() {
    let rows = vec![
        expiring("K-2", Provider::Klarna, 6.5, 50_000),
        expiring("1338", Provider::Mollie, 1.5, 32_999),
    ];
    let root = fresh_section();
    let for_operator = rows.clone();
    let _handle = mount_to(root.clone(), move || {
        view! { <ExpiryRadar rows=for_operator operator=true/> }
    });
    tick().await;
    assert_eq!(count(&root, "radar-row"), 2);
    let first = nth(&root, "radar-row", 0);
    assert_eq!(text(&first, "radar-number"), "1338");
    assert_eq!(text(&first, "radar-provider"), "Mollie");
    assert_eq!(text(&first, "radar-left"), "in 1 day");
    assert_eq!(text(&first, "radar-uncaptured"), "€329.99");
    assert!(text(&first, "radar-unavailable").contains("cannot be extended"));
    let second = nth(&root, "radar-row", 1);
    assert_eq!(text(&second, "radar-number"), "K-2");
    assert_eq!(count(&second, "radar-action"), 2);
    assert_eq!(text(&second, "radar-action"), "Capture");
    assert_eq!(
        by_testid(&second, "radar-action")
            .get_attribute("href")
            .as_deref(),
        Some("/orders/ord_K-2")
    );

    // Viewers get the way to the order, not the actions.
    let viewer = fresh_section();
    let _viewer = mount_to(viewer.clone(), move || view! { <ExpiryRadar rows/> });
    tick().await;
    assert_eq!(count(&viewer, "radar-action"), 0);
    assert_eq!(count(&viewer, "radar-open"), 2);
}

#[wasm_bindgen_test]
async fn the_orders_list_shows_and_filters_by_provider() {
    let root = fresh_section();
    let mut klarna = summary_row("K-1", OrderStatus::Shipping, 102_799, "nl_NL");
    klarna.provider = Provider::Klarna;
    let orders = vec![
        summary_row("1337", OrderStatus::Paid, 102_799, "en_US"),
        klarna,
    ];
    let _handle = mount_to(root.clone(), move || view! { <OrdersTable orders/> });
    tick().await;
    assert_eq!(text(&nth(&root, "order-row", 0), "row-provider"), "Mollie");
    let klarna_row = nth(&root, "order-row", 1);
    assert_eq!(text(&klarna_row, "row-provider"), "Klarna");
    assert!(klarna_row
        .query_selector(".badge.badge-shipping")
        .expect("selector")
        .is_some());

    let bar = fresh_section();
    let applied = RwSignal::new(Vec::<OrderFilter>::new());
    let _bar = mount_to(bar.clone(), move || {
        view! {
            <FilterBar initial=FilterForm::default() on_apply=move |f| applied.update(|a| a.push(f))/>
        }
    });
    tick().await;
    choose(&bar, "filter-provider", "klarna");
    click(&bar, "filter-apply");
    tick().await;
    assert_eq!(applied.get_untracked()[0].provider, Some(Provider::Klarna));
}
