//! The broker's TOML configuration, and `config check`.
//!
//! ```toml
//! issuer = "https://broker.example"
//!
//! [keys]
//! # PKCS#8 files (PEM or DER), relative to this file; or `ephemeral = true` for development:
//! # keys made at start-up, gone at exit, and the broker says so in its log.
//! files = [{ path = "keys/signing.p8", algorithm = "ES256" }]
//!
//! [subject]
//! secret_file = "keys/subject.secret"   # or secret = "…" (at least 32 bytes)
//! mode = "store"                        # or "no_store": nothing about the person is kept
//!
//! [store]
//! kind = "memory"
//!
//! [ui]
//! logos = { bankid = "https://broker.example/logos/bankid.svg" }
//!
//! [[clients]]
//! client_id = "e-service"
//! auth = { method = "client_secret_basic", secret = "…" }   # or none, client_secret_post,
//!                                                          # private_key_jwt { jwks_file }
//! redirect_uris = ["https://e-service.example/callback"]
//! scopes = ["openid", "https://id.oidc.se/scope/naturalPersonNumber"]
//! acr = { levels = ["http://id.elegnamnden.se/loa/1.0/loa3"], matching = "minimum" }
//! upstreams = ["bankid", "idcard"]        # default: all
//! required_claims = ["https://id.oidc.se/claim/personalIdentityNumber"]
//! org_numbers = ["2021005489"]          # workplace clients; org_refusal = "unmet" to answer so
//! subject = "pairwise"                  # or "public"; sector = "…" (default: redirect host)
//!
//! [[upstreams]]
//! id = "bankid"
//! # … every key of `UpstreamConfig`
//! ```
//!
//! Errors name the file, the line and the key ([`ConfigError`]); [`check`] reads and checks a
//! file without starting anything and says what it found ([`Summary`]).

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use eid_core::assurance::{AssurancePolicy, LevelOfAssurance, Matching, Requirement};
use eid_core::identifier::OrganisationNumber;
use eid_core::jose::{JwsAlgorithm, SigningKey};
use serde::Deserialize;

use crate::policy::{ClientPolicy, OrgRefusal};
use crate::selection::{Texts, UiTexts};
use crate::subject::{SubjectMode, SubjectSecret};
use crate::upstream::UpstreamConfig;

/// A configuration error: where, which key, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: `{key}`: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ConfigError {
    /// The file (as given).
    pub file: String,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// The key's path (`clients[0].acr.levels`), or `(file)` for the whole file.
    pub key: String,
    /// What is wrong.
    pub message: String,
}

/// Keys: files, or ephemeral for development.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeysConfig {
    /// Generate keys at start-up (development only; logged loudly).
    #[serde(default)]
    pub ephemeral: bool,
    /// PKCS#8 key files.
    #[serde(default)]
    pub files: Vec<KeyFile>,
}

/// One signing key file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFile {
    /// The path, relative to the configuration file.
    pub path: PathBuf,
    /// Its algorithm.
    pub algorithm: JwsAlgorithm,
}

/// The subject secret and mode.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectConfig {
    /// The secret, inline.
    #[serde(default)]
    secret: Option<String>,
    /// The secret's file, relative to the configuration file.
    #[serde(default)]
    secret_file: Option<PathBuf>,
    /// Whether account links are kept.
    #[serde(default)]
    pub mode: SubjectMode,
}

impl fmt::Debug for SubjectConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubjectConfig")
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .field("secret_file", &self.secret_file)
            .field("mode", &self.mode)
            .finish()
    }
}

/// The store backend.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoreKind {
    /// In process memory (one process).
    #[default]
    Memory,
}

/// `[store]`.
#[derive(Clone, Copy, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// The backend.
    #[serde(default)]
    pub kind: StoreKind,
}

/// `[ui]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiConfig {
    /// Logo URLs by upstream id.
    #[serde(default)]
    pub logos: HashMap<String, String>,
    /// Swedish texts (all of them), replacing the built-in ones.
    #[serde(default)]
    pub sv: Option<Texts>,
    /// English texts.
    #[serde(default)]
    pub en: Option<Texts>,
}

impl UiConfig {
    /// The texts to use.
    pub fn texts(&self) -> UiTexts {
        let mut texts = UiTexts::default();
        if let Some(sv) = &self.sv {
            texts.sv = sv.clone();
        }
        if let Some(en) = &self.en {
            texts.en = en.clone();
        }
        texts
    }
}

/// One declared equivalence: `asserted` also counts as `counts_as`.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptAs {
    /// The level asserted.
    pub asserted: LevelOfAssurance,
    /// What it counts as.
    pub counts_as: LevelOfAssurance,
}

