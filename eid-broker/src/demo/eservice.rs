//! The demo e-service: a relying party of the broker, as an agency's e-service would be one.
//!
//! - `GET /` — the start page: a level selector and a "log in" button (Swedish, or English
//!   with `?lang=en`).
//! - `GET /demo/login?level=…&lang=…` — starts a login: fresh `state`, `nonce` and PKCE
//!   verifier kept server-side under the `state`, a cookie binding them to this browser, and a
//!   303 to the broker's authorization endpoint with `acr_values` for the level.
//! - `GET /demo/callback` — takes the pending login by `state` (once), checks the binding
//!   cookie and the response's `iss` (RFC 9207), redeems the code with the verifier
//!   (`client_secret_basic`), verifies the ID token with [`IdTokenVerifier`] against the
//!   broker's JWKS, its issuer, the client id, the nonce and the level required, fetches
//!   UserInfo (its `sub` must match), and shows the verified identity and level.
//!
//! Pages have no inline script or style, a strict Content-Security-Policy, and are not cached.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, LOCATION, REFERRER_POLICY,
    SET_COOKIE, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
use eid_core::clock::{Clock, UnixTime};
use eid_core::jose::{Jwks, JwsAlgorithm};
use eid_core::verify::IdTokenVerifier;
use eid_provider::pkce::{CodeChallenge, CodeVerifier};
use ring::rand::{SecureRandom, SystemRandom};
use serde::Deserialize;
use serde_json::{Map, Value};
use subtle::ConstantTimeEq as _;

use super::page::{self, Lang, Shown};

/// The start page.
pub const START_PATH: &str = "/";
/// Where a login starts.
pub const LOGIN_PATH: &str = "/demo/login";
/// The redirect URI's path.
pub const CALLBACK_PATH: &str = "/demo/callback";
/// The stylesheet.
pub const STYLESHEET_PATH: &str = "/demo/demo.css";
/// The cookie binding a started login to the browser.
pub const BINDING_COOKIE: &str = "demo_eservice_login";

/// How long a started login may take.
const LOGIN_LIFETIME: Duration = Duration::from_secs(600);
/// The most logins pending at once.
const MAX_PENDING: usize = 10_000;
/// Time limits of the calls to the broker.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest response read from the broker.
const MAX_RESPONSE_BYTES: usize = 256 * 1024;

/// A level the demo offers.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoLevel {
    /// `loa2`.
    Loa2,
    /// `loa3`.
    Loa3,
    /// `loa4`.
    Loa4,
    /// eIDAS substantial, as the Swedish eIDAS connector asserts it (`eidas-nf-sub`).
    EidasSubstantial,
}

impl DemoLevel {
    /// Every level, in the selector's order.
    pub const ALL: [DemoLevel; 4] = [
        DemoLevel::Loa2,
        DemoLevel::Loa3,
        DemoLevel::Loa4,
        DemoLevel::EidasSubstantial,
    ];

    /// The form value (`loa2`, `loa3`, `loa4`, `eidas-substantial`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Loa2 => "loa2",
            Self::Loa3 => "loa3",
            Self::Loa4 => "loa4",
            Self::EidasSubstantial => "eidas-substantial",
        }
    }

    /// The level asked for (`acr_values`) and required of the ID token (minimum matching).
    pub const fn level(self) -> LevelOfAssurance {
        match self {
            Self::Loa2 => LevelOfAssurance::Loa2,
            Self::Loa3 => LevelOfAssurance::Loa3,
            Self::Loa4 => LevelOfAssurance::Loa4,
            Self::EidasSubstantial => LevelOfAssurance::SwedenEidasNotifiedSubstantial,
        }
    }

    /// The scopes asked for: the Swedish number at the Swedish levels, the eIDAS identity at
    /// the eIDAS level.
    pub const fn scope(self) -> &'static str {
        match self {
            Self::EidasSubstantial => {
                "openid profile https://id.swedenconnect.se/scope/eidasNaturalPersonIdentity"
            }
            _ => "openid profile https://id.oidc.se/scope/naturalPersonNumber",
        }
    }

    /// The level of a form value.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|level| level.as_str() == value)
    }
}

