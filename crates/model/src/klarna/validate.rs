//! Klarna's request checks. The emulator answers with them; Kassa's client checks the same
//! before sending.
//!
//! Each check returns the **first** failing field, in a fixed order (Kassa's choice; which of
//! two bad fields Klarna names first is undocumented): first the schema — each field present
//! when required, within its range, length, pattern or list of words; top-level fields before
//! the entries of a list, each entry's fields in its table's order (listed at [`cart`]) —
//! then each line's arithmetic (`total_amount`, then `total_tax_amount`), then order-level
//! sums. Schema before business rules is the usual shape of a JVM service such as Klarna's
//! (bean validation, then logic).
//!
//! Klarna Payments answers every violation with 400 `BAD_VALUE` and `Bad value: <field>`,
//! the field in Klarna's path form (`order_lines[0].total_tax_amount`,
//! `billing_address.region`): [`BadValue`]. Klarna documents no other message for a missing
//! required field, so a missing field is `Bad value: <field>` too (Kassa's choice). Order
//! Management's answers are in [`OmInvalid`].
//!
//! Limits Klarna leaves open and Kassa chose: `quantity` ≤ [`QUANTITY_MAX`] (Klarna's 2020
//! spec); amounts that may be negative ≥ −[`AMOUNT_MAX`]; OM `tax_rate` ≤ [`TAX_RATE_MAX`]
//! (KP's maximum); text length counted in UTF-16 code units, as Klarna's JVM services do.

mod om;
mod rules;

use crate::klarna::arithmetic::checked_sum;
use crate::klarna::om::{Address, ErrorBody, OrderLine};
use crate::klarna::payments::{
    Attachment, CreateOrderRequest, Customer, CustomerTokenCreationRequest, MerchantUrls, Options,
    SessionCreate,
};
use crate::{Currency, Money, VatRate};

pub use om::{
    capture, extend_due_date, lines_match_amount, merchant_references, refund, shipping_info,
    update_authorization, update_consumer, OmInvalid, SizeViolation,
};
use rules::{check, each, letters, nested, Api, Rule, Violation};

/// The highest amount Klarna's 2023 spec takes (newer specs: 200000000); the same bound Kassa
/// holds every provider's amounts to.
pub const AMOUNT_MAX: i64 = crate::limits::MAX_AMOUNT_MINOR;
/// The most units on one line (Kassa's choice for every provider, from Klarna's 2020 spec).
pub const QUANTITY_MAX: i64 = crate::limits::MAX_QUANTITY as i64;
/// 100 %, in basis points.
pub const TAX_RATE_MAX: i64 = VatRate::MAX_BASIS_POINTS as i64;
pub const ORDER_LINES_MAX: usize = 1_000;
pub const SHIPPING_INFO_MAX: usize = 500;
/// Klarna Payments' order-line types.
pub const KP_LINE_TYPES: &[&str] = &[
    "physical",
    "discount",
    "shipping_fee",
    "sales_tax",
    "digital",
    "gift_card",
    "store_credit",
    "surcharge",
];
/// Order Management's order-line types: KP's and `return_fee`.
pub const OM_LINE_TYPES: &[&str] = &[
    "physical",
    "discount",
    "shipping_fee",
    "sales_tax",
    "digital",
    "gift_card",
    "store_credit",
    "surcharge",
    "return_fee",
];
/// `shipping_info.shipping_method` values.
pub const SHIPPING_METHODS: &[&str] = &[
    "PickUpStore",
    "Home",
    "BoxReg",
    "BoxUnreg",
    "PickUpPoint",
    "Own",
    "Postal",
    "DHLPackstation",
    "Digital",
    "Undefined",
    "PickUpWarehouse",
    "ClickCollect",
    "PalletDelivery",
];

/// Klarna's 400 `BAD_VALUE`: displays as `Bad value: order_lines[0].total_tax_amount`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Bad value: {field}")]
pub struct BadValue {
    /// Dotted names, bracketed indices: `order_lines[2].total_tax_amount`.
    pub field: String,
}

