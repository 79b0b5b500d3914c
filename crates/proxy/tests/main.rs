//! The proxy's integration tests: one test binary (`--test proxy`), one module per file.
//! One binary rather than one per file links the proxy, the sandbox and their dependencies
//! once, not fourteen times (`autotests = false` in Cargo.toml; a new file needs its `mod`
//! line here). A test's name starts with its file's: `cargo test --test proxy -- hardening::`.
//!
//! They share one process and run at once: a test that needs a database, a port, a temporary
//! directory or a PostgreSQL cluster makes its own (`common`), and none sets an environment
//! variable. The chaos test's `chaos/` is also the `chaos` and `load` benches' (`#[path]`).
#![cfg(not(target_arch = "wasm32"))]

mod common;
mod support;

mod actions;
mod api;
mod chaos;
mod console_extras;
mod contract_fuzz;
mod delivery;
mod embedded_sandbox;
mod hardening;
mod klarna;
mod klarna_checkout;
mod openapi;
mod refresh_schedule;
mod security;
mod several_proxies;
