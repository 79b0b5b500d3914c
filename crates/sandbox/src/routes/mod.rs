mod admin;
mod lines;
mod orders;
mod pagination;
mod payments;
mod refunds;
mod shipments;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::HOST;
use axum::http::request::Parts;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, patch, post};
use axum::Router;
use time::OffsetDateTime;

use crate::auth::Mode;
use crate::order::OrderRecord;
use crate::{auth, checkout, MollieError, Sandbox};

pub fn router(sandbox: Sandbox) -> Router {
    let api = Router::new()
        .route("/v2/orders", post(orders::create).get(orders::list))
        .route(
            "/v2/orders/{id}",
            get(orders::get)
                .patch(orders::update)
                .delete(orders::cancel),
        )
        .route(
            "/v2/orders/{id}/lines",
            patch(lines::manage).delete(lines::cancel),
        )
        .route("/v2/orders/{id}/lines/{line_id}", patch(lines::update))
        .route("/v2/orders/{id}/payments", post(payments::create))
        .route(
            "/v2/orders/{id}/shipments",
            post(shipments::create).get(shipments::list),
        )
        .route(
            "/v2/orders/{id}/shipments/{shipment_id}",
            get(shipments::get).patch(shipments::update),
        )
        .route(
            "/v2/orders/{id}/refunds",
            post(refunds::create).get(refunds::list),
        )
        .route(
            "/v2/payments/{id}/refunds",
            post(refunds::create_for_payment),
        )
        .layer(middleware::from_fn_with_state(
            sandbox.clone(),
            auth::require_api_key,
        ));
    let app = Router::new()
        .merge(api)
        .route(
            "/checkout/{id}",
            get(checkout::page).post(checkout::complete),
        )
        .merge(admin::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            sandbox.clone(),
            expire_first,
        ))
        .with_state(sandbox.clone());
    crate::infra::wrap(app, sandbox)
}

async fn not_found() -> MollieError {
    MollieError::not_found("The resource you requested could not be found.")
}

async fn method_not_allowed() -> MollieError {
    MollieError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
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

pub(super) fn no_order(id: &str) -> MollieError {
    MollieError::not_found(format!("No order exists with token {id}."))
}

/// Reads an order (a snapshot; the lock is not held while rendering or sending webhooks).
fn read(sandbox: &Sandbox, id: &str, mode: Mode) -> Result<OrderRecord, MollieError> {
    sandbox
        .store()
        .get(id, mode)
        .cloned()
        .ok_or_else(|| no_order(id))
}

/// Applies `change` to an order under the store lock and returns the result with a snapshot
/// of the order. When `notify`, the order webhook is sent afterwards (Mollie calls it for
/// shipments, cancellations, refunds and status changes).
async fn change<T>(
    sandbox: &Sandbox,
    id: &str,
    mode: Mode,
    notify: bool,
    change: impl FnOnce(&mut OrderRecord, OffsetDateTime) -> Result<T, MollieError>,
) -> Result<(T, OrderRecord), MollieError> {
    let now = sandbox.clock().now();
    let (result, snapshot) = {
        let mut store = sandbox.store();
        let order = store.get_mut(id, mode).ok_or_else(|| no_order(id))?;
        let result = change(order, now)?;
        let snapshot = order.clone();
        sandbox.persist(&store);
        (result, snapshot)
    };
    if notify {
        if let Some(url) = &snapshot.webhook_url {
            sandbox.send_webhook(url, id).await;
        }
    }
    Ok((result, snapshot))
}
