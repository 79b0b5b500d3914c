//! Closed enums for values Klarna documents as open sets. The wire keeps them as `String`
//! (a value Klarna adds later must not break parsing); code that reasons about them parses.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A string that is none of an enum's documented values.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown Klarna {kind} {value:?}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

/// Declares a closed enum of Klarna's SCREAMING_SNAKE_CASE values with `ALL`, `as_str`,
/// `Display`, `FromStr` (exact spelling) and the same serde form.
macro_rules! klarna_enum {
    ($(#[$meta:meta])* $name:ident, $kind:literal { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;

            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| UnknownValue { kind: $kind, value: s.to_owned() })
            }
        }
    };
}

klarna_enum! {
    /// An Order Management order's `status` (reference §4.1, §5.2).
    OrderStatus, "order status" {
        Authorized => "AUTHORIZED",
        PartCaptured => "PART_CAPTURED",
        Captured => "CAPTURED",
        Cancelled => "CANCELLED",
        Expired => "EXPIRED",
        /// Meaning undocumented by Klarna (reference §5.2).
        Closed => "CLOSED",
    }
}

klarna_enum! {
    /// An order's `fraud_status`: PENDING orders cannot be captured until Klarna decides.
    FraudStatus, "fraud status" {
        Accepted => "ACCEPTED",
        Pending => "PENDING",
        Rejected => "REJECTED",
    }
}

klarna_enum! {
    /// The `event_type` of the notification Klarna POSTs to `merchant_urls.notification` when
    /// it decides a PENDING order (reference §5.2).
    FraudEvent, "fraud event" {
        Accepted => "FRAUD_RISK_ACCEPTED",
        Rejected => "FRAUD_RISK_REJECTED",
        /// Accepted first, then stopped: do not ship.
        Stopped => "FRAUD_RISK_STOPPED",
    }
}

impl OrderStatus {
    /// Klarna takes captures only in these states (reference §5.1).
    pub fn is_capturable(self) -> bool {
        matches!(self, Self::Authorized | Self::PartCaptured)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_parses_back_and_serialises_as_klarna_spells_it() {
        for s in OrderStatus::ALL {
            assert_eq!(s.as_str().parse::<OrderStatus>(), Ok(*s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for s in FraudStatus::ALL {
            assert_eq!(s.to_string().parse::<FraudStatus>(), Ok(*s));
        }
        for e in FraudEvent::ALL {
            assert_eq!(e.as_str().parse::<FraudEvent>(), Ok(*e));
        }
        assert_eq!(OrderStatus::PartCaptured.as_str(), "PART_CAPTURED");
        assert_eq!(FraudEvent::Stopped.to_string(), "FRAUD_RISK_STOPPED");
    }

    #[test]
    fn unknown_and_differently_cased_values_are_refused() {
        let e = "authorized".parse::<OrderStatus>().unwrap_err();
        assert_eq!(e.to_string(), "unknown Klarna order status \"authorized\"");
        assert!("ON_HOLD".parse::<FraudStatus>().is_err());
        assert!(OrderStatus::PartCaptured.is_capturable());
        assert!(!OrderStatus::Closed.is_capturable());
    }
}
