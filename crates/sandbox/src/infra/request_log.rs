//! The request log: every API request (Mollie's `/v2/…`, Klarna's `/payments/v1/…` and
//! `/ordermanagement/v1/…`) with what the client got back, so a test can
//! check what its client really sent (how many retries, which idempotency keys) and which
//! answers were replayed or faulted. Kept in memory, newest [`CAPACITY`] only.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;

use super::faults::FaultNote;
use super::idempotency::{self, Replayed};
use crate::api::Api;
use crate::clock::format_datetime;
use crate::Sandbox;

/// How many requests are remembered; older ones are forgotten first.
pub const CAPACITY: usize = 1000;

/// One request as `GET /_sandbox/requests` lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoggedRequest {
    /// Counts up from 1 for the sandbox's lifetime (clearing does not reset it).
    pub seq: u64,
    /// When it arrived, on the sandbox clock.
    pub at: String,
    pub method: String,
    /// Path and query as the client sent them (inside the proxy: without `/sandbox`).
    pub path: String,
    /// The status the client got; `None` if it got no answer (dropped by a fault, or the
    /// client hung up first).
    pub status: Option<u16>,
    /// Real time taken, in milliseconds.
    pub duration_ms: u64,
    pub idempotency_key: Option<String>,
    /// The answer was a replay of an earlier one with the same idempotency key.
    pub replayed: bool,
    /// The fault rule that changed this request, if any.
    pub fault: Option<FaultNote>,
    /// Why there is no status, if there is none.
    pub error: Option<String>,
}

#[derive(Default)]
pub struct RequestLog {
    inner: Mutex<Log>,
}

#[derive(Default)]
struct Log {
    next_seq: u64,
    entries: VecDeque<LoggedRequest>,
}

impl RequestLog {
    pub fn list(&self) -> Vec<LoggedRequest> {
        self.lock().entries.iter().cloned().collect()
    }

    pub fn clear(&self) {
        self.lock().entries.clear();
    }

    fn push(&self, mut entry: LoggedRequest) {
        let mut log = self.lock();
        log.next_seq += 1;
        entry.seq = log.next_seq;
        if log.entries.len() >= CAPACITY {
            log.entries.pop_front();
        }
        log.entries.push_back(entry);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Log> {
        // Entries are pushed whole, so a poisoned log is still consistent.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Writes the entry when dropped, so a request whose client hangs up (hyper then drops the
/// handler's future) still shows in the log — often the very request a tester is looking for.
struct Pending {
    sandbox: Sandbox,
    started: Instant,
    entry: Option<LoggedRequest>,
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(mut entry) = self.entry.take() {
            entry.duration_ms =
                u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
            self.sandbox.inner.requests.push(entry);
        }
    }
}

/// The middleware; the outermost layer, so it sees what the client sees.
pub async fn layer(State(sandbox): State<Sandbox>, req: Request, next: Next) -> Response {
    if Api::of(req.uri().path()).is_none() {
        return next.run(req).await;
    }
    let mut pending = Pending {
        sandbox: sandbox.clone(),
        started: Instant::now(),
        entry: Some(LoggedRequest {
            seq: 0,
            at: format_datetime(sandbox.clock().now()),
            method: req.method().to_string(),
            path: req
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default(),
            status: None,
            duration_ms: 0,
            idempotency_key: idempotency::key_of(&req),
            replayed: false,
            fault: None,
            error: Some("The client went away before the answer.".into()),
        }),
    };
    let resp = next.run(req).await;
    if let Some(entry) = pending.entry.as_mut() {
        let fault = resp.extensions().get::<FaultNote>().cloned();
        let dropped = fault.as_ref().is_some_and(|f| f.dropped);
        entry.status = (!dropped).then(|| resp.status().as_u16());
        entry.error = dropped.then(|| "The connection was dropped by a fault rule.".to_owned());
        entry.replayed = resp.extensions().get::<Replayed>().is_some();
        entry.fault = fault;
    }
    drop(pending);
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> LoggedRequest {
        LoggedRequest {
            seq: 0,
            at: String::new(),
            method: "GET".into(),
            path: path.into(),
            status: Some(200),
            duration_ms: 0,
            idempotency_key: None,
            replayed: false,
            fault: None,
            error: None,
        }
    }

    #[test]
    fn keeps_the_newest_entries_only() {
        let log = RequestLog::default();
        for i in 0..CAPACITY + 5 {
            log.push(entry(&format!("/v2/orders/{i}")));
        }
        let list = log.list();
        assert_eq!(list.len(), CAPACITY);
        assert_eq!(list[0].path, "/v2/orders/5");
        assert_eq!(list[0].seq, 6);
        log.clear();
        assert!(log.list().is_empty());
        log.push(entry("/v2/orders"));
        assert_eq!(log.list()[0].seq, CAPACITY as u64 + 6);
    }
}
