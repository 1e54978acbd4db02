use proptest::prelude::*;

use super::*;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/emrtd/");

fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{DATA}{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A definite-length TLV with a one-byte tag.
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

/// An indefinite-length constructed TLV.
fn indefinite(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag, 0x80];
    out.extend_from_slice(content);
    out.extend_from_slice(&[0, 0]);
    out
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
const LDS_OID: &[u8] = &[0x67, 0x81, 0x08, 0x01, 0x01, 0x01];
const SIGNED_DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02];
const CONTENT_TYPE: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x03];
const MESSAGE_DIGEST: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x04];
const SIGNING_TIME: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x05];
const ECDSA_SHA256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02];

fn attribute(oid: &[u8], values: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &cat(&[&tlv(0x06, oid), &tlv(0x31, &values.concat())]))
}

/// The parts of a synthetic SignedData.
struct Parts {
    econtent: Vec<u8>,
    digest_oid: Vec<u8>,
    sid: Vec<u8>,
    attributes: Option<Vec<u8>>,
}

impl Parts {
    fn new() -> Self {
        let econtent = b"the content".to_vec();
        let digest = DigestAlgorithm::Sha256.digest(&econtent);
        let attributes = cat(&[
            &attribute(CONTENT_TYPE, &[tlv(0x06, LDS_OID)]),
            &attribute(SIGNING_TIME, &[tlv(0x17, b"260101000000Z")]),
            &attribute(MESSAGE_DIGEST, &[tlv(0x04, &digest)]),
        ]);
        let name = tlv(
            0x30,
            &tlv(
                0x31,
                &tlv(
                    0x30,
                    &cat(&[&tlv(0x06, &[0x55, 0x04, 0x03]), &tlv(0x13, b"DS")]),
                ),
            ),
        );
        Self {
            econtent,
            digest_oid: SHA256.to_vec(),
            sid: tlv(0x30, &cat(&[&name, &tlv(0x02, &[0x00, 0x99])])),
            attributes: Some(attributes),
        }
    }

    fn econtent_info(&self) -> Vec<u8> {
        tlv(
            0x30,
            &cat(&[&tlv(0x06, LDS_OID), &tlv(0xA0, &tlv(0x04, &self.econtent))]),
        )
    }

    fn signer_info(&self) -> Vec<u8> {
        let attributes = self
            .attributes
            .as_ref()
            .map(|a| tlv(0xA0, a))
            .unwrap_or_default();
        tlv(
            0x30,
            &cat(&[
                &tlv(0x02, &[1]),
                &self.sid,
                &tlv(0x30, &tlv(0x06, &self.digest_oid)),
                &attributes,
                &tlv(0x30, &tlv(0x06, ECDSA_SHA256)),
                &tlv(0x04, &[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]),
            ]),
        )
    }

    fn content_info_with(&self, encap: &[u8]) -> Vec<u8> {
        let certificate = tlv(0x30, &tlv(0x30, &[]));
        let signed_data = tlv(
            0x30,
            &cat(&[
                &tlv(0x02, &[3]),
                &tlv(0x31, &tlv(0x30, &cat(&[&tlv(0x06, SHA256), &[0x05, 0x00]]))),
                encap,
                &tlv(0xA0, &certificate),
                &tlv(0x31, &self.signer_info()),
            ]),
        );
        tlv(
            0x30,
            &cat(&[&tlv(0x06, SIGNED_DATA), &tlv(0xA0, &signed_data)]),
        )
    }

    fn content_info(&self) -> Vec<u8> {
        self.content_info_with(&self.econtent_info())
    }
}

