//! Swedish and eIDAS identifiers: personnummer, samordningsnummer, interim numbers,
//! organisation numbers and eIDAS person identifiers.
//!
//! Every type is built only by parsing, so holding one means the number is well formed: its
//! length and separator, its date and its Luhn check digit were checked (standards.md §6).
//!
//! | Type | Swedish name | Claim form |
//! | --- | --- | --- |
//! | [`PersonalIdentityNumber`] | personnummer | `YYYYMMDDNNNC` (`personalIdentityNumber`) |
//! | [`CoordinationNumber`] | samordningsnummer (day + 60) | `YYYYMMDDNNNC` (`coordinationNumber`) |
//! | [`InterimNumber`] | interimsnummer / reservnummer (a letter for the first birth-number digit) | `YYYYMMDDLNNC` |
//! | [`OrganisationNumber`] | organisationsnummer | `NNNNNNNNNN` (`orgNumber`) |
//! | [`EidasPersonIdentifier`] | eIDAS PersonIdentifier | `XX/YY/value` (`eidasPersonIdentifier`) |
//!
//! [`PersonNumber`] is either of the first two, as the SAML attribute
//! `urn:oid:1.2.752.29.4.13` carries both. [`CoordinationNumberLevel`] is the value of the
//! `coordinationNumberLevel` claim.
//!
//! # Parsing
//!
//! [`PersonalIdentityNumber::parse`] (and the same function of the other personal number types)
//! accepts the forms people write: `YYMMDDNNNC`, `YYMMDD-NNNC`, `YYMMDD+NNNC`, `YYYYMMDDNNNC`,
//! `YYYYMMDD-NNNC` and `YYYYMMDD+NNNC`. A 10-digit form has no century, which `today` decides:
//!
//! - with `-` or no separator, the latest year such that the person is not born after `today`
//!   (so younger than 100);
//! - with `+`, the latest year at least 100 years before the year of `today`: the `+` is written
//!   from 1 January of the year in which the person turns 100 (Skatteverket, standards.md §6).
//!
//! In the 12-digit forms the century is written out, so the separator only separates.
//! [`FromStr`](std::str::FromStr) (and serde) accepts only the claim form, 12 digits without
//! separator, which needs no date.
//!
//! Inputs longer than [`MAX_INPUT_LEN`] bytes are rejected as [`IdentifierError::TooLong`]
//! before any other work.
//!
//! # Personal data
//!
//! `Debug` and `Display` of the personal number types print `[redacted]`, so logs never show the
//! number; the clear form is reached only by the greppable `claim_value()` (or `formatted()`).
//! An [`IdentifierError`] never contains the input.
//!
//! # Example
//!
//! ```
//! use eid_core::identifier::{NumberForm, PersonalIdentityNumber, Sex};
//! use time::macros::date;
//!
//! let today = date!(2026 - 11 - 25);
//! let pnr = PersonalIdentityNumber::parse("090527+1474", today)?;
//! assert_eq!(pnr.claim_value(), "190905271474");
//! assert_eq!(pnr.birth_date(), date!(1909 - 05 - 27));
//! assert_eq!(pnr.sex(), Sex::Male);
//! assert_eq!(pnr.formatted(NumberForm::Separated, today), "090527+1474");
//! assert_eq!(format!("{pnr} {pnr:?}"), "[redacted] PersonalIdentityNumber([redacted])");
//!
//! // The claim form is the only form `FromStr` accepts.
//! let same: PersonalIdentityNumber = "190905271474".parse()?;
//! assert_eq!(same, pnr);
//!
//! let err = PersonalIdentityNumber::parse("090527+1475", today).unwrap_err();
//! assert_eq!(err.reason(), "bad_checksum");
//! # Ok::<(), eid_core::identifier::IdentifierError>(())
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

mod coordination;
mod eidas;
mod error;
mod grammar;
mod interim;
mod organisation;
mod person_number;
mod personal;
mod serde_str;

pub use coordination::{CoordinationNumber, CoordinationNumberLevel};
pub use eidas::EidasPersonIdentifier;
pub use error::IdentifierError;
pub use interim::InterimNumber;
pub use organisation::{OrganisationGroup, OrganisationNumber};
pub use person_number::PersonNumber;
pub use personal::PersonalIdentityNumber;

/// The longest input, in bytes, that the personal number and organisation number parsers look
/// at; longer input is [`IdentifierError::TooLong`].
pub const MAX_INPUT_LEN: usize = 64;

/// The kinds of identifier this module parses, as named in errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdentifierKind {
    /// A samordningsnummer ([`CoordinationNumber`]).
    CoordinationNumber,
    /// An eIDAS person identifier ([`EidasPersonIdentifier`]).
    EidasPersonIdentifier,
    /// An interim number ([`InterimNumber`]).
    InterimNumber,
    /// An organisation number ([`OrganisationNumber`]).
    OrganisationNumber,
    /// A personnummer ([`PersonalIdentityNumber`]).
    PersonalIdentityNumber,
}

impl IdentifierKind {
    /// A stable snake_case name, e.g. `personal_identity_number`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CoordinationNumber => "coordination_number",
            Self::EidasPersonIdentifier => "eidas_person_identifier",
            Self::InterimNumber => "interim_number",
            Self::OrganisationNumber => "organisation_number",
            Self::PersonalIdentityNumber => "personal_identity_number",
        }
    }
}

impl fmt::Display for IdentifierKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::CoordinationNumber => "coordination number",
            Self::EidasPersonIdentifier => "eIDAS person identifier",
            Self::InterimNumber => "interim number",
            Self::OrganisationNumber => "organisation number",
            Self::PersonalIdentityNumber => "personal identity number",
        })
    }
}

/// Legal sex as encoded in a personal number: the third birth-number digit is odd for men and
/// even for women. Serialised as the OIDC `gender` values `female` and `male`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    /// Even third birth-number digit.
    Female,
    /// Odd third birth-number digit.
    Male,
}

impl Sex {
    /// The OIDC `gender` claim value: `female` or `male`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Female => "female",
            Self::Male => "male",
        }
    }
}

/// The written forms of a personal number, for [`PersonalIdentityNumber::formatted`] and its
/// siblings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumberForm {
    /// `YYYYMMDDNNNC`: the claim form, as [`PersonalIdentityNumber::claim_value`].
    Long,
    /// `YYYYMMDD-NNNC`, with `+` from the year in which the person turns 100.
    LongSeparated,
    /// `YYMMDD-NNNC`, with `+` from the year in which the person turns 100: the usual form.
    Separated,
    /// `YYMMDDNNNC`. It has no room for the `+`: it parses back to the same number only for
    /// persons younger than that.
    Short,
}

#[cfg(test)]
mod tests;
