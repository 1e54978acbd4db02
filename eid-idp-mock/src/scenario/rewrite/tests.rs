//! Each faulty token is caught by eid-core's verifier with the expected reason; the middleware
//! applies the session's scenario to a token and a UserInfo response.

use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use eid_core::assurance::{Matching, Requirement};
use eid_core::clock::ManualClock;
use eid_core::jose::JwsAlgorithm;
use eid_core::verify::IdTokenVerifier;
use eid_provider::discovery::Issuer;
use eid_provider::id_token::{IdTokenContent, Subject, mint_id_token};
use eid_provider::keys::KeyRing;
use tower::ServiceExt as _;

use super::*;
use crate::keys::{KeySet, generate};

const ISSUER: &str = "https://mock.example";
const CLIENT: &str = "e-service";
const NONCE: &str = "n-0S6_WzA2Mj";
const NOW: UnixTime = UnixTime::from_secs(1_764_000_000);

fn genuine(ring: &KeyRing) -> String {
    let issuer: Issuer = ISSUER.parse().unwrap();
    let content = IdTokenContent::new(issuer, "subject-1".parse::<Subject>().unwrap(), CLIENT, NOW)
        .with_nonce(NONCE)
        .with_acr(LevelOfAssurance::Loa3)
        .with_sid("sid-1");
    mint_id_token(
        ring,
        JwsAlgorithm::Es256,
        &content,
        NOW,
        Duration::from_secs(300),
    )
    .unwrap()
}

fn verifier(ring: &KeyRing) -> IdTokenVerifier {
    IdTokenVerifier::new(ISSUER, CLIENT, ring.jwks(), &[JwsAlgorithm::Es256])
        .unwrap()
        .expect_nonce(NONCE)
        .require(Requirement::new(vec![LevelOfAssurance::Loa3], Matching::Exact).unwrap())
}

#[test]
fn the_genuine_token_verifies() {
    let (ring, _) = generate(KeySet::Rotating).unwrap();
    let verified = verifier(&ring).verify(&genuine(&ring), NOW).unwrap();
    assert_eq!(verified.subject(), "subject-1");
}

#[test]
fn every_faulty_token_is_caught_with_its_reason() {
    let (ring, signer) = generate(KeySet::Rotating).unwrap();
    let token = genuine(&ring);
    let cases = [
        (Scenario::InvalidIssuer, "issuer_mismatch"),
        (Scenario::MissingSubject, "missing_claim"),
        (Scenario::InvalidAudience, "audience_mismatch"),
        (Scenario::MissingIssuedAt, "missing_claim"),
        (Scenario::KidAbsent, "ambiguous_key"),
        (Scenario::AlgNone, "algorithm_unsupported"),
        (Scenario::InvalidSignature, "signature_invalid"),
        (Scenario::InvalidNonce, "nonce_mismatch"),
        (Scenario::Expired, "expired"),
        (Scenario::AcrLowered, "acr_not_satisfied"),
    ];
    for (scenario, reason) in cases {
        let faulty = rewrite_id_token(&token, &scenario, &signer, NOW).unwrap();
        assert_ne!(faulty, token, "{scenario:?}");
        let error = verifier(&ring).verify(&faulty, NOW).unwrap_err();
        assert_eq!(error.reason(), reason, "{scenario:?}: {error}");
        // Exactly the one fault: the other claims are as the engine minted them.
        let original = decode_claims(&token).unwrap();
        let altered = match scenario {
            Scenario::AlgNone => {
                let payload = faulty.split('.').nth(1).unwrap();
                serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
            }
            _ => decode_claims(&faulty).unwrap(),
        };
        let changed: Vec<&String> = original
            .keys()
            .chain(altered.keys())
            .filter(|name| original.get(*name) != altered.get(*name))
            .collect();
        let expected: &[&str] = match scenario {
            Scenario::InvalidIssuer => &["iss"],
            Scenario::MissingSubject => &["sub", "sub"],
            Scenario::InvalidAudience => &["aud", "aud"],
            Scenario::MissingIssuedAt => &["iat", "iat"],
            Scenario::InvalidNonce => &["nonce", "nonce"],
            Scenario::AcrLowered => &["acr", "acr"],
            Scenario::Expired => &["exp", "iat", "auth_time", "exp", "iat", "auth_time"],
            _ => &[],
        };
        let mut changed: Vec<&str> = changed.into_iter().map(String::as_str).collect();
        let mut expected = expected.to_vec();
        changed.sort_unstable();
        changed.dedup();
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(changed, expected, "{scenario:?}");
    }
}

