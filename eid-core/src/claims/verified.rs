//! OpenID Connect for Identity Assurance: `verified_claims` (IDA Schema Definition 1.0).
//!
//! Members we do not model are kept in `extra` maps, so a value read and written again is
//! unchanged. `Debug` never prints claim values or document numbers.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The `verified_claims` claim: one `{verification, claims}` element or an array of them.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum VerifiedClaims {
    /// A single element.
    One(VerifiedClaimsElement),
    /// Several elements (e.g. one per trust framework).
    Many(Vec<VerifiedClaimsElement>),
}

impl VerifiedClaims {
    /// The elements, one or many.
    pub fn elements(&self) -> &[VerifiedClaimsElement] {
        match self {
            Self::One(one) => std::slice::from_ref(one),
            Self::Many(many) => many,
        }
    }
}

/// Whether `s` is an ISO 8601 date-time with offset, as IDA's `time` members are.
fn is_ida_time(s: &str) -> bool {
    use time::format_description::well_known::Iso8601;
    s.len() <= 64 && time::OffsetDateTime::parse(s, &Iso8601::DEFAULT).is_ok()
}

impl VerifiedClaims {
    /// Whether every `time` member (of the verification and of each evidence) is an ISO 8601
    /// date-time with offset.
    pub(crate) fn times_are_valid(&self) -> bool {
        let ok = |t: &Option<String>| t.as_deref().is_none_or(is_ida_time);
        self.elements().iter().all(|element| {
            let v = &element.verification;
            ok(&v.time)
                && v.evidence.iter().flatten().all(|e| match e {
                    Evidence::Document(d) => ok(&d.time),
                    Evidence::ElectronicRecord(r)
                    | Evidence::Vouch(r)
                    | Evidence::ElectronicSignature(r) => ok(&r.time),
                })
        })
    }
}

impl fmt::Debug for VerifiedClaims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.elements()).finish()
    }
}

/// One element of `verified_claims`: how the claims were verified, and the claims.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct VerifiedClaimsElement {
    /// How the claims were verified.
    pub verification: Verification,
    /// The verified claims (names and values as in OIDC Core §5.1 and IDA).
    pub claims: Map<String, Value>,
}

impl fmt::Debug for VerifiedClaimsElement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifiedClaimsElement")
            .field("verification", &self.verification)
            .field("claims", &self.claims.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The `verification` element (IDA §5.1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verification {
    /// REQUIRED: the trust framework, e.g. `eidas`, `se_bankid`, `de_aml`.
    pub trust_framework: String,
    /// The assurance level within the trust framework (e.g. `eidas`: `low`, `substantial`,
    /// `high`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assurance_level: Option<String>,
    /// When the verification took place (RFC 3339 / ISO 8601 date-time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Reference to the identity verification process at the provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_process: Option<String>,
    /// The evidence used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Vec<Evidence>>,
    /// Other members (`assurance_process`, …), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One piece of evidence (IDA §5.1.1), tagged by `type`.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Evidence {
    /// A physical or electronic identity document (passport, ID card, driving licence).
    Document(DocumentEvidence),
    /// An electronic record (population register, bank account, …).
    ElectronicRecord(RecordEvidence),
    /// A vouch by a third party.
    Vouch(RecordEvidence),
    /// An electronic signature.
    ElectronicSignature(RecordEvidence),
}

/// How something was checked (`validation_method`, `verification_method`, `check_details`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckMethod {
    /// The method, e.g. `vpip` (visual inspection), `pvr`, `bvr`, `data`.
    #[serde(rename = "type")]
    pub method: String,
    /// Other members (`policy`, `procedure`, `status`), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `document` evidence.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentEvidence {
    /// How the document was validated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_method: Option<CheckMethod>,
    /// How the holder was verified against the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_method: Option<CheckMethod>,
    /// When the document was checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The document: `type`, `document_number`, `date_of_issuance`, `date_of_expiry`,
    /// `issuer`, … (personal data: never printed by `Debug`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_details: Option<Map<String, Value>>,
    /// Other members (`verifier`, `attachments`, …), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Debug for DocumentEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DocumentEvidence")
            .field("validation_method", &self.validation_method)
            .field("verification_method", &self.verification_method)
            .field("time", &self.time)
            .field(
                "document_details",
                &self.document_details.as_ref().map(|_| "[redacted]"),
            )
            .finish_non_exhaustive()
    }
}

/// `electronic_record`, `vouch` and `electronic_signature` evidence: the check details and
/// time are typed, the rest (`record`, `attestation`, `signature_type`, …) kept as sent.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordEvidence {
    /// The checks performed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_details: Option<Vec<CheckMethod>>,
    /// When the evidence was checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Other members (personal data: never printed by `Debug`).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Debug for RecordEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordEvidence")
            .field("check_details", &self.check_details)
            .field("time", &self.time)
            .field("extra", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}
