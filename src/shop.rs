//! The public shop (`/shop`) as plain data: the quantities a shopper picked, their address and
//! language, the live total, and the checked [`PublicCheckout`] to send.
//!
//! No DOM here, so the rules are testable with plain `#[test]`s. The total uses the model's
//! line arithmetic ([`LineAmounts`], [`order_total`]); the proxy prices the order again from its
//! own catalog, so the shown total is a preview that cannot drift from the proxy's.

use kassa_model::api::{CheckoutItem, Product, PublicCheckout};
use kassa_model::line::order_total;
use kassa_model::{validate, FieldError, LineAmounts, Money, Provider};

use crate::draft::{AddressDraft, FormError, LOCALES};

/// The most of one product a shopper can pick (the picker's `max`).
pub const MAX_QUANTITY: u32 = 99;

/// What the shopper typed: one quantity per catalog product (as typed), the billing address,
/// the checkout language and who takes the payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShopDraft {
    pub quantities: Vec<String>,
    pub billing: AddressDraft,
    pub locale: String,
    /// Mollie's hosted checkout (leaves the shop) or Klarna on the shop's own page.
    pub provider: Provider,
}

/// The shop's first language: the shopper's browser's (`de-AT` → `de_AT`, `de` → `de_DE`, the
/// first Mollie locale of that language) when the shop speaks it, else English. A staff
/// member's default (Dutch) would greet every foreign shopper in the wrong language.
pub fn shopper_locale() -> String {
    #[cfg(target_arch = "wasm32")]
    if let Some(tag) = web_sys::window().and_then(|w| w.navigator().language()) {
        return locale_for_browser(&tag);
    }
    locale_for_browser("en-US")
}

/// [`shopper_locale`] for a browser language tag.
pub fn locale_for_browser(tag: &str) -> String {
    let tag = tag.replace('-', "_");
    let language = tag
        .split('_')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let spoken = |l: &&str| crate::i18n::Lang::of_locale(l).code() == language;
    let exact = LOCALES
        .iter()
        .map(|(l, _)| *l)
        .filter(spoken)
        .find(|l| l.eq_ignore_ascii_case(&tag));
    let same_language = LOCALES.iter().map(|(l, _)| *l).find(spoken);
    exact.or(same_language).unwrap_or("en_US").to_owned()
}

impl ShopDraft {
    /// Nothing picked yet for each product of `catalog`.
    pub fn new(catalog: &[Product]) -> Self {
        Self {
            quantities: vec!["0".to_owned(); catalog.len()],
            billing: AddressDraft::default(),
            locale: shopper_locale(),
            provider: Provider::Mollie,
        }
    }

    /// The quantity picked of product `i`: a whole number from 0 to [`MAX_QUANTITY`] (blank
    /// is 0), else the message to show next to its picker.
    pub fn quantity(&self, i: usize) -> Result<u32, String> {
        let typed = self.quantities.get(i).map_or("", |q| q.trim());
        if typed.is_empty() {
            return Ok(0);
        }
        if !typed.bytes().all(|b| b.is_ascii_digit()) {
            return Err("Enter a whole number, like 1 or 12.".to_owned());
        }
        match typed.parse::<u32>() {
            Ok(q) if q <= MAX_QUANTITY => Ok(q),
            _ => Err(format!(
                "You can order at most {MAX_QUANTITY} of one product."
            )),
        }
    }

    /// The total of what is picked (zero when nothing is), or `None` while a quantity is not a
    /// valid number, the catalog is empty or mixes currencies.
    pub fn total(&self, catalog: &[Product]) -> Option<Money> {
        let currency = catalog.first()?.unit_price.currency;
        let lines = catalog
            .iter()
            .enumerate()
            .map(|(i, product)| {
                let quantity = self.quantity(i).ok()?;
                LineAmounts::compute(product.unit_price, quantity, None, product.vat_rate).ok()
            })
            .collect::<Option<Vec<_>>>()?;
        order_total(currency, lines).ok()
    }

    /// The checkout to send, or the first problem (see [`Self::to_checkout_all`]).
    pub fn to_checkout(&self, catalog: &[Product]) -> Result<PublicCheckout, ShopError> {
        self.to_checkout_all(catalog)
            .map_err(|problems| problems.into_iter().next().unwrap_or_else(no_product))
    }