#[test]
fn synthetic_signed_data() {
    let parts = Parts::new();
    let signed_data = SignedData::from_content_info_ber(&parts.content_info()).unwrap();
    assert_eq!(signed_data.econtent_type(), "2.23.136.1.1.1");
    assert_eq!(signed_data.econtent(), b"the content");
    assert_eq!(signed_data.certificates(), [vec![0x30, 0x02, 0x30, 0x00]]);
    let signer = &signed_data.signer_infos()[0];
    assert_eq!(signer.digest_algorithm(), DigestAlgorithm::Sha256);
    assert_eq!(
        signer.signature_algorithm(),
        &AlgorithmIdentifier {
            oid: "1.2.840.10045.4.3.2".into(),
            parameters: None
        }
    );
    match signer.sid() {
        SignerIdentifier::IssuerAndSerial { issuer, serial } => {
            assert_eq!(issuer[0], 0x30);
            assert_eq!(serial, &[0x00, 0x99]);
        }
        other => panic!("{other:?}"),
    }
    let attributes = signer.signed_attributes().unwrap();
    assert_eq!(attributes.content_type(), Some("2.23.136.1.1.1"));
    assert_eq!(
        attributes.message_digest(),
        Some(DigestAlgorithm::Sha256.digest(b"the content").as_slice())
    );
    assert_eq!(
        attributes.attribute_types().collect::<Vec<_>>(),
        [
            "1.2.840.113549.1.9.3",
            "1.2.840.113549.1.9.5",
            "1.2.840.113549.1.9.4"
        ]
    );
    let mut expected = tlv(0xA0, parts.attributes.as_ref().unwrap());
    expected[0] = 0x31;
    assert_eq!(attributes.signed_bytes(), expected);
    let debug = format!("{signed_data:?}");
    assert!(debug.contains("econtent_len: 11"), "{debug}");
}

/// BER: indefinite lengths and a constructed eContent OCTET STRING, as received.
#[test]
fn ber_indefinite_and_constructed_octets() {
    let mut parts = Parts::new();
    let attributes = parts.attributes.clone().unwrap();
    let econtent = cat(&[&tlv(0x04, b"the "), &tlv(0x04, b"content")]);
    let encap = indefinite(
        0x30,
        &cat(&[
            &tlv(0x06, LDS_OID),
            &indefinite(0xA0, &indefinite(0x24, &econtent)),
        ]),
    );
    parts.attributes = None;
    let signer_without = parts.signer_info();
    parts.attributes = Some(attributes.clone());
    let signed_data = SignedData::from_content_info_ber(&parts.content_info_with(&encap)).unwrap();
    assert_eq!(signed_data.econtent(), b"the content");
    assert!(signer_without.len() < parts.signer_info().len());

    // Signed attributes with an indefinite length keep their received bytes.
    let signer = tlv(
        0x30,
        &cat(&[
            &tlv(0x02, &[1]),
            &parts.sid,
            &tlv(0x30, &tlv(0x06, SHA256)),
            &indefinite(0xA0, &attributes),
            &tlv(0x30, &tlv(0x06, ECDSA_SHA256)),
            &tlv(0x04, &[1, 2, 3]),
        ]),
    );
    let signed = indefinite(
        0x30,
        &cat(&[
            &tlv(0x02, &[3]),
            &tlv(0x31, &[]),
            &encap,
            &tlv(0x31, &signer),
        ]),
    );
    let content_info = indefinite(
        0x30,
        &cat(&[&tlv(0x06, SIGNED_DATA), &indefinite(0xA0, &signed)]),
    );
    let signed_data = SignedData::from_content_info_ber(&content_info).unwrap();
    let bytes = signed_data.signer_infos()[0]
        .signed_attributes()
        .unwrap()
        .signed_bytes();
    let mut expected = indefinite(0xA0, &attributes);
    expected[0] = 0x31;
    assert_eq!(bytes, expected);
    assert!(signed_data.certificates().is_empty());
}

#[test]
fn subject_key_identifier() {
    let mut parts = Parts::new();
    parts.sid = tlv(0x80, &[1, 2, 3, 4]);
    let signed_data = SignedData::from_content_info_ber(&parts.content_info()).unwrap();
    assert_eq!(
        signed_data.signer_infos()[0].sid(),
        &SignerIdentifier::SubjectKeyIdentifier(vec![1, 2, 3, 4])
    );
}

