//! The bar at the top of every page: the brand, the links this staff member may use, and who
//! is logged in with a way out.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::{self, ClientError};
use crate::routes;
use crate::session::Session;

#[component]
pub fn AppHeader() -> impl IntoView {
    let session = Session::expect_context();
    let navigate = use_navigate();
    // The shop has its own header: shoppers never see the staff bar.
    let location = use_location();
    let staff_page = move || !location.pathname.with(|p| routes::is_public_page(p));
    // The staff bar shows who is logged in: on staff pages the proxy is asked.
    Effect::new(move |_| {
        if staff_page() {
            session.ensure_checked();
        }
    });
    let logout = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            api::logout().await?;
            // Leave first, then drop the session. `LoggedOut` (not `SignedOut`) means a staff
            // page that still sees the change sends to plain `/login`, not `/login?next=`.
            navigate(routes::LOGIN, Default::default());
            session.logged_out();
            Ok::<_, ClientError>(())
        }
    });
    let pending = logout.pending();
    let logout_error = move || {
        logout.value().with(|v| match v {
            Some(Err(error)) if !pending.get() => Some(error.to_string()),
            _ => None,
        })
    };

    view! {
        <Show when=staff_page>
        <header class="app-header">
            <a class="brand" href=routes::href(routes::HOME)>
                "Kassa"
            </a>
            <nav aria-label="Main">
                <Show when=move || session.staff().is_some()>
                    <A href=routes::href(routes::HOME) exact=true>
                        "Orders"
                    </A>
                    <A href=routes::href(routes::EXPIRING)>"Expiring"</A>
                </Show>
                <Show when=move || session.can_change()>
                    <A href=routes::href(routes::NEW_ORDER)>"New order"</A>
                </Show>
            </nav>
            {move || {
                session
                    .staff()
                    .map(|staff| {
                        let shown = if staff.name.trim().is_empty() {
                            staff.email.clone()
                        } else {
                            staff.name.clone()
                        };
                        view! {
                            <div class="staff">
                                <span class="staff-who">
                                    <span data-testid="staff-name" title=staff.email.clone()>
                                        {shown}
                                    </span>
                                    <span class="staff-role muted" data-testid="staff-role">
                                        {staff.role.as_str()}
                                    </span>
                                </span>
                                <button
                                    type="button"
                                    class="secondary"
                                    data-testid="logout"
                                    disabled=move || pending.get()
                                    aria-busy=move || pending.get().then_some("true")
                                    on:click=move |_| {
                                        logout.dispatch_local(());
                                    }
                                >
                                    "Log out"
                                </button>
                                {move || {
                                    logout_error()
                                        .map(|message| {
                                            view! {
                                                <p class="form-error" role="alert" data-testid="logout-error">
                                                    {format!("Could not log out: {message}")}
                                                </p>
                                            }
                                        })
                                }}
                            </div>
                        }
                    })
            }}
        </header>
        </Show>
    }
}
