//! Refunds: never more than was captured, allocated to the captures (each capture is one
//! invoice), with an optional return fee.

use kassa_model::klarna::om::{OrderLine, RefundObject};
use kassa_model::klarna::validate;
use time::OffsetDateTime;

use crate::ids::new_uuid;
use crate::klarna::order::{Capture, Order, Refund};
use crate::klarna::KlarnaError;

/// Markets where Klarna takes a return fee (reference §3, refundOrder).
const RETURN_FEE_MARKETS: [&str; 15] = [
    "AT", "DE", "DK", "FI", "FR", "NL", "NO", "SE", "IT", "ES", "IE", "PT", "CZ", "AU", "GR",
];

/// `POST /orders/{id}/refunds`: the new refund's id.
pub fn refund(
    order: &mut Order,
    req: &RefundObject,
    now: OffsetDateTime,
) -> Result<String, KlarnaError> {
    validate::refund(req)?;
    let amount = req.refunded_amount.unwrap_or_default();
    let lines = req.order_lines.clone().unwrap_or_default();
    validate::lines_match_amount("refunded_amount", amount, Some(&lines))?;
    let refuse = |message: &str| Err(KlarnaError::forbidden("REFUND_NOT_ALLOWED", message));
    if order.captures.is_empty() {
        return refuse("Order has no captures. Refund not possible.");
    }
    if amount > order.captured_amount() - order.refunded_amount() {
        return refuse("Over refund is not allowed. Refund not possible.");
    }
    if lines.iter().any(is_return_fee) && !return_fee_allowed(order) {
        return refuse(
            "A return fee needs an order captured in full in one capture, in a market that \
             takes return fees. Refund not possible.",
        );
    }
    allocate(&mut order.captures, amount, &lines);
    let id = new_uuid();
    order.refunds.push(Refund {
        id: id.clone(),
        refunded_amount: amount,
        refunded_at: now,
        description: req.description.clone(),
        reference: req.reference.clone(),
        order_lines: lines,
    });
    Ok(id)
}

fn is_return_fee(line: &OrderLine) -> bool {
    line.kind.as_deref() == Some("return_fee")
}

/// Klarna: only when the order was captured in full in a single capture, in a market that
/// takes them. (That the lines add up to the refund exactly is checked for every refund.)
fn return_fee_allowed(order: &Order) -> bool {
    order.captures.len() == 1
        && order.captured_amount() == order.order_amount
        && RETURN_FEE_MARKETS.contains(&order.purchase_country.to_ascii_uppercase().as_str())
}

/// Allocates `amount` to captures: first to the capture holding a line with the same
/// `reference` as a refunded line (Klarna's rule), then to the oldest captures with room. A
/// capture's refunded amount never passes its captured amount; the caller checked that the
/// captures have room for all of it.
fn allocate(captures: &mut [Capture], amount: i64, lines: &[OrderLine]) {
    let mut left = amount;
    for line in lines {
        let (Some(reference), Some(total)) = (line.reference.as_deref(), line.total_amount) else {
            continue;
        };
        if reference.is_empty() || total <= 0 {
            continue;
        }
        let holder = captures.iter_mut().find(|c| {
            c.refunded_amount < c.captured_amount
                && c.order_lines
                    .iter()
                    .any(|l| l.reference.as_deref() == Some(reference))
        });
        if let Some(capture) = holder {
            let take = total
                .min(capture.captured_amount - capture.refunded_amount)
                .min(left);
            capture.refunded_amount += take;
            left -= take;
        }
    }
    for capture in captures.iter_mut() {
        if left <= 0 {
            break;
        }
        let take = (capture.captured_amount - capture.refunded_amount).min(left);
        capture.refunded_amount += take;
        left -= take;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capture(amount: i64, reference: &str) -> Capture {
        Capture {
            id: reference.to_owned(),
            klarna_reference: String::new(),
            captured_amount: amount,
            captured_at: time::OffsetDateTime::UNIX_EPOCH,
            description: None,
            reference: None,
            order_lines: vec![OrderLine {
                reference: Some(reference.to_owned()),
                total_amount: Some(amount),
                ..OrderLine::default()
            }],
            refunded_amount: 0,
            billing_address: None,
            shipping_address: None,
            shipping_info: Vec::new(),
            send_outs: 0,
            due_date_extended_by: None,
        }
    }

    #[test]
    fn refunds_go_to_the_capture_holding_the_line_then_the_oldest() {
        let mut captures = vec![capture(1000, "shoes"), capture(500, "hat")];
        let hat = OrderLine {
            reference: Some("hat".into()),
            total_amount: Some(500),
            ..OrderLine::default()
        };
        allocate(&mut captures, 500, std::slice::from_ref(&hat));
        assert_eq!(
            (captures[0].refunded_amount, captures[1].refunded_amount),
            (0, 500)
        );
        // No lines: the oldest capture with room first, then the next.
        allocate(&mut captures, 700, &[]);
        assert_eq!(
            (captures[0].refunded_amount, captures[1].refunded_amount),
            (700, 500)
        );
        allocate(&mut captures, 300, &[hat]);
        assert_eq!(
            captures[0].refunded_amount, 1000,
            "the hat's capture was full"
        );
    }
}
