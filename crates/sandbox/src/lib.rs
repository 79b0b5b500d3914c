//! Kassa's sandbox: a stateful, offline emulator of two payment providers' APIs on one
//! listener, each at the provider's own paths, so a client's base URL is the sandbox's root:
//!
//! - **Mollie** Orders API (`/v2/…`, [`mollie`]): Mollie's JSON and HAL links, a hosted test
//!   checkout (`/checkout/{token}`) where the tester picks the payment outcome, and Mollie's
//!   webhooks (`id=ord_...`, form-encoded).
//! - **Klarna** Payments (`/payments/v1/…`) and Order Management (`/ordermanagement/v1/…`)
//!   ([`klarna`]): sessions, a stand-in of Klarna's JavaScript library that authorizes in the
//!   browser, orders with captures and refunds, and Klarna's notifications.
//!
//! Shared by both: the clock, the data file, notification delivery with retries, and the
//! infrastructure layers (idempotency, faults, request log, panics, TLS) that answer in each
//! provider's own error shape ([`api::Api`]). The merchant proxy embeds it under `/sandbox`;
//! `kassa-sandbox` runs it on its own.
#![cfg(not(target_arch = "wasm32"))]

mod admin;
mod api;
mod body;
mod clock;
mod echo;
mod ids;
mod infra;
mod klarna;
mod mollie;
mod notify;
mod persist;
mod routes;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;

pub use clock::{Clock, ClockError};
pub use infra::faults::{FaultNote, FaultRule, FaultSpec};
pub use infra::request_log::LoggedRequest;
pub use infra::tls::{serve_tls, serve_tls_with, TlsIdentity};
pub use klarna::KlarnaCredentials;
pub use mollie::error::MollieError;
pub use notify::Delivery;
pub use persist::PersistError;

/// How the sandbox presents itself.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// The path it is mounted under (`""` standalone, `"/sandbox"` inside the proxy), so that
    /// the links it hands out (`_links.checkout`, `_links.self`, Klarna's `Location`) point
    /// back at it.
    pub mount_path: String,
    /// `http` or `https`: the scheme of those links.
    pub scheme: String,
    /// When set, only this Mollie API key is accepted (the proxy's embedded sandbox: nobody
    /// else who can reach the proxy may read its orders). Otherwise any `test_`/`live_` key is.
    pub api_key: Option<String>,
    /// When set, only this Klarna credential (HTTP Basic) is accepted; otherwise any
    /// non-empty one is, and each username sees its own orders.
    pub klarna_credentials: Option<KlarnaCredentials>,
    /// Whether the tester's controls under `/_sandbox/…` (clock, faults, request log,
    /// deliveries, Klarna's authorize and fraud review) are served. They need no credentials,
    /// so a sandbox reachable by others (embedded in a proxy) keeps them off unless its
    /// operator turns them on.
    pub test_controls: bool,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            mount_path: String::new(),
            scheme: "http".into(),
            api_key: None,
            klarna_credentials: None,
            test_controls: true,
        }
    }
}

/// A running sandbox's state; cheap to clone.
#[derive(Clone)]
pub struct Sandbox {
    inner: Arc<Inner>,
}

struct Inner {
    config: SandboxConfig,
    /// Both providers' records under one lock: a change and its write to the data file happen
    /// together, in order.
    state: Mutex<State>,
    clock: Clock,
    notifications: notify::Notifications,
    idempotency: infra::idempotency::Idempotency,
    faults: infra::faults::Faults,
    requests: infra::request_log::RequestLog,
    /// Where the state is kept between runs, if anywhere.
    data_file: Option<PathBuf>,
}

/// Everything the providers hold.
#[derive(Default)]
pub(crate) struct State {
    pub mollie: mollie::store::Store,
    pub klarna: klarna::store::Store,
}

impl Sandbox {
    /// A sandbox whose state lives in memory only.
    pub fn new(config: SandboxConfig) -> Self {
        Self::build(config, State::default(), Clock::default(), None)
    }

