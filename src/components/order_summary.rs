//! An order as staff and customers read it: status, number, amounts (ordered, captured,
//! refunded, remaining; for Klarna also the original amount and the remaining authorization),
//! the fraud review, references, who pays and where it goes, and the lines. Staff only: the
//! customer's return page has its own, smaller view in the customer's language. Amounts are in
//! the staff member's locale (see `staff_locale`).

use kassa_model::api::{Address, LineView, OrderView, Provider};
use kassa_model::Money;
use leptos::prelude::*;

use super::{EmailText, ProviderBadge, StatusBadge};
use crate::format::{full_name, method_name, short_timestamp, vat_rate};
use crate::staff_locale::{staff_money, staff_money_or_dash};
use crate::terms::terms;

#[component]
pub fn OrderSummary(order: OrderView) -> impl IntoView {
    let OrderView {
        id,
        provider,
        order_number,
        merchant_reference2,
        provider_reference,
        status,
        provider_status,
        fraud_status,
        amount,
        amount_original,
        amount_captured,
        amount_refunded,
        amount_remaining,
        method,
        created_at,
        billing_address,
        shipping_address,
        lines,
        ..
    } = order;
    let klarna = provider == Provider::Klarna;
    let name = full_name(
        billing_address.given_name.as_deref(),
        billing_address.family_name.as_deref(),
    );
    let email = billing_address.email.clone().unwrap_or_default();
    let created = short_timestamp(&created_at);
    // What the merchant keeps so far: captured less refunded, which is also the most a refund
    // can be ("Refundable"). Nothing captured: nothing to say (not "€0.00").
    let kept = amount_captured
        .filter(|c| c.minor > 0)
        .and_then(|captured| {
            captured
                .checked_sub(amount_refunded.unwrap_or(Money::zero(captured.currency)))
                .ok()
        });
    let fact = |label: String, testid: &'static str, value: Option<String>| {
        value.map(|value| {
            view! {
                <div>
                    <dt>{label}</dt>
                    <dd data-testid=testid>{value}</dd>
                </div>
            }
        })
    };
    let fraud = fraud_status;
    let ships_to = shipping_address.map(|a| address_lines(&a));
    view! {
        <section class="summary" aria-label="Order summary">
            {fraud.as_deref().and_then(fraud_notice)}
            <dl class="facts">
                <div>
                    <dt>"Status"</dt>
                    <dd>
                        <StatusBadge status=status.as_str() testid="order-status"/>
                        {provider_status
                            .map(|s| {
                                view! {
                                    <span class="muted provider-status" data-testid="order-provider-status" title=format!("{}'s own status", provider.label())>
                                        {s}
                                    </span>
                                }
                            })}
                    </dd>
                </div>
                <div>
                    <dt>"Provider"</dt>
                    <dd>
                        <ProviderBadge provider testid="order-provider"/>
                    </dd>
                </div>
                {fraud
                    .map(|f| {
                        let class = format!("fraud fraud-{}", f.to_ascii_lowercase());
                        view! {
                            <div class=class>
                                <dt>"Fraud review"</dt>
                                <dd data-testid="order-fraud-status">{f}</dd>
                            </div>
                        }
                    })}
                <div>
                    <dt>{if klarna { "Order number (reference 1)" } else { "Order number" }}</dt>
                    <dd data-testid="order-number">{order_number}</dd>
                </div>
                {fact(
                    "Merchant reference 2".into(),
                    "order-reference2",
                    merchant_reference2,
                )}
                {fact(
                    format!("{} reference", provider.label()),
                    "order-provider-reference",
                    provider_reference,
                )}
                <div>
                    <dt>{if amount_original.is_some() { "Amount now" } else { "Amount" }}</dt>
                    <dd class="amount" data-testid="order-amount">
                        {staff_money(amount)}
                    </dd>
                </div>
                {fact("Original amount".into(), "order-original-amount", amount_original.map(staff_money))}
                {fact("Captured".into(), "order-captured", amount_captured.map(staff_money))}
                {fact("Refunded".into(), "order-refunded", amount_refunded.map(staff_money))}
                {kept
                    .map(|m| {
                        view! {
                            <div title="Captured less refunded: the most a refund can be">
                                <dt>"Refundable"</dt>
                                <dd data-testid="order-remaining">{staff_money(m)}</dd>
                            </div>
                        }
                    })}
                {fact(
                    "Remaining authorization".into(),
                    "order-remaining-authorization",
                    amount_remaining.map(staff_money),
                )}
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
                        <span class="muted">
                            <EmailText email testid="billing-email"/>
                        </span>
                        <span class="billing-address" data-testid="billing-address">
                            {address_lines(&billing_address)
                                .into_iter()
                                .map(|line| view! { <br/>{line} })
                                .collect_view()}
                        </span>
                    </dd>
                </div>
                {ships_to
                    .map(|lines| {
                        view! {
                            <div>
                                <dt>"Ships to"</dt>
                                <dd class="shipping-address" data-testid="shipping-address">
                                    {lines
                                        .into_iter()
                                        .enumerate()
                                        .map(|(i, line)| view! { {(i > 0).then(|| view! { <br/> })}{line} })
                                        .collect_view()}
                                </dd>
                            </div>
                        }
                    })}
                <div>
                    <dt>"Payment method"</dt>
                    <dd data-testid="order-method">
                        {method.as_deref().map_or_else(|| "Customer chooses".to_owned(), method_name)}
                    </dd>
                </div>
                <div>
                    <dt>"Order ID"</dt>
                    <dd>
                        <code data-testid="order-id">{id}</code>
                    </dd>
                </div>
            </dl>
            <LinesTable lines provider/>
        </section>
    }
}

