use axum::body::Bytes;
use axum::extract::State;

use super::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;

use super::change;
use super::orders::{hal, parse_json, parse_methods};
use crate::mollie::auth::Mode;
use crate::mollie::ops;
use crate::mollie::render;
use crate::routes::BaseUrl;
use crate::{MollieError, Sandbox};

/// `POST /v2/orders/{id}/payments`: 201 with the new payment (its `_links.checkout` is the
/// order's checkout page again).
pub async fn create(
    State(sandbox): State<Sandbox>,
    Extension(mode): Extension<Mode>,
    Path(id): Path<String>,
    BaseUrl(base): BaseUrl,
    body: Bytes,
) -> Result<Response, MollieError> {
    let req: ops::NewPaymentRequest = parse_json(&body)?;
    let methods = parse_methods(req.method.as_ref())?;
    let (index, order) = change(&sandbox, &id, mode, false, |o, now| {
        ops::new_payment(o, methods, now)
    })
    .await?;
    let payment = &order.payments[index];
    Ok(hal(
        StatusCode::CREATED,
        &render::payment(&order, payment, &base),
    ))
}