#[test]
fn rejects_unknown_digest_algorithm() {
    let mut parts = Parts::new();
    parts.digest_oid = vec![0x2A, 0x03];
    let error = SignedData::from_content_info_ber(&parts.content_info()).unwrap_err();
    assert!(
        matches!(&error, CmsError::UnsupportedAlgorithm { oid } if oid == "1.2.3"),
        "{error:?}"
    );
    assert_eq!(error.reason(), "unsupported_algorithm");
}

#[test]
fn rejects_non_minimal_object_identifiers() {
    // 2.23.136.1.1.1 with a padded arc (67 80 81 08 ..) is not the LDS security object.
    let oid =
        ber::Element::parse_exact(&[0x06, 0x07, 0x67, 0x80, 0x81, 0x08, 0x01, 0x01, 0x01]).unwrap();
    assert_eq!(oid.oid(), Err(ber::Malformed));
    let oid = ber::Element::parse_exact(&[0x06, 0x02, 0x2A, 0x83]).unwrap();
    assert_eq!(oid.oid(), Err(ber::Malformed));
    let oid = ber::Element::parse_exact(&[0x06, 0x00]).unwrap();
    assert_eq!(oid.oid(), Err(ber::Malformed));
    let oid = ber::Element::parse_exact(&[0x06, 0x06, 0x67, 0x81, 0x08, 0x01, 0x01, 0x01]).unwrap();
    assert_eq!(oid.oid().unwrap(), "2.23.136.1.1.1");
}

#[test]
fn rejects_duplicate_or_multivalued_attributes() {
    let digest = tlv(0x04, &[0; 32]);
    for attributes in [
        cat(&[
            &attribute(CONTENT_TYPE, &[tlv(0x06, LDS_OID)]),
            &attribute(CONTENT_TYPE, &[tlv(0x06, LDS_OID)]),
        ]),
        attribute(CONTENT_TYPE, &[tlv(0x06, LDS_OID), tlv(0x06, LDS_OID)]),
        attribute(MESSAGE_DIGEST, &[digest.clone(), digest.clone()]),
        cat(&[
            &attribute(MESSAGE_DIGEST, std::slice::from_ref(&digest)),
            &attribute(MESSAGE_DIGEST, &[digest]),
        ]),
        attribute(CONTENT_TYPE, &[]),
        Vec::new(),
    ] {
        let mut parts = Parts::new();
        parts.attributes = Some(attributes);
        let error = SignedData::from_content_info_ber(&parts.content_info()).unwrap_err();
        assert!(
            matches!(
                error,
                CmsError::Malformed {
                    structure: "SignedAttributes"
                }
            ),
            "{error:?}"
        );
    }
    // Absent attributes are allowed here (the verifier decides).
    let mut parts = Parts::new();
    parts.attributes = None;
    let signed_data = SignedData::from_content_info_ber(&parts.content_info()).unwrap();
    assert!(signed_data.signer_infos()[0].signed_attributes().is_none());
}

#[test]
fn rejects_detached_content_and_other_content_types() {
    let parts = Parts::new();
    let detached = tlv(0x30, &tlv(0x06, LDS_OID));
    let error = SignedData::from_content_info_ber(&parts.content_info_with(&detached)).unwrap_err();
    assert!(matches!(error, CmsError::MissingContent));
    assert_eq!(error.reason(), "missing_content");

    // id-data as the ContentInfo's content type.
    let mut bytes = parts.content_info();
    let at = bytes
        .windows(SIGNED_DATA.len())
        .position(|w| w == SIGNED_DATA)
        .unwrap();
    bytes[at + SIGNED_DATA.len() - 1] = 0x01;
    let error = SignedData::from_content_info_ber(&bytes).unwrap_err();
    assert!(matches!(
        &error,
        CmsError::UnexpectedContentType { found, expected: SIGNED_DATA_OID } if found == "1.2.840.113549.1.7.1"
    ));
    assert_eq!(error.reason(), "unexpected_content_type");
}

