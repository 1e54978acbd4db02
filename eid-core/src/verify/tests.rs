use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::assurance::{AssurancePolicy, LevelOfAssurance, Matching, Requirement};
use crate::clock::{Clock, FixedClock, ManualClock, UnixTime};
use crate::jose::{JoseError, Jwks, JwsAlgorithm, SigningKey};

const RSA_2048: &[u8] = include_bytes!("../../tests/data/jose/rsa-2048.pem");

const ISSUER: &str = "https://eid.example/oidc";
const CLIENT: &str = "e-service";
const NONCE: &str = "n-0S6_WzA2Mj";
const NOW: u64 = 1_764_000_000;
const LOA3: &str = "http://id.elegnamnden.se/loa/1.0/loa3";

fn now() -> UnixTime {
    UnixTime::from_secs(NOW)
}

fn claims() -> Value {
    json!({
        "iss": ISSUER,
        "sub": "3f1a9c2e-subject",
        "aud": CLIENT,
        "exp": NOW + 300,
        "iat": NOW,
        "auth_time": NOW - 10,
        "nonce": NONCE,
        "acr": LOA3,
        "name": "Test Testsson",
    })
}

fn with(mut base: Value, member: &str, value: Value) -> Value {
    base[member] = value;
    base
}

fn without(mut base: Value, member: &str) -> Value {
    base.as_object_mut().unwrap().remove(member);
    base
}

struct Setup {
    key: SigningKey,
    verifier: IdTokenVerifier,
}

fn setup(algorithm: JwsAlgorithm) -> Setup {
    let key = match algorithm {
        JwsAlgorithm::Rs256 | JwsAlgorithm::Ps256 => {
            SigningKey::from_pkcs8_pem(RSA_2048, algorithm).unwrap()
        }
        _ => SigningKey::generate(algorithm).unwrap(),
    };
    let jwks = Jwks::new(vec![key.public_jwk()]).unwrap();
    let verifier = IdTokenVerifier::new(ISSUER, CLIENT, &jwks, &[algorithm])
        .unwrap()
        .expect_nonce(NONCE)
        .require(Requirement::new(vec![LevelOfAssurance::Loa3], Matching::Minimum).unwrap());
    Setup { key, verifier }
}

fn es256() -> Setup {
    setup(JwsAlgorithm::Es256)
}

impl Setup {
    fn sign(&self, claims: &Value) -> String {
        self.key.sign_jwt(claims).unwrap()
    }

    fn check(&self, claims: &Value) -> Result<VerifiedIdToken, IdTokenError> {
        self.verifier.verify(&self.sign(claims), now())
    }
}

/// A token with a hand-made header, really signed by `key`.
fn token_with_header(key: &SigningKey, header: &Value, claims: &Value) -> String {
    let message = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(header).unwrap()),
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap())
    );
    let signature = key.sign_raw(message.as_bytes()).unwrap();
    format!("{message}.{}", URL_SAFE_NO_PAD.encode(signature))
}

// --- success -----------------------------------------------------------------------------

#[test]
fn every_algorithm_verifies() {
    for algorithm in JwsAlgorithm::ALL {
        let setup = setup(algorithm);
        let verified = setup.check(&claims()).unwrap();
        assert_eq!(verified.algorithm(), algorithm);
        assert_eq!(verified.issuer(), ISSUER);
        assert_eq!(verified.subject(), "3f1a9c2e-subject");
        assert_eq!(verified.audiences(), [CLIENT.to_owned()]);
        assert_eq!(verified.acr(), Some(LevelOfAssurance::Loa3));
        assert_eq!(verified.auth_time(), Some(UnixTime::from_secs(NOW - 10)));
        assert_eq!(verified.expires_at(), UnixTime::from_secs(NOW + 300));
        assert_eq!(verified.issued_at(), now());
        assert_eq!(verified.nonce(), Some(NONCE));
        assert_eq!(verified.claims()["name"], "Test Testsson");
    }
}

#[test]
fn debug_redacts_personal_data() {
    let setup = es256();
    let verified = setup.check(&claims()).unwrap();
    let debug = format!("{verified:?}");
    assert!(!debug.contains("3f1a9c2e"));
    assert!(!debug.contains("Testsson"));
    assert!(!debug.contains(NONCE));
    assert!(!format!("{:?}", setup.verifier).contains(NONCE));
}

