use proptest::prelude::*;
use serde_json::Value;

use super::*;
use crate::emrtd::cms::{CmsError, SignerIdentifier};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/emrtd/");

fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{DATA}{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn expected() -> Value {
    serde_json::from_slice(&read("expected.json")).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every dataset of expected.json: (folder, SOD path, its expectations).
fn datasets() -> Vec<(String, String, Value)> {
    let expected = expected();
    let datasets = expected["datasets"].as_object().unwrap();
    datasets
        .iter()
        .map(|(folder, value)| {
            let file = value["sod_file"].as_str().unwrap();
            (folder.clone(), format!("{folder}/{file}"), value.clone())
        })
        .collect()
}

fn digest_name(algorithm: DigestAlgorithm) -> &'static str {
    match algorithm {
        DigestAlgorithm::Sha1 => "sha1",
        DigestAlgorithm::Sha224 => "sha224",
        DigestAlgorithm::Sha256 => "sha256",
        DigestAlgorithm::Sha384 => "sha384",
        DigestAlgorithm::Sha512 => "sha512",
    }
}

/// Every SOD (14 real ones of 13 countries plus 4 test documents) parses as the independent
/// verifiers of expected.json read it.
#[test]
fn every_sod_matches_expected_json() {
    let datasets = datasets();
    assert_eq!(datasets.len(), 19);
    for (folder, path, expected) in datasets {
        let sod = Sod::from_bytes(&read(&path)).unwrap_or_else(|e| panic!("{folder}: {e}"));
        let signed_data = sod.signed_data();
        assert_eq!(
            signed_data.econtent_type(),
            expected["econtent_type"].as_str().unwrap(),
            "{folder}"
        );
        let lds = sod.lds();
        let want = &expected["lds"];
        assert_eq!(
            u64::from(lds.version()),
            want["version"].as_u64().unwrap(),
            "{folder}"
        );
        assert_eq!(
            digest_name(lds.digest_algorithm()),
            want["hash"],
            "{folder}"
        );
        let dgs: Vec<u64> = lds.data_groups().map(|(dg, _)| u64::from(dg)).collect();
        let want_dgs: Vec<u64> = want["dgs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|dg| dg.as_u64().unwrap())
            .collect();
        assert_eq!(dgs, want_dgs, "{folder}");
        assert_eq!(
            lds.lds_version_info().map(|(lds, _)| lds),
            want["lds_version"].as_str(),
            "{folder}"
        );
        for (_, hash) in lds.data_groups() {
            assert_eq!(hash.len(), lds.digest_algorithm().output_len(), "{folder}");
        }

        // One signer; its signed attributes name the content type and digest the content.
        assert_eq!(signed_data.signer_infos().len(), 1, "{folder}");
        let signer = &signed_data.signer_infos()[0];
        let attributes = signer.signed_attributes().expect(&folder);
        assert_eq!(
            attributes.content_type(),
            Some(signed_data.econtent_type()),
            "{folder}"
        );
        assert_eq!(
            attributes.message_digest(),
            Some(
                signer
                    .digest_algorithm()
                    .digest(signed_data.econtent())
                    .as_slice()
            ),
            "{folder}"
        );
        assert_eq!(attributes.signed_bytes().first(), Some(&0x31), "{folder}");
        assert!(!signer.signature().is_empty(), "{folder}");
        assert!(!signer.signature_algorithm().oid.is_empty(), "{folder}");

        // The DS certificate is embedded, and the signer names it by its serial number.
        assert_eq!(signed_data.certificates().len(), 1, "{folder}");
        match signer.sid() {
            SignerIdentifier::IssuerAndSerial { issuer, serial } => {
                assert_eq!(issuer.first(), Some(&0x30), "{folder}");
                let serial = hex(serial);
                assert_eq!(
                    serial.trim_start_matches('0'),
                    expected["ds"]["serial"].as_str().unwrap(),
                    "{folder}"
                );
            }
            SignerIdentifier::SubjectKeyIdentifier(ski) => {
                assert!(!ski.is_empty(), "{folder}");
            }
        }
    }
}

/// In the four test documents, every DG file the SOD covers hashes to the SOD's value, and
/// the others are not covered.
#[test]
fn specimen_data_group_hashes() {
    let expected = expected();
    for folder in [
        "bsi_tr03105_2013",
        "etsi_tr103200_2011",
        "bsi2008_bdr_test",
        "nl_specimen_2006",
    ] {
        let sod = Sod::from_bytes(&read(&format!("{folder}/EF_SOD.bin"))).unwrap();
        let lds = sod.lds();
        let files = expected["datasets"][folder]["dg_files"]
            .as_object()
            .unwrap();
        assert!(!files.is_empty());
        for (name, verdict) in files {
            let dg: u8 = name.trim_start_matches("DG").parse().unwrap();
            let bytes = read(&format!("{folder}/EF_{name}.bin"));
            assert_eq!(crate::emrtd::datagroup::data_group_number(&bytes), Some(dg));
            match verdict.as_str().unwrap() {
                "hash_match" => assert_eq!(
                    lds.data_group_hash(dg),
                    Some(lds.digest_algorithm().digest(&bytes).as_slice()),
                    "{folder} {name}"
                ),
                "not_in_sod" => assert_eq!(lds.data_group_hash(dg), None, "{folder} {name}"),
                other => panic!("{other}"),
            }
        }
    }
}

#[test]
fn real_quirks() {
    // New Zealand: BER indefinite lengths inside the wrapper.
    let nz = Sod::from_bytes(&read("real_sods/NZ_gmrtd/EF_SOD.bin")).unwrap();
    assert_eq!(nz.lds().data_group_hash(3), None);
    // China: id-data as eContentType.
    let cn = Sod::from_bytes(&read("real_sods/CN_gmrtd/EF_SOD.bin")).unwrap();
    assert_eq!(cn.signed_data().econtent_type(), "1.2.840.113549.1.7.1");
    // Italy: no 0x77 wrapper; LDS v1.
    let it = Sod::from_bytes(&read("real_sods/IT_cie_pagopa/EF_SOD_bare_cms.bin")).unwrap();
    assert_eq!(it.lds().version(), 1);
    assert_eq!(it.lds().digest_algorithm(), DigestAlgorithm::Sha512);
    let (lds_version, unicode_version) = it.lds().lds_version_info().unwrap();
    assert_eq!(lds_version, "0108");
    assert!(!unicode_version.is_empty());
    // Australia: signed attributes beyond content type and message digest.
    let au = Sod::from_bytes(&read("real_sods/AU_gmrtd/EF_SOD.bin")).unwrap();
    let attributes = au.signed_data().signer_infos()[0]
        .signed_attributes()
        .unwrap();
    assert!(attributes.attribute_types().count() > 2);
    // Debug shows no hash values.
    let debug = format!("{:?}", au.lds());
    assert!(debug.contains("data_groups: [1, 2, 15]"), "{debug}");
}

/// The signed bytes are the received encoding, with only the tag changed.
#[test]
fn signed_bytes_are_as_received() {
    for (folder, path, _) in datasets() {
        let bytes = read(&path);
        let sod = Sod::from_bytes(&bytes).unwrap();
        let signed = sod.signed_data().signer_infos()[0]
            .signed_attributes()
            .unwrap()
            .signed_bytes()
            .to_vec();
        let mut received = signed.clone();
        received[0] = 0xA0;
        let found = bytes
            .windows(received.len())
            .filter(|w| *w == received.as_slice())
            .count();
        assert_eq!(found, 1, "{folder}");
    }
}

/// The `0x77` wrapper with an indefinite length (BER) is accepted too.
#[test]
fn indefinite_length_wrapper() {
    let bytes = read("real_sods/NZ_gmrtd/EF_SOD.bin");
    let mut wrapped = vec![0x77, 0x80];
    wrapped.extend_from_slice(&bytes[4..]);
    wrapped.extend_from_slice(&[0, 0]);
    let indefinite = Sod::from_bytes(&wrapped).unwrap();
    let definite = Sod::from_bytes(&bytes).unwrap();
    assert_eq!(indefinite.lds(), definite.lds());
    assert_eq!(indefinite.signed_data(), definite.signed_data());
}

fn sod(path: &str) -> Vec<u8> {
    read(path)
}

#[test]
fn rejects_oversized() {
    let big = vec![0x77; MAX_SOD_LEN + 1];
    assert!(matches!(
        Sod::from_bytes(&big),
        Err(SodError::TooLarge { len, max: MAX_SOD_LEN }) if len == MAX_SOD_LEN + 1
    ));
    assert_eq!(Sod::from_bytes(&big).unwrap_err().reason(), "too_large");
}

#[test]
fn rejects_wrong_wrapper_tag() {
    let mut bytes = sod("bsi_tr03105_2013/EF_SOD.bin");
    bytes[0] = 0x78;
    let error = Sod::from_bytes(&bytes).unwrap_err();
    assert!(matches!(error, SodError::UnexpectedTag { found: 0x78 }));
    assert_eq!(error.reason(), "unexpected_tag");
    // A data group is not an EF.SOD.
    let dg1 = sod("bsi_tr03105_2013/EF_DG1.bin");
    assert!(matches!(
        Sod::from_bytes(&dg1),
        Err(SodError::UnexpectedTag { found: 0x61 })
    ));
    assert!(matches!(
        Sod::from_bytes(&[]),
        Err(SodError::Malformed { .. })
    ));
}

#[test]
fn rejects_flipped_inner_tag() {
    // The ContentInfo SEQUENCE inside the wrapper becomes a SET.
    let mut bytes = sod("bsi_tr03105_2013/EF_SOD.bin");
    assert_eq!(bytes[4], 0x30);
    bytes[4] = 0x31;
    let error = Sod::from_bytes(&bytes).unwrap_err();
    assert!(
        matches!(
            error,
            SodError::Cms(CmsError::Malformed {
                structure: "ContentInfo"
            })
        ),
        "{error:?}"
    );
    assert_eq!(error.reason(), "malformed");
}

#[test]
fn rejects_truncated_and_trailing() {
    let bytes = sod("real_sods/NZ_gmrtd/EF_SOD.bin");
    for len in [
        0,
        1,
        2,
        4,
        5,
        100,
        bytes.len() / 2,
        bytes.len() - 2,
        bytes.len() - 1,
    ] {
        let error = Sod::from_bytes(&bytes[..len]).unwrap_err();
        assert_eq!(error.reason(), "malformed", "{len}");
    }
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert!(matches!(
        Sod::from_bytes(&trailing),
        Err(SodError::Malformed {
            structure: "EF.SOD wrapper"
        })
    ));
    // A bare ContentInfo with trailing data.
    let mut bare = sod("real_sods/IT_cie_pagopa/EF_SOD_bare_cms.bin");
    bare.extend_from_slice(&[0, 0]);
    assert!(matches!(
        Sod::from_bytes(&bare),
        Err(SodError::Cms(CmsError::Malformed {
            structure: "ContentInfo"
        }))
    ));
}

/// Replaces the one occurrence of `from` in `bytes` by `to` (same length).
fn replace_once(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    assert_eq!(from.len(), to.len());
    let positions: Vec<usize> = bytes
        .windows(from.len())
        .enumerate()
        .filter(|(_, w)| *w == from)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(positions.len(), 1, "{positions:?}");
    bytes[positions[0]..positions[0] + to.len()].copy_from_slice(to);
}

#[test]
fn rejects_unknown_econtent_type() {
    // eContentType 2.23.136.1.1.1 → 2.23.136.1.1.9 (the content-type attribute is left as is:
    // parsing does not compare them, the verifier does).
    let mut bytes = sod("real_sods/NZ_gmrtd/EF_SOD.bin");
    replace_once(
        &mut bytes,
        &[0x06, 0x06, 0x67, 0x81, 0x08, 0x01, 0x01, 0x01, 0xA0, 0x80],
        &[0x06, 0x06, 0x67, 0x81, 0x08, 0x01, 0x01, 0x09, 0xA0, 0x80],
    );
    let error = Sod::from_bytes(&bytes).unwrap_err();
    assert!(
        matches!(&error, SodError::UnexpectedContentType { found } if found == "2.23.136.1.1.9"),
        "{error:?}"
    );
    assert_eq!(error.reason(), "unexpected_content_type");
}

#[test]
fn rejects_unknown_data_group_hash_algorithm() {
    // In the NZ SOD the LDS's hashAlgorithm is SHA-256 (`30 0b 06 09 ...`, no NULL) while the
    // other AlgorithmIdentifiers carry a NULL.
    let mut bytes = sod("real_sods/NZ_gmrtd/EF_SOD.bin");
    let sha256 = [
        0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x30,
    ];
    let mut unknown = sha256;
    unknown[12] = 0x7F;
    replace_once(&mut bytes, &sha256, &unknown);
    let error = Sod::from_bytes(&bytes).unwrap_err();
    assert!(
        matches!(&error, SodError::UnsupportedAlgorithm { oid } if oid == "2.16.840.1.101.3.4.2.127"),
        "{error:?}"
    );
    assert_eq!(error.reason(), "unsupported_algorithm");
}

/// Builds a definite-length TLV with a one-byte tag.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend_from_slice(&[0x81, len as u8]);
    } else {
        out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(content);
    out
}

fn lds(version: u8, algorithm_last_arc: u8, hashes: &[(u8, usize)], info: bool) -> Vec<u8> {
    let mut content = tlv(0x02, &[version]);
    content.extend(tlv(
        0x30,
        &tlv(
            0x06,
            &[
                0x60,
                0x86,
                0x48,
                0x01,
                0x65,
                0x03,
                0x04,
                0x02,
                algorithm_last_arc,
            ],
        ),
    ));
    let mut values = Vec::new();
    for (dg, len) in hashes {
        let mut pair = tlv(0x02, &[*dg]);
        pair.extend(tlv(0x04, &vec![0xAB; *len]));
        values.extend(tlv(0x30, &pair));
    }
    content.extend(tlv(0x30, &values));
    if info {
        let mut info = tlv(0x13, b"0108");
        info.extend(tlv(0x13, b"040000"));
        content.extend(tlv(0x30, &info));
    }
    tlv(0x30, &content)
}

#[test]
fn lds_security_object_versions_and_limits() {
    let v0 = LdsSecurityObject::from_ber(&lds(0, 1, &[(1, 32), (2, 32)], false)).unwrap();
    assert_eq!(v0.version(), 0);
    assert_eq!(v0.lds_version_info(), None);
    let v1 = LdsSecurityObject::from_ber(&lds(1, 3, &[(2, 64), (1, 64)], true)).unwrap();
    assert_eq!(v1.version(), 1);
    assert_eq!(v1.digest_algorithm(), DigestAlgorithm::Sha512);
    assert_eq!(v1.lds_version_info(), Some(("0108", "040000")));
    assert_eq!(
        v1.data_groups().map(|(dg, _)| dg).collect::<Vec<_>>(),
        [1, 2]
    );
    // SHA-224.
    let sha224 = LdsSecurityObject::from_ber(&lds(0, 4, &[(1, 28), (2, 28)], false)).unwrap();
    assert_eq!(sha224.digest_algorithm(), DigestAlgorithm::Sha224);

    let cases: [(Vec<u8>, &str); 9] = [
        (lds(2, 1, &[(1, 32), (2, 32)], true), "unsupported_version"),
        (
            lds(0, 9, &[(1, 32), (2, 32)], false),
            "unsupported_algorithm",
        ),
        (lds(0, 1, &[(1, 32), (1, 32)], false), "data_group_number"),
        (lds(0, 1, &[(0, 32), (1, 32)], false), "data_group_number"),
        (lds(0, 1, &[(17, 32), (1, 32)], false), "data_group_number"),
        (lds(0, 1, &[(1, 32), (2, 20)], false), "hash_length"),
        (lds(0, 1, &[(1, 32)], false), "malformed"),
        (lds(0, 1, &[(1, 32), (2, 32)], true), "malformed"),
        (lds(1, 1, &[(1, 32), (2, 32)], false), "malformed"),
    ];
    for (bytes, reason) in cases {
        let error = LdsSecurityObject::from_ber(&bytes).unwrap_err();
        assert_eq!(error.reason(), reason, "{error:?}");
    }
    assert!(matches!(
        LdsSecurityObject::from_ber(&lds(0, 1, &[(1, 32), (2, 20)], false)),
        Err(SodError::HashLength {
            dg: 2,
            len: 20,
            expected: 32
        })
    ));
    assert!(matches!(
        LdsSecurityObject::from_ber(&lds(7, 1, &[(1, 32), (2, 32)], false)),
        Err(SodError::UnsupportedVersion { version: 7 })
    ));
}

fn all_sods() -> Vec<Vec<u8>> {
    datasets()
        .into_iter()
        .map(|(_, path, _)| read(&path))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Sod::from_bytes(&bytes);
        let _ = LdsSecurityObject::from_ber(&bytes);
        let mut wrapped = vec![0x77, 0x80];
        wrapped.extend_from_slice(&bytes);
        let _ = Sod::from_bytes(&wrapped);
    }

    #[test]
    fn never_panics_on_bit_flipped_real_sods(
        index in 0usize..19,
        position in any::<prop::sample::Index>(),
        bit in 0u8..8,
        cut in any::<prop::sample::Index>(),
    ) {
        let sods = all_sods();
        let mut bytes = sods[index % sods.len()].clone();
        let at = position.index(bytes.len());
        bytes[at] ^= 1 << bit;
        let _ = Sod::from_bytes(&bytes);
        let len = cut.index(bytes.len());
        let _ = Sod::from_bytes(&bytes[..len]);
    }
}
