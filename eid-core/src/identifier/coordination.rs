//! Samordningsnummer and the `coordinationNumberLevel` claim.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::Date;

use super::grammar::{self, Accept, Number, Syntax, personal_number_traits};
use super::{IdentifierError, IdentifierKind, NumberForm, Sex};

/// A Swedish coordination number (samordningsnummer), held in the claim form `YYYYMMDDNNNC`:
/// a personnummer's form with 60 added to the day.
///
/// As in the population register (Navet), the month may be `00` and the day `60` (unknown), and
/// days 61–91 are accepted in every month (real numbers have days 89–91 in short months), so
/// [`birth_date`](Self::birth_date) is an `Option`. The birth number is not `000` and the check
/// digit matches.
///
/// `Debug` and `Display` are redacted; [`claim_value`](Self::claim_value) is the clear form.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CoordinationNumber(Number);

impl CoordinationNumber {
    /// Parses any written form, as
    /// [`PersonalIdentityNumber::parse`](super::PersonalIdentityNumber::parse); `today`
    /// decides the century of the 10-digit forms (see the [module documentation](super#parsing)).
    ///
    /// # Errors
    ///
    /// [`IdentifierError::TooLong`], [`Malformed`](IdentifierError::Malformed),
    /// [`UnexpectedKind`](IdentifierError::UnexpectedKind) (a personnummer or an interim
    /// number), [`InvalidDate`](IdentifierError::InvalidDate) (a month above 12 or a day above 91),
    /// [`ZeroBirthNumber`](IdentifierError::ZeroBirthNumber) or
    /// [`BadChecksum`](IdentifierError::BadChecksum).
    pub fn parse(input: &str, today: Date) -> Result<Self, IdentifierError> {
        grammar::parse(
            input,
            Syntax::Written(today),
            Accept::Only(IdentifierKind::CoordinationNumber),
        )
        .map(Self)
    }

    /// The clear 12-digit form `YYYYMMDDNNNC` (day + 60), the `coordinationNumber` claim value.
    pub fn claim_value(&self) -> &str {
        self.0.as_str()
    }

    /// The date of the date part, the day less 60; `None` when the month is `00`, the day `60`,
    /// or the day does not exist in that month (such as 31 April).
    pub fn birth_date(&self) -> Option<Date> {
        self.0.birth_date()
    }

    /// The year of the date part, always known.
    pub fn birth_year(&self) -> i32 {
        self.0.year()
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
    CoordinationNumber,
    IdentifierKind::CoordinationNumber,
    "a coordination number, 12 digits"
);

/// How well the identity behind a samordningsnummer was established (Lag (2022:1697)): the
/// `https://id.oidc.se/claim/coordinationNumberLevel` claim (standards.md §2.1). It may change
/// over time, and a consumer must check it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CoordinationNumberLevel {
    /// `confirmed`: the identity is established.
    Confirmed,
    /// `probable`: the identity is probably correct.
    Probable,
    /// `uncertain`: the identity is not established.
    Uncertain,
}

impl CoordinationNumberLevel {
    /// The claim value: `confirmed`, `probable` or `uncertain`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Probable => "probable",
            Self::Uncertain => "uncertain",
        }
    }
}

impl fmt::Display for CoordinationNumberLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CoordinationNumberLevel {
    type Err = IdentifierError;

    /// The exact claim value, case-sensitive.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        match input {
            "confirmed" => Ok(Self::Confirmed),
            "probable" => Ok(Self::Probable),
            "uncertain" => Ok(Self::Uncertain),
            _ => Err(IdentifierError::UnknownCoordinationNumberLevel),
        }
    }
}
