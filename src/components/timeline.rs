//! An order's timeline, newest first: what the proxy saw happen (created, webhooks, status
//! changes), staff actions with who did them, and internal notes. An action's intent id is
//! tucked behind a "Copy id" button: support needs it, staff reading the history do not.

use kassa_model::api::OrderEvent;
use leptos::either::Either;
use leptos::prelude::*;

use crate::format::short_timestamp;

#[component]
pub fn Timeline(events: Vec<OrderEvent>) -> impl IntoView {
    if events.is_empty() {
        return Either::Left(
            view! { <p class="muted">"Nothing has happened to this order yet."</p> },
        );
    }
    Either::Right(view! {
        <ol class="timeline" reversed>
            {events.into_iter().rev().map(|event| view! { <Event event/> }).collect_view()}
        </ol>
    })
}

#[component]
fn Event(event: OrderEvent) -> impl IntoView {
    let when = short_timestamp(&event.at);
    let (text, intent) = match event.action_parts() {
        Some((text, intent)) => (text.to_owned(), Some(intent.to_owned())),
        None => (event.detail.clone(), None),
    };
    view! {
        <li data-testid="event">
            <time datetime=event.at.clone() title=event.at.clone()>
                {when}
            </time>
            <span class=format!("event-kind event-{}", event.kind)>{event.kind.clone()}</span>
            <span class="event-detail">{text}</span>
            {intent.map(|intent| view! { <CopyId intent/> })}
        </li>
    }
}

/// The action's intent id, copied on a click; shown in the button's tooltip.
#[component]
fn CopyId(intent: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let title = format!("Action id {intent}");
    let copy = Action::new_local(move |intent: &String| {
        let intent = intent.clone();
        async move {
            let done = crate::clipboard::write(&intent).await;
            let _ = copied.try_set(done);
        }
    });
    view! {
        <button
            type="button"
            class="link-button copy-id"
            title=title.clone()
            aria-label=format!("Copy the action id {intent}")
            data-testid="copy-intent"
            data-intent=intent.clone()
            on:click=move |_| {
                copy.dispatch_local(intent.clone());
            }
        >
            {move || if copied.get() { "Copied" } else { "Copy id" }}
        </button>
    }
}
