//! The checkout language: Mollie's locales in a select, for the new-order form and the shop.

use leptos::prelude::*;

use super::FieldErrorMsg;
use crate::draft::LOCALES;

/// A labelled select of [`LOCALES`] named `locale`, showing `locale` and reporting changes.
#[component]
pub fn LocaleSelect(
    label: &'static str,
    /// The selected locale (a memo, so the options only re-check when it changes).
    locale: Memo<String>,
    on_change: Callback<String>,
) -> impl IntoView {
    view! {
        <label>
            <span class="label">{label}</span>
            <select
                name="locale"
                data-testid="locale"
                on:change:target=move |ev| on_change.run(ev.target().value())
            >
                {LOCALES
                    .into_iter()
                    .map(|(code, name)| {
                        view! {
                            <option value=code prop:selected=move || locale.with(|x| x == code)>
                                {format!("{name} · {code}")}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
        <FieldErrorMsg at="locale"/>
    }
}
