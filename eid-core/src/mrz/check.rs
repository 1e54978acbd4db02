//! Check digits (ICAO 9303 part 3 §4.9) and the per-field report.

use super::{MrzError, MrzField};

/// The check digit of `data`: each character's value (`0`–`9` → 0–9, `A`–`Z` → 10–35, `<` → 0)
/// times the weights 7, 3, 1 repeated, summed, modulo 10.
pub(crate) fn check_digit<'a>(data: impl IntoIterator<Item = &'a u8>) -> u8 {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    // At most 35 × 7 per character: no overflow for any input shorter than 17 million bytes,
    // and MRZ fields are at most 44.
    let sum = data
        .into_iter()
        .zip(WEIGHTS.iter().cycle())
        .fold(0_u32, |sum, (&c, &w)| sum.wrapping_add(value(c) * w));
    u8::try_from(sum % 10).unwrap_or(0)
}

fn value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'A'..=b'Z' => u32::from(c - b'A') + 10,
        _ => 0,
    }
}

/// Compares the check digit written in the MRZ (`written`) with the one computed over `data`.
pub(crate) fn outcome<'a>(
    data: impl IntoIterator<Item = &'a u8>,
    written: u8,
) -> CheckDigitOutcome {
    let expected = check_digit(data);
    if !written.is_ascii_digit() {
        return CheckDigitOutcome::NotDigit { expected };
    }
    let found = written - b'0';
    if found == expected {
        CheckDigitOutcome::Valid
    } else {
        CheckDigitOutcome::Mismatch { expected, found }
    }
}

/// What one check digit of an MRZ showed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckDigitOutcome {
    /// The written check digit is the computed one.
    Valid,
    /// The written check digit is a digit, but not the computed one.
    Mismatch {
        /// The check digit computed over the field.
        expected: u8,
        /// The check digit written in the MRZ.
        found: u8,
    },
    /// The check-digit position holds a letter or a filler.
    NotDigit {
        /// The check digit computed over the field.
        expected: u8,
    },
}

impl CheckDigitOutcome {
    /// Whether the check digit holds.
    pub fn is_valid(self) -> bool {
        self == Self::Valid
    }

    pub(crate) fn error(self, field: MrzField) -> Option<MrzError> {
        match self {
            Self::Valid => None,
            Self::Mismatch { expected, found } => Some(MrzError::CheckDigit {
                field,
                expected,
                found,
            }),
            Self::NotDigit { expected } => Some(MrzError::CheckDigitNotDigit { field, expected }),
        }
    }
}

/// Every check digit of an MRZ and what it showed, in MRZ order: document number, date of
/// birth, date of expiry, optional data (TD3 only: the personal number) and the composite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckDigitReport {
    pub(crate) document_number: CheckDigitOutcome,
    pub(crate) date_of_birth: CheckDigitOutcome,
    pub(crate) date_of_expiry: CheckDigitOutcome,
    pub(crate) optional_data: Option<CheckDigitOutcome>,
    pub(crate) composite: CheckDigitOutcome,
}

impl CheckDigitReport {
    /// The outcome of the check digit of `field`, or `None` if this format has no check digit
    /// for it (TD1 and TD2 optional data, names, codes, sex).
    pub fn outcome(&self, field: MrzField) -> Option<CheckDigitOutcome> {
        match field {
            MrzField::DocumentNumber => Some(self.document_number),
            MrzField::DateOfBirth => Some(self.date_of_birth),
            MrzField::DateOfExpiry => Some(self.date_of_expiry),
            MrzField::OptionalData => self.optional_data,
            MrzField::Composite => Some(self.composite),
            MrzField::DocumentCode
            | MrzField::IssuingState
            | MrzField::Names
            | MrzField::Nationality
            | MrzField::Sex
            | MrzField::OptionalData2 => None,
        }
    }

    /// Each check digit of the MRZ with its outcome, in MRZ order.
    pub fn iter(&self) -> impl Iterator<Item = (MrzField, CheckDigitOutcome)> + '_ {
        [
            (MrzField::DocumentNumber, Some(self.document_number)),
            (MrzField::DateOfBirth, Some(self.date_of_birth)),
            (MrzField::DateOfExpiry, Some(self.date_of_expiry)),
            (MrzField::OptionalData, self.optional_data),
            (MrzField::Composite, Some(self.composite)),
        ]
        .into_iter()
        .filter_map(|(field, outcome)| Some((field, outcome?)))
    }

    /// Whether every check digit holds.
    pub fn is_valid(&self) -> bool {
        self.iter().all(|(_, outcome)| outcome.is_valid())
    }

    /// The error for the first check digit (in MRZ order) that fails, if any.
    pub fn first_error(&self) -> Option<MrzError> {
        self.iter()
            .find_map(|(field, outcome)| outcome.error(field))
    }
}
