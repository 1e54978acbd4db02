//! eIDAS person identifiers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{IdentifierError, IdentifierKind};

/// An eIDAS PersonIdentifier `XX/YY/value`, such as `ES/AT/02635542Y` (the Sweden Connect
/// `eidasPersonIdentifier` claim, standards.md §2.4): `XX` is the country that issued the
/// identifier and `YY` the country it was issued for, each two upper-case ASCII letters (ISO
/// 3166-1 alpha-2, with eIDAS' `EL` for Greece); `value` is 1 to
/// [`MAX_VALUE_CHARS`](Self::MAX_VALUE_CHARS) characters without whitespace or control
/// characters, and may itself contain `/`.
///
/// `Debug` and `Display` redact the value; [`claim_value`](Self::claim_value) is the clear form.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct EidasPersonIdentifier(String);

impl EidasPersonIdentifier {
    /// The longest value, in characters, after `XX/YY/` (the eIDAS SAML attribute profile's
    /// limit).
    pub const MAX_VALUE_CHARS: usize = 256;

    /// The longest input in bytes: `XX/YY/` and the longest value in 4-byte characters.
    const MAX_BYTES: usize = 6 + 4 * Self::MAX_VALUE_CHARS;

    /// The clear identifier `XX/YY/value`.
    pub fn claim_value(&self) -> &str {
        &self.0
    }

    /// `XX`: the country that issued the identifier.
    pub fn origin_country(&self) -> &str {
        self.0.get(..2).unwrap_or_default()
    }

    /// `YY`: the country the identifier was issued for.
    pub fn destination_country(&self) -> &str {
        self.0.get(3..5).unwrap_or_default()
    }

    /// The clear value after `XX/YY/`.
    pub fn value(&self) -> &str {
        self.0.get(6..).unwrap_or_default()
    }
}

fn is_country(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|byte| byte.is_ascii_uppercase())
}

impl FromStr for EidasPersonIdentifier {
    type Err = IdentifierError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let kind = IdentifierKind::EidasPersonIdentifier;
        if input.len() > Self::MAX_BYTES {
            return Err(IdentifierError::TooLong {
                kind,
                length: input.len(),
                max: Self::MAX_BYTES,
            });
        }
        let malformed = IdentifierError::Malformed { kind };
        let (origin, rest) = input.split_once('/').ok_or(malformed.clone())?;
        let (destination, value) = rest.split_once('/').ok_or(malformed)?;
        if !is_country(origin) {
            return Err(IdentifierError::InvalidOriginCountry);
        }
        if !is_country(destination) {
            return Err(IdentifierError::InvalidDestinationCountry);
        }
        if value.is_empty() || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(IdentifierError::InvalidEidasValue);
        }
        if value.chars().count() > Self::MAX_VALUE_CHARS {
            return Err(IdentifierError::TooLong {
                kind,
                length: input.len(),
                max: Self::MAX_BYTES,
            });
        }
        Ok(Self(input.to_owned()))
    }
}

impl fmt::Debug for EidasPersonIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EidasPersonIdentifier")
            .field("origin_country", &self.origin_country())
            .field("destination_country", &self.destination_country())
            .field("value", &format_args!("[redacted]"))
            .finish()
    }
}

/// Redacted: prints `XX/YY/[redacted]`.
impl fmt::Display for EidasPersonIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/[redacted]",
            self.origin_country(),
            self.destination_country()
        )
    }
}

/// As `XX/YY/value`.
impl Serialize for EidasPersonIdentifier {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Through `FromStr`.
impl<'de> Deserialize<'de> for EidasPersonIdentifier {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::serde_str::deserialize(deserializer, "an eIDAS person identifier XX/YY/value")
    }
}
