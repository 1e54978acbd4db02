//! Test fixtures shared by the token, UserInfo, revocation, introspection and logout tests: a
//! provider with a few clients, a manual clock, and grants put straight into the stores.

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use eid_core::assurance::LevelOfAssurance;
use eid_core::clock::{ManualClock, UnixTime};
use eid_core::jose::JwsAlgorithm;
use eid_core::verify::{IdTokenVerifier, VerifiedIdToken};
use ring::rand::SystemRandom;
use serde_json::{Value, json};

use crate::client::{
    Client, ClientAuthMethod, ClientCredentials, ClientId, GrantType, StaticClients,
};
use crate::discovery::{Issuer, ProviderMetadata};
use crate::keys::KeyRing;
use crate::oauth_error::OAuthError;
use crate::params::Parameters;
use crate::pkce::{CodeChallenge, CodeVerifier};
use crate::provider::{Provider, ProviderConfig, Stores, TokenResponse};
use crate::secret::{AuthorizationCode, ClientSecret};
use crate::store::{CodeGrant, GrantId, Session, SessionId};

pub(crate) const ISSUER: &str = "https://op.example";
pub(crate) const START: u64 = 1_764_000_000;
pub(crate) const REDIRECT_URI: &str = "https://rp.example/cb";
pub(crate) const POST_LOGOUT_URI: &str = "https://rp.example/logged-out";
pub(crate) const BACKCHANNEL_URI: &str = "https://rp.example/backchannel";
pub(crate) const SUBJECT: &str = "c3a6fa0e-5b5e-4c3e-a3f5-3b9d0f6bb7f1";
pub(crate) const NONCE: &str = "n-0S6_WzA2Mj";
pub(crate) const SID: &str = "sid-4711";

/// Confidential, `client_secret_basic`, code and refresh grants, post-logout and back-channel
/// logout URIs.
pub(crate) const RP: &str = "rp";
/// Confidential, `client_secret_post`, code grant only; signed UserInfo.
pub(crate) const RP_POST: &str = "rp-post";
/// Public (`none`), code and refresh grants.
pub(crate) const RP_PUBLIC: &str = "rp-public";

pub(crate) fn secret_of(client: &str) -> String {
    format!("{client}-secret-0123456789")
}

/// A provider at `START` with the three clients, ephemeral keys and memory stores.
pub(crate) struct Fixture {
    pub(crate) provider: Provider,
    pub(crate) clock: Arc<ManualClock>,
    pub(crate) rng: SystemRandom,
}

impl Fixture {
    pub(crate) fn new() -> Self {
        Self::with_stores(Stores::memory())
    }

    pub(crate) fn with_stores(stores: Stores) -> Self {
        let issuer: Issuer = ISSUER.parse().unwrap();
        let metadata = ProviderMetadata::builder(issuer)
            .id_token_signing_algorithms(vec![JwsAlgorithm::Es256])
            .build()
            .unwrap();
        let rp = Client::builder(id(RP), ClientAuthMethod::ClientSecretBasic)
            .secret(&ClientSecret::from_presented(&secret_of(RP)).unwrap())
            .redirect_uri(REDIRECT_URI.parse().unwrap())
            .post_logout_redirect_uri(POST_LOGOUT_URI.parse().unwrap())
            .backchannel_logout_uri(BACKCHANNEL_URI.parse().unwrap())
            .grant_type(GrantType::AuthorizationCode)
            .grant_type(GrantType::RefreshToken)
            .scope("openid")
            .scope("profile")
            .scope("email")
            .id_token_signed_response_alg(JwsAlgorithm::Es256)
            .build()
            .unwrap();
        let rp_post = Client::builder(id(RP_POST), ClientAuthMethod::ClientSecretPost)
            .secret(&ClientSecret::from_presented(&secret_of(RP_POST)).unwrap())
            .redirect_uri("https://post.example/cb".parse().unwrap())
            .post_logout_redirect_uri("https://post.example/bye".parse().unwrap())
            .backchannel_logout_uri("https://post.example/backchannel".parse().unwrap())
            .id_token_signed_response_alg(JwsAlgorithm::Es256)
            .userinfo_signed_response_alg(JwsAlgorithm::Es256)
            .build()
            .unwrap();
        let rp_public = Client::builder(id(RP_PUBLIC), ClientAuthMethod::None)
            .redirect_uri("http://127.0.0.1:8080/cb".parse().unwrap())
            .grant_type(GrantType::AuthorizationCode)
            .grant_type(GrantType::RefreshToken)
            .id_token_signed_response_alg(JwsAlgorithm::Es256)
            .build()
            .unwrap();
        let clients = StaticClients::new(vec![rp, rp_post, rp_public]).unwrap();
        let clock = Arc::new(ManualClock::new(UnixTime::from_secs(START)));
        let provider =
            Provider::builder(metadata, Arc::new(clients), KeyRing::ephemeral().unwrap())
                .config(ProviderConfig::default())
                .stores(stores)
                .clock(clock.clone())
                .build()
                .unwrap();
        Self {
            provider,
            clock,
            rng: SystemRandom::new(),
        }
    }

    pub(crate) fn now(&self) -> UnixTime {
        self.provider.now()
    }

