//! The closed set of claims an [`Identity`](super::Identity) carries, with their wire names.

use std::fmt;

use super::uri;

/// A claim the normalized identity knows, named on the wire by [`Claim::name`].
///
/// Standard claims are OpenID Connect Core §5.1; IDA claims are from OpenID Identity Assurance
/// Schema Definition 1.0; the others are OIDC-SE (`https://id.oidc.se/claim/…`) and Sweden
/// Connect (`https://id.swedenconnect.se/claim/…`).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Claim {
    // OIDC Core §5.1
    /// `name`: full (display) name.
    Name,
    /// `given_name`.
    GivenName,
    /// `family_name`.
    FamilyName,
    /// `middle_name`.
    MiddleName,
    /// `nickname`.
    Nickname,
    /// `preferred_username`.
    PreferredUsername,
    /// `gender`.
    Gender,
    /// `birthdate`: `YYYY-MM-DD`, `YYYY` or `0000-MM-DD`.
    Birthdate,
    /// `locale`: BCP 47 tag.
    Locale,
    /// `email`.
    Email,
    /// `email_verified`.
    EmailVerified,
    /// `phone_number`.
    PhoneNumber,
    /// `phone_number_verified`.
    PhoneNumberVerified,
    // IDA
    /// `birth_family_name`.
    BirthFamilyName,
    /// `birth_given_name`.
    BirthGivenName,
    /// `birth_middle_name`.
    BirthMiddleName,
    /// `place_of_birth`: `{country, region, locality}`.
    PlaceOfBirth,
    /// `nationalities`: array of ISO 3166 country codes.
    Nationalities,
    /// `verified_claims` (IDA).
    VerifiedClaims,
    // OIDC-SE
    /// `https://id.oidc.se/claim/personalIdentityNumber`.
    PersonalIdentityNumber,
    /// `https://id.oidc.se/claim/coordinationNumber`.
    CoordinationNumber,
    /// `https://id.oidc.se/claim/coordinationNumberLevel`.
    CoordinationNumberLevel,
    /// `https://id.oidc.se/claim/previousCoordinationNumber`.
    PreviousCoordinationNumber,
    /// `https://id.oidc.se/claim/orgAffiliation`.
    OrgAffiliation,
    /// `https://id.oidc.se/claim/orgName`.
    OrgName,
    /// `https://id.oidc.se/claim/orgNumber`.
    OrgNumber,
    /// `https://id.oidc.se/claim/orgUnit`.
    OrgUnit,
    /// `https://id.oidc.se/claim/userCertificate`.
    UserCertificate,
    /// `https://id.oidc.se/claim/userSignature`.
    UserSignature,
    /// `https://id.oidc.se/claim/credentialValidFrom`.
    CredentialValidFrom,
    /// `https://id.oidc.se/claim/credentialValidTo`.
    CredentialValidTo,
    /// `https://id.oidc.se/claim/deviceIp`.
    DeviceIp,
    /// `https://id.oidc.se/claim/authnEvidence`.
    AuthnEvidence,
    /// `https://id.oidc.se/claim/authnProvider`.
    AuthnProvider,
    // Sweden Connect
    /// `https://id.swedenconnect.se/claim/prid`.
    Prid,
    /// `https://id.swedenconnect.se/claim/pridPersistence`.
    PridPersistence,
    /// `https://id.swedenconnect.se/claim/eidasPersonIdentifier`.
    EidasPersonIdentifier,
    /// `https://id.swedenconnect.se/claim/eidasCountry`.
    EidasCountry,
    /// `https://id.swedenconnect.se/claim/mappedPersonalIdentityNumber`.
    MappedPersonalIdentityNumber,
    /// `https://id.swedenconnect.se/claim/mappedCoordinationNumber`.
    MappedCoordinationNumber,
    /// `https://id.swedenconnect.se/claim/identityBinding`.
    IdentityBinding,
}

