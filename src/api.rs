//! The typed client for the proxy's JSON API (`/api/...`).
//!
//! This is the only module that builds URLs or touches gloo-net: pages call one `async fn` per
//! endpoint and get either the model's wire type or a [`ClientError`]. The error is `Clone` so
//! it can live inside a `LocalResource` or an `Action` value.
//!
//! It also keeps the one piece of session state the browser must hold itself: the CSRF token
//! of the current session (the session cookie is HttpOnly and travels on its own). [`login`]
//! and [`current_session`] store it, [`logout`] and any 401 forget it, and every mutating
//! request sends it as `X-CSRF-Token`, so no view ever handles it.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::{Method, Request, RequestBuilder, Response};
use kassa_model::api::{
    ActionOutcome, ApiError, CreatedOrder, Credentials, DueDateOption, ExpiringOrder, ImportOrder,
    NewNote, NewOrder, NewPayLink, NewSavedView, OrderAction, OrderFilter, OrderPage, OrderView,
    PayLink, PayLinkCreated, PlaceOrder, PlacedOrder, Product, PublicCheckout,
    PublicCheckoutCreated, SavedView, SessionView,
};
use kassa_model::FieldError;
use serde::de::DeserializeOwned;

use crate::routes::encode_segment;

/// Prefix for every API path. Empty means "same origin": the proxy serves this app and the API.
/// Set `KASSA_API_BASE` at build time (e.g. `https://kassa.example.com`) to embed the app
/// under another origin, or at run time with [`set_base_url`]; together they are the one place
/// that knows where the API lives.
const API_BASE: &str = match option_env!("KASSA_API_BASE") {
    Some(base) => base,
    None => "",
};

/// Why a call to the proxy did not produce the expected value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The request never got an HTTP answer (offline, DNS, CORS, aborted).
    #[error("Could not reach the Kassa server ({0}). Check your connection and try again.")]
    Network(String),
    /// The proxy answered with a non-2xx status; `error` is its JSON error body, or one made up
    /// from the status when the body was not the proxy's error shape.
    #[error("{}", http_message(*status, error))]
    Http { status: u16, error: ApiError },
    /// A 2xx answer whose body did not match the expected type (app and proxy out of step).
    #[error("The Kassa server sent an answer this page could not read ({0}).")]
    Decode(String),
}

impl ClientError {
    /// The proxy's validation error as a field error, when it names a field (`lines.0.name`).
    pub fn field_error(&self) -> Option<FieldError> {
        let Self::Http { error, .. } = self else {
            return None;
        };
        let field = error.field.as_ref()?;
        Some(FieldError::new(field.clone(), error.message.clone()))
    }

    /// True for a 404 answer: the thing asked for does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Http { status: 404, .. })
    }

    /// True for a 401 answer: there is no session (never logged in, expired, logged out
    /// elsewhere), or, from [`login`], the email or password was wrong.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Http { status: 401, .. })
    }

    /// True for a 429 answer: too many attempts, try again later.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Self::Http { status: 429, .. })
    }

    /// True for a 403 answer: logged in, but this role may not do it (`forbidden`) or the
    /// CSRF token was missing or stale (`csrf`).
    pub fn is_forbidden(&self) -> bool {
        matches!(self, Self::Http { status: 403, .. })
    }

    /// True for the proxy's `not_allowed` (422): the provider's rules do not allow this action
    /// on the order as it is now (the order changed since the page loaded it).
    pub fn is_not_allowed(&self) -> bool {
        matches!(self, Self::Http { error, .. } if error.code == "not_allowed")
    }

    /// The proxy's error code (`conflict`, `expired`, `provider`, ...), for an HTTP error.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Http { error, .. } => Some(&error.code),
            _ => None,
        }
    }
}

fn http_message(status: u16, error: &ApiError) -> String {
    if error.message.trim().is_empty() {
        format!("The Kassa server answered with an error (HTTP {status}).")
    } else if error.code == "not_allowed" {
        // The rule's own reason, said as what it is: the order moved on since it was loaded.
        format!(
            "Not possible now: {} Reload the order to see what can be done.",
            sentence(&error.message)
        )
    } else {
        error.message.clone()
    }
}

