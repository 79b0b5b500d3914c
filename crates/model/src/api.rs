//! Kassa's own JSON API between the browser app and the merchant proxy (`/api/...`).
//! Money travels as [`Money`] (integer minor units + currency); providers' formats never reach
//! the browser.

use serde::{Deserialize, Serialize};

use crate::limits::{self, Exceeded};
use crate::{validate, Currency, FieldError, LineAmounts, Money, VatRate};

pub use crate::mollie::Address;
pub use crate::pay::{
    KlarnaPayment, NewPayLink, PayLine, PayLink, PayLinkCreated, PayLinkState, PaymentCategory,
    PlaceOrder, PlacedOrder,
};
pub use crate::provider::Provider;
pub use crate::status::{LineStatus, OrderStatus};

/// `POST /api/orders`: what staff enter in the "New order" form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewOrder {
    pub currency: Currency,
    pub locale: String,
    /// The merchant's reference; the proxy generates one when it is empty.
    #[serde(default)]
    pub order_number: Option<String>,
    pub billing_address: Address,
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub lines: Vec<NewLine>,
    /// A provider payment method to preselect (`ideal`, `klarnapaylater`, ...); none lets the
    /// customer choose at checkout.
    #[serde(default)]
    pub method: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
// The document states the limits [`NewLine::price`] checks (the bounds are `crate::limits`'s;
// tests/openapi.rs in the proxy holds them equal), so that generated requests reach past them.
pub struct NewLine {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub sku: Option<String>,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100_000))]
    pub quantity: u32,
    /// VAT-inclusive unit price in minor units of the order currency.
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = -100_000_000, maximum = 100_000_000)
    )]
    pub unit_price: i64,
    /// Discount on the whole line, in minor units; 0 for none.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub discount: i64,
    pub vat_rate: VatRate,
}

/// A [`NewOrder`] with every amount computed by the one line arithmetic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricedOrder {
    pub currency: Currency,
    pub amount: Money,
    pub vat: Money,
    pub lines: Vec<PricedLine>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricedLine {
    pub name: String,
    pub sku: Option<String>,
    pub quantity: u32,
    pub unit_price: Money,
    pub discount: Option<Money>,
    pub vat_rate: VatRate,
    pub amounts: LineAmounts,
}

impl NewLine {
    /// Prices one line (index `i`); errors name `lines.{i}.{field}`. The first problem of
    /// [`NewLine::problems`].
    pub fn price(&self, i: usize, currency: Currency) -> Result<PricedLine, FieldError> {
        self.check(i, currency).map_err(first)
    }

    /// Every problem of line `i`, in the order its fields are shown (name, SKU, quantity,
    /// discount, then what the amounts together break). The amount checks only run once the
    /// quantity and discount are usable, as they are computed from them.
    pub fn problems(&self, i: usize, currency: Currency) -> Vec<FieldError> {
        self.check(i, currency).err().unwrap_or_default()
    }

    fn check(&self, i: usize, currency: Currency) -> Result<PricedLine, Vec<FieldError>> {
        let field = |f: &str, msg: &str| FieldError::new(format!("lines.{i}.{f}"), msg);
        let mut errors = Vec::new();
        if self.name.trim().is_empty() {
            errors.push(field("name", "Enter a name for this line."));
        }
        if self.sku.as_deref().is_some_and(|s| s.chars().count() > 64) {
            errors.push(field("sku", "The SKU can be at most 64 characters."));
        }
        let mut usable = true;
        if self.quantity == 0 {
            errors.push(field("quantity", "The quantity should be at least 1."));
            usable = false;
        }
        if self.discount < 0 {
            errors.push(field("discount", "The discount cannot be negative."));
            usable = false;
        }
        if !usable {
            return Err(errors);
        }
        match self.amounts(i, currency) {
            Ok(_) if !errors.is_empty() => Err(errors),
            Ok(amounts) => Ok(PricedLine {
                name: self.name.trim().to_owned(),
                sku: self.sku.clone().filter(|s| !s.trim().is_empty()),
                quantity: self.quantity,
                unit_price: Money::new(self.unit_price, currency),
                discount: (self.discount != 0).then(|| Money::new(self.discount, currency)),
                vat_rate: self.vat_rate,
                amounts,
            }),
            Err(e) => {
                errors.push(e);
                Err(errors)
            }
        }
    }

