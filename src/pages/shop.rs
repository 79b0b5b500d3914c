//! `/shop`: the public shop. No login: a shopper picks products, enters a billing address and
//! pays at the provider's checkout. Outside the staff console, so it has its own small header.

use kassa_model::api::PublicCheckout;
use leptos::either::Either;
use leptos::prelude::*;

use crate::api::{self, ClientError};
use crate::checkout_redirect::{go_to_checkout, leaving, Leaving};
use crate::components::{LoadError, Loading, ShopForm};

#[component]
pub fn ShopPage() -> impl IntoView {
    let catalog = LocalResource::new(api::public_catalog);
    let pay = Action::new_local(|checkout: &PublicCheckout| {
        let checkout = checkout.clone();
        async move {
            let created = api::public_checkout(&checkout).await?;
            // Mollie's checkout; the Klarna step on this page comes with issue 11.
            go_to_checkout(created.checkout_url.as_deref().unwrap_or_default())?;
            Ok::<_, ClientError>(created)
        }
    });
    let Leaving {
        busy,
        error: server_error,
    } = leaving(pay);

    view! {
        <article class="page shop">
            <header class="shop-header">
                <span class="brand">"Kassa shop"</span>
            </header>
            <h1>"Shop"</h1>
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
                            />
                        }),
                        Err(error) => Either::Right(view! { <LoadError error what="the shop"/> }),
                    }
                })}
            </Transition>
        </article>
    }
}
