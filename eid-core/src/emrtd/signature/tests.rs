use proptest::prelude::*;
use x509_parser::asn1_rs::{Any, Class, FromBer, Oid, ToDer};
use x509_parser::prelude::{FromDer, X509Certificate};

use super::*;

macro_rules! data {
    ($path:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/emrtd/",
            $path
        ))
        .as_slice()
    };
}

/// The real DS and CSCA certificates (gmrtd, pn-mandate; see tests/data/emrtd/PROVENANCE.md).
const REAL: [(&str, &[u8], &[u8]); 14] = [
    (
        "AT",
        data!("real_sods/AT_gmrtd/DS.cer"),
        data!("real_sods/AT_gmrtd/CSCA.cer"),
    ),
    (
        "AU",
        data!("real_sods/AU_gmrtd/DS.cer"),
        data!("real_sods/AU_gmrtd/CSCA.cer"),
    ),
    (
        "CN",
        data!("real_sods/CN_gmrtd/DS.cer"),
        data!("real_sods/CN_gmrtd/CSCA.cer"),
    ),
    (
        "DE",
        data!("real_sods/DE_gmrtd/DS.cer"),
        data!("real_sods/DE_gmrtd/CSCA.cer"),
    ),
    (
        "FI",
        data!("real_sods/FI_gmrtd/DS.cer"),
        data!("real_sods/FI_gmrtd/CSCA.cer"),
    ),
    (
        "FR",
        data!("real_sods/FR_gmrtd/DS.cer"),
        data!("real_sods/FR_gmrtd/CSCA.cer"),
    ),
    (
        "IT",
        data!("real_sods/IT_cie_pagopa/DS.cer"),
        data!("real_sods/IT_cie_pagopa/CSCA.cer"),
    ),
    (
        "IT link",
        data!("real_sods/IT_cie_pagopa/DS.cer"),
        data!("real_sods/IT_cie_pagopa/CSCA_link_cert.cer"),
    ),
    (
        "MY",
        data!("real_sods/MY_gmrtd/DS.cer"),
        data!("real_sods/MY_gmrtd/CSCA.cer"),
    ),
    (
        "NZ",
        data!("real_sods/NZ_gmrtd/DS.cer"),
        data!("real_sods/NZ_gmrtd/CSCA.cer"),
    ),
    (
        "PH",
        data!("real_sods/PH_gmrtd/DS.cer"),
        data!("real_sods/PH_gmrtd/CSCA.cer"),
    ),
    (
        "RU",
        data!("real_sods/RU_gmrtd/DS.cer"),
        data!("real_sods/RU_gmrtd/CSCA.cer"),
    ),
    (
        "SG",
        data!("real_sods/SG_gmrtd/DS.cer"),
        data!("real_sods/SG_gmrtd/CSCA.cer"),
    ),
    (
        "UK",
        data!("real_sods/UK_gmrtd/DS.cer"),
        data!("real_sods/UK_gmrtd/CSCA.cer"),
    ),
];

const US_DS: &[u8] = data!("real_sods/US_gmrtd/DS.cer");
const US_CSCA: &[u8] = data!("real_sods/US_gmrtd/CSCA.cer");
const VECTORS: &[u8] = data!("generated/openssl_vectors.txt");
const VECTOR_MESSAGE: &[u8] = data!("generated/message.bin");

fn certificate(der: &[u8]) -> X509Certificate<'_> {
    let (rest, cert) = X509Certificate::from_der(der).expect("certificate");
    assert!(rest.is_empty());
    cert
}

fn key_of(cert_der: &[u8]) -> PublicKey {
    PublicKey::from_spki_der(certificate(cert_der).tbs_certificate.subject_pki.raw)
        .expect("issuer key")
}

/// The certificate's algorithm, TBS bytes and signature.
fn signed_parts(cert_der: &[u8]) -> (SignatureAlgorithm, Vec<u8>, Vec<u8>) {
    let cert = certificate(cert_der);
    let parameters = cert
        .signature_algorithm
        .parameters
        .as_ref()
        .map(|p| p.to_der_vec().expect("parameters DER"));
    let algorithm = SignatureAlgorithm::from_algorithm_identifier(
        &cert.signature_algorithm.algorithm.to_id_string(),
        parameters.as_deref(),
        None,
    )
    .expect("algorithm");
    (
        algorithm,
        cert.tbs_certificate.as_ref().to_vec(),
        cert.signature_value.data.to_vec(),
    )
}

