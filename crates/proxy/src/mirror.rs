//! The order mirror: what the provider last said about each order, and its timeline.

use std::collections::HashMap;
use std::sync::RwLock;

use axum::body::Bytes;

use kassa_model::api::{OrderEvent, OrderStatus, OrderView};
use kassa_model::Provider;
use tokio::sync::Mutex;

use crate::error::AppError;
use crate::provider::ProviderOrder;
use crate::schedule;
use crate::store::Db;

/// What an upsert found.
pub struct Upserted {
    /// The status the mirror had (`None`: an order it had not seen).
    pub previous: Option<OrderStatus>,
    /// Whether the provider's object differs from the stored one in something a merchant
    /// cares about (see [`ProviderOrder::differs_from`]).
    pub changed: bool,
    /// Nothing was written: the mirror holds what a fetch that started later brought (see
    /// [`Mirror::upsert`]). The caller shows the mirror's order, not the one it fetched.
    pub stale: bool,
}

/// What the mirror stores for an order, besides `return_ref` and `updated_at`: the provider's
/// JSON as sent, and Kassa's columns for listing, searching and the expiry radar, taken from
/// its view. [`Mirror::upsert`] writes it; public so the search bench writes generated orders
/// in bulk exactly as the proxy would.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MirrorRow {
    pub id: String,
    pub provider: &'static str,
    pub order_number: String,
    pub status: &'static str,
    pub currency: &'static str,
    pub amount_minor: i64,
    /// Given and family name, as the list shows them.
    pub customer_name: String,
    pub customer_email: String,
    /// The provider's `createdAt` / `created_at`, as it wrote it.
    pub created_at: String,
    pub body: String,
    pub search_number: String,
    pub search_email: String,
    pub search_name: String,
    pub search_family: String,
    pub expires_at: Option<String>,
    pub expires_unix: Option<i64>,
    pub uncaptured_minor: i64,
    /// Payment and fulfilment apart, for the list ([`kassa_model::states`]).
    pub payment_state: &'static str,
    pub fulfilment_state: &'static str,
}

impl MirrorRow {
    pub fn new(order: &ProviderOrder, view: &OrderView) -> Result<Self, AppError> {
        let billing = &view.billing_address;
        let name = [
            billing.given_name.as_deref(),
            billing.family_name.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
        // Lower-cased here, not by SQLite's `lower()`, which knows only ASCII: the search box
        // lower-cases with Rust's Unicode rules, so "Émile" must be stored as "émile".
        let search = |v: &str| v.trim().to_lowercase();
        let email = billing.email.as_deref().unwrap_or_default();
        Ok(Self {
            id: view.id.clone(),
            provider: view.provider.as_str(),
            order_number: view.order_number.clone(),
            status: view.status.as_str(),
            currency: view.amount.currency.code(),
            amount_minor: view.amount.minor,
            search_number: search(&view.order_number),
            search_email: search(email),
            search_name: search(&name),
            search_family: search(billing.family_name.as_deref().unwrap_or_default()),
            customer_name: name,
            customer_email: email.to_owned(),
            created_at: view.created_at.clone(),
            body: order.to_json()?,
            expires_at: view.expires_at.clone(),
            // The expiry radar compares instants: providers write them differently.
            expires_unix: view
                .expires_at
                .as_deref()
                .and_then(kassa_model::klarna::expiry::unix_seconds),
            uncaptured_minor: view.amount_remaining.map_or(0, |m| m.minor.max(0)),
            payment_state: view.payment_state().as_str(),
            fulfilment_state: view.fulfilment_state().as_str(),
        })
    }
}

pub struct Mirror {
    db: Db,
    /// One proxy's read-modify-write upserts one at a time, so two concurrent refreshes of one
    /// order (webhook and return page) record one status change without retrying. Across
    /// proxies the order's `version` does the same (see [`Mirror::upsert`]).
    write: Mutex<()>,
    /// Each order's view as the app reads it, serialised, until the order or its timeline
    /// changes: reading an order is by far the most frequent request.
    views: RwLock<ViewCache>,
}

#[derive(Default)]
struct ViewCache {
    /// Each view with the order's `version` it was made from (on a database of its own the
    /// version is not read: this proxy sees every write, and drops the view then).
    views: HashMap<String, (Option<i64>, Bytes)>,
    /// Bumped by every write through this proxy. A view computed from what was read before a
    /// write is not cached (see [`Mirror::cache_view`]), so the cache never keeps a stale view.
    generation: u64,
}

impl ViewCache {
    /// Enough for every order staff have open; past it the cache starts over.
    const CAPACITY: usize = 10_000;
}

/// A cached view, or where the mirror was when one was not found: the stamp to cache the view
/// computed now under ([`Mirror::cache_view`]).
pub enum CachedView {
    Hit(Bytes),
    Miss(ViewStamp),
}

/// What a view is computed from: this proxy's write generation, and on a shared database the
/// order's version (`None`: not mirrored yet, so not cached).
#[derive(Clone, Copy)]
pub struct ViewStamp {
    generation: u64,
    version: Option<i64>,
}

/// A row of `orders` as an upsert reads it first.
#[derive(sqlx::FromRow)]
struct Previous {
    status: String,
    provider: String,
    body: String,
    refresh_step: i64,
    version: i64,
    fetch_ticket: i64,
}

/// How many times an upsert reads again after another proxy wrote the order in between.
const UPSERT_TRIES: usize = 8;

impl Mirror {
    pub async fn open(url: &str) -> Result<Self, AppError> {
        Ok(Self {
            db: Db::open(url).await?,
            write: Mutex::new(()),
            views: Default::default(),
        })
    }

