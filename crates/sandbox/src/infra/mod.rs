//! Cross-cutting behaviour around the API routes (idempotency, fault injection, request log)
//! and HTTPS serving.

pub mod faults;
pub mod idempotency;
pub mod request_log;
pub mod tls;

use std::any::Any;

use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;

use crate::{MollieError, Sandbox};

/// The answer for a request whose handler panicked (a sandbox bug, never the client's input):
/// logged with the panic's message, answered without it.
fn panicked(err: Box<dyn Any + Send + 'static>) -> Response {
    let what = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = what, "a sandbox handler panicked");
    MollieError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "An unexpected error occurred in the sandbox.",
    )
    .into_response()
}

/// Wraps the sandbox's routes in its infrastructure layers. Outermost first:
///
/// 1. the request log, so it records what the client actually got;
/// 2. faults, outside idempotency: a fault injected after the handler must not replace the
///    cached answer, so a retry with the same key gets the real one, as it would from Mollie;
/// 3. idempotency, next to the handlers;
/// 4. innermost, a panicking handler becomes a 500 in the provider's error shape. Shared state
///    survives it: changes are made on a copy and stored only on success, and the locks
///    recover from poisoning. The 500 is not cached, so a retry runs afresh.
pub fn wrap(router: Router, sandbox: Sandbox) -> Router {
    router
        .layer(CatchPanicLayer::custom(panicked))
        .layer(from_fn_with_state(sandbox.clone(), idempotency::layer))
        .layer(from_fn_with_state(sandbox.clone(), faults::layer))
        .layer(from_fn_with_state(sandbox, request_log::layer))
}