#[test]
fn minimum_matching_accepts_higher_and_exact_does_not() {
    let setup = es256();
    let loa4 = with(
        claims(),
        "acr",
        json!("http://id.elegnamnden.se/loa/1.0/loa4"),
    );
    assert_eq!(
        setup.check(&loa4).unwrap().acr(),
        Some(LevelOfAssurance::Loa4)
    );
    let exact = setup
        .verifier
        .clone()
        .require(Requirement::new(vec![LevelOfAssurance::Loa3], Matching::Exact).unwrap());
    assert!(matches!(
        exact.verify(&setup.sign(&loa4), now()),
        Err(IdTokenError::AcrNotSatisfied {
            asserted: LevelOfAssurance::Loa4
        })
    ));
}

#[test]
fn assurance_policy_is_applied() {
    let setup = es256();
    let eidas = with(
        claims(),
        "acr",
        json!(LevelOfAssurance::EidasSubstantial.as_uri()),
    );
    let connector = setup.verifier.clone().require(
        Requirement::new(
            vec![LevelOfAssurance::SwedenEidasNotifiedSubstantial],
            Matching::Exact,
        )
        .unwrap(),
    );
    assert!(matches!(
        connector.verify(&setup.sign(&eidas), now()),
        Err(IdTokenError::AcrNotSatisfied { .. })
    ));
    let policy = AssurancePolicy::new()
        .declare_equivalent(
            LevelOfAssurance::EidasSubstantial,
            LevelOfAssurance::SwedenEidasNotifiedSubstantial,
        )
        .unwrap();
    let with_policy = connector.assurance_policy(policy);
    assert!(with_policy.verify(&setup.sign(&eidas), now()).is_ok());
}

#[test]
fn without_requirement_or_nonce_those_claims_are_optional() {
    let setup = es256();
    let jwks = Jwks::new(vec![setup.key.public_jwk()]).unwrap();
    let lenient = IdTokenVerifier::new(ISSUER, CLIENT, &jwks, &[JwsAlgorithm::Es256]).unwrap();
    let bare = without(without(claims(), "nonce"), "acr");
    let verified = lenient.verify(&setup.sign(&bare), now()).unwrap();
    assert_eq!(verified.acr(), None);
    assert_eq!(verified.nonce(), None);
    // An unknown acr is not an error when no level is required; it is just not a level.
    let odd = with(claims(), "acr", json!("urn:example:unknown"));
    assert_eq!(
        lenient.verify(&setup.sign(&odd), now()).unwrap().acr(),
        None
    );
}

#[test]
fn key_selection_by_kid_and_without_kid() {
    let a = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
    let b = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
    let rsa = SigningKey::from_pkcs8_pem(RSA_2048, JwsAlgorithm::Rs256).unwrap();
    let jwks = Jwks::new(vec![a.public_jwk(), b.public_jwk(), rsa.public_jwk()]).unwrap();
    let verifier = IdTokenVerifier::new(
        ISSUER,
        CLIENT,
        &jwks,
        &[JwsAlgorithm::Es256, JwsAlgorithm::Rs256],
    )
    .unwrap();
    for key in [&a, &b, &rsa] {
        assert!(
            verifier
                .verify(&key.sign_jwt(&claims()).unwrap(), now())
                .is_ok()
        );
    }
    // No kid: two ES256 keys fit.
    let header = json!({ "alg": "ES256" });
    assert!(matches!(
        verifier.verify(&token_with_header(&a, &header, &claims()), now()),
        Err(IdTokenError::AmbiguousKey)
    ));
    // No kid, one RS256 key: fine.
    let header = json!({ "alg": "RS256" });
    let no_kid = token_with_header(&rsa, &header, &claims());
    assert!(verifier.verify(&no_kid, now()).is_ok());
    // Unknown kid.
    let header = json!({ "alg": "ES256", "kid": "nope" });
    assert!(matches!(
        verifier.verify(&token_with_header(&a, &header, &claims()), now()),
        Err(IdTokenError::UnknownKey)
    ));
    // The kid of the RSA key with an ES256 header: key family mismatch.
    let header = json!({ "alg": "ES256", "kid": rsa.kid() });
    assert!(matches!(
        verifier.verify(&token_with_header(&a, &header, &claims()), now()),
        Err(IdTokenError::KeyAlgorithmMismatch {
            algorithm: JwsAlgorithm::Es256
        })
    ));
    // A's kid with B's signature.
    let header = json!({ "alg": "ES256", "kid": a.kid(), "typ": "JWT" });
    assert!(matches!(
        verifier.verify(&token_with_header(&b, &header, &claims()), now()),
        Err(IdTokenError::SignatureInvalid)
    ));
}

