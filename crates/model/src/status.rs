use std::fmt;

use serde::{Deserialize, Serialize};

/// An order's status, as Mollie names it. Kassa shows Klarna orders with the same vocabulary:
/// `AUTHORIZED` is `authorized` (`pending` while the fraud review is pending),
/// `PART_CAPTURED` is `shipping`, `CAPTURED` and `CLOSED` are `completed`, `CANCELLED` is
/// `canceled`, `EXPIRED` is `expired`; Klarna's own word is kept in
/// [`crate::api::OrderView::provider_status`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum OrderStatus {
    Created,
    Pending,
    Authorized,
    Paid,
    Shipping,
    Completed,
    Canceled,
    Expired,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 8] = [
        Self::Created,
        Self::Pending,
        Self::Authorized,
        Self::Paid,
        Self::Shipping,
        Self::Completed,
        Self::Canceled,
        Self::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Pending => "pending",
            Self::Authorized => "authorized",
            Self::Paid => "paid",
            Self::Shipping => "shipping",
            Self::Completed => "completed",
            Self::Canceled => "canceled",
            Self::Expired => "expired",
        }
    }

    /// No further status change can happen.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Completed | Self::Canceled | Self::Expired)
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for OrderStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|x| x.as_str() == s).ok_or(())
    }
}

/// An order line's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum LineStatus {
    Created,
    Authorized,
    Paid,
    Shipping,
    Canceled,
    Completed,
}

impl LineStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Authorized => "authorized",
            Self::Paid => "paid",
            Self::Shipping => "shipping",
            Self::Canceled => "canceled",
            Self::Completed => "completed",
        }
    }
}

impl fmt::Display for LineStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
