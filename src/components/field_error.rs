//! Where validation messages appear. The form provides one [`FormErrors`] in context; every
//! field renders a [`FieldErrorMsg`] for its slot, and whatever has no slot falls through to
//! [`FormLevelError`]. Only one error is shown at a time: the model reports the first problem.

use kassa_model::FieldError;
use leptos::prelude::*;

use crate::draft::FormError;

/// The error currently shown by the form, and the number of lines (which decides whether
/// `lines.3.name` still has a place to appear).
#[derive(Clone, Copy)]
pub struct FormErrors {
    error: Signal<Option<FormError>>,
    line_count: Signal<usize>,
}

impl FormErrors {
    pub fn provide(error: Signal<Option<FormError>>, line_count: Signal<usize>) {
        provide_context(Self { error, line_count });
    }

    /// # Panics
    /// Outside an [`super::OrderForm`] (a programming error, not a user one).
    pub fn expect_context() -> Self {
        expect_context::<Self>()
    }

    /// The field error to show in `slot`, if the current error belongs there.
    pub fn at(&self, slot: &str) -> Option<FieldError> {
        let lines = self.line_count.get();
        self.error.with(|error| match error {
            Some(shown @ FormError::Field(e)) if shown.slot(lines).as_deref() == Some(slot) => {
                Some(e.clone())
            }
            _ => None,
        })
    }

    /// The message to show above the submit button: form-level errors, and field errors whose
    /// field the form does not show.
    pub fn form_level(&self) -> Option<String> {
        let lines = self.line_count.get();
        self.error.with(|error| {
            let error = error.as_ref()?;
            error
                .slot(lines)
                .is_none()
                .then(|| error.message().to_owned())
        })
    }
}

/// The message for one slot (`at`; not named `slot`, which `view!` reserves), placed right after its field. `data-field` carries the path the
/// error named (the proxy's may be more precise than the slot, e.g. `...discountAmount.value`).
#[component]
pub fn FieldErrorMsg(
    /// A field path of the form (`lines.0.unitPrice`) or a block slot (`lines.0`, `lines`).
    #[prop(into)]
    at: String,
) -> impl IntoView {
    let errors = FormErrors::expect_context();
    move || {
        errors.at(&at).map(|e| {
            view! {
                <p class="field-error" data-testid="field-error" data-field=e.field role="alert">
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
