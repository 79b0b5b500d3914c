//! Serves the built app. A file that exists is served; a missing one is 404, except for page
//! loads (navigations), which get `index.html` so deep links (`/orders/ord_...`,
//! `/return/...`) load the app and its router takes over.
//!
//! A request is a navigation when all of these hold:
//! - it is a GET or HEAD;
//! - its `Accept` lists `text/html` (browsers send that for page loads and frames, and never
//!   for scripts, WebAssembly, styles, images or `fetch`);
//! - its last path segment does not end in the extension of a static file
//!   ([`STATIC_EXTENSIONS`]). Only known extensions count: Mollie's order ids carry a dot
//!   (`ord_1.o2io4c`) and must still load the app.
//!
//! So a missing `/kassa-app-1234.wasm` or `/favicon.ico` is a plain 404, which a browser or
//! a cache takes for what it is, instead of a 200 with the app's HTML.
//!
//! Files go out precompressed when the build wrote `.br`/`.gz` beside them (`cargo xtask`
//! does) and the browser accepts that encoding. Files whose names carry a content hash
//! (Trunk's `kassa-app-0123456789abcdef_bg.wasm`, the split build's loader and per-page chunks
//! `kassa-app-split-….js`, `kassa-split_login-….wasm`) never change under that name: they are
//! cached for a year, `immutable`. Everything else (`index.html`, the embedding example's loader) is
//! `no-cache`: revalidated each time, so a new build is picked up at once.

use std::convert::Infallible;
use std::path::Path;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get_service;
use axum::Router;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// Extensions of files a browser asks for by itself or the app's build produces.
pub const STATIC_EXTENSIONS: &[&str] = &[
    "avif",
    "css",
    "gif",
    "htm",
    "html",
    "ico",
    "jpeg",
    "jpg",
    "js",
    "json",
    "map",
    "mjs",
    "png",
    "svg",
    "ttf",
    "txt",
    "wasm",
    "webmanifest",
    "webp",
    "woff",
    "woff2",
    "xml",
];

pub fn service(dist: &Path) -> Router {
    let index = dist.join("index.html");
    if !index.exists() {
        tracing::warn!(dist = %dist.display(), "the app is not built; serving a notice instead");
        return Router::new().fallback(|| async {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Html("<h1>Kassa</h1><p>The app has not been built. Run <code>cargo xtask run</code>.</p>"),
            )
        });
    }
    let app_page = ServeFile::new(index)
        .precompressed_br()
        .precompressed_gzip();
    let missing = tower::service_fn(move |req: Request| {
        let app_page = app_page.clone();
        async move {
            if is_navigation(req.method(), req.uri().path(), req.headers()) {
                let Ok(page) = app_page.oneshot(req).await;
                Ok::<_, Infallible>(page.map(Body::new))
            } else {
                Ok(not_found())
            }
        }
    });
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(missing);
    Router::new()
        .fallback_service(get_service(files))
        .layer(axum::middleware::from_fn(cache_control))
}

/// Sets `Cache-Control` by the file's name (see the module docs), and `Vary: Accept-Encoding`,
/// which `ServeDir` leaves out although its answer depends on that header: without it a shared
/// cache could hand the brotli copy to a client that cannot read brotli.
async fn cache_control(req: Request, next: axum::middleware::Next) -> Response {
    let hashed = has_content_hash(req.uri().path());
    let mut resp = next.run(req).await;
    let status = resp.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        let value = if hashed {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        let headers = resp.headers_mut();
        headers.insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static(value),
        );
        if !headers.contains_key(header::VARY) {
            headers.insert(
                header::VARY,
                header::HeaderValue::from_static("accept-encoding"),
            );
        }
    }
    resp
}

/// Whether the last path segment carries a content hash: `-` and 12 to 16 hexadecimal digits
/// before the extension (or before wasm-bindgen's `_bg`). Trunk writes its 64-bit hash without
/// leading zeros (`{:x}`), so one build in sixteen names a file with 15 digits, and that file
/// must still be cached; fewer than 12 is one name in 65536, and then the file is merely
/// revalidated.
fn has_content_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(base, hash)| {
        !base.is_empty()
            && (12..=16).contains(&hash.len())
            && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Not found",
    )
        .into_response()
}

/// Whether a request for a file that does not exist is a page load (see the module's rule).
fn is_navigation(method: &Method, path: &str, headers: &HeaderMap) -> bool {
    let reads = method == Method::GET || method == Method::HEAD;
    let accepts_html = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|media| {
            media
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .eq_ignore_ascii_case("text/html")
        });
    let last = path.rsplit('/').next().unwrap_or_default();
    let is_file = last.rsplit_once('.').is_some_and(|(_, ext)| {
        STATIC_EXTENSIONS
            .iter()
            .any(|known| known.eq_ignore_ascii_case(ext))
    });
    reads && accepts_html && !is_file
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunks_hashed_names_are_told_apart() {
        for hashed in [
            "/kassa-app-0123456789abcdef.js",
            "/kassa-app-0123456789abcdef_bg.wasm",
            "/main-fedcba9876543210.css",
            "/kassa-app-0123456789abcdef_bg.wasm.br",
            // The split build's loader and chunks (xtask/src/split.rs).
            "/kassa-app-split-0123456789abcdef.js",
            "/kassa-split_login-0123456789abcdef.wasm",
            "/kassa-chunk_3-0123456789abcdef.wasm.gz",
            // Trunk's hash with its leading zero left out.
            "/kassa-app-600f089b4c871a6_bg.wasm",
        ] {
            assert!(has_content_hash(hashed), "{hashed}");
        }
        for plain in [
            "/",
            "/index.html",
            "/examples/embed.js",
            "/orders/ord_1.o2io4c",
            "/kassa-app-0123456789a.js",
            "/kassa-app-0123456789abcdef0.js",
            "/embed-cafe.js",
            "/-0123456789abcdef.js",
        ] {
            assert!(!has_content_hash(plain), "{plain}");
        }
    }

    fn accepting(accept: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, accept.parse().unwrap());
        h
    }

    const BROWSER_PAGE: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    #[test]
    fn only_page_loads_fall_back_to_the_app() {
        let page = accepting(BROWSER_PAGE);
        for path in [
            "/",
            "/orders/ord_pbjz8x",
            "/orders/ord_1.o2io4c",
            "/return/abc",
        ] {
            assert!(is_navigation(&Method::GET, path, &page), "{path}");
        }
        assert!(is_navigation(&Method::HEAD, "/orders", &page));
        assert!(!is_navigation(&Method::POST, "/orders", &page));
        for path in [
            "/kassa-app-1234.wasm",
            "/favicon.ico",
            "/style.CSS",
            "/a/b.js",
        ] {
            assert!(!is_navigation(&Method::GET, path, &page), "{path}");
        }
        // What browsers send for scripts, images and fetch: no text/html.
        for accept in ["*/*", "image/avif,image/webp,*/*;q=0.8", "application/json"] {
            assert!(
                !is_navigation(&Method::GET, "/orders", &accepting(accept)),
                "{accept}"
            );
        }
        assert!(!is_navigation(&Method::GET, "/orders", &HeaderMap::new()));
    }
}
