//! The provider: configuration, its dependencies, and the protocol operations of every
//! endpoint, without HTTP types.
//!
//! [`Provider`] holds what the endpoints share (the metadata, the clients, the signing keys, the
//! stores, the clock and the random source) and exposes one method per protocol operation. The
//! operations take decoded requests ([`Parameters`], [`ClientCredentials`], a session id from a
//! cookie) and return typed outcomes or an [`OAuthError`]; the `http` layer turns those into
//! responses in one place. The person's authentication itself is not here: an authenticator
//! (the mock's login page, the broker's upstream login) receives a [`PendingLogin`] and reports
//! back with [`Provider::complete_login`] or [`Provider::abort_login`].
//!
//! Nothing is kept in process memory between requests: every piece of state goes through the
//! [`Stores`].

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
use eid_core::claims::Identity;
use eid_core::clock::{Clock, SystemClock, UnixTime};
use eid_core::jose::{Jwks, JwsAlgorithm};
use ring::rand::SystemRandom;

use crate::client::keys::{ClientKeys, JwksFetcher};
use crate::client::{Client, ClientCredentials, ClientId, ClientRegistry, RedirectUri};
use crate::discovery::{Issuer, ProviderMetadata};
use crate::id_token::Subject;
use crate::keys::KeyRing;
use crate::oauth_error::OAuthError;
use crate::params::Parameters;
use crate::secret::{AccessToken, RefreshToken};
use crate::store::{
    AccessTokenStore, AuthorizationStore, CodeStore, MemoryStore, RefreshTokenStore, ReplayCache,
    RequestUriStore, SessionId, SessionStore, TransactionId,
};

/// The longest an authorization code lives (OIDC-SE and RFC 6749 §4.1.2 recommend ≤ 10 min;
/// we allow at most 60 s).
pub const MAX_CODE_TTL: Duration = Duration::from_secs(60);

/// The longest a pushed request (`request_uri`) lives.
pub const MAX_REQUEST_URI_TTL: Duration = Duration::from_secs(600);

/// How single sign-on sessions behave.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SessionRules {
    /// OpenID Connect Core: a session is reused unless `prompt=login`, `max_age` or an unmet
    /// `acr` asks for a new authentication.
    #[default]
    Standard,
    /// The Sweden Connect rules: no `prompt` means `login`; sessions last at most 60 minutes;
    /// `prompt=none` from a client that has not taken part in the session is answered with
    /// `login_required`.
    SwedenConnect,
}

/// The provider's settings. Every field has a sound default ([`ProviderConfig::default`]).
#[non_exhaustive]
#[derive(Clone, Debug)]
pub struct ProviderConfig {
    /// How long an authorization code lives; at most [`MAX_CODE_TTL`]. Default 60 s.
    pub code_ttl: Duration,
    /// How long a pushed request lives; at most [`MAX_REQUEST_URI_TTL`]. Default 60 s.
    pub request_uri_ttl: Duration,
    /// How long a pending authorization transaction waits for the person. Default 10 min.
    pub transaction_ttl: Duration,
    /// How long an ID token is valid; capped at 5 minutes when minted. Default 5 min.
    pub id_token_ttl: Duration,
    /// How long an access token is valid. Default 10 min.
    pub access_token_ttl: Duration,
    /// How long a refresh token is valid. Default 8 h.
    pub refresh_token_ttl: Duration,
    /// How long a single sign-on session lasts. Default 60 min.
    pub session_ttl: Duration,
    /// The clock skew tolerated on client assertions and request objects. Default 30 s.
    pub max_clock_skew: Duration,
    /// How sessions behave. Default [`SessionRules::Standard`].
    pub session_rules: SessionRules,
    /// Whether logins open single sign-on sessions. Default `true`. Without them, every
    /// authorization request asks the person to authenticate (`prompt=none` is answered with
    /// `login_required`), ID tokens carry no `sid`, and nothing about the person is kept beyond
    /// the code and the tokens issued from it (the broker's no-store mode).
    pub sso_sessions: bool,
    /// How a requested `acr` is matched by the level reached. Default [`Matching::Exact`]
    /// as in the Swedish profile; the broker may choose minimum matching.
    pub acr_matching: Matching,
    /// The algorithms accepted for signed request objects. Default RS256, ES256, PS256, EdDSA.
    pub request_object_algorithms: Vec<JwsAlgorithm>,
    /// The UI locales the login pages offer. Default `sv`, `en`.
    pub ui_locales: Vec<String>,
}

