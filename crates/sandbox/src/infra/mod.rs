//! Cross-cutting behaviour around the API routes (idempotency, fault injection, request log)
//! and HTTPS serving.

pub mod faults;
pub mod idempotency;
mod panics;
pub mod request_log;
pub mod tls;

use axum::middleware::{from_fn, from_fn_with_state};
use axum::Router;

use crate::Sandbox;

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
        .layer(from_fn(panics::layer))
        .layer(from_fn_with_state(sandbox.clone(), idempotency::layer))
        .layer(from_fn_with_state(sandbox.clone(), faults::layer))
        .layer(from_fn_with_state(sandbox, request_log::layer))
}
