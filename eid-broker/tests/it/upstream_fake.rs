//! A small OpenID provider on 127.0.0.1:0 for the upstream connector's tests: discovery, JWKS,
//! PAR, authorize, token (client_secret_basic/post and private_key_jwt checked, PKCE S256
//! checked) and UserInfo. Each [`Fault`] produces one faulty answer of the conformance suite's
//! Basic RP plan; ID tokens are signed with ring over headers the test chooses (no `kid`,
//! `alg: none`, another key).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use eid_broker::upstream::{
    AcrEntry, AcrMapping, CallbackParams, ClientAuthConfig, ClientCredentials, ClientSecret,
    Upstream, UpstreamConfig,
};
use eid_core::assurance::LevelOfAssurance;
use eid_core::clock::{Clock, ManualClock, UnixTime};
use eid_core::jose::{Jwk, Jwks, JwsAlgorithm, SigningKey};
use eid_core::verify::IdTokenVerifier;
use percent_encoding::percent_decode_str;
use ring::rand::SystemRandom;
use ring::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, RSA_PKCS1_SHA256, RsaKeyPair,
};
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;
use url::Url;

pub(crate) const CLIENT_ID: &str = "broker";
/// With characters that form-urlencoding changes (RFC 6749 §2.3.1).
pub(crate) const CLIENT_SECRET: &str = "fake-secret:3bd0/c1+";
pub(crate) const SUBJECT: &str = "fake-sub-7f3a";
/// A Tax Agency test personnummer (as in eid-core's claim tests).
pub(crate) const PNR: &str = "195006262546";
/// The OIDC Sweden claim for a personnummer.
pub(crate) const PNR_CLAIM: &str = "https://id.oidc.se/claim/personalIdentityNumber";
pub(crate) const LOA3: &str = "http://id.elegnamnden.se/loa/1.0/loa3";
pub(crate) const LOA4: &str = "http://id.elegnamnden.se/loa/1.0/loa4";
pub(crate) const LOA2: &str = "http://id.elegnamnden.se/loa/1.0/loa2";
pub(crate) const START: UnixTime = UnixTime::from_secs(1_764_000_000);

/// What the fake does wrong.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum Fault {
    #[default]
    None,
    /// `error=<code>` at the authorization endpoint.
    AuthorizeError(&'static str),
    /// `iss` of another provider in the authorization response.
    WrongIssInResponse,
    /// No `iss` in the authorization response.
    MissingIssInResponse,
    /// ID token `iss` of another provider.
    InvalidIss,
    /// ID token without `sub`.
    MissingSub,
    /// ID token for another client.
    InvalidAud,
    /// ID token without `iat`.
    MissingIat,
    /// ID token `nonce` not the one sent.
    InvalidNonce,
    /// ID token header without `kid`.
    KidAbsent,
    /// `alg: none`, empty signature.
    AlgNone,
    /// A signature byte flipped.
    InvalidSignature,
    /// ID token expired ten minutes ago.
    Expired,
    /// The ID token's `acr` is this value instead of the first one asked for.
    Acr(&'static str),
    /// No `acr` in the ID token.
    NoAcr,
    /// UserInfo `sub` of someone else.
    UserInfoInvalidSub,
    /// The token endpoint answers `invalid_grant`.
    TokenError,
    /// The token response has no ID token.
    NoIdToken,
    /// The token endpoint never answers (the client's request time limit ends it).
    TokenHangs,
    /// The token endpoint answers 503 with an HTML page (a load balancer in maintenance).
    TokenUnavailable,
    /// ID token signed with the key at this index of the signing keys, which the JWKS may not
    /// list yet.
    SignWith(usize),
}

/// A key the fake signs with, raw (any header).
pub(crate) struct TestKey {
    pub(crate) algorithm: JwsAlgorithm,
    pub(crate) public: Jwk,
    pub(crate) kid: String,
    signer: Signer,
}

enum Signer {
    Ec(EcdsaKeyPair),
    Rsa(RsaKeyPair),
}

impl TestKey {
    pub(crate) fn es256() -> Self {
        let der = SigningKey::generate_pkcs8_der(JwsAlgorithm::Es256).unwrap();
        let key = SigningKey::from_pkcs8_der(&der, JwsAlgorithm::Es256).unwrap();
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &der, &SystemRandom::new())
                .unwrap();
        Self {
            algorithm: JwsAlgorithm::Es256,
            public: key.public_jwk(),
            kid: key.kid().to_owned(),
            signer: Signer::Ec(pair),
        }
    }

    pub(crate) fn rs256() -> Self {
        let pem = include_str!("../../../eid-core/tests/data/jose/rsa-2048.pem");
        let der = pem_der(pem);
        let key = SigningKey::from_pkcs8_der(&der, JwsAlgorithm::Rs256).unwrap();
        Self {
            algorithm: JwsAlgorithm::Rs256,
            public: key.public_jwk(),
            kid: key.kid().to_owned(),
            signer: Signer::Rsa(RsaKeyPair::from_pkcs8(&der).unwrap()),
        }
    }

    /// A compact JWS over `header` and `claims`.
    pub(crate) fn sign(&self, header: &Value, claims: &Value) -> String {
        let mut token = URL_SAFE_NO_PAD.encode(serde_json::to_vec(header).unwrap());
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap()));
        let rng = SystemRandom::new();
        let signature = match &self.signer {
            Signer::Ec(pair) => pair.sign(&rng, token.as_bytes()).unwrap().as_ref().to_vec(),
            Signer::Rsa(pair) => {
                let mut signature = vec![0; pair.public().modulus_len()];
                pair.sign(&RSA_PKCS1_SHA256, &rng, token.as_bytes(), &mut signature)
                    .unwrap();
                signature
            }
        };
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(signature));
        token
    }
}

fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    STANDARD.decode(body).unwrap()
}

/// How the fake expects the broker to authenticate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ExpectedAuth {
    Basic,
    Post,
    PrivateKeyJwt(Jwk),
}

/// What the fake advertises and expects.
pub(crate) struct FakeOptions {
    pub(crate) keys: Vec<TestKey>,
    /// How many of `keys` the JWKS lists (from the start).
    pub(crate) published: usize,
    pub(crate) auth: ExpectedAuth,
    pub(crate) par: bool,
    pub(crate) require_par: bool,
    pub(crate) iss_parameter: bool,
    pub(crate) end_session: bool,
    /// Bytes of padding in the discovery document.
    pub(crate) discovery_padding: usize,
    pub(crate) fault: Fault,
}

impl Default for FakeOptions {
    fn default() -> Self {
        Self {
            keys: vec![TestKey::es256()],
            published: 1,
            auth: ExpectedAuth::Basic,
            par: false,
            require_par: false,
            iss_parameter: true,
            end_session: false,
            discovery_padding: 0,
            fault: Fault::None,
        }
    }
}

/// A pending authorization code.
struct Grant {
    nonce: Option<String>,
    challenge: String,
    redirect_uri: String,
    acr: Option<String>,
}

#[derive(Default)]
pub(crate) struct Record {
    /// The authorization requests' parameters (resolved from PAR when pushed).
    pub(crate) authorize: Vec<HashMap<String, String>>,
    /// The front-channel parameters, as the browser brought them.
    pub(crate) front_channel: Vec<HashMap<String, String>>,
    pub(crate) par: Vec<HashMap<String, String>>,
    pub(crate) token: Vec<HashMap<String, String>>,
    pub(crate) token_authorization: Vec<Option<String>>,
    pub(crate) userinfo_authorization: Vec<Option<String>>,
    pub(crate) jwks_fetches: usize,
    pub(crate) discovery_fetches: usize,
}

struct Inner {
    issuer: String,
    options: FakeOptions,
    grants: HashMap<String, Grant>,
    pushed: HashMap<String, HashMap<String, String>>,
    access_tokens: HashMap<String, String>,
    record: Record,
    counter: u64,
    discovery_failing: bool,
    /// The clock the connector under test uses too.
    clock: Arc<ManualClock>,
}

type Shared = Arc<Mutex<Inner>>;

/// A running fake provider.
pub(crate) struct Fake {
    pub(crate) issuer: String,
    pub(crate) clock: Arc<ManualClock>,
    inner: Shared,
}

