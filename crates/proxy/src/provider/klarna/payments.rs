//! Klarna Payments: the session that carries a priced cart to the shopper's browser, and the
//! calls that turn the browser's authorization token into an order (or cancel it), and save a
//! customer token for later orders. The cart is built here once, from Kassa's pricing, and the
//! very same cart places the order: Klarna answers 409 to any other.

use kassa_model::api::{NewOrder, PaymentCategory, PricedOrder};
use kassa_model::klarna::arithmetic;
use kassa_model::klarna::om::OrderLine;
use kassa_model::klarna::payments::{
    CreateOrderRequest, CustomerTokenCreationRequest, CustomerTokenCreationResponse,
    MerchantSession, MerchantUrls, Order as PlacedOrder, SessionCreate,
};
use reqwest::Method;

use super::convert::klarna_address;
use super::{Conflict, KlarnaClient};
use crate::error::AppError;
use crate::provider::ProviderError;

/// Klarna Payments' paths, relative to the regional base.
const SESSIONS: &str = "payments/v1/sessions";
const AUTHORIZATIONS: &str = "payments/v1/authorizations";

/// What a session is for: an order, or an order and a customer token for later ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    Buy,
    BuyAndTokenize,
}

impl Intent {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Buy => "buy",
            Self::BuyAndTokenize => "buy_and_tokenize",
        }
    }

    pub fn parse(s: &str) -> Self {
        if s == "buy_and_tokenize" {
            Self::BuyAndTokenize
        } else {
            Self::Buy
        }
    }
}

