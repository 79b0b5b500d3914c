//! Reusable pieces of the pages. Form parts read and write one `RwSignal<OrderDraft>`; display
//! parts take model values (`OrderView`, `LineView`) and never fetch.

mod action_runner;
mod address_fields;
mod amount_refund_dialog;
mod app_header;
mod dialog_buttons;
mod field_error;
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
mod shop_form;
mod status_badge;
mod text_field;
mod timeline;
mod totals;

pub use address_fields::AddressFields;
pub use amount_refund_dialog::AmountRefundDialog;
pub use app_header::AppHeader;
pub use dialog_buttons::DialogButtons;
pub use field_error::{FieldErrorMsg, FormErrors, FormLevelError};
pub use line_dialog::LineDialog;
pub use line_editor::{LineFieldInput, LineRow, LinesEditor};
pub use load_error::{LoadError, Loading};
pub use locale_select::LocaleSelect;
pub use login_form::{login_error_message, LoginForm};
use modal::Modal;
pub use order_actions::{ActionDialog, OrderActions};
pub use order_form::OrderForm;
pub use order_summary::{LinesTable, OrderSummary};
pub use order_updates::{
    DetailsDialog, OrderUpdates, PaymentList, Refunds, Shipments, TrackingDialog,
};
pub use orders_table::{FilterBar, OrdersTable};
pub use shop_form::ShopForm;
pub use status_badge::StatusBadge;
pub use text_field::TextField;
pub use timeline::Timeline;
pub use totals::Totals;
