//! What happened to an order after it was placed: the expiry that matters, shipments (Klarna:
//! captures, with all their shipping info, references and amounts) with each one's actions
//! from the proxy ("Edit tracking", "Add shipping info", "Resend invoice", "Extend due date"),
//! refunds and payments (with "Copy payment link"). The order-level actions are in
//! [`super::OrderActions`]; the checks and requests are built in [`crate::actions`]; this is
//! their view.

use kassa_model::api::{
    ActionAvailability, ActionKind, OrderAction, OrderView, PaymentView, Provider, RefundView,
    ShipmentView, TrackingInfo,
};
use kassa_model::FieldError;
use leptos::prelude::*;

use super::action_buttons::ActionButtons;
use super::action_runner::{ActionRunner, Panel};
use super::due_date_dialog::DueDateLoader;
use super::plain_action_dialog::PlainActionDialog;
use super::tracking_fields::{TrackingFields, TrackingSignals};
use super::{
    AddressFields, AmountRefundDialog, CopyLink, DialogButtons, FormErrors, Modal, TextField,
};
use crate::actions::{
    details_update, is_payable, keeps_intent, klarna_details_update, new_intent_id,
    success_message, update_tracking, DialogError, TrackingInput,
};
use crate::api::ClientError;
use crate::draft::{AddressDraft, AddressField, FormError};
use crate::format::{expiry_line, method_name, short_timestamp};
use crate::session::Session;
use crate::staff_locale::staff_money;
use crate::terms::{terms, SHIPPING_METHODS};

/// Which shipment dialog is open, and for which shipment.
#[derive(Clone, Debug, PartialEq)]
struct Open {
    kind: ActionKind,
    // Boxed: a shipment is large.
    shipment: Box<ShipmentView>,
}

/// The sections below the order summary, for `order`, which is replaced by the proxy's answer
/// after each change. Operators also get each shipment's buttons; viewers only read.
#[component]
pub fn OrderUpdates(order: RwSignal<OrderView>) -> impl IntoView {
    let operator = Session::expect_context().can_change_now();
    let open = RwSignal::new(None::<Open>);
    // "Refund an amount", opened from the Refunds card.
    let refunding = RwSignal::new(false);
    let runner = ActionRunner::new(order, Panel::Updates, toast_message, move || {
        let _ = open.try_set(None);
        let _ = refunding.try_set(false);
    });
    let (toast, busy, error) = (runner.toast(), runner.busy(), runner.error());
    let close = Callback::new(move |()| open.set(None));
    let refund_amount = Memo::new(move |_| {
        operator
            .then(|| {
                order.with(|o| {
                    o.actions
                        .iter()
                        .find(|a| a.kind == ActionKind::RefundAmount)
                        .cloned()
                })
            })
            .flatten()
    });
    let open_refund = Callback::new(move |_: ActionKind| {
        runner.clear();
        refunding.set(true);
    });
    // The modal gives the focus back to the button that opened it.
    let close_refund = Callback::new(move |()| refunding.set(false));
    let send = Callback::new(move |a: OrderAction| runner.send(a));
    let on_action = Callback::new(move |(kind, shipment): (ActionKind, ShipmentView)| {
        // A new dialog starts clean: no error from the last one, no toast.
        runner.clear();
        open.set(Some(Open {
            kind,
            shipment: Box::new(shipment),
        }));
    });
    let provider = Memo::new(move |_| order.with(|o| o.provider));

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
            </div>
            {move || {
                toast
                    .get()
                    .map(|message| {
                        view! {
                            <p class="toast" role="status" data-testid="toast">
                                {message}
                            </p>
                        }
                    })
            }}
        </section>
        {move || {
            view! {
                <Shipments
                    shipments=order.with(|o| o.shipments.clone())
                    provider=provider.get()
                    on_action=operator.then_some(on_action)
                />
            }
        }}
        {move || {
            view! {
                <Refunds
                    refunds=order.with(|o| o.refunds.clone())
                    refund_amount=refund_amount.get()
                    on_refund_amount=open_refund
                    busy
                />
            }
        }}
        {move || {
            refunding
                .get()
                .then(|| {
                    view! {
                        <AmountRefundDialog
                            order=order.get_untracked()
                            on_submit=send
                            on_close=close_refund
                            busy
                            error
                        />
                    }
                })
        }}
        {move || {
            // Klarna has no payment attempts to list: the authorization is the payment.
            (provider.get() == Provider::Mollie)
                .then(|| {
                    view! {
                        <section class="block" aria-labelledby="payments-heading" data-testid="payments">
                            <h2 id="payments-heading">"Payments"</h2>
                            <PaymentList payments=order.with(|o| o.payments.clone())/>
                        </section>
                    }
                })
        }}
        // Every dialog sends through the runner and shows its answer's error; one at a time.
        {move || {
            open.get()
                .map(|Open { kind, shipment }| {
                    let o = order.get_untracked();
                    match kind {
                        ActionKind::ExtendDueDate => view! {
                            <DueDateLoader order_id=o.id.clone() shipment=*shipment on_submit=send on_close=close busy error/>
                        }
                        .into_any(),
                        ActionKind::TriggerSendOut => view! {
                            <PlainActionDialog kind order=o shipment=*shipment on_submit=send on_close=close busy error/>
                        }
                        .into_any(),
                        _ => view! {
                            <TrackingDialog shipment=*shipment provider=o.provider on_submit=send on_close=close busy error/>
                        }
                        .into_any(),
                    }
                })
        }}
    }
}

