//! The checkout language: Mollie's locales in a select, for the new-order form and the shop.

use leptos::prelude::*;

use super::{FieldErrorMsg, FormErrors};
use crate::draft::{field_id, LOCALES};

/// A labelled select of [`LOCALES`] named `locale`, showing `locale` and reporting changes.
#[component]
pub fn LocaleSelect(
    label: &'static str,
    /// The selected locale (a memo, so the options only re-check when it changes).
    locale: Memo<String>,
    on_change: Callback<String>,
) -> impl IntoView {
    let errors = FormErrors::expect_context();
    view! {
        <label>
            <span class="label">{label}</span>
            <select
                name="locale"
                id=field_id("locale")
                aria-invalid=move || errors.invalid("locale")
                aria-describedby=move || errors.message_id("locale")
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