#[test]
fn rejects_oversized_truncated_and_trailing() {
    let big = vec![0x30; MAX_CMS_LEN + 1];
    let error = SignedData::from_content_info_ber(&big).unwrap_err();
    assert!(matches!(
        error,
        CmsError::TooLarge {
            max: MAX_CMS_LEN,
            ..
        }
    ));
    assert_eq!(error.reason(), "too_large");

    let bytes = Parts::new().content_info();
    for len in 0..bytes.len() {
        let error = SignedData::from_content_info_ber(&bytes[..len]).unwrap_err();
        assert_eq!(error.reason(), "malformed", "{len}");
    }
    let mut trailing = bytes;
    trailing.push(0);
    assert!(matches!(
        SignedData::from_content_info_ber(&trailing),
        Err(CmsError::Malformed {
            structure: "ContentInfo"
        })
    ));
}

/// The Dutch master list of 2026-07-22: 411 CSCAs, signed by "Masterlist Signer NL".
#[test]
fn dutch_master_list() {
    let bytes = read("masterlists/NL_ML_2026-07-22.ml");
    let signed_data = SignedData::from_content_info_ber(&bytes).unwrap();
    assert_eq!(signed_data.econtent_type(), CSCA_MASTER_LIST_OID);
    assert_eq!(signed_data.signer_infos().len(), 1);
    assert!(!signed_data.certificates().is_empty());
    let signer = &signed_data.signer_infos()[0];
    let attributes = signer.signed_attributes().unwrap();
    assert_eq!(attributes.content_type(), Some(CSCA_MASTER_LIST_OID));
    assert_eq!(
        attributes.message_digest(),
        Some(
            signer
                .digest_algorithm()
                .digest(signed_data.econtent())
                .as_slice()
        )
    );
    let list = CscaMasterList::from_signed_data(&signed_data).unwrap();
    assert_eq!(list.version(), 0);
    assert_eq!(list.certificates().len(), 411);
    assert!(list.certificates().iter().all(|c| c.first() == Some(&0x30)));
    assert_eq!(
        format!("{list:?}"),
        "CscaMasterList { version: 0, certificates: 411 }"
    );
    assert_eq!(list.into_certificates().len(), 411);

    // An EF.SOD is not a master list.
    let sod = read("real_sods/IT_cie_pagopa/EF_SOD_bare_cms.bin");
    let signed_data = SignedData::from_content_info_ber(&sod).unwrap();
    let error = CscaMasterList::from_signed_data(&signed_data).unwrap_err();
    assert!(matches!(
        &error,
        CmsError::UnexpectedContentType { found, expected: CSCA_MASTER_LIST_OID } if found == "2.23.136.1.1.1"
    ));
    assert!(matches!(
        CscaMasterList::from_ber(signed_data.econtent()),
        Err(CmsError::Malformed {
            structure: "CscaMasterList"
        })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = SignedData::from_content_info_ber(&bytes);
        let _ = CscaMasterList::from_ber(&bytes);
        let mut nested = vec![0x30, 0x80, 0x06, 0x09];
        nested.extend_from_slice(SIGNED_DATA);
        nested.extend_from_slice(&[0xA0, 0x80]);
        nested.extend_from_slice(&bytes);
        let _ = SignedData::from_content_info_ber(&nested);
    }

    #[test]
    fn never_panics_on_bit_flipped_synthetic(position in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut bytes = Parts::new().content_info();
        let at = position.index(bytes.len());
        bytes[at] ^= 1 << bit;
        let _ = SignedData::from_content_info_ber(&bytes);
    }
}
