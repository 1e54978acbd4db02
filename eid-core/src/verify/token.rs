//! The verified ID token.

use std::fmt;

use serde_json::{Map, Value};

use crate::assurance::LevelOfAssurance;
use crate::clock::UnixTime;
use crate::jose::JwsAlgorithm;

/// An ID token that passed every check of an [`IdTokenVerifier`](super::IdTokenVerifier).
///
/// Only [`IdTokenVerifier::verify`](super::IdTokenVerifier::verify) builds one. `Debug` shows
/// no personal data: the subject, nonce and claims are redacted.
#[derive(Clone)]
pub struct VerifiedIdToken {
    pub(super) algorithm: JwsAlgorithm,
    pub(super) issuer: String,
    pub(super) subject: String,
    pub(super) audiences: Vec<String>,
    pub(super) acr: Option<LevelOfAssurance>,
    pub(super) auth_time: Option<UnixTime>,
    pub(super) expires_at: UnixTime,
    pub(super) issued_at: UnixTime,
    pub(super) nonce: Option<String>,
    pub(super) claims: Map<String, Value>,
}

impl VerifiedIdToken {
    /// The algorithm the token was signed with.
    pub fn algorithm(&self) -> JwsAlgorithm {
        self.algorithm
    }

    /// `iss`: the issuer, equal to the verifier's.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// `sub`: the subject, unique for this issuer.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// `aud`: the audiences (one of them the client id).
    pub fn audiences(&self) -> &[String] {
        &self.audiences
    }

    /// `acr`, if present and a level eid knows (when a level was required, it satisfied the
    /// requirement).
    pub fn acr(&self) -> Option<LevelOfAssurance> {
        self.acr
    }

    /// `auth_time`, if present.
    pub fn auth_time(&self) -> Option<UnixTime> {
        self.auth_time
    }

    /// `exp`.
    pub fn expires_at(&self) -> UnixTime {
        self.expires_at
    }

    /// `iat`.
    pub fn issued_at(&self) -> UnixTime {
        self.issued_at
    }

    /// `nonce`, if present (equal to the expected one, when one was expected).
    pub fn nonce(&self) -> Option<&str> {
        self.nonce.as_deref()
    }

    /// Every claim of the payload, as sent.
    pub fn claims(&self) -> &Map<String, Value> {
        &self.claims
    }

    /// Every claim of the payload, as sent, by value.
    pub fn into_claims(self) -> Map<String, Value> {
        self.claims
    }
}

impl fmt::Debug for VerifiedIdToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifiedIdToken")
            .field("algorithm", &self.algorithm)
            .field("issuer", &self.issuer)
            .field("subject", &"[redacted]")
            .field("audiences", &self.audiences)
            .field("acr", &self.acr)
            .field("auth_time", &self.auth_time)
            .field("expires_at", &self.expires_at)
            .field("issued_at", &self.issued_at)
            .field("nonce", &self.nonce.as_ref().map(|_| "[redacted]"))
            .field("claims", &"[redacted]")
            .finish()
    }
}