/// `[assurance]`: the deployment's declared equivalences.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssuranceConfig {
    /// One-way declarations.
    #[serde(default)]
    pub accept_as: Vec<AcceptAs>,
}

/// How a client authenticates at the broker.
#[derive(Clone, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientAuthConfig {
    /// A public client (PKCE only).
    None,
    /// HTTP Basic.
    ClientSecretBasic {
        /// The secret.
        secret: String,
    },
    /// The secret in the form.
    ClientSecretPost {
        /// The secret.
        secret: String,
    },
    /// A signed JWT; the client's public keys.
    PrivateKeyJwt {
        /// A JWK Set file, relative to the configuration file.
        jwks_file: PathBuf,
    },
}

impl fmt::Debug for ClientAuthConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Self::None => "none",
            Self::ClientSecretBasic { .. } => "client_secret_basic",
            Self::ClientSecretPost { .. } => "client_secret_post",
            Self::PrivateKeyJwt { .. } => "private_key_jwt",
        };
        f.write_str(name)
    }
}

/// A client's levels.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcrConfig {
    /// The accepted levels.
    pub levels: Vec<LevelOfAssurance>,
    /// Exact (default) or minimum.
    #[serde(default = "exact")]
    pub matching: Matching,
    /// The levels required when a request names none (default: `levels`).
    #[serde(default)]
    pub default: Vec<LevelOfAssurance>,
}

fn exact() -> Matching {
    Matching::Exact
}

/// How a client's `sub` is formed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// Pairwise per sector (default).
    #[default]
    Pairwise,
    /// Public.
    Public,
}

/// One client (`[[clients]]`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientConfig {
    /// The client id.
    pub client_id: String,
    /// How it authenticates.
    pub auth: ClientAuthConfig,
    /// Its redirect URIs (exact match).
    pub redirect_uris: Vec<String>,
    /// Its post-logout redirect URIs.
    #[serde(default)]
    pub post_logout_redirect_uris: Vec<String>,
    /// Its back-channel logout URI.
    #[serde(default)]
    pub backchannel_logout_uri: Option<String>,
    /// The scopes it may ask for (default `openid`).
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Its levels.
    pub acr: AcrConfig,
    /// The upstreams that may serve it (default all).
    #[serde(default)]
    pub upstreams: Option<Vec<String>>,
    /// Claims that must be delivered.
    #[serde(default)]
    pub required_claims: Vec<String>,
    /// Accepted organisations (workplace clients).
    #[serde(default)]
    pub org_numbers: Vec<OrganisationNumber>,
    /// The error for a refused organisation.
    #[serde(default)]
    pub org_refusal: OrgRefusal,
    /// Pairwise (default) or public `sub`.
    #[serde(default)]
    pub subject: SubjectKind,
    /// The pairwise sector (default the host of the first redirect URI).
    #[serde(default)]
    pub sector: Option<String>,
    /// Whether it may use refresh tokens.
    #[serde(default)]
    pub refresh_tokens: bool,
    /// The ID token's signature algorithm (default ES256; the broker must have a key for it).
    #[serde(default = "es256")]
    pub id_token_signed_response_alg: JwsAlgorithm,
    /// Signed UserInfo (`application/jwt`) with this algorithm, if set.
    #[serde(default)]
    pub userinfo_signed_response_alg: Option<JwsAlgorithm>,
}

fn es256() -> JwsAlgorithm {
    JwsAlgorithm::Es256
}

impl ClientConfig {
    /// Its policy.
    ///
    /// # Errors
    /// A message when its levels are no requirement.
    pub fn policy(&self) -> Result<ClientPolicy, (&'static str, String)> {
        let accepted = Requirement::new(self.acr.levels.clone(), self.acr.matching)
            .map_err(|error| ("acr.levels", error.to_string()))?;
        let mut policy = ClientPolicy::new(accepted)
            .with_default_levels(self.acr.default.clone())
            .with_required_claims(self.required_claims.clone())
            .with_org_numbers(self.org_numbers.clone(), self.org_refusal);
        if let Some(upstreams) = &self.upstreams {
            policy = policy.with_upstreams(upstreams.clone());
        }
        Ok(policy)
    }

    /// Its pairwise sector.
    pub fn sector(&self) -> String {
        self.sector.clone().unwrap_or_else(|| {
            self.redirect_uris
                .first()
                .and_then(|uri| url::Url::parse(uri).ok())
                .and_then(|url| url.host_str().map(str::to_owned))
                .unwrap_or_else(|| self.client_id.clone())
        })
    }
}

