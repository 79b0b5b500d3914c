//! Mollie's create-order rules (`shared/reference/mollie-orders-api.md` §6), with its error
//! texts and 0-based field paths (`lines.1.vatAmount`). The sandbox answers with these; the app
//! and the proxy check the same rules before anything is sent.

use crate::limits::{self, Exceeded};
use crate::mollie::{Address, CreateLine, CreateOrder, MollieAmount};
use crate::{quoted, Currency, FieldError, LineAmounts, Money, MoneyError, VatRate};

/// A create-order request that passed every rule, with its amounts as [`Money`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidOrder {
    pub currency: Currency,
    pub amount: Money,
    pub lines: Vec<ValidLine>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidLine {
    pub quantity: u32,
    pub unit_price: Money,
    pub discount: Option<Money>,
    pub vat_rate: VatRate,
    pub amounts: LineAmounts,
}

/// Checks a `POST /v2/orders` body in Mollie's order: required fields, each line's format,
/// its total, its VAT, the order sum, then the addresses.
pub fn create_order(req: &CreateOrder) -> Result<ValidOrder, FieldError> {
    let amount_wire = req.amount.as_ref().ok_or_else(|| missing("amount"))?;
    let amount = parse_amount(
        amount_wire,
        "amount",
        "Invalid amount value for field amount.".into(),
    )?;
    let currency = amount.currency;
    require_text(&req.order_number, "orderNumber")?;
    let locale = req.locale.as_deref().ok_or_else(|| missing("locale"))?;
    check_locale(locale)?;
    if req.lines.is_empty() {
        return Err(FieldError::new("lines", "No order lines present in order."));
    }
    let lines = req
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| create_line(i, line, currency))
        .collect::<Result<Vec<_>, _>>()?;
    let expected = crate::line::order_total(currency, lines.iter().map(|l| l.amounts))
        .map_err(|_| FieldError::new("amount", Exceeded::OrderTotal.message(currency)))?;
    limits::order_total(expected).map_err(|e| FieldError::new("amount", e.message(currency)))?;
    if expected != amount {
        return Err(FieldError::new(
            "amount",
            format!(
                "The amount of the order does not match the total amount from the order lines. \
                 Expected order amount to be {} but got {}.",
                expected.display(),
                amount.display()
            ),
        ));
    }
    let billing = req
        .billing_address
        .as_ref()
        .ok_or_else(|| missing("billingAddress"))?;
    address(billing, "billingAddress", "billing address")?;
    if let Some(shipping) = &req.shipping_address {
        address(shipping, "shippingAddress", "shipping address")?;
    }
    require_text(&req.redirect_url, "redirectUrl")?;
    Ok(ValidOrder {
        currency,
        amount,
        lines,
    })
}

