//! Every rule, with the message Klarna answers.

use serde_json::{json, Value};

use super::*;
use crate::klarna::om::{
    CaptureObject, ExtendDueDateRequest, RefundObject, UpdateAuthorization, UpdateConsumer,
    UpdateMerchantReferences, UpdateShippingInfo,
};
use crate::klarna::payments::Session;

fn from<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).unwrap()
}

/// Klarna's spec example cart: 1 × 25.00 − 5.00 = 20.00 at 20 %, tax 3.33.
fn session() -> Value {
    json!({
        "purchase_country": "GB",
        "purchase_currency": "GBP",
        "locale": "en-GB",
        "order_amount": 2000,
        "order_tax_amount": 333,
        "order_lines": [{
            "type": "physical", "reference": "AD6654412", "name": "Running shoe",
            "quantity": 1, "quantity_unit": "pcs", "unit_price": 2500, "tax_rate": 2000,
            "total_amount": 2000, "total_discount_amount": 500, "total_tax_amount": 333
        }]
    })
}

/// Sets `value` at a JSON pointer, creating objects on the way (`null` removes).
fn with(mut v: Value, pointer: &str, value: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let mut node = &mut v;
    for part in parent.split('/').skip(1) {
        node = match part.parse::<usize>() {
            Ok(i) => &mut node[i],
            Err(_) => node
                .as_object_mut()
                .unwrap()
                .entry(part)
                .or_insert(json!({})),
        };
    }
    match (node, value) {
        (Value::Object(map), Value::Null) => {
            map.remove(key);
        }
        (Value::Object(map), value) => {
            map.insert(key.to_owned(), value);
        }
        (node, _) => panic!("{pointer}: not an object: {node}"),
    }
    v
}

fn cart_error(v: Value) -> String {
    let s: SessionCreate = from(v);
    cart(&s).unwrap_err().to_string()
}

#[test]
fn klarnas_example_cart_is_valid() {
    let s: SessionCreate = from(session());
    let valid = cart(&s).unwrap();
    assert_eq!(valid.purchase_country, "GB");
    assert_eq!(valid.currency, Currency::GBP);
    assert_eq!(valid.order_amount, Money::new(2000, Currency::GBP));
    assert_eq!(valid.lines[0].tax_rate.basis_points(), 2000);
    assert_eq!(valid.lines[0].total_tax_amount.minor, 333);
}

#[test]
fn market_fields() {
    let cases = [
        ("/purchase_country", json!(null), "purchase_country"),
        ("/purchase_country", json!("GBR"), "purchase_country"),
        ("/purchase_country", json!("XX"), "purchase_country"),
        ("/purchase_country", json!("G1"), "purchase_country"),
        ("/purchase_currency", json!(null), "purchase_currency"),
        ("/purchase_currency", json!("XXX"), "purchase_currency"),
        ("/purchase_currency", json!("EU"), "purchase_currency"),
        ("/locale", json!("en_GB"), "locale"),
        ("/locale", json!("eng"), "locale"),
        ("/locale", json!("en-"), "locale"),
    ];
    for (pointer, value, field) in cases {
        let got = cart_error(with(session(), pointer, value.clone()));
        assert_eq!(got, format!("Bad value: {field}"), "{pointer} = {value}");
    }
    // Any case; a locale may be a bare language or carry several parts.
    let s: SessionCreate = from(with(
        with(session(), "/purchase_country", json!("gb")),
        "/purchase_currency",
        json!("gbp"),
    ));
    assert_eq!(cart(&s).unwrap().purchase_country, "GB");
    for locale in ["en", "sv-SE", "de-CH-xx"] {
        let s: SessionCreate = from(with(session(), "/locale", json!(locale)));
        assert!(cart(&s).is_ok(), "{locale}");
    }
    let s: SessionCreate = from(with(session(), "/locale", json!(null)));
    assert!(cart(&s).is_ok());
}

