//! Personnummer.

use time::Date;

use super::grammar::{self, Accept, Number, Syntax, personal_number_traits};
use super::{IdentifierError, IdentifierKind, NumberForm, Sex};

/// A Swedish personal identity number (personnummer), held in the claim form `YYYYMMDDNNNC`.
///
/// Built only by parsing: the date exists, the birth number is not `000` and the check digit
/// matches. A samordningsnummer is a [`CoordinationNumber`](super::CoordinationNumber), not this.
///
/// `Debug` and `Display` are redacted; [`claim_value`](Self::claim_value) is the clear form.
/// The date part may differ from the true birth date (Skatteverket moves it within the month
/// when a day's birth numbers run out).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PersonalIdentityNumber(Number);

impl PersonalIdentityNumber {
    /// Parses any written form: `YYMMDDNNNC`, `YYMMDD-NNNC`, `YYMMDD+NNNC`, `YYYYMMDDNNNC`,
    /// `YYYYMMDD-NNNC` or `YYYYMMDD+NNNC`. `today` decides the century of the 10-digit forms
    /// (see the [module documentation](super#parsing)).
    ///
    /// # Errors
    ///
    /// [`IdentifierError::TooLong`], [`Malformed`](IdentifierError::Malformed),
    /// [`UnexpectedKind`](IdentifierError::UnexpectedKind) (a samordningsnummer or an interim
    /// number), [`InvalidDate`](IdentifierError::InvalidDate),
    /// [`ZeroBirthNumber`](IdentifierError::ZeroBirthNumber) or
    /// [`BadChecksum`](IdentifierError::BadChecksum).
    pub fn parse(input: &str, today: Date) -> Result<Self, IdentifierError> {
        grammar::parse(
            input,
            Syntax::Written(today),
            Accept::Only(IdentifierKind::PersonalIdentityNumber),
        )
        .map(Self)
    }

    /// The clear 12-digit form `YYYYMMDDNNNC`, the `personalIdentityNumber` claim value.
    pub fn claim_value(&self) -> &str {
        self.0.as_str()
    }

    /// The date of the date part.
    pub fn birth_date(&self) -> Date {
        // Invariant: `grammar::parse` always sets a date for a personnummer.
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

    pub(super) fn from_number(number: Number) -> Self {
        Self(number)
    }
}

personal_number_traits!(
    PersonalIdentityNumber,
    IdentifierKind::PersonalIdentityNumber,
    "a personal identity number, 12 digits"
);
