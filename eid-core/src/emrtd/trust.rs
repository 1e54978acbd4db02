//! CSCA trust: certificates, distinguished names, CSCA stores, master lists and certificate
//! chains from a document signer (DS) to a country signing CA (CSCA), ICAO 9303 part 12.
//!
//! # Policies
//!
//! - **Names** are compared as multisets of (attribute type, value) pairs: the order of the
//!   relative distinguished names does not matter (a Malaysian SOD names its signer's issuer with
//!   the RDNs in another order than the certificate). String values are compared after trimming,
//!   collapsing inner white space and lower-casing; other values byte for byte.
//! - **Trust anchors**: every certificate in a [`CscaStore`] is a trusted CSCA, as ICAO master
//!   lists are meant: self-signed CSCAs and link certificates alike. A chain ends at the first
//!   store certificate whose key verifies the certificate below it. Extra certificates carried
//!   in the signed object, and link certificates added with
//!   [`CscaStore::add_link_certificate_der`], are untrusted intermediates that must themselves
//!   chain to a trusted certificate.
//! - **Chain building** tries every issuer candidate whose subject matches the issuer name,
//!   those whose subject key identifier equals the authority key identifier first (a candidate
//!   whose key identifier differs is skipped). The work is bounded: at most
//!   [`MAX_CHAIN_LENGTH`] certificates in a chain, [`MAX_CANDIDATES`] candidates per name and
//!   [`MAX_SIGNATURE_CHECKS`] signature verifications per chain; a key that failed to verify a
//!   certificate is not tried again for it under another certificate (re-issued CSCAs and link
//!   certificates often share keys).
//! - **Key usage**: a document signer's key usage, when present, must allow `digitalSignature`;
//!   an issuer's must allow `keyCertSign`, and its basic constraints, when present, must say
//!   `cA`.
//! - **Validity** ([`ValidityModel`]): by default the *shell model*: every certificate in the
//!   chain must be valid at the verification time, so an expired CSCA fails with
//!   [`ChainError::CscaExpired`] even if it was valid when it issued the DS. The *chain model*
//!   ([`ValidityModel::Chain`]) accepts an issuer that was valid when its subordinate certificate
//!   was issued (at the subordinate's `notBefore`); the DS itself must be valid at the
//!   verification time in both models.
//! - **Master lists** ([`MasterList::from_bytes`]) are trusted only once their CMS signature
//!   verifies and their signer certificate chains, at the time given, to a CSCA of a store the
//!   caller trusts for that purpose (the country's CSCA). The time is the caller's: a list whose
//!   signer has since expired can be verified as of when it was obtained. Entries that are not
//!   parseable certificates are skipped and counted, never trusted.

mod chain;
mod crypto;
mod masterlist;
mod name;
mod signed;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, OnceLock};

use x509_parser::certificate::X509CertificateParser;
use x509_parser::extensions::{AuthorityKeyIdentifier, BasicConstraints, KeyIdentifier, KeyUsage};
use x509_parser::nom::Parser as _;
use x509_parser::oid_registry::{
    OID_X509_EXT_AUTHORITY_KEY_IDENTIFIER, OID_X509_EXT_BASIC_CONSTRAINTS, OID_X509_EXT_KEY_USAGE,
    OID_X509_EXT_SUBJECT_KEY_IDENTIFIER,
};
use x509_parser::prelude::FromDer;

use crate::clock::UnixTime;

pub(crate) use chain::{ChainOutcome, ChainPolicy, build_chain};
pub(crate) use crypto::{CryptoFailure, Key};
pub use masterlist::{
    MASTER_LIST_CONTENT_TYPE, MAX_MASTER_LIST_CERTIFICATES, MAX_MASTER_LIST_LEN,
    MAX_MASTER_LIST_SIGNER_CERTIFICATES, MasterList,
};
pub use name::DistinguishedName;
pub(crate) use signed::{SignedDataFailure, single_signer, verify_signed_data};

/// The largest certificate accepted, in bytes.
pub const MAX_CERTIFICATE_LEN: usize = 16 * 1024;
/// The most certificates a [`CscaStore`] holds.
pub const MAX_STORE_CERTIFICATES: usize = 50_000;
/// The most certificates in a chain, the leaf (DS or master-list signer) and the anchor included.
pub const MAX_CHAIN_LENGTH: usize = 4;
/// The most issuer candidates tried for one certificate.
pub const MAX_CANDIDATES: usize = 16;
/// The most signature verifications spent on building one chain.
pub const MAX_SIGNATURE_CHECKS: usize = 24;