impl Default for ProviderConfig {
    fn default() -> Self {
        Self {
            code_ttl: MAX_CODE_TTL,
            request_uri_ttl: Duration::from_secs(60),
            transaction_ttl: Duration::from_secs(600),
            id_token_ttl: Duration::from_secs(300),
            access_token_ttl: Duration::from_secs(600),
            refresh_token_ttl: Duration::from_secs(8 * 3600),
            session_ttl: Duration::from_secs(3600),
            max_clock_skew: Duration::from_secs(30),
            session_rules: SessionRules::Standard,
            sso_sessions: true,
            acr_matching: Matching::Exact,
            request_object_algorithms: vec![
                JwsAlgorithm::Rs256,
                JwsAlgorithm::Es256,
                JwsAlgorithm::Ps256,
                JwsAlgorithm::EdDsa,
            ],
            ui_locales: vec!["sv".to_owned(), "en".to_owned()],
        }
    }
}

/// The stores the provider keeps its state in, one handle per policy.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Stores {
    /// Authorization codes.
    pub codes: Arc<dyn CodeStore>,
    /// Pushed authorization requests.
    pub requests: Arc<dyn RequestUriStore>,
    /// Pending authorization transactions.
    pub transactions: Arc<dyn AuthorizationStore>,
    /// Single sign-on sessions.
    pub sessions: Arc<dyn SessionStore>,
    /// Single-use markers (`jti` of client assertions and request objects).
    pub replay: Arc<dyn ReplayCache>,
    /// Opaque access tokens.
    pub access_tokens: Arc<dyn AccessTokenStore>,
    /// Refresh tokens.
    pub refresh_tokens: Arc<dyn RefreshTokenStore>,
}

impl Stores {
    /// Every store backed by one [`MemoryStore`].
    pub fn memory() -> Self {
        Self::all(Arc::new(MemoryStore::new()))
    }

    /// Every store backed by one backend that implements them all.
    pub fn all<S>(store: Arc<S>) -> Self
    where
        S: CodeStore
            + RequestUriStore
            + AuthorizationStore
            + SessionStore
            + ReplayCache
            + AccessTokenStore
            + RefreshTokenStore
            + 'static,
    {
        Self {
            codes: store.clone(),
            requests: store.clone(),
            transactions: store.clone(),
            sessions: store.clone(),
            replay: store.clone(),
            access_tokens: store.clone(),
            refresh_tokens: store,
        }
    }
}

/// What an authenticator reports when a person has authenticated: who (as the client will see
/// them), at what level, how, and their normalized identity.
#[derive(Clone)]
#[non_exhaustive]
pub struct Authentication {
    /// The `sub` the client will see (derive it; never a personal identity number).
    pub subject: Subject,
    /// The level of assurance reached.
    pub acr: LevelOfAssurance,
    /// The authentication methods (`amr`, RFC 8176 values or the provider's own).
    pub amr: Vec<String>,
    /// The normalized identity; released to each client as its scopes and `claims` ask.
    pub identity: Identity,
    /// When the person authenticated; `None` means now. An upstream login reports the
    /// upstream's `auth_time`.
    pub auth_time: Option<UnixTime>,
}

impl Authentication {
    /// `subject` authenticated at `acr` with `identity`, now, with no `amr`.
    pub fn new(subject: Subject, acr: LevelOfAssurance, identity: Identity) -> Self {
        Self {
            subject,
            acr,
            amr: Vec::new(),
            identity,
            auth_time: None,
        }
    }

    /// With the authentication methods.
    #[must_use]
    pub fn with_amr(mut self, amr: Vec<String>) -> Self {
        self.amr = amr;
        self
    }

    /// With the time the person authenticated.
    #[must_use]
    pub fn with_auth_time(mut self, auth_time: UnixTime) -> Self {
        self.auth_time = Some(auth_time);
        self
    }
}

impl fmt::Debug for Authentication {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authentication")
            .field("acr", &self.acr)
            .field("amr", &self.amr)
            .field("auth_time", &self.auth_time)
            .finish_non_exhaustive()
    }
}

