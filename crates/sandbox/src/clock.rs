use std::sync::atomic::{AtomicI64, Ordering};

use time::{Duration, OffsetDateTime};

/// How far a tester may move the sandbox's time ahead, in all. A bound keeps every date the
/// sandbox computes (expiries, retry times, `now + 28 days`) far inside what `time` can hold,
/// so no request can push the clock to where date arithmetic panics.
pub const MAX_OFFSET: Duration = Duration::days(100 * 366);

/// The sandbox's notion of now: the real clock plus an offset a tester can advance, so expiry
/// and webhook retries can be tested in seconds.
#[derive(Debug, Default)]
pub struct Clock {
    offset_seconds: AtomicI64,
}

/// Why the clock was not moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error("The sandbox clock only moves forward: seconds must be 0 or more.")]
    Backwards,
    #[error("The sandbox clock can move at most 100 years ahead in all.")]
    TooFar,
}

impl Clock {
    pub fn now(&self) -> OffsetDateTime {
        let real = OffsetDateTime::now_utc();
        let real = real.replace_nanosecond(0).unwrap_or(real);
        // The offset is bounded by `advance` and `with_offset`; should it ever not be, the real
        // time is a better answer than a panic in every later request.
        real.checked_add(Duration::seconds(self.offset_seconds()))
            .unwrap_or(real)
    }

    /// A clock already moved forward by `seconds` (restored from a data file).
    pub fn with_offset(seconds: i64) -> Result<Self, ClockError> {
        check(0, seconds)?;
        Ok(Self {
            offset_seconds: AtomicI64::new(seconds),
        })
    }

    /// How far the clock has been moved, in seconds.
    pub fn offset_seconds(&self) -> i64 {
        self.offset_seconds.load(Ordering::Relaxed)
    }

    /// Moves the sandbox's time forward by `seconds`, within [`MAX_OFFSET`] in all.
    pub fn advance_seconds(&self, seconds: i64) -> Result<(), ClockError> {
        // Check and add in one step, so two testers moving the clock at once cannot pass the
        // bound together.
        self.offset_seconds
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |offset| {
                check(offset, seconds).ok()
            })
            .map(drop)
            .map_err(|offset| check(offset, seconds).err().unwrap_or(ClockError::TooFar))
    }

    /// Moves the sandbox's time forward (tests and the admin route).
    pub fn advance(&self, by: Duration) -> Result<(), ClockError> {
        self.advance_seconds(by.whole_seconds())
    }
}

/// The offset after moving `seconds` from `offset`, if it stays within the bound.
fn check(offset: i64, seconds: i64) -> Result<i64, ClockError> {
    if seconds < 0 {
        return Err(ClockError::Backwards);
    }
    offset
        .checked_add(seconds)
        .filter(|total| *total <= MAX_OFFSET.whole_seconds())
        .ok_or(ClockError::TooFar)
}

/// Mollie's datetime format: `2018-08-02T09:29:56+00:00`.
pub fn format_datetime(t: OffsetDateTime) -> String {
    const FORMAT: &[time::format_description::FormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]+00:00");
    t.to_offset(time::UtcOffset::UTC)
        .format(FORMAT)
        .unwrap_or_default()
}

/// Klarna's timestamps: ISO 8601 in UTC with milliseconds (`2022-07-08T09:48:16.680Z`).
pub fn klarna_datetime(t: OffsetDateTime) -> String {
    const FORMAT: &[time::format_description::FormatItem<'static>] = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
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
        clock.advance(Duration::days(28)).unwrap();
        assert!(clock.now() - before >= Duration::days(28));
    }

    #[test]
    fn the_clock_stays_within_its_bound_and_never_goes_back() {
        let clock = Clock::default();
        assert_eq!(clock.advance_seconds(i64::MAX), Err(ClockError::TooFar));
        assert_eq!(clock.advance_seconds(-1), Err(ClockError::Backwards));
        assert_eq!(clock.offset_seconds(), 0, "a refused move changes nothing");
        clock.advance(MAX_OFFSET).unwrap();
        assert_eq!(clock.advance_seconds(1), Err(ClockError::TooFar));
        // Dates a hundred years on still compute: expiry and retry arithmetic cannot panic.
        let later = clock.now() + Duration::days(180);
        assert!(later.year() < 2300);
        assert!(Clock::with_offset(i64::MAX).is_err());
    }
}
