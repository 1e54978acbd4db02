//! The binding of a credential to a verified travel document and its holder's face: how a
//! person without a Swedish eID reaches a level of assurance with a passport or ID card.
//!
//! 1. The chip is read and verified: passive authentication ([`crate::emrtd::passive`]) proves
//!    its data groups, active authentication shows it is not a clone. [`DocumentEvidence`]
//!    holds what that proved about the document and holder; it is built only from a
//!    [`PassiveAuthProof`](crate::emrtd::passive::PassiveAuthProof) covering DG1.
//! 2. A [`FaceMatcher`] compares the person in front of the camera with the chip's portrait
//!    (DG2) and yields a [`FaceComparison`]: score, threshold, algorithm and
//!    presentation-attack detection. The matcher is pluggable; [`TestFaceMatcher`] is a
//!    deterministic stand-in for tests, not a biometric engine.
//! 3. A [`ProofingPolicy`] — data, with a documented default — turns the [`ProofingFacts`] into
//!    a [`LevelOfAssurance`](crate::assurance::LevelOfAssurance) or a [`ProofingRefusal`].
//! 4. A [`CredentialBinding`] ties a credential (a public key or a passkey) to the evidence's
//!    digest and the level, signed as a JWS the provider can store and re-verify at each use;
//!    it carries the proofing as OpenID Connect for Identity Assurance `verified_claims`.
//!
//! ```
//! use eid_core::assurance::LevelOfAssurance;
//! use eid_core::binding::{
//!     ChipCheck, CloneCheck, FaceMatcher, PadLevel, Presence, ProofingFacts, ProofingPolicy,
//!     ProofingRefusal, TestFaceMatcher,
//! };
//!
//! let matcher = TestFaceMatcher::new(0.9, PadLevel::Level1);
//! let portrait = b"portrait read from DG2";
//! let policy = ProofingPolicy::default();
//! let facts = |face| ProofingFacts {
//!     chip: ChipCheck::Chained,
//!     clone_check: CloneCheck::Passed,
//!     document_expired: false,
//!     face: Some(face),
//!     presence: Presence::Remote,
//!     holder_has_personal_number: false,
//! };
//!
//! // The same face: substantial, and for a person without a personnummer `loa3-nonresident`.
//! let face = matcher.compare(portrait, portrait)?;
//! let decision = policy.evaluate(&facts(face)).map_err(|r| r.reason())?;
//! assert_eq!(decision.level, LevelOfAssurance::Loa3NonResident);
//! assert_eq!(decision.ida_assurance_level, "substantial");
//!
//! // Another face: refused outright, not a lower level.
//! let other = matcher.compare(portrait, &[0xFF; 64])?;
//! assert_eq!(policy.evaluate(&facts(other)), Err(ProofingRefusal::FaceMismatch));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod credential;
mod error;
mod evidence;
mod face;
mod policy;

pub use credential::{
    BoundCredential, CREDENTIAL_BINDING_TYPE, CredentialBinding, MAX_BINDING_BYTES,
};
pub use error::BindingError;
pub use evidence::{ActiveAuthExchange, ChipData, DocumentEvidence};
pub use face::{FaceComparison, FaceMatcher, PadLevel, TestFaceMatcher};
pub use policy::{
    ChipCheck, CloneCheck, FaceRequirement, Presence, ProofingDecision, ProofingFacts,
    ProofingPolicy, ProofingRefusal, ProofingRule,
};

#[cfg(test)]
mod tests;
