mod admin;
mod orders;

use axum::extract::FromRequestParts;
use axum::http::header::HOST;
use axum::http::request::Parts;
use axum::middleware;
use axum::routing::{get, post};
use axum::Router;

use crate::{auth, checkout, MollieError, Sandbox};

pub fn router(sandbox: Sandbox) -> Router {
    let api = Router::new()
        .route("/v2/orders", post(orders::create))
        .route("/v2/orders/{id}", get(orders::get))
        .layer(middleware::from_fn(auth::require_api_key));
    let app = Router::new()
        .merge(api)
        .route(
            "/checkout/{id}",
            get(checkout::page).post(checkout::complete),
        )
        .merge(admin::router())
        .fallback(not_found)
        .with_state(sandbox.clone());
    crate::infra::wrap(app, sandbox)
}

async fn not_found() -> MollieError {
    MollieError::not_found("The resource you requested could not be found.")
}

/// The sandbox's own origin and mount path as the client reached it, e.g.
/// `http://127.0.0.1:8080/sandbox`: every link it returns is built on it.
pub struct BaseUrl(pub String);

impl FromRequestParts<Sandbox> for BaseUrl {
    type Rejection = MollieError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Sandbox,
    ) -> Result<Self, Self::Rejection> {
        let host = parts
            .headers
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| parts.uri.authority().map(|a| a.as_str()))
            .ok_or_else(|| MollieError::bad_request("The Host header is missing."))?;
        let config = &state.inner.config;
        Ok(Self(format!(
            "{}://{host}{}",
            config.scheme, config.mount_path
        )))
    }
}
