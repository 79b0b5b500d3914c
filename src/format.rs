//! Small display helpers shared by the pages. Money is formatted by the model
//! (`Money::display`), never here.

use kassa_model::api::LineView;
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
    fn names_skip_blanks() {
        assert_eq!(full_name(Some("Piet"), Some("Mondriaan")), "Piet Mondriaan");
        assert_eq!(full_name(None, Some(" Mondriaan ")), "Mondriaan");
        assert_eq!(full_name(None, None), "");
    }
}
