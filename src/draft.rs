//! The "New order" form as plain data: what staff typed, as strings, and how it becomes an
//! [`api::NewOrder`].
//!
//! No DOM here, so every rule is testable with a plain `#[test]`. Parsing uses the model's
//! `Money::parse_major` and `VatRate`; validation and every amount come from the model's
//! `NewLine::price` / `NewOrder::price`, the same code the proxy runs on what it receives.

use kassa_model::api::{self, NewLine, NewOrder};
use kassa_model::line::{order_total, order_vat};
use kassa_model::{
    postal, validate, Currency, FieldError, LineAmounts, Money, MoneyError, VatRate,
};

use crate::countries;

/// The locales Mollie's checkout speaks, as (code, English name), in the order the select
/// lists them.
pub const LOCALES: [(&str, &str); 22] = [
    ("en_US", "English (US)"),
    ("en_GB", "English (UK)"),
    ("nl_NL", "Dutch (Netherlands)"),
    ("nl_BE", "Dutch (Belgium)"),
    ("fr_FR", "French (France)"),
    ("fr_BE", "French (Belgium)"),
    ("de_DE", "German (Germany)"),
    ("de_AT", "German (Austria)"),
    ("de_CH", "German (Switzerland)"),
    ("es_ES", "Spanish"),
    ("ca_ES", "Catalan"),
    ("pt_PT", "Portuguese"),
    ("it_IT", "Italian"),
    ("nb_NO", "Norwegian"),
    ("sv_SE", "Swedish"),
    ("fi_FI", "Finnish"),
    ("da_DK", "Danish"),
    ("is_IS", "Icelandic"),
    ("hu_HU", "Hungarian"),
    ("pl_PL", "Polish"),
    ("lv_LV", "Latvian"),
    ("lt_LT", "Lithuanian"),
];

/// Payment methods staff may preselect, as `(Mollie id, label)`. No method (an empty string in
/// the draft) lets the customer choose at checkout.
pub const METHODS: [(&str, &str); 7] = [
    ("ideal", "iDEAL"),
    ("creditcard", "Credit card"),
    ("banktransfer", "Bank transfer"),
    ("paypal", "PayPal"),
    ("klarnapaylater", "Klarna Pay later"),
    ("klarnapaynow", "Klarna Pay now"),
    ("klarnasliceit", "Klarna Slice it"),
];

pub const DEFAULT_CURRENCY: Currency = Currency::EUR;
/// The checkout language and the country a fresh form starts with. They agree (the locale's
/// region is the country), so a form nobody touched does not pair English (US) with NL.
pub const DEFAULT_LOCALE: &str = "nl_NL";
pub const DEFAULT_COUNTRY: &str = "NL";
pub const DEFAULT_QUANTITY: &str = "1";
pub const DEFAULT_VAT_RATE: &str = "21";

/// Shown instead of an amount that cannot be computed yet.
pub const DASH: &str = "—";

/// The whole form. Currency is typed because its select can only produce valid codes; every
/// other field is kept exactly as typed so the inputs never fight the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderDraft {
    pub currency: Currency,
    pub locale: String,
    pub order_number: String,
    /// A Mollie method id, or empty for "customer chooses".
    pub method: String,
    pub billing: AddressDraft,
    pub lines: Vec<LineDraft>,
    /// Whether staff picked the country themselves; until then it follows the locale's region
    /// (see [`OrderDraft::set_locale`]).
    pub country_chosen: bool,
}

impl Default for OrderDraft {
    fn default() -> Self {
        Self {
            currency: DEFAULT_CURRENCY,
            locale: DEFAULT_LOCALE.to_owned(),
            order_number: String::new(),
            method: String::new(),
            billing: AddressDraft::default(),
            lines: vec![LineDraft::default()],
            country_chosen: false,
        }
    }
}

/// The billing address fields the form asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressDraft {
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub street_and_number: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
}

impl Default for AddressDraft {
    fn default() -> Self {
        Self {
            given_name: String::new(),
            family_name: String::new(),
            email: String::new(),
            street_and_number: String::new(),
            postal_code: String::new(),
            city: String::new(),
            country: DEFAULT_COUNTRY.to_owned(),
        }
    }
}

/// One order line as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineDraft {
    pub name: String,
    pub sku: String,
    pub quantity: String,
    pub unit_price: String,
    pub discount: String,
    pub vat_rate: String,
}

impl Default for LineDraft {
    fn default() -> Self {
        Self {
            name: String::new(),
            sku: String::new(),
            quantity: DEFAULT_QUANTITY.to_owned(),
            unit_price: String::new(),
            discount: String::new(),
            vat_rate: DEFAULT_VAT_RATE.to_owned(),
        }
    }
}

