//! The sandbox's integration tests: one test binary (`--test sandbox`), one module per file.
//! One binary rather than one per file links the sandbox and its dependencies once, not eight
//! times (`autotests = false` in Cargo.toml; a new file needs its `mod` line here). A test's
//! name starts with its file's: `cargo test -p kassa-sandbox --test sandbox -- lifecycle::`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

mod contract_clients;
mod contract_klarna;
mod contract_mollie;
mod infra;
mod klarna_orders;
mod klarna_payments;
mod lifecycle;
mod orders;
mod safety;
