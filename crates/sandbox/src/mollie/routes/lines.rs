use axum::body::Bytes;
use axum::extract::State;

use super::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;

use super::change;
use super::orders::{changed_order, parse_json};
use crate::mollie::auth::Mode;
use crate::mollie::ops;
use crate::routes::BaseUrl;
use crate::{MollieError, Sandbox};

/// `PATCH /v2/orders/{id}/lines/{lineId}`: 200 with the whole order, its amount recomputed.
pub async fn update(
    State(sandbox): State<Sandbox>,
    Extension(mode): Extension<Mode>,
    Path((id, line_id)): Path<(String, String)>,
    BaseUrl(base): BaseUrl,
    body: Bytes,
) -> Result<Response, MollieError> {
    let req: ops::LineUpdate = parse_json(&body)?;
    let ((), order) = change(&sandbox, &id, mode, false, |o, _| {
        ops::update_line(o, &line_id, &req)
    })
    .await?;
    Ok(changed_order(&order, &base))
}

/// `PATCH /v2/orders/{id}/lines`: add, update and cancel operations, all or none.
pub async fn manage(
    State(sandbox): State<Sandbox>,
    Extension(mode): Extension<Mode>,
    Path(id): Path<String>,
    BaseUrl(base): BaseUrl,
    body: Bytes,
) -> Result<Response, MollieError> {
    let req: ops::ManageLinesRequest = parse_json(&body)?;
    let ((), order) = change(&sandbox, &id, mode, false, |o, now| {
        ops::manage_lines(o, req, now)
    })
    .await?;
    Ok(changed_order(&order, &base))
}

/// `DELETE /v2/orders/{id}/lines`: 204. An empty (or absent) `lines` cancels every
/// cancelable line.
pub async fn cancel(
    State(sandbox): State<Sandbox>,
    Extension(mode): Extension<Mode>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, MollieError> {
    let req: ops::CancelLinesRequest = parse_json(&body)?;
    change(&sandbox, &id, mode, true, |o, now| {
        ops::cancel_lines(o, &req, now)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
