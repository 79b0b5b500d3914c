//! The buttons of an order's (or one shipment's) actions, exactly as the proxy lists them in
//! `OrderView::actions` / `ShipmentView::actions`: in that order, with the provider's label, and
//! disabled with the proxy's reason next to them when the action cannot be done now.

use kassa_model::api::{ActionAvailability, ActionKind};
use leptos::prelude::*;

use crate::actions::testid;

#[component]
pub fn ActionButtons(
    #[prop(into)] actions: Signal<Vec<ActionAvailability>>,
    /// Called with the action whose (enabled) button was pressed.
    on_open: Callback<ActionKind>,
    /// Makes the reasons' ids unique when several lists share a page (one per shipment).
    #[prop(optional, into)]
    id_suffix: String,
    /// Smaller buttons, for a list inside a record (a shipment).
    #[prop(optional)]
    small: bool,
    /// While true every button is off (a request without a dialog is on its way).
    #[prop(optional, into)]
    busy: Signal<bool>,
) -> impl IntoView {
    let class = if small {
        "secondary small"
    } else {
        "secondary"
    };
    // Keyed by what a button shows: after an action only the buttons whose label or reason
    // changed are rebuilt, so the one that opened the dialog keeps the keyboard focus.
    view! {
        <For
            each=move || actions.get()
            key=|a| (a.kind, a.label.clone(), a.unavailable.clone())
            let(action)
        >
            {
                let ActionAvailability {
                    kind,
                    label,
                    unavailable,
                } = action;
                let testid = testid(kind);
                let reason_id = format!("{testid}-reason{id_suffix}");
                let off = unavailable.is_some();
                view! {
                    <div class="action">
                        <button
                            type="button"
                            class=class
                            data-testid=testid
                            disabled=move || off || busy.get()
                            title=unavailable.clone()
                            aria-describedby=off.then(|| reason_id.clone())
                            on:click=move |_| on_open.run(kind)
                        >
                            {label}
                        </button>
                        {unavailable
                            .map(|reason| {
                                view! {
                                    <span
                                        class="action-reason muted"
                                        id=reason_id.clone()
                                        data-testid="action-disabled-reason"
                                    >
                                        {reason}
                                    </span>
                                }
                            })}
                    </div>
                }
            }
        </For>
    }
}
