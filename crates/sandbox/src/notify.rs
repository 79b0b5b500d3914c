//! Notifications to the merchant: Mollie's webhook (`POST <webhookUrl>` with the form body
//! `id=ord_...`; the body carries no status, receivers fetch the order) and Klarna's
//! notification (`POST <merchant_urls.notification>` with a JSON body such as
//! `{"order_id", "event_type": "FRAUD_RISK_ACCEPTED", …}`).
//!
//! A call that gets no answer or a non-2xx answer is retried on Mollie's schedule (reference
//! §7), for both providers (Klarna documents none): 10 calls in all, at +1, +3, +7, +15 and
//! +31 minutes, then +1, +2, +4 and +26 hours after the first. The schedule runs on the
//! sandbox clock, so a tester who advances the clock (`POST /_sandbox/clock`) sees the due
//! retries go out at once instead of waiting a day.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration as StdDuration;

use serde::Serialize;
use time::{Duration, OffsetDateTime};
use tokio::sync::Notify;

use crate::clock::{format_datetime, Clock};
use crate::Inner;

/// Minutes after the first call at which calls 2 to 10 are made.
const RETRY_AT_MINUTES: [i64; 9] = [1, 3, 7, 15, 31, 60, 120, 240, 1560];
/// How often (real time) the retrier looks for due retries when nobody wakes it.
const TICK: StdDuration = StdDuration::from_millis(200);

/// What a notification carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payload {
    /// Mollie's webhook: the form `id=<resource id>`.
    Mollie { id: String },
    /// Klarna's notification: a JSON object about `order_id`, saying `event`.
    Klarna {
        order_id: String,
        event: String,
        json: String,
    },
}

impl Payload {
    fn resource_id(&self) -> &str {
        match self {
            Self::Mollie { id } => id,
            Self::Klarna { order_id, .. } => order_id,
        }
    }

    fn event(&self) -> Option<&str> {
        match self {
            Self::Mollie { .. } => None,
            Self::Klarna { event, .. } => Some(event),
        }
    }
}

/// One delivery attempt, as the tester can read it in the delivery log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// The order (or other resource) the notification is about.
    pub resource_id: String,
    /// Klarna's event type (`FRAUD_RISK_ACCEPTED`, …); absent for Mollie's webhooks, which
    /// name no event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    pub url: String,
    pub at: String,
    /// 1 for the first call, up to 10 for the last retry.
    pub attempt: u32,
    /// The receiver's HTTP status, if it answered.
    pub status: Option<u16>,
    /// Why the attempt failed to get an answer, if it did.
    pub error: Option<String>,
}

impl Delivery {
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// A retry waiting for its time.
#[derive(Clone, Debug)]
struct Retry {
    url: String,
    payload: Payload,
    first_at: OffsetDateTime,
    /// The attempt number this retry will be (2..=10).
    attempt: u32,
}

impl Retry {
    /// When the call with this attempt number is due, or `None` past the last one.
    fn due(&self) -> Option<OffsetDateTime> {
        let index = usize::try_from(self.attempt.checked_sub(2)?).ok()?;
        RETRY_AT_MINUTES
            .get(index)
            .map(|m| self.first_at + Duration::minutes(*m))
    }
}

pub struct Notifications {
    http: reqwest::Client,
    log: Mutex<Vec<Delivery>>,
    pending: Mutex<Vec<Retry>>,
    /// Wakes the retrier early, e.g. when the clock was advanced.
    wake: Arc<Notify>,
    retrier_started: AtomicBool,
}

impl Notifications {
    pub fn new() -> Self {
        let http = reqwest::Client::builder()
            // Mollie gives receivers 15 seconds.
            .timeout(StdDuration::from_secs(15))
            // Mollie does not follow redirects with the body intact; neither do we.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Self {
            http,
            log: Mutex::new(Vec::new()),
            pending: Mutex::new(Vec::new()),
            wake: Arc::new(Notify::new()),
            retrier_started: AtomicBool::new(false),
        }
    }

