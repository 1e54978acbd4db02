//! Test persons: the built-in ones and those of a persons file, each mapped to an
//! [`Identity`], with a stable id from which the `sub` is derived.
//!
//! # The persons file
//!
//! JSON, one object with a `persons` array. Each person has an `id` (1 to 64 of `a-z`, `0-9`,
//! `-`: it is what the login form posts and what `login_hint` names), a `display_name` shown on
//! the login page, `claims` as an OpenID Connect claims map (standard claims, OIDC Sweden
//! `https://id.oidc.se/claim/…` and Sweden Connect `https://id.swedenconnect.se/claim/…`
//! claims, `verified_claims`; read by [`Identity::from_oidc_claims`], so every value is checked),
//! and optionally an `acr` (the level this person always authenticates at, instead of the
//! profile's) and a `scenario` applied to each of their logins
//! ([`Scenario`], e.g. `{"scenario": "cancel"}`). Unknown fields are errors.
//!
//! ```json
//! { "persons": [ {
//!     "id": "tove",
//!     "display_name": "Tove Testsson",
//!     "claims": {
//!       "given_name": "Tove", "family_name": "Testsson", "birthdate": "1985-01-02",
//!       "https://id.oidc.se/claim/personalIdentityNumber": "198501022381"
//!     },
//!     "scenario": { "scenario": "slow", "delay_ms": 2000 }
//! } ] }
//! ```
//!
//! # The built-in persons
//!
//! [`Persons::builtin`] gives, all made up (see `data/PERSONS.md`): two adults and a child with
//! Swedish Tax Agency test personnummer (`astrid`, `bertil`, `charlie`), a person with only a
//! samordningsnummer at level `probable` (`dana`), two public-sector employees with
//! `orgAffiliation`, `orgNumber`, `orgName` and an HSA-id-like employee id (`eva`, `frans`), an
//! eIDAS user from Italy with `prid` and `eidasPersonIdentifier` (`giulia`), and a newcomer with
//! no Swedish number whose identity comes from a synthetic passport chip (`amina`): the chip is
//! verified through [`eid_core::binding::DocumentEvidence::from_chip`] when the persons are
//! loaded, and the person is delivered with `verified_claims` at `loa3-nonresident`.
//!
//! # Subjects
//!
//! The `sub` of a person is derived from their id with a keyed hash ([`SubjectKey`]): stable
//! across restarts for one key, never a personal number.

mod passport;

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::assurance::{AssuranceError, LevelOfAssurance};
use eid_core::binding::{BindingError, ProofingRefusal};
use eid_core::claims::{ClaimsError, Identity, NationalId};
use eid_core::clock::UnixTime;
use eid_provider::id_token::Subject;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::scenario::Scenario;

/// The longest person id.
pub const MAX_PERSON_ID_LEN: usize = 64;

/// The most persons the mock holds.
pub const MAX_PERSONS: usize = 1000;

/// The largest persons file, in bytes.
pub const MAX_PERSONS_FILE_BYTES: usize = 4 * 1024 * 1024;

/// The built-in persons file.
const BUILTIN_JSON: &str = include_str!("../data/persons.json");