#[test]
fn order_level_fields() {
    let many: Vec<Value> = (0..1001)
        .map(|_| session()["order_lines"][0].clone())
        .collect();
    let cases = [
        ("/order_amount", json!(null), "order_amount"),
        ("/order_amount", json!(-1), "order_amount"),
        ("/order_amount", json!(100_000_001), "order_amount"),
        ("/order_tax_amount", json!(-1), "order_tax_amount"),
        ("/order_lines", json!(null), "order_lines"),
        ("/order_lines", json!([]), "order_lines"),
        ("/order_lines", json!(many), "order_lines"),
    ];
    for (pointer, value, field) in cases {
        let got = cart_error(with(session(), pointer, value));
        assert_eq!(got, format!("Bad value: {field}"), "{pointer}");
    }
}

#[test]
fn line_fields() {
    let long = |n: usize| json!("x".repeat(n));
    let cases = [
        ("name", json!(null)),
        ("name", json!("")),
        ("name", long(256)),
        ("quantity", json!(null)),
        ("quantity", json!(-1)),
        ("quantity", json!(100_001)),
        ("quantity_unit", json!("")),
        ("quantity_unit", long(9)),
        ("reference", long(256)),
        ("type", json!("return_fee")),
        ("type", json!("Physical")),
        ("unit_price", json!(null)),
        ("unit_price", json!(100_000_001)),
        ("unit_price", json!(-100_000_001)),
        ("total_discount_amount", json!(-1)),
        ("total_discount_amount", json!(100_000_001)),
        ("tax_rate", json!(-1)),
        ("tax_rate", json!(10_001)),
        ("total_amount", json!(null)),
        ("total_amount", json!(100_000_001)),
        ("total_tax_amount", json!(100_000_001)),
        ("merchant_data", long(1025)),
        ("product_url", long(1025)),
        ("image_url", long(1025)),
        ("product_identifiers/brand", long(71)),
        ("product_identifiers/category_path", long(751)),
        ("product_identifiers/global_trade_item_number", long(51)),
        ("product_identifiers/manufacturer_part_number", long(71)),
        ("product_identifiers/color", long(65)),
        ("product_identifiers/size", long(65)),
        ("subscription/name", json!(null)),
        ("subscription/interval", json!("HOUR")),
        ("subscription/interval_count", json!(0)),
    ];
    let ok_subscription = json!({"name": "Socks", "interval": "MONTH", "interval_count": 1});
    for (field, value) in cases {
        let mut v = with(
            session(),
            "/order_lines/0/subscription",
            ok_subscription.clone(),
        );
        v = with(v, &format!("/order_lines/0/{field}"), value.clone());
        let expected = format!("Bad value: order_lines[0].{}", field.replace('/', "."));
        assert_eq!(cart_error(v), expected, "{field} = {value}");
    }
    let v = with(session(), "/order_lines/0/subscription", ok_subscription);
    assert!(cart(&from::<SessionCreate>(v)).is_ok());
}

#[test]
fn lengths_count_utf16_units_as_klarnas_services_do() {
    // "😀" is two UTF-16 units: 127 fit in 255, 128 do not.
    let fits = with(session(), "/order_lines/0/name", json!("😀".repeat(127)));
    assert!(cart(&from::<SessionCreate>(fits)).is_ok());
    let over = with(session(), "/order_lines/0/name", json!("😀".repeat(128)));
    assert_eq!(cart_error(over), "Bad value: order_lines[0].name");
}

/// A line `quantity × unit_price` at `rate` with its tax.
fn line(name: &str, quantity: i64, unit_price: i64, rate: i64, tax: i64) -> Value {
    json!({"name": name, "quantity": quantity, "unit_price": unit_price, "tax_rate": rate,
           "total_amount": quantity * unit_price, "total_tax_amount": tax})
}

fn three_lines(third_tax: i64) -> Value {
    let lines = json!([
        line("Tomatoes", 10, 600, 2500, 1200),
        line("Shirt", 1, 9900, 1900, 1581),
        line("Book", 1, 495, 700, third_tax),
    ]);
    json!({"purchase_country": "DE", "purchase_currency": "EUR", "order_amount": 16395,
           "order_tax_amount": 1200 + 1581 + third_tax, "order_lines": lines})
}

