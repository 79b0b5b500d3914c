//! Where validation messages appear. The form provides one [`FormErrors`] in context; every
//! field renders a [`FieldErrorMsg`] for its slot, and whatever has no slot falls through to
//! [`FormLevelError`]. A form may show several errors at once (the new-order form shows every
//! problem, with an [`super::ErrorSummary`]); each slot shows the first error that belongs there.

use kassa_model::FieldError;
use leptos::prelude::*;

use crate::draft::{field_message_id, FormError};

/// The errors currently shown by the form, and the number of lines (which decides whether
/// `lines.3.name` still has a place to appear).
#[derive(Clone, Copy)]
pub struct FormErrors {
    errors: Signal<Vec<FormError>>,
    line_count: Signal<usize>,
    /// The form has an error summary, which takes the announcing: the messages by the fields
    /// are then not alerts each (eight alerts at once would talk over each other).
    summary: bool,
}

impl FormErrors {
    /// A form that shows one error at a time.
    pub fn provide(error: Signal<Option<FormError>>, line_count: Signal<usize>) {
        provide_context(Self {
            errors: Signal::derive(move || error.get().into_iter().collect()),
            line_count,
            summary: false,
        });
    }

    /// A form that shows every error at once, each at its field, without a summary (a short
    /// form: the shop).
    pub fn provide_list(errors: Signal<Vec<FormError>>, line_count: Signal<usize>) {
        provide_context(Self {
            errors,
            line_count,
            summary: false,
        });
    }

    /// A form that shows every error at once, in form order, with an [`super::ErrorSummary`].
    pub fn provide_all(errors: Signal<Vec<FormError>>, line_count: Signal<usize>) {
        provide_context(Self {
            errors,
            line_count,
            summary: true,
        });
    }

    /// # Panics
    /// Outside an [`super::OrderForm`] (a programming error, not a user one).
    pub fn expect_context() -> Self {
        expect_context::<Self>()
    }

    /// The field error to show in `slot`, if one of the current errors belongs there.
    pub fn at(&self, slot: &str) -> Option<FieldError> {
        let lines = self.line_count.get();
        self.errors.with(|errors| {
            errors.iter().find_map(|shown| match shown {
                FormError::Field(e) if shown.slot(lines).as_deref() == Some(slot) => {
                    Some(e.clone())
                }
                _ => None,
            })
        })
    }

    /// `aria-invalid` for the input of `path`: "true" while an error is shown for it.
    pub fn invalid(&self, path: &str) -> Option<&'static str> {
        self.at(path).is_some().then_some("true")
    }

    /// The id of the message shown for `path`, for its input's `aria-describedby`.
    pub fn message_id(&self, path: &str) -> Option<String> {
        self.at(path).map(|_| field_message_id(path))
    }

    /// Every error that has a place in the form, as `(slot, message)`, in the order given
    /// (the model's: the order the form shows its fields).
    pub fn slotted(&self) -> Vec<(String, String)> {
        let lines = self.line_count.get();
        self.errors.with(|errors| {
            errors
                .iter()
                .filter_map(|e| Some((e.slot(lines)?, e.message().to_owned())))
                .collect()
        })
    }

    /// The message to show above the submit button: form-level errors, and field errors whose
    /// field the form does not show.
    pub fn form_level(&self) -> Option<String> {
        let lines = self.line_count.get();
        self.errors.with(|errors| {
            errors
                .iter()
                .find(|e| e.slot(lines).is_none())
                .map(|e| e.message().to_owned())
        })
    }
}

/// The message for one slot (`at`; not named `slot`, which `view!` reserves), placed right
/// after its field; its id is what the field's `aria-describedby` names. `data-field` carries
/// the path the error named (the proxy's may be more precise than the slot, e.g.
/// `...discountAmount.value`).
#[component]
pub fn FieldErrorMsg(
    /// A field path of the form (`lines.0.unitPrice`) or a block slot (`lines.0`, `lines`).
    #[prop(into)]
    at: String,
) -> impl IntoView {
    let errors = FormErrors::expect_context();
    let id = field_message_id(&at);
    move || {
        errors.at(&at).map(|e| {
            view! {
                // Focusable so the error summary can take the user to a block's message (a
                // block has no input of its own).
                <p
                    class="field-error"
                    id=id.clone()
                    tabindex="-1"
                    data-testid="field-error"
                    data-field=e.field
                    role=(!errors.summary).then_some("alert")
                >
                    {e.message}
                </p>
            }
        })
    }
}

/// The form-level message, shown next to the submit button.
#[component]
pub fn FormLevelError() -> impl IntoView {
    let errors = FormErrors::expect_context();
    move || {
        errors.form_level().map(|message| {
            view! {
                <p class="form-error" data-testid="form-error" role="alert">
                    {message}
                </p>
            }
        })
    }
}
