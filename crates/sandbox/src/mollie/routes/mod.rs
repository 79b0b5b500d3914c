//! Mollie's Orders API routes; each handler is thin: parse, call `ops`, render.

mod lines;
pub(crate) mod orders;
mod pagination;
mod payments;
mod refunds;
mod shipments;

use axum::middleware;
use axum::routing::{get, patch, post};
use axum::Router;
use time::OffsetDateTime;

use super::auth::{self, Mode};
use super::order::OrderRecord;
use crate::{MollieError, Sandbox};

/// Mollie's Orders API under `/v2/…`, behind the API-key check.
pub fn router(sandbox: &Sandbox) -> Router<Sandbox> {
    Router::new()
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
        ))
}

/// `axum::extract::Path` for the Mollie routes, but a path parameter that is not UTF-8 once
/// percent-decoded (`/v2/orders/%FF`), which names nothing, is Mollie's 404 in its error shape
/// rather than axum's plain text.
pub struct Path<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for Path<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = MollieError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, MollieError> {
        use axum::extract::path::ErrorKind;
        use axum::extract::rejection::PathRejection;
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(PathRejection::FailedToDeserializePathParams(e))
                if matches!(e.kind(), ErrorKind::InvalidUtf8InPathParam { .. }) =>
            {
                Err(MollieError::not_found(
                    "The resource does not exist: its address is not valid UTF-8.",
                ))
            }
            Err(e) => Err(MollieError::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                crate::echo::clip_message(&e.body_text()),
            )),
        }
    }
}

/// `axum::extract::Query` for the Mollie routes, but a query string it cannot read (found by
/// fuzzing: a repeated `limit`) is Mollie's 400 in its error shape rather than axum's plain text.
pub struct Query<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for Query<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = MollieError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, MollieError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Self(value))
            .map_err(|e| MollieError::bad_request(crate::echo::clip_message(&e.body_text())))
    }
}

/// Mollie's order webhook: the order id, nothing else.
pub(crate) fn webhook(id: &str) -> crate::notify::Payload {
    crate::notify::Payload::Mollie { id: id.to_owned() }
}

pub(super) fn no_order(id: &str) -> MollieError {
    MollieError::not_found(format!(
        "No order exists with token {}.",
        crate::echo::clip(id)
    ))
}

/// Reads an order (a snapshot; the lock is not held while rendering or sending webhooks).
fn read(sandbox: &Sandbox, id: &str, mode: Mode) -> Result<OrderRecord, MollieError> {
    sandbox
        .state()
        .mollie
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
        let mut state = sandbox.state();
        let stored = state.mollie.get_mut(id, mode).ok_or_else(|| no_order(id))?;
        // The change works on a copy that replaces the stored order only when it succeeded:
        // a refused request, or a panic halfway through one, leaves the order as it was.
        let mut order = stored.clone();
        let result = change(&mut order, now)?;
        *stored = order.clone();
        sandbox.persist(&state);
        (result, order)
    };
    if notify {
        if let Some(url) = &snapshot.webhook_url {
            sandbox.notify(url, webhook(id)).await;
        }
    }
    Ok((result, snapshot))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SandboxConfig;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    fn sandbox_with_order() -> (Sandbox, String) {
        let sandbox = Sandbox::new(SandboxConfig::default());
        let body: kassa_model::mollie::CreateOrder = serde_json::from_value(serde_json::json!({
            "amount": {"value": "10.00", "currency": "EUR"},
            "orderNumber": "42", "locale": "nl_NL",
            "redirectUrl": "https://example.org/r",
            "billingAddress": {"streetAndNumber": "Damrak 1", "city": "Amsterdam",
                "postalCode": "1012LG", "country": "NL", "givenName": "Piet",
                "familyName": "Mondriaan", "email": "piet@example.org"},
            "lines": [{"name": "Mug", "quantity": 1, "vatRate": "21.00",
                "unitPrice": {"currency": "EUR", "value": "10.00"},
                "totalAmount": {"currency": "EUR", "value": "10.00"},
                "vatAmount": {"currency": "EUR", "value": "1.74"}}]
        }))
        .expect("a create body");
        let valid = kassa_model::validate::create_order(&body).expect("valid");
        let now = sandbox.clock().now();
        let order = OrderRecord::new(
            &body,
            valid,
            Vec::new(),
            Mode::Test,
            now,
            crate::mollie::order::default_expiry(now),
        );
        let id = order.id.clone();
        sandbox.state().mollie.insert(order);
        (sandbox, id)
    }

    #[tokio::test]
    async fn a_change_that_panics_halfway_leaves_the_order_as_it_was() {
        let (sandbox, id) = sandbox_with_order();
        let task = {
            let (sandbox, id) = (sandbox.clone(), id.clone());
            tokio::spawn(async move {
                change(&sandbox, &id, Mode::Test, false, |order, _| {
                    order.order_number = "half-changed".into();
                    if order.order_number.len() > 1 {
                        panic!("a bug halfway through a change");
                    }
                    Ok::<(), MollieError>(())
                })
                .await
            })
        };
        assert!(task.await.is_err_and(|e| e.is_panic()));
        // The lock was poisoned by the panic; the store still answers, with the old order.
        let order = read(&sandbox, &id, Mode::Test).expect("the order");
        assert_eq!(order.order_number, "42");
        let ((), changed) = change(&sandbox, &id, Mode::Test, false, |order, _| {
            order.order_number = "43".into();
            Ok(())
        })
        .await
        .expect("later changes work");
        assert_eq!(changed.order_number, "43");
    }

    #[tokio::test]
    async fn a_panicking_handler_is_a_500_and_the_next_request_works() {
        let sandbox = Sandbox::new(SandboxConfig::default());
        let router = Router::new()
            .route(
                "/v2/boom",
                post(|| async {
                    if true {
                        panic!("a handler bug");
                    }
                    StatusCode::OK
                }),
            )
            .route("/v2/fine", get(|| async { StatusCode::OK }));
        let app = crate::infra::wrap(router, sandbox);
        let boom = app
            .clone()
            .oneshot(Request::post("/v2/boom").body(Body::empty()).expect("req"))
            .await
            .expect("an answer");
        assert_eq!(boom.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            boom.headers()[axum::http::header::CONTENT_TYPE],
            "application/hal+json"
        );
        let fine = app
            .oneshot(Request::get("/v2/fine").body(Body::empty()).expect("req"))
            .await
            .expect("an answer");
        assert_eq!(fine.status(), StatusCode::OK);
    }
}
