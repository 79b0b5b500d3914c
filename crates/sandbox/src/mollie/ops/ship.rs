//! Shipments: `POST /v2/orders/{id}/shipments` ships (and, on authorized orders, captures)
//! lines, with optional tracking.

use kassa_model::mollie::OrderStatus;
use serde::Deserialize;
use time::OffsetDateTime;

use super::*;
use crate::ids::new_id;
use crate::mollie::order::{OrderRecord, ShipmentRecord, Tracking};
use crate::MollieError;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackingInput {
    #[serde(default)]
    pub carrier: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

impl TrackingInput {
    pub fn validate(&self) -> Result<Tracking, MollieError> {
        let required = |v: &Option<String>, name: &str| match v.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() && s.chars().count() <= 100 => Ok(s.to_owned()),
            Some(s) if !s.is_empty() => Err(MollieError::unprocessable(
                format!("tracking.{name}"),
                format!("The tracking {name} may be at most 100 characters."),
            )),
            _ => Err(MollieError::unprocessable(
                format!("tracking.{name}"),
                format!("The 'tracking.{name}' field is missing."),
            )),
        };
        Ok(Tracking {
            carrier: required(&self.carrier, "carrier")?,
            code: required(&self.code, "code")?,
            url: self.url.clone().filter(|u| !u.trim().is_empty()),
        })
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ShipmentRequest {
    #[serde(default)]
    pub lines: Vec<LineItem>,
    #[serde(default)]
    pub tracking: Option<TrackingInput>,
}

/// `POST /v2/orders/{id}/shipments`: ships (and, for authorized orders, captures) lines.
pub fn ship(
    order: &mut OrderRecord,
    req: &ShipmentRequest,
    now: OffsetDateTime,
) -> Result<String, MollieError> {
    match order.status {
        OrderStatus::Authorized | OrderStatus::Paid | OrderStatus::Shipping => {}
        OrderStatus::Completed => {
            return Err(MollieError::not_allowed(
                "Cannot create a shipment. No lines can be shipped.",
            ))
        }
        _ => return Err(MollieError::not_allowed("This order cannot be shipped.")),
    }
    let tracking = req
        .tracking
        .as_ref()
        .map(TrackingInput::validate)
        .transpose()?;
    let parts = resolve(order, &req.lines, Kind::Ship)?;
    if parts.is_empty() {
        return Err(MollieError::not_allowed(
            "Cannot create a shipment. No lines can be shipped.",
        ));
    }
    apply(order, &parts, Kind::Ship);
    order.settle(now);
    let id = new_id("shp");
    order.shipments.push(ShipmentRecord {
        id: id.clone(),
        created_at: now,
        tracking,
        lines: parts,
    });
    Ok(id)
}