    /// The line's amounts, once its quantity is at least 1 and its discount not negative.
    fn amounts(&self, i: usize, currency: Currency) -> Result<LineAmounts, FieldError> {
        let field = |f: &str, msg: &str| FieldError::new(format!("lines.{i}.{f}"), msg);
        let unit_price = Money::new(self.unit_price, currency);
        let discount = (self.discount != 0).then(|| Money::new(self.discount, currency));
        let exceeded = |e: Exceeded| {
            let name = match e {
                Exceeded::Quantity => "quantity",
                Exceeded::Discount => "discount",
                Exceeded::UnitPrice | Exceeded::LineTotal | Exceeded::OrderTotal => "unitPrice",
            };
            field(name, &e.message(currency))
        };
        limits::line_inputs(self.quantity.into(), unit_price, discount).map_err(exceeded)?;
        let amounts = LineAmounts::compute(unit_price, self.quantity, discount, self.vat_rate)
            .map_err(|_| exceeded(Exceeded::LineTotal))?;
        limits::line_total(amounts.total).map_err(exceeded)?;
        if self.unit_price >= 0 && amounts.total.minor < 0 {
            return Err(field(
                "discount",
                "The discount cannot be more than the line's price.",
            ));
        }
        Ok(amounts)
    }
}

/// The first of a non-empty list of problems (the single-error API over the all-errors one).
fn first(errors: Vec<FieldError>) -> FieldError {
    errors
        .into_iter()
        .next()
        .unwrap_or_else(|| FieldError::new("", "The order is invalid."))
}

impl NewOrder {
    /// Validates the order and computes its amounts. The app calls this for its live totals and
    /// before sending; the proxy calls it again on what it receives. The error is the first
    /// of [`NewOrder::validate_all`], so it names the field highest up in the form.
    pub fn price(&self) -> Result<PricedOrder, FieldError> {
        self.check().map_err(first)
    }

    /// Every problem of the order, in the order the form shows its fields: the order details
    /// (locale, order number, method), the billing address, each line in turn, then the
    /// order's totals (`lines`), which are only checked once every line prices.
    pub fn validate_all(&self) -> Vec<FieldError> {
        self.check().err().unwrap_or_default()
    }

    /// The problems of the order details above the address: locale, order number, method.
    pub fn settings_problems(&self) -> Vec<FieldError> {
        let number = self.order_number.as_deref().map(validate::order_number);
        let method = self
            .method
            .as_deref()
            .filter(|m| !m.is_empty())
            .map(validate::payment_method);
        [
            Some(validate::supported_locale(&self.locale)),
            number,
            method,
        ]
        .into_iter()
        .flatten()
        .filter_map(Result::err)
        .collect()
    }

    fn check(&self) -> Result<PricedOrder, Vec<FieldError>> {
        let mut errors = self.settings_problems();
        errors.extend(validate::customer_address_all(
            &self.billing_address,
            "billingAddress",
        ));
        if self.lines.is_empty() {
            errors.push(FieldError::new("lines", "Add at least one line."));
            return Err(errors);
        }
        let mut lines = Vec::with_capacity(self.lines.len());
        for (i, line) in self.lines.iter().enumerate() {
            match line.check(i, self.currency) {
                Ok(priced) => lines.push(priced),
                Err(problems) => errors.extend(problems),
            }
        }
        if lines.len() < self.lines.len() {
            return Err(errors);
        }
        let (amount, vat) = match self.totals(&lines) {
            Ok(sums) if errors.is_empty() => sums,
            Ok(_) => return Err(errors),
            Err(e) => {
                errors.push(e);
                return Err(errors);
            }
        };
        Ok(PricedOrder {
            currency: self.currency,
            amount,
            vat,
            lines,
        })
    }