/// The toast after one of this module's changes (shipments' actions, "Refund an amount").
fn toast_message(action: &OrderAction, provider: Provider, replayed: bool) -> String {
    success_message(provider, action.kind(), 0, replayed)
}

/// One tracking as a line of text: "PostNL 3SKABA…", with Klarna's method and return
/// shipment when given.
fn tracking_text(t: &TrackingInfo) -> String {
    let mut text = format!("{} {}", t.carrier, t.code);
    let method = t.method.as_deref().map(|m| {
        SHIPPING_METHODS
            .iter()
            .find(|(value, _)| *value == m)
            .map_or(m, |(_, label)| *label)
    });
    let back = match (&t.return_carrier, &t.return_code) {
        (Some(carrier), Some(code)) => Some(format!("return: {carrier} {code}")),
        _ => None,
    };
    let extra: Vec<String> = method.map(str::to_owned).into_iter().chain(back).collect();
    if !extra.is_empty() {
        text.push_str(&format!(" ({})", extra.join("; ")));
    }
    text
}

/// The shipments (Klarna: captures): when, what ("2 × LEGO 42083 Bugatti Chiron"), for Klarna
/// the amount and reference, and every tracking, linked when the carrier gave a URL. With
/// `on_action` each shipment gets the buttons of its actions, as the proxy lists them.
#[component]
pub fn Shipments(
    shipments: Vec<ShipmentView>,
    #[prop(default = Provider::Mollie)] provider: Provider,
    /// Called with an action and its shipment; `None` hides the buttons (viewers).
    #[prop(default = None)]
    on_action: Option<Callback<(ActionKind, ShipmentView)>>,
) -> impl IntoView {
    let empty = shipments.is_empty();
    let words = terms(provider);
    view! {
        <section class="block" aria-labelledby="shipments-heading" data-testid="shipments">
            <h2 id="shipments-heading">{words.shipments}</h2>
            {empty.then(|| view! { <p class="muted">{words.nothing_shipped}</p> })}
            <ul class="record-list">
                {shipments
                    .into_iter()
                    .map(|shipment| {
                        // Klarna keeps every shipping info of a capture; Mollie one tracking.
                        let infos: Vec<TrackingInfo> = if shipment.shipping_info.is_empty() {
                            shipment.tracking.clone().into_iter().collect()
                        } else {
                            shipment.shipping_info.clone()
                        };
                        let none = infos.is_empty();
                        let tracking = infos
                            .into_iter()
                            .map(|t| {
                                let label = tracking_text(&t);
                                let shown = match t.url {
                                    Some(url) => {
                                        view! {
                                            <a href=url rel="noopener noreferrer" target="_blank">
                                                {label}
                                            </a>
                                        }
                                            .into_any()
                                    }
                                    None => label.into_any(),
                                };
                                view! { <span class="shipping-info" data-testid="shipping-info">{shown}</span> }
                            })
                            .collect_view();
                        let buttons = on_action
                            .map(|on_action| {
                                let target = shipment.clone();
                                view! {
                                    <div class="action-buttons record-actions">
                                        <ActionButtons
                                            actions=shipment.actions.clone()
                                            on_open=Callback::new(move |kind| {
                                                on_action.run((kind, target.clone()))
                                            })
                                            id_suffix=format!("-{}", shipment.id)
                                            small=true
                                        />
                                    </div>
                                }
                            });
                        let amount = shipment
                            .amount
                            .map(|m| {
                                view! {
                                    <span class="amount" data-testid="shipment-amount">
                                        {staff_money(m)}
                                    </span>
                                }
                            });
                        let reference = shipment
                            .reference
                            .clone()
                            .map(|r| view! { <code data-testid="shipment-reference">{r}</code> });
                        view! {
                            <li class="record" data-testid="shipment">
                                <Stamp at=shipment.created_at.clone()/>
                                {amount}
                                {reference}
                                <ul class="parts">
                                    {shipment
                                        .lines
                                        .iter()
                                        .map(|p| view! { <li>{format!("{} × {}", p.quantity, p.name)}</li> })
                                        .collect_view()}
                                </ul>
                                <p class="tracking" data-testid="shipment-tracking">
                                    {tracking}
                                    {none.then_some("No tracking")}
                                </p>
                                {buttons}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// The refunds: when, how much (in the staff member's locale, like every staff amount), the
/// description and the provider's status; for operators the "Refund an amount"
/// button (money back that is no line belongs with the refunds, not among the order's
/// actions), disabled with the reason when nothing can be refunded.
#[component]
pub fn Refunds(
    refunds: Vec<RefundView>,
    /// "Refund an amount" as the proxy lists it; `None` for viewers.
    #[prop(default = None)]
    refund_amount: Option<ActionAvailability>,
    #[prop(optional, into)] on_refund_amount: Option<Callback<ActionKind>>,
    #[prop(optional, into)] busy: Signal<bool>,
) -> impl IntoView {
    let empty = refunds.is_empty();
    let button = refund_amount
        .zip(on_refund_amount)
        .map(|(action, on_open)| {
            view! {
                <div class="card-actions">
                    <ActionButtons actions=vec![action] on_open busy/>
                </div>
            }
        });
    view! {
        <section class="block" aria-labelledby="refunds-heading" data-testid="refunds">
            <div class="card-heading">
                <h2 id="refunds-heading">"Refunds"</h2>
                {button}
            </div>
            {empty.then(|| view! { <p class="muted">"Nothing refunded."</p> })}
            <ul class="record-list">
                {refunds
                    .into_iter()
                    .map(|refund| {
                        view! {
                            <li class="record" data-testid="refund">
                                <Stamp at=refund.created_at/>
                                <span class="amount" data-testid="refund-amount">
                                    {staff_money(refund.amount)}
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
pub fn PaymentList(payments: Vec<PaymentView>) -> impl IntoView {
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
                            <span class="amount">{staff_money(payment.amount)}</span>
                            <Stamp at=payment.created_at/>
                            {link
                                .map(|url| {
                                    view! {
                                        <CopyLink
                                            url
                                            label="Payment link"
                                            testid="payment-link"
                                            copy_testid="copy-payment-link"
                                            status_testid="copy-status"
                                            copy_text="Copy payment link"
                                        />
                                    }
                                })}
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
    /// The submit button's words when they follow the form ("Refund €4.95"), instead of
    /// `submit_label`.
    #[prop(optional, into)]
    submit_text: Option<Signal<String>>,
    /// The submit button is off (besides while busy): nothing to send yet, or a confirmation
    /// step of the dialog's own is showing.
    #[prop(optional, into)]
    submit_off: Signal<bool>,
    children: Children,
) -> impl IntoView {
    let title_id = format!(
        "dialog-title-{}",
        submit_label
            .to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
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
                    submit_disabled=Signal::derive(move || busy.get() || submit_off.get())
                    submit_label=Signal::derive(move || {
                        if busy.get() {
                            "Working…".to_owned()
                        } else if confirming.get() {
                            confirm_label.to_owned()
                        } else if let Some(text) = submit_text {
                            text.get()
                        } else {
                            submit_label.to_owned()
                        }
                    })
                    on_close
                />
            </form>
        </Modal>
    }
}

/// "Edit tracking" for one shipment (Mollie: carrier, code and URL, prefilled with what it
/// has), or Klarna's "Add shipping info" to a capture (a new shipping info beside those it
/// has: also the shipping method and the return shipment). Sends nothing itself: `on_submit`
/// gets the checked `UpdateTracking`. The intent id is made when the dialog opens and kept for
/// retries after an unknown outcome, as in [`super::ActionDialog`].
#[component]
pub fn TrackingDialog(
    shipment: ShipmentView,
    #[prop(default = Provider::Mollie)] provider: Provider,
    /// Called with the action to send; never with something the checks refused.
    #[prop(into)]
    on_submit: Callback<OrderAction>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into, optional)] busy: Signal<bool>,
    /// The caller's error for the last send.
    #[prop(into, optional)]
    error: Signal<Option<ClientError>>,
) -> impl IntoView {
    let klarna = provider == Provider::Klarna;
    let intent = StoredValue::new(new_intent_id());
    // Klarna adds a shipping info; Mollie replaces the one tracking, so start from it.
    let start = if klarna {
        TrackingInput::default()
    } else {
        TrackingInput::from_tracking(shipment.tracking.as_ref())
    };
    let input = TrackingSignals::new(start);
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
        match update_tracking(intent.get_value(), &shipment_id, &input.typed()) {
            Ok(action) => {
                local_error.set(None);
                on_submit.run(action);
            }
            Err(e) => local_error.set(Some(e)),
        }
    });
    let when = short_timestamp(&shipment.created_at);
    let (title, submit_label, legend) = if klarna {
        (
            format!("Add shipping info to the capture of {when}"),
            "Add shipping info",
            "Shipping info",
        )
    } else {
        (
            format!("Tracking of the shipment of {when}"),
            "Save tracking",
            "Tracking",
        )
    };
    view! {
        <EditDialog title submit_label on_submit=submit on_close busy message>
            <div data-shipment=shipment.id.clone()>
                <TrackingFields input klarna legend disabled=busy/>
            </div>
        </EditDialog>
    }
}

/// "Edit details". Mollie: the order number and the billing address. Klarna, which keeps the
/// billing address as the customer gave it: the merchant references and the shipping address.
/// Prefilled; `on_submit` gets an `UpdateOrder` with only the fields that changed. Errors
/// naming a field (ours or the proxy's 422) appear next to it.
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
    let klarna = order.provider == Provider::Klarna;
    let intent = StoredValue::new(new_intent_id());
    let number = RwSignal::new(order.order_number.clone());
    let reference2 = RwSignal::new(order.merchant_reference2.clone().unwrap_or_default());
    let shown_address = if klarna {
        order
            .shipping_address
            .as_ref()
            .unwrap_or(&order.billing_address)
    } else {
        &order.billing_address
    };
    let address = RwSignal::new(AddressDraft::from_address(shown_address));
    let local_error = RwSignal::new(None::<FormError>);
    let errors = provide_dialog_errors(local_error, error, |f| f);
    let title = format!("Details of order {}", order.order_number);
    let submit = Callback::new(move |()| {
        renew_intent_if_refused(intent, error);
        let checked = address.with_untracked(|a| {
            if klarna {
                klarna_details_update(
                    intent.get_value(),
                    &order,
                    &number.get_untracked(),
                    &reference2.get_untracked(),
                    a,
                )
            } else {
                details_update(intent.get_value(), &order, &number.get_untracked(), a)
            }
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
                label=if klarna { "Order number (merchant reference 1)" } else { "Order number" }
                path="orderNumber"
                testid="details-order-number"
                value=number.into()
                on_input=Callback::new(move |v| number.set(v))
            />
            {klarna
                .then(|| {
                    view! {
                        <TextField
                            label="Merchant reference 2 (optional)"
                            path="merchantReference2"
                            testid="details-reference2"
                            value=reference2.into()
                            on_input=Callback::new(move |v| reference2.set(v))
                        />
                    }
                })}
            <AddressFields
                address
                on_input=move |(field, value): (AddressField, String)| {
                    address.update(|a| field.set(a, value))
                }
                testid_prefix=if klarna { "details-shipping" } else { "details-billing" }
                shipping=klarna
            />
        </EditDialog>
    }
}