/// Why persons could not be loaded. Messages name the person by index and id, never a claim
/// value.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum PersonError {
    /// `acr` is not a level eid knows.
    #[error("persons[{index}].acr: {source}")]
    Acr {
        /// The person's position in the file.
        index: usize,
        /// Why.
        #[source]
        source: AssuranceError,
    },
    /// A claim is malformed.
    #[error("persons[{index}].claims: {source}")]
    Claims {
        /// The person's position in the file.
        index: usize,
        /// Why.
        #[source]
        source: ClaimsError,
    },
    /// Two persons share an id.
    #[error("persons[{index}].id: `{id}` is used twice")]
    DuplicateId {
        /// The position of the second one.
        index: usize,
        /// The id.
        id: String,
    },
    /// The id is empty, too long, or has characters other than `a-z`, `0-9`, `-`.
    #[error("persons[{index}].id: must be 1 to 64 of a-z, 0-9 and -")]
    InvalidId {
        /// The person's position in the file.
        index: usize,
    },
    /// The display name is empty or too long.
    #[error(
        "persons[{index}].display_name: must be 1 to 200 characters without control characters"
    )]
    InvalidDisplayName {
        /// The person's position in the file.
        index: usize,
    },
    /// The file is not the expected JSON.
    #[error("persons file: {0}")]
    Json(#[source] serde_json::Error),
    /// The identity does not fit its level (a personnummer at a `*-nonresident` level).
    #[error("persons[{index}]: {source}")]
    Level {
        /// The person's position in the file.
        index: usize,
        /// Why.
        #[source]
        source: ClaimsError,
    },
    /// The passport chip of the built-in newcomer did not verify.
    #[error("the built-in passport chip did not verify: {0}")]
    Passport(#[source] BindingError),
    /// The built-in passport's CSCA certificate could not be loaded.
    #[error("the built-in passport's CSCA did not load: {0}")]
    PassportTrust(#[source] eid_core::emrtd::trust::TrustError),
    /// The proofing policy refused the built-in newcomer's passport.
    #[error("the built-in passport was refused by the proofing policy: {}", .0.reason())]
    Proofing(ProofingRefusal),
    /// The file is larger than [`MAX_PERSONS_FILE_BYTES`] or holds more than [`MAX_PERSONS`].
    #[error("too many persons or too large a file")]
    TooMany,
}

/// A person id: 1 to [`MAX_PERSON_ID_LEN`] of `a-z`, `0-9`, `-`. Safe in HTML and forms as is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PersonId(String);

impl PersonId {
    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for PersonId {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let valid = !s.is_empty()
            && s.len() <= MAX_PERSON_ID_LEN
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if valid {
            Ok(Self(s.to_owned()))
        } else {
            Err(())
        }
    }
}

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What kind of identity a person has, for the login page.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonKind {
    /// A personnummer, 18 or older.
    Adult,
    /// A personnummer, under 18.
    Child,
    /// A samordningsnummer.
    Coordination,
    /// An eIDAS identity from another country.
    Eidas,
    /// A public-sector or other employee (`orgAffiliation`).
    Employee,
    /// No Swedish number; identity from a travel document (`verified_claims`).
    Passport,
    /// Anything else.
    Other,
}

/// One test person.
#[derive(Clone)]
pub struct Person {
    id: PersonId,
    display_name: String,
    identity: Identity,
    acr: Option<LevelOfAssurance>,
    scenario: Option<Scenario>,
}

impl Person {
    /// A person with `identity`.
    ///
    /// # Errors
    /// [`PersonError::InvalidId`] or [`PersonError::InvalidDisplayName`] (index 0).
    pub fn new(id: &str, display_name: &str, identity: Identity) -> Result<Self, PersonError> {
        let id = id
            .parse()
            .map_err(|()| PersonError::InvalidId { index: 0 })?;
        if display_name.is_empty()
            || display_name.chars().count() > 200
            || display_name.chars().any(char::is_control)
        {
            return Err(PersonError::InvalidDisplayName { index: 0 });
        }
        Ok(Self {
            id,
            display_name: display_name.to_owned(),
            identity,
            acr: None,
            scenario: None,
        })
    }

    /// With a level this person always authenticates at.
    #[must_use]
    pub fn with_acr(mut self, acr: LevelOfAssurance) -> Self {
        self.acr = Some(acr);
        self
    }

    /// With a scenario applied to each of this person's logins.
    #[must_use]
    pub fn with_scenario(mut self, scenario: Scenario) -> Self {
        self.scenario = Some(scenario);
        self
    }

    /// The id.
    pub fn id(&self) -> &PersonId {
        &self.id
    }

    /// The name shown on the login page.
    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    /// The identity.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// The level this person always authenticates at, if set.
    pub fn acr(&self) -> Option<LevelOfAssurance> {
        self.acr
    }

    /// The scenario of each of this person's logins, if set.
    pub fn scenario(&self) -> Option<&Scenario> {
        self.scenario.as_ref()
    }

    /// What kind of identity the person has, on `today`.
    pub fn kind(&self, today: time::Date) -> PersonKind {
        let identity = &self.identity;
        if identity.org_affiliation().is_some() {
            return PersonKind::Employee;
        }
        match identity.national_id() {
            Some(NationalId::Personal(_)) => {
                return match identity.is_age_at_least(18, today) {
                    Some(false) => PersonKind::Child,
                    _ => PersonKind::Adult,
                };
            }
            Some(NationalId::Coordination { .. }) => return PersonKind::Coordination,
            _ => {}
        }
        if identity.prid().is_some() || identity.eidas_person_identifier().is_some() {
            return PersonKind::Eidas;
        }
        if identity.verified_claims().is_some() {
            return PersonKind::Passport;
        }
        PersonKind::Other
    }
}

impl fmt::Debug for Person {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Person")
            .field("id", &self.id)
            .field("identity", &self.identity)
            .field("acr", &self.acr)
            .field("scenario", &self.scenario)
            .finish_non_exhaustive()
    }
}

/// The persons file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonsFile {
    persons: Vec<PersonEntry>,
}

/// One person of the file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonEntry {
    id: String,
    display_name: String,
    claims: Map<String, Value>,
    #[serde(default)]
    acr: Option<String>,
    #[serde(default)]
    scenario: Option<Scenario>,
}

/// The persons the mock offers, in order, with unique ids.
#[derive(Clone, Debug, Default)]
pub struct Persons {
    list: Vec<Person>,
}

impl Persons {
    /// No persons.
    pub fn new() -> Self {
        Self::default()
    }

