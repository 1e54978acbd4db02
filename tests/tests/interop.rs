//! Interop: `openid-client` (an OpenID-certified relying party library, from the npm registry,
//! pinned by `tests/interop/package-lock.json`) logs in at the mock IdP as an e-service.
//!
//! For each profile a mock runs in process on 127.0.0.1 with three clients registered:
//! `private_key_jwt` (a fresh ES256 key; the script gets the private key, the mock its public
//! JWK), `client_secret_basic` and `client_secret_post` (a fresh secret). The Node.js script
//! `tests/interop/rp.mjs` then runs, as a child process with a time limit, discovery, the
//! authorization code flow with PKCE S256, state and nonce, the login form, openid-client's
//! `authorizationCodeGrant`, ID token claim checks, `fetchUserInfo`, single sign-on with
//! `prompt=none`, `refreshTokenGrant`, `buildEndSessionUrl` followed to the
//! post-logout redirect URI and a `login_required` after it; it prints a JSON summary which these
//! tests check step by step, with the profile's `acr` and `amr` and the person's `sub`.
//!
//! The npm packages are installed from the lockfile (`npm ci`) when `node_modules` is missing or
//! older than the lockfile. Without Node.js or npm these tests fail with a message saying what
//! to install: a missing peer is never a skip.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod interop_common;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::jose::{Jwks, JwsAlgorithm, SigningKey};
use eid_idp_mock::keys::KeySet;
use eid_idp_mock::profile::Profile;
use eid_idp_mock::scenario::Scenario;
use eid_idp_mock::{MockConfig, MockIdp};
use eid_provider::client::{Client, ClientAuthMethod, GrantType};
use eid_provider::secret::ClientSecret;
use interop_common::{peers_ready, pem, run_rp};
use ring::rand::{SecureRandom, SystemRandom};
use serde_json::{Value, json};

const REDIRECT_URI: &str = "http://127.0.0.1/interop/callback";
const POST_LOGOUT_REDIRECT_URI: &str = "http://127.0.0.1/interop/logged-out";
/// The steps of one run, in order: the script must report each of them, passed.
const STEPS: [&str; 11] = [
    "discovery",
    "authorization_request",
    "login_page",
    "login",
    "authorization_code_grant",
    "id_token_claims",
    "userinfo",
    "single_sign_on",
    "refresh_token_grant",
    "end_session",
    "session_ended",
];

/// One profile's case: who logs in, with which scopes, and a claim the profile must deliver.
struct Case {
    profile: Profile,
    person: &'static str,
    scope: &'static str,
    userinfo_claim: &'static str,
}

/// The clients the script uses, registered at the mock; and their settings for the script.
fn clients() -> (Vec<Client>, Vec<Value>) {
    let rng = SystemRandom::new();
    let der = SigningKey::generate_pkcs8_der(JwsAlgorithm::Es256).unwrap();
    let key = SigningKey::from_pkcs8_der(&der, JwsAlgorithm::Es256).unwrap();
    let pem = pem(&der);
    let mut secret_bytes = [0_u8; 32];
    rng.fill(&mut secret_bytes).unwrap();
    let secret = URL_SAFE_NO_PAD.encode(secret_bytes);

    let register = |id: &str, method: ClientAuthMethod| {
        let mut builder = Client::builder(id.parse().unwrap(), method)
            .id_token_signed_response_alg(JwsAlgorithm::Es256)
            .redirect_uri(REDIRECT_URI.parse().unwrap())
            .post_logout_redirect_uri(POST_LOGOUT_REDIRECT_URI.parse().unwrap())
            .grant_type(GrantType::AuthorizationCode)
            .grant_type(GrantType::RefreshToken);
        for scope in eid_core::claims::Scope::ALL {
            builder = builder.scope(scope.as_str());
        }
        match method {
            ClientAuthMethod::PrivateKeyJwt => {
                builder.jwks(Jwks::new(vec![key.public_jwk()]).unwrap())
            }
            _ => builder.secret(&ClientSecret::from_presented(&secret).unwrap()),
        }
        .build()
        .unwrap()
    };
    let registered = vec![
        register("interop-private-key-jwt", ClientAuthMethod::PrivateKeyJwt),
        register("interop-secret-basic", ClientAuthMethod::ClientSecretBasic),
        register("interop-secret-post", ClientAuthMethod::ClientSecretPost),
    ];
    let common = |id: &str, method: &str| {
        json!({
            "client_id": id,
            "token_endpoint_auth_method": method,
            "redirect_uri": REDIRECT_URI,
            "post_logout_redirect_uri": POST_LOGOUT_REDIRECT_URI,
        })
    };
    let mut pkjwt = common("interop-private-key-jwt", "private_key_jwt");
    pkjwt["private_key_pem"] = json!(pem);
    pkjwt["kid"] = json!(key.kid());
    let mut basic = common("interop-secret-basic", "client_secret_basic");
    basic["client_secret"] = json!(secret);
    let mut post = common("interop-secret-post", "client_secret_post");
    post["client_secret"] = json!(secret);
    (registered, vec![pkjwt, basic, post])
}

