//! Passive authentication on real and specimen eMRTD data, driven by `expected.json` (what
//! independent verifiers found), plus negative cases built from the same data.
#![allow(clippy::indexing_slicing, reason = "tests: a panic is a failed test")]

use std::path::PathBuf;
use std::sync::OnceLock;

use eid_core::clock::UnixTime;
use eid_core::emrtd::passive::{PassiveAuthError, PassiveAuthenticator, check_integrity};
use eid_core::emrtd::sod::Sod;
use eid_core::emrtd::trust::{
    Certificate, ChainError, CscaStore, MasterList, SignedAttribute, TrustError, ValidityModel,
};
use serde_json::Value;

/// 2026-11-22T00:00:00Z, the verification time of expected.json.
const NOW: UnixTime = UnixTime::from_secs(1_795_305_600);
const DAY: u64 = 86_400;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/emrtd")
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(data_dir().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn expected() -> &'static Value {
    static EXPECTED: OnceLock<Value> = OnceLock::new();
    EXPECTED.get_or_init(|| serde_json::from_slice(&read("expected.json")).unwrap())
}

fn datasets() -> &'static serde_json::Map<String, Value> {
    expected()["datasets"].as_object().unwrap()
}

fn sod(dataset: &str) -> Sod {
    let file = datasets()[dataset]["sod_file"].as_str().unwrap();
    Sod::from_bytes(&read(&format!("{dataset}/{file}"))).unwrap()
}

/// The data-group files of a dataset that expected.json lists: number, bytes, expectation.
fn dg_files(dataset: &str) -> Vec<(u8, Vec<u8>, String)> {
    datasets()[dataset]["dg_files"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, outcome)| {
            let number: u8 = name.trim_start_matches("DG").parse().unwrap();
            let bytes = read(&format!("{dataset}/EF_{name}.bin"));
            (number, bytes, outcome.as_str().unwrap().to_owned())
        })
        .collect()
}

fn store_of(paths: &[&str]) -> CscaStore {
    let mut store = CscaStore::new();
    for path in paths {
        store.add_certificate_der(&read(path)).unwrap();
    }
    store
}

fn dataset_store(dataset: &str) -> CscaStore {
    let mut paths = vec![format!("{dataset}/CSCA.cer")];
    if dataset.starts_with("real_sods/IT") {
        paths.push(format!("{dataset}/CSCA_link_cert.cer"));
    }
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    store_of(&refs)
}

/// 2025-10-01T00:00:00Z: the Italian list was signed on 2025-09-24 by a signer certificate
/// that expired on 2026-07-12, so it is verified as of when it was current.
const IT_LIST_TIME: UnixTime = UnixTime::from_secs(1_759_276_800);