/// The `prompt` values of a request (OIDC Core §3.1.2.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Prompt {
    /// `none`: no user interface; fail with `login_required` (or another
    /// `interaction_required` error) if the person would have to interact.
    pub none: bool,
    /// `login`: authenticate again even with a session.
    pub login: bool,
    /// `consent`: ask for consent.
    pub consent: bool,
    /// `select_account`: let the person choose an account (or a provider).
    pub select_account: bool,
}

/// An authorization request that needs the person to authenticate: what the authenticator
/// needs to know to show its pages or to go upstream.
#[derive(Clone)]
#[non_exhaustive]
pub struct PendingLogin {
    /// The transaction to complete or abort. A bearer value: carry it in the login pages'
    /// URLs or forms, bound to the browser, and never log it.
    pub transaction: TransactionId,
    /// The client asking.
    pub client_id: ClientId,
    /// The level the client requires (from an essential `acr` claim or `acr_values`), if any.
    pub requirement: Option<Requirement>,
    /// The requested `acr_values`, in the client's order of preference.
    pub acr_values: Vec<LevelOfAssurance>,
    /// The `prompt` values.
    pub prompt: Prompt,
    /// `max_age` in seconds, if any.
    pub max_age: Option<u64>,
    /// The `login_hint`, if any (shown or used to preselect; never trusted as identity).
    pub login_hint: Option<String>,
    /// The subject of a valid `id_token_hint` or of the current session, if any.
    pub subject_hint: Option<Subject>,
    /// The `ui_locales`, in order of preference, restricted to those the provider offers.
    pub ui_locales: Vec<String>,
    /// The requested scopes.
    pub scope: Vec<String>,
    /// The `https://id.oidc.se/param/authnProvider` parameter, if any.
    pub authn_provider: Option<String>,
}

impl fmt::Debug for PendingLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingLogin")
            .field("client_id", &self.client_id)
            .field("requirement", &self.requirement)
            .field("prompt", &self.prompt)
            .field("max_age", &self.max_age)
            .field("ui_locales", &self.ui_locales)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// How an authorization response is delivered to the client (OAuth 2.0 Multiple Response Type
/// Encoding Practices, Form Post Response Mode).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ResponseMode {
    /// In the query of the redirect URI (the default for `response_type=code`).
    #[default]
    Query,
    /// In the fragment of the redirect URI.
    Fragment,
    /// As an auto-submitting HTML form POSTed to the redirect URI.
    FormPost,
}

/// An authorization response to deliver to the client's redirect URI: success (`code`, `state`,
/// `iss`) or error (`error`, `error_description`, `state`, `iss`).
#[derive(Clone)]
#[non_exhaustive]
pub struct AuthorizationResponse {
    /// The registered redirect URI, exactly as the request gave it.
    pub redirect_uri: RedirectUri,
    /// How to deliver it.
    pub mode: ResponseMode,
    /// The response parameters, in order (`iss` always among them, RFC 9207).
    pub parameters: Vec<(String, String)>,
}

