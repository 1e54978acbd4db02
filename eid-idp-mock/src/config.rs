//! Configuration: [`MockConfig`] in code, or a JSON file read by [`MockConfig::from_file`].
//!
//! # The configuration file
//!
//! One JSON object; unknown fields are errors, and every error names its key path
//! (`clients[1].redirect_uris[0]: …`). Every field is optional:
//!
//! ```json
//! {
//!   "issuer": "http://127.0.0.1:9090",
//!   "port": 9090,
//!   "profile": "bank_id_like",
//!   "persons_file": "persons.json",
//!   "builtin_persons": true,
//!   "clients": [ {
//!     "client_id": "my-e-service",
//!     "auth_method": "client_secret_basic",
//!     "client_secret": "a-long-test-secret",
//!     "redirect_uris": ["http://127.0.0.1:3000/callback"],
//!     "post_logout_redirect_uris": ["http://127.0.0.1:3000/"],
//!     "scopes": ["openid", "profile", "https://id.oidc.se/scope/naturalPersonNumber"],
//!     "refresh_tokens": true
//!   } ],
//!   "control_api": false,
//!   "key_set": "rotating",
//!   "session_rules": "standard",
//!   "subject_key": "a secret to derive subjects with",
//!   "insecure_skip_login_binding": false
//! }
//! ```
//!
//! - `issuer`: default `http://127.0.0.1:<port>`. `http` only on a loopback host.
//! - `port`: default 0 (any free port); the binary's `--port` wins.
//! - `profile`: `bank_id_like` (default), `state_id_card`, `workplace`, `eidas_node`
//!   (see [`Profile`]).
//! - `persons_file`: a persons file (see [`crate::person`]), relative to the configuration
//!   file; `builtin_persons` (default true) keeps the built-in persons too.
//! - `clients`: when absent or empty, the built-in test clients ([`builtin_clients`]).
//!   `auth_method` is `client_secret_basic`, `client_secret_post`, `private_key_jwt` (with
//!   `jwks`, a JWK Set object, or `jwks_uri`, where the mock fetches it) or `none` (a public
//!   client); `scopes` default to every scope the
//!   mock offers; `refresh_tokens` (default false) allows the `refresh_token` grant;
//!   `backchannel_logout_uri` and `userinfo_signed_response_alg` (`ES256`) are optional. ID
//!   tokens are signed with ES256.
//! - `control_api`: off by default; when on, `POST /mock/scenario` and
//!   `POST /mock/next-claims` are served (see [`crate::control`]).
//! - `key_set`: `rotating` (default) or `single` (see [`KeySet`]).
//! - `session_rules`: `standard` (default) or `sweden_connect`.
//! - `subject_key`: the key subjects are derived with (default: a published key, see
//!   [`SubjectKey`]).
//! - `insecure_skip_login_binding`: **insecure**; accept login form posts without the
//!   `eid_login` cookie that binds a login to the browser that started it. Only for clients
//!   that cannot keep cookies.
//!
//! # The built-in test clients
//!
//! | `client_id` | authentication | secret or key |
//! | --- | --- | --- |
//! | `mock-client-secret-basic` | `client_secret_basic` | [`TEST_CLIENT_SECRET`] |
//! | `mock-client-secret-post` | `client_secret_post` | [`TEST_CLIENT_SECRET`] |
//! | `mock-private-key-jwt` | `private_key_jwt` | [`TEST_CLIENT_KEY_PEM`] (a published test key) |
//! | `mock-public` | `none` (PKCE only) | — |
//!
//! Each has the redirect URIs [`TEST_REDIRECT_URIS`] (loopback: `http` is allowed there) and
//! the post-logout redirect URI `http://127.0.0.1:8080/`, every scope the mock offers, and
//! (the confidential ones) refresh tokens. The engine compares redirect URIs exactly, ports
//! included: register your own client for another port. `http://localhost` is not accepted by
//! the engine (RFC 8252 §8.3 prefers the IP literal), so the loopback URIs use `127.0.0.1` and
//! `[::1]`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use eid_core::claims::Scope;
use eid_core::clock::Clock;
use eid_core::jose::{JoseError, Jwks, JwsAlgorithm, SigningKey};
use eid_provider::ProviderConfig;
use eid_provider::client::{
    Client, ClientAuthMethod, ClientError, ClientId, GrantType, RedirectUri,
};
use eid_provider::provider::SessionRules;
use eid_provider::secret::ClientSecret;
use serde::Deserialize;
use serde_json::Value;

