//! Chain building from a leaf (DS or master-list signer) to a trusted CSCA, bounded.

use std::sync::Arc;

use super::{
    Certificate, ChainError, CryptoFailure, CscaStore, MAX_CANDIDATES, MAX_CHAIN_LENGTH,
    MAX_SIGNATURE_CHECKS, ValidityModel,
};
use crate::clock::UnixTime;

/// What the leaf certificate is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LeafUsage {
    /// Signs documents or lists: key usage `digitalSignature` when present.
    Signer,
}

/// A chain that was built.
#[derive(Clone, Debug)]
pub(crate) struct ChainOutcome {
    /// The trusted CSCA at the top.
    pub(crate) anchor: Arc<Certificate>,
    /// The number of certificates, leaf and anchor included.
    pub(crate) length: usize,
    /// The outcome holds from this time...
    pub(crate) valid_from: UnixTime,
    /// ...until this time (inclusive), as far as validity periods are concerned.
    pub(crate) valid_until: UnixTime,
}

#[derive(Default)]
struct Seen {
    name: bool,
    bad_signature: bool,
    unsupported: bool,
    not_ca: bool,
    expired: bool,
    not_yet_valid: bool,
    too_long: bool,
}

struct Search<'a> {
    store: &'a CscaStore,
    intermediates: &'a [Arc<Certificate>],
    now: UnixTime,
    model: ValidityModel,
    max_length: usize,
    checks: usize,
    seen: Seen,
    /// Whether a store certificate with a matching name was met, even if its key identifier
    /// differs.
    seen_name: std::cell::Cell<bool>,
}

/// Limits and policies of one chain building.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ChainPolicy {
    pub(crate) model: ValidityModel,
    /// The most certificates in the chain, leaf and anchor included (2..=[`MAX_CHAIN_LENGTH`]).
    pub(crate) max_length: usize,
    pub(crate) usage: LeafUsage,
}

impl ChainPolicy {
    /// Shell model, [`MAX_CHAIN_LENGTH`], a signer leaf.
    pub(crate) const SIGNER: Self = Self {
        model: ValidityModel::Shell,
        max_length: MAX_CHAIN_LENGTH,
        usage: LeafUsage::Signer,
    };
}

/// Builds a chain from `leaf` to a certificate of `store`, through `intermediates` (untrusted)
/// and the store's untrusted link certificates.
///
/// # Errors
/// The most specific [`ChainError`] met on the way.
pub(crate) fn build_chain(
    leaf: &Certificate,
    intermediates: &[Arc<Certificate>],
    store: &CscaStore,
    now: UnixTime,
    policy: ChainPolicy,
) -> Result<ChainOutcome, ChainError> {
    let ChainPolicy {
        model,
        max_length,
        usage,
    } = policy;
    let max_length = max_length.clamp(2, MAX_CHAIN_LENGTH);
    if now < leaf.not_before() {
        return Err(ChainError::LeafNotYetValid);
    }
    if now > leaf.not_after() {
        return Err(ChainError::LeafExpired);
    }
    match usage {
        LeafUsage::Signer if !leaf.may_sign_documents() => return Err(ChainError::LeafKeyUsage),
        LeafUsage::Signer => {}
    }
    let mut search = Search {
        store,
        intermediates,
        now,
        model,
        max_length,
        checks: 0,
        seen: Seen::default(),
        seen_name: std::cell::Cell::new(false),
    };
    let mut path = vec![*leaf.sha256()];
    let window = (leaf.not_before(), leaf.not_after());
    if let Some(outcome) = search.extend(leaf, 1, window, &mut path) {
        return Ok(outcome);
    }
    let seen = search.seen;
    Err(if seen.expired {
        ChainError::CscaExpired
    } else if seen.not_yet_valid {
        ChainError::CscaNotYetValid
    } else if seen.not_ca {
        ChainError::IssuerNotCa
    } else if seen.too_long {
        ChainError::ChainTooLong
    } else if seen.bad_signature {
        ChainError::NotTrusted
    } else if seen.unsupported {
        ChainError::UnsupportedAlgorithm
    } else if seen.name {
        ChainError::NotTrusted
    } else {
        ChainError::CscaNotFound
    })
}

