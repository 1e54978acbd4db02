//! Active authentication (ICAO 9303 part 11 §6.1): the chip proves it holds the private key of
//! DG15 by signing the terminal's 8-byte challenge.
//!
//! - **RSA**: ISO/IEC 9796-2 digital signature scheme 1 with partial message recovery. The chip
//!   returns `Σ`; `J = Σ^e mod n` (or `n − J`, as ISO/IEC 9796-2 lets the signer send
//!   `min(J^d, n − J^d)`) is `0x6A || M1 || H || T`, where the trailer `T` is `0xBC` (SHA-1) or
//!   `hash-id || 0xCC` (ISO/IEC 10118-3 identifiers: 0x33 SHA-1, 0x34 SHA-256, 0x35 SHA-512,
//!   0x36 SHA-384, 0x38 SHA-224), `M1` the chip's nonce and `H = hash(M1 || challenge)`.
//! - **ECDSA**: a signature over the challenge with the hash DG14's `ActiveAuthenticationInfo`
//!   names (BSI TR-03111 plain `r || s`; a DER signature is accepted too).
//!
//! No recorded challenge/response pair of a real chip is available to the tests: they build
//! responses with generated keys (see `tests/data/emrtd/generated/README.md`), and check that the
//! real DG15 keys parse.

use std::fmt;

use super::digest::DigestAlgorithm;
use super::signature::{PublicKey, SignatureAlgorithm, SignatureError};

/// The ISO/IEC 9796-2 header of scheme 1 with partial recovery and no padding: `01` (start), `1`
/// (partial recovery), `0` (no padding), then the border nibble `A`.
const HEADER_PARTIAL_RECOVERY: u8 = 0x6A;
/// The one-byte trailer, implicitly SHA-1.
const TRAILER_SHA1: u8 = 0xBC;
/// The last byte of a two-byte trailer `hash-id || 0xCC`.
const TRAILER_EXPLICIT: u8 = 0xCC;

/// How the chip proved possession of its key.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActiveAuthMechanism {
    /// RSA with ISO/IEC 9796-2 digital signature scheme 1.
    RsaIso9796Part2,
    /// ECDSA over the challenge.
    Ecdsa,
}

/// A successful active authentication. Built only by [`verify_active_authentication`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActiveAuthOutcome {
    mechanism: ActiveAuthMechanism,
    digest: DigestAlgorithm,
}

impl ActiveAuthOutcome {
    /// The mechanism.
    pub fn mechanism(&self) -> ActiveAuthMechanism {
        self.mechanism
    }

    /// The hash of the signature.
    pub fn digest(&self) -> DigestAlgorithm {
        self.digest
    }
}

impl fmt::Display for ActiveAuthOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mechanism {
            ActiveAuthMechanism::RsaIso9796Part2 => {
                write!(f, "RSA ISO/IEC 9796-2 scheme 1 with {}", self.digest)
            }
            ActiveAuthMechanism::Ecdsa => write!(f, "ECDSA with {}", self.digest),
        }
    }
}

/// Why active authentication failed.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ActiveAuthError {
    /// The response does not prove possession of the key.
    #[error("active authentication signature invalid")]
    Invalid,
    /// The response has the wrong length or structure.
    #[error("malformed active authentication response")]
    Malformed,
    /// The ISO/IEC 9796-2 trailer names a hash we do not support.
    #[error("unsupported ISO/IEC 9796-2 hash identifier {id:#04x}")]
    UnsupportedHash {
        /// The hash identifier of the trailer.
        id: u8,
    },
    /// An EC key needs the hash DG14 names, and none was given.
    #[error("ECDSA active authentication needs the hash named in DG14")]
    EcdsaDigestMissing,
    /// The key or the signature could not be used.
    #[error("active authentication signature: {source}")]
    Signature {
        /// The signature error.
        #[source]
        source: SignatureError,
    },
}

impl ActiveAuthError {
    /// A stable snake_case code for logs and metrics (for [`ActiveAuthError::Signature`], the
    /// code of the signature error).
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Invalid => "signature_invalid",
            Self::Malformed => "malformed",
            Self::UnsupportedHash { .. } => "unsupported_algorithm",
            Self::EcdsaDigestMissing => "ecdsa_digest_missing",
            Self::Signature { source } => source.reason(),
        }
    }
}

