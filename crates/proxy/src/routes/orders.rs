use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use kassa_model::api::{
    ActionOutcome, ApiError, CreatedOrder, DueDateOption, ExpiringOrder, ImportOrder, NewNote,
    NewOrder, OrderAction, OrderFilter, OrderPage, OrderView, Product,
};
use kassa_model::FieldError;

use crate::staff::Session;

use super::{ApiJson, ApiPath};
use crate::error::AppError;
use crate::{orders, AppState};

/// `POST /api/orders`: staff's new order, priced on the server and created at Mollie.
#[utoipa::path(
    post,
    path = "/api/orders",
    operation_id = "create_order",
    tag = "orders",
    request_body = NewOrder,
    responses(
        (status = 201, description = "Created at the provider and mirrored; `checkout_url` is where the customer pays", body = CreatedOrder),
        (status = 422, description = "`validation`: the order breaks a rule (`field` names it); `provider`: the provider refused a field", body = ApiError),
        (status = 502, description = "`provider`: the provider refused a request Kassa considers valid", body = ApiError),
        (status = 503, description = "`provider_unavailable`: the provider cannot be reached; nothing was changed", body = ApiError),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    ApiJson(new): ApiJson<NewOrder>,
) -> Result<(StatusCode, ApiJson<CreatedOrder>), AppError> {
    let created = orders::create(&state, new).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

/// `GET /api/public/catalog`: what the storefront sells.
#[utoipa::path(
    get,
    path = "/api/public/catalog",
    operation_id = "get_catalog",
    tag = "public",
    responses((status = 200, description = "The products the storefront sells", body = Vec<Product>)),
)]
pub async fn catalog(State(state): State<AppState>) -> ApiJson<Vec<Product>> {
    ApiJson(state.catalog.products().to_vec())
}

/// `GET /api/orders`: the mirror, filtered and paged.
#[utoipa::path(
    get,
    path = "/api/orders",
    operation_id = "list_orders",
    tag = "orders",
    params(OrderFilter),
    responses(
        (status = 200, description = "One page of the mirror's orders, newest first unless `sort` says otherwise", body = OrderPage),
        (status = 400, description = "`bad_request`: a query parameter is not of its type", body = ApiError),
        (status = 422, description = "`validation`: a filter is out of range (`field` names it)", body = ApiError),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    filter: Result<Query<OrderFilter>, QueryRejection>,
) -> Result<ApiJson<OrderPage>, AppError> {
    let Query(filter) = filter.map_err(|e| AppError::BadRequest(e.body_text()))?;
    Ok(ApiJson(crate::search::list(state.db(), &filter).await?))
}

/// `POST /api/orders/{id}/actions`: ship, refund, cancel lines or the order, exactly once
/// per `intent_id`.
#[utoipa::path(
    post,
    path = "/api/orders/{id}/actions",
    operation_id = "act_on_order",
    tag = "orders",
    params(("id" = String, Path, description = "The order's id at its provider (`ord_…` for Mollie, a UUID for Klarna)")),
    request_body = OrderAction,
    responses(
        (status = 200, description = "Done (or replayed: the same `intent_id` answers what it answered first)", body = ActionOutcome),
        (status = 404, description = "`not_found`: no such order", body = ApiError),
        (status = 409, description = "`conflict`: this `intent_id` came with a different request, or the provider reports a conflict", body = ApiError),
        (status = 422, description = "`validation`: the action breaks a rule; `not_allowed`: not in the order's state; `provider`: the provider refused a field", body = ApiError),
        (status = 502, description = "`provider`: the provider refused a request Kassa considers valid", body = ApiError),
        (status = 503, description = "`provider_unavailable`: the provider cannot be reached; nothing was changed", body = ApiError),
    ),
)]
pub async fn act(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    ApiPath(id): ApiPath<String>,
    ApiJson(action): ApiJson<OrderAction>,
) -> Result<Response, AppError> {
    let answer = crate::actions::perform(&state, &session, &id, action).await?;
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    Ok((status, axum::Json(answer.body)).into_response())
}

