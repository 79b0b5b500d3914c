//! Tracking as typed in the ship / capture dialog and the tracking dialog, checked into the
//! model's `TrackingInfo` (Klarna's shipping info has more fields than Mollie's tracking).

use kassa_model::api::{OrderAction, TrackingInfo};

use super::DialogError;

/// Tracking as typed: Mollie keeps carrier, code and URL; Klarna's shipping info also the
/// shipping method and the return shipment's carrier, code and URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrackingInput {
    pub carrier: String,
    pub code: String,
    pub url: String,
    pub method: String,
    pub return_carrier: String,
    pub return_code: String,
    pub return_url: String,
}

impl TrackingInput {
    /// The fields of `tracking`, to edit it.
    pub fn from_tracking(tracking: Option<&TrackingInfo>) -> Self {
        let Some(t) = tracking else {
            return Self::default();
        };
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            carrier: t.carrier.clone(),
            code: t.code.clone(),
            url: text(&t.url),
            method: text(&t.method),
            return_carrier: text(&t.return_carrier),
            return_code: text(&t.return_code),
            return_url: text(&t.return_url),
        }
    }

    /// Nothing typed is no tracking; otherwise carrier and code are both needed, URLs are web
    /// addresses, and a return shipment has its carrier and code too. Errors name the field.
    pub fn to_tracking(&self) -> Result<Option<TrackingInfo>, DialogError> {
        let t = |s: &str| s.trim().to_owned();
        let (carrier, code, url) = (t(&self.carrier), t(&self.code), t(&self.url));
        let (return_carrier, return_code, return_url) = (
            t(&self.return_carrier),
            t(&self.return_code),
            t(&self.return_url),
        );
        let method = t(&self.method);
        let all = [
            &carrier,
            &code,
            &url,
            &method,
            &return_carrier,
            &return_code,
            &return_url,
        ];
        if all.iter().all(|s| s.is_empty()) {
            return Ok(None);
        }
        if carrier.is_empty() || code.is_empty() {
            return Err(DialogError::dialog(
                "For tracking, enter both the carrier and the tracking code (or neither).",
            ));
        }
        let web = |u: &str| u.is_empty() || u.starts_with("https://") || u.starts_with("http://");
        if !web(&url) {
            return Err(DialogError::dialog(
                "The tracking URL should start with https://.",
            ));
        }
        let any_return = !(return_carrier.is_empty() && return_code.is_empty());
        if any_return && (return_carrier.is_empty() || return_code.is_empty()) {
            return Err(DialogError::dialog(
                "For the return shipment, enter both its carrier and its tracking code (or neither).",
            ));
        }
        if !web(&return_url) {
            return Err(DialogError::dialog(
                "The return tracking URL should start with https://.",
            ));
        }
        if !method.is_empty()
            && !crate::terms::SHIPPING_METHODS
                .iter()
                .any(|(m, _)| *m == method)
        {
            return Err(DialogError::dialog(
                "Choose the shipping method from the list.",
            ));
        }
        let some = |s: String| (!s.is_empty()).then_some(s);
        Ok(Some(TrackingInfo {
            carrier,
            code,
            url: some(url),
            method: some(method),
            return_carrier: some(return_carrier),
            return_code: some(return_code),
            return_url: some(return_url),
        }))
    }
}

/// Optional tracking for a shipment: nothing, or both carrier and code (and maybe a URL).
pub fn tracking(carrier: &str, code: &str, url: &str) -> Result<Option<TrackingInfo>, DialogError> {
    TrackingInput {
        carrier: carrier.to_owned(),
        code: code.to_owned(),
        url: url.to_owned(),
        ..TrackingInput::default()
    }
    .to_tracking()
}

/// `UpdateTracking` for one shipment from the tracking dialog. Unlike shipping, tracking is
/// required here: the dialog exists to set it.
pub fn update_tracking(
    intent_id: String,
    shipment_id: &str,
    input: &TrackingInput,
) -> Result<OrderAction, DialogError> {
    let tracking = input
        .to_tracking()?
        .ok_or_else(|| DialogError::dialog("Enter the carrier and the tracking code."))?;
    Ok(OrderAction::UpdateTracking {
        intent_id,
        shipment_id: shipment_id.to_owned(),
        tracking,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::*;
    use kassa_model::api::*;

    #[test]
    fn tracking_updates_need_carrier_and_code() {
        assert!(update_tracking("i".into(), "shp_1", &TrackingInput::default()).is_err());
        let typed = TrackingInput {
            carrier: "DHL".into(),
            code: "JD01".into(),
            ..TrackingInput::default()
        };
        assert_eq!(
            update_tracking("i".into(), "shp_1", &typed),
            Ok(OrderAction::UpdateTracking {
                intent_id: "i".into(),
                shipment_id: "shp_1".into(),
                tracking: kassa_model::api::TrackingInfo {
                    carrier: "DHL".into(),
                    code: "JD01".into(),
                    url: None,
                    ..Default::default()
                },
            })
        );
    }

    #[test]
    fn tracking_is_all_or_nothing_and_messages_count_items() {
        assert_eq!(tracking(" ", "", ""), Ok(None));
        assert!(tracking("PostNL", "", "").is_err());
        assert!(tracking("PostNL", "3S123", "ftp://x").is_err());
        let t = tracking("PostNL", "3S123", "https://postnl.nl/t/3S123")
            .unwrap()
            .unwrap();
        assert_eq!(t.url.as_deref(), Some("https://postnl.nl/t/3S123"));
        assert_eq!(
            success_message(Provider::Mollie, ActionKind::Ship, 2, false),
            "Shipped 2 items"
        );
        assert_eq!(
            success_message(Provider::Mollie, ActionKind::Refund, 1, false),
            "Refunded 1 item"
        );
        assert_eq!(
            success_message(Provider::Mollie, ActionKind::CancelOrder, 0, false),
            "Order canceled"
        );
    }

    #[test]
    fn klarna_shipping_info_keeps_method_and_return_tracking() {
        let mut typed = TrackingInput {
            carrier: "DHL".into(),
            code: "JD01".into(),
            method: "PickUpPoint".into(),
            return_carrier: "DHL".into(),
            ..TrackingInput::default()
        };
        assert!(typed.to_tracking().unwrap_err().message.contains("return"));
        typed.return_code = "JD02".into();
        typed.return_url = "ftp://x".into();
        assert!(typed
            .to_tracking()
            .unwrap_err()
            .message
            .contains("return tracking URL"));
        typed.return_url = String::new();
        let t = typed.to_tracking().unwrap().unwrap();
        assert_eq!(t.method.as_deref(), Some("PickUpPoint"));
        assert_eq!(t.return_code.as_deref(), Some("JD02"));
        assert_eq!(TrackingInput::from_tracking(Some(&t)), typed);
        typed.method = "Teleport".into();
        assert!(typed.to_tracking().is_err());
    }
}
