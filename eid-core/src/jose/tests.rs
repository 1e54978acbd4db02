use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;

const RSA_2048: &[u8] = include_bytes!("../../tests/data/jose/rsa-2048.pem");
const RSA_1024: &[u8] = include_bytes!("../../tests/data/jose/rsa-1024.pem");
const EC_P256: &[u8] = include_bytes!("../../tests/data/jose/ec-p256.pem");
const ED25519: &[u8] = include_bytes!("../../tests/data/jose/ed25519.pem");

/// RFC 7638 §3.1.
const RFC7638_N: &str = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
const RFC7638_THUMBPRINT: &str = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

fn pkcs8_der(pem_bytes: &[u8]) -> Vec<u8> {
    pem::parse(pem_bytes).unwrap().into_contents()
}

fn all_keys() -> Vec<SigningKey> {
    vec![
        SigningKey::generate(JwsAlgorithm::Es256).unwrap(),
        SigningKey::generate(JwsAlgorithm::Es384).unwrap(),
        SigningKey::generate(JwsAlgorithm::EdDsa).unwrap(),
        SigningKey::from_pkcs8_pem(RSA_2048, JwsAlgorithm::Rs256).unwrap(),
        SigningKey::from_pkcs8_pem(RSA_2048, JwsAlgorithm::Ps256).unwrap(),
        SigningKey::from_pkcs8_pem(EC_P256, JwsAlgorithm::Es256).unwrap(),
        SigningKey::from_pkcs8_pem(ED25519, JwsAlgorithm::EdDsa).unwrap(),
    ]
}

/// Checks a compact JWS against `jwk`, as a relying party would.
fn verify_with(jwk: &Jwk, algorithm: JwsAlgorithm, token: &str) -> Result<Value, JoseError> {
    let (message, signature) = token.rsplit_once('.').unwrap();
    let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
    jwk.verifying_key(algorithm)?
        .verify(message.as_bytes(), &signature)?;
    let payload = message.split_once('.').unwrap().1;
    Ok(serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap())
}

fn header_of(token: &str) -> Value {
    let header = token.split('.').next().unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap()
}

fn jwks_error(document: &Value) -> JoseError {
    Jwks::from_json(&serde_json::to_vec(document).unwrap()).unwrap_err()
}

fn jwks_key_error(key: Value) -> JoseError {
    match jwks_error(&json!({ "keys": [key] })) {
        JoseError::InvalidJwksKey { index: 0, source } => *source,
        other => panic!("expected InvalidJwksKey, got {other:?}"),
    }
}

fn ec_jwk(crv: &str, size: usize) -> Value {
    json!({
        "kty": "EC",
        "crv": crv,
        "x": URL_SAFE_NO_PAD.encode(vec![1u8; size]),
        "y": URL_SAFE_NO_PAD.encode(vec![2u8; size]),
    })
}

// --- algorithms --------------------------------------------------------------------------

#[test]
fn algorithm_names_round_trip() {
    for algorithm in JwsAlgorithm::ALL {
        assert_eq!(
            algorithm.as_str().parse::<JwsAlgorithm>().unwrap(),
            algorithm
        );
        let json = serde_json::to_string(&algorithm).unwrap();
        assert_eq!(json, format!("\"{algorithm}\""));
        assert_eq!(
            serde_json::from_str::<JwsAlgorithm>(&json).unwrap(),
            algorithm
        );
        assert_eq!(
            JwsAlgorithm::from_jsonwebtoken(algorithm.to_jsonwebtoken()).unwrap(),
            algorithm
        );
    }
    assert_eq!(JwsAlgorithm::default(), JwsAlgorithm::Es256);
}

