//! `/orders/new`: create a Mollie order and send the browser to its checkout, or make a Klarna
//! pay link to send the customer.

use kassa_model::api::{NewOrder, NewPayLink, PayLinkCreated};
use leptos::prelude::*;

use crate::api::{self, ClientError};
use crate::checkout_redirect::{go_to_checkout, leaving, Leaving};
use crate::components::{CopyLink, OrderForm};
use crate::draft::FormError;
use crate::format::{short_timestamp, time_until};
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
    let pay_link = Action::new_local(|link: &NewPayLink| {
        let link = link.clone();
        async move { api::create_pay_link(&link).await }
    });
    let link_pending = pay_link.pending();
    let created_link = Memo::new(move |_| {
        pay_link
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().ok().cloned()))
    });
    let link_error = Signal::derive(move || {
        pay_link
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned()))
    });
    // Only the last submit's error shows: each submit clears the other kind's answer.
    let server_error = Signal::derive(move || {
        link_error
            .get()
            .or_else(|| error.get())
            .map(|e| to_form_error(&e))
    });
    let busy = Signal::derive(move || busy.get() || link_pending.get());

    view! {
        <article class="page">
            <h1>"New order"</h1>
            <Show when=move || session.can_change() fallback=ViewerNotice>
                {move || created_link.get().map(|link| view! { <PayLinkReady link/> })}
                <OrderForm
                    on_submit=move |order| {
                        pay_link.value().set(None);
                        create.dispatch_local(order);
                    }
                    on_pay_link=move |link| {
                        create.value().set(None);
                        pay_link.value().set(None);
                        pay_link.dispatch_local(link);
                    }
                    busy
                    server_error
                />
            </Show>
        </article>
    }
}

/// The pay link just made: to copy into a message to the customer, or to open.
#[component]
fn PayLinkReady(link: PayLinkCreated) -> impl IntoView {
    view! {
        <section class="notice notice-success" role="status" data-testid="pay-link-created">
            <h2>"Pay link ready"</h2>
            <p>
                "Send this link to the customer. They pay "
                <span class="amount" data-testid="pay-link-amount">
                    {crate::staff_locale::staff_money(link.amount)}
                </span>
                " with Klarna; the order is placed once Klarna approves. The link works until "
                <time datetime=link.expires_at.clone() data-testid="pay-link-expires">
                    {short_timestamp(&link.expires_at)}
                </time>
                {time_until(&link.expires_at).map(|left| format!(" ({left} from now)"))}
                "."
            </p>
            <p>
                <CopyLink
                    url=link.url.clone()
                    label="Pay link"
                    testid="pay-link-url"
                    copy_testid="pay-link-copy"
                    status_testid="pay-link-copy-status"
                    copy_text="Copy"
                />
                " "
                <a href=link.url target="_blank" rel="noopener" data-testid="pay-link-open">
                    "Open"
                </a>
            </p>
        </section>
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
