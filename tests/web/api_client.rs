//! Browser tests: the API client.

use super::helpers::*;

#[wasm_bindgen_test]
async fn a_missing_order_is_a_typed_404() {
    // The test runner's own server answers 404 for paths it does not know.
    let error = api::get_order("ord_missing")
        .await
        .expect_err("there is no API behind the test server");
    match &error {
        ClientError::Http { status, .. } => assert_eq!(*status, 404),
        other => panic!("expected an HTTP 404, got {other:?}"),
    }
    assert!(error.is_not_found());
    assert!(!error.to_string().is_empty(), "a person can read it");
}
