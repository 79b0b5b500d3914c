//! The browser tab's title per page ("K-4W2T8KW2 · Kassa", "Orders · Kassa"), so staff with
//! several tabs open can tell them apart. A console mounted into a host page leaves the host's
//! title alone: the page is the host's.

use std::cell::Cell;

thread_local! {
    static EMBEDDED: Cell<bool> = const { Cell::new(false) };
}

/// Called by [`crate::embed::mount`]: titles are the host page's from now on.
pub fn leave_to_host() {
    EMBEDDED.with(|e| e.set(true));
}

/// `"{page} · Kassa"` as the tab's title.
pub fn set(page: &str) {
    if EMBEDDED.with(Cell::get) {
        return;
    }
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&format!("{page} · Kassa"));
    }
}
