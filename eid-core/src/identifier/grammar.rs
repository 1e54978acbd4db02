//! The grammar shared by personnummer, samordningsnummer and interim numbers: written forms,
//! century, date, birth number and Luhn check digit (standards.md §6).

use time::{Date, Month};

use super::{IdentifierError, IdentifierKind, MAX_INPUT_LEN, NumberForm, Sex};

/// Letters an interim number carries in place of the first birth-number digit (PNR-META
/// `interim.json`). They count as 1 in the Luhn sum.
const INTERIM_LETTERS: &[u8] = b"TRSUWXJKLMN";

/// Which written forms are accepted.
#[derive(Clone, Copy, Debug)]
pub(super) enum Syntax {
    /// Only the claim form, 12 characters without separator.
    Claim,
    /// Every form; the date decides the century of the 10-digit forms.
    Written(Date),
}

/// Which kinds of number the caller accepts.
#[derive(Clone, Copy, Debug)]
pub(super) enum Accept {
    /// Exactly this kind.
    Only(IdentifierKind),
    /// A personnummer or a samordningsnummer.
    PersonOrCoordination,
}

impl Accept {
    fn error_kind(self) -> IdentifierKind {
        match self {
            Self::Only(kind) => kind,
            Self::PersonOrCoordination => IdentifierKind::PersonalIdentityNumber,
        }
    }

    fn accepts(self, found: IdentifierKind) -> bool {
        match self {
            Self::Only(kind) => kind == found,
            Self::PersonOrCoordination => matches!(
                found,
                IdentifierKind::PersonalIdentityNumber | IdentifierKind::CoordinationNumber
            ),
        }
    }
}

/// A number that passed every check of its kind.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Number {
    /// The claim form, ASCII: 12 digits, or for an interim number a letter at position 8.
    claim: [u8; 12],
    kind: IdentifierKind,
    year: i32,
    birth_date: Option<Date>,
    sex: Sex,
}

impl Number {
    /// The claim form.
    pub(super) fn as_str(&self) -> &str {
        // Invariant: `claim` holds only ASCII digits and letters, checked by `parse`.
        std::str::from_utf8(&self.claim).unwrap_or_default()
    }

    pub(super) fn kind(&self) -> IdentifierKind {
        self.kind
    }

    pub(super) fn year(&self) -> i32 {
        self.year
    }

    /// The date, for a personnummer or interim number always `Some`.
    pub(super) fn birth_date(&self) -> Option<Date> {
        self.birth_date
    }

    pub(super) fn sex(&self) -> Sex {
        self.sex
    }

    pub(super) fn formatted(&self, form: NumberForm, today: Date) -> String {
        // The `+` is written from 1 January of the year in which the person turns 100.
        let separator = if today.year() - self.year >= 100 {
            '+'
        } else {
            '-'
        };
        let claim = self.as_str();
        let date = claim.get(..8).unwrap_or_default();
        let tail = claim.get(8..).unwrap_or_default();
        let short_date = date.get(2..).unwrap_or_default();
        match form {
            NumberForm::Long => claim.to_owned(),
            NumberForm::LongSeparated => format!("{date}{separator}{tail}"),
            NumberForm::Separated => format!("{short_date}{separator}{tail}"),
            NumberForm::Short => format!("{short_date}{tail}"),
        }
    }
}

/// The value of an ASCII digit.
fn digit(byte: u8) -> Option<u8> {
    byte.is_ascii_digit().then(|| byte - b'0')
}

/// The Luhn check digit of `digits`: weights 2, 1, 2, … from the left, digits of the products
/// summed, `(10 - sum mod 10) mod 10`.
pub(super) fn luhn_check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(position, &value)| {
            let product = if position % 2 == 0 { value * 2 } else { value };
            u32::from(product / 10 + product % 10)
        })
        .sum();
    // Both conversions are of values below 10.
    u8::try_from((10 - sum % 10) % 10).unwrap_or_default()
}

/// The year of a 10-digit form (standards.md §6).
///
/// With `+`: the latest year ending in `yy` at least 100 years before the year of `today`. Else
/// the latest year ending in `yy` such that `month`/`day` of it is not after `today` (an unknown
/// month or day, 0, compares as earliest).
fn resolve_year(yy: u8, month: u8, day: u8, plus: bool, today: Date) -> i32 {
    let yy = i32::from(yy);
    let this_year = today.year();
    if plus {
        let latest = this_year - 100;
        return latest - (latest - yy).rem_euclid(100);
    }
    let year = this_year - (this_year - yy).rem_euclid(100);
    if year == this_year && (month, day) > (u8::from(today.month()), today.day()) {
        year - 100
    } else {
        year
    }
}