/// A fraud review that is not simply accepted, said where nobody can miss it: staff must not
/// ship goods Klarna may not pay for.
fn fraud_notice(status: &str) -> Option<impl IntoView> {
    let text = match status {
        "PENDING" => "Klarna is still reviewing this order for fraud: do not ship anything until the review is accepted. Klarna allows no capture until then.",
        "REJECTED" => "Klarna rejected this order in its fraud review: do not ship anything. Klarna will not pay for it; cancel the order.",
        _ => return None,
    };
    Some(view! {
        <p class=format!("notice notice-fraud fraud-{}", status.to_ascii_lowercase()) role="alert" data-testid="fraud-notice">
            {text}
        </p>
    })
}

/// "Name", "Keizersgracht 126", "1234AB Amsterdam", "NL": the lines of an address that are
/// there (the billing block shows the name and email apart).
fn address_lines(address: &Address) -> Vec<String> {
    let text = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or("").to_owned();
    let place = [text(&address.postal_code), text(&address.city)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    [
        text(&address.street_and_number),
        place,
        text(&address.country),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect()
}

/// The lines table, its columns in the provider's terms ("Shipped" / "Captured"). On narrow
/// screens each row becomes a card; `data-label` feeds the CSS that prints the column name
/// next to each value there.
#[component]
pub fn LinesTable(
    lines: Vec<LineView>,
    #[prop(default = Provider::Mollie)] provider: Provider,
) -> impl IntoView {
    let words = terms(provider);
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
                        <th scope="col" class="num">{words.shipped}</th>
                        <th scope="col" class="num">"Refunded"</th>
                        <th scope="col" class="num">{words.canceled}</th>
                        <th scope="col" class="num">{words.to_ship}</th>
                    </tr>
                </thead>
                <tbody>
                    {lines.into_iter().map(|line| view! { <LineRowView line provider/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn LineRowView(line: LineView, provider: Provider) -> impl IntoView {
    let rate = vat_rate(&line);
    let words = terms(provider);
    view! {
        <tr data-testid="order-line">
            <td data-label="Name" data-testid="line-name" title=line.sku>
                {line.name}
            </td>
            <td class="num" data-label="Quantity" data-testid="line-quantity">
                {line.quantity}
            </td>
            <td class="num" data-label="Unit price" data-testid="line-unit-price">
                {staff_money(line.unit_price)}
            </td>
            <td class="num" data-label="Discount" data-testid="line-discount">
                {staff_money_or_dash(line.discount)}
            </td>
            <td class="num" data-label="VAT rate" data-testid="line-vat-rate">
                {rate}
            </td>
            <td class="num" data-label="VAT" data-testid="line-vat-amount">
                {staff_money(line.vat_amount)}
            </td>
            <td class="num" data-label="Total" data-testid="line-total">
                {staff_money(line.total)}
            </td>
            <td data-label="Status" data-testid="line-status">
                <StatusBadge status=line.status.as_str()/>
            </td>
            <td class="num" data-label=words.shipped data-testid="line-shipped">
                {line.quantity_shipped}
            </td>
            <td class="num" data-label="Refunded" data-testid="line-refunded">
                {line.quantity_refunded}
            </td>
            <td class="num" data-label=words.canceled data-testid="line-canceled">
                {line.quantity_canceled}
            </td>
            <td class="num" data-label=words.to_ship data-testid="line-to-ship">
                {line.shippable_quantity}
            </td>
        </tr>
    }
}
