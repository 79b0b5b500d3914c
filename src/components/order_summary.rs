//! An order as staff and customers read it: status, number, amounts (ordered, captured,
//! refunded, remaining), who pays, and the lines. Customers (the return page) do not see the
//! merchant's money columns or the provider's order id.

use kassa_model::api::{LineView, OrderView};
use leptos::prelude::*;

use super::StatusBadge;
use crate::format::{full_name, method_name, money_or_dash, short_timestamp, vat_rate};

#[component]
pub fn OrderSummary(
    order: OrderView,
    /// For the customer's eyes: no captured / refunded / remaining, no order id.
    #[prop(optional)]
    customer: bool,
) -> impl IntoView {
    let OrderView {
        id,
        order_number,
        status,
        amount,
        amount_captured,
        amount_refunded,
        method,
        created_at,
        billing_address,
        lines,
        ..
    } = order;
    let name = full_name(
        billing_address.given_name.as_deref(),
        billing_address.family_name.as_deref(),
    );
    let email = billing_address.email.clone().unwrap_or_default();
    // "Keizersgracht 126", "1234AB Amsterdam", "NL": the lines that are there.
    let text = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or("").to_owned();
    let place = [
        text(&billing_address.postal_code),
        text(&billing_address.city),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let address_lines: Vec<String> = [
        text(&billing_address.street_and_number),
        place,
        text(&billing_address.country),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect();
    let created = short_timestamp(&created_at);
    // What the merchant keeps so far: captured less refunded (also the most a refund can be).
    let (amount_captured, amount_refunded) = if customer {
        (None, None)
    } else {
        (amount_captured, amount_refunded)
    };
    let remaining = amount_captured.and_then(|captured| {
        captured
            .checked_sub(amount_refunded.unwrap_or(kassa_model::Money::zero(captured.currency)))
            .ok()
    });
    view! {
        <section class="summary" aria-label="Order summary">
            <dl class="facts">
                <div>
                    <dt>"Status"</dt>
                    <dd>
                        <StatusBadge status=status.as_str() testid="order-status"/>
                    </dd>
                </div>
                <div>
                    <dt>"Order number"</dt>
                    <dd data-testid="order-number">{order_number}</dd>
                </div>
                <div>
                    <dt>"Amount"</dt>
                    <dd class="amount" data-testid="order-amount">
                        {amount.display()}
                    </dd>
                </div>
                {amount_captured
                    .map(|m| {
                        view! {
                            <div>
                                <dt>"Captured"</dt>
                                <dd data-testid="order-captured">{m.display()}</dd>
                            </div>
                        }
                    })}
                {amount_refunded
                    .map(|m| {
                        view! {
                            <div>
                                <dt>"Refunded"</dt>
                                <dd data-testid="order-refunded">{m.display()}</dd>
                            </div>
                        }
                    })}
                {remaining
                    .map(|m| {
                        view! {
                            <div title="Captured less refunded">
                                <dt>"Remaining"</dt>
                                <dd data-testid="order-remaining">{m.display()}</dd>
                            </div>
                        }
                    })}
                <div>
                    <dt>"Created"</dt>
                    <dd>
                        <time datetime=created_at.clone() title=created_at data-testid="order-created">
                            {created}
                        </time>
                    </dd>
                </div>
                <div>
                    <dt>"Billed to"</dt>
                    <dd>
                        <span data-testid="billing-name">{name}</span>
                        <br/>
                        <span class="muted" data-testid="billing-email">
                            {email}
                        </span>
                        <span class="billing-address" data-testid="billing-address">
                            {address_lines
                                .into_iter()
                                .map(|line| view! { <br/>{line} })
                                .collect_view()}
                        </span>
                    </dd>
                </div>
                <div>
                    <dt>"Payment method"</dt>
                    <dd data-testid="order-method">
                        {method.as_deref().map_or_else(|| "Customer chooses".to_owned(), method_name)}
                    </dd>
                </div>
                {(!customer)
                    .then(|| {
                        view! {
                            <div>
                                <dt>"Order ID"</dt>
                                <dd>
                                    <code data-testid="order-id">{id}</code>
                                </dd>
                            </div>
                        }
                    })}
            </dl>
            <LinesTable lines/>
        </section>
    }
}

/// The lines table. On narrow screens each row becomes a card; `data-label` feeds the CSS
/// that prints the column name next to each value there.
#[component]
pub fn LinesTable(lines: Vec<LineView>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="lines-table">
                <caption>"Order lines"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col" class="num">"Quantity"</th>
                        <th scope="col" class="num">"Unit price"</th>
                        <th scope="col" class="num">"Discount"</th>
                        <th scope="col" class="num">"VAT rate"</th>
                        <th scope="col" class="num">"VAT"</th>
                        <th scope="col" class="num">"Total"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col" class="num">"Shipped"</th>
                        <th scope="col" class="num">"Refunded"</th>
                        <th scope="col" class="num">"Canceled"</th>
                    </tr>
                </thead>
                <tbody>{lines.into_iter().map(|line| view! { <LineRowView line/> }).collect_view()}</tbody>
            </table>
        </div>
    }
}

#[component]
fn LineRowView(line: LineView) -> impl IntoView {
    let rate = vat_rate(&line);
    view! {
        <tr data-testid="order-line">
            <td data-label="Name" data-testid="line-name" title=line.sku>
                {line.name}
            </td>
            <td class="num" data-label="Quantity" data-testid="line-quantity">
                {line.quantity}
            </td>
            <td class="num" data-label="Unit price" data-testid="line-unit-price">
                {line.unit_price.display()}
            </td>
            <td class="num" data-label="Discount" data-testid="line-discount">
                {money_or_dash(line.discount)}
            </td>
            <td class="num" data-label="VAT rate" data-testid="line-vat-rate">
                {rate}
            </td>
            <td class="num" data-label="VAT" data-testid="line-vat-amount">
                {line.vat_amount.display()}
            </td>
            <td class="num" data-label="Total" data-testid="line-total">
                {line.total.display()}
            </td>
            <td data-label="Status" data-testid="line-status">
                <StatusBadge status=line.status.as_str()/>
            </td>
            <td class="num" data-label="Shipped" data-testid="line-shipped">
                {line.quantity_shipped}
            </td>
            <td class="num" data-label="Refunded" data-testid="line-refunded">
                {line.quantity_refunded}
            </td>
            <td class="num" data-label="Canceled" data-testid="line-canceled">
                {line.quantity_canceled}
            </td>
        </tr>
    }
}
