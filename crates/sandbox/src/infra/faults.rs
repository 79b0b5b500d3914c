//! Fault injection: rules that make matching requests fail the way real networks and Mollie do,
//! so a client's retry and recovery paths can be tested on purpose.
//!
//! A rule has a **route** (an optional method and a path pattern), an **effect** and a
//! **trigger**; rules are added with `POST /_sandbox/faults` (JSON) or `--fault` (one line):
//!
//! ```text
//! POST /v2/orders status=503 once          the next create answers 503, later ones work
//! /v2/orders/*/shipments latency_ms=2000   every shipment call, any method, is 2 s slower
//! GET /v2/** status=429 times=3            three 429s (with `Retry-After: 1`) on any GET
//! POST /v2/orders drop after once          the order is created, but the client sees the
//!                                          connection close: "did my create go through?"
//! ```
//!
//! JSON takes the same words as fields: `{"method":"POST","path":"/v2/orders","status":503,
//! "once":true}`; `drop`, `once` and `after` are booleans there.
//!
//! Route: the method (`*` or none for any) and a path pattern matched against the path without
//! the query. `*` matches one segment, a trailing `**` any number of segments (also none);
//! anything else must match exactly. Paths are the sandbox's own: inside the proxy a rule for
//! `/v2/orders` catches `/sandbox/v2/orders`. `/_sandbox/...` is never faulted, so a tester
//! can always clear the rules.
//!
//! Effects (`latency_ms` may be combined with one of the other three):
//! - `status=N` (400–599): answers in the provider's error shape (Mollie's for `/v2/…`,
//!   Klarna's for `/payments/…` and `/ordermanagement/…`); 429 also sends `Retry-After: 1`.
//! - `latency_ms=N`: waits N ms of real time, then carries on (alone: the real answer, late).
//! - `drop`: closes the connection without an answer; the client sees a connection error.
//! - `timeout_ms=N`: holds the request N ms, then answers 504. Pick N above the client's own
//!   timeout to see the client give up.
//!
//! Trigger: every matching request by default; `once` or `times=N` for the first N matches;
//! `probability=P` (0.0–1.0, alias `rate`) makes each match fire with that chance (with
//! `times`, until it fired N times). When several rules match, the first one added that fires
//! wins. Exhausted rules stay listed (with `fired`) until deleted.
//!
//! Timing: faults act **before** the handler by default (nothing happens in the sandbox). With
//! `after`, the handler runs first — the order is created, the refund made — and then the
//! client gets the fault instead of the answer: the "provider acted, but we never heard back"
//! case. Faults sit outside idempotency, so a retry with the same `Idempotency-Key` after an
//! `after` fault gets the real, cached answer.

use std::collections::VecDeque;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use http_body::Frame;
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::api::Api;
use crate::{MollieError, Sandbox};

/// A fault rule as the tester writes it: the JSON body of `POST /_sandbox/faults`, or parsed
/// from a `--fault` line with [`FromStr`]. See the module docs for the meaning of each field.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub drop: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub once: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
    /// The chance that a matching request is faulted; a probability, not a sum of money.
    #[serde(default, alias = "rate", skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub after: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// `[METHOD] PATH WORD...` where a word is `status=N`, `latency_ms=N`, `drop`, `timeout_ms=N`,
/// `once`, `times=N`, `probability=P` (or `rate=P`) or `after`.
impl FromStr for FaultSpec {
    type Err = MollieError;

    fn from_str(line: &str) -> Result<Self, Self::Err> {
        let bad = |detail: String| {
            MollieError::bad_request(format!(
                "Fault rule {:?}: {detail}",
                crate::echo::clip(line)
            ))
        };
        let mut words = line.split_whitespace().peekable();
        let mut spec = FaultSpec::default();
        if words.peek().is_some_and(|w| !w.starts_with('/')) {
            spec.method = words.next().map(str::to_owned);
        }
        spec.path = words
            .next()
            .filter(|p| p.starts_with('/'))
            .ok_or_else(|| bad("expected `[METHOD] /path ...`".into()))?
            .to_owned();
        for word in words {
            let (name, value) = match word.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (word, None),
            };
            fn num<T: FromStr>(name: &str, value: Option<&str>) -> Result<T, String> {
                value
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| format!("`{name}=` needs a number"))
            }
            match (name, value) {
                ("status", v) => spec.status = Some(num(name, v).map_err(bad)?),
                ("latency_ms", v) => spec.latency_ms = Some(num(name, v).map_err(bad)?),
                ("timeout_ms", v) => spec.timeout_ms = Some(num(name, v).map_err(bad)?),
                ("times", v) => spec.times = Some(num(name, v).map_err(bad)?),
                ("probability" | "rate", v) => spec.probability = Some(num(name, v).map_err(bad)?),
                ("drop", None) => spec.drop = true,
                ("once", None) => spec.once = true,
                ("after", None) => spec.after = true,
                _ => return Err(bad(format!("unknown word `{word}`"))),
            }
        }
        // Check it now, so a bad flag stops the binary at start rather than at the first call.
        Rule::compile(String::new(), spec.clone()).map_err(|e| bad(e.detail))?;
        Ok(spec)
    }
}