/// Parses a personnummer, samordningsnummer or interim number.
///
/// Checks in this order, so each input has one error: length limit, form, kind, date, birth
/// number, check digit.
pub(super) fn parse(
    input: &str,
    syntax: Syntax,
    accept: Accept,
) -> Result<Number, IdentifierError> {
    let error_kind = accept.error_kind();
    let bytes = input.as_bytes();
    if bytes.len() > MAX_INPUT_LEN {
        return Err(IdentifierError::TooLong {
            kind: error_kind,
            length: bytes.len(),
            max: MAX_INPUT_LEN,
        });
    }
    let malformed = IdentifierError::Malformed { kind: error_kind };
    // (century, YYMMDD, separator, NNNC)
    let (century, date, separator, tail) = match (syntax, bytes) {
        (_, &[c0, c1, y0, y1, m0, m1, d0, d1, n0, n1, n2, c]) => (
            Some([c0, c1]),
            [y0, y1, m0, m1, d0, d1],
            None,
            [n0, n1, n2, c],
        ),
        (Syntax::Written(_), &[c0, c1, y0, y1, m0, m1, d0, d1, s, n0, n1, n2, c]) => (
            Some([c0, c1]),
            [y0, y1, m0, m1, d0, d1],
            Some(s),
            [n0, n1, n2, c],
        ),
        (Syntax::Written(_), &[y0, y1, m0, m1, d0, d1, n0, n1, n2, c]) => {
            (None, [y0, y1, m0, m1, d0, d1], None, [n0, n1, n2, c])
        }
        (Syntax::Written(_), &[y0, y1, m0, m1, d0, d1, s, n0, n1, n2, c]) => {
            (None, [y0, y1, m0, m1, d0, d1], Some(s), [n0, n1, n2, c])
        }
        _ => return Err(malformed),
    };
    let plus = match separator {
        None | Some(b'-') => false,
        Some(b'+') => true,
        Some(_) => return Err(malformed),
    };
    let [n0, ..] = tail;
    let interim = INTERIM_LETTERS.contains(&n0);
    let mut values = [0_u8; 10];
    let written = date.iter().chain(&tail);
    for (position, (slot, &byte)) in values.iter_mut().zip(written).enumerate() {
        *slot = match digit(byte) {
            Some(value) => value,
            // The interim letter, first birth-number digit.
            None if interim && position == 6 => 1,
            None => return Err(malformed),
        };
    }
    let century = match century {
        Some([c0, c1]) => match (digit(c0), digit(c1)) {
            (Some(c0), Some(c1)) => Some(i32::from(c0) * 10 + i32::from(c1)),
            _ => return Err(malformed),
        },
        None => None,
    };
    let [y0, y1, m0, m1, d0, d1, b0, b1, b2, check] = values;
    let yy = y0 * 10 + y1;
    let month = m0 * 10 + m1;
    let day = d0 * 10 + d1;

    let found = if interim {
        IdentifierKind::InterimNumber
    } else if day >= 60 {
        IdentifierKind::CoordinationNumber
    } else {
        IdentifierKind::PersonalIdentityNumber
    };
    if !accept.accepts(found) {
        return Err(IdentifierError::UnexpectedKind {
            expected: error_kind,
            found,
        });
    }
    let invalid_date = IdentifierError::InvalidDate { kind: found };
    let real_day = if found == IdentifierKind::CoordinationNumber {
        day - 60
    } else {
        day
    };
    let year = match (century, syntax) {
        (Some(century), _) => century * 100 + i32::from(yy),
        (None, Syntax::Written(today)) => resolve_year(yy, month, real_day, plus, today),
        (None, Syntax::Claim) => return Err(malformed),
    };
    let year_digits = u16::try_from(year)
        .ok()
        .filter(|year| *year <= 9999)
        .ok_or(invalid_date.clone())?;
    let birth_date = if found == IdentifierKind::CoordinationNumber {
        // Month 00 and day 60 mean unknown; days up to 91 occur in every month (Navet).
        if month > 12 || day > 91 {
            return Err(invalid_date);
        }
        Month::try_from(month)
            .ok()
            .and_then(|month| Date::from_calendar_date(year, month, real_day).ok())
    } else {
        let month = Month::try_from(month).map_err(|_| invalid_date.clone())?;
        Some(Date::from_calendar_date(year, month, day).map_err(|_| invalid_date)?)
    };
    if !interim && [b0, b1, b2] == [0, 0, 0] {
        return Err(IdentifierError::ZeroBirthNumber { kind: found });
    }
    if luhn_check_digit(&[y0, y1, m0, m1, d0, d1, b0, b1, b2]) != check {
        return Err(IdentifierError::BadChecksum { kind: found });
    }

    let mut claim = [0_u8; 12];
    let century_digits = [year_digits / 1000, year_digits / 100 % 10]
        .map(|value| b'0' + u8::try_from(value).unwrap_or_default());
    for (slot, &byte) in claim
        .iter_mut()
        .zip(century_digits.iter().chain(&date).chain(&tail))
    {
        *slot = byte;
    }
    Ok(Number {
        claim,
        kind: found,
        year,
        birth_date,
        sex: if b2 % 2 == 1 { Sex::Male } else { Sex::Female },
    })
}

/// `Debug` and `Display` (both redacted), the strict `FromStr` (claim form only) and serde (as
/// the claim form) for a newtype over [`Number`].
macro_rules! personal_number_traits {
    ($name:ident, $kind:expr, $expecting:literal) => {
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }

        /// Redacted: prints `[redacted]`. The clear form is
        #[doc = concat!("[`", stringify!($name), "::claim_value`].")]
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str("[redacted]")
            }
        }

        /// Only the claim form, 12 characters without separator: it needs no reference date.
        /// For the written forms use
        #[doc = concat!("[`", stringify!($name), "::parse`].")]
        impl ::std::str::FromStr for $name {
            type Err = $crate::identifier::IdentifierError;

            fn from_str(input: &str) -> Result<Self, Self::Err> {
                $crate::identifier::grammar::parse(
                    input,
                    $crate::identifier::grammar::Syntax::Claim,
                    $crate::identifier::grammar::Accept::Only($kind),
                )
                .map(Self)
            }
        }

        /// As the claim form.
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.claim_value())
            }
        }

        /// From the claim form only, through the strict `FromStr`.
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                $crate::identifier::serde_str::deserialize(deserializer, $expecting)
            }
        }
    };
}

pub(super) use personal_number_traits;