/// `text` ending in a full stop, for joining into a longer message.
fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

// ---- session state ---------------------------------------------------------------------

thread_local! {
    /// The current session's CSRF token; `None` when logged out or not yet known.
    static CSRF_TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Told when an answer shows the session is gone (see [`on_session_lost`]).
    static SESSION_LOST: RefCell<Option<Rc<dyn Fn()>>> = const { RefCell::new(None) };
}

fn remember(session: &SessionView) {
    CSRF_TOKEN.with(|t| *t.borrow_mut() = Some(session.csrf_token.clone()));
}

fn forget() {
    CSRF_TOKEN.with(|t| t.borrow_mut().take());
}

/// Registers what to do when any call except [`login`] answers 401: the session expired or
/// was ended elsewhere. The app's session context uses it to send staff to the login page;
/// a later call replaces the earlier handler.
pub fn on_session_lost(handler: impl Fn() + 'static) {
    SESSION_LOST.with(|h| *h.borrow_mut() = Some(Rc::new(handler)));
}

/// Removes the handler set by [`on_session_lost`].
pub fn clear_session_lost() {
    SESSION_LOST.with(|h| h.borrow_mut().take());
}

/// Forgets the token on a 401 and tells the handler, then hands the result on unchanged.
fn watch_session<T>(result: Result<T, ClientError>) -> Result<T, ClientError> {
    if result.as_ref().is_err_and(ClientError::is_unauthorized) {
        forget();
        // Cloned out first: the handler may well call back into this module.
        let handler = SESSION_LOST.with(|h| h.borrow().clone());
        if let Some(handler) = handler {
            handler();
        }
    }
    result
}

/// Adds the CSRF header every mutation needs. Without a token the request goes out without
/// it and the proxy answers 401 or 403, which the caller shows.
fn with_csrf(request: RequestBuilder) -> RequestBuilder {
    match CSRF_TOKEN.with(|t| t.borrow().clone()) {
        Some(token) => request.header("X-CSRF-Token", &token),
        None => request,
    }
}

// ---- endpoints -------------------------------------------------------------------------

/// `POST /api/session`: logs in. The proxy sets the session cookie; the answer's CSRF token is
/// kept here for later mutations. A 401 here means wrong credentials, not a lost session.
pub async fn login(credentials: &Credentials) -> Result<SessionView, ClientError> {
    let request = to_proxy(Method::POST, &url(&["session"]))
        .json(credentials)
        .map_err(|e| ClientError::Decode(e.to_string()))?;
    let session: SessionView = parse(&exchange(request).await?)?;
    remember(&session);
    Ok(session)
}

/// `GET /api/session`: who is logged in, if anyone (a 401 when no one is).
pub async fn current_session() -> Result<SessionView, ClientError> {
    let session: SessionView = get(&url(&["session"])).await?;
    remember(&session);
    Ok(session)
}

/// `DELETE /api/session`: logs out. A 401 counts as done: there was no session to end.
pub async fn logout() -> Result<(), ClientError> {
    let request = with_csrf(to_proxy(Method::DELETE, &url(&["session"])));
    let result = exchange_empty(request.build().map_err(network)?).await;
    match result {
        Ok(()) => {
            forget();
            Ok(())
        }
        Err(error) if error.is_unauthorized() => {
            forget();
            Ok(())
        }
        Err(error) => Err(error),
    }
}

/// `POST /api/orders`: creates the order at the provider; the answer carries the checkout URL.
pub async fn create_order(order: &NewOrder) -> Result<CreatedOrder, ClientError> {
    let request = with_csrf(to_proxy(Method::POST, &url(&["orders"])))
        .json(order)
        .map_err(|e| ClientError::Decode(e.to_string()))?;
    watch_session(exchange(request).await).and_then(|body| parse(&body))
}

/// `GET /api/orders/{id}`: the proxy's mirror of one order, with its timeline.
pub async fn get_order(id: &str) -> Result<OrderView, ClientError> {
    get(&url(&["orders", id])).await
}

