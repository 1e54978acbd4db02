//! A personnummer or a samordningsnummer, told apart by the day.

use std::fmt;
use std::str::FromStr;

use time::Date;

use super::grammar::{self, Accept, Syntax};
use super::{
    CoordinationNumber, IdentifierError, IdentifierKind, NumberForm, PersonalIdentityNumber, Sex,
};

/// A personnummer or a samordningsnummer, as the SAML attribute `urn:oid:1.2.752.29.4.13`
/// carries both and people type either in one field; OIDC splits them into the
/// `personalIdentityNumber` and `coordinationNumber` claims.
///
/// `Debug` (through the variants' own) and `Display` are redacted.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PersonNumber {
    /// A samordningsnummer (day 60–91).
    Coordination(CoordinationNumber),
    /// A personnummer.
    Personal(PersonalIdentityNumber),
}

impl PersonNumber {
    /// Parses any written form of either kind; `today` decides the century of the 10-digit
    /// forms (see the [module documentation](super#parsing)).
    ///
    /// # Errors
    ///
    /// As [`PersonalIdentityNumber::parse`]; an interim number is
    /// [`UnexpectedKind`](IdentifierError::UnexpectedKind).
    pub fn parse(input: &str, today: Date) -> Result<Self, IdentifierError> {
        grammar::parse(input, Syntax::Written(today), Accept::PersonOrCoordination)
            .map(Self::from_number)
    }

    fn from_number(number: grammar::Number) -> Self {
        match number.kind() {
            IdentifierKind::CoordinationNumber => {
                Self::Coordination(CoordinationNumber::from_number(number))
            }
            _ => Self::Personal(PersonalIdentityNumber::from_number(number)),
        }
    }

    /// [`IdentifierKind::PersonalIdentityNumber`] or [`IdentifierKind::CoordinationNumber`].
    pub fn kind(&self) -> IdentifierKind {
        match self {
            Self::Coordination(_) => IdentifierKind::CoordinationNumber,
            Self::Personal(_) => IdentifierKind::PersonalIdentityNumber,
        }
    }

    /// The clear 12-digit claim form.
    pub fn claim_value(&self) -> &str {
        match self {
            Self::Coordination(number) => number.claim_value(),
            Self::Personal(number) => number.claim_value(),
        }
    }

    /// The date of the date part; `None` only for a samordningsnummer without a known date.
    pub fn birth_date(&self) -> Option<Date> {
        match self {
            Self::Coordination(number) => number.birth_date(),
            Self::Personal(number) => Some(number.birth_date()),
        }
    }

    /// The sex encoded by the third birth-number digit.
    pub fn sex(&self) -> Sex {
        match self {
            Self::Coordination(number) => number.sex(),
            Self::Personal(number) => number.sex(),
        }
    }

    /// The clear number in `form`, as [`PersonalIdentityNumber::formatted`].
    pub fn formatted(&self, form: NumberForm, today: Date) -> String {
        match self {
            Self::Coordination(number) => number.formatted(form, today),
            Self::Personal(number) => number.formatted(form, today),
        }
    }
}

/// Redacted: prints `[redacted]`.
impl fmt::Display for PersonNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Only the claim form, 12 digits without separator.
impl FromStr for PersonNumber {
    type Err = IdentifierError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        grammar::parse(input, Syntax::Claim, Accept::PersonOrCoordination).map(Self::from_number)
    }
}

impl From<PersonalIdentityNumber> for PersonNumber {
    fn from(number: PersonalIdentityNumber) -> Self {
        Self::Personal(number)
    }
}

impl From<CoordinationNumber> for PersonNumber {
    fn from(number: CoordinationNumber) -> Self {
        Self::Coordination(number)
    }
}
