//! Interim numbers.

use time::Date;

use super::grammar::{self, Accept, Number, Syntax, personal_number_traits};
use super::{IdentifierError, IdentifierKind, NumberForm, Sex};

/// An interim number (interimsnummer, reservnummer): a personnummer's form with a letter in
/// place of the first birth-number digit, `YYYYMMDDLNNC`, such as `20000101-T220`. Healthcare
/// and other bodies issue them to people without a personnummer; they are never a
/// `personalIdentityNumber` claim.
///
/// The letter is one of `T R S U W X J K L M N` and counts as 1 in the Luhn sum (PNR-META
/// `interim.json`). The date exists and the check digit matches.
///
/// `Debug` and `Display` are redacted; [`claim_value`](Self::claim_value) is the clear form.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct InterimNumber(Number);

impl InterimNumber {
    /// Parses any written form, as
    /// [`PersonalIdentityNumber::parse`](super::PersonalIdentityNumber::parse); `today`
    /// decides the century of the 10-character forms.
    ///
    /// # Errors
    ///
    /// [`IdentifierError::TooLong`], [`Malformed`](IdentifierError::Malformed),
    /// [`UnexpectedKind`](IdentifierError::UnexpectedKind) (a personnummer or samordningsnummer),
    /// [`InvalidDate`](IdentifierError::InvalidDate) or
    /// [`BadChecksum`](IdentifierError::BadChecksum).
    pub fn parse(input: &str, today: Date) -> Result<Self, IdentifierError> {
        grammar::parse(
            input,
            Syntax::Written(today),
            Accept::Only(IdentifierKind::InterimNumber),
        )
        .map(Self)
    }

    /// The clear 12-character form `YYYYMMDDLNNC`.
    pub fn claim_value(&self) -> &str {
        self.0.as_str()
    }

    /// The date of the date part.
    pub fn birth_date(&self) -> Date {
        // Invariant: `grammar::parse` always sets a date for an interim number.
        self.0.birth_date().unwrap_or(Date::MIN)
    }

    /// The sex encoded by the third birth-number digit.
    pub fn sex(&self) -> Sex {
        self.0.sex()
    }

    /// The clear number in `form`. `today` decides between `-` and `+` (from the year in which
    /// the person turns 100).
    pub fn formatted(&self, form: NumberForm, today: Date) -> String {
        self.0.formatted(form, today)
    }
}

personal_number_traits!(
    InterimNumber,
    IdentifierKind::InterimNumber,
    "an interim number, 12 characters"
);
