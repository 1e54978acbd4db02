//! What goes into an ID token or a logout token.

use std::fmt;
use std::str::FromStr;

use eid_core::assurance::LevelOfAssurance;
use eid_core::clock::UnixTime;
use serde_json::{Map, Value};

use super::MintError;
use crate::discovery::Issuer;
use crate::secret::AccessToken;

/// The longest subject identifier (OpenID Connect Core §2).
const MAX_SUBJECT_LEN: usize = 255;

/// A subject identifier (`sub`): 1 to 255 printable ASCII characters, locally unique and never
/// reassigned (OpenID Connect Core §2). It must not be a personal attribute such as a
/// personnummer (OIDC-SE §3.2.1): derive it, never copy one in.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Subject(String);

impl Subject {
    /// The identifier.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Subject {
    type Err = MintError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let printable = value.bytes().all(|b| b.is_ascii_graphic());
        if value.is_empty() || value.len() > MAX_SUBJECT_LEN || !printable {
            return Err(MintError::InvalidSubject);
        }
        Ok(Self(value.to_owned()))
    }
}

impl fmt::Debug for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Subject([redacted])")
    }
}

/// The content of one ID token, short of the times the minting adds (`iat`, `exp`).
///
/// `Debug` shows the names of the identity claims, never their values or the subject.
#[derive(Clone)]
#[must_use]
pub struct IdTokenContent {
    pub(super) issuer: Issuer,
    pub(super) subject: Subject,
    pub(super) audience: String,
    pub(super) auth_time: UnixTime,
    pub(super) nonce: Option<String>,
    pub(super) acr: Option<LevelOfAssurance>,
    pub(super) amr: Vec<String>,
    pub(super) sid: Option<String>,
    pub(super) access_token: Option<AccessToken>,
    pub(super) identity: Map<String, Value>,
}

impl IdTokenContent {
    /// A token from `issuer` about `subject` for the client `audience`, who authenticated at
    /// `auth_time` (on SSO re-issue: the original authentication time).
    pub fn new(
        issuer: Issuer,
        subject: Subject,
        audience: impl Into<String>,
        auth_time: UnixTime,
    ) -> Self {
        Self {
            issuer,
            subject,
            audience: audience.into(),
            auth_time,
            nonce: None,
            acr: None,
            amr: Vec::new(),
            sid: None,
            access_token: None,
            identity: Map::new(),
        }
    }

    /// The `nonce` of the authentication request, echoed.
    pub fn with_nonce(mut self, nonce: impl Into<String>) -> Self {
        self.nonce = Some(nonce.into());
        self
    }

    /// The level of assurance of the authentication (`acr`).
    pub fn with_acr(mut self, acr: LevelOfAssurance) -> Self {
        self.acr = Some(acr);
        self
    }

    /// The authentication methods (`amr`, RFC 8176 values).
    pub fn with_amr(mut self, amr: Vec<String>) -> Self {
        self.amr = amr;
        self
    }

    /// The session id (`sid`, Back-Channel Logout 1.0 §2.1 / Front-Channel Logout 1.0 §3).
    pub fn with_sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = Some(sid.into());
        self
    }

    /// The access token issued with this ID token: `at_hash` is computed from it with the
    /// signing algorithm's hash (OpenID Connect Core §3.3.2.11).
    pub fn with_access_token(mut self, token: &AccessToken) -> Self {
        self.access_token = Some(token.clone());
        self
    }

    /// The identity claims released to the ID token: the output of
    /// [`Identity::to_oidc_claims`](eid_core::claims::Identity::to_oidc_claims) with a
    /// [`Release`](eid_core::claims::Release) for
    /// [`Destination::IdToken`](eid_core::claims::Destination::IdToken).
    pub fn with_identity_claims(mut self, claims: Map<String, Value>) -> Self {
        self.identity = claims;
        self
    }

    /// The issuer.
    pub fn issuer(&self) -> &Issuer {
        &self.issuer
    }

    /// The subject.
    pub fn subject(&self) -> &Subject {
        &self.subject
    }
}

impl fmt::Debug for IdTokenContent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdTokenContent")
            .field("issuer", &self.issuer)
            .field("subject", &self.subject)
            .field("audience", &self.audience)
            .field("auth_time", &self.auth_time)
            .field("acr", &self.acr)
            .field("amr", &self.amr)
            .field("identity_claims", &self.identity.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Whom a logout token logs out: a session, a subject, or both (Back-Channel Logout 1.0 §2.4:
/// `sid` and/or `sub`).
#[non_exhaustive]
#[derive(Clone, Debug)]
pub enum LogoutTarget {
    /// One session of the subject at the provider (`sid`).
    Session {
        /// The `sid` the ID tokens of that session carried.
        sid: String,
    },
    /// Every session of the subject (`sub`).
    Subject(Subject),
    /// One session, naming the subject too (`sub` and `sid`).
    SubjectSession {
        /// The subject.
        subject: Subject,
        /// The session id.
        sid: String,
    },
}

/// The content of one back-channel logout token, short of `iat`, `exp` and `jti`.
#[derive(Clone, Debug)]
pub struct LogoutTokenContent {
    pub(super) issuer: Issuer,
    pub(super) audience: String,
    pub(super) target: LogoutTarget,
}

impl LogoutTokenContent {
    /// A logout token from `issuer` to the client `audience` for `target`.
    pub fn new(issuer: Issuer, audience: impl Into<String>, target: LogoutTarget) -> Self {
        Self {
            issuer,
            audience: audience.into(),
            target,
        }
    }
}
