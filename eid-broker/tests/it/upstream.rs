//! The upstream connector against a provider over HTTP on 127.0.0.1: the Basic RP plan's checks
//! (standards.md §9.3) one test each, RFC 9207, PAR, client authentication, the acr mapping,
//! key refresh, time limits and what the e-service is told.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use eid_broker::upstream::{
    AcrEntry, AcrMapping, Ask, ClientAuthConfig, ClientSecret, Endpoint, HttpFailure,
    MetadataProblem, ParMode, Prompt, Upstream, UpstreamConfig, UpstreamConfigError, UpstreamError,
    UpstreamLogin, UpstreamState,
};
use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
use eid_core::clock::Clock;
use eid_core::jose::{JwsAlgorithm, SigningKey};
use eid_core::verify::IdTokenError;
use eid_provider::OAuthErrorCode;

use super::upstream_fake::{
    CLIENT_ID, CLIENT_SECRET, ExpectedAuth, Fake, FakeOptions, Fault, LOA2, LOA4, PNR, PNR_CLAIM,
    SUBJECT, TestKey,
};

fn at_least(level: LevelOfAssurance) -> Ask {
    Ask::new(Requirement::new(vec![level], Matching::Minimum).unwrap())
}

/// A whole login: begin, the browser at the fake, finish.
async fn login(
    fake: &Fake,
    upstream: &Upstream,
    ask: &Ask,
) -> Result<UpstreamLogin, UpstreamError> {
    let start = upstream.begin(ask).await?;
    let callback = fake.browse(&start.url).await;
    upstream.finish(&callback, &start.state).await
}