/// The e-service's settings.
#[derive(Clone)]
pub struct EServiceConfig {
    /// Where the e-service is reached, without a trailing `/` (`http://127.0.0.1:8080`).
    pub base_url: String,
    /// The broker's issuer.
    pub issuer: String,
    /// The e-service's client id at the broker.
    pub client_id: String,
    /// Its client secret (`client_secret_basic`).
    pub client_secret: String,
    /// Origins the login form may lead to through redirects (the broker's, the upstreams'):
    /// browsers apply `form-action` to every redirect of a form's navigation.
    pub form_action_origins: Vec<String>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
}

impl fmt::Debug for EServiceConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EServiceConfig")
            .field("base_url", &self.base_url)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// Why the e-service could not be made.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum EServiceError {
    /// The HTTP client could not be built.
    #[error("HTTP client: {0}")]
    Http(#[source] reqwest::Error),
    /// A header value (the CSP) is not valid.
    #[error("the Content-Security-Policy is not a valid header value")]
    Header,
}

/// A login started and not yet finished.
struct Pending {
    nonce: String,
    verifier: CodeVerifier,
    binding: String,
    level: DemoLevel,
    lang: Lang,
    expires: UnixTime,
}

/// The broker's endpoints, from its discovery document.
#[derive(Clone, Debug, Deserialize)]
struct Metadata {
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
    userinfo_endpoint: Option<String>,
}

struct Inner {
    config: EServiceConfig,
    redirect_uri: String,
    http: reqwest::Client,
    rng: SystemRandom,
    csp: HeaderValue,
    pending: Mutex<HashMap<String, Pending>>,
    metadata: tokio::sync::OnceCell<Metadata>,
}

/// The demo e-service.
#[derive(Clone)]
pub struct EService {
    inner: Arc<Inner>,
}

impl fmt::Debug for EService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EService")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl EService {
    /// The e-service of `config`.
    ///
    /// # Errors
    /// [`EServiceError`] when the HTTP client or the CSP cannot be made.
    pub fn new(config: EServiceConfig) -> Result<Self, EServiceError> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(HTTP_TIMEOUT)
            .no_proxy()
            .build()
            .map_err(EServiceError::Http)?;
        let mut form_action = String::from("'self'");
        for origin in &config.form_action_origins {
            form_action.push(' ');
            form_action.push_str(origin);
        }
        let csp = format!(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action {form_action}; \
             frame-ancestors 'none'; base-uri 'none'"
        );
        let csp = HeaderValue::from_str(&csp).map_err(|_| EServiceError::Header)?;
        let redirect_uri = format!("{}{CALLBACK_PATH}", config.base_url);
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                redirect_uri,
                http,
                rng: SystemRandom::new(),
                csp,
                pending: Mutex::new(HashMap::new()),
                metadata: tokio::sync::OnceCell::new(),
            }),
        })
    }

    /// The redirect URI to register at the broker.
    pub fn redirect_uri(&self) -> &str {
        &self.inner.redirect_uri
    }

    /// The start page's URL.
    pub fn start_url(&self) -> String {
        format!("{}{START_PATH}", self.inner.config.base_url)
    }

    /// The e-service's routes.
    pub fn router(&self) -> Router {
        Router::new()
            .route(START_PATH, get(start))
            .route(LOGIN_PATH, get(login))
            .route(CALLBACK_PATH, get(callback))
            .route(STYLESHEET_PATH, get(stylesheet))
            .with_state(Arc::clone(&self.inner))
    }
}

impl Inner {
    fn page(&self, status: StatusCode, html: String) -> Response {
        let mut response = (status, html).into_response();
        let headers = response.headers_mut();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        headers.insert(CONTENT_SECURITY_POLICY, self.csp.clone());
        security_headers(headers);
        response
    }

