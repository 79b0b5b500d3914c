//! `/ordermanagement/v1/orders/{order_id}/refunds…`

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderName, StatusCode};
use axum::response::Response;
use axum::Extension;
use kassa_model::klarna::om::RefundObject;

use super::{change, created, json, parse, read};
use crate::klarna::auth::Merchant;
use crate::klarna::ops::refund;
use crate::klarna::KlarnaError;
use crate::routes::BaseUrl;
use crate::Sandbox;

pub const REFUND_ID: HeaderName = HeaderName::from_static("refund-id");

/// `POST /orders/{order_id}/refunds`: 201, `Refund-Id` and `Location`, no body.
pub async fn create(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path(id): Path<String>,
    BaseUrl(base): BaseUrl,
    body: Bytes,
) -> Result<Response, KlarnaError> {
    let req: RefundObject = parse(&body)?;
    let refund_id = change(
        &sandbox,
        &merchant,
        &id,
        "Refund not possible.",
        |o, now| refund::refund(o, &req, now),
    )
    .map_err(|e| {
        // Klarna's refund endpoints call an unknown order `NOT_FOUND`.
        if e.code == "NO_SUCH_ORDER" {
            KlarnaError::not_found("NOT_FOUND", e.message)
        } else {
            e
        }
    })?;
    let location = format!("{base}/ordermanagement/v1/orders/{id}/refunds/{refund_id}");
    Ok(created(REFUND_ID, &refund_id, &location))
}

/// `GET /orders/{order_id}/refunds/{refund_id}`
pub async fn get(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path((id, refund_id)): Path<(String, String)>,
) -> Result<Response, KlarnaError> {
    let not_found = || {
        KlarnaError::not_found(
            "NOT_FOUND",
            format!(
                "Refund {} cannot be found for order {}",
                crate::echo::clip(&refund_id),
                crate::echo::clip(&id)
            ),
        )
    };
    let order = read(&sandbox, &merchant, &id).map_err(|_| not_found())?;
    let found = order
        .refunds
        .iter()
        .find(|r| r.id == refund_id)
        .ok_or_else(not_found)?;
    Ok(json(StatusCode::OK, &found.render()))
}