/// A login at loa3 against a fake with `fault`; the error it ends with.
async fn rejected_with(fault: Fault) -> UpstreamError {
    let fake = Fake::start(FakeOptions {
        fault,
        ..FakeOptions::default()
    })
    .await;
    login(&fake, &fake.upstream(), &at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap_err()
}

fn id_token_error(error: &UpstreamError) -> &IdTokenError {
    match error {
        UpstreamError::IdToken(inner) => inner,
        other => panic!("expected an ID-token rejection, got {other:?}"),
    }
}

#[tokio::test]
async fn oidcc_client_test_code_flow_with_token_and_userinfo() {
    let fake = Fake::start(FakeOptions::default()).await;
    let upstream = fake.upstream();
    let login = login(&fake, &upstream, &at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap();
    assert_eq!(login.upstream, "fake");
    assert_eq!(login.subject, SUBJECT);
    assert_eq!(login.level, LevelOfAssurance::Loa3);
    assert_eq!(login.upstream_acr, "http://id.elegnamnden.se/loa/1.0/loa3");
    assert_eq!(login.amr, ["bankid"]);
    assert_eq!(login.sid.as_deref(), Some("fake-session-1"));
    assert_eq!(
        login.auth_time.map(|t| t.as_secs()),
        Some(super::upstream_fake::START.as_secs() - 5)
    );
    // UserInfo claims the ID token lacks are merged in.
    assert_eq!(login.claims["given_name"], "Lisa");
    assert_eq!(login.claims[PNR_CLAIM], PNR);
    let identity = login.identity(super::upstream_fake::START.date()).unwrap();
    assert!(matches!(
        identity.national_id(),
        Some(eid_core::claims::NationalId::Personal(_))
    ));
    assert_eq!(identity.given_name(), Some("Lisa"));
    fake.with_record(|record| {
        let authorize = record.authorize.first().unwrap();
        assert_eq!(authorize["response_type"], "code");
        assert_eq!(authorize["code_challenge_method"], "S256");
        assert!(authorize["nonce"].len() >= 16);
        assert!(authorize["state"].len() >= 16);
        assert_eq!(authorize["scope"], "openid");
        let token = record.token.first().unwrap();
        assert!(token["code_verifier"].len() >= 43);
        // The access token travels in the header, never in the query.
        let bearer = record
            .userinfo_authorization
            .first()
            .unwrap()
            .as_deref()
            .unwrap();
        assert!(bearer.starts_with("Bearer at-"));
    });
}

#[tokio::test]
async fn oidcc_client_test_invalid_iss() {
    let error = rejected_with(Fault::InvalidIss).await;
    assert!(matches!(
        id_token_error(&error),
        IdTokenError::IssuerMismatch
    ));
    assert_eq!(error.reason(), "issuer_mismatch");
    assert_eq!(error.oauth_error_code(), OAuthErrorCode::ServerError);
}

#[tokio::test]
async fn oidcc_client_test_missing_sub() {
    let error = rejected_with(Fault::MissingSub).await;
    assert!(matches!(
        id_token_error(&error),
        IdTokenError::MissingClaim { claim: "sub" }
    ));
    assert_eq!(error.reason(), "missing_claim");
}

#[tokio::test]
async fn oidcc_client_test_invalid_aud() {
    let error = rejected_with(Fault::InvalidAud).await;
    assert!(matches!(
        id_token_error(&error),
        IdTokenError::AudienceMismatch
    ));
    assert_eq!(error.reason(), "audience_mismatch");
}

#[tokio::test]
async fn oidcc_client_test_missing_iat() {
    let error = rejected_with(Fault::MissingIat).await;
    assert!(matches!(
        id_token_error(&error),
        IdTokenError::MissingClaim { claim: "iat" }
    ));
    assert_eq!(error.reason(), "missing_claim");
}

#[tokio::test]
async fn oidcc_client_test_nonce_invalid() {
    let error = rejected_with(Fault::InvalidNonce).await;
    assert!(matches!(
        id_token_error(&error),
        IdTokenError::NonceMismatch
    ));
    assert_eq!(error.reason(), "nonce_mismatch");
}

#[tokio::test]
async fn oidcc_client_test_kid_absent_single_jwks() {
    let fake = Fake::start(FakeOptions {
        fault: Fault::KidAbsent,
        ..FakeOptions::default()
    })
    .await;
    let login = login(&fake, &fake.upstream(), &at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap();
    assert_eq!(login.subject, SUBJECT);
}

#[tokio::test]
async fn oidcc_client_test_kid_absent_multiple_jwks() {
    let fake = Fake::start(FakeOptions {
        keys: vec![TestKey::es256(), TestKey::es256()],
        published: 2,
        fault: Fault::KidAbsent,
        ..FakeOptions::default()
    })
    .await;
    let error = login(&fake, &fake.upstream(), &at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap_err();
    assert!(matches!(id_token_error(&error), IdTokenError::AmbiguousKey));
    assert_eq!(error.reason(), "ambiguous_key");
}

#[tokio::test]
async fn oidcc_client_test_idtoken_sig_rs256() {
    let fake = Fake::start(FakeOptions {
        keys: vec![TestKey::rs256()],
        ..FakeOptions::default()
    })
    .await;
    let login = login(&fake, &fake.upstream(), &at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap();
    assert_eq!(login.level, LevelOfAssurance::Loa3);
}

#[tokio::test]
async fn oidcc_client_test_idtoken_sig_none() {
    let error = rejected_with(Fault::AlgNone).await;
    assert!(matches!(
        id_token_error(&error),
        IdTokenError::AlgorithmUnsupported(_)
    ));
    assert_eq!(error.reason(), "algorithm_unsupported");
}

#[tokio::test]
async fn oidcc_client_test_invalid_sig_rs256() {
    let fake = Fake::start(FakeOptions {
        keys: vec![TestKey::rs256()],
        fault: Fault::InvalidSignature,
        ..FakeOptions::default()
    })
    .await;
    let error = login(&fake, &fake.upstream(), &at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap_err();
    assert!(matches!(
        id_token_error(&error),
        IdTokenError::SignatureInvalid
    ));
    assert_eq!(error.reason(), "signature_invalid");
}

#[tokio::test]
async fn oidcc_client_test_invalid_sig_es256() {
    let error = rejected_with(Fault::InvalidSignature).await;
    assert!(matches!(
        id_token_error(&error),
        IdTokenError::SignatureInvalid
    ));
}

#[tokio::test]
async fn oidcc_client_test_userinfo_invalid_sub() {
    let error = rejected_with(Fault::UserInfoInvalidSub).await;
    assert!(matches!(error, UpstreamError::UserInfoSubjectMismatch));
    assert_eq!(error.reason(), "userinfo_sub_mismatch");
    assert_eq!(error.oauth_error_code(), OAuthErrorCode::ServerError);
}

#[tokio::test]
async fn oidcc_client_test_scope_userinfo_claims() {
    let fake = Fake::start(FakeOptions::default()).await;
    let mut config = fake.config();
    config.scopes = ["profile", "email", "phone", "address"]
        .map(String::from)
        .to_vec();
    let login = login(
        &fake,
        &fake.upstream_with(config),
        &at_least(LevelOfAssurance::Loa3),
    )
    .await
    .unwrap();
    assert_eq!(login.claims["email"], "lisa@example.invalid");
    assert_eq!(login.claims["family_name"], "Testsson");
    fake.with_record(|record| {
        assert_eq!(
            record.authorize.first().unwrap()["scope"],
            "openid profile email phone address"
        );
    });
}

#[tokio::test]
async fn oidcc_client_test_client_secret_basic() {
    let fake = Fake::start(FakeOptions::default()).await;
    login(&fake, &fake.upstream(), &at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap();
    fake.with_record(|record| {
        let header = record
            .token_authorization
            .first()
            .unwrap()
            .as_deref()
            .unwrap();
        assert!(header.starts_with("Basic "));
        assert!(!record.token.first().unwrap().contains_key("client_secret"));
    });
}

#[tokio::test]
async fn client_secret_post_sends_the_secret_in_the_body() {
    let fake = Fake::start(FakeOptions {
        auth: ExpectedAuth::Post,
        ..FakeOptions::default()
    })
    .await;
    let mut config = fake.config();
    config.client_auth = ClientAuthConfig::ClientSecretPost {
        secret: ClientSecret::new(CLIENT_SECRET),
    };
    login(
        &fake,
        &fake.upstream_with(config),
        &at_least(LevelOfAssurance::Loa3),
    )
    .await
    .unwrap();
    fake.with_record(|record| {
        assert_eq!(
            record.token.first().unwrap()["client_secret"],
            CLIENT_SECRET
        );
        assert_eq!(record.token_authorization.first().unwrap(), &None);
    });
}

#[tokio::test]
async fn a_wrong_client_secret_is_refused_by_the_token_endpoint() {
    let fake = Fake::start(FakeOptions::default()).await;
    let mut config = fake.config();
    config.client_auth = ClientAuthConfig::ClientSecretBasic {
        secret: ClientSecret::new("not-the-secret"),
    };
    let error = login(
        &fake,
        &fake.upstream_with(config),
        &at_least(LevelOfAssurance::Loa3),
    )
    .await
    .unwrap_err();
    assert!(matches!(
        error,
        UpstreamError::TokenRefused {
            code: Some(OAuthErrorCode::InvalidClient)
        }
    ));
    assert_eq!(error.oauth_error_code(), OAuthErrorCode::ServerError);
}

/// A private key written where `Upstream::new` reads it.
fn key_file(name: &str) -> (std::path::PathBuf, SigningKey) {
    let der = SigningKey::generate_pkcs8_der(JwsAlgorithm::Es256).unwrap();
    let key = SigningKey::from_pkcs8_der(&der, JwsAlgorithm::Es256).unwrap();
    let dir = std::env::temp_dir().join(format!("eid-upstream-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("client.p8"), der).unwrap();
    (dir, key)
}

#[tokio::test]
async fn private_key_jwt_authenticates_with_a_signed_assertion_at_token_and_par() {
    let (dir, key) = key_file("pkjwt");
    let fake = Fake::start(FakeOptions {
        auth: ExpectedAuth::PrivateKeyJwt(key.public_jwk()),
        par: true,
        ..FakeOptions::default()
    })
    .await;
    let mut config = fake.config();
    config.client_auth = ClientAuthConfig::PrivateKeyJwt {
        key_file: "client.p8".into(),
        algorithm: JwsAlgorithm::Es256,
    };
    let upstream = Upstream::new(config, &dir, Arc::clone(&fake.clock) as Arc<dyn Clock>).unwrap();
    let login = login(&fake, &upstream, &at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap();
    assert_eq!(login.subject, SUBJECT);
    fake.with_record(|record| {
        for form in [record.par.first().unwrap(), record.token.first().unwrap()] {
            assert_eq!(form["client_id"], CLIENT_ID);
            assert!(form["client_assertion"].split('.').count() == 3);
            assert!(!form.contains_key("client_secret"));
        }
    });
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_missing_key_file_is_a_configuration_error() {
    let fake = Fake::start(FakeOptions::default()).await;
    let mut config = fake.config();
    config.client_auth = ClientAuthConfig::PrivateKeyJwt {
        key_file: "no-such-key.p8".into(),
        algorithm: JwsAlgorithm::Es256,
    };
    let error = Upstream::new(
        config,
        std::path::Path::new("/nonexistent"),
        Arc::clone(&fake.clock) as Arc<dyn Clock>,
    )
    .unwrap_err();
    assert!(error.to_string().contains("no-such-key.p8"));
}

#[tokio::test]
async fn an_expired_id_token_is_rejected() {
    let error = rejected_with(Fault::Expired).await;
    assert!(matches!(
        id_token_error(&error),
        IdTokenError::Expired { .. }
    ));
    assert_eq!(error.reason(), "expired");
}

#[tokio::test]
async fn an_algorithm_outside_the_allow_list_is_rejected() {
    let fake = Fake::start(FakeOptions {
        keys: vec![TestKey::rs256(), TestKey::es256()],
        published: 2,
        ..FakeOptions::default()
    })
    .await;
    let mut config = fake.config();
    config.id_token_algorithms = vec![JwsAlgorithm::Es256];
    let error = login(
        &fake,
        &fake.upstream_with(config),
        &at_least(LevelOfAssurance::Loa3),
    )
    .await
    .unwrap_err();
    assert!(matches!(
        id_token_error(&error),
        IdTokenError::AlgorithmNotAllowed {
            algorithm: JwsAlgorithm::Rs256
        }
    ));
}

#[tokio::test]
async fn a_token_response_without_an_id_token_is_rejected() {
    let error = rejected_with(Fault::NoIdToken).await;
    assert!(matches!(error, UpstreamError::IdTokenMissing));
}

// RFC 9207: mix-up defence.

#[tokio::test]
async fn the_authorization_response_from_another_issuer_is_rejected() {
    let error = rejected_with(Fault::WrongIssInResponse).await;
    assert!(matches!(error, UpstreamError::IssuerMismatch));
    assert_eq!(error.reason(), "response_iss_mismatch");
}

#[tokio::test]
async fn a_missing_iss_is_rejected_when_the_upstream_advertises_it() {
    let error = rejected_with(Fault::MissingIssInResponse).await;
    assert!(matches!(error, UpstreamError::IssuerMissing));
    assert_eq!(error.reason(), "response_iss_missing");
}

#[tokio::test]
async fn a_missing_iss_is_accepted_when_the_upstream_does_not_advertise_it() {
    let fake = Fake::start(FakeOptions {
        iss_parameter: false,
        fault: Fault::MissingIssInResponse,
        ..FakeOptions::default()
    })
    .await;
    login(&fake, &fake.upstream(), &at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap();
}

// Errors at the upstream, and what the e-service is told.

#[tokio::test]
async fn the_person_cancelling_upstream_is_access_denied() {
    let error = rejected_with(Fault::AuthorizeError("access_denied")).await;
    assert!(matches!(error, UpstreamError::Cancelled));
    assert_eq!(error.reason(), "cancelled");
    assert_eq!(error.oauth_error_code(), OAuthErrorCode::AccessDenied);
}

#[tokio::test]
async fn upstream_temporarily_unavailable_is_passed_on() {
    let error = rejected_with(Fault::AuthorizeError("temporarily_unavailable")).await;
    assert_eq!(error.reason(), "upstream_refused");
    assert_eq!(
        error.oauth_error_code(),
        OAuthErrorCode::TemporarilyUnavailable
    );
}

#[tokio::test]
async fn upstream_server_error_and_unknown_errors_are_server_error() {
    for code in ["server_error", "invalid_request", "made_up_error"] {
        let error = rejected_with(Fault::AuthorizeError(code)).await;
        assert_eq!(error.reason(), "upstream_refused", "{code}");
        assert_eq!(
            error.oauth_error_code(),
            OAuthErrorCode::ServerError,
            "{code}"
        );
    }
}

#[tokio::test]
async fn upstream_login_required_is_passed_on_for_prompt_none() {
    let error = rejected_with(Fault::AuthorizeError("login_required")).await;
    assert_eq!(error.oauth_error_code(), OAuthErrorCode::LoginRequired);
}

#[tokio::test]
async fn a_refused_code_is_server_error() {
    let error = rejected_with(Fault::TokenError).await;
    assert!(matches!(
        error,
        UpstreamError::TokenRefused {
            code: Some(OAuthErrorCode::InvalidGrant)
        }
    ));
    assert_eq!(error.oauth_error_code(), OAuthErrorCode::ServerError);
}

#[tokio::test]
async fn a_token_endpoint_that_does_not_answer_times_out_as_temporarily_unavailable() {
    let fake = Fake::start(FakeOptions {
        fault: Fault::TokenHangs,
        ..FakeOptions::default()
    })
    .await;
    let mut config = fake.config();
    config.timeouts.request_ms = 300;
    let error = login(
        &fake,
        &fake.upstream_with(config),
        &at_least(LevelOfAssurance::Loa3),
    )
    .await
    .unwrap_err();
    assert!(matches!(
        error,
        UpstreamError::Http {
            endpoint: Endpoint::Token,
            failure: HttpFailure::Timeout
        }
    ));
    assert_eq!(error.reason(), "upstream_timeout");
    assert_eq!(
        error.oauth_error_code(),
        OAuthErrorCode::TemporarilyUnavailable
    );
}

#[tokio::test]
async fn a_token_endpoint_answering_503_is_temporarily_unavailable() {
    let fake = Fake::start(FakeOptions {
        fault: Fault::TokenUnavailable,
        ..FakeOptions::default()
    })
    .await;
    let error = login(&fake, &fake.upstream(), &at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            UpstreamError::Http {
                endpoint: Endpoint::Token,
                failure: HttpFailure::Status { status: 503 }
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.oauth_error_code(),
        OAuthErrorCode::TemporarilyUnavailable
    );
}

#[tokio::test]
async fn an_unreachable_upstream_is_temporarily_unavailable() {
    let fake = Fake::start(FakeOptions::default()).await;
    // A port that was just free: nothing listens there.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let issuer = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let mut config = fake.config();
    config.issuer = issuer;
    let error = fake
        .upstream_with(config)
        .begin(&at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        UpstreamError::Http {
            endpoint: Endpoint::Discovery,
            failure: HttpFailure::Connect
        }
    ));
    assert_eq!(
        error.oauth_error_code(),
        OAuthErrorCode::TemporarilyUnavailable
    );
}

#[tokio::test]
async fn metadata_of_another_issuer_is_rejected() {
    let fake = Fake::start(FakeOptions::default()).await;
    let mut config = fake.config();
    config.issuer = format!("{}/", fake.issuer);
    let error = fake
        .upstream_with(config)
        .begin(&at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        UpstreamError::Metadata(MetadataProblem::IssuerMismatch)
    ));
    assert_eq!(error.reason(), "metadata_issuer_mismatch");
}

// Levels of assurance.

#[tokio::test]
async fn the_clients_acr_values_are_never_forwarded_only_the_mapped_values() {
    let fake = Fake::start(FakeOptions::default()).await;
    let upstream = fake.upstream();
    let start = upstream
        .begin(&at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap();
    let query: HashMap<String, String> = start.url.query_pairs().into_owned().collect();
    assert_eq!(query["acr_values"], "urn:fake:loa3 urn:fake:loa4");
    assert!(!start.url.as_str().contains("elegnamnden"));

    let exact = Ask::new(Requirement::new(vec![LevelOfAssurance::Loa4], Matching::Exact).unwrap());
    let start = upstream.begin(&exact).await.unwrap();
    let query: HashMap<String, String> = start.url.query_pairs().into_owned().collect();
    assert_eq!(query["acr_values"], "urn:fake:loa4");
    let login = upstream
        .finish(&fake.browse(&start.url).await, &start.state)
        .await
        .unwrap();
    assert_eq!(login.level, LevelOfAssurance::Loa4);
}

#[tokio::test]
async fn a_level_no_mapping_can_meet_fails_before_anything_is_sent() {
    let fake = Fake::start(FakeOptions::default()).await;
    let upstream = fake.upstream();
    let ask = at_least(LevelOfAssurance::EidasHigh);
    assert!(!upstream.can_meet(&ask.requirement));
    let error = upstream.begin(&ask).await.unwrap_err();
    assert!(matches!(error, UpstreamError::Unmet));
    assert_eq!(
        error.oauth_error_code(),
        OAuthErrorCode::UnmetAuthenticationRequirements
    );
    fake.with_record(|record| assert_eq!(record.discovery_fetches, 0));
}

#[tokio::test]
async fn a_lower_acr_than_asked_is_unmet() {
    let error = rejected_with(Fault::Acr(LOA2)).await;
    assert!(matches!(
        error,
        UpstreamError::AcrNotSatisfied {
            asserted: LevelOfAssurance::Loa2
        }
    ));
    assert_eq!(error.reason(), "acr_not_satisfied");
    assert_eq!(
        error.oauth_error_code(),
        OAuthErrorCode::UnmetAuthenticationRequirements
    );
}

#[tokio::test]
async fn an_unmapped_acr_is_unmet() {
    let error = rejected_with(Fault::Acr("urn:fake:something-else")).await;
    assert!(matches!(error, UpstreamError::AcrUnknown));
    assert_eq!(error.reason(), "acr_unknown");
    assert_eq!(
        error.oauth_error_code(),
        OAuthErrorCode::UnmetAuthenticationRequirements
    );
}

#[tokio::test]
async fn a_missing_acr_is_unmet() {
    let error = rejected_with(Fault::NoAcr).await;
    assert!(matches!(error, UpstreamError::AcrMissing));
    assert_eq!(
        error.oauth_error_code(),
        OAuthErrorCode::UnmetAuthenticationRequirements
    );
}

#[tokio::test]
async fn hints_are_forwarded() {
    let fake = Fake::start(FakeOptions::default()).await;
    let ask = at_least(LevelOfAssurance::Loa3)
        .with_login_hint("sub:198112289874")
        .with_ui_locales(["sv", "en", "not a tag"])
        .with_prompt(Prompt::Login)
        .with_max_age(Duration::from_secs(0));
    let start = fake.upstream().begin(&ask).await.unwrap();
    let query: HashMap<String, String> = start.url.query_pairs().into_owned().collect();
    assert_eq!(query["login_hint"], "sub:198112289874");
    assert_eq!(query["ui_locales"], "sv en");
    assert_eq!(query["prompt"], "login");
    assert_eq!(query["max_age"], "0");
    assert!(!format!("{ask:?}").contains("198112289874"));
}

// The state kept between begin and finish.

#[tokio::test]
async fn a_callback_with_another_state_is_rejected() {
    let fake = Fake::start(FakeOptions::default()).await;
    let upstream = fake.upstream();
    let start = upstream
        .begin(&at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap();
    let mut callback = fake.browse(&start.url).await;
    callback.state = Some("forged".into());
    let error = upstream.finish(&callback, &start.state).await.unwrap_err();
    assert!(matches!(error, UpstreamError::StateMismatch));
    callback.state = None;
    let error = upstream.finish(&callback, &start.state).await.unwrap_err();
    assert!(matches!(error, UpstreamError::StateMismatch));
}

#[tokio::test]
async fn a_login_older_than_its_lifetime_is_rejected() {
    let fake = Fake::start(FakeOptions::default()).await;
    let upstream = fake.upstream();
    let start = upstream
        .begin(&at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap();
    let callback = fake.browse(&start.url).await;
    fake.clock.advance(Duration::from_secs(601));
    let error = upstream.finish(&callback, &start.state).await.unwrap_err();
    assert!(matches!(error, UpstreamError::StateExpired));
}

#[tokio::test]
async fn a_state_of_another_upstream_is_rejected() {
    let fake = Fake::start(FakeOptions::default()).await;
    let start = fake
        .upstream()
        .begin(&at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap();
    let callback = fake.browse(&start.url).await;
    let mut config = fake.config();
    config.id = "other".into();
    let error = fake
        .upstream_with(config)
        .finish(&callback, &start.state)
        .await
        .unwrap_err();
    assert!(matches!(error, UpstreamError::StateOtherUpstream));
}

#[tokio::test]
async fn the_state_survives_serialisation_and_a_callback_without_code_is_rejected() {
    let fake = Fake::start(FakeOptions::default()).await;
    let upstream = fake.upstream();
    let start = upstream
        .begin(&at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap();
    let stored = serde_json::to_string(&start.state).unwrap();
    let state: UpstreamState = serde_json::from_str(&stored).unwrap();
    assert_eq!(state, start.state);
    let mut callback = fake.browse(&start.url).await;
    let code = callback.code.take();
    let error = upstream.finish(&callback, &state).await.unwrap_err();
    assert!(matches!(error, UpstreamError::CodeMissing));
    callback.code = code;
    upstream.finish(&callback, &state).await.unwrap();
}

// Keys.

#[tokio::test]
async fn keys_are_fetched_again_on_an_unknown_kid_at_most_once_a_minute() {
    let fake = Fake::start(FakeOptions {
        keys: vec![TestKey::es256(), TestKey::es256()],
        published: 1,
        ..FakeOptions::default()
    })
    .await;
    let upstream = fake.upstream();
    login(&fake, &upstream, &at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap();
    // The upstream rotates to a second key.
    fake.publish(2);
    fake.set_fault(Fault::SignWith(1));
    // Keys were fetched moments ago: no new fetch, the unknown kid is rejected.
    let error = login(&fake, &upstream, &at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap_err();
    assert!(matches!(id_token_error(&error), IdTokenError::UnknownKey));
    fake.with_record(|record| assert_eq!(record.jwks_fetches, 1));
    // A minute later the unknown kid fetches the keys once, and the login succeeds.
    fake.clock.advance(Duration::from_secs(61));
    login(&fake, &upstream, &at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap();
    login(&fake, &upstream, &at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap();
    fake.with_record(|record| {
        assert_eq!(record.jwks_fetches, 2);
        assert_eq!(record.discovery_fetches, 1);
    });
}

#[tokio::test]
async fn metadata_and_keys_are_fetched_again_after_their_ttl() {
    let fake = Fake::start(FakeOptions::default()).await;
    let upstream = fake.upstream();
    upstream.discover().await.unwrap();
    upstream.discover().await.unwrap();
    fake.with_record(|record| assert_eq!(record.discovery_fetches, 1));
    fake.clock.advance(Duration::from_secs(3_600));
    upstream.discover().await.unwrap();
    fake.with_record(|record| {
        assert_eq!(record.discovery_fetches, 2);
        assert_eq!(record.jwks_fetches, 2);
    });
}

// PAR.

#[tokio::test]
async fn par_is_used_when_offered_and_the_front_channel_carries_only_the_request_uri() {
    let fake = Fake::start(FakeOptions {
        par: true,
        ..FakeOptions::default()
    })
    .await;
    let upstream = fake.upstream();
    let start = upstream
        .begin(&at_least(LevelOfAssurance::Loa4))
        .await
        .unwrap();
    assert!(start.pushed);
    let mut names: Vec<String> = start
        .url
        .query_pairs()
        .map(|(name, _)| name.into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["client_id", "request_uri"]);
    let login = upstream
        .finish(&fake.browse(&start.url).await, &start.state)
        .await
        .unwrap();
    assert_eq!(login.level, LevelOfAssurance::Loa4);
    fake.with_record(|record| {
        let pushed = record.par.first().unwrap();
        assert_eq!(pushed["acr_values"], "urn:fake:loa4");
        assert_eq!(pushed["code_challenge_method"], "S256");
        assert!(pushed.contains_key("nonce"));
    });
}

#[tokio::test]
async fn par_never_is_not_used_and_refused_when_the_upstream_requires_it() {
    let fake = Fake::start(FakeOptions {
        par: true,
        ..FakeOptions::default()
    })
    .await;
    let mut config = fake.config();
    config.par = ParMode::Never;
    let start = fake
        .upstream_with(config.clone())
        .begin(&at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap();
    assert!(!start.pushed);

    let fake = Fake::start(FakeOptions {
        par: true,
        require_par: true,
        ..FakeOptions::default()
    })
    .await;
    let mut config = fake.config();
    config.par = ParMode::Never;
    let error = fake
        .upstream_with(config)
        .begin(&at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        UpstreamError::Metadata(MetadataProblem::ParRequired)
    ));
}

#[tokio::test]
async fn par_always_needs_a_par_endpoint() {
    let fake = Fake::start(FakeOptions::default()).await;
    let mut config = fake.config();
    config.par = ParMode::Always;
    let error = fake
        .upstream_with(config)
        .begin(&at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        UpstreamError::Metadata(MetadataProblem::NoParEndpoint)
    ));
}

// End-session.

#[tokio::test]
async fn end_session_url_carries_the_id_token_hint() {
    let fake = Fake::start(FakeOptions {
        end_session: true,
        ..FakeOptions::default()
    })
    .await;
    let mut config = fake.config();
    config.end_session = true;
    let upstream = fake.upstream_with(config);
    let login = login(&fake, &upstream, &at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap();
    let back = url::Url::parse("https://broker.example/logged-out").unwrap();
    let url = upstream
        .end_session_url(&login.id_token, Some(&back), Some("s-1"))
        .await
        .unwrap();
    assert_eq!(url.path(), "/logout");
    let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(query["id_token_hint"], login.id_token);
    assert_eq!(query["client_id"], CLIENT_ID);
    assert_eq!(query["post_logout_redirect_uri"], back.as_str());
    assert_eq!(query["state"], "s-1");

    // Not configured: unavailable even though the upstream has the endpoint.
    let error = fake
        .upstream()
        .end_session_url(&login.id_token, None, None)
        .await
        .unwrap_err();
    assert!(matches!(error, UpstreamError::EndSessionUnavailable));
}

// Nothing secret or personal in Debug or error text.

#[tokio::test]
async fn debug_and_error_text_show_no_token_code_secret_or_personal_number() {
    let fake = Fake::start(FakeOptions::default()).await;
    let upstream = fake.upstream();
    let start = upstream
        .begin(&at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap();
    let callback = fake.browse(&start.url).await;
    let code = callback.code.clone().unwrap();
    let login = upstream.finish(&callback, &start.state).await.unwrap();
    let texts = [
        format!("{:?}", start.state),
        format!("{callback:?}"),
        format!("{login:?}"),
        format!("{upstream:?}"),
        format!("{:?}", fake.config()),
    ];
    let state_json = serde_json::to_value(&start.state).unwrap();
    let secrets = [
        PNR,
        CLIENT_SECRET,
        code.as_str(),
        login.id_token.as_str(),
        login.subject.as_str(),
        state_json["nonce"].as_str().unwrap(),
        state_json["pkce_verifier"].as_str().unwrap(),
        state_json["state"].as_str().unwrap(),
    ];
    for text in &texts {
        for secret in secrets {
            assert!(!text.contains(secret), "{text} shows a secret");
        }
    }
    for fault in [
        Fault::InvalidIss,
        Fault::UserInfoInvalidSub,
        Fault::Acr(LOA2),
    ] {
        let error = rejected_with(fault).await;
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains(PNR) && !text.contains(SUBJECT), "{text}");
        }
    }
}

// Exact matching: a higher login covers a lower request (SC-RULES §1.2.3), a lower one does not.

#[tokio::test]
async fn a_higher_level_covers_an_exact_request_and_a_lower_one_does_not() {
    let exact_loa3 =
        Ask::new(Requirement::new(vec![LevelOfAssurance::Loa3], Matching::Exact).unwrap());
    let fake = Fake::start(FakeOptions {
        fault: Fault::Acr(LOA4),
        ..FakeOptions::default()
    })
    .await;
    let upstream = fake.upstream();
    let covered = login(&fake, &upstream, &exact_loa3).await.unwrap();
    assert_eq!(covered.level, LevelOfAssurance::Loa4);
    assert_eq!(
        exact_loa3.requirement.answer_for(covered.level),
        Some(LevelOfAssurance::Loa3)
    );

    fake.set_fault(Fault::Acr(LOA2));
    let error = login(&fake, &upstream, &exact_loa3).await.unwrap_err();
    assert!(matches!(
        error,
        UpstreamError::AcrNotSatisfied {
            asserted: LevelOfAssurance::Loa2
        }
    ));
}

#[tokio::test]
async fn a_personal_number_at_a_nonresident_level_is_refused_by_identity() {
    const NONRESIDENT: &str = "http://id.swedenconnect.se/loa/1.0/loa3-nonresident";
    let fake = Fake::start(FakeOptions {
        fault: Fault::Acr(NONRESIDENT),
        ..FakeOptions::default()
    })
    .await;
    let mut config = fake.config();
    config.acr = AcrMapping::new(vec![AcrEntry::new(
        LevelOfAssurance::Loa3NonResident,
        NONRESIDENT,
    )])
    .unwrap();
    let nonresident = login(
        &fake,
        &fake.upstream_with(config),
        &at_least(LevelOfAssurance::Loa3NonResident),
    )
    .await
    .unwrap();
    assert_eq!(nonresident.level, LevelOfAssurance::Loa3NonResident);
    let error = nonresident
        .identity(super::upstream_fake::START.date())
        .unwrap_err();
    assert!(matches!(
        error,
        eid_core::claims::ClaimsError::PersonalIdentityNumberNotPermitted { .. }
    ));
}

// Configuration.

fn config_json() -> serde_json::Value {
    serde_json::json!({
        "id": "bankid",
        "display_name": { "sv": "BankID", "en": "BankID" },
        "issuer": "https://bankid-oidc.example",
        "client_id": "broker",
        "redirect_uri": "https://broker.example/upstream/bankid/callback",
        "client_auth": { "method": "client_secret_basic", "secret": "s3cret-value" },
        "acr": [
            { "level": "http://id.elegnamnden.se/loa/1.0/loa3", "request": "urn:bankid:bis",
              "answers": ["urn:bankid:bis;LOA=3"] },
            { "level": "http://id.elegnamnden.se/loa/1.0/loa4", "request": "urn:bankid:bid" }
        ]
    })
}

#[test]
fn a_configuration_reads_with_safe_defaults_and_hides_its_secret() {
    let config: UpstreamConfig = serde_json::from_value(config_json()).unwrap();
    config.validate().unwrap();
    assert_eq!(
        config.id_token_algorithms,
        [JwsAlgorithm::Es256, JwsAlgorithm::Rs256]
    );
    assert_eq!(config.par, ParMode::Auto);
    assert!(config.userinfo);
    assert!(!config.end_session);
    assert_eq!(config.timeouts.connect(), Duration::from_secs(2));
    assert_eq!(config.timeouts.request(), Duration::from_secs(10));
    assert_eq!(config.all_scopes(), ["openid"]);
    assert_eq!(
        config.acr.level_of("urn:bankid:bis;LOA=3"),
        Some(LevelOfAssurance::Loa3)
    );
    assert_eq!(config.acr.level_of("urn:bankid:bis"), None);
    assert_eq!(
        config.acr.level_of("urn:bankid:bid"),
        Some(LevelOfAssurance::Loa4)
    );
    assert!(!format!("{config:?}").contains("s3cret-value"));
}

#[test]
fn none_and_hmac_cannot_be_allowed_for_id_tokens() {
    for algorithm in ["none", "HS256", "HS512", "bogus"] {
        let mut json = config_json();
        json["id_token_algorithms"] = serde_json::json!([algorithm]);
        assert!(
            serde_json::from_value::<UpstreamConfig>(json).is_err(),
            "{algorithm}"
        );
    }
}

#[test]
fn a_configuration_with_unknown_keys_or_bad_values_is_refused() {
    let mut json = config_json();
    json["acr_values"] = serde_json::json!("forwarded");
    assert!(serde_json::from_value::<UpstreamConfig>(json).is_err());

    let cases: [(&str, serde_json::Value, &str); 6] = [
        (
            "issuer",
            serde_json::json!("http://bankid-oidc.example"),
            "issuer",
        ),
        (
            "issuer",
            serde_json::json!("https://idp.example/?x=1"),
            "issuer",
        ),
        (
            "redirect_uri",
            serde_json::json!("http://broker.example/cb"),
            "redirect_uri",
        ),
        ("id", serde_json::json!("Bank ID"), "id"),
        (
            "id_token_algorithms",
            serde_json::json!([]),
            "id_token_algorithms",
        ),
        ("scopes", serde_json::json!(["openid profile"]), "scopes"),
    ];
    for (key, value, named) in cases {
        let mut json = config_json();
        json[key] = value;
        let config: UpstreamConfig = serde_json::from_value(json).unwrap();
        let error = config.validate().unwrap_err();
        assert!(
            matches!(error, UpstreamConfigError::Invalid { key, .. } if key == named),
            "{error}"
        );
    }
    // http is allowed on loopback (tests, the demo).
    let mut json = config_json();
    json["issuer"] = serde_json::json!("http://127.0.0.1:8080");
    let config: UpstreamConfig = serde_json::from_value(json).unwrap();
    config.validate().unwrap();
}

#[test]
fn an_acr_mapping_is_one_to_one() {
    let empty = AcrMapping::new(Vec::new()).unwrap_err();
    assert!(matches!(
        empty,
        UpstreamConfigError::Invalid { key: "acr", .. }
    ));
    let twice = AcrMapping::new(vec![
        AcrEntry::new(LevelOfAssurance::Loa3, "a"),
        AcrEntry::new(LevelOfAssurance::Loa3, "b"),
    ]);
    assert!(twice.is_err());
    let shared_answer = AcrMapping::new(vec![
        AcrEntry::new(LevelOfAssurance::Loa3, "a").answered_by(["x"]),
        AcrEntry::new(LevelOfAssurance::Loa4, "b").answered_by(["x"]),
    ]);
    assert!(shared_answer.is_err());
    let answer_is_other_request = AcrMapping::new(vec![
        AcrEntry::new(LevelOfAssurance::Loa3, "a"),
        AcrEntry::new(LevelOfAssurance::Loa4, "b").answered_by(["a"]),
    ]);
    assert!(answer_is_other_request.is_err());
    let spaces = AcrMapping::new(vec![AcrEntry::new(LevelOfAssurance::Loa3, "a b")]);
    assert!(spaces.is_err());
}

#[tokio::test]
async fn an_oversized_discovery_document_is_refused() {
    let fake = Fake::start(FakeOptions {
        discovery_padding: 300 * 1024,
        ..FakeOptions::default()
    })
    .await;
    let error = fake
        .upstream()
        .begin(&at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        UpstreamError::Http {
            endpoint: Endpoint::Discovery,
            failure: HttpFailure::TooLarge { .. }
        }
    ));
    assert_eq!(error.oauth_error_code(), OAuthErrorCode::ServerError);
}

#[tokio::test]
async fn concurrent_logins_with_an_unknown_kid_fetch_the_keys_once() {
    let fake = Fake::start(FakeOptions {
        keys: vec![TestKey::es256(), TestKey::es256()],
        published: 1,
        ..FakeOptions::default()
    })
    .await;
    let upstream = fake.upstream();
    upstream.discover().await.unwrap();
    fake.publish(2);
    fake.set_fault(Fault::SignWith(1));
    fake.clock.advance(Duration::from_secs(61));
    let ask = at_least(LevelOfAssurance::Loa3);
    let (a, b, c) = tokio::join!(
        login(&fake, &upstream, &ask),
        login(&fake, &upstream, &ask),
        login(&fake, &upstream, &ask),
    );
    for result in [a, b, c] {
        assert_eq!(result.unwrap().subject, SUBJECT);
    }
    fake.with_record(|record| assert_eq!(record.jwks_fetches, 2));
}

/// The broker's axum handlers run these futures on a multi-threaded runtime.
#[tokio::test]
async fn the_connector_and_its_futures_can_move_between_threads() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    let fake = Fake::start(FakeOptions::default()).await;
    let upstream = Arc::new(fake.upstream());
    send_sync(&upstream);
    let ask = at_least(LevelOfAssurance::Loa3);
    let begin = upstream.begin(&ask);
    send(&begin);
    let start = begin.await.unwrap();
    let callback = fake.browse(&start.url).await;
    send(&upstream.finish(&callback, &start.state));
    let handle = {
        let upstream = Arc::clone(&upstream);
        tokio::spawn(async move { upstream.finish(&callback, &start.state).await })
    };
    assert_eq!(handle.await.unwrap().unwrap().subject, SUBJECT);
}

#[tokio::test]
async fn a_failed_refresh_keeps_the_stale_metadata_and_waits_before_trying_again() {
    let fake = Fake::start(FakeOptions::default()).await;
    let upstream = fake.upstream();
    upstream.discover().await.unwrap();
    fake.set_discovery_failing(true);
    fake.clock.advance(Duration::from_secs(3_600));
    // The refresh fails; logins go on with what was fetched before.
    login(&fake, &upstream, &at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap();
    upstream.discover().await.unwrap();
    fake.with_record(|record| assert_eq!(record.discovery_fetches, 2));
    // A minute later it is tried again, and works again.
    fake.set_discovery_failing(false);
    fake.clock.advance(Duration::from_secs(61));
    upstream.discover().await.unwrap();
    upstream.discover().await.unwrap();
    fake.with_record(|record| assert_eq!(record.discovery_fetches, 3));
}

#[tokio::test]
async fn a_failing_discovery_without_a_cached_copy_fails_the_login() {
    let fake = Fake::start(FakeOptions::default()).await;
    fake.set_discovery_failing(true);
    let error = fake
        .upstream()
        .begin(&at_least(LevelOfAssurance::Loa3))
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        UpstreamError::Http {
            endpoint: Endpoint::Discovery,
            failure: HttpFailure::Status { status: 500 }
        }
    ));
    assert_eq!(error.oauth_error_code(), OAuthErrorCode::ServerError);
}