#[test]
fn klarnas_worked_tax_examples() {
    // 6000 at 25 % → 1200; 9900 at 19 % → 1581 (1580.67); 495 at 7 % with 41 is refused.
    assert!(cart(&from::<SessionCreate>(three_lines(32))).is_ok());
    assert_eq!(
        cart_error(three_lines(41)),
        "Bad value: order_lines[2].total_tax_amount"
    );
}

#[test]
fn line_arithmetic_and_order_sums() {
    let off_total = with(session(), "/order_lines/0/total_amount", json!(2001));
    let off_total = with(off_total, "/order_amount", json!(2001));
    assert_eq!(
        cart_error(off_total),
        "Bad value: order_lines[0].total_amount"
    );
    let off_tax = with(session(), "/order_lines/0/total_tax_amount", json!(335));
    let off_tax = with(off_tax, "/order_tax_amount", json!(335));
    assert_eq!(
        cart_error(off_tax),
        "Bad value: order_lines[0].total_tax_amount"
    );
    // Within ±1 of 333.33 on the line, but then the order must say the same.
    let within = with(session(), "/order_lines/0/total_tax_amount", json!(334));
    assert_eq!(cart_error(within.clone()), "Bad value: order_tax_amount");
    assert!(cart(&from::<SessionCreate>(with(
        within,
        "/order_tax_amount",
        json!(334)
    )))
    .is_ok());
    assert_eq!(
        cart_error(with(session(), "/order_amount", json!(1999))),
        "Bad value: order_amount"
    );
    // An absent order_tax_amount is 0.
    assert_eq!(
        cart_error(with(session(), "/order_tax_amount", json!(null))),
        "Bad value: order_tax_amount"
    );
}

#[test]
fn discount_lines_are_negative_with_negative_tax() {
    let v = json!({"purchase_country": "SE", "purchase_currency": "SEK",
        "order_amount": 9000, "order_tax_amount": 1800, "order_lines": [
            line("Chair", 1, 10000, 2500, 2000),
            {"type": "discount", "name": "Coupon", "quantity": 1, "unit_price": -1000,
             "tax_rate": 2500, "total_amount": -1000, "total_tax_amount": -200}]});
    assert!(cart(&from::<SessionCreate>(v.clone())).is_ok());
    let positive = with(v, "/order_lines/1/total_tax_amount", json!(200));
    let positive = with(positive, "/order_tax_amount", json!(2200));
    assert_eq!(
        cart_error(positive),
        "Bad value: order_lines[1].total_tax_amount"
    );
}

#[test]
fn us_style_sales_tax_lines_count_into_the_order_tax() {
    let v = json!({"purchase_country": "US", "purchase_currency": "USD",
        "order_amount": 10800, "order_tax_amount": 800, "order_lines": [
            line("Lamp", 1, 10000, 0, 0),
            {"type": "sales_tax", "name": "Tax", "quantity": 1, "unit_price": 800,
             "total_amount": 800}]});
    assert!(cart(&from::<SessionCreate>(v.clone())).is_ok());
    assert_eq!(
        cart_error(with(v, "/order_tax_amount", json!(0))),
        "Bad value: order_tax_amount"
    );
}

#[test]
fn schema_comes_before_arithmetic_and_order_fields_before_lines() {
    // Line 0 has a too-long URL, line 1 a wrong tax: the URL is named.
    let v = with(
        three_lines(41),
        "/order_lines/0/image_url",
        json!("x".repeat(1025)),
    );
    assert_eq!(cart_error(v.clone()), "Bad value: order_lines[0].image_url");
    // A bad locale comes before any line.
    assert_eq!(
        cart_error(with(v, "/locale", json!("x"))),
        "Bad value: locale"
    );
    // The arithmetic comes before the sums.
    let v = with(three_lines(41), "/order_amount", json!(1));
    assert_eq!(cart_error(v), "Bad value: order_lines[2].total_tax_amount");
}

