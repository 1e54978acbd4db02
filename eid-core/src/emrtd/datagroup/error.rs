//! The errors of data-group parsing.

use crate::mrz::MrzError;

/// Why a data group was rejected. Never quotes the data group's content.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DataGroupError {
    /// Not the structure ICAO 9303 (or ISO/IEC 19794-5) defines.
    #[error("malformed {structure}")]
    Malformed {
        /// The structure being read.
        structure: &'static str,
    },
    /// DG1's MRZ was rejected.
    #[error("DG1 MRZ: {0}")]
    Mrz(#[source] MrzError),
    /// DG1's MRZ is not 90, 72 or 88 characters long.
    #[error("DG1 MRZ of {len} characters, expected 90, 72 or 88")]
    MrzLength {
        /// The length found.
        len: usize,
    },
    /// DG2 holds no facial image.
    #[error("DG2 holds no facial image")]
    NoImage,
    /// Longer than the limit.
    #[error("data group of {len} bytes exceeds the limit of {max}")]
    TooLarge {
        /// The input length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The file is not the data group asked for.
    #[error("expected DG{dg}, found tag {found:#04x}")]
    UnexpectedTag {
        /// The data group expected.
        dg: u8,
        /// The first octet found.
        found: u8,
    },
    /// A biometric data block in another format than an ISO/IEC 19794-5:2005 facial record.
    #[error("biometric data block is not an ISO/IEC 19794-5:2005 facial record")]
    UnsupportedBiometricFormat,
    /// A facial image that is neither JPEG nor JPEG 2000.
    #[error("facial image is neither JPEG nor JPEG 2000")]
    UnsupportedImageFormat,
}

impl DataGroupError {
    /// A stable snake_case code for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Malformed { .. } => "malformed",
            Self::Mrz(_) => "mrz_invalid",
            Self::MrzLength { .. } => "mrz_length",
            Self::NoImage => "no_image",
            Self::TooLarge { .. } => "too_large",
            Self::UnexpectedTag { .. } => "unexpected_tag",
            Self::UnsupportedBiometricFormat => "unsupported_biometric_format",
            Self::UnsupportedImageFormat => "unsupported_image_format",
        }
    }
}
