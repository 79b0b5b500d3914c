//! Kassa's end-to-end tests live in `tests/`. They need the built app (`trunk build`) and
//! Chromium with chromedriver, so they are `#[ignore]`d in a plain `cargo test`;
//! `cargo xtask test` builds the app and runs them with `--ignored`.
#![cfg(not(target_arch = "wasm32"))]
