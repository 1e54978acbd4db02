//! Document evidence: what a verified chip says about its document and holder.

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value, json};
use time::Date;

use super::{
    BindingError, ChipCheck, CloneCheck, FaceComparison, Presence, ProofingDecision, ProofingFacts,
};
use crate::claims::{DocumentEvidence as IdaDocumentEvidence, Evidence};
use crate::claims::{Verification, VerifiedClaims, VerifiedClaimsElement};
use crate::clock::UnixTime;
use crate::emrtd::active::verify_active_authentication;
use crate::emrtd::datagroup::{self, FaceImage};
use crate::emrtd::digest::DigestAlgorithm;
use crate::emrtd::passive::{PassiveAuthProof, PassiveAuthenticator};
use crate::emrtd::signature::PublicKey;
use crate::emrtd::sod::Sod;
use crate::mrz::{DateKind, Mrz, Sex};

/// What a reader took from a chip, for [`DocumentEvidence::from_chip`]: the files as read
/// (tag included) and the active-authentication exchange, if the reader made one.
#[derive(Clone, Copy, Debug)]
pub struct ChipData<'a> {
    /// EF.SOD.
    pub sod: &'a [u8],
    /// DG1 (the MRZ).
    pub dg1: &'a [u8],
    /// DG2 (the portrait), if read.
    pub dg2: Option<&'a [u8]>,
    /// DG15 (the active-authentication key), if read.
    pub dg15: Option<&'a [u8]>,
    /// The active-authentication challenge and the chip's response, if made.
    pub active_authentication: Option<ActiveAuthExchange<'a>>,
}

/// One active-authentication exchange: the terminal's challenge and the chip's response.
#[derive(Clone, Copy, Debug)]
pub struct ActiveAuthExchange<'a> {
    /// The 8-byte challenge the terminal sent.
    pub challenge: [u8; 8],
    /// The chip's response.
    pub response: &'a [u8],
    /// For an EC key, the hash DG14's `ActiveAuthenticationInfo` names.
    pub ecdsa_digest: Option<DigestAlgorithm>,
}

/// The evidence of a verified travel document: the document and holder as its chip's DG1
/// gives them, proven by passive authentication against a trusted CSCA, the portrait of DG2
/// (if proven too) and the outcome of the clone check. Built only by
/// [`DocumentEvidence::from_chip`], which runs the verification itself: evidence cannot be
/// assembled from claims that were never checked.
#[derive(Clone)]
pub struct DocumentEvidence {
    document: Document,
    holder: Holder,
    chip: ChipCheck,
    clone_check: CloneCheck,
    portrait: Option<FaceImage>,
    proof: PassiveAuthProof,
    checked_at: UnixTime,
}

/// The document, as its MRZ gives it (serialised for the evidence digest in a fixed order).
#[derive(Clone, PartialEq, Eq, Serialize)]
struct Document {
    format: String,
    document_code: String,
    issuing_state: String,
    document_number: String,
    #[serde(serialize_with = "iso_date")]
    date_of_expiry: Option<Date>,
}

/// The holder, as the MRZ gives them.
#[derive(Clone, PartialEq, Eq, Serialize)]
struct Holder {
    primary_identifier: String,
    secondary_identifier: String,
    nationality: String,
    #[serde(serialize_with = "iso_date")]
    date_of_birth: Option<Date>,
    sex: &'static str,
}