    /// Makes the first call for a change and schedules retries if it fails.
    pub async fn send(&self, url: &str, payload: Payload, clock: &Clock) -> Delivery {
        let first_at = clock.now();
        let delivery = self.deliver(url, &payload, 1, first_at).await;
        if !delivery.succeeded() {
            self.schedule(Retry {
                url: url.to_owned(),
                payload,
                first_at,
                attempt: 2,
            });
        }
        delivery
    }

    /// Makes one call and records it.
    async fn deliver(
        &self,
        url: &str,
        payload: &Payload,
        attempt: u32,
        at: OffsetDateTime,
    ) -> Delivery {
        let request = self.http.post(url);
        let request = match payload {
            Payload::Mollie { id } => request.form(&[("id", id)]),
            Payload::Klarna { json, .. } => request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(json.clone()),
        };
        let result = request.send().await;
        let resource_id = payload.resource_id();
        let (status, error) = match result {
            Ok(resp) => (Some(resp.status().as_u16()), None),
            Err(e) => (None, Some(e.to_string())),
        };
        let delivery = Delivery {
            resource_id: resource_id.to_owned(),
            event: payload.event().map(str::to_owned),
            url: url.to_owned(),
            at: format_datetime(at),
            attempt,
            status,
            error,
        };
        if !delivery.succeeded() {
            tracing::warn!(
                url,
                resource_id,
                attempt,
                ?status,
                "webhook delivery failed"
            );
        }
        self.log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(delivery.clone());
        delivery
    }

    /// Makes a due retry and schedules the next one if it fails too.
    async fn retry(&self, retry: Retry, clock: &Clock) {
        let delivery = self
            .deliver(&retry.url, &retry.payload, retry.attempt, clock.now())
            .await;
        if !delivery.succeeded() {
            self.schedule(Retry {
                attempt: retry.attempt + 1,
                ..retry
            });
        }
    }

    fn schedule(&self, retry: Retry) {
        if retry.due().is_some() {
            self.lock_pending().push(retry);
        } else {
            tracing::warn!(
                url = retry.url,
                resource_id = retry.payload.resource_id(),
                "notification given up"
            );
        }
    }

    /// Takes the retries due at `now` out of the queue.
    fn take_due(&self, now: OffsetDateTime) -> Vec<Retry> {
        let mut pending = self.lock_pending();
        let (due, later) = pending
            .drain(..)
            .partition(|r| r.due().is_some_and(|d| d <= now));
        *pending = later;
        due
    }

    /// How many retries are waiting.
    #[cfg(test)]
    pub fn pending(&self) -> usize {
        self.lock_pending().len()
    }

