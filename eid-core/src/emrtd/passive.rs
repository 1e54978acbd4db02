//! Passive authentication (ICAO 9303 part 11 §5.1): the EF.SOD signature by a document signer
//! (DS), the DS certificate's chain to a trusted CSCA, and the data-group hashes.
//!
//! [`PassiveAuthenticator::verify`] does all of it and returns a [`PassiveAuthProof`], which
//! nothing else can build. The steps, in order, each with its own error:
//!
//! 1. the signer: exactly one `SignerInfo`, whose certificate (by issuer and serial number,
//!    issuer names compared whatever their RDN order, or by subject key identifier) is in the
//!    SOD ([`PassiveAuthError::SignerNotFound`]);
//! 2. the signed attributes: present, content-type equal to the eContentType and message-digest
//!    equal to the digest of the eContent ([`PassiveAuthError::SignedAttrsMismatch`]);
//! 3. the signature over the signed attributes with the DS key
//!    ([`PassiveAuthError::SignatureInvalid`], [`PassiveAuthError::UnsupportedAlgorithm`]);
//! 4. every data group supplied against its hash in the LDS security object
//!    ([`PassiveAuthError::DgHashMismatch`]); a data group the SOD has no hash for is reported
//!    as *not covered* and is never proven;
//! 5. the DS certificate: valid now, key usage, and a chain to a CSCA of the store under the
//!    authenticator's [`ValidityModel`] (shell model by default: every certificate valid now).
//!
//! [`check_integrity`] does steps 1–4 only, for documents whose CSCA is unknown: its
//! [`IntegrityReport`] says the SOD is internally consistent, not that it is authentic.
//!
//! The DS chain outcome is cached per authenticator, keyed by the SHA-256 of the DS
//! certificate, at most [`DEFAULT_CACHE_CAPACITY`] entries unless configured, and an entry is
//! used only inside the validity periods of the chain's certificates. The SOD signature and the
//! data-group hashes are checked on every call.
//!
//! ```
//! use eid_core::clock::UnixTime;
//! use eid_core::emrtd::passive::PassiveAuthenticator;
//! use eid_core::emrtd::sod::Sod;
//! use eid_core::emrtd::trust::CscaStore;
//!
//! // A real British passport SOD (hashes only) and the UK CSCA.
//! let mut store = CscaStore::new();
//! store.add_certificate_der(include_bytes!(
//!     "../../tests/data/emrtd/real_sods/UK_gmrtd/CSCA.cer"
//! ))?;
//! let authenticator = PassiveAuthenticator::new(store);
//! let sod = Sod::from_bytes(include_bytes!(
//!     "../../tests/data/emrtd/real_sods/UK_gmrtd/EF_SOD.bin"
//! ))?;
//! let now = UnixTime::from_secs(1_795_305_600); // 2026-11-22
//! let proof = authenticator.verify(&sod, &[], now)?;
//! assert_eq!(proof.data_groups_in_sod(), &[1, 2, 14]);
//! assert_eq!(proof.chain_length(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod cache;

use std::sync::Arc;

use super::digest::DigestAlgorithm;
use super::sod::Sod;
use super::trust::{
    Certificate, ChainError, ChainPolicy, CscaStore, DistinguishedName, MAX_CHAIN_LENGTH,
    SignedAttribute, SignedDataFailure, ValidityModel, build_chain, single_signer,
    verify_signed_data,
};
use crate::clock::UnixTime;

pub use cache::DEFAULT_CACHE_CAPACITY;

/// The most certificates read from a SOD.
pub const MAX_SOD_CERTIFICATES: usize = 4;
/// The highest data-group number.
pub const MAX_DATA_GROUP: u8 = 16;

