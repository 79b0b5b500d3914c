//! Idempotency keys, each provider's way. A request that carries its provider's key is answered
//! once; a repeat within the window (sandbox clock) gets the first answer again.
//!
//! **Mollie** (reference §1.3): `Idempotency-Key` on `POST`, `PATCH` or `DELETE` under `/v2/`;
//! an hour; the replay carries `Idempotent-Replayed: true`; the same key with another method,
//! path (with query) or body is 400, the key being taken. `GET` ignores the key. Mollie
//! documents keys for POST only, but clients send them on DELETE and PATCH too (Python: UUID4
//! on cancel), and honouring them there costs a real client nothing.
//!
//! **Klarna** (Order Management, reference §1.4): `Klarna-Idempotency-Key` on `POST` and
//! `PATCH` under `/ordermanagement/v1/`; 24 hours; only the key counts, so a repeat with
//! another body gets the first answer too; the answer is replayed as it was, headers
//! (`Capture-Id`, `Location`) included. A key is remembered per operation (method and path):
//! the same key on another operation is another request. Klarna Payments takes no key.
//!
//! Both: the cache is per credential (two merchants may pick the same key); the first
//! *completed* answer is kept, 4xx included, 5xx not (a failed attempt may be retried); a
//! repeat while the first still runs is 409.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONNECTION, CONTENT_LENGTH, DATE, TRANSFER_ENCODING};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use time::{Duration, OffsetDateTime};

use crate::api::Api;
use crate::Sandbox;

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
pub const KLARNA_IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("klarna-idempotency-key");
pub const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// How one provider treats idempotency keys.
struct Policy {
    api: Api,
    header: HeaderName,
    /// How long a key is remembered (sandbox time).
    window: Duration,
    /// Whether a repeat must be the same request (Mollie) or only the key counts (Klarna).
    same_request: bool,
}

impl Policy {
    /// The policy for a request, if its provider takes a key for it.
    fn of(method: &Method, path: &str) -> Option<Self> {
        match Api::of(path)? {
            Api::Mollie if matches!(*method, Method::POST | Method::PATCH | Method::DELETE) => {
                Some(Self {
                    api: Api::Mollie,
                    header: IDEMPOTENCY_KEY,
                    window: Duration::HOUR,
                    same_request: true,
                })
            }
            Api::Klarna
                if matches!(*method, Method::POST | Method::PATCH)
                    && path.starts_with("/ordermanagement/") =>
            {
                Some(Self {
                    api: Api::Klarna,
                    header: KLARNA_IDEMPOTENCY_KEY,
                    window: Duration::DAY,
                    same_request: false,
                })
            }
            _ => None,
        }
    }
}

/// The idempotency key a request carries for its provider, if any (the request log shows it).
pub fn key_of(req: &Request) -> Option<String> {
    let policy = Policy::of(req.method(), req.uri().path())?;
    header_key(req, &policy)
}

fn header_key(req: &Request, policy: &Policy) -> Option<String> {
    req.headers()
        .get(&policy.header)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
        .filter(|k| !k.is_empty())
}

/// Marks an answer as a replay, for the request log (Klarna's replays carry no header).
#[derive(Clone, Copy, Debug)]
pub struct Replayed;
/// Request and response bodies are small JSON; this only guards memory.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// The remembered keys, by (API key, idempotency key).
#[derive(Default)]
pub struct Idempotency {
    entries: Mutex<HashMap<Slot, Entry>>,
}

type Slot = (String, String);

/// What makes two requests "the same".
#[derive(Clone, PartialEq, Eq)]
struct Fingerprint {
    method: Method,
    path_and_query: String,
    body: Bytes,
}

struct Entry {
    fingerprint: Fingerprint,
    expires_at: OffsetDateTime,
    /// `None` while the first request is still being handled.
    response: Option<Cached>,
}

