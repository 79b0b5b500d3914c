//! `/payments/v1/…`: sessions, and what an authorization token makes.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use kassa_model::klarna::payments::{
    CreateOrderRequest, CustomerTokenCreationRequest, SessionCreate,
};

use super::{json, no_content, parse};
use crate::klarna::auth::Merchant;
use crate::klarna::ops::session;
use crate::klarna::KlarnaError;
use crate::routes::BaseUrl;
use crate::Sandbox;

type Answer = Result<Response, KlarnaError>;

/// `POST /payments/v1/sessions`: 200 `{session_id, client_token, payment_method_categories}`.
pub async fn create_session(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    BaseUrl(base): BaseUrl,
    body: Bytes,
) -> Answer {
    let cart: SessionCreate = parse(&body)?;
    let now = sandbox.clock().now();
    let mut state = sandbox.state();
    let created = session::create_session(&mut state.klarna, &merchant, cart, &base, now)?;
    sandbox.persist(&state);
    Ok(json(StatusCode::OK, &created))
}

/// `GET /payments/v1/sessions/{session_id}`
pub async fn read_session(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path(id): Path<String>,
    BaseUrl(base): BaseUrl,
) -> Answer {
    let now = sandbox.clock().now();
    let read = session::read_session(&sandbox.state().klarna, &id, &merchant, &base, now)?;
    Ok(json(StatusCode::OK, &read))
}

/// `POST /payments/v1/sessions/{session_id}`: 204.
pub async fn update_session(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let update: SessionCreate = parse(&body)?;
    let now = sandbox.clock().now();
    let mut state = sandbox.state();
    session::update_session(&mut state.klarna, &id, &merchant, update, now)?;
    sandbox.persist(&state);
    Ok(no_content())
}

/// `POST /payments/v1/authorizations/{token}/order`: 200 `{order_id, redirect_url,
/// fraud_status, authorized_payment_method}`.
pub async fn create_order(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path(token): Path<String>,
    BaseUrl(base): BaseUrl,
    body: Bytes,
) -> Answer {
    let raw: serde_json::Value = parse(&body)?;
    let req: CreateOrderRequest = parse(&body)?;
    let now = sandbox.clock().now();
    let mut state = sandbox.state();
    let placed =
        session::place_order(&mut state.klarna, &token, &merchant, &req, &raw, &base, now)?;
    sandbox.persist(&state);
    Ok(json(StatusCode::OK, &placed))
}

/// `DELETE /payments/v1/authorizations/{token}`: 204.
pub async fn cancel_authorization(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path(token): Path<String>,
) -> Answer {
    let mut state = sandbox.state();
    session::cancel_authorization(&mut state.klarna, &token, &merchant)?;
    sandbox.persist(&state);
    Ok(no_content())
}

/// `POST /payments/v1/authorizations/{token}/customer-token`: 200 `{token_id, …}`.
pub async fn customer_token(
    State(sandbox): State<Sandbox>,
    Extension(Merchant(merchant)): Extension<Merchant>,
    Path(token): Path<String>,
    body: Bytes,
) -> Answer {
    let req: CustomerTokenCreationRequest = parse(&body)?;
    let now = sandbox.clock().now();
    let mut state = sandbox.state();
    let made = session::customer_token(&mut state.klarna, &token, &merchant, &req, now)?;
    sandbox.persist(&state);
    Ok(json(StatusCode::OK, &made))
}
