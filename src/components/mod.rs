//! Reusable pieces of the pages. Form parts read and write one `RwSignal<OrderDraft>`; display
//! parts take model values (`OrderView`, `LineView`) and never fetch.

mod action_buttons;
mod action_dialog;
mod action_runner;
mod address_fields;
mod amount_refund_dialog;
mod app_header;
mod copy_link;
mod dialog_buttons;
mod due_date_dialog;
mod expiry_radar;
mod field_error;
mod import_order_form;
mod line_dialog;
mod line_editor;
mod load_error;
mod locale_select;
mod login_form;
mod modal;
mod order_actions;
mod order_form;
mod order_summary;
mod order_updates;
mod orders_table;
mod plain_action_dialog;
mod provider_badge;
mod shop_form;
mod status_badge;
mod text_field;
mod timeline;
mod totals;
mod tracking_fields;

pub use action_buttons::ActionButtons;
pub use action_dialog::ActionDialog;
pub use address_fields::AddressFields;
pub use amount_refund_dialog::AmountRefundDialog;
pub use app_header::AppHeader;
pub use copy_link::CopyLink;
pub use dialog_buttons::DialogButtons;
pub use due_date_dialog::{DueDateDialog, DueDateOptions};
pub use expiry_radar::ExpiryRadar;
pub use field_error::{FieldErrorMsg, FormErrors, FormLevelError};
pub use import_order_form::ImportOrderForm;
pub use line_dialog::LineDialog;
pub use line_editor::{LineFieldInput, LineRow, LinesEditor};
pub use load_error::{LoadError, Loading};
pub use locale_select::LocaleSelect;
pub use login_form::{login_error_message, LoginForm};
use modal::Modal;
pub use order_actions::OrderActions;
pub use order_form::OrderForm;
pub use order_summary::{LinesTable, OrderSummary};
pub use order_updates::{
    DetailsDialog, OrderUpdates, PaymentList, Refunds, Shipments, TrackingDialog,
};
pub use orders_table::{FilterBar, OrdersTable};
pub use plain_action_dialog::PlainActionDialog;
pub use provider_badge::ProviderBadge;
pub use shop_form::ShopForm;
pub use status_badge::StatusBadge;
pub use text_field::TextField;
pub use timeline::Timeline;
pub use totals::Totals;