impl Claim {
    /// Every claim, in declaration order.
    pub const ALL: &'static [Claim] = &[
        Self::Name,
        Self::GivenName,
        Self::FamilyName,
        Self::MiddleName,
        Self::Nickname,
        Self::PreferredUsername,
        Self::Gender,
        Self::Birthdate,
        Self::Locale,
        Self::Email,
        Self::EmailVerified,
        Self::PhoneNumber,
        Self::PhoneNumberVerified,
        Self::BirthFamilyName,
        Self::BirthGivenName,
        Self::BirthMiddleName,
        Self::PlaceOfBirth,
        Self::Nationalities,
        Self::VerifiedClaims,
        Self::PersonalIdentityNumber,
        Self::CoordinationNumber,
        Self::CoordinationNumberLevel,
        Self::PreviousCoordinationNumber,
        Self::OrgAffiliation,
        Self::OrgName,
        Self::OrgNumber,
        Self::OrgUnit,
        Self::UserCertificate,
        Self::UserSignature,
        Self::CredentialValidFrom,
        Self::CredentialValidTo,
        Self::DeviceIp,
        Self::AuthnEvidence,
        Self::AuthnProvider,
        Self::Prid,
        Self::PridPersistence,
        Self::EidasPersonIdentifier,
        Self::EidasCountry,
        Self::MappedPersonalIdentityNumber,
        Self::MappedCoordinationNumber,
        Self::IdentityBinding,
    ];

    /// The claim's name on the wire.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::GivenName => "given_name",
            Self::FamilyName => "family_name",
            Self::MiddleName => "middle_name",
            Self::Nickname => "nickname",
            Self::PreferredUsername => "preferred_username",
            Self::Gender => "gender",
            Self::Birthdate => "birthdate",
            Self::Locale => "locale",
            Self::Email => "email",
            Self::EmailVerified => "email_verified",
            Self::PhoneNumber => "phone_number",
            Self::PhoneNumberVerified => "phone_number_verified",
            Self::BirthFamilyName => "birth_family_name",
            Self::BirthGivenName => "birth_given_name",
            Self::BirthMiddleName => "birth_middle_name",
            Self::PlaceOfBirth => "place_of_birth",
            Self::Nationalities => "nationalities",
            Self::VerifiedClaims => "verified_claims",
            Self::PersonalIdentityNumber => uri::PERSONAL_IDENTITY_NUMBER,
            Self::CoordinationNumber => uri::COORDINATION_NUMBER,
            Self::CoordinationNumberLevel => uri::COORDINATION_NUMBER_LEVEL,
            Self::PreviousCoordinationNumber => uri::PREVIOUS_COORDINATION_NUMBER,
            Self::OrgAffiliation => uri::ORG_AFFILIATION,
            Self::OrgName => uri::ORG_NAME,
            Self::OrgNumber => uri::ORG_NUMBER,
            Self::OrgUnit => uri::ORG_UNIT,
            Self::UserCertificate => uri::USER_CERTIFICATE,
            Self::UserSignature => uri::USER_SIGNATURE,
            Self::CredentialValidFrom => uri::CREDENTIAL_VALID_FROM,
            Self::CredentialValidTo => uri::CREDENTIAL_VALID_TO,
            Self::DeviceIp => uri::DEVICE_IP,
            Self::AuthnEvidence => uri::AUTHN_EVIDENCE,
            Self::AuthnProvider => uri::AUTHN_PROVIDER,
            Self::Prid => uri::PRID,
            Self::PridPersistence => uri::PRID_PERSISTENCE,
            Self::EidasPersonIdentifier => uri::EIDAS_PERSON_IDENTIFIER,
            Self::EidasCountry => uri::EIDAS_COUNTRY,
            Self::MappedPersonalIdentityNumber => uri::MAPPED_PERSONAL_IDENTITY_NUMBER,
            Self::MappedCoordinationNumber => uri::MAPPED_COORDINATION_NUMBER,
            Self::IdentityBinding => uri::IDENTITY_BINDING,
        }
    }

    /// The claim with wire name `name`, if it is one we know.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// Whether this is an OIDC-SE authentication-information claim (claims spec §2.3), which
    /// SHOULD be delivered in the ID token.
    pub const fn is_authentication_information(self) -> bool {
        matches!(
            self,
            Self::UserCertificate
                | Self::UserSignature
                | Self::CredentialValidFrom
                | Self::CredentialValidTo
                | Self::DeviceIp
                | Self::AuthnEvidence
                | Self::AuthnProvider
        )
    }
}

impl fmt::Display for Claim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