/// The whole file, as read.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    issuer: String,
    #[serde(default)]
    keys: KeysConfig,
    subject: SubjectConfig,
    #[serde(default)]
    store: StoreConfig,
    #[serde(default)]
    ui: UiConfig,
    #[serde(default)]
    assurance: AssuranceConfig,
    #[serde(default)]
    clients: Vec<ClientConfig>,
    #[serde(default)]
    upstreams: Vec<UpstreamConfig>,
}

/// A checked configuration. Secrets are loaded (and never shown by `Debug`).
#[derive(Debug)]
#[non_exhaustive]
pub struct BrokerConfig {
    /// The file it came from.
    pub file: String,
    /// The directory relative paths are read from.
    pub base: PathBuf,
    /// The issuer.
    pub issuer: String,
    /// The signing keys; empty means ephemeral (development).
    pub signing_keys: Vec<SigningKey>,
    /// Whether keys are ephemeral.
    pub ephemeral_keys: bool,
    /// The subject secret.
    pub subject_secret: SubjectSecret,
    /// The subject mode.
    pub subject_mode: SubjectMode,
    /// The store.
    pub store: StoreConfig,
    /// The pages.
    pub ui: UiConfig,
    /// The declared equivalences.
    pub equivalences: AssurancePolicy,
    /// The clients.
    pub clients: Vec<ClientConfig>,
    /// The upstreams.
    pub upstreams: Vec<UpstreamConfig>,
}

/// What `config check` reports.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary {
    /// The issuer.
    pub issuer: String,
    /// The client ids.
    pub clients: Vec<String>,
    /// The upstream ids.
    pub upstreams: Vec<String>,
    /// Whether keys are ephemeral.
    pub ephemeral_keys: bool,
    /// The subject mode.
    pub subject_mode: SubjectMode,
}

/// Reads and checks the configuration at `path`, without starting anything.
///
/// # Errors
/// The first [`ConfigError`].
pub fn check(path: &Path) -> Result<Summary, ConfigError> {
    let config = BrokerConfig::from_file(path)?;
    Ok(config.summary())
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(offset)
        .filter(|b| **b == b'\n')
        .count()
        .saturating_add(1)
}

/// The line where the key `path` (`clients[1].acr`) is written, found by walking the
/// document's spans.
fn locate(text: &str, path: &str) -> Option<usize> {
    let table = toml::de::DeTable::parse(text).ok()?;
    let mut span = None;
    let mut current: Option<&toml::de::DeValue<'_>> = None;
    let mut root = Some(table.get_ref());
    for segment in path.split('.') {
        let (name, index) = match segment.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        let table = match (root.take(), current) {
            (Some(table), _) => table,
            (None, Some(toml::de::DeValue::Table(table))) => table,
            _ => break,
        };
        let Some((key, value)) = table.get_key_value(name) else {
            break;
        };
        span = Some(key.span());
        current = Some(value.get_ref());
        if let Some(index) = index {
            match current {
                Some(toml::de::DeValue::Array(items)) => match items.get(index) {
                    Some(item) => {
                        span = Some(item.span());
                        current = Some(item.get_ref());
                    }
                    None => break,
                },
                _ => break,
            }
        }
    }
    span.map(|span| line_of(text, span.start))
}

