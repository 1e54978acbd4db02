//! Tests of the authorization side, driving [`Provider`]'s public operations: a provider with
//! static clients, an ephemeral key ring, an in-memory store and a manual clock.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::assurance::LevelOfAssurance;
use eid_core::claims::Identity;
use eid_core::clock::{ManualClock, UnixTime};
use eid_core::jose::{Jwks, JwsAlgorithm, SigningKey};
use serde_json::json;

use crate::client::{Client, ClientAuthMethod, ClientCredentials, StaticClients};
use crate::discovery::{Issuer, ProviderMetadata};
use crate::id_token::{IdTokenContent, Subject, mint_id_token};
use crate::keys::KeyRing;
use crate::oauth_error::{OAuthError, OAuthErrorCode};
use crate::params::Parameters;
use crate::pkce::{CodeChallenge, CodeVerifier};
use crate::provider::{
    Authentication, AuthorizationResponse, AuthorizeOutcome, PendingLogin, Provider,
    ProviderConfig, SessionRules, Stores,
};
use crate::secret::{AuthorizationCode, ClientSecret};
use crate::store::{CodeGrant, MemoryStore, SessionId};

mod login;
mod par;
mod request;
mod request_object;
mod session;

const T0: UnixTime = UnixTime::from_secs(1_764_000_000);
const ISSUER: &str = "https://op.example";
const RP: &str = "rp";
const RP_CB: &str = "https://rp.example/cb";
const RP_SECRET: &str = "rp-secret-of-the-e-service";
const JAR: &str = "jar";
const JAR_CB: &str = "https://jar.example/cb";
const JAR_OTHER_CB: &str = "https://jar.example/other";
const PAR_ONLY: &str = "par-only";
const PAR_ONLY_CB: &str = "https://par.example/cb";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const LOA3: &str = "http://id.elegnamnden.se/loa/1.0/loa3";
const LOA4: &str = "http://id.elegnamnden.se/loa/1.0/loa4";
const PNR_SCOPE: &str = "https://id.oidc.se/scope/naturalPersonNumber";
const PNR_CLAIM: &str = "https://id.oidc.se/claim/personalIdentityNumber";

/// A provider and what a test needs to look into it.
struct Fixture {
    provider: Provider,
    clock: Arc<ManualClock>,
    store: Arc<MemoryStore>,
    /// The `jar` client's request-object and assertion key.
    jar_key: SigningKey,
}

fn client_secret() -> ClientSecret {
    ClientSecret::from_presented(RP_SECRET).unwrap()
}

fn fixture() -> Fixture {
    fixture_with(ProviderConfig::default())
}

fn fixture_with(config: ProviderConfig) -> Fixture {
    let jar_key = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
    let rp = Client::builder(RP.parse().unwrap(), ClientAuthMethod::ClientSecretBasic)
        .secret(&client_secret())
        .redirect_uri(RP_CB.parse().unwrap())
        .scope("openid")
        .scope("profile")
        .scope(PNR_SCOPE)
        .build()
        .unwrap();
    let jar = Client::builder(JAR.parse().unwrap(), ClientAuthMethod::PrivateKeyJwt)
        .jwks(Jwks::new(vec![jar_key.public_jwk()]).unwrap())
        .redirect_uri(JAR_CB.parse().unwrap())
        .redirect_uri(JAR_OTHER_CB.parse().unwrap())
        .scope("openid")
        .scope("profile")
        .build()
        .unwrap();
    let par_only = Client::builder(
        PAR_ONLY.parse().unwrap(),
        ClientAuthMethod::ClientSecretBasic,
    )
    .secret(&client_secret())
    .redirect_uri(PAR_ONLY_CB.parse().unwrap())
    .require_pushed_authorization_requests(true)
    .build()
    .unwrap();
    let clients = StaticClients::new(vec![rp, jar, par_only]).unwrap();
    let metadata = ProviderMetadata::builder(ISSUER.parse::<Issuer>().unwrap())
        .acr_values(vec![LevelOfAssurance::Loa3, LevelOfAssurance::Loa4])
        .build()
        .unwrap();
    let clock = Arc::new(ManualClock::new(T0));
    let store = Arc::new(MemoryStore::new());
    let provider = Provider::builder(metadata, Arc::new(clients), KeyRing::ephemeral().unwrap())
        .config(config)
        .stores(Stores::all(Arc::clone(&store)))
        .clock(clock.clone())
        .build()
        .unwrap();
    Fixture {
        provider,
        clock,
        store,
        jar_key,
    }
}

fn sweden_connect() -> ProviderConfig {
    ProviderConfig {
        session_rules: SessionRules::SwedenConnect,
        ..ProviderConfig::default()
    }
}

fn challenge() -> String {
    CodeChallenge::from_verifier(&CodeVerifier::parse(VERIFIER).unwrap()).to_base64url()
}

/// A valid request of the `rp` client.
fn base() -> Vec<(String, String)> {
    [
        ("client_id", RP),
        ("response_type", "code"),
        ("scope", "openid profile"),
        ("redirect_uri", RP_CB),
        ("state", "state-1"),
        ("nonce", "nonce-1"),
        ("code_challenge", &challenge()),
        ("code_challenge_method", "S256"),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_owned(), v.to_owned()))
    .collect()
}

