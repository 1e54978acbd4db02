use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
use eid_core::claims::{Destination, Identity, Release, Scopes};
use eid_core::clock::UnixTime;
use eid_core::jose::{JwsAlgorithm, SigningKey};
use eid_core::verify::IdTokenVerifier;
use ring::rand::SystemRandom;
use serde_json::{Map, Value, json};

use super::{
    BACKCHANNEL_LOGOUT_EVENT, IdTokenContent, LogoutTarget, LogoutTokenContent, MintError, Subject,
    mint_id_token, mint_logout_token,
};
use crate::discovery::Issuer;
use crate::keys::KeyRing;
use crate::secret::AccessToken;

/// The RSA test key of eid-core (eid-core/tests/data/jose/README.md).
const RSA_2048: &[u8] = include_bytes!("../../../eid-core/tests/data/jose/rsa-2048.pem");

const ISSUER: &str = "https://eid.example";
const CLIENT: &str = "e-service";
const NOW: UnixTime = UnixTime::from_secs(1_764_000_000);
const FIVE_MINUTES: Duration = Duration::from_secs(300);

fn issuer() -> Issuer {
    ISSUER.parse().unwrap()
}

fn subject() -> Subject {
    "c3a6fa0e-5b5e-4c3e".parse().unwrap()
}

fn rsa_key() -> SigningKey {
    SigningKey::from_pkcs8_pem(RSA_2048, JwsAlgorithm::Rs256).unwrap()
}

fn ring() -> KeyRing {
    KeyRing::new(vec![
        SigningKey::generate(JwsAlgorithm::Es256).unwrap(),
        rsa_key(),
    ])
    .unwrap()
}

fn verifier(ring: &KeyRing, algorithm: JwsAlgorithm) -> IdTokenVerifier {
    IdTokenVerifier::new(ISSUER, CLIENT, ring.jwks(), &[algorithm]).unwrap()
}

/// The ID-token claims of Tolvan Tolvansson for `openid naturalPersonNumber`.
fn identity_claims() -> Map<String, Value> {
    let upstream = json!({
        "sub": "upstream",
        "given_name": "Tolvan",
        "family_name": "Tolvansson",
        "https://id.oidc.se/claim/personalIdentityNumber": "191212121212",
    });
    let today = NOW.date();
    let identity = Identity::from_oidc_claims(upstream.as_object().unwrap(), today).unwrap();
    let scopes = Scopes::parse("openid https://id.oidc.se/scope/naturalPersonNumber").unwrap();
    identity.to_oidc_claims(&Release::new(&scopes, None, Destination::IdToken))
}

fn content() -> IdTokenContent {
    IdTokenContent::new(
        issuer(),
        subject(),
        CLIENT,
        UnixTime::from_secs(NOW.as_secs() - 30),
    )
    .with_nonce("n-0S6_WzA2Mj")
    .with_acr(LevelOfAssurance::Loa3)
    .with_amr(vec!["hwk".into(), "pin".into()])
    .with_sid("sid-1")
    .with_identity_claims(identity_claims())
}

fn parts(token: &str) -> (Value, Value) {
    let mut parts = token.split('.');
    let mut decode = || -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts.next().unwrap()).unwrap()).unwrap()
    };
    (decode(), decode())
}