    fn random(&self) -> Option<String> {
        let mut bytes = [0_u8; 32];
        self.rng.fill(&mut bytes).ok()?;
        Some(URL_SAFE_NO_PAD.encode(bytes))
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, HashMap<String, Pending>> {
        // Every update is one call on the map: a poisoned lock still holds a valid map.
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn metadata(&self) -> Result<&Metadata, Failure> {
        self.metadata
            .get_or_try_init(|| async {
                let url = format!(
                    "{}/.well-known/openid-configuration",
                    self.config.issuer.trim_end_matches('/')
                );
                let metadata: Metadata = serde_json::from_slice(&self.get(&url, None).await?)
                    .map_err(|_| Failure::Broker("discovery"))?;
                Ok(metadata)
            })
            .await
    }

    async fn get(&self, url: &str, bearer: Option<&str>) -> Result<Vec<u8>, Failure> {
        let mut request = self.http.get(url);
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(|_| Failure::Broker("http"))?;
        read_ok(response).await
    }

    /// Redeems `code`; the ID token and the access token.
    async fn redeem(
        &self,
        metadata: &Metadata,
        code: &str,
        verifier: &CodeVerifier,
    ) -> Result<(String, Option<String>), Failure> {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("code_verifier", verifier.expose_secret()),
        ];
        let response = self
            .http
            .post(&metadata.token_endpoint)
            .basic_auth(
                form_urlencode(&self.config.client_id),
                Some(form_urlencode(&self.config.client_secret)),
            )
            .form(&form)
            .send()
            .await
            .map_err(|_| Failure::Broker("http"))?;
        let status = response.status();
        let body: Value = serde_json::from_slice(&read_body(response).await?)
            .map_err(|_| Failure::Token("unreadable"))?;
        if !status.is_success() {
            let error = body.get("error").and_then(Value::as_str).unwrap_or("");
            return Err(Failure::Token(known_error(error)));
        }
        let id_token = body
            .get("id_token")
            .and_then(Value::as_str)
            .ok_or(Failure::Token("no_id_token"))?
            .to_owned();
        let access_token = body
            .get("access_token")
            .and_then(Value::as_str)
            .map(str::to_owned);
        Ok((id_token, access_token))
    }

    /// The whole callback, from the pending login to the claims shown.
    async fn finish(&self, pending: &Pending, code: &str) -> Result<Shown, Failure> {
        let metadata = self.metadata().await?;
        let (id_token, access_token) = self.redeem(metadata, code, &pending.verifier).await?;
        let jwks: Jwks = serde_json::from_slice(&self.get(&metadata.jwks_uri, None).await?)
            .map_err(|_| Failure::Broker("jwks"))?;
        let requirement = Requirement::new(vec![pending.level.level()], Matching::Minimum)
            .map_err(|_| Failure::Verification("requirement"))?;
        let verifier = IdTokenVerifier::new(
            &self.config.issuer,
            &self.config.client_id,
            &jwks,
            &[JwsAlgorithm::Es256, JwsAlgorithm::Rs256],
        )
        .map_err(|error| Failure::Verification(error.reason()))?
        .expect_nonce(&pending.nonce)
        .require(requirement);
        let verified = verifier
            .verify(&id_token, self.config.clock.now())
            .map_err(|error| Failure::Verification(error.reason()))?;
        let mut claims = verified.claims().clone();
        if let (Some(endpoint), Some(token)) = (&metadata.userinfo_endpoint, access_token) {
            let userinfo: Map<String, Value> =
                serde_json::from_slice(&self.get(endpoint, Some(&token)).await?)
                    .map_err(|_| Failure::Broker("userinfo"))?;
            if userinfo.get("sub").and_then(Value::as_str) != Some(verified.subject()) {
                return Err(Failure::Verification("userinfo_sub_mismatch"));
            }
            for (name, value) in userinfo {
                claims.entry(name).or_insert(value);
            }
        }
        Ok(Shown {
            subject: verified.subject().to_owned(),
            level: verified.acr(),
            auth_time: verified.auth_time(),
            claims,
        })
    }
}

/// Why a login did not end with a verified identity (shown, never with a token or a code).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Failure {
    /// The broker answered with an OAuth error (`access_denied`, …), or the callback is not a
    /// valid one for a pending login.
    Refused(&'static str),
    /// The broker could not be reached, or answered something unreadable.
    Broker(&'static str),
    /// The token endpoint refused the code (its OAuth error code).
    Token(&'static str),
    /// The ID token or UserInfo failed a check (its reason).
    Verification(&'static str),
}

impl Failure {
    /// A stable code for the page and the log.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Refused(code)
            | Self::Broker(code)
            | Self::Token(code)
            | Self::Verification(code) => code,
        }
    }
}

async fn read_ok(response: reqwest::Response) -> Result<Vec<u8>, Failure> {
    if !response.status().is_success() {
        return Err(Failure::Broker("http_status"));
    }
    read_body(response).await
}

/// The body, at most [`MAX_RESPONSE_BYTES`].
async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|_| Failure::Broker("http"))?
    {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_RESPONSE_BYTES {
            return Err(Failure::Broker("response_too_large"));
        }
    }
    Ok(body)
}

