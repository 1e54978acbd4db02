//! The ID-token verification error.

use crate::assurance::{AssuranceError, LevelOfAssurance};
use crate::clock::UnixTime;
use crate::jose::{JoseError, JwsAlgorithm};

/// The part of a compact JWS that is malformed.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenPart {
    /// The protected header: not base64url, or not a JSON header with a string `alg`.
    Header,
    /// The payload: not base64url, or not a JSON object.
    Payload,
    /// The signature: not base64url.
    Signature,
    /// Not three `.`-separated parts.
    Structure,
}

/// Why an ID token was rejected, or a verifier could not be built. One variant per failure.
///
/// Messages never contain claim values (no personal data, no nonce).
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum IdTokenError {
    /// A level of assurance is required and the token has no `acr`.
    #[error("the ID token has no acr")]
    AcrMissing,
    /// The asserted `acr` does not satisfy the requirement.
    #[error("acr {asserted} does not satisfy the requirement")]
    AcrNotSatisfied {
        /// The level the token asserts.
        asserted: LevelOfAssurance,
    },
    /// A level of assurance is required and the `acr` is not one eid knows.
    #[error("unknown acr")]
    AcrUnknown(#[source] AssuranceError),
    /// The header `alg` is one eid accepts, but not one this verifier allows.
    #[error("algorithm {algorithm} is not allowed")]
    AlgorithmNotAllowed {
        /// The header's algorithm.
        algorithm: JwsAlgorithm,
    },
    /// The header `alg` is `none`, HMAC, or not a JWS algorithm eid accepts.
    #[error("unsupported algorithm")]
    AlgorithmUnsupported(#[source] JoseError),
    /// The header has no `kid` and several keys fit the algorithm.
    #[error("no kid and several keys fit")]
    AmbiguousKey,
    /// `aud` does not contain the client id.
    #[error("the ID token is not for this client")]
    AudienceMismatch,
    /// `azp` is present and is not the client id.
    #[error("azp is not this client")]
    AzpMismatch,
    /// `aud` has several values and `azp` is missing.
    #[error("several audiences and no azp")]
    AzpMissing,
    /// The header has a `crit` member: eid understands no JWS extension.
    #[error("critical header extensions are not supported")]
    CriticalHeader,
    /// A verifier was asked for with an empty client id.
    #[error("the client id is empty")]
    EmptyClientId,
    /// A verifier was asked for with an empty issuer.
    #[error("the issuer is empty")]
    EmptyIssuer,
    /// `exp` has passed (beyond the clock skew).
    #[error("expired at {expires_at} (now {now})")]
    Expired {
        /// The token's `exp`.
        expires_at: UnixTime,
        /// The time of the check.
        now: UnixTime,
    },
    /// A claim has the wrong JSON type or an invalid value.
    #[error("claim `{claim}` is invalid")]
    InvalidClaim {
        /// The claim name.
        claim: &'static str,
    },
    /// `iat` is in the future (beyond the clock skew).
    #[error("issued in the future at {issued_at} (now {now})")]
    IssuedInFuture {
        /// The token's `iat`.
        issued_at: UnixTime,
        /// The time of the check.
        now: UnixTime,
    },
    /// `iss` is not exactly the expected issuer.
    #[error("issuer mismatch")]
    IssuerMismatch,
    /// The header `kid` names a key that is not for the header's algorithm.
    #[error("the key named by kid is not for {algorithm}")]
    KeyAlgorithmMismatch {
        /// The header's algorithm.
        algorithm: JwsAlgorithm,
    },
    /// The token is not a well-formed compact JWS with a JSON object payload.
    #[error("malformed ID token ({part:?})")]
    Malformed {
        /// Where.
        part: TokenPart,
    },
    /// A required claim is missing.
    #[error("claim `{claim}` is missing")]
    MissingClaim {
        /// The claim name.
        claim: &'static str,
    },
    /// A verifier was asked for with an empty algorithm list.
    #[error("no algorithm allowed")]
    NoAlgorithms,
    /// A nonce was sent and the token's `nonce` differs.
    #[error("nonce mismatch")]
    NonceMismatch,
    /// A nonce was sent and the token has none.
    #[error("the ID token has no nonce")]
    NonceMissing,
    /// `nbf` is in the future (beyond the clock skew).
    #[error("not valid before {not_before} (now {now})")]
    NotYetValid {
        /// The token's `nbf`.
        not_before: UnixTime,
        /// The time of the check.
        now: UnixTime,
    },
    /// No key of the JWK Set fits any allowed algorithm.
    #[error("no key of the JWK Set fits the allowed algorithms")]
    NoUsableKey,
    /// The signature does not verify.
    #[error("invalid signature")]
    SignatureInvalid,
    /// The token is longer than [`MAX_ID_TOKEN_BYTES`](super::MAX_ID_TOKEN_BYTES).
    #[error("ID token of {size} bytes exceeds the limit of {max}")]
    TooLarge {
        /// Its length in bytes.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The header `typ` is not `JWT` (an access token, logout token, … is not an ID token).
    #[error("header typ is not JWT")]
    TypeNotAllowed,
    /// No key fits the header's `kid` (or, without `kid`, the algorithm).
    #[error("unknown key")]
    UnknownKey,
    /// `aud` contains an audience the client does not trust.
    #[error("untrusted extra audience")]
    UntrustedAudience,
}

impl IdTokenError {
    /// A stable snake_case code for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::AcrMissing => "acr_missing",
            Self::AcrNotSatisfied { .. } => "acr_not_satisfied",
            Self::AcrUnknown(_) => "acr_unknown",
            Self::AlgorithmNotAllowed { .. } => "algorithm_not_allowed",
            Self::AlgorithmUnsupported(_) => "algorithm_unsupported",
            Self::AmbiguousKey => "ambiguous_key",
            Self::AudienceMismatch => "audience_mismatch",
            Self::AzpMismatch => "azp_mismatch",
            Self::AzpMissing => "azp_missing",
            Self::CriticalHeader => "critical_header",
            Self::EmptyClientId => "empty_client_id",
            Self::EmptyIssuer => "empty_issuer",
            Self::Expired { .. } => "expired",
            Self::InvalidClaim { .. } => "invalid_claim",
            Self::IssuedInFuture { .. } => "issued_in_future",
            Self::IssuerMismatch => "issuer_mismatch",
            Self::KeyAlgorithmMismatch { .. } => "key_algorithm_mismatch",
            Self::Malformed { .. } => "malformed",
            Self::MissingClaim { .. } => "missing_claim",
            Self::NoAlgorithms => "no_algorithms",
            Self::NonceMismatch => "nonce_mismatch",
            Self::NonceMissing => "nonce_missing",
            Self::NotYetValid { .. } => "not_yet_valid",
            Self::NoUsableKey => "no_usable_key",
            Self::SignatureInvalid => "signature_invalid",
            Self::TooLarge { .. } => "too_large",
            Self::TypeNotAllowed => "type_not_allowed",
            Self::UnknownKey => "unknown_key",
            Self::UntrustedAudience => "untrusted_audience",
        }
    }
}
