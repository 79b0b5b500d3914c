//! What happened to an order after it was placed, and the changes operators make to it without
//! touching what was shipped or paid: shipments (with "Edit tracking"), refunds, payments (with "Copy payment
//! link" and "New payment link"), the expiry, "Edit details" (order number, billing
//! address), "Edit a line" (before payment or shipping) and "Refund an amount". The checks and requests are built in [`crate::actions`]; this is their view.

use kassa_model::api::{OrderAction, OrderView, PaymentView, RefundView, ShipmentView};
use kassa_model::FieldError;
use leptos::html;
use leptos::prelude::*;

use super::action_runner::ActionRunner;
use super::{
    AddressFields, AmountRefundDialog, DialogButtons, FormErrors, LineDialog, Modal, TextField,
};
use crate::actions::{
    can_create_payment, details_update, is_payable, keeps_intent, line_editing, new_intent_id,
    refundable_amount, update_tracking, with_replay_note, DialogError,
};
use crate::api::ClientError;
use crate::draft::{AddressDraft, AddressField, FormError};
use crate::format::{expiry_line, method_name, money_in_locale, short_timestamp};
use crate::session::Session;

/// Which of this module's dialogs is open.
#[derive(Clone, Debug, PartialEq)]
enum Open {
    // Boxed: a shipment is large and the other variants empty.
    Tracking(Box<ShipmentView>),
    Details,
    Line,
    RefundAmount,
}

/// The sections below the order summary, for `order`, which is replaced by the proxy's answer
/// after each change. Operators also get the buttons; viewers only read.
#[component]
pub fn OrderUpdates(order: RwSignal<OrderView>) -> impl IntoView {
    let operator = Session::expect_context().can_change_now();
    let open = RwSignal::new(None::<Open>);
    // "New payment link" has no dialog: its intent lives here, kept for a retry after an
    // unknown outcome and renewed otherwise (see `new_payment`).
    let payment_intent = StoredValue::new(None::<String>);
    let runner = ActionRunner::new(order, toast_message, move || {
        let _ = open.try_set(None);
    });
    let (toast, busy, error) = (runner.toast, runner.busy(), runner.error());
    // Whether the last request came from "New payment link" (its errors show in the bar).
    let payment_sent = RwSignal::new(false);
    let open_dialog = move |which: Open| {
        // A new dialog starts clean: no error from the last one, no toast.
        payment_sent.set(false);
        runner.clear();
        open.set(Some(which));
    };
    let close = Callback::new(move |()| open.set(None));
    let send = Callback::new(move |a: OrderAction| runner.send(a));
    let new_payment = move |_| {
        if busy.get_untracked() {
            return;
        }
        let retry = runner.last_error().is_some_and(|e| keeps_intent(&e));
        if !retry || payment_intent.with_value(Option::is_none) {
            payment_intent.set_value(Some(new_intent_id()));
        }
        toast.set(None);
        payment_sent.set(true);
        runner.send(OrderAction::CreatePayment {
            intent_id: payment_intent.get_value().unwrap_or_default(),
            method: None,
        });
    };
    let edit_tracking =
        Callback::new(move |s: ShipmentView| open_dialog(Open::Tracking(Box::new(s))));
    let locale = Memo::new(move |_| order.with(|o| o.locale.clone()));
    // The button that opens one of the dialogs: for operators, while `allowed`.
    let opener = move |which: Open,
                       testid: &'static str,
                       label: &'static str,
                       allowed: fn(&OrderView) -> bool| {
        view! {
            <Show when=move || operator && order.with(allowed)>
                <button
                    type="button"
                    class="secondary"
                    data-testid=testid
                    on:click={
                        let which = which.clone();
                        move |_| open_dialog(which.clone())
                    }
                >
                    {label}
                </button>
            </Show>
        }
    };

    view! {
        <section class="block order-updates" aria-label="Order details">
            <div class="update-bar">
                {move || {
                    order
                        .with(expiry_line)
                        .map(|line| {
                            view! {
                                <p class="expiry muted" data-testid="expires-in">
                                    {line}
                                </p>
                            }
                        })
                }}
                {opener(Open::Details, "edit-details", "Edit details", |_| true)}
                {opener(Open::Line, "edit-line", "Edit a line", |o| line_editing(o).is_ok())}
            </div>
            {move || {
                toast
                    .get()
                    .map(|message| {
                        view! {
                            <p class="toast" role="status" data-testid="update-toast">
                                {message}
                            </p>
                        }
                    })
            }}
            {move || {
                // Errors of "New payment link" (no dialog to show them in).
                error
                    .get()
                    .filter(|_| payment_sent.get())
                    .map(|e| {
                        view! {
                            <p class="form-error" role="alert" data-testid="update-error">
                                {e.to_string()}
                            </p>
                        }
                    })
            }}
        </section>
        {move || {
            view! {
                <Shipments
                    shipments=order.with(|o| o.shipments.clone())
                    on_edit=operator.then_some(edit_tracking)
                />
            }
        }}
        {move || view! { <Refunds refunds=order.with(|o| o.refunds.clone()) locale=locale.get()/> }}
        <p class="refund-amount">
            {opener(
                Open::RefundAmount,
                "refund-amount-open",
                "Refund an amount",
                |o| refundable_amount(o).is_some(),
            )}
        </p>
        <section class="block" aria-labelledby="payments-heading" data-testid="payments">
            <h2 id="payments-heading">"Payments"</h2>
            {move || {
                view! { <PaymentList payments=order.with(|o| o.payments.clone()) locale=locale.get()/> }
            }}
            <Show when=move || operator && order.with(can_create_payment)>
                <button
                    type="button"
                    class="secondary"
                    data-testid="new-payment-link"
                    disabled=move || busy.get()
                    aria-busy=move || busy.get().then_some("true")
                    on:click=new_payment
                >
                    {move || if busy.get() { "Working…" } else { "New payment link" }}
                </button>
            </Show>
        </section>
        // Every dialog sends through the runner and shows its answer's error; one at a time.
        {move || {
            open.get()
                .map(|which| {
                    let o = || order.get_untracked();
                    match which {
                        Open::Tracking(shipment) => view! { <TrackingDialog shipment=*shipment on_submit=send on_close=close busy error/> }.into_any(),
                        Open::RefundAmount => view! { <AmountRefundDialog order=o() on_submit=send on_close=close busy error/> }.into_any(),
                        Open::Line => view! { <LineDialog order=o() on_submit=send on_close=close busy error/> }.into_any(),
                        Open::Details => view! { <DetailsDialog order=o() on_submit=send on_close=close busy error/> }.into_any(),
                    }
                })
        }}
    }
}