/// A rule as listed by `GET /_sandbox/faults`: what was asked for, its id and how often it
/// fired.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FaultRule {
    pub id: String,
    #[serde(flatten)]
    pub spec: FaultSpec,
    pub fired: u32,
}

/// What the request log notes about a faulted request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FaultNote {
    pub rule: String,
    pub effect: String,
    pub after: bool,
    /// The connection was closed without an answer.
    #[serde(skip)]
    pub dropped: bool,
}

/// The rule set, in the order the rules were added.
#[derive(Default)]
pub struct Faults {
    rules: Mutex<VecDeque<Rule>>,
}

impl Faults {
    pub fn add(&self, spec: FaultSpec) -> Result<FaultRule, MollieError> {
        let rule = Rule::compile(crate::ids::new_id("flt"), spec)?;
        let view = rule.view();
        self.lock().push_back(rule);
        Ok(view)
    }

    pub fn list(&self) -> Vec<FaultRule> {
        self.lock().iter().map(Rule::view).collect()
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Removes one rule; false if there was none with that id.
    pub fn remove(&self, id: &str) -> bool {
        let mut rules = self.lock();
        let before = rules.len();
        rules.retain(|r| r.id != id);
        rules.len() != before
    }

    /// The fault to inject into this request, if any; counts it as fired.
    fn pick(&self, method: &Method, path: &str) -> Option<Picked> {
        let mut rules = self.lock();
        let mut rng = rand::rng();
        let rule = rules.iter_mut().find(|r| {
            r.matches(method, path)
                && r.times.is_none_or(|n| r.fired < n)
                && (r.probability >= 1.0 || rng.random_bool(r.probability))
        })?;
        rule.fired += 1;
        Some(Picked {
            note: FaultNote {
                rule: rule.id.clone(),
                effect: rule.effect.describe(),
                after: rule.after,
                dropped: matches!(rule.effect.outcome, Some(Outcome::Drop)),
            },
            effect: rule.effect.clone(),
            after: rule.after,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Rule>> {
        // Rules are replaced whole under the lock, so a poisoned lock holds no half-made rule.
        self.rules.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A validated rule.
struct Rule {
    id: String,
    spec: FaultSpec,
    method: Option<Method>,
    pattern: Vec<String>,
    effect: Effect,
    times: Option<u32>,
    probability: f64,
    after: bool,
    fired: u32,
}

impl Rule {
    fn compile(id: String, spec: FaultSpec) -> Result<Self, MollieError> {
        let invalid = |detail: &str| MollieError::bad_request(detail.to_owned());
        let method = match spec.method.as_deref() {
            None | Some("*") => None,
            Some(m) => Some(
                Method::from_bytes(m.to_ascii_uppercase().as_bytes())
                    .map_err(|_| invalid("The method is not an HTTP method."))?,
            ),
        };
        if !spec.path.starts_with('/') {
            return Err(invalid("The path must start with '/'."));
        }
        let pattern: Vec<String> = spec.path.split('/').skip(1).map(str::to_owned).collect();
        if pattern.iter().rev().skip(1).any(|s| s == "**") {
            return Err(invalid("'**' may only end a path pattern."));
        }
        let status = match spec.status {
            None => None,
            Some(s) => Some(
                StatusCode::from_u16(s)
                    .ok()
                    .filter(|s| s.is_client_error() || s.is_server_error())
                    .ok_or_else(|| invalid("The status must be between 400 and 599."))?,
            ),
        };
        let outcomes = [status.is_some(), spec.drop, spec.timeout_ms.is_some()];
        let outcome = match outcomes.iter().filter(|o| **o).count() {
            0 => None,
            1 => Some(match (status, spec.timeout_ms) {
                (Some(s), _) => Outcome::Status(s),
                (_, Some(ms)) => Outcome::Timeout(Duration::from_millis(ms)),
                _ => Outcome::Drop,
            }),
            _ => return Err(invalid("Use only one of status, drop and timeout_ms.")),
        };
        if outcome.is_none() && spec.latency_ms.is_none() {
            return Err(invalid(
                "A rule needs an effect: status, latency_ms, drop or timeout_ms.",
            ));
        }
        let times = match (spec.once, spec.times) {
            (_, Some(0)) => return Err(invalid("times must be at least 1.")),
            (true, Some(n)) if n != 1 => return Err(invalid("once and times disagree.")),
            (true, _) => Some(1),
            (false, n) => n,
        };
        let probability = spec.probability.unwrap_or(1.0);
        if !(0.0..=1.0).contains(&probability) {
            return Err(invalid("probability must be between 0.0 and 1.0."));
        }
        Ok(Self {
            id,
            method,
            pattern,
            effect: Effect {
                delay: spec.latency_ms.map(Duration::from_millis),
                outcome,
            },
            times,
            probability,
            after: spec.after,
            fired: 0,
            spec,
        })
    }

    fn matches(&self, method: &Method, path: &str) -> bool {
        self.method.as_ref().is_none_or(|m| m == method) && path_matches(&self.pattern, path)
    }

    fn view(&self) -> FaultRule {
        FaultRule {
            id: self.id.clone(),
            spec: self.spec.clone(),
            fired: self.fired,
        }
    }
}

/// `*` is one segment, a final `**` is the rest (possibly nothing), other segments are literal.
fn path_matches(pattern: &[String], path: &str) -> bool {
    let mut segments = path.split('/').skip(1);
    for part in pattern {
        if part == "**" {
            return true;
        }
        match segments.next() {
            Some(seg) if part == "*" || part == seg => {}
            _ => return false,
        }
    }
    segments.next().is_none()
}

#[derive(Clone, Debug)]
struct Effect {
    delay: Option<Duration>,
    outcome: Option<Outcome>,
}

#[derive(Clone, Debug)]
enum Outcome {
    Status(StatusCode),
    Drop,
    Timeout(Duration),
}

impl Effect {
    fn describe(&self) -> String {
        let delay = self.delay.map(|d| format!("latency {} ms", d.as_millis()));
        let outcome = self.outcome.as_ref().map(|o| match o {
            Outcome::Status(s) => format!("status {}", s.as_u16()),
            Outcome::Drop => "drop".to_owned(),
            Outcome::Timeout(d) => format!("timeout {} ms", d.as_millis()),
        });
        [delay, outcome]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Waits the latency, then answers with the outcome in `api`'s error shape, or `None` to
    /// let the real answer through.
    async fn act(&self, api: Api) -> Option<Response> {
        if let Some(d) = self.delay {
            tokio::time::sleep(d).await;
        }
        Some(match self.outcome.as_ref()? {
            Outcome::Status(s) => {
                let mut resp = api.error(*s, detail_for(*s));
                if *s == StatusCode::TOO_MANY_REQUESTS {
                    resp.headers_mut()
                        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                }
                resp
            }
            Outcome::Drop => Response::new(Body::new(Hangup)),
            Outcome::Timeout(d) => {
                tokio::time::sleep(*d).await;
                api.error(
                    StatusCode::GATEWAY_TIMEOUT,
                    "The request timed out (injected by the sandbox).",
                )
            }
        })
    }
}

fn detail_for(status: StatusCode) -> &'static str {
    match status {
        StatusCode::TOO_MANY_REQUESTS => {
            "You have exceeded the rate limit. Please try again later (injected by the sandbox)."
        }
        s if s.is_server_error() => {
            "An error occurred while processing your request (injected by the sandbox)."
        }
        _ => "The request was rejected (injected by the sandbox).",
    }
}

/// A response body that fails on its first poll. hyper then closes the connection before it
/// has flushed the status line, so the client sees the connection end with no answer — as if
/// the server had crashed or a load balancer had cut it.
struct Hangup;

impl http_body::Body for Hangup {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection dropped by a sandbox fault rule",
        ))))
    }
}

/// The middleware: applies the first rule that fires, before or after the handler.
pub async fn layer(State(sandbox): State<Sandbox>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path.starts_with("/_sandbox/") {
        return next.run(req).await;
    }
    let Some(picked) = sandbox.inner.faults.pick(req.method(), path) else {
        return next.run(req).await;
    };
    tracing::info!(rule = %picked.note.rule, effect = %picked.note.effect, "injecting a fault");
    let api = Api::of_or_mollie(path);
    let mut resp = if picked.after {
        let real = next.run(req).await;
        match picked.effect.act(api).await {
            Some(fault) => fault,
            None => real,
        }
    } else {
        match picked.effect.act(api).await {
            Some(fault) => fault,
            None => next.run(req).await,
        }
    };
    resp.extensions_mut().insert(picked.note);
    resp
}

struct Picked {
    note: FaultNote,
    effect: Effect,
    after: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(line: &str) -> FaultSpec {
        line.parse()
            .unwrap_or_else(|e: MollieError| panic!("{}", e.detail))
    }

