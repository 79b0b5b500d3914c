//! Saved views of the orders list: each staff member's own, viewers' too (a view changes no
//! order, so it needs no operator role).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Extension;
use kassa_model::api::{ApiError, NewSavedView, OrderFilter, SavedView};

use super::{ApiJson, ApiPath};
use crate::error::AppError;
use crate::staff::{views, Session};
use crate::AppState;

/// `GET /api/views`
#[utoipa::path(
    get,
    path = "/api/views",
    operation_id = "list_views",
    tag = "views",
    responses((status = 200, description = "The staff member's saved views", body = Vec<SavedView>)),
)]
pub async fn list(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> Result<ApiJson<Vec<SavedView>>, AppError> {
    Ok(ApiJson(views::list(state.db(), session.staff.id).await?))
}

/// `POST /api/views`: the filters are checked as the list checks them (a view that cannot be
/// listed is not saved).
#[utoipa::path(
    post,
    path = "/api/views",
    operation_id = "save_view",
    tag = "views",
    request_body = NewSavedView,
    responses(
        (status = 201, description = "Saved", body = SavedView),
        (status = 422, description = "`validation`: the name is empty or too long, a filter is out of range, or the staff member has as many views as allowed", body = ApiError),
    ),
)]
pub async fn save(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    ApiJson(view): ApiJson<NewSavedView>,
) -> Result<(StatusCode, ApiJson<SavedView>), AppError> {
    let name = view.checked_name()?;
    let probe = OrderFilter {
        cursor: None,
        limit: Some(1),
        ..view.filter.clone()
    };
    crate::search::list(state.db(), &probe).await?;
    let saved = views::save(
        state.db(),
        session.staff.id,
        name,
        &view.filter,
        &crate::now_rfc3339(),
    )
    .await?;
    Ok((StatusCode::CREATED, ApiJson(saved)))
}

/// `DELETE /api/views/{id}`
#[utoipa::path(
    delete,
    path = "/api/views/{id}",
    operation_id = "delete_view",
    tag = "views",
    params(("id" = i64, Path, description = "The view's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "`not_found`: the staff member has no such view", body = ApiError),
    ),
)]
pub async fn delete(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, AppError> {
    let gone = || AppError::NotFound("You have no such view.".into());
    let id: i64 = id.parse().map_err(|_| gone())?;
    if views::delete(state.db(), session.staff.id, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(gone())
    }
}
