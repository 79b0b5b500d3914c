mod app_files;
pub mod cors;
mod guard;
pub mod headers;
mod orders;
mod session;
mod webhooks;

use axum::extract::FromRequest;
use axum::http::{header, HeaderValue};
use axum::middleware;
use axum::routing::{any, get, post};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::AppError;
use crate::AppState;

/// Every route of the proxy except the embedded sandbox (mounted by [`crate::start`]).
pub fn router(state: AppState) -> Router {
    let dist = state.dist.clone();
    let csp =
        HeaderValue::from_str(&state.csp).unwrap_or(HeaderValue::from_static("default-src 'self'"));
    let [nosniff, referrer] = headers::common();
    Router::new()
        .route("/api/health", get(|| async { "ok" }))
        .route(
            "/api/session",
            post(session::login)
                .get(session::current)
                .delete(session::logout),
        )
        .route("/api/orders", post(orders::create).get(orders::list))
        .route("/api/public/catalog", get(orders::catalog))
        .route("/api/public/checkout", post(orders::public_checkout))
        .route("/api/orders/{id}", get(orders::get))
        .route("/api/orders/{id}/actions", post(orders::act))
        .route("/api/orders/{id}/refresh", post(orders::refresh))
        .route("/api/returns/{ref}", get(orders::for_return))
        .route("/api/{*rest}", any(orders::unknown))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            guard::require_staff,
        ))
        .route("/webhooks/mollie", post(webhooks::mollie))
        .with_state(state)
        .fallback_service(
            Router::new()
                .fallback_service(app_files::service(&dist))
                .layer(SetResponseHeaderLayer::overriding(
                    header::CONTENT_SECURITY_POLICY,
                    csp,
                )),
        )
        .layer(nosniff)
        .layer(referrer)
}

/// `axum::Json`, but a malformed body answers in Kassa's error shape.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for ApiJson<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// The client's address: from the listener, or the mock tests install.
pub(crate) fn client_ip(extensions: &axum::http::Extensions) -> Option<std::net::IpAddr> {
    use axum::extract::connect_info::{ConnectInfo, MockConnectInfo};
    use std::net::SocketAddr;
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .or_else(|| {
            extensions
                .get::<MockConnectInfo<SocketAddr>>()
                .map(|m| m.0.ip())
        })
}