use crate::keys::KeySet;
use crate::person::SubjectKey;
use crate::profile::Profile;

/// The secret of the built-in `client_secret_*` test clients. Published: for tests only.
pub const TEST_CLIENT_SECRET: &str = "mock-client-secret-for-tests-only";

/// The private key of the built-in `private_key_jwt` client, `mock-private-key-jwt`: an
/// unencrypted PKCS#8 ECDSA P-256 key for ES256. **A published test key**: never register its
/// public key with a real provider.
pub const TEST_CLIENT_KEY_PEM: &str = include_str!("../data/clients/test-client-es256.pem");

/// The redirect URIs of the built-in test clients.
pub const TEST_REDIRECT_URIS: [&str; 3] = [
    "http://127.0.0.1:8080/callback",
    "http://127.0.0.1/callback",
    "http://[::1]:8080/callback",
];

/// The post-logout redirect URI of the built-in test clients.
pub const TEST_POST_LOGOUT_REDIRECT_URI: &str = "http://127.0.0.1:8080/";

/// The largest configuration file, in bytes.
pub const MAX_CONFIG_BYTES: usize = 1024 * 1024;

/// What is wrong with a configuration.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A client registration is refused by the engine.
    #[error("{path}: {source}")]
    Client {
        /// Where, e.g. `clients[1].redirect_uris[0]`.
        path: String,
        /// Why.
        #[source]
        source: ClientError,
    },
    /// A key of a client is not usable.
    #[error("{path}: {source}")]
    Key {
        /// Where.
        path: String,
        /// Why.
        #[source]
        source: JoseError,
    },
    /// The file is not the expected JSON (unknown field, wrong type, …).
    #[error("{path}: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// Why (serde names the field and line).
        #[source]
        source: serde_json::Error,
    },
    /// A file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file is larger than [`MAX_CONFIG_BYTES`] (or the persons file limit).
    #[error("{path}: the file is too large")]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// A value is out of its bounds.
    #[error("{path}: {problem}")]
    Invalid {
        /// Where.
        path: String,
        /// What is wrong.
        problem: &'static str,
    },
}

/// The mock's settings. [`MockConfig::default`] is a mock that is useful at once: the
/// built-in persons and test clients, the BankID-like profile, no control API, any free port.
#[non_exhaustive]
#[derive(Debug)]
pub struct MockConfig {
    /// The issuer; default `http://127.0.0.1:<bound port>`.
    pub issuer: Option<String>,
    /// The port to bind on 127.0.0.1; 0 for any free one (default).
    pub port: u16,
    /// The profile (default [`Profile::BankIdLike`]).
    pub profile: Profile,
    /// Whether the built-in persons are offered (default true).
    pub builtin_persons: bool,
    /// A persons file's contents (JSON), offered after the built-in persons.
    pub persons_json: Option<Vec<u8>>,
    /// The clients; empty means the built-in test clients.
    pub clients: Vec<Client>,
    /// Serve the control API (default false).
    pub control_api: bool,
    /// The keys published (default [`KeySet::Rotating`]).
    pub key_set: KeySet,
    /// The key subjects are derived with.
    pub subject_key: SubjectKey,
    /// The engine's settings.
    pub provider: ProviderConfig,
    /// The clock (default the system clock).
    pub clock: Option<Arc<dyn Clock>>,
    /// **Insecure**: accept login form posts without the `eid_login` cookie.
    pub insecure_skip_login_binding: bool,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            issuer: None,
            port: 0,
            profile: Profile::default(),
            builtin_persons: true,
            persons_json: None,
            clients: Vec::new(),
            control_api: false,
            key_set: KeySet::default(),
            subject_key: SubjectKey::default(),
            provider: ProviderConfig::default(),
            clock: None,
            insecure_skip_login_binding: false,
        }
    }
}