/// A field of [`AddressDraft`]. One enum gives the component its loop, the field path
/// (`billingAddress.givenName`) and the test id (`billing-givenName`) from one name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressField {
    GivenName,
    FamilyName,
    Email,
    StreetAndNumber,
    PostalCode,
    City,
    Country,
}

impl AddressField {
    pub const ALL: [AddressField; 7] = [
        Self::GivenName,
        Self::FamilyName,
        Self::Email,
        Self::StreetAndNumber,
        Self::PostalCode,
        Self::City,
        Self::Country,
    ];

    /// Mollie's camelCase name of the field.
    pub fn key(self) -> &'static str {
        match self {
            Self::GivenName => "givenName",
            Self::FamilyName => "familyName",
            Self::Email => "email",
            Self::StreetAndNumber => "streetAndNumber",
            Self::PostalCode => "postalCode",
            Self::City => "city",
            Self::Country => "country",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::GivenName => "Given name",
            Self::FamilyName => "Family name",
            Self::Email => "Email",
            Self::StreetAndNumber => "Street and number",
            Self::PostalCode => "Postal code",
            Self::City => "City",
            Self::Country => "Country",
        }
    }

    /// The `autocomplete` token, so browsers can fill the form.
    pub fn autocomplete(self) -> &'static str {
        match self {
            Self::GivenName => "given-name",
            Self::FamilyName => "family-name",
            Self::Email => "email",
            Self::StreetAndNumber => "address-line1",
            Self::PostalCode => "postal-code",
            Self::City => "address-level2",
            Self::Country => "country",
        }
    }

    /// The field path used by validation errors.
    pub fn path(self) -> String {
        self.path_in("billingAddress")
    }

    /// The field path within the address `root` (`billingAddress`, `shippingAddress`).
    pub fn path_in(self, root: &str) -> String {
        format!("{root}.{}", self.key())
    }

    pub fn get(self, a: &AddressDraft) -> &str {
        match self {
            Self::GivenName => &a.given_name,
            Self::FamilyName => &a.family_name,
            Self::Email => &a.email,
            Self::StreetAndNumber => &a.street_and_number,
            Self::PostalCode => &a.postal_code,
            Self::City => &a.city,
            Self::Country => &a.country,
        }
    }

    pub fn set(self, a: &mut AddressDraft, value: String) {
        let slot = match self {
            Self::GivenName => &mut a.given_name,
            Self::FamilyName => &mut a.family_name,
            Self::Email => &mut a.email,
            Self::StreetAndNumber => &mut a.street_and_number,
            Self::PostalCode => &mut a.postal_code,
            Self::City => &mut a.city,
            Self::Country => &mut a.country,
        };
        *slot = value;
    }
}

/// A typed field of [`LineDraft`]; the same role as [`AddressField`] for line rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineField {
    Name,
    Sku,
    Quantity,
    UnitPrice,
    Discount,
    VatRate,
}

impl LineField {
    pub const ALL: [LineField; 6] = [
        Self::Name,
        Self::Sku,
        Self::Quantity,
        Self::UnitPrice,
        Self::Discount,
        Self::VatRate,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Sku => "sku",
            Self::Quantity => "quantity",
            Self::UnitPrice => "unitPrice",
            Self::Discount => "discount",
            Self::VatRate => "vatRate",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "Name",
            Self::Sku => "SKU",
            Self::Quantity => "Quantity",
            Self::UnitPrice => "Unit price",
            Self::Discount => "Discount",
            Self::VatRate => "VAT %",
        }
    }

    /// The on-screen keyboard a phone should offer.
    pub fn inputmode(self) -> &'static str {
        match self {
            Self::Name | Self::Sku => "text",
            Self::Quantity => "numeric",
            Self::UnitPrice | Self::Discount | Self::VatRate => "decimal",
        }
    }

    /// The field path of line `i` used by validation errors (`lines.0.unitPrice`).
    pub fn path(self, i: usize) -> String {
        format!("lines.{i}.{}", self.key())
    }

    pub fn get(self, l: &LineDraft) -> &str {
        match self {
            Self::Name => &l.name,
            Self::Sku => &l.sku,
            Self::Quantity => &l.quantity,
            Self::UnitPrice => &l.unit_price,
            Self::Discount => &l.discount,
            Self::VatRate => &l.vat_rate,
        }
    }

    pub fn set(self, l: &mut LineDraft, value: String) {
        let slot = match self {
            Self::Name => &mut l.name,
            Self::Sku => &mut l.sku,
            Self::Quantity => &mut l.quantity,
            Self::UnitPrice => &mut l.unit_price,
            Self::Discount => &mut l.discount,
            Self::VatRate => &mut l.vat_rate,
        };
        *slot = value;
    }
}

