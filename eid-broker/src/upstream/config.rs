//! An upstream's configuration, as the broker's TOML gives it, and its validation.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use eid_core::jose::{JwsAlgorithm, SigningKey};
use serde::Deserialize;
use subtle::ConstantTimeEq as _;
use url::Url;

use super::acr::AcrMapping;
use super::error::UpstreamConfigError;

/// The scope always asked for; the configured scopes are added to it.
pub const OPENID_SCOPE: &str = "openid";

/// One upstream eID provider, as configured.
///
/// ```toml
/// id = "bankid"
/// display_name = { sv = "BankID", en = "BankID" }
/// issuer = "https://bankid-oidc.example"
/// client_id = "broker"
/// redirect_uri = "https://broker.example/upstream/bankid/callback"
/// client_auth = { method = "private_key_jwt", key_file = "keys/bankid-client.p8", algorithm = "ES256" }
/// scopes = ["https://id.oidc.se/scope/naturalPersonNumber"]
/// acr = [
///   { level = "http://id.elegnamnden.se/loa/1.0/loa3", request = "http://id.elegnamnden.se/loa/1.0/loa3" },
/// ]
/// ```
#[non_exhaustive]
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpstreamConfig {
    /// A short, stable name (`[a-z0-9_-]`), used in the state, in logs and in URLs.
    pub id: String,
    /// What the person sees on the choice page.
    pub display_name: DisplayNames,
    /// The upstream's issuer identifier, compared as an exact string with its metadata, its ID
    /// tokens and the `iss` of its authorization responses. `https`, or `http` on a loopback
    /// address (tests and the demo).
    pub issuer: String,
    /// The broker's client id at the upstream.
    pub client_id: String,
    /// The broker's redirect URI registered at the upstream for this upstream.
    pub redirect_uri: Url,
    /// How the broker authenticates at the upstream's token and PAR endpoints.
    pub client_auth: ClientAuthConfig,
    /// Scopes asked for besides `openid`.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The ID-token signature algorithms accepted (an allow-list; `none` and HMAC cannot be
    /// named). Default ES256 and RS256.
    #[serde(default = "default_algorithms")]
    pub id_token_algorithms: Vec<JwsAlgorithm>,
    /// The broker's levels and the upstream's `acr` values, both ways.
    pub acr: AcrMapping,
    /// Whether authorization requests are pushed (RFC 9126).
    #[serde(default)]
    pub par: ParMode,
    /// Whether to call the UserInfo endpoint after the token exchange (default yes).
    #[serde(default = "yes")]
    pub userinfo: bool,
    /// Whether logout at the broker is propagated to the upstream's `end_session_endpoint`.
    #[serde(default)]
    pub end_session: bool,
    /// Time limits of the HTTP calls to the upstream.
    #[serde(default)]
    pub timeouts: Timeouts,
    /// Cache lifetimes of discovery and keys.
    #[serde(default)]
    pub cache: CacheConfig,
    /// How long a started login may take before its callback is refused, in seconds (default
    /// 600).
    #[serde(default = "default_login_lifetime")]
    pub login_lifetime_secs: u64,
}

/// Names in Swedish and English.
#[non_exhaustive]
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DisplayNames {
    /// Swedish.
    pub sv: String,
    /// English.
    pub en: String,
}

/// Client authentication at the upstream, as configured.
#[non_exhaustive]
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientAuthConfig {
    /// HTTP Basic with the client secret (RFC 6749 §2.3.1).
    ClientSecretBasic {
        /// The secret.
        secret: ClientSecret,
    },
    /// The client secret in the form body.
    ClientSecretPost {
        /// The secret.
        secret: ClientSecret,
    },
    /// A JWT signed with the broker's key (RFC 7523, OIDC Core §9).
    PrivateKeyJwt {
        /// An unencrypted PKCS#8 private key, PEM or DER.
        key_file: PathBuf,
        /// The algorithm it signs with.
        algorithm: JwsAlgorithm,
    },
}

/// A client secret. `Debug` never shows it; compare with [`ClientSecret::ct_eq`].
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct ClientSecret(String);

