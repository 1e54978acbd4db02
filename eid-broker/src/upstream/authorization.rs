//! Starting an upstream login: what the broker asks for, the authorization request (pushed
//! when PAR is used) and the state the broker keeps until the callback.

use std::fmt;
use std::time::Duration;

use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
use eid_core::clock::UnixTime;
use openidconnect::core::{CoreAuthPrompt, CoreResponseType};
use openidconnect::http;
use openidconnect::{
    AuthenticationContextClass, AuthenticationFlow, CsrfToken, LanguageTag, LoginHint, Nonce,
    PkceCodeChallenge, Scope,
};
use serde::{Deserialize, Serialize};
use url::Url;

use super::Upstream;
use super::client::{form_authentication, oidc_client};
use super::discovery::http_error;
use super::error::{Endpoint, HttpFailure, UpstreamError};

/// The largest `login_hint` forwarded.
const MAX_LOGIN_HINT_LEN: usize = 256;
/// The most `ui_locales` forwarded.
const MAX_UI_LOCALES: usize = 8;
/// The `claims` parameter sent with UserInfo: `verified_claims` (OpenID Connect for Identity
/// Assurance), which no scope releases; without it a person with neither a Swedish number nor
/// a `prid` (a newcomer proofed by a document) has no person key at the broker.
const VERIFIED_CLAIMS_REQUEST: &str = r#"{"userinfo":{"verified_claims":{"verification":{"trust_framework":null},"claims":{"given_name":null,"family_name":null,"birthdate":null}}}}"#;

/// What the broker needs from one upstream login. `Debug` hides the login hint.
#[non_exhaustive]
#[derive(Clone)]
pub struct Ask {
    /// The levels the broker needs (after its client policy): mapped to the upstream's values,
    /// never forwarded as the client sent them.
    pub requirement: Requirement,
    /// A hint for the upstream's login page (forwarded as is; it may be a personal number, so
    /// [`Ask`]'s `Debug` hides it).
    pub login_hint: Option<String>,
    /// Preferred languages, as BCP 47 tags.
    pub ui_locales: Vec<String>,
    /// `prompt` values to forward.
    pub prompt: Vec<Prompt>,
    /// `max_age` to forward.
    pub max_age: Option<Duration>,
}

impl Ask {
    /// An ask for `requirement`, with no hints.
    pub fn new(requirement: Requirement) -> Self {
        Self {
            requirement,
            login_hint: None,
            ui_locales: Vec::new(),
            prompt: Vec::new(),
            max_age: None,
        }
    }

    /// Sets the login hint.
    #[must_use]
    pub fn with_login_hint(mut self, login_hint: impl Into<String>) -> Self {
        self.login_hint = Some(login_hint.into());
        self
    }

    /// Sets the UI locales.
    #[must_use]
    pub fn with_ui_locales<I, S>(mut self, locales: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.ui_locales = locales.into_iter().map(Into::into).collect();
        self
    }

    /// Adds a `prompt` value.
    #[must_use]
    pub fn with_prompt(mut self, prompt: Prompt) -> Self {
        if !self.prompt.contains(&prompt) {
            self.prompt.push(prompt);
        }
        self
    }

    /// Sets `max_age`.
    #[must_use]
    pub fn with_max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }
}

impl fmt::Debug for Ask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ask")
            .field("requirement", &self.requirement)
            .field(
                "login_hint",
                &self.login_hint.as_ref().map(|_| "[redacted]"),
            )
            .field("ui_locales", &self.ui_locales)
            .field("prompt", &self.prompt)
            .field("max_age", &self.max_age)
            .finish()
    }
}

/// A `prompt` value (OIDC Core §3.1.2.1).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prompt {
    /// `consent`.
    Consent,
    /// `login`: authenticate again (step-up).
    Login,
    /// `none`: no interaction.
    None,
    /// `select_account`.
    SelectAccount,
}

