//! The action ledger: exactly-once staff actions.
//!
//! An action is recorded (intent id, actor, request) before the provider is called, and its
//! outcome after. The intent id doubles as the provider's `Idempotency-Key`, so:
//! - a repeated intent that finished gets the recorded answer without calling the provider;
//! - a repeated intent that never finished (the provider was unreachable, or the proxy died
//!   between the call and the answer) is sent again with the same key and the very request
//!   recorded the first time, and the provider replays instead of acting twice;
//! - the same intent id with a different request is refused.
//!
//! Several proxies on one database: the proxy carrying out a pending intent holds its lease
//! (`lease_until`, `lease_owner`). Another proxy given the same intent waits for the answer,
//! and resumes the intent itself only once the lease ran out (its holder died or gave up), so
//! one intent sent to two proxies at once makes one provider call.

use std::time::Duration;

use serde_json::Value;

use crate::error::AppError;
use crate::now_rfc3339;
use crate::store::Db;

/// How long a proxy holds a pending intent: longer than any request lives (the proxy's
/// request timeout is 30 s), so a lease only runs out when its holder stopped working on it.
const LEASE_SECONDS: i64 = 45;
/// How long a request waits for another proxy to finish an intent before answering 409.
const WAIT_FOR_HOLDER: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(100);

/// What to do with an intent.
pub enum Begin {
    /// Never seen: call the provider.
    Fresh,
    /// Seen but unfinished: call the provider again, with the same key and the call recorded
    /// the first time (`None` for actions recorded before calls were).
    Resume { call: Option<String> },
    /// Finished: answer with what was answered then.
    Replay { status: u16, body: Value },
}

fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

#[allow(clippy::too_many_arguments)]
pub async fn begin(
    db: &Db,
    owner: &str,
    intent_id: &str,
    order_id: &str,
    kind: &str,
    actor: &str,
    request: &str,
    provider_call: &str,
) -> Result<Begin, AppError> {
    let inserted = db
        .query(
            "INSERT INTO actions (intent_id, order_id, kind, actor, request, provider_call, state,
                                  created_at, lease_until, lease_owner)
             VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (intent_id) DO NOTHING",
        )
        .bind(intent_id)
        .bind(order_id)
        .bind(kind)
        .bind(actor)
        .bind(request)
        .bind(provider_call)
        .bind(now_rfc3339())
        .bind(now_unix() + LEASE_SECONDS)
        .bind(owner)
        .execute()
        .await?;
    if inserted == 1 {
        return Ok(Begin::Fresh);
    }
    existing(db, owner, intent_id, order_id, kind, request)
        .await?
        .ok_or_else(|| AppError::Internal(format!("ledger: intent {intent_id} vanished")))
}

/// A row of `actions` as [`existing`] reads it.
#[derive(sqlx::FromRow)]
struct Recorded {
    order_id: String,
    kind: String,
    request: String,
    provider_call: Option<String>,
    state: String,
    outcome: Option<String>,
}

