//! The model's integration tests: one test binary (`--test model`), one module per file
//! (`autotests = false` in Cargo.toml; a new file needs its `mod` line here).
//!
//! proptest keeps the seeds of past failures of `tests/NAME.rs` in
//! `proptest-regressions/NAME.txt` (beside `tests/`: proptest finds the root through this
//! `main.rs`). The property tests run on the host only (proptest has no wasm32 backend here).

#[cfg(not(target_arch = "wasm32"))]
mod common;

#[cfg(not(target_arch = "wasm32"))]
mod all_errors;
#[cfg(not(target_arch = "wasm32"))]
mod klarna_properties;
mod klarna_round_trip;
#[cfg(not(target_arch = "wasm32"))]
mod limits;
mod mollie_round_trip;
#[cfg(not(target_arch = "wasm32"))]
mod properties;