#[test]
fn missing_claims_name_the_claim() {
    let (ring, signer) = generate(KeySet::Rotating).unwrap();
    let token = genuine(&ring);
    for (scenario, claim) in [
        (Scenario::MissingSubject, "sub"),
        (Scenario::MissingIssuedAt, "iat"),
    ] {
        let faulty = rewrite_id_token(&token, &scenario, &signer, NOW).unwrap();
        assert!(matches!(
            verifier(&ring).verify(&faulty, NOW).unwrap_err(),
            eid_core::verify::IdTokenError::MissingClaim { claim: c } if c == claim
        ));
    }
}

#[test]
fn kid_absent_with_a_single_key_is_acceptable() {
    // oidcc-client-test-kid-absent-single-jwks: one key published, no kid: use it.
    let (ring, signer) = generate(KeySet::Single).unwrap();
    let faulty = rewrite_id_token(&genuine(&ring), &Scenario::KidAbsent, &signer, NOW).unwrap();
    let header = faulty.split('.').next().unwrap();
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    assert_eq!(header, json!({"alg": "ES256", "typ": "JWT"}));
    assert!(verifier(&ring).verify(&faulty, NOW).is_ok());
}

#[test]
fn the_expired_token_is_valid_only_in_the_past() {
    let (ring, signer) = generate(KeySet::Rotating).unwrap();
    let faulty = rewrite_id_token(&genuine(&ring), &Scenario::Expired, &signer, NOW).unwrap();
    let then = UnixTime::from_secs(NOW.as_secs() - EXPIRED_ISSUED_AGO_SECS);
    assert!(verifier(&ring).verify(&faulty, then).is_ok());
}

#[test]
fn non_token_scenarios_leave_the_token_alone() {
    let (ring, signer) = generate(KeySet::Rotating).unwrap();
    let token = genuine(&ring);
    for scenario in [
        Scenario::Cancel,
        Scenario::UserInfoSubjectMismatch,
        Scenario::WrongIssuerInResponse,
    ] {
        assert_eq!(
            rewrite_id_token(&token, &scenario, &signer, NOW).unwrap(),
            token
        );
    }
    assert!(matches!(
        rewrite_id_token("a.b", &Scenario::KidAbsent, &signer, NOW),
        Err(RewriteError::Malformed)
    ));
}

#[test]
fn levels_are_lowered_within_their_framework() {
    assert_eq!(lower_level(LevelOfAssurance::Loa4), LevelOfAssurance::Loa3);
    assert_eq!(lower_level(LevelOfAssurance::Loa3), LevelOfAssurance::Loa2);
    assert_eq!(
        lower_level(LevelOfAssurance::Loa3NonResident),
        LevelOfAssurance::Loa2NonResident
    );
    assert_eq!(
        lower_level(LevelOfAssurance::SwedenEidasNotifiedSubstantial),
        LevelOfAssurance::SwedenEidasNotifiedLow
    );
}

#[test]
fn the_authorization_response_loses_or_changes_iss() {
    let location = "http://127.0.0.1:8080/cb?code=abc&state=s+t&iss=https%3A%2F%2Fmock.example";
    let missing = rewrite_location(location, &Scenario::MissingIssuerInResponse);
    assert_eq!(missing, "http://127.0.0.1:8080/cb?code=abc&state=s+t");
    let wrong = rewrite_location(location, &Scenario::WrongIssuerInResponse);
    let url = url::Url::parse(&wrong).unwrap();
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        [
            ("code".to_owned(), "abc".to_owned()),
            ("state".to_owned(), "s t".to_owned()),
            ("iss".to_owned(), OTHER_ISSUER.to_owned()),
        ]
    );
    assert_eq!(rewrite_location(location, &Scenario::Expired), location);
    assert_eq!(
        rewrite_location("/relative", &Scenario::MissingIssuerInResponse),
        "/relative"
    );
}

