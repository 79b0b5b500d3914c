//! What a page shows while loading and when a load failed.

use leptos::prelude::*;

use crate::api::ClientError;

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="loading" role="status" data-testid="loading">
            "Loading…"
        </p>
    }
}

/// A failed load. A 404 gets its own wording: the link is wrong, not the server.
#[component]
pub fn LoadError(
    error: ClientError,
    /// What was asked for, as a person would say it: "this order".
    what: &'static str,
) -> impl IntoView {
    let message = if error.is_not_found() {
        format!("We could not find {what}. Check the link and try again.")
    } else {
        error.to_string()
    };
    view! {
        <div class="notice notice-error" role="alert" data-testid="load-error">
            <p>{message}</p>
        </div>
    }
}