async fn interop(case: Case) {
    let locked_version = &peers_ready().openid_client;
    let (registered, settings) = clients();
    let mut config = MockConfig::default().with_profile(case.profile);
    for client in registered {
        config = config.with_client(client);
    }
    let mock = MockIdp::start(config).await.unwrap();
    let sub = mock.app().subject_of(case.person).unwrap();
    let acr = case.profile.acr().as_uri();
    let amr = case.profile.amr();

    let (success, summary) = run_rp(&json!({
        "issuer": mock.issuer().as_str(),
        "person": case.person,
        "scope": case.scope,
        "expected_acr": acr,
        "expected_amr": amr,
        "expected_sub": sub,
        "clients": settings,
    }))
    .await;
    let pretty = serde_json::to_string_pretty(&summary).unwrap();
    assert!(success, "rp.mjs failed:\n{pretty}");
    assert_eq!(summary["ok"], json!(true), "{pretty}");
    assert_eq!(summary["issuer"], json!(mock.issuer().as_str()));
    assert_eq!(
        summary["peer"]["openid-client"],
        json!(locked_version),
        "node_modules is not what the lockfile pins: run `npm ci` in tests/interop"
    );

    let runs = summary["runs"].as_array().unwrap();
    let methods: Vec<&str> = runs
        .iter()
        .map(|r| r["auth_method"].as_str().unwrap())
        .collect();
    assert_eq!(
        methods,
        [
            "private_key_jwt",
            "client_secret_basic",
            "client_secret_post"
        ]
    );
    for run in runs {
        let steps: Vec<(&str, bool)> = run["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["step"].as_str().unwrap(), s["ok"] == json!(true)))
            .collect();
        let expected: Vec<(&str, bool)> = STEPS.iter().map(|s| (*s, true)).collect();
        assert_eq!(steps, expected, "{pretty}");
        assert_eq!(run["id_token"]["sub"], json!(sub), "{pretty}");
        assert_eq!(run["id_token"]["acr"], json!(acr), "{pretty}");
        assert_eq!(run["id_token"]["amr"], json!(amr), "{pretty}");
        assert_eq!(run["userinfo"]["sub"], json!(sub), "{pretty}");
        let userinfo_claims = run["userinfo"]["claims"].as_array().unwrap();
        assert!(
            userinfo_claims.contains(&json!(case.userinfo_claim)),
            "UserInfo lacks {}:\n{pretty}",
            case.userinfo_claim
        );
    }
    mock.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openid_client_logs_in_at_the_bank_id_like_mock() {
    interop(Case {
        profile: Profile::BankIdLike,
        person: "astrid",
        scope: "openid profile https://id.oidc.se/scope/naturalPersonNumber",
        userinfo_claim: "https://id.oidc.se/claim/personalIdentityNumber",
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openid_client_logs_in_at_the_state_id_card_mock() {
    interop(Case {
        profile: Profile::StateIdCard,
        person: "astrid",
        scope: "openid profile https://id.oidc.se/scope/naturalPersonNumber",
        userinfo_claim: "https://id.oidc.se/claim/personalIdentityNumber",
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openid_client_logs_in_at_the_workplace_mock() {
    interop(Case {
        profile: Profile::Workplace,
        person: "eva",
        scope: "openid profile https://id.oidc.se/scope/naturalPersonOrgId",
        userinfo_claim: "https://id.oidc.se/claim/orgAffiliation",
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openid_client_logs_in_at_the_eidas_node_mock() {
    interop(Case {
        profile: Profile::EidasNode,
        person: "giulia",
        scope: "openid profile https://id.swedenconnect.se/scope/eidasNaturalPersonIdentity",
        userinfo_claim: "https://id.swedenconnect.se/claim/prid",
    })
    .await;
}

/// A provider that misbehaves on purpose (a mock scenario, or a client that presents the wrong
/// credentials) and where openid-client must refuse it.
struct Refusal {
    what: &'static str,
    scenario: Option<Scenario>,
    /// The step the script must stop at.
    step: &'static str,
    /// The openid-client error code (empty: the script's own check, which has none).
    code: &'static str,
    /// A piece of the failed step's report that names the reason.
    reason: &'static str,
}

/// openid-client refuses every faulty answer the mock's scenarios produce, at the step where a
/// relying party must and for the reason the scenario plants: the ID token's `iss`, `sub`,
/// `aud`, `iat`, `alg`, signature, `nonce`, `exp` and a missing `kid` among several keys at the
/// code grant, the RFC 9207 `iss` of the authorization response, error responses, a UserInfo
/// `sub` that is not the ID token's. A lowered `acr` passes openid-client (it leaves `acr` to the
/// application: the token is validly signed) and is caught by the script's own claim check. The
/// token endpoint refuses a wrong secret and a wrong private key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openid_client_refuses_every_faulty_answer_of_the_mock() {
    let locked_version = &peers_ready().openid_client;
    let (registered, settings) = clients();
    let mut config = MockConfig::default();
    for client in registered {
        config = config.with_client(client);
    }
    let mock = MockIdp::start(config).await.unwrap();
    let grant = "authorization_code_grant";
    let claim = "OAUTH_JWT_CLAIM_COMPARISON_FAILED";
    let invalid = "OAUTH_INVALID_RESPONSE";
    let error_response = "OAUTH_AUTHORIZATION_RESPONSE_ERROR";
    let cases = [
        ("invalid_issuer", Some(Scenario::InvalidIssuer), grant, claim, r#"\"iss\" (issuer) claim"#),
        ("missing_subject", Some(Scenario::MissingSubject), grant, invalid, r#"\"sub\" (subject) claim missing"#),
        ("invalid_audience", Some(Scenario::InvalidAudience), grant, claim, r#"\"aud\" (audience) claim"#),
        ("missing_issued_at", Some(Scenario::MissingIssuedAt), grant, invalid, r#"\"iat\" (issued at) claim missing"#),
        ("alg_none", Some(Scenario::AlgNone), grant, invalid, r#"\"alg\" header parameter"#),
        ("invalid_signature", Some(Scenario::InvalidSignature), grant, invalid, "signature verification failed"),
        ("invalid_nonce", Some(Scenario::InvalidNonce), grant, claim, r#"\"nonce\" claim"#),
        ("expired", Some(Scenario::Expired), grant, "OAUTH_JWT_TIMESTAMP_CHECK_FAILED", r#"\"exp\" (expiration time)"#),
        ("kid_absent_two_keys", Some(Scenario::KidAbsent), grant, "OAUTH_KEY_SELECTION_FAILED", r#"\"kid\" JWT Header Parameter is required"#),
        ("wrong_issuer_in_response", Some(Scenario::WrongIssuerInResponse), grant, invalid, r#"\"iss\" (issuer) response parameter value"#),
        ("missing_issuer_in_response", Some(Scenario::MissingIssuerInResponse), grant, invalid, r#"\"iss\" (issuer) missing"#),
        ("cancel", Some(Scenario::Cancel), grant, error_response, r#""oauth_error":"access_denied""#),
        ("server_error", Some(Scenario::ServerError), grant, error_response, r#""oauth_error":"server_error""#),
        ("temporarily_unavailable", Some(Scenario::TemporarilyUnavailable), grant, error_response, r#""oauth_error":"temporarily_unavailable""#),
        ("userinfo_subject_mismatch", Some(Scenario::UserInfoSubjectMismatch), "userinfo", "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED", r#"\"sub\" property"#),
        ("acr_lowered", Some(Scenario::AcrLowered), "id_token_claims", "", "acr http://id.elegnamnden.se/loa/1.0/loa2, expected http://id.elegnamnden.se/loa/1.0/loa3"),
        ("wrong_client_secret", None, grant, "OAUTH_WWW_AUTHENTICATE_CHALLENGE", r#""status":401"#),
        ("wrong_private_key", None, grant, "OAUTH_RESPONSE_BODY_ERROR", r#""oauth_error":"invalid_client""#),
    ]
    .map(|(what, scenario, step, code, reason)| Refusal {
        what,
        scenario,
        step,
        code,
        reason,
    });

    let mut runs = Vec::new();
    for case in &cases {
        // Each run logs in once, in a fresh browser: it takes the next queued scenario.
        if let Some(scenario) = &case.scenario {
            mock.enqueue_scenario(scenario.clone());
        }
        let mut run = match case.what {
            "wrong_private_key" => {
                let mut pkjwt = settings[0].clone();
                let other = SigningKey::generate_pkcs8_der(JwsAlgorithm::Es256).unwrap();
                pkjwt["private_key_pem"] = json!(pem(&other));
                pkjwt
            }
            "wrong_client_secret" => {
                let mut basic = settings[1].clone();
                basic["client_secret"] = json!("not-the-registered-secret");
                basic
            }
            _ => settings[1].clone(),
        };
        run["expect_refusal"] = json!(case.step);
        runs.push(run);
    }
    let (success, summary) = run_rp(&json!({
        "issuer": mock.issuer().as_str(),
        "person": "astrid",
        "scope": "openid profile",
        "expected_acr": Profile::BankIdLike.acr().as_uri(),
        "clients": runs,
    }))
    .await;
    let pretty = serde_json::to_string_pretty(&summary).unwrap();
    assert!(success, "rp.mjs failed:\n{pretty}");
    assert_eq!(summary["peer"]["openid-client"], json!(locked_version));
    assert_eq!(mock.app().queued_scenarios(), 0, "a scenario was not taken");
    let runs = summary["runs"].as_array().unwrap();
    assert_eq!(runs.len(), cases.len());
    for (case, run) in cases.iter().zip(runs) {
        let what = case.what;
        assert_eq!(run["ok"], json!(true), "{what}:\n{pretty}");
        assert_eq!(run["refused_at"], json!(case.step), "{what}:\n{pretty}");
        let failed = run["steps"].as_array().unwrap().last().unwrap();
        assert_eq!(failed["ok"], json!(false), "{what}");
        if case.code.is_empty() {
            assert_eq!(failed["code"], Value::Null, "{what}");
        } else {
            assert_eq!(failed["code"], json!(case.code), "{what}: {failed}");
        }
        let report = failed.to_string();
        assert!(report.contains(case.reason), "{what}: {report}");
    }
    mock.stop().await;
}

/// With one key in the JWKS, an ID token without `kid` is fine (the conformance RP test
/// `-kid-absent-single-jwks`): openid-client picks the only key and the whole flow passes,
/// refresh and logout included (the logout's `id_token_hint` has no `kid` either).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openid_client_accepts_a_token_without_kid_when_the_jwks_has_one_key() {
    peers_ready();
    let (registered, settings) = clients();
    let mut config = MockConfig::default().with_key_set(KeySet::Single);
    for client in registered {
        config = config.with_client(client);
    }
    let mock = MockIdp::start(config).await.unwrap();
    let sub = mock.app().subject_of("astrid").unwrap();
    mock.enqueue_scenario(Scenario::KidAbsent);
    let (success, summary) = run_rp(&json!({
        "issuer": mock.issuer().as_str(),
        "person": "astrid",
        "scope": "openid",
        "expected_sub": sub,
        "clients": [settings[0]],
    }))
    .await;
    let pretty = serde_json::to_string_pretty(&summary).unwrap();
    assert!(success, "rp.mjs failed:\n{pretty}");
    assert_eq!(
        mock.app().queued_scenarios(),
        0,
        "the scenario was not taken"
    );
    let steps: Vec<&str> = summary["runs"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["ok"] == json!(true))
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, STEPS, "{pretty}");
    mock.stop().await;
}