impl DocumentEvidence {
    /// Verifies what was read from a chip and makes it evidence: passive authentication of
    /// the SOD and the data groups read (DG1 must be proven; DG2 and DG15, when given, too),
    /// then the active-authentication response against the proven DG15 key. `now` is the time
    /// of the check (it also resolves the MRZ's two-digit years).
    ///
    /// A response that does not verify is not an error: it is evidence of a clone, recorded
    /// as [`CloneCheck::Failed`], which every [`ProofingPolicy`](super::ProofingPolicy)
    /// refuses.
    ///
    /// # Errors
    ///
    /// [`BindingError::Sod`] if the SOD does not parse, [`BindingError::PassiveAuthentication`]
    /// if passive authentication fails, [`BindingError::DataGroupNotProven`] if a data group
    /// given is not covered by the SOD, [`BindingError::Dg1Invalid`] if DG1 is not a valid
    /// MRZ, [`BindingError::DataGroup`] if DG2 or DG15 does not parse.
    pub fn from_chip(
        authenticator: &PassiveAuthenticator,
        chip: &ChipData<'_>,
        now: UnixTime,
    ) -> Result<Self, BindingError> {
        let sod = Sod::from_bytes(chip.sod).map_err(BindingError::Sod)?;
        let mut groups = vec![(1, chip.dg1)];
        groups.extend(chip.dg2.map(|dg2| (2, dg2)));
        groups.extend(chip.dg15.map(|dg15| (15, dg15)));
        let proof = authenticator
            .verify(&sod, &groups, now)
            .map_err(BindingError::PassiveAuthentication)?;
        for (number, _) in &groups {
            if !proof.is_proven(*number) {
                return Err(BindingError::DataGroupNotProven { number: *number });
            }
        }

        let mrz: Mrz = datagroup::parse_dg1(chip.dg1).map_err(|_| BindingError::Dg1Invalid)?;
        let portrait = match chip.dg2 {
            Some(dg2) => datagroup::parse_dg2(dg2)
                .map_err(BindingError::DataGroup)?
                .into_iter()
                .next(),
            None => None,
        };
        let clone_check = match (chip.dg15, chip.active_authentication) {
            (Some(dg15), Some(exchange)) => {
                let spki = datagroup::parse_dg15(dg15).map_err(BindingError::DataGroup)?;
                match PublicKey::from_spki_der(&spki) {
                    Ok(key) => match verify_active_authentication(
                        &key,
                        &exchange.challenge,
                        exchange.response,
                        exchange.ecdsa_digest,
                    ) {
                        Ok(_) => CloneCheck::Passed,
                        Err(_) => CloneCheck::Failed,
                    },
                    // A proven DG15 whose key cannot be used gives no clone check.
                    Err(_) => CloneCheck::NotDone,
                }
            }
            _ => CloneCheck::NotDone,
        };

        let today = now.date();
        let fields = mrz.fields();
        let document = Document {
            format: fields.format().to_string(),
            document_code: fields.document_code().as_str().to_owned(),
            issuing_state: fields.issuing_state().as_str().to_owned(),
            document_number: fields.document_number().as_str().to_owned(),
            date_of_expiry: fields.date_of_expiry().resolve(today, DateKind::Expiry),
        };
        let holder = Holder {
            primary_identifier: fields.names().primary().to_owned(),
            secondary_identifier: fields.names().secondary().to_owned(),
            nationality: fields.nationality().as_str().to_owned(),
            date_of_birth: fields.date_of_birth().resolve(today, DateKind::Birth),
            sex: match fields.sex() {
                Sex::Female => "F",
                Sex::Male => "M",
                Sex::Unspecified => "X",
            },
        };
        Ok(Self {
            document,
            holder,
            chip: ChipCheck::Chained,
            clone_check,
            portrait,
            proof,
            checked_at: now,
        })
    }

    /// The chip's portrait (DG2), if it was read and proven: the reference for a
    /// [`FaceMatcher`](super::FaceMatcher).
    pub fn portrait(&self) -> Option<&FaceImage> {
        self.portrait.as_ref()
    }

    /// The passive-authentication proof the evidence rests on.
    pub fn passive_authentication(&self) -> &PassiveAuthProof {
        &self.proof
    }

    /// How far the chip was verified.
    pub fn chip(&self) -> ChipCheck {
        self.chip
    }

    /// The clone check.
    pub fn clone_check(&self) -> CloneCheck {
        self.clone_check
    }

    /// The issuing state (ICAO code, e.g. `SWE`, `D<<`).
    pub fn issuing_state(&self) -> &str {
        &self.document.issuing_state
    }

    /// The document code (`P`, `ID`, …).
    pub fn document_code(&self) -> &str {
        &self.document.document_code
    }

    /// The document number (personal data).
    pub fn document_number(&self) -> &str {
        &self.document.document_number
    }

    /// The expiry date, if the MRZ gives a full date.
    pub fn date_of_expiry(&self) -> Option<Date> {
        self.document.date_of_expiry
    }

    /// The holder's primary identifier (surname), as in the MRZ.
    pub fn family_name(&self) -> &str {
        &self.holder.primary_identifier
    }

    /// The holder's secondary identifier (given names), as in the MRZ.
    pub fn given_name(&self) -> &str {
        &self.holder.secondary_identifier
    }

    /// The holder's nationality (ICAO code).
    pub fn nationality(&self) -> &str {
        &self.holder.nationality
    }

    /// The holder's date of birth, if the MRZ gives a full date.
    pub fn date_of_birth(&self) -> Option<Date> {
        self.holder.date_of_birth
    }

    /// When the chip was checked.
    pub fn checked_at(&self) -> UnixTime {
        self.checked_at
    }

