//! The checks as data: one table of rules per wire object, run in table order, first failure
//! wins. Klarna Payments and Order Management differ in a few limits, so the objects they
//! both use have a table per API.

use super::{
    AMOUNT_MAX, KP_LINE_TYPES, OM_LINE_TYPES, QUANTITY_MAX, SHIPPING_METHODS, TAX_RATE_MAX,
};
use crate::klarna::arithmetic::{line_total, tax_within_tolerance};
use crate::klarna::om::{Address, OrderLine, ProductIdentifiers, ShippingInfo, Subscription};
use crate::klarna::payments::{Attachment, Customer, MerchantUrls, Options};
use crate::VatRate;

/// A failed rule: the field's path (`order_lines[2].total_tax_amount`) and, when a length or
/// a number of entries was out of bounds, those bounds (OM answers those with a 422).
#[derive(Debug)]
pub(crate) struct Violation {
    pub(crate) field: String,
    pub(crate) size: Option<(usize, usize)>,
}

/// One rule on a `T`. The `&'static str` is the field's name, the last part of its path.
pub(crate) enum Rule<T> {
    /// The field is present.
    Required(&'static str, fn(&T) -> bool),
    /// Text, when present, is `min..=max` long.
    Len(&'static str, fn(&T) -> Option<&str>, usize, usize),
    /// A number, when present, is in `min..=max`.
    Range(&'static str, fn(&T) -> Option<i64>, i64, i64),
    /// Text, when present, is one of these words, exactly.
    OneOf(
        &'static str,
        fn(&T) -> Option<&str>,
        &'static [&'static str],
    ),
    /// Text, when present, passes this test (the spec's patterns).
    Matches(&'static str, fn(&T) -> Option<&str>, fn(&str) -> bool),
    /// A list, when present, has `min..=max` entries.
    Count(&'static str, fn(&T) -> Option<usize>, usize, usize),
}

/// Runs `rules` on `value` whose path is `prefix` (empty at the top level).
pub(crate) fn check<T>(rules: &[Rule<T>], value: &T, prefix: &str) -> Result<(), Violation> {
    for rule in rules {
        let (name, ok, size) = match rule {
            Rule::Required(name, present) => (name, present(value), None),
            Rule::Len(name, get, min, max) => (
                name,
                get(value).is_none_or(|s| (*min..=*max).contains(&text_len(s))),
                Some((*min, *max)),
            ),
            Rule::Range(name, get, min, max) => (
                name,
                get(value).is_none_or(|n| (*min..=*max).contains(&n)),
                None,
            ),
            Rule::OneOf(name, get, words) => {
                (name, get(value).is_none_or(|s| words.contains(&s)), None)
            }
            Rule::Matches(name, get, test) => (name, get(value).is_none_or(test), None),
            Rule::Count(name, get, min, max) => (
                name,
                get(value).is_none_or(|n| (*min..=*max).contains(&n)),
                Some((*min, *max)),
            ),
        };
        if !ok {
            return Err(Violation {
                field: path(prefix, name),
                size,
            });
        }
    }
    Ok(())
}

/// Checks each present entry of a list with `each`, its path `prefix[i]`.
pub(crate) fn each<T>(
    items: Option<&[T]>,
    prefix: &str,
    mut each: impl FnMut(&T, &str) -> Result<(), Violation>,
) -> Result<(), Violation> {
    for (i, item) in items.unwrap_or_default().iter().enumerate() {
        each(item, &format!("{prefix}[{i}]"))?;
    }
    Ok(())
}

/// Checks a present nested object with `rules`.
pub(crate) fn nested<T>(
    rules: &[Rule<T>],
    value: Option<&T>,
    prefix: &str,
    name: &str,
) -> Result<(), Violation> {
    value.map_or(Ok(()), |v| check(rules, v, &path(prefix, name)))
}

/// `prefix.name`, or `name` at the top level.
pub(crate) fn path(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

pub(crate) fn bad(field: String) -> Violation {
    Violation { field, size: None }
}

/// Length as Klarna's (JVM) services count it: UTF-16 code units, so an emoji counts 2.
fn text_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Which API's limits apply to an object both APIs use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Api {
    Payments,
    OrderManagement,
}

/// The schema checks of one order line and its nested objects (not its arithmetic).
pub(crate) fn line_fields(api: Api, line: &OrderLine, prefix: &str) -> Result<(), Violation> {
    let (line_rules, subscription_rules) = match api {
        Api::Payments => (KP_LINE, KP_SUBSCRIPTION),
        Api::OrderManagement => (OM_LINE, OM_SUBSCRIPTION),
    };
    check(line_rules, line, prefix)?;
    nested(
        PRODUCT_IDENTIFIERS,
        line.product_identifiers.as_ref(),
        prefix,
        "product_identifiers",
    )?;
    nested(
        subscription_rules,
        line.subscription.as_ref(),
        prefix,
        "subscription",
    )
}

/// A line's arithmetic, after [`line_fields`] passed: `total_amount` is
/// `quantity × unit_price − total_discount_amount`, `total_tax_amount` within ±1 of the tax
/// in it. Absent `total_discount_amount`, `tax_rate` and `total_tax_amount` count 0. The
/// line's rate.
pub(crate) fn line_arithmetic(line: &OrderLine, prefix: &str) -> Result<VatRate, Violation> {
    let total = line.total_amount.unwrap_or(0);
    let expected = line_total(
        line.quantity.unwrap_or(0),
        line.unit_price.unwrap_or(0),
        line.total_discount_amount.unwrap_or(0),
    );
    if expected != Ok(total) {
        return Err(bad(path(prefix, "total_amount")));
    }
    let rate = u32::try_from(line.tax_rate.unwrap_or(0))
        .ok()
        .and_then(|bp| VatRate::from_basis_points(bp).ok())
        .ok_or_else(|| bad(path(prefix, "tax_rate")))?;
    if !tax_within_tolerance(total, rate, line.total_tax_amount.unwrap_or(0)) {
        return Err(bad(path(prefix, "total_tax_amount")));
    }
    Ok(rate)
}

/// KP `order_line`: `name` 1..255, `quantity_unit` 1..8, `tax_rate` ≤ 10000, `type` one of
/// KP's eight. Bounds the spec leaves open are Kassa's: `quantity` ≤ 100000 (Klarna's 2020
/// spec), amounts ≥ −100000000 (the mirror of the maximum).
const KP_LINE: &[Rule<OrderLine>] = &[
    Rule::Required("name", |l| l.name.is_some()),
    Rule::Len("name", |l| l.name.as_deref(), 1, 255),
    Rule::Required("quantity", |l| l.quantity.is_some()),
    Rule::Range("quantity", |l| l.quantity, 0, QUANTITY_MAX),
    Rule::Len("quantity_unit", |l| l.quantity_unit.as_deref(), 1, 8),
    Rule::Len("reference", |l| l.reference.as_deref(), 0, 255),
    Rule::OneOf("type", |l| l.kind.as_deref(), KP_LINE_TYPES),
    Rule::Required("unit_price", |l| l.unit_price.is_some()),
    Rule::Range("unit_price", |l| l.unit_price, -AMOUNT_MAX, AMOUNT_MAX),
    Rule::Range(
        "total_discount_amount",
        |l| l.total_discount_amount,
        0,
        AMOUNT_MAX,
    ),
    Rule::Range("tax_rate", |l| l.tax_rate, 0, TAX_RATE_MAX),
    Rule::Required("total_amount", |l| l.total_amount.is_some()),
    Rule::Range("total_amount", |l| l.total_amount, -AMOUNT_MAX, AMOUNT_MAX),
    Rule::Range(
        "total_tax_amount",
        |l| l.total_tax_amount,
        -AMOUNT_MAX,
        AMOUNT_MAX,
    ),
    Rule::Len("merchant_data", |l| l.merchant_data.as_deref(), 0, 1024),
    Rule::Len("product_url", |l| l.product_url.as_deref(), 0, 1024),
    Rule::Len("image_url", |l| l.image_url.as_deref(), 0, 1024),
];

/// OM `order_line`: `name` ≤ 255, `quantity_unit` ≤ 10, `type` one of OM's nine (with
/// `return_fee`); `tax_rate` ≤ 10000 is Kassa's bound (OM says only ≥ 0; 100 % is
/// [`VatRate`]'s maximum), the rest as [`KP_LINE`].
const OM_LINE: &[Rule<OrderLine>] = &[
    Rule::Required("name", |l| l.name.is_some()),
    Rule::Len("name", |l| l.name.as_deref(), 0, 255),
    Rule::Required("quantity", |l| l.quantity.is_some()),
    Rule::Range("quantity", |l| l.quantity, 0, QUANTITY_MAX),
    Rule::Len("quantity_unit", |l| l.quantity_unit.as_deref(), 0, 10),
    Rule::Len("reference", |l| l.reference.as_deref(), 0, 255),
    Rule::OneOf("type", |l| l.kind.as_deref(), OM_LINE_TYPES),
    Rule::Required("unit_price", |l| l.unit_price.is_some()),
    Rule::Range("unit_price", |l| l.unit_price, -AMOUNT_MAX, AMOUNT_MAX),
    Rule::Range(
        "total_discount_amount",
        |l| l.total_discount_amount,
        0,
        AMOUNT_MAX,
    ),
    Rule::Range("tax_rate", |l| l.tax_rate, 0, TAX_RATE_MAX),
    Rule::Required("total_amount", |l| l.total_amount.is_some()),
    Rule::Range("total_amount", |l| l.total_amount, -AMOUNT_MAX, AMOUNT_MAX),
    Rule::Range(
        "total_tax_amount",
        |l| l.total_tax_amount,
        -AMOUNT_MAX,
        AMOUNT_MAX,
    ),
    Rule::Len("merchant_data", |l| l.merchant_data.as_deref(), 0, 1024),
    Rule::Len("product_url", |l| l.product_url.as_deref(), 0, 1024),
    Rule::Len("image_url", |l| l.image_url.as_deref(), 0, 1024),
];

const PRODUCT_IDENTIFIERS: &[Rule<ProductIdentifiers>] = &[
    Rule::Len("brand", |p| p.brand.as_deref(), 0, 70),
    Rule::Len("category_path", |p| p.category_path.as_deref(), 0, 750),
    Rule::Len(
        "global_trade_item_number",
        |p| p.global_trade_item_number.as_deref(),
        0,
        50,
    ),
    Rule::Len(
        "manufacturer_part_number",
        |p| p.manufacturer_part_number.as_deref(),
        0,
        70,
    ),
    Rule::Len("color", |p| p.color.as_deref(), 0, 64),
    Rule::Len("size", |p| p.size.as_deref(), 0, 64),
];

const INTERVALS: &[&str] = &["DAY", "WEEK", "MONTH", "YEAR"];

const KP_SUBSCRIPTION: &[Rule<Subscription>] = &[
    Rule::Required("name", |s| s.name.is_some()),
    Rule::Len("name", |s| s.name.as_deref(), 1, 255),
    Rule::Required("interval", |s| s.interval.is_some()),
    Rule::OneOf("interval", |s| s.interval.as_deref(), INTERVALS),
    Rule::Required("interval_count", |s| s.interval_count.is_some()),
    Rule::Range("interval_count", |s| s.interval_count, 1, i32::MAX as i64),
];

const OM_SUBSCRIPTION: &[Rule<Subscription>] = &[
    Rule::Required("name", |s| s.name.is_some()),
    Rule::Len("name", |s| s.name.as_deref(), 0, 255),
    Rule::Required("interval", |s| s.interval.is_some()),
    Rule::OneOf("interval", |s| s.interval.as_deref(), INTERVALS),
    Rule::Required("interval_count", |s| s.interval_count.is_some()),
    Rule::Range("interval_count", |s| s.interval_count, 1, i32::MAX as i64),
];

/// KP `address`: 99 characters, `postal_code` 10, `title` 20, `country` two letters.
pub(crate) const KP_ADDRESS: &[Rule<Address>] = &[
    Rule::Len("given_name", |a| a.given_name.as_deref(), 0, 99),
    Rule::Len("family_name", |a| a.family_name.as_deref(), 0, 99),
    Rule::Len("title", |a| a.title.as_deref(), 0, 20),
    Rule::Len("street_address", |a| a.street_address.as_deref(), 0, 99),
    Rule::Len("street_address2", |a| a.street_address2.as_deref(), 0, 99),
    Rule::Len("postal_code", |a| a.postal_code.as_deref(), 0, 10),
    Rule::Len("city", |a| a.city.as_deref(), 0, 99),
    Rule::Len("region", |a| a.region.as_deref(), 0, 99),
    Rule::Matches("country", |a| a.country.as_deref(), two_letters),
    Rule::Len("email", |a| a.email.as_deref(), 0, 99),
    Rule::Len("phone", |a| a.phone.as_deref(), 0, 99),
    Rule::Len(
        "organization_name",
        |a| a.organization_name.as_deref(),
        0,
        99,
    ),
    Rule::Len("attention", |a| a.attention.as_deref(), 0, 99),
];

/// OM `address` (reference §4.5). Its `country` has no pattern in the spec.
pub(crate) const OM_ADDRESS: &[Rule<Address>] = &[
    Rule::Len("given_name", |a| a.given_name.as_deref(), 0, 100),
    Rule::Len("family_name", |a| a.family_name.as_deref(), 0, 100),
    Rule::Len("title", |a| a.title.as_deref(), 0, 20),
    Rule::Len("street_address", |a| a.street_address.as_deref(), 0, 100),
    Rule::Len("street_address2", |a| a.street_address2.as_deref(), 0, 100),
    Rule::Len("postal_code", |a| a.postal_code.as_deref(), 0, 10),
    Rule::Len("city", |a| a.city.as_deref(), 0, 200),
    Rule::Len("region", |a| a.region.as_deref(), 0, 200),
    Rule::Len("email", |a| a.email.as_deref(), 0, 100),
    Rule::Len("phone", |a| a.phone.as_deref(), 0, 100),
    Rule::Len(
        "organization_name",
        |a| a.organization_name.as_deref(),
        0,
        255,
    ),
    Rule::Len("attention", |a| a.attention.as_deref(), 0, 255),
];

/// KP addresses: the table, then `region`, which Klarna requires for US and AU addresses.
pub(crate) fn kp_address(a: &Address, prefix: &str) -> Result<(), Violation> {
    check(KP_ADDRESS, a, prefix)?;
    let country = a.country.as_deref().unwrap_or("");
    let needs_region = ["US", "AU"].iter().any(|c| c.eq_ignore_ascii_case(country));
    if needs_region && a.region.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(bad(path(prefix, "region")));
    }
    Ok(())
}

/// OM `shipping_info`. `shipping_method` must be one of the spec's words exactly (the spec's
/// regex is unanchored; Klarna's services match whole values).
pub(crate) const SHIPPING_INFO: &[Rule<ShippingInfo>] = &[
    Rule::Len(
        "shipping_company",
        |s| s.shipping_company.as_deref(),
        0,
        100,
    ),
    Rule::OneOf(
        "shipping_method",
        |s| s.shipping_method.as_deref(),
        SHIPPING_METHODS,
    ),
    Rule::Len("tracking_number", |s| s.tracking_number.as_deref(), 0, 100),
    Rule::Len("tracking_uri", |s| s.tracking_uri.as_deref(), 0, 1024),
    Rule::Len(
        "return_shipping_company",
        |s| s.return_shipping_company.as_deref(),
        0,
        100,
    ),
    Rule::Len(
        "return_tracking_number",
        |s| s.return_tracking_number.as_deref(),
        0,
        100,
    ),
    Rule::Len(
        "return_tracking_uri",
        |s| s.return_tracking_uri.as_deref(),
        0,
        1024,
    ),
];

pub(crate) const MERCHANT_URLS: &[Rule<MerchantUrls>] = &[
    Rule::Len("confirmation", |u| u.confirmation.as_deref(), 0, 2000),
    Rule::Len("notification", |u| u.notification.as_deref(), 0, 2000),
    Rule::Len("push", |u| u.push.as_deref(), 0, 2000),
    Rule::Len("authorization", |u| u.authorization.as_deref(), 0, 2000),
];

pub(crate) const OPTIONS: &[Rule<Options>] = &[
    Rule::Matches("color_border", |o| o.color_border.as_deref(), hex_colour),
    Rule::Matches(
        "color_border_selected",
        |o| o.color_border_selected.as_deref(),
        hex_colour,
    ),
    Rule::Matches("color_details", |o| o.color_details.as_deref(), hex_colour),
    Rule::Matches("color_text", |o| o.color_text.as_deref(), hex_colour),
];

pub(crate) const ATTACHMENT: &[Rule<Attachment>] = &[
    Rule::Required("body", |a| a.body.is_some()),
    Rule::Required("content_type", |a| a.content_type.is_some()),
];

pub(crate) const KP_CUSTOMER: &[Rule<Customer>] = &[
    Rule::Matches("last_four_ssn", |c| c.last_four_ssn.as_deref(), ssn_digits),
    Rule::OneOf(
        "organization_entity_type",
        |c| c.organization_entity_type.as_deref(),
        &[
            "LIMITED_COMPANY",
            "PUBLIC_LIMITED_COMPANY",
            "ENTREPRENEURIAL_COMPANY",
            "LIMITED_PARTNERSHIP_LIMITED_COMPANY",
            "LIMITED_PARTNERSHIP",
            "GENERAL_PARTNERSHIP",
            "REGISTERED_SOLE_TRADER",
            "SOLE_TRADER",
            "CIVIL_LAW_PARTNERSHIP",
            "PUBLIC_INSTITUTION",
            "OTHER",
        ],
    ),
    Rule::OneOf("type", |c| c.kind.as_deref(), &["person", "organization"]),
];

/// `^[A-Za-z]{n}$`
pub(crate) fn letters(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_alphabetic())
}

fn two_letters(s: &str) -> bool {
    letters(s, 2)
}

/// `^#[A-Fa-f0-9]{6}$`
fn hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s.bytes().skip(1).all(|b| b.is_ascii_hexdigit())
}

/// `^([0-9]{4}|[0-9]{9})$`
fn ssn_digits(s: &str) -> bool {
    (s.len() == 4 || s.len() == 9) && s.bytes().all(|b| b.is_ascii_digit())
}

/// `^[A-Za-z]{2}(?:-[A-Za-z]{2})*$`: `en`, `en-US`, `de-CH-xx`.
pub(crate) fn locale(s: &str) -> bool {
    s.split('-').all(two_letters)
}
