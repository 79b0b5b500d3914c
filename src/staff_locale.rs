//! The staff member's own locale, for every amount in the console: one format on every staff
//! screen (orders list, order page, dialogs, radar), whatever locale each order was made in.
//! The order's locale is the customer's business (their checkout, return page and pay link);
//! staff comparing amounts across orders must not have to read five ways of writing money.
//!
//! [`StaffLocale::provide`] puts the browser's language (`navigator.language`) in context at
//! the app root; [`staff_money`] formats with it. A view mounted without the context (a test, a
//! dialog's event handler running outside any owner) falls back to the browser's language too,
//! so the answer is the same either way.

use kassa_model::Money;
use leptos::prelude::*;

use crate::draft::DASH;
use crate::format::money_in_locale;

/// A BCP 47 tag (`en-US`, `de-DE`) that staff amounts are written in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffLocale {
    tag: String,
}

impl StaffLocale {
    /// A staff locale for `tag` (`de-DE`; Mollie's `de_DE` is taken too).
    pub fn new(tag: &str) -> Self {
        Self {
            tag: crate::format::bcp47(tag),
        }
    }

    /// The browser's language; `en-US` on the host or when the browser names none.
    pub fn from_browser() -> Self {
        Self::new(&browser_language().unwrap_or_else(|| "en-US".to_owned()))
    }

    /// Puts the browser's language in context for everything below (called at the app root).
    pub fn provide() {
        provide_context(Self::from_browser());
    }

    /// The locale in context, or the browser's.
    pub fn current() -> Self {
        use_context::<Self>().unwrap_or_else(Self::from_browser)
    }

    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// `money` written this staff locale's way, with the money's own currency and grouping:
    /// "€1,299.00" for `en-US`, "1.299,00 €" for `de-DE`.
    pub fn money(&self, money: Money) -> String {
        money_in_locale(money, &self.tag)
    }
}

/// `money` in the staff locale in context (see [`StaffLocale::current`]).
pub fn staff_money(money: Money) -> String {
    StaffLocale::current().money(money)
}

/// An optional amount in the staff locale, or a dash.
pub fn staff_money_or_dash(money: Option<Money>) -> String {
    money.map_or_else(|| DASH.to_owned(), staff_money)
}

fn browser_language() -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()?
            .navigator()
            .language()
            .filter(|l| crate::format::is_well_formed_tag(l))
    }
    #[cfg(not(target_arch = "wasm32"))]
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use kassa_model::Currency;

    #[test]
    fn mollie_locales_become_tags_and_the_host_uses_the_model_format() {
        assert_eq!(StaffLocale::new("de_DE").tag(), "de-DE");
        // No browser on the host: the model's format, which is en-US's.
        assert_eq!(
            StaffLocale::new("de-DE").money(Money::new(129_900, Currency::EUR)),
            "€1,299.00"
        );
        assert_eq!(staff_money_or_dash(None), DASH);
    }
}