/// The toast after one of this module's changes.
fn toast_message(action: &OrderAction, replayed: bool) -> String {
    let done = match action {
        OrderAction::UpdateTracking { .. } => "Tracking saved",
        OrderAction::CreatePayment { .. } => "New payment link made",
        OrderAction::UpdateLine { .. } => "Line saved",
        OrderAction::RefundAmount { .. } => "Refund made",
        _ => "Order details saved",
    };
    with_replay_note(done.to_owned(), replayed)
}

/// The shipments: when, what ("2 × LEGO 42083 Bugatti Chiron") and the tracking, linked when
/// the carrier gave a URL. With `on_edit` each shipment gets an "Edit tracking" button.
#[component]
pub fn Shipments(
    shipments: Vec<ShipmentView>,
    /// Called with the shipment whose tracking to edit; `None` hides the buttons (viewers).
    #[prop(default = None)]
    on_edit: Option<Callback<ShipmentView>>,
) -> impl IntoView {
    let empty = shipments.is_empty();
    view! {
        <section class="block" aria-labelledby="shipments-heading" data-testid="shipments">
            <h2 id="shipments-heading">"Shipments"</h2>
            {empty.then(|| view! { <p class="muted">"Nothing shipped yet."</p> })}
            <ul class="record-list">
                {shipments
                    .into_iter()
                    .map(|shipment| {
                        let tracking = shipment.tracking.clone().map(|t| {
                            let label = format!("{} {}", t.carrier, t.code);
                            match t.url {
                                Some(url) => {
                                    view! {
                                        <a href=url rel="noopener noreferrer" target="_blank">
                                            {label}
                                        </a>
                                    }
                                        .into_any()
                                }
                                None => label.into_any(),
                            }
                        });
                        let edit = on_edit
                            .map(|on_edit| {
                                let shipment = shipment.clone();
                                view! {
                                    <button
                                        type="button"
                                        class="secondary small"
                                        data-testid="edit-tracking"
                                        on:click=move |_| on_edit.run(shipment.clone())
                                    >
                                        "Edit tracking"
                                    </button>
                                }
                            });
                        view! {
                            <li class="record" data-testid="shipment">
                                <Stamp at=shipment.created_at/>
                                <ul class="parts">
                                    {shipment
                                        .lines
                                        .into_iter()
                                        .map(|p| view! { <li>{format!("{} × {}", p.quantity, p.name)}</li> })
                                        .collect_view()}
                                </ul>
                                <p class="tracking" data-testid="shipment-tracking">
                                    {tracking.unwrap_or_else(|| "No tracking".into_any())}
                                </p>
                                {edit}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// The refunds: when, how much (written the way the order's locale writes it, like the orders
/// list), the description and the provider's status.
#[component]
pub fn Refunds(refunds: Vec<RefundView>, locale: String) -> impl IntoView {
    let empty = refunds.is_empty();
    view! {
        <section class="block" aria-labelledby="refunds-heading" data-testid="refunds">
            <h2 id="refunds-heading">"Refunds"</h2>
            {empty.then(|| view! { <p class="muted">"Nothing refunded."</p> })}
            <ul class="record-list">
                {refunds
                    .into_iter()
                    .map(|refund| {
                        view! {
                            <li class="record" data-testid="refund">
                                <Stamp at=refund.created_at/>
                                <span class="amount" data-testid="refund-amount">
                                    {money_in_locale(refund.amount, &locale)}
                                </span>
                                <span data-testid="refund-description">{refund.description}</span>
                                <Badge status=refund.status testid="refund-status"/>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// The payment attempts: status, method, when, and for one the customer can still pay a way
/// to copy its link.
#[component]
pub fn PaymentList(payments: Vec<PaymentView>, locale: String) -> impl IntoView {
    let empty = payments.is_empty();
    view! {
        {empty.then(|| view! { <p class="muted">"No payment attempts yet."</p> })}
        <ul class="record-list">
            {payments
                .into_iter()
                .map(|payment| {
                    let link = is_payable(&payment).then(|| payment.checkout_url.clone()).flatten();
                    view! {
                        <li class="record" data-testid="payment">
                            <Badge status=payment.status testid="payment-status"/>
                            <span data-testid="payment-method">
                                {payment.method.as_deref().map_or_else(|| "Customer chooses".to_owned(), method_name)}
                            </span>
                            <span class="amount">{money_in_locale(payment.amount, &locale)}</span>
                            <Stamp at=payment.created_at/>
                            {link.map(|url| view! { <CopyLink url/> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// A timestamp as the rest of the page shows it, with the full value in `datetime`.
#[component]
fn Stamp(at: String) -> impl IntoView {
    let shown = short_timestamp(&at);
    view! {
        <time datetime=at.clone() title=at>
            {shown}
        </time>
    }
}

/// A status pill for the provider's free-form statuses (refunds, payments).
#[component]
fn Badge(status: String, testid: &'static str) -> impl IntoView {
    let class = format!("badge badge-{status}");
    view! {
        <span class=class data-testid=testid>
            {status}
        </span>
    }
}

/// The payment link in a read-only input, and a button that copies it with the Clipboard API.
/// Where that API is missing or refused (no HTTPS, permissions), the input's text is selected
/// so the person can copy it themselves.
#[component]
fn CopyLink(url: String) -> impl IntoView {
    let input_ref = NodeRef::<html::Input>::new();
    let copied = RwSignal::new(None::<&'static str>);
    let copy = {
        let url = url.clone();
        move |_| {
            let url = url.clone();
            leptos::task::spawn_local(async move {
                let message = if write_clipboard(&url).await {
                    "Copied."
                } else {
                    if let Some(input) = input_ref.get_untracked() {
                        let _ = input.focus();
                        input.select();
                    }
                    "Press Ctrl+C (⌘C) to copy the selected link."
                };
                let _ = copied.try_set(Some(message));
            });
        }
    };
    view! {
        <span class="copy-link">
            <input
                type="text"
                readonly
                node_ref=input_ref
                aria-label="Payment link"
                data-testid="payment-link"
                value=url
            />
            <button type="button" class="secondary small" data-testid="copy-payment-link" on:click=copy>
                "Copy payment link"
            </button>
            <span role="status" class="muted" data-testid="copy-status">
                {move || copied.get()}
            </span>
        </span>
    }
}

/// `navigator.clipboard.writeText(text)`; false when the API is missing or refuses.
async fn write_clipboard(text: &str) -> bool {
    use wasm_bindgen::JsValue;
    let navigator = window().navigator();
    // Outside a secure context `navigator.clipboard` is undefined; calling it would throw.
    let present = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !present {
        return false;
    }
    let promise = navigator.clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// The errors one of these dialogs shows: its own check's (`local`), else the caller's last
/// send's, field errors renamed by `field` into the dialog's slots. Provided as the dialog's
/// [`FormErrors`].
pub(super) fn provide_dialog_errors(
    local: RwSignal<Option<FormError>>,
    error: Signal<Option<ClientError>>,
    field: fn(FieldError) -> FieldError,
) -> FormErrors {
    let shown = Signal::derive(move || {
        local.get().or_else(|| {
            error.get().map(|e| match e.field_error() {
                Some(f) => FormError::Field(field(f)),
                None => FormError::Form(error_message(&e)),
            })
        })
    });
    FormErrors::provide(shown, Signal::from(0));
    FormErrors::expect_context()
}

/// Hands a checked action to `on_submit`, or shows why the dialog's checks refused it.
pub(super) fn submit_checked(
    checked: Result<OrderAction, FormError>,
    local_error: RwSignal<Option<FormError>>,
    on_submit: Callback<OrderAction>,
) {
    match checked {
        Ok(action) => {
            local_error.set(None);
            on_submit.run(action);
        }
        Err(e) => local_error.set(Some(e)),
    }
}

/// After a definite refusal nothing happened, so the corrected request is a new intent; after
/// an unknown outcome the retry keeps the old one.
pub(super) fn renew_intent_if_refused(
    intent: StoredValue<String>,
    error: Signal<Option<ClientError>>,
) {
    if error.get_untracked().is_some_and(|e| !keeps_intent(&e)) {
        intent.set_value(new_intent_id());
    }
}

/// The message a dialog shows for the caller's error: a retry after an unknown outcome is
/// carried out once, so say so.
pub(super) fn error_message(error: &ClientError) -> String {
    let message = error.to_string();
    if keeps_intent(error) {
        format!("{message} Try again: it will be carried out only once.")
    } else {
        message
    }
}

/// The frame of this module's dialogs, like [`super::ActionDialog`]'s: a modal with a title,
/// the fields (`children`), an error line and Close / submit buttons.
#[component]
pub(super) fn EditDialog(
    title: String,
    submit_label: &'static str,
    /// The form was submitted (not while busy).
    on_submit: Callback<()>,
    on_close: Callback<()>,
    busy: Signal<bool>,
    /// The dialog-level message to show, if any.
    message: Signal<Option<String>>,
    /// While true the submit button says `confirm_label`: the next submit is the
    /// confirmation of an irreversible change the dialog has just described.
    #[prop(optional, into)]
    confirming: Signal<bool>,
    #[prop(optional)] confirm_label: &'static str,
    children: Children,
) -> impl IntoView {
    let title_id = format!(
        "dialog-title-{}",
        submit_label.to_lowercase().replace(' ', "-")
    );
    view! {
        <Modal labelled_by=title_id.clone() busy on_close>
            <form
                novalidate
                on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    if !busy.get_untracked() {
                        on_submit.run(());
                    }
                }
            >
                <h2 id=title_id>{title}</h2>
                {children()}
                {move || {
                    message
                        .get()
                        .map(|m| {
                            view! {
                                <p class="form-error" role="alert" data-testid="dialog-error">
                                    {m}
                                </p>
                            }
                        })
                }}
                <DialogButtons
                    busy
                    submit_disabled=busy
                    submit_label=Signal::derive(move || {
                        if busy.get() {
                            "Working…"
                        } else if confirming.get() {
                            confirm_label
                        } else {
                            submit_label
                        }
                            .to_owned()
                    })
                    on_close
                />
            </form>
        </Modal>
    }
}

/// "Edit tracking" for one shipment: carrier, code and URL, prefilled with what it has. Sends
/// nothing itself: `on_submit` gets the checked `UpdateTracking`. The intent id is made when
/// the dialog opens and kept for retries after an unknown outcome, as in
/// [`super::ActionDialog`].
#[component]
pub fn TrackingDialog(
    shipment: ShipmentView,
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
    let current = shipment.tracking.clone();
    let carrier = RwSignal::new(
        current
            .as_ref()
            .map(|t| t.carrier.clone())
            .unwrap_or_default(),
    );
    let code = RwSignal::new(current.as_ref().map(|t| t.code.clone()).unwrap_or_default());
    let url = RwSignal::new(current.and_then(|t| t.url).unwrap_or_default());
    let local_error = RwSignal::new(None::<DialogError>);
    let message = Signal::derive(move || {
        local_error
            .get()
            .map(|e| e.message)
            .or_else(|| error.get().map(|e| error_message(&e)))
    });
    let shipment_id = shipment.id.clone();
    let submit = Callback::new(move |()| {
        renew_intent_if_refused(intent, error);
        match update_tracking(
            intent.get_value(),
            &shipment_id,
            &carrier.get_untracked(),
            &code.get_untracked(),
            &url.get_untracked(),
        ) {
            Ok(action) => {
                local_error.set(None);
                on_submit.run(action);
            }
            Err(e) => local_error.set(Some(e)),
        }
    });
    let title = format!(
        "Tracking of the shipment of {}",
        short_timestamp(&shipment.created_at)
    );
    view! {
        <EditDialog title submit_label="Save tracking" on_submit=submit on_close busy message>
            <fieldset class="tracking" data-shipment=shipment.id.clone() disabled=move || busy.get()>
                <label>
                    <span>"Carrier"</span>
                    <input type="text" data-testid="tracking-carrier" bind:value=carrier/>
                </label>
                <label>
                    <span>"Tracking code"</span>
                    <input type="text" data-testid="tracking-code" bind:value=code/>
                </label>
                <label>
                    <span>"Tracking URL (optional)"</span>
                    <input type="url" data-testid="tracking-url" bind:value=url/>
                </label>
            </fieldset>
        </EditDialog>
    }
}

/// "Edit details": the order number and the billing address, prefilled. `on_submit` gets an
/// `UpdateOrder` with only the fields that changed. Errors naming a field (ours or the proxy's
/// 422) appear next to it.
#[component]
pub fn DetailsDialog(
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
    let number = RwSignal::new(order.order_number.clone());
    let billing = RwSignal::new(AddressDraft::from_address(&order.billing_address));
    let local_error = RwSignal::new(None::<FormError>);
    let errors = provide_dialog_errors(local_error, error, |f| f);
    let title = format!("Details of order {}", order.order_number);
    let submit = Callback::new(move |()| {
        renew_intent_if_refused(intent, error);
        let checked = billing.with_untracked(|b| {
            details_update(intent.get_value(), &order, &number.get_untracked(), b)
        });
        submit_checked(checked, local_error, on_submit);
    });
    view! {
        <EditDialog
            title
            submit_label="Save details"
            on_submit=submit
            on_close
            busy
            message=Signal::derive(move || errors.form_level())
        >
            <TextField
                label="Order number"
                path="orderNumber"
                testid="details-order-number"
                value=number.into()
                on_input=Callback::new(move |v| number.set(v))
            />
            <AddressFields
                address=billing
                on_input=move |(field, value): (AddressField, String)| {
                    billing.update(|b| field.set(b, value))
                }
                testid_prefix="details-billing"
            />
        </EditDialog>
    }
}