#[test]
fn id_tokens_verify_against_the_published_jwks() {
    let ring = ring();
    for algorithm in [JwsAlgorithm::Es256, JwsAlgorithm::Rs256] {
        let token = mint_id_token(&ring, algorithm, &content(), NOW, FIVE_MINUTES).unwrap();
        let verified = verifier(&ring, algorithm)
            .expect_nonce("n-0S6_WzA2Mj")
            .require(Requirement::new(vec![LevelOfAssurance::Loa3], Matching::Exact).unwrap())
            .verify(&token, NOW)
            .unwrap();
        assert_eq!(verified.algorithm(), algorithm);
        assert_eq!(verified.issuer(), ISSUER);
        assert_eq!(verified.subject(), "c3a6fa0e-5b5e-4c3e");
        assert_eq!(verified.audiences(), [CLIENT]);
        assert_eq!(verified.nonce(), Some("n-0S6_WzA2Mj"));
        assert_eq!(verified.acr(), Some(LevelOfAssurance::Loa3));
        assert_eq!(verified.issued_at(), NOW);
        assert_eq!(verified.expires_at().as_secs(), NOW.as_secs() + 300);
        assert_eq!(verified.auth_time().unwrap().as_secs(), NOW.as_secs() - 30);
        let claims = verified.claims();
        assert_eq!(claims["sid"], "sid-1");
        assert_eq!(claims["amr"], json!(["hwk", "pin"]));
        assert_eq!(
            claims["https://id.oidc.se/claim/personalIdentityNumber"],
            "191212121212"
        );
        // naturalPersonNumber releases no name to the ID token.
        assert!(!claims.contains_key("given_name"));

        let (header, _) = parts(&token);
        assert_eq!(header["typ"], "JWT");
        assert_eq!(header["kid"], ring.signer(algorithm).unwrap().kid());
    }
}

#[test]
fn minimal_id_token_has_the_required_claims_only() {
    let ring = ring();
    let content = IdTokenContent::new(issuer(), subject(), CLIENT, NOW);
    let token = mint_id_token(&ring, JwsAlgorithm::Es256, &content, NOW, FIVE_MINUTES).unwrap();
    let (_, claims) = parts(&token);
    let mut names: Vec<_> = claims.as_object().unwrap().keys().cloned().collect();
    names.sort();
    assert_eq!(names, ["aud", "auth_time", "exp", "iat", "iss", "sub"]);
    verifier(&ring, JwsAlgorithm::Es256)
        .verify(&token, NOW)
        .unwrap();
}

#[test]
fn lifetime_is_capped_at_five_minutes() {
    let ring = ring();
    for (asked, given) in [(3600, 300), (301, 300), (300, 300), (60, 60), (1, 1)] {
        let token = mint_id_token(
            &ring,
            JwsAlgorithm::Es256,
            &content(),
            NOW,
            Duration::from_secs(asked),
        )
        .unwrap();
        let (_, claims) = parts(&token);
        assert_eq!(claims["exp"], NOW.as_secs() + given, "asked {asked}");
        assert_eq!(claims["iat"], NOW.as_secs());
    }
    let err =
        mint_id_token(&ring, JwsAlgorithm::Es256, &content(), NOW, Duration::ZERO).unwrap_err();
    assert!(matches!(err, MintError::ZeroLifetime));
    // Less than a second is zero whole seconds.
    let err = mint_id_token(
        &ring,
        JwsAlgorithm::Es256,
        &content(),
        NOW,
        Duration::from_millis(999),
    )
    .unwrap_err();
    assert!(matches!(err, MintError::ZeroLifetime));
}

#[test]
fn expired_token_is_refused_by_the_verifier() {
    let ring = ring();
    let token = mint_id_token(&ring, JwsAlgorithm::Es256, &content(), NOW, FIVE_MINUTES).unwrap();
    let later = UnixTime::from_secs(NOW.as_secs() + 300 + 61);
    let err = verifier(&ring, JwsAlgorithm::Es256)
        .verify(&token, later)
        .unwrap_err();
    assert_eq!(err.reason(), "expired");
}

#[test]
fn rotation_keeps_tokens_verifiable_while_the_key_is_published() {
    let fresh = || SigningKey::generate(JwsAlgorithm::Es256).unwrap();
    let mut ring = KeyRing::new(vec![fresh()])
        .unwrap()
        .with_next(vec![fresh()])
        .unwrap();
    let old = mint_id_token(&ring, JwsAlgorithm::Es256, &content(), NOW, FIVE_MINUTES).unwrap();
    verifier(&ring, JwsAlgorithm::Es256)
        .verify(&old, NOW)
        .unwrap();

    // First rotation: the old key is "previous", still published.
    ring.rotate(vec![fresh()]).unwrap();
    let new = mint_id_token(&ring, JwsAlgorithm::Es256, &content(), NOW, FIVE_MINUTES).unwrap();
    assert_ne!(parts(&old).0["kid"], parts(&new).0["kid"]);
    let after_one = verifier(&ring, JwsAlgorithm::Es256);
    after_one.verify(&old, NOW).unwrap();
    after_one.verify(&new, NOW).unwrap();

    // Second rotation: the old key drops out; the token minted after the first stays valid.
    ring.rotate(vec![fresh()]).unwrap();
    let after_two = verifier(&ring, JwsAlgorithm::Es256);
    assert_eq!(
        after_two.verify(&old, NOW).unwrap_err().reason(),
        "unknown_key"
    );
    after_two.verify(&new, NOW).unwrap();

    // Retiring the previous keys drops that one too.
    ring.retire_previous();
    let retired = verifier(&ring, JwsAlgorithm::Es256);
    assert_eq!(
        retired.verify(&new, NOW).unwrap_err().reason(),
        "unknown_key"
    );
}