    #[test]
    fn parses_the_cli_format() {
        assert_eq!(
            spec("POST /v2/orders/*/shipments status=503 once"),
            FaultSpec {
                method: Some("POST".into()),
                path: "/v2/orders/*/shipments".into(),
                status: Some(503),
                once: true,
                ..FaultSpec::default()
            }
        );
        let s = spec("/v2/** latency_ms=250 drop after times=2 rate=0.5");
        assert_eq!(s.method, None);
        assert_eq!(
            (s.latency_ms, s.drop, s.after, s.times),
            (Some(250), true, true, Some(2))
        );
        assert_eq!(s.probability, Some(0.5));
    }

    #[test]
    fn rejects_nonsense() {
        for line in [
            "",
            "POST",
            "POST v2/orders status=503",
            "POST /v2/orders",
            "POST /v2/orders status=200",
            "POST /v2/orders status=abc",
            "POST /v2/orders status=503 drop",
            "POST /v2/orders drop times=0",
            "POST /v2/orders drop once times=2",
            "POST /v2/orders drop probability=1.5",
            "POST /v2/orders drop sometimes",
            "POST /v2/**/lines drop",
            "P@ST /v2/orders drop",
        ] {
            assert!(line.parse::<FaultSpec>().is_err(), "{line:?}");
        }
    }