#[test]
fn userinfo_gets_another_subject() {
    let claims = json!({"sub": "subject-1", "name": "Astrid"});
    let Value::Object(claims) = claims else {
        unreachable!()
    };
    let altered = rewrite_userinfo_claims(claims);
    assert_eq!(altered["sub"], "another-subject-1");
    assert_eq!(altered["name"], "Astrid");
}

/// The middleware around a stand-in for the engine: a token endpoint that answers with a
/// genuine ID token of session `sid-1`, and a UserInfo endpoint.
#[tokio::test]
async fn the_middleware_applies_the_sessions_scenario() {
    let (ring, signer) = generate(KeySet::Rotating).unwrap();
    let token = genuine(&ring);
    let book = Arc::new(ScenarioBook::default());
    book.remember_session("sid-1", Scenario::InvalidIssuer);
    let rewriter = Arc::new(Rewriter {
        book: Arc::clone(&book),
        signer: Arc::new(signer),
        clock: Arc::new(ManualClock::new(NOW)),
        token_path: "/token".into(),
        userinfo_path: "/userinfo".into(),
    });
    let body = json!({"access_token": "at-1", "token_type": "Bearer", "id_token": token});
    let engine = Router::new()
        .route("/token", post(move || async move { axum::Json(body) }))
        .route(
            "/userinfo",
            get(|| async { axum::Json(json!({"sub": "subject-1"})) }),
        );
    let app = engine.layer(axum::middleware::from_fn_with_state(
        Arc::clone(&rewriter),
        layer,
    ));

    let call = |request: Request| {
        let app = app.clone();
        async move {
            let response = app.oneshot(request).await.unwrap();
            let bytes = to_bytes(response.into_body(), MAX_BODY).await.unwrap();
            serde_json::from_slice::<Value>(&bytes).unwrap()
        }
    };
    let answer = call(
        Request::post("/token")
            .body(Body::from("grant_type=authorization_code"))
            .unwrap(),
    )
    .await;
    let id_token = answer["id_token"].as_str().unwrap();
    assert_eq!(
        verifier(&ring).verify(id_token, NOW).unwrap_err().reason(),
        "issuer_mismatch"
    );
    assert_eq!(answer["access_token"], "at-1");

    // UserInfo for a session with the UserInfo fault.
    book.remember_session("sid-1", Scenario::UserInfoSubjectMismatch);
    let answer = call(Request::post("/token").body(Body::empty()).unwrap()).await;
    assert!(
        verifier(&ring)
            .verify(answer["id_token"].as_str().unwrap(), NOW)
            .is_ok()
    );
    let userinfo = call(
        Request::get("/userinfo")
            .header(header::AUTHORIZATION, "Bearer at-1")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(userinfo["sub"], "another-subject-1");
    let other = call(
        Request::get("/userinfo")
            .header(header::AUTHORIZATION, "Bearer at-2")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(other["sub"], "subject-1");
    // The access token in a form body (RFC 6750 §2.2) is found too.
    let engine = Router::new().route(
        "/userinfo",
        post(|body: String| async move {
            assert_eq!(body, "access_token=at-1");
            axum::Json(json!({"sub": "subject-1"}))
        }),
    );
    let app = engine.layer(axum::middleware::from_fn_with_state(rewriter, layer));
    let response = app
        .oneshot(
            Request::post("/userinfo")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("access_token=at-1"))
                .unwrap(),
        )
        .await
        .unwrap();
    let bytes = to_bytes(response.into_body(), MAX_BODY).await.unwrap();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["sub"], "another-subject-1");
}
