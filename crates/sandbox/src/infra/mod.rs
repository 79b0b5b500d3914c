//! Cross-cutting behaviour around the API routes (idempotency, fault injection, request log).

use axum::Router;

use crate::Sandbox;

/// Wraps the sandbox's routes in its infrastructure layers.
pub fn wrap(router: Router, _sandbox: Sandbox) -> Router {
    router
}