impl MockConfig {
    /// With `profile`.
    #[must_use]
    pub fn with_profile(mut self, profile: Profile) -> Self {
        self.profile = profile;
        self
    }

    /// With the control API on.
    #[must_use]
    pub fn with_control_api(mut self) -> Self {
        self.control_api = true;
        self
    }

    /// With `client` registered (the built-in clients are then not registered).
    #[must_use]
    pub fn with_client(mut self, client: Client) -> Self {
        self.clients.push(client);
        self
    }

    /// With a clock.
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// With a persons file's contents.
    #[must_use]
    pub fn with_persons_json(mut self, json: impl Into<Vec<u8>>) -> Self {
        self.persons_json = Some(json.into());
        self
    }

    /// With `key_set`.
    #[must_use]
    pub fn with_key_set(mut self, key_set: KeySet) -> Self {
        self.key_set = key_set;
        self
    }

    /// Reads a configuration file (see the [module documentation](self)).
    ///
    /// # Errors
    /// A [`ConfigError`] naming the key path of the first problem.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let bytes = read_limited(path, MAX_CONFIG_BYTES)?;
        let file: ConfigFile =
            serde_json::from_slice(&bytes).map_err(|source| ConfigError::Json {
                path: path.to_owned(),
                source,
            })?;
        let base = path.parent().unwrap_or(Path::new("."));
        file.into_config(base)
    }
}

fn read_limited(path: &Path, max: usize) -> Result<Vec<u8>, ConfigError> {
    let bytes = std::fs::read(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    if bytes.len() > max {
        return Err(ConfigError::TooLarge {
            path: path.to_owned(),
        });
    }
    Ok(bytes)
}

/// The configuration file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default)]
    port: Option<u16>,
    #[serde(default)]
    profile: Option<Profile>,
    #[serde(default)]
    persons_file: Option<PathBuf>,
    #[serde(default)]
    builtin_persons: Option<bool>,
    #[serde(default)]
    clients: Vec<ClientEntry>,
    #[serde(default)]
    control_api: bool,
    #[serde(default)]
    key_set: Option<KeySet>,
    #[serde(default)]
    session_rules: Option<SessionRulesName>,
    #[serde(default)]
    subject_key: Option<String>,
    #[serde(default)]
    insecure_skip_login_binding: bool,
}

#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SessionRulesName {
    Standard,
    SwedenConnect,
}

/// One client of the file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClientEntry {
    client_id: String,
    auth_method: ClientAuthMethod,
    #[serde(default)]
    client_secret: Option<String>,
    #[serde(default)]
    jwks: Option<Value>,
    #[serde(default)]
    jwks_uri: Option<String>,
    redirect_uris: Vec<String>,
    #[serde(default)]
    post_logout_redirect_uris: Vec<String>,
    #[serde(default)]
    backchannel_logout_uri: Option<String>,
    #[serde(default)]
    scopes: Option<Vec<String>>,
    #[serde(default)]
    refresh_tokens: bool,
    #[serde(default)]
    userinfo_signed_response_alg: Option<JwsAlgorithm>,
}

