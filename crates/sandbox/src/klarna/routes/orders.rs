//! `/ordermanagement/v1/orders/{order_id}` and the operations on the whole order.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use kassa_model::klarna::om::{
    UpdateAuthorization, UpdateConsumer, UpdateMerchantReferences, UpdateShippingInfo,
};

use super::{change, json, no_content, parse, read};
use crate::klarna::auth::Merchant;
use crate::klarna::ops::{authorization, details};
use crate::klarna::KlarnaError;
use crate::Sandbox;

type Answer = Result<Response, KlarnaError>;

/// `GET /orders/{order_id}`: the order with its captures and refunds.
pub async fn get(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path(id): Path<String>,
) -> Answer {
    Ok(json(
        StatusCode::OK,
        &read(&sandbox, &merchant, &id)?.render(),
    ))
}

/// `POST /orders/{order_id}/acknowledge`
pub async fn acknowledge(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path(id): Path<String>,
) -> Answer {
    change(
        &sandbox,
        &merchant,
        &id,
        "Acknowledgement not possible.",
        |o, _| {
            details::acknowledge(o);
            Ok(())
        },
    )?;
    Ok(no_content())
}

/// `PATCH /orders/{order_id}/authorization`
pub async fn update_authorization(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let req: UpdateAuthorization = parse(&body)?;
    change(
        &sandbox,
        &merchant,
        &id,
        "Order authorization cannot be updated.",
        |o, _| authorization::update(o, &req),
    )?;
    Ok(no_content())
}

/// `POST /orders/{order_id}/cancel`
pub async fn cancel(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path(id): Path<String>,
) -> Answer {
    change(&sandbox, &merchant, &id, "Cancel not possible.", |o, _| {
        authorization::cancel(o)
    })?;
    Ok(no_content())
}

/// `PATCH /orders/{order_id}/customer-details`
pub async fn customer_details(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let req: UpdateConsumer = parse(&body)?;
    change(
        &sandbox,
        &merchant,
        &id,
        "Customer details cannot be updated.",
        |o, _| details::customer_details(o, &req),
    )?;
    Ok(no_content())
}

/// `POST /orders/{order_id}/extend-authorization-time`
pub async fn extend_authorization_time(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path(id): Path<String>,
) -> Answer {
    change(
        &sandbox,
        &merchant,
        &id,
        "Authorization time cannot be extended.",
        authorization::extend,
    )?;
    Ok(no_content())
}

/// `PATCH /orders/{order_id}/merchant-references`
pub async fn merchant_references(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let req: UpdateMerchantReferences = parse(&body)?;
    change(
        &sandbox,
        &merchant,
        &id,
        "Merchant references cannot be updated.",
        |o, _| details::merchant_references(o, &req),
    )?;
    Ok(no_content())
}

/// `POST /orders/{order_id}/release-remaining-authorization`
pub async fn release_remaining_authorization(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path(id): Path<String>,
) -> Answer {
    change(
        &sandbox,
        &merchant,
        &id,
        "Remaining authorization cannot be released.",
        |o, _| authorization::release(o),
    )?;
    Ok(no_content())
}

/// `POST /orders/{order_id}/shipping-info`
pub async fn shipping_info(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let req: UpdateShippingInfo = parse(&body)?;
    change(
        &sandbox,
        &merchant,
        &id,
        &format!(
            "Shipping info cannot be added to order {}.",
            crate::echo::clip(&id)
        ),
        |o, _| details::append_shipping_info(o, &req),
    )?;
    Ok(no_content())
}
