//! Browser tests: internal notes on an order, saved views of the orders list.

use super::helpers::*;
use kassa_app::components::{NoteForm, SavedViews};
use kassa_model::api::{NewNote, NewSavedView, SavedView};

#[wasm_bindgen_test]
async fn an_empty_note_is_refused_here_and_a_written_one_is_sent() {
    let root = fresh_section();
    let sent = RwSignal::new(Vec::<NewNote>::new());
    let error = RwSignal::new(None::<ClientError>);
    let _handle = mount_to(root.clone(), move || {
        view! { <NoteForm on_submit=move |n| sent.update(|s| s.push(n)) error=error/> }
    });
    tick().await;
    type_into(&root, "note-text", "   ");
    click(&root, "note-submit");
    tick().await;
    assert_eq!(text(&root, "note-error"), "Write the note first.");
    assert!(sent.get_untracked().is_empty(), "nothing is sent");

    type_into(&root, "note-text", "Customer called: ship after the 12th.");
    click(&root, "note-submit");
    tick().await;
    assert_eq!(
        sent.get_untracked(),
        [NewNote {
            text: "Customer called: ship after the 12th.".into()
        }]
    );
    assert!(try_by_testid(&root, "note-error").is_none());

    // The proxy's refusal is shown where the note is written.
    error.set(Some(http_error(403, "forbidden")));
    tick().await;
    assert_eq!(text(&root, "note-error"), "forbidden from the proxy");
}

fn view(id: i64, name: &str, filter: OrderFilter) -> SavedView {
    SavedView {
        id,
        name: name.into(),
        filter,
    }
}

#[wasm_bindgen_test]
async fn saved_views_link_to_their_filters_and_save_the_current_ones() {
    let root = fresh_section();
    let klarna = OrderFilter {
        provider: Some(Provider::Klarna),
        status: Some(OrderStatus::Authorized),
        ..OrderFilter::default()
    };
    let current = RwSignal::new(OrderFilter::default());
    let saved = RwSignal::new(Vec::<NewSavedView>::new());
    let deleted = RwSignal::new(Vec::<i64>::new());
    let views = vec![view(7, "Klarna, authorized", klarna.clone())];
    let _handle = mount_to(root.clone(), move || {
        view! {
            <SavedViews
                views=views.clone()
                current=current
                on_save=move |v| saved.update(|s| s.push(v))
                on_delete=move |v: SavedView| deleted.update(|d| d.push(v.id))
            />
        }
    });
    tick().await;
    let link = by_testid(&root, "saved-view")
        .query_selector("a")
        .unwrap()
        .unwrap();
    assert_eq!(link.text_content().unwrap(), "Klarna, authorized");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/?status=authorized&provider=klarna")
    );
    assert_eq!(link.get_attribute("aria-current"), None);
    // Nothing to save while the list is not narrowed.
    assert!(try_by_testid(&root, "save-view").is_none());

    // The list shows that view (on its second page): the link says so.
    current.set(OrderFilter {
        cursor: Some("abc".into()),
        ..klarna.clone()
    });
    tick().await;
    assert_eq!(link.get_attribute("aria-current").as_deref(), Some("true"));

    click(&root, "save-view");
    tick().await;
    assert_eq!(text(&root, "view-error"), "Name the view.");
    assert!(saved.get_untracked().is_empty());
    type_into(&root, "view-name", "To capture");
    click(&root, "save-view");
    tick().await;
    assert_eq!(
        saved.get_untracked(),
        [NewSavedView {
            name: "To capture".into(),
            filter: klarna
        }],
        "the page it was on is not part of the view"
    );

    click(&root, "delete-view");
    tick().await;
    assert_eq!(deleted.get_untracked(), [7]);
}

#[wasm_bindgen_test]
async fn each_page_names_the_browser_tab() {
    let root = fresh_section();
    let _handle = mount_to(root.clone(), move || {
        Session::provide_with(SessionState::SignedOut);
        view! {
            <Router>
                <LoginPage/>
            </Router>
        }
    });
    tick().await;
    assert_eq!(document().title(), "Log in · Kassa");
    kassa_app::title::set("K-4W2T8KW2");
    assert_eq!(document().title(), "K-4W2T8KW2 · Kassa");
}

fn event(kind: &str, detail: String) -> kassa_model::api::OrderEvent {
    kassa_model::api::OrderEvent {
        at: "2026-11-29T10:00:00Z".into(),
        kind: kind.into(),
        detail,
    }
}