    /// Lets the retrier look for due retries now rather than at its next tick.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn log(&self) -> Vec<Delivery> {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn lock_pending(&self) -> std::sync::MutexGuard<'_, Vec<Retry>> {
        // Retries are pushed and drained whole, so a poisoned queue is still consistent.
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Starts the background task that makes due retries, once per sandbox, if a tokio runtime is
/// running (a sandbox built outside one starts it on its first failed webhook instead).
///
/// The task holds only a weak reference between ticks: when the last `Sandbox` is dropped it
/// ends, and it never keeps a test's sandbox alive into the next. Tokio does not wait for
/// spawned tasks at shutdown, so it cannot keep the process from exiting either.
pub(crate) fn start_retrier(inner: &Arc<Inner>) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    if inner
        .notifications
        .retrier_started
        .swap(true, Ordering::SeqCst)
    {
        return;
    }
    let weak: Weak<Inner> = Arc::downgrade(inner);
    let wake = inner.notifications.wake.clone();
    runtime.spawn(async move {
        loop {
            tokio::select! {
                () = tokio::time::sleep(TICK) => {}
                () = wake.notified() => {}
            }
            let Some(inner) = weak.upgrade() else { break };
            for retry in inner.notifications.take_due(inner.clock.now()) {
                // Each retry on its own task: one receiver taking its 15 s must not hold up
                // the others.
                let inner = inner.clone();
                tokio::spawn(async move { inner.notifications.retry(retry, &inner.clock).await });
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Sandbox, SandboxConfig};

    fn mollie_webhook(id: &str) -> Payload {
        Payload::Mollie { id: id.to_owned() }
    }
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn the_schedule_is_mollies() {
        let first_at = time::macros::datetime!(2024-01-01 00:00 UTC);
        let retry = |attempt| Retry {
            url: String::new(),
            payload: Payload::Mollie { id: String::new() },
            first_at,
            attempt,
        };
        assert_eq!(retry(2).due(), Some(first_at + Duration::minutes(1)));
        assert_eq!(retry(7).due(), Some(first_at + Duration::hours(1)));
        assert_eq!(retry(10).due(), Some(first_at + Duration::hours(26)));
        assert_eq!(retry(11).due(), None);
        assert_eq!(retry(1).due(), None);
    }

    /// A receiver on a free loopback port that answers 500 to its first `failures` calls.
    async fn flaky_receiver(failures: usize) -> (String, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move || {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                async move {
                    if n < failures {
                        axum::http::StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        axum::http::StatusCode::OK
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        (format!("http://{addr}/hook"), calls)
    }

    async fn wait_for_deliveries(sandbox: &Sandbox, n: usize) -> Vec<Delivery> {
        for _ in 0..100 {
            let log = sandbox.deliveries();
            if log.len() >= n {
                return log;
            }
            tokio::time::sleep(StdDuration::from_millis(50)).await;
        }
        sandbox.deliveries()
    }

    #[tokio::test]
    async fn failed_calls_are_retried_on_the_sandbox_clock() {
        let (url, calls) = flaky_receiver(2).await;
        let sandbox = Sandbox::new(SandboxConfig::default());
        sandbox.notify(&url, mollie_webhook("ord_1")).await;
        assert_eq!(sandbox.deliveries().len(), 1);
        // Real time alone does not make the retry due.
        tokio::time::sleep(StdDuration::from_millis(500)).await;
        assert_eq!(sandbox.deliveries().len(), 1);

        sandbox.clock().advance(Duration::minutes(1)).unwrap();
        sandbox.inner.notifications.wake();
        let log = wait_for_deliveries(&sandbox, 2).await;
        assert_eq!(log.len(), 2, "{log:?}");

        sandbox.clock().advance(Duration::hours(30)).unwrap();
        sandbox.inner.notifications.wake();
        let log = wait_for_deliveries(&sandbox, 3).await;
        let attempts: Vec<_> = log.iter().map(|d| (d.attempt, d.status)).collect();
        assert_eq!(attempts, [(1, Some(500)), (2, Some(500)), (3, Some(200))]);
        // Success ends the series.
        tokio::time::sleep(StdDuration::from_millis(500)).await;
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        assert_eq!(sandbox.inner.notifications.pending(), 0);
    }

    #[tokio::test]
    async fn a_receiver_that_never_answers_gets_ten_calls() {
        let (url, calls) = flaky_receiver(usize::MAX).await;
        let sandbox = Sandbox::new(SandboxConfig::default());
        sandbox.notify(&url, mollie_webhook("ord_1")).await;
        sandbox.clock().advance(Duration::hours(27)).unwrap();
        let log = wait_for_deliveries(&sandbox, 10).await;
        assert_eq!(log.len(), 10);
        assert_eq!(log.last().map(|d| d.attempt), Some(10));
        tokio::time::sleep(StdDuration::from_millis(500)).await;
        assert_eq!(calls.load(Ordering::SeqCst), 10);
        assert_eq!(sandbox.inner.notifications.pending(), 0);
    }

    #[tokio::test]
    async fn the_retrier_stops_when_the_sandbox_is_dropped() {
        let sandbox = Sandbox::new(SandboxConfig::default());
        let weak = Arc::downgrade(&sandbox.inner);
        drop(sandbox);
        assert!(
            weak.upgrade().is_none(),
            "the task holds no strong reference"
        );
    }
}