/// `GET /api/orders?...`: one page of the orders list; pass the answer's `next_cursor` as the
/// filter's `cursor` for the next.
pub async fn list_orders(filter: &OrderFilter) -> Result<OrderPage, ClientError> {
    get(&list_url(filter)).await
}

fn list_url(filter: &OrderFilter) -> String {
    let query = crate::filters::to_query(filter);
    let base = url(&["orders"]);
    if query.is_empty() {
        base
    } else {
        format!("{base}?{query}")
    }
}

/// `POST /api/orders/{id}/actions`: any [`OrderAction`] (ship or capture, refund, cancel,
/// extend, ...). A 503 or a network failure leaves
/// it unknown whether it happened: send the same action (same `intent_id`) again, and the proxy
/// makes sure it happens once.
pub async fn order_action(id: &str, action: &OrderAction) -> Result<ActionOutcome, ClientError> {
    let request = with_csrf(to_proxy(Method::POST, &url(&["orders", id, "actions"])))
        .json(action)
        .map_err(|e| ClientError::Decode(e.to_string()))?;
    watch_session(exchange(request).await).and_then(|body| parse(&body))
}

/// `POST /api/orders/{id}/notes`: an internal note in the order's timeline; the answer is the
/// order with it.
pub async fn add_note(id: &str, note: &NewNote) -> Result<OrderView, ClientError> {
    let request = with_csrf(to_proxy(Method::POST, &url(&["orders", id, "notes"])))
        .json(note)
        .map_err(|e| ClientError::Decode(e.to_string()))?;
    watch_session(exchange(request).await).and_then(|body| parse(&body))
}

/// `GET /api/orders/export?...`: every order the list's filters match, as CSV text.
pub async fn export_orders(filter: &OrderFilter) -> Result<String, ClientError> {
    let filter = OrderFilter {
        cursor: None,
        limit: None,
        ..filter.clone()
    };
    let query = crate::filters::to_query(&filter);
    let base = url(&["orders", "export"]);
    let url = if query.is_empty() {
        base
    } else {
        format!("{base}?{query}")
    };
    get_body(&url).await
}

/// `GET /api/views`: the staff member's saved views of the orders list.
pub async fn saved_views() -> Result<Vec<SavedView>, ClientError> {
    get(&url(&["views"])).await
}

/// `POST /api/views`: saves the filters under a name (replacing a view of that name).
pub async fn save_view(view: &NewSavedView) -> Result<SavedView, ClientError> {
    let request = with_csrf(to_proxy(Method::POST, &url(&["views"])))
        .json(view)
        .map_err(|e| ClientError::Decode(e.to_string()))?;
    watch_session(exchange(request).await).and_then(|body| parse(&body))
}

/// `DELETE /api/views/{id}`
pub async fn delete_view(id: i64) -> Result<(), ClientError> {
    let request = with_csrf(to_proxy(Method::DELETE, &url(&["views", &id.to_string()])));
    watch_session(exchange_empty(request.build().map_err(network)?).await)
}

/// `POST /api/orders/{id}/refresh`: the proxy asks the provider for the order now.
pub async fn refresh_order(id: &str) -> Result<OrderView, ClientError> {
    let request = with_csrf(to_proxy(Method::POST, &url(&["orders", id, "refresh"])));
    watch_session(exchange(request.build().map_err(network)?).await).and_then(|body| parse(&body))
}

/// `POST /api/orders/import`: "Add a Klarna order": the proxy fetches the order by the
/// provider's id and mirrors it; the answer is the order as the order page shows it.
pub async fn import_order(import: &ImportOrder) -> Result<OrderView, ClientError> {
    let request = with_csrf(to_proxy(Method::POST, &url(&["orders", "import"])))
        .json(import)
        .map_err(|e| ClientError::Decode(e.to_string()))?;
    watch_session(exchange(request).await).and_then(|body| parse(&body))
}

/// `GET /api/orders/expiring?within_days=N`: authorizations of every provider that expire
/// within `within_days` days with money still uncaptured, soonest first.
pub async fn expiring_orders(within_days: u32) -> Result<Vec<ExpiringOrder>, ClientError> {
    get(&expiring_url(within_days)).await
}

