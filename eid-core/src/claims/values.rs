//! Value types of single claims: birth date, country codes, eIDAS provisional ids, affiliation,
//! identity binding, Base64 values, and the mutually exclusive Swedish numbers.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::ClaimsError;
use super::ids::{
    CoordinationNumber, CoordinationNumberLevel, OrganisationNumber, PersonalIdentityNumber,
};

/// A person's Swedish number: personnummer **or** samordningsnummer, never both (OIDC-SE
/// `naturalPersonNumber`).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NationalId {
    /// A personnummer (`personalIdentityNumber`).
    Personal(PersonalIdentityNumber),
    /// A samordningsnummer (`coordinationNumber`), with its level if it was given
    /// (`coordinationNumberLevel`).
    Coordination {
        /// The number.
        number: CoordinationNumber,
        /// Its level, which may change over time: the consumer MUST check it.
        level: Option<CoordinationNumberLevel>,
    },
}

/// A Swedish number bound to an eIDAS identity (Sweden Connect `mappedPersonalIdentityNumber`
/// **or** `mappedCoordinationNumber`, never both).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MappedNumber {
    /// `mappedPersonalIdentityNumber`.
    Personal(PersonalIdentityNumber),
    /// `mappedCoordinationNumber`.
    Coordination(CoordinationNumber),
}

/// The OIDC `birthdate` claim: a full date, a year only (`YYYY`), or month and day with the
/// year withheld (`0000-MM-DD`) (OIDC Core §5.1).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Birthdate {
    /// `YYYY-MM-DD`.
    Date(Date),
    /// `YYYY`.
    Year(u16),
    /// `0000-MM-DD`.
    MonthDay(Month, u8),
}

fn digits_value(s: &str) -> Option<u16> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl FromStr for Birthdate {
    type Err = ClaimsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ClaimsError::InvalidBirthdate;
        if s.len() == 4 {
            return match digits_value(s) {
                Some(year) if year > 0 => Ok(Self::Year(year)),
                _ => Err(bad()),
            };
        }
        let mut parts = s.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let year = digits_value(y).ok_or_else(bad)?;
        let month = digits_value(m)
            .and_then(|m| u8::try_from(m).ok())
            .and_then(|m| Month::try_from(m).ok())
            .ok_or_else(bad)?;
        let day = digits_value(d)
            .and_then(|d| u8::try_from(d).ok())
            .ok_or_else(bad)?;
        if year == 0 {
            // Validate against a leap year so that 29 February is accepted.
            Date::from_calendar_date(2000, month, day).map_err(|_| bad())?;
            return Ok(Self::MonthDay(month, day));
        }
        Date::from_calendar_date(i32::from(year), month, day)
            .map(Self::Date)
            .map_err(|_| bad())
    }
}

impl fmt::Display for Birthdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Date(d) => {
                write!(
                    f,
                    "{:04}-{:02}-{:02}",
                    d.year(),
                    u8::from(d.month()),
                    d.day()
                )
            }
            Self::Year(y) => write!(f, "{y:04}"),
            Self::MonthDay(m, d) => write!(f, "0000-{:02}-{d:02}", u8::from(*m)),
        }
    }
}

/// An ISO 3166 country code: 2 or 3 upper-case letters (3166-1 alpha-2 / alpha-3), or 4
/// (3166-3).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode(String);

impl CountryCode {
    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for CountryCode {
    type Err = ClaimsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if (2..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(ClaimsError::InvalidCountryCode)
        }
    }
}

impl TryFrom<String> for CountryCode {
    type Error = ClaimsError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<CountryCode> for String {
    fn from(c: CountryCode) -> Self {
        c.0
    }
}

/// Sweden Connect `prid`: an eIDAS user's provisional identifier, `CC:value` (e.g.
/// `NO:5068907693`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Prid(String);

impl Prid {
    /// The claim value.
    pub fn claim_value(&self) -> &str {
        &self.0
    }
}

impl FromStr for Prid {
    type Err = ClaimsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = s.split_once(':').is_some_and(|(country, value)| {
            country.len() == 2
                && country.bytes().all(|b| b.is_ascii_uppercase())
                && !value.is_empty()
                && value.bytes().all(|b| b.is_ascii_graphic())
        });
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(ClaimsError::InvalidPrid)
        }
    }
}