impl ConfigFile {
    fn into_config(self, base: &Path) -> Result<MockConfig, ConfigError> {
        let mut config = MockConfig::default();
        if let Some(issuer) = self.issuer {
            if issuer.parse::<eid_provider::discovery::Issuer>().is_err() {
                return Err(ConfigError::Invalid {
                    path: "issuer".into(),
                    problem: "must be an https URL, or http on a loopback host, without query or fragment",
                });
            }
            config.issuer = Some(issuer);
        }
        config.port = self.port.unwrap_or(0);
        config.profile = self.profile.unwrap_or_default();
        config.builtin_persons = self.builtin_persons.unwrap_or(true);
        if let Some(file) = self.persons_file {
            let path = base.join(file);
            config.persons_json = Some(read_limited(&path, crate::person::MAX_PERSONS_FILE_BYTES)?);
        }
        for (index, entry) in self.clients.into_iter().enumerate() {
            config.clients.push(entry.into_client(index)?);
        }
        config.control_api = self.control_api;
        config.key_set = self.key_set.unwrap_or_default();
        config.provider.session_rules = match self.session_rules {
            Some(SessionRulesName::SwedenConnect) => SessionRules::SwedenConnect,
            _ => SessionRules::Standard,
        };
        if let Some(key) = self.subject_key {
            if key.len() < 16 {
                return Err(ConfigError::Invalid {
                    path: "subject_key".into(),
                    problem: "must be at least 16 bytes",
                });
            }
            config.subject_key = SubjectKey::new(key.as_bytes());
        }
        config.insecure_skip_login_binding = self.insecure_skip_login_binding;
        Ok(config)
    }
}

impl ClientEntry {
    fn into_client(self, index: usize) -> Result<Client, ConfigError> {
        let at = |field: &str| format!("clients[{index}].{field}");
        let client_err = |path: String| move |source| ConfigError::Client { path, source };
        let id: ClientId = self
            .client_id
            .parse()
            .map_err(client_err(at("client_id")))?;
        let mut builder =
            Client::builder(id, self.auth_method).id_token_signed_response_alg(JwsAlgorithm::Es256);
        if let Some(secret) = self.client_secret {
            let secret =
                ClientSecret::from_presented(&secret).map_err(|_| ConfigError::Invalid {
                    path: at("client_secret"),
                    problem: "must be printable ASCII, 1 to 512 bytes",
                })?;
            builder = builder.secret(&secret);
        }
        if let Some(jwks) = self.jwks {
            let jwks = Jwks::from_json(jwks.to_string().as_bytes()).map_err(|source| {
                ConfigError::Key {
                    path: at("jwks"),
                    source,
                }
            })?;
            builder = builder.jwks(jwks);
        }
        if let Some(uri) = self.jwks_uri {
            let uri: RedirectUri = uri.parse().map_err(client_err(at("jwks_uri")))?;
            builder = builder.jwks_uri(uri);
        }
        for (i, uri) in self.redirect_uris.iter().enumerate() {
            let uri: RedirectUri = uri
                .parse()
                .map_err(client_err(at(&format!("redirect_uris[{i}]"))))?;
            builder = builder.redirect_uri(uri);
        }
        for (i, uri) in self.post_logout_redirect_uris.iter().enumerate() {
            let uri: RedirectUri = uri
                .parse()
                .map_err(client_err(at(&format!("post_logout_redirect_uris[{i}]"))))?;
            builder = builder.post_logout_redirect_uri(uri);
        }
        if let Some(uri) = self.backchannel_logout_uri {
            let uri: RedirectUri = uri
                .parse()
                .map_err(client_err(at("backchannel_logout_uri")))?;
            builder = builder.backchannel_logout_uri(uri);
        }
        match self.scopes {
            Some(scopes) => {
                for scope in &scopes {
                    builder = builder.scope(scope);
                }
            }
            None => builder = all_scopes(builder),
        }
        if self.refresh_tokens {
            builder = builder
                .grant_type(GrantType::AuthorizationCode)
                .grant_type(GrantType::RefreshToken);
        }
        if let Some(algorithm) = self.userinfo_signed_response_alg {
            if algorithm != JwsAlgorithm::Es256 {
                return Err(ConfigError::Invalid {
                    path: at("userinfo_signed_response_alg"),
                    problem: "the mock signs with ES256 only",
                });
            }
            builder = builder.userinfo_signed_response_alg(algorithm);
        }
        builder
            .build()
            .map_err(client_err(format!("clients[{index}]")))
    }
}