/// A line total and its VAT as the form shows them: `€698.00`, or [`DASH`] while incomplete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AmountsText {
    pub total: String,
    pub vat: String,
}

impl AmountsText {
    fn from_money(amounts: Option<(Money, Money)>) -> Self {
        match amounts {
            Some((total, vat)) => Self {
                // The staff member's locale, like every amount in the console.
                total: crate::staff_locale::staff_money(total),
                vat: crate::staff_locale::staff_money(vat),
            },
            None => Self {
                total: DASH.to_owned(),
                vat: DASH.to_owned(),
            },
        }
    }
}

impl OrderDraft {
    /// Parses every field and runs the model's full validation. The first problem is returned
    /// with the path of the field to show it next to; nothing should be sent on `Err`.
    pub fn to_new_order(&self) -> Result<NewOrder, FieldError> {
        self.to_new_order_all().map_err(|errors| {
            errors
                .into_iter()
                .next()
                .unwrap_or_else(|| FieldError::new("", "The order is invalid."))
        })
    }

    /// Parses every field and runs the model's full validation, keeping every problem: the
    /// order details, the address, then each line (what does not parse, or else what the
    /// model says about it), then the order's totals. The order the form shows them in.
    pub fn to_new_order_all(&self) -> Result<NewOrder, Vec<FieldError>> {
        let mut order = NewOrder {
            currency: self.currency,
            locale: self.locale.trim().to_owned(),
            order_number: non_empty(&self.order_number),
            billing_address: self.billing.to_address(),
            lines: Vec::new(),
            method: non_empty(&self.method),
        };
        let mut errors = order.settings_problems();
        errors.extend(validate::customer_address_all(
            &order.billing_address,
            "billingAddress",
        ));
        for (i, line) in self.lines.iter().enumerate() {
            match line.parse_all(i, self.currency) {
                Ok(parsed) => {
                    errors.extend(parsed.problems(i, self.currency));
                    order.lines.push(parsed);
                }
                Err(problems) => errors.extend(problems),
            }
        }
        // Every line parsed and priced, so what is left are the order's totals.
        if errors.is_empty() {
            errors = order.validate_all();
        }
        if errors.is_empty() {
            Ok(order)
        } else {
            Err(errors)
        }
    }

    /// Changes the checkout language; the country follows its region (de_DE: DE) until staff
    /// chose a country themselves.
    pub fn set_locale(&mut self, locale: String) {
        if !self.country_chosen {
            if let Some(region) = locale_region(&locale) {
                self.billing.country = region.to_owned();
            }
        }
        self.locale = locale;
    }

    /// Changes the country by hand: from now on the locale leaves it alone.
    pub fn choose_country(&mut self, country: String) {
        self.billing.country = country;
        self.country_chosen = true;
    }

    /// The amounts of line `i`, once its quantity, prices and VAT rate parse.
    pub fn line_amounts(&self, i: usize) -> Option<LineAmounts> {
        self.lines.get(i)?.amounts(i, self.currency)
    }

    /// Line `i`'s total and VAT for display.
    pub fn line_text(&self, i: usize) -> AmountsText {
        AmountsText::from_money(self.line_amounts(i).map(|a| (a.total, a.vat)))
    }

    /// The order total and VAT (sums over the lines), or dashes while any line is incomplete:
    /// a partial sum would look like a real total.
    pub fn order_text(&self) -> AmountsText {
        let amounts = (0..self.lines.len())
            .map(|i| self.line_amounts(i))
            .collect::<Option<Vec<_>>>();
        let sums = amounts.and_then(|a| {
            let total = order_total(self.currency, a.iter().copied()).ok()?;
            let vat = order_vat(self.currency, a.iter().copied()).ok()?;
            Some((total, vat))
        });
        AmountsText::from_money(sums)
    }

    pub fn add_line(&mut self) {
        self.lines.push(LineDraft::default());
    }

    /// Removes line `i`; the last remaining line stays (an order needs one).
    pub fn remove_line(&mut self, i: usize) {
        if self.lines.len() > 1 && i < self.lines.len() {
            self.lines.remove(i);
        }
    }
}

