use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use kassa_model::api::{
    CreatedOrder, DueDateOption, ExpiringOrder, ImportOrder, NewNote, NewOrder, OrderAction,
    OrderFilter, OrderPage, OrderView, Product,
};
use kassa_model::FieldError;

use crate::staff::Session;

use super::ApiJson;
use crate::error::AppError;
use crate::{orders, AppState};

/// `POST /api/orders`
pub async fn create(
    State(state): State<AppState>,
    ApiJson(new): ApiJson<NewOrder>,
) -> Result<(StatusCode, ApiJson<CreatedOrder>), AppError> {
    let created = orders::create(&state, new).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

/// `GET /api/public/catalog`: what the storefront sells.
pub async fn catalog(State(state): State<AppState>) -> ApiJson<Vec<Product>> {
    ApiJson(state.catalog.products().to_vec())
}

/// `GET /api/orders`: the mirror, filtered and paged.
pub async fn list(
    State(state): State<AppState>,
    filter: Result<Query<OrderFilter>, QueryRejection>,
) -> Result<ApiJson<OrderPage>, AppError> {
    let Query(filter) = filter.map_err(|e| AppError::BadRequest(e.body_text()))?;
    Ok(ApiJson(crate::search::list(state.db(), &filter).await?))
}

/// `POST /api/orders/{id}/actions`: ship, refund, cancel lines or the order, exactly once
/// per `intent_id`.
pub async fn act(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    ApiJson(action): ApiJson<OrderAction>,
) -> Result<Response, AppError> {
    let answer = crate::actions::perform(&state, &session, &id, action).await?;
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    Ok((status, axum::Json(answer.body)).into_response())
}

/// `POST /api/orders/{id}/refresh`: asks the provider for the order now (staff's "refresh
/// from Mollie"), mirrors it and notes who asked.
pub async fn refresh(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Result<ApiJson<OrderView>, AppError> {
    let view = orders::refresh(&state, &id, orders::RefreshCause::Manual).await?;
    let detail = format!(
        "Refreshed from {} by {}",
        view.provider.label(),
        session.staff.email
    );
    state
        .mirror
        .record_event(&id, &crate::now_rfc3339(), "refresh", &detail)
        .await?;
    Ok(ApiJson(orders::get(&state, &id).await?))
}

/// `GET /api/orders/export`: the orders the list's filters match, as a CSV download.
pub async fn export(
    State(state): State<AppState>,
    filter: Result<Query<OrderFilter>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(filter) = filter.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let orders = crate::export::orders(state.db(), &filter).await?;
    let csv = crate::export::csv(&orders)?;
    let day = crate::now_rfc3339().chars().take(10).collect::<String>();
    let disposition = format!("attachment; filename=\"kassa-orders-{day}.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        csv,
    )
        .into_response())
}

/// `POST /api/orders/{id}/notes`: an internal note in the order's timeline, with its author.
pub async fn add_note(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    ApiJson(note): ApiJson<NewNote>,
) -> Result<(StatusCode, ApiJson<OrderView>), AppError> {
    let text = note.checked()?;
    // Only orders Kassa knows get notes (the lookup fetches one it has not mirrored yet).
    orders::get(&state, &id).await?;
    let detail = format!("{}: {text}", session.staff.email);
    state
        .mirror
        .record_event(&id, &crate::now_rfc3339(), "note", &detail)
        .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(orders::get(&state, &id).await?),
    ))
}

/// `GET /api/orders/{id}`: the view is cached between changes, so it goes out as bytes.
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let json = orders::get_json(&state, &id).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

/// `POST /api/orders/import`: "Add a Klarna order" by its id.
pub async fn import(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    ApiJson(import): ApiJson<ImportOrder>,
) -> Result<ApiJson<OrderView>, AppError> {
    Ok(ApiJson(
        orders::import(&state, &import, &session.staff.email).await?,
    ))
}

#[derive(serde::Deserialize)]
pub struct ExpiringQuery {
    /// Read as text, so "abc" is a 422 on this field like any other bad value.
    within_days: Option<String>,
}

/// `GET /api/orders/expiring?within_days=N`: the expiry radar.
pub async fn expiring(
    State(state): State<AppState>,
    query: Result<Query<ExpiringQuery>, QueryRejection>,
) -> Result<ApiJson<Vec<ExpiringOrder>>, AppError> {
    let Query(query) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let days = match query.within_days.as_deref() {
        None | Some("") => 7,
        Some(n) => n.trim().parse::<u32>().map_err(|_| {
            FieldError::new(
                "within_days",
                format!(
                    "Look ahead between 1 and {} days.",
                    orders::EXPIRING_MAX_DAYS
                ),
            )
        })?,
    };
    Ok(ApiJson(orders::expiring(&state, days).await?))
}

/// `GET /api/orders/{id}/shipments/{shipment_id}/due-date-options`
pub async fn due_date_options(
    State(state): State<AppState>,
    Path((id, shipment_id)): Path<(String, String)>,
) -> Result<ApiJson<Vec<DueDateOption>>, AppError> {
    let order = orders::get(&state, &id).await?;
    Ok(ApiJson(
        state
            .providers
            .due_date_options(&order, &shipment_id)
            .await?,
    ))
}

/// `GET /api/returns/{ref}`
pub async fn for_return(
    State(state): State<AppState>,
    Path(return_ref): Path<String>,
) -> Result<ApiJson<OrderView>, AppError> {
    Ok(ApiJson(orders::for_return(&state, &return_ref).await?))
}

pub async fn unknown() -> AppError {
    AppError::NotFound("No such API endpoint.".into())
}
