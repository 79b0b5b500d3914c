//! `/shop`: the public shop. No login: a shopper picks products, enters a billing address and
//! pays at the provider's checkout. Outside the staff console, so it has its own small header.

use kassa_model::api::{PublicCheckout, PublicCheckoutCreated};
use leptos::either::Either;
use leptos::prelude::*;

use crate::api::{self, ClientError};
use crate::components::{LoadError, Loading, ShopForm};

#[component]
pub fn ShopPage() -> impl IntoView {
    let catalog = LocalResource::new(api::public_catalog);
    let pay = Action::new_local(|checkout: &PublicCheckout| {
        let checkout = checkout.clone();
        async move {
            let created = api::public_checkout(&checkout).await?;
            go_to_checkout(&created)?;
            Ok::<_, ClientError>(created)
        }
    });
    let pending = pay.pending();
    // Stay busy after success too: the browser is leaving for the checkout page, and a second
    // click would create a second order.
    let busy =
        Signal::derive(move || pending.get() || pay.value().with(|v| matches!(v, Some(Ok(_)))));
    let server_error = Signal::derive(move || {
        if pending.get() {
            return None;
        }
        pay.value().with(|v| match v {
            Some(Err(error)) => Some(error.clone()),
            _ => None,
        })
    });

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

/// The checkout is the provider's page, outside this app: a full navigation, not a route.
fn go_to_checkout(created: &PublicCheckoutCreated) -> Result<(), ClientError> {
    window()
        .location()
        .set_href(&created.checkout_url)
        .map_err(|_| {
            ClientError::Decode(format!(
                "the checkout address {} could not be opened",
                created.checkout_url
            ))
        })
}