#[derive(Clone)]
struct Cached {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Cached {
    fn to_response(&self, replay_of: Option<Api>) -> Response {
        let mut resp = Response::new(Body::from(self.body.clone()));
        *resp.status_mut() = self.status;
        *resp.headers_mut() = self.headers.clone();
        if let Some(api) = replay_of {
            resp.extensions_mut().insert(Replayed);
            if api == Api::Mollie {
                resp.headers_mut()
                    .insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
            }
        }
        resp
    }
}

enum Begin {
    /// First use of the key: the caller handles the request and must `finish` or `abandon`.
    Fresh,
    Replay(Cached),
    InFlight,
    Mismatch,
}

impl Idempotency {
    fn begin(
        &self,
        slot: &Slot,
        fingerprint: Fingerprint,
        now: OffsetDateTime,
        policy: &Policy,
    ) -> Begin {
        let mut entries = self.lock();
        // In-flight entries are kept whatever the clock says: their guard removes them.
        entries.retain(|_, e| e.response.is_none() || e.expires_at > now);
        match entries.get(slot) {
            Some(e) if policy.same_request && e.fingerprint != fingerprint => Begin::Mismatch,
            Some(Entry {
                response: Some(cached),
                ..
            }) => Begin::Replay(cached.clone()),
            Some(_) => Begin::InFlight,
            None => {
                entries.insert(
                    slot.clone(),
                    Entry {
                        fingerprint,
                        expires_at: now + policy.window,
                        response: None,
                    },
                );
                Begin::Fresh
            }
        }
    }

    fn finish(&self, slot: &Slot, response: Cached) {
        if let Some(e) = self.lock().get_mut(slot) {
            e.response = Some(response);
        }
    }

