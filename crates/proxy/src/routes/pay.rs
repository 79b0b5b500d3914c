//! Public checkouts and pay links: the shop's checkout (Mollie's hosted page, or Klarna's
//! library on the shop's own page), staff's Klarna pay links, and placing their orders.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Extension;
use kassa_model::api::{
    NewPayLink, PayLink, PayLinkCreated, PlaceOrder, PlacedOrder, PublicCheckout,
    PublicCheckoutCreated,
};
use kassa_model::Provider;

use super::ApiJson;
use crate::client_addr::{limit_key, ClientIp};
use crate::error::{AppError, Limited};
use crate::pay::{self, Origin};
use crate::provider::klarna::payments::Intent;
use crate::staff::Session;
use crate::{orders, AppState};

/// `POST /api/public/checkout`: a shopper's picks, priced from the catalog. Mollie: created at
/// Mollie, the answer says where to pay. Klarna: a Klarna Payments session, the answer is what
/// the page's Klarna step needs. The two differ in where the customer pays (a provider's page,
/// or Kassa's page with the provider's library), so this is the one place that asks.
pub async fn public_checkout(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ApiJson(checkout): ApiJson<PublicCheckout>,
) -> Result<(StatusCode, ApiJson<PublicCheckoutCreated>), AppError> {
    // Anyone may call this, and each call may open an order or a session at the provider: a
    // client address gets a limited number per window, successful or not.
    if let Some(address) = client.map(limit_key) {
        let limit = &state.limits.checkout_address;
        if let Some(retry_after) = limit.wait(&address) {
            return Err(AppError::RateLimited {
                limit: Limited::Checkout,
                retry_after,
            });
        }
        limit.record(&address);
    }
    let new = state.catalog.price(&checkout)?;
    let created = match checkout.provider {
        Provider::Mollie => {
            let created = orders::create(&state, new).await?;
            PublicCheckoutCreated {
                amount: created.order.amount,
                checkout_url: Some(created.checkout_url),
                klarna: None,
            }
        }
        Provider::Klarna => {
            let (payment, amount) = pay::open(&state, &new, Origin::Shop, Intent::Buy).await?;
            PublicCheckoutCreated {
                amount,
                checkout_url: None,
                klarna: Some(payment),
            }
        }
    };
    Ok((StatusCode::CREATED, ApiJson(created)))
}

/// `POST /api/pay-links`: staff price an order for a customer to pay with Klarna.
pub async fn create_link(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    ApiJson(link): ApiJson<NewPayLink>,
) -> Result<(StatusCode, ApiJson<PayLinkCreated>), AppError> {
    let intent = if link.save_customer_token {
        Intent::BuyAndTokenize
    } else {
        Intent::Buy
    };
    let (payment, amount) = pay::open(
        &state,
        &link.order,
        Origin::Staff(session.staff.email.clone()),
        intent,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(PayLinkCreated {
            url: format!("{}/pay/{}", state.public_url, payment.reference),
            reference: payment.reference,
            amount,
            expires_at: payment.expires_at,
        }),
    ))
}

/// `GET /api/public/pay/{reference}`
pub async fn show(
    State(state): State<AppState>,
    Path(reference): Path<String>,
) -> Result<ApiJson<PayLink>, AppError> {
    Ok(ApiJson(pay::show(&state, &reference).await?))
}

/// `POST /api/public/pay/{reference}/order`: the customer's authorization token, from
/// Klarna's `authorize` callback.
pub async fn place(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    ApiJson(place): ApiJson<PlaceOrder>,
) -> Result<(StatusCode, ApiJson<PlacedOrder>), AppError> {
    let placed = pay::place(&state, &reference, place.authorization_token.trim()).await?;
    Ok((StatusCode::CREATED, ApiJson(placed)))
}
