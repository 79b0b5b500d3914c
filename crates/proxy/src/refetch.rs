//! Bounds what webhooks cost: each one makes the proxy fetch the order from the provider
//! (the body is never trusted), and anyone can send them. Per order id:
//! - one fetch at a time: a webhook that arrives while one runs waits for the next fetch
//!   (the running one may have read the order just before the change the webhook announces);
//! - after a fetch, a cooldown: webhooks within it are gathered into one fetch at its end.
//!
//! Every webhook is answered once a fetch that started after it arrived has finished, with
//! that fetch's outcome: the mirror then holds the order's latest state (or the provider is
//! told to retry), yet a burst of webhooks for one order costs at most two fetches per
//! cooldown.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::watch;

pub struct Refetches {
    cooldown: Duration,
    orders: Mutex<HashMap<String, Entry>>,
}

struct Entry {
    /// A fetch is running.
    running: bool,
    /// A webhook came while it ran: fetch once more afterwards.
    again: bool,
    /// A fetch is scheduled for the end of the cooldown.
    scheduled: bool,
    /// When the last fetch ended.
    last: Option<Instant>,
    /// Fetches started so far.
    started: u64,
    /// Fetches finished so far, and whether the last one succeeded.
    finished: watch::Sender<(u64, bool)>,
}

impl Default for Entry {
    fn default() -> Self {
        Self {
            running: false,
            again: false,
            scheduled: false,
            last: None,
            started: 0,
            finished: watch::Sender::new((0, true)),
        }
    }
}

/// What to do with a webhook.
pub enum Turn<'a> {
    /// Fetch now; tell the [`Fetching`] how it went.
    Now(Fetching<'a>),
    /// A later fetch covers this webhook: wait for it. With `schedule`, nothing is scheduled
    /// yet: the caller runs that fetch after the wait (see [`Refetches::begin_scheduled`]).
    Wait {
        covered: Covered,
        schedule: Option<Duration>,
    },
}

impl Refetches {
    /// Past this many orders, those with nothing running, scheduled or cooling down are
    /// forgotten.
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
        // The next fetch to start is the first that covers this webhook.
        let covered = Covered {
            finished: entry.finished.subscribe(),
            target: entry.started + 1,
        };
        if entry.running {
            entry.again = true;
            return Turn::Wait {
                covered,
                schedule: None,
            };
        }
        if entry.scheduled {
            return Turn::Wait {
                covered,
                schedule: None,
            };
        }
        if let Some(last) = entry.last {
            let since = now.saturating_duration_since(last);
            if since < self.cooldown {
                entry.scheduled = true;
                return Turn::Wait {
                    covered,
                    schedule: Some(self.cooldown - since),
                };
            }
        }
        entry.running = true;
        entry.started += 1;
        Turn::Now(self.fetching(id))
    }

    /// The scheduled fetch (after a [`Turn::Wait`] with `schedule`, or [`Fetching::finish`])
    /// starts.
    pub fn begin_scheduled(&self, id: &str) -> Fetching<'_> {
        let mut orders = self.lock();
        let entry = orders.entry(id.to_owned()).or_default();
        entry.scheduled = false;
        entry.running = true;
        entry.again = false;
        entry.started += 1;
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
        // The flags of a fetch that panicked go with its entry (`Fetching`'s drop).
        self.orders.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A fetch in progress. Dropped without [`Fetching::finish`] (a panic, a cancelled request),
/// it forgets the order's entry: webhooks waiting for it are told it failed, and the next
/// webhook fetches at once.
pub struct Fetching<'a> {
    refetches: &'a Refetches,
    id: String,
    finished: bool,
}

impl Fetching<'_> {
    /// The fetch ended (`ok`: the mirror has what the provider said). `Some(wait)`: webhooks
    /// came meanwhile; fetch again after `wait` (with [`Refetches::begin_scheduled`]).
    pub fn finish(mut self, ok: bool) -> Option<Duration> {
        self.finished = true;
        let mut orders = self.refetches.lock();
        let entry = orders.entry(self.id.clone()).or_default();
        entry.running = false;
        entry.last = Some(Instant::now());
        entry.finished.send_replace((entry.started, ok));
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

/// The fetch a waiting webhook is answered by.
pub struct Covered {
    finished: watch::Receiver<(u64, bool)>,
    target: u64,
}

impl Covered {
    /// Waits until that fetch has finished; whether it succeeded.
    pub async fn outcome(mut self) -> bool {
        loop {
            let (done, ok) = *self.finished.borrow_and_update();
            if done >= self.target {
                return ok;
            }
            if self.finished.changed().await.is_err() {
                // The fetch was abandoned.
                return false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(turn: Turn<'_>) -> Option<Option<Duration>> {
        match turn {
            Turn::Wait { schedule, .. } => Some(schedule),
            Turn::Now(_) => None,
        }
    }

    #[tokio::test]
    async fn a_burst_costs_one_fetch_now_and_one_after_the_cooldown() {
        let r = Refetches::new(Duration::from_secs(3600));
        let Turn::Now(first) = r.arrive("ord_a") else {
            panic!("the first webhook fetches")
        };
        // While it runs: wait for the next fetch, which follows this one.
        let Turn::Wait {
            covered,
            schedule: None,
        } = r.arrive("ord_a")
        else {
            panic!("joins")
        };
        assert_eq!(schedule(r.arrive("ord_a")), Some(None));
        // Another order is not held up.
        assert!(schedule(r.arrive("ord_b")).is_none());
        assert_eq!(first.finish(true), Some(Duration::from_secs(3600)));
        // The follow-up is scheduled: everything until it starts waits for it.
        assert_eq!(schedule(r.arrive("ord_a")), Some(None));
        let second = r.begin_scheduled("ord_a");
        assert_eq!(second.finish(false), None);
        assert!(
            !covered.outcome().await,
            "answered with the follow-up's outcome"
        );
        // Within the cooldown after it: one fetch at the cooldown's end.
        assert!(matches!(schedule(r.arrive("ord_a")), Some(Some(_))));
        assert_eq!(schedule(r.arrive("ord_a")), Some(None));
    }

    #[tokio::test]
    async fn after_the_cooldown_a_webhook_fetches_at_once() {
        let r = Refetches::new(Duration::ZERO);
        let Turn::Now(f) = r.arrive("ord_a") else {
            panic!()
        };
        assert_eq!(f.finish(true), None);
        assert!(schedule(r.arrive("ord_a")).is_none());
    }

    #[tokio::test]
    async fn a_fetch_that_never_finished_does_not_block_the_order() {
        let r = Refetches::new(Duration::from_secs(3600));
        let turn = r.arrive("ord_a");
        let Turn::Wait { covered, .. } = r.arrive("ord_a") else {
            panic!()
        };
        drop(turn);
        assert!(!covered.outcome().await, "told it failed");
        assert!(schedule(r.arrive("ord_a")).is_none(), "fetches at once");
    }
}