    /// A sandbox that keeps its orders and clock in `path` (created on the first change) and
    /// starts from what the file holds.
    pub fn with_data_file(config: SandboxConfig, path: &Path) -> Result<Self, PersistError> {
        let (state, clock) = persist::load(path)?;
        Ok(Self::build(config, state, clock, Some(path.to_path_buf())))
    }

    fn build(
        config: SandboxConfig,
        state: State,
        clock: Clock,
        data_file: Option<PathBuf>,
    ) -> Self {
        let inner = Arc::new(Inner {
            config,
            state: Mutex::new(state),
            clock,
            data_file,
            notifications: notify::Notifications::new(),
            idempotency: Default::default(),
            faults: Default::default(),
            requests: Default::default(),
        });
        notify::start_retrier(&inner);
        Self { inner }
    }

    /// The axum router serving both APIs, the checkout pages and the test controls.
    pub fn router(&self) -> Router {
        routes::router(self.clone())
    }

    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// How many Mollie orders the sandbox holds.
    pub fn order_count(&self) -> usize {
        self.state().mollie.len()
    }

    /// How many Klarna orders the sandbox holds.
    pub fn klarna_order_count(&self) -> usize {
        self.state().klarna.order_count()
    }

    /// Every notification delivery (Mollie's webhooks, Klarna's notifications) attempted so
    /// far, oldest first.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.inner.notifications.log()
    }

    /// Sends a notification to `url`: the first attempt is awaited (so a redirect that follows
    /// sees its effect); failures are retried by the notify module.
    pub(crate) async fn notify(&self, url: &str, payload: notify::Payload) {
        let delivery = self
            .inner
            .notifications
            .send(url, payload, self.clock())
            .await;
        if !delivery.succeeded() {
            // A sandbox made outside a runtime has no retrier yet; this runs inside one.
            notify::start_retrier(&self.inner);
        }
    }

    /// Moves the sandbox clock forward and lets retries that became due go out now.
    /// Refused (and nothing changes) past [`clock::MAX_OFFSET`] or backwards.
    pub fn advance_clock(&self, by: time::Duration) -> Result<(), ClockError> {
        self.clock().advance(by)?;
        self.persist(&self.state());
        self.inner.notifications.wake();
        Ok(())
    }

    /// Adds a fault rule (see `FaultSpec` for the format); returns it with its id.
    pub fn add_fault(&self, spec: FaultSpec) -> Result<FaultRule, MollieError> {
        self.inner.faults.add(spec)
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.inner.faults.clear();
    }

    /// The fault rules, in the order they are tried.
    pub fn faults(&self) -> Vec<FaultRule> {
        self.inner.faults.list()
    }

    /// The last API requests (at most 1000), oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.inner.requests.list()
    }

    /// Expires both providers' orders (and Klarna's sessions) whose time is up and sends the
    /// notifications that follow.
    pub(crate) async fn expire_due(&self) {
        let now = self.clock().now();
        let notify = {
            let mut state = self.state();
            let notify = state.mollie.expire_due(now);
            let klarna_changed = state.klarna.expire_due(now);
            if !notify.is_empty() || klarna_changed {
                self.persist(&state);
            }
            notify
        };
        for (id, url) in notify {
            self.notify(&url, mollie::routes::webhook(&id)).await;
        }
    }

    /// Writes the state to the data file, if there is one. Called with the state locked, so
    /// writes happen in the order the changes did.
    pub(crate) fn persist(&self, state: &State) {
        if let Some(path) = &self.inner.data_file {
            if let Err(e) = persist::save(path, state, self.clock().offset_seconds()) {
                tracing::error!(error = %e, "sandbox state not saved");
            }
        }
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        // Changes are made on copies and stored whole, so a panic while the lock was held
        // leaves nothing half-written: a poisoned lock is still usable.
        self.inner
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