#[test]
fn none_and_hmac_cannot_be_expressed() {
    for none in ["none", "None", "NONE"] {
        assert!(matches!(
            none.parse::<JwsAlgorithm>(),
            Err(JoseError::AlgorithmNone)
        ));
    }
    for hmac in ["HS256", "HS384", "HS512"] {
        assert!(matches!(
            hmac.parse::<JwsAlgorithm>(),
            Err(JoseError::AlgorithmSymmetric)
        ));
    }
    for other in ["", "es256", "RS512", "ES512", "RSA-OAEP"] {
        assert!(matches!(
            other.parse::<JwsAlgorithm>(),
            Err(JoseError::AlgorithmUnsupported)
        ));
    }
    assert!(serde_json::from_str::<JwsAlgorithm>("\"none\"").is_err());
    assert!(matches!(
        JwsAlgorithm::from_jsonwebtoken(jsonwebtoken::Algorithm::HS256),
        Err(JoseError::AlgorithmSymmetric)
    ));
    assert!(matches!(
        JwsAlgorithm::from_jsonwebtoken(jsonwebtoken::Algorithm::RS512),
        Err(JoseError::AlgorithmUnsupported)
    ));
}

// --- signing keys ------------------------------------------------------------------------

#[test]
fn every_key_signs_and_its_public_jwk_verifies() {
    for key in all_keys() {
        let token = key.sign_jwt(&json!({ "sub": "x", "n": 1 })).unwrap();
        let header = header_of(&token);
        assert_eq!(header["alg"], key.algorithm().as_str());
        assert_eq!(header["kid"], key.kid());
        assert_eq!(header["typ"], "JWT");
        let claims = verify_with(&key.public_jwk(), key.algorithm(), &token).unwrap();
        assert_eq!(claims, json!({ "sub": "x", "n": 1 }));
    }
}

#[test]
fn explicit_type_is_written() {
    let key = SigningKey::generate(JwsAlgorithm::EdDsa).unwrap();
    let token = key.sign_jwt_with_type("logout+jwt", &json!({})).unwrap();
    assert_eq!(header_of(&token)["typ"], "logout+jwt");
}

#[test]
fn tampered_tokens_fail() {
    for key in all_keys() {
        let token = key.sign_jwt(&json!({ "sub": "x" })).unwrap();
        let (message, signature) = token.rsplit_once('.').unwrap();
        let mut signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
        let verifying_key = key.public_jwk().verifying_key(key.algorithm()).unwrap();
        let forged = message.replace('.', ".e30");
        assert!(matches!(
            verifying_key.verify(forged.as_bytes(), &signature),
            Err(JoseError::SignatureInvalid)
        ));
        signature[0] ^= 1;
        assert!(matches!(
            verifying_key.verify(message.as_bytes(), &signature),
            Err(JoseError::SignatureInvalid)
        ));
        assert!(matches!(
            verifying_key.verify(message.as_bytes(), &[]),
            Err(JoseError::SignatureInvalid)
        ));
    }
}

#[test]
fn another_key_of_the_same_type_does_not_verify() {
    let a = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
    let b = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
    assert_ne!(a.kid(), b.kid());
    let token = a.sign_jwt(&json!({})).unwrap();
    assert!(matches!(
        verify_with(&b.public_jwk(), JwsAlgorithm::Es256, &token),
        Err(JoseError::SignatureInvalid)
    ));
}

#[test]
fn rs256_and_ps256_are_not_interchangeable() {
    let rs = SigningKey::from_pkcs8_pem(RSA_2048, JwsAlgorithm::Rs256).unwrap();
    let ps = SigningKey::from_pkcs8_pem(RSA_2048, JwsAlgorithm::Ps256).unwrap();
    // Same key, same thumbprint; the JWK's `alg` differs.
    assert_eq!(rs.kid(), ps.kid());
    let token = rs.sign_jwt(&json!({})).unwrap();
    assert!(matches!(
        rs.public_jwk().verifying_key(JwsAlgorithm::Ps256),
        Err(JoseError::KeyAlgorithmMismatch {
            algorithm: JwsAlgorithm::Ps256,
            declared: JwsAlgorithm::Rs256
        })
    ));
    let mut jwk = serde_json::to_value(rs.public_jwk()).unwrap();
    jwk.as_object_mut().unwrap().remove("alg");
    let jwk: Jwk = serde_json::from_value(jwk).unwrap();
    assert!(matches!(
        verify_with(&jwk, JwsAlgorithm::Ps256, &token),
        Err(JoseError::SignatureInvalid)
    ));
    assert!(verify_with(&jwk, JwsAlgorithm::Rs256, &token).is_ok());
}

