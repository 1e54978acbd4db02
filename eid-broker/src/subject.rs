//! Who the person is across upstreams, and the `sub` each client sees.
//!
//! A [`PersonKey`] is read from the normalised identity, strongest first: the Swedish
//! personal number (or coordination number), a coordination number the person had before
//! (`previousCoordinationNumber`), a Swedish number the eIDAS connector mapped, the eIDAS
//! `prid`, a document-bound key (issuing country, document type and number from
//! `verified_claims` document evidence) for people with neither, and last a workplace
//! affiliation. Keys are never stored or logged as such: each is reduced to a keyed digest
//! (HMAC-SHA256 with the configured secret), and the *account* is the digest of one key.
//!
//! Without a store ([`SubjectMode::NoStore`]) the account is the digest of the first key in
//! this order: `previousCoordinationNumber` if present (so a person who moved from a
//! coordination number to a personal number keeps their `sub`), else the strongest key.
//! Nothing about the person outlives the login. With a store ([`SubjectMode::Store`]) the
//! digests of all the person's keys are linked to one account ([`AccountStore`]): the first
//! key already linked decides the account, and every other key is linked to it, so that a
//! person seen through a coordination number, a personal number and an eIDAS mapping keeps
//! one `sub`.
//!
//! The `sub` is pairwise by default: HMAC-SHA256 over the sector and the account (43
//! base64url characters); a client configured `public` gets one `sub` for all public clients.
//! The same person through two upstreams has the same keys, so the same `sub`.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::claims::{Evidence, Identity, MappedNumber, NationalId};
use eid_provider::id_token::Subject;
use ring::hmac;
use serde::Deserialize;

/// One way the person is known.
#[non_exhaustive]
#[derive(Clone, PartialEq, Eq)]
pub enum PersonKey {
    /// A Swedish personal identity number (personnummer).
    PersonalNumber(String),
    /// A Swedish coordination number (samordningsnummer).
    CoordinationNumber(String),
    /// An eIDAS `prid`.
    Eidas(String),
    /// A document: issuing country, type and number.
    Document(String),
    /// A workplace affiliation (`orgAffiliation`).
    Workplace(String),
}

impl PersonKey {
    fn canonical(&self) -> String {
        match self {
            Self::PersonalNumber(n) => format!("se-pnr:{n}"),
            Self::CoordinationNumber(n) => format!("se-samn:{n}"),
            Self::Eidas(p) => format!("eidas-prid:{p}"),
            Self::Document(d) => format!("document:{d}"),
            Self::Workplace(w) => format!("org-affiliation:{w}"),
        }
    }

    /// The kind of key, for logs (never the value).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::PersonalNumber(_) => "personal_number",
            Self::CoordinationNumber(_) => "coordination_number",
            Self::Eidas(_) => "eidas_prid",
            Self::Document(_) => "document",
            Self::Workplace(_) => "workplace",
        }
    }
}

impl fmt::Debug for PersonKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonKey({}, [redacted])", self.kind())
    }
}

/// The person's keys, in the order of [the module documentation](self): the key that decides
/// a new account first.
pub fn person_keys(identity: &Identity) -> Vec<PersonKey> {
    let mut keys = Vec::new();
    if let Some(previous) = identity.previous_coordination_number() {
        keys.push(PersonKey::CoordinationNumber(
            previous.claim_value().to_owned(),
        ));
    }
    match identity.national_id() {
        Some(NationalId::Personal(number)) => {
            keys.push(PersonKey::PersonalNumber(number.claim_value().to_owned()));
        }
        Some(NationalId::Coordination { number, .. }) => {
            keys.push(PersonKey::CoordinationNumber(
                number.claim_value().to_owned(),
            ));
        }
        _ => {}
    }
    match identity.mapped_number() {
        Some(MappedNumber::Personal(number)) => {
            keys.push(PersonKey::PersonalNumber(number.claim_value().to_owned()));
        }
        Some(MappedNumber::Coordination(number)) => {
            keys.push(PersonKey::CoordinationNumber(
                number.claim_value().to_owned(),
            ));
        }
        _ => {}
    }
    if let Some(prid) = identity.prid() {
        keys.push(PersonKey::Eidas(prid.claim_value().to_owned()));
    }
    if let Some(document) = document_key(identity) {
        keys.push(PersonKey::Document(document));
    }
    if let Some(affiliation) = identity.org_affiliation() {
        keys.push(PersonKey::Workplace(affiliation.claim_value()));
    }
    let mut distinct: Vec<PersonKey> = Vec::with_capacity(keys.len());
    for key in keys {
        if !distinct.contains(&key) {
            distinct.push(key);
        }
    }
    distinct
}