fn verify_certificate(cert_der: &[u8], issuer_der: &[u8]) -> Result<(), SignatureError> {
    let (algorithm, tbs, signature) = signed_parts(cert_der);
    key_of(issuer_der).verify(&algorithm, &tbs, &signature)
}

fn hex(text: &str) -> Vec<u8> {
    assert!(text.len().is_multiple_of(2));
    text.as_bytes()
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).expect("ascii"), 16).expect("hex"))
        .collect()
}

struct Vector {
    name: String,
    oid: String,
    parameters: Option<Vec<u8>>,
    spki: Vec<u8>,
    signature: Vec<u8>,
}

fn vectors() -> Vec<Vector> {
    std::str::from_utf8(VECTORS)
        .expect("utf-8")
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('|').collect();
            assert_eq!(fields.len(), 5, "{line}");
            Vector {
                name: fields[0].to_owned(),
                oid: fields[1].to_owned(),
                parameters: (!fields[2].is_empty()).then(|| hex(fields[2])),
                spki: hex(fields[3]),
                signature: hex(fields[4]),
            }
        })
        .collect()
}

#[test]
fn double_scalar_multiplication_agrees_with_separate_multiplications() {
    // Edge scalars on every curve; random ones too on a brainpool curve (computed on its twist)
    // and a NIST one (a = −3 natively). Debug builds are slow, hence the few rounds.
    for (seed, curve) in (11..).zip(curves::ALL) {
        let rounds = match curve.curve {
            Curve::BrainpoolP512r1 | Curve::P224 => 2,
            _ => 0,
        };
        assert!(
            weierstrass::testing::double_scalar_agrees(curve, seed, rounds),
            "{}",
            curve.curve
        );
    }
}

#[test]
fn curve_constants_are_consistent() {
    for curve in curves::ALL {
        assert!(
            weierstrass::testing::check_constants(curve),
            "{}",
            curve.curve
        );
        assert_eq!(curve.curve.params().oid, curve.oid);
    }
}

#[test]
fn every_real_ds_certificate_verifies_under_its_csca() {
    for (country, ds, csca) in REAL {
        assert_eq!(verify_certificate(ds, csca), Ok(()), "{country}");
    }
    assert_eq!(verify_certificate(US_DS, US_CSCA), Ok(()));
}

#[test]
fn real_keys_and_algorithms_are_recognised() {
    use DigestAlgorithm::{Sha1, Sha256, Sha384, Sha512};
    let curve = |der| key_of(der).curve();
    // Explicit-parameter EC keys.
    assert_eq!(curve(REAL[0].1), Some(Curve::BrainpoolP256r1)); // AT DS
    assert_eq!(curve(REAL[0].2), Some(Curve::BrainpoolP384r1)); // AT CSCA
    assert_eq!(curve(REAL[3].1), Some(Curve::BrainpoolP384r1)); // DE DS
    assert_eq!(curve(REAL[3].2), Some(Curve::BrainpoolP512r1)); // DE CSCA
    assert_eq!(curve(REAL[4].1), Some(Curve::BrainpoolP512r1)); // FI DS
    assert_eq!(curve(REAL[11].1), Some(Curve::P256)); // RU DS
    assert_eq!(curve(REAL[11].2), Some(Curve::P256)); // RU CSCA
    assert_eq!(curve(REAL[13].1), Some(Curve::P256)); // UK DS
    assert_eq!(curve(REAL[13].2), Some(Curve::P384)); // UK CSCA
    assert_eq!(key_of(US_DS).rsa_modulus_bits(), Some(2048));
    assert_eq!(key_of(US_CSCA).rsa_modulus_bits(), Some(4096));
    assert_eq!(key_of(REAL[8].2).rsa_modulus_bits(), Some(3072)); // MY CSCA
    assert_eq!(key_of(US_DS).curve(), None);

    assert_eq!(
        signed_parts(REAL[6].1).0, // IT
        SignatureAlgorithm::RsaPss {
            digest: Sha512,
            mgf_digest: Sha512,
            salt_len: 64
        }
    );
    assert_eq!(
        signed_parts(REAL[8].1).0, // MY
        SignatureAlgorithm::RsaPss {
            digest: Sha256,
            mgf_digest: Sha256,
            salt_len: 32
        }
    );
    assert_eq!(
        signed_parts(REAL[11].1).0, // RU
        SignatureAlgorithm::Ecdsa { digest: Sha1 }
    );
    assert_eq!(
        signed_parts(REAL[0].1).0, // AT
        SignatureAlgorithm::Ecdsa { digest: Sha384 }
    );
    assert_eq!(
        signed_parts(US_DS).0,
        SignatureAlgorithm::RsaPkcs1 { digest: Sha256 }
    );
    assert_eq!(
        format!("{:?}", key_of(REAL[3].2)),
        "PublicKey { kind: \"EC\", curve: BrainpoolP512r1 }"
    );
    assert_eq!(
        format!("{:?}", key_of(US_DS)),
        "PublicKey { kind: \"RSA\", bits: 2048 }"
    );
}

