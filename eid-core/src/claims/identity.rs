//! The normalized [`Identity`] and its accessors.

use std::fmt;
use std::net::IpAddr;

use time::Date;

use super::ids::{CoordinationNumber, EidasPersonIdentifier, OrganisationNumber};
use super::{
    Base64Value, Birthdate, CountryCode, IdentityBinding, MappedNumber, NationalId, OrgAffiliation,
    PlaceOfBirth, Prid, PridPersistence, Release, VerifiedClaims,
};
use crate::clock::UnixTime;

/// A normalized identity: what an upstream asserted, as domain types, whatever the upstream's
/// claim vocabulary (OIDC Core, OIDC-SE, Sweden Connect eIDAS, IDA `verified_claims`).
///
/// Built by [`Identity::from_oidc_claims`] or with the `with_*` setters, and released by
/// [`Identity::to_oidc_claims`]. `Debug` lists which claims are present, never their values.
#[derive(Clone, Default, PartialEq)]
pub struct Identity {
    pub(super) name: Option<String>,
    pub(super) given_name: Option<String>,
    pub(super) family_name: Option<String>,
    pub(super) middle_name: Option<String>,
    pub(super) nickname: Option<String>,
    pub(super) preferred_username: Option<String>,
    pub(super) gender: Option<String>,
    pub(super) birthdate: Option<Birthdate>,
    pub(super) locale: Option<String>,
    pub(super) email: Option<String>,
    pub(super) email_verified: Option<bool>,
    pub(super) phone_number: Option<String>,
    pub(super) phone_number_verified: Option<bool>,
    pub(super) birth_family_name: Option<String>,
    pub(super) birth_given_name: Option<String>,
    pub(super) birth_middle_name: Option<String>,
    pub(super) place_of_birth: Option<PlaceOfBirth>,
    pub(super) nationalities: Option<Vec<CountryCode>>,
    pub(super) verified_claims: Option<VerifiedClaims>,
    pub(super) national_id: Option<NationalId>,
    pub(super) previous_coordination_number: Option<CoordinationNumber>,
    pub(super) org_affiliation: Option<OrgAffiliation>,
    pub(super) org_name: Option<String>,
    pub(super) org_number: Option<OrganisationNumber>,
    pub(super) org_unit: Option<String>,
    pub(super) user_certificate: Option<Base64Value>,
    pub(super) user_signature: Option<Base64Value>,
    pub(super) credential_valid_from: Option<UnixTime>,
    pub(super) credential_valid_to: Option<UnixTime>,
    pub(super) device_ip: Option<IpAddr>,
    pub(super) authn_evidence: Option<Base64Value>,
    pub(super) authn_provider: Option<String>,
    pub(super) prid: Option<Prid>,
    pub(super) prid_persistence: Option<PridPersistence>,
    pub(super) eidas_person_identifier: Option<EidasPersonIdentifier>,
    pub(super) eidas_country: Option<CountryCode>,
    pub(super) mapped_number: Option<MappedNumber>,
    pub(super) identity_binding: Option<IdentityBinding>,
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let full = Release::full(super::Destination::UserInfo);
        let present: Vec<String> = self
            .to_oidc_claims(&full)
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        f.debug_struct("Identity")
            .field("claims", &present)
            .finish()
    }
}

macro_rules! text_fields {
    ($($field:ident, $with:ident, $claim:literal;)*) => {
        impl Identity {
            $(
                #[doc = concat!("The `", $claim, "` claim.")]
                pub fn $field(&self) -> Option<&str> {
                    self.$field.as_deref()
                }

                #[doc = concat!("Sets the `", $claim, "` claim (not length-checked: a value \
                    past [`Limits`](super::Limits) will not read back).")]
                #[must_use]
                pub fn $with(mut self, value: impl Into<String>) -> Self {
                    self.$field = Some(value.into());
                    self
                }
            )*
        }
    };
}

macro_rules! value_fields {
    ($($field:ident, $with:ident, $ty:ty, $claim:literal;)*) => {
        impl Identity {
            $(
                #[doc = concat!("The `", $claim, "` claim.")]
                pub fn $field(&self) -> Option<&$ty> {
                    self.$field.as_ref()
                }

                #[doc = concat!("Sets the `", $claim, "` claim.")]
                #[must_use]
                pub fn $with(mut self, value: $ty) -> Self {
                    self.$field = Some(value);
                    self
                }
            )*
        }
    };
}