/// Why passive authentication failed.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum PassiveAuthError {
    /// The SOD or a certificate in it is malformed, or the data groups supplied are not
    /// numbered 1 to 16 once each.
    #[error("malformed {what}")]
    Malformed {
        /// What was malformed.
        what: &'static str,
    },
    /// A signature algorithm, curve or key is not supported.
    #[error("unsupported algorithm")]
    UnsupportedAlgorithm,
    /// No certificate in the SOD matches the signer identifier.
    #[error("no document signer certificate for the signer")]
    SignerNotFound,
    /// The signed attributes do not match the content.
    #[error("signed attributes do not match the content ({what:?})")]
    SignedAttrsMismatch {
        /// Which attribute.
        what: SignedAttribute,
    },
    /// The signature does not verify under the DS key.
    #[error("SOD signature invalid")]
    SignatureInvalid,
    /// A data group's hash differs from the SOD's.
    #[error("data group {dg} does not match its hash")]
    DgHashMismatch {
        /// The data-group number.
        dg: u8,
    },
    /// The DS certificate is not yet valid.
    #[error("document signer certificate not yet valid")]
    DsNotYetValid,
    /// The DS certificate has expired.
    #[error("document signer certificate expired")]
    DsExpired,
    /// The DS certificate's key usage does not allow signing.
    #[error("document signer key usage does not allow signing")]
    DsKeyUsage,
    /// No CSCA of the store has the DS issuer's name.
    #[error("no CSCA for the document signer")]
    CscaNotFound,
    /// CSCAs with the issuer's name exist but none verifies the DS certificate.
    #[error("document signer not trusted")]
    DsNotTrusted,
    /// The issuer verifying the DS is not a CA certificate.
    #[error("issuer is not a CA")]
    IssuerNotCa,
    /// The CSCA has expired (shell model).
    #[error("CSCA expired")]
    CscaExpired,
    /// The CSCA is not yet valid.
    #[error("CSCA not yet valid")]
    CscaNotYetValid,
    /// The chain is too long or the work bound was reached.
    #[error("certificate chain too long")]
    ChainTooLong,
}

impl PassiveAuthError {
    /// A stable snake_case code for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Malformed { .. } => "malformed",
            Self::UnsupportedAlgorithm => "unsupported_algorithm",
            Self::SignerNotFound => "ds_not_found",
            Self::SignedAttrsMismatch { .. } => "signed_attrs_mismatch",
            Self::SignatureInvalid => "signature_invalid",
            Self::DgHashMismatch { .. } => "dg_hash_mismatch",
            Self::DsNotYetValid => "ds_not_yet_valid",
            Self::DsExpired => "ds_expired",
            Self::DsKeyUsage => "ds_key_usage",
            Self::CscaNotFound => "csca_not_found",
            Self::DsNotTrusted => "ds_not_trusted",
            Self::IssuerNotCa => "issuer_not_ca",
            Self::CscaExpired => "csca_expired",
            Self::CscaNotYetValid => "csca_not_yet_valid",
            Self::ChainTooLong => "chain_too_long",
        }
    }
}

impl From<ChainError> for PassiveAuthError {
    fn from(error: ChainError) -> Self {
        match error {
            ChainError::LeafNotYetValid => Self::DsNotYetValid,
            ChainError::LeafExpired => Self::DsExpired,
            ChainError::LeafKeyUsage => Self::DsKeyUsage,
            ChainError::CscaNotFound => Self::CscaNotFound,
            ChainError::NotTrusted => Self::DsNotTrusted,
            ChainError::IssuerNotCa => Self::IssuerNotCa,
            ChainError::CscaExpired => Self::CscaExpired,
            ChainError::CscaNotYetValid => Self::CscaNotYetValid,
            ChainError::ChainTooLong => Self::ChainTooLong,
            ChainError::UnsupportedAlgorithm => Self::UnsupportedAlgorithm,
        }
    }
}

/// What [`check_integrity`] found: the SOD is signed by the certificate it carries and the data
/// groups supplied match. **Not** a proof of authenticity: the signer is not checked against
/// any CSCA.
#[derive(Debug, Clone)]
pub struct IntegrityReport {
    ds: Arc<Certificate>,
    intermediates: Vec<Arc<Certificate>>,
    signature_algorithm: String,
    lds_digest: DigestAlgorithm,
    matched: Vec<u8>,
    not_covered: Vec<u8>,
    in_sod: Vec<u8>,
}

impl IntegrityReport {
    /// The document signer certificate that signed the SOD.
    pub fn document_signer(&self) -> &Certificate {
        &self.ds
    }

    /// The data groups supplied whose hash matched, ascending.
    pub fn matched_data_groups(&self) -> &[u8] {
        &self.matched
    }