// --- every failure -----------------------------------------------------------------------

#[test]
fn too_large() {
    let setup = es256();
    let token = "a".repeat(MAX_ID_TOKEN_BYTES + 1);
    assert!(matches!(
        setup.verifier.verify(&token, now()),
        Err(IdTokenError::TooLarge {
            max: MAX_ID_TOKEN_BYTES,
            ..
        })
    ));
    let padded = with(claims(), "pad", json!("x".repeat(MAX_ID_TOKEN_BYTES)));
    assert!(matches!(
        setup.check(&padded),
        Err(IdTokenError::TooLarge { .. })
    ));
}

#[test]
fn malformed() {
    let setup = es256();
    let good = setup.sign(&claims());
    let (header, rest) = good.split_once('.').unwrap();
    let (payload, signature) = rest.split_once('.').unwrap();
    let cases = [
        ("", TokenPart::Structure),
        ("a.b", TokenPart::Structure),
        ("a.b.c.d", TokenPart::Structure),
        ("!!.b.c", TokenPart::Header),
        ("e30.b.c", TokenPart::Header),
        ("WzFd.b.c", TokenPart::Header),
    ];
    for (token, part) in cases {
        let error = setup.verifier.verify(token, now()).unwrap_err();
        assert!(
            matches!(error, IdTokenError::Malformed { part: found } if found == part),
            "{token}: {error:?}"
        );
    }
    let bad_signature = format!("{header}.{payload}.{signature}=");
    assert!(matches!(
        setup.verifier.verify(&bad_signature, now()),
        Err(IdTokenError::Malformed {
            part: TokenPart::Signature
        })
    ));
    // A signed payload that is not a JSON object.
    let array = setup.key.sign_jwt(&json!([1, 2])).unwrap();
    assert!(matches!(
        setup.verifier.verify(&array, now()),
        Err(IdTokenError::Malformed {
            part: TokenPart::Payload
        })
    ));
}

#[test]
fn algorithm_none_and_hmac_fail_before_any_key_is_used() {
    let setup = setup(JwsAlgorithm::Rs256);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims()).unwrap());
    for (alg, expected) in [
        ("none", "algorithm_none"),
        ("HS256", "algorithm_symmetric"),
        ("HS512", "algorithm_symmetric"),
        ("RS512", "algorithm_unsupported"),
    ] {
        let header = URL_SAFE_NO_PAD
            .encode(serde_json::to_vec(&json!({ "alg": alg, "kid": setup.key.kid() })).unwrap());
        for signature in ["", "c2ln"] {
            let token = format!("{header}.{payload}.{signature}");
            let error = setup.verifier.verify(&token, now()).unwrap_err();
            assert!(
                matches!(&error, IdTokenError::AlgorithmUnsupported(source) if source.reason() == expected),
                "{alg}: {error:?}"
            );
        }
    }
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#);
    assert!(matches!(
        setup
            .verifier
            .verify(&format!("{header}.{payload}."), now()),
        Err(IdTokenError::AlgorithmUnsupported(JoseError::AlgorithmNone))
    ));
}

#[test]
fn algorithm_not_allowed() {
    let es = es256();
    let jwks = Jwks::new(vec![es.key.public_jwk()]).unwrap();
    let es384_only = SigningKey::generate(JwsAlgorithm::Es384).unwrap();
    let jwks384 = Jwks::new(vec![es384_only.public_jwk(), es.key.public_jwk()]).unwrap();
    let verifier = IdTokenVerifier::new(ISSUER, CLIENT, &jwks384, &[JwsAlgorithm::Es256]).unwrap();
    assert!(matches!(
        verifier.verify(&es384_only.sign_jwt(&claims()).unwrap(), now()),
        Err(IdTokenError::AlgorithmNotAllowed {
            algorithm: JwsAlgorithm::Es384
        })
    ));
    // An RS256 allow-list against an EC-only JWKS has no usable key at all.
    assert!(matches!(
        IdTokenVerifier::new(ISSUER, CLIENT, &jwks, &[JwsAlgorithm::Rs256]),
        Err(IdTokenError::NoUsableKey)
    ));
}

