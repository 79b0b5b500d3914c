//! The action ledger: exactly-once staff actions.
//!
//! An action is recorded (intent id, actor, request) before the provider is called, and its
//! outcome after. The intent id doubles as the provider's `Idempotency-Key`, so:
//! - a repeated intent that finished gets the recorded answer without calling the provider;
//! - a repeated intent that never finished (the provider was unreachable, or the proxy died
//!   between the call and the answer) is sent again with the same key and the very request
//!   recorded the first time, and the provider replays instead of acting twice;
//! - the same intent id with a different request is refused.

use serde_json::Value;
use sqlx::{Row, SqlitePool};

use crate::error::AppError;
use crate::now_rfc3339;

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

pub async fn begin(
    pool: &SqlitePool,
    intent_id: &str,
    order_id: &str,
    kind: &str,
    actor: &str,
    request: &str,
    provider_call: &str,
) -> Result<Begin, AppError> {
    let inserted = sqlx::query(
        "INSERT INTO actions (intent_id, order_id, kind, actor, request, provider_call, state, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT (intent_id) DO NOTHING",
    )
    .bind(intent_id)
    .bind(order_id)
    .bind(kind)
    .bind(actor)
    .bind(request)
    .bind(provider_call)
    .bind(now_rfc3339())
    .execute(pool)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(Begin::Fresh);
    }
    existing(pool, intent_id, order_id, kind, request)
        .await?
        .ok_or_else(|| AppError::Internal(format!("ledger: intent {intent_id} vanished")))
}

/// What the ledger knows of an intent already (`None`: nothing). The same intent id with
/// another order, kind or request is refused.
pub async fn existing(
    pool: &SqlitePool,
    intent_id: &str,
    order_id: &str,
    kind: &str,
    request: &str,
) -> Result<Option<Begin>, AppError> {
    let Some(row) = sqlx::query(
        "SELECT order_id, kind, request, provider_call, state, outcome FROM actions WHERE intent_id = ?",
    )
    .bind(intent_id)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let same = row.get::<String, _>("order_id") == order_id
        && row.get::<String, _>("kind") == kind
        && row.get::<String, _>("request") == request;
    if !same {
        return Err(AppError::Conflict(
            "This action id was already used for a different action.".into(),
        ));
    }
    match row.get::<String, _>("state").as_str() {
        "pending" => Ok(Some(Begin::Resume {
            call: row.get("provider_call"),
        })),
        _ => {
            let outcome: Value = serde_json::from_str(&row.get::<String, _>("outcome"))
                .map_err(|e| AppError::Internal(format!("ledger outcome of {intent_id}: {e}")))?;
            Ok(Some(Begin::Replay {
                status: outcome["status"].as_u64().unwrap_or(500) as u16,
                body: outcome["body"].clone(),
            }))
        }
    }
}

/// Records how an intent ended: `succeeded` or `failed` (the provider refused it).
pub async fn finish(
    pool: &SqlitePool,
    intent_id: &str,
    succeeded: bool,
    status: u16,
    body: &Value,
) -> Result<(), AppError> {
    let outcome = serde_json::json!({ "status": status, "body": body });
    sqlx::query("UPDATE actions SET state = ?, outcome = ?, finished_at = ? WHERE intent_id = ?")
        .bind(if succeeded { "succeeded" } else { "failed" })
        .bind(outcome.to_string())
        .bind(now_rfc3339())
        .bind(intent_id)
        .execute(pool)
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

/// One async lock per intent id being carried out in this process.
#[derive(Default)]
pub struct IntentLocks {
    locks:
        std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<tokio::sync::Mutex<()>>>>,
}

impl IntentLocks {
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
