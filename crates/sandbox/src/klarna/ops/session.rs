//! Klarna Payments' operations: a session's cart, its authorization, and the one order (or
//! customer token) an authorization token makes (reference §7; choices in
//! `docs/providers/klarna.md`).

use kassa_model::klarna::om::{self, Address, CaptureObject};
use kassa_model::klarna::payments::{
    Customer, CustomerReadCreateToken, CustomerTokenCreationRequest, CustomerTokenCreationResponse,
    MerchantSession, Order as PlacedOrder, SessionCreate, SessionRead,
};
use kassa_model::klarna::{validate, FraudStatus, OrderStatus};
use serde_json::Value;
use time::OffsetDateTime;

use crate::ids::{new_token, new_uuid};
use crate::klarna::order::{midnight_after, Order, AUTHORIZATION_DAYS};
use crate::klarna::payments::{
    fill_placeholders, Authorization, Callback, Category, Outcome, Placed, Session,
};
use crate::klarna::store::Store;
use crate::klarna::KlarnaError;

fn no_session() -> KlarnaError {
    KlarnaError::not_found("NOT_FOUND", "Invalid session id")
}

fn invalid_token() -> KlarnaError {
    KlarnaError::not_found("NOT_FOUND", "Invalid authorization token")
}

fn invalid_operation(message: &str) -> KlarnaError {
    KlarnaError::forbidden("INVALID_OPERATION", message)
}

/// `POST /payments/v1/sessions`: checks the cart exactly as an order's would be.
pub fn create_session(
    store: &mut Store,
    merchant: &str,
    cart: SessionCreate,
    base: &str,
    now: OffsetDateTime,
) -> Result<MerchantSession, KlarnaError> {
    validate::cart(&cart)?;
    let session = Session::new(merchant, cart, base, now);
    let created = session.created(base);
    store.insert_session(session);
    Ok(created)
}

/// `GET /payments/v1/sessions/{id}`
pub fn read_session(
    store: &Store,
    id: &str,
    merchant: &str,
    base: &str,
    now: OffsetDateTime,
) -> Result<SessionRead, KlarnaError> {
    store
        .session(id, merchant, now)
        .map(|s| s.read(base))
        .ok_or_else(no_session)
}

/// `POST /payments/v1/sessions/{id}`: fields sent replace the session's; the merged cart must
/// be valid. A complete session takes no more changes.
pub fn update_session(
    store: &mut Store,
    id: &str,
    merchant: &str,
    update: SessionCreate,
    now: OffsetDateTime,
) -> Result<(), KlarnaError> {
    let session = store
        .session_mut(id, merchant, now)
        .ok_or_else(no_session)?;
    if session.complete {
        return Err(KlarnaError::not_found(
            "SESSION_COMPLETED",
            "Session has already been completed",
        ));
    }
    let mut cart = session.cart.clone();
    cart.apply_update(update);
    validate::cart(&cart)?;
    session.cart = cart;
    Ok(())
}

/// What the shopper gave while authorizing (the stand-in library's `authorize` data).
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct AuthorizeData {
    pub payment_method_category: Option<String>,
    pub billing_address: Option<Address>,
    pub shipping_address: Option<Address>,
}

/// Ends the authorization of session `session_id` as the tester chose. Approved (or pending
/// review): a token valid 60 minutes. Rejected: no token, and the widget should be hidden.
pub fn authorize(
    store: &mut Store,
    session_id: &str,
    outcome: Outcome,
    data: AuthorizeData,
    now: OffsetDateTime,
) -> Result<Callback, KlarnaError> {
    let session = store.session_any(session_id, now).ok_or_else(no_session)?;
    if session.complete {
        return Err(KlarnaError::not_found(
            "SESSION_COMPLETED",
            "Session has already been completed",
        ));
    }
    let category = match data.payment_method_category.as_deref() {
        None => Category::PayLater,
        Some(id) => Category::from_identifier(id)
            .ok_or_else(|| KlarnaError::bad_value("payment_method_category"))?,
    };
    // The shopper's addresses are checked as a session's are ("Bad value:
    // billing_address.postal_code"): they come from a public route and end up on the order.
    let mut cart = session.cart.clone();
    if data.billing_address.is_some() {
        cart.billing_address = data.billing_address.clone();
    }
    if data.shipping_address.is_some() {
        cart.shipping_address = data.shipping_address.clone();
    }
    validate::cart(&cart)?;
    if outcome == Outcome::Rejected {
        return Ok(Callback {
            approved: false,
            show_form: false,
            authorization_token: None,
            finalize_required: false,
        });
    }
    let authorization = Authorization::new(
        session,
        category,
        outcome == Outcome::Pending,
        (data.billing_address, data.shipping_address),
        now,
    );
    let token = authorization.token.clone();
    store.insert_authorization(authorization);
    Ok(Callback {
        approved: true,
        show_form: true,
        authorization_token: Some(token),
        finalize_required: false,
    })
}