    /// The built-in persons (see the [module documentation](self)). `now` is the time of the
    /// passport check (it also decides the children's age).
    ///
    /// # Errors
    /// [`PersonError::Passport`] or [`PersonError::Proofing`] if the synthetic chip does not
    /// verify at `now` (its document signer is valid 2025-01-01..2036-01-01).
    pub fn builtin(now: UnixTime) -> Result<Self, PersonError> {
        let mut persons = Self::from_json(BUILTIN_JSON.as_bytes(), now)?;
        persons.add(passport::newcomer(now)?)?;
        Ok(persons)
    }

    /// The persons of a persons file (JSON, see the [module documentation](self)). `now`
    /// resolves the claims' dates.
    ///
    /// # Errors
    /// A [`PersonError`] naming the first person that is wrong, and why.
    pub fn from_json(bytes: &[u8], now: UnixTime) -> Result<Self, PersonError> {
        if bytes.len() > MAX_PERSONS_FILE_BYTES {
            return Err(PersonError::TooMany);
        }
        let file: PersonsFile = serde_json::from_slice(bytes).map_err(PersonError::Json)?;
        if file.persons.len() > MAX_PERSONS {
            return Err(PersonError::TooMany);
        }
        let today = now.date();
        let mut persons = Self::new();
        for (index, entry) in file.persons.into_iter().enumerate() {
            let identity = Identity::from_oidc_claims(&entry.claims, today)
                .map_err(|source| PersonError::Claims { index, source })?;
            let mut person = Person::new(&entry.id, &entry.display_name, identity).map_err(
                |error| match error {
                    PersonError::InvalidId { .. } => PersonError::InvalidId { index },
                    _ => PersonError::InvalidDisplayName { index },
                },
            )?;
            if let Some(acr) = entry.acr {
                let acr: LevelOfAssurance = acr
                    .parse()
                    .map_err(|source| PersonError::Acr { index, source })?;
                person
                    .identity
                    .check_level(acr)
                    .map_err(|source| PersonError::Level { index, source })?;
                person.acr = Some(acr);
            }
            person.scenario = entry.scenario;
            persons.add(person).map_err(|error| match error {
                PersonError::DuplicateId { id, .. } => PersonError::DuplicateId { index, id },
                other => other,
            })?;
        }
        Ok(persons)
    }

    /// Adds `person` at the end.
    ///
    /// # Errors
    /// [`PersonError::DuplicateId`] if the id is taken, [`PersonError::TooMany`] past
    /// [`MAX_PERSONS`].
    pub fn add(&mut self, person: Person) -> Result<(), PersonError> {
        if self.get(person.id.as_str()).is_some() {
            return Err(PersonError::DuplicateId {
                index: self.list.len(),
                id: person.id.0,
            });
        }
        if self.list.len() >= MAX_PERSONS {
            return Err(PersonError::TooMany);
        }
        self.list.push(person);
        Ok(())
    }

    /// Adds every person of `other`, after these.
    ///
    /// # Errors
    /// As [`Persons::add`].
    pub fn extend(&mut self, other: Persons) -> Result<(), PersonError> {
        other.list.into_iter().try_for_each(|p| self.add(p))
    }

    /// The person with id `id`.
    pub fn get(&self, id: &str) -> Option<&Person> {
        self.list.iter().find(|p| p.id.as_str() == id)
    }

    /// The persons, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Person> {
        self.list.iter()
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// The key of the keyed hash that derives a person's `sub` from their id:
/// `sub = base64url(HMAC-SHA256(key, "eid-idp-mock/sub/v1:" ‖ id))`.
///
/// [`SubjectKey::default`] uses a fixed, published key, so a person's `sub` is the same in
/// every run of every mock (handy for tests of account linking; it is a test tool). Set your
/// own with [`SubjectKey::new`] to get other subjects.
#[derive(Clone)]
pub struct SubjectKey(ring::hmac::Key);

/// The published default key.
const DEFAULT_SUBJECT_KEY: &[u8] = b"eid-idp-mock default subject key (public, for tests)";

impl SubjectKey {
    /// A key from `secret`.
    pub fn new(secret: &[u8]) -> Self {
        Self(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret))
    }

    /// The `sub` of person `id`: 43 base64url characters.
    ///
    /// # Errors
    /// Never in practice: 43 base64url characters are always a valid subject; the
    /// [`MintError`](eid_provider::id_token::MintError) of the check is passed on.
    pub fn subject(&self, id: &PersonId) -> Result<Subject, eid_provider::id_token::MintError> {
        let tag = ring::hmac::sign(&self.0, format!("eid-idp-mock/sub/v1:{}", id.0).as_bytes());
        URL_SAFE_NO_PAD.encode(tag.as_ref()).parse()
    }
}

impl Default for SubjectKey {
    fn default() -> Self {
        Self::new(DEFAULT_SUBJECT_KEY)
    }
}

impl fmt::Debug for SubjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SubjectKey([redacted])")
    }
}

#[cfg(test)]
mod tests;
