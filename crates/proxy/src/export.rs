//! The orders list as CSV (`GET /api/orders/export`): every order the list's filters match, for
//! a spreadsheet or the bookkeeping. Written with the `csv` crate (quoting, line breaks inside
//! names); cells a spreadsheet would run as a formula are defused.

use crate::store::Db;
use kassa_model::api::{OrderFilter, OrderSummary};
use kassa_model::FieldError;

use crate::error::AppError;

/// At most this many orders in one export: more is a spreadsheet nobody reads, and a request
/// that holds the database for long. Staff narrow the dates instead.
pub const MAX_ROWS: usize = 10_000;

const HEADER: [&str; 14] = [
    "order_number",
    "id",
    "provider",
    "status",
    "payment",
    "fulfilment",
    "created_at",
    "customer_name",
    "customer_email",
    "currency",
    "amount",
    "amount_minor",
    "locale",
    "expires_at",
];

/// The orders `filter` matches (its cursor and page size ignored), newest first unless it
/// says otherwise, walked page by page on the list's own keyset.
pub async fn orders(db: &Db, filter: &OrderFilter) -> Result<Vec<OrderSummary>, AppError> {
    let mut filter = OrderFilter {
        cursor: None,
        limit: Some(crate::search::MAX_LIMIT),
        ..filter.clone()
    };
    let mut out = Vec::new();
    loop {
        let page = crate::search::list(db, &filter).await?;
        out.extend(page.orders);
        if out.len() > MAX_ROWS {
            return Err(FieldError::new(
                "from",
                format!(
                    "More than {MAX_ROWS} orders match; narrow the dates or filters to export them."
                ),
            )
            .into());
        }
        match page.next_cursor {
            Some(cursor) => filter.cursor = Some(cursor),
            None => return Ok(out),
        }
    }
}

/// `orders` as CSV: a header row, then one row per order; amounts as a decimal in the order's
/// currency (`178.75`) and in minor units.
pub fn csv(orders: &[OrderSummary]) -> Result<Vec<u8>, AppError> {
    let broken = |e: csv::Error| AppError::Internal(format!("csv: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).map_err(broken)?;
    for o in orders {
        let status = o.status.to_string();
        let minor = o.amount.minor.to_string();
        let major = o.amount.to_major_string();
        let row = [
            o.order_number.as_str(),
            &o.id,
            o.provider.label(),
            &status,
            o.payment_state.map_or("", |p| p.label()),
            o.fulfilment_state.map_or("", |f| f.label()),
            &o.created_at,
            &o.customer_name,
            &o.customer_email,
            o.amount.currency.code(),
            &major,
            &minor,
            &o.locale,
            o.expires_at.as_deref().unwrap_or_default(),
        ];
        w.write_record(row.map(|cell| defused(cell).into_owned()))
            .map_err(broken)?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(format!("csv: {e}")))
}

/// A cell that starts like a formula (`=`, `+`, `-`, `@`, tab, carriage return) gets a leading
/// `'`, so a customer named `=HYPERLINK(…)` stays text in a spreadsheet (OWASP's CSV
/// injection advice). Numbers Kassa writes are never negative here, except amounts, which are
/// written by Kassa and keep their sign.
fn defused(cell: &str) -> std::borrow::Cow<'_, str> {
    let amount = cell.starts_with('-')
        && cell[1..].bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && cell.len() > 1;
    if !amount && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_stay_text_and_amounts_keep_their_sign() {
        assert_eq!(defused("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defused("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defused("-12.50"), "-12.50");
        assert_eq!(defused("-cmd"), "'-cmd");
        assert_eq!(defused("Piet"), "Piet");
    }
}