impl BrokerConfig {
    /// Reads the file at `path`.
    ///
    /// # Errors
    /// [`ConfigError`] for an unreadable file, and as [`from_toml_str`](Self::from_toml_str).
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError {
            file: file.clone(),
            line: None,
            key: "(file)".to_owned(),
            message: format!("cannot be read: {error}"),
        })?;
        let base = path
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .to_path_buf();
        Self::parse(&text, &file, base)
    }

    /// Parses `text` (named `file_name` in errors; relative paths from the current
    /// directory).
    ///
    /// # Errors
    /// [`ConfigError`] naming the line and the key.
    pub fn from_toml_str(text: &str, file_name: &str) -> Result<Self, ConfigError> {
        Self::parse(text, file_name, PathBuf::from("."))
    }

    fn parse(text: &str, file: &str, base: PathBuf) -> Result<Self, ConfigError> {
        let error = |key: &str, message: String| ConfigError {
            file: file.to_owned(),
            line: locate(text, key),
            key: key.to_owned(),
            message,
        };
        let deserializer = toml::de::Deserializer::parse(text).map_err(|e| ConfigError {
            file: file.to_owned(),
            line: e.span().map(|span| line_of(text, span.start)),
            key: "(syntax)".to_owned(),
            message: e.message().trim().to_owned(),
        })?;
        let raw: RawConfig = serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let key = e.path().to_string();
            let inner = e.into_inner();
            let line = inner
                .span()
                .map(|span| line_of(text, span.start))
                .or_else(|| locate(text, &key));
            ConfigError {
                file: file.to_owned(),
                line,
                key,
                message: inner.message().trim().to_owned(),
            }
        })?;

        if raw
            .issuer
            .parse::<eid_provider::discovery::Issuer>()
            .is_err()
        {
            return Err(error(
                "issuer",
                "must be an https URL (http only on a loopback address)".to_owned(),
            ));
        }
        let mut signing_keys = Vec::new();
        for (index, key) in raw.keys.files.iter().enumerate() {
            let at = format!("keys.files[{index}].path");
            let path = base.join(&key.path);
            let bytes = std::fs::read(&path)
                .map_err(|e| error(&at, format!("{} cannot be read: {e}", path.display())))?;
            let loaded = SigningKey::from_pkcs8_pem(&bytes, key.algorithm)
                .or_else(|_| SigningKey::from_pkcs8_der(&bytes, key.algorithm))
                .map_err(|e| error(&at, format!("not a PKCS#8 {} key: {e}", key.algorithm)))?;
            signing_keys.push(loaded);
        }
        match (raw.keys.ephemeral, signing_keys.is_empty()) {
            (true, false) => {
                return Err(error(
                    "keys.ephemeral",
                    "ephemeral keys and key files cannot be combined".to_owned(),
                ));
            }
            (false, true) => {
                return Err(error(
                    "keys",
                    "give key files, or ephemeral = true for development".to_owned(),
                ));
            }
            _ => {}
        }
        let secret = match (&raw.subject.secret, &raw.subject.secret_file) {
            (Some(secret), None) => secret.as_bytes().to_vec(),
            (None, Some(file)) => {
                let path = base.join(file);
                let mut bytes = std::fs::read(&path).map_err(|e| {
                    error(
                        "subject.secret_file",
                        format!("{} cannot be read: {e}", path.display()),
                    )
                })?;
                while bytes.last().is_some_and(u8::is_ascii_whitespace) {
                    bytes.pop();
                }
                bytes
            }
            _ => {
                return Err(error(
                    "subject",
                    "give exactly one of secret and secret_file".to_owned(),
                ));
            }
        };
        let subject_secret = SubjectSecret::new(&secret).ok_or_else(|| {
            error(
                "subject",
                format!(
                    "the secret must be at least {} bytes",
                    SubjectSecret::MIN_LEN
                ),
            )
        })?;
        let mut equivalences = AssurancePolicy::new();
        for (index, declared) in raw.assurance.accept_as.iter().enumerate() {
            equivalences = equivalences
                .accept_as(declared.asserted, declared.counts_as)
                .map_err(|e| error(&format!("assurance.accept_as[{index}]"), e.to_string()))?;
        }
        if raw.upstreams.is_empty() {
            return Err(error(
                "upstreams",
                "at least one upstream is needed".to_owned(),
            ));
        }
        let mut upstream_ids: Vec<&str> = Vec::new();
        for (index, upstream) in raw.upstreams.iter().enumerate() {
            upstream.validate().map_err(|e| {
                let key = match &e {
                    crate::upstream::UpstreamConfigError::Invalid { key, .. } => {
                        format!("upstreams[{index}].{key}")
                    }
                    _ => format!("upstreams[{index}]"),
                };
                error(&key, e.to_string())
            })?;
            if upstream_ids.contains(&upstream.id.as_str()) {
                return Err(error(
                    &format!("upstreams[{index}].id"),
                    format!("the upstream id {} is used twice", upstream.id),
                ));
            }
            upstream_ids.push(&upstream.id);
        }
        for id in raw.ui.logos.keys() {
            if !upstream_ids.contains(&id.as_str()) {
                return Err(error("ui.logos", format!("{id} is not an upstream")));
            }
        }
        if raw.clients.is_empty() {
            return Err(error("clients", "at least one client is needed".to_owned()));
        }
        let mut client_ids: Vec<&str> = Vec::new();
        for (index, client) in raw.clients.iter().enumerate() {
            let at = |key: &str| format!("clients[{index}].{key}");
            if client_ids.contains(&client.client_id.as_str()) {
                return Err(error(
                    &at("client_id"),
                    format!("the client id {} is used twice", client.client_id),
                ));
            }
            client_ids.push(&client.client_id);
            client
                .policy()
                .map_err(|(key, message)| error(&at(key), message))?;
            for (listed, name) in client.upstreams.iter().flatten().enumerate() {
                if !upstream_ids.contains(&name.as_str()) {
                    return Err(error(
                        &format!("clients[{index}].upstreams[{listed}]"),
                        format!("{name} is not an upstream"),
                    ));
                }
            }
            build_client(client, &base).map_err(|(key, message)| error(&at(key), message))?;
        }
        Ok(Self {
            file: file.to_owned(),
            base,
            issuer: raw.issuer,
            signing_keys,
            ephemeral_keys: raw.keys.ephemeral,
            subject_secret,
            subject_mode: raw.subject.mode,
            store: raw.store,
            ui: raw.ui,
            equivalences,
            clients: raw.clients,
            upstreams: raw.upstreams,
        })
    }

    /// What `config check` reports.
    pub fn summary(&self) -> Summary {
        Summary {
            issuer: self.issuer.clone(),
            clients: self.clients.iter().map(|c| c.client_id.clone()).collect(),
            upstreams: self.upstreams.iter().map(|u| u.id.clone()).collect(),
            ephemeral_keys: self.ephemeral_keys,
            subject_mode: self.subject_mode,
        }
    }
}

