//! Kassa's browser console: create Mollie orders, follow customers back from checkout, and
//! read an order's lines and timeline. Client-side rendered with Leptos; talks only to the
//! Kassa proxy's JSON API (see [`api`]).

pub mod api;
pub mod components;
pub mod draft;
pub mod format;
pub mod pages;
pub mod routes;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use pages::{NewOrderPage, NotFound, OrderPage, ReturnPage};

/// The app shell and its routes. `/orders/new` is listed before `/orders/:id` so "new" is
/// never read as an order id.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <header class="app-header">
                <a class="brand" href=routes::HOME>
                    "Kassa"
                </a>
                <nav aria-label="Main">
                    <A href=routes::NEW_ORDER>"New order"</A>
                </nav>
            </header>
            <main class="app-main">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=NewOrderPage/>
                    <Route path=path!("/orders/new") view=NewOrderPage/>
                    <Route path=path!("/orders/:id") view=OrderPage/>
                    <Route path=path!("/return/:ref") view=ReturnPage/>
                </Routes>
            </main>
        </Router>
    }
}
