//! `/pay/:reference`: a pay link staff made, as its customer sees it. Public, like the shop:
//! the order's number, lines and total, and while the link is open the Klarna step. A paid
//! link leads to its return page; an expired one says to ask the shop for a new one. In the
//! link's language (see [`crate::i18n`]), money as the link's locale writes it.

use kassa_model::api::{PayLine, PayLink, PayLinkState};
use kassa_model::Money;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::{CustomerLoadError, Loading};
use crate::format::money_in_locale;
use crate::i18n::{Lang, Msg};
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
                        Err(error) => Either::Right(view! { <CustomerLoadError error heading=Msg::PayLinkNotFound testid="pay-heading"/> }),
                    }
                })}
            </Transition>
        </article>
    }
}

/// A loaded pay link: its lines and total, then the Klarna step, or what stops it being paid.
#[component]
pub fn PayLinkDetails(link: PayLink) -> impl IntoView {
    let lang = Lang::of_locale(&link.locale);
    let money = {
        let locale = link.locale.clone();
        move |m| money_in_locale(m, &locale)
    };
    let state = match (link.state, link.klarna, link.return_ref) {
        (PayLinkState::Open, Some(payment), _) => view! { <KlarnaStep payment lang/> }.into_any(),
        (PayLinkState::Open, None, _) => view! {
            <p class="notice" role="status" data-testid="pay-link-unavailable">
                {lang.t(Msg::PayLinkUnavailable)}
            </p>
        }
        .into_any(),
        (PayLinkState::Placed, _, return_ref) => {
            view! { <AlreadyPaid return_ref lang/> }.into_any()
        }
        (PayLinkState::Expired, _, _) => view! {
            <p class="notice" role="status" data-testid="pay-link-expired">
                {lang.t(Msg::PayLinkExpired)}
            </p>
        }
        .into_any(),
    };
    view! {
        <div lang=lang.code()>
            <h1 data-testid="pay-heading">
                {format!("{} {}", lang.t(Msg::OrderNumber), link.order_number)}
            </h1>
            <PayLines lines=link.lines lang money=money.clone()/>
            <p class="totals">
                {lang.t(Msg::Total)}
                " "
                <span class="amount" data-testid="pay-total">
                    {money(link.amount)}
                </span>
            </p>
            {state}
        </div>
    }
}

#[component]
fn AlreadyPaid(return_ref: Option<String>, lang: Lang) -> impl IntoView {
    view! {
        <div class="notice" role="status" data-testid="pay-link-paid">
            <p>{lang.t(Msg::AlreadyPaid)}</p>
            {return_ref
                .map(|r| {
                    view! {
                        <p>
                            <a href=routes::href(&routes::return_page(&r)) data-testid="pay-link-return">
                                {lang.t(Msg::SeeYourOrder)}
                            </a>
                        </p>
                    }
                })}
        </div>
    }
}

#[component]
fn PayLines(
    lines: Vec<PayLine>,
    lang: Lang,
    money: impl Fn(Money) -> String + 'static,
) -> impl IntoView {
    view! {
        <table class="lines-table" data-testid="pay-lines">
            <thead>
                <tr>
                    <th scope="col">{lang.t(Msg::Item)}</th>
                    <th scope="col" class="num">{lang.t(Msg::Quantity)}</th>
                    <th scope="col" class="num">{lang.t(Msg::Total)}</th>
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
                                <td class="num amount">{money(line.total)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
