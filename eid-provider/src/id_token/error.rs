//! Errors of token minting.

use eid_core::jose::{JoseError, JwsAlgorithm};

/// Why a token could not be minted.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum MintError {
    /// `auth_time` is later than `now`.
    #[error("auth_time is later than the issue time")]
    AuthTimeInFuture,
    /// The audience (client id) is empty.
    #[error("the audience is empty")]
    EmptyAudience,
    /// A subject is not 1 to 255 printable ASCII characters (OpenID Connect Core §2).
    #[error("a subject must be 1 to 255 printable ASCII characters")]
    InvalidSubject,
    /// The key ring has no current key for the algorithm.
    #[error("no current signing key for {algorithm}")]
    NoSigningKey {
        /// The algorithm asked for.
        algorithm: JwsAlgorithm,
    },
    /// The random generator failed (for a `jti`).
    #[error("the random generator failed")]
    Random,
    /// An identity claim would overwrite a protocol claim.
    #[error("identity claims must not contain the protocol claim {name}")]
    ReservedClaim {
        /// The claim name.
        name: String,
    },
    /// Signing failed.
    #[error("signing the token failed")]
    Signing(#[source] JoseError),
    /// There is no `at_hash` definition for the algorithm.
    #[error("no at_hash definition for {algorithm}")]
    UnsupportedHashAlgorithm {
        /// The algorithm.
        algorithm: JwsAlgorithm,
    },
    /// The lifetime is zero.
    #[error("a token lifetime must be positive")]
    ZeroLifetime,
}

impl MintError {
    /// A stable snake_case code for this error, for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::AuthTimeInFuture => "auth_time_in_future",
            Self::EmptyAudience => "empty_audience",
            Self::InvalidSubject => "invalid_subject",
            Self::NoSigningKey { .. } => "no_signing_key",
            Self::Random => "random_failed",
            Self::ReservedClaim { .. } => "reserved_claim",
            Self::Signing(_) => "signing_failed",
            Self::UnsupportedHashAlgorithm { .. } => "unsupported_hash_algorithm",
            Self::ZeroLifetime => "zero_lifetime",
        }
    }
}
