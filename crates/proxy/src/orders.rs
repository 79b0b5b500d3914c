//! Order operations shared by the routes: create at the provider, and refresh the mirror from
//! the provider (on a webhook, on a customer's return, or when an order is first asked for).

use crate::token::random_token;
use kassa_model::api::{ActionKind, CreatedOrder, ExpiringOrder, ImportOrder, NewOrder, OrderView};
use kassa_model::{FieldError, Money, Provider};

use crate::error::AppError;
use crate::mirror::CachedView;
use crate::provider::Callbacks;
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
    /// A staff member added an order Kassa did not know ("Add a Klarna order").
    Import,
}

pub async fn create(state: &AppState, new: NewOrder) -> Result<CreatedOrder, AppError> {
    // Never trust the browser's arithmetic: price again with the one implementation.
    let priced = new.price()?;
    let return_ref = random_token(24);
    let order_number = order_number(new.order_number.as_deref());
    let callbacks = Callbacks {
        public_url: state.public_url.clone(),
        return_ref: return_ref.clone(),
        webhooks_reachable: state.webhooks_reachable,
    };
    // Before the call, as for every fetch: an order a webhook's fetch stores meanwhile is newer.
    let ticket = state.mirror.fetch_ticket().await?;
    let created = state
        .providers
        .create(&new, &priced, order_number, &callbacks, &random_token(32))
        .await?;
    let order = created.order;
    let now = now_rfc3339();
    let view = order.view(Vec::new(), state.now_unix())?;
    state
        .mirror
        .upsert(
            &order,
            &view,
            Some(&return_ref),
            &now,
            state.schedule_clock(),
            ticket,
        )
        .await?;
    let detail = format!(
        "Order {} created at {}",
        view.order_number,
        order.provider().label()
    );
    state
        .mirror
        .record_event(&view.id, &now, "created", &detail)
        .await?;
    let events = state.mirror.events(&view.id).await?;
    Ok(CreatedOrder {
        order: OrderView { events, ..view },
        checkout_url: created.checkout_url,
    })
}

/// The merchant's order number as staff wrote it, or one Kassa makes (`K-7XQ2M4PA`).
pub fn order_number(given: Option<&str>) -> String {
    given
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| format!("K-{}", random_token(8).to_uppercase()))
}

/// Fetches the order from the provider (never trusting what a webhook says), stores it and
/// records what changed.
pub async fn refresh(
    state: &AppState,
    id: &str,
    cause: RefreshCause,
) -> Result<OrderView, AppError> {
    refresh_at(state, id, cause, state.schedule_clock()).await
}

/// [`refresh`], with the order's next refresh due by `clock` ([`crate::schedule`]'s pass
/// runs at a time of its own).
pub(crate) async fn refresh_at(
    state: &AppState,
    id: &str,
    cause: RefreshCause,
    clock: crate::schedule::Clock,
) -> Result<OrderView, AppError> {
    let ticket = state.mirror.fetch_ticket().await?;
    let order = state.providers.fetch(id).await?;
    let now = now_rfc3339();
    let view = order.view(Vec::new(), state.now_unix())?;
    let before = payment_statuses(state, id).await;
    let upserted = state
        .mirror
        .upsert(&order, &view, None, &now, clock, ticket)
        .await?;
    if upserted.stale {
        // A fetch that started after this one stored the order, and recorded what changed.
        if let Some(stored) = state.mirror.get(id).await? {
            return Ok(stored.view(state.mirror.events(id).await?, state.now_unix())?);
        }
    }
    // A payment attempt that failed leaves the order `created`: without this the timeline
    // would not show that the customer tried at all.
    for payment in &view.payments {
        let ended = matches!(payment.status.as_str(), "failed" | "canceled" | "expired");
        if ended && before.get(&payment.id) != Some(&payment.status) {
            let method = payment
                .method
                .as_deref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default();
            let detail = format!("Payment {}{method} {}", payment.id, payment.status);
            state
                .mirror
                .record_event(id, &now, "payment", &detail)
                .await?;
        }
    }
    // Providers repeat notifications (retries, several events at once): one that brings
    // nothing new is not added to the timeline again.
    if cause == RefreshCause::Webhook && upserted.changed {
        let detail = format!("Webhook received from {}", order.provider().label());
        state
            .mirror
            .record_event(id, &now, "webhook", &detail)
            .await?;
    }
    match upserted.previous {
        Some(before) if before != view.status => {
            let detail = format!("Status changed from {before} to {}", view.status);
            state
                .mirror
                .record_event(id, &now, "status", &detail)
                .await?;
        }
        None => {
            let detail = format!("Order first seen with status {}", view.status);
            state
                .mirror
                .record_event(id, &now, "status", &detail)
                .await?;
        }
        Some(_) => {}
    }
    let events = state.mirror.events(id).await?;
    Ok(OrderView { events, ..view })
}

