//! Small display helpers shared by the pages. Money is formatted by the model
//! (`Money::display`), except in the orders list, where each amount is shown the way the
//! order's own locale writes it, by the browser's `Intl.NumberFormat` ([`money_in_locale`]).

use kassa_model::api::{LineView, OrderStatus};
use kassa_model::Money;

use crate::draft::DASH;

/// `2025-11-22T04:20:13+00:00` → `2025-11-22 04:20`; anything unexpected is shown as is
/// (the full value stays in the `<time datetime>` attribute).
pub fn short_timestamp(raw: &str) -> String {
    match (raw.get(..10), raw.get(10..11), raw.get(11..16)) {
        (Some(date), Some("T"), Some(time)) => format!("{date} {time}"),
        _ => raw.to_owned(),
    }
}

/// An optional amount, or a dash.
pub fn money_or_dash(money: Option<Money>) -> String {
    money.map_or_else(|| DASH.to_owned(), Money::display)
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

/// "Expires in 27 days" for an expiry `expires_ms` milliseconds after the epoch, seen at
/// `now_ms`; whole days, then hours, then minutes as the moment comes closer.
pub fn expires_in(expires_ms: i64, now_ms: i64) -> String {
    const MINUTE: i64 = 60_000;
    const HOUR: i64 = 60 * MINUTE;
    const DAY: i64 = 24 * HOUR;
    let left = expires_ms - now_ms;
    let count = |n: i64, unit: &str| {
        if n == 1 {
            format!("Expires in 1 {unit}")
        } else {
            format!("Expires in {n} {unit}s")
        }
    };
    if left <= 0 {
        "Expired".to_owned()
    } else if left >= DAY {
        count(left / DAY, "day")
    } else if left >= HOUR {
        count(left / HOUR, "hour")
    } else {
        count((left / MINUTE).max(1), "minute")
    }
}

/// The expiry line of an order that can still change, from its `expires_at` and the browser's
/// clock; `None` for final orders, without an expiry, or on the host (no browser clock).
pub fn expiry_line(status: OrderStatus, expires_at: Option<&str>) -> Option<String> {
    if status.is_final() {
        return None;
    }
    let expires_at = expires_at?;
    #[cfg(target_arch = "wasm32")]
    {
        // Milliseconds as JS numbers: whole and far below 2^53, so the casts are exact.
        let expires = js_sys::Date::parse(expires_at);
        if expires.is_finite() {
            return Some(expires_in(expires as i64, js_sys::Date::now() as i64));
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
        assert_eq!(expires_in(27 * day + 5_000_000, 0), "Expires in 27 days");
        assert_eq!(expires_in(day, 0), "Expires in 1 day");
        assert_eq!(expires_in(3 * 3_600_000 + 1, 0), "Expires in 3 hours");
        assert_eq!(expires_in(61_000, 0), "Expires in 1 minute");
        assert_eq!(expires_in(10, 0), "Expires in 1 minute");
        assert_eq!(expires_in(0, 5), "Expired");
        assert_eq!(
            expiry_line(OrderStatus::Expired, Some("2030-01-01T00:00:00+00:00")),
            None
        );
    }

    #[test]
    fn names_skip_blanks() {
        assert_eq!(full_name(Some("Piet"), Some("Mondriaan")), "Piet Mondriaan");
        assert_eq!(full_name(None, Some(" Mondriaan ")), "Mondriaan");
        assert_eq!(full_name(None, None), "");
    }
}
