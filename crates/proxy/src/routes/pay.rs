//! Public checkouts and pay links: the shop's checkout (Mollie's hosted page, or Klarna's
//! library on the shop's own page), staff's Klarna pay links, and placing their orders.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Extension;
use kassa_model::api::{
    ApiError, NewPayLink, PayLink, PayLinkCreated, PlaceOrder, PlacedOrder, PublicCheckout,
    PublicCheckoutCreated,
};
use kassa_model::Provider;

use super::{ApiJson, ApiPath};
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
#[utoipa::path(
    post,
    path = "/api/public/checkout",
    operation_id = "public_checkout",
    tag = "public",
    request_body = PublicCheckout,
    responses(
        (status = 201, description = "Mollie: `checkout_url` is where to pay. Klarna: `klarna` is what the page's Klarna step needs", body = PublicCheckoutCreated),
        (status = 422, description = "`validation`: an item, quantity or address field breaks a rule (`field` names it); `provider`: the provider refused a field", body = ApiError),
        (status = 429, description = "`rate_limited`: too many checkouts from this address; `Retry-After` says when to try again", body = ApiError,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 502, description = "`provider`: the provider refused a request Kassa considers valid", body = ApiError),
        (status = 503, description = "`provider_unavailable`: the provider cannot be reached; nothing was changed", body = ApiError),
    ),
)]
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
#[utoipa::path(
    post,
    path = "/api/pay-links",
    operation_id = "create_pay_link",
    tag = "orders",
    request_body = NewPayLink,
    responses(
        (status = 201, description = "A Klarna session is open; `url` is the page to send the customer", body = PayLinkCreated),
        (status = 422, description = "`validation`: the order breaks a rule (`field` names it); `provider`: Klarna refused a field", body = ApiError),
        (status = 502, description = "`provider`: the provider refused a request Kassa considers valid", body = ApiError),
        (status = 503, description = "`provider_unavailable`: the provider cannot be reached; nothing was changed", body = ApiError),
    ),
)]
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
#[utoipa::path(
    get,
    path = "/api/public/pay/{reference}",
    operation_id = "get_pay_link",
    tag = "public",
    params(("reference" = String, Path, description = "The pay link's reference")),
    responses(
        (status = 200, description = "The pay link as the customer sees it: open, placed or expired", body = PayLink),
        (status = 404, description = "`not_found`: no such pay link", body = ApiError),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    ApiPath(reference): ApiPath<String>,
) -> Result<ApiJson<PayLink>, AppError> {
    Ok(ApiJson(pay::show(&state, &reference).await?))
}

/// `POST /api/public/pay/{reference}/order`: the customer's authorization token, from
/// Klarna's `authorize` callback.
#[utoipa::path(
    post,
    path = "/api/public/pay/{reference}/order",
    operation_id = "place_pay_link_order",
    tag = "public",
    params(("reference" = String, Path, description = "The pay link's reference")),
    request_body = PlaceOrder,
    responses(
        (status = 201, description = "The order is placed at Klarna; `return_ref` names the return page", body = PlacedOrder),
        (status = 404, description = "`not_found`: no such pay link", body = ApiError),
        (status = 409, description = "`conflict`: the link's order was already placed", body = ApiError),
        (status = 410, description = "`expired`: the link's Klarna session has ended", body = ApiError),
        (status = 422, description = "`validation`: no authorization token; `provider`: Klarna refused the token", body = ApiError),
        (status = 502, description = "`provider`: the provider refused a request Kassa considers valid", body = ApiError),
        (status = 503, description = "`provider_unavailable`: the provider cannot be reached; nothing was changed", body = ApiError),
    ),
)]
pub async fn place(
    State(state): State<AppState>,
    ApiPath(reference): ApiPath<String>,
    ApiJson(place): ApiJson<PlaceOrder>,
) -> Result<(StatusCode, ApiJson<PlacedOrder>), AppError> {
    let placed = pay::place(&state, &reference, place.authorization_token.trim()).await?;
    Ok((StatusCode::CREATED, ApiJson(placed)))
}