/// The engine's registration of `client`.
///
/// # Errors
/// The key and what is wrong.
pub(crate) fn build_client(
    client: &ClientConfig,
    base: &Path,
) -> Result<eid_provider::client::Client, (&'static str, String)> {
    use eid_provider::client::{Client, ClientAuthMethod, GrantType};
    let id = client
        .client_id
        .parse()
        .map_err(|e: eid_provider::client::ClientError| ("client_id", e.to_string()))?;
    let method = match &client.auth {
        ClientAuthConfig::None => ClientAuthMethod::None,
        ClientAuthConfig::ClientSecretBasic { .. } => ClientAuthMethod::ClientSecretBasic,
        ClientAuthConfig::ClientSecretPost { .. } => ClientAuthMethod::ClientSecretPost,
        ClientAuthConfig::PrivateKeyJwt { .. } => ClientAuthMethod::PrivateKeyJwt,
    };
    let mut builder = Client::builder(id, method);
    match &client.auth {
        ClientAuthConfig::ClientSecretBasic { secret }
        | ClientAuthConfig::ClientSecretPost { secret } => {
            let secret = eid_provider::secret::ClientSecret::from_presented(secret)
                .map_err(|e| ("auth.secret", e.to_string()))?;
            builder = builder.secret(&secret);
        }
        ClientAuthConfig::PrivateKeyJwt { jwks_file } => {
            let path = base.join(jwks_file);
            let bytes = std::fs::read(&path).map_err(|e| {
                (
                    "auth.jwks_file",
                    format!("{} cannot be read: {e}", path.display()),
                )
            })?;
            let jwks = eid_core::jose::Jwks::from_json(&bytes)
                .map_err(|e| ("auth.jwks_file", e.to_string()))?;
            builder = builder.jwks(jwks);
        }
        ClientAuthConfig::None => {}
    }
    for uri in &client.redirect_uris {
        builder = builder.redirect_uri(
            uri.parse()
                .map_err(|e: eid_provider::client::ClientError| ("redirect_uris", e.to_string()))?,
        );
    }
    for uri in &client.post_logout_redirect_uris {
        builder = builder.post_logout_redirect_uri(uri.parse().map_err(
            |e: eid_provider::client::ClientError| ("post_logout_redirect_uris", e.to_string()),
        )?);
    }
    if let Some(uri) = &client.backchannel_logout_uri {
        builder = builder.backchannel_logout_uri(uri.parse().map_err(
            |e: eid_provider::client::ClientError| ("backchannel_logout_uri", e.to_string()),
        )?);
    }
    for scope in &client.scopes {
        builder = builder.scope(scope);
    }
    if !client.scopes.iter().any(|s| s == "openid") {
        builder = builder.scope("openid");
    }
    if client.refresh_tokens {
        builder = builder
            .grant_type(GrantType::AuthorizationCode)
            .grant_type(GrantType::RefreshToken);
    }
    let default = if client.acr.default.is_empty() {
        client.acr.levels.clone()
    } else {
        client.acr.default.clone()
    };
    builder = builder.id_token_signed_response_alg(client.id_token_signed_response_alg);
    if let Some(algorithm) = client.userinfo_signed_response_alg {
        builder = builder.userinfo_signed_response_alg(algorithm);
    }
    builder = builder
        .acr_matching(client.acr.matching)
        .default_acr_values(default);
    builder.build().map_err(|e| ("client_id", e.to_string()))
}

#[cfg(test)]
mod tests;