    /// The checkout to send, or every problem in the order the shop shows its fields: each
    /// quantity that is not one (named by the product's SKU), no product at all, then the
    /// address and the language — so the shopper fixes everything after one submit.
    pub fn to_checkout_all(&self, catalog: &[Product]) -> Result<PublicCheckout, Vec<ShopError>> {
        let mut problems = Vec::new();
        let mut items = Vec::new();
        for (i, product) in catalog.iter().enumerate() {
            match self.quantity(i) {
                Ok(0) => {}
                Ok(quantity) => items.push(CheckoutItem {
                    sku: product.sku.clone(),
                    quantity,
                }),
                Err(message) => problems.push(ShopError::Item {
                    sku: product.sku.clone(),
                    error: FieldError::new(format!("items.{i}.quantity"), message),
                }),
            }
        }
        if items.is_empty() && problems.is_empty() {
            problems.push(no_product());
        }
        let billing_address = self.billing.to_address();
        let field = |e| ShopError::Other(FormError::Field(e));
        problems.extend(
            validate::customer_address_all(&billing_address, "billingAddress")
                .into_iter()
                .map(field),
        );
        if let Err(e) = validate::check_locale(&self.locale) {
            problems.push(field(e));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(PublicCheckout {
            items,
            billing_address,
            locale: self.locale.clone(),
            method: None,
            provider: self.provider,
        })
    }
}

fn no_product() -> ShopError {
    ShopError::Other(FormError::Form(NO_PRODUCT.to_owned()))
}

/// What the shop says when the cart is empty.
pub const NO_PRODUCT: &str = "Choose at least one product.";

/// A problem the shop shows: next to one product's picker, or through the form's usual slots
/// (address fields, language, or the message by the Pay button).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShopError {
    Item { sku: String, error: FieldError },
    Other(FormError),
}

impl ShopError {
    /// The same problem in other words (`f` gets it as a field error; a form-level one has an
    /// empty field): the shop says it in the shopper's language.
    pub fn map_error(self, f: impl Fn(&FieldError) -> FieldError) -> Self {
        match self {
            Self::Item { sku, error } => Self::Item {
                sku,
                error: f(&error),
            },
            Self::Other(FormError::Field(e)) => Self::Other(FormError::Field(f(&e))),
            Self::Other(FormError::Form(m)) => {
                Self::Other(FormError::Form(f(&FieldError::new("", m)).message))
            }
        }
    }

    /// Whether the problem is the cart's (a quantity, or no product at all): a change of any
    /// quantity makes it stale.
    pub fn is_about_cart(&self) -> bool {
        match self {
            Self::Item { .. } => true,
            Self::Other(FormError::Form(message)) => message == NO_PRODUCT,
            Self::Other(_) => false,
        }
    }

