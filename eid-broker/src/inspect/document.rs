//! `inspect mrz` and `inspect sod`: travel documents.

use serde_json::{Map, Value, json};
use time::Date;

use eid_core::clock::UnixTime;
use eid_core::emrtd::passive::{PassiveAuthenticator, check_integrity};
use eid_core::emrtd::sod::Sod;
use eid_core::emrtd::trust::{CscaStore, MasterList};
use eid_core::mrz::{CheckDigitOutcome, DateKind, Sex as MrzSex, UncheckedMrz};

use super::{Inspection, Outcome};

/// Inspects the lines of a machine-readable zone (TD1, TD2 or TD3): the fields, each check
/// digit, and the dates resolved against `today`. An MRZ with a wrong check digit is refused
/// (`mrz_check_digit`) but its per-digit report is still given, so a reader can ask for a
/// rescan of the right line.
pub fn mrz(lines: &[&str], today: Date) -> Inspection {
    let unchecked = match UncheckedMrz::parse(lines) {
        Ok(unchecked) => unchecked,
        Err(error) => return Inspection::invalid(error.reason(), error.to_string()),
    };
    let check_digits: serde_json::Map<String, Value> = unchecked
        .check_digits()
        .iter()
        .map(|(field, outcome)| {
            let value = match outcome {
                CheckDigitOutcome::Valid => json!("valid"),
                CheckDigitOutcome::Mismatch { expected, found } => {
                    json!({ "expected": expected, "found": found })
                }
                CheckDigitOutcome::NotDigit { expected } => {
                    json!({ "expected": expected, "found": "<" })
                }
            };
            (field.to_string(), value)
        })
        .collect();
    let fields = unchecked.fields();
    let birth = fields.date_of_birth();
    let expiry = fields.date_of_expiry();
    let expiry_date = expiry.resolve(today, DateKind::Expiry);
    let body = json!({
        "format": fields.format().to_string(),
        "document_code": fields.document_code().as_str(),
        "issuing_state": fields.issuing_state().as_str(),
        "nationality": fields.nationality().as_str(),
        "document_number": fields.document_number().as_str(),
        "primary_identifier": fields.names().primary(),
        "secondary_identifier": fields.names().secondary(),
        "sex": match fields.sex() {
            MrzSex::Female => "F",
            MrzSex::Male => "M",
            _ => "<",
        },
        "date_of_birth": {
            "mrz": birth.as_str(),
            "date": birth.resolve(today, DateKind::Birth).map(|date| date.to_string()),
        },
        "date_of_expiry": {
            "mrz": expiry.as_str(),
            "date": expiry_date.map(|date| date.to_string()),
            "expired": expiry_date.map(|date| date < today),
        },
        "optional_data": fields.optional_data().as_str(),
        "optional_data_2": fields.optional_data_2().map(|data| data.as_str()),
        "check_digits": check_digits,
    });
    match unchecked.check() {
        Ok(_) => Inspection::valid(body),
        Err(error) => {
            let mut body = body;
            if let Some(object) = body.as_object_mut() {
                object.insert("valid".to_owned(), Value::Bool(false));
                object.insert("reason".to_owned(), json!(error.reason()));
                object.insert("message".to_owned(), json!(error.to_string()));
            }
            Inspection {
                outcome: Outcome::Invalid,
                body,
            }
        }
    }
}

/// What `inspect sod` verifies: the files as read, and the trust anchors.
#[derive(Clone, Debug, Default)]
pub struct SodInputs<'a> {
    /// EF.SOD.
    pub sod: &'a [u8],
    /// Data groups read from the chip: number and bytes (tag included).
    pub data_groups: Vec<(u8, &'a [u8])>,
    /// Trusted CSCA certificates (DER).
    pub cscas: Vec<&'a [u8]>,
    /// CSCA master lists (CMS), whose CSCAs become trusted once the list verifies.
    pub master_lists: Vec<&'a [u8]>,
    /// The anchors a master list's signer must chain to (DER certificates); the `cscas` when
    /// empty.
    pub master_list_anchors: Vec<&'a [u8]>,
}

