//! The proofing policy: what checks of a document and its holder give which level of assurance.
//! The policy is data (a deployment loads its own); the default is documented against NIST SP
//! 800-63A IAL2 and eIDAS substantial.

use serde::{Deserialize, Serialize};

use super::{BindingError, FaceComparison, PadLevel};
use crate::assurance::LevelOfAssurance;

/// How far the chip of the document was verified, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChipCheck {
    /// The chip was not read (visual inspection only).
    NotRead,
    /// Passive authentication: the data groups match the security object and its signature
    /// verifies, but the document signer does not chain to a trusted CSCA.
    SignatureOnly,
    /// Passive authentication with the document signer chained to a trusted CSCA.
    Chained,
}

/// Whether the chip was shown not to be a copy (active or chip authentication).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloneCheck {
    /// Not done (the chip offers neither, or the reader did not ask).
    NotDone,
    /// The chip proved possession of its private key.
    Passed,
    /// The chip failed the challenge: a clone, or a tampered chip.
    Failed,
}

/// Where the holder was when the face was captured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Unsupervised, on the holder's own device.
    Remote,
    /// In person, or remote with a trained operator watching (NIST SP 800-63A "supervised
    /// remote").
    Supervised,
}

/// Everything a [`ProofingPolicy`] judges, as established by the verification steps (see
/// [`DocumentEvidence::facts`](super::DocumentEvidence::facts)).
#[derive(Clone, Debug, PartialEq)]
pub struct ProofingFacts {
    /// How far the chip was verified.
    pub chip: ChipCheck,
    /// The clone check.
    pub clone_check: CloneCheck,
    /// Whether the document had expired at the time of proofing.
    pub document_expired: bool,
    /// The face comparison, if one was made.
    pub face: Option<FaceComparison>,
    /// Where the holder was.
    pub presence: Presence,
    /// Whether the identity being proofed carries a Swedish personal identity number (which
    /// decides between a level and its `*-nonresident` twin).
    pub holder_has_personal_number: bool,
}

/// What a rule requires of a face comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaceRequirement {
    /// The least presentation-attack detection accepted for an unsupervised capture (a
    /// supervised one needs none: the operator sees the person).
    pub min_pad_remote: PadLevel,
}

/// One rule: the checks it requires and the level it grants.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProofingRule {
    /// A name for logs and the `verification_process` of `verified_claims`.
    pub name: String,
    /// The least chip verification.
    pub chip: ChipCheck,
    /// Whether the clone check must have passed.
    pub clone_check: bool,
    /// The face comparison required, if any.
    #[serde(default)]
    pub face: Option<FaceRequirement>,
    /// The level for a holder with a Swedish personal identity number.
    pub resident_level: LevelOfAssurance,
    /// The level for a holder without one (a `*-nonresident` level or another framework's).
    pub non_resident_level: LevelOfAssurance,
    /// The `assurance_level` reported in `verified_claims` under the policy's trust framework.
    pub ida_assurance_level: String,
}

impl ProofingRule {
    fn is_met_by(&self, facts: &ProofingFacts) -> bool {
        if facts.chip < self.chip || (self.clone_check && facts.clone_check != CloneCheck::Passed) {
            return false;
        }
        match (&self.face, &facts.face) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(required), Some(face)) => {
                face.is_match()
                    && (facts.presence == Presence::Supervised
                        || face.pad() >= required.min_pad_remote)
            }
        }
    }
}

/// The level a policy grants, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProofingDecision {
    /// The level of assurance of the identity.
    pub level: LevelOfAssurance,
    /// The rule that granted it.
    pub rule: String,
    /// The trust framework of `verified_claims`.
    pub trust_framework: String,
    /// The assurance level within that framework.
    pub ida_assurance_level: String,
    /// Whether a matching face comparison was part of the evidence.
    pub face_compared: bool,
}

/// A refusal: the evidence supports no level, for this reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProofingRefusal {
    /// The document had expired.
    #[error("the document has expired")]
    DocumentExpired,
    /// The chip failed its clone check.
    #[error("the chip failed active or chip authentication")]
    CloneCheckFailed,
    /// The face did not match the document's portrait.
    #[error("the face does not match the document's portrait")]
    FaceMismatch,
    /// No rule of the policy is met by the checks made.
    #[error("the checks made meet no rule of the proofing policy")]
    NoRuleMet,
}

impl ProofingRefusal {
    /// A stable snake_case code.
    pub fn reason(self) -> &'static str {
        match self {
            Self::DocumentExpired => "document_expired",
            Self::CloneCheckFailed => "clone_check_failed",
            Self::FaceMismatch => "face_mismatch",
            Self::NoRuleMet => "no_rule_met",
        }
    }
}

