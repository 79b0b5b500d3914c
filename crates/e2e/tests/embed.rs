//! The console embedded in another page: `examples/embed.html` (copied into the built app by
//! Trunk, so the proxy serves it) loads Kassa's module itself and mounts it into its `#kassa`
//! element at `/orders/new`, inside the host's own header and sidebar. The last test serves
//! the same page from another origin, as an existing admin site would.
//!
//! Needs the built app (`KASSA_E2E_DIST`, default `dist/` at the workspace root) and
//! chromedriver (`CHROMEDRIVER`, default on `PATH`). Run with `cargo xtask test`.
use crate::common::*;
use fantoccini::Locator;
use kassa_proxy::config::{TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD};
use kassa_proxy::{start, Config};

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn the_console_mounts_inside_a_host_page() {
    let running = kassa().await;
    let b = browser().await;
    let c = &b.client;

    // The session cookie is the proxy's, so the host page (same site) shares it.
    log_in(c, &running.url, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD).await;
    c.goto(&format!("{}/examples/embed.html", running.url))
        .await
        .unwrap();

    // The console renders inside #kassa, at the route the host asked for.
    let form = in_console(c, "submit-order", "the new-order form inside #kassa").await;
    assert!(form.is_displayed().await.unwrap());
    c.find(Locator::Css(&format!("#kassa {}", testid("staff-name"))))
        .await
        .expect("the console's own header, logged in, inside #kassa");
    wait_url(c, "/orders/new").await;

    // The host's own markup is still there, and the console did not take over the body.
    wait_text(
        c,
        &format!("{} strong", testid("host-header")),
        "Acme admin",
    )
    .await;
    let sections = texts(c, &format!("{} li", testid("host-sidebar"))).await;
    assert_eq!(sections, ["Dashboard", "Customers", "Payments", "Settings"]);
    // Exactly one console, and it is the one in #kassa: `main` did not also mount to <body>.
    assert_eq!(
        c.find_all(Locator::Css(".app-main")).await.unwrap().len(),
        1
    );
    assert_eq!(
        c.find_all(Locator::Css("#kassa .app-main"))
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn under_a_base_path_the_consoles_links_stay_in_the_host_page() {
    let running = kassa().await;
    let b = browser().await;
    let c = &b.client;
    log_in(c, &running.url, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD).await;
    // The console's routes live under the host page's own path.
    let base = "/examples/embed.html";
    c.goto(&format!("{}{base}?base_path={base}", running.url))
        .await
        .unwrap();
    in_console(c, "submit-order", "the new-order form inside #kassa").await;
    wait_url(c, &format!("{base}/orders/new")).await;
    // The header's "Orders" link goes to the list under the base, inside the host page: the
    // router handles it, the page is not left.
    let orders = c
        .find(Locator::Css("#kassa nav a[href=\"/examples/embed.html\"]"))
        .await
        .expect("the Orders link carries the base path");
    orders.click().await.unwrap();
    in_console(c, "orders-empty", "the orders list inside #kassa").await;
    let url = c.current_url().await.unwrap();
    assert_eq!(url.path(), base, "{url}");
    wait_text(
        c,
        &format!("{} strong", testid("host-header")),
        "Acme admin",
    )
    .await;
    c.clone().close().await.unwrap();
}

/// Waits for the element with this `data-testid` inside the host's `#kassa`.
async fn in_console(c: &fantoccini::Client, id: &str, what: &str) -> fantoccini::elements::Element {
    c.wait()
        .for_element(Locator::Css(&format!("#kassa {}", testid(id))))
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// Serves `dist/examples` at `/admin/` on its own free loopback port, with `embed.html` told
/// where the proxy is (`data-kassa-origin`): a host site on another origin of the same site.
async fn host_site(listener: tokio::net::TcpListener, proxy_url: String) {
    use axum::routing::get;
    let examples = dist().join("examples");
    let page = std::fs::read_to_string(examples.join("embed.html"))
        .expect("dist/examples/embed.html")
        .replace(
            "data-kassa-origin=\"\"",
            &format!("data-kassa-origin=\"{proxy_url}\""),
        );
    assert!(
        page.contains(&proxy_url),
        "embed.html has no data-kassa-origin"
    );
    let router = axum::Router::new()
        .route(
            "/admin/embed.html",
            get(move || async move { axum::response::Html(page) }),
        )
        .nest_service("/admin", tower_http::services::ServeDir::new(examples));
    tokio::spawn(async move { axum::serve(listener, router).await });
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn a_host_page_on_another_origin_logs_in_and_works_through_the_proxy() {
    let host = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host_url = format!("http://{}", host.local_addr().unwrap());
    let mut config = Config::for_tests(dist());
    config.embed_origins = vec![host_url.clone()];
    let running = start(config).await.expect("proxy starts");
    host_site(host, running.url.clone()).await;
    let b = browser().await;
    let c = &b.client;

    // Not logged in anywhere yet: the console, loaded from the proxy into the host's page,
    // asks for a login inside #kassa.
    c.goto(&format!("{host_url}/admin/embed.html"))
        .await
        .unwrap();
    in_console(c, "login-email", "the console's login form inside #kassa").await;
    // Logging in sets the proxy's session cookie from the host's page; the console's next
    // calls carry it (credentials included, CORS allowed for this origin only).
    log_in_here(c, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD).await;
    in_console(
        c,
        "submit-order",
        "back on the new-order form after logging in",
    )
    .await;
    let page = c.current_url().await.unwrap();
    assert_eq!(page.origin().ascii_serialization(), host_url);

    // Reading: the orders list comes from the proxy with the session.
    c.find(Locator::Css("#kassa nav a[href=\"/\"]"))
        .await
        .expect("the console's Orders link")
        .click()
        .await
        .unwrap();
    in_console(
        c,
        "orders-empty",
        "the (empty) orders list, read through the proxy",
    )
    .await;

    // A mutation with the CSRF header (a preflighted DELETE): logging out ends the session.
    click(c, "logout").await;
    in_console(c, "login-email", "logged out: the login form again").await;
    // The proxy ended the session (not just the page): a fresh load of the host page asks
    // for a login again, although the browser still sends whatever cookie it has.
    c.goto(&format!("{host_url}/admin/embed.html"))
        .await
        .unwrap();
    in_console(c, "login-email", "still logged out after a reload").await;

    // Still the host's page throughout.
    wait_text(
        c,
        &format!("{} strong", testid("host-header")),
        "Acme admin",
    )
    .await;
    c.clone().close().await.unwrap();
}