#[test]
fn key_type_must_fit_the_algorithm() {
    let ec = SigningKey::generate(JwsAlgorithm::Es256)
        .unwrap()
        .public_jwk();
    assert!(matches!(
        ec.verifying_key(JwsAlgorithm::Rs256),
        Err(JoseError::AlgorithmKeyMismatch {
            algorithm: JwsAlgorithm::Rs256,
            expected: KeyType::Rsa,
            found: KeyType::P256
        })
    ));
    assert!(matches!(
        ec.verifying_key(JwsAlgorithm::Es384),
        Err(JoseError::AlgorithmKeyMismatch { .. })
    ));
    assert!(ec.supports(JwsAlgorithm::Es256));
    assert!(!ec.supports(JwsAlgorithm::Es384));
}

#[test]
fn rsa_keys_are_loaded_not_generated() {
    for algorithm in [JwsAlgorithm::Rs256, JwsAlgorithm::Ps256] {
        assert!(matches!(
            SigningKey::generate(algorithm),
            Err(JoseError::KeyGenerationUnsupported { .. })
        ));
    }
}

#[test]
fn generated_pkcs8_loads_back_with_the_same_kid() {
    for algorithm in [
        JwsAlgorithm::Es256,
        JwsAlgorithm::Es384,
        JwsAlgorithm::EdDsa,
    ] {
        let der = SigningKey::generate_pkcs8_der(algorithm).unwrap();
        let a = SigningKey::from_pkcs8_der(&der, algorithm).unwrap();
        let b = SigningKey::from_pkcs8_der(&der, algorithm).unwrap();
        assert_eq!(a.kid(), b.kid());
        assert_eq!(a.kid(), a.public_jwk().thumbprint());
        assert_eq!(a.public_jwk().kid(), Some(a.kid()));
    }
}

#[test]
fn bad_private_keys_are_rejected() {
    assert!(matches!(
        SigningKey::from_pkcs8_pem(RSA_1024, JwsAlgorithm::Rs256),
        Err(JoseError::KeyRejected { .. })
    ));
    assert!(matches!(
        SigningKey::from_pkcs8_pem(EC_P256, JwsAlgorithm::Es384),
        Err(JoseError::KeyRejected { .. })
    ));
    assert!(matches!(
        SigningKey::from_pkcs8_pem(EC_P256, JwsAlgorithm::Rs256),
        Err(JoseError::KeyRejected { .. })
    ));
    assert!(matches!(
        SigningKey::from_pkcs8_pem(RSA_2048, JwsAlgorithm::EdDsa),
        Err(JoseError::KeyRejected { .. })
    ));
    assert!(matches!(
        SigningKey::from_pkcs8_der(b"not a key", JwsAlgorithm::Es256),
        Err(JoseError::KeyRejected { .. })
    ));
    assert!(matches!(
        SigningKey::from_pkcs8_pem(b"no pem here", JwsAlgorithm::Es256),
        Err(JoseError::Pem(_))
    ));
    let pkcs1 = pem::encode(&pem::Pem::new("RSA PRIVATE KEY", pkcs8_der(RSA_2048)));
    assert!(matches!(
        SigningKey::from_pkcs8_pem(pkcs1.as_bytes(), JwsAlgorithm::Rs256),
        Err(JoseError::NotPkcs8 { label }) if label == "RSA PRIVATE KEY"
    ));
}

#[test]
fn debug_redacts_the_private_key() {
    let key = SigningKey::from_pkcs8_pem(RSA_2048, JwsAlgorithm::Rs256).unwrap();
    let debug = format!("{key:?}");
    assert!(debug.contains("[redacted]"));
    assert!(debug.contains(key.kid()));
    assert!(!debug.contains("MII"));
}

// --- JWKs and thumbprints ----------------------------------------------------------------

#[test]
fn rfc7638_example_thumbprint() {
    let jwk: Jwk = serde_json::from_value(json!({
        "kty": "RSA",
        "n": RFC7638_N,
        "e": "AQAB",
        "alg": "RS256",
        "kid": "2011-04-29",
    }))
    .unwrap();
    assert_eq!(jwk.thumbprint(), RFC7638_THUMBPRINT);
    assert_eq!(jwk.kid(), Some("2011-04-29"));
    assert_eq!(jwk.algorithm(), Some(JwsAlgorithm::Rs256));
    assert_eq!(jwk.key_type(), KeyType::Rsa);
}

