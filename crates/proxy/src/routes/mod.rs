mod app_files;
mod orders;
mod webhooks;

use axum::extract::FromRequest;
use axum::routing::{any, get, post};
use axum::Router;

use crate::error::AppError;
use crate::AppState;

/// Every route of the proxy except the embedded sandbox (mounted by [`crate::start`]).
pub fn router(state: AppState) -> Router {
    let dist = state.dist.clone();
    Router::new()
        .route("/api/health", get(|| async { "ok" }))
        .route("/api/orders", post(orders::create))
        .route("/api/orders/{id}", get(orders::get))
        .route("/api/returns/{ref}", get(orders::for_return))
        .route("/api/{*rest}", any(orders::unknown))
        .route("/webhooks/mollie", post(webhooks::mollie))
        .with_state(state)
        .fallback_service(app_files::service(&dist))
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
