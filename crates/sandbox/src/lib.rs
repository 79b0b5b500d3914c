//! Kassa's sandbox: a stateful, offline emulator of Mollie's Orders API.
//!
//! It serves Mollie's JSON shapes and HAL links under `/v2/...`, a hosted test checkout page
//! (`/checkout/{orderId}`) where the tester picks the payment outcome, and sends Mollie-style
//! webhooks (`id=ord_...`, form-encoded) on status changes. The merchant proxy embeds it under
//! `/sandbox`; `kassa-sandbox` runs it on its own.

mod auth;
mod checkout;
mod clock;
mod error;
mod ids;
mod infra;
mod order;
mod render;
mod routes;
mod store;
mod webhook;

use std::sync::{Arc, Mutex};

use axum::Router;

pub use clock::Clock;
pub use error::MollieError;
pub use webhook::Delivery;

/// How the sandbox presents itself.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// The path it is mounted under (`""` standalone, `"/sandbox"` inside the proxy), so that
    /// the links it hands out (`_links.checkout`, `_links.self`) point back at it.
    pub mount_path: String,
    /// `http` or `https`: the scheme of those links.
    pub scheme: String,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            mount_path: String::new(),
            scheme: "http".into(),
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
}

impl Sandbox {
    pub fn new(config: SandboxConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                config,
                store: Mutex::new(store::Store::default()),
                clock: Clock::default(),
                webhooks: webhook::Webhooks::new(),
            }),
        }
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
        let at = clock::format_datetime(self.clock().now());
        self.inner.webhooks.deliver(url, order_id, at).await;
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
