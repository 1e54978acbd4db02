//! The ID-token verifier.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Map, Value};
use subtle::ConstantTimeEq as _;

use super::{IdTokenError, TokenPart, VerifiedIdToken};
use crate::assurance::{AssurancePolicy, LevelOfAssurance, Requirement};
use crate::clock::UnixTime;
use crate::jose::{Jwks, JwsAlgorithm, VerifyingKey};

/// The longest ID token accepted: 16 KiB.
pub const MAX_ID_TOKEN_BYTES: usize = 16 * 1024;

/// The clock skew allowed by default on `exp`, `iat` and `nbf`: 60 seconds.
pub const DEFAULT_CLOCK_SKEW: Duration = Duration::from_secs(60);

/// The largest clock skew a verifier allows: 300 seconds.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(300);

/// The longest `sub` accepted (OpenID Connect Core §2: at most 255 ASCII characters).
const MAX_SUBJECT_LEN: usize = 255;

/// Verifies ID tokens from one issuer for one client. Build it once (it decodes the keys) and
/// share it; [`verify`](Self::verify) takes `&self`.
///
/// Strict by default: explicit algorithms, `iss`, `aud`, `exp`, `iat` and `sub` required,
/// extra audiences rejected unless trusted, the nonce checked when one is expected.
#[derive(Clone)]
pub struct IdTokenVerifier {
    issuer: String,
    client_id: String,
    trusted_audiences: Vec<String>,
    algorithms: Vec<JwsAlgorithm>,
    keys: Vec<VerifierKey>,
    nonce: Option<String>,
    requirement: Option<Requirement>,
    policy: Option<AssurancePolicy>,
    max_clock_skew: Duration,
}

/// One JWK bound to one allowed algorithm.
#[derive(Clone)]
struct VerifierKey {
    kid: Option<String>,
    key: VerifyingKey,
}

/// The protected header members eid looks at.
#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
    typ: Option<String>,
    crit: Option<IgnoredAny>,
}

impl IdTokenVerifier {
    /// A verifier for tokens issued by `issuer` (compared as an exact string) to `client_id`,
    /// signed by a key of `jwks` with one of `algorithms`.
    ///
    /// Each key is decoded here once, for each allowed algorithm it fits.
    ///
    /// # Errors
    ///
    /// [`IdTokenError::EmptyIssuer`], [`IdTokenError::EmptyClientId`],
    /// [`IdTokenError::NoAlgorithms`], or [`IdTokenError::NoUsableKey`] if no key of `jwks`
    /// fits an allowed algorithm.
    pub fn new(
        issuer: &str,
        client_id: &str,
        jwks: &Jwks,
        algorithms: &[JwsAlgorithm],
    ) -> Result<Self, IdTokenError> {
        if issuer.is_empty() {
            return Err(IdTokenError::EmptyIssuer);
        }
        if client_id.is_empty() {
            return Err(IdTokenError::EmptyClientId);
        }
        if algorithms.is_empty() {
            return Err(IdTokenError::NoAlgorithms);
        }
        let mut allowed: Vec<JwsAlgorithm> = Vec::with_capacity(algorithms.len());
        for &algorithm in algorithms {
            if !allowed.contains(&algorithm) {
                allowed.push(algorithm);
            }
        }
        let keys: Vec<VerifierKey> = jwks
            .keys()
            .iter()
            .flat_map(|jwk| {
                allowed
                    .iter()
                    .filter(|&&algorithm| jwk.supports(algorithm))
                    .filter_map(|&algorithm| jwk.verifying_key(algorithm).ok())
                    .map(|key| VerifierKey {
                        kid: jwk.kid().map(str::to_owned),
                        key,
                    })
            })
            .collect();
        if keys.is_empty() {
            return Err(IdTokenError::NoUsableKey);
        }
        Ok(Self {
            issuer: issuer.to_owned(),
            client_id: client_id.to_owned(),
            trusted_audiences: Vec::new(),
            algorithms: allowed,
            keys,
            nonce: None,
            requirement: None,
            policy: None,
            max_clock_skew: DEFAULT_CLOCK_SKEW,
        })
    }

