//! The errors of CMS parsing.

/// Why a CMS structure was rejected.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CmsError {
    /// The encapsulated content is absent (detached signature): eMRTD objects always carry it.
    #[error("the SignedData carries no encapsulated content")]
    MissingContent,
    /// Not well-formed BER, or not the structure RFC 5652 (or ICAO 9303) defines.
    #[error("malformed {structure}")]
    Malformed {
        /// The ASN.1 type being read (`ContentInfo`, `SignerInfo`, ...).
        structure: &'static str,
    },
    /// Longer than the limit.
    #[error("CMS input of {len} bytes exceeds the limit of {max}")]
    TooLarge {
        /// The input length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A content type other than the one expected.
    #[error("content type {found}, expected {expected}")]
    UnexpectedContentType {
        /// The content type found, dotted.
        found: String,
        /// The content type expected, dotted.
        expected: &'static str,
    },
    /// A digest algorithm other than SHA-1, SHA-224, SHA-256, SHA-384 or SHA-512.
    #[error("unsupported digest algorithm {oid}")]
    UnsupportedAlgorithm {
        /// The algorithm, dotted.
        oid: String,
    },
}

impl CmsError {
    /// A stable snake_case code for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::MissingContent => "missing_content",
            Self::Malformed { .. } => "malformed",
            Self::TooLarge { .. } => "too_large",
            Self::UnexpectedContentType { .. } => "unexpected_content_type",
            Self::UnsupportedAlgorithm { .. } => "unsupported_algorithm",
        }
    }
}