    fn abandon(&self, slot: &Slot) {
        let mut entries = self.lock();
        if entries.get(slot).is_some_and(|e| e.response.is_none()) {
            entries.remove(slot);
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Slot, Entry>> {
        // Entries are inserted and updated whole, so a poisoned map is still consistent.
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Frees the key if the first request ends without a cacheable answer (a 5xx, a panic), so
/// that a retry is handled afresh rather than answered 409 forever. A client that goes away
/// does not end the request: it runs to its end in a task of its own (see [`layer`]).
struct InFlight {
    sandbox: Sandbox,
    slot: Slot,
    finished: bool,
}

impl InFlight {
    fn finish(mut self, response: Cached) {
        self.sandbox.inner.idempotency.finish(&self.slot, response);
        self.finished = true;
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if !self.finished {
            self.sandbox.inner.idempotency.abandon(&self.slot);
        }
    }
}

/// The middleware.
pub async fn layer(State(sandbox): State<Sandbox>, req: Request, next: Next) -> Response {
    let Some(policy) = Policy::of(req.method(), req.uri().path()) else {
        return next.run(req).await;
    };
    let Some(key) = header_key(&req, &policy) else {
        return next.run(req).await;
    };
    let credential = req
        .headers()
        .get(AUTHORIZATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    // Mollie: a key names one request, and another request with it is refused. Klarna: a
    // key is remembered per operation (method and path), whatever the body.
    let key = if policy.same_request {
        key
    } else {
        format!("{} {} {key}", req.method(), req.uri().path())
    };
    let slot = (credential, key);
    let api = policy.api;

    let (parts, body) = req.into_parts();
    let Ok(body) = to_bytes(body, MAX_BODY).await else {
        return api.error(
            StatusCode::BAD_REQUEST,
            "The request body could not be read.",
        );
    };
    let fingerprint = Fingerprint {
        method: parts.method.clone(),
        path_and_query: parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        body: body.clone(),
    };
    let now = sandbox.clock().now();
    match sandbox
        .inner
        .idempotency
        .begin(&slot, fingerprint, now, &policy)
    {
        Begin::Fresh => {}
        Begin::Replay(cached) => return cached.to_response(Some(api)),
        Begin::InFlight => {
            return api.error(
                StatusCode::CONFLICT,
                "A request with this idempotency key is still being processed.",
            )
        }
        Begin::Mismatch => {
            return api.error(
                StatusCode::BAD_REQUEST,
                "The idempotency key was already used for a request with other parameters.",
            )
        }
    }
    let guard = InFlight {
        sandbox: sandbox.clone(),
        slot,
        finished: false,
    };
    // A provider finishes what it started whether or not its client waits for the answer:
    // the request runs to its end, answer cached, in a task of its own. Were it cancelled with
    // the connection (a client that hung up, a proxy killed mid-call), the handler could have
    // acted without its answer being kept, and the retry under the same key would act again.
    let request = Request::from_parts(parts, Body::from(body));
    match tokio::spawn(run_and_keep(guard, api, request, next)).await {
        Ok(resp) => resp,
        Err(_) => api.error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The request failed in the sandbox.",
        ),
    }
}

/// Runs a keyed request and keeps its answer under the key (unless it is a 5xx).
async fn run_and_keep(guard: InFlight, api: Api, request: Request, next: Next) -> Response {
    let resp = next.run(request).await;
    // A 5xx means the attempt failed, possibly before it did anything; caching it would answer
    // every retry with the same failure, which is exactly what the key is meant to avoid.
    // Dropping the guard frees the key so the retry runs the handler again.
    if resp.status().is_server_error() {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let Ok(body) = to_bytes(body, MAX_BODY).await else {
        return api.error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The response could not be read.",
        );
    };
    let mut headers = parts.headers;
    // Per-connection and per-message headers are made afresh for each answer.
    for h in [CONTENT_LENGTH, TRANSFER_ENCODING, CONNECTION, DATE] {
        headers.remove(h);
    }
    let cached = Cached {
        status: parts.status,
        headers,
        body,
    };
    guard.finish(cached.clone());
    cached.to_response(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use tower::ServiceExt;

    fn fp(body: &'static str) -> Fingerprint {
        Fingerprint {
            method: Method::POST,
            path_and_query: "/v2/orders".into(),
            body: Bytes::from_static(body.as_bytes()),
        }
    }

    fn cached() -> Cached {
        Cached {
            status: StatusCode::CREATED,
            headers: HeaderMap::new(),
            body: Bytes::from_static(b"{}"),
        }
    }

    fn mollie() -> Policy {
        Policy::of(&Method::POST, "/v2/orders").expect("Mollie takes keys")
    }

    #[test]
    fn only_each_providers_changes_take_a_key() {
        assert!(Policy::of(&Method::GET, "/v2/orders").is_none());
        assert!(Policy::of(&Method::DELETE, "/v2/orders/ord_1").is_some());
        let klarna = Policy::of(&Method::POST, "/ordermanagement/v1/orders/x/captures").unwrap();
        assert_eq!(klarna.header, KLARNA_IDEMPOTENCY_KEY);
        assert!(!klarna.same_request);
        assert!(Policy::of(&Method::PATCH, "/ordermanagement/v1/orders/x/authorization").is_some());
        assert!(Policy::of(&Method::GET, "/ordermanagement/v1/orders/x").is_none());
        assert!(Policy::of(&Method::POST, "/payments/v1/sessions").is_none());
        assert!(Policy::of(&Method::POST, "/checkout/abc").is_none());
    }

    #[test]
    fn klarna_replays_the_first_answer_whatever_the_body() {
        let idem = Idempotency::default();
        let policy = Policy::of(&Method::POST, "/ordermanagement/v1/orders/x/captures").unwrap();
        let slot = ("Basic a".to_owned(), "k".to_owned());
        let t0 = time::macros::datetime!(2024-01-01 12:00 UTC);
        assert!(matches!(
            idem.begin(&slot, fp("a"), t0, &policy),
            Begin::Fresh
        ));
        idem.finish(&slot, cached());
        let later = t0 + Duration::hours(23);
        assert!(matches!(
            idem.begin(&slot, fp("other"), later, &policy),
            Begin::Replay(_)
        ));
        let expired = t0 + Duration::hours(25);
        assert!(matches!(
            idem.begin(&slot, fp("b"), expired, &policy),
            Begin::Fresh
        ));
    }

    #[test]
    fn a_key_is_fresh_then_in_flight_then_replayed_then_forgotten() {
        let policy = mollie();
        let idem = Idempotency::default();
        let slot = ("Bearer test_a".to_owned(), "k1".to_owned());
        let t0 = time::macros::datetime!(2024-01-01 12:00 UTC);
        assert!(matches!(
            idem.begin(&slot, fp("a"), t0, &policy),
            Begin::Fresh
        ));
        assert!(matches!(
            idem.begin(&slot, fp("a"), t0, &policy),
            Begin::InFlight
        ));
        assert!(matches!(
            idem.begin(&slot, fp("b"), t0, &policy),
            Begin::Mismatch
        ));
        idem.finish(&slot, cached());
        let later = t0 + Duration::minutes(59);
        assert!(matches!(
            idem.begin(&slot, fp("a"), later, &policy),
            Begin::Replay(_)
        ));
        let expired = t0 + Duration::minutes(61);
        assert!(matches!(
            idem.begin(&slot, fp("b"), expired, &policy),
            Begin::Fresh
        ));
    }

    /// A route behind the idempotency layer whose handler fails first, then creates; and
    /// one that takes its time.
    fn app(sandbox: &Sandbox) -> (axum::Router, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let router = axum::Router::new()
            .route(
                "/v2/flaky",
                axum::routing::post(move || {
                    let n = counter.fetch_add(1, Ordering::SeqCst);
                    async move {
                        if n == 0 {
                            StatusCode::SERVICE_UNAVAILABLE
                        } else {
                            StatusCode::CREATED
                        }
                    }
                }),
            )
            .route(
                "/v2/slow",
                axum::routing::post(|| async {
                    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                    StatusCode::CREATED
                }),
            )
            .layer(axum::middleware::from_fn_with_state(sandbox.clone(), layer));
        (router, calls)
    }

    fn post(uri: &str) -> Request {
        Request::post(uri)
            .header(IDEMPOTENCY_KEY, "k")
            .body(Body::empty())
            .unwrap_or_default()
    }

    #[tokio::test]
    async fn a_5xx_is_not_cached_so_the_retry_runs_again() {
        let sandbox = Sandbox::new(crate::SandboxConfig::default());
        let (app, calls) = app(&sandbox);
        let first = app.clone().oneshot(post("/v2/flaky")).await.unwrap();
        assert_eq!(first.status(), StatusCode::SERVICE_UNAVAILABLE);
        let retry = app.clone().oneshot(post("/v2/flaky")).await.unwrap();
        assert_eq!(retry.status(), StatusCode::CREATED);
        assert!(retry.headers().get(IDEMPOTENT_REPLAYED).is_none());
        let replay = app.oneshot(post("/v2/flaky")).await.unwrap();
        assert_eq!(replay.status(), StatusCode::CREATED);
        assert_eq!(replay.headers()[IDEMPOTENT_REPLAYED], "true");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_repeat_while_the_first_runs_is_a_409() {
        let sandbox = Sandbox::new(crate::SandboxConfig::default());
        let (app, _) = app(&sandbox);
        let first = tokio::spawn(app.clone().oneshot(post("/v2/slow")));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let second = app.clone().oneshot(post("/v2/slow")).await.unwrap();
        assert_eq!(second.status(), StatusCode::CONFLICT);
        let first = first.await.unwrap().unwrap();
        assert_eq!(first.status(), StatusCode::CREATED);
        let third = app.oneshot(post("/v2/slow")).await.unwrap();
        assert_eq!(third.headers()[IDEMPOTENT_REPLAYED], "true");
    }

    #[tokio::test]
    async fn a_request_whose_client_went_away_still_finishes_and_keeps_its_answer() {
        let sandbox = Sandbox::new(crate::SandboxConfig::default());
        let (app, _) = app(&sandbox);
        let gave_up = tokio::time::timeout(
            std::time::Duration::from_millis(50),
            app.clone().oneshot(post("/v2/slow")),
        )
        .await;
        assert!(gave_up.is_err());
        // Still being carried out, as at the provider…
        let soon = app.clone().oneshot(post("/v2/slow")).await.unwrap();
        assert_eq!(soon.status(), StatusCode::CONFLICT);
        // …and once done, the retry gets that answer instead of acting again.
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        let retry = app.oneshot(post("/v2/slow")).await.unwrap();
        assert_eq!(retry.status(), StatusCode::CREATED);
        assert_eq!(retry.headers()[IDEMPOTENT_REPLAYED], "true");
    }

    #[test]
    fn keys_are_per_api_key_and_abandoning_frees_them() {
        let policy = mollie();
        let idem = Idempotency::default();
        let t0 = time::macros::datetime!(2024-01-01 12:00 UTC);
        let a = ("Bearer test_a".to_owned(), "k".to_owned());
        let b = ("Bearer test_b".to_owned(), "k".to_owned());
        assert!(matches!(idem.begin(&a, fp("x"), t0, &policy), Begin::Fresh));
        assert!(matches!(idem.begin(&b, fp("y"), t0, &policy), Begin::Fresh));
        idem.abandon(&a);
        assert!(matches!(idem.begin(&a, fp("z"), t0, &policy), Begin::Fresh));
    }
}