/// RFC 6749 §2.3.1: client credentials are form-urlencoded before Basic encoding.
fn form_urlencode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn security_headers(headers: &mut HeaderMap) {
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
}

#[derive(Debug, Deserialize)]
struct StartQuery {
    lang: Option<String>,
}

async fn start(State(inner): State<Arc<Inner>>, Query(query): Query<StartQuery>) -> Response {
    let lang = Lang::of(query.lang.as_deref());
    inner.page(StatusCode::OK, page::start(lang))
}

#[derive(Debug, Deserialize)]
struct LoginQuery {
    level: Option<String>,
    lang: Option<String>,
}

async fn login(State(inner): State<Arc<Inner>>, Query(query): Query<LoginQuery>) -> Response {
    let lang = Lang::of(query.lang.as_deref());
    let Some(level) = query.level.as_deref().and_then(DemoLevel::parse) else {
        return inner.page(
            StatusCode::BAD_REQUEST,
            page::failure(lang, Failure::Refused("unknown_level")),
        );
    };
    let metadata = match inner.metadata().await {
        Ok(metadata) => metadata.clone(),
        Err(failure) => {
            tracing::warn!(
                failure = failure.code(),
                "the demo e-service cannot reach the broker"
            );
            return inner.page(StatusCode::BAD_GATEWAY, page::failure(lang, failure));
        }
    };
    let (Some(state), Some(nonce), Some(verifier), Some(binding)) = (
        inner.random(),
        inner.random(),
        inner.random(),
        inner.random(),
    ) else {
        return inner.page(
            StatusCode::INTERNAL_SERVER_ERROR,
            page::failure(lang, Failure::Broker("random")),
        );
    };
    let Ok(verifier) = CodeVerifier::parse(&verifier) else {
        return inner.page(
            StatusCode::INTERNAL_SERVER_ERROR,
            page::failure(lang, Failure::Broker("random")),
        );
    };
    let challenge = CodeChallenge::from_verifier(&verifier).to_base64url();
    let now = inner.config.clock.now();
    {
        let mut pending = inner.pending();
        if pending.len() >= MAX_PENDING {
            pending.retain(|_, login| login.expires > now);
        }
        if pending.len() >= MAX_PENDING {
            return inner.page(
                StatusCode::SERVICE_UNAVAILABLE,
                page::failure(lang, Failure::Broker("busy")),
            );
        }
        pending.insert(
            state.clone(),
            Pending {
                nonce: nonce.clone(),
                verifier,
                binding: binding.clone(),
                level,
                lang,
                expires: now.saturating_add(LOGIN_LIFETIME),
            },
        );
    }
    let mut location = match url::Url::parse(&metadata.authorization_endpoint) {
        Ok(url) => url,
        Err(_) => {
            return inner.page(
                StatusCode::BAD_GATEWAY,
                page::failure(lang, Failure::Broker("discovery")),
            );
        }
    };
    location
        .query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &inner.config.client_id)
        .append_pair("redirect_uri", &inner.redirect_uri)
        .append_pair("scope", level.scope())
        .append_pair("state", &state)
        .append_pair("nonce", &nonce)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256")
        .append_pair("acr_values", level.level().as_uri())
        .append_pair("prompt", "login")
        .append_pair("ui_locales", lang.as_str());
    let cookie = format!(
        "{BINDING_COOKIE}={binding}; Path=/demo; HttpOnly; SameSite=Lax; Max-Age={}",
        LOGIN_LIFETIME.as_secs()
    );
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let (Ok(location), Ok(cookie)) = (
        HeaderValue::from_str(location.as_str()),
        HeaderValue::from_str(&cookie),
    ) {
        headers.insert(LOCATION, location);
        headers.insert(SET_COOKIE, cookie);
    }
    security_headers(headers);
    tracing::info!(required = level.as_str(), "demo e-service login started");
    response
}

#[derive(Debug, Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
}

