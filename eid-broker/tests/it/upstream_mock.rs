//! The upstream connector against eid-idp-mock over HTTP on 127.0.0.1: a login through each
//! profile, each client authentication of the built-in test clients, and every scripted fault
//! of the mock rejected with its reason and the error the e-service gets.

use std::collections::HashMap;
use std::sync::Arc;

use eid_broker::upstream::{
    AcrEntry, AcrMapping, Ask, CallbackParams, ClientAuthConfig, ClientCredentials, ClientSecret,
    ParMode, Upstream, UpstreamConfig, UpstreamError, UpstreamLogin,
};
use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
use eid_core::clock::{Clock, ManualClock, UnixTime};
use eid_core::jose::{JwsAlgorithm, SigningKey};
use eid_core::verify::IdTokenError;
use eid_idp_mock::config::{TEST_CLIENT_KEY_PEM, TEST_CLIENT_SECRET, TEST_REDIRECT_URIS};
use eid_idp_mock::keys::KeySet;
use eid_idp_mock::profile::Profile;
use eid_idp_mock::scenario::Scenario;
use eid_idp_mock::{MockConfig, MockIdp};
use eid_provider::OAuthErrorCode;
use reqwest::StatusCode;
use reqwest::header;
use url::Url;

const NOW: UnixTime = UnixTime::from_secs(1_764_000_000);
const PNR_SCOPE: &str = "https://id.oidc.se/scope/naturalPersonNumber";
const PNR_CLAIM: &str = "https://id.oidc.se/claim/personalIdentityNumber";

struct Setup {
    mock: MockIdp,
    clock: Arc<ManualClock>,
}

async fn mock(profile: Profile, key_set: KeySet) -> Setup {
    let clock = Arc::new(ManualClock::new(NOW));
    let mut config = MockConfig::default().with_profile(profile);
    config.key_set = key_set;
    config.clock = Some(Arc::clone(&clock) as Arc<dyn Clock>);
    let mock = MockIdp::start(config).await.unwrap();
    Setup { mock, clock }
}

/// Every level the mock's profiles assert, each asked for with its own URI.
fn acr_mapping() -> AcrMapping {
    AcrMapping::new(
        [
            LevelOfAssurance::Loa2,
            LevelOfAssurance::Loa3,
            LevelOfAssurance::Loa4,
            LevelOfAssurance::Loa3NonResident,
            LevelOfAssurance::SwedenEidasNotifiedSubstantial,
        ]
        .into_iter()
        .map(|level| AcrEntry::new(level, level.as_uri()))
        .collect(),
    )
    .unwrap()
}

impl Setup {
    fn config(&self, client_id: &str, client_auth: ClientAuthConfig) -> UpstreamConfig {
        let mut config = UpstreamConfig::new(
            "mock",
            self.mock.issuer().as_str(),
            client_id,
            Url::parse(TEST_REDIRECT_URIS[0]).unwrap(),
            client_auth,
            acr_mapping(),
        );
        config.scopes = vec!["profile".into(), PNR_SCOPE.into()];
        config
    }

    fn upstream_with(&self, config: UpstreamConfig, credentials: ClientCredentials) -> Upstream {
        Upstream::with_credentials(
            config,
            credentials,
            Arc::clone(&self.clock) as Arc<dyn Clock>,
        )
        .unwrap()
    }

    /// The built-in `client_secret_basic` client.
    fn upstream(&self) -> Upstream {
        let secret = ClientSecret::new(TEST_CLIENT_SECRET);
        let config = self.config(
            "mock-client-secret-basic",
            ClientAuthConfig::ClientSecretBasic {
                secret: secret.clone(),
            },
        );
        self.upstream_with(config, ClientCredentials::ClientSecretBasic(secret))
    }

    /// The person's browser: the authorization URL, the login form, the callback.
    async fn browse(&self, url: &Url, person: &str) -> CallbackParams {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .unwrap();
        let answer = client.get(url.as_str()).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        let cookie = answer
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|value| {
                value
                    .to_str()
                    .unwrap()
                    .split(';')
                    .next()
                    .unwrap()
                    .to_owned()
            })
            .collect::<Vec<_>>()
            .join("; ");
        let location = url
            .join(answer.headers()[header::LOCATION].to_str().unwrap())
            .unwrap();
        let transaction = location
            .query_pairs()
            .find(|(name, _)| name == "transaction")
            .map(|(_, value)| value.into_owned());
        let Some(transaction) = transaction else {
            // The mock answered the authorization request itself (an error redirect).
            return callback(&location);
        };
        let answer = client
            .post(location.join("/login").unwrap())
            .header(header::COOKIE, cookie)
            .form(&[("transaction", transaction.as_str()), ("person", person)])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        let location = Url::parse(answer.headers()[header::LOCATION].to_str().unwrap()).unwrap();
        assert!(location.as_str().starts_with(TEST_REDIRECT_URIS[0]));
        callback(&location)
    }

    async fn login(
        &self,
        upstream: &Upstream,
        person: &str,
        level: LevelOfAssurance,
    ) -> Result<UpstreamLogin, UpstreamError> {
        let ask = Ask::new(Requirement::new(vec![level], Matching::Minimum).unwrap());
        let start = upstream.begin(&ask).await?;
        let callback = self.browse(&start.url, person).await;
        upstream.finish(&callback, &start.state).await
    }
}

