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
