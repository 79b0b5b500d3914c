//! Bounds what webhooks cost: each one makes the proxy fetch the order from the provider
//! (the body is never trusted), and anyone can send them. Per order id:
//! - one fetch at a time: a webhook that arrives while one runs joins it, and one more fetch
//!   follows it (the running fetch may have read the order just before the change the new
//!   webhook announces);
//! - after a fetch, a cooldown: webhooks within it are gathered into one fetch at its end.
//!
//! So a burst of webhooks for one order costs at most two fetches per cooldown, and the last
//! fetch always comes after the last webhook: the mirror ends with the order's latest state.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub struct Refetches {
    cooldown: Duration,
    orders: Mutex<HashMap<String, Entry>>,
}

#[derive(Default)]
struct Entry {
    /// A fetch is running.
    running: bool,
    /// A webhook came while it ran: fetch once more afterwards.
    again: bool,
    /// A fetch is scheduled for the end of the cooldown.
    scheduled: bool,
    /// When the last fetch ended.
    last: Option<Instant>,
}

/// What to do with a webhook.
pub enum Turn<'a> {
    /// Fetch now; tell the [`Fetching`] when done.
    Now(Fetching<'a>),
    /// Nothing runs, but the cooldown has not passed: fetch after this wait (then
    /// [`Refetches::begin_scheduled`]). Later webhooks join that fetch.
    Later(Duration),
    /// A fetch that comes after this webhook is already running or scheduled.
    Joined,
}

impl Refetches {
    /// Orders with a fetch running or recently done, past which ended ones are forgotten.
    const SWEEP_AT: usize = 1024;

    pub fn new(cooldown: Duration) -> Self {
        Self {
            cooldown,
            orders: Mutex::new(HashMap::new()),
        }
    }

    pub fn arrive(&self, id: &str) -> Turn<'_> {
        let now = Instant::now();
        let mut orders = self.lock();
        if orders.len() >= Self::SWEEP_AT {
            orders.retain(|_, e| {
                e.running
                    || e.scheduled
                    || e.last
                        .is_some_and(|t| now.saturating_duration_since(t) < self.cooldown)
            });
        }
        let entry = orders.entry(id.to_owned()).or_default();
        if entry.running {
            entry.again = true;
            return Turn::Joined;
        }
        if entry.scheduled {
            return Turn::Joined;
        }
        if let Some(last) = entry.last {
            let since = now.saturating_duration_since(last);
            if since < self.cooldown {
                entry.scheduled = true;
                return Turn::Later(self.cooldown - since);
            }
        }
        entry.running = true;
        Turn::Now(self.fetching(id))
    }

    /// The scheduled fetch (after [`Turn::Later`] or [`Fetching::finish`]) starts.
    pub fn begin_scheduled(&self, id: &str) -> Fetching<'_> {
        let mut orders = self.lock();
        let entry = orders.entry(id.to_owned()).or_default();
        entry.scheduled = false;
        entry.running = true;
        entry.again = false;
        self.fetching(id)
    }

    fn fetching(&self, id: &str) -> Fetching<'_> {
        Fetching {
            refetches: self,
            id: id.to_owned(),
            finished: false,
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        // Flags of a fetch that panicked: the entry is removed by `Fetching`'s drop.
        self.orders.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A fetch in progress. Dropped without [`Fetching::finish`] (a panic, a cancelled request),
/// it forgets the order's entry, so the next webhook fetches at once.
pub struct Fetching<'a> {
    refetches: &'a Refetches,
    id: String,
    finished: bool,
}

impl Fetching<'_> {
    /// The fetch ended. `Some(wait)`: webhooks came meanwhile; fetch again after `wait` (then
    /// [`Refetches::begin_scheduled`]).
    pub fn finish(mut self) -> Option<Duration> {
        self.finished = true;
        let mut orders = self.refetches.lock();
        let entry = orders.entry(self.id.clone()).or_default();
        entry.running = false;
        entry.last = Some(Instant::now());
        if entry.again {
            entry.again = false;
            entry.scheduled = true;
            Some(self.refetches.cooldown)
        } else {
            None
        }
    }
}

impl Drop for Fetching<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.refetches.lock().remove(&self.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_now(t: &Turn<'_>) -> bool {
        matches!(t, Turn::Now(_))
    }

    #[test]
    fn a_burst_costs_one_fetch_now_and_one_after_the_cooldown() {
        let r = Refetches::new(Duration::from_secs(3600));
        let Turn::Now(first) = r.arrive("ord_a") else {
            panic!("the first webhook fetches")
        };
        // While it runs: joined, with one more fetch to follow.
        assert!(matches!(r.arrive("ord_a"), Turn::Joined));
        assert!(matches!(r.arrive("ord_a"), Turn::Joined));
        // Another order is not held up.
        assert!(is_now(&r.arrive("ord_b")));
        assert_eq!(first.finish(), Some(Duration::from_secs(3600)));
        // The follow-up is scheduled: everything until it starts joins it.
        assert!(matches!(r.arrive("ord_a"), Turn::Joined));
        let second = r.begin_scheduled("ord_a");
        assert_eq!(second.finish(), None);
        // Within the cooldown after it: one fetch at the cooldown's end.
        assert!(matches!(r.arrive("ord_a"), Turn::Later(_)));
        assert!(matches!(r.arrive("ord_a"), Turn::Joined));
    }

    #[test]
    fn after_the_cooldown_a_webhook_fetches_at_once() {
        let r = Refetches::new(Duration::ZERO);
        let Turn::Now(f) = r.arrive("ord_a") else {
            panic!()
        };
        assert_eq!(f.finish(), None);
        assert!(is_now(&r.arrive("ord_a")));
    }

    #[test]
    fn a_fetch_that_never_finished_does_not_block_the_order() {
        let r = Refetches::new(Duration::from_secs(3600));
        let turn = r.arrive("ord_a");
        assert!(is_now(&turn));
        drop(turn);
        assert!(is_now(&r.arrive("ord_a")));
    }
}