fn callback(location: &Url) -> CallbackParams {
    let pairs: HashMap<String, String> = location.query_pairs().into_owned().collect();
    let mut params = CallbackParams::default();
    params.code = pairs.get("code").cloned();
    params.state = pairs.get("state").cloned();
    params.iss = pairs.get("iss").cloned();
    params.error = pairs.get("error").cloned();
    params
}

#[tokio::test]
async fn a_login_through_each_mock_profile() {
    let cases = [
        (Profile::BankIdLike, "astrid", LevelOfAssurance::Loa3),
        (Profile::StateIdCard, "bertil", LevelOfAssurance::Loa4),
        (Profile::Workplace, "eva", LevelOfAssurance::Loa3),
        (
            Profile::EidasNode,
            "giulia",
            LevelOfAssurance::SwedenEidasNotifiedSubstantial,
        ),
    ];
    for (profile, person, level) in cases {
        let setup = mock(profile, KeySet::Rotating).await;
        let upstream = setup.upstream();
        let login = setup.login(&upstream, person, level).await.unwrap();
        assert_eq!(login.level, level, "{profile:?}");
        assert_eq!(
            Some(login.subject.clone()),
            setup.mock.app().subject_of(person),
            "{profile:?}"
        );
        assert!(!login.amr.is_empty(), "{profile:?}");
        login.identity(NOW.date()).unwrap();
    }
}

#[tokio::test]
async fn the_bank_id_like_login_delivers_the_personal_number_and_names() {
    let setup = mock(Profile::BankIdLike, KeySet::Rotating).await;
    let login = setup
        .login(&setup.upstream(), "astrid", LevelOfAssurance::Loa3)
        .await
        .unwrap();
    assert!(login.claims[PNR_CLAIM].is_string());
    assert!(login.claims["given_name"].is_string());
    assert_eq!(login.amr, ["BankID"]);
}

#[tokio::test]
async fn a_level_higher_than_the_mock_asserts_is_unmet() {
    let setup = mock(Profile::BankIdLike, KeySet::Rotating).await;
    let error = setup
        .login(&setup.upstream(), "astrid", LevelOfAssurance::Loa4)
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        UpstreamError::AcrNotSatisfied {
            asserted: LevelOfAssurance::Loa3
        }
    ));
    assert_eq!(
        error.oauth_error_code(),
        OAuthErrorCode::UnmetAuthenticationRequirements
    );
}

#[tokio::test]
async fn each_client_authentication_of_the_mock_test_clients() {
    let setup = mock(Profile::BankIdLike, KeySet::Rotating).await;
    let secret = ClientSecret::new(TEST_CLIENT_SECRET);
    let post = setup.upstream_with(
        setup.config(
            "mock-client-secret-post",
            ClientAuthConfig::ClientSecretPost {
                secret: secret.clone(),
            },
        ),
        ClientCredentials::ClientSecretPost(secret),
    );
    setup
        .login(&post, "astrid", LevelOfAssurance::Loa3)
        .await
        .unwrap();

    let key =
        SigningKey::from_pkcs8_pem(TEST_CLIENT_KEY_PEM.as_bytes(), JwsAlgorithm::Es256).unwrap();
    let jwt = setup.upstream_with(
        setup.config(
            "mock-private-key-jwt",
            ClientAuthConfig::PrivateKeyJwt {
                key_file: "unused.p8".into(),
                algorithm: JwsAlgorithm::Es256,
            },
        ),
        ClientCredentials::PrivateKeyJwt(Arc::new(key)),
    );
    setup
        .login(&jwt, "bertil", LevelOfAssurance::Loa3)
        .await
        .unwrap();
}

