//! A minimal relying party that drives the mock IdP over real HTTP the way the OpenID
//! conformance suite's test modules do: discovery, authorization requests with any parameters,
//! the mock's login form (its documented way to log in without a browser), the token, UserInfo
//! and end-session endpoints. It follows no redirect by itself, so that every hop can be
//! checked, and keeps cookies like a browser.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::clock::{Clock, UnixTime};
use eid_core::jose::{Jwks, JwsAlgorithm, SigningKey};
use eid_core::verify::{IdTokenError, IdTokenVerifier, VerifiedIdToken};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION};
use serde_json::{Map, Value};

/// How the RP authenticates at the token endpoint.
#[derive(Clone, Debug)]
pub enum ClientAuth {
    /// `client_secret_basic`.
    Basic(String),
    /// `client_secret_post`.
    Post(String),
    /// `private_key_jwt` with this key.
    PrivateKeyJwt(Arc<SigningKey>),
    /// A public client.
    None,
}

/// One registered client of the mock, as the RP knows it.
#[derive(Clone, Debug)]
pub struct ClientProfile {
    pub client_id: String,
    pub auth: ClientAuth,
    pub redirect_uri: String,
    pub post_logout_redirect_uri: Option<String>,
}

/// An HTTP answer, read completely.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn location(&self) -> Option<&str> {
        self.headers.get(LOCATION).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn is_redirect(&self) -> bool {
        self.status.is_redirection()
    }
}

/// Where an authorization request went.
#[derive(Debug)]
pub enum Step {
    /// Back at the client's redirect URI with these response parameters.
    Callback(BTreeMap<String, String>),
    /// At the mock's login page for this transaction.
    Login { transaction: String },
    /// Anything else (an error page): not redirected to the client.
    Page(Answer),
}

impl Step {
    pub fn callback(self) -> BTreeMap<String, String> {
        match self {
            Self::Callback(params) => params,
            other => panic!("expected a callback, got {other:?}"),
        }
    }

    pub fn transaction(self) -> String {
        match self {
            Self::Login { transaction } => transaction,
            other => panic!("expected the login page, got {other:?}"),
        }
    }

    pub fn page(self) -> Answer {
        match self {
            Self::Page(answer) => answer,
            other => panic!("expected a page (no redirect to the client), got {other:?}"),
        }
    }
}

/// A PKCE pair.
#[derive(Clone, Debug)]
pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

impl Pkce {
    pub fn new() -> Self {
        let verifier = random_string();
        let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
        Self {
            challenge: URL_SAFE_NO_PAD.encode(digest.as_ref()),
            verifier,
        }
    }
}

pub fn random_string() -> String {
    let mut bytes = [0_u8; 32];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).unwrap();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// An authorization request under construction: the usual parameters plus anything a module
/// adds or removes.
#[derive(Clone, Debug)]
pub struct AuthRequest {
    pub params: Vec<(String, String)>,
    pub state: String,
    pub nonce: String,
    pub pkce: Pkce,
}