impl AuthorizationResponse {
    /// The URL to redirect the browser to, for [`ResponseMode::Query`] and
    /// [`ResponseMode::Fragment`]: the parameters appended to the redirect URI's query (keeping
    /// any query it has) or set as its fragment.
    pub fn location(&self) -> String {
        let encoded = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.parameters.iter())
            .finish();
        let base = self.redirect_uri.as_str();
        match self.mode {
            ResponseMode::Fragment => format!("{base}#{encoded}"),
            ResponseMode::Query | ResponseMode::FormPost => {
                let separator = if base.contains('?') { '&' } else { '?' };
                format!("{base}{separator}{encoded}")
            }
        }
    }

    /// The value of response parameter `name`, if present.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for AuthorizationResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationResponse")
            .field("redirect_uri", &self.redirect_uri)
            .field("mode", &self.mode)
            .field(
                "parameters",
                &self.parameters.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// What the authorization endpoint does with a request.
#[derive(Debug)]
#[non_exhaustive]
pub enum AuthorizeOutcome {
    /// The request cannot be answered at the client (unknown client, missing, unregistered or
    /// malformed `redirect_uri`): show an error page, never redirect.
    ErrorPage(OAuthError),
    /// Answer at the client's redirect URI (an error, or a code issued silently from a
    /// session).
    Respond(AuthorizationResponse),
    /// The person must authenticate: hand this to the authenticator.
    Login(PendingLogin),
}

/// A finished login: the response to deliver, and the session the browser now holds.
#[derive(Debug)]
#[non_exhaustive]
pub struct LoginCompletion {
    /// The authorization response (a code, or `unmet_authentication_requirements` when the
    /// level reached does not satisfy the requirement).
    pub response: AuthorizationResponse,
    /// The session id to set in the browser's cookie (`None` when no session was made).
    pub session: Option<SessionId>,
    /// The session's `sid` claim, if a session was made (for logout bookkeeping).
    pub sid: Option<String>,
}

/// The answer of the PAR endpoint (RFC 9126 §2.2), sent with status 201.
#[derive(Clone, Debug, serde::Serialize)]
#[non_exhaustive]
pub struct PushedAuthorization {
    /// `urn:ietf:params:oauth:request_uri:…`.
    pub request_uri: String,
    /// Seconds until it expires.
    pub expires_in: u64,
}

/// A successful token response (RFC 6749 §5.1, OIDC Core §3.1.3.3).
#[derive(Clone)]
#[non_exhaustive]
pub struct TokenResponse {
    /// The opaque access token.
    pub access_token: AccessToken,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// The ID token (for `openid` requests).
    pub id_token: Option<String>,
    /// A refresh token, if the client may refresh.
    pub refresh_token: Option<RefreshToken>,
    /// The granted scopes, space-separated.
    pub scope: String,
}

impl TokenResponse {
    /// The JSON body, with `token_type` `Bearer`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut body = serde_json::Map::new();
        body.insert(
            "access_token".into(),
            self.access_token.expose_secret().into(),
        );
        body.insert("token_type".into(), "Bearer".into());
        body.insert("expires_in".into(), self.expires_in.into());
        if let Some(id_token) = &self.id_token {
            body.insert("id_token".into(), id_token.clone().into());
        }
        if let Some(refresh_token) = &self.refresh_token {
            body.insert("refresh_token".into(), refresh_token.expose_secret().into());
        }
        body.insert("scope".into(), self.scope.clone().into());
        serde_json::Value::Object(body)
    }
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("expires_in", &self.expires_in)
            .field("id_token", &self.id_token.as_ref().map(|_| "[redacted]"))
            .field("refresh_token", &self.refresh_token.is_some())
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// A UserInfo response (OIDC Core §5.3.2).
#[derive(Clone)]
#[non_exhaustive]
pub enum UserInfoResponse {
    /// `application/json`.
    Json(serde_json::Map<String, serde_json::Value>),
    /// `application/jwt`, signed, for clients registered for it.
    Jwt(String),
}

impl fmt::Debug for UserInfoResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json(claims) => f
                .debug_tuple("Json")
                .field(&claims.keys().collect::<Vec<_>>())
                .finish(),
            Self::Jwt(_) => f.write_str("Jwt([redacted])"),
        }
    }
}

/// A back-channel logout to deliver (Back-Channel Logout 1.0 §2.5): POST `logout_token` to
/// `uri` as a form.
#[derive(Clone)]
#[non_exhaustive]
pub struct BackchannelLogout {
    /// The client.
    pub client_id: ClientId,
    /// Its registered `backchannel_logout_uri`.
    pub uri: RedirectUri,
    /// The signed logout token.
    pub logout_token: String,
}

impl fmt::Debug for BackchannelLogout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackchannelLogout")
            .field("client_id", &self.client_id)
            .field("uri", &self.uri)
            .finish_non_exhaustive()
    }
}

/// What the end-session endpoint does (RP-Initiated Logout 1.0).
#[derive(Debug)]
#[non_exhaustive]
pub enum EndSessionOutcome {
    /// Logged out; redirect to this URL (the registered `post_logout_redirect_uri` with
    /// `state`).
    Redirect(String),
    /// Logged out (or there was no session); show a "you are logged out" page.
    LoggedOut,
    /// The request is refused (bad or foreign `id_token_hint`, unregistered
    /// `post_logout_redirect_uri`): show an error page and do not redirect.
    Refused(OAuthError),
}

