use axum::body::Bytes;
use axum::extract::State;

use super::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use kassa_model::mollie::Link;
use serde::Deserialize;
use serde_json::json;

use super::orders::{hal, parse_json};
use super::{change, read};
use crate::mollie::auth::Mode;
use crate::mollie::ops;
use crate::mollie::order::{OrderRecord, ShipmentRecord};
use crate::mollie::render;
use crate::routes::BaseUrl;
use crate::{MollieError, Sandbox};

fn no_shipment(id: &str) -> MollieError {
    MollieError::not_found(format!(
        "No shipment exists with token {}.",
        crate::echo::clip(id)
    ))
}

fn find<'a>(order: &'a OrderRecord, shipment_id: &str) -> Result<&'a ShipmentRecord, MollieError> {
    order
        .shipments
        .iter()
        .find(|s| s.id == shipment_id)
        .ok_or_else(|| no_shipment(shipment_id))
}

/// `POST /v2/orders/{id}/shipments`
pub async fn create(
    State(sandbox): State<Sandbox>,
    Extension(mode): Extension<Mode>,
    Path(id): Path<String>,
    BaseUrl(base): BaseUrl,
    body: Bytes,
) -> Result<Response, MollieError> {
    let req: ops::ShipmentRequest = parse_json(&body)?;
    let (shipment_id, order) =
        change(&sandbox, &id, mode, true, |o, now| ops::ship(o, &req, now)).await?;
    let shipment = find(&order, &shipment_id)?;
    Ok(hal(
        StatusCode::CREATED,
        &render::shipment(&order, shipment, &base),
    ))
}

/// `GET /v2/orders/{id}/shipments/{shipmentId}`
pub async fn get(
    State(sandbox): State<Sandbox>,
    Extension(mode): Extension<Mode>,
    Path((id, shipment_id)): Path<(String, String)>,
    BaseUrl(base): BaseUrl,
) -> Result<Response, MollieError> {
    let order = read(&sandbox, &id, mode)?;
    let shipment = find(&order, &shipment_id)?;
    Ok(hal(
        StatusCode::OK,
        &render::shipment(&order, shipment, &base),
    ))
}

/// `GET /v2/orders/{id}/shipments`: every shipment, no pagination.
pub async fn list(
    State(sandbox): State<Sandbox>,
    Extension(mode): Extension<Mode>,
    Path(id): Path<String>,
    BaseUrl(base): BaseUrl,
) -> Result<Response, MollieError> {
    let order = read(&sandbox, &id, mode)?;
    let items: Vec<_> = order
        .shipments
        .iter()
        .map(|s| render::shipment(&order, s, &base))
        .collect();
    Ok(hal(
        StatusCode::OK,
        &json!({
            "count": items.len(),
            "_embedded": {"shipments": items},
            "_links": {
                "self": Link::hal(format!("{base}/v2/orders/{id}/shipments")),
                "documentation": Link::html("https://docs.mollie.com/reference/v2/shipments-api/list-shipments"),
            }
        }),
    ))
}

#[derive(Deserialize)]
pub struct UpdateShipment {
    #[serde(default)]
    tracking: Option<ops::TrackingInput>,
}

/// `PATCH /v2/orders/{id}/shipments/{shipmentId}`: only `tracking` can change.
pub async fn update(
    State(sandbox): State<Sandbox>,
    Extension(mode): Extension<Mode>,
    Path((id, shipment_id)): Path<(String, String)>,
    BaseUrl(base): BaseUrl,
    body: Bytes,
) -> Result<Response, MollieError> {
    let req: UpdateShipment = parse_json(&body)?;
    let tracking = req
        .tracking
        .ok_or_else(|| MollieError::unprocessable("tracking", "The 'tracking' field is missing."))?
        .validate()?;
    let ((), order) = change(&sandbox, &id, mode, false, |o, _| {
        let shipment = o
            .shipments
            .iter_mut()
            .find(|s| s.id == shipment_id)
            .ok_or_else(|| no_shipment(&shipment_id))?;
        shipment.tracking = Some(tracking);
        Ok(())
    })
    .await?;
    let shipment = find(&order, &shipment_id)?;
    Ok(hal(
        StatusCode::OK,
        &render::shipment(&order, shipment, &base),
    ))
}