    /// The data groups supplied that the SOD has no hash for, ascending.
    pub fn not_covered_data_groups(&self) -> &[u8] {
        &self.not_covered
    }

    /// The data groups the SOD holds hashes for, ascending.
    pub fn data_groups_in_sod(&self) -> &[u8] {
        &self.in_sod
    }

    /// The dotted OID of the SOD signature algorithm.
    pub fn signature_algorithm(&self) -> &str {
        &self.signature_algorithm
    }

    /// The hash algorithm of the data-group hashes.
    pub fn data_group_digest(&self) -> DigestAlgorithm {
        self.lds_digest
    }
}

/// Proof that passive authentication succeeded at [`verified_at`](Self::verified_at): the SOD
/// was signed by a DS certificate that chains to a trusted CSCA, and the data groups listed by
/// [`proven_data_groups`](Self::proven_data_groups) match their signed hashes.
///
/// Only [`PassiveAuthenticator::verify`] builds one.
#[derive(Debug, Clone)]
pub struct PassiveAuthProof {
    integrity: IntegrityReport,
    csca: Arc<Certificate>,
    chain_length: usize,
    verified_at: UnixTime,
}

impl PassiveAuthProof {
    /// The data groups proven authentic, ascending.
    pub fn proven_data_groups(&self) -> &[u8] {
        &self.integrity.matched
    }

    /// Whether data group `dg` is proven authentic.
    pub fn is_proven(&self, dg: u8) -> bool {
        self.integrity.matched.contains(&dg)
    }

    /// The data groups supplied that the SOD does not cover: **not** authentic.
    pub fn not_covered_data_groups(&self) -> &[u8] {
        &self.integrity.not_covered
    }

    /// The data groups the SOD holds hashes for, ascending.
    pub fn data_groups_in_sod(&self) -> &[u8] {
        &self.integrity.in_sod
    }

    /// The document signer's subject.
    pub fn document_signer(&self) -> &DistinguishedName {
        self.integrity.ds.subject()
    }

    /// The CSCA that anchored the chain.
    pub fn csca(&self) -> &DistinguishedName {
        self.csca.subject()
    }

    /// The number of certificates in the chain, DS and CSCA included.
    pub fn chain_length(&self) -> usize {
        self.chain_length
    }

    /// The dotted OID of the SOD signature algorithm.
    pub fn signature_algorithm(&self) -> &str {
        &self.integrity.signature_algorithm
    }

    /// The hash algorithm of the data-group hashes.
    pub fn data_group_digest(&self) -> DigestAlgorithm {
        self.integrity.lds_digest
    }

    /// The time of verification.
    pub fn verified_at(&self) -> UnixTime {
        self.verified_at
    }
}

/// Verifies SODs against a CSCA store, with a bounded cache of DS chain outcomes.
#[derive(Debug)]
pub struct PassiveAuthenticator {
    store: CscaStore,
    policy: ChainPolicy,
    cache: cache::DsCache,
}

impl PassiveAuthenticator {
    /// An authenticator trusting the CSCAs of `store`, shell validity model, default cache.
    pub fn new(store: CscaStore) -> Self {
        Self {
            store,
            policy: ChainPolicy::SIGNER,
            cache: cache::DsCache::new(DEFAULT_CACHE_CAPACITY),
        }
    }

    /// The same with another validity model.
    #[must_use]
    pub fn with_validity_model(mut self, model: ValidityModel) -> Self {
        self.policy.model = model;
        self.cache = cache::DsCache::new(self.cache.capacity());
        self
    }

    /// The same with chains of at most `length` certificates, DS and CSCA included (clamped to
    /// 2..=[`MAX_CHAIN_LENGTH`]; 2 means the DS must be issued by a trusted CSCA directly).
    #[must_use]
    pub fn with_max_chain_length(mut self, length: usize) -> Self {
        self.policy.max_length = length.clamp(2, MAX_CHAIN_LENGTH);
        self.cache = cache::DsCache::new(self.cache.capacity());
        self
    }

    /// The same with a cache of at most `capacity` DS certificates (0: no cache).
    #[must_use]
    pub fn with_cache_capacity(mut self, capacity: usize) -> Self {
        self.cache = cache::DsCache::new(capacity);
        self
    }

