//! Clients: their identifiers and redirect URIs, their registration ([`Client`], built and
//! checked by [`ClientBuilder`]), the [`ClientRegistry`] that finds them, and client
//! authentication at the token, PAR, introspection and revocation endpoints
//! ([`authenticate_client`]).
//!
//! # Example
//!
//! ```
//! use eid_provider::client::{Client, ClientAuthMethod, ClientId, RedirectUri};
//! use eid_provider::secret::ClientSecret;
//!
//! let secret = ClientSecret::from_presented("s3cret-of-the-e-service")?;
//! let client = Client::builder(
//!     "e-service".parse::<ClientId>()?,
//!     ClientAuthMethod::ClientSecretBasic,
//! )
//! .secret(&secret)
//! .redirect_uri("https://e-service.example/callback".parse::<RedirectUri>()?)
//! .build()?;
//!
//! // Redirect URIs match by exact string equality (OIDC Core §3.1.2.1).
//! assert!(client.has_redirect_uri(&"https://e-service.example/callback".parse()?));
//! assert!(!client.has_redirect_uri(&"https://e-service.example/callback/".parse()?));
//! // Plain http is for loopback only (RFC 8252 §7.3).
//! assert!("http://e-service.example/callback".parse::<RedirectUri>().is_err());
//! assert!("http://127.0.0.1:8080/callback".parse::<RedirectUri>().is_ok());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::fmt::{self, Debug};
use std::str::FromStr;
use std::sync::Arc;

use async_trait::async_trait;
use eid_core::assurance::{LevelOfAssurance, MAX_LEVELS, Matching};
use eid_core::jose::{Jwks, JwsAlgorithm};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq as _;

use crate::secret::{ClientSecret, SecretDigest};
use crate::store::StoreError;

pub mod authentication;
pub mod keys;

pub use authentication::{
    ASSERTION_ALGORITHMS, ClientAuthError, ClientCredentials, ClientLookup,
    JWT_BEARER_ASSERTION_TYPE, MAX_ASSERTION_LEN, MAX_ASSERTION_LIFETIME, authenticate_client,
};

/// The longest client id accepted.
pub const MAX_CLIENT_ID_LEN: usize = 255;

/// The longest URI accepted in a registration.
pub const MAX_URI_LEN: usize = 2048;

/// The most redirect URIs (or post-logout redirect URIs) one client may register.
pub const MAX_REDIRECT_URIS: usize = 32;

/// The most scopes one client may be allowed.
pub const MAX_SCOPES: usize = 64;

/// What is wrong with a client registration or an identifier.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The assertion algorithm is not one that [`ASSERTION_ALGORITHMS`] allows.
    #[error("{algorithm} is not allowed for client assertions")]
    AssertionAlgorithmNotAllowed {
        /// The algorithm.
        algorithm: JwsAlgorithm,
    },
    /// Two clients have the same id.
    #[error("client id {id} is registered twice")]
    DuplicateClient {
        /// The id.
        id: ClientId,
    },
    /// A client id is empty, longer than [`MAX_CLIENT_ID_LEN`] or has a character outside
    /// `VSCHAR` (RFC 6749 Appendix A.1).
    #[error("a client id must be 1 to {MAX_CLIENT_ID_LEN} printable ASCII characters")]
    InvalidClientId,
    /// A redirect URI is not acceptable.
    #[error("invalid URI: {problem}")]
    InvalidRedirectUri {
        /// What is wrong.
        problem: UriProblem,
    },
    /// A scope is empty, too long or has a character outside `NQCHAR` (RFC 6749 §3.3).
    #[error("invalid scope value")]
    InvalidScope,
    /// A `private_key_jwt` client has no public keys (or both `jwks` and `jwks_uri`), or one
    /// of another method has some.
    #[error(
        "a JWK Set (jwks or jwks_uri, not both) is required with private_key_jwt and only with it (method {method})"
    )]
    JwksMismatch {
        /// The registered method.
        method: ClientAuthMethod,
    },
    /// The client has no grant type.
    #[error("no grant type")]
    NoGrantType,
    /// The client uses the authorization code grant but has no redirect URI.
    #[error("no redirect URI")]
    NoRedirectUri,
    /// The refresh token grant is registered without the authorization code grant.
    #[error("refresh_token requires authorization_code")]
    RefreshWithoutCode,
    /// A `client_secret_*` client has no secret, or one of another method has one.
    #[error(
        "a secret is required with client_secret_basic/post and only with them (method {method})"
    )]
    SecretMismatch {
        /// The registered method.
        method: ClientAuthMethod,
    },
    /// More than [`MAX_REDIRECT_URIS`] URIs or [`MAX_SCOPES`] scopes.
    #[error("too many entries: {count} > {max}")]
    TooMany {
        /// How many were given.
        count: usize,
        /// The maximum.
        max: usize,
    },
}

