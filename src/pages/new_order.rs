//! `/orders/new`: create an order and send the browser to the provider's checkout.

use kassa_model::api::{CreatedOrder, NewOrder};
use leptos::prelude::*;

use crate::api::{self, ClientError};
use crate::components::OrderForm;
use crate::draft::FormError;
use crate::routes;
use crate::session::Session;

/// Operators get the form; a viewer is told why there is none (the proxy would refuse the
/// order with a 403 anyway).
#[component]
pub fn NewOrderPage() -> impl IntoView {
    let session = Session::expect_context();
    let create = Action::new_local(|order: &NewOrder| {
        let order = order.clone();
        async move {
            let created = api::create_order(&order).await?;
            go_to_checkout(&created)?;
            Ok::<_, ClientError>(created)
        }
    });
    let pending = create.pending();
    // Stay busy after success too: the browser is leaving for the checkout page, and a second
    // click would create a second order.
    let busy =
        Signal::derive(move || pending.get() || create.value().with(|v| matches!(v, Some(Ok(_)))));
    let server_error = Signal::derive(move || {
        if pending.get() {
            return None;
        }
        create.value().with(|v| match v {
            Some(Err(error)) => Some(to_form_error(error)),
            _ => None,
        })
    });

    view! {
        <article class="page">
            <h1>"New order"</h1>
            <Show when=move || session.can_change() fallback=ViewerNotice>
                <OrderForm
                    on_submit=move |order| {
                        create.dispatch_local(order);
                    }
                    busy
                    server_error
                />
            </Show>
        </article>
    }
}

#[component]
fn ViewerNotice() -> impl IntoView {
    view! {
        <div class="notice" role="status" data-testid="viewer-notice">
            <p>
                "Your account can view orders but not create them. Ask an operator to create this order, or to give your account the operator role."
            </p>
            <p>
                "You can still open an order from its link, for example "
                <code>{routes::order("ord_…")}</code>
                "."
            </p>
        </div>
    }
}

/// A 422 naming a field goes next to that field; everything else is a form-level message.
fn to_form_error(error: &ClientError) -> FormError {
    match error.field_error() {
        Some(field) => FormError::Field(field),
        None => FormError::Form(error.to_string()),
    }
}

/// The checkout is the provider's page, outside this app: a full navigation, not a route.
fn go_to_checkout(created: &CreatedOrder) -> Result<(), ClientError> {
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