fn expiring_url(within_days: u32) -> String {
    format!("{}?within_days={within_days}", url(&["orders", "expiring"]))
}

/// `GET /api/orders/{id}/shipments/{shipment_id}/due-date-options`: how far the payment due
/// date of one capture can be moved, and the fee for each.
pub async fn due_date_options(
    order_id: &str,
    shipment_id: &str,
) -> Result<Vec<DueDateOption>, ClientError> {
    get(&url(&[
        "orders",
        order_id,
        "shipments",
        shipment_id,
        "due-date-options",
    ]))
    .await
}

/// `GET /api/returns/{ref}`: the order a customer just came back from; `reference` is the value
/// the proxy put in the return URL. Public: works without a session.
pub async fn get_return(reference: &str) -> Result<OrderView, ClientError> {
    get(&url(&["returns", reference])).await
}

/// `GET /api/public/catalog`: what the shop sells. Public: no session, and a 401 here says
/// nothing about staff sessions.
pub async fn public_catalog() -> Result<Vec<Product>, ClientError> {
    let request = to_proxy(Method::GET, &url(&["public", "catalog"]))
        .build()
        .map_err(network)?;
    parse(&exchange(request).await?)
}

/// `POST /api/public/checkout`: a shopper's order, priced by the proxy from its catalog; the
/// answer says where to pay. A 422 names the field (`items.0.quantity`, `billingAddress.email`).
pub async fn public_checkout(
    checkout: &PublicCheckout,
) -> Result<PublicCheckoutCreated, ClientError> {
    let request = to_proxy(Method::POST, &url(&["public", "checkout"]))
        .json(checkout)
        .map_err(|e| ClientError::Decode(e.to_string()))?;
    parse(&exchange(request).await?)
}

/// `GET /api/public/pay/{reference}`: a pay link as its customer sees it (open, placed or
/// expired). Public: no session; a 404 is an unknown reference.
pub async fn pay_link(reference: &str) -> Result<PayLink, ClientError> {
    let request = to_proxy(Method::GET, &url(&["public", "pay", reference]))
        .build()
        .map_err(network)?;
    parse(&exchange(request).await?)
}

/// `POST /api/public/pay/{reference}/order`: places the order with the token Klarna's
/// `authorize` gave. Public, like the checkout. A 409 `conflict` (the cart at Klarna differs,
/// or the link was paid with another authorization), a 410 `expired` or a 422 `provider`
/// (Klarna refused the token; authorize again) come back as [`ClientError::Http`].
pub async fn place_order(reference: &str, order: &PlaceOrder) -> Result<PlacedOrder, ClientError> {
    let request = to_proxy(Method::POST, &url(&["public", "pay", reference, "order"]))
        .json(order)
        .map_err(|e| ClientError::Decode(e.to_string()))?;
    parse(&exchange(request).await?)
}

/// `POST /api/pay-links` (staff): a priced cart the customer pays with Klarna on Kassa's
/// public page `/pay/{reference}`; the answer has the link to send them.
pub async fn create_pay_link(link: &NewPayLink) -> Result<PayLinkCreated, ClientError> {
    let request = with_csrf(to_proxy(Method::POST, &url(&["pay-links"])))
        .json(link)
        .map_err(|e| ClientError::Decode(e.to_string()))?;
    watch_session(exchange(request).await).and_then(|body| parse(&body))
}

async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ClientError> {
    parse(&get_body(url).await?)
}

/// The untyped half of [`get`], so its `async` code is in the wasm once, not once per type.
async fn get_body(url: &str) -> Result<String, ClientError> {
    let request = to_proxy(Method::GET, url).build().map_err(network)?;
    watch_session(exchange(request).await)
}

/// A request to the proxy that asks for JSON. `include` sends the session cookie also when the
/// proxy is on another origin of the same site (a host page embedding the console with
/// [`set_base_url`], which the proxy allows with `KASSA_EMBED_ORIGINS`); on the same origin it
/// changes nothing.
fn to_proxy(method: Method, url: &str) -> RequestBuilder {
    RequestBuilder::new(url)
        .method(method)
        .header("Accept", "application/json")
        .credentials(web_sys::RequestCredentials::Include)
}

