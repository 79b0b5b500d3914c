mod app_files;
pub mod cors;
mod guard;
pub mod headers;
pub mod openapi;
mod orders;
pub mod panics;
mod pay;
mod session;
mod views;
mod webhooks;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware;
use axum::routing::{any, get, post};
use axum::Router;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::AppError;
use crate::AppState;

/// API answers at least this large (bytes) are compressed.
pub const API_COMPRESSION_THRESHOLD: u16 = 1024;

/// Every route of the proxy except the embedded sandbox (mounted by [`crate::start`]).
pub fn router(state: AppState) -> Router {
    let dist = state.dist.clone();
    let csp =
        HeaderValue::from_str(&state.csp).unwrap_or(HeaderValue::from_static("default-src 'self'"));
    let [nosniff, referrer] = headers::common();
    Router::new()
        // Every route here is documented in `openapi::ApiDoc` (tests/openapi.rs checks this
        // list against the document).
        .route("/api/health", get(health))
        .route("/api/openapi.json", get(openapi::serve))
        .route(
            "/api/session",
            post(session::login)
                .get(session::current)
                .delete(session::logout),
        )
        .route("/api/orders", post(orders::create).get(orders::list))
        .route("/api/public/catalog", get(orders::catalog))
        .route("/api/public/checkout", post(pay::public_checkout))
        .route("/api/public/pay/{reference}", get(pay::show))
        .route("/api/public/pay/{reference}/order", post(pay::place))
        .route("/api/pay-links", post(pay::create_link))
        .route("/api/views", get(views::list).post(views::save))
        .route("/api/views/{id}", axum::routing::delete(views::delete))
        .route("/api/orders/import", post(orders::import))
        .route("/api/orders/expiring", get(orders::expiring))
        .route("/api/orders/export", get(orders::export))
        .route("/api/orders/{id}", get(orders::get))
        .route(
            "/api/orders/{id}/shipments/{shipment_id}/due-date-options",
            get(orders::due_date_options),
        )
        .route("/api/orders/{id}/actions", post(orders::act))
        .route("/api/orders/{id}/refresh", post(orders::refresh))
        .route("/api/orders/{id}/notes", post(orders::add_note))
        .route("/api/returns/{ref}", get(orders::for_return))
        .route("/api/{*rest}", any(orders::unknown))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            guard::require_staff,
        ))
        .route("/webhooks/mollie", post(webhooks::mollie))
        .route("/webhooks/klarna", post(webhooks::klarna))
        // A known path with a method it does not take: 405 in the error shape (axum's own has
        // an empty body). After every route: it applies to the routes added before it.
        .method_not_allowed_fallback(method_not_allowed)
        // JSON above a kilobyte (order pages, lists) goes out compressed when the client takes
        // it; smaller answers are not worth the CPU. The app's files come precompressed.
        .route_layer(
            CompressionLayer::new().compress_when(
                SizeAbove::new(API_COMPRESSION_THRESHOLD).and(DefaultPredicate::new()),
            ),
        )
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

/// `GET /api/health`: the proxy is up (it does not ask the provider or the database).
#[utoipa::path(
    get,
    path = "/api/health",
    operation_id = "health",
    tag = "meta",
    responses((status = 200, description = "The proxy is up", body = String, content_type = "text/plain", example = "ok")),
)]
async fn health() -> &'static str {
    "ok"
}

async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

/// The body limit's refusal (`RequestBodyLimitLayer` in [`crate::app`] answers a
/// `Content-Length` over it with plain-text 413 before any handler runs) as 413 `too_large`
/// in the error shape; every other answer passes unchanged.
pub async fn too_large_in_shape(response: axum::response::Response) -> axum::response::Response {
    let plain = response.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE
        && !is_json(response.headers());
    if plain {
        axum::response::IntoResponse::into_response(AppError::TooLarge)
    } else {
        response
    }
}

/// `axum::extract::Path`, but a path parameter that is not UTF-8 once percent-decoded
/// (`/api/orders/%FF`), which names no order, view, link or return, answers 404 `not_found` in
/// the error shape like any unknown id, not axum's plain-text 400.
pub struct ApiPath<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for ApiPath<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, AppError> {
        use axum::extract::path::ErrorKind;
        use axum::extract::rejection::PathRejection;
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(PathRejection::FailedToDeserializePathParams(e))
                if matches!(e.kind(), ErrorKind::InvalidUtf8InPathParam { .. }) =>
            {
                Err(AppError::NotFound(
                    "Nothing has this name: the address is not valid UTF-8.".into(),
                ))
            }
            // A route whose parameters do not fit its handler: Kassa's bug, not the caller's.
            Err(e) => Err(AppError::Internal(format!(
                "path parameters: {}",
                e.body_text()
            ))),
        }
    }
}

/// `axum::Json`, but a body that is not the JSON this endpoint takes answers in Kassa's error
/// shape, with the path where it went wrong in `field` (`lines.0.unitPrice`, the way
/// validation errors name fields).
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        if !is_json(req.headers()) {
            return Err(AppError::BadRequest(
                "Send the body as JSON (Content-Type: application/json).".into(),
            ));
        }
        // A body without a `Content-Length` is cut at the limit as it is read: 413 too.
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge
            } else {
                AppError::BadRequest(e.body_text())
            }
        })?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
            let field = dotted(e.path());
            let inner = e.into_inner();
            let message = if inner.is_syntax() || inner.is_eof() {
                format!("The body is not valid JSON: {inner}.")
            } else {
                format!("The body does not fit this request: {inner}.")
            };
            AppError::BadBody { message, field }
        })?;
        de.end().map_err(|e| AppError::BadBody {
            message: format!("The body is not valid JSON: {e}."),
            field: None,
        })?;
        Ok(Self(value))
    }
}

impl<T: serde::Serialize> axum::response::IntoResponse for ApiJson<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// `application/json`, or a `+json` type, as `axum::Json` accepts.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(content_type) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// A serde path (`lines[0].unit_price`) the way Kassa names fields (`lines.0.unitPrice`);
/// `None` for the body as a whole.
fn dotted(path: &serde_path_to_error::Path) -> Option<String> {
    use serde_path_to_error::Segment;
    let parts: Vec<String> = path
        .iter()
        .map(|segment| match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => camel_case(key),
            Segment::Enum { variant } => camel_case(variant),
            Segment::Unknown => "?".to_owned(),
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("."))
}

/// `unit_price` → `unitPrice`; names already in camel case stay as they are.
fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_are_written_the_way_validation_names_fields() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Line {
            unit_price: i64,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Order {
            lines: Vec<Line>,
        }
        let de = &mut serde_json::Deserializer::from_str(
            r#"{"lines": [{"unit_price": 1}, {"unit_price": "ten"}]}"#,
        );
        let e = serde_path_to_error::deserialize::<_, Order>(de).unwrap_err();
        assert_eq!(dotted(e.path()).as_deref(), Some("lines.1.unitPrice"));
        assert_eq!(camel_case("billingAddress"), "billingAddress");
        assert_eq!(camel_case("billing_address"), "billingAddress");
    }
}
