//! `/shop`: the public shop. No login: a shopper picks products, enters a billing address and
//! pays, at Mollie's hosted checkout or with Klarna on this page. Outside the staff console, so
//! it has its own small header. Its words follow the language the shopper picks in the form.

use kassa_model::api::{KlarnaPayment, PublicCheckout, PublicCheckoutCreated};
use kassa_model::Money;
use leptos::either::Either;
use leptos::prelude::*;

use crate::api::{self, ClientError};
use crate::checkout_redirect::{go_to_checkout, leaving, Leaving};
use crate::components::{LoadError, Loading, ShopForm};
use crate::format::money_in_locale;
use crate::i18n::{Lang, Msg};
use crate::klarna::KlarnaStep;

#[component]
pub fn ShopPage() -> impl IntoView {
    let catalog = LocalResource::new(api::public_catalog);
    let pay = Action::new_local(|checkout: &PublicCheckout| {
        let checkout = checkout.clone();
        async move {
            let created = api::public_checkout(&checkout).await?;
            // Klarna's answer stays on this page (the step below); Mollie's leaves for its checkout.
            match (&created.klarna, created.checkout_url.as_deref()) {
                (Some(_), _) => {}
                (None, Some(url)) => go_to_checkout(url)?,
                (None, None) => {
                    return Err(ClientError::Decode(
                        "the answer named no way to pay".to_owned(),
                    ))
                }
            }
            Ok::<_, ClientError>(created)
        }
    });
    let Leaving {
        busy,
        error: server_error,
    } = leaving(pay);
    let klarna = Memo::new(move |_| pay.value().with(|v| v.as_ref().and_then(klarna_of)));
    // The locale picked in the form: the page's language and how it writes money.
    let locale = RwSignal::new(crate::shop::shopper_locale());
    let lang = Memo::new(move |_| locale.with(|l| Lang::of_locale(l)));

    view! {
        <article class="page shop" lang=move || lang.get().code()>
            <header class="shop-header">
                <span class="brand">"Kassa shop"</span>
            </header>
            <h1 data-testid="shop-heading">{move || lang.get().t(Msg::ShopHeading)}</h1>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match catalog.await {
                        Ok(products) => Either::Left(view! {
                            <ShopForm
                                catalog=products
                                on_submit=move |checkout| {
                                    pay.dispatch_local(checkout);
                                }
                                busy
                                server_error
                                on_locale=move |l| locale.set(l)
                            />
                        }),
                        Err(error) => Either::Right(view! { <LoadError error what="the shop"/> }),
                    }
                })}
            </Transition>
            {move || {
                klarna
                    .get()
                    .map(|(payment, amount)| {
                        view! {
                            <ShopKlarna
                                payment
                                amount
                                locale=locale.get_untracked()
                                on_change=move || pay.value().set(None)
                            />
                        }
                    })
            }}
        </article>
    }
}

fn klarna_of(
    created: &Result<PublicCheckoutCreated, ClientError>,
) -> Option<(KlarnaPayment, Money)> {
    let created = created.as_ref().ok()?;
    Some((created.klarna.clone()?, created.amount))
}

/// The Klarna step for the priced order. The form above stays locked (its cart is the one
/// Klarna's session holds); "Change the order" unlocks it, and the next "Continue" opens a new
/// session.
#[component]
fn ShopKlarna(
    payment: KlarnaPayment,
    amount: Money,
    /// The checkout's locale (the form is locked meanwhile, so it cannot change).
    locale: String,
    on_change: impl Fn() + 'static,
) -> impl IntoView {
    let lang = Lang::of_locale(&locale);
    view! {
        <div class="shop-klarna" data-testid="shop-klarna">
            <p class="totals">
                {lang.t(Msg::ToPay)}
                " "
                <span class="amount" data-testid="shop-klarna-amount">
                    {money_in_locale(amount, &locale)}
                </span>
                " "
                <button type="button" class="secondary small" data-testid="shop-change" on:click=move |_| on_change()>
                    {lang.t(Msg::ChangeOrder)}
                </button>
            </p>
            <KlarnaStep payment lang/>
        </div>
    }
}