    /// The cached view of an order if nothing changed since it was cached; else the stamp to
    /// cache a new one under. On a shared database this reads the order's version (one
    /// indexed lookup), since another proxy may have written the order.
    pub async fn cached_view(&self, id: &str) -> Result<CachedView, AppError> {
        let version = if self.db.shared() {
            self.db
                .query("SELECT version FROM orders WHERE id = ?")
                .bind(id)
                .scalar::<i64>()
                .await?
        } else {
            None
        };
        let cache = self.views.read().unwrap_or_else(|e| e.into_inner());
        match cache.views.get(id) {
            Some((cached, view)) if *cached == version => Ok(CachedView::Hit(view.clone())),
            _ => Ok(CachedView::Miss(ViewStamp {
                generation: cache.generation,
                version,
            })),
        }
    }

    /// Keeps a view computed from what the mirror held at `stamp`, unless this proxy wrote
    /// since (another proxy's writes show in the version).
    pub fn cache_view(&self, id: &str, stamp: ViewStamp, view: Bytes) {
        if self.db.shared() && stamp.version.is_none() {
            return;
        }
        let mut cache = self.views.write().unwrap_or_else(|e| e.into_inner());
        if cache.generation != stamp.generation {
            return;
        }
        if cache.views.len() >= ViewCache::CAPACITY {
            cache.views.clear();
        }
        cache.views.insert(id.to_owned(), (stamp.version, view));
    }

    /// After a write to an order or its timeline: its view must be computed again.
    fn changed(&self, id: &str) {
        let mut cache = self.views.write().unwrap_or_else(|e| e.into_inner());
        cache.generation += 1;
        cache.views.remove(id);
    }

    /// The ticket of a provider fetch about to start ([`Db::fetch_ticket`]), for
    /// [`Mirror::upsert`]: taken before the provider is asked, not when its answer arrives.
    pub async fn fetch_ticket(&self) -> Result<i64, AppError> {
        Ok(self.db.fetch_ticket().await?)
    }

