use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Form;
use kassa_model::Provider;
use serde::Deserialize;

use crate::error::AppError;
use crate::orders::{self, RefreshCause};
use crate::refetch::Turn;
use crate::AppState;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct WebhookForm {
    /// The order's id (`ord_…`); only a hint.
    #[serde(default)]
    id: String,
}

/// `POST /webhooks/mollie` with `id=ord_...`. The body is only a hint: the order is fetched
/// from Mollie, and only if the mirror knows it (Kassa mirrors the orders it created or staff
/// looked up), at most as often as [`crate::refetch`] allows; the answer comes once a fetch
/// that started after the webhook arrived has finished. Unknown ids get 200 (as Mollie asks),
/// a provider outage 503 so Mollie retries.
#[utoipa::path(
    post,
    path = "/webhooks/mollie",
    operation_id = "mollie_webhook",
    tag = "webhooks",
    request_body(content = WebhookForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Heard: the order is refreshed from Mollie if Kassa knows it; unknown ids too"),
        (status = 415, description = "The body is not a form (plain text answer)"),
        (status = 422, description = "The form cannot be read (plain text answer)"),
        (status = 503, description = "The order could not be refreshed; Mollie retries"),
    ),
)]
pub async fn mollie(State(state): State<AppState>, Form(form): Form<WebhookForm>) -> StatusCode {
    notified(state, Provider::Mollie, form.id).await
}

/// `POST /webhooks/klarna`: Klarna's notification (`merchant_urls.notification`), JSON
/// `{"order_id", "event_type", "event_id", "occurred_at"}`. Only `order_id` is read, and only
/// as a hint, exactly as for Mollie's webhook: a Klarna order the mirror knows is fetched from
/// Klarna again (its event type, fraud decision or anything else in the body is never
/// believed). Orders Kassa does not know are not imported (staff add them by id): an
/// unauthenticated request must not make Kassa fetch and store arbitrary orders. A body that
/// is not JSON or names no Klarna order: 200, nothing done.
#[utoipa::path(
    post,
    path = "/webhooks/klarna",
    operation_id = "klarna_webhook",
    tag = "webhooks",
    request_body(content = Object, content_type = "application/json",
        description = "Klarna's notification; only `order_id` is read, as a hint"),
    responses(
        (status = 200, description = "Heard: the order is refreshed from Klarna if Kassa knows it; unknown ids and unreadable bodies too"),
        (status = 503, description = "The order could not be refreshed; Klarna retries"),
    ),
)]
pub async fn klarna(State(state): State<AppState>, body: Bytes) -> StatusCode {
    #[derive(Deserialize)]
    struct Notification {
        order_id: String,
    }
    match serde_json::from_slice::<Notification>(&body) {
        Ok(n) => notified(state, Provider::Klarna, n.order_id).await,
        Err(_) => StatusCode::OK,
    }
}

/// A provider told us order `id` changed: re-fetch it if it is one of `provider`'s that the
/// mirror knows, at most as often as [`crate::refetch`] allows.
async fn notified(state: AppState, provider: Provider, id: String) -> StatusCode {
    if Provider::owning(&id) != Some(provider) {
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
        Ok(_) => true,
        Err(AppError::Provider(e)) if e.is_not_found() => true,
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
