use std::sync::Arc;

use super::cache::DsCache;
use super::*;
use crate::emrtd::trust::{Certificate, ChainOutcome};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/emrtd/");

fn cert(path: &str) -> Arc<Certificate> {
    Arc::new(Certificate::from_der(&std::fs::read(format!("{DATA}{path}")).unwrap()).unwrap())
}

fn outcome(anchor: &Arc<Certificate>, from: u64, until: u64) -> ChainOutcome {
    ChainOutcome {
        anchor: Arc::clone(anchor),
        length: 2,
        valid_from: UnixTime::from_secs(from),
        valid_until: UnixTime::from_secs(until),
    }
}

#[test]
fn cache_entries_hold_only_inside_their_window() {
    let cache = DsCache::new(4);
    let ds = cert("real_sods/US_gmrtd/DS.cer");
    let csca = cert("real_sods/US_gmrtd/CSCA.cer");
    cache.insert(*ds.sha256(), &ds, &outcome(&csca, 100, 200));
    assert!(cache.get(ds.sha256(), UnixTime::from_secs(99)).is_none());
    // A miss outside the window drops the entry.
    assert_eq!(cache.len(), 0);
    cache.insert(*ds.sha256(), &ds, &outcome(&csca, 100, 200));
    assert_eq!(
        cache.get(ds.sha256(), UnixTime::from_secs(150)).unwrap().1,
        2
    );
    assert!(cache.get(ds.sha256(), UnixTime::from_secs(200)).is_some());
    assert!(cache.get(ds.sha256(), UnixTime::from_secs(201)).is_none());
    assert!(cache.certificate(ds.der()).is_none());
}

#[test]
fn cache_is_bounded() {
    let cache = DsCache::new(2);
    let csca = cert("real_sods/US_gmrtd/CSCA.cer");
    let signers: Vec<_> = ["US", "UK", "DE", "FR"]
        .iter()
        .map(|c| cert(&format!("real_sods/{c}_gmrtd/DS.cer")))
        .collect();
    for ds in &signers {
        cache.insert(*ds.sha256(), ds, &outcome(&csca, 0, u64::MAX));
        assert!(cache.len() <= 2);
    }
    // The oldest went first.
    assert!(
        cache
            .get(signers[0].sha256(), UnixTime::from_secs(1))
            .is_none()
    );
    assert!(
        cache
            .get(signers[3].sha256(), UnixTime::from_secs(1))
            .is_some()
    );
    assert!(cache.certificate(signers[3].der()).is_some());
    let none = DsCache::new(0);
    none.insert(
        *signers[0].sha256(),
        &signers[0],
        &outcome(&csca, 0, u64::MAX),
    );
    assert_eq!(none.len(), 0);
}

#[test]
fn chain_errors_map_to_distinct_reasons() {
    let all = [
        ChainError::LeafNotYetValid,
        ChainError::LeafExpired,
        ChainError::LeafKeyUsage,
        ChainError::CscaNotFound,
        ChainError::NotTrusted,
        ChainError::IssuerNotCa,
        ChainError::CscaExpired,
        ChainError::CscaNotYetValid,
        ChainError::ChainTooLong,
        ChainError::UnsupportedAlgorithm,
    ];
    let mut reasons: Vec<&str> = all
        .iter()
        .map(|e| PassiveAuthError::from(*e).reason())
        .collect();
    for e in all {
        assert_eq!(PassiveAuthError::from(e).reason(), e.reason());
    }
    reasons.sort_unstable();
    reasons.dedup();
    assert_eq!(reasons.len(), all.len());
    assert_eq!(
        PassiveAuthError::DgHashMismatch { dg: 2 }.reason(),
        "dg_hash_mismatch"
    );
    assert_eq!(
        PassiveAuthError::SignatureInvalid.reason(),
        "signature_invalid"
    );
    assert_eq!(
        PassiveAuthError::SignedAttrsMismatch {
            what: SignedAttribute::Missing
        }
        .reason(),
        "signed_attrs_mismatch"
    );
}

proptest::proptest! {
    #[test]
    fn arbitrary_data_groups_never_panic(
        dg in 0_u8..20,
        bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..256),
    ) {
        let raw = std::fs::read(format!("{DATA}nl_specimen_2006/EF_SOD.bin")).unwrap();
        let sod = Sod::from_bytes(&raw).unwrap();
        match check_integrity(&sod, &[(dg, &bytes)]) {
            Ok(report) => proptest::prop_assert!(report.matched_data_groups().is_empty()),
            Err(PassiveAuthError::DgHashMismatch { dg: found }) => proptest::prop_assert_eq!(found, dg),
            Err(PassiveAuthError::Malformed { .. }) => proptest::prop_assert!(dg == 0 || dg > 16),
            Err(other) => proptest::prop_assert!(false, "{other:?}"),
        }
    }
}

#[test]
fn cold_verifications_agree_once_the_csca_key_has_its_table() {
    // The brainpoolP512r1 CSCA keys of DE and FI get a table of precomputed multiples on their
    // second use; the DS chain is checked on every call without a cache, so every call after
    // the first goes through the table and must reach the same proof.
    let now = UnixTime::from_secs(1_795_305_600);
    for dataset in ["DE_gmrtd", "FI_gmrtd"] {
        let read = |file: &str| std::fs::read(format!("{DATA}real_sods/{dataset}/{file}")).unwrap();
        let sod = Sod::from_bytes(&read("EF_SOD.bin")).unwrap();
        let mut store = CscaStore::new();
        store.add_certificate_der(&read("CSCA.cer")).unwrap();
        let cold = PassiveAuthenticator::new(store).with_cache_capacity(0);
        let first = format!("{:?}", cold.verify(&sod, &[], now).unwrap());
        for round in 1..4 {
            let proof = cold.verify(&sod, &[], now).unwrap();
            assert_eq!(format!("{proof:?}"), first, "{dataset} round {round}");
        }
    }
}
