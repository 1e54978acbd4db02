//! Equivalences a deployment declares between levels of assurance.

use super::{AssuranceError, LevelOfAssurance};

/// The equivalences one deployment declares, for example "a notified eIDAS substantial from
/// our own node counts as the Swedish connector's `eidas-nf-sub`". Empty by default: nothing
/// is translated unless declared (SC-RULES §1.2.2: no official Swedish ↔ eIDAS translation).
///
/// A declaration is checked when made and refused if it would raise a level: the level it
/// counts as must be of the same identity type, environment (test or production) and
/// dimension, no stronger and no more certified. Declarations apply one step at a time, never
/// chained.
///
/// To accept ID-porten's `eidas-loa-high` where `idporten-loa-high` is asked for, list both
/// levels in the [`Requirement`](super::Requirement): the identity types differ, so no policy
/// may equate them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssurancePolicy {
    /// `(asserted, counts_as)` pairs, each checked by `check`.
    accepted: Vec<(LevelOfAssurance, LevelOfAssurance)>,
}

impl AssurancePolicy {
    /// A policy declaring nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Declares that an asserted `asserted` also counts as `counts_as`.
    ///
    /// # Errors
    ///
    /// [`AssuranceError::PolicyMixesTestAndProduction`],
    /// [`AssuranceError::PolicyChangesIdentityType`],
    /// [`AssuranceError::PolicyMixesDimensions`], [`AssuranceError::PolicyRaisesLevel`] or
    /// [`AssuranceError::PolicyRaisesCertification`] if the declaration would raise
    /// `asserted`.
    pub fn accept_as(
        mut self,
        asserted: LevelOfAssurance,
        counts_as: LevelOfAssurance,
    ) -> Result<Self, AssuranceError> {
        check(asserted, counts_as)?;
        if asserted != counts_as && !self.accepted.contains(&(asserted, counts_as)) {
            self.accepted.push((asserted, counts_as));
        }
        Ok(self)
    }

    /// Declares `a` and `b` equivalent: each counts as the other. Only levels of equal
    /// strength and certification can be equivalent.
    ///
    /// # Errors
    ///
    /// As [`AssurancePolicy::accept_as`], in either direction.
    pub fn declare_equivalent(
        self,
        a: LevelOfAssurance,
        b: LevelOfAssurance,
    ) -> Result<Self, AssuranceError> {
        self.accept_as(a, b)?.accept_as(b, a)
    }

    /// The levels an asserted `asserted` is declared to count as (not including itself).
    pub fn counts_as(
        &self,
        asserted: LevelOfAssurance,
    ) -> impl Iterator<Item = LevelOfAssurance> + '_ {
        self.accepted
            .iter()
            .filter(move |(from, _)| *from == asserted)
            .map(|(_, to)| *to)
    }

    /// Whether the policy declares nothing.
    pub fn is_empty(&self) -> bool {
        self.accepted.is_empty()
    }
}

/// Refuses any declaration that would let `asserted` count as more than it is.
fn check(asserted: LevelOfAssurance, counts_as: LevelOfAssurance) -> Result<(), AssuranceError> {
    let (from, to) = (asserted.profile(), counts_as.profile());
    let error = if from.test != to.test {
        AssuranceError::PolicyMixesTestAndProduction {
            asserted,
            counts_as,
        }
    } else if from.identity != to.identity {
        AssuranceError::PolicyChangesIdentityType {
            asserted,
            counts_as,
        }
    } else if from.dimension != to.dimension {
        AssuranceError::PolicyMixesDimensions {
            asserted,
            counts_as,
        }
    } else if from.strength < to.strength {
        AssuranceError::PolicyRaisesLevel {
            asserted,
            counts_as,
        }
    } else if from.certification < to.certification {
        AssuranceError::PolicyRaisesCertification {
            asserted,
            counts_as,
        }
    } else {
        return Ok(());
    };
    Err(error)
}
