//! The stand-in of Klarna's JavaScript library (`Klarna.Payments.init / load / authorize`,
//! served at `/klarna/lib/v1/api.js`) and the public routes it talks to. A page written
//! against it works unchanged with Klarna's real library: same global, same options, same
//! callback objects. The widget's calls carry the session's client token, which only the
//! shopper's browser holds, so these routes need no credentials; they answer any origin
//! (`Access-Control-Allow-Origin: *`, no cookies), as the library runs on the merchant's page.
//!
//! - `POST /klarna/lib/v1/session` `{"client_token"}`: what the widget shows (amount,
//!   currency, locale, categories), no personal data.
//! - `POST /klarna/lib/v1/authorize` `{"client_token", "outcome", "payment_method_category"?,
//!   "billing_address"?, "shipping_address"?}`: the shopper's decision; the callback object.
//! - `GET /klarna/redirect/{key}`: a placed order's `redirect_url`, 303 to the merchant's
//!   confirmation URL.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};

use super::controls::outcome;
use super::ops::session;
use super::routes::{json, parse};
use super::KlarnaError;
use crate::Sandbox;

const API_JS: &str = include_str!("../../assets/klarna-api.js");
const BADGE_SVG: &str = include_str!("../../assets/klarna-badge.svg");

pub fn router() -> Router<Sandbox> {
    Router::new()
        .route("/klarna/lib/v1/api.js", get(script))
        .route(
            "/klarna/lib/v1/session",
            post(session_summary).options(preflight),
        )
        .route(
            "/klarna/lib/v1/authorize",
            post(authorize).options(preflight),
        )
        .route("/klarna/assets/badge.svg", get(badge))
        .route("/klarna/redirect/{key}", get(redirect))
}

/// Any origin, no credentials: the answer is only for whoever holds the client token. Also
/// embeddable by a cross-origin isolated page (`Cross-Origin-Embedder-Policy: require-corp`,
/// as the test runner of the app's browser tests serves its page): the script and the badge
/// are loaded without CORS, so they need `Cross-Origin-Resource-Policy: cross-origin`.
pub(super) fn open_to_all(mut resp: Response) -> Response {
    resp.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    resp.headers_mut().insert(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
    resp.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

async fn script() -> Response {
    open_to_all(
        (
            [
                (
                    header::CONTENT_TYPE,
                    "application/javascript; charset=utf-8",
                ),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            API_JS,
        )
            .into_response(),
    )
}

async fn badge() -> Response {
    open_to_all(([(header::CONTENT_TYPE, "image/svg+xml")], BADGE_SVG).into_response())
}

pub(super) async fn preflight() -> Response {
    let mut resp = open_to_all(StatusCode::NO_CONTENT.into_response());
    let h = resp.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("POST"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("content-type"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    resp
}

#[derive(Deserialize)]
struct TokenBody {
    client_token: Option<String>,
}

#[derive(Serialize)]
struct Summary {
    purchase_country: Option<String>,
    purchase_currency: Option<String>,
    locale: Option<String>,
    order_amount: Option<i64>,
    payment_method_categories: Vec<Category>,
}

#[derive(Serialize)]
struct Category {
    identifier: &'static str,
    name: &'static str,
}

fn unknown_token() -> KlarnaError {
    KlarnaError::not_found("NOT_FOUND", "Invalid client token")
}

async fn session_summary(State(sandbox): State<Sandbox>, body: Bytes) -> Response {
    let answer = (|| {
        let body: TokenBody = parse(&body)?;
        let token = body
            .client_token
            .ok_or_else(|| KlarnaError::bad_value("client_token"))?;
        let state = sandbox.state();
        let session = state
            .klarna
            .session_by_client_token(&token, sandbox.clock().now())
            .ok_or_else(unknown_token)?;
        Ok::<_, KlarnaError>(Summary {
            purchase_country: session.cart.purchase_country.clone(),
            purchase_currency: session.cart.purchase_currency.clone(),
            locale: session.cart.locale.clone(),
            order_amount: session.cart.order_amount,
            payment_method_categories: super::payments::Category::ALL
                .iter()
                .map(|c| Category {
                    identifier: c.identifier(),
                    name: c.name(),
                })
                .collect(),
        })
    })();
    open_to_all(match answer {
        Ok(summary) => json(StatusCode::OK, &summary),
        Err(e) => e.into_response(),
    })
}

#[derive(Deserialize)]
struct AuthorizeBody {
    client_token: Option<String>,
    outcome: Option<String>,
    #[serde(flatten)]
    data: session::AuthorizeData,
}

async fn authorize(State(sandbox): State<Sandbox>, body: Bytes) -> Response {
    let answer = (|| {
        let body: AuthorizeBody = parse(&body)?;
        let token = body
            .client_token
            .ok_or_else(|| KlarnaError::bad_value("client_token"))?;
        let outcome = outcome(body.outcome.as_deref())?;
        let now = sandbox.clock().now();
        let mut state = sandbox.state();
        let session_id = state
            .klarna
            .session_by_client_token(&token, now)
            .map(|s| s.id.clone())
            .ok_or_else(unknown_token)?;
        let callback = session::authorize(&mut state.klarna, &session_id, outcome, body.data, now)?;
        sandbox.persist(&state);
        Ok::<_, KlarnaError>(callback)
    })();
    open_to_all(match answer {
        Ok(callback) => json(StatusCode::OK, &callback),
        Err(e) => e.into_response(),
    })
}

/// A placed order's `redirect_url`: on to the merchant's confirmation page.
async fn redirect(State(sandbox): State<Sandbox>, Path(key): Path<String>) -> Response {
    let target = sandbox
        .state()
        .klarna
        .placed_by_redirect_key(&key)
        .and_then(|a| a.placed.as_ref())
        .map(|p| p.confirmation_url.clone());
    match target {
        Some(Some(url)) => Redirect::to(&url).into_response(),
        Some(None) => Html("<!doctype html><title>Order placed</title><p>The order is placed.</p>")
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Html("<!doctype html><title>Unknown</title><p>This link belongs to no order.</p>"),
        )
            .into_response(),
    }
}