impl ClientError {
    /// A stable snake_case code for logs and configuration errors.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::AssertionAlgorithmNotAllowed { .. } => "assertion_algorithm_not_allowed",
            Self::DuplicateClient { .. } => "duplicate_client",
            Self::InvalidClientId => "invalid_client_id",
            Self::InvalidRedirectUri { .. } => "invalid_redirect_uri",
            Self::InvalidScope => "invalid_scope",
            Self::JwksMismatch { .. } => "jwks_mismatch",
            Self::NoGrantType => "no_grant_type",
            Self::NoRedirectUri => "no_redirect_uri",
            Self::RefreshWithoutCode => "refresh_without_code",
            Self::SecretMismatch { .. } => "secret_mismatch",
            Self::TooMany { .. } => "too_many",
        }
    }
}

/// What is wrong with a URI.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UriProblem {
    /// The host or authority is missing or malformed.
    Authority,
    /// A character is not printable ASCII (spaces, controls, non-ASCII must be percent-encoded).
    Character,
    /// It has a fragment (RFC 6749 §3.1.2).
    Fragment,
    /// It is `http` to a host other than a loopback IP literal (RFC 8252 §7.3, FAPI 2.0).
    InsecureHttp,
    /// The port is not a number from 1 to 65535.
    Port,
    /// The scheme is neither `https` nor `http` (lower case).
    Scheme,
    /// It is longer than [`MAX_URI_LEN`].
    TooLong,
    /// It has user information (`user@host`).
    UserInfo,
}

impl UriProblem {
    /// The problem as a snake_case word.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Authority => "authority",
            Self::Character => "character",
            Self::Fragment => "fragment",
            Self::InsecureHttp => "insecure_http",
            Self::Port => "port",
            Self::Scheme => "scheme",
            Self::TooLong => "too_long",
            Self::UserInfo => "user_info",
        }
    }
}

impl fmt::Display for UriProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A client identifier (RFC 6749 §2.2): 1 to [`MAX_CLIENT_ID_LEN`] `VSCHAR`s, compared exactly.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClientId(String);

impl ClientId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ClientId {
    type Err = ClientError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty()
            || s.len() > MAX_CLIENT_ID_LEN
            || !s.bytes().all(|b| (0x20..=0x7e).contains(&b))
        {
            return Err(ClientError::InvalidClientId);
        }
        Ok(Self(s.to_owned()))
    }
}

impl TryFrom<String> for ClientId {
    type Error = ClientError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<ClientId> for String {
    fn from(id: ClientId) -> Self {
        id.0
    }
}

impl fmt::Debug for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClientId({:?})", self.0)
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A redirect URI as registered: absolute `https` (or `http` to a loopback IP literal), no
/// fragment, no user information, at most [`MAX_URI_LEN`] bytes of printable ASCII.
///
/// It keeps the string as given; equality and hashing are exact string comparison (OIDC Core
/// §3.1.2.1, RFC 9700 §4.1.3): nothing is normalised. Also used for post-logout and back-channel
/// logout URIs, which obey the same rules.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RedirectUri(String);

impl RedirectUri {
    /// The URI as registered.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for RedirectUri {
    type Err = ClientError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        check_uri(s).map_err(|problem| ClientError::InvalidRedirectUri { problem })?;
        Ok(Self(s.to_owned()))
    }
}