impl BadValue {
    pub const STATUS: u16 = 400;
    pub const ERROR_CODE: &'static str = "BAD_VALUE";

    pub fn new(field: impl Into<String>) -> Self {
        Self {
            field: field.into(),
        }
    }

    /// The error body Klarna answers with.
    pub fn to_error_body(&self, correlation_id: impl Into<String>) -> ErrorBody {
        ErrorBody::new(Self::ERROR_CODE, vec![self.to_string()], correlation_id)
    }
}

impl From<Violation> for BadValue {
    fn from(v: Violation) -> Self {
        Self::new(v.field)
    }
}

/// The fields of a Klarna Payments cart, borrowed from a session or a create-order request.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cart<'a> {
    pub purchase_country: Option<&'a str>,
    pub purchase_currency: Option<&'a str>,
    pub locale: Option<&'a str>,
    pub order_amount: Option<i64>,
    pub order_tax_amount: Option<i64>,
    pub order_lines: Option<&'a [OrderLine]>,
    pub billing_address: Option<&'a Address>,
    pub shipping_address: Option<&'a Address>,
    pub customer: Option<&'a Customer>,
    pub merchant_reference1: Option<&'a str>,
    pub merchant_reference2: Option<&'a str>,
    pub merchant_data: Option<&'a str>,
    pub merchant_urls: Option<&'a MerchantUrls>,
    /// Sessions only.
    pub intent: Option<&'a str>,
    /// Sessions only.
    pub acquiring_channel: Option<&'a str>,
    /// Sessions only.
    pub options: Option<&'a Options>,
    /// Sessions only.
    pub attachment: Option<&'a Attachment>,
}

impl<'a> From<&'a SessionCreate> for Cart<'a> {
    fn from(s: &'a SessionCreate) -> Self {
        Self {
            purchase_country: s.purchase_country.as_deref(),
            purchase_currency: s.purchase_currency.as_deref(),
            locale: s.locale.as_deref(),
            order_amount: s.order_amount,
            order_tax_amount: s.order_tax_amount,
            order_lines: s.order_lines.as_deref(),
            billing_address: s.billing_address.as_ref(),
            shipping_address: s.shipping_address.as_ref(),
            customer: s.customer.as_ref(),
            merchant_reference1: s.merchant_reference1.as_deref(),
            merchant_reference2: s.merchant_reference2.as_deref(),
            merchant_data: s.merchant_data.as_deref(),
            merchant_urls: s.merchant_urls.as_ref(),
            intent: s.intent.as_deref(),
            acquiring_channel: s.acquiring_channel.as_deref(),
            options: s.options.as_ref(),
            attachment: s.attachment.as_ref(),
        }
    }
}

impl<'a> From<&'a CreateOrderRequest> for Cart<'a> {
    fn from(r: &'a CreateOrderRequest) -> Self {
        Self {
            purchase_country: r.purchase_country.as_deref(),
            purchase_currency: r.purchase_currency.as_deref(),
            locale: r.locale.as_deref(),
            order_amount: r.order_amount,
            order_tax_amount: r.order_tax_amount,
            order_lines: r.order_lines.as_deref(),
            billing_address: r.billing_address.as_ref(),
            shipping_address: r.shipping_address.as_ref(),
            customer: r.customer.as_ref(),
            merchant_reference1: r.merchant_reference1.as_deref(),
            merchant_reference2: r.merchant_reference2.as_deref(),
            merchant_data: r.merchant_data.as_deref(),
            merchant_urls: r.merchant_urls.as_ref(),
            ..Self::default()
        }
    }
}

/// A cart that passed [`cart`], its amounts as [`Money`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidCart {
    /// Upper-case.
    pub purchase_country: String,
    pub currency: Currency,
    pub order_amount: Money,
    /// An absent `order_tax_amount` is 0.
    pub order_tax_amount: Money,
    pub lines: Vec<ValidLine>,
}

/// A line of a [`ValidCart`]; absent discount, rate and tax are 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidLine {
    pub quantity: i64,
    pub unit_price: Money,
    pub total_discount_amount: Money,
    pub tax_rate: VatRate,
    pub total_amount: Money,
    pub total_tax_amount: Money,
}