#[test]
fn thumbprint_ignores_leading_zeros_and_extra_members() {
    let mut n = vec![0u8];
    n.extend(URL_SAFE_NO_PAD.decode(RFC7638_N).unwrap());
    let jwk: Jwk = serde_json::from_value(json!({
        "kty": "RSA",
        "n": URL_SAFE_NO_PAD.encode(n),
        "e": "AQAB",
        "x5t": "ignored",
    }))
    .unwrap();
    assert_eq!(jwk.thumbprint(), RFC7638_THUMBPRINT);
}

#[test]
fn public_jwk_json_has_only_public_members() {
    for key in all_keys() {
        let json = serde_json::to_value(key.public_jwk()).unwrap();
        let object = json.as_object().unwrap();
        for private in ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] {
            assert!(!object.contains_key(private));
        }
        assert_eq!(object["use"], "sig");
        assert_eq!(object["alg"], key.algorithm().as_str());
        assert_eq!(object["kid"], key.kid());
    }
    let ec = serde_json::to_value(
        SigningKey::generate(JwsAlgorithm::Es384)
            .unwrap()
            .public_jwk(),
    )
    .unwrap();
    assert_eq!(ec["kty"], "EC");
    assert_eq!(ec["crv"], "P-384");
    let ed = serde_json::to_value(
        SigningKey::generate(JwsAlgorithm::EdDsa)
            .unwrap()
            .public_jwk(),
    )
    .unwrap();
    assert_eq!(ed["kty"], "OKP");
    assert_eq!(ed["crv"], "Ed25519");
}

#[test]
fn jwks_round_trips() {
    let keys = all_keys();
    // RS256 and PS256 of the same RSA key share a kid: publish one of them.
    let published: Vec<Jwk> = keys
        .iter()
        .filter(|key| key.algorithm() != JwsAlgorithm::Ps256)
        .map(SigningKey::public_jwk)
        .collect();
    let jwks = Jwks::new(published.clone()).unwrap();
    let json = serde_json::to_vec(&jwks).unwrap();
    let parsed = Jwks::from_json(&json).unwrap();
    assert_eq!(parsed, jwks);
    assert_eq!(parsed.keys(), published.as_slice());
    for key in keys
        .iter()
        .filter(|key| key.algorithm() != JwsAlgorithm::Ps256)
    {
        let token = key.sign_jwt(&json!({ "a": 1 })).unwrap();
        let jwk = parsed.find(key.kid()).unwrap();
        assert!(verify_with(jwk, key.algorithm(), &token).is_ok());
    }
    assert!(parsed.find("nope").is_none());
    let via_serde: Jwks = serde_json::from_slice(&json).unwrap();
    assert_eq!(via_serde, jwks);
}

#[test]
fn jwks_limits() {
    let big = vec![b' '; MAX_JWKS_JSON_BYTES + 1];
    assert!(matches!(
        Jwks::from_json(&big),
        Err(JoseError::JwksTooLarge { size, max: MAX_JWKS_JSON_BYTES }) if size == MAX_JWKS_JSON_BYTES + 1
    ));
    let keys: Vec<Value> = (0..=MAX_JWKS_KEYS).map(|_| ec_jwk("P-256", 32)).collect();
    assert!(matches!(
        jwks_error(&json!({ "keys": keys })),
        JoseError::TooManyKeys { count: 33, max: 32 }
    ));
    let many: Vec<Jwk> = (0..=MAX_JWKS_KEYS)
        .map(|_| {
            SigningKey::generate(JwsAlgorithm::EdDsa)
                .unwrap()
                .public_jwk()
        })
        .collect();
    assert!(matches!(
        Jwks::new(many),
        Err(JoseError::TooManyKeys { .. })
    ));
    assert!(matches!(
        Jwks::from_json(b"{\"keys\": 5}"),
        Err(JoseError::Json(_))
    ));
    assert!(matches!(Jwks::from_json(b"[]"), Err(JoseError::Json(_))));
    assert!(matches!(Jwks::from_json(b""), Err(JoseError::Json(_))));
}

