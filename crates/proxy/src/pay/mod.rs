//! Paying with Klarna on Kassa's own pages: the shop's Klarna step and the pay links staff
//! make. Kassa prices the cart, opens a Klarna Payments session with it and gives the browser
//! only the client token; the customer authorizes with Klarna's library; Kassa places the
//! order with the token and the cart it priced, mirrors it and sends the customer to the
//! return page. An authorization Kassa will not use is canceled at Klarna.

mod store;

use kassa_model::api::{KlarnaPayment, NewOrder, PayLine, PayLink, PayLinkState, PlacedOrder};
use kassa_model::klarna::payments::{CustomerTokenCreationRequest, MerchantUrls, SessionCreate};
use kassa_model::{validate, Money};
use time::OffsetDateTime;

use crate::error::AppError;
use crate::provider::klarna::payments::{self as kp, Intent};
use crate::provider::klarna::KlarnaClient;
use crate::provider::ProviderError;
use crate::token::random_token;
use crate::{now_rfc3339, AppState};

pub use store::Link;

/// How long a Klarna Payments session, and so a pay link, lives.
pub const SESSION_HOURS: i64 = 48;

/// Who asked for the payment.
#[derive(Clone, Debug)]
pub enum Origin {
    /// A shopper in `/shop`.
    Shop,
    /// A staff member's pay link.
    Staff(String),
}

/// Prices `new`, opens a Klarna Payments session for it and keeps both: what the browser
/// needs comes back, the cart stays here.
pub async fn open(
    state: &AppState,
    new: &NewOrder,
    origin: Origin,
    intent: Intent,
) -> Result<(KlarnaPayment, Money), AppError> {
    let priced = new.price()?;
    validate::customer_address(&new.billing_address, "billingAddress")?;
    let client = state.providers.klarna_client()?;
    let library_url = state
        .klarna_library
        .clone()
        .ok_or_else(|| AppError::Internal("KLARNA_LIBRARY_URL is not set".into()))?;
    let order_number = crate::orders::order_number(new.order_number.as_deref());
    let return_ref = random_token(24);
    let reference = random_token(24);
    let public = &state.public_url;
    let urls = MerchantUrls {
        confirmation: Some(format!("{public}/return/{return_ref}")),
        notification: state
            .webhooks_reachable
            .then(|| format!("{public}/webhooks/klarna")),
        ..MerchantUrls::default()
    };
    let cart = kp::session(new, &priced, &order_number, urls, intent)?;
    let session = client.create_session(&cart).await?;
    let (Some(session_id), Some(client_token)) =
        (session.session_id.clone(), session.client_token.clone())
    else {
        return Err(ProviderError::Invalid("a session without id or client token".into()).into());
    };
    let now = state.now_unix();
    let expires_unix = now + SESSION_HOURS * 3600;
    let expires_at = rfc3339(expires_unix);
    let lines = priced
        .lines
        .iter()
        .map(|l| PayLine {
            name: l.name.clone(),
            quantity: l.quantity,
            total: l.amounts.total,
        })
        .collect::<Vec<_>>();
    let categories = kp::categories(&session);
    let (origin, created_by) = match origin {
        Origin::Shop => ("shop", None),
        Origin::Staff(email) => ("staff", Some(email)),
    };
    store::insert(
        state.db(),
        &store::NewLink {
            reference: &reference,
            origin,
            created_by: created_by.as_deref(),
            session_id: &session_id,
            client_token: &client_token,
            categories: &categories,
            cart: &cart,
            intent: intent.as_str(),
            order_number: &order_number,
            locale: &new.locale,
            amount: priced.amount,
            lines: &lines,
            return_ref: &return_ref,
            created_at: &rfc3339(now),
            expires_at: &expires_at,
            expires_unix,
        },
    )
    .await?;
    Ok((
        KlarnaPayment {
            reference,
            client_token,
            categories,
            library_url,
            expires_at,
        },
        priced.amount,
    ))
}

