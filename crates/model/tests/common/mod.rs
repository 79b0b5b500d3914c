//! Fixtures shared by the model's integration tests.

use kassa_model::api::Address;

/// A complete, valid billing address (every field a staff order or a provider body needs).
pub fn address() -> Address {
    Address {
        given_name: Some("Ada".into()),
        family_name: Some("Lovelace".into()),
        email: Some("ada@example.org".into()),
        street_and_number: Some("1 Main St".into()),
        postal_code: Some("1000AA".into()),
        city: Some("Amsterdam".into()),
        country: Some("NL".into()),
        ..Address::default()
    }
}