#[test]
fn addresses_customer_and_merchant_fields() {
    let address = json!({"given_name": "Adam", "family_name": "Andersson", "email": "a@b.se",
        "street_address": "33 Cavendish Square", "postal_code": "W1G 0PW", "city": "London",
        "country": "GB"});
    let v = with(session(), "/billing_address", address.clone());
    let v = with(v, "/shipping_address", address);
    assert!(cart(&from::<SessionCreate>(v.clone())).is_ok());
    let long = |n: usize| json!("x".repeat(n));
    let cases = [
        (
            "/billing_address/given_name",
            long(100),
            "billing_address.given_name",
        ),
        ("/billing_address/title", long(21), "billing_address.title"),
        (
            "/billing_address/postal_code",
            long(11),
            "billing_address.postal_code",
        ),
        (
            "/shipping_address/country",
            json!("GBR"),
            "shipping_address.country",
        ),
        (
            "/shipping_address/country",
            json!("US"),
            "shipping_address.region",
        ),
        (
            "/shipping_address/country",
            json!("au"),
            "shipping_address.region",
        ),
        ("/customer/type", json!("robot"), "customer.type"),
        (
            "/customer/last_four_ssn",
            json!("12345"),
            "customer.last_four_ssn",
        ),
        (
            "/customer/organization_entity_type",
            json!("LLC"),
            "customer.organization_entity_type",
        ),
        ("/merchant_reference1", long(256), "merchant_reference1"),
        ("/merchant_reference2", long(256), "merchant_reference2"),
        ("/merchant_data", long(6001), "merchant_data"),
        ("/merchant_urls/push", long(2001), "merchant_urls.push"),
        ("/intent", json!("rent"), "intent"),
        (
            "/acquiring_channel",
            json!("ecommerce"),
            "acquiring_channel",
        ),
        ("/options/color_text", json!("red"), "options.color_text"),
        (
            "/options/color_border",
            json!("#12345G"),
            "options.color_border",
        ),
        (
            "/attachment/content_type",
            json!("application/json"),
            "attachment.body",
        ),
    ];
    for (pointer, value, field) in cases {
        let got = cart_error(with(v.clone(), pointer, value.clone()));
        assert_eq!(got, format!("Bad value: {field}"), "{pointer} = {value}");
    }
    let us = with(v.clone(), "/shipping_address/country", json!("US"));
    let us = with(us, "/shipping_address/region", json!("TN"));
    assert!(cart(&from::<SessionCreate>(us)).is_ok());
}

#[test]
fn bad_value_renders_klarnas_error_body() {
    let e = BadValue::new("order_lines[2].total_tax_amount");
    assert_eq!(
        serde_json::to_value(e.to_error_body("f072554f")).unwrap(),
        json!({"error_code": "BAD_VALUE",
               "error_messages": ["Bad value: order_lines[2].total_tax_amount"],
               "correlation_id": "f072554f"})
    );
}

#[test]
fn a_session_update_is_checked_as_the_merged_session() {
    let mut s: SessionCreate = from(session());
    // Only the lines and amounts: the rest stays the session's.
    let update: Session = from(three_lines(32));
    let update = Session {
        purchase_country: None,
        purchase_currency: None,
        ..update
    };
    s.apply_update(update);
    let valid = cart(&s).unwrap();
    assert_eq!(valid.currency, Currency::GBP);
    assert_eq!(valid.lines.len(), 3);
    let mut s: SessionCreate = from(session());
    s.apply_update(from(json!({"order_amount": 2100})));
    assert_eq!(cart(&s).unwrap_err().to_string(), "Bad value: order_amount");
}

