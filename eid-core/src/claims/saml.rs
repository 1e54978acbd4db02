//! SAML attributes of the Swedish eID framework to OIDC claims (standards.md §2.4–2.5; SC-ATTR
//! §3.1 and the OIDC-SE claim-mapping document, which is non-normative).
//!
//! [`to_oidc_claims`] renames each attribute we know to its claim, so that
//! [`Identity::from_oidc_claims`](super::Identity::from_oidc_claims) does all checking once.
//! Two attributes carry both kinds of Swedish number, and are split by the number's day:
//! `personalIdentityNumber` (`urn:oid:1.2.752.29.4.13`) into `personalIdentityNumber` or
//! `coordinationNumber`, and `mappedPersonalIdentityNumber` (`urn:oid:1.2.752.201.3.16`) into
//! the two mapped claims. `gender` `M`/`F` becomes `male`/`female`; `U` (unspecified) is
//! dropped. Attributes without a claim (`transactionIdentifier` → `txn`, `authContextParams`,
//! `employeeHsaId`, …) are ignored.

use serde_json::{Map, Value};

use super::ids::PersonNumber;
use super::{Claim, ClaimsError};

/// `personalIdentityNumber`: personnummer **or** samordningsnummer, 12 digits.
pub const PERSONAL_IDENTITY_NUMBER: &str = "urn:oid:1.2.752.29.4.13";
/// `previousPersonalIdentityNumber`: the samordningsnummer a person had before.
pub const PREVIOUS_PERSONAL_IDENTITY_NUMBER: &str = "urn:oid:1.2.752.201.3.15";
/// `orgAffiliation`: `<personal-id>@<org-number>`.
pub const ORG_AFFILIATION: &str = "urn:oid:1.2.752.201.3.1";
/// `transactionIdentifier` (OIDC `txn`, not an identity claim).
pub const TRANSACTION_IDENTIFIER: &str = "urn:oid:1.2.752.201.3.2";
/// `prid`.
pub const PRID: &str = "urn:oid:1.2.752.201.3.4";
/// `pridPersistence`.
pub const PRID_PERSISTENCE: &str = "urn:oid:1.2.752.201.3.5";
/// `personalIdentityNumberBinding` (OIDC `identityBinding`).
pub const PERSONAL_IDENTITY_NUMBER_BINDING: &str = "urn:oid:1.2.752.201.3.6";
/// `eidasPersonIdentifier`.
pub const EIDAS_PERSON_IDENTIFIER: &str = "urn:oid:1.2.752.201.3.7";
/// `authServerSignature` (OIDC `authnEvidence`).
pub const AUTH_SERVER_SIGNATURE: &str = "urn:oid:1.2.752.201.3.13";
/// `mappedPersonalIdentityNumber`: personnummer **or** samordningsnummer.
pub const MAPPED_PERSONAL_IDENTITY_NUMBER: &str = "urn:oid:1.2.752.201.3.16";
/// `sn` (surname).
pub const SN: &str = "urn:oid:2.5.4.4";
/// `givenName`.
pub const GIVEN_NAME: &str = "urn:oid:2.5.4.42";
/// `displayName`.
pub const DISPLAY_NAME: &str = "urn:oid:2.16.840.1.113730.3.1.241";
/// `dateOfBirth`, `YYYY-MM-DD`.
pub const DATE_OF_BIRTH: &str = "urn:oid:1.3.6.1.5.5.7.9.1";
/// `gender`: `M`, `F` or `U`.
pub const GENDER: &str = "urn:oid:1.3.6.1.5.5.7.9.3";
/// `c`: country (for eIDAS users, `eidasCountry`).
pub const COUNTRY: &str = "urn:oid:2.5.4.6";
/// `o`: organisation name.
pub const ORGANIZATION_NAME: &str = "urn:oid:2.5.4.10";
/// `ou`: organisational unit name.
pub const ORGANIZATIONAL_UNIT_NAME: &str = "urn:oid:2.5.4.11";
/// `organizationIdentifier`: the organisation number.
pub const ORGANIZATION_IDENTIFIER: &str = "urn:oid:2.5.4.97";
/// `mail`.
pub const MAIL: &str = "urn:oid:0.9.2342.19200300.100.1.3";
/// `mobile`.
pub const MOBILE: &str = "urn:oid:0.9.2342.19200300.100.1.41";

