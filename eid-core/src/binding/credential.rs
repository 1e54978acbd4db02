//! A credential bound to verified evidence: a JWS the provider signs at proofing time and
//! re-verifies whenever the credential is used, so that the level of the proofing travels with
//! the credential without the evidence itself being kept.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{BindingError, DocumentEvidence, ProofingDecision};
use crate::assurance::LevelOfAssurance;
use crate::clock::UnixTime;
use crate::jose::{Jwk, Jwks, JwsAlgorithm, SigningKey};

/// The JWS `typ` of a credential binding (explicit typing, RFC 8725 §3.11), so that no other
/// token of the provider can pass for one.
pub const CREDENTIAL_BINDING_TYPE: &str = "credential-binding+jwt";

/// The largest binding accepted by [`CredentialBinding::verify`], in bytes.
pub const MAX_BINDING_BYTES: usize = 16 * 1024;

/// The credential being bound.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundCredential {
    /// A public key the holder proves possession of (a wallet or device key), as a public JWK;
    /// carried as the RFC 7800 `cnf.jwk` confirmation.
    PublicKey(Jwk),
    /// A WebAuthn passkey, by its credential id; carried as the RFC 7800 `cnf.kid`
    /// confirmation (the relying party keeps the public key in its WebAuthn store).
    Passkey {
        /// The credential id, base64url without padding, as WebAuthn gives it.
        credential_id: String,
    },
}

/// RFC 7800 confirmation claim.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Confirmation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    jwk: Option<Jwk>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kid: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Claims {
    iss: String,
    sub: String,
    iat: u64,
    cnf: Confirmation,
    acr: LevelOfAssurance,
    /// base64url SHA-256 of the evidence ([`DocumentEvidence::digest`]).
    evidence_digest: String,
    proofing_rule: String,
    verified_claims: Value,
}

/// A verified credential binding: built by [`CredentialBinding::issue`] (and signed there) or
/// by [`CredentialBinding::verify`] from its JWS; nothing else constructs one. `Debug` shows
/// neither the subject nor the verified claims.
#[derive(Clone, PartialEq)]
pub struct CredentialBinding {
    issuer: String,
    subject: String,
    issued_at: UnixTime,
    credential: BoundCredential,
    level: LevelOfAssurance,
    evidence_digest: [u8; 32],
    proofing_rule: String,
    verified_claims: Value,
}

impl CredentialBinding {
    /// Binds `credential` to `evidence` and the level `decision` granted, for the person
    /// `subject` at `issuer`, and signs the binding with `key`. Returns the binding and its JWS.
    ///
    /// # Errors
    ///
    /// [`BindingError::Jose`] if signing fails, [`BindingError::InvalidCredential`] for an
    /// empty or oversized passkey id.
    pub fn issue(
        issuer: &str,
        subject: &str,
        credential: BoundCredential,
        evidence: &DocumentEvidence,
        decision: &ProofingDecision,
        now: UnixTime,
        key: &SigningKey,
    ) -> Result<(Self, String), BindingError> {
        if let BoundCredential::Passkey { credential_id } = &credential
            && (credential_id.is_empty()
                || credential_id.len() > 1024
                || URL_SAFE_NO_PAD.decode(credential_id).is_err())
        {
            return Err(BindingError::InvalidCredential);
        }
        let verified_claims = serde_json::to_value(evidence.to_verified_claims(decision))
            .map_err(|_| BindingError::Malformed)?;
        let binding = Self {
            issuer: issuer.to_owned(),
            subject: subject.to_owned(),
            issued_at: now,
            credential,
            level: decision.level,
            evidence_digest: evidence.digest(),
            proofing_rule: decision.rule.clone(),
            verified_claims,
        };
        let jws = key
            .sign_jwt_with_type(CREDENTIAL_BINDING_TYPE, &binding.claims())
            .map_err(BindingError::Jose)?;
        Ok((binding, jws))
    }

    fn claims(&self) -> Claims {
        let cnf = match &self.credential {
            BoundCredential::PublicKey(jwk) => Confirmation {
                jwk: Some(jwk.clone()),
                kid: None,
            },
            BoundCredential::Passkey { credential_id } => Confirmation {
                jwk: None,
                kid: Some(credential_id.clone()),
            },
        };
        Claims {
            iss: self.issuer.clone(),
            sub: self.subject.clone(),
            iat: self.issued_at.as_secs(),
            cnf,
            acr: self.level,
            evidence_digest: URL_SAFE_NO_PAD.encode(self.evidence_digest),
            proofing_rule: self.proofing_rule.clone(),
            verified_claims: self.verified_claims.clone(),
        }
    }