fn check_uri(s: &str) -> Result<(), UriProblem> {
    if s.len() > MAX_URI_LEN {
        return Err(UriProblem::TooLong);
    }
    if !s.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(UriProblem::Character);
    }
    if s.contains('#') {
        return Err(UriProblem::Fragment);
    }
    let (secure, rest) = if let Some(rest) = s.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = s.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err(UriProblem::Scheme);
    };
    let authority = rest
        .split(['/', '?'])
        .next()
        .filter(|a| !a.is_empty())
        .ok_or(UriProblem::Authority)?;
    if authority.contains('@') {
        return Err(UriProblem::UserInfo);
    }
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (inside, after) = bracketed.split_once(']').ok_or(UriProblem::Authority)?;
        if inside.is_empty() || !inside.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return Err(UriProblem::Authority);
        }
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or(UriProblem::Authority)?),
        };
        (authority.get(..inside.len() + 2).unwrap_or(authority), port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        if host.is_empty()
            || !host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        {
            return Err(UriProblem::Authority);
        }
        (host, port)
    };
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u16>().is_ok_and(|p| p != 0);
        if !valid {
            return Err(UriProblem::Port);
        }
    }
    if !secure && host != "127.0.0.1" && host != "[::1]" {
        return Err(UriProblem::InsecureHttp);
    }
    Ok(())
}

impl TryFrom<String> for RedirectUri {
    type Error = ClientError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<RedirectUri> for String {
    fn from(uri: RedirectUri) -> Self {
        uri.0
    }
}

impl fmt::Debug for RedirectUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RedirectUri({:?})", self.0)
    }
}

impl fmt::Display for RedirectUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a client authenticates at the token endpoint (OIDC Core §9, RFC 7591 §2
/// `token_endpoint_auth_method`), in the order of OIDC Core §9.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuthMethod {
    /// The id and secret in HTTP Basic (RFC 6749 §2.3.1).
    ClientSecretBasic,
    /// The id and secret in the form body (RFC 6749 §2.3.1).
    ClientSecretPost,
    /// A JWT signed with the client's private key (RFC 7523, OIDC Core §9).
    PrivateKeyJwt,
    /// A public client: no authentication, PKCE only.
    None,
}

impl ClientAuthMethod {
    /// The registered name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ClientSecretBasic => "client_secret_basic",
            Self::ClientSecretPost => "client_secret_post",
            Self::PrivateKeyJwt => "private_key_jwt",
            Self::None => "none",
        }
    }

    const fn uses_secret(self) -> bool {
        matches!(self, Self::ClientSecretBasic | Self::ClientSecretPost)
    }
}

impl fmt::Display for ClientAuthMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A grant type a client may use (RFC 6749).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantType {
    /// `authorization_code` (RFC 6749 §4.1).
    AuthorizationCode,
    /// `refresh_token` (RFC 6749 §6).
    RefreshToken,
}

/// A registered client.
///
/// Built by [`Client::builder`], which checks that the registration is coherent. Every client
/// must use PKCE `S256` (FAPI 2.0, OAuth 2.0 Security BCP), so that is not a setting.
#[derive(Debug)]
pub struct Client {
    id: ClientId,
    auth_method: ClientAuthMethod,
    secret: Option<SecretDigest>,
    jwks: Option<Jwks>,
    jwks_uri: Option<RedirectUri>,
    assertion_algorithms: Vec<JwsAlgorithm>,
    redirect_uris: Vec<RedirectUri>,
    post_logout_redirect_uris: Vec<RedirectUri>,
    backchannel_logout_uri: Option<RedirectUri>,
    grant_types: Vec<GrantType>,
    scopes: Vec<String>,
    id_token_signed_response_alg: JwsAlgorithm,
    userinfo_signed_response_alg: Option<JwsAlgorithm>,
    require_pushed_authorization_requests: bool,
    acr_matching: Option<Matching>,
    default_acr_values: Vec<LevelOfAssurance>,
}

impl Client {
    /// Starts a registration of `id` authenticating with `auth_method`.
    pub fn builder(id: ClientId, auth_method: ClientAuthMethod) -> ClientBuilder {
        ClientBuilder {
            id,
            auth_method,
            secret: None,
            jwks: None,
            jwks_uri: None,
            assertion_algorithms: ASSERTION_ALGORITHMS.to_vec(),
            redirect_uris: Vec::new(),
            post_logout_redirect_uris: Vec::new(),
            backchannel_logout_uri: None,
            grant_types: Vec::new(),
            scopes: Vec::new(),
            id_token_signed_response_alg: JwsAlgorithm::Rs256,
            userinfo_signed_response_alg: None,
            require_pushed_authorization_requests: false,
            acr_matching: None,
            default_acr_values: Vec::new(),
        }
    }

