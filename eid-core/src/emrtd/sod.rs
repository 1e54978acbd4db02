//! EF.SOD, the document security object (ICAO 9303 part 10 §4.6.2, part 12 §7.2): CMS
//! `SignedData` whose content is the `LDSSecurityObject`, the hashes of the data groups.
//!
//! [`Sod::from_bytes`] reads the file as the chip returns it: inside its `0x77` wrapper, or as a
//! bare `ContentInfo` (an Italian identity card stores it so), BER with indefinite lengths
//! allowed. The eContentType may be `id-icao-mrtd-security-ldsSecurityObject`
//! (`2.23.136.1.1.1`) or one of the variants seen in issued documents
//! ([`ACCEPTED_ECONTENT_TYPES`]). The [`LdsSecurityObject`] is read in version 0 and version 1
//! (with `ldsVersionInfo`).
//!
//! Nothing here is verified: [`crate::emrtd::passive`] checks the signature, the signed
//! attributes and the data-group hashes.
//!
//! ```
//! use eid_core::emrtd::digest::DigestAlgorithm;
//! use eid_core::emrtd::sod::Sod;
//!
//! // The EF.SOD and DG1 of the BSI TR-03105 reference passport (Erika Mustermann).
//! let sod = Sod::from_bytes(include_bytes!(
//!     "../../tests/data/emrtd/bsi_tr03105_2013/EF_SOD.bin"
//! ))?;
//! let lds = sod.lds();
//! assert_eq!(lds.version(), 0);
//! assert_eq!(lds.digest_algorithm(), DigestAlgorithm::Sha256);
//! let covered: Vec<u8> = lds.data_groups().map(|(dg, _)| dg).collect();
//! assert_eq!(covered, [1, 2, 3, 4, 14]);
//!
//! let dg1 = include_bytes!("../../tests/data/emrtd/bsi_tr03105_2013/EF_DG1.bin");
//! assert_eq!(lds.data_group_hash(1), Some(lds.digest_algorithm().digest(dg1).as_slice()));
//! assert_eq!(lds.data_group_hash(15), None); // DG15 is not covered by this SOD
//!
//! // The signer signed the content type and the digest of the LDS security object.
//! let signed_data = sod.signed_data();
//! let signer = &signed_data.signer_infos()[0];
//! let attributes = signer.signed_attributes().expect("signed attributes");
//! assert_eq!(attributes.content_type(), Some("2.23.136.1.1.1"));
//! # Ok::<(), eid_core::emrtd::sod::SodError>(())
//! ```

use std::fmt;

use asn1_rs::Class;

use super::cms::SignedData;
use super::cms::ber::{self, Element, Malformed};
use super::digest::DigestAlgorithm;

mod error;

pub use error::SodError;

/// The largest EF.SOD [`Sod::from_bytes`] reads, in bytes (real ones are 1.5–3 KB; the file
/// size field of the chip allows up to 64 KiB).
pub const MAX_SOD_LEN: usize = 64 * 1024;

/// `id-icao-mrtd-security-ldsSecurityObject` (ICAO 9303 part 10 §4.6.2.2).
pub const LDS_SECURITY_OBJECT_OID: &str = "2.23.136.1.1.1";

/// The eContentTypes accepted for the LDS security object: the ICAO one, `id-data` (Chinese
/// passports), an early ICAO draft's `1.3.27.1.1.1`, and the Dutch (Sdu) `1.2.528.1.1006.1.20.1`.
pub const ACCEPTED_ECONTENT_TYPES: [&str; 4] = [
    LDS_SECURITY_OBJECT_OID,
    "1.2.840.113549.1.7.1",
    "1.3.27.1.1.1",
    "1.2.528.1.1006.1.20.1",
];

/// The most data groups an LDS security object lists (DG1–DG16).
const MAX_DATA_GROUP: u32 = 16;

/// A parsed EF.SOD: the CMS `SignedData` and the LDS security object it carries.
#[derive(Clone, Debug)]
pub struct Sod {
    signed_data: SignedData,
    lds: LdsSecurityObject,
}

