use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Odd};
use proptest::prelude::*;
use x509_parser::asn1_rs::{Any, FromBer};

use super::*;

const KEYS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/emrtd/generated/active_auth_keys.txt"
));

/// The real DG15 files (BSI, ETSI, Dutch specimen): RSA-1024 active authentication keys.
const DG15: [&[u8]; 4] = [
    include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/emrtd/bsi2008_bdr_test/EF_DG15.bin"
    )),
    include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/emrtd/bsi_tr03105_2013/EF_DG15.bin"
    )),
    include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/emrtd/etsi_tr103200_2011/EF_DG15.bin"
    )),
    include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/emrtd/nl_specimen_2006/EF_DG15.bin"
    )),
];

const CHALLENGE: [u8; 8] = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08];

fn hex(text: &str) -> Vec<u8> {
    let text = if text.len() % 2 == 1 {
        format!("0{text}")
    } else {
        text.to_owned()
    };
    text.as_bytes()
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).expect("ascii"), 16).expect("hex"))
        .collect()
}

fn line(name: &str) -> Vec<&'static str> {
    KEYS.lines()
        .find(|line| line.starts_with(&format!("{name}|")))
        .expect(name)
        .split('|')
        .collect()
}

/// The generated RSA-1024 key: public key, modulus, private exponent.
fn rsa_key() -> (PublicKey, Vec<u8>, Vec<u8>) {
    let fields = line("rsa1024_key");
    let key = PublicKey::from_spki_der(&hex(fields[1])).expect("key");
    (key, hex(fields[2]), hex(fields[3]))
}

/// The raw RSA private operation `j^d mod n` (test only).
fn private_op(n: &[u8], d: &[u8], j: &[u8]) -> Vec<u8> {
    let bits = u32::try_from(n.len() * 8).unwrap();
    let modulus = BoxedUint::from_be_slice(n, bits).unwrap();
    let params = BoxedMontyParams::new(Odd::new(modulus).into_option().unwrap());
    let j = BoxedUint::from_be_slice(j, bits).unwrap();
    let d = BoxedUint::from_be_slice(d, bits).unwrap();
    let s = BoxedMontyForm::new(j, &params).pow(&d).retrieve();
    left_pad(&s.to_be_bytes(), n.len())
}

fn left_pad(bytes: &[u8], len: usize) -> Vec<u8> {
    let bytes = &bytes[bytes.len().saturating_sub(len)..];
    let mut out = vec![0u8; len - bytes.len()];
    out.extend_from_slice(bytes);
    out
}

/// `J = header || M1 || hash(M1 || challenge) || trailer` of the modulus length.
fn representative(
    len: usize,
    header: u8,
    digest: DigestAlgorithm,
    trailer: &[u8],
    challenge: &[u8],
) -> Vec<u8> {
    let m1_len = len - 1 - digest.output_len() - trailer.len();
    let m1: Vec<u8> = (0..m1_len).map(|i| (i * 7 + 3) as u8).collect();
    let mut message = m1.clone();
    message.extend_from_slice(challenge);
    let mut j = vec![header];
    j.extend_from_slice(&m1);
    j.extend_from_slice(&digest.digest(&message));
    j.extend_from_slice(trailer);
    assert_eq!(j.len(), len);
    j
}

#[test]
fn rsa_iso9796_2_sha1_implicit_trailer() {
    let (key, n, d) = rsa_key();
    let j = representative(n.len(), 0x6A, DigestAlgorithm::Sha1, &[0xBC], &CHALLENGE);
    let response = private_op(&n, &d, &j);
    let outcome = verify_active_authentication(&key, &CHALLENGE, &response, None).unwrap();
    assert_eq!(outcome.mechanism(), ActiveAuthMechanism::RsaIso9796Part2);
    assert_eq!(outcome.digest(), DigestAlgorithm::Sha1);

    let other = [9u8; 8];
    assert_eq!(
        verify_active_authentication(&key, &other, &response, None),
        Err(ActiveAuthError::Invalid)
    );
    let mut flipped = response.clone();
    flipped[40] ^= 0x04;
    assert_eq!(
        verify_active_authentication(&key, &CHALLENGE, &flipped, None),
        Err(ActiveAuthError::Invalid)
    );
    assert_eq!(
        verify_active_authentication(&key, &CHALLENGE, &response[1..], None),
        Err(ActiveAuthError::Malformed)
    );
}

#[test]
fn rsa_iso9796_2_explicit_trailers() {
    let (key, n, d) = rsa_key();
    for (id, digest) in [
        (0x33, DigestAlgorithm::Sha1),
        (0x34, DigestAlgorithm::Sha256),
        (0x35, DigestAlgorithm::Sha512),
        (0x36, DigestAlgorithm::Sha384),
        (0x38, DigestAlgorithm::Sha224),
    ] {
        let j = representative(n.len(), 0x6A, digest, &[id, 0xCC], &CHALLENGE);
        let response = private_op(&n, &d, &j);
        let outcome = verify_active_authentication(&key, &CHALLENGE, &response, None).unwrap();
        assert_eq!(outcome.digest(), digest);
        // A trailer naming another hash than the one used.
        let wrong_id = if id == 0x34 { 0x33 } else { 0x34 };
        let mut j = j;
        let at = j.len() - 2;
        j[at] = wrong_id;
        let response = private_op(&n, &d, &j);
        assert!(matches!(
            verify_active_authentication(&key, &CHALLENGE, &response, None),
            Err(ActiveAuthError::Invalid | ActiveAuthError::Malformed)
        ));
    }
}

