use std::sync::atomic::{AtomicI64, Ordering};

use time::{Duration, OffsetDateTime};

/// The sandbox's notion of now: the real clock plus an offset a tester can advance, so expiry
/// and webhook retries can be tested in seconds.
#[derive(Debug, Default)]
pub struct Clock {
    offset_seconds: AtomicI64,
}

impl Clock {
    pub fn now(&self) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .unwrap_or_else(|_| OffsetDateTime::now_utc());
        now + Duration::seconds(self.offset_seconds.load(Ordering::Relaxed))
    }

    /// A clock already moved forward by `seconds` (restored from a data file).
    pub fn with_offset(seconds: i64) -> Self {
        Self {
            offset_seconds: AtomicI64::new(seconds),
        }
    }

    /// How far the clock has been moved, in seconds.
    pub fn offset_seconds(&self) -> i64 {
        self.offset_seconds.load(Ordering::Relaxed)
    }

    /// Moves the sandbox's time forward.
    pub fn advance(&self, by: Duration) {
        self.offset_seconds
            .fetch_add(by.whole_seconds(), Ordering::Relaxed);
    }
}

/// Mollie's datetime format: `2018-08-02T09:29:56+00:00`.
pub fn format_datetime(t: OffsetDateTime) -> String {
    const FORMAT: &[time::format_description::FormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]+00:00");
    t.to_offset(time::UtcOffset::UTC)
        .format(FORMAT)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_mollie() {
        let t = time::macros::datetime!(2018-08-02 09:29:56 UTC);
        assert_eq!(format_datetime(t), "2018-08-02T09:29:56+00:00");
    }

    #[test]
    fn advancing_moves_now() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance(Duration::days(28));
        assert!(clock.now() - before >= Duration::days(28));
    }
}