    /// The database, which staff accounts and sessions share with the mirror.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Stores what the provider said of an order (`order`, kept as sent) beside Kassa's
    /// columns for listing and searching, taken from its view, and when it is due for its next
    /// refresh by `clock` ([`schedule`]): not at all once final; on the backoff's first wait
    /// when new or its status changed; else one step further along. Returns what the mirror
    /// had before.
    ///
    /// The write only lands over the version read: when another proxy wrote the order in
    /// between, the upsert reads again, so of two proxies storing one status change only one
    /// sees it as a change (and records it in the timeline).
    ///
    /// `ticket` is the fetch's, taken before the provider was asked ([`Mirror::fetch_ticket`]).
    /// An order stored by a fetch that started later is kept (the upsert answers `stale`):
    /// of two fetches of one order, the slower may have been answered first, and a fetch
    /// that starts after a change at the provider is done (a refund made, a webhook sent)
    /// sees that change, so the later start holds the newer order.
    pub async fn upsert(
        &self,
        order: &ProviderOrder,
        view: &OrderView,
        return_ref: Option<&str>,
        now: &str,
        clock: schedule::Clock,
        ticket: i64,
    ) -> Result<Upserted, AppError> {
        let _guard = self.write.lock().await;
        let row = MirrorRow::new(order, view)?;
        for _ in 0..UPSERT_TRIES {
            let previous: Option<Previous> = self
                .db
                .query(
                    "SELECT status, provider, body, refresh_step, version, fetch_ticket
                     FROM orders WHERE id = ?",
                )
                .bind(&view.id)
                .fetch_optional()
                .await?;
            let previous_status = previous
                .as_ref()
                .and_then(|r| r.status.parse::<OrderStatus>().ok());
            if previous.as_ref().is_some_and(|r| r.fetch_ticket > ticket) {
                return Ok(Upserted {
                    previous: previous_status,
                    changed: false,
                    stale: true,
                });
            }
            // A copy that no longer reads as an order counts as changed.
            let changed = previous.as_ref().is_none_or(|r| {
                let before = r
                    .provider
                    .parse::<Provider>()
                    .ok()
                    .and_then(|p| ProviderOrder::from_json(p, &r.body).ok());
                before.is_none_or(|before| order.differs_from(&before))
            });
            let step = match &previous {
                Some(r) if previous_status == Some(view.status) => {
                    schedule::Clock::next_step(r.refresh_step)
                }
                _ => 0,
            };
            let next_refresh = (!view.status.is_final()).then(|| clock.due_after(step));
            // -1: no row was there; one written since by another proxy is read again.
            let read_version = previous.as_ref().map_or(-1, |r| r.version);
            let written = self
                .db
                .query(
                    "INSERT INTO orders (id, provider, return_ref, order_number, status, currency,
                                 amount_minor, customer_name, customer_email, created_at,
                                 updated_at, body, search_number, search_email, search_name,
                                 search_family, expires_at, expires_unix, uncaptured_minor,
                                 payment_state, fulfilment_state, next_refresh_unix, refresh_step,
                                 fetch_ticket)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                     ON CONFLICT (id) DO UPDATE SET
                         order_number = excluded.order_number, status = excluded.status,
                         currency = excluded.currency, amount_minor = excluded.amount_minor,
                         customer_name = excluded.customer_name,
                         customer_email = excluded.customer_email,
                         updated_at = excluded.updated_at, body = excluded.body,
                         search_number = excluded.search_number,
                         search_email = excluded.search_email,
                         search_name = excluded.search_name,
                         search_family = excluded.search_family,
                         expires_at = excluded.expires_at, expires_unix = excluded.expires_unix,
                         uncaptured_minor = excluded.uncaptured_minor,
                         payment_state = excluded.payment_state,
                         fulfilment_state = excluded.fulfilment_state,
                         next_refresh_unix = excluded.next_refresh_unix,
                         refresh_step = excluded.refresh_step,
                         fetch_ticket = excluded.fetch_ticket,
                         return_ref = COALESCE(orders.return_ref, excluded.return_ref),
                         version = orders.version + 1
                     WHERE orders.version = ?",
                )
                .bind(&row.id)
                .bind(row.provider)
                .bind(return_ref)
                .bind(&row.order_number)
                .bind(row.status)
                .bind(row.currency)
                .bind(row.amount_minor)
                .bind(&row.customer_name)
                .bind(&row.customer_email)
                .bind(&row.created_at)
                .bind(now)
                .bind(&row.body)
                .bind(&row.search_number)
                .bind(&row.search_email)
                .bind(&row.search_name)
                .bind(&row.search_family)
                .bind(&row.expires_at)
                .bind(row.expires_unix)
                .bind(row.uncaptured_minor)
                .bind(row.payment_state)
                .bind(row.fulfilment_state)
                .bind(next_refresh)
                .bind(step)
                .bind(ticket)
                .bind(read_version)
                .execute()
                .await?;
            if written == 1 {
                self.changed(&view.id);
                return Ok(Upserted {
                    previous: previous_status,
                    changed,
                    stale: false,
                });
            }
        }
        Err(AppError::Internal(format!(
            "mirror: order {} kept changing under {UPSERT_TRIES} upserts",
            view.id
        )))
    }