/// The result of an end-session request.
#[derive(Debug)]
#[non_exhaustive]
pub struct EndSession {
    /// What to show or where to go.
    pub outcome: EndSessionOutcome,
    /// Whether the browser's session cookie must be cleared.
    pub clear_session: bool,
    /// The back-channel logout notifications to send.
    pub backchannel: Vec<BackchannelLogout>,
}

/// Why a provider could not be built.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// A setting is out of its bounds.
    #[error("invalid provider setting {setting}: {problem}")]
    InvalidSetting {
        /// The setting.
        setting: &'static str,
        /// What is wrong.
        problem: &'static str,
    },
}

/// The provider engine. Cheap to share: hold it in an `Arc`.
pub struct Provider {
    pub(crate) metadata: ProviderMetadata,
    pub(crate) config: ProviderConfig,
    pub(crate) clients: Arc<dyn ClientRegistry>,
    pub(crate) client_keys: ClientKeys,
    pub(crate) keys: RwLock<Arc<KeyRing>>,
    pub(crate) stores: Stores,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) rng: SystemRandom,
}

impl fmt::Debug for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Provider")
            .field("issuer", self.metadata.issuer())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Provider`].
#[must_use]
#[derive(Debug)]
pub struct ProviderBuilder {
    metadata: ProviderMetadata,
    clients: Arc<dyn ClientRegistry>,
    keys: KeyRing,
    config: ProviderConfig,
    stores: Option<Stores>,
    clock: Option<Arc<dyn Clock>>,
    jwks_fetcher: Option<Arc<dyn JwksFetcher>>,
}

impl ProviderBuilder {
    /// The settings (default [`ProviderConfig::default`]).
    pub fn config(mut self, config: ProviderConfig) -> Self {
        self.config = config;
        self
    }

    /// The stores (default [`Stores::memory`]).
    pub fn stores(mut self, stores: Stores) -> Self {
        self.stores = Some(stores);
        self
    }

    /// The clock (default [`SystemClock`]).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// How clients' `jwks_uri`s are fetched (default
    /// [`HttpJwksFetcher`](crate::http::HttpJwksFetcher)).
    pub fn jwks_fetcher(mut self, fetcher: Arc<dyn JwksFetcher>) -> Self {
        self.jwks_fetcher = Some(fetcher);
        self
    }

    /// The provider.
    ///
    /// # Errors
    /// [`ProviderError::InvalidSetting`] when a lifetime is zero or above its bound.
    pub fn build(self) -> Result<Provider, ProviderError> {
        let config = self.config;
        let bounded = [
            ("code_ttl", config.code_ttl, MAX_CODE_TTL),
            (
                "request_uri_ttl",
                config.request_uri_ttl,
                MAX_REQUEST_URI_TTL,
            ),
        ];
        for (setting, value, max) in bounded {
            if value.is_zero() || value > max {
                return Err(ProviderError::InvalidSetting {
                    setting,
                    problem: "must be above zero and within its bound",
                });
            }
        }
        let positive = [
            ("transaction_ttl", config.transaction_ttl),
            ("id_token_ttl", config.id_token_ttl),
            ("access_token_ttl", config.access_token_ttl),
            ("refresh_token_ttl", config.refresh_token_ttl),
            ("session_ttl", config.session_ttl),
        ];
        for (setting, value) in positive {
            if value.is_zero() {
                return Err(ProviderError::InvalidSetting {
                    setting,
                    problem: "must be above zero",
                });
            }
        }
        if config.session_rules == SessionRules::SwedenConnect
            && config.session_ttl > Duration::from_secs(3600)
        {
            return Err(ProviderError::InvalidSetting {
                setting: "session_ttl",
                problem: "the Sweden Connect rules allow sessions of at most 60 minutes",
            });
        }
        Ok(Provider {
            metadata: self.metadata,
            config,
            clients: self.clients,
            client_keys: ClientKeys::new(Some(
                self.jwks_fetcher
                    .unwrap_or_else(|| Arc::new(crate::http::HttpJwksFetcher::new())),
            )),
            keys: RwLock::new(Arc::new(self.keys)),
            stores: self.stores.unwrap_or_else(Stores::memory),
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            rng: SystemRandom::new(),
        })
    }
}

impl Provider {
    /// A provider publishing `metadata`, serving `clients`, signing with `keys`.
    pub fn builder(
        metadata: ProviderMetadata,
        clients: Arc<dyn ClientRegistry>,
        keys: KeyRing,
    ) -> ProviderBuilder {
        ProviderBuilder {
            metadata,
            clients,
            keys,
            config: ProviderConfig::default(),
            stores: None,
            clock: None,
            jwks_fetcher: None,
        }
    }

    /// The issuer.
    pub fn issuer(&self) -> &Issuer {
        self.metadata.issuer()
    }

    /// The published metadata (discovery).
    pub fn metadata(&self) -> &ProviderMetadata {
        &self.metadata
    }

    /// The settings.
    pub fn config(&self) -> &ProviderConfig {
        &self.config
    }

    /// The current key ring.
    pub fn keys(&self) -> Arc<KeyRing> {
        // A poisoned lock only means a writer panicked between whole-Arc swaps: the Arc inside
        // is still a complete ring.
        match self.keys.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Replaces the key ring (rotation). Tokens signed with keys the new ring still publishes
    /// stay verifiable.
    pub fn replace_keys(&self, keys: KeyRing) {
        let keys = Arc::new(keys);
        match self.keys.write() {
            Ok(mut guard) => *guard = keys,
            Err(poisoned) => *poisoned.into_inner() = keys,
        }
    }

    /// The published JSON Web Key Set (next, current and previous keys).
    pub fn jwks(&self) -> Jwks {
        self.keys().jwks().clone()
    }

    /// The current time of the provider's clock.
    pub fn now(&self) -> UnixTime {
        self.clock.now()
    }

    /// The stores.
    pub fn stores(&self) -> &Stores {
        &self.stores
    }

    /// How `client`'s requested `acr` values are matched: its own
    /// [`acr_matching`](Client::acr_matching), else the provider's.
    pub fn acr_matching_of(&self, client: &Client) -> Matching {
        client.acr_matching().unwrap_or(self.config.acr_matching)
    }

    /// As [`acr_matching_of`](Self::acr_matching_of), for a client known by its id (the
    /// provider's matching when the client is no longer registered).
    ///
    /// # Errors
    /// `server_error` when the registry fails.
    pub(crate) async fn acr_matching_of_id(&self, id: &ClientId) -> Result<Matching, OAuthError> {
        let client = self
            .clients
            .client(id)
            .await
            .map_err(|_| OAuthError::server_error("the client registry failed"))?;
        Ok(client.map_or(self.config.acr_matching, |client| {
            self.acr_matching_of(&client)
        }))
    }

    /// The client registry.
    pub fn clients(&self) -> &Arc<dyn ClientRegistry> {
        &self.clients
    }

    /// Where client authentication finds clients, their keys and the assertion replay cache.
    pub fn client_lookup(&self) -> crate::client::ClientLookup<'_> {
        crate::client::ClientLookup {
            registry: self.clients.as_ref(),
            keys: &self.client_keys,
            replay: self.stores.replay.as_ref(),
        }
    }

    /// The authorization endpoint (OIDC Core §3.1.2; GET query or POST form): validates the
    /// request (directly, by a signed `request` object, or by a PAR `request_uri`) and decides
    /// whether to answer from the browser's `session`, to ask the person to authenticate, or
    /// to answer with an error.
    pub async fn authorize(
        &self,
        parameters: &Parameters,
        session: Option<&SessionId>,
    ) -> AuthorizeOutcome {
        crate::authorize::authorize(self, parameters, session).await
    }

    /// The pending login of `transaction`, if it is still waiting (a reload of a login page).
    ///
    /// # Errors
    /// An [`OAuthError`] when the store fails.
    pub async fn pending_login(
        &self,
        transaction: &TransactionId,
    ) -> Result<Option<PendingLogin>, OAuthError> {
        crate::authorize::pending_login(self, transaction).await
    }

    /// The authenticator reports that the person of `transaction` authenticated: checks the
    /// level against the requirement, opens (or renews) the session, issues the code, and
    /// returns the response to deliver. The transaction is consumed.
    ///
    /// # Errors
    /// An [`OAuthError`] (shown on an error page) when the transaction is unknown, expired or
    /// already completed.
    pub async fn complete_login(
        &self,
        transaction: &TransactionId,
        authentication: Authentication,
        session: Option<&SessionId>,
    ) -> Result<LoginCompletion, OAuthError> {
        crate::authorize::complete_login(self, transaction, authentication, session).await
    }

    /// The authenticator reports that the login of `transaction` failed (the person cancelled:
    /// `access_denied`; an upstream failed: `temporarily_unavailable` or `server_error`):
    /// returns the error response to deliver. The transaction is consumed.
    ///
    /// # Errors
    /// An [`OAuthError`] (shown on an error page) when the transaction is unknown, expired or
    /// already completed.
    pub async fn abort_login(
        &self,
        transaction: &TransactionId,
        error: OAuthError,
    ) -> Result<AuthorizationResponse, OAuthError> {
        crate::authorize::abort_login(self, transaction, error).await
    }

    /// The pushed authorization request endpoint (RFC 9126).
    ///
    /// # Errors
    /// An [`OAuthError`] for the JSON error response.
    pub async fn push_authorization_request(
        &self,
        credentials: &ClientCredentials,
        parameters: &Parameters,
    ) -> Result<PushedAuthorization, OAuthError> {
        crate::authorize::push(self, credentials, parameters).await
    }

    /// The token endpoint (RFC 6749 §3.2): `authorization_code` and `refresh_token` grants.
    ///
    /// # Errors
    /// An [`OAuthError`] for the JSON error response (`invalid_client` → 401).
    pub async fn token(
        &self,
        credentials: &ClientCredentials,
        parameters: &Parameters,
    ) -> Result<TokenResponse, OAuthError> {
        crate::token::token(self, credentials, parameters).await
    }

    /// The UserInfo endpoint (OIDC Core §5.3) for the bearer `access_token` (from the
    /// `Authorization` header or the form body; never the query).
    ///
    /// # Errors
    /// An [`OAuthError`] (`invalid_token` → 401 with `WWW-Authenticate: Bearer`).
    pub async fn userinfo(&self, access_token: &str) -> Result<UserInfoResponse, OAuthError> {
        crate::userinfo::userinfo(self, access_token).await
    }

    /// The revocation endpoint (RFC 7009). Unknown tokens succeed (§2.2).
    ///
    /// # Errors
    /// An [`OAuthError`] for the JSON error response.
    pub async fn revoke(
        &self,
        credentials: &ClientCredentials,
        parameters: &Parameters,
    ) -> Result<(), OAuthError> {
        crate::revocation::revoke(self, credentials, parameters).await
    }

    /// The introspection endpoint (RFC 7662): `{"active": false}` for anything not active.
    ///
    /// # Errors
    /// An [`OAuthError`] for the JSON error response (the caller must authenticate).
    pub async fn introspect(
        &self,
        credentials: &ClientCredentials,
        parameters: &Parameters,
    ) -> Result<serde_json::Value, OAuthError> {
        crate::introspection::introspect(self, credentials, parameters).await
    }

    /// The end-session endpoint (RP-Initiated Logout 1.0), for the browser's `session`.
    pub async fn end_session(
        &self,
        parameters: &Parameters,
        session: Option<&SessionId>,
    ) -> EndSession {
        crate::logout::end_session(self, parameters, session).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

    use super::*;

    #[test]
    fn a_response_keeps_the_redirect_uris_query() {
        let response = AuthorizationResponse {
            redirect_uri: "https://rp.example/cb?tenant=a".parse().unwrap(),
            mode: ResponseMode::Query,
            parameters: vec![
                ("code".into(), "abc".into()),
                ("state".into(), "s t".into()),
            ],
        };
        assert_eq!(
            response.location(),
            "https://rp.example/cb?tenant=a&code=abc&state=s+t"
        );
        assert_eq!(response.parameter("state"), Some("s t"));
        let fragment = AuthorizationResponse {
            mode: ResponseMode::Fragment,
            ..response
        };
        assert_eq!(
            fragment.location(),
            "https://rp.example/cb?tenant=a#code=abc&state=s+t"
        );
    }
}