/// `POST /api/orders/{id}/refresh`: asks the provider for the order now (staff's "refresh
/// from Mollie"), mirrors it and notes who asked.
#[utoipa::path(
    post,
    path = "/api/orders/{id}/refresh",
    operation_id = "refresh_order",
    tag = "orders",
    params(("id" = String, Path, description = "The order's id at its provider (`ord_…` for Mollie, a UUID for Klarna)")),
    responses(
        (status = 200, description = "The order as the provider has it now", body = OrderView),
        (status = 404, description = "`not_found`: no such order", body = ApiError),
        (status = 502, description = "`provider`: the provider refused a request Kassa considers valid", body = ApiError),
        (status = 503, description = "`provider_unavailable`: the provider cannot be reached; nothing was changed", body = ApiError),
    ),
)]
pub async fn refresh(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    ApiPath(id): ApiPath<String>,
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
#[utoipa::path(
    get,
    path = "/api/orders/export",
    operation_id = "export_orders",
    tag = "orders",
    params(OrderFilter),
    responses(
        (status = 200, description = "The matching orders as CSV (`Content-Disposition: attachment`)", body = String, content_type = "text/csv"),
        (status = 400, description = "`bad_request`: a query parameter is not of its type", body = ApiError),
        (status = 422, description = "`validation`: a filter is out of range (`field` names it)", body = ApiError),
    ),
)]
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
#[utoipa::path(
    post,
    path = "/api/orders/{id}/notes",
    operation_id = "add_note",
    tag = "orders",
    params(("id" = String, Path, description = "The order's id at its provider (`ord_…` for Mollie, a UUID for Klarna)")),
    request_body = NewNote,
    responses(
        (status = 201, description = "Noted: the order with the note in its timeline", body = OrderView),
        (status = 404, description = "`not_found`: no such order", body = ApiError),
        (status = 422, description = "`validation`: the note is empty or too long", body = ApiError),
        (status = 502, description = "`provider`: the provider refused a request Kassa considers valid", body = ApiError),
        (status = 503, description = "`provider_unavailable`: the provider cannot be reached; nothing was changed", body = ApiError),
    ),
)]
pub async fn add_note(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    ApiPath(id): ApiPath<String>,
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
#[utoipa::path(
    get,
    path = "/api/orders/{id}",
    operation_id = "get_order",
    tag = "orders",
    params(("id" = String, Path, description = "The order's id at its provider (`ord_…` for Mollie, a UUID for Klarna)")),
    responses(
        (status = 200, description = "The order; one the mirror does not have yet is fetched from its provider", body = OrderView),
        (status = 404, description = "`not_found`: no such order", body = ApiError),
        (status = 502, description = "`provider`: the provider refused a request Kassa considers valid", body = ApiError),
        (status = 503, description = "`provider_unavailable`: the provider cannot be reached; nothing was changed", body = ApiError),
    ),
)]
pub async fn get(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, AppError> {
    let json = orders::get_json(&state, &id).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

/// `POST /api/orders/import`: "Add a Klarna order" by its id.
#[utoipa::path(
    post,
    path = "/api/orders/import",
    operation_id = "import_order",
    tag = "orders",
    request_body = ImportOrder,
    responses(
        (status = 200, description = "The order, fetched from its provider and mirrored", body = OrderView),
        (status = 404, description = "`not_found`: the provider has no such order", body = ApiError),
        (status = 422, description = "`validation`: the id is not one of this provider's", body = ApiError),
        (status = 502, description = "`provider`: the provider refused a request Kassa considers valid", body = ApiError),
        (status = 503, description = "`provider_unavailable`: the provider cannot be reached; nothing was changed", body = ApiError),
    ),
)]
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
#[utoipa::path(
    get,
    path = "/api/orders/expiring",
    operation_id = "list_expiring_orders",
    tag = "orders",
    params(("within_days" = Option<u32>, Query, description = "How many days ahead to look (default 7)")),
    responses(
        (status = 200, description = "Orders whose authorization or payment runs out within that many days, soonest first", body = Vec<ExpiringOrder>),
        (status = 400, description = "`bad_request`: the query is not readable", body = ApiError),
        (status = 422, description = "`validation`: `within_days` is not a number in range", body = ApiError),
    ),
)]
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
#[utoipa::path(
    get,
    path = "/api/orders/{id}/shipments/{shipment_id}/due-date-options",
    operation_id = "list_due_date_options",
    tag = "orders",
    params(
        ("id" = String, Path, description = "The order's id at its provider"),
        ("shipment_id" = String, Path, description = "The shipment (Klarna capture) id"),
    ),
    responses(
        (status = 200, description = "How far the shipment's due date can be extended, and at what fee", body = Vec<DueDateOption>),
        (status = 404, description = "`not_found`: no such order or shipment", body = ApiError),
        (status = 422, description = "`not_allowed`: the order's provider does not offer this", body = ApiError),
        (status = 502, description = "`provider`: the provider refused a request Kassa considers valid", body = ApiError),
        (status = 503, description = "`provider_unavailable`: the provider cannot be reached; nothing was changed", body = ApiError),
    ),
)]
pub async fn due_date_options(
    State(state): State<AppState>,
    ApiPath((id, shipment_id)): ApiPath<(String, String)>,
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
#[utoipa::path(
    get,
    path = "/api/returns/{ref}",
    operation_id = "get_returned_order",
    tag = "public",
    params(("ref" = String, Path, description = "The return reference from the provider's redirect (`/return/{ref}`)")),
    responses(
        (status = 200, description = "The order the customer just paid (or did not)", body = OrderView),
        (status = 404, description = "`not_found`: no order has this return reference", body = ApiError),
        (status = 502, description = "`provider`: the provider refused the refresh", body = ApiError),
        (status = 503, description = "`provider_unavailable`: the provider cannot be reached", body = ApiError),
    ),
)]
pub async fn for_return(
    State(state): State<AppState>,
    ApiPath(return_ref): ApiPath<String>,
) -> Result<ApiJson<OrderView>, AppError> {
    Ok(ApiJson(orders::for_return(&state, &return_ref).await?))
}

pub async fn unknown() -> AppError {
    AppError::NotFound("No such API endpoint.".into())
}