impl Prompt {
    fn core(self) -> CoreAuthPrompt {
        match self {
            Self::Consent => CoreAuthPrompt::Consent,
            Self::Login => CoreAuthPrompt::Login,
            Self::None => CoreAuthPrompt::None,
            Self::SelectAccount => CoreAuthPrompt::SelectAccount,
        }
    }
}

/// What the broker keeps between [`Upstream::begin`] and [`Upstream::finish`] (in its store,
/// keyed by [`UpstreamState::state`]). `Debug` hides the state, nonce and PKCE verifier.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpstreamState {
    upstream: String,
    state: String,
    nonce: String,
    pkce_verifier: String,
    levels: Vec<LevelOfAssurance>,
    matching: Matching,
    created_at: u64,
}

impl UpstreamState {
    /// The upstream's id.
    pub fn upstream(&self) -> &str {
        &self.upstream
    }

    /// The `state` sent upstream; the callback carries it back.
    pub fn state(&self) -> &str {
        &self.state
    }

    /// When the login was started.
    pub fn created_at(&self) -> UnixTime {
        UnixTime::from_secs(self.created_at)
    }

    /// The broker levels asked for.
    ///
    /// # Errors
    ///
    /// [`UpstreamError::StateInvalid`] if a stored state was altered so that its levels are
    /// no requirement.
    pub fn requirement(&self) -> Result<Requirement, UpstreamError> {
        Requirement::new(self.levels.clone(), self.matching)
            .map_err(|_| UpstreamError::StateInvalid)
    }

    pub(crate) fn nonce(&self) -> &str {
        &self.nonce
    }

    pub(crate) fn pkce_verifier(&self) -> &str {
        &self.pkce_verifier
    }
}

impl fmt::Debug for UpstreamState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpstreamState")
            .field("upstream", &self.upstream)
            .field("state", &"[redacted]")
            .field("nonce", &"[redacted]")
            .field("pkce_verifier", &"[redacted]")
            .field("levels", &self.levels)
            .field("matching", &self.matching)
            .field("created_at", &self.created_at)
            .finish()
    }
}

/// Where to send the person, and what to keep. The URL may carry the login hint (a personal
/// number, for some eIDs): redirect to it, never log it.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub struct AuthorizationStart {
    /// The upstream authorization URL (with `client_id` and `request_uri` only when PAR was
    /// used).
    pub url: Url,
    /// What to keep until the callback.
    pub state: UpstreamState,
    /// Whether the request was pushed.
    pub pushed: bool,
}

/// A PAR response (RFC 9126 §2.2).
#[derive(Deserialize)]
struct ParResponse {
    request_uri: String,
}

