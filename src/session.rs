//! Who is using the console: the session context every page reads, and the guard around
//! staff pages.
//!
//! The first page that needs to know (a staff page, the staff header, the login page) asks the
//! proxy once (`GET /api/session`, see [`Session::ensure_checked`]); public pages (the shop, a
//! customer's return page) never do. After that the state
//! changes only by what happens here: logging in, logging out, or any API call answering 401
//! (the client reports it through [`api::on_session_lost`]). Staff pages sit inside
//! [`RequireStaff`], which sends a visitor without a session to the login page and remembers
//! where they wanted to go.

use kassa_model::api::{SessionView, StaffView};
use leptos::either::EitherOf4;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;
use leptos_router::NavigateOptions;

use crate::api::{self, ClientError};
use crate::components::Loading;
use crate::routes;

#[derive(Clone, Debug, PartialEq)]
pub enum SessionState {
    /// The first `GET /api/session` has not answered yet.
    Checking,
    /// That first question failed for another reason than "no session" (offline, proxy down).
    Unavailable(ClientError),
    /// No session: never logged in, or it ended (a 401). Staff pages send to the login page
    /// and come back afterwards.
    SignedOut,
    /// Logged out on purpose: staff pages send to the plain login page.
    LoggedOut,
    SignedIn(StaffView),
}

/// The session, shared through context. `Copy`, like a signal.
#[derive(Clone, Copy, Debug)]
pub struct Session {
    state: RwSignal<SessionState>,
    /// Whether the proxy has been asked yet.
    asked: StoredValue<bool>,
}

impl Session {
    /// Provides the session for the whole app (not asked yet: see [`Self::ensure_checked`]) and
    /// listens for 401s from any later call.
    pub fn provide() -> Self {
        let session = Self::provide_with(SessionState::Checking);
        api::on_session_lost(move || session.signed_out());
        on_cleanup(api::clear_session_lost);
        session
    }

    /// Provides a session in a known state without asking the proxy (tests, previews).
    pub fn provide_with(state: SessionState) -> Self {
        let asked = state != SessionState::Checking;
        let session = Self {
            state: RwSignal::new(state),
            asked: StoredValue::new(asked),
        };
        provide_context(session);
        session
    }

    /// # Panics
    /// Outside [`crate::App`] (or a test that provided one): a programming error.
    pub fn expect_context() -> Self {
        expect_context::<Self>()
    }

    /// Asks the proxy who is logged in, unless it was asked already.
    pub fn ensure_checked(self) {
        if !self.asked.get_value() {
            self.check();
        }
    }

    /// Asks the proxy who is logged in (again).
    pub fn check(self) {
        self.asked.set_value(true);
        self.set(SessionState::Checking);
        spawn_local(async move {
            let state = match api::current_session().await {
                Ok(session) => SessionState::SignedIn(session.staff),
                Err(error) if error.is_unauthorized() => SessionState::SignedOut,
                Err(error) => SessionState::Unavailable(error),
            };
            self.set(state);
        });
    }

    pub fn state(self) -> SessionState {
        self.state.get()
    }

    /// The logged-in staff member, if any.
    pub fn staff(self) -> Option<StaffView> {
        self.state.with(|s| match s {
            SessionState::SignedIn(staff) => Some(staff.clone()),
            _ => None,
        })
    }

    /// True when the logged-in staff member may change things (create orders, ...).
    pub fn can_change(self) -> bool {
        self.state
            .with(|s| matches!(s, SessionState::SignedIn(staff) if staff.role.can_change()))
    }

    /// [`Self::can_change`], read once without subscribing: for views inside
    /// [`RequireStaff`], which builds them anew on every sign-in, so the role cannot change
    /// while they are shown. Subscribing would re-run their closures on logout just as the
    /// page is taken down, and read what it already disposed.
    pub fn can_change_now(self) -> bool {
        self.state.with_untracked(
            |s| matches!(s, SessionState::SignedIn(staff) if staff.role.can_change()),
        )
    }

    /// After a successful `POST /api/session`.
    pub fn signed_in(self, session: SessionView) {
        self.set(SessionState::SignedIn(session.staff));
    }

    /// The session ended without the user asking (a 401 from any call): staff pages send to
    /// the login page and come back afterwards.
    pub fn signed_out(self) {
        self.set(SessionState::SignedOut);
    }

    /// After a successful `DELETE /api/session`.
    pub fn logged_out(self) {
        self.set(SessionState::LoggedOut);
    }

    /// `try_set`: a 401 can arrive after the app that owned the signal was unmounted.
    fn set(self, state: SessionState) {
        let _ = self.state.try_set(state);
    }
}

/// Shows `children` to logged-in staff only. Without a session it redirects to
/// `/login?next=<this page>`; while the first check runs it shows "Loading…"; when the proxy
/// cannot be reached it says so and offers to try again.
#[component]
pub fn RequireStaff(children: ChildrenFn) -> impl IntoView {
    let session = Session::expect_context();
    session.ensure_checked();
    let location = use_location();
    let wanted = move || {
        // Without the base path: the login page hands it to `navigate`, which adds it back.
        let path = routes::within_app(&location.pathname.get_untracked());
        let search = location.search.get_untracked();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    // Replace, so "back" from the login page does not land on a page that redirects again.
    let replace = || NavigateOptions {
        replace: true,
        ..NavigateOptions::default()
    };
    // Memo: children are built once per sign-in, not on every state write.
    let state = Memo::new(move |_| session.state());
    move || match state.get() {
        SessionState::SignedIn(_) => EitherOf4::A(children()),
        SessionState::Checking => EitherOf4::B(view! { <Loading/> }),
        SessionState::Unavailable(error) => EitherOf4::C(view! {
            <article class="page">
                <div class="notice notice-error" role="alert" data-testid="session-error">
                    <p>{format!("Kassa could not check whether you are logged in. {error}")}</p>
                </div>
                <button type="button" class="secondary" on:click=move |_| session.check()>
                    "Try again"
                </button>
            </article>
        }),
        SessionState::SignedOut => EitherOf4::D(view! {
            <Redirect path=routes::login_then(&wanted()) options=replace()/>
        }),
        SessionState::LoggedOut => EitherOf4::D(view! {
            <Redirect path=routes::LOGIN.to_owned() options=replace()/>
        }),
    }
}