impl Fake {
    pub(crate) async fn start(options: FakeOptions) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let clock = Arc::new(ManualClock::new(START));
        let inner = Arc::new(Mutex::new(Inner {
            issuer: issuer.clone(),
            options,
            grants: HashMap::new(),
            pushed: HashMap::new(),
            access_tokens: HashMap::new(),
            record: Record::default(),
            counter: 0,
            discovery_failing: false,
            clock: Arc::clone(&clock),
        }));
        let router = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/par", post(par))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/userinfo", get(userinfo))
            .with_state(Arc::clone(&inner));
        tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Self {
            issuer,
            clock,
            inner,
        }
    }

    pub(crate) fn set_fault(&self, fault: Fault) {
        self.inner.lock().unwrap().options.fault = fault;
    }

    /// Makes the discovery endpoint answer 500 (or work again).
    pub(crate) fn set_discovery_failing(&self, failing: bool) {
        self.inner.lock().unwrap().discovery_failing = failing;
    }

    /// Lists `count` of the signing keys in the JWKS from now on.
    pub(crate) fn publish(&self, count: usize) {
        self.inner.lock().unwrap().options.published = count;
    }

    pub(crate) fn with_record<T>(&self, f: impl FnOnce(&Record) -> T) -> T {
        f(&self.inner.lock().unwrap().record)
    }

    pub(crate) fn redirect_uri(&self) -> Url {
        Url::parse("http://127.0.0.1:9/upstream/fake/callback").unwrap()
    }

    /// The default mapping: loa3 and loa4 asked for with upstream-specific values.
    pub(crate) fn acr_mapping() -> AcrMapping {
        AcrMapping::new(vec![
            AcrEntry::new(LevelOfAssurance::Loa2, "urn:fake:loa2").answered_by([LOA2]),
            AcrEntry::new(LevelOfAssurance::Loa3, "urn:fake:loa3").answered_by([LOA3]),
            AcrEntry::new(LevelOfAssurance::Loa4, "urn:fake:loa4").answered_by([LOA4]),
        ])
        .unwrap()
    }

    /// A configuration for this fake with client_secret_basic.
    pub(crate) fn config(&self) -> UpstreamConfig {
        let mut config = UpstreamConfig::new(
            "fake",
            self.issuer.clone(),
            CLIENT_ID,
            self.redirect_uri(),
            ClientAuthConfig::ClientSecretBasic {
                secret: ClientSecret::new(CLIENT_SECRET),
            },
            Self::acr_mapping(),
        );
        config.timeouts.request_ms = 2_000;
        config
    }

    pub(crate) fn upstream(&self) -> Upstream {
        self.upstream_with(self.config())
    }

    pub(crate) fn upstream_with(&self, config: UpstreamConfig) -> Upstream {
        let credentials = match &config.client_auth {
            ClientAuthConfig::ClientSecretBasic { secret } => {
                ClientCredentials::ClientSecretBasic(secret.clone())
            }
            ClientAuthConfig::ClientSecretPost { secret } => {
                ClientCredentials::ClientSecretPost(secret.clone())
            }
            other => panic!("load {other:?} with Upstream::new"),
        };
        Upstream::with_credentials(
            config,
            credentials,
            Arc::clone(&self.clock) as Arc<dyn Clock>,
        )
        .unwrap()
    }

    /// The browser: follows the authorization URL and reads the callback's parameters from the
    /// redirect.
    pub(crate) async fn browse(&self, url: &Url) -> CallbackParams {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .unwrap();
        let response = client.get(url.as_str()).send().await.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "the fake redirects back"
        );
        let location = response.headers()[header::LOCATION].to_str().unwrap();
        let location = Url::parse(location).unwrap();
        let pairs: HashMap<String, String> = location.query_pairs().into_owned().collect();
        let mut params = CallbackParams::default();
        params.code = pairs.get("code").cloned();
        params.state = pairs.get("state").cloned();
        params.iss = pairs.get("iss").cloned();
        params.error = pairs.get("error").cloned();
        params.error_description = pairs.get("error_description").cloned();
        params
    }
}