    /// A code for `client`, put into the code store as the authorization side would: scope
    /// `openid profile email`, a nonce, loa3, `amr`, `sid`, a name in the ID token and a name
    /// and email at UserInfo.
    pub(crate) async fn code_for(&self, client: &str, redirect_uri: &str) -> IssuedCode {
        let verifier =
            CodeVerifier::parse(&format!("verifier-{client}-{}", "x".repeat(40))).unwrap();
        let mut grant = CodeGrant::new(
            GrantId::generate(&self.rng).unwrap(),
            id(client),
            redirect_uri.parse().unwrap(),
            CodeChallenge::from_verifier(&verifier),
            SUBJECT.to_owned(),
            UnixTime::from_secs(START - 20),
        );
        grant.scope = vec!["openid".into(), "profile".into(), "email".into()];
        grant.nonce = Some(NONCE.into());
        grant.acr = Some(LevelOfAssurance::Loa3.as_uri().into());
        grant.amr = vec!["pwd".into()];
        grant.sid = Some(SID.into());
        grant.claims = json!({ "name": "Tolvan Tolvansson" })
            .as_object()
            .unwrap()
            .clone();
        grant.userinfo_claims = json!({
            "name": "Tolvan Tolvansson",
            "email": "tolvan@example.se",
        })
        .as_object()
        .unwrap()
        .clone();
        let code = AuthorizationCode::generate(&self.rng).unwrap();
        self.provider
            .stores()
            .codes
            .put_code(
                &code.digest(),
                grant,
                self.now(),
                self.provider.config().code_ttl,
            )
            .await
            .unwrap();
        IssuedCode {
            code,
            verifier,
            redirect_uri: redirect_uri.to_owned(),
        }
    }

    /// Changes the grant stored under `code` (as if the authorization side had made it so).
    pub(crate) async fn edit_grant(&self, code: &IssuedCode, edit: impl FnOnce(&mut CodeGrant)) {
        let codes = &self.provider.stores().codes;
        let digest = code.code.digest();
        let mut grant = codes.take_code(&digest, self.now()).await.unwrap().unwrap();
        edit(&mut grant);
        codes
            .put_code(&digest, grant, self.now(), self.provider.config().code_ttl)
            .await
            .unwrap();
    }

    /// Redeems `code` with its verifier and redirect URI, as `client`.
    pub(crate) async fn redeem(
        &self,
        client: &str,
        code: &IssuedCode,
    ) -> Result<TokenResponse, OAuthError> {
        self.provider
            .token(
                &credentials(client),
                &params(&[
                    ("grant_type", "authorization_code"),
                    ("code", code.code.expose_secret()),
                    ("redirect_uri", &code.redirect_uri),
                    ("code_verifier", code.verifier.expose_secret()),
                ]),
            )
            .await
    }

    /// A code for [`RP`] redeemed: the token response.
    pub(crate) async fn tokens(&self) -> TokenResponse {
        let code = self.code_for(RP, REDIRECT_URI).await;
        self.redeem(RP, &code).await.unwrap()
    }

    /// Refreshes with `refresh_token` as `client`, with `extra` parameters.
    pub(crate) async fn refresh(
        &self,
        client: &str,
        refresh_token: &str,
        extra: &[(&str, &str)],
    ) -> Result<TokenResponse, OAuthError> {
        let mut pairs = vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ];
        pairs.extend_from_slice(extra);
        self.provider
            .token(&credentials(client), &params(&pairs))
            .await
    }

    /// A session of [`SUBJECT`] with `sid` [`SID`] in which `clients` took part; its cookie id.
    pub(crate) async fn session_with(&self, clients: &[&str]) -> SessionId {
        let session_id = SessionId::generate(&self.rng).unwrap();
        let mut session = Session::new(SID.into(), SUBJECT.into(), UnixTime::from_secs(START));
        session.clients = clients.iter().map(|c| id(c)).collect();
        self.provider
            .stores()
            .sessions
            .put_session(
                &session_id,
                session,
                self.now(),
                self.provider.config().session_ttl,
            )
            .await
            .unwrap();
        session_id
    }

    /// Verifies an ID token of ours for `client` at the fixture's current time.
    pub(crate) fn verify_id_token(&self, client: &str, token: &str) -> VerifiedIdToken {
        IdTokenVerifier::new(
            ISSUER,
            client,
            &self.provider.jwks(),
            &[JwsAlgorithm::Es256],
        )
        .unwrap()
        .verify(token, self.now())
        .unwrap()
    }
}

/// A code put into the store, with what redeeming it needs.
pub(crate) struct IssuedCode {
    pub(crate) code: AuthorizationCode,
    pub(crate) verifier: CodeVerifier,
    pub(crate) redirect_uri: String,
}

pub(crate) fn id(client: &str) -> ClientId {
    client.parse().unwrap()
}

pub(crate) fn params(pairs: &[(&str, &str)]) -> Parameters {
    Parameters::from_pairs(
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
    )
    .unwrap()
}

/// The credentials `client` authenticates with by its registered method.
pub(crate) fn credentials(client: &str) -> ClientCredentials {
    let mut credentials = ClientCredentials::default();
    match client {
        RP_POST => {
            credentials.client_id = Some(client.to_owned());
            credentials.client_secret = Some(secret_of(client));
        }
        RP_PUBLIC => credentials.client_id = Some(client.to_owned()),
        _ => {
            let pair = format!("{client}:{}", secret_of(client));
            credentials.authorization_header = Some(format!("Basic {}", STANDARD.encode(pair)));
        }
    }
    credentials
}

/// The claims of a compact JWS, unverified (for tests that verify separately).
pub(crate) fn claims_of(jwt: &str) -> serde_json::Map<String, Value> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// The header of a compact JWS.
pub(crate) fn header_of(jwt: &str) -> serde_json::Map<String, Value> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = jwt.split('.').next().unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap()
}
