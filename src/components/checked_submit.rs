//! The submit of a small form with one thing to check (a note, a saved view's name): the
//! model's check first, its message in place and nothing sent when it fails; otherwise the
//! caller sends, and the caller's error for that send is what the form shows.

use kassa_model::FieldError;
use leptos::prelude::*;

use crate::api::ClientError;

#[derive(Clone, Copy)]
pub(super) struct CheckedSubmit {
    /// The check's last complaint; cleared by a submit that passes.
    local: RwSignal<Option<String>>,
    /// The caller's error for its last send.
    sent: Signal<Option<ClientError>>,
}

impl CheckedSubmit {
    pub fn new(sent: Signal<Option<ClientError>>) -> Self {
        Self {
            local: RwSignal::new(None),
            sent,
        }
    }

    /// What the form says: the check's complaint, else the send's error.
    pub fn message(self) -> Option<String> {
        self.local
            .get()
            .or_else(|| self.sent.get().map(|e| e.to_string()))
    }

    /// Hands `value` to `send` unless `check` complains (then shows why); nothing while `busy`.
    pub fn submit<T>(
        self,
        busy: Signal<bool>,
        value: T,
        check: impl FnOnce(&T) -> Option<FieldError>,
        send: Callback<T>,
    ) where
        T: Send + Sync + 'static,
    {
        if busy.get_untracked() {
            return;
        }
        match check(&value) {
            None => {
                self.local.set(None);
                send.run(value);
            }
            Some(e) => self.local.set(Some(e.message)),
        }
    }
}