fn network(e: gloo_net::Error) -> ClientError {
    ClientError::Network(e.to_string())
}

/// Sends the request and reads the answer's body. This and [`parse`] split what used to be one
/// generic `async fn`: the `async` part is not generic, so the wasm holds it once rather than
/// once per answer type.
async fn exchange(request: Request) -> Result<String, ClientError> {
    read_body(request.send().await.map_err(network)?).await
}

/// Like [`exchange`] for answers without a body (204): a 2xx answer is not read.
async fn exchange_empty(request: Request) -> Result<(), ClientError> {
    let response = request.send().await.map_err(network)?;
    if response.ok() {
        return Ok(());
    }
    read_body(response).await.map(drop)
}

/// A 2xx answer's body, or a typed error. Non-2xx bodies are read as the proxy's [`ApiError`];
/// anything else (an HTML 404 from a static server, a gateway's text) still becomes
/// [`ClientError::Http`] with the status, so callers can branch on it.
async fn read_body(response: Response) -> Result<String, ClientError> {
    let status = response.status();
    if response.ok() {
        return response
            .text()
            .await
            .map_err(|e| ClientError::Decode(e.to_string()));
    }
    let body = response.text().await.unwrap_or_default();
    let error = serde_json::from_str::<ApiError>(&body).unwrap_or_else(|_| fallback_error(status));
    Err(ClientError::Http { status, error })
}

/// A 2xx body as the expected value (what gloo-net's `Response::json` did, with its message).
fn parse<T: DeserializeOwned>(body: &str) -> Result<T, ClientError> {
    serde_json::from_str(body).map_err(|e| ClientError::Decode(e.to_string()))
}

fn fallback_error(status: u16) -> ApiError {
    let (code, message) = match status {
        401 => ("unauthorized", "Log in to continue."),
        403 => ("forbidden", "You are not allowed to do this."),
        404 => ("not_found", "Not found."),
        429 => (
            "rate_limited",
            "Too many attempts. Wait a moment and try again.",
        ),
        400..=499 => ("bad_request", "The Kassa server refused the request."),
        502..=504 => (
            "provider_unavailable",
            "The Kassa server or the payment provider is unavailable. Try again in a moment.",
        ),
        _ => (
            "internal",
            "The Kassa server had a problem. Try again in a moment.",
        ),
    };
    ApiError {
        code: code.to_owned(),
        message: message.to_owned(),
        field: None,
    }
}

