//! Profiles: what kind of eID provider one mock plays, with its level (`acr`), its
//! authentication methods (`amr`), which persons it can authenticate, and which of their claims
//! it delivers.
//!
//! | Profile | `acr` | `amr` | Persons | Claims |
//! | --- | --- | --- | --- | --- |
//! | [`BankIdLike`](Profile::BankIdLike) | `loa3` | `BankID` | with a personnummer or samordningsnummer | names, birth date, the number |
//! | [`StateIdCard`](Profile::StateIdCard) | `loa4` (the newcomer: `loa3-nonresident`) | `hwk`, `pin`, `mfa` | with a number, or with document evidence | names, birth date, the number, `verified_claims` (the passport's, or a Swedish identity card checked in person) |
//! | [`Workplace`](Profile::Workplace) | `loa3` | `sc`, `pin`, `mfa` | with `orgAffiliation` | names, email, `orgAffiliation`, `orgNumber`, `orgName`, `orgUnit`, personnummer |
//! | [`EidasNode`](Profile::EidasNode) | `eidas-nf-sub` | `eIDAS` | with `prid` | names, birth date, `prid`, `pridPersistence`, `eidasPersonIdentifier`, `eidasCountry` |
//! | [`Generic`](Profile::Generic) | `loa2` | `pwd` | with a name | the OpenID Connect standard claims (names, birth date, email, phone) |
//!
//! A person's own `acr` (see [`Person::acr`]) wins over the profile's. The engine then releases,
//! of the delivered claims, what the client's scopes and `claims` request ask for.

use eid_core::assurance::LevelOfAssurance;
use eid_core::claims::{
    CheckMethod, ClaimsError, Destination, DocumentEvidence, Evidence, Identity, Release,
    Verification, VerifiedClaims, VerifiedClaimsElement, uri,
};
use eid_core::clock::UnixTime;
use eid_provider::Authentication;
use eid_provider::id_token::{MintError, Subject};
use serde::{Deserialize, Serialize};
use serde_json::{Map, json};

use crate::person::Person;

const NAMES: [&str; 3] = ["name", "given_name", "family_name"];

/// The kind of provider a mock plays.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// A BankID-like provider: level 3, the person's Swedish number.
    #[default]
    BankIdLike,
    /// An eIDAS node (the Swedish eIDAS connector): foreign persons at `eidas-nf-sub`.
    EidasNode,
    /// A state-issued ID-card eID: level 4, with document evidence where the person has it.
    StateIdCard,
    /// A workplace IdP for public-sector employees: level 3, organisational identity.
    Workplace,
    /// A generic OpenID provider with the standard claims of OpenID Connect Core §5.1 (names,
    /// birth date, email, phone) at level 2: for testing relying parties the way the OpenID
    /// conformance suite does (`profile`, `email` and `phone` scopes), not an eID of its own.
    Generic,
}

