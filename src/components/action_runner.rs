//! Sending staff actions from a panel of the order page (the action buttons, the update
//! sections): the proxy's answer replaces the order, the open dialog closes and a toast says
//! what happened; while nothing is being sent, the last send's error is there to show.
//!
//! The page has one toast ([`PageToast`]), shown by the panel whose action it reports: a
//! refund after a tracking edit replaces "Tracking saved" instead of adding a second banner.

use kassa_model::api::{OrderAction, OrderView, Provider};
use leptos::prelude::*;

use crate::api::{self, ClientError};

/// The order page's panels that send actions, each showing the toast of its own actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Panel {
    Actions,
    Updates,
}

/// What the page's last action did, and which panel sent it; until the next dialog opens.
#[derive(Clone, Copy)]
pub struct PageToast(RwSignal<Option<(Panel, String)>>);

impl PageToast {
    /// One toast for every panel below (the order page calls this).
    pub fn provide() {
        provide_context(Self(RwSignal::new(None)));
    }

    /// The page's toast, or one of the panel's own when it is mounted alone.
    fn from_context() -> Self {
        use_context().unwrap_or_else(|| Self(RwSignal::new(None)))
    }
}

#[derive(Clone, Copy)]
pub(super) struct ActionRunner {
    run: Action<OrderAction, Result<(), ClientError>>,
    toast: PageToast,
    panel: Panel,
}

impl ActionRunner {
    /// `message` words the toast for an action carried out (or replayed), in the order's
    /// provider's terms; `done` runs after each success (closing the dialog).
    pub fn new(
        order: RwSignal<OrderView>,
        panel: Panel,
        message: fn(&OrderAction, Provider, bool) -> String,
        done: impl Fn() + Copy + 'static,
    ) -> Self {
        let toast = PageToast::from_context();
        let slot = toast.0;
        let run = Action::new_local(move |action: &OrderAction| {
            let action = action.clone();
            let (id, provider) = order.with_untracked(|o| (o.id.clone(), o.provider));
            async move {
                let outcome = api::order_action(&id, &action).await?;
                // `try_`: the page may have been left while the request ran.
                let _ = order.try_set(outcome.order);
                done();
                let said = message(&action, provider, outcome.replayed);
                let _ = slot.try_set(Some((panel, said)));
                Ok(())
            }
        });
        Self { run, toast, panel }
    }

    /// The page's toast when this panel's action sent it.
    pub fn toast(self) -> Signal<Option<String>> {
        let (slot, panel) = (self.toast.0, self.panel);
        Signal::derive(move || {
            slot.get()
                .filter(|(from, _)| *from == panel)
                .map(|(_, message)| message)
        })
    }

    /// No toast anywhere on the page (a new request is on its way).
    pub fn clear_toast(self) {
        self.toast.0.set(None);
    }

    pub fn send(self, action: OrderAction) {
        self.run.dispatch_local(action);
    }

    pub fn busy(self) -> Signal<bool> {
        self.run.pending().into()
    }

    /// The last send's error, while nothing is being sent.
    pub fn error(self) -> Signal<Option<ClientError>> {
        let run = self.run;
        Signal::derive(move || {
            if run.pending().get() {
                return None;
            }
            run.value()
                .with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned()))
        })
    }

    /// The last send's error, read without tracking (for a retry decision).
    pub fn last_error(self) -> Option<ClientError> {
        self.run
            .value()
            .with_untracked(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned()))
    }

    /// Before a new dialog opens: no error from the last one, no toast.
    pub fn clear(self) {
        self.run.value().set(None);
        self.clear_toast();
    }
}
