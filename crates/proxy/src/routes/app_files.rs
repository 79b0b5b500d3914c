//! Serves the built app. Unknown paths get `index.html`, so deep links (`/orders/ord_...`,
//! `/return/...`) load the app, whose router takes over.

use std::path::Path;

use axum::http::StatusCode;
use axum::response::Html;
use axum::routing::get_service;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

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
    Router::new().fallback_service(get_service(
        ServeDir::new(dist).fallback(ServeFile::new(index)),
    ))
}
