//! Klarna's API hosts (reference §1.1): one per region and environment.

use std::fmt;
use std::str::FromStr;

/// Where a merchant's Klarna account lives; each region is a separate API host.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Region {
    Eu,
    Na,
    Oc,
}

/// Klarna's test system (playground) or production.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Environment {
    Playground,
    Live,
}

impl Region {
    pub const ALL: [Region; 3] = [Self::Eu, Self::Na, Self::Oc];

    /// `eu`, `na`, `oc`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eu => "eu",
            Self::Na => "na",
            Self::Oc => "oc",
        }
    }

    /// The region for a purchase country as Klarna's plugins map it: US and CA to North
    /// America, AU and NZ to Oceania, every other country to Europe. Any case.
    pub fn for_country(country: &str) -> Region {
        match country.trim().to_ascii_uppercase().as_str() {
            "US" | "CA" => Self::Na,
            "AU" | "NZ" => Self::Oc,
            _ => Self::Eu,
        }
    }

    /// The API base URL, with its trailing slash: `https://api-na.playground.klarna.com/`.
    pub fn base_url(self, environment: Environment) -> &'static str {
        match (self, environment) {
            (Self::Eu, Environment::Live) => "https://api.klarna.com/",
            (Self::Eu, Environment::Playground) => "https://api.playground.klarna.com/",
            (Self::Na, Environment::Live) => "https://api-na.klarna.com/",
            (Self::Na, Environment::Playground) => "https://api-na.playground.klarna.com/",
            (Self::Oc, Environment::Live) => "https://api-oc.klarna.com/",
            (Self::Oc, Environment::Playground) => "https://api-oc.playground.klarna.com/",
        }
    }
}

impl Environment {
    /// `playground`, `live`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Playground => "playground",
            Self::Live => "live",
        }
    }
}

/// A word that names no region or environment.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown Klarna {kind} {value:?} (expected {expected})")]
pub struct UnknownName {
    pub kind: &'static str,
    pub value: String,
    pub expected: &'static str,
}

impl FromStr for Region {
    type Err = UnknownName;

    /// `eu`, `na` or `oc`, any case.
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownName {
                kind: "region",
                value: s.to_owned(),
                expected: "eu, na or oc",
            })
    }
}

impl FromStr for Environment {
    type Err = UnknownName;

    /// `playground` or `live`, any case.
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        [Self::Playground, Self::Live]
            .into_iter()
            .find(|e| e.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownName {
                kind: "environment",
                value: s.to_owned(),
                expected: "playground or live",
            })
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_follow_klarnas_table() {
        use Environment::*;
        assert_eq!(Region::Eu.base_url(Live), "https://api.klarna.com/");
        assert_eq!(
            Region::Eu.base_url(Playground),
            "https://api.playground.klarna.com/"
        );
        assert_eq!(Region::Na.base_url(Live), "https://api-na.klarna.com/");
        assert_eq!(
            Region::Oc.base_url(Playground),
            "https://api-oc.playground.klarna.com/"
        );
    }

    #[test]
    fn countries_map_to_regions() {
        assert_eq!(Region::for_country("US"), Region::Na);
        assert_eq!(Region::for_country("ca"), Region::Na);
        assert_eq!(Region::for_country("AU"), Region::Oc);
        assert_eq!(Region::for_country("NZ"), Region::Oc);
        for eu in ["SE", "DE", "GB", "CH", "MX", ""] {
            assert_eq!(Region::for_country(eu), Region::Eu, "{eu}");
        }
    }

    #[test]
    fn names_parse() {
        assert_eq!("na".parse(), Ok(Region::Na));
        assert_eq!("OC".parse(), Ok(Region::Oc));
        assert_eq!(Region::Eu.to_string().parse(), Ok(Region::Eu));
        let e = "us".parse::<Region>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown Klarna region \"us\" (expected eu, na or oc)"
        );
        assert_eq!("live".parse(), Ok(Environment::Live));
        assert!("test".parse::<Environment>().is_err());
    }
}
