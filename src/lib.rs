//! Kassa's browser console: create Mollie orders, follow customers back from checkout, and
//! read an order's lines and timeline. Client-side rendered with Leptos; talks only to the
//! Kassa proxy's JSON API (see [`api`]).

pub mod actions;
pub mod api;
pub mod components;
pub mod draft;
pub mod filters;
pub mod format;
pub mod pages;
pub mod routes;
pub mod session;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use components::AppHeader;
use pages::{LoginPage, NewOrderPage, NotFound, OrderPage, OrdersPage, ReturnPage};
use session::{RequireStaff, Session};

/// The app shell and its routes: `/` is the orders list. `/orders/new` is listed before `/orders/:id` so "new" is
/// never read as an order id. Staff pages sit in [`RequireStaff`]; the login page and the
/// customer's return page are public.
#[component]
pub fn App() -> impl IntoView {
    Session::provide();
    view! {
        <Router>
            <AppHeader/>
            <main class="app-main">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route
                        path=path!("/")
                        view=|| view! { <RequireStaff><OrdersPage/></RequireStaff> }
                    />
                    <Route
                        path=path!("/orders/new")
                        view=|| view! { <RequireStaff><NewOrderPage/></RequireStaff> }
                    />
                    <Route
                        path=path!("/orders/:id")
                        view=|| view! { <RequireStaff><OrderPage/></RequireStaff> }
                    />
                    <Route path=path!("/return/:ref") view=ReturnPage/>
                </Routes>
            </main>
        </Router>
    }
}