#[test]
fn create_order_matches_the_session_or_says_what_differs() {
    let session = cart(&from::<SessionCreate>(session())).unwrap();
    // Addresses and references may be added.
    let order: CreateOrderRequest = from(with(
        with(self::session(), "/merchant_reference1", json!("ON4711")),
        "/billing_address",
        json!({"given_name": "Adam", "country": "GB"}),
    ));
    assert_eq!(cart_mismatch(&session, &cart(&order).unwrap()), None);

    let mut two = self::session();
    let first = two["order_lines"][0].clone();
    two["order_lines"].as_array_mut().unwrap().push(first);
    two["order_amount"] = json!(4000);
    two["order_tax_amount"] = json!(666);
    let order = cart(&from::<CreateOrderRequest>(two)).unwrap();
    assert_eq!(
        cart_mismatch(&session, &order).unwrap(),
        "Not matching fields: [Incorrect order_amount. Expected: 2000, Actual: 4000, \
         Incorrect order_tax_amount. Expected: 333, Actual: 666, \
         Incorrect number of items in the cart. Expected: 1, Actual: 2]"
    );

    let cheaper = with(
        self::session(),
        "/order_lines/0/total_discount_amount",
        json!(600),
    );
    let cheaper = with(cheaper, "/order_lines/0/total_amount", json!(1900));
    let cheaper = with(cheaper, "/order_lines/0/total_tax_amount", json!(317));
    let cheaper = with(cheaper, "/order_amount", json!(1900));
    let cheaper = with(cheaper, "/order_tax_amount", json!(317));
    let cheaper = with(cheaper, "/purchase_country", json!("IE"));
    let order = cart(&from::<CreateOrderRequest>(cheaper)).unwrap();
    assert_eq!(
        cart_mismatches(&session, &order),
        [
            "Incorrect purchase_country. Expected: GB, Actual: IE",
            "Incorrect order_amount. Expected: 2000, Actual: 1900",
            "Incorrect order_tax_amount. Expected: 333, Actual: 317",
            "Incorrect order_lines[0].total_discount_amount. Expected: 500, Actual: 600",
            "Incorrect order_lines[0].total_amount. Expected: 2000, Actual: 1900",
            "Incorrect order_lines[0].total_tax_amount. Expected: 333, Actual: 317",
        ]
    );
}

#[test]
fn customer_tokens() {
    let ok = json!({"description": "Monthly socks", "intended_use": "SUBSCRIPTION",
        "locale": "en-GB", "purchase_country": "GB", "purchase_currency": "GBP"});
    assert_eq!(customer_token(&from(ok.clone())), Ok(()));
    let cases = [
        ("/locale", json!(null), "locale"),
        ("/purchase_currency", json!("ABC"), "purchase_currency"),
        ("/description", json!(null), "description"),
        ("/description", json!(""), "description"),
        ("/intended_use", json!("ONE_OFF"), "intended_use"),
        (
            "/billing_address/country",
            json!("AU"),
            "billing_address.region",
        ),
    ];
    for (pointer, value, field) in cases {
        let e = customer_token(&from(with(ok.clone(), pointer, value))).unwrap_err();
        assert_eq!(e.to_string(), format!("Bad value: {field}"), "{pointer}");
    }
}

// ---- Order Management ----

fn capture_body() -> Value {
    json!({"captured_amount": 6000, "description": "Shipped", "reference": "C-1",
        "order_lines": [line("Tomatoes", 10, 600, 2500, 1200)],
        "shipping_info": [{"shipping_company": "DHL US", "shipping_method": "Home",
                           "tracking_number": "63456415674545679874"}]})
}

fn capture_error(v: Value) -> OmInvalid {
    capture(&from::<CaptureObject>(v)).unwrap_err()
}

#[test]
fn captures() {
    assert_eq!(capture(&from(capture_body())), Ok(()));
    for (pointer, value, field) in [
        ("/captured_amount", json!(null), "captured_amount"),
        ("/captured_amount", json!(0), "captured_amount"),
        ("/captured_amount", json!(100_000_001), "captured_amount"),
        ("/shipping_delay", json!(-1), "shipping_delay"),
        (
            "/shipping_info/0/shipping_method",
            json!("Drone"),
            "shipping_info[0].shipping_method",
        ),
        ("/order_lines/0/type", json!("gift"), "order_lines[0].type"),
        (
            "/order_lines/0/total_amount",
            json!(6001),
            "order_lines[0].total_amount",
        ),
        (
            "/order_lines/0/total_tax_amount",
            json!(1202),
            "order_lines[0].total_tax_amount",
        ),
    ] {
        let e = capture_error(with(capture_body(), pointer, value));
        assert_eq!(e, OmInvalid::BadValue(BadValue::new(field)), "{pointer}");
        assert_eq!((e.status(), e.error_code()), (400, "BAD_VALUE"));
    }
}

