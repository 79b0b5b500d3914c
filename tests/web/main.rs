//! Browser tests: components mounted into a real DOM in headless Chromium, driven the way a
//! person would (typing fires `input`, clicking the real button submits the real form), and
//! checked by what is on screen. Run with
//! `wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver` at the repository root.
//! One module per part of the app; what they share is in `helpers`.
//!
//! Not an integration test: a module of the library's own test harness on wasm32 (`mod web`
//! in src/lib.rs, `autotests = false` in Cargo.toml), so `cargo test` builds the app once per
//! target rather than twice. A new file needs its `mod` line here, as before.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod api_client;
mod console_extras;
mod customer_pages;
mod helpers;
mod klarna_dialogs;
mod klarna_order;
mod klarna_step;
mod login;
mod money_format;
mod order_actions;
mod order_form;
mod order_summary;
mod order_updates;
mod orders_list;
mod pay_link;
mod providers;
mod session;
mod shop;
mod small_things;
