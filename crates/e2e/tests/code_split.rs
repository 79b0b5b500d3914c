//! The app split by route (`cargo xtask` builds it so, see docs/performance.md "Code
//! splitting"): a page fetches its own chunk when it is first shown and no other page's, and a
//! chunk that cannot be fetched shows an error with a reload button instead of a broken page.
//!
//! Needs the app as `cargo xtask build` makes it (`KASSA_E2E_DIST`, default `dist/` at the
//! workspace root) and chromedriver (`CHROMEDRIVER`, default on `PATH`). Run with `cargo xtask
//! test`. An unsplit build (plain `trunk build`) fails these tests: passing without checking
//! would hide a build that stopped splitting.
use std::path::{Path, PathBuf};

use crate::common::*;
use fantoccini::{Client, Locator};
use kassa_proxy::config::{TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD};
use kassa_proxy::{start, Config};

/// The names of the files in `dir` (not below it).
fn files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect()
}

/// The page chunk of `page` in `dist` (`kassa-split_<page>-<hash>.wasm`).
fn page_chunk(dist: &Path, page: &str) -> String {
    let prefix = format!("kassa-split_{page}-");
    files(dist)
        .into_iter()
        .find(|f| f.starts_with(&prefix) && f.ends_with(".wasm"))
        .unwrap_or_else(|| {
            panic!(
                "{} has no chunk for {page}: not split by route (build it with `cargo xtask build`)",
                dist.display()
            )
        })
}

/// The wasm files the page has fetched so far (their names, without the path).
async fn fetched_wasm(c: &Client) -> Vec<String> {
    let names = c
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name)",
            vec![],
        )
        .await
        .unwrap();
    names
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n.as_str()?.rsplit('/').next().map(str::to_owned))
        .filter(|n| n.ends_with(".wasm"))
        .collect()
}