#[test]
fn configuration_errors() {
    let setup = es256();
    let jwks = Jwks::new(vec![setup.key.public_jwk()]).unwrap();
    assert!(matches!(
        IdTokenVerifier::new(ISSUER, CLIENT, &jwks, &[]),
        Err(IdTokenError::NoAlgorithms)
    ));
    assert!(matches!(
        IdTokenVerifier::new("", CLIENT, &jwks, &[JwsAlgorithm::Es256]),
        Err(IdTokenError::EmptyIssuer)
    ));
    assert!(matches!(
        IdTokenVerifier::new(ISSUER, "", &jwks, &[JwsAlgorithm::Es256]),
        Err(IdTokenError::EmptyClientId)
    ));
    assert!(matches!(
        IdTokenVerifier::new(ISSUER, CLIENT, &Jwks::default(), &[JwsAlgorithm::Es256]),
        Err(IdTokenError::NoUsableKey)
    ));
}

#[test]
fn duplicate_header_members_are_malformed() {
    let setup = es256();
    let header = format!(
        r#"{{"alg":"ES256","kid":"{}","alg":"none"}}"#,
        setup.key.kid()
    );
    let message = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims()).unwrap())
    );
    let signature = setup.key.sign_raw(message.as_bytes()).unwrap();
    let token = format!("{message}.{}", URL_SAFE_NO_PAD.encode(signature));
    assert!(matches!(
        setup.verifier.verify(&token, now()),
        Err(IdTokenError::Malformed {
            part: TokenPart::Header
        })
    ));
}

#[test]
fn verifier_and_token_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<IdTokenVerifier>();
    assert_send_sync::<VerifiedIdToken>();
    assert_send_sync::<IdTokenError>();
}

#[test]
fn critical_header_and_type() {
    let setup = es256();
    let header = json!({ "alg": "ES256", "kid": setup.key.kid(), "crit": ["exp"], "exp": 1 });
    assert!(matches!(
        setup
            .verifier
            .verify(&token_with_header(&setup.key, &header, &claims()), now()),
        Err(IdTokenError::CriticalHeader)
    ));
    for typ in ["at+jwt", "logout+jwt", "JOSE"] {
        let token = setup.key.sign_jwt_with_type(typ, &claims()).unwrap();
        assert!(matches!(
            setup.verifier.verify(&token, now()),
            Err(IdTokenError::TypeNotAllowed)
        ));
    }
    for typ in ["JWT", "jwt", "application/jwt"] {
        let token = setup.key.sign_jwt_with_type(typ, &claims()).unwrap();
        assert!(setup.verifier.verify(&token, now()).is_ok());
    }
}

#[test]
fn signature_invalid() {
    for algorithm in JwsAlgorithm::ALL {
        let setup = setup(algorithm);
        let token = setup.sign(&claims());
        let (header, rest) = token.split_once('.').unwrap();
        let signature = rest.split_once('.').unwrap().1;
        // Another payload under the same signature.
        let forged_claims = with(claims(), "sub", json!("someone-else"));
        let forged = format!(
            "{header}.{}.{signature}",
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged_claims).unwrap())
        );
        assert!(matches!(
            setup.verifier.verify(&forged, now()),
            Err(IdTokenError::SignatureInvalid)
        ));
        // A flipped signature bit.
        let mut bytes = URL_SAFE_NO_PAD.decode(signature).unwrap();
        bytes[0] ^= 0x80;
        let flipped = format!(
            "{}.{}",
            token.rsplit_once('.').unwrap().0,
            URL_SAFE_NO_PAD.encode(bytes)
        );
        assert!(matches!(
            setup.verifier.verify(&flipped, now()),
            Err(IdTokenError::SignatureInvalid)
        ));
        // No signature.
        let stripped = format!("{}.", token.rsplit_once('.').unwrap().0);
        assert!(matches!(
            setup.verifier.verify(&stripped, now()),
            Err(IdTokenError::SignatureInvalid)
        ));
    }
}