    /// The order's total and VAT, once every line priced; errors name
    /// `lines` (the totals under the lines).
    fn totals(&self, lines: &[PricedLine]) -> Result<(Money, Money), FieldError> {
        let too_large = |_| FieldError::new("lines", "The order total is too large.");
        let amount = crate::line::order_total(self.currency, lines.iter().map(|l| l.amounts))
            .map_err(too_large)?;
        let vat = crate::line::order_vat(self.currency, lines.iter().map(|l| l.amounts))
            .map_err(too_large)?;
        limits::order_total(amount)
            .map_err(|e| FieldError::new("lines", e.message(self.currency)))?;
        if amount.minor <= 0 {
            return Err(FieldError::new(
                "lines",
                "The order total must be more than zero.",
            ));
        }
        if vat.minor < 0 {
            return Err(FieldError::new(
                "lines",
                "The order's total VAT cannot be negative.",
            ));
        }
        Ok((amount, vat))
    }
}

/// An order as the console shows it, read from the proxy's mirror, whatever the provider.
/// Provider-specific facts are optional fields named for what they mean, not for a provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderView {
    pub id: String,
    pub provider: Provider,
    /// The merchant's reference (Mollie `orderNumber`, Klarna `merchant_reference1`).
    pub order_number: String,
    /// A second merchant reference (Klarna `merchant_reference2`).
    #[serde(default)]
    pub merchant_reference2: Option<String>,
    /// The provider's own reference the customer sees (Klarna `klarna_reference`).
    #[serde(default)]
    pub provider_reference: Option<String>,
    /// Kassa's status vocabulary (badges, filters). See [`OrderStatus`] for how Klarna maps.
    pub status: OrderStatus,
    /// The provider's own status word when it says more than `status` (Klarna
    /// `PART_CAPTURED`, `CLOSED`).
    #[serde(default)]
    pub provider_status: Option<String>,
    /// Klarna's fraud review: `ACCEPTED`, `PENDING` or `REJECTED`.
    #[serde(default)]
    pub fraud_status: Option<String>,
    /// What the order is for now (after removed items).
    pub amount: Money,
    /// What was authorized first, when the provider keeps it (Klarna `original_order_amount`).
    #[serde(default)]
    pub amount_original: Option<Money>,
    #[serde(default)]
    pub amount_captured: Option<Money>,
    #[serde(default)]
    pub amount_refunded: Option<Money>,
    /// Authorized and not yet captured, released or removed (Klarna `remaining_authorized_amount`).
    #[serde(default)]
    pub amount_remaining: Option<Money>,
    pub locale: String,
    /// The payment method: Mollie's method id (`ideal`, `klarnapaylater`), or Klarna's
    /// `initial_payment_method.type` in lowercase (`invoice`, `pay_by_card`, `fixed_amount`).
    #[serde(default)]
    pub method: Option<String>,
    pub created_at: String,
    /// When the authorization (or the unpaid order) expires, RFC 3339.
    #[serde(default)]
    pub expires_at: Option<String>,
    /// The expiry one "extend authorization" would give, when the provider allows one now.
    #[serde(default)]
    pub extended_expires_at: Option<String>,
    pub billing_address: Address,
    #[serde(default)]
    pub shipping_address: Option<Address>,
    pub lines: Vec<LineView>,
    /// The hosted checkout, while the customer can still pay.
    #[serde(default)]
    pub checkout_url: Option<String>,
    #[serde(default)]
    pub events: Vec<OrderEvent>,
    #[serde(default)]
    pub shipments: Vec<ShipmentView>,
    #[serde(default)]
    pub refunds: Vec<RefundView>,
    #[serde(default)]
    pub payments: Vec<PaymentView>,
    /// Every order-level action this provider has, with why not when it cannot be done now.
    /// Computed by [`crate::rules::availability`]; the proxy enforces the same answer.
    #[serde(default)]
    pub actions: Vec<ActionAvailability>,
}