#[test]
fn jwks_rejects_private_members() {
    for member in ["d", "p", "q", "dp", "dq", "qi", "oth"] {
        let mut key = json!({ "kty": "RSA", "n": RFC7638_N, "e": "AQAB" });
        key[member] = json!("AQAB");
        assert!(matches!(
            jwks_key_error(key),
            JoseError::PrivateKeyMaterial { member: found } if found == member
        ));
    }
    let mut ec = ec_jwk("P-256", 32);
    ec["d"] = json!("AQAB");
    assert!(matches!(
        jwks_key_error(ec),
        JoseError::PrivateKeyMaterial { member: "d" }
    ));
    // Even on an encryption key, which is otherwise dropped.
    assert!(matches!(
        jwks_key_error(
            json!({ "kty": "RSA", "use": "enc", "n": RFC7638_N, "e": "AQAB", "d": "x" })
        ),
        JoseError::PrivateKeyMaterial { member: "d" }
    ));
    assert!(matches!(
        jwks_key_error(json!({ "kty": "oct", "k": "c2VjcmV0" })),
        JoseError::PrivateKeyMaterial { member: "k" }
    ));
    assert!(matches!(
        jwks_key_error(json!({ "kty": "oct" })),
        JoseError::SymmetricKey
    ));
}

#[test]
fn jwks_rejects_bad_keys() {
    let small_n = URL_SAFE_NO_PAD.encode([0xffu8; 128]);
    assert!(matches!(
        jwks_key_error(json!({ "kty": "RSA", "n": small_n, "e": "AQAB" })),
        JoseError::RsaModulusTooSmall { bits: 1024 }
    ));
    let huge_n = URL_SAFE_NO_PAD.encode([0xffu8; 1025]);
    assert!(matches!(
        jwks_key_error(json!({ "kty": "RSA", "n": huge_n, "e": "AQAB" })),
        JoseError::RsaModulusTooLarge { bits: 8200 }
    ));
    assert!(matches!(
        jwks_key_error(json!({ "kty": "RSA", "n": RFC7638_N, "e": "" })),
        JoseError::InvalidKeyLength { member: "e", .. }
    ));
    assert!(matches!(
        jwks_key_error(json!({ "kty": "RSA", "e": "AQAB" })),
        JoseError::MissingMember { member: "n" }
    ));
    let mut es384_on_p256 = ec_jwk("P-256", 32);
    es384_on_p256["alg"] = json!("ES384");
    assert!(matches!(
        jwks_key_error(es384_on_p256),
        JoseError::AlgorithmKeyMismatch {
            algorithm: JwsAlgorithm::Es384,
            expected: KeyType::P384,
            found: KeyType::P256
        }
    ));
    let mut rs256_on_ec = ec_jwk("P-256", 32);
    rs256_on_ec["alg"] = json!("RS256");
    assert!(matches!(
        jwks_key_error(rs256_on_ec),
        JoseError::AlgorithmKeyMismatch { .. }
    ));
    let mut hs = json!({ "kty": "RSA", "n": RFC7638_N, "e": "AQAB" });
    hs["alg"] = json!("HS256");
    assert!(matches!(jwks_key_error(hs), JoseError::AlgorithmSymmetric));
    let mut none = ec_jwk("P-256", 32);
    none["alg"] = json!("none");
    assert!(matches!(jwks_key_error(none), JoseError::AlgorithmNone));
    assert!(matches!(
        jwks_key_error(ec_jwk("P-256", 31)),
        JoseError::InvalidKeyLength {
            member: "x",
            expected: 32,
            found: 31
        }
    ));
    assert!(matches!(
        jwks_key_error(ec_jwk("P-521", 66)),
        JoseError::UnsupportedCurve
    ));
    assert!(matches!(
        jwks_key_error(json!({ "kty": "EC", "x": "AA", "y": "AA" })),
        JoseError::MissingMember { member: "crv" }
    ));
    assert!(matches!(
        jwks_key_error(json!({ "kty": "OKP", "crv": "Ed448", "x": "AA" })),
        JoseError::UnsupportedCurve
    ));
    assert!(matches!(
        jwks_key_error(json!({ "kty": "OKP", "crv": "Ed25519", "x": "AA" })),
        JoseError::InvalidKeyLength {
            member: "x",
            expected: 32,
            found: 1
        }
    ));
    assert!(matches!(
        jwks_key_error(json!({ "kty": "XYZ" })),
        JoseError::UnsupportedKeyType
    ));
    assert!(matches!(
        jwks_key_error(json!({ "n": RFC7638_N })),
        JoseError::MissingMember { member: "kty" }
    ));
    assert!(matches!(
        jwks_key_error(json!({ "kty": "RSA", "n": "not base64!", "e": "AQAB" })),
        JoseError::Base64 { member: "n" }
    ));
    assert!(matches!(
        jwks_key_error(json!({ "kty": "RSA", "n": RFC7638_N, "e": "AQAB==" })),
        JoseError::Base64 { member: "e" }
    ));
    let mut odd_use = ec_jwk("P-256", 32);
    odd_use["use"] = json!("both");
    assert!(matches!(
        jwks_key_error(odd_use),
        JoseError::UnsupportedKeyUse
    ));
}

