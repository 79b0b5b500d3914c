//! Creating an order and sending the browser to the provider's hosted checkout: what the staff
//! "New order" page and the public shop both do.

use leptos::prelude::*;

use crate::api::ClientError;

/// The checkout is the provider's page, outside this app: a full navigation, not a route.
pub fn go_to_checkout(url: &str) -> Result<(), ClientError> {
    window()
        .location()
        .set_href(url)
        .map_err(|_| ClientError::Decode(format!("the checkout address {url} could not be opened")))
}

/// What a form that leaves for the checkout shows while its action runs.
pub struct Leaving {
    /// Busy while sending and also after success: the browser is leaving for the checkout
    /// page, and a second click would create a second order.
    pub busy: Signal<bool>,
    /// The last failure, once nothing is being sent.
    pub error: Signal<Option<ClientError>>,
}

pub fn leaving<I: 'static, T: 'static>(action: Action<I, Result<T, ClientError>>) -> Leaving {
    let pending = action.pending();
    Leaving {
        busy: Signal::derive(move || {
            pending.get() || action.value().with(|v| matches!(v, Some(Ok(_))))
        }),
        error: Signal::derive(move || {
            if pending.get() {
                return None;
            }
            action
                .value()
                .with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned()))
        }),
    }
}
