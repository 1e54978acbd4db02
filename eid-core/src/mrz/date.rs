//! MRZ dates (`YYMMDD`) and the century rule.

use std::fmt;
use std::str::FromStr;

use time::{Date, Month};

use super::{MrzError, MrzField};

/// How many years after the reference year an expiry year may lie; the window of
/// [`MrzDate::resolve`] for [`DateKind::Expiry`] covers the 100 years that end there.
pub const EXPIRY_WINDOW_YEARS: i32 = 50;

/// A date as an MRZ writes it: `YYMMDD`, without a century (ICAO 9303 part 3).
///
/// Kept raw, because the century depends on what the date is and on a reference date: see
/// [`resolve`](Self::resolve). A part that is unknown may be written as `<<` (a date of birth
/// with an unknown day, for example); such a date keeps its check digit but resolves to no
/// calendar date. A date of birth is personal data: `Debug` is redacted.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct MrzDate([u8; 6]);

/// Which date an [`MrzDate`] is, which decides its century.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateKind {
    /// A date of birth: never after the reference date.
    Birth,
    /// A date of expiry: within a window around the reference date.
    Expiry,
}

impl MrzDate {
    /// Parses six characters, each a digit or the filler `<`, into a date of `field`.
    pub(crate) fn from_bytes(raw: [u8; 6], field: MrzField) -> Result<Self, MrzError> {
        if raw.iter().all(|&c| c.is_ascii_digit() || c == b'<') {
            Ok(Self(raw))
        } else {
            Err(MrzError::Format { field })
        }
    }

    /// The six characters as written, `YYMMDD` (`<` where a part is unknown).
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and '<' are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    pub(crate) fn as_bytes(&self) -> &[u8; 6] {
        &self.0
    }

    /// The calendar date, with the century chosen for `kind` relative to `reference` (usually
    /// today, given by the caller: eid-core reads no clock).
    ///
    /// - [`DateKind::Birth`]: the latest date with these `YYMMDD` that is not after
    ///   `reference`. Somebody born in 1925 and checked in 2026 gets 1925, not 2025; a person
    ///   more than 100 years old gets a date 100 years too late, which no two-digit year can
    ///   avoid.
    /// - [`DateKind::Expiry`]: the year in the 100-year window that ends
    ///   [`EXPIRY_WINDOW_YEARS`] (50) years after the reference year, so from 49 years before it
    ///   to 50 years after it. Documents are valid for about ten years, so both an expired and
    ///   a valid document resolve correctly: in 2026, `95` is 1995, `35` is 2035 and `76` is
    ///   2076, but `77` is 1977.
    ///
    /// Returns `None` if a part is unknown (`<<`), the month or day does not exist (including
    /// 29 February in a year that is not a leap year), or the year is out of range for
    /// [`time::Date`].
    pub fn resolve(self, reference: Date, kind: DateKind) -> Option<Date> {
        let [y1, y2, m1, m2, d1, d2] = self.0;
        let yy = two_digits(y1, y2)?;
        let month = Month::try_from(two_digits(m1, m2)?).ok()?;
        let day = two_digits(d1, d2)?;
        let reference_year = reference.year();
        let mut year = reference_year.div_euclid(100) * 100 + i32::from(yy);
        match kind {
            DateKind::Birth => {
                // Compare as (year, month, day): the date itself may not exist in this century.
                if (year, u8::from(month), day)
                    > (reference_year, u8::from(reference.month()), reference.day())
                {
                    year -= 100;
                }
            }
            DateKind::Expiry => {
                if year > reference_year + EXPIRY_WINDOW_YEARS {
                    year -= 100;
                } else if year <= reference_year + EXPIRY_WINDOW_YEARS - 100 {
                    year += 100;
                }
            }
        }
        Date::from_calendar_date(year, month, day).ok()
    }
}

fn two_digits(tens: u8, units: u8) -> Option<u8> {
    if tens.is_ascii_digit() && units.is_ascii_digit() {
        Some((tens - b'0') * 10 + (units - b'0'))
    } else {
        None
    }
}

impl FromStr for MrzDate {
    type Err = MrzError;

    /// Parses `YYMMDD` (digits, or `<` for an unknown part).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let raw: [u8; 6] = s.as_bytes().try_into().map_err(|_| MrzError::Format {
            field: MrzField::DateOfBirth,
        })?;
        Self::from_bytes(raw, MrzField::DateOfBirth)
    }
}

impl fmt::Debug for MrzDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MrzDate([redacted])")
    }
}
