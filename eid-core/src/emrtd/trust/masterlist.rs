//! ICAO CSCA master lists (ICAO 9303 part 12 §9): CMS `SignedData` with eContentType
//! `id-icao-cscaMasterList` (2.23.136.1.1.2) over
//! `CscaMasterList ::= SEQUENCE { version CscaMasterListVersion, certList SET OF Certificate }`.

use std::sync::Arc;

use super::chain::{ChainPolicy, build_chain};
use super::signed::{SignedDataFailure, verify_signed_data};
use super::{Certificate, CscaStore, TrustError};
use crate::clock::UnixTime;
use crate::emrtd::cms::{CscaMasterList, SignedData};

/// The largest master list accepted, in bytes.
pub const MAX_MASTER_LIST_LEN: usize = 8 * 1024 * 1024;
/// The most certificates in a master list.
pub const MAX_MASTER_LIST_CERTIFICATES: usize = 10_000;
/// The eContentType of a master list.
pub const MASTER_LIST_CONTENT_TYPE: &str = "2.23.136.1.1.2";

/// A master list whose signature and signer were verified: its CSCA certificates are trusted.
#[derive(Debug, Clone)]
pub struct MasterList {
    certificates: Vec<Arc<Certificate>>,
    skipped: usize,
    signer: Arc<Certificate>,
}

impl MasterList {
    /// The CSCA certificates of the list that could be parsed.
    pub fn certificates(&self) -> impl Iterator<Item = &Certificate> {
        self.certificates.iter().map(AsRef::as_ref)
    }

    pub(crate) fn shared_certificates(&self) -> impl Iterator<Item = &Arc<Certificate>> {
        self.certificates.iter()
    }

    /// The number of CSCA certificates parsed.
    pub fn len(&self) -> usize {
        self.certificates.len()
    }

    /// Whether the list holds no certificate.
    pub fn is_empty(&self) -> bool {
        self.certificates.is_empty()
    }

    /// The number of entries of the list that are not certificates this crate can parse
    /// (skipped, never trusted).
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// The certificate that signed the list.
    pub fn signer(&self) -> &Certificate {
        &self.signer
    }
}

/// Parses the certificates of a `CscaMasterList`: those that parse and the number skipped.
fn parse_certificate_list(
    signed_data: &SignedData,
) -> Result<(Vec<Arc<Certificate>>, usize), TrustError> {
    let list =
        CscaMasterList::from_signed_data(signed_data).map_err(|_| TrustError::Malformed {
            what: "master list",
        })?;
    if list.certificates().len() > MAX_MASTER_LIST_CERTIFICATES {
        return Err(TrustError::TooLarge {
            what: "master list",
            limit: MAX_MASTER_LIST_CERTIFICATES,
        });
    }
    let mut certificates = Vec::new();
    let mut skipped = 0;
    for der in list.certificates() {
        match Certificate::from_der(der) {
            Ok(certificate) => certificates.push(Arc::new(certificate)),
            Err(_) => skipped += 1,
        }
    }
    Ok((certificates, skipped))
}

/// The most certificates read from the `SignedData` of a master list (signer and its chain).
pub const MAX_MASTER_LIST_SIGNER_CERTIFICATES: usize = 16;

impl MasterList {
    /// Reads a master list (a DER or BER CMS `ContentInfo`), verifies its signature, checks
    /// that its signer certificate chains to a CSCA of `anchors` at time `now` (shell model),
    /// and parses its CSCA certificates. Entries that are not parseable certificates are
    /// skipped and counted ([`skipped`](Self::skipped)).
    ///
    /// # Errors
    /// [`TrustError::TooLarge`], [`TrustError::Malformed`], [`TrustError::WrongContentType`],
    /// [`TrustError::SignerNotFound`], [`TrustError::SignedAttrsMismatch`],
    /// [`TrustError::UnsupportedAlgorithm`], [`TrustError::SignatureInvalid`] or
    /// [`TrustError::Chain`].
    pub fn from_bytes(
        bytes: &[u8],
        now: UnixTime,
        anchors: &CscaStore,
    ) -> Result<Self, TrustError> {
        if bytes.len() > MAX_MASTER_LIST_LEN {
            return Err(TrustError::TooLarge {
                what: "master list",
                limit: MAX_MASTER_LIST_LEN,
            });
        }
        let signed_data =
            SignedData::from_content_info_ber(bytes).map_err(|_| TrustError::Malformed {
                what: "master list",
            })?;
        if signed_data.econtent_type() != MASTER_LIST_CONTENT_TYPE {
            return Err(TrustError::WrongContentType {
                found: signed_data.econtent_type().to_owned(),
            });
        }
        let verified =
            verify_signed_data(&signed_data, MAX_MASTER_LIST_SIGNER_CERTIFICATES, &|_| None)
                .map_err(|failure| match failure {
                    SignedDataFailure::Malformed(what) => TrustError::Malformed { what },
                    SignedDataFailure::SignerNotFound => TrustError::SignerNotFound,
                    SignedDataFailure::SignedAttrs(what) => {
                        TrustError::SignedAttrsMismatch { what }
                    }
                    SignedDataFailure::Unsupported => TrustError::UnsupportedAlgorithm,
                    SignedDataFailure::Invalid => TrustError::SignatureInvalid,
                })?;
        build_chain(
            &verified.signer,
            &verified.others,
            anchors,
            now,
            ChainPolicy::SIGNER,
        )?;
        let (certificates, skipped) = parse_certificate_list(&signed_data)?;
        Ok(Self {
            certificates,
            skipped,
            signer: verified.signer,
        })
    }
}
