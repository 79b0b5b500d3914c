//! The orders list's filters: what staff type in the filter bar, the [`OrderFilter`] the proxy
//! understands, and the query string that carries both in the address bar (so a reload or a
//! shared link keeps them) and to `GET /api/orders`.
//!
//! The currency is a filter of its own (only orders in it), and amount bounds need one: they
//! are typed in major units ("12.50"), parsed with the model's `Money::parse_major` for that
//! currency, and the query holds minor units (`currency=EUR&min_minor=1250`).

use kassa_model::api::{OrderFilter, OrderStatus, Provider};
use kassa_model::{Currency, FieldError, Money};

use crate::routes::encode_segment;

/// The sort orders the proxy knows; the first is its default.
pub const SORTS: [(&str, &str); 2] = [("newest", "Newest first"), ("oldest", "Oldest first")];

/// The filter bar as typed: every field a string, validated only on "Apply".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilterForm {
    /// An [`OrderStatus`] as the API spells it, or empty for any.
    pub status: String,
    /// A [`Provider`] as the API spells it (`klarna`), or empty for any.
    pub provider: String,
    pub q: String,
    /// `YYYY-MM-DD` (what `<input type=date>` gives), or empty.
    pub from: String,
    pub to: String,
    /// Amounts in major units of `currency`, or empty.
    pub min: String,
    pub max: String,
    /// A currency code, or empty for any.
    pub currency: String,
    /// `newest`, `oldest`, or empty for the proxy's default.
    pub sort: String,
}

impl FilterForm {
    /// The form showing `filter`, e.g. after a reload.
    pub fn from_filter(filter: &OrderFilter) -> Self {
        let major = |minor: Option<i64>| match (minor, filter.currency) {
            (Some(m), Some(currency)) => Money::new(m, currency).to_major_string(),
            _ => String::new(),
        };
        Self {
            status: filter
                .status
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            provider: filter
                .provider
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default(),
            q: filter.q.clone().unwrap_or_default(),
            from: filter.from.clone().unwrap_or_default(),
            to: filter.to.clone().unwrap_or_default(),
            min: major(filter.min_minor),
            max: major(filter.max_minor),
            currency: filter
                .currency
                .map(|c| c.code().to_owned())
                .unwrap_or_default(),
            sort: filter.sort.clone().unwrap_or_default(),
        }
    }

    /// The filter to ask for; errors name the filter field (`min`, `from`, ...) so the bar can
    /// say which one is wrong. Blank fields are no filter.
    pub fn to_filter(&self) -> Result<OrderFilter, FieldError> {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let status = match text(&self.status) {
            None => None,
            Some(s) => Some(
                s.parse::<OrderStatus>()
                    .map_err(|()| FieldError::new("status", "Choose a status from the list."))?,
            ),
        };
        let provider =
            match text(&self.provider) {
                None => None,
                Some(p) => Some(p.parse::<Provider>().map_err(|()| {
                    FieldError::new("provider", "Choose a provider from the list.")
                })?),
            };
        let date = |field: &str, s: &str| -> Result<Option<String>, FieldError> {
            match text(s) {
                None => Ok(None),
                Some(d) if is_iso_date(&d) => Ok(Some(d)),
                Some(_) => Err(FieldError::new(field, "Enter a date as YYYY-MM-DD.")),
            }
        };
        let currency = match text(&self.currency) {
            None => None,
            Some(c) => Some(
                c.parse::<Currency>()
                    .map_err(|_| FieldError::new("currency", "Choose a currency from the list."))?,
            ),
        };
        let amount = |field: &str, s: &str| -> Result<Option<i64>, FieldError> {
            let Some(s) = text(s) else { return Ok(None) };
            let Some(currency) = currency else {
                return Err(FieldError::new(
                    "currency",
                    "Choose the currency of the amounts: amounts in different currencies cannot be compared.",
                ));
            };
            let money = Money::parse_major(&s, currency).map_err(|_| {
                FieldError::new(
                    field,
                    format!("Enter an amount in {}, like 12.50.", currency.code()),
                )
            })?;
            if money.minor < 0 {
                return Err(FieldError::new(field, "The amount cannot be negative."));
            }
            Ok(Some(money.minor))
        };
        let filter = OrderFilter {
            status,
            provider,
            q: text(&self.q),
            from: date("from", &self.from)?,
            to: date("to", &self.to)?,
            currency,
            min_minor: amount("min", &self.min)?,
            max_minor: amount("max", &self.max)?,
            sort: match text(&self.sort) {
                None => None,
                Some(s) if SORTS.iter().any(|(v, _)| *v == s) => Some(s),
                Some(_) => return Err(FieldError::new("sort", "Choose a sort order.")),
            },
            cursor: None,
            limit: None,
        };
        if let (Some(from), Some(to)) = (&filter.from, &filter.to) {
            if from > to {
                return Err(FieldError::new(
                    "to",
                    "The end date is before the start date.",
                ));
            }
        }
        if let (Some(min), Some(max)) = (filter.min_minor, filter.max_minor) {
            if min > max {
                return Err(FieldError::new(
                    "max",
                    "The highest amount is below the lowest.",
                ));
            }
        }
        Ok(filter)
    }
}