fn page_chunks(fetched: &[String]) -> Vec<String> {
    let mut pages: Vec<String> = fetched
        .iter()
        .filter_map(|f| f.strip_prefix("kassa-split_"))
        .filter_map(|f| f.rsplit_once('-').map(|(page, _)| page.to_owned()))
        .collect();
    pages.sort();
    pages
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn each_page_fetches_its_own_chunk_when_first_shown() {
    page_chunk(&dist(), "login");
    let running = kassa().await;
    let b = browser().await;
    let c = &b.client;

    // A cold start on the login page: the shell and the login page's chunk, no other page's.
    c.goto(&format!("{}/login", running.url)).await.unwrap();
    c.wait()
        .for_element(Locator::Css(&testid("login-email")))
        .await
        .expect("the login form");
    assert_eq!(page_chunks(&fetched_wasm(c).await), ["login"]);

    // Logging in goes to the orders list, which brings its own chunk.
    log_in_here(c, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD).await;
    c.wait()
        .for_element(Locator::Css(&format!(
            "{}, {}",
            testid("orders-table"),
            testid("orders-empty")
        )))
        .await
        .expect("the orders list");
    assert_eq!(page_chunks(&fetched_wasm(c).await), ["login", "orders"]);

    // The new-order form: its chunk now, the order page's still not.
    c.find(Locator::LinkText("New order"))
        .await
        .expect("the header's New order link")
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css(&testid("submit-order")))
        .await
        .expect("the new-order form");
    assert_eq!(
        page_chunks(&fetched_wasm(c).await),
        ["login", "new_order", "orders"]
    );
    // Nothing failed to load or run (the 401 of the session check before logging in and the
    // missing favicon are expected).
    let errors: Vec<String> = console_errors(c)
        .await
        .into_iter()
        .filter(|e| !e.contains("/api/session") && !e.contains("favicon.ico"))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");

    // The public shop from a cold start: only its own page chunk.
    c.goto("about:blank").await.unwrap();
    c.goto(&format!("{}/shop", running.url)).await.unwrap();
    c.wait()
        .for_element(Locator::Css(&testid("shop-pay")))
        .await
        .expect("the shop's form");
    assert_eq!(page_chunks(&fetched_wasm(c).await), ["shop"]);
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn a_warm_reload_fetches_only_the_page() {
    page_chunk(&dist(), "login");
    let running = kassa().await;
    let b = browser().await;
    let c = &b.client;
    let form_css = testid("login-email");
    let form = Locator::Css(&form_css);

    c.goto(&format!("{}/login", running.url)).await.unwrap();
    c.wait().for_element(form).await.expect("the login form");
    c.refresh().await.unwrap();
    c.wait()
        .for_element(form)
        .await
        .expect("the login form after reloading");
    // Everything but the page and the API from the cache: the hashed files, chunks included,
    // are immutable for a year. `transferSize` is 0 for what the cache answered.
    let loaded = c
        .execute(
            "return performance.getEntriesByType('resource')
                .map(e => [new URL(e.name).pathname, e.transferSize])",
            vec![],
        )
        .await
        .unwrap();
    let loaded: Vec<(String, u64)> = serde_json::from_value(loaded).unwrap();
    assert!(
        loaded
            .iter()
            .any(|(path, _)| path.starts_with("/kassa-split_login-")),
        "the reload did not load the login chunk at all: {loaded:?}"
    );
    let fetched: Vec<&(String, u64)> = loaded
        .iter()
        .filter(|(path, size)| *size > 0 && !path.starts_with("/api/"))
        .collect();
    assert!(fetched.is_empty(), "fetched again on a reload: {fetched:?}");
    // The page itself is revalidated: a 304 (headers only) or, at most, the page again.
    let page = c
        .execute(
            "const n = performance.getEntriesByType('navigation')[0];
             return [n.responseStatus || 0, n.encodedBodySize];",
            vec![],
        )
        .await
        .unwrap();
    let (status, body): (u16, u64) = serde_json::from_value(page).unwrap();
    assert!(status == 304 || body < 4096, "the page: {status}, {body} B");
}

/// A copy of the built app in a temporary directory, to break.
fn copy_of_dist() -> PathBuf {
    let to = std::env::temp_dir().join(format!("kassa-e2e-split-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&to);
    copy_dir(&dist(), &to);
    to
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run `cargo xtask test`"]
async fn a_chunk_that_cannot_be_loaded_shows_an_error_and_reloading_recovers() {
    let chunk = page_chunk(&dist(), "login");
    let broken = copy_of_dist();
    let aside = broken.join("aside");
    std::fs::create_dir_all(&aside).unwrap();
    // The chunk goes, with its precompressed copies (the proxy would serve those).
    for name in files(&broken).into_iter().filter(|f| f.starts_with(&chunk)) {
        std::fs::rename(broken.join(&name), aside.join(&name)).unwrap();
    }
    let running = start(Config::for_tests(broken.clone())).await.unwrap();
    let b = browser().await;
    let c = &b.client;

    c.goto(&format!("{}/login", running.url)).await.unwrap();
    let error = c
        .wait()
        .for_element(Locator::Css(&testid("chunk-error")))
        .await
        .expect("the chunk error instead of the login form");
    assert!(
        error.text().await.unwrap().contains("could not be loaded"),
        "{}",
        error.text().await.unwrap()
    );
    assert!(c.find(Locator::Css(&testid("login-email"))).await.is_err());
    // The rest of the app still works: the header is there.
    c.find(Locator::Css(".app-header"))
        .await
        .expect("the app's header");

    // Once the file is back (a network blip over, say), "Reload the page" brings the form.
    for name in files(&aside) {
        std::fs::rename(aside.join(&name), broken.join(&name)).unwrap();
    }
    click(c, "chunk-reload").await;
    c.wait()
        .for_element(Locator::Css(&testid("login-email")))
        .await
        .expect("the login form after reloading");
    std::fs::remove_dir_all(&broken).ok();
}