/// `POST /payments/v1/authorizations/{token}/order`: the cart must be the one authorized
/// (409 otherwise); the same request again answers the same order.
pub fn place_order(
    store: &mut Store,
    token: &str,
    merchant: &str,
    req: &kassa_model::klarna::payments::CreateOrderRequest,
    raw: &Value,
    base: &str,
    now: OffsetDateTime,
) -> Result<PlacedOrder, KlarnaError> {
    let auth = store
        .authorization_mut(token, merchant)
        .ok_or_else(invalid_token)?;
    if let Some(placed) = &auth.placed {
        return if placed.request == *raw {
            Ok(placed.response.clone())
        } else {
            Err(KlarnaError::new(
                axum::http::StatusCode::CONFLICT,
                "BAD_VALUE",
                "The order has been already completed with different request body",
            ))
        };
    }
    if !auth.is_usable(now) {
        return Err(invalid_token());
    }
    if auth.intent == "tokenize" {
        return Err(invalid_operation(
            "Not allowed to create an order for intent tokenize",
        ));
    }
    let order_cart = validate::cart(req)?;
    // The session's cart was checked when it was stored.
    let session_cart = validate::cart(&auth.cart)?;
    if let Some(mismatch) = validate::cart_mismatch(&session_cart, &order_cart) {
        return Err(KlarnaError::new(
            axum::http::StatusCode::CONFLICT,
            "BAD_VALUE",
            mismatch,
        ));
    }
    let order_id = new_uuid();
    let session_id = auth.session_id.clone();
    let urls = req
        .merchant_urls
        .clone()
        .or_else(|| auth.cart.merchant_urls.clone())
        .unwrap_or_default();
    let fill = |url: &String| fill_placeholders(url, &session_id, Some(&order_id), token);
    let billing_address = req
        .billing_address
        .clone()
        .or_else(|| auth.billing_address.clone())
        .or_else(|| auth.cart.billing_address.clone());
    let mut order = Order {
        id: order_id.clone(),
        merchant: merchant.to_owned(),
        klarna_reference: new_token(8).to_ascii_uppercase(),
        status: OrderStatus::Authorized,
        fraud_status: if auth.fraud_pending {
            FraudStatus::Pending
        } else {
            FraudStatus::Accepted
        },
        purchase_country: order_cart.purchase_country.clone(),
        purchase_currency: order_cart.currency.code().to_owned(),
        locale: req.locale.clone().or_else(|| auth.cart.locale.clone()),
        order_amount: order_cart.order_amount.minor,
        original_order_amount: order_cart.order_amount.minor,
        order_lines: req.order_lines.clone().unwrap_or_default(),
        // No shipping address: the goods go to the billing address, as Klarna assumes.
        shipping_address: req
            .shipping_address
            .clone()
            .or_else(|| auth.shipping_address.clone())
            .or_else(|| auth.cart.shipping_address.clone())
            .or_else(|| billing_address.clone()),
        billing_address,
        customer: req.customer.as_ref().map(om_customer),
        merchant_reference1: req.merchant_reference1.clone(),
        merchant_reference2: req.merchant_reference2.clone(),
        merchant_data: req.merchant_data.clone(),
        category: auth.category,
        notification_url: urls.notification.as_ref().map(fill),
        created_at: now,
        expires_at: midnight_after(now, AUTHORIZATION_DAYS),
        captures: Vec::new(),
        refunds: Vec::new(),
        shipping_info: Vec::new(),
        acknowledged: false,
    };
    // Auto-capture takes everything at once, unless a fraud review must end first.
    if req.auto_capture == Some(true) && order.fraud_status == FraudStatus::Accepted {
        let all = CaptureObject {
            captured_amount: Some(order.order_amount),
            order_lines: Some(order.order_lines.clone()),
            ..CaptureObject::default()
        };
        super::capture::capture(&mut order, &all, now)?;
    }
    let redirect_key = new_token(32);
    let response = PlacedOrder {
        order_id: Some(order_id.clone()),
        redirect_url: Some(format!("{base}/klarna/redirect/{redirect_key}")),
        fraud_status: Some(order.fraud_status.as_str().to_owned()),
        authorized_payment_method: Some(auth.category.authorized_payment_method()),
    };
    auth.placed = Some(Placed {
        request: raw.clone(),
        response: response.clone(),
        redirect_key,
        confirmation_url: urls.confirmation.as_ref().map(fill),
    });
    if let Some(session) = store.session_by_id_mut(&session_id) {
        session.complete = true;
    }
    store.insert_order(order);
    Ok(response)
}