/// A pay link as its customer sees it.
pub async fn show(state: &AppState, reference: &str) -> Result<PayLink, AppError> {
    let link = find(state, reference).await?;
    let status = link.state(state.now_unix());
    let klarna = (status == PayLinkState::Open)
        .then(|| -> Result<KlarnaPayment, AppError> {
            Ok(KlarnaPayment {
                reference: link.reference.clone(),
                client_token: link.client_token.clone(),
                categories: link.categories()?,
                library_url: state.klarna_library.clone().unwrap_or_default(),
                expires_at: link.expires_at.clone(),
            })
        })
        .transpose()?;
    Ok(PayLink {
        order_number: link.order_number.clone(),
        locale: link.locale.clone(),
        lines: link.lines()?,
        amount: link.amount()?,
        state: status,
        klarna,
        return_ref: (status == PayLinkState::Placed).then(|| link.return_ref.clone()),
    })
}

async fn find(state: &AppState, reference: &str) -> Result<Link, AppError> {
    store::get(state.db(), reference)
        .await?
        .ok_or_else(|| AppError::NotFound("No payment belongs to this link.".into()))
}

/// Places the order for `reference` with the customer's authorization `token`, exactly once:
/// the first token to claim the link places it; a repeat with that token answers the same
/// order; any other token is canceled at Klarna.
pub async fn place(
    state: &AppState,
    reference: &str,
    token: &str,
) -> Result<PlacedOrder, AppError> {
    let client = state.providers.klarna_client()?;
    let link = find(state, reference).await?;
    if link.order_id.is_some() {
        return if link.authorization_token.as_deref() == Some(token) {
            Ok(placed(&link))
        } else {
            cancel_unused(client, token).await;
            Err(AppError::Conflict(
                "This order has already been paid; nothing more was charged.".into(),
            ))
        };
    }
    if link.state(state.now_unix()) == PayLinkState::Expired {
        cancel_unused(client, token).await;
        return Err(AppError::Gone(
            "This payment has expired; ask the shop for a new payment link.".into(),
        ));
    }
    let cart = link.cart()?;
    // Another authorization claimed the link first and its placement did not finish (the
    // answer was lost, or the shopper authorized again): finish that one first. Only if
    // Klarna refuses it does this token get its turn.
    if let Some(first) = link.authorization_token.as_deref().filter(|t| *t != token) {
        match place_claimed(state, client, &link, &cart, first).await {
            Ok(done) => {
                cancel_unused(client, token).await;
                return Ok(done);
            }
            Err(AppError::Provider(ProviderError::Rejected { .. })) => {
                store::release(state.db(), reference, first).await?;
            }
            Err(e) => return Err(e),
        }
    }
    if !store::claim(state.db(), reference, token).await? {
        // Another request claimed it between our read and now: it places the order.
        cancel_unused(client, token).await;
        return Err(AppError::Conflict(
            "This order is being paid in another window; nothing more was charged.".into(),
        ));
    }
    match place_claimed(state, client, &link, &cart, token).await {
        Ok(done) => Ok(done),
        Err(AppError::Provider(ProviderError::Rejected { code, message, .. })) => {
            // Klarna refused this token (expired, used, or a cart it did not authorize):
            // free the link for another try, and make sure the authorization is not left
            // open at Klarna.
            store::release(state.db(), reference, token).await?;
            cancel_unused(client, token).await;
            Err(match code {
                crate::provider::Refusal::Conflict => AppError::Conflict(format!(
                    "Klarna authorized another cart than this order's; nothing was charged. \
                     Please pay again. ({message})"
                )),
                _ => AppError::Provider(ProviderError::Rejected {
                    status: 422,
                    code: crate::provider::Refusal::Invalid,
                    message: format!(
                        "Klarna did not accept the authorization ({message}); nothing was \
                         charged. Please pay again."
                    ),
                    field: None,
                }),
            })
        }
        // Unreachable, or an answer we could not read: the order may exist. The claim stays,
        // so a retry with any token finishes this one first.
        Err(e) => Err(e),
    }
}

/// Places the order with `token` (which holds the claim), records it on the link, mirrors it.
async fn place_claimed(
    state: &AppState,
    client: &KlarnaClient,
    link: &Link,
    cart: &SessionCreate,
    token: &str,
) -> Result<PlacedOrder, AppError> {
    let answer = client.place_order(token, &kp::order_request(cart)).await?;
    let order_id = answer
        .order_id
        .clone()
        .filter(|id| crate::provider::klarna::is_uuid(id))
        .ok_or_else(|| ProviderError::Invalid("a placed order without an order id".into()))?;
    let fraud_pending = answer.fraud_status.as_deref() == Some("PENDING");
    store::placed(state.db(), &link.reference, token, &order_id, fraud_pending).await?;
    let mut link = link.clone();
    link.order_id = Some(order_id.clone());
    link.fraud_pending = fraud_pending;
    // The customer has paid whatever happens next: mirroring trouble is logged, and the
    // order is fetched again when it is first looked at (the return page, the refresh).
    if let Err(e) = mirror(state, client, &link, cart, token, &order_id).await {
        tracing::warn!(error = %e, order_id, "placed Klarna order not mirrored yet");
    }
    Ok(placed(&link))
}