/// Checks a Klarna Payments cart: session create, session update (apply the update with
/// [`SessionCreate::apply_update`], then check the whole session: the session then always
/// holds a valid cart — Kassa's choice, Klarna does not say how it checks a partial update)
/// and create-order. In this order:
///
/// 1. `purchase_country` (required, two letters, an ISO 3166-1 code, any case),
///    `purchase_currency` (required, three letters, one of [`Currency`], any case), `locale`
///    (`^[A-Za-z]{2}(?:-[A-Za-z]{2})*$`), `order_amount` (required, 0..=[`AMOUNT_MAX`]),
///    `order_tax_amount` (0..=[`AMOUNT_MAX`]), `order_lines` (required, 1..=1000 entries);
/// 2. each line's fields (`name`, `quantity`, `quantity_unit`, `reference`, `type`,
///    `unit_price`, `total_discount_amount`, `tax_rate`, `total_amount`, `total_tax_amount`,
///    `merchant_data`, `product_url`, `image_url`, `product_identifiers.*`, `subscription.*`);
/// 3. `billing_address.*`, `shipping_address.*` (lengths, `country`, then `region` for US
///    and AU), `customer.*`, `merchant_reference1`/`2` (≤ 255), `merchant_data` (≤ 6000),
///    `merchant_urls.*` (≤ 2000), then the session's `intent`, `acquiring_channel`,
///    `options.*` (`#RRGGBB`), `attachment.*`;
/// 4. each line's `total_amount` (= quantity × unit_price − total_discount_amount), then its
///    `total_tax_amount` (within ±1);
/// 5. `order_amount` = Σ `total_amount`, exactly; `order_tax_amount` (absent = 0) = Σ
///    `total_tax_amount` + Σ `total_amount` of `sales_tax` lines, exactly. Klarna's docs
///    mention an order-level tolerance without a readable formula (reference §5.4); exact
///    sums are what any conforming cart has. US-style carts put the tax on a `sales_tax` line
///    (rate 0, tax 0) and repeat its amount in `order_tax_amount`, hence the second sum.
pub fn cart<'a>(cart: impl Into<Cart<'a>>) -> Result<ValidCart, BadValue> {
    let c = cart.into();
    let (country, currency) = cart_schema(&c)?;
    let lines = c.order_lines.unwrap_or_default();
    let mut valid = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let rate = rules::line_arithmetic(line, &format!("order_lines[{i}]"))?;
        valid.push(valid_line(line, rate, currency));
    }
    let order_amount = c.order_amount.unwrap_or(0);
    if checked_sum(lines.iter().map(|l| l.total_amount.unwrap_or(0))) != Ok(order_amount) {
        return Err(BadValue::new("order_amount"));
    }
    let order_tax_amount = c.order_tax_amount.unwrap_or(0);
    let taxes = lines.iter().map(|l| l.total_tax_amount.unwrap_or(0));
    let sales_tax = lines
        .iter()
        .filter(|l| l.kind.as_deref() == Some("sales_tax"))
        .map(|l| l.total_amount.unwrap_or(0));
    if checked_sum(taxes.chain(sales_tax)) != Ok(order_tax_amount) {
        return Err(BadValue::new("order_tax_amount"));
    }
    Ok(ValidCart {
        purchase_country: country,
        currency,
        order_amount: Money::new(order_amount, currency),
        order_tax_amount: Money::new(order_tax_amount, currency),
        lines: valid,
    })
}

// Tables on `Cart` are functions: a `const` could only hold rules for `Cart<'static>`.

