//! The content of an ICAO CSCA master list (ICAO 9303 part 12 §9).

use super::ber::{Element, Malformed};
use super::{CmsError, SignedData};

/// `id-icao-cscaMasterList` (ICAO 9303 part 12 §9): the eContentType of a CSCA master list.
pub const CSCA_MASTER_LIST_OID: &str = "2.23.136.1.1.2";

/// The certificates of a CSCA master list, read from its signed content. The signature is not
/// checked here: the `trust` module verifies it before using the list.
///
/// ```text
/// CscaMasterList ::= SEQUENCE {
///   version CscaMasterListVersion,  -- v0(0)
///   certList SET OF Certificate }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct CscaMasterList {
    version: u32,
    certificates: Vec<Vec<u8>>,
}

impl CscaMasterList {
    /// Reads the master list that `signed_data` encapsulates.
    ///
    /// # Errors
    ///
    /// [`CmsError::UnexpectedContentType`] if the eContentType is not
    /// [`CSCA_MASTER_LIST_OID`]; [`CmsError::Malformed`] if the content is not a
    /// `CscaMasterList`.
    pub fn from_signed_data(signed_data: &SignedData) -> Result<Self, CmsError> {
        if signed_data.econtent_type() != CSCA_MASTER_LIST_OID {
            return Err(CmsError::UnexpectedContentType {
                found: signed_data.econtent_type().to_owned(),
                expected: CSCA_MASTER_LIST_OID,
            });
        }
        Self::from_ber(signed_data.econtent())
    }

    /// Reads a `CscaMasterList` (the eContent of a master list).
    ///
    /// # Errors
    ///
    /// [`CmsError::Malformed`] if `bytes` is not one `CscaMasterList` whose every element of
    /// `certList` is a SEQUENCE.
    pub fn from_ber(bytes: &[u8]) -> Result<Self, CmsError> {
        let malformed = |_: Malformed| CmsError::Malformed {
            structure: "CscaMasterList",
        };
        let list = Element::parse_exact(bytes).map_err(malformed)?;
        let mut fields = list.sequence().map_err(malformed)?;
        let version = fields
            .required()
            .and_then(|v| v.small_uint())
            .map_err(malformed)?;
        let mut set = fields
            .required()
            .and_then(|set| set.set())
            .map_err(malformed)?;
        fields.finish().map_err(malformed)?;
        let mut certificates = Vec::new();
        while let Some(certificate) = set.next().map_err(malformed)? {
            certificate.sequence().map_err(malformed)?;
            certificates.push(certificate.raw().to_vec());
        }
        Ok(Self {
            version,
            certificates,
        })
    }

    /// The version (0).
    pub fn version(&self) -> u32 {
        self.version
    }

    /// The CSCA certificates, each as the bytes received (DER in practice), in list order.
    pub fn certificates(&self) -> &[Vec<u8>] {
        &self.certificates
    }

    /// The CSCA certificates, by value.
    pub fn into_certificates(self) -> Vec<Vec<u8>> {
        self.certificates
    }
}

impl std::fmt::Debug for CscaMasterList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CscaMasterList")
            .field("version", &self.version)
            .field("certificates", &self.certificates.len())
            .finish()
    }
}