/// `country:type:number` of the first document evidence that has all three.
fn document_key(identity: &Identity) -> Option<String> {
    let verified = identity.verified_claims()?;
    verified.elements().iter().find_map(|element| {
        element
            .verification
            .evidence
            .as_deref()
            .unwrap_or_default()
            .iter()
            .find_map(|evidence| {
                let Evidence::Document(document) = evidence else {
                    return None;
                };
                let details = document.document_details.as_ref()?;
                let number = details.get("document_number")?.as_str()?;
                let kind = details.get("type")?.as_str()?;
                let country = details
                    .get("issuer")
                    .and_then(|issuer| issuer.get("country_code"))
                    .and_then(|c| c.as_str())?;
                (!number.is_empty()).then(|| format!("{country}:{kind}:{number}"))
            })
    })
}

/// Whether accounts are kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectMode {
    /// Keys are linked to accounts in an [`AccountStore`] (default).
    #[default]
    Store,
    /// Nothing is stored; the `sub` is derived from the person's keys alone.
    NoStore,
}

/// How a client's `sub` is formed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubjectType {
    /// Pairwise for the sector (default).
    Pairwise {
        /// The sector (by default the host of the client's first redirect URI).
        sector: String,
    },
    /// The same for every public client.
    Public,
}

/// The keyed digest of a person key, or an account: 43 base64url characters.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct KeyDigest(String);

impl KeyDigest {
    /// The digest, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for KeyDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyDigest([redacted])")
    }
}

