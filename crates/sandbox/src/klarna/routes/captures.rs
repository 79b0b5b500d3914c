//! `/ordermanagement/v1/orders/{order_id}/captures…`

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderName, StatusCode};
use axum::response::Response;
use axum::Extension;
use kassa_model::klarna::om::{CaptureObject, ExtendDueDateRequest, UpdateShippingInfo};

use super::{change, created, json, no_content, parse, read};
use crate::klarna::auth::Merchant;
use crate::klarna::ops::capture;
use crate::klarna::KlarnaError;
use crate::routes::BaseUrl;
use crate::Sandbox;

type Answer = Result<Response, KlarnaError>;

pub const CAPTURE_ID: HeaderName = HeaderName::from_static("capture-id");

/// `POST /orders/{order_id}/captures`: 201, `Capture-Id` and `Location`, no body.
pub async fn create(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path(id): Path<String>,
    BaseUrl(base): BaseUrl,
    body: Bytes,
) -> Answer {
    let req: CaptureObject = parse(&body)?;
    let capture_id = change(
        &sandbox,
        &merchant,
        &id,
        "Capture not possible.",
        |o, now| capture::capture(o, &req, now),
    )?;
    let location = format!("{base}/ordermanagement/v1/orders/{id}/captures/{capture_id}");
    Ok(created(CAPTURE_ID, &capture_id, &location))
}

/// `GET /orders/{order_id}/captures`: a bare array.
pub async fn list(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path(id): Path<String>,
) -> Answer {
    let order = read(&sandbox, &merchant, &id)?;
    let captures: Vec<_> = order.captures.iter().map(|c| c.render()).collect();
    Ok(json(StatusCode::OK, &captures))
}

/// `GET /orders/{order_id}/captures/{capture_id}`
pub async fn get(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path((id, capture_id)): Path<(String, String)>,
) -> Answer {
    let order = read(&sandbox, &merchant, &id)?;
    let found = order
        .capture(&capture_id)
        .ok_or_else(|| capture::no_such_capture(&capture_id, "Order or capture not found."))?;
    Ok(json(StatusCode::OK, &found.render()))
}

/// `POST …/captures/{capture_id}/shipping-info`
pub async fn shipping_info(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path((id, capture_id)): Path<(String, String)>,
    body: Bytes,
) -> Answer {
    let req: UpdateShippingInfo = parse(&body)?;
    change(
        &sandbox,
        &merchant,
        &id,
        "Shipping info cannot be added.",
        |o, _| capture::append_shipping_info(o, &capture_id, &req),
    )?;
    Ok(no_content())
}

/// `POST …/captures/{capture_id}/trigger-send-out`
pub async fn trigger_send_out(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path((id, capture_id)): Path<(String, String)>,
) -> Answer {
    change(
        &sandbox,
        &merchant,
        &id,
        "Send out not possible.",
        |o, _| capture::trigger_send_out(o, &capture_id),
    )?;
    Ok(no_content())
}

/// `GET …/captures/{capture_id}/extend-due-date-options`
pub async fn due_date_options(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path((id, capture_id)): Path<(String, String)>,
) -> Answer {
    let order = read(&sandbox, &merchant, &id)?;
    Ok(json(
        StatusCode::OK,
        &capture::due_date_options(&order, &capture_id)?,
    ))
}

/// `PATCH …/captures/{capture_id}/extend-due-date`
pub async fn extend_due_date(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path((id, capture_id)): Path<(String, String)>,
    body: Bytes,
) -> Answer {
    let req: ExtendDueDateRequest = parse(&body)?;
    change(
        &sandbox,
        &merchant,
        &id,
        "Due date cannot be extended.",
        |o, _| capture::extend_due_date(o, &capture_id, &req),
    )?;
    Ok(no_content())
}