async fn callback(
    State(inner): State<Arc<Inner>>,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let now = inner.config.clock.now();
    let pending = query
        .state
        .as_deref()
        .and_then(|state| inner.pending().remove(state))
        .filter(|pending| pending.expires > now);
    let Some(pending) = pending else {
        return inner.page(
            StatusCode::BAD_REQUEST,
            page::failure(Lang::default(), Failure::Refused("unknown_state")),
        );
    };
    let lang = pending.lang;
    let bound = binding_cookie(&headers)
        .is_some_and(|cookie| bool::from(cookie.as_bytes().ct_eq(pending.binding.as_bytes())));
    if !bound {
        return inner.page(
            StatusCode::BAD_REQUEST,
            page::failure(lang, Failure::Refused("other_browser")),
        );
    }
    if query
        .iss
        .as_deref()
        .is_some_and(|iss| iss != inner.config.issuer)
    {
        return inner.page(
            StatusCode::BAD_REQUEST,
            page::failure(lang, Failure::Refused("issuer_mismatch")),
        );
    }
    if let Some(error) = query.error.as_deref() {
        let failure = Failure::Refused(known_error(error));
        tracing::info!(
            error = failure.code(),
            "demo e-service login refused by the broker"
        );
        return inner.page(StatusCode::OK, page::failure(lang, failure));
    }
    let Some(code) = query.code.as_deref() else {
        return inner.page(
            StatusCode::BAD_REQUEST,
            page::failure(lang, Failure::Refused("no_code")),
        );
    };
    match inner.finish(&pending, code).await {
        Ok(shown) => {
            tracing::info!(
                acr = shown.level.map(LevelOfAssurance::as_uri),
                "demo e-service login verified"
            );
            inner.page(StatusCode::OK, page::success(lang, &shown))
        }
        Err(failure) => {
            tracing::warn!(failure = failure.code(), "demo e-service login failed");
            inner.page(StatusCode::BAD_GATEWAY, page::failure(lang, failure))
        }
    }
}

/// The OAuth error codes the page names; any other is `unknown_error`.
fn known_error(code: &str) -> &'static str {
    const KNOWN: [&str; 13] = [
        "access_denied",
        "invalid_client",
        "invalid_grant",
        "unsupported_grant_type",
        "invalid_request",
        "invalid_scope",
        "login_required",
        "consent_required",
        "unauthorized_client",
        "unsupported_response_type",
        "server_error",
        "temporarily_unavailable",
        "unmet_authentication_requirements",
    ];
    KNOWN
        .into_iter()
        .find(|known| *known == code)
        .unwrap_or("unknown_error")
}

fn binding_cookie(headers: &HeaderMap) -> Option<String> {
    let mut found = None;
    for value in headers.get_all(COOKIE) {
        let Ok(value) = value.to_str() else { continue };
        for pair in value.split(';') {
            let Some((name, value)) = pair.trim().split_once('=') else {
                continue;
            };
            if name != BINDING_COOKIE {
                continue;
            }
            if found.is_some() {
                return None;
            }
            found = Some(value.to_owned());
        }
    }
    found
}

async fn stylesheet() -> Response {
    let mut response = page::STYLESHEET.into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_by_form_value_only() {
        for level in DemoLevel::ALL {
            assert_eq!(DemoLevel::parse(level.as_str()), Some(level));
        }
        assert_eq!(DemoLevel::parse("loa5"), None);
        assert_eq!(DemoLevel::parse(LevelOfAssurance::Loa3.as_uri()), None);
        assert_eq!(
            DemoLevel::EidasSubstantial.level().as_uri(),
            "http://id.elegnamnden.se/loa/1.0/eidas-nf-sub"
        );
    }

    #[test]
    fn the_binding_cookie_is_found_once_or_not_at_all() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("a=1; demo_eservice_login=xyz"),
        );
        assert_eq!(binding_cookie(&headers).as_deref(), Some("xyz"));
        headers.append(COOKIE, HeaderValue::from_static("demo_eservice_login=abc"));
        assert_eq!(binding_cookie(&headers), None);
        assert_eq!(binding_cookie(&HeaderMap::new()), None);
    }

    #[test]
    fn unknown_error_codes_are_not_echoed() {
        assert_eq!(known_error("access_denied"), "access_denied");
        assert_eq!(known_error("<script>"), "unknown_error");
    }
}
