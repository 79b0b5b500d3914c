//! What changes about an order without moving money: acknowledgement, the shipping address,
//! the merchant's references, order-level shipping information.

use kassa_model::klarna::om::{UpdateConsumer, UpdateMerchantReferences, UpdateShippingInfo};
use kassa_model::klarna::{validate, OrderStatus};

use crate::klarna::order::Order;
use crate::klarna::KlarnaError;

/// `POST /orders/{id}/acknowledge`: any order (Klarna documents no condition for its 403).
pub fn acknowledge(order: &mut Order) {
    order.acknowledged = true;
}

/// `PATCH /orders/{id}/customer-details`: the shipping address only. `""` clears a field.
pub fn customer_details(order: &mut Order, req: &UpdateConsumer) -> Result<(), KlarnaError> {
    validate::update_consumer(req)?;
    if order.status == OrderStatus::Cancelled {
        return Err(cancelled());
    }
    if req.billing_address.is_some() {
        return Err(KlarnaError::forbidden(
            "NOT_ALLOWED",
            "Billing address cannot be updated for user account order. Customer details \
             cannot be updated.",
        ));
    }
    let Some(new) = &req.shipping_address else {
        return Ok(());
    };
    let country = new
        .country
        .as_deref()
        .filter(|c| !c.is_empty())
        .or(order.purchase_country.as_str().into());
    if !country.is_some_and(|c| c.eq_ignore_ascii_case(&order.purchase_country)) {
        return Err(KlarnaError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_ADDRESS",
            "The shipping and/or billing address is invalid",
        ));
    }
    let mut address = order.shipping_address.clone().unwrap_or_default();
    merge_address(&mut address, new);
    order.shipping_address = Some(address);
    Ok(())
}

/// Fields present replace the old ones; an empty string clears one.
fn merge_address(
    into: &mut kassa_model::klarna::om::Address,
    from: &kassa_model::klarna::om::Address,
) {
    macro_rules! take {
        ($($field:ident),*) => {$(
            if let Some(v) = &from.$field {
                into.$field = (!v.is_empty()).then(|| v.clone());
            }
        )*};
    }
    take!(
        given_name,
        family_name,
        title,
        street_address,
        street_address2,
        postal_code,
        city,
        region,
        country,
        email,
        phone,
        organization_name,
        attention
    );
}

fn cancelled() -> KlarnaError {
    KlarnaError::forbidden("NOT_ALLOWED", "Can not update a cancelled order")
}

/// `PATCH /orders/{id}/merchant-references`: a field present overwrites, `""` clears.
pub fn merchant_references(
    order: &mut Order,
    req: &UpdateMerchantReferences,
) -> Result<(), KlarnaError> {
    validate::merchant_references(req)?;
    if order.status == OrderStatus::Cancelled {
        return Err(cancelled());
    }
    if let Some(r) = &req.merchant_reference1 {
        order.merchant_reference1 = (!r.is_empty()).then(|| r.clone());
    }
    if let Some(r) = &req.merchant_reference2 {
        order.merchant_reference2 = (!r.is_empty()).then(|| r.clone());
    }
    Ok(())
}

/// `POST /orders/{id}/shipping-info`: appended to the order (known before capture).
pub fn append_shipping_info(
    order: &mut Order,
    req: &UpdateShippingInfo,
) -> Result<(), KlarnaError> {
    validate::shipping_info(req)?;
    order
        .shipping_info
        .extend(req.shipping_info.clone().unwrap_or_default());
    Ok(())
}