async fn discovery(State(inner): State<Shared>) -> Response {
    let mut inner = inner.lock().unwrap();
    inner.record.discovery_fetches += 1;
    if inner.discovery_failing {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let issuer = inner.issuer.clone();
    let mut metadata = json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "userinfo_endpoint": format!("{issuer}/userinfo"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256", "RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported":
            ["client_secret_basic", "client_secret_post", "private_key_jwt"],
        "authorization_response_iss_parameter_supported": inner.options.iss_parameter,
    });
    let object = metadata.as_object_mut().unwrap();
    if inner.options.par {
        object.insert(
            "pushed_authorization_request_endpoint".into(),
            json!(format!("{issuer}/par")),
        );
        object.insert(
            "require_pushed_authorization_requests".into(),
            json!(inner.options.require_par),
        );
    }
    if inner.options.discovery_padding > 0 {
        object.insert(
            "x_padding".into(),
            json!("a".repeat(inner.options.discovery_padding)),
        );
    }
    if inner.options.end_session {
        object.insert(
            "end_session_endpoint".into(),
            json!(format!("{issuer}/logout")),
        );
    }
    axum::Json(metadata).into_response()
}

async fn jwks(State(inner): State<Shared>) -> Response {
    let mut inner = inner.lock().unwrap();
    inner.record.jwks_fetches += 1;
    let keys: Vec<Jwk> = inner
        .options
        .keys
        .iter()
        .take(inner.options.published)
        .map(|key| key.public.clone())
        .collect();
    axum::Json(Jwks::new(keys).unwrap()).into_response()
}

fn next_id(inner: &mut Inner, prefix: &str) -> String {
    inner.counter += 1;
    format!(
        "{prefix}-{}-{}",
        inner.counter,
        URL_SAFE_NO_PAD.encode(inner.counter.to_be_bytes())
    )
}

/// The 401 answer to a client that did not authenticate.
fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        axum::Json(json!({"error": "invalid_client"})),
    )
        .into_response()
}

/// Whether a back-channel request carries the expected client authentication.
fn client_authenticated(
    inner: &Inner,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> bool {
    match &inner.options.auth {
        ExpectedAuth::Basic => {
            // RFC 6749 §2.3.1: id and secret form-urlencoded, then Base64.
            let given = headers
                .get(header::AUTHORIZATION)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.strip_prefix("Basic "))
                .and_then(|value| STANDARD.decode(value).ok())
                .and_then(|bytes| String::from_utf8(bytes).ok());
            let decoded =
                given
                    .as_deref()
                    .and_then(|pair| pair.split_once(':'))
                    .map(|(id, secret)| {
                        (
                            percent_decode_str(id).decode_utf8_lossy().into_owned(),
                            percent_decode_str(secret).decode_utf8_lossy().into_owned(),
                        )
                    });
            if decoded != Some((CLIENT_ID.to_owned(), CLIENT_SECRET.to_owned()))
                || form.contains_key("client_secret")
            {
                return false;
            }
        }
        ExpectedAuth::Post => {
            if headers.contains_key(header::AUTHORIZATION)
                || form.get("client_id").map(String::as_str) != Some(CLIENT_ID)
                || form.get("client_secret").map(String::as_str) != Some(CLIENT_SECRET)
            {
                return false;
            }
        }
        ExpectedAuth::PrivateKeyJwt(jwk) => {
            if form.get("client_assertion_type").map(String::as_str)
                != Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                || form.contains_key("client_secret")
            {
                return false;
            }
            let Some(assertion) = form.get("client_assertion") else {
                return false;
            };
            // iss = the client, aud = our issuer; checked with eid-core's verifier.
            let jwks = Jwks::new(vec![jwk.clone()]).unwrap();
            let verifier =
                IdTokenVerifier::new(CLIENT_ID, &inner.issuer, &jwks, &[JwsAlgorithm::Es256])
                    .unwrap();
            match verifier.verify(assertion, inner.clock.now()) {
                Ok(verified) if verified.subject() == CLIENT_ID => {}
                _ => return false,
            }
        }
    }
    true
}

async fn par(
    State(inner): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut inner = inner.lock().unwrap();
    inner.record.par.push(form.clone());
    if !client_authenticated(&inner, &headers, &form) {
        return unauthorized();
    }
    let request_uri = format!(
        "urn:ietf:params:oauth:request_uri:{}",
        next_id(&mut inner, "par")
    );
    let mut params = form;
    for secret in ["client_secret", "client_assertion", "client_assertion_type"] {
        params.remove(secret);
    }
    inner.pushed.insert(request_uri.clone(), params);
    (
        StatusCode::CREATED,
        axum::Json(json!({"request_uri": request_uri, "expires_in": 60})),
    )
        .into_response()
}

