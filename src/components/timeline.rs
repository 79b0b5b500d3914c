//! An order's timeline: what the proxy saw happen (created, webhooks, status changes).

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
        <ol class="timeline">
            {events
                .into_iter()
                .map(|event| {
                    let when = short_timestamp(&event.at);
                    view! {
                        <li data-testid="event">
                            <time datetime=event.at.clone() title=event.at>
                                {when}
                            </time>
                            <span class=format!("event-kind event-{}", event.kind)>{event.kind.clone()}</span>
                            <span class="event-detail">{event.detail}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    })
}
