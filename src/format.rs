//! Small display helpers shared by the pages. Money is written by the browser's
//! `Intl.NumberFormat` ([`money_in_locale`]): on staff screens in the staff member's locale
//! (see [`crate::staff_locale`]), on the customer's pages in the order's locale.

use kassa_model::api::{LineView, OrderStatus, OrderView, Provider};
use kassa_model::Money;

/// `2025-11-22T04:20:13+00:00` → `2025-11-22 04:20`; anything unexpected is shown as is
/// (the full value stays in the `<time datetime>` attribute).
pub fn short_timestamp(raw: &str) -> String {
    match (raw.get(..10), raw.get(10..11), raw.get(11..16)) {
        (Some(date), Some("T"), Some(time)) => format!("{date} {time}"),
        _ => raw.to_owned(),
    }
}

/// `en_US` → `en-US`: Mollie's locales use `_`, BCP 47 (and `Intl`) use `-`.
pub fn bcp47(locale: &str) -> String {
    locale.replace('_', "-")
}

/// `money` as `locale` writes it ("€1,027.99" for en_US, "€ 1.027,99" for nl_NL), through
/// `Intl.NumberFormat` with `style: currency`. Falls back to the model's `Money::display` when
/// the browser does not know the locale, and on the host (no browser).
pub fn money_in_locale(money: Money, locale: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        if let Some(formatted) = intl_currency(money, locale) {
            return formatted;
        }
    }
    let _ = locale;
    money.display()
}