impl AuthRequest {
    pub fn set(mut self, name: &str, value: &str) -> Self {
        self.params.retain(|(n, _)| n != name);
        self.params.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn add(mut self, name: &str, value: &str) -> Self {
        self.params.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn remove(mut self, name: &str) -> Self {
        self.params.retain(|(n, _)| n != name);
        self
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What a successful login and token request gave.
#[derive(Debug)]
pub struct Tokens {
    pub json: Value,
    pub id_token: String,
    pub access_token: String,
    pub verified: VerifiedIdToken,
}

/// The relying party.
#[derive(Debug)]
pub struct Rp {
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
    pub issuer: String,
    pub metadata: Value,
    pub client: ClientProfile,
}

impl Rp {
    /// An RP with a fresh cookie jar ("a browser") for `client` of the provider at `issuer`.
    pub async fn new(issuer: &str, client: ClientProfile, clock: Arc<dyn Clock>) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .no_proxy()
            .build()
            .unwrap();
        let discovery = format!("{issuer}/.well-known/openid-configuration");
        let metadata: Value = http
            .get(&discovery)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Self {
            http,
            clock,
            issuer: issuer.to_owned(),
            metadata,
            client,
        }
    }

    /// The same browser, another client.
    pub fn with_client(&self, client: ClientProfile) -> Self {
        Self {
            http: self.http.clone(),
            clock: Arc::clone(&self.clock),
            issuer: self.issuer.clone(),
            metadata: self.metadata.clone(),
            client,
        }
    }

    pub fn endpoint(&self, name: &str) -> String {
        self.metadata[name].as_str().unwrap().to_owned()
    }

    pub async fn get(&self, url: &str) -> Answer {
        read(self.http.get(url).send().await.unwrap()).await
    }

    pub async fn post_form(&self, url: &str, form: &[(String, String)]) -> Answer {
        read(self.http.post(url).form(form).send().await.unwrap()).await
    }

    /// `openid` code flow parameters with fresh state, nonce and PKCE.
    pub fn request(&self) -> AuthRequest {
        let pkce = Pkce::new();
        let state = random_string();
        let nonce = random_string();
        AuthRequest {
            params: vec![
                ("response_type".into(), "code".into()),
                ("client_id".into(), self.client.client_id.clone()),
                ("redirect_uri".into(), self.client.redirect_uri.clone()),
                ("scope".into(), "openid".into()),
                ("state".into(), state.clone()),
                ("nonce".into(), nonce.clone()),
                ("code_challenge".into(), pkce.challenge.clone()),
                ("code_challenge_method".into(), "S256".into()),
            ],
            state,
            nonce,
            pkce,
        }
    }

    /// Sends the request by GET and follows the provider's own redirects (to its login page).
    pub async fn authorize(&self, request: &AuthRequest) -> Step {
        let mut url = reqwest::Url::parse(&self.endpoint("authorization_endpoint")).unwrap();
        url.query_pairs_mut().extend_pairs(request.params.iter());
        let answer = self.get(url.as_str()).await;
        self.follow(answer).await
    }

    /// Sends the request by POST (form).
    pub async fn authorize_post(&self, request: &AuthRequest) -> Step {
        let answer = self
            .post_form(&self.endpoint("authorization_endpoint"), &request.params)
            .await;
        self.follow(answer).await
    }

    /// Follows redirects within the provider until the client's redirect URI, the login page,
    /// or a page.
    pub async fn follow(&self, mut answer: Answer) -> Step {
        for _ in 0..5 {
            let Some(location) = answer.location().map(str::to_owned) else {
                return Step::Page(answer);
            };
            let absolute = reqwest::Url::parse(&self.issuer)
                .unwrap()
                .join(&location)
                .unwrap();
            if absolute.as_str().starts_with(&self.client.redirect_uri)
                || !absolute.as_str().starts_with(&self.issuer)
            {
                return Step::Callback(response_parameters(&absolute));
            }
            if absolute.path().ends_with("/login")
                && let Some((_, transaction)) =
                    absolute.query_pairs().find(|(n, _)| n == "transaction")
            {
                return Step::Login {
                    transaction: transaction.into_owned(),
                };
            }
            answer = self.get(absolute.as_str()).await;
        }
        Step::Page(answer)
    }

    /// The login page of a transaction.
    pub async fn login_page(&self, transaction: &str) -> Answer {
        let mut url = reqwest::Url::parse(&format!("{}/login", self.issuer)).unwrap();
        url.query_pairs_mut()
            .append_pair("transaction", transaction);
        self.get(url.as_str()).await
    }

    /// Picks `person` on the login page of `transaction`.
    pub async fn login(&self, transaction: &str, person: &str) -> Step {
        let form = vec![
            ("transaction".to_owned(), transaction.to_owned()),
            ("person".to_owned(), person.to_owned()),
        ];
        let answer = self
            .post_form(&format!("{}/login", self.issuer), &form)
            .await;
        self.follow(answer).await
    }

    /// Cancels the login of `transaction`.
    pub async fn cancel(&self, transaction: &str) -> Step {
        let form = vec![
            ("transaction".to_owned(), transaction.to_owned()),
            ("cancel".to_owned(), "1".to_owned()),
        ];
        let answer = self
            .post_form(&format!("{}/login", self.issuer), &form)
            .await;
        self.follow(answer).await
    }

    /// The time on the provider's clock (the tests share it).
    pub fn now(&self) -> UnixTime {
        self.clock.now()
    }

    /// The form for the token endpoint with this client's authentication.
    pub fn token_request(&self, params: &[(&str, &str)]) -> reqwest::RequestBuilder {
        let endpoint = self.endpoint("token_endpoint");
        let mut form: Vec<(String, String)> = params
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        let mut builder = self.http.post(&endpoint);
        match &self.client.auth {
            ClientAuth::Basic(secret) => {
                let user = form_encode(&self.client.client_id);
                let password = form_encode(secret);
                let basic =
                    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
                builder = builder.header("authorization", format!("Basic {basic}"));
            }
            ClientAuth::Post(secret) => {
                form.push(("client_id".into(), self.client.client_id.clone()));
                form.push(("client_secret".into(), secret.clone()));
            }
            ClientAuth::PrivateKeyJwt(key) => {
                form.push(("client_id".into(), self.client.client_id.clone()));
                form.push((
                    "client_assertion_type".into(),
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".into(),
                ));
                form.push((
                    "client_assertion".into(),
                    client_assertion(key, &self.client.client_id, &endpoint, self.now()),
                ));
            }
            ClientAuth::None => {
                form.push(("client_id".into(), self.client.client_id.clone()));
            }
        }
        builder.form(&form)
    }

    /// Redeems `code`.
    pub async fn redeem(&self, code: &str, request: &AuthRequest) -> Answer {
        let redirect_uri = request
            .get("redirect_uri")
            .unwrap_or(&self.client.redirect_uri)
            .to_owned();
        let response = self
            .token_request(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", &redirect_uri),
                ("code_verifier", &request.pkce.verifier),
            ])
            .send()
            .await
            .unwrap();
        read(response).await
    }

    /// The provider's JWKS.
    pub async fn jwks(&self) -> Jwks {
        let answer = self.get(&self.endpoint("jwks_uri")).await;
        Jwks::from_json(answer.body.as_bytes()).unwrap()
    }

    /// Verifies an ID token as a careful RP does: signature with the published keys, `iss`,
    /// `aud`, times, `nonce`.
    pub async fn verify(
        &self,
        id_token: &str,
        nonce: Option<&str>,
    ) -> Result<VerifiedIdToken, IdTokenError> {
        let jwks = self.jwks().await;
        let algorithms = [
            JwsAlgorithm::Es256,
            JwsAlgorithm::Rs256,
            JwsAlgorithm::Ps256,
            JwsAlgorithm::Es384,
            JwsAlgorithm::EdDsa,
        ];
        let mut verifier =
            IdTokenVerifier::new(&self.issuer, &self.client.client_id, &jwks, &algorithms).unwrap();
        if let Some(nonce) = nonce {
            verifier = verifier.expect_nonce(nonce);
        }
        verifier.verify(id_token, self.now())
    }

    /// The whole happy path for `person`: authorize, log in, redeem, verify.
    pub async fn sign_in(&self, request: &AuthRequest, person: &str) -> Tokens {
        let transaction = self.authorize(request).await.transaction();
        let params = self.login(&transaction, person).await.callback();
        self.finish(request, &params).await
    }

    /// Checks the callback of `request` and redeems its code.
    pub async fn finish(&self, request: &AuthRequest, params: &BTreeMap<String, String>) -> Tokens {
        assert_eq!(params.get("error"), None, "error response: {params:?}");
        assert_eq!(params.get("state"), Some(&request.state));
        assert_eq!(params.get("iss"), Some(&self.issuer), "RFC 9207 iss");
        let code = params.get("code").expect("a code");
        let answer = self.redeem(code, request).await;
        assert_eq!(answer.status, StatusCode::OK, "token: {}", answer.body);
        assert_eq!(answer.header("cache-control"), Some("no-store"));
        let json = answer.json();
        let id_token = json["id_token"].as_str().unwrap().to_owned();
        let access_token = json["access_token"].as_str().unwrap().to_owned();
        assert_eq!(json["token_type"], "Bearer");
        let verified = self
            .verify(&id_token, request.get("nonce"))
            .await
            .expect("a valid ID token");
        Tokens {
            json,
            id_token,
            access_token,
            verified,
        }
    }

    pub async fn userinfo_get(&self, access_token: &str) -> Answer {
        let response = self
            .http
            .get(self.endpoint("userinfo_endpoint"))
            .bearer_auth(access_token)
            .send()
            .await
            .unwrap();
        read(response).await
    }

    pub async fn userinfo_post_header(&self, access_token: &str) -> Answer {
        let response = self
            .http
            .post(self.endpoint("userinfo_endpoint"))
            .bearer_auth(access_token)
            .form(&[("x", "y")])
            .send()
            .await
            .unwrap();
        read(response).await
    }

    pub async fn userinfo_post_body(&self, access_token: &str) -> Answer {
        let response = self
            .http
            .post(self.endpoint("userinfo_endpoint"))
            .form(&[("access_token", access_token)])
            .send()
            .await
            .unwrap();
        read(response).await
    }

    /// The end-session endpoint with `params` (GET).
    pub async fn end_session(&self, params: &[(&str, &str)]) -> Answer {
        let mut url = reqwest::Url::parse(&self.endpoint("end_session_endpoint")).unwrap();
        url.query_pairs_mut().extend_pairs(params.iter());
        self.get(url.as_str()).await
    }
}

async fn read(response: reqwest::Response) -> Answer {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.unwrap();
    Answer {
        status,
        headers,
        body,
    }
}

/// The response parameters of a redirect to the client (query, or fragment).
pub fn response_parameters(url: &reqwest::Url) -> BTreeMap<String, String> {
    let mut params: BTreeMap<String, String> = url.query_pairs().into_owned().collect();
    if let Some(fragment) = url.fragment() {
        params.extend(url::form_urlencoded::parse(fragment.as_bytes()).into_owned());
    }
    params
}

fn form_encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// An RFC 7523 client assertion.
pub fn client_assertion(
    key: &SigningKey,
    client_id: &str,
    audience: &str,
    now: UnixTime,
) -> String {
    let now = now.as_secs();
    let mut claims = Map::new();
    claims.insert("iss".into(), client_id.into());
    claims.insert("sub".into(), client_id.into());
    claims.insert("aud".into(), audience.into());
    claims.insert("iat".into(), now.into());
    claims.insert("exp".into(), (now + 60).into());
    claims.insert("jti".into(), random_string().into());
    key.sign_jwt(&claims).unwrap()
}

/// The claims of a JWT, unverified (to inspect what a provider put in).
pub fn jwt_claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// The header of a JWT, unverified.
pub fn jwt_header(token: &str) -> Value {
    let header = token.split('.').next().unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap()
}
