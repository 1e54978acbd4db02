//! The bridge to [`crate::emrtd::signature`]: keys and signature checks by dotted OIDs.

use crate::emrtd::digest::DigestAlgorithm;

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

/// A public key able to verify signatures.
#[derive(Debug)]
pub(crate) struct Key(());

impl Key {
    /// From a DER SubjectPublicKeyInfo.
    pub(crate) fn from_spki_der(_spki: &[u8]) -> Result<Self, CryptoFailure> {
        Err(CryptoFailure::Unsupported)
    }

    /// Verifies `signature` over `message` with the algorithm `oid` (`params` the DER of its
    /// parameters); `digest_hint` is the CMS digest algorithm for bare key OIDs.
    pub(crate) fn verify(
        &self,
        _oid: &str,
        _params: Option<&[u8]>,
        _digest_hint: Option<DigestAlgorithm>,
        _message: &[u8],
        _signature: &[u8],
    ) -> Result<(), CryptoFailure> {
        Err(CryptoFailure::Unsupported)
    }
}