impl LineDraft {
    /// Parses the typed strings into the wire line, reporting every field that does not parse
    /// (and a missing name with them, as the form shows it first). A line that parses is
    /// `Ok` even without a name: `NewLine::problems` says so then, with the model's other rules.
    pub fn parse_all(&self, i: usize, currency: Currency) -> Result<NewLine, Vec<FieldError>> {
        let error = |field: LineField, message: String| FieldError::new(field.path(i), message);
        let quantity = parse_quantity(&self.quantity).map_err(|m| error(LineField::Quantity, m));
        let unit_price = parse_money(&self.unit_price, currency, "a unit price")
            .map_err(|m| error(LineField::UnitPrice, m));
        let discount = if self.discount.trim().is_empty() {
            Ok(0)
        } else {
            parse_money(&self.discount, currency, "a discount")
                .map_err(|m| error(LineField::Discount, m))
        };
        let vat_rate = parse_vat_rate(&self.vat_rate).map_err(|m| error(LineField::VatRate, m));
        match (quantity, unit_price, discount, vat_rate) {
            (Ok(quantity), Ok(unit_price), Ok(discount), Ok(vat_rate)) => Ok(NewLine {
                name: self.name.trim().to_owned(),
                sku: non_empty(&self.sku),
                quantity,
                unit_price,
                discount,
                vat_rate,
            }),
            (quantity, unit_price, discount, vat_rate) => {
                let mut errors = Vec::new();
                if self.name.trim().is_empty() {
                    errors.push(error(
                        LineField::Name,
                        "Enter a name for this line.".to_owned(),
                    ));
                }
                errors.extend(quantity.err());
                errors.extend(unit_price.err());
                errors.extend(discount.err());
                errors.extend(vat_rate.err());
                Err(errors)
            }
        }
    }

    /// Parses the typed strings into the wire line. Only parsing happens here (number formats,
    /// decimals); `NewLine::price` owns the rules (name present, quantity ≥ 1, discount ≤ price).
    pub fn parse(&self, i: usize, currency: Currency) -> Result<NewLine, FieldError> {
        let error = |field: LineField, message: String| FieldError::new(field.path(i), message);
        let quantity = parse_quantity(&self.quantity).map_err(|m| error(LineField::Quantity, m))?;
        let unit_price = parse_money(&self.unit_price, currency, "a unit price")
            .map_err(|m| error(LineField::UnitPrice, m))?;
        let discount = if self.discount.trim().is_empty() {
            0
        } else {
            parse_money(&self.discount, currency, "a discount")
                .map_err(|m| error(LineField::Discount, m))?
        };
        let vat_rate = parse_vat_rate(&self.vat_rate).map_err(|m| error(LineField::VatRate, m))?;
        Ok(NewLine {
            name: self.name.trim().to_owned(),
            sku: non_empty(&self.sku),
            quantity,
            unit_price,
            discount,
            vat_rate,
        })
    }

    /// An existing line's values, for editing it ("Edit line").
    pub fn from_line(l: &api::LineView) -> Self {
        let plain = |m: Money| kassa_model::mollie::MollieAmount::from(m).value;
        Self {
            name: l.name.clone(),
            sku: l.sku.clone().unwrap_or_default(),
            quantity: l.quantity.to_string(),
            unit_price: plain(l.unit_price),
            discount: l.discount.map(plain).unwrap_or_default(),
            vat_rate: l.vat_rate.to_string(),
        }
    }

    /// The live amounts, through the same `NewLine::price` the submit uses. The name and SKU
    /// do not change amounts, so a placeholder name lets totals appear before the name is typed.
    pub fn amounts(&self, i: usize, currency: Currency) -> Option<LineAmounts> {
        let mut line = self.parse(i, currency).ok()?;
        if line.name.is_empty() {
            line.name = "line".to_owned();
        }
        line.sku = None;
        line.price(i, currency).ok().map(|priced| priced.amounts)
    }
}

impl AddressDraft {
    /// A hint when the postal code does not look like one of the country's (a Berlin postcode
    /// with NL): worth a second look, never a reason to refuse the order. None for an empty
    /// code (the check says to enter one) and for countries without a known pattern.
    pub fn postal_code_warning(&self) -> Option<String> {
        self.postal_code_warning_in(crate::i18n::Lang::En)
    }

    /// [`Self::postal_code_warning`] in `lang` (the shop's customer's).
    pub fn postal_code_warning_in(&self, lang: crate::i18n::Lang) -> Option<String> {
        let code = self.postal_code.trim();
        if code.is_empty() || postal::fits(&self.country, code)? {
            return None;
        }
        let country = self.country.trim().to_ascii_uppercase();
        let place = countries::label_in(&country, lang).unwrap_or_else(|| country.clone());
        Some(lang.t(crate::i18n::Msg::PostalHint).replace("{}", &place))
    }

