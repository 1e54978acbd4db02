//! Interop through the broker: independent OpenID implementations on both of its sides.
//!
//! - `openid-client` (an OpenID-certified relying party library; `tests/interop/rp.mjs`) is the
//!   e-service at the broker, with a `private_key_jwt` client and a `client_secret_basic`
//!   client, through each of the four mock upstreams (named by `login_hint=upstream:<id>`, by
//!   `authnProvider`, or picked on the broker's choice page): discovery, code flow with PKCE
//!   S256, the upstream mock's login form, the broker's ID token (signature checked against
//!   its JWKS, `acr`, pairwise `sub`), UserInfo, single sign-on at the broker, refresh,
//!   RP-initiated logout and `login_required` after it.
//! - `oidc-provider` (an OpenID-certified provider; `tests/interop/op.mjs`) is an upstream
//!   behind the broker with its own test account and a login without a page: the broker is
//!   its client twice, once with `client_secret_basic`, a plain authorization request and
//!   ES256 ID tokens, once with `private_key_jwt`, PAR and RS256 ID tokens; openid-client logs
//!   in through each and the broker's answer is checked (the level mapped from
//!   oidc-provider's `acr`, a pairwise `sub` that is not oidc-provider's, the claims the
//!   broker models and only those), and so is the logout propagated to oidc-provider.
//!
//! The broker is built from TOML ([`BrokerConfig::from_toml_str`]) and served in process on
//! 127.0.0.1; the Node.js scripts run as child processes with a time limit. Without Node.js or
//! the npm packages these tests fail with a message saying what to install.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod interop_common;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_broker::audit::Observers;
use eid_broker::demo::UPSTREAMS;
use eid_broker::{Broker, BrokerConfig};
use eid_core::claims::Scope;
use eid_core::clock::{Clock, SystemClock};
use eid_core::jose::{Jwks, JwsAlgorithm, SigningKey};
use eid_idp_mock::profile::Profile;
use eid_idp_mock::{MockConfig, MockIdp};
use eid_provider::client::{Client, ClientAuthMethod};
use eid_provider::http::Server;
use eid_provider::secret::ClientSecret;
use interop_common::{Op, peers_ready, pem, run_rp};
use ring::rand::{SecureRandom, SystemRandom};
use serde_json::{Value, json};
use tokio::net::TcpListener;

