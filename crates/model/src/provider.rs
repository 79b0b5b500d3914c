//! Which payment provider holds an order. Kassa's own API, the proxy's mirror and ledger carry
//! it as data; only the proxy's provider adapters and the sandbox know each provider's wire.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Mollie's Orders API (`ord_…` ids).
    Mollie,
    /// Klarna Order Management (UUID order ids).
    Klarna,
}

impl Provider {
    pub const ALL: [Provider; 2] = [Self::Mollie, Self::Klarna];

    /// The JSON and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mollie => "mollie",
            Self::Klarna => "klarna",
        }
    }

    /// The name staff read.
    pub fn label(self) -> &'static str {
        match self {
            Self::Mollie => "Mollie",
            Self::Klarna => "Klarna",
        }
    }

    /// The provider whose order ids look like `id`, if any: Mollie's `ord_` plus letters and
    /// digits, Klarna's lowercase or uppercase UUID. Lets the proxy route an id it has not
    /// mirrored yet (a notification, "Add a Klarna order") without asking both providers.
    pub fn owning(id: &str) -> Option<Provider> {
        if let Some(rest) = id.strip_prefix("ord_") {
            let ok = !rest.is_empty()
                && rest.len() <= 64
                && rest.bytes().all(|b| b.is_ascii_alphanumeric());
            return ok.then_some(Self::Mollie);
        }
        is_uuid(id).then_some(Self::Klarna)
    }
}

/// `8-4-4-4-12` hexadecimal digits.
fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Provider {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|p| p.as_str() == s).ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_name_their_provider() {
        assert_eq!(Provider::owning("ord_pbjz8x"), Some(Provider::Mollie));
        assert_eq!(
            Provider::owning("f3392f8b-6116-4073-ab96-e330819e2c07"),
            Some(Provider::Klarna)
        );
        assert_eq!(Provider::owning("ord_"), None);
        assert_eq!(Provider::owning("ord_a/b"), None);
        assert_eq!(
            Provider::owning("f3392f8b-6116-4073-ab96-e330819e2c0"),
            None
        );
        assert_eq!(Provider::owning("../etc/passwd"), None);
        assert_eq!(Provider::owning(""), None);
    }

    #[test]
    fn spelled_as_today() {
        assert_eq!(
            serde_json::to_string(&Provider::Mollie).unwrap(),
            "\"mollie\""
        );
        assert_eq!("klarna".parse(), Ok(Provider::Klarna));
    }
}