/// How certificate validity periods are checked along a chain.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValidityModel {
    /// Every certificate must be valid at the verification time (RFC 5280). The default.
    #[default]
    Shell,
    /// The leaf must be valid at the verification time; each issuer must have been valid at the
    /// `notBefore` of the certificate it issued, so a CSCA that has since expired still anchors
    /// the documents it signed.
    Chain,
}

/// Which signed attribute of a CMS signer failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignedAttribute {
    /// The signer signed no attributes (ICAO 9303 requires them).
    Missing,
    /// The content-type attribute is absent or differs from the eContentType.
    ContentType,
    /// The message-digest attribute is absent or differs from the digest of the eContent.
    MessageDigest,
}

/// An error of certificates, stores and master lists.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrustError {
    /// The bytes are not what they should be (certificate, CMS, master list).
    #[error("malformed {what}")]
    Malformed {
        /// What could not be parsed.
        what: &'static str,
    },
    /// The input is larger than allowed.
    #[error("{what} larger than {limit} bytes or entries")]
    TooLarge {
        /// What was too large.
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// The store is full ([`MAX_STORE_CERTIFICATES`]).
    #[error("the CSCA store is full")]
    StoreFull,
    /// A signed object's content type is not the one expected.
    #[error("unexpected content type {found}")]
    WrongContentType {
        /// The dotted object identifier found.
        found: String,
    },
    /// No certificate in the signed object matches the signer identifier.
    #[error("no certificate for the signer")]
    SignerNotFound,
    /// The signed attributes do not match the content (content type or message digest).
    #[error("signed attributes do not match the content: {what:?}")]
    SignedAttrsMismatch {
        /// Which attribute failed.
        what: SignedAttribute,
    },
    /// A signature algorithm or key is not supported.
    #[error("unsupported algorithm or key")]
    UnsupportedAlgorithm,
    /// A signature does not verify.
    #[error("signature invalid")]
    SignatureInvalid,
    /// The signer's certificate does not chain to a trust anchor.
    #[error("signer not trusted: {0}")]
    Chain(#[from] ChainError),
}

impl TrustError {
    /// A stable snake_case code for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Malformed { .. } => "malformed",
            Self::TooLarge { .. } => "too_large",
            Self::StoreFull => "store_full",
            Self::WrongContentType { .. } => "wrong_content_type",
            Self::SignerNotFound => "signer_not_found",
            Self::SignedAttrsMismatch { .. } => "signed_attrs_mismatch",
            Self::UnsupportedAlgorithm => "unsupported_algorithm",
            Self::SignatureInvalid => "signature_invalid",
            Self::Chain(e) => e.reason(),
        }
    }
}

/// Why a certificate chain could not be built from a leaf certificate to a trust anchor.
#[derive(Clone, Copy, Debug, thiserror::Error, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChainError {
    /// The leaf certificate is not yet valid at the verification time.
    #[error("certificate not yet valid")]
    LeafNotYetValid,
    /// The leaf certificate has expired at the verification time.
    #[error("certificate expired")]
    LeafExpired,
    /// The leaf's key usage does not allow digital signatures.
    #[error("certificate key usage does not allow signing")]
    LeafKeyUsage,
    /// No certificate in the store or the chain has the issuer's name.
    #[error("no CSCA with the issuer's name")]
    CscaNotFound,
    /// Certificates with the issuer's name exist but none of their keys verifies the signature.
    #[error("no CSCA key verifies the certificate")]
    NotTrusted,
    /// The only issuers whose key verifies are not CA certificates (basic constraints or key
    /// usage).
    #[error("issuer is not a certificate authority")]
    IssuerNotCa,
    /// The only issuers whose key verifies have expired (shell model).
    #[error("CSCA expired")]
    CscaExpired,
    /// The only issuers whose key verifies are not yet valid.
    #[error("CSCA not yet valid")]
    CscaNotYetValid,
    /// The chain would be longer than [`MAX_CHAIN_LENGTH`] or the work bound was reached.
    #[error("chain too long")]
    ChainTooLong,
    /// The only issuers found use a signature algorithm or key that is not supported.
    #[error("unsupported algorithm in the chain")]
    UnsupportedAlgorithm,
}

impl ChainError {
    /// A stable snake_case code for logs and metrics (named for a document signer leaf).
    pub fn reason(self) -> &'static str {
        match self {
            Self::LeafNotYetValid => "ds_not_yet_valid",
            Self::LeafExpired => "ds_expired",
            Self::LeafKeyUsage => "ds_key_usage",
            Self::CscaNotFound => "csca_not_found",
            Self::NotTrusted => "ds_not_trusted",
            Self::IssuerNotCa => "issuer_not_ca",
            Self::CscaExpired => "csca_expired",
            Self::CscaNotYetValid => "csca_not_yet_valid",
            Self::ChainTooLong => "chain_too_long",
            Self::UnsupportedAlgorithm => "unsupported_algorithm",
        }
    }
}

