//! End-to-end logins through the provider engine, as a relying party does them without a
//! browser: authorize, the login form, the token endpoint, UserInfo; and every scenario seen
//! from the relying party's side.
//!
//! **These tests need the engine**: the bodies of eid-provider's authorization, token and
//! UserInfo operations and its HTTP layer (`eid_provider::http::router`). On a main where those
//! are still stubs they fail; they pass once the engine branches are merged.
//!
//! The mock is driven in-process (`tower::ServiceExt::oneshot` on its router), with a small
//! cookie jar per simulated browser and redirects not followed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
use eid_core::clock::{FixedClock, UnixTime};
use eid_core::jose::{Jwks, JwsAlgorithm};
use eid_core::verify::{IdTokenError, IdTokenVerifier, VerifiedIdToken};
use eid_idp_mock::config::{TEST_CLIENT_SECRET, TEST_REDIRECT_URIS};
use eid_idp_mock::keys::KeySet;
use eid_idp_mock::profile::Profile;
use eid_idp_mock::scenario::Scenario;
use eid_idp_mock::scenario::rewrite::OTHER_ISSUER;
use eid_idp_mock::{MockApp, MockConfig, NextClaims};
use serde_json::{Map, Value, json};
use tower::ServiceExt as _;

/// 2026-11-25T00:00:00Z.
const NOW: UnixTime = UnixTime::from_secs(1_795_564_800);
const ISSUER: &str = "http://127.0.0.1:18080";
const PUBLIC_CLIENT: &str = "mock-public";
const NONCE: &str = "n-0S6_WzA2Mj";
const STATE: &str = "af0ifjsldkj";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const PNR_SCOPE: &str = "https://id.oidc.se/scope/naturalPersonNumber";

fn config() -> MockConfig {
    MockConfig::default().with_clock(Arc::new(FixedClock(NOW)))
}

fn app(config: MockConfig) -> MockApp {
    MockApp::new(config, ISSUER.parse().unwrap()).unwrap()
}

fn challenge() -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, VERIFIER.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.as_ref())
}

