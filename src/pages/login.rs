//! `/login`: staff log in here, then go on to `?next=` (the page they wanted) or home.

use kassa_model::api::Credentials;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use leptos_router::NavigateOptions;

use crate::api::{self, ClientError};
use crate::components::{Loading, LoginForm};
use crate::routes;
use crate::session::{Session, SessionState};

#[component]
pub fn LoginPage() -> impl IntoView {
    crate::title::set("Log in");
    let session = Session::expect_context();
    session.ensure_checked();
    let query = use_query_map();
    let next = move || routes::safe_next(query.with_untracked(|q| q.get("next")).as_deref());

    let login = Action::new_local(move |credentials: &Credentials| {
        let credentials = credentials.clone();
        let destination = next();
        async move {
            // Most logins land on the orders list: its code (a chunk of its own in the split
            // build) is fetched while the proxy checks the password, rather than after. A
            // failure here is left to the page's own load, which retries and shows it.
            if destination.split(['?', '#']).next() == Some(routes::HOME) {
                leptos::task::spawn_local(async {
                    let _ = crate::pages::preload_orders().await;
                });
            }
            let view = api::login(&credentials).await?;
            // Signing in re-renders this page as a redirect to `next`.
            session.signed_in(view);
            Ok::<_, ClientError>(())
        }
    });
    let pending = login.pending();
    let error = Signal::derive(move || {
        if pending.get() {
            return None;
        }
        login
            .value()
            .with(|v| v.as_ref().and_then(|r| r.clone().err()))
    });
    let state = Memo::new(move |_| session.state());

    view! {
        <article class="page login-page">
            <h1>"Log in to Kassa"</h1>
            {move || match state.get() {
                SessionState::SignedIn(_) => {
                    EitherOf3::A(
                        view! {
                            <Redirect
                                path=next()
                                options=NavigateOptions {
                                    replace: true,
                                    ..NavigateOptions::default()
                                }
                            />
                        },
                    )
                }
                SessionState::Checking => EitherOf3::B(view! { <Loading/> }),
                other => {
                    let logged_out = other == SessionState::LoggedOut;
                    EitherOf3::C(
                        view! {
                            {logged_out
                                .then(|| {
                                    view! {
                                        <p class="notice" role="status" data-testid="logged-out">
                                            "You are logged out."
                                        </p>
                                    }
                                })}
                            <LoginForm
                                on_submit=move |credentials| {
                                    login.dispatch_local(credentials);
                                }
                                busy=pending
                                error
                            />
                        },
                    )
                }
            }}
        </article>
    }
}