    #[test]
    fn patterns_match_segments() {
        let p = |s: &str| s.split('/').skip(1).map(str::to_owned).collect::<Vec<_>>();
        let shipments = p("/v2/orders/*/shipments");
        assert!(path_matches(&shipments, "/v2/orders/ord_1/shipments"));
        assert!(!path_matches(
            &shipments,
            "/v2/orders/ord_1/shipments/shp_1"
        ));
        assert!(!path_matches(&shipments, "/v2/orders/shipments"));
        let exact = p("/v2/orders");
        assert!(path_matches(&exact, "/v2/orders"));
        assert!(!path_matches(&exact, "/v2/orders/ord_1"));
        let below = p("/v2/orders/**");
        assert!(path_matches(&below, "/v2/orders"));
        assert!(path_matches(&below, "/v2/orders/ord_1/lines"));
        assert!(!path_matches(&below, "/v2/payments"));
    }

    #[test]
    fn once_fires_once_and_method_filters() {
        let faults = Faults::default();
        faults.add(spec("POST /v2/orders status=503 once")).unwrap();
        assert!(faults.pick(&Method::GET, "/v2/orders").is_none());
        assert!(faults.pick(&Method::POST, "/v2/orders").is_some());
        assert!(faults.pick(&Method::POST, "/v2/orders").is_none());
        assert_eq!(faults.list()[0].fired, 1);
    }

    #[test]
    fn probability_zero_never_fires_and_one_always_does() {
        let faults = Faults::default();
        let never = faults.add(spec("/v2/** status=500 probability=0")).unwrap();
        faults.add(spec("/v2/** status=502 probability=1")).unwrap();
        for _ in 0..50 {
            let picked = faults.pick(&Method::GET, "/v2/orders/ord_1").unwrap();
            assert_ne!(picked.note.rule, never.id);
        }
    }

    #[test]
    fn a_half_probability_fires_about_half_the_time() {
        let faults = Faults::default();
        faults
            .add(spec("/v2/** status=500 probability=0.5"))
            .unwrap();
        let fired = (0..1000)
            .filter(|_| faults.pick(&Method::GET, "/v2/orders").is_some())
            .count();
        assert!((350..650).contains(&fired), "{fired}");
    }

    #[test]
    fn removes_by_id_and_clears() {
        let faults = Faults::default();
        let a = faults.add(spec("/v2/** drop")).unwrap();
        faults.add(spec("/v2/** drop")).unwrap();
        assert!(faults.remove(&a.id));
        assert!(!faults.remove(&a.id));
        assert_eq!(faults.list().len(), 1);
        faults.clear();
        assert!(faults.list().is_empty());
    }
}