    /// The proxy's error for a checkout that sent `sent`. Its `items.N...` fields count in
    /// `sent` (only picked products); they are renamed to count in `catalog`, like local errors.
    pub fn from_proxy(
        field: Option<FieldError>,
        message: String,
        sent: &[CheckoutItem],
        catalog: &[Product],
    ) -> Self {
        let Some(field) = field else {
            return Self::Other(FormError::Form(message));
        };
        let item = field.field.strip_prefix("items.").and_then(|rest| {
            let (index, tail) = rest.split_once('.').unwrap_or((rest, ""));
            let sku = &sent.get(index.parse::<usize>().ok()?)?.sku;
            let at = catalog.iter().position(|p| &p.sku == sku)?;
            let path = if tail.is_empty() {
                format!("items.{at}")
            } else {
                format!("items.{at}.{tail}")
            };
            Some((sku.clone(), path))
        });
        match item {
            Some((sku, path)) => Self::Item {
                sku,
                error: FieldError::new(path, field.message),
            },
            None => Self::Other(FormError::Field(field)),
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_shop_greets_a_shopper_in_their_browsers_language_when_it_speaks_it() {
        assert_eq!(locale_for_browser("de-AT"), "de_AT");
        assert_eq!(locale_for_browser("de"), "de_DE");
        assert_eq!(locale_for_browser("nl-BE"), "nl_BE");
        assert_eq!(
            locale_for_browser("fr-CA"),
            "fr_FR",
            "a French the shop has not"
        );
        assert_eq!(locale_for_browser("en-GB"), "en_GB");
        // Spanish is a Mollie locale, but the shop's pages do not speak it.
        assert_eq!(locale_for_browser("es-ES"), "en_US");
        assert_eq!(locale_for_browser(""), "en_US");
    }

    use super::*;
    use kassa_model::Currency;

    fn product(sku: &str, minor: i64) -> Product {
        Product {
            sku: sku.into(),
            name: sku.into(),
            unit_price: Money::new(minor, Currency::EUR),
            vat_rate: "21".parse().unwrap(),
        }
    }

    fn catalog() -> Vec<Product> {
        vec![product("bugatti", 39_900), product("porsche", 32_999)]
    }

    #[test]
    fn one_submit_names_every_problem_in_the_order_the_shop_shows_them() {
        let c = catalog();
        let mut draft = filled(["1.5", "100"]);
        draft.billing.email = "not an email".into();
        draft.billing.city = String::new();
        let Err(problems) = draft.to_checkout_all(&c) else {
            panic!("a broken checkout passed");
        };
        let fields: Vec<String> = problems
            .iter()
            .map(|p| match p {
                ShopError::Item { error, .. } => error.field.clone(),
                ShopError::Other(FormError::Field(e)) => e.field.clone(),
                ShopError::Other(FormError::Form(m)) => m.clone(),
            })
            .collect();
        assert_eq!(
            fields,
            [
                "items.0.quantity",
                "items.1.quantity",
                "billingAddress.email",
                "billingAddress.city"
            ]
        );
        // No product at all is one more problem, not instead of the address's.
        let mut empty = filled(["0", "0"]);
        empty.billing.city = String::new();
        let Err(problems) = empty.to_checkout_all(&c) else {
            panic!("an empty cart passed");
        };
        assert_eq!(problems.len(), 2);
        assert!(problems[0].is_about_cart());
    }

    fn filled(quantities: [&str; 2]) -> ShopDraft {
        let mut draft = ShopDraft::new(&catalog());
        draft.quantities = quantities.iter().map(|q| (*q).to_owned()).collect();
        draft.billing = AddressDraft {
            given_name: "Piet".into(),
            family_name: "Mondriaan".into(),
            email: "piet@mondriaan.com".into(),
            street_and_number: "Keizersgracht 126".into(),
            postal_code: "1015 CW".into(),
            city: "Amsterdam".into(),
            country: "NL".into(),
        };
        draft
    }

    #[test]
    fn the_total_follows_the_quantities_with_the_model_arithmetic() {
        let c = catalog();
        assert_eq!(
            filled(["0", ""]).total(&c),
            Some(Money::new(0, Currency::EUR))
        );
        assert_eq!(
            filled(["2", "1"]).total(&c),
            Some(Money::new(112_799, Currency::EUR))
        );
        assert_eq!(filled(["100", "1"]).total(&c), None);
        assert_eq!(filled(["x", "1"]).total(&c), None);
        assert_eq!(ShopDraft::new(&[]).total(&[]), None);
    }

    #[test]
    fn only_picked_products_are_sent_and_bad_quantities_name_their_product() {
        let c = catalog();
        let checkout = filled(["0", "3"]).to_checkout(&c).unwrap();
        assert_eq!(
            checkout.items,
            vec![CheckoutItem {
                sku: "porsche".into(),
                quantity: 3
            }]
        );
        // The shopper's browser language; English on the host, which has no browser.
        assert_eq!(checkout.locale, "en_US");
        assert_eq!(checkout.provider, Provider::Mollie);
        let mut klarna = filled(["0", "3"]);
        klarna.provider = Provider::Klarna;
        assert_eq!(klarna.to_checkout(&c).unwrap().provider, Provider::Klarna);
        let Err(ShopError::Item { sku, error }) = filled(["100", "1"]).to_checkout(&c) else {
            panic!("100 must be refused");
        };
        assert_eq!(sku, "bugatti");
        assert_eq!(error.field, "items.0.quantity");
        assert!(matches!(
            filled(["0", "0"]).to_checkout(&c),
            Err(ShopError::Other(FormError::Form(_)))
        ));
        let mut no_email = filled(["1", "0"]);
        no_email.billing.email.clear();
        let Err(ShopError::Other(FormError::Field(e))) = no_email.to_checkout(&c) else {
            panic!("the address is checked");
        };
        assert_eq!(e.field, "billingAddress.email");
    }

    #[test]
    fn proxy_item_errors_are_renamed_to_the_catalog_position() {
        let c = catalog();
        let sent = [CheckoutItem {
            sku: "porsche".into(),
            quantity: 3,
        }];
        let error = ShopError::from_proxy(
            Some(FieldError::new("items.0.quantity", "Sold out.")),
            "Sold out.".into(),
            &sent,
            &c,
        );
        assert_eq!(
            error,
            ShopError::Item {
                sku: "porsche".into(),
                error: FieldError::new("items.1.quantity", "Sold out.")
            }
        );
        let email = FieldError::new("billingAddress.email", "Bad email.");
        assert_eq!(
            ShopError::from_proxy(Some(email.clone()), String::new(), &sent, &c),
            ShopError::Other(FormError::Field(email))
        );
        assert_eq!(
            ShopError::from_proxy(None, "Down.".into(), &sent, &c),
            ShopError::Other(FormError::Form("Down.".into()))
        );
    }
}