#[wasm_bindgen_test]
async fn the_timeline_is_newest_first_with_actors_named_and_action_ids_tucked_away() {
    let root = fresh_section();
    let events = vec![
        event("created", "Order K-1 created at Mollie".into()),
        event(
            "action",
            kassa_model::api::OrderEvent::action_detail(
                "Shipped 2 items",
                "ann@shop.example",
                "7d0c2f",
            ),
        ),
        event("note", "ann@shop.example: Customer called".into()),
    ];
    let _handle = mount_to(
        root.clone(),
        move || view! { <Timeline events=events.clone()/> },
    );
    tick().await;
    let shown: Vec<String> = (0..count(&root, "event"))
        .map(|i| {
            nth(&root, "event", i)
                .query_selector(".event-detail")
                .unwrap()
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(
        shown,
        [
            "ann@shop.example: Customer called",
            "Shipped 2 items by ann@shop.example",
            "Order K-1 created at Mollie"
        ]
    );
    let copy = by_testid(&root, "copy-intent");
    assert_eq!(copy.get_attribute("data-intent").as_deref(), Some("7d0c2f"));
    assert_eq!(copy.text_content().as_deref(), Some("Copy id"));
}

#[wasm_bindgen_test]
async fn an_email_wraps_only_after_the_at_and_before_dots() {
    let root = fresh_section();
    let _handle = mount_to(root.clone(), move || {
        view! { <kassa_app::components::EmailText email="piet.mondriaan@example.co.uk".into() testid="email"/> }
    });
    tick().await;
    let email = by_testid(&root, "email");
    assert_eq!(
        email.text_content().as_deref(),
        Some("piet.mondriaan@example.co.uk")
    );
    // Leptos' placeholders aside, the seams are after the @ and before each dot.
    let html = email.inner_html().replace("<!---->", "");
    assert_eq!(html, "piet.mondriaan@<wbr>example<wbr>.co<wbr>.uk");
}

#[wasm_bindgen_test]
async fn the_list_shows_payment_and_fulfilment_apart() {
    let root = fresh_section();
    let mut row = summary_row("1339", OrderStatus::Completed, 17_800, "en_US");
    row.payment_state = Some(kassa_model::states::PaymentState::PartiallyRefunded);
    row.fulfilment_state = Some(kassa_model::states::FulfilmentState::Shipped);
    let _handle = mount_to(
        root.clone(),
        move || view! { <OrdersTable orders=vec![row.clone()]/> },
    );
    tick().await;
    assert_eq!(text(&root, "payment-state"), "Partially refunded");
    assert_eq!(text(&root, "fulfilment-state"), "Shipped");
}

/// The relative luminance of a computed `rgb(r, g, b)` (WCAG 2.x), for contrast ratios.
fn luminance(css: &str) -> f64 {
    let channels: Vec<f64> = css
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .take(3)
        .map(|c| c.trim().parse::<f64>().expect("a channel") / 255.0)
        .map(|c| {
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        })
        .collect();
    0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
}

#[wasm_bindgen_test]
async fn every_state_has_its_own_readable_colour() {
    // The app's own stylesheet, as the built page links it.
    let style = document().create_element("style").unwrap();
    style.set_text_content(Some(include_str!("../../style/main.css")));
    document().head().unwrap().append_child(&style).unwrap();
    let root = fresh_section();
    let classes: Vec<String> = [
        "authorized",
        "paid",
        "shipping",
        "completed",
        "created",
        "canceled",
    ]
    .iter()
    .map(|s| format!("badge badge-{s}"))
    .chain(
        kassa_model::states::PaymentState::ALL
            .iter()
            .map(|p| format!("badge badge-pay-{}", p.as_str())),
    )
    .chain(
        kassa_model::states::FulfilmentState::ALL
            .iter()
            .map(|f| format!("badge badge-ful-{}", f.as_str())),
    )
    .collect();
    let mut colours = std::collections::HashMap::new();
    for class in &classes {
        let badge = document().create_element("span").unwrap();
        badge.set_class_name(class);
        badge.set_text_content(Some("state"));
        root.append_child(&badge).unwrap();
        let computed = window().get_computed_style(&badge).unwrap().unwrap();
        let fg = computed.get_property_value("color").unwrap();
        let bg = computed.get_property_value("background-color").unwrap();
        let (a, b) = (luminance(&fg), luminance(&bg));
        let ratio = (a.max(b) + 0.05) / (a.min(b) + 0.05);
        assert!(ratio >= 4.5, "{class}: {fg} on {bg} is {ratio:.2}:1");
        colours.insert(class.clone(), (fg, bg));
    }
    // Authorized, paid and completed no longer share one green.
    let colour = |c: &str| colours[&format!("badge badge-{c}")].clone();
    assert_ne!(colour("authorized"), colour("paid"));
    assert_ne!(colour("paid"), colour("completed"));
    assert_ne!(colour("authorized"), colour("completed"));
    style.remove();
}