    /// The client id.
    pub fn id(&self) -> &ClientId {
        &self.id
    }

    /// The registered authentication method.
    pub fn auth_method(&self) -> ClientAuthMethod {
        self.auth_method
    }

    /// Whether this is a public client (method `none`).
    pub fn is_public(&self) -> bool {
        self.auth_method == ClientAuthMethod::None
    }

    /// Whether `secret` is this client's secret, compared in constant time over the digests.
    /// Always `false` for a client without a secret.
    pub fn secret_matches(&self, secret: &ClientSecret) -> bool {
        let Some(registered) = &self.secret else {
            return false;
        };
        let presented = secret.digest().to_base64url();
        registered
            .to_base64url()
            .as_bytes()
            .ct_eq(presented.as_bytes())
            .into()
    }

    /// The public keys of a `private_key_jwt` client.
    pub fn jwks(&self) -> Option<&Jwks> {
        self.jwks.as_ref()
    }

    /// The URI its public keys are fetched from (`private_key_jwt` by reference), if any.
    pub fn jwks_uri(&self) -> Option<&RedirectUri> {
        self.jwks_uri.as_ref()
    }

    /// The algorithms accepted for this client's assertions (a subset of
    /// [`ASSERTION_ALGORITHMS`]).
    pub fn assertion_algorithms(&self) -> &[JwsAlgorithm] {
        &self.assertion_algorithms
    }

    /// The registered redirect URIs.
    pub fn redirect_uris(&self) -> &[RedirectUri] {
        &self.redirect_uris
    }

    /// Whether `uri` is registered, by exact string equality.
    pub fn has_redirect_uri(&self, uri: &RedirectUri) -> bool {
        self.redirect_uris.contains(uri)
    }

    /// The registered post-logout redirect URIs.
    pub fn post_logout_redirect_uris(&self) -> &[RedirectUri] {
        &self.post_logout_redirect_uris
    }

    /// The back-channel logout URI, if any.
    pub fn backchannel_logout_uri(&self) -> Option<&RedirectUri> {
        self.backchannel_logout_uri.as_ref()
    }

    /// The grant types the client may use.
    pub fn grant_types(&self) -> &[GrantType] {
        &self.grant_types
    }

    /// The scopes the client may request.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// Whether the client may request `scope`.
    pub fn allows_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// The algorithm of its ID tokens.
    pub fn id_token_signed_response_alg(&self) -> JwsAlgorithm {
        self.id_token_signed_response_alg
    }

    /// The algorithm of its signed UserInfo responses, if it wants them signed.
    pub fn userinfo_signed_response_alg(&self) -> Option<JwsAlgorithm> {
        self.userinfo_signed_response_alg
    }

    /// Whether the client must use PAR (RFC 9126 §6).
    pub fn require_pushed_authorization_requests(&self) -> bool {
        self.require_pushed_authorization_requests
    }

    /// How this client's requested `acr` values are matched, when it differs from the
    /// provider's [`acr_matching`](crate::ProviderConfig::acr_matching) (a broker's per-client
    /// policy: exact or minimum).
    pub fn acr_matching(&self) -> Option<Matching> {
        self.acr_matching
    }

    /// The levels this client requires when a request names none (neither `acr_values` nor an
    /// essential `acr`): treated as the request's `acr_values`, so that a session below them
    /// is not reused silently. Empty by default.
    pub fn default_acr_values(&self) -> &[LevelOfAssurance] {
        &self.default_acr_values
    }
}

/// Builds a [`Client`]; [`ClientBuilder::build`] checks the whole registration.
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    id: ClientId,
    auth_method: ClientAuthMethod,
    secret: Option<SecretDigest>,
    jwks: Option<Jwks>,
    jwks_uri: Option<RedirectUri>,
    assertion_algorithms: Vec<JwsAlgorithm>,
    redirect_uris: Vec<RedirectUri>,
    post_logout_redirect_uris: Vec<RedirectUri>,
    backchannel_logout_uri: Option<RedirectUri>,
    grant_types: Vec<GrantType>,
    scopes: Vec<String>,
    id_token_signed_response_alg: JwsAlgorithm,
    userinfo_signed_response_alg: Option<JwsAlgorithm>,
    require_pushed_authorization_requests: bool,
    acr_matching: Option<Matching>,
    default_acr_values: Vec<LevelOfAssurance>,
}

