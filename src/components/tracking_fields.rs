//! Tracking inputs: carrier, code and URL; for Klarna also the shipping method and the return
//! shipment's carrier, code and URL (Klarna's `shipping_info`). Shared by the ship / capture
//! dialog and the tracking dialog.

use leptos::prelude::*;

use crate::actions::TrackingInput;
use crate::terms::SHIPPING_METHODS;

/// One signal per tracking field, as typed.
#[derive(Clone, Copy)]
pub struct TrackingSignals {
    carrier: RwSignal<String>,
    code: RwSignal<String>,
    url: RwSignal<String>,
    method: RwSignal<String>,
    return_carrier: RwSignal<String>,
    return_code: RwSignal<String>,
    return_url: RwSignal<String>,
}

impl TrackingSignals {
    pub fn new(start: TrackingInput) -> Self {
        Self {
            carrier: RwSignal::new(start.carrier),
            code: RwSignal::new(start.code),
            url: RwSignal::new(start.url),
            method: RwSignal::new(start.method),
            return_carrier: RwSignal::new(start.return_carrier),
            return_code: RwSignal::new(start.return_code),
            return_url: RwSignal::new(start.return_url),
        }
    }

    /// What is typed now, without subscribing.
    pub fn typed(self) -> TrackingInput {
        TrackingInput {
            carrier: self.carrier.get_untracked(),
            code: self.code.get_untracked(),
            url: self.url.get_untracked(),
            method: self.method.get_untracked(),
            return_carrier: self.return_carrier.get_untracked(),
            return_code: self.return_code.get_untracked(),
            return_url: self.return_url.get_untracked(),
        }
    }
}

#[component]
pub fn TrackingFields(
    input: TrackingSignals,
    /// Klarna's fields too.
    klarna: bool,
    legend: &'static str,
    #[prop(into)] disabled: Signal<bool>,
) -> impl IntoView {
    let text =
        |label: &'static str, testid: &'static str, kind: &'static str, value: RwSignal<String>| {
            view! {
                <label>
                    <span>{label}</span>
                    <input type=kind data-testid=testid bind:value=value/>
                </label>
            }
        };
    view! {
        <fieldset class="tracking" disabled=move || disabled.get()>
            <legend>{legend}</legend>
            {text("Carrier", "tracking-carrier", "text", input.carrier)}
            {text("Tracking code", "tracking-code", "text", input.code)}
            {text("Tracking URL", "tracking-url", "url", input.url)}
            {klarna
                .then(|| {
                    view! {
                        <label>
                            <span>"Shipping method"</span>
                            <select data-testid="tracking-method" bind:value=input.method>
                                <option value="">"Not given"</option>
                                {SHIPPING_METHODS
                                    .into_iter()
                                    .map(|(value, label)| view! { <option value=value>{label}</option> })
                                    .collect_view()}
                            </select>
                        </label>
                        {text("Return carrier", "tracking-return-carrier", "text", input.return_carrier)}
                        {text("Return tracking code", "tracking-return-code", "text", input.return_code)}
                        {text("Return tracking URL", "tracking-return-url", "url", input.return_url)}
                    }
                })}
        </fieldset>
    }
}
