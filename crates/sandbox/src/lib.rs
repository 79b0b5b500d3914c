//! Kassa's sandbox: a stateful, offline emulator of Mollie's Orders API.
//!
//! It serves Mollie's JSON shapes and HAL links under `/v2/...`, a hosted test checkout page
//! (`/checkout/{orderId}`) where the tester picks the payment outcome, and sends Mollie-style
//! webhooks (`id=ord_...`, form-encoded) on status changes. The merchant proxy embeds it under
//! `/sandbox`; `kassa-sandbox` runs it on its own.

mod auth;
mod checkout;
mod clock;
mod echo;
mod error;
mod ids;
mod infra;
mod ops;
mod order;
mod persist;
mod render;
mod routes;
mod store;
mod webhook;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;

pub use clock::{Clock, ClockError};
pub use error::MollieError;
pub use infra::faults::{FaultNote, FaultRule, FaultSpec};
pub use infra::request_log::LoggedRequest;
pub use infra::tls::{serve_tls, serve_tls_with, TlsIdentity};
pub use persist::PersistError;
pub use webhook::Delivery;

/// How the sandbox presents itself.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// The path it is mounted under (`""` standalone, `"/sandbox"` inside the proxy), so that
    /// the links it hands out (`_links.checkout`, `_links.self`) point back at it.
    pub mount_path: String,
    /// `http` or `https`: the scheme of those links.
    pub scheme: String,
    /// When set, only this API key is accepted (the proxy's embedded sandbox: nobody else
    /// who can reach the proxy may read its orders). Otherwise any `test_`/`live_` key is.
    pub api_key: Option<String>,
    /// Whether the tester's controls under `/_sandbox/…` (clock, faults, request log, webhook
    /// deliveries) are served. They need no credentials, so a sandbox reachable by others
    /// (embedded in a proxy) keeps them off unless its operator turns them on.
    pub test_controls: bool,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            mount_path: String::new(),
            scheme: "http".into(),
            api_key: None,
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
    store: Mutex<store::Store>,
    clock: Clock,
    webhooks: webhook::Webhooks,
    idempotency: infra::idempotency::Idempotency,
    faults: infra::faults::Faults,
    requests: infra::request_log::RequestLog,
    /// Where the state is kept between runs, if anywhere.
    data_file: Option<PathBuf>,
}

impl Sandbox {
    /// A sandbox whose state lives in memory only.
    pub fn new(config: SandboxConfig) -> Self {
        Self::build(config, store::Store::default(), Clock::default(), None)
    }

    /// A sandbox that keeps its orders and clock in `path` (created on the first change) and
    /// starts from what the file holds.
    pub fn with_data_file(config: SandboxConfig, path: &Path) -> Result<Self, PersistError> {
        let (store, clock) = persist::load(path)?;
        Ok(Self::build(config, store, clock, Some(path.to_path_buf())))
    }

    fn build(
        config: SandboxConfig,
        store: store::Store,
        clock: Clock,
        data_file: Option<PathBuf>,
    ) -> Self {
        let inner = Arc::new(Inner {
            config,
            store: Mutex::new(store),
            clock,
            data_file,
            webhooks: webhook::Webhooks::new(),
            idempotency: Default::default(),
            faults: Default::default(),
            requests: Default::default(),
        });
        webhook::start_retrier(&inner);
        Self { inner }
    }

    /// The axum router serving the API, the checkout page and the admin endpoints.
    pub fn router(&self) -> Router {
        routes::router(self.clone())
    }

    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// How many orders the sandbox holds.
    pub fn order_count(&self) -> usize {
        self.store().len()
    }

    /// Every webhook delivery attempted so far, oldest first.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.inner.webhooks.log()
    }

    /// Sends the order webhook for `order_id` to `url`: the first attempt is awaited (so a
    /// redirect that follows sees its effect); failures are retried by the webhook module.
    pub(crate) async fn send_webhook(&self, url: &str, order_id: &str) {
        let delivery = self.inner.webhooks.send(url, order_id, self.clock()).await;
        if !delivery.succeeded() {
            // A sandbox made outside a runtime has no retrier yet; this runs inside one.
            webhook::start_retrier(&self.inner);
        }
    }

    /// Moves the sandbox clock forward and lets webhook retries that became due go out now.
    /// Refused (and nothing changes) past [`clock::MAX_OFFSET`] or backwards.
    pub fn advance_clock(&self, by: time::Duration) -> Result<(), ClockError> {
        self.clock().advance(by)?;
        self.persist(&self.store());
        self.inner.webhooks.wake();
        Ok(())
    }

    /// Adds a fault rule (see `FaultSpec` for the format); returns it with its id.
    pub fn add_fault(&self, spec: FaultSpec) -> Result<FaultRule, MollieError> {
        self.inner.faults.add(spec)
    }

    /// The fault rules, in the order they are tried.
    pub fn faults(&self) -> Vec<FaultRule> {
        self.inner.faults.list()
    }

    /// The last API requests (at most 1000), oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.inner.requests.list()
    }

    /// Expires orders whose time is up and sends their webhooks.
    pub(crate) async fn expire_due(&self) {
        let now = self.clock().now();
        let notify = {
            let mut store = self.store();
            let notify = store.expire_due(now);
            if !notify.is_empty() {
                self.persist(&store);
            }
            notify
        };
        for (id, url) in notify {
            self.send_webhook(&url, &id).await;
        }
    }

    /// Writes the state to the data file, if there is one. Called with the store locked, so
    /// writes happen in the order the changes did.
    pub(crate) fn persist(&self, store: &store::Store) {
        if let Some(path) = &self.inner.data_file {
            if let Err(e) = persist::save(path, store, self.clock().offset_seconds()) {
                tracing::error!(error = %e, "sandbox state not saved");
            }
        }
    }

    fn store(&self) -> std::sync::MutexGuard<'_, store::Store> {
        // A panic while holding the lock cannot leave an order half-written in a way later
        // requests could not read, so a poisoned lock is still usable.
        self.inner
            .store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