/// Steps 1–3 of [`cart`]; the upper-cased country and the currency.
fn cart_schema(c: &Cart<'_>) -> Result<(String, Currency), BadValue> {
    let (country, currency) = market(c.purchase_country, c.purchase_currency, c.locale)?;
    check(&cart_rules(), c, "")?;
    each(c.order_lines, "order_lines", |line, p| {
        rules::line_fields(Api::Payments, line, p)
    })?;
    for (address, name) in [
        (c.billing_address, "billing_address"),
        (c.shipping_address, "shipping_address"),
    ] {
        address.map_or(Ok(()), |a| rules::kp_address(a, name))?;
    }
    nested(rules::KP_CUSTOMER, c.customer, "", "customer")?;
    check(&cart_extras(), c, "")?;
    nested(rules::MERCHANT_URLS, c.merchant_urls, "", "merchant_urls")?;
    check(&session_words(), c, "")?;
    nested(rules::OPTIONS, c.options, "", "options")?;
    nested(rules::ATTACHMENT, c.attachment, "", "attachment")?;
    Ok((country, currency))
}

/// `purchase_country` (required, two letters, ISO 3166-1), `purchase_currency` (required,
/// three letters, a [`Currency`]), `locale` (when present); any case. The country upper-cased.
fn market(
    country: Option<&str>,
    currency: Option<&str>,
    locale: Option<&str>,
) -> Result<(String, Currency), BadValue> {
    let country = country
        .filter(|s| letters(s, 2) && crate::validate::is_country_code(s))
        .ok_or_else(|| BadValue::new("purchase_country"))?;
    let currency = currency
        .filter(|s| letters(s, 3))
        .and_then(|s| s.to_ascii_uppercase().parse::<Currency>().ok())
        .ok_or_else(|| BadValue::new("purchase_currency"))?;
    if locale.is_some_and(|l| !rules::locale(l)) {
        return Err(BadValue::new("locale"));
    }
    Ok((country.to_ascii_uppercase(), currency))
}

fn cart_rules<'a>() -> [Rule<Cart<'a>>; 5] {
    [
        Rule::Required("order_amount", |c| c.order_amount.is_some()),
        Rule::Range("order_amount", |c| c.order_amount, 0, AMOUNT_MAX),
        Rule::Range("order_tax_amount", |c| c.order_tax_amount, 0, AMOUNT_MAX),
        Rule::Required("order_lines", |c| c.order_lines.is_some()),
        Rule::Count(
            "order_lines",
            |c| c.order_lines.map(<[_]>::len),
            1,
            ORDER_LINES_MAX,
        ),
    ]
}

fn cart_extras<'a>() -> [Rule<Cart<'a>>; 3] {
    [
        Rule::Len("merchant_reference1", |c| c.merchant_reference1, 0, 255),
        Rule::Len("merchant_reference2", |c| c.merchant_reference2, 0, 255),
        Rule::Len("merchant_data", |c| c.merchant_data, 0, 6000),
    ]
}

fn session_words<'a>() -> [Rule<Cart<'a>>; 2] {
    [
        Rule::OneOf(
            "intent",
            |c| c.intent,
            &["buy", "tokenize", "buy_and_tokenize"],
        ),
        Rule::OneOf(
            "acquiring_channel",
            |c| c.acquiring_channel,
            &["ECOMMERCE", "IN_STORE", "TELESALES"],
        ),
    ]
}

/// A line that passed every check, as money.
fn valid_line(line: &OrderLine, tax_rate: VatRate, currency: Currency) -> ValidLine {
    let money = |v: Option<i64>| Money::new(v.unwrap_or(0), currency);
    ValidLine {
        quantity: line.quantity.unwrap_or(0),
        unit_price: money(line.unit_price),
        total_discount_amount: money(line.total_discount_amount),
        tax_rate,
        total_amount: money(line.total_amount),
        total_tax_amount: money(line.total_tax_amount),
    }
}

/// Checks a customer-token request (`POST …/customer-token`): `purchase_country`,
/// `purchase_currency`, `locale` (all required here), `description` (required, 1..255),
/// `intended_use` (required, `SUBSCRIPTION`), then `billing_address.*` and `customer.*`.
pub fn customer_token(req: &CustomerTokenCreationRequest) -> Result<(), BadValue> {
    market(
        req.purchase_country.as_deref(),
        req.purchase_currency.as_deref(),
        req.locale.as_deref(),
    )?;
    check(CUSTOMER_TOKEN, req, "")?;
    if let Some(a) = &req.billing_address {
        rules::kp_address(a, "billing_address")?;
    }
    nested(rules::KP_CUSTOMER, req.customer.as_ref(), "", "customer")?;
    Ok(())
}