/// Most attributes read.
pub const MAX_ATTRIBUTES: usize = 100;

/// The claim of a SAML attribute whose value maps one to one.
fn simple_claim(attribute: &str) -> Option<Claim> {
    Some(match attribute {
        PREVIOUS_PERSONAL_IDENTITY_NUMBER => Claim::PreviousCoordinationNumber,
        ORG_AFFILIATION => Claim::OrgAffiliation,
        PRID => Claim::Prid,
        PRID_PERSISTENCE => Claim::PridPersistence,
        PERSONAL_IDENTITY_NUMBER_BINDING => Claim::IdentityBinding,
        EIDAS_PERSON_IDENTIFIER => Claim::EidasPersonIdentifier,
        AUTH_SERVER_SIGNATURE => Claim::AuthnEvidence,
        SN => Claim::FamilyName,
        GIVEN_NAME => Claim::GivenName,
        DISPLAY_NAME => Claim::Name,
        DATE_OF_BIRTH => Claim::Birthdate,
        COUNTRY => Claim::EidasCountry,
        ORGANIZATION_NAME => Claim::OrgName,
        ORGANIZATIONAL_UNIT_NAME => Claim::OrgUnit,
        ORGANIZATION_IDENTIFIER => Claim::OrgNumber,
        MAIL => Claim::Email,
        MOBILE => Claim::PhoneNumber,
        _ => return None,
    })
}

/// Maps SAML attributes (`Name`, single string value) to an OIDC claims map, ready for
/// [`Identity::from_oidc_claims`](super::Identity::from_oidc_claims).
///
/// # Errors
///
/// [`ClaimsError::TooManyClaims`] past [`MAX_ATTRIBUTES`] attributes,
/// [`ClaimsError::DuplicateSamlAttribute`] if a known attribute (or two attributes for one
/// claim) occurs twice, [`ClaimsError::InvalidIdentifier`] if a number attribute is not a
/// 12-digit personnummer or samordningsnummer, [`ClaimsError::InvalidGender`] for a gender
/// other than `M`, `F` or `U`.
pub fn to_oidc_claims<'a>(
    attributes: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Map<String, Value>, ClaimsError> {
    let mut claims = Map::new();
    for (count, (name, value)) in attributes.into_iter().enumerate() {
        if count >= MAX_ATTRIBUTES {
            return Err(ClaimsError::TooManyClaims {
                count: count.saturating_add(1),
                max: MAX_ATTRIBUTES,
            });
        }
        let (claim, value) = match name {
            PERSONAL_IDENTITY_NUMBER | MAPPED_PERSONAL_IDENTITY_NUMBER => {
                let mapped = name == MAPPED_PERSONAL_IDENTITY_NUMBER;
                let claim = if mapped {
                    Claim::MappedPersonalIdentityNumber
                } else {
                    Claim::PersonalIdentityNumber
                };
                let number: PersonNumber = value
                    .parse()
                    .map_err(|source| ClaimsError::InvalidIdentifier { claim, source })?;
                let claim = match (number, mapped) {
                    (PersonNumber::Coordination(_), false) => Claim::CoordinationNumber,
                    (PersonNumber::Coordination(_), true) => Claim::MappedCoordinationNumber,
                    (_, _) => claim,
                };
                (claim, value)
            }
            GENDER => match value {
                "M" => (Claim::Gender, "male"),
                "F" => (Claim::Gender, "female"),
                "U" => continue,
                _ => return Err(ClaimsError::InvalidGender),
            },
            _ => match simple_claim(name) {
                Some(claim) => (claim, value),
                None => continue,
            },
        };
        if claims
            .insert(claim.name().to_owned(), Value::String(value.to_owned()))
            .is_some()
        {
            return Err(ClaimsError::DuplicateSamlAttribute { claim });
        }
    }
    Ok(claims)
}
