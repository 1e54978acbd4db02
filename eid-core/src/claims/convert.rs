//! [`Identity`] from and to a JSON claims map.

use std::str::FromStr;

use serde_json::{Map, Value};
use time::Date;

use super::ids::CoordinationNumberLevel;
use super::ids::{CoordinationNumber, EidasPersonIdentifier, PersonalIdentityNumber};
use super::values::org_number_claim;
use super::{
    Base64Value, Birthdate, Claim, ClaimsError, Identity, JsonType, Limits, MappedNumber,
    NationalId, PlaceOfBirth, Release, VerifiedClaims,
};
use crate::assurance::LevelOfAssurance;
use crate::clock::UnixTime;

/// Reads typed claim values out of a map, under limits.
struct Reader<'a> {
    claims: &'a Map<String, Value>,
    limits: &'a Limits,
    today: Date,
}

impl Reader<'_> {
    /// The value of `claim`; JSON `null` counts as absent.
    fn get(&self, claim: Claim) -> Option<&Value> {
        self.claims.get(claim.name()).filter(|v| !v.is_null())
    }

    fn str_max(&self, claim: Claim, max: usize) -> Result<Option<&str>, ClaimsError> {
        let Some(value) = self.get(claim) else {
            return Ok(None);
        };
        let s = value.as_str().ok_or(ClaimsError::WrongType {
            claim,
            expected: JsonType::String,
        })?;
        if s.len() > max {
            return Err(ClaimsError::TooLong {
                claim,
                len: s.len(),
                max,
            });
        }
        if s.is_empty() {
            return Err(ClaimsError::Empty { claim });
        }
        Ok(Some(s))
    }

    fn str(&self, claim: Claim) -> Result<Option<&str>, ClaimsError> {
        self.str_max(claim, self.limits.max_string_len)
    }

    /// Free text: no control characters (they have no place in a name and invite log
    /// injection).
    fn text(&self, claim: Claim) -> Result<Option<String>, ClaimsError> {
        let Some(s) = self.str(claim)? else {
            return Ok(None);
        };
        if s.chars().any(char::is_control) {
            return Err(ClaimsError::ControlCharacter { claim });
        }
        Ok(Some(s.to_owned()))
    }

    fn parsed<T: FromStr<Err = ClaimsError>>(
        &self,
        claim: Claim,
    ) -> Result<Option<T>, ClaimsError> {
        self.str(claim)?.map(str::parse).transpose()
    }

    fn boolean(&self, claim: Claim) -> Result<Option<bool>, ClaimsError> {
        self.get(claim)
            .map(|v| {
                v.as_bool().ok_or(ClaimsError::WrongType {
                    claim,
                    expected: JsonType::Boolean,
                })
            })
            .transpose()
    }

    fn timestamp(&self, claim: Claim) -> Result<Option<UnixTime>, ClaimsError> {
        let Some(value) = self.get(claim) else {
            return Ok(None);
        };
        if !value.is_number() {
            return Err(ClaimsError::WrongType {
                claim,
                expected: JsonType::Integer,
            });
        }
        value
            .as_u64()
            .map(|secs| Some(UnixTime::from_secs(secs)))
            .ok_or(ClaimsError::InvalidTimestamp { claim })
    }

    fn blob(&self, claim: Claim) -> Result<Option<Base64Value>, ClaimsError> {
        self.str_max(claim, self.limits.max_blob_len)?
            .map(|s| Base64Value::parse(s).ok_or(ClaimsError::InvalidBase64 { claim }))
            .transpose()
    }

    /// A 12-digit number claim, checked for the claim format before the identifier parser.
    fn number_text(&self, claim: Claim) -> Result<Option<&str>, ClaimsError> {
        let Some(s) = self.str(claim)? else {
            return Ok(None);
        };
        if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ClaimsError::NotClaimFormat { claim });
        }
        Ok(Some(s))
    }

    fn personal(&self, claim: Claim) -> Result<Option<PersonalIdentityNumber>, ClaimsError> {
        self.number_text(claim)?
            .map(|s| {
                PersonalIdentityNumber::parse(s, self.today)
                    .map_err(|source| ClaimsError::InvalidIdentifier { claim, source })
            })
            .transpose()
    }

    fn coordination(&self, claim: Claim) -> Result<Option<CoordinationNumber>, ClaimsError> {
        self.number_text(claim)?
            .map(|s| {
                CoordinationNumber::parse(s, self.today)
                    .map_err(|source| ClaimsError::InvalidIdentifier { claim, source })
            })
            .transpose()
    }

    /// Checks the serialized size of a structured claim.
    fn check_json_size(&self, claim: Claim, value: &Value) -> Result<(), ClaimsError> {
        let len = serde_json::to_vec(value).map_or(usize::MAX, |v| v.len());
        let max = self.limits.max_structured_len;
        if len > max {
            return Err(ClaimsError::TooLong { claim, len, max });
        }
        Ok(())
    }
}

