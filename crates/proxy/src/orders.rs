//! Order operations shared by the routes: create at the provider, and refresh the mirror from
//! the provider (on a webhook, on a customer's return, or when an order is first asked for).

use crate::token::random_token;
use kassa_model::api::{CreatedOrder, NewOrder, OrderView};

use crate::convert::{self, Callbacks};
use crate::error::AppError;
use crate::{now_rfc3339, AppState};

/// Why the mirror is being refreshed; recorded in the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefreshCause {
    Webhook,
    CustomerReturn,
    Lookup,
    /// After a staff action changed the order at the provider.
    Action,
    /// The background check of orders that are not final.
    Periodic,
    /// A staff member asked for it.
    Manual,
}

pub async fn create(state: &AppState, new: NewOrder) -> Result<CreatedOrder, AppError> {
    // Never trust the browser's arithmetic: price again with the one implementation.
    let priced = new.price()?;
    let return_ref = random_token(24);
    let order_number = new
        .order_number
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| format!("K-{}", random_token(8).to_uppercase()));
    let callbacks = Callbacks {
        redirect_url: format!("{}/return/{return_ref}", state.public_url),
        webhook_url: state
            .webhooks_reachable
            .then(|| format!("{}/webhooks/mollie", state.public_url)),
        return_ref: return_ref.clone(),
    };
    let body = convert::create_order(&new, &priced, order_number, &callbacks);
    let order = state.mollie.create_order(&body, &random_token(32)).await?;
    let now = now_rfc3339();
    state.mirror.upsert(&order, Some(&return_ref), &now).await?;
    state
        .mirror
        .record_event(
            &order.id,
            &now,
            "created",
            &format!("Order {} created at Mollie", order.order_number),
        )
        .await?;
    let checkout_url = order
        .links
        .checkout
        .as_ref()
        .map(|l| l.href.clone())
        .ok_or_else(|| AppError::Internal(format!("order {} has no checkout link", order.id)))?;
    let events = state.mirror.events(&order.id).await?;
    Ok(CreatedOrder {
        order: convert::order_view(&order, events)?,
        checkout_url,
    })
}

/// Fetches the order from the provider (never trusting what a webhook says), stores it and
/// records what changed.
pub async fn refresh(
    state: &AppState,
    id: &str,
    cause: RefreshCause,
) -> Result<OrderView, AppError> {
    let order = state.mollie.get_order(id).await?;
    let now = now_rfc3339();
    let upserted = state.mirror.upsert(&order, None, &now).await?;
    // Mollie repeats webhooks (retries, several events at once): one that brings nothing new
    // is not added to the timeline again.
    if cause == RefreshCause::Webhook && upserted.changed {
        state
            .mirror
            .record_event(id, &now, "webhook", "Webhook received from Mollie")
            .await?;
    }
    match upserted.previous {
        Some(before) if before != order.status => {
            let detail = format!("Status changed from {before} to {}", order.status);
            state
                .mirror
                .record_event(id, &now, "status", &detail)
                .await?;
        }
        None => {
            let detail = format!("Order first seen with status {}", order.status);
            state
                .mirror
                .record_event(id, &now, "status", &detail)
                .await?;
        }
        Some(_) => {}
    }
    let events = state.mirror.events(id).await?;
    Ok(convert::order_view(&order, events)?)
}

/// Re-fetches orders that can still change, in case a webhook was missed (Mollie gives up
/// after a day of retries; a proxy may have been down). Returns how many were refreshed.
pub async fn refresh_open_orders(state: &AppState, batch: i64) -> Result<usize, AppError> {
    let ids = state.mirror.open_order_ids(batch).await?;
    let mut refreshed = 0;
    for id in ids {
        match refresh(state, &id, RefreshCause::Periodic).await {
            Ok(_) => refreshed += 1,
            Err(e) => tracing::warn!(%id, error = %e, "periodic refresh failed"),
        }
    }
    Ok(refreshed)
}

/// The order as the mirror has it; asks the provider only for an order never seen before.
pub async fn get(state: &AppState, id: &str) -> Result<OrderView, AppError> {
    match state.mirror.get(id).await? {
        Some(order) => Ok(convert::order_view(&order, state.mirror.events(id).await?)?),
        None => refresh(state, id, RefreshCause::Lookup).await,
    }
}

/// [`get`], serialised, from the mirror's view cache when it has it.
pub async fn get_json(state: &AppState, id: &str) -> Result<axum::body::Bytes, AppError> {
    if let Some(view) = state.mirror.cached_view(id) {
        return Ok(view);
    }
    let generation = state.mirror.generation();
    let view = serde_json::to_vec(&get(state, id).await?)
        .map_err(|e| AppError::Internal(format!("order view {id}: {e}")))?;
    let view = axum::body::Bytes::from(view);
    state.mirror.cache_view(id, generation, view.clone());
    Ok(view)
}

/// The order a customer returns to. While it still looks unpaid, the provider is asked
/// directly: its webhook may not have arrived yet. This answer needs no login (the return
/// link is the customer's), so it is the customer's copy: no timeline (staff emails, action
/// ids) and none of the merchant's captured / refunded bookkeeping.
pub async fn for_return(state: &AppState, return_ref: &str) -> Result<OrderView, AppError> {
    let id = state
        .mirror
        .id_for_return(return_ref)
        .await?
        .ok_or_else(|| AppError::NotFound("No order belongs to this return link.".into()))?;
    let mut view = get(state, &id).await?;
    if view.status == kassa_model::api::OrderStatus::Created {
        view = refresh(state, &id, RefreshCause::CustomerReturn).await?;
    }
    Ok(for_customer(view))
}

/// What a customer may see of their order.
fn for_customer(mut view: OrderView) -> OrderView {
    view.events.clear();
    view.amount_captured = None;
    view.amount_refunded = None;
    view
}
