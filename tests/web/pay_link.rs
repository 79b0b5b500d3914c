//! Browser tests: the public pay link page.

use kassa_app::pages::PayPage;
use leptos_router::components::{Route, Routes};
use leptos_router::path;

use super::helpers::*;

#[wasm_bindgen_test]
async fn an_unknown_pay_link_says_so_without_the_staff_header() {
    let root = fresh_section();
    let history = window().history().expect("history");
    let location = window().location();
    let before = format!(
        "{}{}",
        location.pathname().expect("path"),
        location.search().expect("search")
    );
    // The test server has no API: the pay link's load answers 404, as an unknown reference.
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/pay/pl_missing"))
        .expect("replaceState");
    let _handle = mount_to(root.clone(), move || {
        Session::provide_with(SessionState::SignedOut);
        view! {
            <Router>
                <AppHeader/>
                <Routes fallback=|| "no route">
                    <Route path=path!("/pay/:reference") view=PayPage/>
                </Routes>
            </Router>
        }
    });
    let error = wait_for(&root, "load-error").await;
    let heading = text(&root, "pay-heading");
    let staff_header = root
        .query_selector(".app-header")
        .expect("valid selector")
        .is_some();
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&before))
        .expect("restore the runner's address");
    // In the browser's language (en-US here): without the link there is no locale to go by.
    assert_eq!(heading, "We could not open this payment link");
    assert_eq!(
        error.text_content().unwrap_or_default().trim(),
        "Please check the link, or ask the shop."
    );
    assert!(!staff_header, "a customer's page, not the console");
}