    /// The trusted CSCAs.
    pub fn store(&self) -> &CscaStore {
        &self.store
    }

    /// The number of DS chain outcomes cached.
    pub fn cached_signers(&self) -> usize {
        self.cache.len()
    }

    /// Passive authentication of `sod` and the `data_groups` read from the chip (number,
    /// bytes as read, tag included) at time `now`.
    ///
    /// # Errors
    /// The first failing step, see the module documentation.
    pub fn verify(
        &self,
        sod: &Sod,
        data_groups: &[(u8, &[u8])],
        now: UnixTime,
    ) -> Result<PassiveAuthProof, PassiveAuthError> {
        let integrity = integrity(sod, data_groups, Some(&self.cache))?;
        let hash = *integrity.ds.sha256();
        let (csca, chain_length) = match self.cache.get(&hash, now) {
            Some(hit) => hit,
            None => {
                let outcome = build_chain(
                    &integrity.ds,
                    &integrity.intermediates,
                    &self.store,
                    now,
                    self.policy,
                )?;
                self.cache.insert(hash, &integrity.ds, &outcome);
                (outcome.anchor, outcome.length)
            }
        };
        Ok(PassiveAuthProof {
            integrity,
            csca,
            chain_length,
            verified_at: now,
        })
    }
}

/// Steps 1–4 of passive authentication, without any CSCA: signer, signed attributes, signature
/// and data-group hashes.
///
/// # Errors
/// The first failing step.
pub fn check_integrity(
    sod: &Sod,
    data_groups: &[(u8, &[u8])],
) -> Result<IntegrityReport, PassiveAuthError> {
    integrity(sod, data_groups, None)
}

fn integrity(
    sod: &Sod,
    data_groups: &[(u8, &[u8])],
    cache: Option<&cache::DsCache>,
) -> Result<IntegrityReport, PassiveAuthError> {
    let signed_data = sod.signed_data();
    let lookup = |der: &[u8]| cache.and_then(|c| c.certificate(der));
    let verified =
        verify_signed_data(signed_data, MAX_SOD_CERTIFICATES, &lookup).map_err(|failure| {
            match failure {
                SignedDataFailure::Malformed(what) => PassiveAuthError::Malformed { what },
                SignedDataFailure::SignerNotFound => PassiveAuthError::SignerNotFound,
                SignedDataFailure::SignedAttrs(what) => {
                    PassiveAuthError::SignedAttrsMismatch { what }
                }
                SignedDataFailure::Unsupported => PassiveAuthError::UnsupportedAlgorithm,
                SignedDataFailure::Invalid => PassiveAuthError::SignatureInvalid,
            }
        })?;
    let algorithm_oid = single_signer(signed_data)
        .map(|signer| signer.signature_algorithm().oid.clone())
        .map_err(|_| PassiveAuthError::Malformed {
            what: "signer infos",
        })?;

    let lds = sod.lds();
    let lds_digest = lds.digest_algorithm();
    let mut matched = Vec::new();
    let mut not_covered = Vec::new();
    let mut seen = [false; MAX_DATA_GROUP as usize + 1];
    for (dg, bytes) in data_groups {
        let slot = seen.get_mut(usize::from(*dg)).filter(|_| *dg >= 1).ok_or(
            PassiveAuthError::Malformed {
                what: "data group number",
            },
        )?;
        if *slot {
            return Err(PassiveAuthError::Malformed {
                what: "data group supplied twice",
            });
        }
        *slot = true;
        match lds.data_group_hash(*dg) {
            Some(expected) if lds_digest.digest(bytes).as_slice() == expected => matched.push(*dg),
            Some(_) => return Err(PassiveAuthError::DgHashMismatch { dg: *dg }),
            None => not_covered.push(*dg),
        }
    }
    matched.sort_unstable();
    not_covered.sort_unstable();
    let mut in_sod: Vec<u8> = lds.data_groups().map(|(dg, _)| dg).collect();
    in_sod.sort_unstable();
    Ok(IntegrityReport {
        ds: verified.signer,
        intermediates: verified.others,
        signature_algorithm: algorithm_oid,
        lds_digest,
        matched,
        not_covered,
        in_sod,
    })
}

#[cfg(test)]
mod tests;
