use super::*;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/emrtd/");

fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{DATA}{path}")).unwrap()
}

fn cert(path: &str) -> Certificate {
    Certificate::from_der(&read(path)).unwrap()
}

#[test]
fn parses_real_certificates() {
    let ds = cert("real_sods/MY_gmrtd/DS.cer");
    let csca = cert("real_sods/MY_gmrtd/CSCA.cer");
    assert!(ds.issuer().matches(csca.subject()));
    assert!(!ds.is_self_issued());
    assert!(csca.is_self_issued());
    assert_eq!(ds.authority_key_identifier(), csca.subject_key_identifier());
    assert!(ds.may_sign_documents());
    assert!(!ds.may_issue_certificates());
    assert!(csca.may_issue_certificates());
    assert_eq!(hex(ds.serial()), "69ee7da36620dfab");
}

fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn validity_bounds_are_inclusive() {
    let ds = cert("real_sods/UK_gmrtd/DS.cer");
    // 2021-02-01T00:00:00Z .. 2032-06-01T00:00:00Z
    assert_eq!(ds.not_before(), UnixTime::from_secs(1_612_137_600));
    assert!(ds.is_valid_at(UnixTime::from_secs(1_612_137_600)));
    assert!(!ds.is_valid_at(UnixTime::from_secs(1_612_137_599)));
    assert!(ds.is_valid_at(ds.not_after()));
    assert!(!ds.is_valid_at(UnixTime::from_secs(ds.not_after().as_secs() + 1)));
}

#[test]
fn names_match_whatever_the_rdn_order() {
    use x509_parser::prelude::FromDer;
    let der = read("real_sods/MY_gmrtd/CSCA.cer");
    let (_, parsed) = x509_parser::certificate::X509Certificate::from_der(&der).unwrap();
    let name = DistinguishedName::from_x509(parsed.subject()).unwrap();
    // Rebuild the name with its RDNs reversed.
    let raw = parsed.subject().as_raw();
    let (_, seq) = x509_parser::asn1_rs::Any::from_der(raw).unwrap();
    let mut rdns = Vec::new();
    let mut input: &[u8] = seq.data;
    while !input.is_empty() {
        let (rest, _) = x509_parser::asn1_rs::Any::from_der(input).unwrap();
        rdns.push(input[..input.len() - rest.len()].to_vec());
        input = rest;
    }
    rdns.reverse();
    let body: Vec<u8> = rdns.concat();
    let mut reversed = vec![0x30];
    if body.len() < 128 {
        reversed.push(body.len() as u8);
    } else if body.len() < 256 {
        reversed.extend([0x81, body.len() as u8]);
    } else {
        reversed.extend([0x82, (body.len() >> 8) as u8, body.len() as u8]);
    }
    reversed.extend(body);
    assert_ne!(reversed, raw);
    let other = DistinguishedName::from_der(&reversed).unwrap();
    assert!(name.matches(&other));
    assert_eq!(name, other);
    let ds = cert("real_sods/MY_gmrtd/DS.cer");
    assert!(!ds.subject().matches(&name));
}

#[test]
fn rejects_truncated_and_trailing_bytes() {
    let der = read("real_sods/US_gmrtd/DS.cer");
    assert!(matches!(
        Certificate::from_der(&der[..der.len() - 1]),
        Err(TrustError::Malformed { .. })
    ));
    let mut longer = der.clone();
    longer.push(0);
    assert!(matches!(
        Certificate::from_der(&longer),
        Err(TrustError::Malformed { .. })
    ));
    assert!(matches!(
        Certificate::from_der(&vec![0x30; MAX_CERTIFICATE_LEN + 1]),
        Err(TrustError::TooLarge { .. })
    ));
}

#[test]
fn store_deduplicates_and_indexes_by_subject() {
    let mut store = CscaStore::new();
    assert!(store.is_empty());
    assert!(
        store
            .add_certificate_der(&read("real_sods/DE_gmrtd/CSCA.cer"))
            .unwrap()
    );
    assert!(
        !store
            .add_certificate_der(&read("real_sods/DE_gmrtd/CSCA.cer"))
            .unwrap()
    );
    assert_eq!(store.len(), 1);
    let ds = cert("real_sods/DE_gmrtd/DS.cer");
    assert_eq!(store.by_subject(ds.issuer()).count(), 1);
    let other = cert("real_sods/FR_gmrtd/DS.cer");
    assert_eq!(store.by_subject(other.issuer()).count(), 0);
}

#[test]
fn chain_errors_without_a_csca() {
    let store = CscaStore::new();
    let ds = cert("real_sods/DE_gmrtd/DS.cer");
    let now = UnixTime::from_secs(1_795_305_600); // 2026-11-22
    assert_eq!(
        build_chain(&ds, &[], &store, now, ChainPolicy::SIGNER).unwrap_err(),
        ChainError::CscaNotFound
    );
    assert_eq!(
        build_chain(
            &ds,
            &[],
            &store,
            UnixTime::from_secs(0),
            ChainPolicy::SIGNER
        )
        .unwrap_err(),
        ChainError::LeafNotYetValid
    );
    assert_eq!(
        build_chain(
            &ds,
            &[],
            &store,
            UnixTime::from_secs(4_000_000_000),
            ChainPolicy::SIGNER
        )
        .unwrap_err(),
        ChainError::LeafExpired
    );
    let csca = cert("real_sods/DE_gmrtd/CSCA.cer");
    assert_eq!(
        build_chain(&csca, &[], &store, now, ChainPolicy::SIGNER).unwrap_err(),
        ChainError::LeafKeyUsage
    );
}

#[test]
fn reasons_are_snake_case() {
    for e in [
        ChainError::LeafNotYetValid,
        ChainError::LeafExpired,
        ChainError::CscaNotFound,
        ChainError::NotTrusted,
        ChainError::CscaExpired,
        ChainError::ChainTooLong,
    ] {
        assert!(
            e.reason()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_')
        );
        assert_eq!(TrustError::Chain(e).reason(), e.reason());
    }
}

proptest::proptest! {
    #[test]
    fn certificate_parser_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
        let _ = Certificate::from_der(&bytes);
        let _ = DistinguishedName::from_der(&bytes);
    }
}
