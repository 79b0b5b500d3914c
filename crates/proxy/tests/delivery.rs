//! How the app and the API travel: precompressed files by `Accept-Encoding`, hashed files
//! cached for a year and the page revalidated, large JSON compressed on the fly.
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use kassa_model::api::Role;
use kassa_proxy::config::SANDBOX_KEY;
use kassa_proxy::{app, staff, AppState, StateConfig};
use tower::ServiceExt;

const WASM: &str = "kassa-app-0123456789abcdef_bg.wasm";

/// A dist/ as `cargo xtask` builds it: hashed files with `.br` and `.gz` beside them (their
/// contents say which one was served), a plain `index.html` with its own, an unhashed loader.
/// One directory per test (`name`): the tests run at once, and each removes its own at the end.
fn dist(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("kassa-dist-delivery-{}-{name}", std::process::id()));
    std::fs::create_dir_all(dir.join("examples")).unwrap();
    for (name, body) in [(WASM, "raw wasm"), ("index.html", "<html>kassa app</html>")] {
        std::fs::write(dir.join(name), body).unwrap();
        std::fs::write(dir.join(format!("{name}.br")), format!("br of {body}")).unwrap();
        std::fs::write(dir.join(format!("{name}.gz")), format!("gz of {body}")).unwrap();
    }
    std::fs::write(dir.join("examples/embed.js"), "loader()").unwrap();
    // A shop's catalog: forty products, a few kilobytes of JSON.
    let products: Vec<String> = (0..40)
        .map(|i| {
            format!(
                r#"{{"sku": "KASSA-{i:03}", "name": "Kassa product number {i}", "unit_price": {{"minor": {}, "currency": "EUR"}}, "vat_rate": "21.00"}}"#,
                1000 + i
            )
        })
        .collect();
    std::fs::write(
        dir.join("catalog.json"),
        format!("[{}]", products.join(",")),
    )
    .unwrap();
    dir
}

async fn proxy(dist: &Path) -> Router {
    let config = StateConfig::new(
        "sqlite::memory:",
        "http://127.0.0.1:1/v2/",
        SANDBOX_KEY,
        "http://127.0.0.1:1",
        dist.to_path_buf(),
    );
    let mut config = config;
    config.catalog = kassa_proxy::catalog::Catalog::load(Some(&dist.join("catalog.json"))).unwrap();
    let state = AppState::new(config).await.unwrap();
    staff::create(
        state.db(),
        "olga@shop.test",
        "",
        Role::Operator,
        "a long enough password",
    )
    .await
    .unwrap();
    app(state)
}

async fn fetch(
    app: &Router,
    path: &str,
    encodings: &str,
    accept: &str,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut req = Request::get(path).header(header::ACCEPT, accept);
    if !encodings.is_empty() {
        req = req.header(header::ACCEPT_ENCODING, encodings);
    }
    let resp = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

#[tokio::test]
async fn files_go_out_precompressed_and_hashed_ones_are_cached_for_good() {
    let dist = dist("files");
    let app = proxy(&dist).await;
    let path = format!("/{WASM}");
    for (accepts, served, encoding) in [
        ("br, gzip", "br of raw wasm", Some("br")),
        ("gzip, deflate", "gz of raw wasm", Some("gzip")),
        ("", "raw wasm", None),
    ] {
        let (status, headers, body) = fetch(&app, &path, accepts, "*/*").await;
        assert_eq!(status, StatusCode::OK, "{accepts}");
        assert_eq!(body, served, "{accepts}");
        assert_eq!(
            headers
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap()),
            encoding,
            "{accepts}"
        );
        assert_eq!(headers[header::CONTENT_TYPE], "application/wasm");
        // A shared cache must not hand the brotli copy to a client that cannot read it.
        assert_eq!(headers[header::VARY], "accept-encoding", "{accepts}");
        assert_eq!(
            headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
    }
    // The page and deep links: compressed too, but revalidated every time.
    for page in ["/", "/orders/ord_1"] {
        let (status, headers, body) =
            fetch(&app, page, "br", "text/html,application/xhtml+xml").await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(body, "br of <html>kassa app</html>", "{page}");
        assert_eq!(headers[header::CACHE_CONTROL], "no-cache", "{page}");
    }
    // An unhashed file keeps no stale copy either.
    let (_, headers, body) = fetch(&app, "/examples/embed.js", "br", "*/*").await;
    assert_eq!(body, "loader()");
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    // A missing hashed file is a 404 that nothing caches for a year.
    let (status, headers, _) =
        fetch(&app, "/kassa-app-fedcba9876543210_bg.wasm", "br", "*/*").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(headers.get(header::CACHE_CONTROL).is_none());
    std::fs::remove_dir_all(&dist).ok();
}

#[tokio::test]
async fn large_json_is_compressed_small_json_is_not() {
    let dist = dist("json");
    let app = proxy(&dist).await;
    // The catalog is a few kilobytes; health is two bytes.
    let (status, headers, _) = fetch(&app, "/api/public/catalog", "gzip", "application/json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "no-store",
        "still never cached"
    );
    let (_, headers, body) = fetch(&app, "/api/public/catalog", "br", "application/json").await;
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert!(!body.contains("KASSA-039"), "not plain text");
    let (_, headers, body) = fetch(&app, "/api/public/catalog", "", "application/json").await;
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert!(body.contains("KASSA-039"));
    let (_, headers, body) = fetch(&app, "/api/health", "gzip", "*/*").await;
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(body, "ok");
    std::fs::remove_dir_all(&dist).ok();
}