/// A shipment of an order (a Klarna capture): what went out, and its tracking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShipmentView {
    pub id: String,
    pub created_at: String,
    /// The latest tracking.
    #[serde(default)]
    pub tracking: Option<TrackingInfo>,
    /// Every shipping info the provider holds, oldest first (Klarna keeps several per capture).
    #[serde(default)]
    pub shipping_info: Vec<TrackingInfo>,
    pub lines: Vec<PartView>,
    /// What this shipment captured, when the provider says (Klarna `captured_amount`).
    #[serde(default)]
    pub amount: Option<Money>,
    /// The provider's reference of this capture (Klarna `klarna_reference`).
    #[serde(default)]
    pub reference: Option<String>,
    /// Actions on this shipment (add tracking, resend the invoice, extend the due date).
    #[serde(default)]
    pub actions: Vec<ActionAvailability>,
}

/// A refund of an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundView {
    pub id: String,
    pub created_at: String,
    pub amount: Money,
    pub status: String,
    pub description: String,
    pub lines: Vec<PartView>,
}

/// Which part of which line a shipment or refund covered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartView {
    pub line_id: String,
    pub name: String,
    pub quantity: u32,
    pub amount: Money,
}

/// A payment attempt of an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentView {
    pub id: String,
    pub created_at: String,
    pub status: String,
    #[serde(default)]
    pub method: Option<String>,
    pub amount: Money,
    /// Where the customer can pay, while the payment is open.
    #[serde(default)]
    pub checkout_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineView {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub sku: Option<String>,
    pub status: LineStatus,
    pub quantity: u32,
    pub unit_price: Money,
    #[serde(default)]
    pub discount: Option<Money>,
    pub total: Money,
    pub vat_rate: VatRate,
    pub vat_amount: Money,
    pub quantity_shipped: u32,
    pub quantity_refunded: u32,
    pub quantity_canceled: u32,
    pub shippable_quantity: u32,
    pub refundable_quantity: u32,
    pub cancelable_quantity: u32,
    /// What the shipped (Klarna: captured), refunded and canceled units of the line were worth
    /// together, as the provider counts them; `None` when it did not say. With them the app
    /// prices part of a discounted line as the proxy does ([`crate::rules::part_value`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_shipped: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_refunded: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_canceled: Option<Money>,
}

/// One entry of an order's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderEvent {
    pub at: String,
    /// `created`, `webhook`, `status`, `action`, `note`, …
    pub kind: String,
    pub detail: String,
}

impl OrderEvent {
    /// The timeline's words for a staff action: what was done, by whom, under which intent
    /// (`"Shipped 2 items by ann@shop.example (action 4f…)"`). [`OrderEvent::action_parts`]
    /// reads it back.
    pub fn action_detail(what: &str, actor: &str, intent: &str) -> String {
        format!("{what} by {actor} (action {intent})")
    }

    /// An action's detail as `(what was done by whom, intent id)`, so a timeline can show the
    /// intent id apart; `None` for other events.
    pub fn action_parts(&self) -> Option<(&str, &str)> {
        if self.kind != "action" {
            return None;
        }
        let (text, rest) = self.detail.rsplit_once(" (action ")?;
        let intent = rest.strip_suffix(')')?;
        (!intent.is_empty()).then_some((text, intent))
    }
}

/// A staff member's saved orders list: a name for a set of filters ("Authorized, Klarna,
/// this month"), one click away above the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedView {
    pub id: i64,
    pub name: String,
    /// The list's filters (no cursor, no page size).
    pub filter: OrderFilter,
}

/// `POST /api/views`: save the list's current filters under `name` (a view of that name is
/// replaced).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSavedView {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 60))]
    pub name: String,
    pub filter: OrderFilter,
}

/// The longest view name, in characters, and how many views one staff member keeps.
pub const VIEW_NAME_MAX_CHARS: usize = 60;
pub const MAX_SAVED_VIEWS: usize = 20;