/// What the ledger knows of an intent already (`None`: nothing). The same intent id with
/// another order, kind or request is refused. A pending intent is resumed once this proxy
/// holds its lease; while another proxy holds it, this waits for that proxy's answer (up to
/// [`WAIT_FOR_HOLDER`], then 409).
pub async fn existing(
    db: &Db,
    owner: &str,
    intent_id: &str,
    order_id: &str,
    kind: &str,
    request: &str,
) -> Result<Option<Begin>, AppError> {
    let deadline = tokio::time::Instant::now() + WAIT_FOR_HOLDER;
    loop {
        let Some(row) = db
            .query(
                "SELECT order_id, kind, request, provider_call, state, outcome
                 FROM actions WHERE intent_id = ?",
            )
            .bind(intent_id)
            .fetch_optional::<Recorded>()
            .await?
        else {
            return Ok(None);
        };
        if row.order_id != order_id || row.kind != kind || row.request != request {
            return Err(AppError::Conflict(
                "This action id was already used for a different action.".into(),
            ));
        }
        if row.state != "pending" {
            let outcome: Value = serde_json::from_str(row.outcome.as_deref().unwrap_or(""))
                .map_err(|e| AppError::Internal(format!("ledger outcome of {intent_id}: {e}")))?;
            return Ok(Some(Begin::Replay {
                status: outcome["status"].as_u64().unwrap_or(500) as u16,
                body: outcome["body"].clone(),
            }));
        }
        if take_lease(db, owner, intent_id).await? {
            return Ok(Some(Begin::Resume {
                call: row.provider_call,
            }));
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(AppError::Conflict(
                "This action is being carried out by another request; try again in a moment."
                    .into(),
            ));
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Takes a pending intent's lease if nobody holds it, it ran out, or this proxy holds it
/// already (within a proxy, [`IntentLocks`] lets one request at a time carry an intent). A
/// database of the proxy's own (SQLite) has no other proxy to wait for: whoever held a lease
/// there was this proxy before a restart.
async fn take_lease(db: &Db, owner: &str, intent_id: &str) -> Result<bool, AppError> {
    if !db.shared() {
        return Ok(true);
    }
    let now = now_unix();
    let taken = db
        .query(
            "UPDATE actions SET lease_until = ?, lease_owner = ?
             WHERE intent_id = ? AND state = 'pending'
               AND (lease_until IS NULL OR lease_until <= ? OR lease_owner = ?)",
        )
        .bind(now + LEASE_SECONDS)
        .bind(owner)
        .bind(intent_id)
        .bind(now)
        .bind(owner)
        .execute()
        .await?;
    Ok(taken == 1)
}

/// Gives up this proxy's lease of a pending intent it could not finish (the provider was
/// unreachable), so that the client's retry through any proxy resumes it at once.
pub async fn release(db: &Db, owner: &str, intent_id: &str) -> Result<(), AppError> {
    db.query(
        "UPDATE actions SET lease_until = NULL
         WHERE intent_id = ? AND lease_owner = ? AND state = 'pending'",
    )
    .bind(intent_id)
    .bind(owner)
    .execute()
    .await?;
    Ok(())
}

/// Records how an intent ended: `succeeded` or `failed` (the provider refused it).
pub async fn finish(
    db: &Db,
    intent_id: &str,
    succeeded: bool,
    status: u16,
    body: &Value,
) -> Result<(), AppError> {
    let outcome = serde_json::json!({ "status": status, "body": body });
    db.query(
        "UPDATE actions SET state = ?, outcome = ?, finished_at = ?, lease_until = NULL
         WHERE intent_id = ?",
    )
    .bind(if succeeded { "succeeded" } else { "failed" })
    .bind(outcome.to_string())
    .bind(now_rfc3339())
    .bind(intent_id)
    .execute()
    .await?;
    Ok(())
}

/// Intent ids are the app's: 8–64 letters, digits, `-` or `_` (a UUID fits).
pub fn valid_intent_id(id: &str) -> bool {
    (8..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// One async lock per intent id being carried out in this process, and the name this
/// process holds ledger leases under.
pub struct IntentLocks {
    owner: String,
    locks:
        std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<tokio::sync::Mutex<()>>>>,
}

impl IntentLocks {
    /// Locks for a proxy holding ledger leases as `owner`.
    pub fn new(owner: String) -> Self {
        Self {
            owner,
            locks: Default::default(),
        }
    }

    /// Who holds this process's ledger leases.
    pub fn owner(&self) -> &str {
        &self.owner
    }

    pub async fn lock(&self, intent_id: &str) -> IntentGuard<'_> {
        let lock = {
            let mut map = self.locks.lock().unwrap_or_else(|p| p.into_inner());
            map.entry(intent_id.to_owned()).or_default().clone()
        };
        let guard = lock.clone().lock_owned().await;
        IntentGuard {
            locks: self,
            intent_id: intent_id.to_owned(),
            _guard: guard,
        }
    }
}

pub struct IntentGuard<'a> {
    locks: &'a IntentLocks,
    intent_id: String,
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

impl Drop for IntentGuard<'_> {
    fn drop(&mut self) {
        let mut map = self.locks.locks.lock().unwrap_or_else(|p| p.into_inner());
        // Forget the lock once nobody else holds or waits for it.
        if map
            .get(&self.intent_id)
            .is_some_and(|l| std::sync::Arc::strong_count(l) <= 2)
        {
            map.remove(&self.intent_id);
        }
    }
}