#[test]
fn jwks_drops_encryption_keys_and_rejects_duplicate_kids() {
    let jwks = Jwks::from_json(
        &serde_json::to_vec(&json!({ "keys": [
            { "kty": "RSA", "use": "enc", "alg": "RSA-OAEP-256", "n": RFC7638_N, "e": "AQAB" },
            { "kty": "RSA", "use": "sig", "alg": "RS256", "kid": "a", "n": RFC7638_N, "e": "AQAB" },
        ]}))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(jwks.keys().len(), 1);
    assert_eq!(jwks.keys()[0].kid(), Some("a"));

    let mut a = ec_jwk("P-256", 32);
    a["kid"] = json!("same");
    assert!(matches!(
        jwks_error(&json!({ "keys": [a.clone(), a] })),
        JoseError::DuplicateKeyId { index: 1 }
    ));
}

#[test]
fn reasons_are_snake_case() {
    let errors = [
        JoseError::AlgorithmNone,
        JoseError::AlgorithmSymmetric,
        JoseError::AlgorithmUnsupported,
        JoseError::SignatureInvalid,
        JoseError::SymmetricKey,
        JoseError::ForeignCryptoProvider,
        JoseError::PrivateKeyMaterial { member: "d" },
    ];
    for error in errors {
        let reason = error.reason();
        assert!(
            reason.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{reason}"
        );
    }
    assert_eq!(JoseError::AlgorithmNone.reason(), "algorithm_none");
    assert_eq!(
        JoseError::PrivateKeyMaterial { member: "d" }.reason(),
        "private_key_material"
    );
}

// --- the jsonwebtoken provider -----------------------------------------------------------

fn lenient_validation(algorithm: jsonwebtoken::Algorithm) -> jsonwebtoken::Validation {
    // Signature only: eid checks claims itself, with an injected clock.
    let mut validation = jsonwebtoken::Validation::new(algorithm);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    validation
}

#[test]
fn install_is_idempotent() {
    install_ring_provider().unwrap();
    install_ring_provider().unwrap();
}

#[test]
fn jsonwebtoken_signs_and_verifies_through_ring() {
    install_ring_provider().unwrap();
    let cases = [
        (
            JwsAlgorithm::Rs256,
            jsonwebtoken::EncodingKey::from_rsa_der(&pkcs8_der(RSA_2048)),
            RSA_2048,
        ),
        (
            JwsAlgorithm::Ps256,
            jsonwebtoken::EncodingKey::from_rsa_der(&pkcs8_der(RSA_2048)),
            RSA_2048,
        ),
        (
            JwsAlgorithm::Es256,
            jsonwebtoken::EncodingKey::from_ec_der(&pkcs8_der(EC_P256)),
            EC_P256,
        ),
        (
            JwsAlgorithm::EdDsa,
            jsonwebtoken::EncodingKey::from_ed_der(&pkcs8_der(ED25519)),
            ED25519,
        ),
    ];
    for (algorithm, encoding_key, pem_bytes) in cases {
        let ours = SigningKey::from_pkcs8_pem(pem_bytes, algorithm).unwrap();
        let claims = json!({ "sub": "s", "iat": 1 });

        // jsonwebtoken signs (RING_PROVIDER), eid verifies.
        let header = jsonwebtoken::Header::new(algorithm.to_jsonwebtoken());
        let token = jsonwebtoken::encode(&header, &claims, &encoding_key).unwrap();
        assert_eq!(
            verify_with(&ours.public_jwk(), algorithm, &token).unwrap(),
            claims
        );

        // eid signs, jsonwebtoken verifies (RING_PROVIDER) with a key from our JWK.
        let token = ours.sign_jwt(&claims).unwrap();
        let jwk: jsonwebtoken::jwk::Jwk =
            serde_json::from_value(serde_json::to_value(ours.public_jwk()).unwrap()).unwrap();
        let decoding_key = jsonwebtoken::DecodingKey::from_jwk(&jwk).unwrap();
        let decoded = jsonwebtoken::decode::<Value>(
            &token,
            &decoding_key,
            &lenient_validation(algorithm.to_jsonwebtoken()),
        )
        .unwrap();
        assert_eq!(decoded.claims, claims);
        assert_eq!(decoded.header.kid.as_deref(), Some(ours.kid()));

        // jsonwebtoken's own JWK thumbprint (via our KeyUtils) agrees with our kid.
        let their_jwk =
            jsonwebtoken::jwk::Jwk::from_encoding_key(&encoding_key, algorithm.to_jsonwebtoken())
                .unwrap();
        assert_eq!(
            their_jwk
                .thumbprint(jsonwebtoken::jwk::ThumbprintHash::SHA256)
                .unwrap(),
            ours.kid()
        );

        // A tampered token fails through jsonwebtoken too.
        let mut parts = token.split('.');
        let tampered = format!("{}.e30.{}", parts.next().unwrap(), parts.nth(1).unwrap());
        assert!(
            jsonwebtoken::decode::<Value>(
                &tampered,
                &decoding_key,
                &lenient_validation(algorithm.to_jsonwebtoken()),
            )
            .is_err()
        );
    }
}

#[test]
fn the_provider_refuses_hmac_without_panicking() {
    install_ring_provider().unwrap();
    let key = jsonwebtoken::EncodingKey::from_secret(b"secret");
    let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    let error = jsonwebtoken::encode(&header, &json!({}), &key).unwrap_err();
    assert!(matches!(
        error.kind(),
        jsonwebtoken::errors::ErrorKind::UnsupportedAlgorithm
    ));
    // An RSA key presented as an EC key is refused too.
    let wrong = jsonwebtoken::EncodingKey::from_ec_der(&pkcs8_der(RSA_2048));
    let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
    assert!(jsonwebtoken::encode(&header, &json!({}), &wrong).is_err());
}

proptest! {
    #[test]
    fn jwks_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Jwks::from_json(&bytes);
    }

    #[test]
    fn jwk_json_parser_never_panics(
        kty in "(EC|RSA|OKP|oct|[a-z]{0,3})",
        crv in "(P-256|P-384|Ed25519|[A-Z]{0,3})",
        x in "[A-Za-z0-9_-]{0,70}",
        y in "[A-Za-z0-9_-]{0,70}",
        alg in "(ES256|ES384|RS256|PS256|EdDSA|none|HS256|[A-Z]{0,4})",
    ) {
        let document = json!({ "keys": [{ "kty": kty, "crv": crv, "x": x, "y": y, "n": x, "e": y, "alg": alg }] });
        let _ = Jwks::from_json(&serde_json::to_vec(&document).unwrap());
    }

    #[test]
    fn algorithm_parser_never_panics(name in "\\PC{0,12}") {
        let _ = name.parse::<JwsAlgorithm>();
    }
}

#[test]
fn unserialisable_claims_are_an_error() {
    let key = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
    let mut claims = std::collections::BTreeMap::new();
    claims.insert((1, 2), "tuple keys are not JSON object keys");
    assert!(matches!(
        key.sign_jwt(&claims),
        Err(JoseError::Serialization(_))
    ));
}

#[test]
fn keys_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SigningKey>();
    assert_send_sync::<VerifyingKey>();
    assert_send_sync::<Jwks>();
    assert_send_sync::<JoseError>();
}
