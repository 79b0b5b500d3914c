//! What the end-to-end tests share lives in the crate's library (`src/lib.rs`), which the
//! first-load bench uses too: chromedriver + Chromium, the proxy, and small helpers that act
//! on `data-testid`s the way a person would.

pub use kassa_e2e::*;