#[test]
fn rsa_iso9796_2_n_minus_signature() {
    // The signer may send n − Σ (ISO/IEC 9796-2 min(Σ, n − Σ)); e is odd, so (n − Σ)^e = n − J.
    let (key, n, d) = rsa_key();
    let j = representative(
        n.len(),
        0x6A,
        DigestAlgorithm::Sha256,
        &[0x34, 0xCC],
        &CHALLENGE,
    );
    let sigma = private_op(&n, &d, &j);
    let bits = u32::try_from(n.len() * 8).unwrap();
    let complement = BoxedUint::from_be_slice(&n, bits)
        .unwrap()
        .wrapping_sub(BoxedUint::from_be_slice(&sigma, bits).unwrap());
    let response = left_pad(&complement.to_be_bytes(), n.len());
    let outcome = verify_active_authentication(&key, &CHALLENGE, &response, None).unwrap();
    assert_eq!(outcome.digest(), DigestAlgorithm::Sha256);
}

#[test]
fn rsa_iso9796_2_refusals() {
    let (key, n, d) = rsa_key();
    // Full-recovery header 0x4A instead of partial recovery 0x6A.
    let j = representative(n.len(), 0x4A, DigestAlgorithm::Sha1, &[0xBC], &CHALLENGE);
    assert_eq!(
        verify_active_authentication(&key, &CHALLENGE, &private_op(&n, &d, &j), None),
        Err(ActiveAuthError::Invalid)
    );
    // RIPEMD-160 (0x31): not supported.
    let j = representative(
        n.len(),
        0x6A,
        DigestAlgorithm::Sha1,
        &[0x31, 0xCC],
        &CHALLENGE,
    );
    assert_eq!(
        verify_active_authentication(&key, &CHALLENGE, &private_op(&n, &d, &j), None),
        Err(ActiveAuthError::UnsupportedHash { id: 0x31 })
    );
    // A response not below the modulus.
    assert_eq!(
        verify_active_authentication(&key, &CHALLENGE, &vec![0xFF; n.len()], None),
        Err(ActiveAuthError::Invalid)
    );
    assert_eq!(ActiveAuthError::Invalid.reason(), "signature_invalid");
    assert_eq!(
        ActiveAuthError::UnsupportedHash { id: 0x31 }.reason(),
        "unsupported_algorithm"
    );
}

/// `(r, s)` of a DER signature as plain `r || s` of twice `len`.
fn plain(der: &[u8], len: usize) -> Vec<u8> {
    use x509_parser::asn1_rs::{FromDer, Integer, Sequence};
    let (_, (r, s)) = Sequence::from_der_and_then(der, |content| {
        let (content, r) = Integer::from_der(content)?;
        let (content, s) = Integer::from_der(content)?;
        Ok((content, (r, s)))
    })
    .unwrap();
    let mut out = left_pad(r.any().data, len);
    out.extend_from_slice(&left_pad(s.any().data, len));
    out
}

#[test]
fn ecdsa_plain_signatures() {
    for (name, digest) in [
        ("ecdsa_bp256_sha256", DigestAlgorithm::Sha256),
        ("ecdsa_p256_sha1", DigestAlgorithm::Sha1),
        ("ecdsa_bp384_sha384", DigestAlgorithm::Sha384),
    ] {
        let fields = line(name);
        let key = PublicKey::from_spki_der(&hex(fields[1])).unwrap();
        let challenge: [u8; 8] = hex(fields[2]).try_into().unwrap();
        let len = key.curve().unwrap().field_len();
        let response = plain(&hex(fields[3]), len);
        let outcome =
            verify_active_authentication(&key, &challenge, &response, Some(digest)).unwrap();
        assert_eq!(outcome.mechanism(), ActiveAuthMechanism::Ecdsa, "{name}");
        assert_eq!(outcome.digest(), digest);
        assert_eq!(
            verify_active_authentication(&key, &challenge, &response, None),
            Err(ActiveAuthError::EcdsaDigestMissing)
        );
        assert_eq!(
            verify_active_authentication(&key, &[0; 8], &response, Some(digest)),
            Err(ActiveAuthError::Invalid)
        );
        assert_eq!(
            verify_active_authentication(&key, &challenge, &response[2..], Some(digest)),
            Err(ActiveAuthError::Malformed)
        );
    }
}

fn dg15_key(dg15: &[u8]) -> PublicKey {
    let (_, wrapper) = Any::from_ber(dg15).unwrap();
    PublicKey::from_spki_der(wrapper.data).unwrap()
}

#[test]
fn real_dg15_keys_parse() {
    for dg15 in DG15 {
        let key = dg15_key(dg15);
        assert_eq!(key.rsa_modulus_bits(), Some(1024));
        assert_eq!(
            verify_active_authentication(&key, &CHALLENGE, &[0x01; 128], None),
            Err(ActiveAuthError::Invalid)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn responses_never_panic(response in proptest::collection::vec(any::<u8>(), 0..300), which in 0usize..4) {
        let key = dg15_key(DG15[which]);
        let _ = verify_active_authentication(&key, &CHALLENGE, &response, None);
        let ec = PublicKey::from_spki_der(&hex(line("ecdsa_bp256_sha256")[1])).unwrap();
        let _ = verify_active_authentication(&ec, &CHALLENGE, &response, Some(DigestAlgorithm::Sha256));
    }
}