/// `pairs` with `name` set to `value` (`None` removes it).
fn with(
    mut pairs: Vec<(String, String)>,
    name: &str,
    value: Option<&str>,
) -> Vec<(String, String)> {
    pairs.retain(|(n, _)| n != name);
    if let Some(value) = value {
        pairs.push((name.to_owned(), value.to_owned()));
    }
    pairs
}

fn params(pairs: Vec<(String, String)>) -> Parameters {
    Parameters::from_pairs(pairs).unwrap()
}

fn identity() -> Identity {
    let claims = json!({
        "given_name": "Tolvan",
        "family_name": "Tolvansson",
        "birthdate": "1912-12-12",
        PNR_CLAIM: "191212121212",
    });
    Identity::from_oidc_claims(claims.as_object().unwrap(), T0.date()).unwrap()
}

fn authentication(subject: &str, acr: LevelOfAssurance) -> Authentication {
    Authentication::new(subject.parse::<Subject>().unwrap(), acr, identity())
        .with_amr(vec!["pwd".to_owned()])
}

impl Fixture {
    fn now(&self) -> UnixTime {
        self.provider.now()
    }

    async fn authorize(
        &self,
        pairs: Vec<(String, String)>,
        session: Option<&SessionId>,
    ) -> AuthorizeOutcome {
        self.provider.authorize(&params(pairs), session).await
    }

    /// Authorizes `pairs` (which must need a login) and completes it as `subject` at `acr`:
    /// the response and the session.
    async fn login(
        &self,
        pairs: Vec<(String, String)>,
        cookie: Option<&SessionId>,
        subject: &str,
        acr: LevelOfAssurance,
    ) -> (AuthorizationResponse, Option<SessionId>) {
        let login = expect_login(self.authorize(pairs, cookie).await);
        let completion = self
            .provider
            .complete_login(&login.transaction, authentication(subject, acr), cookie)
            .await
            .unwrap();
        (completion.response, completion.session)
    }

    /// The grant of the code in `response` (taken from the store, as the token endpoint would).
    async fn grant(&self, response: &AuthorizationResponse) -> CodeGrant {
        let code = AuthorizationCode::from_presented(response.parameter("code").unwrap()).unwrap();
        self.provider
            .stores()
            .codes
            .take_code(&code.digest(), self.now())
            .await
            .unwrap()
            .expect("the code is stored")
    }

    fn advance(&self, secs: u64) {
        self.clock.advance(Duration::from_secs(secs));
    }

    /// An ID token of ours for `client` about `subject`, as an `id_token_hint`.
    fn id_token(&self, client: &str, subject: &str) -> String {
        let content = IdTokenContent::new(
            ISSUER.parse().unwrap(),
            subject.parse().unwrap(),
            client,
            self.now(),
        );
        mint_id_token(
            &self.provider.keys(),
            JwsAlgorithm::Es256,
            &content,
            self.now(),
            Duration::from_secs(300),
        )
        .unwrap()
    }

    /// Client credentials for `client_secret_basic`.
    fn basic(&self, client: &str) -> ClientCredentials {
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(format!("{client}:{RP_SECRET}"));
        ClientCredentials {
            authorization_header: Some(format!("Basic {encoded}")),
            ..ClientCredentials::default()
        }
    }

    /// A request object of the `jar` client with `claims`, signed by its key.
    fn request_object(&self, claims: &serde_json::Value) -> String {
        self.jar_key.sign_jwt(claims).unwrap()
    }
}

/// The standard claims of a request object of `jar`.
fn request_object_claims(now: UnixTime) -> serde_json::Value {
    json!({
        "iss": JAR,
        "aud": ISSUER,
        "exp": now.as_secs() + 300,
        "iat": now.as_secs(),
        "client_id": JAR,
        "response_type": "code",
        "scope": "openid profile",
        "redirect_uri": JAR_OTHER_CB,
        "state": "inner-state",
        "nonce": "inner-nonce",
        "code_challenge": challenge(),
        "code_challenge_method": "S256",
    })
}

/// An unsigned (`alg: none`) JWT of `claims`.
fn unsigned(claims: &serde_json::Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap());
    format!("{header}.{payload}.")
}

#[track_caller]
fn expect_login(outcome: AuthorizeOutcome) -> PendingLogin {
    match outcome {
        AuthorizeOutcome::Login(login) => login,
        other => panic!("expected a login, got {other:?}"),
    }
}

#[track_caller]
fn expect_respond(outcome: AuthorizeOutcome) -> AuthorizationResponse {
    match outcome {
        AuthorizeOutcome::Respond(response) => response,
        other => panic!("expected a response, got {other:?}"),
    }
}

#[track_caller]
fn expect_page(outcome: AuthorizeOutcome) -> OAuthError {
    match outcome {
        AuthorizeOutcome::ErrorPage(error) => error,
        other => panic!("expected an error page, got {other:?}"),
    }
}

/// The error code of an error response, checking that it carries `iss` and no code.
#[track_caller]
fn error_code(response: &AuthorizationResponse) -> OAuthErrorCode {
    assert_eq!(response.parameter("iss"), Some(ISSUER));
    assert_eq!(response.parameter("code"), None);
    assert!(response.parameter("error_description").is_some());
    response.parameter("error").unwrap().parse().unwrap()
}

/// The error code of a redirected error.
#[track_caller]
fn redirected_error(outcome: AuthorizeOutcome) -> (OAuthErrorCode, AuthorizationResponse) {
    let response = expect_respond(outcome);
    (error_code(&response), response)
}
