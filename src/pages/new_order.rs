//! `/orders/new`: create an order and send the browser to the provider's checkout.

use kassa_model::api::NewOrder;
use leptos::prelude::*;

use crate::api::{self, ClientError};
use crate::checkout_redirect::{go_to_checkout, leaving, Leaving};
use crate::components::OrderForm;
use crate::draft::FormError;
use crate::routes;
use crate::session::Session;

/// Operators get the form; a viewer is told why there is none (the proxy would refuse the
/// order with a 403 anyway).
#[component]
pub fn NewOrderPage() -> impl IntoView {
    crate::title::set("New order");
    let session = Session::expect_context();
    let create = Action::new_local(|order: &NewOrder| {
        let order = order.clone();
        async move {
            let created = api::create_order(&order).await?;
            go_to_checkout(&created.checkout_url)?;
            Ok::<_, ClientError>(created)
        }
    });
    let Leaving { busy, error } = leaving(create);
    let server_error = Signal::derive(move || error.with(|e| e.as_ref().map(to_form_error)));

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
