//! Kassa's browser console: create orders, follow customers back from checkout, and manage
//! Mollie and Klarna orders afterwards. Client-side rendered with Leptos; talks only to the
//! Kassa proxy's JSON API (see [`api`]).

// The browser tests name the app as a user of the library would, `kassa_app::...`.
#[cfg(all(test, target_arch = "wasm32"))]
extern crate self as kassa_app;

pub mod actions;
pub mod api;
pub mod checkout_redirect;
pub mod clipboard;
pub mod components;
pub mod countries;
pub mod download;
pub mod draft;
pub mod embed;
pub mod filters;
#[cfg(test)]
mod fixtures;
pub mod format;
pub mod i18n;
pub mod klarna;
pub mod pages;
pub mod routes;
pub mod session;
pub mod shop;
pub mod split;
pub mod staff_locale;
pub mod terms;
pub mod title;
/// The browser tests (`tests/web/`), in the library's test harness on wasm32, where
/// `wasm-bindgen-test-runner` runs them in headless Chromium (see `tests/web/main.rs`).
#[cfg(all(test, target_arch = "wasm32"))]
#[path = "../tests/web/main.rs"]
mod web;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use components::AppHeader;
use pages::NotFound;
use session::{RequireStaff, Session};
use split::LazyPage;

/// The whole console at the root of the site, as `main.rs` mounts it: [`Console`] without a base.
#[component]
pub fn App() -> impl IntoView {
    view! { <Console/> }
}

/// The app shell and its routes: `/` is the orders list. `/orders/new` is listed before `/orders/:id` so "new" is
/// never read as an order id. Staff pages sit in [`RequireStaff`]; the login page and the
/// customer's return page are public, and so are the shop (`/shop`) and pay links
/// (`/pay/:reference`), each with its own header.
/// Each page is a [`LazyPage`]: its code is loaded when it is first shown (see [`split`]); a
/// staff page's only after [`RequireStaff`] let the visitor in.
#[component]
pub fn Console(
    /// The path prefix the routes live under (e.g. `/admin/kassa` when a host page embeds the
    /// console there, see [`embed`]); none means the site root.
    #[prop(optional_no_strip)]
    base: Option<String>,
) -> impl IntoView {
    Session::provide();
    // Every staff amount in the staff member's own locale (see `staff_locale`).
    staff_locale::StaffLocale::provide();
    routes::set_base(base.as_deref().unwrap_or_default());
    view! {
        // An empty base is the router's own default (no prefix).
        <Router base=base.unwrap_or_default()>
            // The first stop for keyboard and screen-reader users: past the header's links.
            // `rel="external"` leaves the jump to the browser, not the router.
            <a class="skip-link" href="#main-content" rel="external" data-testid="skip-link">
                "Skip to content"
            </a>
            <AppHeader/>
            <main class="app-main" id="main-content" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/login") view=|| view! { <LazyPage load=pages::login/> }/>
                    <Route
                        path=path!("/")
                        view=|| view! { <RequireStaff><LazyPage load=pages::orders/></RequireStaff> }
                    />
                    <Route
                        path=path!("/expiring")
                        view=|| view! { <RequireStaff><LazyPage load=pages::expiring/></RequireStaff> }
                    />
                    <Route
                        path=path!("/orders/new")
                        view=|| view! { <RequireStaff><LazyPage load=pages::new_order/></RequireStaff> }
                    />
                    <Route
                        path=path!("/orders/:id")
                        view=|| view! { <RequireStaff><LazyPage load=pages::order/></RequireStaff> }
                    />
                    <Route path=path!("/return/:ref") view=|| view! { <LazyPage load=pages::return_page/> }/>
                    <Route path=path!("/shop") view=|| view! { <LazyPage load=pages::shop/> }/>
                    <Route path=path!("/pay/:reference") view=|| view! { <LazyPage load=pages::pay/> }/>
                </Routes>
            </main>
        </Router>
    }
}
