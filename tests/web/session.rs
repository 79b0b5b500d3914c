//! Browser tests: who is logged in.

use super::helpers::*;

#[wasm_bindgen_test]
async fn a_viewer_is_told_they_cannot_create_orders() {
    let root = fresh_section();
    let _handle = mount_to(root.clone(), || {
        Session::provide_with(SessionState::SignedIn(staff(Role::Viewer)));
        view! { <NewOrderPage/> }
    });
    tick().await;
    assert!(text(&root, "viewer-notice").contains("can view orders but not create them"));
    assert!(try_by_testid(&root, "submit-order").is_none(), "no form");
}

#[wasm_bindgen_test]
async fn an_operator_gets_the_order_form() {
    let root = fresh_section();
    let _handle = mount_to(root.clone(), || {
        Session::provide_with(SessionState::SignedIn(staff(Role::Operator)));
        view! { <NewOrderPage/> }
    });
    tick().await;
    assert!(try_by_testid(&root, "viewer-notice").is_none());
    assert_eq!(text(&root, "submit-order"), "Create order");
}

#[wasm_bindgen_test]
async fn the_header_shows_who_is_logged_in_and_what_they_may_do() {
    let root = fresh_section();
    let session = RwSignal::new(None::<Session>);
    let _handle = mount_to(root.clone(), move || {
        session.set(Some(Session::provide_with(SessionState::SignedIn(staff(
            Role::Viewer,
        )))));
        view! {
            <Router>
                <AppHeader/>
            </Router>
        }
    });
    tick().await;
    assert_eq!(text(&root, "staff-name"), "Ada Lovelace");
    assert_eq!(
        by_testid(&root, "staff-name")
            .get_attribute("title")
            .as_deref(),
        Some("ada@example.com")
    );
    assert_eq!(text(&root, "staff-role"), "viewer");
    assert_eq!(text(&root, "logout"), "Log out");
    assert_eq!(
        nav_links(&root),
        vec!["Orders".to_owned()],
        "a viewer gets no New order link"
    );

    let session = session.get_untracked().expect("provided");
    session.signed_in(kassa_model::api::SessionView {
        staff: staff(Role::Operator),
        csrf_token: "t0k".into(),
    });
    tick().await;
    assert_eq!(
        nav_links(&root),
        vec!["Orders".to_owned(), "New order".to_owned()]
    );

    session.logged_out();
    tick().await;
    assert!(try_by_testid(&root, "staff-name").is_none());
    assert!(try_by_testid(&root, "logout").is_none());
    assert!(nav_links(&root).is_empty());
}

#[wasm_bindgen_test]
async fn staff_pages_send_visitors_without_a_session_to_the_login_page() {
    let root = fresh_section();
    let history = window().history().expect("history");
    let location = window().location();
    let before = format!(
        "{}{}",
        location.pathname().expect("path"),
        location.search().expect("search")
    );
    // Pretend the visitor opened an order page.
    history
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some("/orders/ord_x?tab=2"),
        )
        .expect("replaceState");
    let state = RwSignal::new(None::<Session>);
    let _handle = mount_to(root.clone(), move || {
        state.set(Some(Session::provide_with(SessionState::SignedIn(staff(
            Role::Viewer,
        )))));
        view! {
            <Router>
                <RequireStaff>
                    <p data-testid="secret">"Staff only"</p>
                </RequireStaff>
            </Router>
        }
    });
    tick().await;
    assert_eq!(text(&root, "secret"), "Staff only");

    // The session ends (what a 401 from any call does): off to the login page, remembering
    // the page with its query.
    state.get_untracked().expect("provided").signed_out();
    tick().await;
    let mut path = String::new();
    for _ in 0..100 {
        path = format!(
            "{}{}",
            location.pathname().expect("path"),
            location.search().expect("search")
        );
        if path.starts_with("/login") {
            break;
        }
        sleep(20).await;
    }
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&before))
        .expect("restore the runner's address");
    assert_eq!(path, "/login?next=/orders/ord_x%3Ftab%3D2");
    assert!(try_by_testid(&root, "secret").is_none());
}

#[wasm_bindgen_test]
async fn staff_pages_say_so_when_the_session_cannot_be_checked() {
    let root = fresh_section();
    let _handle = mount_to(root.clone(), || {
        Session::provide_with(SessionState::Unavailable(ClientError::Network(
            "offline".into(),
        )));
        view! {
            <Router>
                <RequireStaff>
                    <p data-testid="secret">"Staff only"</p>
                </RequireStaff>
            </Router>
        }
    });
    tick().await;
    assert!(text(&root, "session-error").contains("could not check whether you are logged in"));
    assert!(try_by_testid(&root, "secret").is_none());
}
