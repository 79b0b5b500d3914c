//! Browser tests: logging in.

use super::helpers::*;

#[wasm_bindgen_test]
async fn the_login_form_sends_credentials_shows_busy_and_explains_a_401_and_a_429() {
    let root = fresh_section();
    let submitted = RwSignal::new(Vec::<Credentials>::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ClientError>);
    let on_submit = Callback::new(move |c: Credentials| submitted.update(|s| s.push(c)));
    let _handle = mount_to(root.clone(), move || {
        view! { <LoginForm on_submit busy=busy error=error/> }
    });
    tick().await;
    assert!(try_by_testid(&root, "login-error").is_none());
    assert_eq!(text(&root, "login-submit"), "Log in");

    // Nothing typed: a local message, nothing sent, focus on the email field.
    click(&root, "login-submit");
    tick().await;
    assert_eq!(text(&root, "login-error"), "Enter your email address.");
    assert!(submitted.with_untracked(Vec::is_empty));
    let focused = document().active_element().expect("something has focus");
    assert_eq!(
        focused.get_attribute("data-testid").as_deref(),
        Some("login-email")
    );

    type_into(&root, "login-email", "  ada@example.com ");
    type_into(&root, "login-password", "correct horse");
    click(&root, "login-submit");
    tick().await;
    assert!(
        try_by_testid(&root, "login-error").is_none(),
        "a valid submit clears it"
    );
    assert_eq!(
        submitted.get_untracked(),
        vec![Credentials {
            email: "ada@example.com".into(),
            password: "correct horse".into(),
        }]
    );

    // While the caller waits for the proxy.
    busy.set(true);
    tick().await;
    let submit = button(&root, "login-submit");
    assert!(submit.disabled());
    assert_eq!(submit.get_attribute("aria-busy").as_deref(), Some("true"));
    assert_eq!(text(&root, "login-submit"), "Logging in…");

    // The proxy said 401: a clear message, and the form is usable again.
    error.set(Some(http_error(401, "unauthorized")));
    busy.set(false);
    tick().await;
    assert_eq!(
        text(&root, "login-error"),
        "That email address and password do not match. Check both and try again."
    );
    assert!(!button(&root, "login-submit").disabled());
    assert_eq!(text(&root, "login-submit"), "Log in");

    error.set(Some(http_error(429, "rate_limited")));
    tick().await;
    assert_eq!(
        text(&root, "login-error"),
        "Too many login attempts. Wait a few minutes, then try again."
    );
}

#[wasm_bindgen_test]
async fn the_login_page_shows_the_answer_of_a_server_without_the_api() {
    // The real page and the real client: the test runner's server answers 404 to
    // `POST /api/session`, which must end as a readable error with the button usable again.
    let root = fresh_section();
    let _handle = mount_to(root.clone(), || {
        Session::provide_with(SessionState::SignedOut);
        view! {
            <Router>
                <LoginPage/>
            </Router>
        }
    });
    tick().await;
    type_into(&root, "login-email", "ada@example.com");
    type_into(&root, "login-password", "correct horse");
    click(&root, "login-submit");
    tick().await;
    let error = wait_for(&root, "login-error").await;
    assert!(!error.text_content().unwrap_or_default().trim().is_empty());
    assert!(!button(&root, "login-submit").disabled());
    assert!(try_by_testid(&root, "logged-out").is_none());
}

#[wasm_bindgen_test]
async fn a_login_against_a_server_without_the_api_is_a_typed_error() {
    let error = api::login(&Credentials {
        email: "ada@example.com".into(),
        password: "correct horse".into(),
    })
    .await
    .expect_err("there is no API behind the test server");
    assert!(matches!(error, ClientError::Http { .. }), "{error:?}");
    assert!(!error.is_unauthorized());
}

#[wasm_bindgen_test]
fn next_paths_outside_the_app_go_home() {
    assert_eq!(routes::safe_next(Some("/orders/ord_x")), "/orders/ord_x");
    assert_eq!(routes::safe_next(Some("//evil.example")), "/");
    assert_eq!(routes::safe_next(Some("https://evil.example")), "/");
    assert_eq!(routes::safe_next(Some("/\\evil.example")), "/");
    assert_eq!(routes::safe_next(None), "/");
    assert_eq!(
        routes::login_then("/orders/ord_x"),
        "/login?next=/orders/ord_x"
    );
}