impl fmt::Debug for Prid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Prid([redacted])")
    }
}

/// Sweden Connect `pridPersistence`: how persistent the `prid` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PridPersistence {
    /// `A`: persistent for life.
    A,
    /// `B`: may change (e.g. on a name change).
    B,
    /// `C`: may change often.
    C,
}

impl PridPersistence {
    /// The claim value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::B => "B",
            Self::C => "C",
        }
    }
}

impl FromStr for PridPersistence {
    type Err = ClaimsError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "A" => Ok(Self::A),
            "B" => Ok(Self::B),
            "C" => Ok(Self::C),
            _ => Err(ClaimsError::InvalidPridPersistence),
        }
    }
}

/// OIDC-SE `orgAffiliation`: `<personal-id>@<org-number>`. The personal id's format is the
/// organisation's: we assume nothing about it except that it is non-empty printable text.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct OrgAffiliation {
    personal_id: String,
    org_number: OrganisationNumber,
}

impl OrgAffiliation {
    /// The person's identifier within the organisation.
    pub fn personal_id(&self) -> &str {
        &self.personal_id
    }

    /// The organisation.
    pub fn org_number(&self) -> &OrganisationNumber {
        &self.org_number
    }

    /// The claim value `<personal-id>@<org-number>` (org number as 10 digits).
    pub fn claim_value(&self) -> String {
        format!(
            "{}@{}",
            self.personal_id,
            org_number_claim(&self.org_number)
        )
    }
}

impl FromStr for OrgAffiliation {
    type Err = ClaimsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (personal_id, org) = s
            .rsplit_once('@')
            .ok_or(ClaimsError::InvalidOrgAffiliation)?;
        if personal_id.is_empty() || personal_id.chars().any(char::is_control) {
            return Err(ClaimsError::InvalidOrgAffiliation);
        }
        if !(org.len() == 10 && org.bytes().all(|b| b.is_ascii_digit())) {
            return Err(ClaimsError::InvalidOrgAffiliation);
        }
        let org_number = org
            .parse()
            .map_err(|_| ClaimsError::InvalidOrgAffiliation)?;
        Ok(Self {
            personal_id: personal_id.to_owned(),
            org_number,
        })
    }
}

impl fmt::Debug for OrgAffiliation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OrgAffiliation([redacted])")
    }
}

/// The 10-digit claim form of an organisation number (OIDC-SE `orgNumber`).
pub(crate) fn org_number_claim(n: &OrganisationNumber) -> String {
    n.as_str().to_owned()
}

/// Sweden Connect `identityBinding`: the identity-binding processes, as URIs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IdentityBinding(Vec<String>);

impl IdentityBinding {
    /// The process URIs, e.g. [`ID_BINDING_POPULATION_REGISTER`](super::uri::ID_BINDING_POPULATION_REGISTER).
    pub fn processes(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// The claim value: the URIs, `;`-separated.
    pub fn claim_value(&self) -> String {
        self.0.join(";")
    }
}

impl FromStr for IdentityBinding {
    type Err = ClaimsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let processes: Vec<String> = s.split(';').map(str::to_owned).collect();
        let ok = processes
            .iter()
            .all(|p| !p.is_empty() && p.contains(':') && p.bytes().all(|b| b.is_ascii_graphic()));
        if ok {
            Ok(Self(processes))
        } else {
            Err(ClaimsError::InvalidIdentityBinding)
        }
    }
}

/// A Base64 claim value (`userCertificate`, `userSignature`, `authnEvidence`), checked to
/// decode, kept as sent.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Base64Value(String);

impl Base64Value {
    /// Checks that `s` is standard padded Base64.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        base64::engine::general_purpose::STANDARD
            .decode(s)
            .ok()
            .map(|_| Self(s.to_owned()))
    }

    /// The Base64 text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The decoded bytes.
    pub fn decode(&self) -> Vec<u8> {
        base64::engine::general_purpose::STANDARD
            .decode(&self.0)
            .unwrap_or_default()
    }
}

impl fmt::Debug for Base64Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64Value({} chars)", self.0.len())
    }
}

/// IDA `place_of_birth`.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceOfBirth {
    /// Country (ISO 3166 code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    /// State, province, prefecture or region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// City or other locality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
}

impl fmt::Debug for PlaceOfBirth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlaceOfBirth([redacted])")
    }
}
