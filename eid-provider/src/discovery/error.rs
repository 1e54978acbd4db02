//! Errors of provider metadata.

/// What is wrong with a URL in provider metadata.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UrlProblem {
    /// It has a fragment.
    #[error("has a fragment")]
    Fragment,
    /// It is not an absolute URL with a host.
    #[error("is not an absolute URL")]
    NotAbsoluteUrl,
    /// Its scheme is not `https` (and not `http` on a loopback host).
    #[error("is not https")]
    NotHttps,
    /// An endpoint path does not start with `/`.
    #[error("has a path that does not start with /")]
    PathNotAbsolute,
    /// It has a query (not allowed in an issuer).
    #[error("has a query")]
    Query,
    /// It has a user name or password.
    #[error("has user info")]
    UserInfo,
}

/// Why provider metadata was refused.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    /// A list lacks a value the profile requires.
    #[error("{field} must contain {value}")]
    MissingValue {
        /// The metadata field.
        field: &'static str,
        /// The required value.
        value: &'static str,
    },
    /// A list holds a value the profile forbids.
    #[error("{field} must not contain {value}")]
    ForbiddenValue {
        /// The metadata field.
        field: &'static str,
        /// The forbidden value.
        value: &'static str,
    },
    /// The document is larger than the limit.
    #[error("the document has {size} bytes, more than {max}")]
    TooLarge {
        /// Its size in bytes.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// A flag has the wrong value.
    #[error("{field} must be {required}")]
    WrongFlag {
        /// The metadata field.
        field: &'static str,
        /// The value required.
        required: bool,
    },
    /// An endpoint URL is unacceptable.
    #[error("{field} {problem}")]
    InvalidEndpoint {
        /// The metadata field.
        field: &'static str,
        /// What is wrong.
        problem: UrlProblem,
    },
    /// The issuer is unacceptable.
    #[error("the issuer {problem}")]
    InvalidIssuer {
        /// What is wrong.
        problem: UrlProblem,
    },
    /// The document's issuer is not the one expected (the URL used to fetch it).
    #[error("the document's issuer is not the expected issuer")]
    IssuerMismatch,
    /// The document is not JSON provider metadata.
    #[error("the document is not provider metadata")]
    Json(#[source] serde_json::Error),
}

impl DiscoveryError {
    /// A stable snake_case code for this error, for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::ForbiddenValue { .. } => "forbidden_value",
            Self::InvalidEndpoint { .. } => "invalid_endpoint",
            Self::InvalidIssuer { .. } => "invalid_issuer",
            Self::IssuerMismatch => "issuer_mismatch",
            Self::Json(_) => "malformed_metadata",
            Self::MissingValue { .. } => "missing_value",
            Self::TooLarge { .. } => "too_large",
            Self::WrongFlag { .. } => "wrong_flag",
        }
    }
}