/// The session Kassa opens for a priced order: lines with Klarna's arithmetic (totals and tax
/// from the model, `order_tax_amount` their sum), the purchase country from the billing
/// address, the locale in Klarna's spelling (`de-DE`).
pub fn session(
    new: &NewOrder,
    priced: &PricedOrder,
    order_number: &str,
    urls: MerchantUrls,
    intent: Intent,
) -> Result<SessionCreate, AppError> {
    let too_large = |_| {
        AppError::Validation(kassa_model::FieldError::new(
            "lines",
            "The order total is too large.",
        ))
    };
    let lines = priced
        .lines
        .iter()
        .map(|l| {
            let line = arithmetic::order_line(
                l.name.clone(),
                l.unit_price,
                l.quantity,
                l.discount,
                l.vat_rate,
            )
            .map_err(too_large)?;
            Ok(OrderLine {
                kind: Some("physical".into()),
                reference: l.sku.clone(),
                ..line
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let billing = klarna_address(&new.billing_address);
    Ok(SessionCreate {
        acquiring_channel: Some("ECOMMERCE".into()),
        intent: Some(intent.as_str().into()),
        locale: Some(new.locale.replace('_', "-")),
        purchase_country: billing.country.clone().map(|c| c.to_ascii_uppercase()),
        purchase_currency: Some(priced.currency.code().to_owned()),
        order_amount: Some(arithmetic::order_amount(&lines).map_err(too_large)?),
        order_tax_amount: Some(arithmetic::order_tax_amount(&lines).map_err(too_large)?),
        order_lines: Some(lines),
        billing_address: Some(billing),
        merchant_reference1: Some(order_number.to_owned()),
        merchant_urls: Some(urls),
        ..SessionCreate::default()
    })
}

/// The create-order request for `cart` (the session as Kassa opened it): the same lines,
/// amounts, country, currency and addresses, so Klarna finds it matches what was authorized.
pub fn order_request(cart: &SessionCreate) -> CreateOrderRequest {
    CreateOrderRequest {
        billing_address: cart.billing_address.clone(),
        locale: cart.locale.clone(),
        merchant_reference1: cart.merchant_reference1.clone(),
        merchant_urls: cart.merchant_urls.clone(),
        order_amount: cart.order_amount,
        order_lines: cart.order_lines.clone(),
        order_tax_amount: cart.order_tax_amount,
        purchase_country: cart.purchase_country.clone(),
        purchase_currency: cart.purchase_currency.clone(),
        ..CreateOrderRequest::default()
    }
}

/// The categories a session offers, as the browser gets them.
pub fn categories(session: &MerchantSession) -> Vec<PaymentCategory> {
    session
        .payment_method_categories
        .iter()
        .flatten()
        .filter_map(|c| {
            Some(PaymentCategory {
                identifier: c.identifier.clone()?,
                name: c.name.clone().unwrap_or_default(),
                asset_url: c.asset_urls.as_ref().and_then(|a| a.standard.clone()),
            })
        })
        .collect()
}

/// Klarna's authorization tokens go into URLs: only letters, digits and `-`/`_` are sent.
fn token_path(token: &str) -> Result<&str, ProviderError> {
    let ok = !token.is_empty()
        && token.len() <= 256
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then_some(token).ok_or_else(|| ProviderError::Rejected {
        status: 400,
        code: crate::provider::Refusal::Invalid,
        message: "This is not a Klarna authorization token.".into(),
        field: Some("authorization_token".into()),
    })
}

impl KlarnaClient {
    /// `POST /payments/v1/sessions`.
    pub async fn create_session(
        &self,
        cart: &SessionCreate,
    ) -> Result<MerchantSession, ProviderError> {
        let req = self
            .http
            .post(format!("{}{SESSIONS}", self.base))
            .json(cart);
        let bytes = self.send(req).await?;
        serde_json::from_slice(&bytes).map_err(|e| ProviderError::Invalid(e.to_string()))
    }

    /// `POST /payments/v1/authorizations/{token}/order`. Klarna answers the same request for
    /// the same token with the same order, so a retry after a lost answer is safe; a 409 means
    /// the cart is not the one authorized.
    pub async fn place_order(
        &self,
        token: &str,
        order: &CreateOrderRequest,
    ) -> Result<PlacedOrder, ProviderError> {
        let token = token_path(token)?;
        let req = self
            .http
            .post(format!("{}{AUTHORIZATIONS}/{token}/order", self.base))
            .json(order);
        let bytes = self.send_with(req, Conflict::Refusal).await?;
        serde_json::from_slice(&bytes).map_err(|e| ProviderError::Invalid(e.to_string()))
    }

    /// `DELETE /payments/v1/authorizations/{token}`: an authorization Kassa will not use.
    pub async fn cancel_authorization(&self, token: &str) -> Result<(), ProviderError> {
        let token = token_path(token)?;
        let req = self.http.request(
            Method::DELETE,
            format!("{}{AUTHORIZATIONS}/{token}", self.base),
        );
        self.send(req).await.map(drop)
    }

    /// `POST /payments/v1/authorizations/{token}/customer-token`.
    pub async fn customer_token(
        &self,
        token: &str,
        request: &CustomerTokenCreationRequest,
    ) -> Result<CustomerTokenCreationResponse, ProviderError> {
        let token = token_path(token)?;
        let req = self
            .http
            .post(format!(
                "{}{AUTHORIZATIONS}/{token}/customer-token",
                self.base
            ))
            .json(request);
        let bytes = self.send_with(req, Conflict::Refusal).await?;
        serde_json::from_slice(&bytes).map_err(|e| ProviderError::Invalid(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kassa_model::api::{Address, NewLine};
    use kassa_model::{Currency, VatRate};

    fn new_order() -> NewOrder {
        NewOrder {
            currency: Currency::EUR,
            locale: "de_DE".into(),
            order_number: None,
            billing_address: Address {
                given_name: Some("Erika".into()),
                family_name: Some("Mustermann".into()),
                email: Some("erika@example.com".into()),
                street_and_number: Some("Unter den Linden 1".into()),
                postal_code: Some("10117".into()),
                city: Some("Berlin".into()),
                country: Some("de".into()),
                ..Address::default()
            },
            lines: vec![NewLine {
                name: "Regenjas".into(),
                sku: Some("RJ-1".into()),
                quantity: 3,
                unit_price: 3333,
                discount: 100,
                vat_rate: VatRate::from_basis_points(1900).unwrap(),
            }],
            method: None,
        }
    }

    #[test]
    fn a_session_carries_klarnas_arithmetic_and_spelling() {
        let new = new_order();
        let priced = new.price().unwrap();
        let cart = session(&new, &priced, "K-1", MerchantUrls::default(), Intent::Buy).unwrap();
        assert_eq!(cart.locale.as_deref(), Some("de-DE"));
        assert_eq!(cart.purchase_country.as_deref(), Some("DE"));
        assert_eq!(cart.purchase_currency.as_deref(), Some("EUR"));
        assert_eq!(cart.order_amount, Some(3 * 3333 - 100));
        let line = &cart.order_lines.as_ref().unwrap()[0];
        assert_eq!(line.reference.as_deref(), Some("RJ-1"));
        assert!(arithmetic::tax_within_tolerance(
            line.total_amount.unwrap(),
            VatRate::from_basis_points(1900).unwrap(),
            line.total_tax_amount.unwrap()
        ));
        assert_eq!(cart.order_tax_amount, line.total_tax_amount);
        // The order is placed with exactly the session's cart.
        let order = order_request(&cart);
        assert_eq!(order.order_lines, cart.order_lines);
        assert_eq!(order.order_amount, cart.order_amount);
    }

    #[test]
    fn only_token_shaped_strings_reach_a_url() {
        assert!(token_path("a1b2-C3_d4").is_ok());
        assert!(token_path("../orders").is_err());
        assert!(token_path("").is_err());
        assert!(token_path("a?b").is_err());
    }
}
