//! Mollie's Orders API (`/v2/…`, `shared/reference/mollie-orders-api.md`): the order and line
//! state machines, Mollie's validation and error bodies, HAL rendering, the hosted test
//! checkout and the order webhook.

pub(crate) mod auth;
pub(crate) mod checkout;
pub(crate) mod error;
pub(crate) mod ops;
pub(crate) mod order;
pub(crate) mod render;
pub(crate) mod routes;
pub(crate) mod store;

use axum::routing::get;
use axum::Router;

use crate::Sandbox;

/// The API (behind Mollie's API-key check) and the hosted checkout (the shopper's, keyed by
/// the order's checkout token).
pub fn router(sandbox: &Sandbox) -> Router<Sandbox> {
    routes::router(sandbox).route(
        "/checkout/{token}",
        get(checkout::page).post(checkout::complete),
    )
}