fn master_list(name: &str) -> MasterList {
    let (anchors, at) = match name {
        "DE_ML_2026-05-28-08-28-45.ml" => (store_of(&["masterlists/DE_ROOT_CA_CSCA07.cer"]), NOW),
        "NL_ML_2026-07-22.ml" => (store_of(&["masterlists/NL_ROOT_CA.cer"]), NOW),
        // Signed by the Italian CSCA, which the list itself contains.
        "IT_CSCAMasterList.ml" => (
            store_of(&["real_sods/IT_cie_pagopa/CSCA.cer"]),
            IT_LIST_TIME,
        ),
        other => panic!("unknown master list {other}"),
    };
    MasterList::from_bytes(&read(&format!("masterlists/{name}")), at, &anchors)
        .unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

fn all_master_lists() -> &'static CscaStore {
    static STORE: OnceLock<CscaStore> = OnceLock::new();
    STORE.get_or_init(|| {
        let mut store = CscaStore::new();
        for name in expected()["masterlists"].as_object().unwrap().keys() {
            store.add_master_list(&master_list(name)).unwrap();
        }
        store
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn rfc3339(text: &str) -> UnixTime {
    let t =
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap();
    UnixTime::from_secs(u64::try_from(t.unix_timestamp()).unwrap())
}

#[test]
fn every_sod_is_internally_consistent_as_expected() {
    for (dataset, expect) in datasets() {
        let sod = sod(dataset);
        assert_eq!(
            sod.signed_data().econtent_type(),
            expect["econtent_type"].as_str().unwrap(),
            "{dataset}"
        );
        let files = dg_files(dataset);
        let supplied: Vec<(u8, &[u8])> = files.iter().map(|(n, b, _)| (*n, b.as_slice())).collect();
        let report =
            check_integrity(&sod, &supplied).unwrap_or_else(|e| panic!("{dataset}: {e:?}"));
        let in_sod: Vec<u8> = expect["lds"]["dgs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| u8::try_from(v.as_u64().unwrap()).unwrap())
            .collect();
        assert_eq!(report.data_groups_in_sod(), in_sod.as_slice(), "{dataset}");
        for (number, _, outcome) in &files {
            match outcome.as_str() {
                "hash_match" => assert!(
                    report.matched_data_groups().contains(number),
                    "{dataset} DG{number}"
                ),
                "not_in_sod" => assert!(
                    report.not_covered_data_groups().contains(number),
                    "{dataset} DG{number}"
                ),
                other => panic!("{other}"),
            }
        }
        assert_eq!(
            format!("{:?}", report.data_group_digest()).to_lowercase(),
            expect["lds"]["hash"].as_str().unwrap(),
            "{dataset}"
        );
        let signature = expect["signature"].as_str().unwrap();
        let oid = report.signature_algorithm();
        let family_ok = if signature.starts_with("rsassa_pss") {
            oid == "1.2.840.113549.1.1.10"
        } else if signature.starts_with("rsassa_pkcs1v15") {
            ["1", "5", "11", "12", "13"]
                .iter()
                .any(|n| oid == format!("1.2.840.113549.1.1.{n}"))
        } else {
            signature.starts_with("ecdsa") && oid.starts_with("1.2.840.10045.4")
        };
        assert!(family_ok, "{dataset}: {oid} for {signature}");
        if let Some(mrz) = expect.get("mrz") {
            let dg1 = read(&format!("{dataset}/EF_DG1.bin"));
            let parsed = eid_core::emrtd::datagroup::parse_dg1(&dg1)
                .unwrap()
                .into_fields();
            assert_eq!(
                parsed.document_number().as_str(),
                mrz["document_number"].as_str().unwrap()
            );
            let name = format!(
                "{}, {}",
                parsed.names().primary(),
                parsed.names().secondary()
            );
            assert_eq!(name, mrz["name"].as_str().unwrap(), "{dataset}");
        }
        let ds = report.document_signer();
        let serial = expect["ds"]["serial"]
            .as_str()
            .unwrap()
            .trim_start_matches('0');
        assert_eq!(
            hex(ds.serial()).trim_start_matches('0'),
            serial,
            "{dataset}"
        );
        assert_eq!(
            ds.not_before(),
            rfc3339(expect["ds"]["not_before"].as_str().unwrap()),
            "{dataset}"
        );
        assert_eq!(
            ds.not_after(),
            rfc3339(expect["ds"]["not_after"].as_str().unwrap()),
            "{dataset}"
        );
    }
}

#[test]
fn sods_chain_to_their_csca_as_expected() {
    let mut chained = 0;
    for (dataset, expect) in datasets() {
        let Some(outcome) = expect.get("chain[CSCA.cer]") else {
            continue;
        };
        assert!(outcome.as_str().unwrap().starts_with("ok"), "{dataset}");
        let store = dataset_store(dataset);
        let authenticator = PassiveAuthenticator::new(store);
        let proof = authenticator
            .verify(&sod(dataset), &[], NOW)
            .unwrap_or_else(|e| panic!("{dataset}: {e:?}"));
        let csca = Certificate::from_der(&read(&format!("{dataset}/CSCA.cer"))).unwrap();
        assert!(proof.csca().matches(csca.subject()), "{dataset}");
        assert_eq!(proof.verified_at(), NOW);
        assert_eq!(proof.chain_length(), 2);
        chained += 1;
    }
    assert_eq!(chained, 14);
}

#[test]
fn sods_chain_through_the_master_lists_as_expected() {
    let authenticator = PassiveAuthenticator::new(all_master_lists().clone());
    let mut chained = 0;
    for (dataset, expect) in datasets() {
        let outcome = expect["chain[all master lists]"].as_str().unwrap();
        let sod = sod(dataset);
        let result = authenticator.verify(&sod, &[], NOW);
        if outcome.starts_with("ok") {
            let proof = result.unwrap_or_else(|e| panic!("{dataset}: {e:?}"));
            let display = proof.csca().to_string();
            let cn = display
                .split(", ")
                .find_map(|part| {
                    part.strip_prefix("CN=")
                        .or_else(|| part.strip_prefix("OU="))
                })
                .unwrap();
            assert!(outcome.contains(cn), "{dataset}: {display} vs {outcome}");
            chained += 1;
            continue;
        }
        // Expired document signers: at the pinned time the DS has expired ...
        let report = check_integrity(&sod, &[]).unwrap();
        let ds = report.document_signer();
        assert_eq!(
            result.unwrap_err(),
            PassiveAuthError::DsExpired,
            "{dataset}"
        );
        // ... and while it was valid, no CSCA anchors it.
        let then = UnixTime::from_secs(ds.not_before().as_secs() + DAY);
        let error = authenticator.verify(&sod, &[], then).unwrap_err();
        match outcome {
            "FAIL csca_not_found" => assert_eq!(error, PassiveAuthError::CscaNotFound, "{dataset}"),
            "FAIL ds_signature_by_csca_invalid" => {
                assert_eq!(error, PassiveAuthError::DsNotTrusted, "{dataset}");
            }
            other => panic!("{dataset}: {other}"),
        }
        assert_eq!(
            error.reason(),
            outcome
                .trim_start_matches("FAIL ")
                .replace("ds_signature_by_csca_invalid", "ds_not_trusted")
        );
    }
    assert_eq!(chained, 14);
}

#[test]
fn master_lists_load_and_verify() {
    for (name, expect) in expected()["masterlists"].as_object().unwrap() {
        let list = master_list(name);
        let count = usize::try_from(expect["csca_count"].as_u64().unwrap()).unwrap();
        assert_eq!(list.len() + list.skipped(), count, "{name}");
        assert!(
            list.len() * 100 >= count * 95,
            "{name}: {} of {count} parsed",
            list.len()
        );
        let signer = expect["signer"].as_str().unwrap();
        let display = list.signer().subject().to_string();
        let cn = display
            .split(", ")
            .find_map(|p| p.strip_prefix("CN="))
            .unwrap();
        assert!(signer.contains(cn), "{name}: {display}");
    }
    let store = all_master_lists();
    // 692 distinct certificates: the lists overlap.
    assert!(store.len() >= 620, "{}", store.len());
}

#[test]
fn an_expired_master_list_signer_is_rejected() {
    let bytes = read("masterlists/IT_CSCAMasterList.ml");
    let anchors = store_of(&["real_sods/IT_cie_pagopa/CSCA.cer"]);
    let error = MasterList::from_bytes(&bytes, NOW, &anchors).unwrap_err();
    assert_eq!(error, TrustError::Chain(ChainError::LeafExpired));
}

#[test]
fn master_list_signer_must_chain_to_the_given_anchor() {
    let bytes = read("masterlists/DE_ML_2026-05-28-08-28-45.ml");
    let wrong = store_of(&["masterlists/NL_ROOT_CA.cer"]);
    assert!(matches!(
        MasterList::from_bytes(&bytes, NOW, &wrong),
        Err(TrustError::Chain(ChainError::CscaNotFound))
    ));
    let empty = CscaStore::new();
    assert_eq!(
        MasterList::from_bytes(&bytes, NOW, &empty)
            .unwrap_err()
            .reason(),
        "csca_not_found"
    );
    // A SOD is not a master list.
    let sod = read("real_sods/IT_cie_pagopa/EF_SOD_bare_cms.bin");
    assert!(matches!(
        MasterList::from_bytes(&sod, NOW, &wrong),
        Err(TrustError::WrongContentType { .. })
    ));
    assert!(matches!(
        MasterList::from_bytes(&bytes[..bytes.len() / 2], NOW, &wrong),
        Err(TrustError::Malformed { .. })
    ));
}

#[test]
fn specimen_data_groups_match_and_uncovered_ones_are_reported() {
    let sod = sod("bsi_tr03105_2013");
    let dg1 = read("bsi_tr03105_2013/EF_DG1.bin");
    let dg15 = read("bsi_tr03105_2013/EF_DG15.bin");
    let report = check_integrity(&sod, &[(1, &dg1), (15, &dg15)]).unwrap();
    assert_eq!(report.matched_data_groups(), &[1]);
    assert_eq!(report.not_covered_data_groups(), &[15]);
}

#[test]
fn a_flipped_bit_in_a_data_group_is_a_hash_mismatch() {
    let sod = sod("nl_specimen_2006");
    let mut dg2 = read("nl_specimen_2006/EF_DG2.bin");
    let last = dg2.len() - 1;
    dg2[last] ^= 1;
    let dg1 = read("nl_specimen_2006/EF_DG1.bin");
    let error = check_integrity(&sod, &[(1, &dg1), (2, &dg2)]).unwrap_err();
    assert_eq!(error, PassiveAuthError::DgHashMismatch { dg: 2 });
    assert_eq!(error.reason(), "dg_hash_mismatch");
    // DG1 bytes offered as DG15.
    let error = check_integrity(&sod, &[(15, &dg1)]).unwrap_err();
    assert_eq!(error, PassiveAuthError::DgHashMismatch { dg: 15 });
}

#[test]
fn data_group_numbers_are_checked() {
    let sod = sod("nl_specimen_2006");
    let dg1 = read("nl_specimen_2006/EF_DG1.bin");
    for bad in [
        vec![(0_u8, dg1.as_slice())],
        vec![(17, dg1.as_slice())],
        vec![(1, dg1.as_slice()), (1, dg1.as_slice())],
    ] {
        assert!(matches!(
            check_integrity(&sod, &bad),
            Err(PassiveAuthError::Malformed { .. })
        ));
    }
}

/// The SOD bytes with one byte changed at the first occurrence of `needle`, offset `at`.
fn tamper(bytes: &[u8], needle: &[u8], at: usize) -> Vec<u8> {
    let position = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("needle in the SOD");
    let mut out = bytes.to_vec();
    out[position + at] ^= 0x01;
    out
}

#[test]
fn a_changed_hash_in_the_signed_content_breaks_the_message_digest() {
    let raw = read("real_sods/US_gmrtd/EF_SOD.bin");
    let original = Sod::from_bytes(&raw).unwrap();
    let hash = original.lds().data_group_hash(1).unwrap().to_vec();
    let tampered = Sod::from_bytes(&tamper(&raw, &hash, 0)).unwrap();
    let error = check_integrity(&tampered, &[]).unwrap_err();
    assert_eq!(
        error,
        PassiveAuthError::SignedAttrsMismatch {
            what: SignedAttribute::MessageDigest
        }
    );
    assert_eq!(error.reason(), "signed_attrs_mismatch");
}

#[test]
fn a_flipped_bit_in_the_signature_is_invalid() {
    for dataset in [
        "real_sods/US_gmrtd",
        "real_sods/UK_gmrtd",
        "real_sods/DE_gmrtd",
        "real_sods/MY_gmrtd",
    ] {
        let file = datasets()[dataset]["sod_file"].as_str().unwrap();
        let raw = read(&format!("{dataset}/{file}"));
        let original = Sod::from_bytes(&raw).unwrap();
        let signature = original.signed_data().signer_infos()[0]
            .signature()
            .to_vec();
        let tampered = Sod::from_bytes(&tamper(&raw, &signature, signature.len() - 8)).unwrap();
        let error = check_integrity(&tampered, &[]).unwrap_err();
        assert_eq!(error, PassiveAuthError::SignatureInvalid, "{dataset}");
        assert_eq!(error.reason(), "signature_invalid");
    }
}

#[test]
fn a_changed_signed_attribute_is_detected() {
    let raw = read("real_sods/FR_gmrtd/EF_SOD.bin");
    let original = Sod::from_bytes(&raw).unwrap();
    let signer = &original.signed_data().signer_infos()[0];
    let digest = signer
        .signed_attributes()
        .unwrap()
        .message_digest()
        .unwrap()
        .to_vec();
    let tampered = Sod::from_bytes(&tamper(&raw, &digest, 3)).unwrap();
    assert_eq!(
        check_integrity(&tampered, &[]).unwrap_err(),
        PassiveAuthError::SignedAttrsMismatch {
            what: SignedAttribute::MessageDigest
        }
    );
}

#[test]
fn truncated_sods_are_rejected() {
    let raw = read("real_sods/UK_gmrtd/EF_SOD.bin");
    for len in [0, 1, 4, raw.len() / 2, raw.len() - 1] {
        assert!(Sod::from_bytes(&raw[..len]).is_err(), "{len}");
    }
}

#[test]
fn the_wrong_csca_does_not_anchor() {
    // Another country's CSCA: no CSCA with the issuer's name.
    let authenticator = PassiveAuthenticator::new(dataset_store("real_sods/FR_gmrtd"));
    let error = authenticator
        .verify(&sod("real_sods/DE_gmrtd"), &[], NOW)
        .unwrap_err();
    assert_eq!(error, PassiveAuthError::CscaNotFound);
    assert_eq!(error.reason(), "csca_not_found");
    // An empty store.
    let authenticator = PassiveAuthenticator::new(CscaStore::new());
    assert_eq!(
        authenticator
            .verify(&sod("real_sods/US_gmrtd"), &[], NOW)
            .unwrap_err(),
        PassiveAuthError::CscaNotFound
    );
}

#[test]
fn a_csca_with_the_right_name_but_another_key_does_not_anchor() {
    // Every German CSCA of the master lists except the one that issued the DS.
    let issuer = Certificate::from_der(&read("real_sods/DE_gmrtd/CSCA.cer")).unwrap();
    let mut store = CscaStore::new();
    for csca in all_master_lists().iter() {
        if csca.subject().matches(issuer.subject())
            && csca.subject_public_key_info() != issuer.subject_public_key_info()
        {
            store.add_certificate(csca.clone()).unwrap();
        }
    }
    assert!(!store.is_empty());
    let error = PassiveAuthenticator::new(store)
        .verify(&sod("real_sods/DE_gmrtd"), &[], NOW)
        .unwrap_err();
    assert_eq!(error, PassiveAuthError::DsNotTrusted);
    assert_eq!(error.reason(), "ds_not_trusted");
}

#[test]
fn validity_periods_are_enforced() {
    let dataset = "real_sods/AT_gmrtd";
    let sod = sod(dataset);
    let authenticator = PassiveAuthenticator::new(dataset_store(dataset));
    let ds = check_integrity(&sod, &[])
        .unwrap()
        .document_signer()
        .clone();
    let csca = Certificate::from_der(&read(&format!("{dataset}/CSCA.cer"))).unwrap();
    let before = UnixTime::from_secs(ds.not_before().as_secs() - 1);
    assert_eq!(
        authenticator.verify(&sod, &[], before).unwrap_err(),
        PassiveAuthError::DsNotYetValid
    );
    let after = UnixTime::from_secs(ds.not_after().as_secs() + 1);
    let error = authenticator.verify(&sod, &[], after).unwrap_err();
    assert_eq!(error, PassiveAuthError::DsExpired);
    assert_eq!(error.reason(), "ds_expired");
    // The Austrian CSCA expires (2030) before its DS (2033): shell model rejects ...
    assert!(csca.not_after() < ds.not_after());
    let between = UnixTime::from_secs(csca.not_after().as_secs() + DAY);
    let error = authenticator.verify(&sod, &[], between).unwrap_err();
    assert_eq!(error, PassiveAuthError::CscaExpired);
    assert_eq!(error.reason(), "csca_expired");
    // ... the chain model accepts: the CSCA was valid when it issued the DS.
    let chain_model =
        PassiveAuthenticator::new(dataset_store(dataset)).with_validity_model(ValidityModel::Chain);
    assert!(chain_model.verify(&sod, &[], between).is_ok());
}

#[test]
fn the_cache_is_bounded_and_never_outlives_validity() {
    let dataset = "real_sods/AT_gmrtd";
    let sod = sod(dataset);
    let mut store = dataset_store(dataset);
    for other in ["US", "UK", "DE", "FR", "SG"] {
        store
            .add_certificate_der(&read(&format!("real_sods/{other}_gmrtd/CSCA.cer")))
            .unwrap();
    }
    let authenticator = PassiveAuthenticator::new(store).with_cache_capacity(3);
    authenticator.verify(&sod, &[], NOW).unwrap();
    assert_eq!(authenticator.cached_signers(), 1);
    authenticator.verify(&sod, &[], NOW).unwrap();
    assert_eq!(authenticator.cached_signers(), 1);
    // Past the CSCA's validity the cached outcome is not used.
    let csca = Certificate::from_der(&read(&format!("{dataset}/CSCA.cer"))).unwrap();
    let later = UnixTime::from_secs(csca.not_after().as_secs() + DAY);
    assert!(authenticator.verify(&sod, &[], later).is_err());
    let ds = check_integrity(&sod, &[])
        .unwrap()
        .document_signer()
        .clone();
    let expired = UnixTime::from_secs(ds.not_after().as_secs() + DAY);
    assert_eq!(
        authenticator.verify(&sod, &[], expired).unwrap_err(),
        PassiveAuthError::DsExpired
    );
    // Bounded.
    for dataset in [
        "real_sods/US_gmrtd",
        "real_sods/UK_gmrtd",
        "real_sods/DE_gmrtd",
        "real_sods/FR_gmrtd",
        "real_sods/SG_gmrtd",
    ] {
        authenticator.verify(&self::sod(dataset), &[], NOW).unwrap();
        assert!(authenticator.cached_signers() <= 3);
    }
    assert_eq!(authenticator.cached_signers(), 3);
    // No cache at all.
    let uncached = PassiveAuthenticator::new(dataset_store(dataset)).with_cache_capacity(0);
    uncached.verify(&sod, &[], NOW).unwrap();
    assert_eq!(uncached.cached_signers(), 0);
}

#[test]
fn the_proof_reports_what_was_proven() {
    let sod = sod("real_sods/DE_gmrtd");
    let proof = PassiveAuthenticator::new(dataset_store("real_sods/DE_gmrtd"))
        .verify(&sod, &[], NOW)
        .unwrap();
    assert!(proof.proven_data_groups().is_empty());
    assert_eq!(proof.data_groups_in_sod(), &[1, 2, 3, 14]);
    assert_eq!(proof.signature_algorithm(), "1.2.840.10045.4.3.3");
}

#[test]
fn link_certificates_are_untrusted_intermediates() {
    let dataset = "real_sods/SG_gmrtd";
    let sod = sod(dataset);
    // "Singapore Passport CA 5", a link certificate issued by "Singapore Passport CA 4".
    let link_der = read(&format!("{dataset}/CSCA.cer"));
    let link = Certificate::from_der(&link_der).unwrap();
    assert!(!link.subject().matches(link.issuer()));
    let mut store = CscaStore::new();
    for csca in all_master_lists().iter() {
        if csca.subject().matches(link.issuer())
            && csca.subject_key_identifier() == link.authority_key_identifier()
        {
            store.add_certificate(csca.clone()).unwrap();
        }
    }
    assert!(!store.is_empty());
    // CA 4 alone does not anchor a DS issued by CA 5.
    assert_eq!(
        PassiveAuthenticator::new(store.clone())
            .verify(&sod, &[], NOW)
            .unwrap_err(),
        PassiveAuthError::CscaNotFound
    );
    // A link certificate alone anchors nothing.
    let mut only_link = CscaStore::new();
    assert!(only_link.add_link_certificate_der(&link_der).unwrap());
    assert_eq!(only_link.len(), 0);
    assert_eq!(
        PassiveAuthenticator::new(only_link)
            .verify(&sod, &[], NOW)
            .unwrap_err(),
        PassiveAuthError::CscaNotFound
    );
    // DS -> CA 5 (link) -> CA 4 (trusted).
    assert!(store.add_link_certificate_der(&link_der).unwrap());
    let proof = PassiveAuthenticator::new(store.clone())
        .verify(&sod, &[], NOW)
        .unwrap();
    assert_eq!(proof.chain_length(), 3);
    assert!(proof.csca().matches(link.issuer()));
    // The chain-length limit.
    let error = PassiveAuthenticator::new(store)
        .with_max_chain_length(2)
        .verify(&sod, &[], NOW)
        .unwrap_err();
    assert_eq!(error, PassiveAuthError::ChainTooLong);
    assert_eq!(error.reason(), "chain_too_long");
}

#[test]
fn passive_authentication_types_are_thread_safe() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<PassiveAuthenticator>();
    assert_send_sync::<CscaStore>();
    assert_send_sync::<MasterList>();
    assert_send_sync::<eid_core::emrtd::passive::PassiveAuthProof>();
}

#[test]
fn a_full_proof_on_the_synthetic_chip() {
    let dir = "synthetic";
    let sod = Sod::from_bytes(&read(&format!("{dir}/EF_SOD.bin"))).unwrap();
    let dg1 = read(&format!("{dir}/EF_DG1.bin"));
    let dg2 = read(&format!("{dir}/EF_DG2.bin"));
    let dg15 = read(&format!("{dir}/EF_DG15.bin"));
    // A data group the SOD does not cover.
    let dg14 = read("bsi_tr03105_2013/EF_DG14.bin");
    let authenticator = PassiveAuthenticator::new(store_of(&[&format!("{dir}/CSCA.cer")]));
    let proof = authenticator
        .verify(&sod, &[(15, &dg15), (1, &dg1), (14, &dg14), (2, &dg2)], NOW)
        .unwrap();
    assert_eq!(proof.proven_data_groups(), &[1, 2, 15]);
    assert!(proof.is_proven(1));
    assert!(!proof.is_proven(14));
    assert_eq!(proof.not_covered_data_groups(), &[14]);
    assert_eq!(proof.data_groups_in_sod(), &[1, 2, 15]);
    assert_eq!(proof.chain_length(), 2);
    assert!(proof.csca().to_string().contains("CSCA Utopia eid test"));
    assert!(
        proof
            .document_signer()
            .to_string()
            .contains("DS Utopia eid test")
    );
    // One flipped bit in DG1 and the proof is gone.
    let mut forged = dg1.clone();
    let last = forged.len() - 1;
    forged[last] ^= 0x01;
    assert_eq!(
        authenticator
            .verify(&sod, &[(1, &forged), (2, &dg2)], NOW)
            .unwrap_err(),
        PassiveAuthError::DgHashMismatch { dg: 1 }
    );
    // The same chip against a real CSCA store.
    assert_eq!(
        PassiveAuthenticator::new(all_master_lists().clone())
            .verify(&sod, &[(1, &dg1)], NOW)
            .unwrap_err(),
        PassiveAuthError::CscaNotFound
    );
}

#[test]
fn a_signer_identifier_that_names_no_certificate_is_rejected() {
    let raw = read("real_sods/US_gmrtd/EF_SOD.bin");
    let original = Sod::from_bytes(&raw).unwrap();
    let ds = check_integrity(&original, &[])
        .unwrap()
        .document_signer()
        .clone();
    // The serial number appears in the certificate and, last, in the SignerInfo's sid (which the
    // signature does not cover).
    let serial = ds.serial().to_vec();
    let position = raw
        .windows(serial.len())
        .rposition(|w| w == serial.as_slice())
        .unwrap();
    let mut tampered = raw.clone();
    tampered[position + serial.len() - 1] ^= 0x01;
    let sod = Sod::from_bytes(&tampered).unwrap();
    let error = check_integrity(&sod, &[]).unwrap_err();
    assert_eq!(error, PassiveAuthError::SignerNotFound);
    assert_eq!(error.reason(), "ds_not_found");
}

/// DER tag-length-value with a definite length.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// The tag and content of one DER element.
fn split(element: &[u8]) -> (u8, Vec<u8>) {
    use x509_parser::asn1_rs::{Any, FromDer};
    let (rest, any) = Any::from_der(element).unwrap();
    assert!(rest.is_empty());
    (element[0], any.data.to_vec())
}

/// The DER elements of a constructed element's content.
fn children(content: &[u8]) -> Vec<Vec<u8>> {
    use x509_parser::asn1_rs::{Any, FromDer};
    let mut out = Vec::new();
    let mut input = content;
    while !input.is_empty() {
        let (rest, _) = Any::from_der(input).unwrap();
        out.push(input[..input.len() - rest.len()].to_vec());
        input = rest;
    }
    out
}

/// A DER SOD (`0x77` wrapper) re-encoded after `edit` changed the elements of its SignedData.
fn edit_signed_data(sod: &[u8], edit: impl FnOnce(&mut Vec<Vec<u8>>)) -> Vec<u8> {
    let (t77, c77) = split(sod);
    let (t_ci, c_ci) = split(&c77);
    let ci = children(&c_ci);
    let (t_a0, c_a0) = split(&ci[1]);
    let (t_sd, c_sd) = split(&c_a0);
    let mut sd = children(&c_sd);
    edit(&mut sd);
    let sd = tlv(t_sd, &sd.concat());
    let a0 = tlv(t_a0, &sd);
    let ci = tlv(t_ci, &[ci[0].clone(), a0].concat());
    tlv(t77, &ci)
}

/// A DER SOD re-encoded after `edit` changed the elements of its only SignerInfo.
fn edit_signer_info(sod: &[u8], edit: impl FnOnce(&mut Vec<Vec<u8>>)) -> Vec<u8> {
    edit_signed_data(sod, |sd| {
        let (t_sis, c_sis) = split(sd.last().unwrap());
        let (t_si, c_si) = split(&c_sis);
        let mut si = children(&c_si);
        edit(&mut si);
        let si = tlv(t_si, &si.concat());
        *sd.last_mut().unwrap() = tlv(t_sis, &si);
    })
}

/// The SOD with its SignerInfo identifying the signer by `key_id` (version 3,
/// `[0] SubjectKeyIdentifier`). The signature does not cover the sid.
fn with_subject_key_identifier(sod: &[u8], key_id: &[u8]) -> Vec<u8> {
    edit_signer_info(sod, |si| {
        si[0] = vec![0x02, 0x01, 0x03];
        si[1] = tlv(0x80, key_id);
    })
}

#[test]
fn the_signer_may_be_named_by_its_subject_key_identifier() {
    let raw = read("synthetic/EF_SOD.bin");
    let ds = check_integrity(&Sod::from_bytes(&raw).unwrap(), &[])
        .unwrap()
        .document_signer()
        .clone();
    let key_id = ds.subject_key_identifier().unwrap().to_vec();
    let sod = Sod::from_bytes(&with_subject_key_identifier(&raw, &key_id)).unwrap();
    let authenticator = PassiveAuthenticator::new(store_of(&["synthetic/CSCA.cer"]));
    let dg1 = read("synthetic/EF_DG1.bin");
    let proof = authenticator.verify(&sod, &[(1, &dg1)], NOW).unwrap();
    assert_eq!(proof.proven_data_groups(), &[1]);
    let mut other = key_id.clone();
    other[0] ^= 0x01;
    let sod = Sod::from_bytes(&with_subject_key_identifier(&raw, &other)).unwrap();
    assert_eq!(
        authenticator.verify(&sod, &[(1, &dg1)], NOW).unwrap_err(),
        PassiveAuthError::SignerNotFound
    );
}

#[test]
fn signed_attributes_must_be_present_and_name_the_content_type() {
    let raw = read("synthetic/EF_SOD.bin");
    // Without signed attributes (the [0] element of the SignerInfo).
    let stripped = edit_signer_info(&raw, |si| si.retain(|element| element[0] != 0xA0));
    let sod = Sod::from_bytes(&stripped).unwrap();
    assert_eq!(
        check_integrity(&sod, &[]).unwrap_err(),
        PassiveAuthError::SignedAttrsMismatch {
            what: SignedAttribute::Missing
        }
    );
    // The eContentType changed to id-data: the signed content-type attribute no longer matches.
    let relabelled = edit_signed_data(&raw, |sd| {
        let (t_encap, c_encap) = split(&sd[2]);
        let mut encap = children(&c_encap);
        encap[0] = tlv(
            0x06,
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01],
        );
        sd[2] = tlv(t_encap, &encap.concat());
    });
    let sod = Sod::from_bytes(&relabelled).unwrap();
    assert_eq!(sod.signed_data().econtent_type(), "1.2.840.113549.1.7.1");
    let error = check_integrity(&sod, &[]).unwrap_err();
    assert_eq!(
        error,
        PassiveAuthError::SignedAttrsMismatch {
            what: SignedAttribute::ContentType
        }
    );
    assert_eq!(error.reason(), "signed_attrs_mismatch");
    // Re-encoding alone changes nothing.
    let same = edit_signed_data(&raw, |_| {});
    assert_eq!(same, raw);
}

#[test]
fn another_document_signer_swapped_in_does_not_verify() {
    let raw = read("synthetic/EF_SOD.bin");
    // The UK document signer (also ECDSA P-256) in place of the synthetic one, certificate and
    // signer identifier both.
    let uk_der = read("real_sods/UK_gmrtd/DS.cer");
    let uk = Certificate::from_der(&uk_der).unwrap();
    let mut serial = uk.serial().to_vec();
    if serial[0] & 0x80 != 0 {
        serial.insert(0, 0);
    }
    let sid = tlv(
        0x30,
        &[uk.issuer().der().to_vec(), tlv(0x02, &serial)].concat(),
    );
    let swapped = edit_signed_data(&raw, |sd| {
        let certificates = sd.iter().position(|e| e[0] == 0xA0).unwrap();
        sd[certificates] = tlv(0xA0, &uk_der);
        let (t_sis, c_sis) = split(sd.last().unwrap());
        let (t_si, c_si) = split(&c_sis);
        let mut si = children(&c_si);
        si[1] = sid;
        *sd.last_mut().unwrap() = tlv(t_sis, &tlv(t_si, &si.concat()));
    });
    let sod = Sod::from_bytes(&swapped).unwrap();
    assert_eq!(
        check_integrity(&sod, &[]).unwrap_err(),
        PassiveAuthError::SignatureInvalid
    );
    // The certificate swapped without the identifier: no certificate for the signer.
    let cert_only = edit_signed_data(&raw, |sd| {
        let certificates = sd.iter().position(|e| e[0] == 0xA0).unwrap();
        sd[certificates] = tlv(0xA0, &uk_der);
    });
    assert_eq!(
        check_integrity(&Sod::from_bytes(&cert_only).unwrap(), &[]).unwrap_err(),
        PassiveAuthError::SignerNotFound
    );
}