#[tokio::test]
async fn with_and_without_par() {
    let setup = mock(Profile::BankIdLike, KeySet::Rotating).await;
    for par in [ParMode::Auto, ParMode::Never] {
        let secret = ClientSecret::new(TEST_CLIENT_SECRET);
        let mut config = setup.config(
            "mock-client-secret-basic",
            ClientAuthConfig::ClientSecretBasic {
                secret: secret.clone(),
            },
        );
        config.par = par;
        let upstream = setup.upstream_with(config, ClientCredentials::ClientSecretBasic(secret));
        let ask =
            Ask::new(Requirement::new(vec![LevelOfAssurance::Loa3], Matching::Exact).unwrap());
        let start = upstream.begin(&ask).await.unwrap();
        // The mock offers PAR: used unless the configuration says never.
        assert_eq!(start.pushed, par == ParMode::Auto);
        let callback = setup.browse(&start.url, "astrid").await;
        let login = upstream.finish(&callback, &start.state).await.unwrap();
        assert_eq!(login.level, LevelOfAssurance::Loa3, "{par:?}");
    }
}

/// The next login at a fresh mock runs `scenario`; the error the connector ends with.
async fn scenario(scenario: Scenario, key_set: KeySet) -> Result<UpstreamLogin, UpstreamError> {
    let setup = mock(Profile::BankIdLike, key_set).await;
    setup.mock.enqueue_scenario(scenario);
    setup
        .login(&setup.upstream(), "astrid", LevelOfAssurance::Loa3)
        .await
}

fn id_token_reason(error: &UpstreamError) -> &'static str {
    match error {
        UpstreamError::IdToken(inner) => inner.reason(),
        other => panic!("expected an ID-token rejection, got {other:?}"),
    }
}

#[tokio::test]
async fn every_faulty_token_of_the_mock_is_rejected() {
    let cases = [
        (Scenario::InvalidIssuer, "issuer_mismatch"),
        (Scenario::MissingSubject, "missing_claim"),
        (Scenario::InvalidAudience, "audience_mismatch"),
        (Scenario::MissingIssuedAt, "missing_claim"),
        (Scenario::InvalidNonce, "nonce_mismatch"),
        (Scenario::KidAbsent, "ambiguous_key"),
        (Scenario::AlgNone, "algorithm_unsupported"),
        (Scenario::InvalidSignature, "signature_invalid"),
        (Scenario::Expired, "expired"),
    ];
    for (case, reason) in cases {
        let error = scenario(case.clone(), KeySet::Rotating).await.unwrap_err();
        assert_eq!(id_token_reason(&error), reason, "{case:?}");
        assert_eq!(error.reason(), reason, "{case:?}");
        assert_eq!(
            error.oauth_error_code(),
            OAuthErrorCode::ServerError,
            "{case:?}"
        );
    }
}

#[tokio::test]
async fn mock_kid_absent_with_a_single_key_is_accepted() {
    let login = scenario(Scenario::KidAbsent, KeySet::Single).await.unwrap();
    assert_eq!(login.level, LevelOfAssurance::Loa3);
}

#[tokio::test]
async fn mock_kid_absent_with_rotating_keys_is_ambiguous() {
    let error = scenario(Scenario::KidAbsent, KeySet::Rotating)
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        UpstreamError::IdToken(IdTokenError::AmbiguousKey)
    ));
}

#[tokio::test]
async fn mock_protocol_faults_are_rejected_with_the_right_error_for_the_e_service() {
    let cases = [
        (
            Scenario::AcrLowered,
            "acr_not_satisfied",
            OAuthErrorCode::UnmetAuthenticationRequirements,
        ),
        (Scenario::Cancel, "cancelled", OAuthErrorCode::AccessDenied),
        (
            Scenario::ServerError,
            "upstream_refused",
            OAuthErrorCode::ServerError,
        ),
        (
            Scenario::TemporarilyUnavailable,
            "upstream_refused",
            OAuthErrorCode::TemporarilyUnavailable,
        ),
        (
            Scenario::UserInfoSubjectMismatch,
            "userinfo_sub_mismatch",
            OAuthErrorCode::ServerError,
        ),
        (
            Scenario::WrongIssuerInResponse,
            "response_iss_mismatch",
            OAuthErrorCode::ServerError,
        ),
        (
            Scenario::MissingIssuerInResponse,
            "response_iss_missing",
            OAuthErrorCode::ServerError,
        ),
    ];
    for (case, reason, code) in cases {
        let error = scenario(case.clone(), KeySet::Rotating).await.unwrap_err();
        assert_eq!(error.reason(), reason, "{case:?}");
        assert_eq!(error.oauth_error_code(), code, "{case:?}");
    }
}
