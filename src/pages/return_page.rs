//! `/return/:ref`: where the provider sends the customer after checkout, and where the Klarna
//! step sends them once the order is placed.
//!
//! The customer often arrives before the provider's webhook has reached the proxy, so the
//! order may still read `created`. The page then asks again every second, up to
//! [`MAX_POLLS`] times, and shows the newer answer in place (a `Transition` keeps the old one
//! on screen meanwhile).
//!
//! The page speaks the order's language (see [`crate::i18n`]) and writes money the way the
//! order's locale does.

use std::time::Duration;

use kassa_model::api::{OrderStatus, OrderView, Provider};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::actions::{ended_unpaid, latest_payment};
use crate::api;
use crate::components::{CustomerLoadError, Loading};
use crate::format::money_in_locale;
use crate::i18n::{Lang, Msg};
use crate::routes;

const POLL_INTERVAL: Duration = Duration::from_secs(1);
const MAX_POLLS: u32 = 10;

#[component]
pub fn ReturnPage() -> impl IntoView {
    let params = use_params_map();
    let reference = move || params.with(|p| p.get("ref").unwrap_or_default());
    let polls = RwSignal::new(0u32);
    let order = LocalResource::new(move || {
        polls.track();
        let reference = reference();
        async move { api::get_return(&reference).await }
    });
    poll_while_created(order, polls);

    view! {
        <article class="page">
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    let waiting = polls.get_untracked() < MAX_POLLS;
                    match order.await {
                        Ok(order) => Either::Left(view! { <ReturnDetails order waiting/> }),
                        Err(error) => Either::Right(view! { <CustomerLoadError error heading=Msg::ReturnNotFound testid="return-heading"/> }),
                    }
                })}
            </Transition>
        </article>
    }
}

/// Schedules the next load one second after an answer that still says `created`. Only timers
/// are started here (the poll count changes when one fires), and each count gets at most one
/// timer, so a re-run of the effect cannot start a second polling chain. Leaving the page
/// clears the pending timer.
fn poll_while_created(
    order: LocalResource<Result<OrderView, api::ClientError>>,
    polls: RwSignal<u32>,
) {
    let scheduled_for = StoredValue::new(None::<u32>);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        // Still waiting for the provider, unless the payment already ended unpaid.
        let created = order.with(|result| {
            matches!(result, Some(Ok(o)) if o.status == OrderStatus::Created && !ended_unpaid(o))
        });
        let count = polls.get_untracked();
        if !created || count >= MAX_POLLS || scheduled_for.get_value() == Some(count) {
            return;
        }
        scheduled_for.set_value(Some(count));
        let handle = set_timeout_with_handle(move || polls.update(|n| *n += 1), POLL_INTERVAL);
        timer.set_value(handle.ok());
    });
    on_cleanup(move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
    });
}

/// The return page for `order`: the outcome in the customer's words and language, a way to
/// try again when the payment ended unpaid, and what they ordered. Nothing internal: no status
/// names, no shipped / refunded / canceled counts, no promise of an email (Kassa sends none).
#[component]
pub fn ReturnDetails(order: OrderView, waiting: bool) -> impl IntoView {
    let lang = Lang::of_locale(&order.locale);
    let said = return_message(&order, waiting);
    // The payment ended unpaid: the order's checkout (while it lasts) takes another try.
    let retry = ended_unpaid(&order)
        .then(|| order.checkout_url.clone())
        .flatten();
    let unpaid_without_retry = ended_unpaid(&order) && retry.is_none();
    let link = routes::href(&routes::order(&order.id));
    view! {
        <div lang=lang.code()>
            <h1 data-testid="return-heading" data-outcome=said.outcome>
                {lang.t(said.heading)}
            </h1>
            <p class="lead" role="status" data-testid="return-note">
                {lang.t(said.note)}
            </p>
            {retry
                .map(|url| {
                    view! {
                        <p>
                            <a class="button" href=url data-testid="retry-payment" rel="external">
                                {lang.t(Msg::TryAgain)}
                            </a>
                        </p>
                    }
                })}
            {unpaid_without_retry
                .then(|| view! { <p data-testid="contact-shop">{lang.t(Msg::ContactShop)}</p> })}
            <CustomerOrder order lang/>
        </div>
        // For the shop's staff, who read the console in English.
        <p class="muted staff-link" lang="en">
            "Shop staff: "
            <a href=link data-testid="order-link">
                "open this order in Kassa"
            </a>
        </p>
    }
}