impl Identity {
    /// Reads an identity from a claims map (ID token payload or UserInfo response), under the
    /// default [`Limits`]. Claims we do not model (`sub`, `iss`, `acr`, …) are ignored; JSON
    /// `null` counts as absent. `today` decides whether dates lie in the future.
    ///
    /// # Errors
    ///
    /// A [`ClaimsError`] naming the first offending claim, never echoing its value: too many
    /// claims or too long a value, a wrong JSON type, a malformed value, or contradictory
    /// claims (both a personnummer and a samordningsnummer, a `coordinationNumberLevel`
    /// without a `coordinationNumber`, both mapped numbers, an `orgNumber` that differs from
    /// the one in `orgAffiliation`, a validity period ending before it starts, a birth date
    /// after `today`).
    pub fn from_oidc_claims(claims: &Map<String, Value>, today: Date) -> Result<Self, ClaimsError> {
        Self::from_oidc_claims_with_limits(claims, today, &Limits::default())
    }

    /// [`Identity::from_oidc_claims`] under explicit `limits`.
    ///
    /// # Errors
    ///
    /// As [`Identity::from_oidc_claims`].
    pub fn from_oidc_claims_with_limits(
        claims: &Map<String, Value>,
        today: Date,
        limits: &Limits,
    ) -> Result<Self, ClaimsError> {
        if claims.len() > limits.max_claims {
            return Err(ClaimsError::TooManyClaims {
                count: claims.len(),
                max: limits.max_claims,
            });
        }
        let r = Reader {
            claims,
            limits,
            today,
        };
        let mut id = Self {
            name: r.text(Claim::Name)?,
            given_name: r.text(Claim::GivenName)?,
            family_name: r.text(Claim::FamilyName)?,
            middle_name: r.text(Claim::MiddleName)?,
            nickname: r.text(Claim::Nickname)?,
            preferred_username: r.text(Claim::PreferredUsername)?,
            gender: r.text(Claim::Gender)?,
            birthdate: r.parsed(Claim::Birthdate)?,
            locale: r.text(Claim::Locale)?,
            email: r.text(Claim::Email)?,
            email_verified: r.boolean(Claim::EmailVerified)?,
            phone_number: r.text(Claim::PhoneNumber)?,
            phone_number_verified: r.boolean(Claim::PhoneNumberVerified)?,
            birth_family_name: r.text(Claim::BirthFamilyName)?,
            birth_given_name: r.text(Claim::BirthGivenName)?,
            birth_middle_name: r.text(Claim::BirthMiddleName)?,
            org_name: r.text(Claim::OrgName)?,
            org_unit: r.text(Claim::OrgUnit)?,
            org_affiliation: r.parsed(Claim::OrgAffiliation)?,
            user_certificate: r.blob(Claim::UserCertificate)?,
            user_signature: r.blob(Claim::UserSignature)?,
            authn_evidence: r.blob(Claim::AuthnEvidence)?,
            credential_valid_from: r.timestamp(Claim::CredentialValidFrom)?,
            credential_valid_to: r.timestamp(Claim::CredentialValidTo)?,
            authn_provider: r.text(Claim::AuthnProvider)?,
            prid: r.parsed(Claim::Prid)?,
            prid_persistence: r.parsed(Claim::PridPersistence)?,
            eidas_country: r.parsed(Claim::EidasCountry)?,
            identity_binding: r.parsed(Claim::IdentityBinding)?,
            previous_coordination_number: r.coordination(Claim::PreviousCoordinationNumber)?,
            ..Self::default()
        };
        id.read_birthdate_bounds(today)?;
        id.read_org_number(&r)?;
        id.read_national_id(&r)?;
        id.read_mapped_number(&r)?;
        id.read_structured(&r)?;
        if let Some(s) = r.str(Claim::DeviceIp)? {
            id.device_ip = Some(s.parse().map_err(|_| ClaimsError::InvalidIpAddress)?);
        }
        if let Some(s) = r.str(Claim::EidasPersonIdentifier)? {
            let eid = EidasPersonIdentifier::from_str(s).map_err(|source| {
                ClaimsError::InvalidIdentifier {
                    claim: Claim::EidasPersonIdentifier,
                    source,
                }
            })?;
            id.eidas_person_identifier = Some(eid);
        }
        if let (Some(from), Some(to)) = (id.credential_valid_from, id.credential_valid_to)
            && to < from
        {
            return Err(ClaimsError::CredentialValidityReversed);
        }
        Ok(id)
    }

