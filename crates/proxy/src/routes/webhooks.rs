use axum::extract::State;
use axum::http::StatusCode;
use axum::Form;
use serde::Deserialize;

use crate::error::AppError;
use crate::mollie::{is_order_id, ProviderError};
use crate::orders::{self, RefreshCause};
use crate::AppState;

#[derive(Deserialize)]
pub struct WebhookForm {
    #[serde(default)]
    id: String,
}

/// `POST /webhooks/mollie` with `id=ord_...`. The body is only a hint: the order is fetched
/// from Mollie. Unknown ids get 200 (as Mollie asks), a provider outage 503 so Mollie retries.
pub async fn mollie(State(state): State<AppState>, Form(form): Form<WebhookForm>) -> StatusCode {
    if !is_order_id(&form.id) {
        return StatusCode::OK;
    }
    match orders::refresh(&state, &form.id, RefreshCause::Webhook).await {
        Ok(_) => StatusCode::OK,
        Err(AppError::Provider(ProviderError::Rejected { status: 404, .. })) => StatusCode::OK,
        Err(e) => {
            tracing::warn!(id = %form.id, error = %e, "webhook could not be processed; the provider will retry");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}
