//! Sliding-window limits: how many events a key (an account, a client address) may have in a
//! window before further attempts are refused. Kassa's limits ([`Limits`]) are three of these.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Counts events per key in a sliding window. Past `max` events within `window`, a key waits
/// until its oldest counted event ages out.
pub struct RateLimiter {
    max: usize,
    window: Duration,
    events: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimiter {
    /// More keys than any shop's staff and shoppers bring in one window; past it, keys with no
    /// event left in the window are dropped, and if that is not enough, all are (which only
    /// ever lets attempts through early, never refuses one wrongly).
    const CAPACITY: usize = 100_000;

    pub fn new(max: usize, window: Duration) -> Self {
        Self {
            max,
            window,
            events: Mutex::new(HashMap::new()),
        }
    }

    /// How long `key` must wait before its next attempt; `None` when it may go ahead now.
    pub fn wait(&self, key: &str) -> Option<Duration> {
        self.wait_at(key, Instant::now())
    }

    /// Counts one event for `key`.
    pub fn record(&self, key: &str) {
        self.record_at(key, Instant::now());
    }

    /// Forgets `key`'s events (a successful login clears its account's failures).
    pub fn clear(&self, key: &str) {
        self.lock().remove(key);
    }

    fn wait_at(&self, key: &str, now: Instant) -> Option<Duration> {
        let mut map = self.lock();
        let times = map.get_mut(key)?;
        self.forget_old(times, now);
        if times.len() < self.max {
            return None;
        }
        let oldest = *times.front()?;
        Some(
            self.window
                .saturating_sub(now.saturating_duration_since(oldest))
                .max(Duration::from_secs(1)),
        )
    }

    fn record_at(&self, key: &str, now: Instant) {
        let mut map = self.lock();
        if map.len() >= Self::CAPACITY && !map.contains_key(key) {
            map.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.saturating_duration_since(*t) < self.window)
            });
            if map.len() >= Self::CAPACITY {
                map.clear();
            }
        }
        let times = map.entry(key.to_owned()).or_default();
        self.forget_old(times, now);
        times.push_back(now);
        // Only the newest `max` events decide anything.
        while times.len() > self.max {
            times.pop_front();
        }
    }

    fn forget_old(&self, times: &mut VecDeque<Instant>, now: Instant) {
        while times
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= self.window)
        {
            times.pop_front();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        // A panic while counting leaves at worst one event more or less: still usable.
        self.events.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The proxy's limits (docs/security.md).
pub struct Limits {
    /// Failed logins per account: 5 per 15 minutes.
    pub login_account: RateLimiter,
    /// Failed logins per client address, whichever accounts they were for: 20 per 15 minutes.
    pub login_address: RateLimiter,
    /// Public checkouts per client address, successful or not (each may create an order at
    /// the provider): 30 per 10 minutes.
    pub checkout_address: RateLimiter,
}

impl Default for Limits {
    fn default() -> Self {
        let minutes = |m: u64| Duration::from_secs(m * 60);
        Self {
            login_account: RateLimiter::new(5, minutes(15)),
            login_address: RateLimiter::new(20, minutes(15)),
            checkout_address: RateLimiter::new(30, minutes(10)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_at_the_limit_per_key_and_forgets_after_the_window() {
        let l = RateLimiter::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        assert_eq!(l.wait_at("a", t0), None);
        l.record_at("a", t0);
        l.record_at("a", t0 + Duration::from_secs(10));
        assert_eq!(
            l.wait_at("a", t0 + Duration::from_secs(20)),
            Some(Duration::from_secs(40)),
            "until the oldest event is a window old"
        );
        assert_eq!(l.wait_at("b", t0 + Duration::from_secs(20)), None);
        assert_eq!(l.wait_at("a", t0 + Duration::from_secs(60)), None);
        l.clear("a");
        assert_eq!(l.wait_at("a", t0 + Duration::from_secs(20)), None);
    }

    #[test]
    fn a_key_keeps_no_more_events_than_it_needs() {
        let l = RateLimiter::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        for i in 0..1_000 {
            l.record_at("a", t0 + Duration::from_millis(i));
        }
        assert_eq!(l.lock()["a"].len(), 3);
    }
}