impl NewSavedView {
    /// The name, trimmed, or what is wrong with it.
    pub fn checked_name(&self) -> Result<&str, FieldError> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(FieldError::new("name", "Name the view."));
        }
        if name.chars().count() > VIEW_NAME_MAX_CHARS {
            return Err(FieldError::new(
                "name",
                format!("A view's name can be at most {VIEW_NAME_MAX_CHARS} characters."),
            ));
        }
        Ok(name)
    }
}

/// `POST /api/orders/{id}/notes`: a staff member's internal note, kept in the order's timeline
/// with who wrote it and when; never shown to the customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewNote {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub text: String,
}

/// The longest internal note, in characters.
pub const NOTE_MAX_CHARS: usize = 2000;

impl NewNote {
    /// The note's text, trimmed, or what is wrong with it.
    pub fn checked(&self) -> Result<&str, FieldError> {
        let text = self.text.trim();
        if text.is_empty() {
            return Err(FieldError::new("text", "Write the note first."));
        }
        if text.chars().count() > NOTE_MAX_CHARS {
            return Err(FieldError::new(
                "text",
                format!("A note can be at most {NOTE_MAX_CHARS} characters."),
            ));
        }
        Ok(text)
    }
}

/// `POST /api/orders` answer: the order and where to send the customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedOrder {
    pub order: OrderView,
    pub checkout_url: String,
}

/// The proxy's one error shape: `{"code":"validation","message":"...","field":"lines.0.name"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[error("{message}")]
pub struct ApiError {
    /// `validation`, `not_found`, `not_allowed` (422: the order's provider does not allow the
    /// action in the order's state; `message` says why, as [`crate::rules::refusal`] does),
    /// `provider`, `provider_unavailable`, `bad_request`, `internal`.
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// `POST /api/session`: a staff member logging in.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

/// Never prints the password (logs, panics).
impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("email", &self.email)
            .field("password", &"<hidden>")
            .finish()
    }
}

/// What a staff member may do: `viewer` reads; `operator` also ships, refunds, cancels,
/// updates and creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Operator,
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Operator => "operator",
            Self::Viewer => "viewer",
        }
    }

    /// Whether this role may change orders (and so sees action buttons).
    pub fn can_change(self) -> bool {
        self == Self::Operator
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "operator" => Ok(Self::Operator),
            "viewer" => Ok(Self::Viewer),
            other => Err(format!("unknown role {other:?}: use operator or viewer")),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffView {
    pub email: String,
    pub name: String,
    pub role: Role,
}

/// The logged-in staff member and the token every mutating request must echo in
/// `X-CSRF-Token`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub staff: StaffView,
    pub csrf_token: String,
}

/// `GET /api/orders` query: filters, search and the keyset cursor. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct OrderFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<OrderStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
    /// An order id (`ord_…` or a Klarna UUID, exact), or the start of an order number, customer email, given
    /// or family name (any case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Created on or after this day (`YYYY-MM-DD`, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Created on or before this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Only orders in this currency. Amount bounds need it: 1000 minor units are €10.00 but
    /// ¥1000, so amounts are only compared within one currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// Amount bounds in minor units of `currency`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_minor: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_minor: Option<i64>,
    /// `newest` (default) or `oldest` first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// The `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// 1–100, default 25.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// One row of the orders list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderSummary {
    pub id: String,
    pub provider: Provider,
    pub order_number: String,
    pub status: OrderStatus,
    pub amount: Money,
    pub customer_name: String,
    pub customer_email: String,
    pub locale: String,
    pub created_at: String,
    #[serde(default)]
    pub expires_at: Option<String>,
    /// Payment and fulfilment apart ([`crate::states`]); `None` for a row mirrored before
    /// Kassa kept them, until its next refresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_state: Option<crate::states::PaymentState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fulfilment_state: Option<crate::states::FulfilmentState>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderPage {
    pub orders: Vec<OrderSummary>,
    /// Pass as `cursor` for the next page; none on the last page.
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// Part of a line for a shipment, refund or cancellation. `amount` is needed only for part of
/// a discounted line (the provider says which range it accepts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineQuantity {
    pub line_id: String,
    pub quantity: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
}