    /// Verifies a binding's JWS: its `typ`, an allowed algorithm, the signature by a key of
    /// `jwks` (selected by `kid`), and the issuer.
    ///
    /// # Errors
    ///
    /// [`BindingError::TooLarge`], [`BindingError::Malformed`],
    /// [`BindingError::WrongType`], [`BindingError::AlgorithmNotAllowed`],
    /// [`BindingError::UnknownKey`], [`BindingError::Jose`] (a signature that does not
    /// verify), [`BindingError::IssuerMismatch`].
    pub fn verify(
        jws: &str,
        jwks: &Jwks,
        issuer: &str,
        algorithms: &[JwsAlgorithm],
    ) -> Result<Self, BindingError> {
        if jws.len() > MAX_BINDING_BYTES {
            return Err(BindingError::TooLarge);
        }
        let (signing_input, signature) = jws.rsplit_once('.').ok_or(BindingError::Malformed)?;
        let (header, payload) = signing_input
            .split_once('.')
            .ok_or(BindingError::Malformed)?;
        let header: Header = decode_json(header)?;
        if header.typ.as_deref() != Some(CREDENTIAL_BINDING_TYPE) {
            return Err(BindingError::WrongType);
        }
        let algorithm: JwsAlgorithm = header
            .alg
            .parse()
            .map_err(|_| BindingError::AlgorithmNotAllowed)?;
        if !algorithms.contains(&algorithm) {
            return Err(BindingError::AlgorithmNotAllowed);
        }
        let kid = header.kid.ok_or(BindingError::UnknownKey)?;
        let jwk = jwks.find(&kid).ok_or(BindingError::UnknownKey)?;
        let key = jwk.verifying_key(algorithm).map_err(BindingError::Jose)?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| BindingError::Malformed)?;
        key.verify(signing_input.as_bytes(), &signature)
            .map_err(BindingError::Jose)?;

        let claims: Claims = decode_json(payload)?;
        if claims.iss != issuer {
            return Err(BindingError::IssuerMismatch);
        }
        let credential = match (claims.cnf.jwk, claims.cnf.kid) {
            (Some(jwk), None) => BoundCredential::PublicKey(jwk),
            (None, Some(credential_id)) => BoundCredential::Passkey { credential_id },
            _ => return Err(BindingError::Malformed),
        };
        let evidence_digest = URL_SAFE_NO_PAD
            .decode(&claims.evidence_digest)
            .ok()
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .ok_or(BindingError::Malformed)?;
        Ok(Self {
            issuer: claims.iss,
            subject: claims.sub,
            issued_at: UnixTime::from_secs(claims.iat),
            credential,
            level: claims.acr,
            evidence_digest,
            proofing_rule: claims.proofing_rule,
            verified_claims: claims.verified_claims,
        })
    }

    /// The provider that made the binding.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The person, as the provider's `sub`.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// When the binding was made.
    pub fn issued_at(&self) -> UnixTime {
        self.issued_at
    }

    /// The bound credential.
    pub fn credential(&self) -> &BoundCredential {
        &self.credential
    }

    /// The level of assurance the proofing granted.
    pub fn level(&self) -> LevelOfAssurance {
        self.level
    }

    /// The SHA-256 digest of the evidence the binding rests on.
    pub fn evidence_digest(&self) -> &[u8; 32] {
        &self.evidence_digest
    }

    /// Whether `evidence` is the evidence this binding rests on.
    pub fn rests_on(&self, evidence: &DocumentEvidence) -> bool {
        use subtle::ConstantTimeEq as _;
        bool::from(self.evidence_digest.ct_eq(&evidence.digest()))
    }

    /// The name of the proofing rule that granted the level.
    pub fn proofing_rule(&self) -> &str {
        &self.proofing_rule
    }

    /// The `verified_claims` (OpenID Connect for Identity Assurance) of the proofing.
    pub fn verified_claims(&self) -> &Value {
        &self.verified_claims
    }
}

impl std::fmt::Debug for CredentialBinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialBinding")
            .field("issuer", &self.issuer)
            .field("issued_at", &self.issued_at)
            .field("level", &self.level)
            .field("proofing_rule", &self.proofing_rule)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
    typ: Option<String>,
}

fn decode_json<T: serde::de::DeserializeOwned>(part: &str) -> Result<T, BindingError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| BindingError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| BindingError::Malformed)
}
