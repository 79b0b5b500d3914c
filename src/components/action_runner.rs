//! Sending staff actions from a panel of the order page (the action buttons, the update
//! sections): the proxy's answer replaces the order, the open dialog closes and a toast says
//! what happened; while nothing is being sent, the last send's error is there to show.

use kassa_model::api::{OrderAction, OrderView, Provider};
use leptos::prelude::*;

use crate::api::{self, ClientError};

#[derive(Clone, Copy)]
pub(super) struct ActionRunner {
    run: Action<OrderAction, Result<(), ClientError>>,
    /// What the last action did, until the next dialog opens.
    pub toast: RwSignal<Option<String>>,
}

impl ActionRunner {
    /// `message` words the toast for an action carried out (or replayed), in the order's
    /// provider's terms; `done` runs after each success (closing the dialog).
    pub fn new(
        order: RwSignal<OrderView>,
        message: fn(&OrderAction, Provider, bool) -> String,
        done: impl Fn() + Copy + 'static,
    ) -> Self {
        let toast = RwSignal::new(None);
        let run = Action::new_local(move |action: &OrderAction| {
            let action = action.clone();
            let (id, provider) = order.with_untracked(|o| (o.id.clone(), o.provider));
            async move {
                let outcome = api::order_action(&id, &action).await?;
                // `try_`: the page may have been left while the request ran.
                let _ = order.try_set(outcome.order);
                done();
                let _ = toast.try_set(Some(message(&action, provider, outcome.replayed)));
                Ok(())
            }
        });
        Self { run, toast }
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
        self.toast.set(None);
    }
}