    /// Requires the token's `nonce` to equal `nonce` (the one sent in the authentication
    /// request). Compared in constant time.
    #[must_use]
    pub fn expect_nonce(mut self, nonce: &str) -> Self {
        self.nonce = Some(nonce.to_owned());
        self
    }

    /// Requires the token's `acr` to satisfy `requirement`.
    #[must_use]
    pub fn require(mut self, requirement: Requirement) -> Self {
        self.requirement = Some(requirement);
        self
    }

    /// Also accepts, for the requirement, the equivalences `policy` declares
    /// ([`Requirement::is_satisfied_by_with`]).
    #[must_use]
    pub fn assurance_policy(mut self, policy: AssurancePolicy) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Trusts `audience` as an extra `aud` value besides the client id. Untrusted extra
    /// audiences are rejected (OpenID Connect Core §3.1.3.7, item 3).
    #[must_use]
    pub fn trust_audience(mut self, audience: &str) -> Self {
        self.trusted_audiences.push(audience.to_owned());
        self
    }

    /// Sets the clock skew allowed on `exp`, `iat` and `nbf` (default
    /// [`DEFAULT_CLOCK_SKEW`]), clamped to at most [`MAX_CLOCK_SKEW`].
    #[must_use]
    pub fn max_clock_skew(mut self, skew: Duration) -> Self {
        self.max_clock_skew = skew.min(MAX_CLOCK_SKEW);
        self
    }

    /// The clock skew in force.
    pub fn clock_skew(&self) -> Duration {
        self.max_clock_skew
    }