fn all_scopes(
    mut builder: eid_provider::client::ClientBuilder,
) -> eid_provider::client::ClientBuilder {
    for scope in Scope::ALL {
        builder = builder.scope(scope.as_str());
    }
    builder
}

/// A built-in test client as the binary prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TestClient {
    /// The client id.
    pub client_id: &'static str,
    /// How it authenticates.
    pub auth_method: ClientAuthMethod,
    /// Its secret, for the `client_secret_*` ones.
    pub secret: Option<&'static str>,
}

/// The built-in test clients' descriptions (see the [module documentation](self)).
pub const TEST_CLIENTS: [TestClient; 4] = [
    TestClient {
        client_id: "mock-client-secret-basic",
        auth_method: ClientAuthMethod::ClientSecretBasic,
        secret: Some(TEST_CLIENT_SECRET),
    },
    TestClient {
        client_id: "mock-client-secret-post",
        auth_method: ClientAuthMethod::ClientSecretPost,
        secret: Some(TEST_CLIENT_SECRET),
    },
    TestClient {
        client_id: "mock-private-key-jwt",
        auth_method: ClientAuthMethod::PrivateKeyJwt,
        secret: None,
    },
    TestClient {
        client_id: "mock-public",
        auth_method: ClientAuthMethod::None,
        secret: None,
    },
];

/// The built-in test clients (see the [module documentation](self)).
///
/// # Errors
/// A [`ConfigError`] if the shipped key or a constant does not load (a bug).
pub fn builtin_clients() -> Result<Vec<Client>, ConfigError> {
    let at = |id: &str| format!("builtin client {id}");
    TEST_CLIENTS
        .iter()
        .map(|described| {
            let path = at(described.client_id);
            let client_err = |source| ConfigError::Client {
                path: path.clone(),
                source,
            };
            let id: ClientId = described.client_id.parse().map_err(client_err)?;
            let mut builder = Client::builder(id, described.auth_method)
                .id_token_signed_response_alg(JwsAlgorithm::Es256)
                .post_logout_redirect_uri(
                    TEST_POST_LOGOUT_REDIRECT_URI.parse().map_err(client_err)?,
                );
            for uri in TEST_REDIRECT_URIS {
                builder = builder.redirect_uri(uri.parse().map_err(client_err)?);
            }
            builder = all_scopes(builder);
            if let Some(secret) = described.secret {
                let secret =
                    ClientSecret::from_presented(secret).map_err(|_| ConfigError::Invalid {
                        path: path.clone(),
                        problem: "the built-in secret is malformed",
                    })?;
                builder = builder.secret(&secret);
            }
            if described.auth_method == ClientAuthMethod::PrivateKeyJwt {
                let key =
                    SigningKey::from_pkcs8_pem(TEST_CLIENT_KEY_PEM.as_bytes(), JwsAlgorithm::Es256)
                        .map_err(|source| ConfigError::Key {
                            path: path.clone(),
                            source,
                        })?;
                let jwks =
                    Jwks::new(vec![key.public_jwk()]).map_err(|source| ConfigError::Key {
                        path: path.clone(),
                        source,
                    })?;
                builder = builder.jwks(jwks);
            }
            if described.auth_method != ClientAuthMethod::None {
                builder = builder
                    .grant_type(GrantType::AuthorizationCode)
                    .grant_type(GrantType::RefreshToken);
            }
            builder.build().map_err(client_err)
        })
        .collect()
}

#[cfg(test)]
mod tests;
