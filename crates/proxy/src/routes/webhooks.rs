use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Form;
use serde::Deserialize;

use crate::error::AppError;
use crate::mollie::{is_order_id, ProviderError};
use crate::orders::{self, RefreshCause};
use crate::refetch::Turn;
use crate::AppState;

#[derive(Deserialize)]
pub struct WebhookForm {
    #[serde(default)]
    id: String,
}

/// `POST /webhooks/mollie` with `id=ord_...`. The body is only a hint: the order is fetched
/// from Mollie, and only if the mirror knows it (Kassa mirrors the orders it created or staff
/// looked up), at most as often as [`crate::refetch`] allows. Unknown ids get 200 (as Mollie
/// asks), a provider outage 503 so Mollie retries.
pub async fn mollie(State(state): State<AppState>, Form(form): Form<WebhookForm>) -> StatusCode {
    let id = form.id;
    if !is_order_id(&id) {
        return StatusCode::OK;
    }
    match state.mirror.knows(&id).await {
        Ok(true) => {}
        Ok(false) => return StatusCode::OK,
        Err(e) => {
            tracing::warn!(%id, error = %e, "webhook could not be checked; the provider will retry");
            return StatusCode::SERVICE_UNAVAILABLE;
        }
    }
    match state.refetches.arrive(&id) {
        Turn::Joined => StatusCode::OK,
        Turn::Later(wait) => {
            tokio::spawn(refresh_later(state.clone(), id, wait));
            StatusCode::OK
        }
        Turn::Now(fetching) => {
            let result = orders::refresh(&state, &id, RefreshCause::Webhook).await;
            if let Some(wait) = fetching.finish() {
                tokio::spawn(refresh_later(state.clone(), id.clone(), wait));
            }
            match result {
                Ok(_) => StatusCode::OK,
                Err(AppError::Provider(ProviderError::Rejected { status: 404, .. })) => {
                    StatusCode::OK
                }
                Err(e) => {
                    tracing::warn!(%id, error = %e, "webhook could not be processed; the provider will retry");
                    StatusCode::SERVICE_UNAVAILABLE
                }
            }
        }
    }
}

/// The fetch that webhooks gathered during a cooldown, and any that more webhooks ask for
/// while it runs. Their senders already got 200: a failure here is left to the periodic
/// refresh (`KASSA_REFRESH_MINUTES`).
async fn refresh_later(state: AppState, id: String, mut wait: Duration) {
    loop {
        tokio::time::sleep(wait).await;
        let fetching = state.refetches.begin_scheduled(&id);
        if let Err(e) = orders::refresh(&state, &id, RefreshCause::Webhook).await {
            tracing::warn!(%id, error = %e, "gathered webhooks could not be processed");
        }
        match fetching.finish() {
            Some(next) => wait = next,
            None => return,
        }
    }
}