    /// The fields of an existing address, for editing it (missing ones empty, no defaults).
    pub fn from_address(a: &api::Address) -> Self {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            given_name: text(&a.given_name),
            family_name: text(&a.family_name),
            email: text(&a.email),
            street_and_number: text(&a.street_and_number),
            postal_code: text(&a.postal_code),
            city: text(&a.city),
            country: text(&a.country),
        }
    }

    /// `original` with the fields this form shows replaced by what was typed; the fields it
    /// does not show (organization, phone, ...) stay as they were.
    pub fn merge_into(&self, original: &api::Address) -> api::Address {
        let typed = self.to_address();
        api::Address {
            given_name: typed.given_name,
            family_name: typed.family_name,
            email: typed.email,
            street_and_number: typed.street_and_number,
            postal_code: typed.postal_code,
            city: typed.city,
            country: typed.country,
            ..original.clone()
        }
    }

    /// The wire address: trimmed, blanks left out, the country in upper case.
    pub fn to_address(&self) -> api::Address {
        api::Address {
            given_name: non_empty(&self.given_name),
            family_name: non_empty(&self.family_name),
            email: non_empty(&self.email),
            street_and_number: non_empty(&self.street_and_number),
            postal_code: non_empty(&self.postal_code),
            city: non_empty(&self.city),
            country: non_empty(&self.country).map(|c| c.to_ascii_uppercase()),
            ..api::Address::default()
        }
    }
}

/// An error the form shows: next to a field, or above the submit button.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormError {
    Field(FieldError),
    Form(String),
}

impl FormError {
    /// Where the form shows this error: a slot name (see [`error_slot`]) or `None` for the
    /// form-level message.
    pub fn slot(&self, line_count: usize) -> Option<String> {
        match self {
            Self::Field(e) => error_slot(&e.field, line_count),
            Self::Form(_) => None,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Self::Field(e) => &e.message,
            Self::Form(m) => m,
        }
    }
}

/// Maps an error's field path (ours, or the proxy's Mollie-style one) to the place in the form
/// that shows it. Slots are field paths of the form (`lines.0.unitPrice`,
/// `billingAddress.city`), plus `lines.{i}` for a row, `billingAddress` for the address block
/// and `lines` for the order totals, and `line.{key}` for the "Edit line" dialog. `None`: no
/// place fits, show it at form level.
pub fn error_slot(field: &str, line_count: usize) -> Option<String> {
    let field = field
        .strip_suffix(".value")
        .or_else(|| field.strip_suffix(".currency"))
        .unwrap_or(field);
    let mut parts = field.split('.');
    match (parts.next()?, parts.next(), parts.next(), parts.next()) {
        (
            "currency" | "locale" | "orderNumber" | "merchantReference2" | "method" | "lines",
            None,
            _,
            _,
        ) => Some(field.to_owned()),
        ("amount", None, _, _) => Some("lines".to_owned()),
        (root @ ("billingAddress" | "shippingAddress"), None, _, _) => Some(root.to_owned()),
        (root @ ("billingAddress" | "shippingAddress"), Some(key), None, _) => Some(
            AddressField::ALL
                .into_iter()
                .find(|f| f.key() == key)
                .map_or_else(|| root.to_owned(), |f| f.path_in(root)),
        ),
        ("lines", Some(index), key, None) => {
            let i: usize = index.parse().ok().filter(|i| *i < line_count)?;
            let key = match key {
                Some("discountAmount") => Some("discount"),
                other => other,
            };
            Some(
                LineField::ALL
                    .into_iter()
                    .find(|f| Some(f.key()) == key)
                    .map_or_else(|| format!("lines.{i}"), |f| f.path(i)),
            )
        }
        // The "Refund an amount" dialog's fields (`refund.amount`).
        ("refund", Some(key @ ("amount" | "description")), None, _) => {
            Some(format!("refund.{key}"))
        }
        // The "Edit line" dialog's fields (`line.quantity`); the proxy names Mollie's amount
        // fields after the provider (`line.discountAmount`).
        ("line", Some(key), None, _) => {
            let key = if key == "discountAmount" {
                "discount"
            } else {
                key
            };
            LineField::ALL
                .into_iter()
                .find(|f| f.key() == key)
                .map(|f| format!("line.{}", f.key()))
        }
        _ => None,
    }
}

/// The `id` of the input for field path `path` (`billingAddress.city`: `field-billingAddress-city`):
/// what the error summary links to and its message's `aria-describedby` hangs off. Dots
/// become dashes so the id also works in a CSS selector.
pub fn field_id(path: &str) -> String {
    format!("field-{}", path.replace('.', "-"))
}

/// The `id` of the message shown under the field `path`.
pub fn field_message_id(path: &str) -> String {
    format!("{}-error", field_id(path))
}

