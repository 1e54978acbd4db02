//! Organisation numbers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::grammar::luhn_check_digit;
use super::{IdentifierError, IdentifierKind, MAX_INPUT_LEN};

/// A Swedish organisation number (organisationsnummer) of a legal entity, held as 10 digits,
/// the `orgNumber` claim form (standards.md §2.1).
///
/// Built only by parsing `NNNNNNNNNN` or `NNNNNN-NNNN`: the first digit is a known group
/// ([`OrganisationGroup`]), the third digit is 2 or more (the "month" is 20 or more, so the number
/// is never a personnummer: a sole trader's organisation number is their personnummer and is not
/// this type) and the Luhn check digit matches.
///
/// Not personal data: `Debug` and `Display` show the number.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OrganisationNumber([u8; 10]);

impl OrganisationNumber {
    /// The 10 digits without separator, the `orgNumber` claim value.
    pub fn as_str(&self) -> &str {
        // Invariant: ten ASCII digits, checked by `from_str`.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The usual written form `NNNNNN-NNNN`.
    pub fn separated(&self) -> String {
        let digits = self.as_str();
        format!(
            "{}-{}",
            digits.get(..6).unwrap_or_default(),
            digits.get(6..).unwrap_or_default()
        )
    }

    /// The group, from the first digit.
    pub fn group(&self) -> OrganisationGroup {
        match self.0.first() {
            Some(b'1') => OrganisationGroup::Estate,
            Some(b'2') => OrganisationGroup::Public,
            Some(b'3') => OrganisationGroup::Foreign,
            Some(b'5') => OrganisationGroup::LimitedCompany,
            Some(b'6') => OrganisationGroup::SimplePartnership,
            Some(b'7') => OrganisationGroup::EconomicAssociation,
            Some(b'8') => OrganisationGroup::NonProfit,
            // Invariant: `from_str` accepts no other first digit than these and 9.
            _ => OrganisationGroup::TradingPartnership,
        }
    }
}

/// Accepts `NNNNNNNNNN` and `NNNNNN-NNNN`.
impl FromStr for OrganisationNumber {
    type Err = IdentifierError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let kind = IdentifierKind::OrganisationNumber;
        let bytes = input.as_bytes();
        if bytes.len() > MAX_INPUT_LEN {
            return Err(IdentifierError::TooLong {
                kind,
                length: bytes.len(),
                max: MAX_INPUT_LEN,
            });
        }
        let digits: [u8; 10] = match *bytes {
            [a, b, c, d, e, f, b'-', g, h, i, j] => [a, b, c, d, e, f, g, h, i, j],
            [a, b, c, d, e, f, g, h, i, j] => [a, b, c, d, e, f, g, h, i, j],
            _ => return Err(IdentifierError::Malformed { kind }),
        };
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(IdentifierError::Malformed { kind });
        }
        let values = digits.map(|byte| byte - b'0');
        let [group, _, third, .., check] = values;
        if matches!(group, 0 | 4) {
            return Err(IdentifierError::UnknownOrganisationGroup);
        }
        if third < 2 {
            return Err(IdentifierError::NotLegalEntity);
        }
        if luhn_check_digit(values.get(..9).unwrap_or_default()) != check {
            return Err(IdentifierError::BadChecksum { kind });
        }
        Ok(Self(digits))
    }
}

impl fmt::Debug for OrganisationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("OrganisationNumber")
            .field(&self.as_str())
            .finish()
    }
}

/// The 10 digits without separator.
impl fmt::Display for OrganisationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// As the 10 digits.
impl Serialize for OrganisationNumber {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Through `FromStr`.
impl<'de> Deserialize<'de> for OrganisationNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::serde_str::deserialize(deserializer, "an organisation number, 10 digits")
    }
}

/// The group of an organisation number, its first digit (Skatteverket, SKV 709).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OrganisationGroup {
    /// 7: economic associations (ekonomiska föreningar) and housing co-operatives.
    EconomicAssociation,
    /// 1: estates of deceased persons (dödsbon).
    Estate,
    /// 3: foreign companies trading or owning property in Sweden.
    Foreign,
    /// 5: limited companies (aktiebolag).
    LimitedCompany,
    /// 8: non-profit associations and foundations (ideella föreningar, stiftelser).
    NonProfit,
    /// 2: the state, regions, municipalities and parishes.
    Public,
    /// 6: simple partnerships (enkla bolag).
    SimplePartnership,
    /// 9: trading and limited partnerships (handelsbolag, kommanditbolag).
    TradingPartnership,
}
