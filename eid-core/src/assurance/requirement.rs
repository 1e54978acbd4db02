//! What a relying party requires, and how an asserted level is matched against it.

use super::{AssuranceError, AssurancePolicy, LevelOfAssurance, MAX_ACR_VALUES_LEN, MAX_LEVELS};

/// How an asserted level is matched against the requested ones. The caller chooses: the
/// frameworks disagree (standards.md §3.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Matching {
    /// The asserted level must be one of the requested levels (Sweden Connect, SC-SAML
    /// §5.3.1, §5.4.4: an RP accepting several levels lists them all). A provider certified at
    /// a higher level answers with the requested one ([`Requirement::answer_for`]).
    Exact,
    /// The asserted level must be at least one of the requested levels, in the same
    /// framework, dimension, identity type and environment (ID-porten: `acr_values` is a
    /// minimum).
    Minimum,
}

/// The levels of assurance a relying party accepts, and how to match them.
///
/// Built from typed levels ([`Requirement::new`]) or from an OIDC `acr_values` string
/// ([`Requirement::from_acr_values`]); never empty, at most [`MAX_LEVELS`] distinct levels in
/// the order given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    levels: Vec<LevelOfAssurance>,
    matching: Matching,
}

impl Requirement {
    /// A requirement accepting `levels` (duplicates dropped, order kept) under `matching`.
    ///
    /// # Errors
    ///
    /// [`AssuranceError::EmptyRequirement`] if `levels` is empty;
    /// [`AssuranceError::TooManyLevels`] if it has more than [`MAX_LEVELS`] entries.
    pub fn new(levels: Vec<LevelOfAssurance>, matching: Matching) -> Result<Self, AssuranceError> {
        if levels.len() > MAX_LEVELS {
            return Err(AssuranceError::TooManyLevels {
                count: levels.len(),
                max: MAX_LEVELS,
            });
        }
        let mut distinct = Vec::with_capacity(levels.len());
        for level in levels {
            if !distinct.contains(&level) {
                distinct.push(level);
            }
        }
        if distinct.is_empty() {
            return Err(AssuranceError::EmptyRequirement);
        }
        Ok(Self {
            levels: distinct,
            matching,
        })
    }

    /// Parses an OIDC `acr_values` parameter: URIs separated by spaces (extra spaces are
    /// ignored). Every value must be known: an unknown value is an error, never skipped.
    ///
    /// # Errors
    ///
    /// [`AssuranceError::TooLong`] past [`MAX_ACR_VALUES_LEN`] bytes,
    /// [`AssuranceError::TooManyLevels`] past [`MAX_LEVELS`] values,
    /// [`AssuranceError::UnknownAcr`] or [`AssuranceError::DeprecatedAcr`] for a value that is
    /// not a current level, [`AssuranceError::EmptyRequirement`] if there is no value.
    pub fn from_acr_values(acr_values: &str, matching: Matching) -> Result<Self, AssuranceError> {
        if acr_values.len() > MAX_ACR_VALUES_LEN {
            return Err(AssuranceError::TooLong {
                len: acr_values.len(),
                max: MAX_ACR_VALUES_LEN,
            });
        }
        let mut levels = Vec::new();
        for value in acr_values.split(' ').filter(|value| !value.is_empty()) {
            if levels.len() == MAX_LEVELS {
                return Err(AssuranceError::TooManyLevels {
                    count: MAX_LEVELS.saturating_add(1),
                    max: MAX_LEVELS,
                });
            }
            levels.push(value.parse()?);
        }
        Self::new(levels, matching)
    }

    /// The accepted levels, in the order given, without duplicates.
    pub fn levels(&self) -> &[LevelOfAssurance] {
        &self.levels
    }

    /// How asserted levels are matched.
    pub fn matching(&self) -> Matching {
        self.matching
    }

    /// The levels as an OIDC `acr_values` string (space separated, in order).
    pub fn acr_values(&self) -> String {
        let mut out = String::new();
        for level in &self.levels {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(level.as_uri());
        }
        out
    }

    /// Whether a provider's `asserted` level meets this requirement, without any declared
    /// equivalence: exact means `asserted` is one of the levels; minimum means `asserted >=`
    /// one of them in the partial order of [`LevelOfAssurance`].
    pub fn is_satisfied_by(&self, asserted: LevelOfAssurance) -> bool {
        match self.matching {
            Matching::Exact => self.levels.contains(&asserted),
            Matching::Minimum => self.levels.iter().any(|requested| asserted >= *requested),
        }
    }

    /// Like [`Requirement::is_satisfied_by`], also accepting `asserted` as each level the
    /// deployment's `policy` declares it to count as (one step, never chained). A policy
    /// can only declare levels that are no stronger, no more certified, of the same identity
    /// type and environment, so it never raises a level.
    pub fn is_satisfied_by_with(
        &self,
        asserted: LevelOfAssurance,
        policy: &AssurancePolicy,
    ) -> bool {
        self.is_satisfied_by(asserted)
            || policy
                .counts_as(asserted)
                .any(|level| self.is_satisfied_by(level))
    }

    /// What a provider certified at `certified` should put in `acr` for this request, or
    /// `None` if it cannot satisfy it.
    ///
    /// Exact: the highest requested level `<= certified` (a loa4 provider answers a loa3
    /// request with loa3, SC-RULES §1.2.3); among incomparable candidates the stronger, then
    /// the more certified. Minimum: `certified` itself, if it satisfies the request.
    pub fn answer_for(&self, certified: LevelOfAssurance) -> Option<LevelOfAssurance> {
        match self.matching {
            Matching::Exact => self
                .levels
                .iter()
                .copied()
                .filter(|requested| *requested <= certified)
                .max_by_key(|requested| {
                    let profile = requested.profile();
                    (profile.strength, profile.certification)
                }),
            Matching::Minimum => self.is_satisfied_by(certified).then_some(certified),
        }
    }
}