#[test]
fn a_verifier_built_before_rotation_knows_the_next_key() {
    // Relying parties cache the JWKS: the next key is in it before it signs.
    let fresh = || SigningKey::generate(JwsAlgorithm::Es256).unwrap();
    let mut ring = KeyRing::new(vec![fresh()])
        .unwrap()
        .with_next(vec![fresh()])
        .unwrap();
    let cached = verifier(&ring, JwsAlgorithm::Es256);
    ring.rotate(vec![fresh()]).unwrap();
    let token = mint_id_token(&ring, JwsAlgorithm::Es256, &content(), NOW, FIVE_MINUTES).unwrap();
    cached.verify(&token, NOW).unwrap();
}

#[test]
fn unknown_algorithm_is_refused() {
    let ring = KeyRing::ephemeral().unwrap();
    let err = mint_id_token(&ring, JwsAlgorithm::Rs256, &content(), NOW, FIVE_MINUTES).unwrap_err();
    assert!(matches!(
        err,
        MintError::NoSigningKey {
            algorithm: JwsAlgorithm::Rs256
        }
    ));
    assert_eq!(err.reason(), "no_signing_key");
}

#[test]
fn ephemeral_keys_sign_verifiable_tokens() {
    let ring = KeyRing::ephemeral().unwrap();
    for algorithm in ring.algorithms() {
        let token = mint_id_token(&ring, algorithm, &content(), NOW, FIVE_MINUTES).unwrap();
        verifier(&ring, algorithm).verify(&token, NOW).unwrap();
    }
}

#[test]
fn auth_time_after_now_is_refused() {
    let content = IdTokenContent::new(
        issuer(),
        subject(),
        CLIENT,
        UnixTime::from_secs(NOW.as_secs() + 1),
    );
    let err = mint_id_token(&ring(), JwsAlgorithm::Es256, &content, NOW, FIVE_MINUTES).unwrap_err();
    assert!(matches!(err, MintError::AuthTimeInFuture));
}

#[test]
fn empty_audience_is_refused() {
    let content = IdTokenContent::new(issuer(), subject(), "", NOW);
    let err = mint_id_token(&ring(), JwsAlgorithm::Es256, &content, NOW, FIVE_MINUTES).unwrap_err();
    assert!(matches!(err, MintError::EmptyAudience));
}

#[test]
fn identity_claims_cannot_overwrite_protocol_claims() {
    for name in ["iss", "sub", "aud", "exp", "nonce", "acr", "sid", "events"] {
        let mut claims = Map::new();
        claims.insert(name.into(), json!("evil"));
        let content = content().with_identity_claims(claims);
        let err =
            mint_id_token(&ring(), JwsAlgorithm::Es256, &content, NOW, FIVE_MINUTES).unwrap_err();
        assert!(
            matches!(&err, MintError::ReservedClaim { name: n } if n == name),
            "{name}"
        );
    }
}

#[test]
fn at_hash_is_the_left_half_of_the_token_hash() {
    let rng = SystemRandom::new();
    let access_token = AccessToken::generate(&rng).unwrap();
    let content = content().with_access_token(&access_token);
    let ring = ring();
    let token = mint_id_token(&ring, JwsAlgorithm::Rs256, &content, NOW, FIVE_MINUTES).unwrap();
    let digest = ring::digest::digest(
        &ring::digest::SHA256,
        access_token.expose_secret().as_bytes(),
    );
    let expected = URL_SAFE_NO_PAD.encode(&digest.as_ref()[..16]);
    assert_eq!(parts(&token).1["at_hash"], expected);
}