/// Checks one order line (index `i`, 0-based as Mollie counts) against the order currency.
pub fn create_line(
    i: usize,
    line: &CreateLine,
    currency: Currency,
) -> Result<ValidLine, FieldError> {
    let prefix = format!("lines.{i}");
    let invalid = |field: &str, why: &str| {
        FieldError::new(
            format!("{prefix}.{field}"),
            format!("Order line {i} is invalid. {why}"),
        )
    };
    if line.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(invalid("name", "The 'name' field is missing."));
    }
    let quantity = match line.quantity {
        None => return Err(invalid("quantity", "The 'quantity' field is missing.")),
        Some(q) if q < 1 => return Err(invalid("quantity", "The quantity should be at least 1.")),
        Some(q) => u32::try_from(q)
            .map_err(|_| invalid("quantity", &Exceeded::Quantity.message(currency)))?,
    };
    let amount = |wire: &Option<MollieAmount>, field: &str| -> Result<Option<Money>, FieldError> {
        let Some(wire) = wire else { return Ok(None) };
        let money = parse_amount(
            wire,
            &format!("{prefix}.{field}"),
            format!("Order line {i} is invalid. Invalid amount value for field {field}."),
        )?;
        if money.currency != currency {
            return Err(FieldError::new(
                format!("{prefix}.{field}.currency"),
                format!(
                    "Order line {i} is invalid. The currency of {field} must be {currency}, the order's currency."
                ),
            ));
        }
        Ok(Some(money))
    };
    let required = |wire: &Option<MollieAmount>, field: &str| {
        amount(wire, field)?
            .ok_or_else(|| invalid(field, &format!("The '{field}' field is missing.")))
    };
    let unit_price = required(&line.unit_price, "unitPrice")?;
    let discount = amount(&line.discount_amount, "discountAmount")?;
    let exceeded = |e: Exceeded| {
        let field = match e {
            Exceeded::Quantity => "quantity",
            Exceeded::UnitPrice => "unitPrice",
            Exceeded::Discount => "discountAmount",
            Exceeded::LineTotal | Exceeded::OrderTotal => "totalAmount",
        };
        invalid(field, &e.message(currency))
    };
    limits::line_inputs(u64::from(quantity), unit_price, discount).map_err(exceeded)?;
    if discount.is_some_and(|d| d.minor < 0) {
        return Err(invalid(
            "discountAmount",
            "The discount amount should be a positive amount.",
        ));
    }
    let total = required(&line.total_amount, "totalAmount")?;
    let vat_rate: VatRate = match line.vat_rate.as_deref() {
        None => {
            return Err(invalid(
                "vatRate",
                "The 'vatRate' field should be a valid multiplier",
            ))
        }
        Some(s) => s
            .parse()
            .map_err(|e: crate::vat::VatRateError| invalid("vatRate", &e.to_string()))?,
    };
    let vat = required(&line.vat_amount, "vatAmount")?;
    let expected = LineAmounts::compute(unit_price, quantity, discount, vat_rate)
        .map_err(|_| exceeded(Exceeded::LineTotal))?;
    limits::line_total(expected.total).map_err(exceeded)?;
    if expected.total != total {
        let discount_part = discount
            .map(|d| format!(" - {}", d.display()))
            .unwrap_or_default();
        return Err(invalid(
            "totalAmount",
            &format!(
                "Total amount is off. Expected total amount to be {} ({quantity} × {}{discount_part}), got {}",
                expected.total.display(),
                unit_price.display(),
                total.display()
            ),
        ));
    }
    if expected.vat != vat {
        return Err(invalid(
            "vatAmount",
            &format!(
                "VAT amount is off. Expected VAT amount to be {} ({} × ({vat_rate}% / {}%)), got {}",
                expected.vat.display(),
                total.display(),
                percent(vat_rate.basis_points() + 10_000),
                vat.display()
            ),
        ));
    }
    Ok(ValidLine {
        quantity,
        unit_price,
        discount,
        vat_rate,
        amounts: expected,
    })
}

/// Countries where Mollie does not require a postal code (§4.3).
const NO_POSTAL_CODE: &[&str] = &[
    "AE", "AN", "AO", "AW", "BF", "BI", "BJ", "BO", "BS", "BV", "BW", "BZ", "CD", "CF", "CG", "CI",
    "CK", "CM", "DJ", "DM", "ER", "FJ", "GA", "GD", "GH", "GM", "GN", "GQ", "GY", "HK", "JM", "KE",
    "KI", "KM", "KN", "KP", "LC", "ML", "MO", "MR", "MS", "MU", "MW", "NA", "NR", "NU", "PA", "QA",
    "RW", "SB", "SC", "SL", "SO", "SR", "ST", "SY", "TF", "TK", "TL", "TO", "TT", "TV", "UG", "VU",
    "YE", "ZM", "ZW",
];