    /// Claims up to `limit` orders due at `now_unix`, oldest due first, for one refresh pass:
    /// each claimed order's due time moves to `lease_until`. The claim is a conditional UPDATE
    /// (only while the due time is still the one read), so of two passes that read the same
    /// rows (two proxies on one database) only one claims each order.
    pub async fn claim_due(
        &self,
        now_unix: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<String>, AppError> {
        let due: Vec<(String, i64)> = self
            .db
            .query(
                "SELECT id, next_refresh_unix FROM orders
                 WHERE next_refresh_unix IS NOT NULL AND next_refresh_unix <= ?
                 ORDER BY next_refresh_unix, id LIMIT ?",
            )
            .bind(now_unix)
            .bind(limit)
            .fetch_all()
            .await?;
        let mut claimed = Vec::with_capacity(due.len());
        for (id, seen) in due {
            let taken = self
                .db
                .query(
                    "UPDATE orders SET next_refresh_unix = ? WHERE id = ? AND next_refresh_unix = ?",
                )
                .bind(lease_until)
                .bind(&id)
                .bind(seen)
                .execute()
                .await?;
            if taken == 1 {
                claimed.push(id);
            }
        }
        Ok(claimed)
    }

    /// Orders that can still change (not completed, canceled or expired), least recently
    /// refreshed first.
    pub async fn open_order_ids(&self, limit: i64) -> Result<Vec<String>, AppError> {
        Ok(self
            .db
            .query(
                "SELECT id FROM orders WHERE status NOT IN ('completed', 'canceled', 'expired')
                 ORDER BY updated_at LIMIT ?",
            )
            .bind(limit)
            .scalars()
            .await?)
    }

    pub async fn record_event(
        &self,
        order_id: &str,
        at: &str,
        kind: &str,
        detail: &str,
    ) -> Result<(), AppError> {
        self.db
            .query("INSERT INTO order_events (order_id, at, kind, detail) VALUES (?, ?, ?, ?)")
            .bind(order_id)
            .bind(at)
            .bind(kind)
            .bind(detail)
            .execute()
            .await?;
        // After the event, not before: a view made in between carries the event under the old
        // version, and is made again once the version moves; the other way round a view
        // without the event would be kept under the new one.
        self.db
            .query("UPDATE orders SET version = version + 1 WHERE id = ?")
            .bind(order_id)
            .execute()
            .await?;
        self.changed(order_id);
        Ok(())
    }

    /// The order as its provider last sent it.
    pub async fn get(&self, id: &str) -> Result<Option<ProviderOrder>, AppError> {
        let row: Option<(String, String)> = self
            .db
            .query("SELECT provider, body FROM orders WHERE id = ?")
            .bind(id)
            .fetch_optional()
            .await?;
        row.map(|(provider, body)| {
            let provider = provider
                .parse()
                .map_err(|_| AppError::Internal(format!("mirror provider of {id}: {provider}")))?;
            ProviderOrder::from_json(provider, &body)
                .map_err(|e| AppError::Internal(format!("mirror body of {id}: {e}")))
        })
        .transpose()
    }

    /// Whether the mirror has this order.
    pub async fn knows(&self, id: &str) -> Result<bool, AppError> {
        let found: Option<String> = self
            .db
            .query("SELECT id FROM orders WHERE id = ?")
            .bind(id)
            .scalar()
            .await?;
        Ok(found.is_some())
    }

    pub async fn id_for_return(&self, return_ref: &str) -> Result<Option<String>, AppError> {
        Ok(self
            .db
            .query("SELECT id FROM orders WHERE return_ref = ?")
            .bind(return_ref)
            .scalar()
            .await?)
    }

    pub async fn events(&self, order_id: &str) -> Result<Vec<OrderEvent>, AppError> {
        let rows: Vec<(String, String, String)> = self
            .db
            .query("SELECT at, kind, detail FROM order_events WHERE order_id = ? ORDER BY id")
            .bind(order_id)
            .fetch_all()
            .await?;
        Ok(rows
            .into_iter()
            .map(|(at, kind, detail)| OrderEvent { at, kind, detail })
            .collect())
    }
}
