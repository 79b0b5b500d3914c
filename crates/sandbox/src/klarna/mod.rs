//! Klarna: Klarna Payments v1 (`/payments/v1/…`: sessions, authorizations, orders from an
//! authorization, customer tokens) and the Order Management API v1 (`/ordermanagement/v1/…`:
//! all 18 operations), as Klarna's OpenAPI files (`contract/klarna/`) and
//! `shared/reference/klarna-order-management-api.md` describe them. Where Klarna is silent the
//! sandbox does what `docs/providers/klarna.md` says.
//!
//! Authorization happens in the shopper's browser in real Klarna; here a stand-in of Klarna's
//! JavaScript library ([`library`], `/klarna/lib/v1/api.js`) does it, and a test control
//! ([`controls`]) does the same without a browser.
//!
//! Layout: [`payments`] (sessions and authorizations) and [`order`] (an order and how it is
//! shown) hold the records; [`ops`] the Order Management operations and their rules; [`routes`]
//! the HTTP handlers; [`store`] keeps it all.

mod auth;
pub(crate) mod controls;
mod error;
mod library;
mod ops;
mod order;
mod payments;
mod routes;
pub(crate) mod store;

use axum::middleware::from_fn_with_state;
use axum::routing::{delete, get, patch, post};
use axum::Router;

pub use auth::KlarnaCredentials;
pub use error::KlarnaError;

use crate::Sandbox;

/// Both APIs behind Klarna's HTTP Basic check, and the stand-in library's public routes.
pub fn router(sandbox: &Sandbox) -> Router<Sandbox> {
    use routes::{captures, orders, payments, refunds};
    const ORDER: &str = "/ordermanagement/v1/orders/{order_id}";
    const CAPTURE: &str = "/ordermanagement/v1/orders/{order_id}/captures/{capture_id}";
    let api = Router::new()
        .route("/payments/v1/sessions", post(payments::create_session))
        .route(
            "/payments/v1/sessions/{session_id}",
            get(payments::read_session).post(payments::update_session),
        )
        .route(
            "/payments/v1/authorizations/{token}",
            delete(payments::cancel_authorization),
        )
        .route(
            "/payments/v1/authorizations/{token}/order",
            post(payments::create_order),
        )
        .route(
            "/payments/v1/authorizations/{token}/customer-token",
            post(payments::customer_token),
        )
        .route(ORDER, get(orders::get))
        .route(&format!("{ORDER}/acknowledge"), post(orders::acknowledge))
        .route(
            &format!("{ORDER}/authorization"),
            patch(orders::update_authorization),
        )
        .route(&format!("{ORDER}/cancel"), post(orders::cancel))
        .route(
            &format!("{ORDER}/captures"),
            get(captures::list).post(captures::create),
        )
        .route(CAPTURE, get(captures::get))
        .route(
            &format!("{CAPTURE}/extend-due-date"),
            patch(captures::extend_due_date),
        )
        .route(
            &format!("{CAPTURE}/extend-due-date-options"),
            get(captures::due_date_options),
        )
        .route(
            &format!("{CAPTURE}/shipping-info"),
            post(captures::shipping_info),
        )
        .route(
            &format!("{CAPTURE}/trigger-send-out"),
            post(captures::trigger_send_out),
        )
        .route(
            &format!("{ORDER}/customer-details"),
            patch(orders::customer_details),
        )
        .route(
            &format!("{ORDER}/extend-authorization-time"),
            post(orders::extend_authorization_time),
        )
        .route(
            &format!("{ORDER}/merchant-references"),
            patch(orders::merchant_references),
        )
        .route(&format!("{ORDER}/refunds"), post(refunds::create))
        .route(&format!("{ORDER}/refunds/{{refund_id}}"), get(refunds::get))
        .route(
            &format!("{ORDER}/release-remaining-authorization"),
            post(orders::release_remaining_authorization),
        )
        .route(
            &format!("{ORDER}/shipping-info"),
            post(orders::shipping_info),
        )
        .layer(from_fn_with_state(
            sandbox.clone(),
            auth::require_credentials,
        ));
    api.merge(library::router())
}
