//! The Klarna step: the categories Klarna offers as radio choices, the chosen one's form
//! (Klarna's `load`, into a container Leptos never renders into), and "Pay with Klarna", which
//! asks Klarna (`authorize`, Klarna's own dialog) and then places the order with the token.
//! Every outcome is said in one live region; the button tells what it will do next.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use kassa_model::api::{KlarnaPayment, PaymentCategory, PlaceOrder, PlacedOrder};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::bindings::{self, CallFailed};
use super::loader::load_library;
use super::outcome::{self, AfterRefusal, Authorized, Loaded};
use crate::api::{self, ClientError};
use crate::i18n::{Lang, Msg};
use crate::routes;

type Placing = Pin<Box<dyn Future<Output = Result<PlacedOrder, ClientError>>>>;

/// How the step places the order with an authorization token: by default
/// `POST /api/public/pay/{reference}/order`; tests pass their own.
#[derive(Clone)]
pub struct PlaceWith(Rc<dyn Fn(String) -> Placing>);

impl PlaceWith {
    pub fn new<F, Fut>(place: F) -> Self
    where
        F: Fn(String) -> Fut + 'static,
        Fut: Future<Output = Result<PlacedOrder, ClientError>> + 'static,
    {
        Self(Rc::new(move |token| Box::pin(place(token))))
    }