/// Passive authentication of a SOD and data groups at time `at`: the signer, the signed
/// attributes, the signature, each data group's hash and the chain to a trusted CSCA. The
/// report lists the algorithms, the DS and CSCA subjects and a result per data group;
/// without any CSCA the SOD's own consistency is still reported, but it is not accepted.
pub fn sod(inputs: &SodInputs<'_>, at: UnixTime) -> Inspection {
    let sod = match Sod::from_bytes(inputs.sod) {
        Ok(sod) => sod,
        Err(error) => return Inspection::invalid(error.reason(), error.to_string()),
    };
    let mut store = CscaStore::new();
    for der in &inputs.cscas {
        if let Err(error) = store.add_certificate_der(der) {
            return Inspection::usage(error.reason(), format!("a --csca certificate: {error}"));
        }
    }
    let mut anchors = CscaStore::new();
    for der in if inputs.master_list_anchors.is_empty() {
        &inputs.cscas
    } else {
        &inputs.master_list_anchors
    } {
        if let Err(error) = anchors.add_certificate_der(der) {
            return Inspection::usage(error.reason(), format!("a master-list anchor: {error}"));
        }
    }
    let mut lists = Vec::new();
    for bytes in &inputs.master_lists {
        let list = match MasterList::from_bytes(bytes, at, &anchors) {
            Ok(list) => list,
            Err(error) => {
                return Inspection::usage(error.reason(), format!("a master list: {error}"));
            }
        };
        if let Err(error) = store.add_master_list(&list) {
            return Inspection::usage(error.reason(), format!("a master list: {error}"));
        }
        lists.push(json!({
            "signer": list.signer().subject().to_string(),
            "certificates": list.len(),
            "skipped": list.skipped(),
        }));
    }

    let lds = sod.lds();
    let digest = lds.digest_algorithm();
    let mut data_groups = Map::new();
    for (number, bytes) in &inputs.data_groups {
        let result = match lds.data_group_hash(*number) {
            None => "not_covered",
            Some(hash) if digest.digest(bytes) == hash => "matched",
            Some(_) => "mismatch",
        };
        data_groups.insert(number.to_string(), json!(result));
    }
    let signer = sod.signed_data().signer_infos().first();
    let mut body = json!({
        "lds_version": lds.version(),
        "lds_version_info": lds.lds_version_info().map(|(lds, unicode)| json!({ "lds": lds, "unicode": unicode })),
        "econtent_type": sod.signed_data().econtent_type(),
        "data_group_digest": digest.to_string(),
        "data_groups_in_sod": lds.data_groups().map(|(number, _)| number).collect::<Vec<_>>(),
        "signature_algorithm": signer.map(|signer| signer.signature_algorithm().oid.clone()),
        "data_groups": data_groups,
        "trusted_cscas": store.len(),
        "master_lists": lists,
        "at": at.to_string(),
    });
    let integrity = check_integrity(&sod, &inputs.data_groups);
    if let (Ok(report), Some(object)) = (&integrity, body.as_object_mut()) {
        object.insert(
            "document_signer".to_owned(),
            json!(report.document_signer().subject().to_string()),
        );
        object.insert("signature_valid".to_owned(), json!(true));
    }
    if store.is_empty() {
        let (reason, message) = match &integrity {
            Ok(_) => (
                "no_trust_anchor",
                "the SOD is consistent and its signature verifies, but no CSCA was given to \
                 chain the document signer to"
                    .to_owned(),
            ),
            Err(error) => (error.reason(), error.to_string()),
        };
        return with_verdict(body, Outcome::Invalid, Some((reason, message)));
    }
    match PassiveAuthenticator::new(store).verify(&sod, &inputs.data_groups, at) {
        Ok(proof) => {
            if let Some(object) = body.as_object_mut() {
                object.insert("csca".to_owned(), json!(proof.csca().to_string()));
                object.insert("chain_length".to_owned(), json!(proof.chain_length()));
                object.insert(
                    "proven_data_groups".to_owned(),
                    json!(proof.proven_data_groups()),
                );
            }
            with_verdict(body, Outcome::Valid, None)
        }
        Err(error) => with_verdict(
            body,
            Outcome::Invalid,
            Some((error.reason(), error.to_string())),
        ),
    }
}

fn with_verdict(mut body: Value, outcome: Outcome, refusal: Option<(&str, String)>) -> Inspection {
    if let Some(object) = body.as_object_mut() {
        object.insert("valid".to_owned(), json!(outcome == Outcome::Valid));
        if let Some((reason, message)) = refusal {
            object.insert("reason".to_owned(), json!(reason));
            object.insert("message".to_owned(), json!(message));
        }
    }
    Inspection { outcome, body }
}