async fn authorize(
    State(inner): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut inner = inner.lock().unwrap();
    inner.record.front_channel.push(query.clone());
    let params = match query.get("request_uri") {
        Some(uri) => match inner.pushed.remove(uri) {
            Some(params) => params,
            None => return (StatusCode::BAD_REQUEST, "unknown request_uri").into_response(),
        },
        None if inner.options.require_par => {
            return (StatusCode::BAD_REQUEST, "PAR required").into_response();
        }
        None => query,
    };
    inner.record.authorize.push(params.clone());
    let redirect_uri = params.get("redirect_uri").cloned().unwrap_or_default();
    let valid = params.get("client_id").map(String::as_str) == Some(CLIENT_ID)
        && redirect_uri == "http://127.0.0.1:9/upstream/fake/callback"
        && params.get("response_type").map(String::as_str) == Some("code")
        && params.get("code_challenge_method").map(String::as_str) == Some("S256")
        && params.contains_key("code_challenge");
    if !valid {
        return (StatusCode::BAD_REQUEST, "invalid authorization request").into_response();
    }
    let mut location = Url::parse(&redirect_uri).unwrap();
    {
        let mut pairs = location.query_pairs_mut();
        match inner.options.fault.clone() {
            Fault::AuthorizeError(code) => {
                pairs.append_pair("error", code);
            }
            _ => {
                let code = next_id(&mut inner, "code");
                let acr = params
                    .get("acr_values")
                    .and_then(|values| values.split(' ').next())
                    .map(|value| answer_for(value).to_owned());
                inner.grants.insert(
                    code.clone(),
                    Grant {
                        nonce: params.get("nonce").cloned(),
                        challenge: params.get("code_challenge").cloned().unwrap_or_default(),
                        redirect_uri: redirect_uri.clone(),
                        acr,
                    },
                );
                pairs.append_pair("code", &code);
            }
        }
        if let Some(state) = params.get("state") {
            pairs.append_pair("state", state);
        }
        match inner.options.fault {
            Fault::WrongIssInResponse => {
                pairs.append_pair("iss", "https://other-idp.example");
            }
            Fault::MissingIssInResponse => {}
            _ => {
                pairs.append_pair("iss", &inner.issuer);
            }
        }
    }
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, location.to_string())],
    )
        .into_response()
}

/// The `acr` this fake asserts for a requested upstream value.
fn answer_for(requested: &str) -> &'static str {
    match requested {
        "urn:fake:loa2" => LOA2,
        "urn:fake:loa4" => LOA4,
        _ => LOA3,
    }
}

async fn token(
    State(inner): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if inner.lock().unwrap().options.fault == Fault::TokenHangs {
        std::future::pending::<()>().await;
    }
    if inner.lock().unwrap().options.fault == Fault::TokenUnavailable {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/html")],
            "<html><body>Down for maintenance</body></html>",
        )
            .into_response();
    }
    let mut inner = inner.lock().unwrap();
    inner.record.token.push(form.clone());
    inner.record.token_authorization.push(
        headers
            .get(header::AUTHORIZATION)
            .map(|v| v.to_str().unwrap().to_owned()),
    );
    if !client_authenticated(&inner, &headers, &form) {
        return unauthorized();
    }
    let invalid_grant = || {
        (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"error": "invalid_grant"})),
        )
            .into_response()
    };
    if inner.options.fault == Fault::TokenError {
        return invalid_grant();
    }
    let Some(grant) = form.get("code").and_then(|code| inner.grants.remove(code)) else {
        return invalid_grant();
    };
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    let challenge = URL_SAFE_NO_PAD.encode(ring::digest::digest(
        &ring::digest::SHA256,
        verifier.as_bytes(),
    ));
    if form.get("grant_type").map(String::as_str) != Some("authorization_code")
        || challenge != grant.challenge
        || form.get("redirect_uri") != Some(&grant.redirect_uri)
    {
        return invalid_grant();
    }
    let access_token = next_id(&mut inner, "at");
    inner
        .access_tokens
        .insert(access_token.clone(), SUBJECT.to_owned());
    let mut body = json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": 300,
    });
    if inner.options.fault != Fault::NoIdToken {
        let id_token = id_token(&inner, &grant);
        body.as_object_mut()
            .unwrap()
            .insert("id_token".into(), json!(id_token));
    }
    axum::Json(body).into_response()
}