/// Where the error summary's link for `slot` takes the user: the slot's input, or for a block
/// slot (`lines.0`, `lines`, `billingAddress`), which has no input, its message.
pub fn summary_target(slot: &str) -> String {
    let block = match slot.split('.').collect::<Vec<_>>().as_slice() {
        ["lines" | "billingAddress" | "shippingAddress"] => true,
        ["lines", index] => index.parse::<usize>().is_ok(),
        _ => false,
    };
    if block {
        field_message_id(slot)
    } else {
        field_id(slot)
    }
}

/// How the error summary names the place of `slot`: "Billing address, City", "Line 2, Name".
/// `None` for a slot with no better name than its message.
pub fn slot_label(slot: &str) -> Option<String> {
    let parts: Vec<&str> = slot.split('.').collect();
    let address_label = |key: &str| {
        AddressField::ALL
            .into_iter()
            .find(|f| f.key() == key)
            .map(AddressField::label)
    };
    let line_label = |key: &str| {
        LineField::ALL
            .into_iter()
            .find(|f| f.key() == key)
            .map(LineField::label)
    };
    let block = |root: &str| match root {
        "billingAddress" => Some("Billing address"),
        "shippingAddress" => Some("Shipping address"),
        _ => None,
    };
    match parts.as_slice() {
        ["currency"] => Some("Currency".to_owned()),
        ["locale"] => Some("Checkout language".to_owned()),
        ["orderNumber"] => Some("Order number".to_owned()),
        ["method"] => Some("Payment method".to_owned()),
        ["lines"] => Some("Lines".to_owned()),
        [root] => block(root).map(str::to_owned),
        [root @ ("billingAddress" | "shippingAddress"), key] => {
            Some(format!("{}, {}", block(root)?, address_label(key)?))
        }
        ["lines", index] => Some(format!("Line {}", index.parse::<usize>().ok()? + 1)),
        ["lines", index, key] => Some(format!(
            "Line {}, {}",
            index.parse::<usize>().ok()? + 1,
            line_label(key)?
        )),
        ["line", key] => line_label(key).map(str::to_owned),
        _ => None,
    }
}

/// The region of a checkout locale as a country code (`de_CH`: `CH`), if it is one.
pub fn locale_region(locale: &str) -> Option<&str> {
    let (_, region) = locale.split_once('_')?;
    validate::is_country_code(region).then_some(region)
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

fn parse_quantity(s: &str) -> Result<u32, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("Enter a quantity.".to_owned());
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err("Enter a whole number, like 1 or 12.".to_owned());
    }
    s.parse::<u32>()
        .map_err(|_| "This quantity is too large.".to_owned())
}

/// Parses a typed amount in `currency`; `what` names it in the messages ("a unit price").
/// An amount typed in `currency` ("12.50"), in minor units; the message names `what`.
pub fn parse_money(s: &str, currency: Currency, what: &str) -> Result<i64, String> {
    if s.trim().is_empty() {
        return Err(format!("Enter {what}."));
    }
    Money::parse_major(s, currency)
        .map(|m| m.minor)
        .map_err(|e| match e {
            MoneyError::TooManyDecimals { max: 0 } => {
                format!("{} amounts have no decimals.", currency.code())
            }
            MoneyError::TooManyDecimals { max } => {
                format!("Use at most {max} decimals for {}.", currency.code())
            }
            MoneyError::Overflow => "This amount is too large.".to_owned(),
            _ => "Enter an amount like 12.50 (no thousands separators).".to_owned(),
        })
}