#[test]
fn issuer() {
    let setup = es256();
    for other in [
        "https://eid.example/oidc/",
        "https://EID.example/oidc",
        "https://eid.example",
        "",
    ] {
        assert!(matches!(
            setup.check(&with(claims(), "iss", json!(other))),
            Err(IdTokenError::IssuerMismatch)
        ));
    }
    assert!(matches!(
        setup.check(&without(claims(), "iss")),
        Err(IdTokenError::MissingClaim { claim: "iss" })
    ));
    assert!(matches!(
        setup.check(&with(claims(), "iss", json!(["x"]))),
        Err(IdTokenError::InvalidClaim { claim: "iss" })
    ));
}

#[test]
fn audience_and_azp() {
    let setup = es256();
    assert!(matches!(
        setup.check(&with(claims(), "aud", json!("other"))),
        Err(IdTokenError::AudienceMismatch)
    ));
    assert!(matches!(
        setup.check(&with(claims(), "aud", json!(["other"]))),
        Err(IdTokenError::AudienceMismatch)
    ));
    assert!(matches!(
        setup.check(&without(claims(), "aud")),
        Err(IdTokenError::MissingClaim { claim: "aud" })
    ));
    for bad in [json!([]), json!(5), json!([CLIENT, 5])] {
        assert!(matches!(
            setup.check(&with(claims(), "aud", bad)),
            Err(IdTokenError::InvalidClaim { claim: "aud" })
        ));
    }
    // An array with only us is fine.
    assert!(setup.check(&with(claims(), "aud", json!([CLIENT]))).is_ok());
    // An untrusted extra audience.
    let two = with(claims(), "aud", json!([CLIENT, "api"]));
    assert!(matches!(
        setup.check(&two),
        Err(IdTokenError::UntrustedAudience)
    ));
    // Trusted, but several audiences need azp.
    let trusting = setup.verifier.clone().trust_audience("api");
    assert!(matches!(
        trusting.verify(&setup.sign(&two), now()),
        Err(IdTokenError::AzpMissing)
    ));
    let two_azp = with(two.clone(), "azp", json!(CLIENT));
    assert!(trusting.verify(&setup.sign(&two_azp), now()).is_ok());
    let two_wrong_azp = with(two, "azp", json!("api"));
    assert!(matches!(
        trusting.verify(&setup.sign(&two_wrong_azp), now()),
        Err(IdTokenError::AzpMismatch)
    ));
    // An azp present with one audience is checked too.
    assert!(matches!(
        setup.check(&with(claims(), "azp", json!("someone"))),
        Err(IdTokenError::AzpMismatch)
    ));
    assert!(matches!(
        setup.check(&with(claims(), "azp", json!(1))),
        Err(IdTokenError::InvalidClaim { claim: "azp" })
    ));
}

#[test]
fn expiry_with_skew() {
    let setup = es256();
    let token = setup.sign(&claims());
    let exp = NOW + 300;
    let clock = ManualClock::new(now());
    assert!(setup.verifier.verify(&token, clock.now()).is_ok());
    clock.set(UnixTime::from_secs(exp + 59));
    assert!(setup.verifier.verify(&token, clock.now()).is_ok());
    clock.advance(Duration::from_secs(1));
    assert!(matches!(
        setup.verifier.verify(&token, clock.now()),
        Err(IdTokenError::Expired { expires_at, now })
            if expires_at == UnixTime::from_secs(exp) && now == UnixTime::from_secs(exp + 60)
    ));
    // No skew.
    let strict = setup.verifier.clone().max_clock_skew(Duration::ZERO);
    assert!(matches!(
        strict.verify(&token, FixedClock(UnixTime::from_secs(exp)).now()),
        Err(IdTokenError::Expired { .. })
    ));
    assert!(strict.verify(&token, UnixTime::from_secs(exp - 1)).is_ok());
    // The skew is clamped to five minutes.
    let generous = setup
        .verifier
        .clone()
        .max_clock_skew(Duration::from_secs(3600));
    assert_eq!(generous.clock_skew(), MAX_CLOCK_SKEW);
    assert!(matches!(
        generous.verify(&token, UnixTime::from_secs(exp + 300)),
        Err(IdTokenError::Expired { .. })
    ));
    assert_eq!(es256().verifier.clock_skew(), DEFAULT_CLOCK_SKEW);
    assert!(matches!(
        setup.check(&without(claims(), "exp")),
        Err(IdTokenError::MissingClaim { claim: "exp" })
    ));
    for bad in [json!("1"), json!(-1), json!(null), json!(1e300)] {
        assert!(matches!(
            setup.check(&with(claims(), "exp", bad)),
            Err(IdTokenError::InvalidClaim { claim: "exp" })
        ));
    }
    // Fractional NumericDate values are accepted (truncated).
    let fractional = with(claims(), "exp", json!((NOW + 300) as f64 + 0.5));
    assert_eq!(
        setup.check(&fractional).unwrap().expires_at(),
        UnixTime::from_secs(NOW + 300)
    );
}

