//! `/`: the orders list. The filters live in the address bar (`?status=paid&q=piet`), so a
//! reload, "back" or a shared link shows the same list; "Apply" and "Next page" only change
//! the address, and the list follows it.

use kassa_model::api::{ImportOrder, NewSavedView, OrderFilter, SavedView};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::{FilterBar, ImportOrderForm, LoadError, Loading, OrdersTable, SavedViews};
use crate::filters::{self, FilterForm};
use crate::routes;
use crate::session::Session;

#[component]
pub fn OrdersPage() -> impl IntoView {
    crate::title::set("Orders");
    let query = use_query_map();
    let current = Memo::new(move |_| query.with(|q| filters::from_query(|key| q.get(key))));
    // The bar is rebuilt only when the filters change, not when the page (cursor) does, so
    // "Next page" keeps what was typed.
    let bar_filter = Memo::new(move |_| {
        let mut filter = current.get();
        filter.cursor = None;
        filter
    });
    let orders = LocalResource::new(move || {
        let filter = current.get();
        async move { api::list_orders(&filter).await }
    });
    let loading_more = RwSignal::new(false);

    let navigate = use_navigate();
    let operator = Session::expect_context().can_change_now();
    // "Add a Klarna order": the proxy mirrors it, then its page opens.
    let import = Action::new_local({
        let navigate = navigate.clone();
        move |request: &ImportOrder| {
            let (request, navigate) = (request.clone(), navigate.clone());
            async move {
                let order = api::import_order(&request).await?;
                navigate(&routes::order(&order.id), Default::default());
                Ok::<_, api::ClientError>(())
            }
        }
    });
    let import_error = Signal::derive(move || {
        import
            .value()
            .get()
            .and_then(|r| r.err())
            .filter(|_| !import.pending().get())
    });
    // "Export CSV": every order the current filters match (not only this page), as a file.
    let export = Action::new_local(move |_: &()| {
        let filter = current.get_untracked();
        async move {
            let csv = api::export_orders(&filter)
                .await
                .map_err(|e| e.to_string())?;
            let day = js_sys::Date::new_0()
                .to_iso_string()
                .as_string()
                .unwrap_or_default();
            let name = format!("kassa-orders-{}.csv", day.get(..10).unwrap_or("export"));
            crate::download::save_text(&name, "text/csv;charset=utf-8", &csv)
        }
    });
    // Saved views: loaded once, again after each save or delete.
    let views = LocalResource::new(api::saved_views);
    let save_view = Action::new_local(move |view: &NewSavedView| {
        let view = view.clone();
        async move {
            api::save_view(&view).await?;
            views.refetch();
            Ok::<_, api::ClientError>(())
        }
    });
    let delete_view = Action::new_local(move |view: &SavedView| {
        let id = view.id;
        async move {
            api::delete_view(id).await?;
            views.refetch();
            Ok::<_, api::ClientError>(())
        }
    });
    let views_busy =
        Signal::derive(move || save_view.pending().get() || delete_view.pending().get());
    let views_error = Signal::derive(move || {
        let failed = |a: Option<Result<(), api::ClientError>>| a.and_then(|r| r.err());
        failed(save_view.value().get()).or_else(|| failed(delete_view.value().get()))
    });
    let apply = Callback::new(move |filter: OrderFilter| {
        let query = filters::to_query(&filter);
        navigate(&routes::orders_list(&query), Default::default());
    });
    let page_href = move |cursor: Option<String>| {
        let mut filter = current.get_untracked();
        filter.cursor = cursor;
        routes::href(&routes::orders_list(&filters::to_query(&filter)))
    };

    view! {
        <article class="page">
            <header class="page-header">
                <h1>"Orders"</h1>
                <button type="button" class="secondary" on:click=move |_| orders.refetch()>
                    "Reload"
                </button>
                <button
                    type="button"
                    class="secondary"
                    data-testid="export-csv"
                    title="Every order these filters match, as a CSV file"
                    disabled=move || export.pending().get()
                    aria-busy=move || export.pending().get().then_some("true")
                    on:click=move |_| {
                        export.dispatch_local(());
                    }
                >
                    {move || if export.pending().get() { "Exporting…" } else { "Export CSV" }}
                </button>
                {move || {
                    export
                        .value()
                        .get()
                        .and_then(|r| r.err())
                        .map(|e| {
                            view! { <span class="error" role="alert" data-testid="export-error">{e}</span> }
                        })
                }}
            </header>
            <Show when=move || operator>
                <ImportOrderForm
                    on_submit=move |request| {
                        import.dispatch_local(request);
                    }
                    busy=import.pending()
                    error=import_error
                />
            </Show>
            // A view that fails to load leaves the list as it is: views are a shortcut.
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let saved = views.await.unwrap_or_default();
                    view! {
                        <SavedViews
                            views=saved
                            current=bar_filter
                            on_save=move |v| {
                                save_view.dispatch_local(v);
                            }
                            on_delete=move |v| {
                                delete_view.dispatch_local(v);
                            }
                            busy=views_busy
                            error=views_error
                        />
                    }
                })}
            </Transition>
            {move || {
                let filter = bar_filter.get();
                view! { <FilterBar initial=FilterForm::from_filter(&filter) on_apply=apply/> }
            }}
            <Show when=move || loading_more.get()>
                <p class="loading muted" role="status">"Loading…"</p>
            </Show>
            // Transition: while another page loads, the current rows stay on screen.
            <Transition fallback=|| view! { <Loading/> } set_pending=loading_more.write_only()>
                {move || Suspend::new(async move {
                    match orders.await {
                        Ok(page) => {
                            let has_cursor = current.with_untracked(|f| f.cursor.is_some());
                            // Only what narrows the list counts, not the sort or page size.
                            let filtered = bar_filter.with_untracked(|f| {
                                OrderFilter { sort: None, limit: None, ..f.clone() } != OrderFilter::default()
                            });
                            let next = page.next_cursor.clone();
                            Either::Left(view! {
                                <OrdersTable orders=page.orders filtered/>
                                <nav class="pager" aria-label="Pages">
                                    {has_cursor
                                        .then(|| {
                                            view! {
                                                <a href=page_href(None) data-testid="first-page">
                                                    "First page"
                                                </a>
                                            }
                                        })}
                                    {next
                                        .map(|cursor| {
                                            view! {
                                                <a
                                                    href=page_href(Some(cursor))
                                                    class="button-link"
                                                    data-testid="next-page"
                                                >
                                                    "Next page"
                                                </a>
                                            }
                                        })}
                                </nav>
                            })
                        }
                        Err(error) => {
                            // A filter the proxy refused would stay in the address bar (and
                            // the bar) through every reload: offer the way out.
                            let filtered = bar_filter.with_untracked(|f| *f != OrderFilter::default());
                            Either::Right(view! {
                                <LoadError error what="the orders"/>
                                {filtered
                                    .then(|| {
                                        view! {
                                            <p>
                                                <a
                                                    href=routes::href(&routes::orders_list(""))
                                                    data-testid="clear-filters"
                                                >
                                                    "Show all orders"
                                                </a>
                                            </p>
                                        }
                                    })}
                            })
                        }
                    }
                })}
            </Transition>
        </article>
    }
}