/// An account store failed.
#[derive(Debug, thiserror::Error)]
#[error("the account store failed: {0}")]
pub struct AccountStoreError(pub &'static str);

/// Where links from key digests to accounts are kept.
#[async_trait]
pub trait AccountStore: Send + Sync + fmt::Debug {
    /// The account `key` is linked to.
    ///
    /// # Errors
    /// [`AccountStoreError`] when the backend fails.
    async fn account(&self, key: &KeyDigest) -> Result<Option<KeyDigest>, AccountStoreError>;

    /// Links each of `keys` to `account` (a key already linked elsewhere keeps its link).
    ///
    /// # Errors
    /// [`AccountStoreError`] when the backend fails.
    async fn link(&self, keys: &[KeyDigest], account: &KeyDigest) -> Result<(), AccountStoreError>;
}

/// The in-memory [`AccountStore`], for one process.
#[derive(Debug, Default)]
pub struct MemoryAccounts {
    links: Mutex<HashMap<KeyDigest, KeyDigest>>,
}

impl MemoryAccounts {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many keys are linked.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no key is linked.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<KeyDigest, KeyDigest>> {
        // Every update is one map operation: a poisoned lock still holds a valid map.
        self.links
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[async_trait]
impl AccountStore for MemoryAccounts {
    async fn account(&self, key: &KeyDigest) -> Result<Option<KeyDigest>, AccountStoreError> {
        Ok(self.lock().get(key).cloned())
    }

    async fn link(&self, keys: &[KeyDigest], account: &KeyDigest) -> Result<(), AccountStoreError> {
        let mut links = self.lock();
        for key in keys {
            links.entry(key.clone()).or_insert_with(|| account.clone());
        }
        Ok(())
    }
}

/// Why no `sub` could be made.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum SubjectError {
    /// The identity has no key the broker can recognise the person by.
    #[error("the identity has no personal number, coordination number, prid or document")]
    NoPersonKey,
    /// The account store failed.
    #[error(transparent)]
    Store(#[from] AccountStoreError),
    /// The derived value is not a valid `sub` (a bug).
    #[error("the derived subject is invalid")]
    Invalid,
}

/// The secret the digests are keyed with. `Debug` never shows it.
#[derive(Clone)]
pub struct SubjectSecret(hmac::Key);

impl SubjectSecret {
    /// The least secret length, in bytes.
    pub const MIN_LEN: usize = 32;

    /// A secret of at least [`MIN_LEN`](Self::MIN_LEN) bytes, else `None`.
    pub fn new(bytes: &[u8]) -> Option<Self> {
        (bytes.len() >= Self::MIN_LEN).then(|| Self(hmac::Key::new(hmac::HMAC_SHA256, bytes)))
    }

    fn digest(&self, parts: &[&str]) -> String {
        let mut context = hmac::Context::with_key(&self.0);
        for part in parts {
            // Length-prefixed, so that no two part lists collide.
            context.update(&(part.len() as u64).to_be_bytes());
            context.update(part.as_bytes());
        }
        URL_SAFE_NO_PAD.encode(context.sign().as_ref())
    }
}

impl fmt::Debug for SubjectSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SubjectSecret([redacted])")
    }
}

/// Resolves a person's account and a client's `sub`.
#[derive(Clone, Debug)]
pub struct SubjectResolver {
    secret: SubjectSecret,
    store: Option<std::sync::Arc<dyn AccountStore>>,
}

impl SubjectResolver {
    /// A resolver that keeps links in `store`.
    pub fn with_store(secret: SubjectSecret, store: std::sync::Arc<dyn AccountStore>) -> Self {
        Self {
            secret,
            store: Some(store),
        }
    }

    /// A resolver that keeps nothing ([`SubjectMode::NoStore`]).
    pub fn without_store(secret: SubjectSecret) -> Self {
        Self {
            secret,
            store: None,
        }
    }

    /// The mode.
    pub fn mode(&self) -> SubjectMode {
        if self.store.is_some() {
            SubjectMode::Store
        } else {
            SubjectMode::NoStore
        }
    }

    /// The keyed digest of `key`.
    pub fn key_digest(&self, key: &PersonKey) -> KeyDigest {
        KeyDigest(self.secret.digest(&["person-key", &key.canonical()]))
    }

    /// The person's account: see [the module documentation](self).
    ///
    /// # Errors
    /// [`SubjectError::NoPersonKey`], [`SubjectError::Store`].
    pub async fn account(&self, identity: &Identity) -> Result<KeyDigest, SubjectError> {
        let keys = person_keys(identity);
        let digests: Vec<KeyDigest> = keys.iter().map(|key| self.key_digest(key)).collect();
        let first = digests.first().cloned().ok_or(SubjectError::NoPersonKey)?;
        let Some(store) = &self.store else {
            return Ok(first);
        };
        let mut account = None;
        for digest in &digests {
            if let Some(found) = store.account(digest).await? {
                account = Some(found);
                break;
            }
        }
        let account = account.unwrap_or(first);
        store.link(&digests, &account).await?;
        Ok(account)
    }

    /// The `sub` of `account` for a client of `kind`.
    ///
    /// # Errors
    /// [`SubjectError::Invalid`] (a bug).
    pub fn subject(
        &self,
        account: &KeyDigest,
        kind: &SubjectType,
    ) -> Result<Subject, SubjectError> {
        let value = match kind {
            SubjectType::Pairwise { sector } => {
                self.secret.digest(&["pairwise", sector, account.as_str()])
            }
            SubjectType::Public => self.secret.digest(&["public", account.as_str()]),
        };
        value.parse().map_err(|_| SubjectError::Invalid)
    }

    /// The `sub` of the person of `identity` for a client of `kind`.
    ///
    /// # Errors
    /// As [`account`](Self::account) and [`subject`](Self::subject).
    pub async fn resolve(
        &self,
        identity: &Identity,
        kind: &SubjectType,
    ) -> Result<Subject, SubjectError> {
        let account = self.account(identity).await?;
        self.subject(&account, kind)
    }
}

#[cfg(test)]
mod tests;