#[test]
fn subject_is_bounded_printable_ascii_and_redacted() {
    for bad in ["", " ", "a b", "å", &"a".repeat(256)] {
        assert!(matches!(
            bad.parse::<Subject>(),
            Err(MintError::InvalidSubject)
        ));
    }
    let max: Subject = "a".repeat(255).parse().unwrap();
    assert_eq!(max.as_str().len(), 255);
    assert_eq!(format!("{:?}", subject()), "Subject([redacted])");
}

#[test]
fn content_debug_shows_no_personal_data() {
    let debug = format!("{:?}", content());
    assert!(!debug.contains("191212121212"), "{debug}");
    assert!(!debug.contains("c3a6fa0e"), "{debug}");
    assert!(debug.contains("personalIdentityNumber"), "{debug}");
}

#[test]
fn logout_token_shape() {
    let ring = ring();
    let rng = SystemRandom::new();
    let targets = [
        (
            LogoutTarget::Session {
                sid: "sid-1".into(),
            },
            true,
            false,
        ),
        (LogoutTarget::Subject(subject()), false, true),
        (
            LogoutTarget::SubjectSession {
                subject: subject(),
                sid: "sid-1".into(),
            },
            true,
            true,
        ),
    ];
    for (target, has_sid, has_sub) in targets {
        let content = LogoutTokenContent::new(issuer(), CLIENT, target);
        let token = mint_logout_token(
            &ring,
            JwsAlgorithm::Rs256,
            &content,
            &rng,
            NOW,
            Duration::from_secs(3600),
        )
        .unwrap();
        let (header, claims) = parts(&token);
        assert_eq!(header["typ"], "logout+jwt");
        assert_eq!(header["alg"], "RS256");
        assert_eq!(
            header["kid"],
            ring.signer(JwsAlgorithm::Rs256).unwrap().kid()
        );
        assert_eq!(claims["iss"], ISSUER);
        assert_eq!(claims["aud"], CLIENT);
        assert_eq!(claims["iat"], NOW.as_secs());
        assert_eq!(claims["exp"], NOW.as_secs() + 120, "capped at two minutes");
        assert_eq!(claims["events"], json!({ BACKCHANNEL_LOGOUT_EVENT: {} }));
        assert_eq!(claims["jti"].as_str().unwrap().len(), 22);
        assert_eq!(claims.get("sid").is_some(), has_sid);
        assert_eq!(claims.get("sub").is_some(), has_sub);
        assert!(claims.get("nonce").is_none());

        // Signed by the published key.
        let jwk = ring.jwks().find(header["kid"].as_str().unwrap()).unwrap();
        let (message, signature) = token.rsplit_once('.').unwrap();
        jwk.verifying_key(JwsAlgorithm::Rs256)
            .unwrap()
            .verify(
                message.as_bytes(),
                &URL_SAFE_NO_PAD.decode(signature).unwrap(),
            )
            .unwrap();

        // Never accepted as an ID token.
        let err = verifier(&ring, JwsAlgorithm::Rs256)
            .verify(&token, NOW)
            .unwrap_err();
        assert_eq!(err.reason(), "type_not_allowed");
    }
}

#[test]
fn logout_tokens_have_fresh_jtis() {
    let ring = ring();
    let rng = SystemRandom::new();
    let content = LogoutTokenContent::new(issuer(), CLIENT, LogoutTarget::Subject(subject()));
    let jti = || {
        let token = mint_logout_token(
            &ring,
            JwsAlgorithm::Es256,
            &content,
            &rng,
            NOW,
            FIVE_MINUTES,
        )
        .unwrap();
        parts(&token).1["jti"].clone()
    };
    assert_ne!(jti(), jti());
}

proptest::proptest! {
    #[test]
    fn subject_parsing_never_panics(value in "\\PC{0,300}") {
        if let Ok(subject) = value.parse::<Subject>() {
            proptest::prop_assert_eq!(subject.as_str(), value.as_str());
            proptest::prop_assert!(value.len() <= 255);
        }
    }
}