/// Checks an order address. `path` is the field name (`billingAddress`), `label` how Mollie's
/// messages call it ("billing address").
pub fn address(a: &Address, path: &str, label: &str) -> Result<(), FieldError> {
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    let country_upper = a.country.as_deref().map(|c| c.trim().to_ascii_uppercase());
    let needs_postal = !country_upper
        .as_deref()
        .is_some_and(|c| NO_POSTAL_CODE.contains(&c));
    let mut missing_fields = Vec::new();
    if blank(&a.street_and_number) {
        missing_fields.push("streetAndNumber");
    }
    if needs_postal && blank(&a.postal_code) {
        missing_fields.push("postalCode");
    }
    if blank(&a.city) {
        missing_fields.push("city");
    }
    if blank(&a.country) {
        missing_fields.push("country");
    }
    if !missing_fields.is_empty() {
        let field = if missing_fields.len() == 1 {
            format!("{path}.{}", missing_fields[0])
        } else {
            path.to_owned()
        };
        return Err(FieldError::new(
            field,
            format!(
                "The following fields of the {path} are missing: {}",
                missing_fields.join(", ")
            ),
        ));
    }
    let member = |name: &str| {
        FieldError::new(
            format!("{path}.{name}"),
            format!("Member '{name}' in {label} is missing or incorrect."),
        )
    };
    let good_name = |v: &Option<String>| {
        v.as_deref().is_some_and(|s| {
            let s = s.trim();
            s.chars().count() > 1 && !s.chars().all(|c| c.is_ascii_digit())
        })
    };
    if !good_name(&a.given_name) {
        return Err(member("givenName"));
    }
    if !good_name(&a.family_name) {
        return Err(member("familyName"));
    }
    if !a.email.as_deref().is_some_and(looks_like_email) {
        return Err(member("email"));
    }
    if !country_upper
        .as_deref()
        .is_some_and(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        return Err(member("country"));
    }
    Ok(())
}

/// The longest order number Kassa takes. Mollie documents no limit, but the order number
/// becomes the payment's description on the customer's statement, and a merchant's order
/// numbers are short; a long one would only break lists.
pub const ORDER_NUMBER_MAX: usize = 100;

/// An order number a merchant may give: at most [`ORDER_NUMBER_MAX`] characters.
pub fn order_number(number: &str) -> Result<(), FieldError> {
    if number.trim().chars().count() > ORDER_NUMBER_MAX {
        return Err(FieldError::new(
            "orderNumber",
            format!("Use at most {ORDER_NUMBER_MAX} characters for the order number."),
        ));
    }
    Ok(())
}

/// ISO 3166-1 alpha-2: every assigned country code, two letters each.
const COUNTRY_CODES: &str =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZ\
CACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGL\
GMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLR\
LSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPK\
PLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTR\
TTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW";

/// Whether `code` (any case) is an assigned ISO 3166-1 alpha-2 country code.
pub fn is_country_code(code: &str) -> bool {
    let code = code.trim().to_ascii_uppercase();
    code.len() == 2
        && code.bytes().all(|b| b.is_ascii_uppercase())
        && COUNTRY_CODES
            .as_bytes()
            .chunks(2)
            .any(|c| c == code.as_bytes())
}

/// Kassa's own check of a customer's address, before any provider sees it: the first problem
/// of [`customer_address_all`], on its field (`path.givenName`). Mollie's rules are all in it
/// (names, email, street, postal code where the country has one, city, country), so an address
/// that passes here also passes [`address`]; the country must also be a real ISO code, so
/// "Netherlands" is not taken as "NE" (Niger).
pub fn customer_address(a: &Address, path: &str) -> Result<(), FieldError> {
    match customer_address_all(a, path).into_iter().next() {
        Some(first) => Err(first),
        None => Ok(()),
    }
}

/// Every problem of a customer's address, said plainly, in the order the form shows the
/// fields (given name, family name, email, street, postal code, city, country): a form shows
/// them all at once, and one fix does not uncover the next.
pub fn customer_address_all(a: &Address, path: &str) -> Vec<FieldError> {
    fn text(v: &Option<String>) -> &str {
        v.as_deref().map(str::trim).unwrap_or("")
    }
    let error = |field: &str, message: &str| FieldError::new(format!("{path}.{field}"), message);
    let name_ok = |s: &str| s.chars().count() > 1 && !s.chars().all(|c| c.is_ascii_digit());
    let country = text(&a.country).to_ascii_uppercase();
    let mut errors = Vec::new();
    if !name_ok(text(&a.given_name)) {
        errors.push(error(
            "givenName",
            "Enter the given name (at least 2 letters).",
        ));
    }
    if !name_ok(text(&a.family_name)) {
        errors.push(error(
            "familyName",
            "Enter the family name (at least 2 letters).",
        ));
    }
    if !looks_like_email(text(&a.email)) {
        errors.push(error(
            "email",
            "Enter an email address like name@example.com.",
        ));
    }
    if text(&a.street_and_number).is_empty() {
        errors.push(error(
            "streetAndNumber",
            "Enter the street and house number.",
        ));
    }
    if text(&a.postal_code).is_empty() && !NO_POSTAL_CODE.contains(&country.as_str()) {
        errors.push(error("postalCode", "Enter the postal code."));
    }
    if text(&a.city).is_empty() {
        errors.push(error("city", "Enter the city."));
    }
    if !is_country_code(&country) {
        errors.push(error(
            "country",
            "Choose the country (a two-letter code, like NL for the Netherlands or DE for Germany).",
        ));
    }
    errors
}

