//! Order Management request checks (reference §4.4–§4.7).
//!
//! Klarna documents one answer to a field constraint: 422 `UNPROCESSABLE_ENTITY` "The size of
//! the shipping_info/shipping_company value must be between 0 and 100" — a length (or a
//! number of list entries) out of bounds: [`OmInvalid::Size`]. Everything else (a required
//! field missing, a number out of range, a word not in the list, line arithmetic) is
//! [`OmInvalid::BadValue`], the 400 `BAD_VALUE` `Bad value: <field>` Klarna Payments uses;
//! that OM answers those so is Kassa's choice (reference §6 marks it unconfirmed).
//!
//! Order of checks: the body's own fields in table order, then each entry of its lists
//! (`order_lines`, then `shipping_info`), then each line's arithmetic.

use std::fmt;

use super::rules::{self, check, each, nested, Api, Rule, Violation};
use super::{BadValue, AMOUNT_MAX, ORDER_LINES_MAX, SHIPPING_INFO_MAX};
use crate::klarna::arithmetic::checked_sum;
use crate::klarna::om::{
    CaptureObject, ErrorBody, ExtendDueDateRequest, OrderLine, RefundObject, ShippingInfo,
    UpdateAuthorization, UpdateConsumer, UpdateMerchantReferences, UpdateShippingInfo,
};

/// Why Order Management refuses a request body.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OmInvalid {
    /// 400 `BAD_VALUE` `Bad value: order_lines[0].total_amount`.
    #[error("{0}")]
    BadValue(BadValue),
    /// 422 `UNPROCESSABLE_ENTITY` "The size of the … value must be between … and …".
    #[error("{0}")]
    Size(SizeViolation),
}

/// A text length or a number of list entries out of bounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SizeViolation {
    /// The field, as in [`BadValue`]: `shipping_info[0].shipping_company`.
    pub field: String,
    pub min: usize,
    pub max: usize,
}

impl SizeViolation {
    /// The field as Klarna's size messages name it: names joined by `/`, indices dropped
    /// (`shipping_info/shipping_company`; Klarna's one example shows no index).
    pub fn path(&self) -> String {
        let mut out = String::with_capacity(self.field.len());
        let mut in_index = false;
        for ch in self.field.chars() {
            match ch {
                '[' => in_index = true,
                ']' => in_index = false,
                '.' => out.push('/'),
                _ if !in_index => out.push(ch),
                _ => {}
            }
        }
        out
    }
}

impl fmt::Display for SizeViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "The size of the {} value must be between {} and {}",
            self.path(),
            self.min,
            self.max
        )
    }
}

impl OmInvalid {
    /// The HTTP status: 400 or 422.
    pub fn status(&self) -> u16 {
        match self {
            Self::BadValue(_) => BadValue::STATUS,
            Self::Size(_) => 422,
        }
    }

    /// `BAD_VALUE` or `UNPROCESSABLE_ENTITY`.
    pub fn error_code(&self) -> &'static str {
        match self {
            Self::BadValue(_) => BadValue::ERROR_CODE,
            Self::Size(_) => "UNPROCESSABLE_ENTITY",
        }
    }

    /// The failing field, bracket-indexed and dotted.
    pub fn field(&self) -> &str {
        match self {
            Self::BadValue(b) => &b.field,
            Self::Size(s) => &s.field,
        }
    }

    /// The error body Klarna answers with.
    pub fn to_error_body(&self, correlation_id: impl Into<String>) -> ErrorBody {
        ErrorBody::new(self.error_code(), vec![self.to_string()], correlation_id)
    }
}

impl From<Violation> for OmInvalid {
    fn from(v: Violation) -> Self {
        match v.size {
            Some((min, max)) => Self::Size(SizeViolation {
                field: v.field,
                min,
                max,
            }),
            None => Self::BadValue(BadValue::new(v.field)),
        }
    }
}

impl From<BadValue> for OmInvalid {
    fn from(b: BadValue) -> Self {
        Self::BadValue(b)
    }
}

/// `POST /orders/{id}/captures`: `captured_amount` (required, 1..=100000000 — the spec's
/// request says 0.., but a capture Klarna reports has at least 1), `description`,
/// `reference` (≤ 255), `order_lines` (≤ 1000), `shipping_info` (≤ 500), `shipping_delay`
/// (≥ 0), then the lines, the shipping entries, the lines' arithmetic.
pub fn capture(body: &CaptureObject) -> Result<(), OmInvalid> {
    check(CAPTURE, body, "")?;
    lines(body.order_lines.as_deref())?;
    shipping(body.shipping_info.as_deref())?;
    arithmetic(body.order_lines.as_deref())
}

/// `POST /orders/{id}/refunds`: `refunded_amount` (required, 0..=100000000), `description`,
/// `reference` (≤ 255), `order_lines` (≤ 1000), then the lines and their arithmetic.
pub fn refund(body: &RefundObject) -> Result<(), OmInvalid> {
    check(REFUND, body, "")?;
    lines(body.order_lines.as_deref())?;
    arithmetic(body.order_lines.as_deref())
}

/// `PATCH /orders/{id}/authorization`: `order_amount` (required, 0..=100000000),
/// `description` (≤ 255), `order_lines` (≤ 1000), then the lines and their arithmetic.
pub fn update_authorization(body: &UpdateAuthorization) -> Result<(), OmInvalid> {
    check(UPDATE_AUTHORIZATION, body, "")?;
    lines(body.order_lines.as_deref())?;
    arithmetic(body.order_lines.as_deref())
}

/// `POST …/shipping-info` (order or capture): `shipping_info` (required, 1..=500 entries),
/// then each entry.
pub fn shipping_info(body: &UpdateShippingInfo) -> Result<(), OmInvalid> {
    check(UPDATE_SHIPPING_INFO, body, "")?;
    Ok(shipping(body.shipping_info.as_deref())?)
}