    /// The facts a [`ProofingPolicy`](super::ProofingPolicy) judges: this evidence, with the
    /// face comparison made (if any), where the holder was, and whether the identity being
    /// proofed carries a Swedish personal identity number.
    pub fn facts(
        &self,
        face: Option<FaceComparison>,
        presence: Presence,
        holder_has_personal_number: bool,
    ) -> ProofingFacts {
        ProofingFacts {
            chip: self.chip,
            clone_check: self.clone_check,
            document_expired: self
                .document
                .date_of_expiry
                .is_none_or(|expiry| expiry < self.checked_at.date()),
            face,
            presence,
            holder_has_personal_number,
        }
    }

    /// SHA-256 over the canonical JSON of the document, the holder and the checks: what a
    /// [`CredentialBinding`](super::CredentialBinding) rests on, without keeping the evidence.
    pub fn digest(&self) -> [u8; 32] {
        let canonical = json!({
            "document": self.document,
            "holder": self.holder,
            "chip": self.chip,
            "clone_check": self.clone_check,
            "checked_at": self.checked_at.as_secs(),
        });
        // A `Value` always formats: no fallback that could make two evidences share a digest.
        let digest = ring::digest::digest(&ring::digest::SHA256, canonical.to_string().as_bytes());
        let mut out = [0; 32];
        out.copy_from_slice(digest.as_ref());
        out
    }

    /// The evidence as OpenID Connect for Identity Assurance `verified_claims`: the trust
    /// framework and level of `decision`, `document` evidence with its checks (the chip's
    /// signature, `vcrypt`, and the clone check) and details, and the holder's claims.
    pub fn to_verified_claims(&self, decision: &ProofingDecision) -> VerifiedClaims {
        // IDA check methods: `vcrypt` (cryptographic validation: the chip's signature, and
        // its private key for the clone check), `bvr` (biometric verification, remote).
        let mut checks = vec![json!({ "check_method": "vcrypt", "txn": "passive_authentication" })];
        if self.clone_check == CloneCheck::Passed {
            checks.push(json!({ "check_method": "vcrypt", "txn": "active_authentication" }));
        }
        if decision.face_compared {
            checks.push(json!({ "check_method": "bvr", "txn": "face_comparison" }));
        }
        let mut details = Map::new();
        details.insert(
            "type".to_owned(),
            json!(if self.document.document_code.starts_with('P') {
                "passport"
            } else {
                "idcard"
            }),
        );
        details.insert(
            "document_number".to_owned(),
            json!(self.document.document_number),
        );
        if let Some(expiry) = self.document.date_of_expiry {
            details.insert("date_of_expiry".to_owned(), json!(expiry.to_string()));
        }
        details.insert(
            "issuer".to_owned(),
            json!({ "country_code": self.document.issuing_state.trim_end_matches('<') }),
        );
        let mut extra = Map::new();
        extra.insert("check_details".to_owned(), Value::Array(checks));
        let evidence = IdaDocumentEvidence {
            validation_method: None,
            verification_method: None,
            time: Some(self.checked_at.to_string()),
            document_details: Some(details),
            extra,
        };
        let mut claims = Map::new();
        claims.insert(
            "family_name".to_owned(),
            json!(self.holder.primary_identifier),
        );
        claims.insert(
            "given_name".to_owned(),
            json!(self.holder.secondary_identifier),
        );
        if let Some(birth) = self.holder.date_of_birth {
            claims.insert("birthdate".to_owned(), json!(birth.to_string()));
        }
        claims.insert(
            "nationalities".to_owned(),
            json!([self.holder.nationality.trim_end_matches('<')]),
        );
        VerifiedClaims::One(VerifiedClaimsElement {
            verification: Verification {
                trust_framework: decision.trust_framework.clone(),
                assurance_level: Some(decision.ida_assurance_level.clone()),
                time: Some(self.checked_at.to_string()),
                verification_process: Some(decision.rule.clone()),
                evidence: Some(vec![Evidence::Document(evidence)]),
                extra: Map::new(),
            },
            claims,
        })
    }
}

/// A date as `YYYY-MM-DD` in the evidence digest.
fn iso_date<S: serde::Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => serializer.serialize_str(&date.to_string()),
        None => serializer.serialize_none(),
    }
}

impl fmt::Debug for DocumentEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DocumentEvidence")
            .field("issuing_state", &self.document.issuing_state)
            .field("document_code", &self.document.document_code)
            .field("chip", &self.chip)
            .field("clone_check", &self.clone_check)
            .field("checked_at", &self.checked_at)
            .finish_non_exhaustive()
    }
}
