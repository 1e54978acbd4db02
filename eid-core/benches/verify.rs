//! Benchmarks for `eid_core::jose` and `eid_core::verify`: signing an ID token and verifying it
//! in full (signature and every claim check), as a broker and an e-service do per login.

use std::hint::black_box;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use criterion::{Criterion, criterion_group, criterion_main};
use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
use eid_core::clock::UnixTime;
use eid_core::jose::{Jwks, JwsAlgorithm, SigningKey, install_ring_provider};
use eid_core::verify::IdTokenVerifier;
use serde_json::{Value, json};

const ISSUER: &str = "https://eid.example/oidc";
const CLIENT: &str = "https://e-service.example";
const NONCE: &str = "n-0S6_WzA2Mj-7Rk3vXq";
const NOW: u64 = 1_764_000_000;
const RSA_2048: &[u8] = include_bytes!("../tests/data/jose/rsa-2048.pem");

/// A 17-claim ID token, as the broker issues one.
fn claims() -> Value {
    json!({
        "iss": ISSUER,
        "sub": "5d8e2c1a-7f3b-4e9d-a1c6-0b2f8e4d6a97",
        "aud": CLIENT,
        "exp": NOW + 300,
        "iat": NOW,
        "auth_time": NOW - 20,
        "nonce": NONCE,
        "acr": "http://id.elegnamnden.se/loa/1.0/loa3",
        "amr": ["bankid"],
        "sid": "6f1c0a2e9b",
        "azp": CLIENT,
        "given_name": "Test",
        "family_name": "Testsson",
        "name": "Test Testsson",
        "birthdate": "1990-01-01",
        "https://id.oidc.se/claim/personalIdentityNumber": "199001012384",
        "txn": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
    })
}

fn verifier(key: &SigningKey) -> Option<IdTokenVerifier> {
    let jwks = Jwks::new(vec![key.public_jwk()]).ok()?;
    let requirement = Requirement::new(vec![LevelOfAssurance::Loa3], Matching::Minimum).ok()?;
    Some(
        IdTokenVerifier::new(ISSUER, CLIENT, &jwks, &[key.algorithm()])
            .ok()?
            .expect_nonce(NONCE)
            .require(requirement),
    )
}

fn bench(c: &mut Criterion) {
    let claims = claims();
    let now = UnixTime::from_secs(NOW);
    let Ok(es256) = SigningKey::generate(JwsAlgorithm::Es256) else {
        return;
    };
    let Ok(rs256) = SigningKey::from_pkcs8_pem(RSA_2048, JwsAlgorithm::Rs256) else {
        return;
    };
    let (Some(es256_verifier), Some(rs256_verifier)) = (verifier(&es256), verifier(&rs256)) else {
        return;
    };
    let (Ok(es256_token), Ok(rs256_token)) = (es256.sign_jwt(&claims), rs256.sign_jwt(&claims))
    else {
        return;
    };
    // A broken bench setup must not pass silently.
    assert!(es256_verifier.verify(&es256_token, now).is_ok());
    assert!(rs256_verifier.verify(&rs256_token, now).is_ok());

    c.bench_function("id token sign ES256", |b| {
        b.iter(|| es256.sign_jwt(black_box(&claims)))
    });
    c.bench_function("id token verify ES256", |b| {
        b.iter(|| es256_verifier.verify(black_box(&es256_token), now))
    });
    // The signature check alone, to show what the claim checks cost on top.
    let Ok(verifying_key) = es256.public_jwk().verifying_key(JwsAlgorithm::Es256) else {
        return;
    };
    let Some((message, signature)) = es256_token.rsplit_once('.') else {
        return;
    };
    let Ok(signature) = URL_SAFE_NO_PAD.decode(signature) else {
        return;
    };
    c.bench_function("jws signature verify ES256 (signature only)", |b| {
        b.iter(|| verifying_key.verify(black_box(message.as_bytes()), &signature))
    });
    c.bench_function("id token sign RS256", |b| {
        b.iter(|| rs256.sign_jwt(black_box(&claims)))
    });
    c.bench_function("id token verify RS256", |b| {
        b.iter(|| rs256_verifier.verify(black_box(&rs256_token), now))
    });

    // For comparison: jsonwebtoken::encode through RING_PROVIDER re-parses the PKCS#8 key on
    // every call (its provider factories cannot hold a parsed key).
    let (Ok(()), Ok(der)) = (
        install_ring_provider(),
        SigningKey::generate_pkcs8_der(JwsAlgorithm::Es256),
    ) else {
        return;
    };
    let encoding_key = jsonwebtoken::EncodingKey::from_ec_der(&der);
    let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
    c.bench_function(
        "jsonwebtoken encode ES256 (ring provider, re-parses key)",
        |b| b.iter(|| jsonwebtoken::encode(&header, black_box(&claims), &encoding_key)),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
