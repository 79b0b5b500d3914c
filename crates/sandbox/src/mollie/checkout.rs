//! The hosted test checkout (`_links.checkout`): the page where a tester picks how the payment
//! ends, and the form POST that applies it, sends the webhook and redirects to `redirectUrl`.
//!
//! Programmatic use: `POST /checkout/{token}` (the path of `_links.checkout`) with the form body
//! `outcome=authorized` (`paid`, `authorized`, `failed`, `canceled`, `expired`, `open`,
//! `pending`) and optionally `method=klarnapaylater`; the answer is a 303 to the order's
//! `redirectUrl`.
//!
//! The page is keyed by the order's checkout token, not its id: whoever was handed the link
//! (the shopper) can pay, and knowing an order id (shown in consoles, logs and webhooks) is
//! not enough to pay someone else's order or to learn its return link.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use kassa_model::mollie::OrderStatus;
use serde::Deserialize;

use crate::mollie::order::{is_authorizing, Outcome, METHODS};
use crate::Sandbox;

/// `GET /checkout/{token}`
pub async fn page(State(sandbox): State<Sandbox>, Path(token): Path<String>) -> Response {
    let state = sandbox.state();
    let Some(order) = state.mollie.by_checkout_token(&token) else {
        return unknown_checkout();
    };
    let id = &order.id;
    if !matches!(order.status, OrderStatus::Created | OrderStatus::Pending) {
        return message_page(
            StatusCode::OK,
            "Nothing to pay",
            &format!("This order is {}.", order.status),
            order.redirect_url.as_deref(),
        );
    }
    let suggested = order.suggested_outcome();
    let methods: Vec<&str> = if order.methods.is_empty() {
        METHODS.to_vec()
    } else {
        order.methods.iter().map(String::as_str).collect()
    };
    let method_options: String =
        std::iter::once(r#"<option value="">Automatic (matches the outcome)</option>"#.to_owned())
            .chain(methods.iter().map(|m| {
                let kind = if is_authorizing(m) {
                    "authorizes"
                } else {
                    "pays"
                };
                format!(r#"<option value="{m}">{m} ({kind})</option>"#)
            }))
            .collect();
    let outcomes: String = Outcome::ALL
        .iter()
        .map(|o| {
            let checked = if *o == suggested { " checked" } else { "" };
            let name = o.as_str();
            format!(
                r#"<label class="outcome"><input type="radio" name="outcome" value="{name}" data-testid="outcome-{name}"{checked}> {label}</label>"#,
                label = capitalize(name)
            )
        })
        .collect();
    let lines: String = order
        .lines
        .iter()
        .map(|l| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&l.name),
                l.quantity,
                l.total.display()
            )
        })
        .collect();
    let body = format!(
        r#"<h1>Test checkout</h1>
<p class="muted">Kassa sandbox · test mode · order {number} ({id})</p>
<table><thead><tr><th>Item</th><th>Qty</th><th>Total</th></tr></thead><tbody>{lines}</tbody>
<tfoot><tr><th colspan="2">Amount</th><th data-testid="checkout-amount">{amount}</th></tr></tfoot></table>
<form method="post">
<p>Select the final payment status of the test payment.</p>
<fieldset><legend>Outcome</legend>{outcomes}</fieldset>
<label>Method <select name="method" data-testid="checkout-method">{method_options}</select></label>
<p><button type="submit" data-testid="checkout-submit">Continue</button></p>
</form>"#,
        number = escape(&order.order_number),
        amount = order.amount.display(),
    );
    html_page(StatusCode::OK, "Test checkout", &body)
}

#[derive(Deserialize)]
pub struct CheckoutForm {
    outcome: String,
    #[serde(default)]
    method: Option<String>,
}