impl From<SignatureError> for ActiveAuthError {
    fn from(source: SignatureError) -> Self {
        match source {
            SignatureError::Invalid => Self::Invalid,
            SignatureError::Malformed { .. } => Self::Malformed,
            source => Self::Signature { source },
        }
    }
}

/// Verifies the chip's `response` to the 8-byte `challenge` under the DG15 `key`. RSA keys use
/// ISO/IEC 9796-2 scheme 1 (the hash comes from the trailer); EC keys need `ecdsa_digest`, the
/// hash of DG14's `ActiveAuthenticationInfo` signature algorithm.
///
/// # Errors
/// [`ActiveAuthError::Invalid`] if the response does not verify; [`ActiveAuthError::Malformed`]
/// for a response of the wrong length or structure; [`ActiveAuthError::UnsupportedHash`] for an
/// unknown 9796-2 hash identifier; [`ActiveAuthError::EcdsaDigestMissing`] for an EC key without
/// `ecdsa_digest`.
pub fn verify_active_authentication(
    key: &PublicKey,
    challenge: &[u8; 8],
    response: &[u8],
    ecdsa_digest: Option<DigestAlgorithm>,
) -> Result<ActiveAuthOutcome, ActiveAuthError> {
    if key.curve().is_some() {
        let digest = ecdsa_digest.ok_or(ActiveAuthError::EcdsaDigestMissing)?;
        key.verify(&SignatureAlgorithm::Ecdsa { digest }, challenge, response)?;
        return Ok(ActiveAuthOutcome {
            mechanism: ActiveAuthMechanism::Ecdsa,
            digest,
        });
    }
    let (j, n_minus_j) = key.rsa_public_op(response)?;
    // J ends in the nibble 0xC; n is odd, so at most one of J and n − J does.
    let representative = [j, n_minus_j]
        .into_iter()
        .find(|candidate| candidate.last().is_some_and(|b| b & 0x0F == 0x0C))
        .ok_or(ActiveAuthError::Invalid)?;
    let digest = recover(&representative, challenge)?;
    Ok(ActiveAuthOutcome {
        mechanism: ActiveAuthMechanism::RsaIso9796Part2,
        digest,
    })
}

/// Checks `J = 0x6A || M1 || H || T` and `H = hash(M1 || challenge)`; returns the hash.
fn recover(j: &[u8], challenge: &[u8; 8]) -> Result<DigestAlgorithm, ActiveAuthError> {
    let (&header, rest) = j.split_first().ok_or(ActiveAuthError::Malformed)?;
    if header != HEADER_PARTIAL_RECOVERY {
        return Err(ActiveAuthError::Invalid);
    }
    let (&last, rest) = rest.split_last().ok_or(ActiveAuthError::Malformed)?;
    let (digest, rest) = match last {
        TRAILER_SHA1 => (DigestAlgorithm::Sha1, rest),
        TRAILER_EXPLICIT => {
            let (&id, rest) = rest.split_last().ok_or(ActiveAuthError::Malformed)?;
            let digest = match id {
                0x33 => DigestAlgorithm::Sha1,
                0x34 => DigestAlgorithm::Sha256,
                0x35 => DigestAlgorithm::Sha512,
                0x36 => DigestAlgorithm::Sha384,
                0x38 => DigestAlgorithm::Sha224,
                _ => return Err(ActiveAuthError::UnsupportedHash { id }),
            };
            (digest, rest)
        }
        _ => return Err(ActiveAuthError::Invalid),
    };
    let split = rest
        .len()
        .checked_sub(digest.output_len())
        .ok_or(ActiveAuthError::Malformed)?;
    let (m1, hash) = rest.split_at(split);
    let mut message = Vec::with_capacity(m1.len() + challenge.len());
    message.extend_from_slice(m1);
    message.extend_from_slice(challenge);
    if digest.digest(&message) == hash {
        Ok(digest)
    } else {
        Err(ActiveAuthError::Invalid)
    }
}

#[cfg(test)]
mod tests;