text_fields! {
    name, with_name, "name";
    given_name, with_given_name, "given_name";
    family_name, with_family_name, "family_name";
    middle_name, with_middle_name, "middle_name";
    nickname, with_nickname, "nickname";
    preferred_username, with_preferred_username, "preferred_username";
    gender, with_gender, "gender";
    locale, with_locale, "locale";
    email, with_email, "email";
    phone_number, with_phone_number, "phone_number";
    birth_family_name, with_birth_family_name, "birth_family_name";
    birth_given_name, with_birth_given_name, "birth_given_name";
    birth_middle_name, with_birth_middle_name, "birth_middle_name";
    org_name, with_org_name, "https://id.oidc.se/claim/orgName";
    org_unit, with_org_unit, "https://id.oidc.se/claim/orgUnit";
    authn_provider, with_authn_provider, "https://id.oidc.se/claim/authnProvider";
}

value_fields! {
    birthdate, with_birthdate, Birthdate, "birthdate";
    email_verified, with_email_verified, bool, "email_verified";
    phone_number_verified, with_phone_number_verified, bool, "phone_number_verified";
    place_of_birth, with_place_of_birth, PlaceOfBirth, "place_of_birth";
    verified_claims, with_verified_claims, VerifiedClaims, "verified_claims";
    national_id, with_national_id, NationalId,
        "https://id.oidc.se/claim/personalIdentityNumber` or `…/coordinationNumber";
    previous_coordination_number, with_previous_coordination_number, CoordinationNumber,
        "https://id.oidc.se/claim/previousCoordinationNumber";
    org_affiliation, with_org_affiliation, OrgAffiliation, "https://id.oidc.se/claim/orgAffiliation";
    org_number, with_org_number, OrganisationNumber, "https://id.oidc.se/claim/orgNumber";
    user_certificate, with_user_certificate, Base64Value, "https://id.oidc.se/claim/userCertificate";
    user_signature, with_user_signature, Base64Value, "https://id.oidc.se/claim/userSignature";
    credential_valid_from, with_credential_valid_from, UnixTime,
        "https://id.oidc.se/claim/credentialValidFrom";
    credential_valid_to, with_credential_valid_to, UnixTime,
        "https://id.oidc.se/claim/credentialValidTo";
    device_ip, with_device_ip, IpAddr, "https://id.oidc.se/claim/deviceIp";
    authn_evidence, with_authn_evidence, Base64Value, "https://id.oidc.se/claim/authnEvidence";
    prid, with_prid, Prid, "https://id.swedenconnect.se/claim/prid";
    prid_persistence, with_prid_persistence, PridPersistence,
        "https://id.swedenconnect.se/claim/pridPersistence";
    eidas_person_identifier, with_eidas_person_identifier, EidasPersonIdentifier,
        "https://id.swedenconnect.se/claim/eidasPersonIdentifier";
    eidas_country, with_eidas_country, CountryCode, "https://id.swedenconnect.se/claim/eidasCountry";
    mapped_number, with_mapped_number, MappedNumber,
        "https://id.swedenconnect.se/claim/mappedPersonalIdentityNumber` or `…/mappedCoordinationNumber";
    identity_binding, with_identity_binding, IdentityBinding,
        "https://id.swedenconnect.se/claim/identityBinding";
}

impl Identity {
    /// The `nationalities` claim (IDA).
    pub fn nationalities(&self) -> &[CountryCode] {
        self.nationalities.as_deref().unwrap_or_default()
    }

    /// Sets the `nationalities` claim (an empty list clears it).
    #[must_use]
    pub fn with_nationalities(mut self, nationalities: Vec<CountryCode>) -> Self {
        self.nationalities = (!nationalities.is_empty()).then_some(nationalities);
        self
    }

    /// The full date of birth, if known: from `birthdate` when it is a full date.
    pub fn birth_date(&self) -> Option<Date> {
        match self.birthdate {
            Some(Birthdate::Date(date)) => Some(date),
            _ => None,
        }
    }

    /// The age in whole years on `today`, if the full date of birth is known and not after
    /// `today`.
    pub fn age_on(&self, today: Date) -> Option<u16> {
        let birth = self.birth_date()?;
        if birth > today {
            return None;
        }
        let mut years = today.year().checked_sub(birth.year())?;
        if (u8::from(today.month()), today.day()) < (u8::from(birth.month()), birth.day()) {
            years = years.checked_sub(1)?;
        }
        u16::try_from(years).ok()
    }

    /// Whether the person is at least `years` old on `today` (an "age over" check without
    /// releasing the birth date); `None` if the full date of birth is unknown.
    pub fn is_age_at_least(&self, years: u16, today: Date) -> Option<bool> {
        self.age_on(today).map(|age| age >= years)
    }
}
