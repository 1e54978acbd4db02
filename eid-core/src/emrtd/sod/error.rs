//! The errors of EF.SOD parsing.

use crate::emrtd::cms::CmsError;

/// Why an EF.SOD was rejected.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SodError {
    /// The CMS `SignedData` was rejected; [`reason`](Self::reason) is the CMS error's.
    #[error("EF.SOD: {0}")]
    Cms(#[from] CmsError),
    /// A data-group number outside 1–16, or one listed twice.
    #[error("data-group number {number} is out of range or repeated")]
    DataGroupNumber {
        /// The number found.
        number: u32,
    },
    /// A data-group hash whose length is not the hash algorithm's output length.
    #[error("the hash of DG{dg} has {len} bytes, expected {expected}")]
    HashLength {
        /// The data group.
        dg: u8,
        /// Its length.
        len: usize,
        /// The algorithm's output length.
        expected: usize,
    },
    /// Not the structure ICAO 9303 defines.
    #[error("malformed {structure}")]
    Malformed {
        /// The structure being read.
        structure: &'static str,
    },
    /// The `SignedData` has no `SignerInfo`.
    #[error("the EF.SOD has no signer")]
    NoSigner,
    /// Longer than the limit.
    #[error("EF.SOD of {len} bytes exceeds the limit of {max}")]
    TooLarge {
        /// The input length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// An eContentType that is not an LDS security object.
    #[error("eContentType {found} is not an LDS security object")]
    UnexpectedContentType {
        /// The content type found, dotted.
        found: String,
    },
    /// The file starts with neither the `0x77` wrapper nor a SEQUENCE.
    #[error("EF.SOD starts with tag {found:#04x}, expected 0x77 or 0x30")]
    UnexpectedTag {
        /// The first octet.
        found: u8,
    },
    /// A data-group hash algorithm other than SHA-1/2.
    #[error("unsupported data-group hash algorithm {oid}")]
    UnsupportedAlgorithm {
        /// The algorithm, dotted.
        oid: String,
    },
    /// An `LDSSecurityObject` version other than 0 or 1.
    #[error("unsupported LDSSecurityObject version {version}")]
    UnsupportedVersion {
        /// The version found.
        version: u32,
    },
}

impl SodError {
    /// A stable snake_case code for logs and metrics (a CMS error gives its own code).
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Cms(error) => error.reason(),
            Self::DataGroupNumber { .. } => "data_group_number",
            Self::HashLength { .. } => "hash_length",
            Self::Malformed { .. } => "malformed",
            Self::NoSigner => "no_signer",
            Self::TooLarge { .. } => "too_large",
            Self::UnexpectedContentType { .. } => "unexpected_content_type",
            Self::UnexpectedTag { .. } => "unexpected_tag",
            Self::UnsupportedAlgorithm { .. } => "unsupported_algorithm",
            Self::UnsupportedVersion { .. } => "unsupported_version",
        }
    }
}
