//! Mollie's documented example objects (orders, lines, shipments, refunds, payments, errors,
//! a create request) parse into the model's types and print back without losing a field.
//! The fixtures follow the examples in Mollie's API reference (see
//! `shared/reference/mollie-orders-api.md` §3–§4).

use kassa_model::mollie::{CreateOrder, ErrorBody, Order, Refund, Shipment};
use kassa_model::validate;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/mollie/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Every field of `original` is in `reprinted` with the same value; `reprinted` may only add
/// `null`s for fields the original left out.
fn assert_preserves(original: &Value, reprinted: &Value, path: &str) {
    match (original, reprinted) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let sub = format!("{path}.{k}");
                let other = b.get(k).unwrap_or_else(|| panic!("{sub} was lost"));
                assert_preserves(v, other, &sub);
            }
            for (k, v) in b {
                assert!(
                    a.contains_key(k) || v.is_null(),
                    "{path}.{k} was added: {v}"
                );
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{path}: length");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_preserves(x, y, &format!("{path}.{i}"));
            }
        }
        _ => assert_eq!(original, reprinted, "{path}"),
    }
}

fn round_trip<T: DeserializeOwned + Serialize>(name: &str) -> T {
    let original = fixture(name);
    let parsed: T =
        serde_json::from_value(original.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let reprinted = serde_json::to_value(&parsed).unwrap();
    assert_preserves(&original, &reprinted, name);
    parsed
}

#[test]
fn orders_round_trip() {
    let order: Order = round_trip("order.json");
    assert_eq!(order.lines.len(), 2);
    assert_eq!(order.amount.to_money().unwrap().minor, 102_799);
    assert!(order.links.checkout.is_some());
}

#[test]
fn orders_with_embedded_payments_refunds_and_shipments_round_trip() {
    let order: Order = round_trip("order_with_embeds.json");
    let embedded = order.embedded.unwrap();
    assert_eq!(embedded.payments.unwrap()[0].status, "authorized");
    assert_eq!(
        embedded.shipments.unwrap()[0].lines[0].total_amount.value,
        "299.00"
    );
    assert_eq!(embedded.refunds.unwrap()[0].amount.value, "299.00");
}

#[test]
fn shipments_and_refunds_round_trip() {
    let shipment: Shipment = round_trip("shipment.json");
    assert_eq!(shipment.tracking.unwrap().carrier, "PostNL");
    let refund: Refund = round_trip("refund.json");
    assert_eq!(refund.settlement_amount.unwrap().value, "-299.00");
}

#[test]
fn errors_round_trip() {
    let e: ErrorBody = round_trip("error_vat.json");
    assert_eq!(e.field.as_deref(), Some("lines.1.vatAmount"));
    let e: ErrorBody = round_trip("error_amount_range.json");
    assert_eq!(e.extra.unwrap()["maximumAmount"]["value"], "50.00");
}

#[test]
fn the_documented_create_request_round_trips_and_is_valid() {
    let req: CreateOrder = round_trip("create_order.json");
    let valid = validate::create_order(&req).unwrap();
    assert_eq!(valid.amount.minor, 102_799);
}