/// What the customer ordered: each line's name, quantity and price, and the total, in the
/// order's locale.
#[component]
fn CustomerOrder(order: OrderView, lang: Lang) -> impl IntoView {
    let money = {
        let locale = order.locale.clone();
        move |m| money_in_locale(m, &locale)
    };
    let rows = order
        .lines
        .iter()
        .map(|line| {
            view! {
                <tr data-testid="return-line">
                    <td data-testid="return-line-name">{line.name.clone()}</td>
                    <td class="num" data-testid="return-line-quantity">{line.quantity}</td>
                    <td class="num amount" data-testid="return-line-price">{money(line.total)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="summary" aria-labelledby="return-order-heading">
            <h2 id="return-order-heading" data-testid="return-order">
                {format!("{} {}", lang.t(Msg::OrderNumber), order.order_number)}
            </h2>
            <table class="lines-table" data-testid="return-lines">
                <caption class="visually-hidden">{lang.t(Msg::YourOrder)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{lang.t(Msg::Item)}</th>
                        <th scope="col" class="num">{lang.t(Msg::Quantity)}</th>
                        <th scope="col" class="num">{lang.t(Msg::Price)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="totals">
                {lang.t(Msg::Total)}
                " "
                <span class="amount" data-testid="return-total">
                    {money(order.amount)}
                </span>
            </p>
        </section>
    }
}

/// What the return page says: the outcome (`data-outcome`, for tests and styles), a heading
/// and a note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Said {
    outcome: &'static str,
    heading: Msg,
    note: Msg,
}

const fn said(outcome: &'static str, heading: Msg, note: Msg) -> Said {
    Said {
        outcome,
        heading,
        note,
    }
}

/// What happened to the payment, as the customer needs to hear it.
fn return_message(order: &OrderView, waiting: bool) -> Said {
    if let Some(said) = klarna_message(order) {
        return said;
    }
    let ended = latest_payment(order)
        .filter(|_| ended_unpaid(order))
        .map(|p| p.status.as_str());
    match (order.status, ended) {
        (_, Some("canceled")) => said(
            "canceled",
            Msg::PaymentCanceledHeading,
            Msg::NothingChargedNote,
        ),
        (_, Some("expired")) => said(
            "expired",
            Msg::PaymentExpiredHeading,
            Msg::NothingChargedNote,
        ),
        (_, Some(_)) => said("failed", Msg::PaymentFailedHeading, Msg::PaymentFailedNote),
        (OrderStatus::Created, _) if waiting => {
            said("checking", Msg::CheckingHeading, Msg::CheckingWaitNote)
        }
        (OrderStatus::Created | OrderStatus::Pending, _) => {
            said("checking", Msg::CheckingHeading, Msg::CheckingReloadNote)
        }
        (OrderStatus::Canceled, _) => {
            said("canceled", Msg::OrderCanceledHeading, Msg::NoPaymentNote)
        }
        (OrderStatus::Expired, _) => said("expired", Msg::OrderExpiredHeading, Msg::NoPaymentNote),
        (OrderStatus::Authorized, _) => said("paid", Msg::PaidHeading, Msg::AuthorizedNote),
        _ => said("paid", Msg::PaidHeading, Msg::PaidNote),
    }
}

/// A Klarna order is placed once Klarna authorized it; Klarna's fraud review may still be
/// running (`PENDING`), and its outcome goes to the shop, not to this page. Other states read
/// as any order's.
fn klarna_message(order: &OrderView) -> Option<Said> {
    if order.provider != Provider::Klarna {
        return None;
    }
    match (order.status, order.fraud_status.as_deref()) {
        (_, Some("PENDING")) => Some(said(
            "checking",
            Msg::KlarnaReviewHeading,
            Msg::KlarnaReviewNote,
        )),
        (OrderStatus::Authorized, _) => {
            Some(said("paid", Msg::PaidHeading, Msg::KlarnaApprovedNote))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{line, order};

    #[test]
    fn a_klarna_order_is_placed_and_a_pending_review_is_said_as_such() {
        let mut klarna = order(OrderStatus::Authorized, vec![line("l1", 1, 1000, None)]);
        klarna.provider = Provider::Klarna;
        klarna.fraud_status = Some("ACCEPTED".into());
        assert_eq!(return_message(&klarna, true).note, Msg::KlarnaApprovedNote);
        klarna.fraud_status = Some("PENDING".into());
        let review = return_message(&klarna, true);
        assert_eq!(
            (review.outcome, review.note),
            ("checking", Msg::KlarnaReviewNote)
        );
        // Mollie's authorized order keeps its own words.
        let mollie = order(OrderStatus::Authorized, vec![line("l1", 1, 1000, None)]);
        assert_eq!(return_message(&mollie, true).note, Msg::AuthorizedNote);
    }
}