/// Rules tried in order, the first one met deciding the level. Some facts refuse outright,
/// whatever the rules: an expired document, a failed clone check, a face that does not match
/// (a mismatch is evidence against the claim, not a missing check).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "RawPolicy")]
pub struct ProofingPolicy {
    trust_framework: String,
    rules: Vec<ProofingRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    trust_framework: String,
    rules: Vec<ProofingRule>,
}

impl TryFrom<RawPolicy> for ProofingPolicy {
    type Error = BindingError;

    fn try_from(raw: RawPolicy) -> Result<Self, Self::Error> {
        Self::new(&raw.trust_framework, raw.rules)
    }
}

impl ProofingPolicy {
    /// The most rules a policy holds.
    pub const MAX_RULES: usize = 32;

    /// A policy of `rules`, reported in `verified_claims` under `trust_framework`.
    ///
    /// # Errors
    ///
    /// [`BindingError::InvalidPolicy`] if there are no rules or too many, or a rule's
    /// non-resident level permits a personal identity number (a holder without one must never
    /// be given a level whose tokens carry one, and vice versa).
    pub fn new(trust_framework: &str, rules: Vec<ProofingRule>) -> Result<Self, BindingError> {
        if trust_framework.is_empty() || rules.is_empty() || rules.len() > Self::MAX_RULES {
            return Err(BindingError::InvalidPolicy { rule: None });
        }
        for (index, rule) in rules.iter().enumerate() {
            if rule.non_resident_level.permits_personal_identity_number()
                && rule.non_resident_level.framework() == crate::assurance::Framework::Sweden
            {
                return Err(BindingError::InvalidPolicy { rule: Some(index) });
            }
        }
        Ok(Self {
            trust_framework: trust_framework.to_owned(),
            rules,
        })
    }

    /// The rules, in order.
    pub fn rules(&self) -> &[ProofingRule] {
        &self.rules
    }

    /// The level the facts support.
    ///
    /// # Errors
    ///
    /// A [`ProofingRefusal`] saying why none.
    pub fn evaluate(&self, facts: &ProofingFacts) -> Result<ProofingDecision, ProofingRefusal> {
        if facts.document_expired {
            return Err(ProofingRefusal::DocumentExpired);
        }
        if facts.clone_check == CloneCheck::Failed {
            return Err(ProofingRefusal::CloneCheckFailed);
        }
        if facts.face.as_ref().is_some_and(|face| !face.is_match()) {
            return Err(ProofingRefusal::FaceMismatch);
        }
        let rule = self
            .rules
            .iter()
            .find(|rule| rule.is_met_by(facts))
            .ok_or(ProofingRefusal::NoRuleMet)?;
        Ok(ProofingDecision {
            level: if facts.holder_has_personal_number {
                rule.resident_level
            } else {
                rule.non_resident_level
            },
            rule: rule.name.clone(),
            trust_framework: self.trust_framework.clone(),
            ida_assurance_level: rule.ida_assurance_level.clone(),
            face_compared: facts.face.as_ref().is_some_and(FaceComparison::is_match),
        })
    }
}

impl Default for ProofingPolicy {
    /// Two rules, strongest first, under the `eidas` trust framework:
    ///
    /// 1. `chip-clone-checked-face` → `loa3` / `loa3-nonresident`, eIDAS `substantial`: the
    ///    chip chained to a trusted CSCA (the evidence is cryptographically validated as
    ///    genuine: NIST SP 800-63A IAL2 "STRONG" evidence, validated; eIDAS 2015/1502 §2.1.2
    ///    "verified to be genuine"), the clone check passed (the document is in the
    ///    applicant's possession and not a copy), and the face matched the chip's portrait with
    ///    presentation-attack detection of at least level 1 when unsupervised (IAL2's biometric
    ///    comparison with liveness; eIDAS substantial's "steps to minimise the risk that the
    ///    person's identity is not the claimed identity").
    /// 2. `chip-chained` → `loa2` / `loa2-nonresident`, eIDAS `low`: the chip chained, without
    ///    a face comparison: the document is genuine, but nothing ties it to the person.
    ///
    /// Nothing else gives a level: a chip not chained to a trusted CSCA is not enough for any.
    fn default() -> Self {
        let rules = vec![
            ProofingRule {
                name: "chip-clone-checked-face".to_owned(),
                chip: ChipCheck::Chained,
                clone_check: true,
                face: Some(FaceRequirement {
                    min_pad_remote: PadLevel::Level1,
                }),
                resident_level: LevelOfAssurance::Loa3,
                non_resident_level: LevelOfAssurance::Loa3NonResident,
                ida_assurance_level: "substantial".to_owned(),
            },
            ProofingRule {
                name: "chip-chained".to_owned(),
                chip: ChipCheck::Chained,
                clone_check: false,
                face: None,
                resident_level: LevelOfAssurance::Loa2,
                non_resident_level: LevelOfAssurance::Loa2NonResident,
                ida_assurance_level: "low".to_owned(),
            },
        ];
        Self {
            trust_framework: "eidas".to_owned(),
            rules,
        }
    }
}
