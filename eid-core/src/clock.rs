//! Time, injected.
//!
//! Nothing in eid reads the wall clock except [`SystemClock`]. Everything time-dependent takes a
//! [`UnixTime`] argument or holds a [`Clock`], so expiry, certificate validity and code lifetimes
//! are tested exactly with a [`FixedClock`] or a [`ManualClock`].

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in time: whole seconds since the Unix epoch (1970-01-01T00:00:00Z), as JWT
/// `NumericDate` values are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(u64);

impl UnixTime {
    /// The epoch itself.
    pub const EPOCH: Self = Self(0);

    /// The time `secs` seconds after the epoch.
    pub const fn from_secs(secs: u64) -> Self {
        Self(secs)
    }

    /// Seconds since the epoch.
    pub const fn as_secs(self) -> u64 {
        self.0
    }

    /// `self + duration`, saturating at the largest representable time.
    #[must_use]
    pub fn saturating_add(self, duration: Duration) -> Self {
        Self(self.0.saturating_add(duration.as_secs()))
    }

    /// `self - duration`, saturating at the epoch.
    #[must_use]
    pub fn saturating_sub(self, duration: Duration) -> Self {
        Self(self.0.saturating_sub(duration.as_secs()))
    }

    /// The time elapsed from `earlier` to `self`, or `None` if `earlier` is later.
    pub fn duration_since(self, earlier: Self) -> Option<Duration> {
        self.0.checked_sub(earlier.0).map(Duration::from_secs)
    }

    /// The calendar date (UTC) of this instant.
    pub fn date(self) -> time::Date {
        let secs = i64::try_from(self.0).unwrap_or(i64::MAX);
        time::OffsetDateTime::from_unix_timestamp(secs)
            .map_or(time::Date::MAX, time::OffsetDateTime::date)
    }
}

impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = i64::try_from(self.0).unwrap_or(i64::MAX);
        match time::OffsetDateTime::from_unix_timestamp(secs)
            .ok()
            .and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            }) {
            Some(text) => f.write_str(&text),
            None => write!(f, "{}s after the epoch", self.0),
        }
    }
}

/// A source of the current time.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> UnixTime;
}

/// The operating system's wall clock: the only place in eid that reads it.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[expect(
        clippy::disallowed_methods,
        reason = "SystemClock is the one sanctioned reader of the wall clock"
    )]
    fn now(&self) -> UnixTime {
        // A clock before 1970 is a broken host; the epoch then makes every token look expired,
        // which fails closed.
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        UnixTime(secs)
    }
}

/// A clock that always says the same time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixedClock(pub UnixTime);

impl Clock for FixedClock {
    fn now(&self) -> UnixTime {
        self.0
    }
}

/// A clock that tests move forward by hand, shared between threads.
#[derive(Debug, Default)]
pub struct ManualClock(AtomicU64);

impl ManualClock {
    /// A clock showing `start`.
    pub fn new(start: UnixTime) -> Self {
        Self(AtomicU64::new(start.as_secs()))
    }

    /// Moves the clock forward by `duration` (saturating).
    pub fn advance(&self, duration: Duration) {
        let secs = duration.as_secs();
        // fetch_update never fails here: the closure always returns Some.
        let _ = self
            .0
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |t| {
                Some(t.saturating_add(secs))
            });
    }

    /// Sets the clock to `time`, forward or backward.
    pub fn set(&self, time: UnixTime) {
        self.0.store(time.as_secs(), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> UnixTime {
        UnixTime(self.0.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_advances_and_sets() {
        let clock = ManualClock::new(UnixTime::from_secs(1_000));
        clock.advance(Duration::from_secs(61));
        assert_eq!(clock.now(), UnixTime::from_secs(1_061));
        clock.set(UnixTime::from_secs(5));
        assert_eq!(clock.now(), UnixTime::from_secs(5));
        clock.set(UnixTime::from_secs(u64::MAX - 1));
        clock.advance(Duration::from_secs(10));
        assert_eq!(clock.now(), UnixTime::from_secs(u64::MAX));
    }

    #[test]
    fn system_clock_is_after_2024() {
        // 2024-01-01T00:00:00Z: a sanity bound, not a timing assertion.
        assert!(SystemClock.now() > UnixTime::from_secs(1_704_067_200));
    }

    #[test]
    fn dates_and_display() {
        let t = UnixTime::from_secs(1_795_305_600); // 2026-11-22T00:00:00Z
        assert_eq!(t.date(), time::macros::date!(2026 - 11 - 22));
        assert_eq!(t.to_string(), "2026-11-22T00:00:00Z");
        assert_eq!(
            t.duration_since(UnixTime::from_secs(1_795_305_540)),
            Some(Duration::from_secs(60))
        );
        assert_eq!(UnixTime::EPOCH.duration_since(t), None);
        assert_eq!(
            t.saturating_sub(Duration::from_secs(u64::MAX)),
            UnixTime::EPOCH
        );
    }
}