fn parse_vat_rate(s: &str) -> Result<VatRate, String> {
    if s.trim().is_empty() {
        return Err("Enter a VAT rate, like 21 or 9.5.".to_owned());
    }
    s.parse::<VatRate>().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locale_choices_are_the_ones_the_model_accepts() {
        let offered: Vec<&str> = LOCALES.iter().map(|(code, _)| *code).collect();
        assert_eq!(offered, kassa_model::validate::LOCALES);
        for (id, _) in METHODS {
            assert_eq!(kassa_model::validate::payment_method(id), Ok(()), "{id}");
        }
    }

    fn line(name: &str, quantity: &str, price: &str, discount: &str, vat: &str) -> LineDraft {
        LineDraft {
            name: name.into(),
            sku: String::new(),
            quantity: quantity.into(),
            unit_price: price.into(),
            discount: discount.into(),
            vat_rate: vat.into(),
        }
    }

    /// Mollie's documentation example: two lines, €1,027.99 in total.
    fn complete() -> OrderDraft {
        OrderDraft {
            billing: AddressDraft {
                given_name: "Piet".into(),
                family_name: "Mondriaan".into(),
                email: "piet@mondriaan.com".into(),
                street_and_number: "Keizersgracht 126".into(),
                postal_code: "1015 CW".into(),
                city: "Amsterdam".into(),
                country: "nl".into(),
            },
            lines: vec![
                line("LEGO 42083 Bugatti Chiron", "2", "399.00", "100,00", "21"),
                line("LEGO 42056 Porsche 911 GT3", "1", "329.99", "", "21.00"),
            ],
            ..OrderDraft::default()
        }
    }

    #[test]
    fn a_fresh_form_has_one_line_and_the_defaults() {
        let d = OrderDraft::default();
        assert_eq!(d.currency, Currency::EUR);
        assert_eq!(d.locale, "nl_NL");
        assert_eq!(locale_region(&d.locale), Some(d.billing.country.as_str()));
        assert_eq!(d.billing.country, "NL");
        assert_eq!(d.lines, vec![LineDraft::default()]);
        assert_eq!(d.lines[0].quantity, "1");
        assert_eq!(d.lines[0].vat_rate, "21");
        assert_eq!(d.order_text().total, DASH);
    }

    #[test]
    fn live_totals_follow_the_model() {
        let d = complete();
        assert_eq!(
            d.line_text(0),
            AmountsText {
                total: "€698.00".into(),
                vat: "€121.14".into()
            }
        );
        assert_eq!(d.line_text(1).total, "€329.99");
        assert_eq!(
            d.order_text(),
            AmountsText {
                total: "€1,027.99".into(),
                vat: "€178.41".into()
            }
        );
    }

    #[test]
    fn totals_show_before_the_name_and_dash_when_incomplete() {
        let mut d = OrderDraft::default();
        d.lines[0] = line("", "3", "10", "", "21");
        assert_eq!(d.line_text(0).total, "€30.00");
        d.lines[0].unit_price = "12.345".into();
        assert_eq!(d.line_text(0).total, DASH);
        assert_eq!(d.order_text().total, DASH);
        assert_eq!(d.line_text(7).total, DASH);
    }

    #[test]
    fn a_missing_name_is_said_before_a_missing_price() {
        let mut d = complete();
        d.lines[0].name = " ".into();
        d.lines[0].unit_price = String::new();
        assert_eq!(d.to_new_order().unwrap_err().field, "lines.0.name");
        d.lines[0].name = "Bugatti".into();
        assert_eq!(d.to_new_order().unwrap_err().field, "lines.0.unitPrice");
    }

    #[test]
    fn a_complete_draft_becomes_the_wire_order() {
        let order = complete().to_new_order().unwrap();
        assert_eq!(order.lines[0].unit_price, 39_900);
        assert_eq!(order.lines[0].discount, 10_000);
        assert_eq!(order.lines[0].vat_rate.to_string(), "21.00");
        assert_eq!(order.billing_address.country.as_deref(), Some("NL"));
        assert_eq!(order.order_number, None);
        assert_eq!(order.method, None);
        assert_eq!(order.price().unwrap().amount.display(), "€1,027.99");
    }

    #[test]
    fn errors_name_the_field_to_show_them_at() {
        type Breakage = fn(&mut OrderDraft);
        let cases: [(Breakage, &str); 8] = [
            (|d| d.lines[0].name = "  ".into(), "lines.0.name"),
            (
                |d| d.lines[1].unit_price = "12.345".into(),
                "lines.1.unitPrice",
            ),
            (|d| d.lines[1].unit_price = "".into(), "lines.1.unitPrice"),
            (|d| d.lines[0].quantity = "1.5".into(), "lines.0.quantity"),
            (|d| d.lines[0].quantity = "0".into(), "lines.0.quantity"),
            (|d| d.lines[0].discount = "900".into(), "lines.0.discount"),
            (|d| d.lines[0].vat_rate = "abc".into(), "lines.0.vatRate"),
            (
                |d| d.billing.given_name = "".into(),
                "billingAddress.givenName",
            ),
        ];
        for (break_it, field) in cases {
            let mut d = complete();
            break_it(&mut d);
            assert_eq!(d.to_new_order().unwrap_err().field, field);
        }
    }

    /// The fields of every problem the draft has, in the order the form reports them.
    fn problem_fields(d: &OrderDraft) -> Vec<String> {
        d.to_new_order_all()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn every_problem_is_reported_at_once_in_the_order_of_the_form() {
        // The example: an empty line name, VAT 150 % and an empty address.
        let mut d = complete();
        d.billing = AddressDraft::default();
        d.lines[0].name = String::new();
        d.lines[1].vat_rate = "150".into();
        d.lines[1].unit_price = "1.234".into();
        let fields = problem_fields(&d);
        assert_eq!(
            fields,
            [
                "billingAddress.givenName",
                "billingAddress.familyName",
                "billingAddress.email",
                "billingAddress.streetAndNumber",
                "billingAddress.postalCode",
                "billingAddress.city",
                "lines.0.name",
                "lines.1.unitPrice",
                "lines.1.vatRate",
            ]
        );
        assert_eq!(
            d.to_new_order().unwrap_err().field,
            "billingAddress.givenName"
        );
        // A line that does not parse still says its name is missing, first.
        let mut d = complete();
        d.lines[0].name = " ".into();
        d.lines[0].quantity = "x".into();
        let fields = problem_fields(&d);
        assert_eq!(fields, ["lines.0.name", "lines.0.quantity"]);
        assert!(complete().to_new_order_all().is_ok());
    }

    #[test]
    fn the_country_follows_the_locale_until_chosen_by_hand() {
        let mut d = OrderDraft::default();
        d.set_locale("de_DE".into());
        assert_eq!(d.billing.country, "DE");
        d.set_locale("en_GB".into());
        assert_eq!(d.billing.country, "GB");
        d.choose_country("BE".into());
        d.set_locale("fr_FR".into());
        assert_eq!(
            (d.locale.as_str(), d.billing.country.as_str()),
            ("fr_FR", "BE")
        );
        for (code, _) in LOCALES {
            assert!(locale_region(code).is_some(), "{code} has a country");
        }
    }

    #[test]
    fn a_postal_code_that_does_not_fit_the_country_gets_a_warning() {
        let mut a = complete().billing;
        a.country = "NL".into();
        a.postal_code = "10115".into();
        let warning = a
            .postal_code_warning()
            .expect("a Berlin postcode is not Dutch");
        assert!(warning.contains("Netherlands (NL)"), "{warning}");
        a.country = "DE".into();
        assert_eq!(a.postal_code_warning(), None);
        a.country = "SE".into();
        assert_eq!(a.postal_code_warning(), None, "no pattern, no warning");
        a.country = "NL".into();
        a.postal_code = String::new();
        assert_eq!(
            a.postal_code_warning(),
            None,
            "empty is the check's business"
        );
        assert_eq!(field_id("lines.0.name"), "field-lines-0-name");
    }

    #[test]
    fn summary_entries_name_their_place_and_link_to_it() {
        assert_eq!(
            slot_label("billingAddress.city").as_deref(),
            Some("Billing address, City")
        );
        assert_eq!(
            slot_label("lines.1.vatRate").as_deref(),
            Some("Line 2, VAT %")
        );
        assert_eq!(slot_label("lines.0").as_deref(), Some("Line 1"));
        assert_eq!(slot_label("refund.amount"), None);
        assert_eq!(summary_target("lines.1.vatRate"), "field-lines-1-vatRate");
        assert_eq!(summary_target("lines.1"), "field-lines-1-error");
        assert_eq!(summary_target("lines"), "field-lines-error");
    }

    #[test]
    fn zero_decimal_currencies_reject_cents() {
        let mut d = complete();
        d.currency = Currency::JPY;
        let err = d.to_new_order().unwrap_err();
        assert_eq!(err.field, "lines.0.unitPrice");
        assert_eq!(err.message, "JPY amounts have no decimals.");
    }

    #[test]
    fn the_last_line_cannot_be_removed() {
        let mut d = OrderDraft::default();
        d.add_line();
        d.remove_line(0);
        d.remove_line(0);
        assert_eq!(d.lines.len(), 1);
    }

    #[test]
    fn proxy_field_paths_find_their_slot() {
        assert_eq!(
            error_slot("lines.1.name", 2).as_deref(),
            Some("lines.1.name")
        );
        assert_eq!(
            error_slot("lines.0.discountAmount.value", 1).as_deref(),
            Some("lines.0.discount")
        );
        assert_eq!(
            error_slot("lines.0.vatAmount", 1).as_deref(),
            Some("lines.0")
        );
        assert_eq!(error_slot("lines.3.name", 2), None);
        assert_eq!(error_slot("amount", 1).as_deref(), Some("lines"));
        assert_eq!(
            error_slot("billingAddress.email", 1).as_deref(),
            Some("billingAddress.email")
        );
        assert_eq!(
            error_slot("billingAddress.phone", 1).as_deref(),
            Some("billingAddress")
        );
        assert_eq!(error_slot("redirectUrl", 1), None);
        assert_eq!(
            error_slot("line.discountAmount.value", 0).as_deref(),
            Some("line.discount")
        );
        assert_eq!(
            error_slot("line.vatRate", 0).as_deref(),
            Some("line.vatRate")
        );
        assert_eq!(error_slot("line.metadata", 0), None);
    }
}
