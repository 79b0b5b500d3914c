//! The end-to-end tests: one test binary (`--test e2e`), one module per file (`autotests =
//! false` in Cargo.toml; a new file needs its `mod` line here). They are `#[ignore]`d in a
//! plain `cargo test`; `cargo xtask test` runs them all, one at a time:
//! `cargo test --test e2e -- --ignored --test-threads=1`. One file's:
//! `cargo test -p kassa-e2e --test e2e -- --ignored klarna_widget::`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

mod app_files;
mod code_split;
mod console_extras;
mod embed;
mod first_order;
mod klarna_checkout;
mod klarna_console;
mod klarna_widget;
mod manage_orders;