/// The new order in the mirror, with who it came from, its review and its customer token.
async fn mirror(
    state: &AppState,
    client: &KlarnaClient,
    link: &Link,
    cart: &SessionCreate,
    token: &str,
    order_id: &str,
) -> Result<(), AppError> {
    let ticket = state.mirror.fetch_ticket().await?;
    let order = state.providers.fetch(order_id).await?;
    let view = order.view(Vec::new(), state.now_unix())?;
    let now = now_rfc3339();
    let fresh = state
        .mirror
        .upsert(
            &order,
            &view,
            Some(&link.return_ref),
            &now,
            state.schedule_clock(),
            ticket,
        )
        .await?
        .previous
        .is_none();
    if !fresh {
        return Ok(());
    }
    let by = match &link.created_by {
        Some(staff) => format!("through a pay link from {staff}"),
        None => "in the shop".to_owned(),
    };
    let detail = format!(
        "Order {} placed at Klarna by the customer {by}",
        link.order_number
    );
    state
        .mirror
        .record_event(order_id, &now, "created", &detail)
        .await?;
    if link.fraud_pending {
        state
            .mirror
            .record_event(
                order_id,
                &now,
                "fraud",
                "Klarna is reviewing this order for fraud: no capture until it accepts",
            )
            .await?;
    }
    if Intent::parse(&link.intent) == Intent::BuyAndTokenize {
        let detail = match save_customer_token(state, client, cart, token, order_id).await {
            Ok(hint) => format!("Customer token saved for later orders (…{hint})"),
            Err(e) => format!("Klarna gave no customer token: {e}"),
        };
        state
            .mirror
            .record_event(order_id, &now, "customer_token", &detail)
            .await?;
    }
    Ok(())
}

/// Asks Klarna for the customer token and keeps it against the customer's email; answers
/// its last four characters (all staff ever see of it).
async fn save_customer_token(
    state: &AppState,
    client: &KlarnaClient,
    cart: &SessionCreate,
    token: &str,
    order_id: &str,
) -> Result<String, AppError> {
    let request = CustomerTokenCreationRequest {
        description: Some(format!(
            "Later orders at {} placed by staff",
            state.public_url
        )),
        intended_use: Some("SUBSCRIPTION".into()),
        locale: cart.locale.clone(),
        purchase_country: cart.purchase_country.clone(),
        purchase_currency: cart.purchase_currency.clone(),
        billing_address: cart.billing_address.clone(),
        customer: None,
    };
    let answer = client.customer_token(token, &request).await?;
    let token_id = answer
        .token_id
        .ok_or_else(|| ProviderError::Invalid("a customer token without token_id".into()))?;
    let email = cart
        .billing_address
        .as_ref()
        .and_then(|a| a.email.clone())
        .unwrap_or_default()
        .to_lowercase();
    store::save_customer_token(
        state.db(),
        &token_id,
        &email,
        order_id,
        answer.payment_method_reference.as_deref(),
        &now_rfc3339(),
    )
    .await?;
    let tail: String = token_id
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    Ok(tail)
}

/// The order the return page finds by a pay link's return reference, when the mirror does not
/// have it yet.
pub async fn order_for_return(
    state: &AppState,
    return_ref: &str,
) -> Result<Option<String>, AppError> {
    store::order_for_return(state.db(), return_ref).await
}

fn placed(link: &Link) -> PlacedOrder {
    PlacedOrder {
        return_ref: link.return_ref.clone(),
        fraud_pending: link.fraud_pending,
    }
}

/// Cancels an authorization Kassa will not use. Best effort: Klarna lets an unused token
/// lapse after 60 minutes anyway, so a failure here is logged, not shown.
async fn cancel_unused(client: &KlarnaClient, token: &str) {
    if let Err(e) = client.cancel_authorization(token).await {
        tracing::info!(error = %e, "unused Klarna authorization not canceled");
    }
}

fn rfc3339(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}