#[test]
fn issued_in_future_and_not_yet_valid() {
    let setup = es256();
    assert!(setup.check(&with(claims(), "iat", json!(NOW + 60))).is_ok());
    assert!(matches!(
        setup.check(&with(claims(), "iat", json!(NOW + 61))),
        Err(IdTokenError::IssuedInFuture { issued_at, .. }) if issued_at == UnixTime::from_secs(NOW + 61)
    ));
    assert!(matches!(
        setup.check(&without(claims(), "iat")),
        Err(IdTokenError::MissingClaim { claim: "iat" })
    ));
    assert!(setup.check(&with(claims(), "nbf", json!(NOW + 60))).is_ok());
    assert!(matches!(
        setup.check(&with(claims(), "nbf", json!(NOW + 61))),
        Err(IdTokenError::NotYetValid { not_before, .. }) if not_before == UnixTime::from_secs(NOW + 61)
    ));
    assert!(matches!(
        setup.check(&with(claims(), "nbf", json!("soon"))),
        Err(IdTokenError::InvalidClaim { claim: "nbf" })
    ));
    assert!(matches!(
        setup.check(&with(claims(), "auth_time", json!("then"))),
        Err(IdTokenError::InvalidClaim { claim: "auth_time" })
    ));
}

#[test]
fn subject() {
    let setup = es256();
    assert!(matches!(
        setup.check(&without(claims(), "sub")),
        Err(IdTokenError::MissingClaim { claim: "sub" })
    ));
    for bad in [json!(""), json!("x".repeat(256)), json!(42)] {
        assert!(matches!(
            setup.check(&with(claims(), "sub", bad)),
            Err(IdTokenError::InvalidClaim { claim: "sub" })
        ));
    }
}

#[test]
fn nonce() {
    let setup = es256();
    assert!(matches!(
        setup.check(&without(claims(), "nonce")),
        Err(IdTokenError::NonceMissing)
    ));
    for other in ["", "n-0S6_WzA2Mk", "n-0S6_WzA2Mj ", "N-0S6_WZA2MJ"] {
        assert!(matches!(
            setup.check(&with(claims(), "nonce", json!(other))),
            Err(IdTokenError::NonceMismatch)
        ));
    }
    assert!(matches!(
        setup.check(&with(claims(), "nonce", json!(1))),
        Err(IdTokenError::InvalidClaim { claim: "nonce" })
    ));
}

#[test]
fn acr() {
    let setup = es256();
    assert!(matches!(
        setup.check(&without(claims(), "acr")),
        Err(IdTokenError::AcrMissing)
    ));
    assert!(matches!(
        setup.check(&with(claims(), "acr", json!("urn:example:loa:42"))),
        Err(IdTokenError::AcrUnknown(_))
    ));
    assert!(matches!(
        setup.check(&with(claims(), "acr", json!(3))),
        Err(IdTokenError::InvalidClaim { claim: "acr" })
    ));
    let loa2 = with(
        claims(),
        "acr",
        json!("http://id.elegnamnden.se/loa/1.0/loa2"),
    );
    assert!(matches!(
        setup.check(&loa2),
        Err(IdTokenError::AcrNotSatisfied {
            asserted: LevelOfAssurance::Loa2
        })
    ));
    // Another framework never satisfies a Swedish minimum.
    let norway = with(claims(), "acr", json!("idporten-loa-high"));
    assert!(matches!(
        setup.check(&norway),
        Err(IdTokenError::AcrNotSatisfied { .. })
    ));
}