const CUSTOMER_TOKEN: &[Rule<CustomerTokenCreationRequest>] = &[
    Rule::Required("locale", |r| r.locale.is_some()),
    Rule::Required("description", |r| r.description.is_some()),
    Rule::Len("description", |r| r.description.as_deref(), 1, 255),
    Rule::Required("intended_use", |r| r.intended_use.is_some()),
    Rule::OneOf(
        "intended_use",
        |r| r.intended_use.as_deref(),
        &["SUBSCRIPTION"],
    ),
];

/// What differs between the session's cart and a create-order request's, for Klarna's 409
/// `BAD_VALUE` "Not matching fields: [...]". Compared, in this order: `purchase_country`,
/// `purchase_currency`, `order_amount`, `order_tax_amount`, the number of lines, and — when
/// the numbers agree — each line's `quantity`, `unit_price`, `total_discount_amount`,
/// `tax_rate`, `total_amount`, `total_tax_amount`. Not compared (may be added or differ):
/// addresses, customer, merchant references, data and URLs, locale, line names, references,
/// types and URLs.
///
/// The line count is Klarna's documented wording ("Incorrect number of items in the cart.
/// Expected: 4, Actual: 5", expected = the session's); the others follow it
/// ("Incorrect order_amount. Expected: 2000, Actual: 2100") — Kassa's choice.
pub fn cart_mismatches(session: &ValidCart, order: &ValidCart) -> Vec<String> {
    let mut out = Vec::new();
    let mut differ = |field: &str, expected: String, actual: String| {
        if expected != actual {
            out.push(format!(
                "Incorrect {field}. Expected: {expected}, Actual: {actual}"
            ));
        }
    };
    differ(
        "purchase_country",
        session.purchase_country.clone(),
        order.purchase_country.clone(),
    );
    differ(
        "purchase_currency",
        session.currency.to_string(),
        order.currency.to_string(),
    );
    differ(
        "order_amount",
        session.order_amount.minor.to_string(),
        order.order_amount.minor.to_string(),
    );
    differ(
        "order_tax_amount",
        session.order_tax_amount.minor.to_string(),
        order.order_tax_amount.minor.to_string(),
    );
    if session.lines.len() != order.lines.len() {
        out.push(format!(
            "Incorrect number of items in the cart. Expected: {}, Actual: {}",
            session.lines.len(),
            order.lines.len()
        ));
        return out;
    }
    for (i, (s, o)) in session.lines.iter().zip(&order.lines).enumerate() {
        let fields = [
            ("quantity", s.quantity, o.quantity),
            ("unit_price", s.unit_price.minor, o.unit_price.minor),
            (
                "total_discount_amount",
                s.total_discount_amount.minor,
                o.total_discount_amount.minor,
            ),
            (
                "tax_rate",
                i64::from(s.tax_rate.basis_points()),
                i64::from(o.tax_rate.basis_points()),
            ),
            ("total_amount", s.total_amount.minor, o.total_amount.minor),
            (
                "total_tax_amount",
                s.total_tax_amount.minor,
                o.total_tax_amount.minor,
            ),
        ];
        for (name, expected, actual) in fields {
            differ(
                &format!("order_lines[{i}].{name}"),
                expected.to_string(),
                actual.to_string(),
            );
        }
    }
    out
}

/// Klarna's 409 message when the carts differ: `Not matching fields: [<details>]`, the
/// details of [`cart_mismatches`] joined by ", "; `None` when they match.
pub fn cart_mismatch(session: &ValidCart, order: &ValidCart) -> Option<String> {
    let details = cart_mismatches(session, order);
    (!details.is_empty()).then(|| format!("Not matching fields: [{}]", details.join(", ")))
}

#[cfg(test)]
mod tests;