/// Key usage bits of interest (RFC 5280 §4.2.1.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct KeyUsageBits {
    digital_signature: bool,
    key_cert_sign: bool,
}

/// A parsed X.509 certificate of the eMRTD PKI (CSCA, link, DS or master-list signer).
///
/// Parsing keeps what trust decisions need; the DER stays available.
pub struct Certificate {
    der: Vec<u8>,
    sha256: [u8; 32],
    subject: DistinguishedName,
    issuer: DistinguishedName,
    serial: Vec<u8>,
    not_before: UnixTime,
    not_after: UnixTime,
    subject_key_id: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
    key_usage: Option<KeyUsageBits>,
    basic_constraints_ca: Option<bool>,
    spki: Vec<u8>,
    tbs: Vec<u8>,
    signature_oid: String,
    signature_params: Option<Vec<u8>>,
    signature: Vec<u8>,
    key: OnceLock<Result<Key, CryptoFailure>>,
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.subject)
            .field("issuer", &self.issuer)
            .field("not_before", &self.not_before)
            .field("not_after", &self.not_after)
            .finish_non_exhaustive()
    }
}

impl Clone for Certificate {
    fn clone(&self) -> Self {
        Self {
            der: self.der.clone(),
            sha256: self.sha256,
            subject: self.subject.clone(),
            issuer: self.issuer.clone(),
            serial: self.serial.clone(),
            not_before: self.not_before,
            not_after: self.not_after,
            subject_key_id: self.subject_key_id.clone(),
            authority_key_id: self.authority_key_id.clone(),
            key_usage: self.key_usage,
            basic_constraints_ca: self.basic_constraints_ca,
            spki: self.spki.clone(),
            tbs: self.tbs.clone(),
            signature_oid: self.signature_oid.clone(),
            signature_params: self.signature_params.clone(),
            signature: self.signature.clone(),
            key: OnceLock::new(),
        }
    }
}

fn unix_time(seconds: i64) -> UnixTime {
    UnixTime::from_secs(u64::try_from(seconds).unwrap_or(0))
}

/// The big-endian magnitude of a serial number without leading zero bytes.
pub(crate) fn normalize_serial(serial: &[u8]) -> &[u8] {
    let start = serial.iter().position(|b| *b != 0).unwrap_or(serial.len());
    serial.get(start..).unwrap_or_default()
}

impl Certificate {
    /// Parses a DER certificate (no trailing bytes, at most [`MAX_CERTIFICATE_LEN`] bytes).
    ///
    /// # Errors
    /// [`TrustError::TooLarge`] or [`TrustError::Malformed`].
    pub fn from_der(der: &[u8]) -> Result<Self, TrustError> {
        if der.len() > MAX_CERTIFICATE_LEN {
            return Err(TrustError::TooLarge {
                what: "certificate",
                limit: MAX_CERTIFICATE_LEN,
            });
        }
        let malformed = TrustError::Malformed {
            what: "certificate",
        };
        // Extensions are parsed here, only those trust decisions need.
        let (rest, cert) = X509CertificateParser::new()
            .with_deep_parse_extensions(false)
            .parse(der)
            .map_err(|_| malformed.clone())?;
        if !rest.is_empty() {
            return Err(malformed);
        }
        let tbs = &cert.tbs_certificate;
        if tbs.signature.algorithm != cert.signature_algorithm.algorithm {
            return Err(malformed);
        }
        let mut subject_key_id = None;
        let mut authority_key_id = None;
        let mut key_usage = None;
        let mut basic_constraints_ca = None;
        for ext in tbs.extensions() {
            let parsed = if ext.oid == OID_X509_EXT_SUBJECT_KEY_IDENTIFIER {
                KeyIdentifier::from_der(ext.value)
                    .map(|(_, id)| subject_key_id = Some(id.0.to_vec()))
                    .is_ok()
            } else if ext.oid == OID_X509_EXT_AUTHORITY_KEY_IDENTIFIER {
                AuthorityKeyIdentifier::from_der(ext.value)
                    .map(|(_, aki)| {
                        authority_key_id = aki.key_identifier.map(|id| id.0.to_vec());
                    })
                    .is_ok()
            } else if ext.oid == OID_X509_EXT_KEY_USAGE {
                KeyUsage::from_der(ext.value)
                    .map(|(_, ku)| {
                        key_usage = Some(KeyUsageBits {
                            digital_signature: ku.digital_signature(),
                            key_cert_sign: ku.key_cert_sign(),
                        });
                    })
                    .is_ok()
            } else if ext.oid == OID_X509_EXT_BASIC_CONSTRAINTS {
                BasicConstraints::from_der(ext.value)
                    .map(|(_, bc)| basic_constraints_ca = Some(bc.ca))
                    .is_ok()
            } else {
                true
            };
            if !parsed && ext.critical {
                return Err(malformed);
            }
        }
        let signature_params = match &cert.signature_algorithm.parameters {
            Some(any) => {
                Some(x509_parser::asn1_rs::ToDer::to_der_vec(any).map_err(|_| malformed.clone())?)
            }
            None => None,
        };
        Ok(Self {
            der: der.to_vec(),
            sha256: sha256(der),
            subject: DistinguishedName::from_x509(&tbs.subject)?,
            issuer: DistinguishedName::from_x509(&tbs.issuer)?,
            serial: normalize_serial(tbs.raw_serial()).to_vec(),
            not_before: unix_time(tbs.validity.not_before.timestamp()),
            not_after: unix_time(tbs.validity.not_after.timestamp()),
            subject_key_id,
            authority_key_id,
            key_usage,
            basic_constraints_ca,
            spki: tbs.subject_pki.raw.to_vec(),
            tbs: tbs.as_ref().to_vec(),
            signature_oid: cert.signature_algorithm.algorithm.to_id_string(),
            signature_params,
            signature: cert.signature_value.data.to_vec(),
            key: OnceLock::new(),
        })
    }

    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The SHA-256 of the DER encoding, the certificate's identity in caches.
    pub fn sha256(&self) -> &[u8; 32] {
        &self.sha256
    }

