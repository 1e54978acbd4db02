//! Levels of assurance across frameworks, and matching an asserted level against a request.
//!
//! One [`LevelOfAssurance`] value per `acr` URI of the Swedish eID framework (`loa1`–`loa4`,
//! `eidas-*`, `eidas-nf-*`, `*-nonresident`, `uncertified-*`), EU eIDAS (notified and
//! `NotNotified`), NIST SP 800-63 (IAL, AAL, FAL), Norway's ID-porten, Denmark's NSIS and
//! Finland's FTN (standards.md §3). Each parses from and formats to its exact URI.
//!
//! # Rules
//!
//! - **Order.** Levels form a partial order: comparable only within one [`Framework`],
//!   [`Dimension`], [`IdentityType`] and environment (test or production); there a level is
//!   greater iff it is at least as strong and at least as [certified](Certification). So
//!   `uncertified-loa3 < loa3`, but `uncertified-loa3` and `loa2` are incomparable, and
//!   `loa3-nonresident` is incomparable with `loa3` (same strength, other identity type).
//! - **Matching** is chosen by the caller ([`Matching`]): *exact* (Sweden Connect: the
//!   asserted level is one of the requested ones) or *minimum* (ID-porten: at least one of
//!   them).
//! - **No translation** between frameworks (SC-RULES §1.2.2). A deployment may declare
//!   equivalences in an [`AssurancePolicy`], which refuses any declaration that would raise a
//!   level, make a less certified level count as a more certified one, change the identity
//!   type, relate different NIST dimensions, or mix test and production levels.
//! - **Non-residents.** A `*-nonresident` identity has no personnummer, and its token must not
//!   carry one ([`LevelOfAssurance::permits_personal_identity_number`]).
//! - **Bounds.** `acr_values` is limited to [`MAX_ACR_VALUES_LEN`] bytes and [`MAX_LEVELS`]
//!   values; unknown values are errors ([`AssuranceError`]).
//!
//! NIST defines no URIs: the NIST values are ours, following the `idmanagement.gov` pattern
//! login.gov uses (`http://idmanagement.gov/ns/assurance/ial/2`, `…/aal/2`), extended to
//! `ial/3` and `fal/1`–`fal/3`. The legacy ID-porten values `Level3` and `Level4` are read as
//! `idporten-loa-substantial` and `idporten-loa-high` (and format as those). The withdrawn
//! Swedish `*-sigmessage` / `*-sigm` levels are refused ([`AssuranceError::DeprecatedAcr`]).
//!
//! # Example
//!
//! ```
//! use eid_core::assurance::{AssurancePolicy, LevelOfAssurance, Matching, Requirement};
//!
//! # fn main() -> Result<(), eid_core::assurance::AssuranceError> {
//! // A Sweden Connect service accepting level 3 or 4, exactly.
//! let requirement = Requirement::from_acr_values(
//!     "http://id.elegnamnden.se/loa/1.0/loa3 http://id.elegnamnden.se/loa/1.0/loa4",
//!     Matching::Exact,
//! )?;
//! let asserted: LevelOfAssurance = "http://id.elegnamnden.se/loa/1.0/loa3".parse()?;
//! assert!(requirement.is_satisfied_by(asserted));
//! assert!(!requirement.is_satisfied_by(LevelOfAssurance::UncertifiedLoa3));
//!
//! // A provider certified for loa4 answers a loa3-only request with loa3.
//! let loa3_only = Requirement::new(vec![LevelOfAssurance::Loa3], Matching::Exact)?;
//! assert_eq!(loa3_only.answer_for(LevelOfAssurance::Loa4), Some(LevelOfAssurance::Loa3));
//!
//! // ID-porten semantics: the request is a minimum.
//! let norway = Requirement::from_acr_values("idporten-loa-substantial", Matching::Minimum)?;
//! assert!(norway.is_satisfied_by(LevelOfAssurance::IdportenHigh));
//!
//! // eIDAS and the Swedish connector's URIs are related only where a deployment says so.
//! let connector = Requirement::new(
//!     vec![LevelOfAssurance::SwedenEidasNotifiedSubstantial],
//!     Matching::Exact,
//! )?;
//! assert!(!connector.is_satisfied_by(LevelOfAssurance::EidasSubstantial));
//! let policy = AssurancePolicy::new().declare_equivalent(
//!     LevelOfAssurance::EidasSubstantial,
//!     LevelOfAssurance::SwedenEidasNotifiedSubstantial,
//! )?;
//! assert!(connector.is_satisfied_by_with(LevelOfAssurance::EidasSubstantial, &policy));
//!
//! // A policy never raises a level.
//! assert!(AssurancePolicy::new()
//!     .accept_as(LevelOfAssurance::UncertifiedLoa3, LevelOfAssurance::Loa3)
//!     .is_err());
//! # Ok(())
//! # }
//! ```

mod error;
mod level;
mod policy;
mod requirement;

pub use error::{AssuranceError, MAX_ACR_VALUES_LEN, MAX_LEVELS, UNKNOWN_ACR_ECHO_MAX};
pub use level::{Certification, Dimension, Framework, IdentityType, LevelOfAssurance};
pub use policy::AssurancePolicy;
pub use requirement::{Matching, Requirement};

#[cfg(test)]
mod tests;