/// Every assigned ISO 3166-1 alpha-2 code, upper case, in alphabetical order: the countries
/// an address may name (a form's country list offers exactly these).
pub fn country_codes() -> impl Iterator<Item = &'static str> {
    // The table is ASCII letters only, so every 2-byte chunk is a whole `str`.
    COUNTRY_CODES
        .as_bytes()
        .chunks(2)
        .filter_map(|c| std::str::from_utf8(c).ok())
}

fn looks_like_email(s: &str) -> bool {
    let s = s.trim();
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// The locales Mollie's hosted checkout supports (`mollie-orders-api.md` §1.5). Mollie's API
/// takes any `xx_XX`, but its pages speak only these, so Kassa's own orders use one of them.
pub const LOCALES: [&str; 22] = [
    "en_US", "en_GB", "nl_NL", "nl_BE", "fr_FR", "fr_BE", "de_DE", "de_AT", "de_CH", "es_ES",
    "ca_ES", "pt_PT", "it_IT", "nb_NO", "sv_SE", "fi_FI", "da_DK", "is_IS", "hu_HU", "pl_PL",
    "lv_LV", "lt_LT",
];

/// A locale Kassa creates orders in: one of [`LOCALES`].
pub fn supported_locale(locale: &str) -> Result<(), FieldError> {
    if LOCALES.contains(&locale) {
        Ok(())
    } else {
        Err(FieldError::new(
            "locale",
            "Choose a checkout language Mollie supports, like en_US or nl_NL.",
        ))
    }
}

/// The longest payment method id Kassa passes on; Mollie's are single words (`ideal`,
/// `klarnapaylater`, `przelewy24`).
pub const PAYMENT_METHOD_MAX: usize = 32;

/// A payment method id as Mollie writes them: 1–32 lower-case letters and digits. Which methods
/// exist is the provider's to say (it adds new ones), so only the shape is checked here: enough
/// that nothing long or strange is sent on, or repeated back in the provider's error.
pub fn payment_method(method: &str) -> Result<(), FieldError> {
    let ok = (1..=PAYMENT_METHOD_MAX).contains(&method.len())
        && method
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            "method",
            "Choose a payment method Mollie knows, like ideal or creditcard.",
        ))
    }
}

/// Mollie locales are `xx_XX` (ISO 15897).
pub fn check_locale(locale: &str) -> Result<(), FieldError> {
    let b = locale.as_bytes();
    let ok = b.len() == 5
        && b[0].is_ascii_lowercase()
        && b[1].is_ascii_lowercase()
        && b[2] == b'_'
        && b[3].is_ascii_uppercase()
        && b[4].is_ascii_uppercase();
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            "locale",
            format!(
                "The locale {} is invalid. Use a locale like en_US or nl_NL.",
                quoted(locale)
            ),
        ))
    }
}

fn missing(field: &str) -> FieldError {
    FieldError::new(field, format!("The '{field}' field is missing."))
}

fn require_text(v: &Option<String>, field: &str) -> Result<(), FieldError> {
    match v.as_deref() {
        Some(s) if !s.trim().is_empty() => Ok(()),
        _ => Err(missing(field)),
    }
}

/// "121.00" for 12100 basis points (hundredths of a percent).
fn percent(bp: u32) -> String {
    format!("{}.{:02}", bp / 100, bp % 100)
}

