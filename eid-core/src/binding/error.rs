//! Errors of the binding area.

use crate::jose::JoseError;

/// Why evidence could not be built, or a binding made or verified.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BindingError {
    /// The binding's JWS named an algorithm outside the caller's allow-list (or `none`/HMAC).
    #[error("the binding's algorithm is not allowed")]
    AlgorithmNotAllowed,
    /// A data group given is not covered by the SOD, so it is not evidence.
    #[error("data group {number} is not covered by the SOD")]
    DataGroupNotProven {
        /// The data group.
        number: u8,
    },
    /// A data group does not parse.
    #[error("a data group does not parse: {0}")]
    DataGroup(#[source] crate::emrtd::datagroup::DataGroupError),
    /// DG1 could not be read as an MRZ.
    #[error("DG1 does not hold a valid MRZ")]
    Dg1Invalid,
    /// An image given to a face matcher cannot be used.
    #[error("the face image cannot be used (empty, too large or unreadable)")]
    FaceImage,
    /// A bound credential is not acceptable (an empty or oversized passkey id).
    #[error("the credential to bind is not acceptable")]
    InvalidCredential,
    /// A face comparison's numbers are outside `0.0..=1.0` or its algorithm id is unusable.
    #[error("the face comparison is invalid")]
    InvalidFaceComparison,
    /// A proofing policy is unusable (no rules, too many, or a rule whose non-resident level
    /// permits a personal identity number).
    #[error("the proofing policy is invalid (rule {rule:?})")]
    InvalidPolicy {
        /// The index of the offending rule, if one is.
        rule: Option<usize>,
    },
    /// The binding was made by another issuer.
    #[error("the binding was made by another issuer")]
    IssuerMismatch,
    /// A JOSE operation failed (signing, or a signature that does not verify).
    #[error("JOSE: {0}")]
    Jose(#[source] JoseError),
    /// The binding is not a well-formed JWS of a binding.
    #[error("the binding is malformed")]
    Malformed,
    /// Passive authentication failed.
    #[error("passive authentication failed: {0}")]
    PassiveAuthentication(#[source] crate::emrtd::passive::PassiveAuthError),
    /// The SOD does not parse.
    #[error("the SOD does not parse: {0}")]
    Sod(#[source] crate::emrtd::sod::SodError),
    /// The binding is larger than the limit.
    #[error("the binding is too large")]
    TooLarge,
    /// The binding's key id is not in the key set.
    #[error("the binding's key is unknown")]
    UnknownKey,
    /// The JWS is not typed as a credential binding.
    #[error("the JWS is not a credential binding")]
    WrongType,
}

impl BindingError {
    /// A stable snake_case code.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::AlgorithmNotAllowed => "algorithm_not_allowed",
            Self::DataGroupNotProven { .. } => "data_group_not_covered",
            Self::DataGroup(error) => error.reason(),
            Self::PassiveAuthentication(error) => error.reason(),
            Self::Sod(error) => error.reason(),
            Self::Dg1Invalid => "mrz_invalid",
            Self::FaceImage => "face_image",
            Self::InvalidCredential => "invalid_credential",
            Self::InvalidFaceComparison => "invalid_face_comparison",
            Self::InvalidPolicy { .. } => "invalid_policy",
            Self::IssuerMismatch => "issuer_mismatch",
            Self::Jose(JoseError::SignatureInvalid) => "signature_invalid",
            Self::Jose(_) => "jose",
            Self::Malformed => "malformed",
            Self::TooLarge => "too_large",
            Self::UnknownKey => "unknown_key",
            Self::WrongType => "wrong_type",
        }
    }
}
