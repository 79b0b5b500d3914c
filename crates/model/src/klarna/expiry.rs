//! When a Klarna authorization expires, and what "extend authorization time" would make of
//! it (reference §3, §5.3): the sandbox sets expiries with these functions and the proxy tells
//! staff the date an extension would give, so both follow one rule.
//!
//! - At creation: midnight UTC starting the [`AUTHORIZATION_DAYS`]th day after the day of
//!   creation (Klarna's example: created 2022-07-08, expires 2022-08-05T00:00:00Z).
//! - An extension: midnight UTC starting the 28th day after the day of the call, never past
//!   midnight starting the [`EXTENSION_LIMIT_DAYS`]th day after the day of creation, never
//!   earlier than the current expiry (two extensions on one day give one date).
//!
//! Times are Unix seconds (UTC); the model has no date library, so the few calendar
//! conversions needed are written here (days from civil, Howard Hinnant's algorithm).

/// Klarna's default authorization period.
pub const AUTHORIZATION_DAYS: i64 = 28;
/// Extensions never reach past this many days after the day of creation.
pub const EXTENSION_LIMIT_DAYS: i64 = 180;

const DAY: i64 = 86_400;

/// Midnight UTC starting the day `days` after the day of `from` (Unix seconds).
pub fn midnight_after(from: i64, days: i64) -> i64 {
    (from.div_euclid(DAY) + days) * DAY
}

/// The expiry at creation.
pub fn initial_expiry(created: i64) -> i64 {
    midnight_after(created, AUTHORIZATION_DAYS)
}

/// The expiry an extension at `now` gives an order created at `created` that expires at
/// `current` (all Unix seconds).
pub fn extended_expiry(created: i64, now: i64, current: i64) -> i64 {
    let limit = midnight_after(created, EXTENSION_LIMIT_DAYS);
    let wanted = midnight_after(now, AUTHORIZATION_DAYS).min(limit);
    current.max(wanted)
}

/// [`extended_expiry`] on Klarna's timestamps; `Some` only when it is later than the current
/// expiry (an extension would change something). `None` also for a timestamp that does not
/// read as RFC 3339.
pub fn extended_expires_at(created_at: &str, expires_at: &str, now: i64) -> Option<String> {
    let created = unix_seconds(created_at)?;
    let current = unix_seconds(expires_at)?;
    let extended = extended_expiry(created, now, current);
    (extended > current).then(|| klarna_timestamp(extended))
}

/// An RFC 3339 timestamp (`2022-07-08T09:48:16.680Z`, `2026-11-29T15:57:35+01:00`) as Unix
/// seconds; fractions of a second are dropped. `None` for anything else.
pub fn unix_seconds(t: &str) -> Option<i64> {
    let b = t.as_bytes();
    let digits = |from: usize, to: usize| -> Option<i64> {
        let s = t.get(from..to)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())
            .flatten()
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (digits(0, 4)?, digits(5, 7)?, digits(8, 10)?);
    let (hour, minute, second) = (digits(11, 13)?, digits(14, 16)?, digits(17, 19)?);
    if !(1..=12).contains(&month)
        || !(1..=days_in_month(year, month)).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &t[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        rest = &fraction[n..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let (sign, hm) = match rest.as_bytes().first()? {
                b'+' => (1, &rest[1..]),
                b'-' => (-1, &rest[1..]),
                _ => return None,
            };
            let (h, m) = hm.split_once(':')?;
            if h.len() != 2 || m.len() != 2 {
                return None;
            }
            let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 3600 + m * 60)
        }
    };
    Some(days_from_civil(year, month, day) * DAY + hour * 3600 + minute * 60 + second - offset)
}

/// Unix seconds in Klarna's format: `2022-08-05T00:00:00.000Z`.
pub fn klarna_timestamp(t: i64) -> String {
    let (days, secs) = (t.div_euclid(DAY), t.rem_euclid(DAY));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(t: &str) -> i64 {
        unix_seconds(t).unwrap()
    }

    #[test]
    fn klarnas_example_expiry() {
        let created = at("2022-07-08T09:48:16.680Z");
        assert_eq!(
            klarna_timestamp(initial_expiry(created)),
            "2022-08-05T00:00:00.000Z"
        );
    }

    #[test]
    fn timestamps_read_and_write() {
        assert_eq!(at("1970-01-01T00:00:00Z"), 0);
        assert_eq!(at("2000-03-01T00:00:00.5Z"), 951_868_800);
        assert_eq!(at("2026-11-29T16:57:35+01:00"), at("2026-11-29T15:57:35Z"));
        assert_eq!(klarna_timestamp(951_868_800), "2000-03-01T00:00:00.000Z");
        assert_eq!(
            klarna_timestamp(at("2024-02-29T23:59:59Z")),
            "2024-02-29T23:59:59.000Z"
        );
        for bad in [
            "",
            "2026-02-30T00:00:00Z",
            "2026-11-29",
            "2026-11-29T15:57:35",
            "2026-11-29T15:57:35+1:00",
            "2026-11-29T25:00:00Z",
            "2026-11-29T15:57:35.Z",
            "２０２6-11-29T15:57:35Z",
        ] {
            assert_eq!(unix_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn extensions_follow_klarnas_rule() {
        // Ordered Jan 1, extended Jan 15 → Feb 12 (midnight starting the 28th day after).
        let created = at("2026-01-01T10:00:00Z");
        let current = initial_expiry(created);
        assert_eq!(klarna_timestamp(current), "2026-01-29T00:00:00.000Z");
        let jan15 = at("2026-01-15T17:30:00Z");
        assert_eq!(
            klarna_timestamp(extended_expiry(created, jan15, current)),
            "2026-02-12T00:00:00.000Z"
        );
        // Twice on one day: one date.
        let once = extended_expiry(created, jan15, current);
        assert_eq!(extended_expiry(created, jan15 + 60, once), once);
        // Never past 180 days after creation.
        let late = at("2026-06-20T00:00:00Z");
        assert_eq!(
            klarna_timestamp(extended_expiry(created, late, current)),
            "2026-06-30T00:00:00.000Z"
        );
        // Never earlier than the current expiry.
        let far = at("2026-03-31T00:00:00Z");
        assert_eq!(extended_expiry(created, jan15, far), far);
        // Strings: Some only when it moves.
        assert_eq!(
            extended_expires_at("2026-01-01T10:00:00Z", "2026-01-29T00:00:00.000Z", jan15)
                .as_deref(),
            Some("2026-02-12T00:00:00.000Z")
        );
        assert_eq!(
            extended_expires_at("2026-01-01T10:00:00Z", "2026-03-31T00:00:00.000Z", jan15),
            None
        );
        assert_eq!(
            extended_expires_at("x", "2026-03-31T00:00:00Z", jan15),
            None
        );
    }
}