/// Tracking of a shipment. Mollie keeps carrier, code and URL; Klarna's `shipping_info` also
/// the shipping method and the return shipment's tracking.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrackingInfo {
    pub carrier: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Klarna `shipping_method`: `PickUpStore`, `Home`, `BoxReg`, `BoxUnreg`, `PickUpPoint`,
    /// `Own`, `Postal`, `DHLPackstation`, `Digital`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_carrier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
}

/// Every action Kassa knows, across providers: the ledger's `kind`, the buttons' identity.
/// A provider lists the ones it has in [`OrderView::actions`] (or a shipment's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Mollie: create a shipment. Klarna: capture.
    Ship,
    Refund,
    RefundAmount,
    /// Mollie: cancel lines. Klarna: "remove items", an authorization update with the lines
    /// that remain.
    CancelLines,
    CancelOrder,
    /// Mollie: change a shipment's tracking. Klarna: add shipping info to a capture.
    UpdateTracking,
    /// Addresses and merchant references.
    UpdateOrder,
    UpdateLine,
    CreatePayment,
    /// Klarna: acknowledge the order.
    Acknowledge,
    /// Klarna: release what is left of the authorization (no more captures).
    ReleaseAuthorization,
    /// Klarna: extend the authorization's expiry.
    ExtendAuthorization,
    /// Klarna: send the customer's invoice of a capture again.
    TriggerSendOut,
    /// Klarna: extend a capture's payment due date, for a fee.
    ExtendDueDate,
}

impl ActionKind {
    pub const ALL: [ActionKind; 14] = [
        Self::Ship,
        Self::Refund,
        Self::RefundAmount,
        Self::CancelLines,
        Self::CancelOrder,
        Self::UpdateTracking,
        Self::UpdateOrder,
        Self::UpdateLine,
        Self::CreatePayment,
        Self::Acknowledge,
        Self::ReleaseAuthorization,
        Self::ExtendAuthorization,
        Self::TriggerSendOut,
        Self::ExtendDueDate,
    ];

    /// The JSON spelling, as the ledger records it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ship => "ship",
            Self::Refund => "refund",
            Self::RefundAmount => "refund_amount",
            Self::CancelLines => "cancel_lines",
            Self::CancelOrder => "cancel_order",
            Self::UpdateTracking => "update_tracking",
            Self::UpdateOrder => "update_order",
            Self::UpdateLine => "update_line",
            Self::CreatePayment => "create_payment",
            Self::Acknowledge => "acknowledge",
            Self::ReleaseAuthorization => "release_authorization",
            Self::ExtendAuthorization => "extend_authorization",
            Self::TriggerSendOut => "trigger_send_out",
            Self::ExtendDueDate => "extend_due_date",
        }
    }
}

/// One action of an order or shipment: the provider's words for it, and why it cannot be done
/// now (`None`: it can).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionAvailability {
    pub kind: ActionKind,
    /// The button's words in this provider's terms ("Ship", "Capture", "Remove items").
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<String>,
}

impl ActionAvailability {
    pub fn is_available(&self) -> bool {
        self.unavailable.is_none()
    }
}

