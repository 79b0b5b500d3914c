use axum::extract::{Path, State};
use axum::http::StatusCode;
use kassa_model::api::{CreatedOrder, NewOrder, OrderView};

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

/// `GET /api/orders/{id}`
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<ApiJson<OrderView>, AppError> {
    Ok(ApiJson(orders::get(&state, &id).await?))
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
