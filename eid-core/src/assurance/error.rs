//! The one error type of the assurance area.

use super::LevelOfAssurance;

/// Why an `acr` value, a requirement or a policy declaration was rejected.
///
/// Each variant has a stable snake_case code ([`AssuranceError::reason`]) for logs and tests.
/// Messages never contain more than the first [`UNKNOWN_ACR_ECHO_MAX`] bytes of rejected input.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AssuranceError {
    /// The value is not a level of assurance this library knows.
    #[error("unknown acr value {value:?}")]
    UnknownAcr {
        /// The start of the rejected value, at most [`UNKNOWN_ACR_ECHO_MAX`] bytes.
        value: String,
        /// The length of the whole rejected value in bytes.
        len: usize,
    },
    /// The value is a level of assurance URI its registry has withdrawn (SC-REG §5: the
    /// `*-sigmessage` / `*-sigm` Sweden Connect levels).
    #[error("deprecated acr value {value:?}")]
    DeprecatedAcr {
        /// The rejected value (a known, public URI).
        value: String,
    },
    /// A requirement must list at least one level.
    #[error("a requirement needs at least one level of assurance")]
    EmptyRequirement,
    /// The `acr_values` string is longer than [`MAX_ACR_VALUES_LEN`].
    #[error("acr_values is {len} bytes long, more than the {max} allowed")]
    TooLong {
        /// The length of the input in bytes.
        len: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// More levels than [`MAX_LEVELS`] were listed.
    #[error("{count} levels of assurance listed, more than the {max} allowed")]
    TooManyLevels {
        /// How many levels were listed (counting stops one past the limit).
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A declared equivalence would let `asserted` count as the stronger `counts_as`.
    #[error("policy would raise {asserted} to {counts_as}")]
    PolicyRaisesLevel {
        /// The level as asserted by a provider.
        asserted: LevelOfAssurance,
        /// The level it was declared to count as.
        counts_as: LevelOfAssurance,
    },
    /// A declared equivalence would let a less certified level (self-declared, or not
    /// notified) count as a more certified one.
    #[error("policy would let {asserted} count as the more certified {counts_as}")]
    PolicyRaisesCertification {
        /// The level as asserted by a provider.
        asserted: LevelOfAssurance,
        /// The level it was declared to count as.
        counts_as: LevelOfAssurance,
    },
    /// A declared equivalence would change the identity type (for example a non-resident
    /// identity counted as a resident one).
    #[error("policy would change the identity type of {asserted} to that of {counts_as}")]
    PolicyChangesIdentityType {
        /// The level as asserted by a provider.
        asserted: LevelOfAssurance,
        /// The level it was declared to count as.
        counts_as: LevelOfAssurance,
    },
    /// A declared equivalence would mix test and production levels.
    #[error("policy would mix the test and production levels {asserted} and {counts_as}")]
    PolicyMixesTestAndProduction {
        /// The level as asserted by a provider.
        asserted: LevelOfAssurance,
        /// The level it was declared to count as.
        counts_as: LevelOfAssurance,
    },
    /// A declared equivalence would relate levels of different dimensions (for example a NIST
    /// authenticator assurance level counted as an overall level of assurance).
    #[error("policy would relate {asserted} and {counts_as}, which measure different things")]
    PolicyMixesDimensions {
        /// The level as asserted by a provider.
        asserted: LevelOfAssurance,
        /// The level it was declared to count as.
        counts_as: LevelOfAssurance,
    },
}

/// The longest `acr_values` string accepted, in bytes.
pub const MAX_ACR_VALUES_LEN: usize = 4096;

/// The most levels of assurance one requirement may list.
pub const MAX_LEVELS: usize = 32;

/// How many bytes of an unknown `acr` value an [`AssuranceError::UnknownAcr`] keeps.
pub const UNKNOWN_ACR_ECHO_MAX: usize = 64;

impl AssuranceError {
    /// A stable snake_case code for this error, for logs, metrics and tests.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::UnknownAcr { .. } => "unknown_acr",
            Self::DeprecatedAcr { .. } => "deprecated_acr",
            Self::EmptyRequirement => "empty_requirement",
            Self::TooLong { .. } => "too_long",
            Self::TooManyLevels { .. } => "too_many_levels",
            Self::PolicyRaisesLevel { .. } => "policy_raises_level",
            Self::PolicyRaisesCertification { .. } => "policy_raises_certification",
            Self::PolicyChangesIdentityType { .. } => "policy_changes_identity_type",
            Self::PolicyMixesTestAndProduction { .. } => "policy_mixes_test_and_production",
            Self::PolicyMixesDimensions { .. } => "policy_mixes_dimensions",
        }
    }

    /// An [`AssuranceError::UnknownAcr`] keeping at most [`UNKNOWN_ACR_ECHO_MAX`] bytes of
    /// `value` (cut at a character boundary).
    pub(crate) fn unknown(value: &str) -> Self {
        let mut end = value.len().min(UNKNOWN_ACR_ECHO_MAX);
        while !value.is_char_boundary(end) {
            end = end.saturating_sub(1);
        }
        Self::UnknownAcr {
            value: value.get(..end).unwrap_or_default().to_owned(),
            len: value.len(),
        }
    }
}