/// `PATCH /orders/{id}/merchant-references`: each reference ≤ 255.
pub fn merchant_references(body: &UpdateMerchantReferences) -> Result<(), OmInvalid> {
    Ok(check(MERCHANT_REFERENCES, body, "")?)
}

/// `PATCH /orders/{id}/customer-details`: `shipping_address.*`, then `billing_address.*`
/// (lengths of reference §4.5). Whether an address is acceptable at all (422
/// `INVALID_ADDRESS`), and that billing addresses cannot change, is the emulator's to decide.
pub fn update_consumer(body: &UpdateConsumer) -> Result<(), OmInvalid> {
    nested(
        rules::OM_ADDRESS,
        body.shipping_address.as_ref(),
        "",
        "shipping_address",
    )?;
    Ok(nested(
        rules::OM_ADDRESS,
        body.billing_address.as_ref(),
        "",
        "billing_address",
    )?)
}

/// `PATCH …/extend-due-date`: `number_of_days` required, 1..=2147483647 (int32; that it be
/// positive is Kassa's choice). Whether it is one of the offered options is the emulator's.
pub fn extend_due_date(body: &ExtendDueDateRequest) -> Result<(), OmInvalid> {
    Ok(check(EXTEND_DUE_DATE, body, "")?)
}

/// Whether the lines of a capture, refund or authorization update add up to its amount:
/// Σ `total_amount` = `amount`, else `Bad value: <amount_field>`. No lines (or an empty
/// list) always match.
///
/// Separate from the checks above because Klarna does not say that Order Management checks
/// this (reference §5.4; documented only for return-fee refunds): the emulator chooses.
pub fn lines_match_amount(
    amount_field: &str,
    amount: i64,
    lines: Option<&[OrderLine]>,
) -> Result<(), BadValue> {
    let lines = lines.unwrap_or_default();
    if lines.is_empty()
        || checked_sum(lines.iter().map(|l| l.total_amount.unwrap_or(0))) == Ok(amount)
    {
        Ok(())
    } else {
        Err(BadValue::new(amount_field))
    }
}

fn lines(lines: Option<&[OrderLine]>) -> Result<(), Violation> {
    each(lines, "order_lines", |line, p| {
        rules::line_fields(Api::OrderManagement, line, p)
    })
}

fn shipping(entries: Option<&[ShippingInfo]>) -> Result<(), Violation> {
    each(entries, "shipping_info", |entry, p| {
        check(rules::SHIPPING_INFO, entry, p)
    })
}

fn arithmetic(lines: Option<&[OrderLine]>) -> Result<(), OmInvalid> {
    Ok(each(lines, "order_lines", |line, p| {
        rules::line_arithmetic(line, p).map(|_| ())
    })?)
}

const CAPTURE: &[Rule<CaptureObject>] = &[
    Rule::Required("captured_amount", |c| c.captured_amount.is_some()),
    Rule::Range("captured_amount", |c| c.captured_amount, 1, AMOUNT_MAX),
    Rule::Len("description", |c| c.description.as_deref(), 0, 255),
    Rule::Len("reference", |c| c.reference.as_deref(), 0, 255),
    Rule::Count(
        "order_lines",
        |c| c.order_lines.as_ref().map(Vec::len),
        0,
        ORDER_LINES_MAX,
    ),
    Rule::Count(
        "shipping_info",
        |c| c.shipping_info.as_ref().map(Vec::len),
        0,
        SHIPPING_INFO_MAX,
    ),
    Rule::Range("shipping_delay", |c| c.shipping_delay, 0, i64::MAX),
];

const REFUND: &[Rule<RefundObject>] = &[
    Rule::Required("refunded_amount", |r| r.refunded_amount.is_some()),
    Rule::Range("refunded_amount", |r| r.refunded_amount, 0, AMOUNT_MAX),
    Rule::Len("description", |r| r.description.as_deref(), 0, 255),
    Rule::Len("reference", |r| r.reference.as_deref(), 0, 255),
    Rule::Count(
        "order_lines",
        |r| r.order_lines.as_ref().map(Vec::len),
        0,
        ORDER_LINES_MAX,
    ),
];

const UPDATE_AUTHORIZATION: &[Rule<UpdateAuthorization>] = &[
    Rule::Required("order_amount", |u| u.order_amount.is_some()),
    Rule::Range("order_amount", |u| u.order_amount, 0, AMOUNT_MAX),
    Rule::Len("description", |u| u.description.as_deref(), 0, 255),
    Rule::Count(
        "order_lines",
        |u| u.order_lines.as_ref().map(Vec::len),
        0,
        ORDER_LINES_MAX,
    ),
];

const UPDATE_SHIPPING_INFO: &[Rule<UpdateShippingInfo>] = &[
    Rule::Required("shipping_info", |u| u.shipping_info.is_some()),
    Rule::Count(
        "shipping_info",
        |u| u.shipping_info.as_ref().map(Vec::len),
        1,
        SHIPPING_INFO_MAX,
    ),
];

const MERCHANT_REFERENCES: &[Rule<UpdateMerchantReferences>] = &[
    Rule::Len(
        "merchant_reference1",
        |m| m.merchant_reference1.as_deref(),
        0,
        255,
    ),
    Rule::Len(
        "merchant_reference2",
        |m| m.merchant_reference2.as_deref(),
        0,
        255,
    ),
];

const EXTEND_DUE_DATE: &[Rule<ExtendDueDateRequest>] = &[
    Rule::Required("number_of_days", |e| e.number_of_days.is_some()),
    Rule::Range("number_of_days", |e| e.number_of_days, 1, i32::MAX as i64),
];
