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
/// looked up), at most as often as [`crate::refetch`] allows; the answer comes once a fetch
/// that started after the webhook arrived has finished. Unknown ids get 200 (as Mollie asks),
/// a provider outage 503 so Mollie retries.
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
    let ok = match state.refetches.arrive(&id) {
        Turn::Now(fetching) => {
            let ok = refresh(&state, &id).await;
            if let Some(wait) = fetching.finish(ok) {
                tokio::spawn(refresh_later(state.clone(), id, wait));
            }
            ok
        }
        Turn::Wait { covered, schedule } => {
            if let Some(wait) = schedule {
                tokio::spawn(refresh_later(state.clone(), id, wait));
            }
            covered.outcome().await
        }
    };
    if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    }
}

/// One fetch for webhooks; whether the mirror now has what the provider says (an order the
/// provider does not know counts: there is nothing to retry).
async fn refresh(state: &AppState, id: &str) -> bool {
    match orders::refresh(state, id, RefreshCause::Webhook).await {
        Ok(_) | Err(AppError::Provider(ProviderError::Rejected { status: 404, .. })) => true,
        Err(e) => {
            tracing::warn!(%id, error = %e, "webhook could not be processed; the provider will retry");
            false
        }
    }
}

/// The fetch that webhooks gathered during a cooldown, and any that more webhooks ask for
/// while it runs. Runs on its own, so a webhook that gives up waiting does not cancel it.
async fn refresh_later(state: AppState, id: String, mut wait: Duration) {
    loop {
        tokio::time::sleep(wait).await;
        let fetching = state.refetches.begin_scheduled(&id);
        let ok = refresh(&state, &id).await;
        match fetching.finish(ok) {
            Some(next) => wait = next,
            None => return,
        }
    }
}