thread_local! {
    /// Where the proxy lives when a host page said so at run time ([`set_base_url`]); `None`
    /// means the build-time [`API_BASE`].
    static BASE_URL: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Sets the proxy origin every later request is sent to (e.g. `https://kassa.example.com`),
/// overriding `KASSA_API_BASE`; an empty string means same origin. A trailing `/` is ignored.
/// Used by [`crate::embed::mount`] for host pages that load the console from elsewhere.
pub fn set_base_url(base: &str) {
    let base = base.trim_end_matches('/').to_owned();
    BASE_URL.with(|b| *b.borrow_mut() = Some(base));
}

/// The base + `/api/` + the percent-encoded segments, so an id can never change the path.
fn url(segments: &[&str]) -> String {
    let base = BASE_URL.with(|b| b.borrow().clone());
    let mut out = format!("{}/api", base.as_deref().unwrap_or(API_BASE));
    for segment in segments {
        out.push('/');
        out.push_str(&encode_segment(segment));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_url_prefixes_every_request() {
        set_base_url("https://kassa.example.com/");
        assert_eq!(
            url(&["orders", "ord_1"]),
            "https://kassa.example.com/api/orders/ord_1"
        );
        set_base_url("");
        assert_eq!(url(&["session"]), "/api/session");
    }

    #[test]
    fn urls_encode_ids() {
        assert_eq!(url(&["orders", "ord_abc"]), "/api/orders/ord_abc");
        assert_eq!(url(&["returns", "a/b c"]), "/api/returns/a%2Fb%20c");
        assert_eq!(
            url(&["orders", "ord_1", "actions"]),
            "/api/orders/ord_1/actions"
        );
    }

    #[test]
    fn pay_link_urls_keep_the_reference_one_segment() {
        assert_eq!(url(&["public", "pay", "pl_1"]), "/api/public/pay/pl_1");
        assert_eq!(
            url(&["public", "pay", "../x", "order"]),
            "/api/public/pay/..%2Fx/order"
        );
    }

    #[test]
    fn klarna_urls_encode_their_ids() {
        assert_eq!(expiring_url(7), "/api/orders/expiring?within_days=7");
        assert_eq!(
            url(&["orders", "a/b", "shipments", "c d", "due-date-options"]),
            "/api/orders/a%2Fb/shipments/c%20d/due-date-options"
        );
    }

    #[test]
    fn the_list_url_carries_the_filter() {
        assert_eq!(list_url(&OrderFilter::default()), "/api/orders");
        let filter = OrderFilter {
            q: Some("piet@".into()),
            min_minor: Some(1000),
            cursor: Some("c1".into()),
            limit: Some(50),
            ..OrderFilter::default()
        };
        assert_eq!(
            list_url(&filter),
            "/api/orders?q=piet%40&min_minor=1000&limit=50&cursor=c1"
        );
    }

    #[test]
    fn http_errors_read_as_the_proxy_message() {
        let err = ClientError::Http {
            status: 422,
            error: ApiError {
                code: "validation".into(),
                message: "Enter a name for this line.".into(),
                field: Some("lines.0.name".into()),
            },
        };
        assert_eq!(err.to_string(), "Enter a name for this line.");
        assert_eq!(
            err.field_error(),
            Some(FieldError::new(
                "lines.0.name",
                "Enter a name for this line."
            ))
        );
        assert!(!err.is_not_found());
        assert!(!err.is_unauthorized());
    }

    #[test]
    fn a_rule_refusal_reads_as_one() {
        let err = ClientError::Http {
            status: 422,
            error: ApiError {
                code: "not_allowed".into(),
                message: "Order has captures: cancel is not possible, refund instead".into(),
                field: None,
            },
        };
        assert!(err.is_not_allowed());
        assert_eq!(
            err.to_string(),
            "Not possible now: Order has captures: cancel is not possible, refund instead. Reload the order to see what can be done."
        );
    }

    #[test]
    fn session_statuses_are_recognised_with_or_without_a_json_body() {
        let http = |status| ClientError::Http {
            status,
            error: fallback_error(status),
        };
        assert!(http(401).is_unauthorized());
        assert_eq!(fallback_error(401).code, "unauthorized");
        assert!(http(429).is_rate_limited());
        assert!(http(403).is_forbidden());
        assert!(!http(404).is_unauthorized());
        assert!(!ClientError::Network("offline".into()).is_unauthorized());
    }

    #[test]
    fn a_401_forgets_the_token_and_tells_the_handler() {
        use std::cell::Cell;
        let session = SessionView {
            staff: kassa_model::api::StaffView {
                email: "ada@example.com".into(),
                name: "Ada".into(),
                role: kassa_model::api::Role::Operator,
            },
            csrf_token: "t0k".into(),
        };
        remember(&session);
        let told = Rc::new(Cell::new(0));
        let counter = told.clone();
        on_session_lost(move || counter.set(counter.get() + 1));

        let not_found: Result<(), _> = Err(ClientError::Http {
            status: 404,
            error: fallback_error(404),
        });
        let _ = watch_session(not_found);
        assert_eq!(told.get(), 0);
        assert_eq!(
            CSRF_TOKEN.with(|t| t.borrow().clone()).as_deref(),
            Some("t0k")
        );

        let unauthorized: Result<(), _> = Err(ClientError::Http {
            status: 401,
            error: fallback_error(401),
        });
        let _ = watch_session(unauthorized);
        assert_eq!(told.get(), 1);
        assert_eq!(CSRF_TOKEN.with(|t| t.borrow().clone()), None);
        clear_session_lost();
    }
}