    /// The subject name.
    pub fn subject(&self) -> &DistinguishedName {
        &self.subject
    }

    /// The issuer name.
    pub fn issuer(&self) -> &DistinguishedName {
        &self.issuer
    }

    /// The serial number, big-endian, without leading zero bytes.
    pub fn serial(&self) -> &[u8] {
        &self.serial
    }

    /// Start of the validity period.
    pub fn not_before(&self) -> UnixTime {
        self.not_before
    }

    /// End of the validity period (inclusive).
    pub fn not_after(&self) -> UnixTime {
        self.not_after
    }

    /// Whether `now` is inside the validity period.
    pub fn is_valid_at(&self, now: UnixTime) -> bool {
        self.not_before <= now && now <= self.not_after
    }

    /// The subject key identifier extension, if present.
    pub fn subject_key_identifier(&self) -> Option<&[u8]> {
        self.subject_key_id.as_deref()
    }

    /// The key identifier of the authority key identifier extension, if present.
    pub fn authority_key_identifier(&self) -> Option<&[u8]> {
        self.authority_key_id.as_deref()
    }

    /// Whether subject and issuer names match (self-signed CSCA or link certificate).
    pub fn is_self_issued(&self) -> bool {
        self.subject.matches(&self.issuer)
    }

    /// The DER SubjectPublicKeyInfo.
    pub fn subject_public_key_info(&self) -> &[u8] {
        &self.spki
    }

    /// Whether this certificate may sign documents (key usage `digitalSignature` when present).
    pub(crate) fn may_sign_documents(&self) -> bool {
        self.key_usage.is_none_or(|ku| ku.digital_signature)
    }

    /// Whether this certificate may issue certificates: basic constraints `cA` and key usage
    /// `keyCertSign`, each when present.
    pub(crate) fn may_issue_certificates(&self) -> bool {
        self.basic_constraints_ca.is_none_or(|ca| ca)
            && self.key_usage.is_none_or(|ku| ku.key_cert_sign)
    }

    /// The public key, parsed once.
    pub(crate) fn key(&self) -> Result<&Key, CryptoFailure> {
        self.key
            .get_or_init(|| Key::from_spki_der(&self.spki))
            .as_ref()
            .map_err(|e| *e)
    }

    /// Verifies that `issuer`'s key signed this certificate.
    pub(crate) fn verify_signed_by(&self, issuer: &Self) -> Result<(), CryptoFailure> {
        let key = issuer.key()?;
        key.verify(
            &self.signature_oid,
            self.signature_params.as_deref(),
            None,
            &self.tbs,
            &self.signature,
        )
    }
}

pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, data);
    let mut out = [0_u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

/// A set of trusted CSCA certificates (self-signed CSCAs and link certificates), indexed by
/// subject name.
///
/// Each certificate's key is parsed once and shared by the store's clones. An EC key that the
/// generic verifier of [`crate::emrtd::signature`] serves (brainpoolP224r1/320r1/512r1, P-224,
/// and P-256/P-384 with another hash than theirs) also keeps, from its second verification on,
/// a table of precomputed multiples (16 KiB on brainpoolP512r1) that makes each later DS
/// certificate check several times faster.
#[derive(Debug, Default, Clone)]
pub struct CscaStore {
    certificates: Vec<Arc<Certificate>>,
    by_subject: HashMap<name::NameKey, Vec<usize>>,
    hashes: HashSet<[u8; 32]>,
    links: Vec<Arc<Certificate>>,
    links_by_subject: HashMap<name::NameKey, Vec<usize>>,
}

impl CscaStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a DER certificate as a trusted CSCA. Returns `false` if it was already there.
    ///
    /// # Errors
    /// [`TrustError::Malformed`], [`TrustError::TooLarge`] or [`TrustError::StoreFull`].
    pub fn add_certificate_der(&mut self, der: &[u8]) -> Result<bool, TrustError> {
        self.add_certificate(Certificate::from_der(der)?)
    }

    /// Adds a parsed certificate as a trusted CSCA. Returns `false` if it was already there.
    ///
    /// # Errors
    /// [`TrustError::StoreFull`].
    pub fn add_certificate(&mut self, certificate: Certificate) -> Result<bool, TrustError> {
        self.add_shared(Arc::new(certificate))
    }

    fn add_shared(&mut self, certificate: Arc<Certificate>) -> Result<bool, TrustError> {
        if self.hashes.contains(certificate.sha256()) {
            return Ok(false);
        }
        if self.certificates.len() + self.links.len() >= MAX_STORE_CERTIFICATES {
            return Err(TrustError::StoreFull);
        }
        let index = self.certificates.len();
        self.hashes.insert(*certificate.sha256());
        self.by_subject
            .entry(certificate.subject().key().clone())
            .or_default()
            .push(index);
        self.certificates.push(certificate);
        Ok(true)
    }

    /// Adds a DER link certificate as an *untrusted* intermediate: it may join a chain only
    /// between a certificate it issued and a trusted CSCA that issued it. Returns `false` if it
    /// was already there (as a link or as a trusted CSCA).
    ///
    /// # Errors
    /// [`TrustError::Malformed`], [`TrustError::TooLarge`] or [`TrustError::StoreFull`].
    pub fn add_link_certificate_der(&mut self, der: &[u8]) -> Result<bool, TrustError> {
        let certificate = Certificate::from_der(der)?;
        if self.hashes.contains(certificate.sha256()) {
            return Ok(false);
        }
        if self.certificates.len() + self.links.len() >= MAX_STORE_CERTIFICATES {
            return Err(TrustError::StoreFull);
        }
        self.hashes.insert(*certificate.sha256());
        self.links_by_subject
            .entry(certificate.subject().key().clone())
            .or_default()
            .push(self.links.len());
        self.links.push(Arc::new(certificate));
        Ok(true)
    }

    /// Adds every CSCA of a verified master list. Returns how many were new.
    ///
    /// # Errors
    /// [`TrustError::StoreFull`].
    pub fn add_master_list(&mut self, list: &MasterList) -> Result<usize, TrustError> {
        let mut added = 0;
        for certificate in list.shared_certificates() {
            if self.add_shared(Arc::clone(certificate))? {
                added += 1;
            }
        }
        Ok(added)
    }

    /// The number of trusted certificates (link certificates not counted).
    pub fn len(&self) -> usize {
        self.certificates.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.certificates.is_empty()
    }

    /// Every certificate, in the order added.
    pub fn iter(&self) -> impl Iterator<Item = &Certificate> {
        self.certificates.iter().map(AsRef::as_ref)
    }

    /// The certificates whose subject matches `name`.
    pub(crate) fn by_subject<'s>(
        &'s self,
        name: &DistinguishedName,
    ) -> impl Iterator<Item = &'s Arc<Certificate>> + 's {
        self.by_subject
            .get(name.key())
            .into_iter()
            .flatten()
            .filter_map(|i| self.certificates.get(*i))
    }

    /// The untrusted link certificates whose subject matches `name`.
    pub(crate) fn links_by_subject<'s>(
        &'s self,
        name: &DistinguishedName,
    ) -> impl Iterator<Item = &'s Arc<Certificate>> + 's {
        self.links_by_subject
            .get(name.key())
            .into_iter()
            .flatten()
            .filter_map(|i| self.links.get(*i))
    }
}

#[cfg(test)]
mod tests;
