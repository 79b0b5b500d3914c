//! Whether a postal code looks like its country's. Only a hint for staff (a Berlin postcode
//! with the country left on NL is a typo worth a second look); it never blocks an order, as
//! real postal codes are more varied than any pattern here, and a provider has the last word.

/// `Some(true)` when `code` fits the postal code pattern of `country` (an ISO code, any case),
/// `Some(false)` when it does not, `None` when Kassa knows no pattern for the country (no
/// hint then). Spaces around the code and letter case do not matter.
pub fn fits(country: &str, code: &str) -> Option<bool> {
    let code = code.trim().to_ascii_uppercase();
    let fits = match country.trim().to_ascii_uppercase().as_str() {
        // 1234 AB: four digits (no leading 0), an optional space, two letters.
        "NL" => {
            let compact: String = code.split(' ').collect();
            code.matches(' ').count() <= 1
                && compact.len() == 6
                && digits(&compact[..4])
                && !compact.starts_with('0')
                && compact[4..].bytes().all(|b| b.is_ascii_uppercase())
        }
        "DE" | "FR" => code.len() == 5 && digits(&code),
        "BE" | "AT" | "CH" | "DK" => code.len() == 4 && digits(&code),
        "GB" => uk(&code),
        // 12345 or ZIP+4, 12345-6789.
        "US" => match code.split_once('-') {
            None => code.len() == 5 && digits(&code),
            Some((zip, plus4)) => {
                zip.len() == 5 && digits(zip) && plus4.len() == 4 && digits(plus4)
            }
        },
        _ => return None,
    };
    Some(fits)
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A UK postcode: an outward code (A9, A99, AA9, AA99, A9A or AA9A), an optional space, and an
/// inward code (9AA); or the special GIR 0AA.
fn uk(code: &str) -> bool {
    let compact: String = code.split(' ').collect();
    if code.matches(' ').count() > 1 || !(5..=7).contains(&compact.len()) {
        return false;
    }
    if compact == "GIR0AA" {
        return true;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward = inward.as_bytes();
    let inward_ok = inward[0].is_ascii_digit()
        && inward[1].is_ascii_uppercase()
        && inward[2].is_ascii_uppercase();
    // The outward code as a shape: A for a letter, 9 for a digit.
    let shape: String = outward
        .chars()
        .map(|c| match c {
            'A'..='Z' => 'A',
            '0'..='9' => '9',
            _ => '?',
        })
        .collect();
    inward_ok
        && matches!(
            shape.as_str(),
            "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A"
        )
}

#[cfg(test)]
mod tests {
    use super::fits;

    #[test]
    fn known_countries_have_patterns() {
        let good = [
            ("NL", "1015 CW"),
            ("nl", "1015cw"),
            ("DE", "10115"),
            ("FR", "75008"),
            ("BE", "1000"),
            ("AT", "1010"),
            ("CH", "8001"),
            ("DK", "2100"),
            ("GB", "SW1A 1AA"),
            ("GB", "m1 1ae"),
            ("GB", "B33 8TH"),
            ("GB", "CR2 6XH"),
            ("GB", "DN55 1PT"),
            ("GB", "W1A 0AX"),
            ("GB", "EC1A1BB"),
            ("US", "90210"),
            ("US", " 20500-0003 "),
        ];
        for (country, code) in good {
            assert_eq!(fits(country, code), Some(true), "{country} {code}");
        }
        let bad = [
            ("NL", "10115"),
            ("NL", "0123 AB"),
            ("NL", "1234 A1"),
            ("NL", "1234  AB"),
            ("DE", "1015 CW"),
            ("DE", "1011"),
            ("FR", "7500"),
            ("BE", "10115"),
            ("AT", "A-1010"),
            ("CH", "80011"),
            ("DK", "DK-2100"),
            ("GB", "10115"),
            ("GB", "SW1A 1A"),
            ("GB", "1SW 1AA"),
            ("GB", "SW1A  1AA"),
            ("US", "9021"),
            ("US", "90210-12"),
            ("US", "ABCDE"),
            ("DE", ""),
        ];
        for (country, code) in bad {
            assert_eq!(fits(country, code), Some(false), "{country} {code}");
        }
    }

    #[test]
    fn other_countries_get_no_verdict() {
        assert_eq!(fits("SE", "123 45"), None);
        assert_eq!(fits("", "10115"), None);
        assert_eq!(fits("Germany", "10115"), None);
    }
}