impl Search<'_> {
    fn candidates(&self, cert: &Certificate) -> Vec<(Arc<Certificate>, bool)> {
        let aki = cert.authority_key_identifier();
        let key_id_ok = |candidate: &Certificate| match (aki, candidate.subject_key_identifier()) {
            (Some(a), Some(s)) => a == s,
            _ => true,
        };
        let mut found: Vec<(Arc<Certificate>, bool)> = self
            .store
            .by_subject(cert.issuer())
            .inspect(|_| self.seen_name.set(true))
            .filter(|c| key_id_ok(c))
            .map(|c| (Arc::clone(c), true))
            .chain(
                self.intermediates
                    .iter()
                    .filter(|c| c.subject().matches(cert.issuer()))
                    .chain(self.store.links_by_subject(cert.issuer()))
                    .filter(|c| key_id_ok(c))
                    .map(|c| (Arc::clone(c), false)),
            )
            .collect();
        // Exact key-identifier matches first, then anchors before intermediates; at most
        // MAX_CANDIDATES are tried.
        found.sort_by_key(|(c, anchor)| {
            let exact = aki.is_some() && c.subject_key_identifier() == aki;
            (!exact, !anchor)
        });
        found.truncate(MAX_CANDIDATES);
        found
    }

    fn extend(
        &mut self,
        cert: &Certificate,
        depth: usize,
        window: (UnixTime, UnixTime),
        path: &mut Vec<[u8; 32]>,
    ) -> Option<ChainOutcome> {
        let candidates = self.candidates(cert);
        if self.seen_name.get() {
            self.seen.name = true;
        }
        // Keys that did not verify `cert`: link certificates and re-issued CSCAs often share a
        // key, which is then verified once.
        let mut failed_keys: Vec<Arc<Certificate>> = Vec::new();
        for (candidate, anchor) in candidates {
            if path.contains(candidate.sha256())
                || failed_keys
                    .iter()
                    .any(|f| f.subject_public_key_info() == candidate.subject_public_key_info())
            {
                continue;
            }
            // An intermediate needs yet another certificate above it.
            let needed = if anchor { depth + 1 } else { depth + 2 };
            if needed > self.max_length {
                self.seen.too_long = true;
                continue;
            }
            if self.checks >= MAX_SIGNATURE_CHECKS {
                self.seen.too_long = true;
                return None;
            }
            self.checks += 1;
            match cert.verify_signed_by(&candidate) {
                Ok(()) => {}
                Err(CryptoFailure::Unsupported) => {
                    self.seen.unsupported = true;
                    failed_keys.push(candidate);
                    continue;
                }
                Err(CryptoFailure::Invalid | CryptoFailure::Malformed) => {
                    self.seen.bad_signature = true;
                    failed_keys.push(candidate);
                    continue;
                }
            }
            if !candidate.may_issue_certificates() {
                self.seen.not_ca = true;
                continue;
            }
            let at = match self.model {
                ValidityModel::Shell => self.now,
                ValidityModel::Chain => cert.not_before(),
            };
            if at < candidate.not_before() {
                self.seen.not_yet_valid = true;
                continue;
            }
            if at > candidate.not_after() {
                self.seen.expired = true;
                continue;
            }
            let window = match self.model {
                ValidityModel::Shell => (
                    window.0.max(candidate.not_before()),
                    window.1.min(candidate.not_after()),
                ),
                ValidityModel::Chain => window,
            };
            if anchor {
                return Some(ChainOutcome {
                    anchor: candidate,
                    length: depth + 1,
                    valid_from: window.0,
                    valid_until: window.1,
                });
            }
            path.push(*candidate.sha256());
            if let Some(outcome) = self.extend(&candidate, depth + 1, window, path) {
                return Some(outcome);
            }
            path.pop();
        }
        None
    }
}
