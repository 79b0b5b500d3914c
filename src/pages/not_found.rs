use leptos::prelude::*;

use crate::routes;

#[component]
pub fn NotFound() -> impl IntoView {
    crate::title::set("Page not found");
    view! {
        <article class="page">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <p>
                <a href=routes::href(routes::NEW_ORDER)>"Create a new order"</a>
            </p>
        </article>
    }
}