/// Why a person could not be authenticated under a profile.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The profile does not offer this person.
    #[error("the profile does not authenticate this person")]
    NotOffered,
    /// The delivered claims do not read back (a bug in the persons data).
    #[error("claims: {0}")]
    Claims(#[from] ClaimsError),
    /// The subject could not be made.
    #[error("subject: {0}")]
    Subject(#[from] MintError),
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 5] = [
        Profile::BankIdLike,
        Profile::EidasNode,
        Profile::StateIdCard,
        Profile::Workplace,
        Profile::Generic,
    ];

    /// The configuration name (`bank_id_like`, `eidas_node`, `state_id_card`, `workplace`,
    /// `generic`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BankIdLike => "bank_id_like",
            Self::EidasNode => "eidas_node",
            Self::StateIdCard => "state_id_card",
            Self::Workplace => "workplace",
            Self::Generic => "generic",
        }
    }

    /// The level the profile authenticates at.
    pub fn acr(self) -> LevelOfAssurance {
        match self {
            Self::BankIdLike | Self::Workplace => LevelOfAssurance::Loa3,
            Self::StateIdCard => LevelOfAssurance::Loa4,
            Self::EidasNode => LevelOfAssurance::SwedenEidasNotifiedSubstantial,
            Self::Generic => LevelOfAssurance::Loa2,
        }
    }

    /// Every level a login under this profile can reach (for `acr_values_supported`).
    pub fn levels(self) -> Vec<LevelOfAssurance> {
        match self {
            Self::StateIdCard => vec![
                LevelOfAssurance::Loa4,
                LevelOfAssurance::Loa3,
                LevelOfAssurance::Loa3NonResident,
            ],
            other => vec![other.acr()],
        }
    }

    /// The `amr` values: BankID's own name for the BankID-like provider (as ID-porten reports
    /// it), RFC 8176 values for the card-based ones (`hwk` hardware key, `sc` smart card, `pin`,
    /// `mfa`), and `eIDAS` for the node.
    pub fn amr(self) -> &'static [&'static str] {
        match self {
            Self::BankIdLike => &["BankID"],
            Self::EidasNode => &["eIDAS"],
            Self::StateIdCard => &["hwk", "pin", "mfa"],
            Self::Workplace => &["sc", "pin", "mfa"],
            Self::Generic => &["pwd"],
        }
    }

    /// The claims the profile delivers (when the person has them).
    pub fn claims(self) -> Vec<&'static str> {
        let mut claims = NAMES.to_vec();
        match self {
            Self::BankIdLike => claims.extend([
                "birthdate",
                uri::PERSONAL_IDENTITY_NUMBER,
                uri::COORDINATION_NUMBER,
                uri::COORDINATION_NUMBER_LEVEL,
            ]),
            Self::StateIdCard => claims.extend([
                "birthdate",
                "verified_claims",
                uri::PERSONAL_IDENTITY_NUMBER,
                uri::COORDINATION_NUMBER,
                uri::COORDINATION_NUMBER_LEVEL,
            ]),
            Self::Workplace => claims.extend([
                "email",
                "email_verified",
                uri::PERSONAL_IDENTITY_NUMBER,
                uri::ORG_AFFILIATION,
                uri::ORG_NUMBER,
                uri::ORG_NAME,
                uri::ORG_UNIT,
            ]),
            Self::EidasNode => claims.extend([
                "birthdate",
                uri::PRID,
                uri::PRID_PERSISTENCE,
                uri::EIDAS_PERSON_IDENTIFIER,
                uri::EIDAS_COUNTRY,
            ]),
            Self::Generic => claims.extend([
                "birthdate",
                "email",
                "email_verified",
                "phone_number",
                "phone_number_verified",
            ]),
        }
        claims
    }

    /// Whether the profile can authenticate `person`.
    pub fn offers(self, person: &Person) -> bool {
        let identity = person.identity();
        match self {
            Self::BankIdLike => identity.national_id().is_some(),
            Self::StateIdCard => {
                identity.national_id().is_some() || identity.verified_claims().is_some()
            }
            Self::Workplace => identity.org_affiliation().is_some(),
            Self::EidasNode => identity.prid().is_some(),
            Self::Generic => identity.name().is_some(),
        }
    }

    /// The level `person` reaches under this profile: their own, else the profile's.
    pub fn level_for(self, person: &Person) -> LevelOfAssurance {
        person.acr().unwrap_or(self.acr())
    }

    /// The identity this profile delivers for `identity`: only [`claims`](Self::claims).
    /// `now` resolves the dates when the claims are read back.
    ///
    /// # Errors
    /// [`ProfileError::Claims`] if the claims do not read back.
    pub fn deliver(self, identity: &Identity, now: UnixTime) -> Result<Identity, ProfileError> {
        let wanted = self.claims();
        let all = identity.to_oidc_claims(&Release::full(Destination::UserInfo));
        let kept: Map<String, serde_json::Value> = all
            .into_iter()
            .filter(|(name, _)| wanted.contains(&name.as_str()))
            .collect();
        let delivered = Identity::from_oidc_claims(&kept, now.date())?;
        if self == Self::StateIdCard
            && delivered.verified_claims().is_none()
            && delivered.national_id().is_some()
        {
            let evidence = id_card_evidence(&delivered);
            return Ok(delivered.with_verified_claims(evidence));
        }
        Ok(delivered)
    }

    /// What the mock reports to the engine when `person` logs in: `subject`, the level, the
    /// profile's `amr`, and the delivered identity (`identity` replaces the person's own, for
    /// the control API's next-login claims).
    ///
    /// # Errors
    /// [`ProfileError::NotOffered`], [`ProfileError::Claims`].
    pub fn authenticate(
        self,
        person: &Person,
        subject: Subject,
        identity: Option<&Identity>,
        acr: Option<LevelOfAssurance>,
        now: UnixTime,
    ) -> Result<Authentication, ProfileError> {
        if !self.offers(person) {
            return Err(ProfileError::NotOffered);
        }
        let identity = self.deliver(identity.unwrap_or(person.identity()), now)?;
        let level = acr.unwrap_or(self.level_for(person));
        identity.check_level(level)?;
        Ok(Authentication::new(subject, level, identity)
            .with_amr(self.amr().iter().map(|&m| m.to_owned()).collect()))
    }
}

/// The `verified_claims` a state ID-card eID gives a person with a Swedish number: document
/// evidence of a Swedish identity card, validated and verified in person when it was issued
/// (IDA `vpip` and `pvp`), with the names and birth date it proves. Synthetic, as every person
/// of the mock: no card number is made up.
fn id_card_evidence(identity: &Identity) -> VerifiedClaims {
    let mut claims = Map::new();
    if let Some(given) = identity.given_name() {
        claims.insert("given_name".into(), given.into());
    }
    if let Some(family) = identity.family_name() {
        claims.insert("family_name".into(), family.into());
    }
    if let Some(birth) = identity.birth_date() {
        claims.insert("birthdate".into(), birth.to_string().into());
    }
    let mut details = Map::new();
    details.insert("type".into(), "idcard".into());
    details.insert("issuer".into(), json!({ "country_code": "SE" }));
    let method = |name: &str| CheckMethod {
        method: name.to_owned(),
        extra: Map::new(),
    };
    let evidence = DocumentEvidence {
        validation_method: Some(method("vpip")),
        verification_method: Some(method("pvp")),
        time: None,
        document_details: Some(details),
        extra: Map::new(),
    };
    VerifiedClaims::One(VerifiedClaimsElement {
        verification: Verification {
            trust_framework: "eidas".into(),
            assurance_level: Some("high".into()),
            time: None,
            verification_process: None,
            evidence: Some(vec![Evidence::Document(evidence)]),
            extra: Map::new(),
        },
        claims,
    })
}

#[cfg(test)]
mod tests;