#[test]
fn reasons_are_distinct() {
    let errors = [
        IdTokenError::AcrMissing,
        IdTokenError::AcrNotSatisfied {
            asserted: LevelOfAssurance::Loa2,
        },
        IdTokenError::AlgorithmNotAllowed {
            algorithm: JwsAlgorithm::Es256,
        },
        IdTokenError::AlgorithmUnsupported(JoseError::AlgorithmNone),
        IdTokenError::AmbiguousKey,
        IdTokenError::AudienceMismatch,
        IdTokenError::AzpMismatch,
        IdTokenError::AzpMissing,
        IdTokenError::CriticalHeader,
        IdTokenError::EmptyClientId,
        IdTokenError::EmptyIssuer,
        IdTokenError::Expired {
            expires_at: now(),
            now: now(),
        },
        IdTokenError::InvalidClaim { claim: "sub" },
        IdTokenError::IssuedInFuture {
            issued_at: now(),
            now: now(),
        },
        IdTokenError::IssuerMismatch,
        IdTokenError::KeyAlgorithmMismatch {
            algorithm: JwsAlgorithm::Es256,
        },
        IdTokenError::Malformed {
            part: TokenPart::Header,
        },
        IdTokenError::MissingClaim { claim: "sub" },
        IdTokenError::NoAlgorithms,
        IdTokenError::NonceMismatch,
        IdTokenError::NonceMissing,
        IdTokenError::NotYetValid {
            not_before: now(),
            now: now(),
        },
        IdTokenError::NoUsableKey,
        IdTokenError::SignatureInvalid,
        IdTokenError::TooLarge { size: 1, max: 0 },
        IdTokenError::TypeNotAllowed,
        IdTokenError::UnknownKey,
        IdTokenError::UntrustedAudience,
    ];
    let mut reasons: Vec<&str> = errors.iter().map(IdTokenError::reason).collect();
    for reason in &reasons {
        assert!(reason.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
    }
    reasons.sort_unstable();
    reasons.dedup();
    assert_eq!(reasons.len(), errors.len());
    // Messages never echo the nonce or claims.
    assert!(!IdTokenError::NonceMismatch.to_string().contains(NONCE));
}

proptest! {
    #[test]
    fn arbitrary_strings_never_panic(token in "\\PC{0,300}") {
        let setup = es256();
        let _ = setup.verifier.verify(&token, now());
    }

    #[test]
    fn arbitrary_jws_shaped_strings_never_panic(
        header in "[A-Za-z0-9_-]{0,80}",
        payload in "[A-Za-z0-9_-]{0,200}",
        signature in "[A-Za-z0-9_-]{0,100}",
    ) {
        let setup = es256();
        let _ = setup.verifier.verify(&format!("{header}.{payload}.{signature}"), now());
    }

    #[test]
    fn arbitrary_claims_never_panic(
        exp in any::<i64>(),
        iat in any::<f64>(),
        aud in proptest::collection::vec("[a-z-]{0,10}", 0..4),
        sub in "\\PC{0,10}",
    ) {
        let setup = es256();
        let claims = json!({ "iss": ISSUER, "aud": aud, "exp": exp, "iat": iat, "sub": sub, "nonce": NONCE, "acr": LOA3 });
        let _ = setup.check(&claims);
    }
}

#[test]
fn tokens_signed_by_jsonwebtoken_through_the_ring_provider_verify() {
    crate::jose::install_ring_provider().unwrap();
    let der = SigningKey::generate_pkcs8_der(JwsAlgorithm::Es256).unwrap();
    let key = SigningKey::from_pkcs8_der(&der, JwsAlgorithm::Es256).unwrap();
    let jwks = Jwks::new(vec![key.public_jwk()]).unwrap();
    let verifier = IdTokenVerifier::new(ISSUER, CLIENT, &jwks, &[JwsAlgorithm::Es256])
        .unwrap()
        .expect_nonce(NONCE);
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
    header.kid = Some(key.kid().to_owned());
    let token = jsonwebtoken::encode(
        &header,
        &claims(),
        &jsonwebtoken::EncodingKey::from_ec_der(&der),
    )
    .unwrap();
    assert_eq!(verifier.verify(&token, now()).unwrap().nonce(), Some(NONCE));
}