/// What a staff member asks the provider to do to an order. `intent_id` is made by the app
/// once per intent (a double click or a retry sends the same one), so the action happens
/// exactly once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OrderAction {
    /// Ship lines (all remaining when `lines` is empty); captures authorized payments. On
    /// Klarna a capture of those lines, its amount computed from them.
    Ship {
        intent_id: String,
        #[serde(default)]
        lines: Vec<LineQuantity>,
        #[serde(default)]
        tracking: Option<TrackingInfo>,
        /// Klarna only: the capture's description shown to the customer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
    },
    /// Refund lines (everything refundable when `lines` is empty).
    Refund {
        intent_id: String,
        #[serde(default)]
        lines: Vec<LineQuantity>,
        #[serde(default)]
        description: Option<String>,
        /// Klarna only: the merchant's reference of this refund.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// Klarna only: a return fee the merchant keeps, taken off the refunded amount (sent
        /// as Klarna's `return_fee` line, where Klarna allows one).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        return_fee: Option<Money>,
    },
    /// Refund an amount, not lines (goodwill, shipping costs): Mollie's refund on the order's
    /// payment, Klarna's refund without lines; up to what was captured and not yet refunded.
    RefundAmount {
        intent_id: String,
        amount: Money,
        #[serde(default)]
        description: Option<String>,
    },
    /// Cancel (parts of) authorized lines; all cancelable lines when `lines` is empty. On
    /// Klarna the authorization is updated to the lines that remain.
    CancelLines {
        intent_id: String,
        #[serde(default)]
        lines: Vec<LineQuantity>,
    },
    /// Cancel the whole order.
    CancelOrder {
        intent_id: String,
    },
    /// Change a shipment's tracking (Klarna: add shipping info to the capture).
    UpdateTracking {
        intent_id: String,
        shipment_id: String,
        tracking: TrackingInfo,
    },
    /// Change the addresses or the merchant references (only the fields given).
    UpdateOrder {
        intent_id: String,
        // Boxed: addresses are large and the other actions small.
        #[serde(default)]
        billing_address: Option<Box<Address>>,
        #[serde(default)]
        shipping_address: Option<Box<Address>>,
        #[serde(default)]
        order_number: Option<String>,
        /// Klarna only.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        merchant_reference2: Option<String>,
    },
    /// Replace a line of an order nobody has paid or shipped yet (created, pending or
    /// authorized): name, SKU, quantity, price, discount, VAT rate. The proxy prices it with
    /// the one line arithmetic; the order amount follows.
    UpdateLine {
        intent_id: String,
        line_id: String,
        line: NewLine,
    },
    /// A new payment for an order whose last payment failed, expired or was canceled; the
    /// answer's order carries its checkout link.
    CreatePayment {
        intent_id: String,
        #[serde(default)]
        method: Option<String>,
    },
    Acknowledge {
        intent_id: String,
    },
    ReleaseAuthorization {
        intent_id: String,
    },
    /// Extend to [`OrderView::extended_expires_at`].
    ExtendAuthorization {
        intent_id: String,
    },
    TriggerSendOut {
        intent_id: String,
        shipment_id: String,
    },
    /// `days` must be one of the capture's [`DueDateOption`]s.
    ExtendDueDate {
        intent_id: String,
        shipment_id: String,
        days: u32,
    },
}

impl OrderAction {
    pub fn intent_id(&self) -> &str {
        match self {
            Self::Ship { intent_id, .. }
            | Self::Refund { intent_id, .. }
            | Self::RefundAmount { intent_id, .. }
            | Self::CancelLines { intent_id, .. }
            | Self::CancelOrder { intent_id }
            | Self::UpdateTracking { intent_id, .. }
            | Self::UpdateOrder { intent_id, .. }
            | Self::UpdateLine { intent_id, .. }
            | Self::CreatePayment { intent_id, .. }
            | Self::Acknowledge { intent_id }
            | Self::ReleaseAuthorization { intent_id }
            | Self::ExtendAuthorization { intent_id }
            | Self::TriggerSendOut { intent_id, .. }
            | Self::ExtendDueDate { intent_id, .. } => intent_id,
        }
    }

