//! TEMPORARY stand-in for `crate::identifier` (being written in parallel, API in CONTRACT.md).
//!
//! SWAP ME: once `identifier` lands, delete this file and point `claims.rs`'s `use` at
//! `crate::identifier`. Only the slice of the contract API that `claims` uses is mirrored here,
//! with minimal checks (digit counts, shapes); the real module checks dates and Luhn digits.

use std::fmt;
use std::str::FromStr;

/// Why an identifier did not parse (stand-in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdentifierError {
    /// The input does not have the expected shape.
    #[error("malformed identifier")]
    Malformed,
}

impl IdentifierError {
    /// A stable snake_case code.
    pub fn reason(&self) -> &'static str {
        "malformed"
    }
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// 12 digits, month 1–12, day in `days`, Luhn over the last 10 digits.
fn number_ok(s: &str, days: std::ops::RangeInclusive<u8>) -> bool {
    let month = s.get(4..6).and_then(|d| d.parse::<u8>().ok());
    let day = s.get(6..8).and_then(|d| d.parse::<u8>().ok());
    if !digits(s, 12) || !matches!(month, Some(1..=12)) || !day.is_some_and(|d| days.contains(&d)) {
        return false;
    }
    let sum: u32 = s
        .bytes()
        .skip(2)
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0') * if i % 2 == 0 { 2 } else { 1 };
            d / 10 + d % 10
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A personnummer (stand-in).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PersonalIdentityNumber(String);

impl PersonalIdentityNumber {
    /// Parses the 12-digit form (the stand-in ignores `today`).
    pub fn parse(input: &str, _today: time::Date) -> Result<Self, IdentifierError> {
        input.parse()
    }
    /// The 12-digit claim value.
    pub fn claim_value(&self) -> &str {
        &self.0
    }
}

impl FromStr for PersonalIdentityNumber {
    type Err = IdentifierError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if number_ok(s, 1..=31) {
            Ok(Self(s.to_owned()))
        } else {
            Err(IdentifierError::Malformed)
        }
    }
}

impl fmt::Debug for PersonalIdentityNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersonalIdentityNumber([redacted])")
    }
}

/// A samordningsnummer (stand-in).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CoordinationNumber(String);

impl CoordinationNumber {
    /// Parses the 12-digit form (the stand-in ignores `today`).
    pub fn parse(input: &str, _today: time::Date) -> Result<Self, IdentifierError> {
        input.parse()
    }
    /// The 12-digit claim value.
    pub fn claim_value(&self) -> &str {
        &self.0
    }
}

impl FromStr for CoordinationNumber {
    type Err = IdentifierError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if number_ok(s, 60..=91) {
            Ok(Self(s.to_owned()))
        } else {
            Err(IdentifierError::Malformed)
        }
    }
}

impl fmt::Debug for CoordinationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CoordinationNumber([redacted])")
    }
}

/// OIDC-SE `coordinationNumberLevel` (stand-in).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CoordinationNumberLevel {
    /// `confirmed`
    Confirmed,
    /// `probable`
    Probable,
    /// `uncertain`
    Uncertain,
}

/// A Swedish organisation number (stand-in).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OrganisationNumber(String);

impl OrganisationNumber {
    /// The number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for OrganisationNumber {
    type Err = IdentifierError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if digits(s, 10) {
            Ok(Self(s.to_owned()))
        } else {
            Err(IdentifierError::Malformed)
        }
    }
}

/// An eIDAS person identifier `XX/YY/value` (stand-in).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct EidasPersonIdentifier(String);

impl EidasPersonIdentifier {
    /// The whole identifier.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for EidasPersonIdentifier {
    type Err = IdentifierError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.splitn(3, '/');
        let ok = |p: Option<&str>| {
            p.is_some_and(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_uppercase()))
        };
        if ok(parts.next()) && ok(parts.next()) && parts.next().is_some_and(|v| !v.is_empty()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(IdentifierError::Malformed)
        }
    }
}

impl fmt::Debug for EidasPersonIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EidasPersonIdentifier([redacted])")
    }
}