impl ClientSecret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, for the request that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Constant-time equality.
    pub fn ct_eq(&self, other: &str) -> bool {
        bool::from(self.0.as_bytes().ct_eq(other.as_bytes()))
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret([redacted])")
    }
}

/// Client authentication with its key loaded.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub enum ClientCredentials {
    /// HTTP Basic.
    ClientSecretBasic(ClientSecret),
    /// Secret in the form body.
    ClientSecretPost(ClientSecret),
    /// A signed JWT assertion.
    PrivateKeyJwt(Arc<SigningKey>),
}

impl ClientAuthConfig {
    /// Loads what the method needs: the secret as is, or the private key from its file.
    ///
    /// # Errors
    ///
    /// [`UpstreamConfigError::KeyFile`] if the key file cannot be read,
    /// [`UpstreamConfigError::Key`] if it is no PKCS#8 key for the algorithm.
    pub fn load(&self, base: &Path) -> Result<ClientCredentials, UpstreamConfigError> {
        match self {
            Self::ClientSecretBasic { secret } => {
                Ok(ClientCredentials::ClientSecretBasic(secret.clone()))
            }
            Self::ClientSecretPost { secret } => {
                Ok(ClientCredentials::ClientSecretPost(secret.clone()))
            }
            Self::PrivateKeyJwt {
                key_file,
                algorithm,
            } => {
                let path = base.join(key_file);
                let bytes =
                    std::fs::read(&path).map_err(|source| UpstreamConfigError::KeyFile {
                        path: path.clone(),
                        source,
                    })?;
                let key = if bytes.starts_with(b"-----") {
                    SigningKey::from_pkcs8_pem(&bytes, *algorithm)
                } else {
                    SigningKey::from_pkcs8_der(&bytes, *algorithm)
                }
                .map_err(|source| UpstreamConfigError::Key { path, source })?;
                Ok(ClientCredentials::PrivateKeyJwt(Arc::new(key)))
            }
        }
    }
}

/// Whether authorization requests go through the upstream's PAR endpoint (RFC 9126).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ParMode {
    /// Always; a login fails if the upstream has no PAR endpoint.
    Always,
    /// When the upstream advertises a PAR endpoint (the default).
    #[default]
    Auto,
    /// Never (unless the upstream requires PAR, which then fails the login).
    Never,
}

/// Time limits of the HTTP calls to an upstream.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Timeouts {
    /// To open the connection, in milliseconds (default 2,000).
    #[serde(default = "default_connect_ms")]
    pub connect_ms: u64,
    /// For the whole request and response, in milliseconds (default 10,000).
    #[serde(default = "default_request_ms")]
    pub request_ms: u64,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect_ms: default_connect_ms(),
            request_ms: default_request_ms(),
        }
    }
}

impl Timeouts {
    /// The connect timeout.
    pub fn connect(&self) -> Duration {
        Duration::from_millis(self.connect_ms)
    }

    /// The request timeout.
    pub fn request(&self) -> Duration {
        Duration::from_millis(self.request_ms)
    }
}

/// Cache lifetimes of an upstream's metadata and keys.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CacheConfig {
    /// How long discovery metadata and keys are used before they are fetched again, in seconds
    /// (default 3,600).
    #[serde(default = "default_metadata_ttl")]
    pub metadata_ttl_secs: u64,
    /// The least time between two key fetches caused by an unknown `kid`, in seconds (default
    /// 60): a stream of tokens with made-up key ids cannot make the broker hammer the upstream.
    #[serde(default = "default_jwks_min_refresh")]
    pub jwks_min_refresh_secs: u64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self {
            metadata_ttl_secs: default_metadata_ttl(),
            jwks_min_refresh_secs: default_jwks_min_refresh(),
        }
    }
}

