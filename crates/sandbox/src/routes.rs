//! The sandbox's one router: each provider's routes at that provider's own paths, the
//! tester's controls when they are on, and the shared layers around them all.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::HOST;
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;

use crate::api::Api;
use crate::{admin, klarna, mollie, Sandbox};

pub fn router(sandbox: Sandbox) -> Router {
    let mut app = Router::new()
        .merge(mollie::router(&sandbox))
        .merge(klarna::router(&sandbox));
    if sandbox.inner.config.test_controls {
        app = app.merge(admin::router()).merge(klarna::controls::router());
    }
    let app = app
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            sandbox.clone(),
            expire_first,
        ))
        .with_state(sandbox.clone());
    crate::infra::wrap(app, sandbox)
}

async fn not_found(uri: Uri) -> Response {
    Api::of_or_mollie(uri.path()).error(
        StatusCode::NOT_FOUND,
        "The resource you requested could not be found.",
    )
}

async fn method_not_allowed(uri: Uri) -> Response {
    Api::of_or_mollie(uri.path()).error(
        StatusCode::METHOD_NOT_ALLOWED,
        "The requested method is not allowed for this resource.",
    )
}

/// Orders whose time ran out are expired before any request sees them, so moving the clock
/// is all a tester needs to do.
async fn expire_first(State(sandbox): State<Sandbox>, req: Request, next: Next) -> Response {
    sandbox.expire_due().await;
    next.run(req).await
}

/// The sandbox's own origin and mount path as the client reached it, e.g.
/// `http://127.0.0.1:8080/sandbox`: every link it returns is built on it. A request without a
/// `Host` (HTTP/1.0) gets links on `localhost`.
pub struct BaseUrl(pub String);

impl FromRequestParts<Sandbox> for BaseUrl {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Sandbox,
    ) -> Result<Self, Self::Rejection> {
        let host = parts
            .headers
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| parts.uri.authority().map(|a| a.as_str()))
            .unwrap_or("localhost");
        let config = &state.inner.config;
        Ok(Self(format!(
            "{}://{host}{}",
            config.scheme, config.mount_path
        )))
    }
}