    /// Verifies `token` (a compact JWS) at time `now`.
    ///
    /// # Errors
    ///
    /// The first check that fails, as its own [`IdTokenError`] variant (see the
    /// [module documentation](super) for the order).
    pub fn verify(&self, token: &str, now: UnixTime) -> Result<VerifiedIdToken, IdTokenError> {
        if token.len() > MAX_ID_TOKEN_BYTES {
            return Err(IdTokenError::TooLarge {
                size: token.len(),
                max: MAX_ID_TOKEN_BYTES,
            });
        }
        let mut parts = token.split('.');
        let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed(TokenPart::Structure));
        };

        let header: Header = URL_SAFE_NO_PAD
            .decode(header_b64)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or(malformed(TokenPart::Header))?;
        let algorithm: JwsAlgorithm = header
            .alg
            .parse()
            .map_err(IdTokenError::AlgorithmUnsupported)?;
        if !self.algorithms.contains(&algorithm) {
            return Err(IdTokenError::AlgorithmNotAllowed { algorithm });
        }
        if header.crit.is_some() {
            return Err(IdTokenError::CriticalHeader);
        }
        if !header.typ.as_deref().is_none_or(is_jwt_type) {
            return Err(IdTokenError::TypeNotAllowed);
        }
        let key = self.select_key(header.kid.as_deref(), algorithm)?;

        let signature = URL_SAFE_NO_PAD
            .decode(signature_b64)
            .map_err(|_| malformed(TokenPart::Signature))?;
        let signing_input_len = header_b64.len() + 1 + payload_b64.len();
        let signing_input = token
            .as_bytes()
            .get(..signing_input_len)
            .ok_or(malformed(TokenPart::Structure))?;
        key.verify(signing_input, &signature)
            .map_err(|_| IdTokenError::SignatureInvalid)?;

        let claims: Map<String, Value> = URL_SAFE_NO_PAD
            .decode(payload_b64)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or(malformed(TokenPart::Payload))?;
        self.check_claims(algorithm, claims, now)
    }

    fn select_key(
        &self,
        kid: Option<&str>,
        algorithm: JwsAlgorithm,
    ) -> Result<&VerifyingKey, IdTokenError> {
        let mut fitting = self
            .keys
            .iter()
            .filter(|candidate| candidate.key.algorithm() == algorithm);
        match kid {
            Some(kid) => {
                if let Some(found) = fitting.find(|candidate| candidate.kid.as_deref() == Some(kid))
                {
                    return Ok(&found.key);
                }
                if self
                    .keys
                    .iter()
                    .any(|candidate| candidate.kid.as_deref() == Some(kid))
                {
                    return Err(IdTokenError::KeyAlgorithmMismatch { algorithm });
                }
                Err(IdTokenError::UnknownKey)
            }
            None => match (fitting.next(), fitting.next()) {
                (Some(only), None) => Ok(&only.key),
                (Some(_), Some(_)) => Err(IdTokenError::AmbiguousKey),
                (None, _) => Err(IdTokenError::UnknownKey),
            },
        }
    }

    fn check_claims(
        &self,
        algorithm: JwsAlgorithm,
        claims: Map<String, Value>,
        now: UnixTime,
    ) -> Result<VerifiedIdToken, IdTokenError> {
        // iss: exact string match.
        let issuer = required_string(&claims, "iss")?;
        if issuer != self.issuer {
            return Err(IdTokenError::IssuerMismatch);
        }

        // aud and azp.
        let audiences = audiences(&claims)?;
        if !audiences.iter().any(|audience| *audience == self.client_id) {
            return Err(IdTokenError::AudienceMismatch);
        }
        if audiences.iter().any(|audience| {
            *audience != self.client_id
                && !self
                    .trusted_audiences
                    .iter()
                    .any(|trusted| trusted == audience)
        }) {
            return Err(IdTokenError::UntrustedAudience);
        }
        match optional_string(&claims, "azp")? {
            Some(azp) if azp != self.client_id => return Err(IdTokenError::AzpMismatch),
            None if audiences.len() > 1 => return Err(IdTokenError::AzpMissing),
            _ => {}
        }

        // exp, iat, nbf.
        let skew = self.max_clock_skew;
        let expires_at =
            optional_time(&claims, "exp")?.ok_or(IdTokenError::MissingClaim { claim: "exp" })?;
        if now.saturating_sub(skew) >= expires_at {
            return Err(IdTokenError::Expired { expires_at, now });
        }
        let issued_at =
            optional_time(&claims, "iat")?.ok_or(IdTokenError::MissingClaim { claim: "iat" })?;
        if issued_at > now.saturating_add(skew) {
            return Err(IdTokenError::IssuedInFuture { issued_at, now });
        }
        if let Some(not_before) = optional_time(&claims, "nbf")?
            && not_before > now.saturating_add(skew)
        {
            return Err(IdTokenError::NotYetValid { not_before, now });
        }

        // sub.
        let subject = required_string(&claims, "sub")?;
        if subject.is_empty() || subject.len() > MAX_SUBJECT_LEN {
            return Err(IdTokenError::InvalidClaim { claim: "sub" });
        }

        // nonce.
        let nonce = optional_string(&claims, "nonce")?;
        if let Some(expected) = &self.nonce {
            let actual = nonce.ok_or(IdTokenError::NonceMissing)?;
            if !bool::from(actual.as_bytes().ct_eq(expected.as_bytes())) {
                return Err(IdTokenError::NonceMismatch);
            }
        }

        // acr.
        let acr = self.check_acr(optional_string(&claims, "acr")?)?;
        let auth_time = optional_time(&claims, "auth_time")?;

        Ok(VerifiedIdToken {
            algorithm,
            issuer: issuer.to_owned(),
            subject: subject.to_owned(),
            audiences: audiences.into_iter().map(str::to_owned).collect(),
            acr,
            auth_time,
            expires_at,
            issued_at,
            nonce: nonce.map(str::to_owned),
            claims,
        })
    }

    fn check_acr(&self, acr: Option<&str>) -> Result<Option<LevelOfAssurance>, IdTokenError> {
        let Some(requirement) = &self.requirement else {
            return Ok(acr.and_then(|acr| acr.parse().ok()));
        };
        let asserted: LevelOfAssurance = acr
            .ok_or(IdTokenError::AcrMissing)?
            .parse()
            .map_err(IdTokenError::AcrUnknown)?;
        let satisfied = match &self.policy {
            Some(policy) => requirement.is_satisfied_by_with(asserted, policy),
            None => requirement.is_satisfied_by(asserted),
        };
        if !satisfied {
            return Err(IdTokenError::AcrNotSatisfied { asserted });
        }
        Ok(Some(asserted))
    }
}