/// `YYYY-MM-DD` with plausible month and day (the proxy checks the calendar).
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) {
        return false;
    }
    if !digits(8..10) {
        return false;
    }
    let month: u32 = s[5..7].parse().unwrap_or(0);
    let day: u32 = s[8..10].parse().unwrap_or(0);
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// The query string (without `?`) for `filter`, in a fixed order; empty for no filter.
pub fn to_query(filter: &OrderFilter) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(status) = filter.status {
        pairs.push(("status", status.as_str().to_owned()));
    }
    if let Some(provider) = filter.provider {
        pairs.push(("provider", provider.as_str().to_owned()));
    }
    let mut text = |key, value: &Option<String>| {
        if let Some(v) = value {
            pairs.push((key, v.clone()));
        }
    };
    text("q", &filter.q);
    text("from", &filter.from);
    text("to", &filter.to);
    if let Some(c) = filter.currency {
        pairs.push(("currency", c.code().to_owned()));
    }
    if let Some(m) = filter.min_minor {
        pairs.push(("min_minor", m.to_string()));
    }
    if let Some(m) = filter.max_minor {
        pairs.push(("max_minor", m.to_string()));
    }
    if let Some(s) = &filter.sort {
        pairs.push(("sort", s.clone()));
    }
    if let Some(l) = filter.limit {
        pairs.push(("limit", l.to_string()));
    }
    if let Some(c) = &filter.cursor {
        pairs.push(("cursor", c.clone()));
    }
    pairs
        .into_iter()
        .map(|(k, v)| format!("{k}={}", encode_segment(&v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The filter in a query, read with `get` (already percent-decoded, as the router's query map
/// gives them). Values that do not parse are ignored, not errors: the address bar is anyone's
/// to edit. Amount bounds without a currency are dropped with it.
pub fn from_query(get: impl Fn(&str) -> Option<String>) -> OrderFilter {
    let text = |key: &str| get(key).filter(|v| !v.trim().is_empty());
    let currency: Option<Currency> = text("currency").and_then(|c| c.parse().ok());
    let amount = |key: &str| {
        text(key)
            .and_then(|m| m.parse().ok())
            .filter(|_| currency.is_some())
    };
    OrderFilter {
        status: text("status").and_then(|s| s.parse().ok()),
        provider: text("provider").and_then(|s| s.parse().ok()),
        q: text("q"),
        from: text("from").filter(|d| is_iso_date(d)),
        to: text("to").filter(|d| is_iso_date(d)),
        currency,
        min_minor: amount("min_minor"),
        max_minor: amount("max_minor"),
        sort: text("sort").filter(|s| SORTS.iter().any(|(v, _)| v == s)),
        cursor: text("cursor"),
        limit: text("limit").and_then(|l| l.parse().ok()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query_map(query: &str) -> impl Fn(&str) -> Option<String> + '_ {
        move |key| {
            query.split('&').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                (k == key).then(|| percent_decode(v))
            })
        }
    }

    fn percent_decode(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_form_becomes_a_filter_with_minor_units() {
        let form = FilterForm {
            status: "paid".into(),
            provider: "klarna".into(),
            q: "  piet ".into(),
            from: "2025-11-01".into(),
            to: "2025-11-30".into(),
            min: "10".into(),
            max: "1027,99".into(),
            currency: "EUR".into(),
            sort: "oldest".into(),
        };
        let filter = form.to_filter().unwrap();
        assert_eq!(filter.status, Some(OrderStatus::Paid));
        assert_eq!(filter.provider, Some(Provider::Klarna));
        assert_eq!(filter.q.as_deref(), Some("piet"));
        assert_eq!(filter.currency, Some(Currency::EUR));
        assert_eq!(filter.min_minor, Some(1000));
        assert_eq!(filter.max_minor, Some(102_799));
        assert_eq!(filter.sort.as_deref(), Some("oldest"));
        assert_eq!(
            FilterForm::default().to_filter().unwrap(),
            OrderFilter::default()
        );

        let yen = FilterForm {
            min: "1500".into(),
            currency: "JPY".into(),
            ..FilterForm::default()
        };
        assert_eq!(yen.to_filter().unwrap().min_minor, Some(1500));
        // A currency alone is a filter too.
        let pounds = FilterForm {
            currency: "GBP".into(),
            ..FilterForm::default()
        };
        assert_eq!(pounds.to_filter().unwrap().currency, Some(Currency::GBP));
    }

    #[test]
    fn bad_filters_name_their_field() {
        let field = |form: FilterForm| form.to_filter().unwrap_err().field;
        let base = || FilterForm {
            currency: "EUR".into(),
            ..FilterForm::default()
        };
        // Amounts without a currency cannot be compared.
        assert_eq!(
            field(FilterForm {
                min: "10".into(),
                ..FilterForm::default()
            }),
            "currency"
        );
        assert_eq!(
            field(FilterForm {
                min: "12.345".into(),
                ..base()
            }),
            "min"
        );
        assert_eq!(
            field(FilterForm {
                max: "-1".into(),
                ..base()
            }),
            "max"
        );
        assert_eq!(
            field(FilterForm {
                from: "22-11-2025".into(),
                ..base()
            }),
            "from"
        );
        assert_eq!(
            field(FilterForm {
                from: "2025-12-01".into(),
                to: "2025-11-01".into(),
                ..base()
            }),
            "to"
        );
        assert_eq!(
            field(FilterForm {
                min: "20".into(),
                max: "10".into(),
                ..base()
            }),
            "max"
        );
        assert_eq!(
            field(FilterForm {
                status: "lost".into(),
                ..base()
            }),
            "status"
        );
    }

    #[test]
    fn filters_round_trip_through_the_query() {
        let filter = OrderFilter {
            status: Some(OrderStatus::Authorized),
            provider: Some(Provider::Klarna),
            q: Some("Piet M&ndriaan".into()),
            from: Some("2025-11-01".into()),
            to: None,
            currency: Some(Currency::GBP),
            min_minor: Some(1000),
            max_minor: Some(50_000),
            sort: Some("oldest".into()),
            cursor: Some("abc/+=".into()),
            limit: None,
        };
        let query = to_query(&filter);
        assert_eq!(
            query,
            "status=authorized&provider=klarna&q=Piet%20M%26ndriaan&from=2025-11-01&currency=GBP\
             &min_minor=1000&max_minor=50000&sort=oldest&cursor=abc%2F%2B%3D"
        );
        assert_eq!(from_query(query_map(&query)), filter);
        assert_eq!(to_query(&OrderFilter::default()), "");
        assert_eq!(from_query(query_map("")), OrderFilter::default());
        // Hand-edited nonsense is dropped, not an error; so are amounts without a currency.
        assert_eq!(
            from_query(query_map(
                "status=lost&provider=paypal&min_minor=ten&from=soon&sort=random&currency=XYZ"
            )),
            OrderFilter::default()
        );
        assert_eq!(
            from_query(query_map("min_minor=100")),
            OrderFilter::default()
        );
    }

    #[test]
    fn the_form_shows_the_filter_from_the_address() {
        let filter = from_query(query_map(
            "currency=EUR&min_minor=5&max_minor=1250&status=paid&provider=mollie",
        ));
        let form = FilterForm::from_filter(&filter);
        assert_eq!(form.min, "0.05");
        assert_eq!(form.max, "12.50");
        assert_eq!(form.status, "paid");
        assert_eq!(form.provider, "mollie");
        assert_eq!(form.to_filter().unwrap(), filter);
    }
}
