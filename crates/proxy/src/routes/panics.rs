//! A handler that panics answers 500 in Kassa's error shape, and the server carries on: the
//! panic ends that request only (tokio's locks are released as it unwinds; the proxy's std
//! locks are taken with `unwrap_or_else(|p| p.into_inner())`, and none is held across a
//! step that can leave its data half-changed).

use std::any::Any;

use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;

use crate::error::AppError;

type Handler = fn(Box<dyn Any + Send + 'static>) -> Response;

/// The layer that turns a panic into that answer.
pub fn layer() -> CatchPanicLayer<Handler> {
    CatchPanicLayer::custom(answer as Handler)
}

fn answer(panic: Box<dyn Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic");
    // Logged by `AppError::Internal`; the client sees only "Something went wrong".
    AppError::Internal(format!("handler panicked: {what}")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use axum::Router;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_panicking_handler_answers_500_json_and_the_next_request_works() {
        let counter = std::sync::Arc::new(std::sync::Mutex::new(0));
        let seen = counter.clone();
        let app = Router::new()
            .route(
                "/boom",
                get(move || async move {
                    // Panics while holding a std lock, the worst case for what comes after.
                    let held = seen.lock().unwrap_or_else(|p| p.into_inner());
                    if *held >= 0 {
                        panic!("boom");
                    }
                    "never"
                }),
            )
            .route(
                "/count",
                get(move || async move {
                    let mut n = counter.lock().unwrap_or_else(|p| p.into_inner());
                    *n += 1;
                    n.to_string()
                }),
            )
            .layer(layer());
        let get = |uri: &str| Request::get(uri).body(Body::empty()).unwrap();
        let resp = app.clone().oneshot(get("/boom")).await.unwrap();
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body: serde_json::Value =
            serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
        assert_eq!(body["code"], "internal");
        assert_eq!(body["message"], "Something went wrong on our side.");
        let resp = app.clone().oneshot(get("/count")).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&body[..], b"1", "the poisoned lock is still usable");
    }
}
