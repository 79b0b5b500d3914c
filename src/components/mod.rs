//! Reusable pieces of the pages. Form parts read and write one `RwSignal<OrderDraft>`; display
//! parts take model values (`OrderView`, `LineView`) and never fetch.

mod address_fields;
mod field_error;
mod line_editor;
mod load_error;
mod order_form;
mod order_summary;
mod status_badge;
mod timeline;
mod totals;

pub use address_fields::AddressFields;
pub use field_error::{FieldErrorMsg, FormErrors, FormLevelError};
pub use line_editor::{LineRow, LinesEditor};
pub use load_error::{LoadError, Loading};
pub use order_form::OrderForm;
pub use order_summary::{LinesTable, OrderSummary};
pub use status_badge::StatusBadge;
pub use timeline::Timeline;
pub use totals::Totals;
