//! The bridge to [`crate::emrtd::signature`]: keys and signature checks by dotted OIDs.

use crate::emrtd::digest::DigestAlgorithm;
use crate::emrtd::signature::{PublicKey, SignatureAlgorithm, SignatureError};

/// Why a key could not be used or a signature did not verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CryptoFailure {
    /// The key or the signature bytes are malformed.
    Malformed,
    /// The algorithm, the curve or the key is not supported.
    Unsupported,
    /// The signature does not verify.
    Invalid,
}

impl From<SignatureError> for CryptoFailure {
    fn from(error: SignatureError) -> Self {
        match error {
            SignatureError::Invalid | SignatureError::AlgorithmKeyMismatch => Self::Invalid,
            SignatureError::Malformed { .. } | SignatureError::InputTooLarge { .. } => {
                Self::Malformed
            }
            _ => Self::Unsupported,
        }
    }
}

/// A public key able to verify signatures.
#[derive(Debug)]
pub(crate) struct Key(PublicKey);

impl Key {
    /// From a DER SubjectPublicKeyInfo.
    pub(crate) fn from_spki_der(spki: &[u8]) -> Result<Self, CryptoFailure> {
        Ok(Self(PublicKey::from_spki_der(spki)?))
    }

    /// Verifies `signature` over `message` with the algorithm `oid` (`params` the DER of its
    /// parameters); `digest_hint` is the CMS digest algorithm for bare key OIDs.
    pub(crate) fn verify(
        &self,
        oid: &str,
        params: Option<&[u8]>,
        digest_hint: Option<DigestAlgorithm>,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), CryptoFailure> {
        let algorithm = SignatureAlgorithm::from_algorithm_identifier(oid, params, digest_hint)?;
        Ok(self.0.verify(&algorithm, message, signature)?)
    }
}