    fn proxy(reference: String) -> Self {
        Self::new(move |authorization_token| {
            let reference = reference.clone();
            async move {
                api::place_order(
                    &reference,
                    &PlaceOrder {
                        authorization_token,
                    },
                )
                .await
            }
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Library {
    Loading,
    Ready,
    Failed(String),
}

/// Where the step is between the customer's clicks.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Phase {
    Idle,
    Authorizing,
    Placing,
    Declined,
    NotCompleted,
    Failed(String),
    Refused(String, AfterRefusal),
    Placed,
}

impl Phase {
    fn busy(&self) -> bool {
        matches!(self, Self::Authorizing | Self::Placing | Self::Placed)
    }
}

#[component]
pub fn KlarnaStep(
    /// The session's client token, categories and library, from the proxy.
    payment: KlarnaPayment,
    /// Places the order with the token (default: the proxy's pay endpoint).
    #[prop(optional)]
    place: Option<PlaceWith>,
    /// Told once the order is placed (default: go to its return page).
    #[prop(optional, into)]
    on_placed: Option<Callback<PlacedOrder>>,
    /// The customer's language (default English). Klarna's own texts are Klarna's.
    #[prop(optional)]
    lang: Option<Lang>,
) -> impl IntoView {
    let lang = lang.unwrap_or(Lang::En);
    let on_placed = on_placed.unwrap_or_else(|| {
        let navigate = leptos_router::hooks::use_navigate();
        Callback::new(move |placed: PlacedOrder| {
            navigate(&routes::return_page(&placed.return_ref), Default::default())
        })
    });
    let place = StoredValue::new_local(
        place.unwrap_or_else(|| PlaceWith::proxy(payment.reference.clone())),
    );
    let categories = StoredValue::new(payment.categories.clone());
    let category = RwSignal::new(
        payment
            .categories
            .first()
            .map(|c| c.identifier.clone())
            .unwrap_or_default(),
    );
    let library = RwSignal::new(Library::Loading);
    let form = RwSignal::new(None::<Loaded>);
    let phase = RwSignal::new(Phase::Idle);
    // The last token, for sending again when the proxy's answer never came.
    let token = StoredValue::new(None::<String>);
    let container = NodeRef::<html::Div>::new();

    {
        let url = payment.library_url.clone();
        let client_token = payment.client_token.clone();
        spawn_local(async move {
            let ready = match load_library(&url).await {
                Ok(()) => bindings::init(&client_token).map_err(|CallFailed(m)| {
                    format!("Klarna could not start ({m}). Reload the page to try again.")
                }),
                Err(e) => Err(e.to_string()),
            };
            library.try_set(match ready {
                Ok(()) => Library::Ready,
                Err(message) => Library::Failed(message),
            });
        });
    }
    load_form_on_choice(library, category, container, form);

    let pay = move |_| {
        if phase.with_untracked(Phase::busy) {
            return;
        }
        let resend = match phase.get_untracked() {
            Phase::Refused(_, AfterRefusal::SendAgain) => token.get_value(),
            _ => None,
        };
        let chosen = category.get_untracked();
        spawn_local(async move {
            let authorization_token = match resend {
                Some(t) => t,
                None => match authorize(&chosen, phase).await {
                    Some(t) => t,
                    None => return,
                },
            };
            token.set_value(Some(authorization_token.clone()));
            phase.try_set(Phase::Placing);
            let Some(placing) = place.try_with_value(|p| (p.0)(authorization_token)) else {
                return;
            };
            match placing.await {
                Ok(placed) => {
                    phase.try_set(Phase::Placed);
                    on_placed.run(placed);
                }
                Err(error) => {
                    let next = outcome::after_refusal(&error);
                    phase.try_set(Phase::Refused(outcome::refusal_message(&error), next));
                }
            }
        });
    };

    let choose = move |identifier: String| {
        category.set(identifier);
        if !phase.with_untracked(Phase::busy) {
            phase.set(Phase::Idle);
        }
    };
    let no_categories = categories.with_value(Vec::is_empty);
    let status = move || {
        // Without categories there is nothing to load; the choice says so itself.
        if no_categories {
            return String::new();
        }
        status_text(
            lang,
            &library.get(),
            form.get().as_ref(),
            &phase.get(),
            &categories.with_value(|c| name_of(c, &category.get())),
        )
    };
    let is_error = move || {
        matches!(library.get(), Library::Failed(_))
            || matches!(form.get(), Some(Loaded::Failed(_)))
            || matches!(phase.get(), Phase::Failed(_) | Phase::Refused(..))
    };
    let can_pay = move || {
        library.get() == Library::Ready
            && form.get() == Some(Loaded::Shown)
            && !phase.with(Phase::busy)
            && !matches!(phase.get(), Phase::Refused(_, AfterRefusal::Stop))
    };
    let busy = move || phase.with(Phase::busy);
    let label = move || {
        lang.t(match phase.get() {
            Phase::Authorizing | Phase::Placing => Msg::Working,
            Phase::Declined | Phase::Failed(_) | Phase::Refused(..) => Msg::TryAgain,
            _ => Msg::KlarnaPayWith,
        })
    };

    view! {
        <section class="block klarna-step" data-testid="klarna-step" aria-labelledby="klarna-step-title">
            <h2 id="klarna-step-title">{lang.t(Msg::KlarnaPayWith)}</h2>
            <CategoryChoice categories=categories.get_value() category disabled=Signal::derive(busy) on_choose=choose lang/>
            // Klarna renders the chosen category's form in here; Leptos leaves it empty.
            <div class="klarna-container" node_ref=container data-testid="klarna-container"></div>
            <p
                class="klarna-status"
                class:notice-error=is_error
                role="status"
                aria-live="polite"
                data-testid="klarna-status"
            >
                {status}
            </p>
            {move || match library.get() {
                Library::Failed(_) => view! {
                    <button
                        type="button"
                        data-testid="klarna-reload"
                        on:click=|_| {
                            let _ = window().location().reload();
                        }
                    >
                        {lang.t(Msg::KlarnaReload)}
                    </button>
                }
                    .into_any(),
                _ if no_categories => ().into_any(),
                _ => view! {
                    <button
                        type="button"
                        class="primary"
                        data-testid="klarna-pay"
                        disabled=move || !can_pay()
                        aria-busy=move || busy().then_some("true")
                        on:click=pay
                    >
                        {label}
                    </button>
                }
                    .into_any(),
            }}
        </section>
    }
}

/// Loads the chosen category's form whenever the library is ready and the choice changes. An
/// answer for an earlier choice is dropped: only the latest load says what is shown.
fn load_form_on_choice(
    library: RwSignal<Library>,
    category: RwSignal<String>,
    container: NodeRef<html::Div>,
    form: RwSignal<Option<Loaded>>,
) {
    let generation = StoredValue::new(0u32);
    Effect::new(move |_| {
        let chosen = category.get();
        let (Library::Ready, Some(container)) = (library.get(), container.get()) else {
            return;
        };
        if chosen.is_empty() {
            return;
        }
        let this = generation.get_value().wrapping_add(1);
        generation.set_value(this);
        form.set(None);
        spawn_local(async move {
            let loaded = match bindings::load(&container, &chosen).await {
                Ok(answer) => outcome::loaded(&answer),
                Err(CallFailed(message)) => Loaded::Failed(format!("Klarna: {message}")),
            };
            if generation.try_get_value() == Some(this) {
                form.try_set(Some(loaded));
            }
        });
    });
}

/// Asks Klarna; the token, or `None` with the phase saying why not.
async fn authorize(category: &str, phase: RwSignal<Phase>) -> Option<String> {
    phase.try_set(Phase::Authorizing);
    let next = match bindings::authorize(category)
        .await
        .map(|a| outcome::authorized(&a))
    {
        Ok(Authorized::Token(token)) => return Some(token),
        Ok(Authorized::Declined) => Phase::Declined,
        Ok(Authorized::NotCompleted) => Phase::NotCompleted,
        Ok(Authorized::Failed(message)) | Err(CallFailed(message)) => Phase::Failed(message),
    };
    phase.try_set(next);
    None
}

fn name_of(categories: &[PaymentCategory], identifier: &str) -> String {
    categories
        .iter()
        .find(|c| c.identifier == identifier)
        .map_or_else(|| identifier.to_owned(), |c| c.name.clone())
}

/// The one sentence the live region says: a broken library first, then what the last click
/// led to, then the form's state.
fn status_text(
    lang: Lang,
    library: &Library,
    form: Option<&Loaded>,
    phase: &Phase,
    category: &str,
) -> String {
    let said = |msg| lang.t(msg).to_owned();
    match (library, phase) {
        (Library::Loading, _) => return said(Msg::KlarnaLoading),
        (Library::Failed(message), _) => return message.clone(),
        (_, Phase::Authorizing) => return said(Msg::KlarnaWaiting),
        (_, Phase::Placing) => return said(Msg::KlarnaPlacing),
        (_, Phase::Placed) => return said(Msg::KlarnaPlaced),
        (_, Phase::Declined) => return said(Msg::KlarnaDeclined),
        (_, Phase::NotCompleted) => return said(Msg::KlarnaNotCompleted),
        (_, Phase::Failed(message) | Phase::Refused(message, _)) => return message.clone(),
        (_, Phase::Idle) => {}
    }
    match form {
        None => said(Msg::KlarnaLoadingOptions),
        Some(Loaded::Shown) => String::new(),
        Some(Loaded::Unavailable) => lang.t(Msg::KlarnaUnavailable).replace("{}", category),
        Some(Loaded::Failed(message)) => message.clone(),
    }
}

/// The categories as radio buttons, each with Klarna's name and badge.
#[component]
fn CategoryChoice(
    categories: Vec<PaymentCategory>,
    category: RwSignal<String>,
    disabled: Signal<bool>,
    #[prop(into)] on_choose: Callback<String>,
    lang: Lang,
) -> impl IntoView {
    if categories.is_empty() {
        return view! {
            <p class="notice" data-testid="klarna-no-categories">
                {lang.t(Msg::KlarnaNoCategories)}
            </p>
        }
        .into_any();
    }
    let options = categories
        .into_iter()
        .map(|c| {
            let id = c.identifier.clone();
            let checked = {
                let id = id.clone();
                move || category.with(|chosen| *chosen == id)
            };
            view! {
                <label class="klarna-category">
                    <input
                        type="radio"
                        name="klarna-category"
                        value=id.clone()
                        data-testid=format!("klarna-category-{id}")
                        prop:checked=checked
                        disabled=move || disabled.get()
                        on:change=move |_| on_choose.run(id.clone())
                    />
                    {c.asset_url.map(|src| view! { <img class="klarna-badge" src=src alt="" height="24"/> })}
                    <span>{c.name}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="klarna-categories">
            <legend>{lang.t(Msg::KlarnaHowToPay)}</legend>
            {options}
        </fieldset>
    }
    .into_any()
}