#[cfg(target_arch = "wasm32")]
fn intl_currency(money: Money, locale: &str) -> Option<String> {
    use js_sys::{Array, Function, Intl, Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    // A malformed tag makes the constructor throw a RangeError; such a locale gets the
    // browser's default instead (an empty list).
    let tag = bcp47(locale);
    let locales = Array::new();
    if is_well_formed_tag(&tag) {
        locales.push(&JsValue::from_str(&tag));
    }
    let options = Object::new();
    let set = |key: &str, value: JsValue| Reflect::set(&options, &key.into(), &value).ok();
    set("style", "currency".into())?;
    set("currency", money.currency.code().into())?;
    let digits = JsValue::from(money.currency.exponent());
    set("minimumFractionDigits", digits.clone())?;
    set("maximumFractionDigits", digits)?;
    let formatter = Intl::NumberFormat::new(&locales, &options);
    let format: Function = formatter.format().dyn_into().ok()?;
    // A decimal string, not a JS number: `Intl.NumberFormat` formats strings exactly, so
    // money never becomes a float, not even for display.
    let amount = JsValue::from_str(&money.to_major_string());
    format.call1(&JsValue::NULL, &amount).ok()?.as_string()
}

/// `en-US`, `nl-NL`, `de`: a language of 2–3 letters, then subtags of 1–8 letters or digits.
pub fn is_well_formed_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The VAT rate as a percentage: `21.00%`.
pub fn vat_rate(line: &LineView) -> String {
    format!("{}%", line.vat_rate)
}

/// "Given Family", skipping missing parts.
pub fn full_name(given: Option<&str>, family: Option<&str>) -> String {
    [given, family]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A provider's payment method id as people write it (`klarnapaylater` → "Klarna Pay later");
/// an id this table does not know is shown as it is.
pub fn method_name(id: &str) -> String {
    const NAMES: &[(&str, &str)] = &[
        ("alma", "Alma"),
        ("applepay", "Apple Pay"),
        ("bacs", "Bacs Direct Debit"),
        ("bancomatpay", "Bancomat Pay"),
        ("bancontact", "Bancontact"),
        ("banktransfer", "Bank transfer"),
        ("belfius", "Belfius Pay Button"),
        ("billie", "Billie"),
        ("blik", "BLIK"),
        ("creditcard", "Card"),
        ("directdebit", "SEPA Direct Debit"),
        ("eps", "eps"),
        ("giftcard", "Gift card"),
        ("ideal", "iDEAL"),
        ("in3", "iDEAL in3"),
        ("invoice", "Klarna Pay later (invoice)"),
        ("fixed_amount", "Klarna Financing"),
        ("pay_by_card", "Klarna Pay now (card)"),
        ("kbc", "KBC/CBC Payment Button"),
        ("klarna", "Klarna"),
        ("klarnapaylater", "Klarna Pay later"),
        ("klarnapaynow", "Klarna Pay now"),
        ("klarnasliceit", "Klarna Slice it"),
        ("mybank", "MyBank"),
        ("payconiq", "Payconiq"),
        ("paypal", "PayPal"),
        ("paysafecard", "paysafecard"),
        ("przelewy24", "Przelewy24"),
        ("riverty", "Riverty"),
        ("satispay", "Satispay"),
        ("sofort", "SOFORT Banking"),
        ("swish", "Swish"),
        ("trustly", "Trustly"),
        ("twint", "TWINT"),
        ("voucher", "Voucher"),
    ];
    NAMES
        .iter()
        .find(|(known, _)| *known == id)
        .map_or_else(|| id.to_owned(), |(_, name)| (*name).to_owned())
}

/// What is left until `expires_ms` (milliseconds after the epoch) as seen at `now_ms`, in the
/// largest whole unit: "27 days", "3 hours", "1 minute"; `None` once it has passed.
pub fn time_left(expires_ms: i64, now_ms: i64) -> Option<String> {
    const MINUTE: i64 = 60_000;
    const HOUR: i64 = 60 * MINUTE;
    const DAY: i64 = 24 * HOUR;
    let left = expires_ms - now_ms;
    let count = |n: i64, unit: &str| {
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    };
    if left <= 0 {
        None
    } else if left >= DAY {
        Some(count(left / DAY, "day"))
    } else if left >= HOUR {
        Some(count(left / HOUR, "hour"))
    } else {
        Some(count((left / MINUTE).max(1), "minute"))
    }
}

/// The expiry that matters for `order` at `now_ms`: an unpaid order expires unless the
/// customer pays; an authorization (pay later) expires unless the authorized items ship. Paid
/// and final orders have none to watch, whatever `expiresAt` says.
pub fn expiry_text(order: &OrderView, expires_ms: i64, now_ms: i64) -> Option<String> {
    let left = time_left(expires_ms, now_ms);
    if order.provider == Provider::Klarna {
        return klarna_expiry_text(order, left);
    }
    if matches!(order.status, OrderStatus::Created | OrderStatus::Pending) {
        return Some(match left {
            Some(left) => format!("Expires in {left} unless paid"),
            None => "Expired".to_owned(),
        });
    }
    // Pay later: only what shipped was captured, and items are left to ship (a line half
    // shipped is `shipping`, its rest still authorized). A paid order captured everything.
    let authorized_flow = order
        .amount_captured
        .is_none_or(|captured| captured.minor < order.amount.minor);
    let left_to_ship = order.lines.iter().any(|l| l.shippable_quantity > 0);
    if order.status.is_final() || !authorized_flow || !left_to_ship {
        return None;
    }
    Some(match left {
        Some(left) => format!("The authorization expires in {left}: ship before then"),
        None => "The authorization has expired".to_owned(),
    })
}

/// A Klarna order is authorized from the start (`pending` is a fraud review, not an unpaid
/// order): what expires is the authorization still uncaptured, unless it is captured,
/// released or removed first.
fn klarna_expiry_text(order: &OrderView, left: Option<String>) -> Option<String> {
    let nothing_left = order.amount_remaining.is_some_and(|m| m.minor <= 0);
    if order.status.is_final() || nothing_left {
        return None;
    }
    Some(match left {
        Some(left) => format!("The authorization expires in {left}: capture before then"),
        None => "The authorization has expired".to_owned(),
    })
}

/// How long until `at` (RFC 3339) by the browser's clock, as [`time_left`] says it; `None`
/// once past, for a time that does not parse, and on the host (no browser clock).
pub fn time_until(at: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        let when = js_sys::Date::parse(at);
        if when.is_finite() {
            // Milliseconds as JS numbers: whole and far below 2^53, so the casts are exact.
            return time_left(when as i64, js_sys::Date::now() as i64);
        }
    }
    let _ = at;
    None
}

/// [`expiry_text`] with the order's `expires_at` and the browser's clock; `None` without an
/// expiry, or on the host (no browser clock).
pub fn expiry_line(order: &OrderView) -> Option<String> {
    let expires_at = order.expires_at.as_deref()?;
    #[cfg(target_arch = "wasm32")]
    {
        // Milliseconds as JS numbers: whole and far below 2^53, so the casts are exact.
        let expires = js_sys::Date::parse(expires_at);
        if expires.is_finite() {
            return expiry_text(order, expires as i64, js_sys::Date::now() as i64);
        }
    }
    let _ = expires_at;
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_lose_seconds_and_zone() {
        assert_eq!(
            short_timestamp("2025-11-22T04:20:13+00:00"),
            "2025-11-22 04:20"
        );
        assert_eq!(short_timestamp("yesterday"), "yesterday");
    }

    #[test]
    fn locales_become_bcp47_tags() {
        use kassa_model::Currency;
        assert_eq!(bcp47("nl_NL"), "nl-NL");
        assert!(is_well_formed_tag("nl-NL") && is_well_formed_tag("de"));
        assert!(
            !is_well_formed_tag("") && !is_well_formed_tag("en--US") && !is_well_formed_tag("x")
        );
        // Without a browser the model's format is used.
        assert_eq!(
            money_in_locale(Money::new(102_799, Currency::EUR), "en_US"),
            "€1,027.99"
        );
    }

    #[test]
    fn expiry_counts_down_in_the_largest_whole_unit() {
        let day = 86_400_000;
        assert_eq!(time_left(27 * day + 5_000_000, 0).unwrap(), "27 days");
        assert_eq!(time_left(day, 0).unwrap(), "1 day");
        assert_eq!(time_left(3 * 3_600_000 + 1, 0).unwrap(), "3 hours");
        assert_eq!(time_left(61_000, 0).unwrap(), "1 minute");
        assert_eq!(time_left(10, 0).unwrap(), "1 minute");
        assert_eq!(time_left(0, 5), None);
    }

    #[test]
    fn only_unpaid_orders_and_unshipped_authorizations_have_an_expiry_to_watch() {
        let day = 86_400_000;
        use crate::fixtures::{eur, line, order as order_of};
        use kassa_model::api::LineStatus;
        // One €1.00 line, `captured` of it captured.
        let order = |status, line_status, captured: Option<i64>| {
            let mut order = order_of(
                status,
                vec![LineView {
                    status: line_status,
                    ..line("odl_1", 2, 50, None)
                }],
            );
            order.amount = eur(100);
            order.amount_captured = captured.map(eur);
            order
        };
        let created = order(OrderStatus::Created, LineStatus::Created, None);
        assert_eq!(
            expiry_text(&created, 2 * day, 0).unwrap(),
            "Expires in 2 days unless paid"
        );
        assert_eq!(expiry_text(&created, 0, 5).unwrap(), "Expired");
        let authorized = order(OrderStatus::Authorized, LineStatus::Authorized, None);
        assert_eq!(
            expiry_text(&authorized, 27 * day, 0).unwrap(),
            "The authorization expires in 27 days: ship before then"
        );
        // One of two shipped (the line reads `shipping`), the other still authorized.
        let mut half = order(OrderStatus::Shipping, LineStatus::Shipping, Some(50));
        half.lines[0].shippable_quantity = 1;
        assert!(expiry_text(&half, day, 0).is_some());
        // Paid: everything captured, nothing expires, shipped or not.
        for (status, line, captured) in [
            (OrderStatus::Paid, LineStatus::Paid, Some(100)),
            (OrderStatus::Shipping, LineStatus::Shipping, Some(100)),
            (OrderStatus::Completed, LineStatus::Completed, Some(100)),
            (OrderStatus::Expired, LineStatus::Authorized, None),
        ] {
            assert_eq!(
                expiry_text(&order(status, line, captured), day, 0),
                None,
                "{status:?}"
            );
        }
    }

    #[test]
    fn a_klarna_authorization_expires_unless_captured() {
        use crate::fixtures::{eur, order as order_of};
        let day = 86_400_000;
        let mut order = order_of(OrderStatus::Pending, Vec::new());
        order.provider = Provider::Klarna;
        order.amount_remaining = Some(eur(100));
        assert_eq!(
            expiry_text(&order, 3 * day, 0).unwrap(),
            "The authorization expires in 3 days: capture before then"
        );
        order.amount_remaining = Some(eur(0));
        assert_eq!(expiry_text(&order, 3 * day, 0), None);
    }

    #[test]
    fn method_ids_read_as_names() {
        assert_eq!(method_name("klarnapaylater"), "Klarna Pay later");
        assert_eq!(method_name("ideal"), "iDEAL");
        assert_eq!(method_name("somethingnew"), "somethingnew");
    }

    #[test]
    fn names_skip_blanks() {
        assert_eq!(full_name(Some("Piet"), Some("Mondriaan")), "Piet Mondriaan");
        assert_eq!(full_name(None, Some(" Mondriaan ")), "Mondriaan");
        assert_eq!(full_name(None, None), "");
    }
}