fn query(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

fn query_of(location: &str) -> HashMap<String, String> {
    let query = location.split_once('?').map_or("", |(_, q)| q);
    url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

/// What came back.
struct Answer {
    status: StatusCode,
    location: Option<String>,
    content_type: Option<String>,
    body: String,
}

impl Answer {
    fn json(&self) -> Map<String, Value> {
        match serde_json::from_str(&self.body) {
            Ok(Value::Object(map)) => map,
            other => panic!("not a JSON object ({other:?}): {}", self.body),
        }
    }
}

/// A simulated browser: a cookie jar, no redirects followed.
struct Browser {
    router: Router,
    cookies: HashMap<String, String>,
}

impl Browser {
    fn new(app: &MockApp) -> Self {
        Self {
            router: app.router(),
            cookies: HashMap::new(),
        }
    }

    async fn send(&mut self, mut request: Request<Body>) -> Answer {
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            request
                .headers_mut()
                .insert(header::COOKIE, jar.join("; ").parse().unwrap());
        }
        let response = self.router.clone().oneshot(request).await.unwrap();
        for value in response.headers().get_all(header::SET_COOKIE) {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.insert(name.to_owned(), value.to_owned());
        }
        let status = response.status();
        let text = |name| {
            response
                .headers()
                .get(name)
                .map(|v: &header::HeaderValue| v.to_str().unwrap().to_owned())
        };
        let location = text(header::LOCATION);
        let content_type = text(header::CONTENT_TYPE);
        let body = to_bytes(response.into_body(), 1 << 20).await.unwrap();
        Answer {
            status,
            location,
            content_type,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    async fn get(&mut self, path: &str) -> Answer {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    async fn post_form(&mut self, path: &str, form: &str) -> Answer {
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form.to_owned()))
                .unwrap(),
        )
        .await
    }

    /// Sends the authorization request and follows the mock's redirect to its login page:
    /// the transaction id and the page.
    async fn start(
        &mut self,
        client_id: &str,
        scope: &str,
        extra: &[(&str, &str)],
    ) -> (String, Answer) {
        let challenge = challenge();
        let mut pairs = vec![
            ("response_type", "code"),
            ("client_id", client_id),
            ("redirect_uri", TEST_REDIRECT_URIS[0]),
            ("scope", scope),
            ("state", STATE),
            ("nonce", NONCE),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ];
        pairs.extend_from_slice(extra);
        let answer = self.get(&format!("/authorize?{}", query(&pairs))).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        let location = answer.location.unwrap();
        assert!(location.starts_with("/login?transaction="), "{location}");
        assert!(self.cookies.contains_key("eid_login"));
        let transaction = query_of(&location).remove("transaction").unwrap();
        let page = self.get(&location).await;
        (transaction, page)
    }

    /// Logs `person` in at the public client: the parameters of the redirect to the client.
    async fn login(
        &mut self,
        person: &str,
        scope: &str,
        extra: &[(&str, &str)],
    ) -> HashMap<String, String> {
        self.login_at(PUBLIC_CLIENT, person, scope, extra).await
    }

    async fn login_at(
        &mut self,
        client_id: &str,
        person: &str,
        scope: &str,
        extra: &[(&str, &str)],
    ) -> HashMap<String, String> {
        let (transaction, page) = self.start(client_id, scope, extra).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let answer = self
            .post_form(
                "/login",
                &query(&[("transaction", &transaction), ("person", person)]),
            )
            .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        let location = answer.location.unwrap();
        assert!(location.starts_with(TEST_REDIRECT_URIS[0]), "{location}");
        query_of(&location)
    }
}

/// Redeems `code` at the token endpoint as the public client.
async fn redeem(app: &MockApp, code: &str) -> Map<String, Value> {
    let mut browser = Browser::new(app);
    let answer = browser
        .post_form(
            "/token",
            &query(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", TEST_REDIRECT_URIS[0]),
                ("client_id", PUBLIC_CLIENT),
                ("code_verifier", VERIFIER),
            ]),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.json()
}

async fn jwks(app: &MockApp) -> Jwks {
    let answer = Browser::new(app).get("/jwks").await;
    assert_eq!(answer.status, StatusCode::OK);
    Jwks::from_json(answer.body.as_bytes()).unwrap()
}

/// What a strict relying party checks: eid-core's verifier with the nonce and loa3 required.
async fn verify(
    app: &MockApp,
    client_id: &str,
    id_token: &str,
) -> Result<VerifiedIdToken, IdTokenError> {
    let jwks = jwks(app).await;
    IdTokenVerifier::new(ISSUER, client_id, &jwks, &[JwsAlgorithm::Es256])
        .unwrap()
        .expect_nonce(NONCE)
        .require(Requirement::new(vec![LevelOfAssurance::Loa3], Matching::Exact).unwrap())
        .verify(id_token, NOW)
}

async fn userinfo(app: &MockApp, access_token: &str) -> Map<String, Value> {
    let answer = Browser::new(app)
        .send(
            Request::get("/userinfo")
                .header(header::AUTHORIZATION, format!("Bearer {access_token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.json()
}

/// One complete login of `person` with a fresh browser: the callback and the token response.
async fn full_login(app: &MockApp, person: &str) -> (HashMap<String, String>, Map<String, Value>) {
    let callback = Browser::new(app)
        .login(person, &format!("openid profile {PNR_SCOPE}"), &[])
        .await;
    let code = callback
        .get("code")
        .unwrap_or_else(|| panic!("no code: {callback:?}"));
    let tokens = redeem(app, code).await;
    (callback, tokens)
}

#[tokio::test]
async fn discovery_publishes_the_profile_and_the_client_authentication_methods() {
    let app = app(config().with_profile(Profile::StateIdCard));
    let answer = Browser::new(&app)
        .get("/.well-known/openid-configuration")
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let metadata = answer.json();
    assert_eq!(metadata["issuer"], ISSUER);
    assert_eq!(
        metadata["acr_values_supported"],
        json!([
            "http://id.elegnamnden.se/loa/1.0/loa4",
            "http://id.elegnamnden.se/loa/1.0/loa3",
            "http://id.swedenconnect.se/loa/1.0/loa3-nonresident"
        ])
    );
    assert_eq!(
        metadata["token_endpoint_auth_methods_supported"],
        json!([
            "client_secret_basic",
            "client_secret_post",
            "private_key_jwt",
            "none"
        ])
    );
    assert_eq!(
        metadata["code_challenge_methods_supported"],
        json!(["S256"])
    );
}

#[tokio::test]
async fn a_person_logs_in_without_a_browser() {
    let app = app(config());
    let (callback, tokens) = full_login(&app, "astrid").await;
    assert_eq!(callback["state"], STATE);
    assert_eq!(callback["iss"], ISSUER);
    let verified = verify(&app, PUBLIC_CLIENT, tokens["id_token"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(
        Some(verified.subject().to_owned()),
        app.subject_of("astrid")
    );
    assert_eq!(verified.acr(), Some(LevelOfAssurance::Loa3));
    assert_eq!(verified.claims()["amr"], json!(["BankID"]));
    let info = userinfo(&app, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(info["sub"], verified.subject());
    assert_eq!(info["given_name"], "Astrid");
    assert_eq!(
        info["https://id.oidc.se/claim/personalIdentityNumber"],
        "198501012382"
    );
}

#[tokio::test]
async fn a_confidential_client_logs_in_with_client_secret_basic() {
    let app = app(config());
    let mut browser = Browser::new(&app);
    let callback = browser
        .login_at("mock-client-secret-basic", "bertil", "openid", &[])
        .await;
    let basic = STANDARD.encode(format!("mock-client-secret-basic:{TEST_CLIENT_SECRET}"));
    let answer = Browser::new(&app)
        .send(
            Request::post("/token")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::AUTHORIZATION, format!("Basic {basic}"))
                .body(Body::from(query(&[
                    ("grant_type", "authorization_code"),
                    ("code", &callback["code"]),
                    ("redirect_uri", TEST_REDIRECT_URIS[0]),
                    ("code_verifier", VERIFIER),
                ])))
                .unwrap(),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let tokens = answer.json();
    let verified = verify(
        &app,
        "mock-client-secret-basic",
        tokens["id_token"].as_str().unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(
        Some(verified.subject().to_owned()),
        app.subject_of("bertil")
    );
}

#[tokio::test]
async fn the_login_page_speaks_english_and_preselects_the_hint() {
    let app = app(config());
    let mut browser = Browser::new(&app);
    let (_, page) = browser
        .start(
            PUBLIC_CLIENT,
            "openid",
            &[("ui_locales", "en"), ("login_hint", "bertil")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.content_type.as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(page.body.contains("<html lang=\"en\">"));
    assert!(page.body.contains("value=\"bertil\" required checked>"));
    // The profile's persons only: the eIDAS user is not offered by a BankID-like provider.
    assert!(!page.body.contains("value=\"giulia\""));
    let (_, page) = Browser::new(&app).start(PUBLIC_CLIENT, "openid", &[]).await;
    assert!(page.body.contains("<html lang=\"sv\">"));
}

#[tokio::test]
async fn the_person_cancels() {
    let app = app(config());
    let mut browser = Browser::new(&app);
    let (transaction, _) = browser.start(PUBLIC_CLIENT, "openid", &[]).await;
    let answer = browser
        .post_form(
            "/login",
            &query(&[("transaction", &transaction), ("cancel", "1")]),
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let callback = query_of(&answer.location.unwrap());
    assert_eq!(callback["error"], "access_denied");
    assert_eq!(callback["state"], STATE);
    assert_eq!(callback["iss"], ISSUER);
    // The transaction is finished: a second answer is refused.
    let again = browser
        .post_form(
            "/login",
            &query(&[("transaction", &transaction), ("person", "astrid")]),
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_login_started_in_another_browser_is_refused_and_changes_nothing() {
    let app = app(config());
    let mut browser = Browser::new(&app);
    let (transaction, _) = browser.start(PUBLIC_CLIENT, "openid", &[]).await;
    let mut attacker = Browser::new(&app);
    attacker.cookies.insert("eid_login".into(), "A".repeat(43));
    let answer = attacker
        .post_form(
            "/login",
            &query(&[("transaction", &transaction), ("person", "astrid")]),
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.location.is_none());
    // The rightful browser still completes.
    let answer = browser
        .post_form(
            "/login",
            &query(&[("transaction", &transaction), ("person", "astrid")]),
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(query_of(&answer.location.unwrap()).contains_key("code"));
}

#[tokio::test]
async fn scripted_login_failures_reach_the_client() {
    let app = app(config());
    for (scenario, error) in [
        (Scenario::Cancel, "access_denied"),
        (Scenario::ServerError, "server_error"),
        (Scenario::TemporarilyUnavailable, "temporarily_unavailable"),
    ] {
        app.enqueue_scenario(scenario);
        let callback = Browser::new(&app).login("astrid", "openid", &[]).await;
        assert_eq!(callback["error"], error);
        assert_eq!(callback["iss"], ISSUER);
        assert!(!callback.contains_key("code"));
    }
    // A slow login still completes.
    app.enqueue_scenario(Scenario::Slow { delay_ms: 20 });
    let callback = Browser::new(&app).login("astrid", "openid", &[]).await;
    assert!(callback.contains_key("code"));
}

#[tokio::test]
async fn a_persons_own_scenario_applies_to_each_of_their_logins() {
    let persons = r#"{"persons": [{"id": "quitter", "display_name": "Quitter",
        "claims": {"https://id.oidc.se/claim/personalIdentityNumber": "198501022381"},
        "scenario": {"scenario": "cancel"}}]}"#;
    let app = app(config().with_persons_json(persons));
    for _ in 0..2 {
        let callback = Browser::new(&app).login("quitter", "openid", &[]).await;
        assert_eq!(callback["error"], "access_denied");
    }
    assert!(
        Browser::new(&app)
            .login("astrid", "openid", &[])
            .await
            .contains_key("code")
    );
}

/// Every faulty-token mode, caught by a strict relying party with the expected reason.
#[tokio::test]
async fn every_faulty_token_is_caught_by_a_strict_relying_party() {
    let app = app(config());
    for (scenario, reason) in [
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
    ] {
        app.enqueue_scenario(scenario.clone());
        let (_, tokens) = full_login(&app, "astrid").await;
        let error = verify(&app, PUBLIC_CLIENT, tokens["id_token"].as_str().unwrap())
            .await
            .unwrap_err();
        assert_eq!(error.reason(), reason, "{scenario:?}");
        // The next login is clean again.
        let (_, tokens) = full_login(&app, "astrid").await;
        assert!(
            verify(&app, PUBLIC_CLIENT, tokens["id_token"].as_str().unwrap())
                .await
                .is_ok()
        );
    }
}

#[tokio::test]
async fn kid_absent_with_one_published_key_is_acceptable() {
    let app = app(config().with_key_set(KeySet::Single));
    assert_eq!(jwks(&app).await.keys().len(), 1);
    app.enqueue_scenario(Scenario::KidAbsent);
    let (_, tokens) = full_login(&app, "astrid").await;
    let id_token = tokens["id_token"].as_str().unwrap();
    let header = id_token.split('.').next().unwrap();
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    assert!(header.get("kid").is_none());
    assert!(verify(&app, PUBLIC_CLIENT, id_token).await.is_ok());
}

#[tokio::test]
async fn userinfo_answers_with_another_subject() {
    let app = app(config());
    app.enqueue_scenario(Scenario::UserInfoSubjectMismatch);
    let (_, tokens) = full_login(&app, "astrid").await;
    let verified = verify(&app, PUBLIC_CLIENT, tokens["id_token"].as_str().unwrap())
        .await
        .unwrap();
    let info = userinfo(&app, tokens["access_token"].as_str().unwrap()).await;
    assert_ne!(info["sub"], verified.subject());
}

#[tokio::test]
async fn the_authorization_response_loses_or_changes_its_issuer() {
    let app = app(config());
    app.enqueue_scenario(Scenario::MissingIssuerInResponse);
    let callback = Browser::new(&app).login("astrid", "openid", &[]).await;
    assert!(callback.contains_key("code"));
    assert!(!callback.contains_key("iss"));
    app.enqueue_scenario(Scenario::WrongIssuerInResponse);
    let callback = Browser::new(&app).login("astrid", "openid", &[]).await;
    assert_eq!(callback["iss"], OTHER_ISSUER);
    assert_eq!(callback["state"], STATE);
}

#[tokio::test]
async fn the_control_api_scripts_the_next_login_over_http() {
    let app = app(config().with_control_api());
    let answer = Browser::new(&app)
        .send(
            Request::post("/mock/scenario")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"scenario":"invalid_nonce"}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT);
    let answer = Browser::new(&app)
        .send(
            Request::post("/mock/next-claims")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    r#"{"claims": {"given_name": "Ersatz", "family_name": "Person"}}"#,
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT);
    let (_, tokens) = full_login(&app, "astrid").await;
    let error = verify(&app, PUBLIC_CLIENT, tokens["id_token"].as_str().unwrap())
        .await
        .unwrap_err();
    assert_eq!(error.reason(), "nonce_mismatch");
    let info = userinfo(&app, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(info["given_name"], "Ersatz");
    assert!(
        info.get("https://id.oidc.se/claim/personalIdentityNumber")
            .is_none()
    );
}

#[tokio::test]
async fn queued_claims_from_rust_replace_the_persons() {
    let app = app(config());
    let claims = json!({"given_name": "Queued", "https://id.oidc.se/claim/personalIdentityNumber": "198501022381"});
    app.enqueue_claims(
        NextClaims::from_claims(claims.as_object().unwrap(), NOW)
            .unwrap()
            .with_acr(LevelOfAssurance::Loa3),
    );
    let (_, tokens) = full_login(&app, "astrid").await;
    let info = userinfo(&app, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(info["given_name"], "Queued");
    assert_eq!(
        info["https://id.oidc.se/claim/personalIdentityNumber"],
        "198501022381"
    );
    // The subject is still the chosen person's.
    assert_eq!(
        info["sub"].as_str().map(str::to_owned),
        app.subject_of("astrid")
    );
}

#[tokio::test]
async fn the_newcomer_logs_in_with_the_passport_at_a_nonresident_level() {
    let app = app(config().with_profile(Profile::StateIdCard));
    let callback = Browser::new(&app)
        .login("amina", "openid profile", &[])
        .await;
    let tokens = redeem(&app, &callback["code"]).await;
    let jwks = jwks(&app).await;
    let verified = IdTokenVerifier::new(ISSUER, PUBLIC_CLIENT, &jwks, &[JwsAlgorithm::Es256])
        .unwrap()
        .expect_nonce(NONCE)
        .verify(tokens["id_token"].as_str().unwrap(), NOW)
        .unwrap();
    assert_eq!(verified.acr(), Some(LevelOfAssurance::Loa3NonResident));
    assert!(
        verified
            .claims()
            .get("https://id.oidc.se/claim/personalIdentityNumber")
            .is_none()
    );
    let info = userinfo(&app, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(info["given_name"], "Amina Sofia");
}

#[tokio::test]
async fn the_workplace_profile_delivers_the_organisational_identity() {
    let app = app(config().with_profile(Profile::Workplace));
    let scope = "openid https://id.oidc.se/scope/naturalPersonOrgId";
    let callback = Browser::new(&app).login("eva", scope, &[]).await;
    let tokens = redeem(&app, &callback["code"]).await;
    let verified = verify(&app, PUBLIC_CLIENT, tokens["id_token"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(verified.claims()["amr"], json!(["sc", "pin", "mfa"]));
    let info = userinfo(&app, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(
        info["https://id.oidc.se/claim/orgAffiliation"],
        "SE2021009994-E0001@2021009994"
    );
    assert_eq!(info["https://id.oidc.se/claim/orgNumber"], "2021009994");
    assert_eq!(info["https://id.oidc.se/claim/orgName"], "Testmyndigheten");
}

#[tokio::test]
async fn the_eidas_node_delivers_the_eidas_identity() {
    let app = app(config().with_profile(Profile::EidasNode));
    let scope = "openid https://id.swedenconnect.se/scope/eidasNaturalPersonIdentity";
    let callback = Browser::new(&app).login("giulia", scope, &[]).await;
    let tokens = redeem(&app, &callback["code"]).await;
    let jwks = jwks(&app).await;
    let verified = IdTokenVerifier::new(ISSUER, PUBLIC_CLIENT, &jwks, &[JwsAlgorithm::Es256])
        .unwrap()
        .expect_nonce(NONCE)
        .verify(tokens["id_token"].as_str().unwrap(), NOW)
        .unwrap();
    assert_eq!(
        verified.acr(),
        Some(LevelOfAssurance::SwedenEidasNotifiedSubstantial)
    );
    assert_eq!(verified.claims()["amr"], json!(["eIDAS"]));
    let info = userinfo(&app, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(
        info["https://id.swedenconnect.se/claim/prid"],
        "IT:TESTMOCK0001"
    );
    assert_eq!(
        info["https://id.swedenconnect.se/claim/eidasPersonIdentifier"],
        "IT/SE/TESTMOCK0001"
    );
}