/// The self-signed CSCAs verify under their own key; the AT, RU and SG CSCAs (and the IT link
/// certificate) are link certificates (authority key identifier ≠ subject key identifier), signed
/// by a previous key, so their own key must not verify them.
#[test]
fn self_signed_cscas_verify() {
    for (country, _, csca) in REAL {
        let expected = if ["AT", "RU", "SG", "IT link"].contains(&country) {
            Err(SignatureError::Invalid)
        } else {
            Ok(())
        };
        assert_eq!(verify_certificate(csca, csca), expected, "{country}");
    }
}

#[test]
fn flipped_bits_are_invalid() {
    for (country, ds, csca) in REAL {
        let (algorithm, tbs, signature) = signed_parts(ds);
        let key = key_of(csca);
        let mut bad_tbs = tbs.clone();
        bad_tbs[tbs.len() / 2] ^= 0x01;
        assert_eq!(
            key.verify(&algorithm, &bad_tbs, &signature),
            Err(SignatureError::Invalid),
            "{country} message"
        );
        let mut bad_signature = signature.clone();
        let last = bad_signature.len() - 1;
        bad_signature[last] ^= 0x01;
        assert_eq!(
            key.verify(&algorithm, &tbs, &bad_signature),
            Err(SignatureError::Invalid),
            "{country} signature"
        );
    }
}