const REDIRECT_URI: &str = "http://127.0.0.1/interop/callback";
const POST_LOGOUT_REDIRECT_URI: &str = "http://127.0.0.1/interop/logged-out";
/// The broker's client id at its upstreams.
const BROKER_CLIENT_ID: &str = "eid-broker-interop";
/// The pairwise sector of the second client (the first one's is its redirect URI's host).
const OTHER_SECTOR: &str = "sector-b.example";
const LOA2: &str = "http://id.elegnamnden.se/loa/1.0/loa2";
const LOA3: &str = "http://id.elegnamnden.se/loa/1.0/loa3";
const LOA4: &str = "http://id.elegnamnden.se/loa/1.0/loa4";
const EIDAS_NF_SUB: &str = "http://id.elegnamnden.se/loa/1.0/eidas-nf-sub";
const PNR_SCOPE: &str = "https://id.oidc.se/scope/naturalPersonNumber";
const PNR_CLAIM: &str = "https://id.oidc.se/claim/personalIdentityNumber";
/// The steps of a run with a login form, in order.
const STEPS_WITH_FORM: [&str; 11] = [
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
/// The steps of a run through an upstream that logs in without a page.
const STEPS_WITHOUT_FORM: [&str; 9] = [
    "discovery",
    "authorization_request",
    "authorization_code_grant",
    "id_token_claims",
    "userinfo",
    "single_sign_on",
    "refresh_token_grant",
    "end_session",
    "session_ended",
];

fn random_secret() -> String {
    let mut bytes = [0_u8; 32];
    SystemRandom::new().fill(&mut bytes).unwrap();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A fresh directory for the key files the broker's configuration names.
fn scratch_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("interop_broker")
        .join(random_secret());
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The e-service's two clients at the broker, as the script gets them; and their TOML.
struct EServiceClients {
    settings: Vec<Value>,
    toml: String,
}

fn eservice_clients(dir: &std::path::Path) -> EServiceClients {
    let der = SigningKey::generate_pkcs8_der(JwsAlgorithm::Es256).unwrap();
    let key = SigningKey::from_pkcs8_der(&der, JwsAlgorithm::Es256).unwrap();
    let jwks_file = dir.join("e-service.jwks.json");
    std::fs::write(
        &jwks_file,
        serde_json::to_vec(&Jwks::new(vec![key.public_jwk()]).unwrap()).unwrap(),
    )
    .unwrap();
    let secret = random_secret();
    let scopes = [
        "openid",
        "profile",
        PNR_SCOPE,
        "https://id.oidc.se/scope/naturalPersonOrgId",
        "https://id.swedenconnect.se/scope/eidasNaturalPersonIdentity",
    ]
    .map(|s| format!("\"{s}\""))
    .join(", ");
    let common = format!(
        "redirect_uris = [\"{REDIRECT_URI}\"]\n\
         post_logout_redirect_uris = [\"{POST_LOGOUT_REDIRECT_URI}\"]\n\
         scopes = [{scopes}]\n\
         acr = {{ levels = [\"{LOA2}\", \"{LOA3}\", \"{LOA4}\", \"{EIDAS_NF_SUB}\"], matching = \"minimum\" }}\n\
         refresh_tokens = true\n"
    );
    let toml = format!(
        "[[clients]]\nclient_id = \"rp-private-key-jwt\"\n\
         auth = {{ method = \"private_key_jwt\", jwks_file = \"{jwks}\" }}\n{common}\n\
         [[clients]]\nclient_id = \"rp-secret-basic\"\n\
         auth = {{ method = \"client_secret_basic\", secret = \"{secret}\" }}\n\
         sector = \"{OTHER_SECTOR}\"\n{common}\n",
        jwks = jwks_file.display(),
    );
    let base = |id: &str, method: &str| {
        json!({
            "client_id": id,
            "token_endpoint_auth_method": method,
            "redirect_uri": REDIRECT_URI,
            "post_logout_redirect_uri": POST_LOGOUT_REDIRECT_URI,
        })
    };
    let mut pkjwt = base("rp-private-key-jwt", "private_key_jwt");
    pkjwt["private_key_pem"] = json!(pem(&der));
    pkjwt["kid"] = json!(key.kid());
    let mut basic = base("rp-secret-basic", "client_secret_basic");
    basic["client_secret"] = json!(secret);
    EServiceClients {
        settings: vec![pkjwt, basic],
        toml,
    }
}

/// The broker served on 127.0.0.1; stopped by [`RunningBroker::stop`].
struct RunningBroker {
    issuer: String,
    server: Server,
}

impl RunningBroker {
    /// Builds the broker from `upstreams_toml` (its `[[upstreams]]`) and `clients_toml`, the
    /// issuer being the address of `listener`.
    async fn start(listener: TcpListener, upstreams_toml: &str, clients_toml: &str) -> Self {
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let toml = format!(
            "issuer = \"{issuer}\"\n\n[keys]\nephemeral = true\n\n\
             [subject]\nsecret = \"{subject}\"\nmode = \"store\"\n\n\
             [store]\nkind = \"memory\"\n\n{upstreams_toml}\n{clients_toml}",
            subject = random_secret(),
        );
        let config = BrokerConfig::from_toml_str(&toml, "interop-broker.toml")
            .unwrap_or_else(|e| panic!("{e}\n{toml}"));
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let broker = Broker::from_config(config, Observers::new(), clock).unwrap();
        let server = Server::start(listener, broker.router()).unwrap();
        Self { issuer, server }
    }

    async fn stop(self) {
        self.server.shutdown().await.unwrap();
    }
}

/// The broker's client at a mock (as the demo registers it).
fn broker_client_at_mock(callback: &str, secret: &str) -> Client {
    let mut builder = Client::builder(
        BROKER_CLIENT_ID.parse().unwrap(),
        ClientAuthMethod::ClientSecretBasic,
    )
    .secret(&ClientSecret::from_presented(secret).unwrap())
    .id_token_signed_response_alg(JwsAlgorithm::Es256)
    .redirect_uri(callback.parse().unwrap());
    for scope in Scope::ALL {
        builder = builder.scope(scope.as_str());
    }
    builder.build().unwrap()
}

/// Checks a script's summary: every run passed each of `steps`, with `acr`; returns the runs.
fn check_runs(
    success: bool,
    summary: &Value,
    steps: &[&str],
    acr: &str,
    locked_openid_client: &str,
) -> Vec<Value> {
    let pretty = serde_json::to_string_pretty(summary).unwrap();
    assert!(success, "rp.mjs failed:\n{pretty}");
    assert_eq!(summary["ok"], json!(true), "{pretty}");
    assert_eq!(
        summary["peer"]["openid-client"],
        json!(locked_openid_client),
        "node_modules is not what the lockfile pins: run `npm ci` in tests/interop"
    );
    let runs = summary["runs"].as_array().unwrap().clone();
    let methods: Vec<&str> = runs
        .iter()
        .map(|r| r["auth_method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["private_key_jwt", "client_secret_basic"]);
    for run in &runs {
        let done: Vec<(&str, bool)> = run["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["step"].as_str().unwrap(), s["ok"] == json!(true)))
            .collect();
        let expected: Vec<(&str, bool)> = steps.iter().map(|s| (*s, true)).collect();
        assert_eq!(done, expected, "{pretty}");
        assert_eq!(run["id_token"]["acr"], json!(acr), "{pretty}");
        assert_eq!(run["userinfo"]["sub"], run["id_token"]["sub"], "{pretty}");
        // The refreshed tokens belong to the same person (rp.mjs compares the refreshed ID
        // token's iss, sub and aud, and UserInfo's sub).
        let refresh = run["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["step"] == json!("refresh_token_grant"))
            .unwrap();
        assert_eq!(refresh["userinfo_sub_same"], json!(true), "{pretty}");
    }
    // Pairwise: two sectors, two subjects for one person.
    assert_ne!(
        runs[0]["id_token"]["sub"], runs[1]["id_token"]["sub"],
        "the two clients' sectors differ, their subs must too:\n{pretty}"
    );
    runs
}

/// One of the demo's upstreams as a mock, and what a login there must give.
struct MockCase {
    upstream: &'static str,
    /// How the request names the upstream.
    select: Select,
    scope: &'static str,
    userinfo_claim: &'static str,
}

/// How an authorization request names the upstream (policy.rs): without either, the broker
/// shows its choice page, since all four upstreams qualify.
#[derive(Clone, Copy)]
enum Select {
    /// `login_hint=upstream:<id>`.
    LoginHint,
    /// `https://id.oidc.se/param/authnProvider=<the upstream's issuer>`.
    AuthnProvider,
    /// Neither: the person picks it on the broker's choice page (rp.mjs posts its form).
    ChoicePage,
}

/// openid-client at the broker, sent to the mock `case.upstream` (one of four, all of them
/// eligible: the request names one, [`Select`]).
async fn through_mock(case: MockCase) {
    let locked = peers_ready();
    let dir = scratch_dir();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let callback = format!("{base}/upstream/callback");
    let upstream_secret = random_secret();
    let mut mocks = Vec::new();
    let mut upstreams_toml = String::new();
    for upstream in UPSTREAMS {
        let config = MockConfig::default()
            .with_profile(upstream.profile)
            .with_client(broker_client_at_mock(&callback, &upstream_secret));
        let mock = MockIdp::start(config).await.unwrap();
        let acr: Vec<String> = upstream
            .acr
            .iter()
            .map(|(level, value)| format!("{{ level = \"{level}\", request = \"{value}\" }}"))
            .collect();
        let _ = write!(
            upstreams_toml,
            "[[upstreams]]\nid = \"{id}\"\n\
             display_name = {{ sv = \"{id}\", en = \"{id}\" }}\n\
             issuer = \"{issuer}\"\nclient_id = \"{BROKER_CLIENT_ID}\"\n\
             redirect_uri = \"{callback}\"\n\
             client_auth = {{ method = \"client_secret_basic\", secret = \"{upstream_secret}\" }}\n\
             scopes = [\"profile\", \"{PNR_SCOPE}\", \
             \"https://id.oidc.se/scope/naturalPersonOrgId\", \
             \"https://id.swedenconnect.se/scope/eidasNaturalPersonIdentity\"]\n\
             acr = [{acr}]\n\n",
            id = upstream.id,
            issuer = mock.issuer().as_str(),
            acr = acr.join(", "),
        );
        mocks.push((upstream, mock));
    }
    let clients = eservice_clients(&dir);
    let broker = RunningBroker::start(listener, &upstreams_toml, &clients.toml).await;

    let (upstream, mock) = mocks.iter().find(|(u, _)| u.id == case.upstream).unwrap();
    let profile: Profile = upstream.profile;
    let acr = profile.acr().as_uri();
    let (success, summary) = run_rp(&json!({
        "issuer": broker.issuer,
        "person": upstream.person,
        "scope": case.scope,
        "login_origin": url::Url::parse(mock.issuer().as_str()).unwrap().origin().ascii_serialization(),
        "authorization_params": match case.select {
            Select::LoginHint => json!({ "login_hint": format!("upstream:{}", upstream.id) }),
            Select::AuthnProvider => json!({
                "https://id.oidc.se/param/authnProvider": mock.issuer().as_str(),
            }),
            Select::ChoicePage => json!({}),
        },
        "choose": matches!(case.select, Select::ChoicePage).then_some(upstream.id),
        "clients": clients.settings,
    }))
    .await;
    let runs = check_runs(
        success,
        &summary,
        &STEPS_WITH_FORM,
        acr,
        &locked.openid_client,
    );
    let pretty = serde_json::to_string_pretty(&summary).unwrap();
    // The upstream's subject stays behind the broker.
    let upstream_sub = mock.app().subject_of(upstream.person).unwrap();
    for run in &runs {
        assert_ne!(run["id_token"]["sub"], json!(upstream_sub), "{pretty}");
        let request = &run["steps"][1];
        if matches!(case.select, Select::ChoicePage) {
            // Every upstream qualifies, so each is offered.
            let all: Vec<&str> = UPSTREAMS.iter().map(|u| u.id).collect();
            assert_eq!(request["offered"], json!(all), "{pretty}");
            assert_eq!(request["chose"], json!(upstream.id), "{pretty}");
        } else {
            assert_eq!(
                request.get("offered"),
                None,
                "a choice page came:\n{pretty}"
            );
        }
        let claims = run["userinfo"]["claims"].as_array().unwrap();
        assert!(
            claims.contains(&json!(case.userinfo_claim)),
            "UserInfo lacks {}:\n{pretty}",
            case.userinfo_claim
        );
    }
    broker.stop().await;
    for (_, mock) in mocks {
        mock.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openid_client_logs_in_through_the_broker_at_the_bank_id_like_mock() {
    through_mock(MockCase {
        upstream: "bankid",
        select: Select::LoginHint,
        scope: "openid profile https://id.oidc.se/scope/naturalPersonNumber",
        userinfo_claim: PNR_CLAIM,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openid_client_logs_in_through_the_broker_at_the_state_id_card_mock() {
    through_mock(MockCase {
        upstream: "idcard",
        select: Select::AuthnProvider,
        scope: "openid profile https://id.oidc.se/scope/naturalPersonNumber",
        userinfo_claim: PNR_CLAIM,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openid_client_logs_in_through_the_broker_at_the_workplace_mock() {
    through_mock(MockCase {
        upstream: "workplace",
        select: Select::ChoicePage,
        scope: "openid profile https://id.oidc.se/scope/naturalPersonOrgId",
        userinfo_claim: "https://id.oidc.se/claim/orgAffiliation",
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openid_client_logs_in_through_the_broker_at_the_eidas_node_mock() {
    through_mock(MockCase {
        upstream: "eidas",
        select: Select::AuthnProvider,
        scope: "openid profile https://id.swedenconnect.se/scope/eidasNaturalPersonIdentity",
        userinfo_claim: "https://id.swedenconnect.se/claim/prid",
    })
    .await;
}

/// The test account at oidc-provider.
const OP_ACCOUNT: &str = "op-test-account-1";
const GIVEN_NAME: &str = "Karin";
const FAMILY_NAME: &str = "Nordström";
const PERSONNUMMER: &str = "198501022381";
/// A claim oidc-provider releases and the broker does not model: it must not pass.
const FOREIGN_CLAIM: &str = "https://op.example/claim/shoeSize";

/// op.mjs's configuration: the test account, the level of its logins, its scopes and
/// `clients` (the broker's registrations).
fn op_config(clients: Vec<Value>) -> Value {
    json!({
        "account": {
            "sub": OP_ACCOUNT,
            "claims": {
                "given_name": GIVEN_NAME,
                "family_name": FAMILY_NAME,
                "name": format!("{GIVEN_NAME} {FAMILY_NAME}"),
                "birthdate": "1985-01-02",
                PNR_CLAIM: PERSONNUMMER,
                FOREIGN_CLAIM: "42",
            },
        },
        "acr": LOA3,
        "amr": ["pwd", "otp"],
        "scopes": {
            "profile": ["given_name", "family_name", "name", "birthdate", FOREIGN_CLAIM],
            PNR_SCOPE: [PNR_CLAIM],
        },
        "clients": clients,
    })
}

/// One `[[upstreams]]` at oidc-provider: the broker is its client `client_id`, authenticating
/// with `auth` (TOML), accepting ID tokens signed with `algorithm` only, pushing its
/// authorization requests or not (`par`: `auto`, `never`), mapping loa3 both ways, and
/// propagating logout.
fn op_upstream(
    issuer: &str,
    callback: &str,
    id: &str,
    client_id: &str,
    auth: &str,
    algorithm: &str,
    par: &str,
) -> String {
    format!(
        "[[upstreams]]\nid = \"{id}\"\n\
         display_name = {{ sv = \"{id}\", en = \"{id}\" }}\n\
         issuer = \"{issuer}\"\nclient_id = \"{client_id}\"\n\
         redirect_uri = \"{callback}\"\n\
         client_auth = {auth}\n\
         id_token_algorithms = [\"{algorithm}\"]\n\
         scopes = [\"profile\", \"{PNR_SCOPE}\"]\n\
         acr = [{{ level = \"{LOA3}\", request = \"{LOA3}\" }}]\n\
         par = \"{par}\"\n\
         end_session = true\n\n"
    )
}

/// oidc-provider behind the broker: two upstreams at one oidc-provider, the broker its client
/// with `client_secret_basic` (ES256 ID tokens) and with `private_key_jwt` (RS256 ID tokens);
/// openid-client logs in at the broker through each, without a login page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openid_client_logs_in_through_the_broker_at_oidc_provider() {
    let locked = peers_ready();
    let dir = scratch_dir();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let callback = format!("{base}/upstream/callback");
    let logged_out = format!("{base}{}", eid_broker::flow::LOGGED_OUT_PATH);

    // The broker's private_key_jwt key at oidc-provider.
    let der = SigningKey::generate_pkcs8_der(JwsAlgorithm::Es256).unwrap();
    let key = SigningKey::from_pkcs8_der(&der, JwsAlgorithm::Es256).unwrap();
    let key_file = dir.join("broker-at-op.p8");
    std::fs::write(&key_file, pem(&der)).unwrap();
    let mut jwk = serde_json::to_value(key.public_jwk()).unwrap();
    jwk["alg"] = json!("ES256");
    let secret = random_secret();

    let op = Op::start(&op_config(vec![
        json!({
            "client_id": "broker-es256",
            "token_endpoint_auth_method": "client_secret_basic",
            "client_secret": secret,
            "id_token_signed_response_alg": "ES256",
            "redirect_uri": callback,
            "post_logout_redirect_uri": logged_out,
        }),
        json!({
            "client_id": "broker-rs256",
            "token_endpoint_auth_method": "private_key_jwt",
            "jwk": jwk,
            "id_token_signed_response_alg": "RS256",
            "redirect_uri": callback,
            "post_logout_redirect_uri": logged_out,
        }),
    ]))
    .await;
    assert_eq!(
        op.started["peer"]["oidc-provider"],
        json!(locked.oidc_provider),
        "node_modules is not what the lockfile pins: run `npm ci` in tests/interop"
    );

    let upstream = |id: &str, client_id: &str, auth: &str, algorithm: &str, par: &str| {
        op_upstream(&op.issuer, &callback, id, client_id, auth, algorithm, par)
    };
    let upstreams_toml = upstream(
        "op-es256",
        "broker-es256",
        &format!("{{ method = \"client_secret_basic\", secret = \"{secret}\" }}"),
        "ES256",
        "never",
    ) + &upstream(
        "op-rs256",
        "broker-rs256",
        &format!(
            "{{ method = \"private_key_jwt\", key_file = \"{}\", algorithm = \"ES256\" }}",
            key_file.display()
        ),
        "RS256",
        "auto",
    );
    let clients = eservice_clients(&dir);
    let broker = RunningBroker::start(listener, &upstreams_toml, &clients.toml).await;

    let op_origin = url::Url::parse(&op.issuer)
        .unwrap()
        .origin()
        .ascii_serialization();
    let mut subs = Vec::new();
    for upstream in ["op-es256", "op-rs256"] {
        let (success, summary) = run_rp(&json!({
            "issuer": broker.issuer,
            "person": OP_ACCOUNT,
            "login": "none",
            "logout_form_origin": op_origin,
            "scope": format!("openid profile {PNR_SCOPE}"),
            "authorization_params": { "login_hint": format!("upstream:{upstream}") },
            "report_claims": ["given_name", "family_name", "birthdate", PNR_CLAIM, FOREIGN_CLAIM],
            "clients": clients.settings,
        }))
        .await;
        let runs = check_runs(
            success,
            &summary,
            &STEPS_WITHOUT_FORM,
            LOA3,
            &locked.openid_client,
        );
        let pretty = serde_json::to_string_pretty(&summary).unwrap();
        for run in &runs {
            assert_ne!(run["id_token"]["sub"], json!(OP_ACCOUNT), "{pretty}");
            let values = &run["userinfo"]["values"];
            assert_eq!(
                values["given_name"],
                json!(GIVEN_NAME),
                "{upstream}: {pretty}"
            );
            assert_eq!(
                values["family_name"],
                json!(FAMILY_NAME),
                "{upstream}: {pretty}"
            );
            assert_eq!(
                values["birthdate"],
                json!("1985-01-02"),
                "{upstream}: {pretty}"
            );
            assert_eq!(
                values[PNR_CLAIM],
                json!(PERSONNUMMER),
                "{upstream}: {pretty}"
            );
            assert_eq!(values.get(FOREIGN_CLAIM), None, "{upstream}: {pretty}");
            subs.push(run["id_token"]["sub"].as_str().unwrap().to_owned());
            // The broker sent the person to oidc-provider's end_session_endpoint (with its ID
            // token as the hint) and came back to the e-service's post-logout URI.
            let end_session = run["steps"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["step"] == json!("end_session"))
                .unwrap();
            assert_eq!(
                end_session["upstream_logout_confirmed"],
                json!(true),
                "{upstream}: {pretty}"
            );
        }
    }
    // Each upstream is its own identity source: the same account through another upstream is
    // another person at the broker unless linked; per upstream, two sectors give two subjects.
    subs.sort();
    subs.dedup();
    assert!(subs.len() >= 2, "{subs:?}");
    broker.stop().await;

    // What oidc-provider saw: per client of the broker and per e-service login, a pushed
    // authorization request (for the upstream with PAR), an authorization, a code grant with
    // the client's authentication method (for ID tokens with its algorithm), UserInfo and an
    // ended session; no error.
    let events = op.finish().await;
    let pretty = serde_json::to_string_pretty(&events).unwrap();
    let errors: Vec<&Value> = events
        .iter()
        .filter(|e| e["event"].as_str().unwrap().contains("error"))
        .collect();
    assert!(
        errors.is_empty(),
        "oidc-provider reported errors:\n{pretty}"
    );
    // Each login asked for the mapped acr; the broker's own `upstream:` hint stayed home.
    let interactions: Vec<&Value> = events
        .iter()
        .filter(|e| e["event"] == json!("interaction"))
        .collect();
    assert_eq!(interactions.len(), 4, "{pretty}");
    for interaction in interactions {
        assert_eq!(interaction["acr_values"], json!(LOA3), "{pretty}");
        assert_eq!(interaction.get("login_hint"), None, "{pretty}");
    }
    for (client, method, alg, pushed) in [
        ("broker-es256", "client_secret_basic", "ES256", 0),
        ("broker-rs256", "private_key_jwt", "RS256", 2),
    ] {
        let count = |event: &str| {
            events
                .iter()
                .filter(|e| e["event"] == json!(event) && e["client"] == json!(client))
                .count()
        };
        // Two e-service clients, one login each (single sign-on and refresh stay at the broker).
        for event in ["authorization.success", "end_session.success"] {
            assert_eq!(count(event), 2, "{client} {event}:\n{pretty}");
        }
        // One upstream with PAR (advertised, so used), one with the plain request.
        assert_eq!(
            count("pushed_authorization_request.success"),
            pushed,
            "{client}:\n{pretty}"
        );
        let grants: Vec<&Value> = events
            .iter()
            .filter(|e| e["event"] == json!("grant.success") && e["client"] == json!(client))
            .collect();
        assert_eq!(grants.len(), 2, "{client}:\n{pretty}");
        for grant in grants {
            assert_eq!(grant["auth_method"], json!(method), "{pretty}");
            assert_eq!(grant["id_token_alg"], json!(alg), "{pretty}");
        }
    }
    assert_eq!(
        events
            .iter()
            .filter(|e| e["event"] == json!("userinfo.success"))
            .count(),
        4,
        "{pretty}"
    );
}

/// The broker fails closed on what oidc-provider sends outside the broker's configuration:
/// ID tokens signed with an algorithm the upstream's allow-list lacks (ES256 where only RS256
/// is accepted), and a login at a level the upstream's mapping lacks (loa2 where loa3 was
/// asked and mapped). The e-service gets an error, never a code; oidc-provider did its part
/// (each login reached its token endpoint).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_broker_refuses_what_oidc_provider_sends_outside_its_configuration() {
    let locked = peers_ready();
    let dir = scratch_dir();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let callback = format!("{base}/upstream/callback");
    let secret = random_secret();
    let registration = |client_id: &str, acr: &str| {
        json!({
            "client_id": client_id,
            "token_endpoint_auth_method": "client_secret_basic",
            "client_secret": secret,
            "id_token_signed_response_alg": "ES256",
            "redirect_uri": callback,
            "acr": acr,
        })
    };
    let op = Op::start(&op_config(vec![
        registration("broker-wrong-alg", LOA3),
        registration("broker-low-level", LOA2),
    ]))
    .await;
    let auth = format!("{{ method = \"client_secret_basic\", secret = \"{secret}\" }}");
    let upstreams_toml = op_upstream(
        &op.issuer,
        &callback,
        "op-wrong-alg",
        "broker-wrong-alg",
        &auth,
        "RS256",
        "auto",
    ) + &op_upstream(
        &op.issuer,
        &callback,
        "op-low-level",
        "broker-low-level",
        &auth,
        "ES256",
        "auto",
    );
    let clients = eservice_clients(&dir);
    let broker = RunningBroker::start(listener, &upstreams_toml, &clients.toml).await;

    // The broker's answers: a token it cannot trust is its upstream's failure (server_error);
    // a level below the request is the request's (OpenID Connect EAP ACR Values §4).
    for (upstream, error) in [
        ("op-wrong-alg", "server_error"),
        ("op-low-level", "unmet_authentication_requirements"),
    ] {
        let mut settings = clients.settings[1].clone();
        settings["expect_refusal"] = json!("authorization_request");
        let (success, summary) = run_rp(&json!({
            "issuer": broker.issuer,
            "person": OP_ACCOUNT,
            "login": "none",
            "scope": format!("openid profile {PNR_SCOPE}"),
            "authorization_params": { "login_hint": format!("upstream:{upstream}") },
            "clients": [settings],
        }))
        .await;
        let pretty = serde_json::to_string_pretty(&summary).unwrap();
        assert!(success, "{upstream}: rp.mjs failed:\n{pretty}");
        assert_eq!(
            summary["peer"]["openid-client"],
            json!(locked.openid_client)
        );
        let run = &summary["runs"][0];
        assert_eq!(
            run["refused_at"],
            json!("authorization_request"),
            "{pretty}"
        );
        let failed = run["steps"].as_array().unwrap().last().unwrap();
        assert_eq!(failed["ok"], json!(false), "{pretty}");
        // The broker answered the e-service with an OAuth error, not a code.
        assert_eq!(
            failed["error"],
            json!(format!("no code: {error}")),
            "{upstream}: {pretty}"
        );
    }
    broker.stop().await;
    let events = op.finish().await;
    let pretty = serde_json::to_string_pretty(&events).unwrap();
    for client in ["broker-wrong-alg", "broker-low-level"] {
        assert_eq!(
            events
                .iter()
                .filter(|e| e["event"] == json!("grant.success") && e["client"] == json!(client))
                .count(),
            1,
            "{client}:\n{pretty}"
        );
    }
}