    fn read_birthdate_bounds(&self, today: Date) -> Result<(), ClaimsError> {
        let future = match self.birthdate {
            Some(Birthdate::Date(d)) => d > today,
            Some(Birthdate::Year(y)) => i32::from(y) > today.year(),
            _ => false,
        };
        if future {
            Err(ClaimsError::BirthdateInFuture)
        } else {
            Ok(())
        }
    }

    fn read_org_number(&mut self, r: &Reader<'_>) -> Result<(), ClaimsError> {
        let Some(s) = r.str(Claim::OrgNumber)? else {
            return Ok(());
        };
        if s.len() != 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ClaimsError::NotClaimFormat {
                claim: Claim::OrgNumber,
            });
        }
        let number = s.parse().map_err(|source| ClaimsError::InvalidIdentifier {
            claim: Claim::OrgNumber,
            source,
        })?;
        if let Some(aff) = &self.org_affiliation
            && org_number_claim(aff.org_number()) != org_number_claim(&number)
        {
            return Err(ClaimsError::OrgNumberMismatch);
        }
        self.org_number = Some(number);
        Ok(())
    }

    fn read_national_id(&mut self, r: &Reader<'_>) -> Result<(), ClaimsError> {
        let personal = r.personal(Claim::PersonalIdentityNumber)?;
        let coordination = r.coordination(Claim::CoordinationNumber)?;
        let level = r
            .str(Claim::CoordinationNumberLevel)?
            .map(|s| {
                s.parse::<CoordinationNumberLevel>()
                    .map_err(|_| ClaimsError::InvalidCoordinationNumberLevel)
            })
            .transpose()?;
        self.national_id = match (personal, coordination, level) {
            (Some(_), Some(_), _) => return Err(ClaimsError::PersonalAndCoordinationNumber),
            (Some(_) | None, None, Some(_)) => {
                return Err(ClaimsError::CoordinationNumberLevelWithoutNumber);
            }
            (Some(p), None, None) => Some(NationalId::Personal(p)),
            (None, Some(number), level) => Some(NationalId::Coordination { number, level }),
            (None, None, None) => None,
        };
        Ok(())
    }

    fn read_mapped_number(&mut self, r: &Reader<'_>) -> Result<(), ClaimsError> {
        let personal = r.personal(Claim::MappedPersonalIdentityNumber)?;
        let coordination = r.coordination(Claim::MappedCoordinationNumber)?;
        self.mapped_number = match (personal, coordination) {
            (Some(_), Some(_)) => return Err(ClaimsError::MappedPersonalAndCoordinationNumber),
            (Some(p), None) => Some(MappedNumber::Personal(p)),
            (None, Some(c)) => Some(MappedNumber::Coordination(c)),
            (None, None) => None,
        };
        Ok(())
    }

    fn read_structured(&mut self, r: &Reader<'_>) -> Result<(), ClaimsError> {
        if let Some(v) = r.get(Claim::PlaceOfBirth) {
            r.check_json_size(Claim::PlaceOfBirth, v)?;
            if !v.is_object() {
                return Err(ClaimsError::WrongType {
                    claim: Claim::PlaceOfBirth,
                    expected: JsonType::Object,
                });
            }
            let place =
                PlaceOfBirth::deserialize_value(v).ok_or(ClaimsError::InvalidPlaceOfBirth)?;
            self.place_of_birth = Some(place);
        }
        if let Some(v) = r.get(Claim::Nationalities) {
            let claim = Claim::Nationalities;
            let items = v.as_array().ok_or(ClaimsError::WrongType {
                claim,
                expected: JsonType::Array,
            })?;
            if items.len() > r.limits.max_array_len {
                return Err(ClaimsError::TooManyValues {
                    claim,
                    count: items.len(),
                    max: r.limits.max_array_len,
                });
            }
            let codes = items
                .iter()
                .map(|item| {
                    item.as_str()
                        .ok_or(ClaimsError::WrongType {
                            claim,
                            expected: JsonType::String,
                        })?
                        .parse()
                })
                .collect::<Result<Vec<_>, _>>()?;
            self.nationalities = (!codes.is_empty()).then_some(codes);
        }
        if let Some(v) = r.get(Claim::VerifiedClaims) {
            let claim = Claim::VerifiedClaims;
            r.check_json_size(claim, v)?;
            if !(v.is_object() || v.is_array()) {
                return Err(ClaimsError::WrongType {
                    claim,
                    expected: JsonType::Object,
                });
            }
            let verified: VerifiedClaims = serde::Deserialize::deserialize(v)
                .map_err(|_| ClaimsError::InvalidVerifiedClaims)?;
            if !verified.times_are_valid() {
                return Err(ClaimsError::InvalidVerifiedClaims);
            }
            if verified.elements().len() > r.limits.max_array_len {
                return Err(ClaimsError::TooManyValues {
                    claim,
                    count: verified.elements().len(),
                    max: r.limits.max_array_len,
                });
            }
            self.verified_claims = Some(verified);
        }
        Ok(())
    }

    /// The claims of this identity that `release` lets out, under their wire names.
    ///
    /// A claim is written when the identity has it, the release contains it, and its value
    /// satisfies any `value`/`values` constraint of the `claims` request. With
    /// [`Release::full`], `Identity::from_oidc_claims(&identity.to_oidc_claims(..), ..)` gives
    /// back an equal identity.
    pub fn to_oidc_claims(&self, release: &Release) -> Map<String, Value> {
        let mut out = Map::new();
        let mut put = |claim: Claim, value: Option<Value>| {
            if let Some(value) = value
                && release.permits(claim, &value)
            {
                out.insert(claim.name().to_owned(), value);
            }
        };
        let text = |s: &Option<String>| s.as_ref().map(|s| Value::String(s.clone()));
        let string = |s: Option<String>| s.map(Value::String);
        put(Claim::Name, text(&self.name));
        put(Claim::GivenName, text(&self.given_name));
        put(Claim::FamilyName, text(&self.family_name));
        put(Claim::MiddleName, text(&self.middle_name));
        put(Claim::Nickname, text(&self.nickname));
        put(Claim::PreferredUsername, text(&self.preferred_username));
        put(Claim::Gender, text(&self.gender));
        put(
            Claim::Birthdate,
            string(self.birthdate.map(|b| b.to_string())),
        );
        put(Claim::Locale, text(&self.locale));
        put(Claim::Email, text(&self.email));
        put(Claim::EmailVerified, self.email_verified.map(Value::Bool));
        put(Claim::PhoneNumber, text(&self.phone_number));
        put(
            Claim::PhoneNumberVerified,
            self.phone_number_verified.map(Value::Bool),
        );
        put(Claim::BirthFamilyName, text(&self.birth_family_name));
        put(Claim::BirthGivenName, text(&self.birth_given_name));
        put(Claim::BirthMiddleName, text(&self.birth_middle_name));
        put(
            Claim::PlaceOfBirth,
            self.place_of_birth
                .as_ref()
                .and_then(|p| serde_json::to_value(p).ok()),
        );
        put(
            Claim::Nationalities,
            self.nationalities.as_ref().map(|n| {
                Value::Array(
                    n.iter()
                        .map(|c| Value::String(c.as_str().to_owned()))
                        .collect(),
                )
            }),
        );
        put(
            Claim::VerifiedClaims,
            self.verified_claims
                .as_ref()
                .and_then(|v| serde_json::to_value(v).ok()),
        );
        match &self.national_id {
            Some(NationalId::Personal(p)) => {
                put(Claim::PersonalIdentityNumber, Some(p.claim_value().into()));
            }
            Some(NationalId::Coordination { number, level }) => {
                put(Claim::CoordinationNumber, Some(number.claim_value().into()));
                put(
                    Claim::CoordinationNumberLevel,
                    level.map(|l| l.as_str().into()),
                );
            }
            None => {}
        }
        put(
            Claim::PreviousCoordinationNumber,
            self.previous_coordination_number
                .as_ref()
                .map(|c| c.claim_value().into()),
        );
        put(
            Claim::OrgAffiliation,
            string(self.org_affiliation.as_ref().map(|a| a.claim_value())),
        );
        put(Claim::OrgName, text(&self.org_name));
        put(
            Claim::OrgNumber,
            string(self.org_number.as_ref().map(org_number_claim)),
        );
        put(Claim::OrgUnit, text(&self.org_unit));
        let blob =
            |b: &Option<Base64Value>| b.as_ref().map(|b| Value::String(b.as_str().to_owned()));
        put(Claim::UserCertificate, blob(&self.user_certificate));
        put(Claim::UserSignature, blob(&self.user_signature));
        put(
            Claim::CredentialValidFrom,
            self.credential_valid_from.map(|t| t.as_secs().into()),
        );
        put(
            Claim::CredentialValidTo,
            self.credential_valid_to.map(|t| t.as_secs().into()),
        );
        put(
            Claim::DeviceIp,
            string(self.device_ip.map(|ip| ip.to_string())),
        );
        put(Claim::AuthnEvidence, blob(&self.authn_evidence));
        put(Claim::AuthnProvider, text(&self.authn_provider));
        put(
            Claim::Prid,
            self.prid.as_ref().map(|p| p.claim_value().into()),
        );
        put(
            Claim::PridPersistence,
            self.prid_persistence.map(|p| p.as_str().into()),
        );
        put(
            Claim::EidasPersonIdentifier,
            self.eidas_person_identifier
                .as_ref()
                .map(|e| e.claim_value().into()),
        );
        put(
            Claim::EidasCountry,
            self.eidas_country.as_ref().map(|c| c.as_str().into()),
        );
        match &self.mapped_number {
            Some(MappedNumber::Personal(p)) => {
                put(
                    Claim::MappedPersonalIdentityNumber,
                    Some(p.claim_value().into()),
                );
            }
            Some(MappedNumber::Coordination(c)) => {
                put(
                    Claim::MappedCoordinationNumber,
                    Some(c.claim_value().into()),
                );
            }
            None => {}
        }
        put(
            Claim::IdentityBinding,
            string(self.identity_binding.as_ref().map(|b| b.claim_value())),
        );
        out
    }

    /// Checks the identity against the level of assurance it was asserted at: at a Swedish
    /// `*-nonresident` level the holder has no personnummer, and the token MUST NOT carry one
    /// (SC-REG §3.1.1).
    ///
    /// # Errors
    ///
    /// [`ClaimsError::PersonalIdentityNumberNotPermitted`] if it carries one at such a level.
    pub fn check_level(&self, level: LevelOfAssurance) -> Result<(), ClaimsError> {
        if matches!(self.national_id, Some(NationalId::Personal(_)))
            && !level.permits_personal_identity_number()
        {
            return Err(ClaimsError::PersonalIdentityNumberNotPermitted { level });
        }
        Ok(())
    }

    /// Checks the essential claims of `release` against this identity: each is present (a
    /// personnummer or a samordningsnummer satisfies either essential number claim of
    /// `naturalPersonNumber`, and likewise for the mapped numbers) and satisfies its
    /// `value`/`values` constraint. A provider that cannot meet them must not proceed silently.
    ///
    /// # Errors
    ///
    /// [`ClaimsError::EssentialClaimMissing`] or [`ClaimsError::EssentialValueMismatch`] for the
    /// first failing claim, in [`Claim`] order.
    pub fn check_essential(&self, release: &Release) -> Result<(), ClaimsError> {
        let unconstrained = Release::full(release.destination());
        let all = self.to_oidc_claims(&unconstrained);
        let given = self.to_oidc_claims(release);
        for claim in release.claims().filter(|c| release.is_essential(*c)) {
            let name = claim.name();
            if given.contains_key(name) {
                continue;
            }
            if all.contains_key(name) {
                return Err(ClaimsError::EssentialValueMismatch { claim });
            }
            let alternative = match claim {
                Claim::PersonalIdentityNumber => Some(Claim::CoordinationNumber),
                Claim::CoordinationNumber => Some(Claim::PersonalIdentityNumber),
                Claim::MappedPersonalIdentityNumber => Some(Claim::MappedCoordinationNumber),
                Claim::MappedCoordinationNumber => Some(Claim::MappedPersonalIdentityNumber),
                _ => None,
            };
            if alternative.is_some_and(|alt| given.contains_key(alt.name())) {
                continue;
            }
            return Err(ClaimsError::EssentialClaimMissing { claim });
        }
        Ok(())
    }
}

impl PlaceOfBirth {
    fn deserialize_value(value: &Value) -> Option<Self> {
        let place: Self = serde::Deserialize::deserialize(value).ok()?;
        let ok = |s: &Option<String>| s.as_ref().is_none_or(|s| !s.is_empty() && s.len() <= 1024);
        (ok(&place.region) && ok(&place.locality)).then_some(place)
    }
}
