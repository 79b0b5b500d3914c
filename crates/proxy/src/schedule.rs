//! Each order's own refresh schedule (issue 13). A webhook is the fast way to hear of a
//! change, but a customer who never comes back sends none, a webhook can be lost, and a proxy
//! on a laptop is never reached by one: then the mirror kept saying `created` until someone
//! pressed Refresh or the old every-15-minutes pass came by. Now every order that is not final
//! is due again soon after it was created and then on a backoff ([`BACKOFF_SECONDS`], capped
//! at and then continued every `KASSA_REFRESH_MINUTES`); a loop wakes every [`TICK`] and
//! refreshes a bounded batch of due orders, oldest due first.
//!
//! The due time lives in the mirror (`orders.next_refresh_unix`), written with each upsert
//! ([`crate::mirror::Mirror::upsert`]): any refresh (webhook, staff, action) counts and pushes
//! the next one out. Due rows are claimed with a conditional UPDATE
//! ([`crate::mirror::Mirror::claim_due`]), so several proxies on one database never refresh
//! one order twice; a claim that is never followed by a refresh (the proxy stopped, the
//! provider was down) lapses after [`LEASE_SECONDS`].

use std::time::Duration;

use crate::error::AppError;
use crate::orders::{self, RefreshCause};
use crate::AppState;

/// The waits after creation (or a status change) and after each refresh that found the order
/// not final and its status unchanged: 1, 2, 5, 15 and 60 minutes.
pub const BACKOFF_SECONDS: [i64; 5] = [60, 120, 300, 900, 3600];

/// How often the loop looks for due orders.
pub const TICK: Duration = Duration::from_secs(30);

/// At most this many orders per pass: a burst (many orders due at once, after a restart or
/// the upgrade that added the schedule) is spread over passes instead of hitting a provider's
/// rate limit.
pub const BATCH: i64 = 50;

/// A claimed order that was not refreshed is due again after this.
pub const LEASE_SECONDS: i64 = 300;

/// What the mirror needs to set an order's next due time: now, and the longest wait.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    pub now_unix: i64,
    /// `KASSA_REFRESH_MINUTES` in seconds: no wait is longer, and after the backoff the order
    /// is due this often. `None` (the loop is off): the backoff's last wait.
    pub every_seconds: Option<i64>,
}

impl Clock {
    /// When an order at backoff `step` is due next.
    pub fn due_after(self, step: i64) -> i64 {
        let backoff = usize::try_from(step)
            .ok()
            .and_then(|s| BACKOFF_SECONDS.get(s))
            .copied();
        let last = BACKOFF_SECONDS[BACKOFF_SECONDS.len() - 1];
        let wait = match (backoff, self.every_seconds) {
            (Some(b), Some(every)) => b.min(every),
            (Some(b), None) => b,
            (None, Some(every)) => every,
            (None, None) => last,
        };
        self.now_unix.saturating_add(wait)
    }

    /// The step after `step`: it stops at the end of the backoff.
    pub fn next_step(step: i64) -> i64 {
        step.saturating_add(1)
            .clamp(0, i64::try_from(BACKOFF_SECONDS.len()).unwrap_or(i64::MAX))
    }
}

/// One pass of the loop at `now_unix`: claims up to `batch` due orders and refreshes each,
/// which sets its next due time from `now_unix` (none once it is final). Returns how many
/// were refreshed. Tests call it with a `now_unix` of their choosing instead of waiting.
pub async fn refresh_due_orders(
    state: &AppState,
    now_unix: i64,
    batch: i64,
) -> Result<usize, AppError> {
    let claimed = state
        .mirror
        .claim_due(now_unix, now_unix.saturating_add(LEASE_SECONDS), batch)
        .await?;
    let clock = Clock {
        now_unix,
        ..state.schedule_clock()
    };
    let mut refreshed = 0;
    for id in claimed {
        match orders::refresh_at(state, &id, RefreshCause::Periodic, clock).await {
            Ok(_) => refreshed += 1,
            // The claim stands: the order is tried again when it lapses.
            Err(e) => tracing::warn!(%id, error = %e, "scheduled refresh failed"),
        }
    }
    Ok(refreshed)
}

/// The loop: every [`TICK`], one pass at the proxy's clock.
pub async fn run(state: AppState) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = refresh_due_orders(&state, state.now_unix(), BATCH).await {
            tracing::warn!(error = %e, "scheduled refresh failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_is_capped_by_the_refresh_interval_and_then_follows_it() {
        let clock = |every| Clock {
            now_unix: 1_000,
            every_seconds: every,
        };
        let waits = |every| {
            (0..7)
                .map(|step| clock(every).due_after(step) - 1_000)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            waits(Some(900)),
            [60, 120, 300, 900, 900, 900, 900],
            "KASSA_REFRESH_MINUTES=15"
        );
        assert_eq!(waits(Some(7_200)), [60, 120, 300, 900, 3_600, 7_200, 7_200]);
        assert_eq!(waits(Some(60)), [60; 7]);
        assert_eq!(waits(None), [60, 120, 300, 900, 3_600, 3_600, 3_600]);
        assert_eq!(Clock::next_step(0), 1);
        assert_eq!(Clock::next_step(5), 5);
        assert_eq!(Clock::next_step(i64::MAX), 5);
    }
}
