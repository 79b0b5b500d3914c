//! Each provider's words for the same things, so staff read the page in the terms of the
//! provider's own dashboard and documentation: a Mollie order is *shipped*, a Klarna order is
//! *captured*; Mollie *cancels* lines, Klarna *removes* items. Wording and input limits only:
//! what may be done, and why not, comes from the proxy (`OrderView::actions`).

use kassa_model::api::Provider;

/// The words (and text limits) of one provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Terms {
    /// The lines table's column of what went out: "Shipped" / "Captured".
    pub shipped: &'static str,
    /// The column of what can still go out: "To ship" / "Capturable".
    pub to_ship: &'static str,
    /// The column of what was taken off the order: "Canceled" / "Removed".
    pub canceled: &'static str,
    /// The heading of the shipments list: "Shipments" / "Captures".
    pub shipments: &'static str,
    /// The list's empty state.
    pub nothing_shipped: &'static str,
    /// "ship" / "capture", and its past participle.
    pub ship: &'static str,
    pub shipped_past: &'static str,
    /// "cancel" / "remove", and its past participle.
    pub cancel: &'static str,
    pub canceled_past: &'static str,
    /// The longest refund or capture description the provider takes (Mollie 140, Klarna 255).
    pub description_max: usize,
}

const MOLLIE: Terms = Terms {
    shipped: "Shipped",
    to_ship: "To ship",
    canceled: "Canceled",
    shipments: "Shipments",
    nothing_shipped: "Nothing shipped yet.",
    ship: "ship",
    shipped_past: "shipped",
    cancel: "cancel",
    canceled_past: "canceled",
    description_max: 140,
};

const KLARNA: Terms = Terms {
    shipped: "Captured",
    to_ship: "Capturable",
    canceled: "Removed",
    shipments: "Captures",
    nothing_shipped: "Nothing captured yet.",
    ship: "capture",
    shipped_past: "captured",
    cancel: "remove",
    canceled_past: "removed",
    description_max: 255,
};

/// The words for orders of `provider`.
pub fn terms(provider: Provider) -> &'static Terms {
    match provider {
        Provider::Mollie => &MOLLIE,
        Provider::Klarna => &KLARNA,
    }
}

/// Klarna's `shipping_method` values, as the "Add shipping info" dialog offers them, with the
/// words staff read.
pub const SHIPPING_METHODS: [(&str, &str); 9] = [
    ("Home", "Home delivery"),
    ("PickUpPoint", "Pick-up point"),
    ("PickUpStore", "Pick up in store"),
    ("BoxReg", "Parcel box (registered)"),
    ("BoxUnreg", "Parcel box (unregistered)"),
    ("Postal", "Postal"),
    ("DHLPackstation", "DHL Packstation"),
    ("Own", "Own delivery"),
    ("Digital", "Digital"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn klarna_captures_and_removes() {
        assert_eq!(terms(Provider::Klarna).shipped, "Captured");
        assert_eq!(terms(Provider::Mollie).shipped, "Shipped");
        assert_eq!(terms(Provider::Klarna).canceled, "Removed");
    }
}