#[test]
fn om_sizes_answer_klarnas_422() {
    let e = capture_error(with(
        capture_body(),
        "/shipping_info/0/shipping_company",
        json!("x".repeat(101)),
    ));
    assert_eq!(e.field(), "shipping_info[0].shipping_company");
    assert_eq!(
        e.to_string(),
        "The size of the shipping_info/shipping_company value must be between 0 and 100"
    );
    assert_eq!((e.status(), e.error_code()), (422, "UNPROCESSABLE_ENTITY"));
    assert_eq!(
        serde_json::to_value(e.to_error_body("c")).unwrap(),
        json!({"error_code": "UNPROCESSABLE_ENTITY", "error_messages":
            ["The size of the shipping_info/shipping_company value must be between 0 and 100"],
            "correlation_id": "c"})
    );
    let long = |n: usize| json!("x".repeat(n));
    let entries: Vec<Value> = (0..501).map(|_| json!({})).collect();
    let lines: Vec<Value> = (0..1001).map(|_| line("a", 1, 1, 0, 0)).collect();
    for (pointer, value, message) in [
        (
            "/description",
            long(256),
            "description value must be between 0 and 255",
        ),
        (
            "/reference",
            long(256),
            "reference value must be between 0 and 255",
        ),
        (
            "/shipping_info",
            json!(entries),
            "shipping_info value must be between 0 and 500",
        ),
        (
            "/order_lines",
            json!(lines),
            "order_lines value must be between 0 and 1000",
        ),
        (
            "/order_lines/0/name",
            long(256),
            "order_lines/name value must be between 0 and 255",
        ),
        (
            "/order_lines/0/quantity_unit",
            long(11),
            "order_lines/quantity_unit value must be between 0 and 10",
        ),
        (
            "/order_lines/0/product_identifiers/brand",
            long(71),
            "order_lines/product_identifiers/brand value must be between 0 and 70",
        ),
        (
            "/shipping_info/0/tracking_uri",
            long(1025),
            "shipping_info/tracking_uri value must be between 0 and 1024",
        ),
        (
            "/shipping_info/0/return_tracking_number",
            long(101),
            "shipping_info/return_tracking_number value must be between 0 and 100",
        ),
    ] {
        let e = capture_error(with(capture_body(), pointer, value));
        assert_eq!(
            e.to_string(),
            format!("The size of the {message}"),
            "{pointer}"
        );
    }
}

#[test]
fn refunds_with_a_return_fee() {
    // Klarna's return-fee example: 10000 and −500 refund 9500.
    let v = json!({"refunded_amount": 9500, "order_lines": [
        line("Coat", 1, 10000, 2500, 2000),
        {"type": "return_fee", "name": "Return fee", "quantity": 1, "unit_price": -500,
         "tax_rate": 2500, "total_amount": -500, "total_tax_amount": -100}]});
    let body: RefundObject = from(v.clone());
    assert_eq!(refund(&body), Ok(()));
    let lines = body.order_lines.as_deref();
    assert_eq!(lines_match_amount("refunded_amount", 9500, lines), Ok(()));
    assert_eq!(
        lines_match_amount("refunded_amount", 9400, lines)
            .unwrap_err()
            .to_string(),
        "Bad value: refunded_amount"
    );
    assert_eq!(lines_match_amount("captured_amount", 5, None), Ok(()));
    assert_eq!(lines_match_amount("captured_amount", 5, Some(&[])), Ok(()));
    for (pointer, value, field) in [
        ("/refunded_amount", json!(null), "refunded_amount"),
        ("/refunded_amount", json!(-1), "refunded_amount"),
        (
            "/order_lines/1/total_discount_amount",
            json!(-5),
            "order_lines[1].total_discount_amount",
        ),
    ] {
        let e = refund(&from(with(v.clone(), pointer, value))).unwrap_err();
        assert_eq!(e.to_string(), format!("Bad value: {field}"), "{pointer}");
    }
    let zero = refund(&from(with(v, "/refunded_amount", json!(0))));
    assert_eq!(zero, Ok(()));
}

