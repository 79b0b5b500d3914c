//! Saved views above the orders list: a staff member's named sets of filters, one click away
//! ("Klarna, authorized"), and saving the filters now applied under a name.

use kassa_model::api::{NewSavedView, OrderFilter, SavedView};
use leptos::prelude::*;

use super::checked_submit::CheckedSubmit;
use crate::api::ClientError;
use crate::{filters, routes};

#[component]
pub fn SavedViews(
    views: Vec<SavedView>,
    /// The filters the list shows now (what "Save view" keeps).
    #[prop(into)]
    current: Signal<OrderFilter>,
    #[prop(into)] on_save: Callback<NewSavedView>,
    #[prop(into)] on_delete: Callback<SavedView>,
    #[prop(into, optional)] busy: Signal<bool>,
    /// The proxy's answer to the last save or delete, when it failed.
    #[prop(into, optional)]
    error: Signal<Option<ClientError>>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    // Only what narrows the list counts: the page and the sort are not a view.
    let narrowed = move || {
        current.with(|f| {
            OrderFilter {
                cursor: None,
                limit: None,
                sort: None,
                ..f.clone()
            } != OrderFilter::default()
        })
    };
    let form = CheckedSubmit::new(error);
    let message = move || form.message();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let view = NewSavedView {
            name: name.get_untracked(),
            filter: OrderFilter {
                cursor: None,
                limit: None,
                ..current.get_untracked()
            },
        };
        form.submit(busy, view, |v| v.checked_name().err(), on_save);
    };
    let links = views
        .into_iter()
        .map(|view| {
            let href = routes::href(&routes::orders_list(&filters::to_query(&view.filter)));
            let this = view.filter.clone();
            let active = move || {
                current.with(|f| {
                    OrderFilter {
                        cursor: None,
                        limit: None,
                        ..f.clone()
                    } == this
                })
            };
            let label = format!("Delete the view {}", view.name);
            let name = view.name.clone();
            view! {
                <li data-testid="saved-view">
                    <a href=href aria-current=move || active().then_some("true")>{name}</a>
                    <button
                        type="button"
                        class="link-button"
                        aria-label=label.clone()
                        title=label
                        data-testid="delete-view"
                        disabled=move || busy.get()
                        on:click=move |_| on_delete.run(view.clone())
                    >
                        "×"
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="saved-views" aria-label="Saved views">
            <ul>{links}</ul>
            <Show when=narrowed>
                <form class="save-view" on:submit=submit novalidate>
                    <label>
                        <span class="label">"Save these filters as"</span>
                        <input
                            type="text"
                            name="viewName"
                            data-testid="view-name"
                            maxlength="60"
                            aria-invalid=move || message().is_some().then_some("true")
                            aria-describedby="view-error"
                            bind:value=name
                        />
                    </label>
                    <button type="submit" class="secondary" data-testid="save-view" disabled=move || busy.get()>
                        "Save view"
                    </button>
                </form>
            </Show>
            {move || {
                message()
                    .map(|m| {
                        view! {
                            <p class="field-error" id="view-error" role="alert" data-testid="view-error">
                                {m}
                            </p>
                        }
                    })
            }}
        </nav>
    }
}
