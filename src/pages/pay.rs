//! `/pay/:reference`: a pay link staff made, as its customer sees it. Public, like the shop:
//! the order's number, lines and total, and while the link is open the Klarna step. A paid
//! link leads to its return page; an expired one says to ask the shop for a new one.

use kassa_model::api::{PayLine, PayLink, PayLinkState};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::{LoadError, Loading};
use crate::format::bcp47;
use crate::klarna::outcome::EXPIRED;
use crate::klarna::KlarnaStep;
use crate::routes;

#[component]
pub fn PayPage() -> impl IntoView {
    let params = use_params_map();
    let reference = move || params.with(|p| p.get("reference").unwrap_or_default());
    let link = LocalResource::new(move || {
        let reference = reference();
        async move { api::pay_link(&reference).await }
    });

    view! {
        <article class="page shop pay">
            <header class="shop-header">
                <span class="brand">"Kassa"</span>
            </header>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Ok(link) => Either::Left(view! { <PayLinkDetails link/> }),
                        Err(error) => {
                            Either::Right(
                                view! {
                                    <h1 data-testid="pay-heading">"We could not open this payment link"</h1>
                                    <LoadError error what="this payment link"/>
                                },
                            )
                        }
                    }
                })}
            </Transition>
        </article>
    }
}

#[component]
fn PayLinkDetails(link: PayLink) -> impl IntoView {
    let lang = bcp47(&link.locale);
    let state = match (link.state, link.klarna, link.return_ref) {
        (PayLinkState::Open, Some(payment), _) => view! { <KlarnaStep payment/> }.into_any(),
        (PayLinkState::Open, None, _) => view! {
            <p class="notice" role="status" data-testid="pay-link-unavailable">
                "This payment link cannot be paid right now. Please try again later, or ask the shop."
            </p>
        }
        .into_any(),
        (PayLinkState::Placed, _, return_ref) => view! { <AlreadyPaid return_ref/> }.into_any(),
        (PayLinkState::Expired, _, _) => view! {
            <p class="notice" role="status" data-testid="pay-link-expired">
                {EXPIRED}
            </p>
        }
        .into_any(),
    };
    view! {
        <div lang=lang>
            <h1 data-testid="pay-heading">{format!("Order {}", link.order_number)}</h1>
            <PayLines lines=link.lines/>
            <p class="totals">
                "Total "
                <span class="amount" data-testid="pay-total">
                    {link.amount.display()}
                </span>
            </p>
            {state}
        </div>
    }
}

#[component]
fn AlreadyPaid(return_ref: Option<String>) -> impl IntoView {
    view! {
        <div class="notice" role="status" data-testid="pay-link-paid">
            <p>"This order is already paid."</p>
            {return_ref
                .map(|r| {
                    view! {
                        <p>
                            <a href=routes::href(&routes::return_page(&r)) data-testid="pay-link-return">
                                "See your order"
                            </a>
                        </p>
                    }
                })}
        </div>
    }
}

#[component]
fn PayLines(lines: Vec<PayLine>) -> impl IntoView {
    view! {
        <table class="lines-table" data-testid="pay-lines">
            <thead>
                <tr>
                    <th scope="col">"Item"</th>
                    <th scope="col" class="num">"Quantity"</th>
                    <th scope="col" class="num">"Total"</th>
                </tr>
            </thead>
            <tbody>
                {lines
                    .into_iter()
                    .map(|line| {
                        view! {
                            <tr data-testid="pay-line">
                                <td>{line.name}</td>
                                <td class="num">{line.quantity}</td>
                                <td class="num amount">{line.total.display()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