impl fmt::Debug for IdTokenVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdTokenVerifier")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("trusted_audiences", &self.trusted_audiences)
            .field("algorithms", &self.algorithms)
            .field("keys", &self.keys.len())
            .field("nonce", &self.nonce.as_ref().map(|_| "[redacted]"))
            .field("requirement", &self.requirement)
            .field("policy", &self.policy)
            .field("max_clock_skew", &self.max_clock_skew)
            .finish()
    }
}

fn malformed(part: TokenPart) -> IdTokenError {
    IdTokenError::Malformed { part }
}

/// `typ` values meaning a plain JWT (RFC 7519 §5.1; media types compare case-insensitively and
/// may omit `application/`).
fn is_jwt_type(typ: &str) -> bool {
    typ.eq_ignore_ascii_case("JWT") || typ.eq_ignore_ascii_case("application/jwt")
}

fn optional_string<'a>(
    claims: &'a Map<String, Value>,
    claim: &'static str,
) -> Result<Option<&'a str>, IdTokenError> {
    match claims.get(claim) {
        None => Ok(None),
        Some(Value::String(value)) => Ok(Some(value)),
        Some(_) => Err(IdTokenError::InvalidClaim { claim }),
    }
}

fn required_string<'a>(
    claims: &'a Map<String, Value>,
    claim: &'static str,
) -> Result<&'a str, IdTokenError> {
    optional_string(claims, claim)?.ok_or(IdTokenError::MissingClaim { claim })
}

/// 2^64, the first `f64` past `u64::MAX`.
const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;

/// A JWT `NumericDate`: non-negative seconds, possibly fractional (truncated).
fn optional_time(
    claims: &Map<String, Value>,
    claim: &'static str,
) -> Result<Option<UnixTime>, IdTokenError> {
    let Some(value) = claims.get(claim) else {
        return Ok(None);
    };
    let invalid = IdTokenError::InvalidClaim { claim };
    let Value::Number(number) = value else {
        return Err(invalid);
    };
    if let Some(secs) = number.as_u64() {
        return Ok(Some(UnixTime::from_secs(secs)));
    }
    match number.as_f64() {
        // Checked non-negative and below 2^64 (so finite) first: the cast is exact after `trunc`.
        Some(secs) if (0.0..TWO_POW_64).contains(&secs) => {
            Ok(Some(UnixTime::from_secs(secs.trunc() as u64)))
        }
        _ => Err(invalid),
    }
}

/// `aud`: one string or a non-empty array of strings.
fn audiences(claims: &Map<String, Value>) -> Result<Vec<&str>, IdTokenError> {
    let invalid = IdTokenError::InvalidClaim { claim: "aud" };
    match claims.get("aud") {
        None => Err(IdTokenError::MissingClaim { claim: "aud" }),
        Some(Value::String(audience)) => Ok(vec![audience.as_str()]),
        Some(Value::Array(values)) if !values.is_empty() => values
            .iter()
            .map(|value| {
                value
                    .as_str()
                    .ok_or(IdTokenError::InvalidClaim { claim: "aud" })
            })
            .collect(),
        Some(_) => Err(invalid),
    }
}