#[test]
fn authorization_updates() {
    // Klarna's docs example.
    let v = json!({"order_amount": 6000, "description": "", "order_lines": [{
        "type": "physical", "reference": "123050", "name": "Tomatoes", "quantity": 10,
        "quantity_unit": "kg", "unit_price": 600, "tax_rate": 2500, "total_amount": 6000,
        "total_tax_amount": 1200}]});
    assert_eq!(update_authorization(&from(v.clone())), Ok(()));
    let e = update_authorization(&from::<UpdateAuthorization>(with(
        v.clone(),
        "/order_amount",
        json!(null),
    )))
    .unwrap_err();
    assert_eq!(e.to_string(), "Bad value: order_amount");
    let e =
        update_authorization(&from(with(v, "/order_lines/0/tax_rate", json!(2000)))).unwrap_err();
    assert_eq!(e.to_string(), "Bad value: order_lines[0].total_tax_amount");
}

#[test]
fn shipping_info_references_consumer_and_due_dates() {
    let info = |v: Value| shipping_info(&from::<UpdateShippingInfo>(v));
    assert_eq!(
        info(json!({"shipping_info": [{"shipping_method": "PickUpPoint"}]})),
        Ok(())
    );
    assert_eq!(
        info(json!({})).unwrap_err().to_string(),
        "Bad value: shipping_info"
    );
    assert_eq!(
        info(json!({"shipping_info": []})).unwrap_err().to_string(),
        "The size of the shipping_info value must be between 1 and 500"
    );
    assert_eq!(
        info(json!({"shipping_info": [{}, {"shipping_method": "home"}]}))
            .unwrap_err()
            .field(),
        "shipping_info[1].shipping_method"
    );

    let refs = |v: Value| merchant_references(&from::<UpdateMerchantReferences>(v));
    assert_eq!(
        refs(json!({"merchant_reference1": "", "merchant_reference2": "x"})),
        Ok(())
    );
    assert_eq!(
        refs(json!({"merchant_reference2": "x".repeat(256)}))
            .unwrap_err()
            .to_string(),
        "The size of the merchant_reference2 value must be between 0 and 255"
    );

    let consumer = |v: Value| update_consumer(&from::<UpdateConsumer>(v));
    assert_eq!(
        consumer(json!({"shipping_address": {"street_address": "123 Fake St",
            "postal_code": "12345", "city": "New York", "region": "NY", "country": "US"}})),
        Ok(())
    );
    assert_eq!(
        consumer(json!({"shipping_address": {"city": "x".repeat(201)}}))
            .unwrap_err()
            .to_string(),
        "The size of the shipping_address/city value must be between 0 and 200"
    );
    assert_eq!(
        consumer(json!({"billing_address": {"organization_name": "x".repeat(256)}}))
            .unwrap_err()
            .field(),
        "billing_address.organization_name"
    );

    let due = |v: Value| extend_due_date(&from::<ExtendDueDateRequest>(v));
    assert_eq!(due(json!({"number_of_days": 14})), Ok(()));
    for bad in [
        json!({}),
        json!({"number_of_days": 0}),
        json!({"number_of_days": 2_147_483_648i64}),
    ] {
        assert_eq!(
            due(bad).unwrap_err().to_string(),
            "Bad value: number_of_days"
        );
    }
}

#[test]
fn size_paths_drop_indices_and_use_slashes() {
    let s = SizeViolation {
        field: "order_lines[3].product_identifiers.brand".into(),
        min: 0,
        max: 70,
    };
    assert_eq!(s.path(), "order_lines/product_identifiers/brand");
    assert_eq!(
        SizeViolation {
            field: "description".into(),
            min: 0,
            max: 255
        }
        .path(),
        "description"
    );
}
