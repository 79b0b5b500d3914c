//! "Edit line": change one line of an order nobody has paid or shipped yet. The operator picks
//! the line (its values fill the fields), types, and sees the new line and order totals as the
//! model computes them. Sends nothing itself: `on_submit` gets the checked `UpdateLine`; the
//! intent id is kept for retries after an unknown outcome, as in the other dialogs.

use kassa_model::api::{OrderAction, OrderView};
use kassa_model::Money;
use leptos::prelude::*;

use super::order_updates::{
    provide_dialog_errors, renew_intent_if_refused, submit_checked, EditDialog,
};
use super::LineFieldInput;
use crate::actions::{line_update, new_intent_id};
use crate::api::ClientError;
use crate::draft::{FormError, LineDraft, LineField};
use crate::staff_locale::StaffLocale;

#[component]
pub fn LineDialog(
    order: OrderView,
    /// Called with the action to send; never with something the checks refused.
    #[prop(into)]
    on_submit: Callback<OrderAction>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into, optional)] busy: Signal<bool>,
    /// The caller's error for the last send.
    #[prop(into, optional)]
    error: Signal<Option<ClientError>>,
) -> impl IntoView {
    let intent = StoredValue::new(new_intent_id());
    let currency = order.amount.currency;
    let order_amount = order.amount;
    let staff = StoredValue::new(StaffLocale::current());
    let lines = StoredValue::new(order.lines.clone());
    let chosen = RwSignal::new(0usize);
    let draft = RwSignal::new(
        order
            .lines
            .first()
            .map(LineDraft::from_line)
            .unwrap_or_default(),
    );
    let local_error = RwSignal::new(None::<FormError>);
    // The proxy names this dialog's fields already (`line.quantity`).
    let errors = provide_dialog_errors(local_error, error, |f| f);
    let choose = move |i: usize| {
        if let Some(line) = lines.with_value(|ls| ls.get(i).cloned()) {
            chosen.set(i);
            draft.set(LineDraft::from_line(&line));
            local_error.set(None);
        }
    };
    // The line's new total, and the order's: the old line's total swapped for the new one.
    let totals = Memo::new(move |_| {
        let new = draft.with(|d| d.amounts(0, currency))?;
        let old = lines.with_value(|ls| ls.get(chosen.get()).map(|l| l.total))?;
        let order_total = order_amount
            .checked_sub(old)
            .and_then(|m| m.checked_add(new.total))
            .ok()?;
        Some((new.total, order_total))
    });
    let shown_money = move |pick: fn((Money, Money)) -> Money| {
        totals
            .get()
            .map(|t| staff.with_value(|s| s.money(pick(t))))
            .unwrap_or_else(|| "—".to_owned())
    };
    let title = format!("Edit a line of order {}", order.order_number);
    let submit = Callback::new(move |()| {
        renew_intent_if_refused(intent, error);
        let line = lines.with_value(|ls| ls.get(chosen.get_untracked()).cloned());
        let Some(line) = line else { return };
        let checked = draft.with_untracked(|d| line_update(intent.get_value(), &line, d, currency));
        submit_checked(checked, local_error, on_submit);
    });
    view! {
        <EditDialog
            title
            submit_label="Save line"
            on_submit=submit
            on_close
            busy
            message=Signal::derive(move || errors.form_level())
        >
            <div class="field">
                <label>
                    <span class="label">"Line"</span>
                    <select
                        data-testid="edit-line-choice"
                        on:change:target=move |ev| {
                            if let Ok(i) = ev.target().value().parse() {
                                choose(i);
                            }
                        }
                    >
                        {lines
                            .get_value()
                            .into_iter()
                            .enumerate()
                            .map(|(i, line)| {
                                view! {
                                    <option value=i.to_string() selected=i == 0>
                                        {line.name}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
            </div>
            <div class="line-fields">
                {LineField::ALL
                    .into_iter()
                    .map(|field| {
                        let value = Signal::derive(move || {
                            draft.with(|d| field.get(d).to_owned())
                        });
                        let on_input = Callback::new(move |value: String| {
                            draft.update(|d| field.set(d, value))
                        });
                        view! {
                            <LineFieldInput
                                field
                                path=format!("line.{}", field.key())
                                testid=format!("edit-line-{}", field.key())
                                value
                                on_input
                            />
                        }
                    })
                    .collect_view()}
            </div>
            <dl class="line-amounts">
                <div>
                    <dt>"Line total"</dt>
                    <dd data-testid="edit-line-total">{move || shown_money(|t| t.0)}</dd>
                </div>
                <div>
                    <dt>"New order total"</dt>
                    <dd data-testid="edit-line-order-total">{move || shown_money(|t| t.1)}</dd>
                </div>
            </dl>
        </EditDialog>
    }
}