#[test]
fn wrong_key_is_invalid() {
    // AU's DS under CN's CSCA (both RSA-4096 / SHA-256).
    assert_eq!(
        verify_certificate(REAL[1].1, REAL[2].2),
        Err(SignatureError::Invalid)
    );
    // DE's DS under FI's CSCA (both brainpoolP512r1).
    assert_eq!(
        verify_certificate(REAL[3].1, REAL[4].2),
        Err(SignatureError::Invalid)
    );
    // RSA algorithm with an EC key and the reverse.
    let (_, tbs, signature) = signed_parts(US_DS);
    assert_eq!(
        key_of(REAL[3].2).verify(
            &SignatureAlgorithm::RsaPkcs1 {
                digest: DigestAlgorithm::Sha256
            },
            &tbs,
            &signature
        ),
        Err(SignatureError::AlgorithmKeyMismatch)
    );
    assert_eq!(
        key_of(US_CSCA).verify(
            &SignatureAlgorithm::Ecdsa {
                digest: DigestAlgorithm::Sha256
            },
            &tbs,
            &signature
        ),
        Err(SignatureError::AlgorithmKeyMismatch)
    );
    // A different hash than the one signed.
    assert_eq!(
        key_of(US_CSCA).verify(
            &SignatureAlgorithm::RsaPkcs1 {
                digest: DigestAlgorithm::Sha512
            },
            &tbs,
            &signature
        ),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn generated_vectors_verify() {
    let all = vectors();
    assert!(all.len() >= 50);
    let mut verified = 0;
    for vector in &all {
        let name = vector.name.as_str();
        let key = PublicKey::from_spki_der(&vector.spki);
        if name.starts_with("unknown_") {
            assert!(
                matches!(key, Err(SignatureError::UnknownCurve)),
                "{name}: {key:?}"
            );
            continue;
        }
        if name.ends_with("too_small") {
            assert!(
                matches!(
                    key,
                    Err(SignatureError::KeyTooSmall {
                        bits: 512,
                        min: 1024
                    })
                ),
                "{name}: {key:?}"
            );
            continue;
        }
        let key = key.unwrap_or_else(|e| panic!("{name}: {e}"));
        let expected_curve = [
            ("p224", Curve::P224),
            ("p256", Curve::P256),
            ("p384", Curve::P384),
            ("p521", Curve::P521),
            ("bp224", Curve::BrainpoolP224r1),
            ("bp256", Curve::BrainpoolP256r1),
            ("bp320", Curve::BrainpoolP320r1),
            ("bp384", Curve::BrainpoolP384r1),
            ("bp512", Curve::BrainpoolP512r1),
        ]
        .into_iter()
        .find(|(prefix, _)| name.starts_with(&format!("{prefix}_")))
        .map(|(_, curve)| curve);
        assert_eq!(key.curve(), expected_curve, "{name}");
        let algorithm = SignatureAlgorithm::from_algorithm_identifier(
            &vector.oid,
            vector.parameters.as_deref(),
            None,
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            key.verify(&algorithm, VECTOR_MESSAGE, &vector.signature),
            Ok(()),
            "{name} ({algorithm})"
        );
        let mut bad = vector.signature.clone();
        let last = bad.len() - 1;
        bad[last] ^= 0x80;
        assert_eq!(
            key.verify(&algorithm, VECTOR_MESSAGE, &bad),
            Err(SignatureError::Invalid),
            "{name} flipped"
        );
        assert_eq!(
            key.verify(&algorithm, b"another message", &vector.signature),
            Err(SignatureError::Invalid),
            "{name} other message"
        );
        verified += 1;
    }
    assert_eq!(verified, all.len() - 5);
}

#[test]
fn keys_verifying_again_through_their_precomputed_table_agree() {
    // The generic verifier builds a key's table of multiples on the key's second verification
    // (shared with its clones): every later answer must be the first one's.
    let generic = [
        "p224_",
        "bp224_",
        "bp320_",
        "bp512_",
        "p256_sha512",
        "p256_sha384",
        "p384_sha1",
        "p384_sha256",
    ];
    let mut checked = 0;
    for vector in vectors() {
        let name = vector.name.as_str();
        if !generic.iter().any(|prefix| name.starts_with(prefix)) {
            continue;
        }
        let key = PublicKey::from_spki_der(&vector.spki).expect(name);
        let clone = key.clone();
        let algorithm = SignatureAlgorithm::from_algorithm_identifier(
            &vector.oid,
            vector.parameters.as_deref(),
            None,
        )
        .expect(name);
        let mut bad = vector.signature.clone();
        let last = bad.len() - 1;
        bad[last] ^= 0x01;
        for round in 0..3 {
            assert_eq!(
                key.verify(&algorithm, VECTOR_MESSAGE, &vector.signature),
                Ok(()),
                "{name} round {round}"
            );
            assert_eq!(
                clone.verify(&algorithm, VECTOR_MESSAGE, &bad),
                Err(SignatureError::Invalid),
                "{name} flipped, round {round}"
            );
            assert_eq!(
                key.verify(&algorithm, b"another message", &vector.signature),
                Err(SignatureError::Invalid),
                "{name} other message, round {round}"
            );
        }
        // The table is no part of the key's identity.
        let fresh = PublicKey::from_spki_der(&vector.spki).expect(name);
        assert_eq!(fresh, key, "{name}");
        let state = std::hash::RandomState::new();
        assert_eq!(
            std::hash::BuildHasher::hash_one(&state, &fresh),
            std::hash::BuildHasher::hash_one(&state, &key),
            "{name}"
        );
        checked += 1;
    }
    assert_eq!(checked, 17);
    // A CSCA key (brainpoolP512r1) over its DS certificate, again and again, and over a
    // corrupted one.
    let (_, de_ds, de_csca) = REAL.iter().find(|(name, ..)| *name == "DE").expect("DE");
    let key = key_of(de_csca);
    let (algorithm, tbs, signature) = signed_parts(de_ds);
    let mut corrupted = tbs.clone();
    corrupted[10] ^= 0x01;
    for round in 0..3 {
        assert_eq!(
            key.verify(&algorithm, &tbs, &signature),
            Ok(()),
            "round {round}"
        );
        assert_eq!(
            key.verify(&algorithm, &corrupted, &signature),
            Err(SignatureError::Invalid),
            "corrupted, round {round}"
        );
    }
}

/// Signs random digests with random keys of the RustCrypto crate of the curve, and checks that
/// the generic verifier (without and with a key table) accepts exactly what the crate accepts:
/// the signature, and neither a changed digest nor a changed `s`.
macro_rules! generic_verifier_agrees_with_crate {
    ($crate_curve:ty, $curve:expr, $seed:expr) => {{
        type C = $crate_curve;
        let curve: Curve = $curve;
        let seed: u64 = $seed;
        use ::ecdsa::signature::hazmat::PrehashVerifier;
        let params = curve.params();
        let mut state = seed;
        let mut random = |len: usize| -> Vec<u8> {
            (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state.to_le_bytes()[3]
                })
                .collect()
        };
        for round in 0..2 {
            let signing = loop {
                if let Ok(key) = ::ecdsa::SigningKey::<C>::from_slice(&random(params.p.len())) {
                    break key;
                }
            };
            let verifying = signing.verifying_key();
            let point = verifying.to_sec1_point(false);
            let (x, y) = weierstrass::decode_point(params, point.as_bytes()).expect("point");
            let table = weierstrass::precompute(params, &x, &y).expect("table");
            for digest_len in [20, 48, 64] {
                let digest = random(digest_len);
                let nonce = loop {
                    if let Ok(k) = ::ecdsa::elliptic_curve::NonZeroScalar::<C>::try_from(
                        random(params.p.len()).as_slice(),
                    ) {
                        break k;
                    }
                };
                let (signature, _) =
                    ::ecdsa::hazmat::sign_prehashed(signing.as_nonzero_scalar(), &nonce, &digest)
                        .expect("signature");
                let bytes = signature.to_bytes();
                let (r, s) = bytes.split_at(params.p.len());
                let mut other_digest = digest.clone();
                other_digest[0] ^= 0x80;
                let mut other_s = s.to_vec();
                other_s[s.len() - 1] ^= 0x01;
                for (hash, s, name) in [
                    (&digest, s, "signature"),
                    (&other_digest, s, "other digest"),
                    (&digest, other_s.as_slice(), "other s"),
                ] {
                    let mut fixed = r.to_vec();
                    fixed.extend_from_slice(s);
                    let expected = ::ecdsa::Signature::<C>::from_slice(&fixed)
                        .is_ok_and(|sig| verifying.verify_prehash(hash, &sig).is_ok());
                    assert_eq!(
                        expected,
                        name == "signature",
                        "{curve} {round} {digest_len} {name}"
                    );
                    for table in [None, Some(&table)] {
                        assert_eq!(
                            weierstrass::verify(params, (&x, &y), table, hash, (r, s)),
                            expected,
                            "{curve} round {round}, digest of {digest_len} bytes, {name}, table {}",
                            table.is_some()
                        );
                    }
                }
            }
        }
    }};
}

#[test]
fn generic_verifier_agrees_with_the_curve_crates() {
    generic_verifier_agrees_with_crate!(bp256::BrainpoolP256r1, Curve::BrainpoolP256r1, 7);
    generic_verifier_agrees_with_crate!(bp384::BrainpoolP384r1, Curve::BrainpoolP384r1, 8);
    generic_verifier_agrees_with_crate!(p521::NistP521, Curve::P521, 9);
}

#[test]
fn ecdsa_accepts_plain_r_s() {
    for vector in vectors() {
        if !vector.name.starts_with("bp512_sha256_explicit")
            && !vector.name.starts_with("p224_sha256_named")
            && !vector.name.starts_with("bp256_sha1_named")
        {
            continue;
        }
        let key = PublicKey::from_spki_der(&vector.spki).expect("key");
        let len = key.curve().expect("ec").field_len();
        let (r, s) = der_r_s(&vector.signature);
        let mut plain = vec![0u8; 2 * len];
        plain[len - r.len()..len].copy_from_slice(&r);
        plain[2 * len - s.len()..].copy_from_slice(&s);
        let algorithm =
            SignatureAlgorithm::from_algorithm_identifier(&vector.oid, None, None).expect("alg");
        assert_eq!(
            key.verify(&algorithm, VECTOR_MESSAGE, &plain),
            Ok(()),
            "{}",
            vector.name
        );
        // Neither DER nor of the plain length.
        assert_eq!(
            key.verify(&algorithm, VECTOR_MESSAGE, &plain[1..]),
            Err(SignatureError::Malformed {
                part: KeyPart::Signature
            })
        );
    }
}

/// r and s of a DER Ecdsa-Sig-Value, without leading zeros.
fn der_r_s(der: &[u8]) -> (Vec<u8>, Vec<u8>) {
    use x509_parser::asn1_rs::{Integer, Sequence};
    let (_, (r, s)) = Sequence::from_der_and_then(der, |content| {
        let (content, r) = Integer::from_der(content)?;
        let (content, s) = Integer::from_der(content)?;
        Ok((content, (r, s)))
    })
    .expect("DER signature");
    let strip = |b: &[u8]| {
        b.iter()
            .copied()
            .skip_while(|x| *x == 0)
            .collect::<Vec<_>>()
    };
    (strip(r.any().data), strip(s.any().data))
}

/// The elements of a constructed value's content, each with its whole TLV bytes.
fn elements(mut content: &[u8]) -> Vec<(&[u8], Any<'_>)> {
    let mut out = Vec::new();
    while !content.is_empty() {
        let (rest, any) = Any::from_ber(content).expect("BER element");
        out.push((&content[..content.len() - rest.len()], any));
        content = rest;
    }
    out
}

/// The BSI 2008 Bundesdruckerei test SOD: ECDSA-SHA1 on brainpoolP224r1 with explicit
/// parameters. Its signer certificate and SignerInfo are taken apart here, only for the test.
#[test]
fn bsi2008_sod_brainpool_p224_explicit_verifies() {
    let sod = data!("bsi2008_bdr_test/EF_SOD.bin");
    let (_, wrapper) = Any::from_ber(sod).expect("0x77");
    let (_, content_info) = Any::from_ber(wrapper.data).expect("ContentInfo");
    let (rest, _) = Oid::from_ber(content_info.data).expect("contentType");
    let (_, explicit) = Any::from_ber(rest).expect("[0]");
    let (_, signed_data) = Any::from_ber(explicit.data).expect("SignedData");
    let parts = elements(signed_data.data);
    let certificates = parts
        .iter()
        .find(|(_, any)| any.header.class() == Class::ContextSpecific && any.header.tag().0 == 0)
        .expect("certificates");
    let signer_cert = elements(certificates.1.data)[0].0.to_vec();
    let signer_infos = &parts.last().expect("signerInfos").1;
    let signer_info = &elements(signer_infos.data)[0].1;
    let fields = elements(signer_info.data);
    let (attrs_raw, _) = fields
        .iter()
        .find(|(_, any)| any.header.class() == Class::ContextSpecific && any.header.tag().0 == 0)
        .expect("signedAttrs");
    let mut signed_attrs = attrs_raw.to_vec();
    signed_attrs[0] = 0x31;
    let (_, algorithm_id) = &fields[fields.len() - 2];
    let (_, oid) = Oid::from_ber(algorithm_id.data).expect("signatureAlgorithm");
    let signature = fields.last().expect("signature").1.data;

    let key = key_of(&signer_cert);
    assert_eq!(key.curve(), Some(Curve::BrainpoolP224r1));
    let algorithm =
        SignatureAlgorithm::from_algorithm_identifier(&oid.to_id_string(), None, None).unwrap();
    assert_eq!(
        algorithm,
        SignatureAlgorithm::Ecdsa {
            digest: DigestAlgorithm::Sha1
        }
    );
    assert_eq!(key.verify(&algorithm, &signed_attrs, signature), Ok(()));
    signed_attrs[10] ^= 0x01;
    assert_eq!(
        key.verify(&algorithm, &signed_attrs, signature),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn algorithm_identifiers() {
    use DigestAlgorithm::{Sha1, Sha256};
    assert_eq!(
        SignatureAlgorithm::from_algorithm_identifier("1.2.840.113549.1.1.1", None, Some(Sha256)),
        Ok(SignatureAlgorithm::RsaPkcs1 { digest: Sha256 })
    );
    assert!(matches!(
        SignatureAlgorithm::from_algorithm_identifier("1.2.840.113549.1.1.1", None, None),
        Err(SignatureError::DigestRequired { .. })
    ));
    assert!(matches!(
        SignatureAlgorithm::from_algorithm_identifier("1.2.840.113549.1.1.4", None, None),
        Err(SignatureError::UnsupportedAlgorithm { .. })
    ));
    assert_eq!(
        SignatureAlgorithm::from_algorithm_identifier(
            "1.2.840.113549.1.1.11",
            Some(&[0x05, 0x00]),
            None
        ),
        Ok(SignatureAlgorithm::RsaPkcs1 { digest: Sha256 })
    );
    assert!(matches!(
        SignatureAlgorithm::from_algorithm_identifier(
            "1.2.840.113549.1.1.11",
            Some(&[0x02, 0x01, 0x00]),
            None
        ),
        Err(SignatureError::Malformed {
            part: KeyPart::AlgorithmParameters
        })
    ));
    // PSS with absent parameters: the RFC 4055 defaults.
    assert_eq!(
        SignatureAlgorithm::from_algorithm_identifier("1.2.840.113549.1.1.10", None, None),
        Ok(SignatureAlgorithm::RsaPss {
            digest: Sha1,
            mgf_digest: Sha1,
            salt_len: 20
        })
    );
    // PSS with an empty SEQUENCE: the defaults too.
    assert_eq!(
        SignatureAlgorithm::from_algorithm_identifier(
            "1.2.840.113549.1.1.10",
            Some(&[0x30, 0x00]),
            None
        ),
        Ok(SignatureAlgorithm::RsaPss {
            digest: Sha1,
            mgf_digest: Sha1,
            salt_len: 20
        })
    );
    // Trailer field 2.
    assert_eq!(
        SignatureAlgorithm::from_algorithm_identifier(
            "1.2.840.113549.1.1.10",
            Some(&[0x30, 0x05, 0xa3, 0x03, 0x02, 0x01, 0x02]),
            None
        ),
        Err(SignatureError::UnsupportedParameters)
    );
    assert_eq!(
        SignatureAlgorithm::from_algorithm_identifier("0.4.0.127.0.7.1.1.4.1.3", None, None),
        Ok(SignatureAlgorithm::Ecdsa { digest: Sha256 })
    );
    assert_eq!(
        SignatureAlgorithm::from_algorithm_identifier("1.2.840.10045.2.1", None, Some(Sha1)),
        Ok(SignatureAlgorithm::Ecdsa { digest: Sha1 })
    );
}

#[test]
fn pss_with_other_mgf_hash_is_unsupported() {
    let (_, tbs, signature) = signed_parts(REAL[6].1);
    let algorithm = SignatureAlgorithm::RsaPss {
        digest: DigestAlgorithm::Sha512,
        mgf_digest: DigestAlgorithm::Sha256,
        salt_len: 64,
    };
    assert_eq!(
        key_of(REAL[6].2).verify(&algorithm, &tbs, &signature),
        Err(SignatureError::UnsupportedParameters)
    );
}

#[test]
fn malformed_keys_are_refused() {
    assert!(matches!(
        PublicKey::from_spki_der(&[]),
        Err(SignatureError::Malformed {
            part: KeyPart::SubjectPublicKeyInfo
        })
    ));
    assert!(matches!(
        PublicKey::from_spki_der(&vec![0x30; MAX_SPKI_LEN + 1]),
        Err(SignatureError::InputTooLarge { .. })
    ));
    // A point off the curve: the DE DS key with its last byte changed.
    let cert = certificate(REAL[3].1);
    let mut spki = cert.tbs_certificate.subject_pki.raw.to_vec();
    let last = spki.len() - 1;
    spki[last] ^= 0x01;
    assert!(matches!(
        PublicKey::from_spki_der(&spki),
        Err(SignatureError::Malformed {
            part: KeyPart::EcPoint
        })
    ));
    // Explicit parameters with one changed coefficient: an unknown curve.
    let spki = cert.tbs_certificate.subject_pki.raw;
    let b = curves::BRAINPOOL_P384R1.b;
    let at = spki
        .windows(b.len())
        .position(|w| w == b)
        .expect("b in the SPKI");
    let mut changed = spki.to_vec();
    changed[at + 5] ^= 0x01;
    assert_eq!(
        PublicKey::from_spki_der(&changed),
        Err(SignatureError::UnknownCurve)
    );
    // An unsupported key type (DSA).
    let dsa = [
        0x30, 0x0e, 0x30, 0x09, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01, 0x03, 0x01,
        0x00,
    ];
    assert!(matches!(
        PublicKey::from_spki_der(&dsa),
        Err(SignatureError::UnsupportedKeyType { .. })
    ));
}

#[test]
fn oversized_inputs_are_refused() {
    let key = key_of(US_CSCA);
    let algorithm = SignatureAlgorithm::RsaPkcs1 {
        digest: DigestAlgorithm::Sha256,
    };
    assert!(matches!(
        key.verify(&algorithm, b"m", &[0u8; 1025]),
        Err(SignatureError::InputTooLarge { len: 1025, .. })
    ));
}

#[test]
fn reasons_are_stable() {
    assert_eq!(SignatureError::Invalid.reason(), "signature_invalid");
    assert_eq!(SignatureError::UnknownCurve.reason(), "unknown_curve");
    assert_eq!(
        SignatureError::KeyTooSmall {
            bits: 512,
            min: 1024
        }
        .reason(),
        "key_too_small"
    );
    assert_eq!(
        SignatureError::AlgorithmKeyMismatch.reason(),
        "algorithm_key_mismatch"
    );
    assert_eq!(
        SignatureError::Malformed {
            part: KeyPart::Signature
        }
        .reason(),
        "malformed"
    );
    assert_eq!(
        SignatureError::UnsupportedAlgorithm { oid: "1.2".into() }.reason(),
        "unsupported_algorithm"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn from_spki_der_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = PublicKey::from_spki_der(&bytes);
    }

    #[test]
    fn mutated_real_spki_never_panics(index in 0usize..2000, value in any::<u8>(), which in 0usize..14) {
        let cert = certificate(REAL[which].2);
        let mut spki = cert.tbs_certificate.subject_pki.raw.to_vec();
        let at = index % spki.len();
        spki[at] = value;
        let _ = PublicKey::from_spki_der(&spki);
    }

    #[test]
    fn verify_never_panics(signature in proptest::collection::vec(any::<u8>(), 0..600), which in 0usize..14, digest in 0usize..5) {
        let key = key_of(REAL[which].2);
        let digest = DigestAlgorithm::ALL[digest];
        for algorithm in [
            SignatureAlgorithm::Ecdsa { digest },
            SignatureAlgorithm::RsaPkcs1 { digest },
            SignatureAlgorithm::RsaPss { digest, mgf_digest: digest, salt_len: 20 },
        ] {
            let _ = key.verify(&algorithm, b"message", &signature);
        }
    }

    #[test]
    fn pss_parameters_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = SignatureAlgorithm::from_algorithm_identifier("1.2.840.113549.1.1.10", Some(&bytes), None);
    }
}