impl ClientBuilder {
    /// The client secret (`client_secret_basic` / `client_secret_post`); only its digest is kept.
    pub fn secret(mut self, secret: &ClientSecret) -> Self {
        self.secret = Some(secret.digest());
        self
    }

    /// The public keys (`private_key_jwt`), by value.
    pub fn jwks(mut self, jwks: Jwks) -> Self {
        self.jwks = Some(jwks);
        self
    }

    /// The public keys (`private_key_jwt`), by reference: fetched from `uri` and cached (see
    /// [`keys`]). Exclusive with [`jwks`](Self::jwks).
    pub fn jwks_uri(mut self, uri: keys::JwksUri) -> Self {
        self.jwks_uri = Some(uri);
        self
    }

    /// Restricts the assertion algorithms (default: all of [`ASSERTION_ALGORITHMS`]; a FAPI 2.0
    /// client would use PS256, ES256 and EdDSA only).
    pub fn assertion_algorithms(mut self, algorithms: Vec<JwsAlgorithm>) -> Self {
        self.assertion_algorithms = algorithms;
        self
    }

    /// Adds a redirect URI.
    pub fn redirect_uri(mut self, uri: RedirectUri) -> Self {
        self.redirect_uris.push(uri);
        self
    }

    /// Adds a post-logout redirect URI.
    pub fn post_logout_redirect_uri(mut self, uri: RedirectUri) -> Self {
        self.post_logout_redirect_uris.push(uri);
        self
    }

    /// Sets the back-channel logout URI.
    pub fn backchannel_logout_uri(mut self, uri: RedirectUri) -> Self {
        self.backchannel_logout_uri = Some(uri);
        self
    }

    /// Adds a grant type (default: `authorization_code` alone).
    pub fn grant_type(mut self, grant_type: GrantType) -> Self {
        if !self.grant_types.contains(&grant_type) {
            self.grant_types.push(grant_type);
        }
        self
    }

    /// Adds an allowed scope (default: `openid` alone).
    pub fn scope(mut self, scope: &str) -> Self {
        self.scopes.push(scope.to_owned());
        self
    }

    /// The ID token algorithm (default RS256, the OIDC Core registration default).
    pub fn id_token_signed_response_alg(mut self, algorithm: JwsAlgorithm) -> Self {
        self.id_token_signed_response_alg = algorithm;
        self
    }

    /// Signs UserInfo responses with `algorithm`.
    pub fn userinfo_signed_response_alg(mut self, algorithm: JwsAlgorithm) -> Self {
        self.userinfo_signed_response_alg = Some(algorithm);
        self
    }

    /// Requires PAR for this client.
    pub fn require_pushed_authorization_requests(mut self, required: bool) -> Self {
        self.require_pushed_authorization_requests = required;
        self
    }

    /// How this client's requested `acr` values are matched ([`Client::acr_matching`]).
    pub fn acr_matching(mut self, matching: Matching) -> Self {
        self.acr_matching = Some(matching);
        self
    }

    /// The levels required when a request names none ([`Client::default_acr_values`]); at
    /// most [`MAX_LEVELS`] are kept, duplicates dropped.
    pub fn default_acr_values(mut self, levels: Vec<LevelOfAssurance>) -> Self {
        let mut kept: Vec<LevelOfAssurance> = Vec::new();
        for level in levels {
            if kept.len() < MAX_LEVELS && !kept.contains(&level) {
                kept.push(level);
            }
        }
        self.default_acr_values = kept;
        self
    }

