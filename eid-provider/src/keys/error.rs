//! Errors of the key ring.

use eid_core::jose::{JoseError, JwsAlgorithm};

/// Why a [`KeyRing`](super::KeyRing) could not be built or rotated.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Two keys of one generation (current or next) sign with the same algorithm.
    #[error("two keys of one generation sign with {algorithm}")]
    DuplicateAlgorithm {
        /// The algorithm.
        algorithm: JwsAlgorithm,
    },
    /// A key id occurs twice in the ring (the same key given twice).
    #[error("key id {kid} occurs twice in the key ring")]
    DuplicateKeyId {
        /// The key id (a public thumbprint).
        kid: String,
    },
    /// Generating an ephemeral key failed.
    #[error("generating an {algorithm} key failed")]
    Generation {
        /// The algorithm of the key.
        algorithm: JwsAlgorithm,
        /// The cause.
        #[source]
        source: JoseError,
    },
    /// The JWK Set could not be built.
    #[error("the JWK Set could not be built")]
    Jwks(#[source] JoseError),
    /// A ring needs at least one current key.
    #[error("a key ring needs at least one current key")]
    NoCurrentKey,
    /// Rotation needs next keys to promote.
    #[error("no next keys to rotate to")]
    NoNextKey,
    /// A current algorithm has no next key to rotate to.
    #[error("no next key for {algorithm}")]
    NoSuccessor {
        /// The algorithm without a successor.
        algorithm: JwsAlgorithm,
    },
    /// More keys than a JWK Set may publish.
    #[error("{count} keys exceed the {max} a JWK Set may publish")]
    TooManyKeys {
        /// The number of keys.
        count: usize,
        /// The limit.
        max: usize,
    },
}

impl KeyError {
    /// A stable snake_case code for this error, for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::DuplicateAlgorithm { .. } => "duplicate_algorithm",
            Self::DuplicateKeyId { .. } => "duplicate_key_id",
            Self::Generation { .. } => "key_generation_failed",
            Self::Jwks(_) => "jwks_invalid",
            Self::NoCurrentKey => "no_current_key",
            Self::NoNextKey => "no_next_key",
            Self::NoSuccessor { .. } => "no_successor",
            Self::TooManyKeys { .. } => "too_many_keys",
        }
    }
}
