//! The one error type of the identifier area.

use super::IdentifierKind;

/// Why an identifier was rejected. No variant holds the input or any part of it that could
/// identify a person: errors may be logged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdentifierError {
    /// The Luhn check digit does not match the other digits.
    #[error("{kind}: check digit does not match")]
    BadChecksum {
        /// What was being parsed.
        kind: IdentifierKind,
    },
    /// An eIDAS person identifier's destination country (the `YY` of `XX/YY/…`) is not two
    /// upper-case ASCII letters.
    #[error("eIDAS person identifier: destination country is not two upper-case letters")]
    InvalidDestinationCountry,
    /// The date part is not a date this kind of number can hold (for a samordningsnummer: a
    /// month above 12 or a day outside 60–91).
    #[error("{kind}: the date part is not a valid date")]
    InvalidDate {
        /// What was being parsed.
        kind: IdentifierKind,
    },
    /// An eIDAS person identifier's origin country (the `XX` of `XX/YY/…`) is not two upper-case
    /// ASCII letters.
    #[error("eIDAS person identifier: origin country is not two upper-case letters")]
    InvalidOriginCountry,
    /// An eIDAS person identifier's value (after `XX/YY/`) is empty or holds whitespace or
    /// control characters.
    #[error(
        "eIDAS person identifier: the value is empty or holds whitespace or control characters"
    )]
    InvalidEidasValue,
    /// Not one of the accepted written forms: wrong length, separator or characters.
    #[error("{kind}: not in an accepted form")]
    Malformed {
        /// What was being parsed.
        kind: IdentifierKind,
    },
    /// An organisation number's third and fourth digits are below 20: the form of a
    /// personnummer (a sole trader's organisation number is their personnummer), not a legal
    /// entity's number.
    #[error("organisation number: the third digit is below 2, as in a personal number")]
    NotLegalEntity,
    /// The input is longer than the parser looks at.
    #[error("{kind}: input of {length} bytes is longer than {max} bytes")]
    TooLong {
        /// What was being parsed.
        kind: IdentifierKind,
        /// The input length in bytes.
        length: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// A well-formed number of another kind than asked for (e.g. a samordningsnummer given to
    /// [`PersonalIdentityNumber::parse`](super::PersonalIdentityNumber::parse)).
    #[error("expected a {expected}, found a {found}")]
    UnexpectedKind {
        /// What was being parsed.
        expected: IdentifierKind,
        /// What the input is.
        found: IdentifierKind,
    },
    /// Not one of the `coordinationNumberLevel` values `confirmed`, `probable`, `uncertain`.
    #[error("unknown coordination number level")]
    UnknownCoordinationNumberLevel,
    /// An organisation number's first digit (its group) is 0 or 4, which no group uses.
    #[error("organisation number: unknown group digit")]
    UnknownOrganisationGroup,
    /// The birth number (`NNN`) is `000`, which is never issued.
    #[error("{kind}: birth number 000 is never issued")]
    ZeroBirthNumber {
        /// What was being parsed.
        kind: IdentifierKind,
    },
}

impl IdentifierError {
    /// A stable snake_case code for this variant, for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::BadChecksum { .. } => "bad_checksum",
            Self::InvalidDestinationCountry => "invalid_destination_country",
            Self::InvalidDate { .. } => "invalid_date",
            Self::InvalidOriginCountry => "invalid_origin_country",
            Self::InvalidEidasValue => "invalid_eidas_value",
            Self::Malformed { .. } => "malformed",
            Self::NotLegalEntity => "not_legal_entity",
            Self::TooLong { .. } => "too_long",
            Self::UnexpectedKind { .. } => "unexpected_kind",
            Self::UnknownCoordinationNumberLevel => "unknown_coordination_number_level",
            Self::UnknownOrganisationGroup => "unknown_organisation_group",
            Self::ZeroBirthNumber { .. } => "zero_birth_number",
        }
    }
}