    pub fn kind(&self) -> ActionKind {
        match self {
            Self::Ship { .. } => ActionKind::Ship,
            Self::Refund { .. } => ActionKind::Refund,
            Self::RefundAmount { .. } => ActionKind::RefundAmount,
            Self::CancelLines { .. } => ActionKind::CancelLines,
            Self::CancelOrder { .. } => ActionKind::CancelOrder,
            Self::UpdateTracking { .. } => ActionKind::UpdateTracking,
            Self::UpdateOrder { .. } => ActionKind::UpdateOrder,
            Self::UpdateLine { .. } => ActionKind::UpdateLine,
            Self::CreatePayment { .. } => ActionKind::CreatePayment,
            Self::Acknowledge { .. } => ActionKind::Acknowledge,
            Self::ReleaseAuthorization { .. } => ActionKind::ReleaseAuthorization,
            Self::ExtendAuthorization { .. } => ActionKind::ExtendAuthorization,
            Self::TriggerSendOut { .. } => ActionKind::TriggerSendOut,
            Self::ExtendDueDate { .. } => ActionKind::ExtendDueDate,
        }
    }

    /// The shipment (capture) this action is about, for those on one.
    pub fn shipment_id(&self) -> Option<&str> {
        match self {
            Self::UpdateTracking { shipment_id, .. }
            | Self::TriggerSendOut { shipment_id, .. }
            | Self::ExtendDueDate { shipment_id, .. } => Some(shipment_id),
            _ => None,
        }
    }
}

/// `GET /api/orders/{id}/shipments/{shipment_id}/due-date-options`: how far a capture's
/// payment due date can be moved, and what the provider charges for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueDateOption {
    pub days: u32,
    pub fee: Money,
}

/// `POST /api/orders/import`: "Add a Klarna order" by the provider's order id; the proxy
/// fetches it from the provider and mirrors it. Answers the [`OrderView`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportOrder {
    pub provider: Provider,
    pub id: String,
}

/// `GET /api/orders/expiring?within_days=N` (1–60, default 7): the expiry radar. Orders of
/// every provider whose authorization expires within N days and still hold uncaptured money,
/// soonest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpiringOrder {
    pub order: OrderSummary,
    pub expires_at: String,
    /// Authorized and not yet captured: what is lost at expiry.
    pub uncaptured: Money,
    /// The actions that save the money (ship/capture, extend) and whether they can be done.
    pub actions: Vec<ActionAvailability>,
}

/// The answer to an [`OrderAction`]: the order afterwards; `replayed` when this intent had
/// already been carried out and its recorded outcome is returned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionOutcome {
    pub intent_id: String,
    pub replayed: bool,
    pub order: OrderView,
}

/// A product the merchant sells, from the proxy's catalog (`GET /api/public/catalog`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Product {
    pub sku: String,
    pub name: String,
    /// VAT-inclusive price of one unit.
    pub unit_price: Money,
    pub vat_rate: VatRate,
}

/// `POST /api/public/checkout`: what a shopper picked. No prices: the proxy prices the order
/// from its own catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicCheckout {
    pub items: Vec<CheckoutItem>,
    pub billing_address: Address,
    pub locale: String,
    #[serde(default)]
    pub method: Option<String>,
    /// Who takes the payment: Mollie's hosted checkout (the default) or Klarna's library on
    /// the shop's own page.
    #[serde(default = "mollie")]
    pub provider: Provider,
}

fn mollie() -> Provider {
    Provider::Mollie
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckoutItem {
    pub sku: String,
    pub quantity: u32,
}

/// What the shopper will pay, and how: Mollie's hosted checkout to send them to, or the
/// Klarna step to show on the shop's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicCheckoutCreated {
    pub amount: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub klarna: Option<KlarnaPayment>,
}

#[cfg(test)]
mod event_tests {
    use super::OrderEvent;

    #[test]
    fn an_action_reads_back_as_what_who_and_intent() {
        let event = OrderEvent {
            at: String::new(),
            kind: "action".into(),
            detail: OrderEvent::action_detail("Refunded 1 item", "ann@shop.example", "4f2a"),
        };
        assert_eq!(
            event.action_parts(),
            Some(("Refunded 1 item by ann@shop.example", "4f2a"))
        );
        let note = OrderEvent {
            kind: "note".into(),
            ..event.clone()
        };
        assert_eq!(note.action_parts(), None);
    }
}
