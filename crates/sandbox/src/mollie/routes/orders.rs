use axum::body::Bytes;
use axum::extract::State;

use super::{Path, Query};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use kassa_model::mollie::CreateOrder;
use kassa_model::validate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::{Date, Duration, Time};

use super::change;
use super::pagination::PageQuery;
use crate::mollie::auth::Mode;
use crate::mollie::ops;
use crate::mollie::order::{default_expiry, OrderRecord, METHODS};
use crate::mollie::render::{self, Embeds};
use crate::routes::BaseUrl;
use crate::{MollieError, Sandbox};

#[derive(Deserialize)]
pub struct EmbedQuery {
    embed: Option<String>,
}

/// `POST /v2/orders`
pub async fn create(
    State(sandbox): State<Sandbox>,
    Extension(mode): Extension<Mode>,
    BaseUrl(base): BaseUrl,
    Query(query): Query<EmbedQuery>,
    body: Bytes,
) -> Result<Response, MollieError> {
    let req: CreateOrder = parse_json(&body)?;
    let valid = validate::create_order(&req)?;
    let methods = parse_methods(req.method.as_ref())?;
    let now = sandbox.clock().now();
    let expires_at = match req.expires_at.as_deref() {
        None => default_expiry(now),
        Some(date) => parse_expiry(date, now)?,
    };
    let order = OrderRecord::new(&req, valid, methods, mode, now, expires_at);
    let json = render::order(&order, &base, Embeds::parse(query.embed.as_deref()));
    let mut state = sandbox.state();
    state.mollie.insert(order);
    sandbox.persist(&state);
    Ok(hal(StatusCode::CREATED, &json))
}

/// `GET /v2/orders/{id}`
pub async fn get(
    State(sandbox): State<Sandbox>,
    Extension(mode): Extension<Mode>,
    Path(id): Path<String>,
    BaseUrl(base): BaseUrl,
    Query(query): Query<EmbedQuery>,
) -> Result<Response, MollieError> {
    let embeds = Embeds::parse(query.embed.as_deref());
    let json = {
        let state = sandbox.state();
        let order = state
            .mollie
            .get(&id, mode)
            .ok_or_else(|| super::no_order(&id))?;
        render::order(order, &base, embeds)
    };
    Ok(hal(StatusCode::OK, &json))
}

/// `GET /v2/orders`
pub async fn list(
    State(sandbox): State<Sandbox>,
    Extension(mode): Extension<Mode>,
    BaseUrl(base): BaseUrl,
    Query(query): Query<PageQuery>,
) -> Result<Response, MollieError> {
    let state = sandbox.state();
    let store = &state.mollie;
    let page = query.page(store.ids(mode), "order")?;
    let items = page
        .ids
        .iter()
        .filter_map(|id| store.get(id, mode))
        .map(|o| {
            serde_json::to_value(render::order(o, &base, Embeds::default())).unwrap_or_default()
        })
        .collect();
    let body = page.envelope(
        &format!("{base}/v2/orders"),
        "orders",
        items,
        "https://docs.mollie.com/reference/v2/orders-api/list-orders",
    );
    Ok(hal(StatusCode::OK, &body))
}

/// 200 with the whole order, as every endpoint that changes an order in place answers.
pub(super) fn changed_order(order: &OrderRecord, base: &str) -> Response {
    hal(
        StatusCode::OK,
        &render::order(order, base, Embeds::default()),
    )
}

/// `PATCH /v2/orders/{id}`
pub async fn update(
    State(sandbox): State<Sandbox>,
    Extension(mode): Extension<Mode>,
    Path(id): Path<String>,
    BaseUrl(base): BaseUrl,
    body: Bytes,
) -> Result<Response, MollieError> {
    let req: ops::UpdateOrderRequest = parse_json(&body)?;
    let ((), order) = change(&sandbox, &id, mode, false, |o, _| ops::update_order(o, req)).await?;
    Ok(changed_order(&order, &base))
}

/// `DELETE /v2/orders/{id}`: 200 with the canceled (or, from `shipping`, completed) order.
pub async fn cancel(
    State(sandbox): State<Sandbox>,
    Extension(mode): Extension<Mode>,
    Path(id): Path<String>,
    BaseUrl(base): BaseUrl,
) -> Result<Response, MollieError> {
    let ((), order) = change(&sandbox, &id, mode, true, ops::cancel_order).await?;
    Ok(changed_order(&order, &base))
}

/// A JSON response with Mollie's content type.
pub fn hal<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(header::CONTENT_TYPE, "application/hal+json")],
            bytes,
        )
            .into_response(),
        Err(e) => {
            MollieError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response()
        }
    }
}

/// Parses a request body, reporting type errors with Mollie's dotted field path
/// (`lines.1.quantity`) rather than a position in the text.
pub fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, MollieError> {
    crate::body::parse(body).map_err(|e| match e {
        crate::body::BodyError::Syntax(inner) => {
            MollieError::bad_request(format!("The request body is not valid JSON: {inner}"))
        }
        crate::body::BodyError::Value { path, error } => {
            let field = path.replace('[', ".").replace(']', "");
            let last = field.rsplit('.').next().unwrap_or_default().to_owned();
            let detail = if last == "quantity" {
                format!("The '{last}' field should be a whole number")
            } else if last == "value" || last == "currency" {
                format!(
                    "Invalid amount value for field {}.",
                    field
                        .trim_end_matches(".value")
                        .trim_end_matches(".currency")
                )
            } else {
                format!(
                    "The '{last}' field has the wrong type: {}",
                    crate::echo::clip_message(&error.to_string())
                )
            };
            MollieError::unprocessable(field, detail)
        }
    })
}

pub fn parse_methods(method: Option<&Value>) -> Result<Vec<String>, MollieError> {
    let names: Vec<String> = match method {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or_else(|| {
                MollieError::unprocessable("method", "The payment method is invalid.")
            })?,
        Some(_) => {
            return Err(MollieError::unprocessable(
                "method",
                "The payment method is invalid.",
            ))
        }
    };
    match names.iter().find(|m| !METHODS.contains(&m.as_str())) {
        Some(bad) => Err(MollieError::unprocessable(
            "method",
            format!(
                "The payment method '{}' is invalid.",
                crate::echo::clip(bad)
            ),
        )),
        None => Ok(names),
    }
}

/// `expiresAt` is a date from tomorrow up to 100 days after tomorrow; the order expires at the
/// start of that day (UTC).
fn parse_expiry(
    date: &str,
    now: time::OffsetDateTime,
) -> Result<time::OffsetDateTime, MollieError> {
    const FORMAT: &[time::format_description::FormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]");
    let invalid = || {
        MollieError::unprocessable(
            "expiresAt",
            "The expiry date is invalid. It should be a date between tomorrow and 100 days after tomorrow.",
        )
    };
    let day = Date::parse(date, FORMAT).map_err(|_| invalid())?;
    let tomorrow = now.date() + Duration::days(1);
    if day < tomorrow || day > tomorrow + Duration::days(100) {
        return Err(invalid());
    }
    Ok(day.with_time(Time::MIDNIGHT).assume_utc())
}
