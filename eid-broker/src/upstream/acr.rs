//! The mapping between the broker's levels of assurance and one upstream's `acr` values.
//!
//! Each entry names a broker level, the value to send in `acr_values` to get it, and the values
//! that, in an ID token's `acr`, mean that level. What a client asked for is never sent upstream
//! as is: the broker's [`Requirement`] picks the entries whose level satisfies it, and their
//! `request` values are what the upstream sees (anchors.md §4, lesson 1).
//!
//! ```
//! use eid_broker::upstream::{AcrEntry, AcrMapping};
//! use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
//!
//! let mapping = AcrMapping::new(vec![
//!     AcrEntry::new(LevelOfAssurance::Loa3, "urn:bankid:bis")
//!         .answered_by(["urn:bankid:bis;LOA=3"]),
//!     AcrEntry::new(LevelOfAssurance::Loa4, "urn:bankid:bid")
//!         .answered_by(["urn:bankid:bid;LOA=4"]),
//! ])?;
//! let at_least_3 = Requirement::new(vec![LevelOfAssurance::Loa3], Matching::Minimum)?;
//! assert_eq!(mapping.request_values(&at_least_3), ["urn:bankid:bis", "urn:bankid:bid"]);
//! assert_eq!(mapping.level_of("urn:bankid:bid;LOA=4"), Some(LevelOfAssurance::Loa4));
//! assert_eq!(mapping.level_of("urn:bankid:bid"), None);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use eid_core::assurance::{LevelOfAssurance, Requirement};
use serde::Deserialize;

use super::error::UpstreamConfigError;

/// The longest `acr` value accepted in the configuration.
const MAX_ACR_LEN: usize = 256;

/// One broker level and the upstream's values for it.
#[non_exhaustive]
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AcrEntry {
    /// The broker's level.
    pub level: LevelOfAssurance,
    /// The value sent in `acr_values` to ask the upstream for this level.
    pub request: String,
    /// The `acr` values in the upstream's ID tokens that mean this level; empty means
    /// `request` alone.
    #[serde(default)]
    pub answers: Vec<String>,
}

impl AcrEntry {
    /// An entry whose answer is the value asked for.
    pub fn new(level: LevelOfAssurance, request: impl Into<String>) -> Self {
        Self {
            level,
            request: request.into(),
            answers: Vec::new(),
        }
    }

    /// Sets the answers that mean this level (instead of `request`).
    #[must_use]
    pub fn answered_by<I, S>(mut self, answers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.answers = answers.into_iter().map(Into::into).collect();
        self
    }

    /// Whether `acr` means this entry's level.
    fn is_answered_by(&self, acr: &str) -> bool {
        if self.answers.is_empty() {
            return self.request == acr;
        }
        self.answers.iter().any(|answer| answer == acr)
    }

    fn answer_values(&self) -> impl Iterator<Item = &str> {
        let own = self.answers.is_empty().then_some(self.request.as_str());
        own.into_iter()
            .chain(self.answers.iter().map(String::as_str))
    }
}

/// An upstream's levels, both ways. Built by [`AcrMapping::new`] or deserialised (then
/// [`AcrMapping::validate`]d by the configuration's check).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct AcrMapping(Vec<AcrEntry>);

impl AcrMapping {
    /// A checked mapping.
    ///
    /// # Errors
    ///
    /// As [`AcrMapping::validate`].
    pub fn new(entries: Vec<AcrEntry>) -> Result<Self, UpstreamConfigError> {
        let mapping = Self(entries);
        mapping.validate()?;
        Ok(mapping)
    }

    /// At least one entry; values non-empty, without spaces and at most 256 bytes; each level
    /// once; each answer meaning one level only.
    ///
    /// # Errors
    ///
    /// [`UpstreamConfigError::Invalid`] with key `acr`.
    pub fn validate(&self) -> Result<(), UpstreamConfigError> {
        let invalid = |problem| {
            Err(UpstreamConfigError::Invalid {
                key: "acr",
                problem,
            })
        };
        if self.0.is_empty() {
            return invalid("at least one level is needed");
        }
        for (index, entry) in self.0.iter().enumerate() {
            let values = std::iter::once(entry.request.as_str())
                .chain(entry.answers.iter().map(String::as_str));
            for value in values {
                if value.is_empty() || value.len() > MAX_ACR_LEN || value.contains(' ') {
                    return invalid("an acr value is 1 to 256 bytes without spaces");
                }
            }
            let earlier = self.0.get(..index).unwrap_or_default();
            if earlier.iter().any(|other| other.level == entry.level) {
                return invalid("a level is mapped twice");
            }
            if earlier.iter().any(|other| {
                entry
                    .answer_values()
                    .any(|answer| other.is_answered_by(answer))
            }) {
                return invalid("an answer is mapped to two levels");
            }
        }
        Ok(())
    }

    /// The entries, in configuration order.
    pub fn entries(&self) -> &[AcrEntry] {
        &self.0
    }

    /// The upstream values to ask for so that the answer can satisfy `requirement`: the
    /// `request` of every entry whose level satisfies it, in configuration order, once each.
    /// Empty when this upstream cannot meet the requirement.
    pub fn request_values(&self, requirement: &Requirement) -> Vec<String> {
        let mut values: Vec<String> = Vec::new();
        for entry in &self.0 {
            if requirement.is_satisfied_by(entry.level) && !values.contains(&entry.request) {
                values.push(entry.request.clone());
            }
        }
        values
    }

    /// Whether some configured level satisfies `requirement`.
    pub fn can_meet(&self, requirement: &Requirement) -> bool {
        self.0
            .iter()
            .any(|entry| requirement.is_satisfied_by(entry.level))
    }

    /// The broker level an upstream `acr` means, if it is mapped.
    pub fn level_of(&self, acr: &str) -> Option<LevelOfAssurance> {
        self.0
            .iter()
            .find(|entry| entry.is_answered_by(acr))
            .map(|entry| entry.level)
    }
}