/// The ID token for `grant`, with the fault applied.
fn id_token(inner: &Inner, grant: &Grant) -> String {
    let now = inner.clock.now().as_secs();
    let fault = &inner.options.fault;
    let mut claims = Map::new();
    claims.insert("iss".into(), json!(inner.issuer));
    claims.insert("sub".into(), json!(SUBJECT));
    claims.insert("aud".into(), json!(CLIENT_ID));
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(now + 300));
    claims.insert("auth_time".into(), json!(now - 5));
    claims.insert("amr".into(), json!(["bankid"]));
    claims.insert("sid".into(), json!("fake-session-1"));
    claims.insert(PNR_CLAIM.into(), json!(PNR));
    if let Some(nonce) = &grant.nonce {
        claims.insert("nonce".into(), json!(nonce));
    }
    if let Some(acr) = &grant.acr {
        claims.insert("acr".into(), json!(acr));
    }
    match fault {
        Fault::InvalidIss => {
            claims.insert("iss".into(), json!("https://other-idp.example"));
        }
        Fault::MissingSub => {
            claims.remove("sub");
        }
        Fault::InvalidAud => {
            claims.insert("aud".into(), json!("another-client"));
        }
        Fault::MissingIat => {
            claims.remove("iat");
        }
        Fault::InvalidNonce => {
            claims.insert("nonce".into(), json!("not-the-nonce-sent"));
        }
        Fault::Expired => {
            claims.insert("iat".into(), json!(now - 900));
            claims.insert("exp".into(), json!(now - 600));
        }
        Fault::Acr(acr) => {
            claims.insert("acr".into(), json!(acr));
        }
        Fault::NoAcr => {
            claims.remove("acr");
        }
        _ => {}
    }
    let claims = Value::Object(claims);
    let index = match fault {
        Fault::SignWith(index) => *index,
        _ => 0,
    };
    let key = inner.options.keys.get(index).unwrap();
    let alg = key.algorithm.to_string();
    match fault {
        Fault::KidAbsent => key.sign(&json!({"alg": alg, "typ": "JWT"}), &claims),
        Fault::AlgNone => {
            let signed = key.sign(&json!({"alg": "none", "typ": "JWT"}), &claims);
            let (unsigned, _) = signed.rsplit_once('.').unwrap();
            format!("{unsigned}.")
        }
        Fault::InvalidSignature => {
            let signed = key.sign(&json!({"alg": alg, "kid": key.kid, "typ": "JWT"}), &claims);
            let (input, signature) = signed.rsplit_once('.').unwrap();
            let mut bytes = URL_SAFE_NO_PAD.decode(signature).unwrap();
            *bytes.first_mut().unwrap() ^= 0x01;
            format!("{input}.{}", URL_SAFE_NO_PAD.encode(bytes))
        }
        _ => key.sign(&json!({"alg": alg, "kid": key.kid, "typ": "JWT"}), &claims),
    }
}

async fn userinfo(State(inner): State<Shared>, headers: HeaderMap) -> Response {
    let mut inner = inner.lock().unwrap();
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    inner
        .record
        .userinfo_authorization
        .push(authorization.clone());
    let Some(subject) = authorization
        .as_deref()
        .and_then(|value| value.strip_prefix("Bearer "))
        .and_then(|token| inner.access_tokens.get(token))
    else {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")],
        )
            .into_response();
    };
    let subject = if inner.options.fault == Fault::UserInfoInvalidSub {
        "someone-else".to_owned()
    } else {
        subject.clone()
    };
    axum::Json(json!({
        "sub": subject,
        "given_name": "Lisa",
        "family_name": "Testsson",
        "email": "lisa@example.invalid",
        PNR_CLAIM: PNR,
    }))
    .into_response()
}