/// The mirrored order's payments and their statuses, before a refresh changes them.
async fn payment_statuses(state: &AppState, id: &str) -> std::collections::HashMap<String, String> {
    let Ok(Some(order)) = state.mirror.get(id).await else {
        return Default::default();
    };
    order
        .view(Vec::new(), state.now_unix())
        .map(|v| v.payments.into_iter().map(|p| (p.id, p.status)).collect())
        .unwrap_or_default()
}

/// "Add a Klarna order" (or a Mollie one): fetched from its provider by id, then mirrored
/// like every other order. An id that cannot be one of that provider's is refused before
/// anything is sent.
pub async fn import(
    state: &AppState,
    import: &ImportOrder,
    actor: &str,
) -> Result<OrderView, AppError> {
    let id = import.id.trim();
    // Klarna's ids are lower case; one pasted in capitals is the same order.
    let id = match Provider::owning(id) {
        Some(Provider::Klarna) => id.to_ascii_lowercase(),
        _ => id.to_owned(),
    };
    if Provider::owning(&id) != Some(import.provider) {
        return Err(FieldError::new(
            "id",
            format!("This is not a {} order id.", import.provider.label()),
        )
        .into());
    }
    refresh(state, &id, RefreshCause::Import).await?;
    let detail = format!("Added from {} by {actor}", import.provider.label());
    state
        .mirror
        .record_event(&id, &now_rfc3339(), "import", &detail)
        .await?;
    get(state, &id).await
}

/// The longest horizon of the expiry radar, in days.
pub const EXPIRING_MAX_DAYS: u32 = 60;

/// The expiry radar: orders of every provider whose authorization runs out within `days`,
/// still holding uncaptured money, soonest first, each with the actions that save it.
pub async fn expiring(state: &AppState, days: u32) -> Result<Vec<ExpiringOrder>, AppError> {
    if !(1..=EXPIRING_MAX_DAYS).contains(&days) {
        return Err(FieldError::new(
            "within_days",
            format!("Look ahead between 1 and {EXPIRING_MAX_DAYS} days."),
        )
        .into());
    }
    let now = state.now_unix();
    let until = now + i64::from(days) * 86_400;
    let rows = crate::search::expiring(state.db(), now, until).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (summary, uncaptured) in rows {
        let view = match state.mirror.get(&summary.id).await? {
            Some(order) => order.view(Vec::new(), now)?,
            None => continue,
        };
        let actions = kassa_model::rules::availability(&view)
            .into_iter()
            .filter(|a| matches!(a.kind, ActionKind::Ship | ActionKind::ExtendAuthorization))
            .collect();
        out.push(ExpiringOrder {
            expires_at: summary.expires_at.clone().unwrap_or_default(),
            uncaptured: Money::new(uncaptured, summary.amount.currency),
            order: summary,
            actions,
        });
    }
    Ok(out)
}

/// Re-fetches orders that can still change, least recently refreshed first, in case a
/// webhook was missed (Mollie gives up after a day of retries; a proxy may have been down).
/// Returns how many were refreshed. The proxy's own loop refreshes by each order's schedule
/// instead ([`crate::schedule`]); this sweep is for tools and tests.
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
        Some(order) => Ok(order.view(state.mirror.events(id).await?, state.now_unix())?),
        None => refresh(state, id, RefreshCause::Lookup).await,
    }
}

/// [`get`], serialised, from the mirror's view cache when it has it.
pub async fn get_json(state: &AppState, id: &str) -> Result<axum::body::Bytes, AppError> {
    let stamp = match state.mirror.cached_view(id).await? {
        CachedView::Hit(view) => return Ok(view),
        CachedView::Miss(stamp) => stamp,
    };
    let view = serde_json::to_vec(&get(state, id).await?)
        .map_err(|e| AppError::Internal(format!("order view {id}: {e}")))?;
    let view = axum::body::Bytes::from(view);
    state.mirror.cache_view(id, stamp, view.clone());
    Ok(view)
}

/// The order a customer returns to. While it still looks unpaid, the provider is asked
/// directly: its webhook may not have arrived yet. This answer needs no login (the return
/// link is the customer's), so it is the customer's copy: no timeline (staff emails, action
/// ids) and none of the merchant's captured / refunded bookkeeping.
pub async fn for_return(state: &AppState, return_ref: &str) -> Result<OrderView, AppError> {
    // A Klarna order placed from a pay link may not be mirrored yet (its placement answer
    // came, the fetch after it did not): the link knows it.
    let id = match state.mirror.id_for_return(return_ref).await? {
        Some(id) => Some(id),
        None => crate::pay::order_for_return(state, return_ref).await?,
    }
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