    /// Checks the registration and builds the client.
    ///
    /// # Errors
    /// [`ClientError::SecretMismatch`] when a `client_secret_*` client has no secret or another
    /// has one; [`ClientError::JwksMismatch`] likewise for `private_key_jwt` and keys;
    /// [`ClientError::AssertionAlgorithmNotAllowed`]; [`ClientError::NoRedirectUri`],
    /// [`ClientError::NoGrantType`], [`ClientError::RefreshWithoutCode`],
    /// [`ClientError::InvalidScope`] and [`ClientError::TooMany`].
    pub fn build(mut self) -> Result<Client, ClientError> {
        let method = self.auth_method;
        if method.uses_secret() != self.secret.is_some() {
            return Err(ClientError::SecretMismatch { method });
        }
        let wants_keys = method == ClientAuthMethod::PrivateKeyJwt;
        let has_keys = self
            .jwks
            .as_ref()
            .is_some_and(|jwks| !jwks.keys().is_empty());
        let by_reference = self.jwks_uri.is_some();
        let registered = usize::from(self.jwks.is_some()) + usize::from(by_reference);
        if wants_keys != (has_keys || by_reference) || registered > usize::from(wants_keys) {
            return Err(ClientError::JwksMismatch { method });
        }
        if let Some(&algorithm) = self
            .assertion_algorithms
            .iter()
            .find(|alg| !ASSERTION_ALGORITHMS.contains(alg))
        {
            return Err(ClientError::AssertionAlgorithmNotAllowed { algorithm });
        }
        if self.grant_types.is_empty() {
            self.grant_types.push(GrantType::AuthorizationCode);
        }
        let code = self.grant_types.contains(&GrantType::AuthorizationCode);
        if self.grant_types.contains(&GrantType::RefreshToken) && !code {
            return Err(ClientError::RefreshWithoutCode);
        }
        if code && self.redirect_uris.is_empty() {
            return Err(ClientError::NoRedirectUri);
        }
        for count in [
            self.redirect_uris.len(),
            self.post_logout_redirect_uris.len(),
        ] {
            if count > MAX_REDIRECT_URIS {
                return Err(ClientError::TooMany {
                    count,
                    max: MAX_REDIRECT_URIS,
                });
            }
        }
        if self.scopes.is_empty() {
            self.scopes.push("openid".to_owned());
        }
        if self.scopes.len() > MAX_SCOPES {
            return Err(ClientError::TooMany {
                count: self.scopes.len(),
                max: MAX_SCOPES,
            });
        }
        if !self.scopes.iter().all(|s| is_scope_token(s)) {
            return Err(ClientError::InvalidScope);
        }
        Ok(Client {
            id: self.id,
            auth_method: method,
            secret: self.secret,
            jwks: self.jwks,
            jwks_uri: self.jwks_uri,
            assertion_algorithms: self.assertion_algorithms,
            redirect_uris: self.redirect_uris,
            post_logout_redirect_uris: self.post_logout_redirect_uris,
            backchannel_logout_uri: self.backchannel_logout_uri,
            grant_types: self.grant_types,
            scopes: self.scopes,
            id_token_signed_response_alg: self.id_token_signed_response_alg,
            userinfo_signed_response_alg: self.userinfo_signed_response_alg,
            require_pushed_authorization_requests: self.require_pushed_authorization_requests,
            acr_matching: self.acr_matching,
            default_acr_values: self.default_acr_values,
        })
    }
}

/// A scope token: 1 to 128 `NQCHAR`s (RFC 6749 §3.3).
fn is_scope_token(scope: &str) -> bool {
    !scope.is_empty()
        && scope.len() <= 128
        && scope
            .bytes()
            .all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b))
}

/// Finds registered clients.
#[async_trait]
pub trait ClientRegistry: Send + Sync + Debug {
    /// The client registered as `id`, if any.
    ///
    /// # Errors
    /// [`StoreError`] when the registry's backend fails.
    async fn client(&self, id: &ClientId) -> Result<Option<Arc<Client>>, StoreError>;
}

/// A fixed set of clients, from configuration.
#[derive(Debug, Default)]
pub struct StaticClients {
    clients: HashMap<ClientId, Arc<Client>>,
}

impl StaticClients {
    /// The registry of `clients`.
    ///
    /// # Errors
    /// [`ClientError::DuplicateClient`] when two clients share an id.
    pub fn new(clients: Vec<Client>) -> Result<Self, ClientError> {
        let mut map = HashMap::with_capacity(clients.len());
        for client in clients {
            let id = client.id.clone();
            if map.insert(id.clone(), Arc::new(client)).is_some() {
                return Err(ClientError::DuplicateClient { id });
            }
        }
        Ok(Self { clients: map })
    }
}

#[async_trait]
impl ClientRegistry for StaticClients {
    async fn client(&self, id: &ClientId) -> Result<Option<Arc<Client>>, StoreError> {
        Ok(self.clients.get(id).cloned())
    }
}

#[cfg(test)]
mod tests;