impl Sod {
    /// Reads an EF.SOD: `77 len ContentInfo` or a bare `ContentInfo`, nothing after it.
    ///
    /// # Errors
    ///
    /// - [`SodError::TooLarge`]: longer than [`MAX_SOD_LEN`];
    /// - [`SodError::UnexpectedTag`]: neither `0x77` nor a SEQUENCE;
    /// - [`SodError::Cms`]: the CMS structure is rejected (see [`CmsError`](super::cms::CmsError));
    /// - [`SodError::UnexpectedContentType`]: an eContentType not in
    ///   [`ACCEPTED_ECONTENT_TYPES`];
    /// - [`SodError::NoSigner`]: the `SignedData` has no signer;
    /// - the errors of [`LdsSecurityObject::from_ber`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SodError> {
        if bytes.len() > MAX_SOD_LEN {
            return Err(SodError::TooLarge {
                len: bytes.len(),
                max: MAX_SOD_LEN,
            });
        }
        let content_info = match bytes.first() {
            Some(0x77) => {
                let malformed = |_: Malformed| SodError::Malformed {
                    structure: "EF.SOD wrapper",
                };
                let wrapper = Element::parse_exact(bytes)
                    .and_then(|wrapper| wrapper.expect(Class::Application, 23, true))
                    .map_err(malformed)?;
                wrapper.content()
            }
            Some(0x30) => bytes,
            Some(&found) => return Err(SodError::UnexpectedTag { found }),
            None => {
                return Err(SodError::Malformed {
                    structure: "EF.SOD wrapper",
                });
            }
        };
        let signed_data = SignedData::from_content_info_ber(content_info)?;
        if !ACCEPTED_ECONTENT_TYPES.contains(&signed_data.econtent_type()) {
            return Err(SodError::UnexpectedContentType {
                found: signed_data.econtent_type().to_owned(),
            });
        }
        if signed_data.signer_infos().is_empty() {
            return Err(SodError::NoSigner);
        }
        let lds = LdsSecurityObject::from_ber(signed_data.econtent())?;
        Ok(Self { signed_data, lds })
    }

    /// The CMS `SignedData`: certificates, signer, signed attributes.
    pub fn signed_data(&self) -> &SignedData {
        &self.signed_data
    }

    /// The LDS security object: the data-group hashes.
    pub fn lds(&self) -> &LdsSecurityObject {
        &self.lds
    }
}

/// The LDS security object (ICAO 9303 part 10 §4.6.2.2).
///
/// ```text
/// LDSSecurityObject ::= SEQUENCE {
///   version LDSSecurityObjectVersion,          -- v0(0), v1(1)
///   hashAlgorithm DigestAlgorithmIdentifier,
///   dataGroupHashValues SEQUENCE SIZE (2..ub-DataGroups) OF DataGroupHash,
///   ldsVersionInfo LDSVersionInfo OPTIONAL }   -- present if and only if version is v1
/// DataGroupHash ::= SEQUENCE {
///   dataGroupNumber DataGroupNumber,           -- 1..16
///   dataGroupHashValue OCTET STRING }
/// LDSVersionInfo ::= SEQUENCE { ldsVersion PrintableString, unicodeVersion PrintableString }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct LdsSecurityObject {
    version: u8,
    digest_algorithm: DigestAlgorithm,
    hashes: Vec<(u8, Vec<u8>)>,
    lds_version_info: Option<(String, String)>,
}