/// Parses a wire amount; `invalid_value` is the message for a malformed `value`.
fn parse_amount(
    wire: &MollieAmount,
    field: &str,
    invalid_value: String,
) -> Result<Money, FieldError> {
    wire.to_money().map_err(|e| match e {
        MoneyError::UnknownCurrency(c) => FieldError::new(
            format!("{field}.currency"),
            format!("The currency {} is not supported.", quoted(&c)),
        ),
        _ => FieldError::new(format!("{field}.value"), invalid_value),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piet() -> Address {
        Address {
            given_name: Some("Piet".into()),
            family_name: Some("Mondriaan".into()),
            email: Some("piet@mondriaan.com".into()),
            street_and_number: Some("Keizersgracht 126".into()),
            postal_code: Some("1234AB".into()),
            city: Some("Amsterdam".into()),
            country: Some("NL".into()),
            ..Address::default()
        }
    }

    #[test]
    fn a_customer_address_is_checked_in_form_order_with_plain_words() {
        assert_eq!(customer_address(&piet(), "billingAddress"), Ok(()));
        assert!(address(&piet(), "billingAddress", "billing address").is_ok());
        let empty = Address::default();
        let e = customer_address(&empty, "billingAddress").unwrap_err();
        assert_eq!(e.field, "billingAddress.givenName");
        let mut a = piet();
        a.email = Some("piet".into());
        a.city = None;
        let e = customer_address(&a, "billingAddress").unwrap_err();
        assert_eq!(e.field, "billingAddress.email");
        assert!(e.message.contains("name@example.com"), "{}", e.message);
        let mut a = piet();
        a.city = Some(" ".into());
        assert_eq!(
            customer_address(&a, "billingAddress").unwrap_err().field,
            "billingAddress.city"
        );
    }

    #[test]
    fn every_address_problem_is_reported_in_form_order() {
        let all = customer_address_all(&Address::default(), "billingAddress");
        let fields: Vec<&str> = all.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "billingAddress.givenName",
                "billingAddress.familyName",
                "billingAddress.email",
                "billingAddress.streetAndNumber",
                "billingAddress.postalCode",
                "billingAddress.city",
                "billingAddress.country",
            ]
        );
        let mut a = piet();
        a.family_name = Some("M".into());
        a.country = Some("Germany".into());
        let fields: Vec<String> = customer_address_all(&a, "shippingAddress")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["shippingAddress.familyName", "shippingAddress.country"]
        );
        assert!(customer_address_all(&piet(), "billingAddress").is_empty());
    }

    #[test]
    fn the_country_list_is_the_accepted_codes() {
        let codes: Vec<&str> = country_codes().collect();
        assert_eq!(codes.len(), COUNTRY_CODES.len() / 2);
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        assert!(codes.iter().all(|c| is_country_code(c)));
        assert!(codes.contains(&"DE") && codes.contains(&"NL") && codes.contains(&"GB"));
    }

    #[test]
    fn order_numbers_are_short() {
        assert_eq!(order_number("WEB-1337"), Ok(()));
        assert_eq!(order_number(&"x".repeat(ORDER_NUMBER_MAX)), Ok(()));
        let e = order_number(&"x".repeat(ORDER_NUMBER_MAX + 1)).unwrap_err();
        assert_eq!(e.field, "orderNumber");
    }

    #[test]
    fn countries_are_real_iso_codes() {
        assert!(is_country_code("NL") && is_country_code("de") && is_country_code("NE"));
        assert!(!is_country_code("Netherlands") && !is_country_code("XX") && !is_country_code("N"));
        for typed in ["Netherlands", "XX", "N1", ""] {
            let mut a = piet();
            a.country = Some(typed.into());
            let e = customer_address(&a, "billingAddress").unwrap_err();
            assert_eq!(e.field, "billingAddress.country", "{typed}");
        }
        // No postal code where the country has none (Mollie's list).
        let mut a = piet();
        a.country = Some("AE".into());
        a.postal_code = None;
        assert_eq!(customer_address(&a, "billingAddress"), Ok(()));
    }
}