fn om_customer(c: &Customer) -> om::Customer {
    om::Customer {
        date_of_birth: c.date_of_birth.clone(),
        national_identification_number: c.national_identification_number.clone(),
    }
}

/// `DELETE /payments/v1/authorizations/{token}`: an authorization that will not be used.
pub fn cancel_authorization(
    store: &mut Store,
    token: &str,
    merchant: &str,
) -> Result<(), KlarnaError> {
    let auth = store
        .authorization_mut(token, merchant)
        .ok_or_else(invalid_token)?;
    if auth.canceled || auth.placed.is_some() || auth.customer_token.is_some() {
        return Err(KlarnaError::not_found(
            "NOT_FOUND",
            "Authorization cannot be deleted",
        ));
    }
    auth.canceled = true;
    Ok(())
}

/// `POST /payments/v1/authorizations/{token}/customer-token`: for sessions whose intent is
/// `tokenize` or `buy_and_tokenize`, once per token.
pub fn customer_token(
    store: &mut Store,
    token: &str,
    merchant: &str,
    req: &CustomerTokenCreationRequest,
    now: OffsetDateTime,
) -> Result<CustomerTokenCreationResponse, KlarnaError> {
    let auth = store
        .authorization_mut(token, merchant)
        .ok_or_else(invalid_token)?;
    if auth.customer_token.is_some() {
        return Err(invalid_operation("Authorization token already consumed"));
    }
    if auth.canceled || (auth.placed.is_none() && !auth.is_usable(now)) {
        return Err(invalid_token());
    }
    if auth.intent == "buy" {
        return Err(invalid_operation(
            "Not allowed to create customer token for intent buy",
        ));
    }
    validate::customer_token(req)?;
    let token_id = new_uuid();
    auth.customer_token = Some(token_id.clone());
    let response = CustomerTokenCreationResponse {
        token_id: Some(token_id),
        redirect_url: None,
        payment_method_reference: Some(new_uuid()),
        billing_address: req
            .billing_address
            .clone()
            .or_else(|| auth.billing_address.clone())
            .or_else(|| auth.cart.billing_address.clone()),
        customer: req.customer.as_ref().map(|c| CustomerReadCreateToken {
            date_of_birth: c.date_of_birth.clone(),
            gender: c.gender.clone(),
        }),
    };
    let (session_id, complete) = (auth.session_id.clone(), auth.intent == "tokenize");
    if complete {
        if let Some(session) = store.session_by_id_mut(&session_id) {
            session.complete = true;
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kassa_model::klarna::om::OrderLine;

    fn store_with_session() -> (Store, String) {
        let cart = SessionCreate {
            purchase_country: Some("GB".into()),
            purchase_currency: Some("GBP".into()),
            order_amount: Some(1200),
            order_tax_amount: Some(200),
            order_lines: Some(vec![OrderLine {
                name: Some("Mug".into()),
                quantity: Some(1),
                unit_price: Some(1200),
                tax_rate: Some(2000),
                total_amount: Some(1200),
                total_tax_amount: Some(200),
                ..OrderLine::default()
            }]),
            ..SessionCreate::default()
        };
        let mut store = Store::default();
        let now = OffsetDateTime::now_utc();
        let created = create_session(&mut store, "shop", cart, "http://sandbox", now).unwrap();
        (store, created.session_id.unwrap())
    }

    fn with_billing(address: Address) -> AuthorizeData {
        AuthorizeData {
            billing_address: Some(address),
            ..AuthorizeData::default()
        }
    }

    #[test]
    fn the_shoppers_addresses_are_checked_like_a_sessions() {
        let (mut store, id) = store_with_session();
        let now = OffsetDateTime::now_utc();
        let long_postcode = Address {
            postal_code: Some("W1D 1AN W1D 1AN".into()),
            country: Some("GB".into()),
            ..Address::default()
        };
        for outcome in [Outcome::Approved, Outcome::Rejected] {
            let err = authorize(
                &mut store,
                &id,
                outcome,
                with_billing(long_postcode.clone()),
                now,
            )
            .unwrap_err();
            assert_eq!(err.message, "Bad value: billing_address.postal_code");
        }
        let fine = Address {
            given_name: Some("Alice".into()),
            postal_code: Some("W1D 1AN".into()),
            country: Some("GB".into()),
            ..Address::default()
        };
        let callback = authorize(&mut store, &id, Outcome::Approved, with_billing(fine), now)
            .expect("a valid address is taken");
        assert!(callback.approved && callback.authorization_token.is_some());
    }
}
