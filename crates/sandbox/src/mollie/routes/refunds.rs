use axum::body::Bytes;
use axum::extract::State;

use super::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;

use super::orders::{hal, parse_json};
use super::pagination::PageQuery;
use super::{change, read};
use crate::mollie::auth::Mode;
use crate::mollie::ops;
use crate::mollie::order::OrderRecord;
use crate::mollie::render;
use crate::routes::BaseUrl;
use crate::{MollieError, Sandbox};

/// `POST /v2/orders/{id}/refunds`: `lines` is required; empty means everything refundable.
pub async fn create(
    State(sandbox): State<Sandbox>,
    Extension(mode): Extension<Mode>,
    Path(id): Path<String>,
    BaseUrl(base): BaseUrl,
    body: Bytes,
) -> Result<Response, MollieError> {
    let req: ops::RefundRequest = parse_json(&body)?;
    let (refund_id, order) = change(&sandbox, &id, mode, true, |o, now| {
        ops::refund(o, &req, now)
    })
    .await?;
    created(&order, &refund_id, &base)
}

/// `POST /v2/payments/{id}/refunds`: an amount refunded on an order's payment (no lines).
/// It appears among the order's refunds and in its `amountRefunded`.
pub async fn create_for_payment(
    State(sandbox): State<Sandbox>,
    Extension(mode): Extension<Mode>,
    Path(payment_id): Path<String>,
    BaseUrl(base): BaseUrl,
    body: Bytes,
) -> Result<Response, MollieError> {
    let req: ops::PaymentRefundRequest = parse_json(&body)?;
    let order_id = sandbox
        .state()
        .mollie
        .order_id_of_payment(&payment_id, mode)
        .ok_or_else(|| {
            MollieError::not_found(format!("No payment exists with token {payment_id}."))
        })?;
    let (refund_id, order) = change(&sandbox, &order_id, mode, true, |o, now| {
        ops::refund_payment(o, &payment_id, &req, now)
    })
    .await?;
    created(&order, &refund_id, &base)
}

/// 201 with the refund just made.
fn created(order: &OrderRecord, refund_id: &str, base: &str) -> Result<Response, MollieError> {
    let refund = order
        .refunds
        .iter()
        .find(|r| r.id == refund_id)
        .ok_or_else(|| {
            MollieError::not_found(format!("No refund exists with token {refund_id}."))
        })?;
    Ok(hal(
        StatusCode::CREATED,
        &render::refund(order, refund, base),
    ))
}

/// `GET /v2/orders/{id}/refunds`
pub async fn list(
    State(sandbox): State<Sandbox>,
    Extension(mode): Extension<Mode>,
    Path(id): Path<String>,
    BaseUrl(base): BaseUrl,
    Query(query): Query<PageQuery>,
) -> Result<Response, MollieError> {
    let order = read(&sandbox, &id, mode)?;
    let ids = order.refunds.iter().map(|r| r.id.as_str()).collect();
    let page = query.page(ids, "refund")?;
    let items = page
        .ids
        .iter()
        .filter_map(|rid| order.refunds.iter().find(|r| r.id == *rid))
        .map(|r| serde_json::to_value(render::refund(&order, r, &base)).unwrap_or_default())
        .collect();
    Ok(hal(
        StatusCode::OK,
        &page.envelope(
            &format!("{base}/v2/orders/{id}/refunds"),
            "refunds",
            items,
            "https://docs.mollie.com/reference/v2/orders-api/list-order-refunds",
        ),
    ))
}