impl UpstreamConfig {
    /// A configuration with the defaults: ES256 and RS256, PAR when offered, UserInfo called,
    /// no end-session, default time limits.
    pub fn new(
        id: impl Into<String>,
        issuer: impl Into<String>,
        client_id: impl Into<String>,
        redirect_uri: Url,
        client_auth: ClientAuthConfig,
        acr: AcrMapping,
    ) -> Self {
        let id = id.into();
        Self {
            display_name: DisplayNames {
                sv: id.clone(),
                en: id.clone(),
            },
            id,
            issuer: issuer.into(),
            client_id: client_id.into(),
            redirect_uri,
            client_auth,
            scopes: Vec::new(),
            id_token_algorithms: default_algorithms(),
            acr,
            par: ParMode::default(),
            userinfo: true,
            end_session: false,
            timeouts: Timeouts::default(),
            cache: CacheConfig::default(),
            login_lifetime_secs: default_login_lifetime(),
        }
    }

    /// Checks what serde cannot: names, URLs, the algorithm list, the acr mapping, limits.
    ///
    /// # Errors
    ///
    /// The first problem found, naming the key.
    pub fn validate(&self) -> Result<(), UpstreamConfigError> {
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 64
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if !id_ok {
            return Err(UpstreamConfigError::Invalid {
                key: "id",
                problem: "1 to 64 characters of a-z, 0-9, '-' and '_'",
            });
        }
        if self.display_name.sv.trim().is_empty() || self.display_name.en.trim().is_empty() {
            return Err(UpstreamConfigError::Invalid {
                key: "display_name",
                problem: "both sv and en are needed",
            });
        }
        let issuer = Url::parse(&self.issuer).map_err(|_| UpstreamConfigError::Invalid {
            key: "issuer",
            problem: "not a URL",
        })?;
        if issuer.query().is_some() || issuer.fragment().is_some() {
            return Err(UpstreamConfigError::Invalid {
                key: "issuer",
                problem: "an issuer has no query or fragment",
            });
        }
        check_secure("issuer", &issuer)?;
        check_secure("redirect_uri", &self.redirect_uri)?;
        if self.client_id.is_empty() {
            return Err(UpstreamConfigError::Invalid {
                key: "client_id",
                problem: "empty",
            });
        }
        if self.id_token_algorithms.is_empty() {
            return Err(UpstreamConfigError::Invalid {
                key: "id_token_algorithms",
                problem: "at least one algorithm is needed",
            });
        }
        if self
            .scopes
            .iter()
            .any(|scope| scope.is_empty() || scope.contains(' '))
        {
            return Err(UpstreamConfigError::Invalid {
                key: "scopes",
                problem: "a scope is a non-empty token without spaces",
            });
        }
        if self.timeouts.connect_ms == 0 || self.timeouts.request_ms == 0 {
            return Err(UpstreamConfigError::Invalid {
                key: "timeouts",
                problem: "time limits must be positive",
            });
        }
        if self.login_lifetime_secs == 0 {
            return Err(UpstreamConfigError::Invalid {
                key: "login_lifetime_secs",
                problem: "must be positive",
            });
        }
        self.acr.validate()
    }

    /// The scopes asked for: `openid` and the configured ones, once each.
    pub fn all_scopes(&self) -> Vec<String> {
        let mut scopes = vec![OPENID_SCOPE.to_owned()];
        for scope in &self.scopes {
            if !scopes.contains(scope) {
                scopes.push(scope.clone());
            }
        }
        scopes
    }
}

/// `https`, or `http` to a loopback host.
fn check_secure(key: &'static str, url: &Url) -> Result<(), UpstreamConfigError> {
    if is_secure(url) {
        return Ok(());
    }
    Err(UpstreamConfigError::Invalid {
        key,
        problem: "https is required (http only on a loopback address)",
    })
}

/// Whether `url` is `https`, or `http` to a loopback host.
pub(crate) fn is_secure(url: &Url) -> bool {
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    };
    url.scheme() == "https" || (url.scheme() == "http" && loopback)
}

fn default_algorithms() -> Vec<JwsAlgorithm> {
    vec![JwsAlgorithm::Es256, JwsAlgorithm::Rs256]
}

fn yes() -> bool {
    true
}

fn default_connect_ms() -> u64 {
    2_000
}

fn default_request_ms() -> u64 {
    10_000
}

fn default_metadata_ttl() -> u64 {
    3_600
}

fn default_jwks_min_refresh() -> u64 {
    60
}

fn default_login_lifetime() -> u64 {
    600
}