/// `POST /checkout/{token}`
pub async fn complete(
    State(sandbox): State<Sandbox>,
    Path(token): Path<String>,
    Form(form): Form<CheckoutForm>,
) -> Response {
    let outcome: Outcome = match form.outcome.parse() {
        Ok(o) => o,
        Err(e) => {
            return message_page(StatusCode::UNPROCESSABLE_ENTITY, "Invalid choice", &e, None)
        }
    };
    let now = sandbox.clock().now();
    let (id, result, webhook, redirect) = {
        let mut state = sandbox.state();
        let store = &mut state.mollie;
        let Some(stored) = store
            .id_for_checkout(&token)
            .and_then(|id| store.get_any_mut(&id))
        else {
            return unknown_checkout();
        };
        // Changed on a copy and stored only once it succeeded, so neither a refusal nor a
        // panic halfway leaves the order half-changed.
        let mut order = stored.clone();
        let result = order.checkout(outcome, form.method.as_deref(), now);
        let webhook_url = order.webhook_url.clone();
        let redirect = match outcome {
            Outcome::Canceled => order
                .cancel_url
                .clone()
                .or_else(|| order.redirect_url.clone()),
            _ => order.redirect_url.clone(),
        };
        let id = order.id.clone();
        if result.is_ok() {
            *stored = order;
            sandbox.persist(&state);
        }
        (id, result, webhook_url, redirect)
    };
    let changed = match result {
        Ok(r) => r.order_status_changed,
        Err(e) => {
            return message_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Cannot complete this payment",
                &e.to_string(),
                None,
            )
        }
    };
    // Mollie calls the order webhook when the order becomes paid or authorized. The first
    // attempt is made before the redirect, so the merchant's return page already sees the
    // new status — the order real integrations usually observe.
    if changed && matches!(outcome, Outcome::Paid | Outcome::Authorized) {
        if let Some(url) = webhook {
            sandbox.notify(&url, super::routes::webhook(&id)).await;
        }
    }
    match redirect {
        Some(url) => Redirect::to(&url).into_response(),
        None => message_page(
            StatusCode::OK,
            "Payment finished",
            &format!("The payment is {}.", outcome.as_str()),
            None,
        ),
    }
}

/// The token names no order. The token is not repeated: it is the client's input.
fn unknown_checkout() -> Response {
    message_page(
        StatusCode::NOT_FOUND,
        "Unknown checkout",
        "This checkout link does not belong to any order.",
        None,
    )
}

fn message_page(status: StatusCode, title: &str, message: &str, back: Option<&str>) -> Response {
    let link = back
        .map(|url| {
            format!(
                r#"<p><a href="{}">Return to the merchant</a></p>"#,
                escape(url)
            )
        })
        .unwrap_or_default();
    html_page(
        status,
        title,
        &format!(
            r#"<h1>{}</h1><p data-testid="checkout-message">{}</p>{link}"#,
            escape(title),
            escape(message)
        ),
    )
}

fn html_page(status: StatusCode, title: &str, body: &str) -> Response {
    let page = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Kassa sandbox</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>"#,
        title = escape(title)
    );
    (status, PAGE_HEADERS, Html(page)).into_response()
}

/// The page has no script and one inline style sheet; it may not be framed (a framed payment
/// page invites clickjacking), sniffed, cached or told where it came from.
const PAGE_HEADERS: [(header::HeaderName, &str); 5] = [
    (header::CACHE_CONTROL, "no-store"),
    (
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
    ),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "no-referrer"),
];

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}\
main{max-width:34rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:12px;box-shadow:0 1px 4px #0002}\
.muted{color:#667}table{width:100%;border-collapse:collapse;margin:1rem 0}td,th{text-align:left;padding:.4rem;border-bottom:1px solid #e3e5ea}\
fieldset{border:1px solid #d5d8de;border-radius:8px;margin:1rem 0}.outcome{display:block;padding:.3rem 0}\
button{background:#1f5eff;color:#fff;border:0;border-radius:8px;padding:.6rem 1.4rem;font-size:1rem;cursor:pointer}\
button:focus-visible,select:focus-visible,input:focus-visible{outline:3px solid #ffb300}\
@media (prefers-color-scheme: dark){body{background:#12151b;color:#e6e8ec}main{background:#1b1f27}td,th{border-color:#2c313b}}";

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Escapes text for HTML element content and attribute values.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