impl Upstream {
    /// Starts a login at this upstream.
    ///
    /// Asks for the upstream `acr` values mapped from the levels that satisfy
    /// `ask.requirement`, with a fresh `state`, `nonce` and PKCE S256 verifier, and forwards
    /// the hints. When PAR is used the parameters are pushed (with client authentication) and
    /// the URL carries only `client_id` and `request_uri`.
    ///
    /// # Errors
    ///
    /// [`UpstreamError::Unmet`] if no mapped level satisfies the requirement (nothing is sent
    /// upstream); discovery and PAR failures.
    pub async fn begin(&self, ask: &Ask) -> Result<AuthorizationStart, UpstreamError> {
        let acr_values = self.config.acr.request_values(&ask.requirement);
        if acr_values.is_empty() {
            return Err(UpstreamError::Unmet);
        }
        let now = self.clock.now();
        let snapshot = self.discovery.snapshot(&self.http, now).await?;
        let client = oidc_client(
            &self.config.client_id,
            &self.config.issuer,
            &snapshot.endpoints.authorization,
            &snapshot.endpoints.token,
            &self.config.redirect_uri,
            &self.credentials,
        )?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in &self.config.scopes {
            if scope != super::config::OPENID_SCOPE {
                request = request.add_scope(Scope::new(scope.clone()));
            }
        }
        for value in acr_values {
            request = request.add_auth_context_value(AuthenticationContextClass::new(value));
        }
        if self.config.userinfo {
            request = request.add_extra_param("claims", VERIFIED_CLAIMS_REQUEST);
        }
        if let Some(hint) = ask
            .login_hint
            .as_deref()
            .filter(|hint| !hint.is_empty() && hint.len() <= MAX_LOGIN_HINT_LEN)
        {
            request = request.set_login_hint(LoginHint::new(hint.to_owned()));
        }
        for locale in ask
            .ui_locales
            .iter()
            .filter(|locale| is_language_tag(locale))
            .take(MAX_UI_LOCALES)
        {
            request = request.add_ui_locale(LanguageTag::new(locale.clone()));
        }
        for prompt in &ask.prompt {
            request = request.add_prompt(prompt.core());
        }
        if let Some(max_age) = ask.max_age {
            request = request.set_max_age(max_age);
        }
        let (url, state, nonce) = request.url();

        let upstream_state = UpstreamState {
            upstream: self.config.id.clone(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            levels: ask.requirement.levels().to_vec(),
            matching: ask.requirement.matching(),
            created_at: now.as_secs(),
        };
        let Some(par_endpoint) = &snapshot.endpoints.par else {
            return Ok(AuthorizationStart {
                url,
                state: upstream_state,
                pushed: false,
            });
        };
        let request_uri = self.push(par_endpoint, &url, now).await?;
        let mut url = snapshot.endpoints.authorization.clone();
        url.query_pairs_mut()
            .append_pair("client_id", &self.config.client_id)
            .append_pair("request_uri", &request_uri);
        Ok(AuthorizationStart {
            url,
            state: upstream_state,
            pushed: true,
        })
    }

    /// Pushes the parameters of `front_channel` to the PAR endpoint; returns the `request_uri`.
    async fn push(
        &self,
        par_endpoint: &Url,
        front_channel: &Url,
        now: UnixTime,
    ) -> Result<String, UpstreamError> {
        let auth = form_authentication(
            &self.credentials,
            &self.config.client_id,
            &self.config.issuer,
            now,
        )?;
        let body = pushed_body(front_channel, &auth.params);
        let mut request = http::Request::builder()
            .method(http::Method::POST)
            .uri(par_endpoint.as_str())
            .header(http::header::ACCEPT, "application/json")
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            );
        if let Some(authorization) = &auth.authorization {
            request = request.header(http::header::AUTHORIZATION, authorization);
        }
        let request = request
            .body(body.into_bytes())
            .map_err(|_| http_error(Endpoint::Par, HttpFailure::Transport))?;
        let response = self
            .http
            .send(request)
            .await
            .map_err(|failure| http_error(Endpoint::Par, failure))?;
        let status = response.status().as_u16();
        if status != 201 && status != 200 {
            return Err(http_error(Endpoint::Par, HttpFailure::Status { status }));
        }
        let parsed: ParResponse =
            serde_json::from_slice(response.body()).map_err(|_| UpstreamError::ParResponse)?;
        if parsed.request_uri.is_empty() || parsed.request_uri.len() > 1024 {
            return Err(UpstreamError::ParResponse);
        }
        Ok(parsed.request_uri)
    }
}

/// The PAR form: the front-channel parameters and the client authentication (the serializer
/// is not `Send`, so it lives only here, never across an `await`).
fn pushed_body(front_channel: &Url, auth: &[(&'static str, String)]) -> String {
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in front_channel.query_pairs() {
        if name != "client_id" || auth.iter().all(|(own, _)| *own != "client_id") {
            body.append_pair(&name, &value);
        }
    }
    for (name, value) in auth {
        body.append_pair(name, value);
    }
    body.finish()
}

/// A plausible BCP 47 tag: letters, digits and `-`, 2 to 35 characters.
fn is_language_tag(tag: &str) -> bool {
    (2..=35).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}