impl LdsSecurityObject {
    /// Reads an `LDSSecurityObject` (the eContent of an EF.SOD).
    ///
    /// # Errors
    ///
    /// - [`SodError::UnsupportedVersion`]: a version other than 0 or 1;
    /// - [`SodError::UnsupportedAlgorithm`]: a hash algorithm other than SHA-1/2;
    /// - [`SodError::DataGroupNumber`]: a data-group number outside 1–16, or listed twice;
    /// - [`SodError::HashLength`]: a hash whose length is not the algorithm's;
    /// - [`SodError::Malformed`]: anything else (fewer than two hashes, `ldsVersionInfo` present
    ///   in v0 or absent in v1, trailing data).
    pub fn from_ber(bytes: &[u8]) -> Result<Self, SodError> {
        let malformed = |_: Malformed| SodError::Malformed {
            structure: "LDSSecurityObject",
        };
        let lds = Element::parse_exact(bytes).map_err(malformed)?;
        let mut fields = lds.sequence().map_err(malformed)?;
        let version = fields
            .required()
            .and_then(|v| v.small_uint())
            .map_err(malformed)?;
        let version = match version {
            0 => 0,
            1 => 1,
            _ => return Err(SodError::UnsupportedVersion { version }),
        };
        let (oid, _parameters) = fields
            .required()
            .and_then(|algorithm| ber::algorithm_identifier(&algorithm))
            .map_err(malformed)?;
        let digest_algorithm =
            DigestAlgorithm::from_oid(&oid).ok_or(SodError::UnsupportedAlgorithm { oid })?;
        let mut values = fields
            .required()
            .and_then(|seq| seq.sequence())
            .map_err(malformed)?;
        let mut hashes: Vec<(u8, Vec<u8>)> = Vec::new();
        while let Some(value) = values.next().map_err(malformed)? {
            let mut pair = value.sequence().map_err(malformed)?;
            let number = pair
                .required()
                .and_then(|n| n.small_uint())
                .map_err(malformed)?;
            let hash = pair
                .required()
                .and_then(|hash| hash.octets())
                .map_err(malformed)?;
            pair.finish().map_err(malformed)?;
            let dg = u8::try_from(number)
                .ok()
                .filter(|dg| (1..=MAX_DATA_GROUP).contains(&u32::from(*dg)))
                .ok_or(SodError::DataGroupNumber { number })?;
            if hashes.iter().any(|(seen, _)| *seen == dg) {
                return Err(SodError::DataGroupNumber { number });
            }
            if hash.len() != digest_algorithm.output_len() {
                return Err(SodError::HashLength {
                    dg,
                    len: hash.len(),
                    expected: digest_algorithm.output_len(),
                });
            }
            hashes.push((dg, hash.into_owned()));
        }
        if hashes.len() < 2 {
            return Err(malformed(Malformed));
        }
        hashes.sort_by_key(|(dg, _)| *dg);
        let lds_version_info = fields
            .next()
            .map_err(malformed)?
            .map(|info| lds_version_info(&info))
            .transpose()
            .map_err(malformed)?;
        fields.finish().map_err(malformed)?;
        if (version == 1) != lds_version_info.is_some() {
            return Err(malformed(Malformed));
        }
        Ok(Self {
            version,
            digest_algorithm,
            hashes,
            lds_version_info,
        })
    }

    /// The version: 0, or 1 with [`lds_version_info`](Self::lds_version_info).
    pub fn version(&self) -> u8 {
        self.version
    }

    /// The hash algorithm of the data groups.
    pub fn digest_algorithm(&self) -> DigestAlgorithm {
        self.digest_algorithm
    }

    /// The hash of data group `dg`, or `None` if the SOD does not cover it.
    pub fn data_group_hash(&self, dg: u8) -> Option<&[u8]> {
        self.hashes
            .iter()
            .find(|(number, _)| *number == dg)
            .map(|(_, hash)| hash.as_slice())
    }

    /// The covered data groups and their hashes, by data-group number.
    pub fn data_groups(&self) -> impl Iterator<Item = (u8, &[u8])> {
        self.hashes.iter().map(|(dg, hash)| (*dg, hash.as_slice()))
    }

    /// The LDS and Unicode versions of a v1 object (`("0108", "040000")`), `None` in v0.
    pub fn lds_version_info(&self) -> Option<(&str, &str)> {
        self.lds_version_info
            .as_ref()
            .map(|(lds, unicode)| (lds.as_str(), unicode.as_str()))
    }
}

impl fmt::Debug for LdsSecurityObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let data_groups: Vec<u8> = self.hashes.iter().map(|(dg, _)| *dg).collect();
        f.debug_struct("LdsSecurityObject")
            .field("version", &self.version)
            .field("digest_algorithm", &self.digest_algorithm)
            .field("data_groups", &data_groups)
            .field("lds_version_info", &self.lds_version_info)
            .finish()
    }
}

fn lds_version_info(element: &Element<'_>) -> Result<(String, String), Malformed> {
    let mut fields = element.sequence()?;
    let lds = fields.required()?.text()?.to_owned();
    let unicode = fields.required()?.text()?.to_owned();
    fields.finish()?;
    Ok((lds, unicode))
}

#[cfg(test)]
mod tests;
