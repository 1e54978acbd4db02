//! The JOSE error type.

use super::{JwsAlgorithm, KeyType};

/// Why a JOSE operation (loading a key, parsing a JWK Set, signing) failed.
///
/// Messages never contain key material.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum JoseError {
    /// The key is not of the kind the algorithm needs (an RSA key for ES256, a P-384 key for
    /// ES256, …).
    #[error("{algorithm} needs a {expected:?} key, not a {found:?} key")]
    AlgorithmKeyMismatch {
        /// The algorithm.
        algorithm: JwsAlgorithm,
        /// The key type the algorithm needs.
        expected: KeyType,
        /// The key type found.
        found: KeyType,
    },
    /// The algorithm `none` (an unsigned JWS) is never accepted.
    #[error("the algorithm `none` is never accepted")]
    AlgorithmNone,
    /// HMAC algorithms (`HS256`, …) are not accepted for signatures made with JWKs.
    #[error("HMAC algorithms are not accepted")]
    AlgorithmSymmetric,
    /// An algorithm name that eid does not accept (unknown, or not on eid's list).
    #[error("unsupported JWS algorithm")]
    AlgorithmUnsupported,
    /// A member is not valid unpadded base64url.
    #[error("`{member}` is not valid unpadded base64url")]
    Base64 {
        /// The JWK member.
        member: &'static str,
    },
    /// Two keys of a JWK Set have the same `kid`.
    #[error("JWK Set key {index} repeats an earlier `kid`")]
    DuplicateKeyId {
        /// The position of the second key in the set.
        index: usize,
    },
    /// Another `jsonwebtoken` crypto provider was installed in this process before ours.
    #[error("another jsonwebtoken crypto provider is already installed")]
    ForeignCryptoProvider,
    /// A key of a JWK Set is invalid.
    #[error("JWK Set key {index} is invalid")]
    InvalidJwksKey {
        /// The position of the key in the set.
        index: usize,
        /// What is wrong with it.
        #[source]
        source: Box<JoseError>,
    },
    /// A key member has the wrong length.
    #[error("`{member}` is {found} bytes long, expected {expected}")]
    InvalidKeyLength {
        /// The JWK member.
        member: &'static str,
        /// The length the key type needs.
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// The input is not the JSON expected.
    #[error("invalid JSON")]
    Json(#[source] serde_json::Error),
    /// The JWK Set document is larger than the limit.
    #[error("JWK Set document of {size} bytes exceeds the limit of {max}")]
    JwksTooLarge {
        /// Its size in bytes.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The random number generator failed while generating a key.
    #[error("key generation failed")]
    KeyGeneration,
    /// Keys for this algorithm are loaded, never generated (RSA).
    #[error("keys for {algorithm} are loaded, not generated")]
    KeyGenerationUnsupported {
        /// The algorithm.
        algorithm: JwsAlgorithm,
    },
    /// The key's own `alg` member names another algorithm.
    #[error("the key is declared for {declared}, not {algorithm}")]
    KeyAlgorithmMismatch {
        /// The algorithm asked for.
        algorithm: JwsAlgorithm,
        /// The key's `alg`.
        declared: JwsAlgorithm,
    },
    /// ring rejected the key (malformed, wrong curve, inconsistent, wrong size, …).
    #[error("key rejected: {detail}")]
    KeyRejected {
        /// ring's description of the problem (`TooSmall`, `WrongAlgorithm`, …).
        detail: String,
    },
    /// A required JWK member is missing.
    #[error("JWK member `{member}` is missing")]
    MissingMember {
        /// The member.
        member: &'static str,
    },
    /// The PEM document is not a PKCS#8 `PRIVATE KEY`.
    #[error("PEM label `{label}` is not `PRIVATE KEY` (unencrypted PKCS#8)")]
    NotPkcs8 {
        /// The label found.
        label: String,
    },
    /// The input is not PEM.
    #[error("invalid PEM")]
    Pem(#[source] pem::PemError),
    /// A JWK meant to be public has a private member (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`,
    /// `k`).
    #[error("JWK has the private member `{member}`")]
    PrivateKeyMaterial {
        /// The member.
        member: &'static str,
    },
    /// An RSA modulus is larger than eid accepts (8192 bits).
    #[error("RSA modulus of {bits} bits is larger than 8192")]
    RsaModulusTooLarge {
        /// The modulus size in bits.
        bits: usize,
    },
    /// An RSA modulus is smaller than eid accepts (2048 bits).
    #[error("RSA modulus of {bits} bits is smaller than 2048")]
    RsaModulusTooSmall {
        /// The modulus size in bits.
        bits: usize,
    },
    /// The claims could not be serialised to JSON.
    #[error("could not serialise the claims")]
    Serialization(#[source] serde_json::Error),
    /// The signature does not verify.
    #[error("invalid signature")]
    SignatureInvalid,
    /// ring failed to sign.
    #[error("signing failed")]
    Signing,
    /// A symmetric key (`"kty": "oct"`) in a public JWK Set.
    #[error("symmetric keys are never public")]
    SymmetricKey,
    /// The JWK Set has more keys than the limit.
    #[error("JWK Set of {count} keys exceeds the limit of {max}")]
    TooManyKeys {
        /// The number of keys.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// An elliptic curve eid does not accept.
    #[error("unsupported curve")]
    UnsupportedCurve,
    /// A key type eid does not accept.
    #[error("unsupported key type")]
    UnsupportedKeyType,
    /// A `use` value other than `sig` or `enc`.
    #[error("unsupported key use")]
    UnsupportedKeyUse,
}

impl JoseError {
    /// A stable snake_case code for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::AlgorithmKeyMismatch { .. } => "algorithm_key_mismatch",
            Self::AlgorithmNone => "algorithm_none",
            Self::AlgorithmSymmetric => "algorithm_symmetric",
            Self::AlgorithmUnsupported => "algorithm_unsupported",
            Self::Base64 { .. } => "invalid_base64",
            Self::DuplicateKeyId { .. } => "duplicate_kid",
            Self::ForeignCryptoProvider => "foreign_crypto_provider",
            Self::InvalidJwksKey { .. } => "invalid_jwks_key",
            Self::InvalidKeyLength { .. } => "invalid_key_length",
            Self::Json(_) => "invalid_json",
            Self::JwksTooLarge { .. } => "jwks_too_large",
            Self::KeyGeneration => "key_generation_failed",
            Self::KeyGenerationUnsupported { .. } => "key_generation_unsupported",
            Self::KeyAlgorithmMismatch { .. } => "key_algorithm_mismatch",
            Self::KeyRejected { .. } => "key_rejected",
            Self::MissingMember { .. } => "missing_member",
            Self::NotPkcs8 { .. } => "not_pkcs8",
            Self::Pem(_) => "invalid_pem",
            Self::PrivateKeyMaterial { .. } => "private_key_material",
            Self::RsaModulusTooLarge { .. } => "rsa_modulus_too_large",
            Self::RsaModulusTooSmall { .. } => "rsa_modulus_too_small",
            Self::Serialization(_) => "serialization_failed",
            Self::SignatureInvalid => "signature_invalid",
            Self::Signing => "signing_failed",
            Self::SymmetricKey => "symmetric_key",
            Self::TooManyKeys { .. } => "too_many_keys",
            Self::UnsupportedCurve => "unsupported_curve",
            Self::UnsupportedKeyType => "unsupported_key_type",
            Self::UnsupportedKeyUse => "unsupported_key_use",
        }
    }
}
