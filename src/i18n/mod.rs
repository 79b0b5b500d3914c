//! The customer's pages (return page, shop, pay link) in the customer's language: a small typed
//! catalogue. [`Msg`] names every text; each language module answers every [`Msg`] in one
//! `match` without a wildcard arm, so a text missing in one language is a compile error, not
//! an English sentence on a German page. The staff console stays English.

mod de;
mod en;
mod fr;
mod nl;

/// The languages the customer's pages speak: those of the Mollie locales the shop offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Nl,
    De,
    Fr,
}

impl Lang {
    /// The language of a Mollie locale (`nl_BE` → Dutch) or a BCP 47 tag (`de-CH` → German);
    /// any other language is English.
    pub fn of_locale(locale: &str) -> Self {
        let language = locale.split(['_', '-']).next().unwrap_or_default();
        match language.to_ascii_lowercase().as_str() {
            "nl" => Self::Nl,
            "de" => Self::De,
            "fr" => Self::Fr,
            _ => Self::En,
        }
    }

    /// The browser's language: for a customer page that failed to load, so has no order (and
    /// so no locale) to go by. English on the host.
    pub fn of_browser() -> Self {
        #[cfg(target_arch = "wasm32")]
        if let Some(language) = web_sys::window().and_then(|w| w.navigator().language()) {
            return Self::of_locale(&language);
        }
        Self::En
    }

    /// The `lang` attribute for text in this language (screen readers pronounce by it).
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Nl => "nl",
            Self::De => "de",
            Self::Fr => "fr",
        }
    }

    /// `msg` in this language.
    pub fn t(self, msg: Msg) -> &'static str {
        match self {
            Self::En => en::text(msg),
            Self::Nl => nl::text(msg),
            Self::De => de::text(msg),
            Self::Fr => fr::text(msg),
        }
    }
}

/// Every text of the customer's pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    // Shared by the customer's pages.
    Item,
    Quantity,
    Price,
    Total,
    OrderNumber,
    LinkNotFound,
    LoadFailed,

    // The return page: a heading and a note per outcome.
    ReturnNotFound,
    PaidHeading,
    PaidNote,
    AuthorizedNote,
    CheckingHeading,
    CheckingWaitNote,
    CheckingReloadNote,
    PaymentCanceledHeading,
    PaymentExpiredHeading,
    NothingChargedNote,
    PaymentFailedHeading,
    PaymentFailedNote,
    OrderCanceledHeading,
    OrderExpiredHeading,
    NoPaymentNote,
    KlarnaReviewHeading,
    KlarnaReviewNote,
    KlarnaApprovedNote,
    TryAgain,
    ContactShop,
    YourOrder,

    // The shop's address: its legend and fields.
    BillingAddress,
    GivenName,
    FamilyName,
    Email,
    StreetAndNumber,
    PostalCode,
    City,
    Country,
    ChooseCountry,
    /// `{}` is the country's label.
    PostalHint,

    // The shop's problems, outside English (where the model's own words are more precise).
    /// `{}` is the field's label.
    CheckField,
    QuantityProblem,
    NoProduct,

    // The Klarna step (shop and pay links). `KlarnaUnavailable`'s `{}` is the category.
    KlarnaPayWith,
    KlarnaLoading,
    KlarnaWaiting,
    KlarnaPlacing,
    KlarnaPlaced,
    KlarnaDeclined,
    KlarnaNotCompleted,
    KlarnaLoadingOptions,
    KlarnaUnavailable,
    KlarnaReload,
    KlarnaNoCategories,
    KlarnaHowToPay,

    // The shop.
    ShopHeading,
    Products,
    PayWith,
    MollieCheckout,
    KlarnaOnThisPage,
    Pay,
    ContinueWithKlarna,
    Working,
    ToPay,
    ChangeOrder,

    // The pay link page.
    PayLinkNotFound,
    PayLinkUnavailable,
    PayLinkExpired,
    AlreadyPaid,
    SeeYourOrder,
}

/// The label of an address field, as [`Msg`].
pub fn address_label(field: crate::draft::AddressField) -> Msg {
    use crate::draft::AddressField as F;
    match field {
        F::GivenName => Msg::GivenName,
        F::FamilyName => Msg::FamilyName,
        F::Email => Msg::Email,
        F::StreetAndNumber => Msg::StreetAndNumber,
        F::PostalCode => Msg::PostalCode,
        F::City => Msg::City,
        F::Country => Msg::Country,
    }
}

/// A problem the shop shows, in `lang`: English keeps the model's precise words; the other
/// languages say which field to check (by its label), that a quantity is a whole number up to
/// 99, or that nothing is chosen. Messages about anything else stay as they are.
pub fn shop_problem(lang: Lang, error: &kassa_model::FieldError) -> String {
    if lang == Lang::En {
        return error.message.clone();
    }
    let field = error.field.as_str();
    let address = field.strip_prefix("billingAddress.").and_then(|key| {
        crate::draft::AddressField::ALL
            .into_iter()
            .find(|f| f.key() == key)
    });
    if let Some(address) = address {
        return lang
            .t(Msg::CheckField)
            .replace("{}", lang.t(address_label(address)));
    }
    if field.starts_with("items.") && field.ends_with(".quantity") {
        return lang.t(Msg::QuantityProblem).to_owned();
    }
    if error.message == crate::shop::NO_PRODUCT {
        return lang.t(Msg::NoProduct).to_owned();
    }
    error.message.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mollie_locales_map_to_their_language_and_the_rest_to_english() {
        for (locale, lang) in [
            ("en_US", Lang::En),
            ("en_GB", Lang::En),
            ("nl_NL", Lang::Nl),
            ("nl_BE", Lang::Nl),
            ("de_DE", Lang::De),
            ("de_AT", Lang::De),
            ("de_CH", Lang::De),
            ("fr_FR", Lang::Fr),
            ("fr_BE", Lang::Fr),
            ("de-CH", Lang::De),
            ("es_ES", Lang::En),
            ("", Lang::En),
        ] {
            assert_eq!(Lang::of_locale(locale), lang, "{locale}");
        }
    }

    #[test]
    fn no_language_promises_an_email() {
        // Kassa sends no email: no page may say one follows.
        for lang in [Lang::En, Lang::Nl, Lang::De, Lang::Fr] {
            for msg in [Msg::PaidNote, Msg::AuthorizedNote, Msg::KlarnaApprovedNote] {
                let text = lang.t(msg).to_lowercase();
                assert!(!text.contains("mail"), "{lang:?} {msg:?}: {text}");
            }
        }
    }
}
