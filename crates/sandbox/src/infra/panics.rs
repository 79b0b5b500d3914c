//! A handler that panics (a sandbox bug, never the client's input) answers 500 in its API's
//! error shape, and the next request is served as if nothing happened: changes are made on a
//! copy and stored only on success, and every lock recovers from poisoning. The 500 is not
//! kept by the idempotency layer, so a retry runs afresh.

use std::panic::AssertUnwindSafe;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use futures_util::FutureExt;

use crate::api::Api;

pub async fn layer(req: Request, next: Next) -> Response {
    let api = Api::of_or_mollie(req.uri().path());
    match AssertUnwindSafe(next.run(req)).catch_unwind().await {
        Ok(resp) => resp,
        Err(panic) => {
            let what = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            tracing::error!(panic = what, "a sandbox handler panicked");
            api.error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "An unexpected error occurred in the sandbox.",
            )
        }
    }
}
