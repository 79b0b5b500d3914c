//! A link to hand on (a payment link, a pay link) in a read-only input, and a button that
//! copies it with the Clipboard API. Where that API is missing or refused (no HTTPS,
//! permissions), the input's text is selected so the person can copy it themselves.

use leptos::html;
use leptos::prelude::*;

#[component]
pub fn CopyLink(
    url: String,
    /// The input's accessible name ("Payment link").
    label: &'static str,
    /// `data-testid`s of the input, the button and the "Copied." status line.
    testid: &'static str,
    copy_testid: &'static str,
    status_testid: &'static str,
    /// The button's text ("Copy payment link").
    copy_text: &'static str,
) -> impl IntoView {
    let input_ref = NodeRef::<html::Input>::new();
    let copied = RwSignal::new(None::<&'static str>);
    let copy = {
        let url = url.clone();
        move |_| {
            let url = url.clone();
            leptos::task::spawn_local(async move {
                let message = if crate::clipboard::write(&url).await {
                    "Copied."
                } else {
                    if let Some(input) = input_ref.get_untracked() {
                        let _ = input.focus();
                        input.select();
                    }
                    "Press Ctrl+C (⌘C) to copy the selected link."
                };
                let _ = copied.try_set(Some(message));
            });
        }
    };
    view! {
        <span class="copy-link">
            <input
                type="text"
                readonly
                node_ref=input_ref
                aria-label=label
                data-testid=testid
                value=url
            />
            <button type="button" class="secondary small" data-testid=copy_testid on:click=copy>
                {copy_text}
            </button>
            <span role="status" class="muted" data-testid=status_testid>
                {move || copied.get()}
            </span>
        </span>
    }
}
