//! The broker and mock eID providers, started from two TOML files.
//!
//! - The **broker file** is the broker's own configuration ([`BrokerConfig`]), with two kinds
//!   of placeholder, replaced before it is read: `${broker}`, the broker's origin
//!   (`http://127.0.0.1:<port>`), and `${mock.<id>}`, the issuer of the mock that serves the
//!   upstream `<id>`.
//! - The **mocks file** lists the mocks: `[[mocks]]` with `upstream` (an `[[upstreams]]` id of
//!   the broker file), `profile` (`bank_id_like`, `state_id_card`, `workplace`, `eidas_node`)
//!   , `port` (0, the default: a free port) and `persons_file` (optional, relative to the mocks
//!   file: persons offered besides the built-in ones, see `eid_idp_mock::person`).
//!
//! Each mock is started with the broker registered as its client: the `client_id`,
//! `client_auth` secret and `redirect_uri` of the upstream's entry in the broker file. Then the
//! broker is built ([`Broker::from_config`]) and served on 127.0.0.1.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use eid_broker::audit::Observers;
use eid_broker::config::ClientAuthConfig;
use eid_broker::{Broker, BrokerConfig, BrokerError, ConfigError};
use eid_core::claims::Scope;
use eid_core::clock::{Clock, SystemClock};
use eid_core::jose::JwsAlgorithm;
use eid_idp_mock::profile::Profile;
use eid_idp_mock::{MockConfig, MockError, MockIdp};
use eid_provider::client::{Client, ClientAuthMethod, ClientError};
use eid_provider::http::Server;
use eid_provider::secret::ClientSecret;
use serde::Deserialize;
use tokio::net::TcpListener;

use crate::login::{ClientAuth, EService};

/// Why the broker and its mocks could not start.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum StackError {
    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The mocks file, or the broker file's upstream registrations, could not be read. The
    /// message never quotes the file (its lines may hold secrets).
    #[error("{}{}: {message}", path.display(), line.map(|line| format!(":{line}")).unwrap_or_default())]
    Toml {
        /// The file.
        path: PathBuf,
        /// The 1-based line, when known.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// A mock serves an upstream the broker file does not have.
    #[error("the mock for `{upstream}`: the broker file has no such [[upstreams]] id")]
    UnknownUpstream {
        /// The upstream id.
        upstream: String,
    },
    /// The broker's registration at a mock cannot be made.
    #[error("the broker's registration at the mock for `{upstream}`: {problem}")]
    Registration {
        /// The upstream id.
        upstream: String,
        /// What is wrong.
        problem: String,
    },
    /// A `${mock.<id>}` placeholder names no mock of the mocks file.
    #[error("the broker file names `${{mock.{upstream}}}` and no mock serves `{upstream}`")]
    UnknownPlaceholder {
        /// The id in the placeholder.
        upstream: String,
    },
    /// A port could not be bound.
    #[error("binding 127.0.0.1:{port}: {source}")]
    Bind {
        /// The port.
        port: u16,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// A mock could not start.
    #[error("the mock for `{upstream}`: {source}")]
    Mock {
        /// The upstream id.
        upstream: String,
        /// Why.
        #[source]
        source: MockError,
    },
    /// The broker file was refused (its message names the file, line and key).
    #[error("{0}")]
    Config(#[source] ConfigError),
    /// The broker could not be built.
    #[error("the broker: {0}")]
    Broker(#[source] BrokerError),
}

/// One `[[mocks]]` entry.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MockSpec {
    /// The broker's upstream id it serves.
    pub upstream: String,
    /// Its profile.
    pub profile: Profile,
    /// Its port on 127.0.0.1; 0 (default) for a free one.
    #[serde(default)]
    pub port: u16,
    /// A persons file, relative to the mocks file.
    #[serde(default)]
    pub persons_file: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MocksFile {
    mocks: Vec<MockSpec>,
}

/// What a mock needs to know of an upstream entry of the broker file (read leniently: every
/// other key is the broker's business).
#[derive(Debug, Deserialize)]
struct Registration {
    id: String,
    client_id: String,
    redirect_uri: String,
    client_auth: RegistrationAuth,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
enum RegistrationAuth {
    ClientSecretBasic { secret: String },
    ClientSecretPost { secret: String },
}

#[derive(Debug, Deserialize)]
struct Registrations {
    #[serde(default)]
    upstreams: Vec<Registration>,
}

/// Where the files are and which port the broker takes.
#[derive(Clone, Debug)]
pub struct StackOptions {
    /// The broker file.
    pub broker_config: PathBuf,
    /// The mocks file.
    pub mocks_config: PathBuf,
    /// The broker's port on 127.0.0.1; 0 for a free one.
    pub port: u16,
}

/// The running broker and mocks; dropping it stops them.
#[derive(Debug)]
pub struct Stack {
    broker: Arc<Broker>,
    server: Server,
    mocks: Vec<(String, MockIdp)>,
    clients: Vec<EService>,
    ephemeral_keys: bool,
}

fn read(path: &Path) -> Result<String, StackError> {
    std::fs::read_to_string(path).map_err(|source| StackError::Read {
        path: path.to_owned(),
        source,
    })
}

fn toml_error<'a>(
    path: &'a Path,
    text: &'a str,
) -> impl FnOnce(toml::de::Error) -> StackError + 'a {
    move |error| StackError::Toml {
        path: path.to_owned(),
        line: error.span().map(|span| {
            text.get(..span.start)
                .map_or(0, |before| before.matches('\n').count())
                + 1
        }),
        message: error.message().to_owned(),
    }
}

/// The broker as a client of a mock, from its upstream entry.
fn registration_at_mock(registration: &Registration) -> Result<Client, StackError> {
    let problem = |problem: String| StackError::Registration {
        upstream: registration.id.clone(),
        problem,
    };
    let (method, secret) = match &registration.client_auth {
        RegistrationAuth::ClientSecretBasic { secret } => {
            (ClientAuthMethod::ClientSecretBasic, secret)
        }
        RegistrationAuth::ClientSecretPost { secret } => {
            (ClientAuthMethod::ClientSecretPost, secret)
        }
    };
    let secret = ClientSecret::from_presented(secret)
        .map_err(|_| problem("the secret is empty, too long or not printable ASCII".into()))?;
    let id = registration
        .client_id
        .parse()
        .map_err(|error: ClientError| problem(error.to_string()))?;
    let redirect_uri = registration
        .redirect_uri
        .parse()
        .map_err(|error: ClientError| problem(error.to_string()))?;
    let mut builder = Client::builder(id, method)
        .secret(&secret)
        .id_token_signed_response_alg(JwsAlgorithm::Es256)
        .redirect_uri(redirect_uri);
    for scope in Scope::ALL {
        builder = builder.scope(scope.as_str());
    }
    builder.build().map_err(|error| problem(error.to_string()))
}

/// The first `${mock.<id>}` left in `text` outside comment lines, if any.
fn leftover_placeholder(text: &str) -> Option<String> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .find_map(|line| {
            let (_, rest) = line.split_once("${mock.")?;
            let (id, _) = rest.split_once('}')?;
            Some(id.to_owned())
        })
}

impl Stack {
    /// Starts the mocks, then the broker.
    ///
    /// # Errors
    /// [`StackError`] naming the file, the mock or the part that could not start.
    pub async fn start(options: &StackOptions) -> Result<Self, StackError> {
        let listener = TcpListener::bind(("127.0.0.1", options.port))
            .await
            .map_err(|source| StackError::Bind {
                port: options.port,
                source,
            })?;
        let address = listener.local_addr().map_err(|source| StackError::Bind {
            port: options.port,
            source,
        })?;
        let mut text =
            read(&options.broker_config)?.replace("${broker}", &format!("http://{address}"));
        let mocks_text = read(&options.mocks_config)?;
        let mocks_file: MocksFile =
            toml::from_str(&mocks_text).map_err(toml_error(&options.mocks_config, &mocks_text))?;
        let registrations: Registrations =
            toml::from_str(&text).map_err(toml_error(&options.broker_config, &text))?;

        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let mut mocks = Vec::new();
        for spec in mocks_file.mocks {
            let registration = registrations
                .upstreams
                .iter()
                .find(|registration| registration.id == spec.upstream)
                .ok_or_else(|| StackError::UnknownUpstream {
                    upstream: spec.upstream.clone(),
                })?;
            let mut config = MockConfig::default()
                .with_profile(spec.profile)
                .with_client(registration_at_mock(registration)?)
                .with_clock(Arc::clone(&clock));
            config.port = spec.port;
            if let Some(file) = &spec.persons_file {
                let path = options
                    .mocks_config
                    .parent()
                    .unwrap_or_else(|| Path::new("."))
                    .join(file);
                config = config.with_persons_json(read(&path)?);
            }
            let mock = MockIdp::start(config)
                .await
                .map_err(|source| StackError::Mock {
                    upstream: spec.upstream.clone(),
                    source,
                })?;
            text = text.replace(
                &format!("${{mock.{}}}", spec.upstream),
                mock.issuer().as_str(),
            );
            mocks.push((spec.upstream, mock));
        }
        if let Some(upstream) = leftover_placeholder(&text) {
            return Err(StackError::UnknownPlaceholder { upstream });
        }

        let file_name = options.broker_config.display().to_string();
        let config = BrokerConfig::from_toml_str(&text, &file_name).map_err(StackError::Config)?;
        let ephemeral_keys = config.ephemeral_keys;
        let clients = config
            .clients
            .iter()
            .filter_map(|client| {
                let auth = match &client.auth {
                    ClientAuthConfig::ClientSecretBasic { secret } => {
                        ClientAuth::Basic(secret.clone())
                    }
                    ClientAuthConfig::ClientSecretPost { secret } => {
                        ClientAuth::Post(secret.clone())
                    }
                    _ => return None,
                };
                Some(EService {
                    issuer: config.issuer.clone(),
                    client_id: client.client_id.clone(),
                    auth,
                    redirect_uri: client.redirect_uris.first()?.clone(),
                })
            })
            .collect();
        let broker = Arc::new(
            Broker::from_config(config, Observers::new(), clock).map_err(StackError::Broker)?,
        );
        let server =
            Server::start(listener, broker.router()).map_err(|source| StackError::Bind {
                port: options.port,
                source,
            })?;
        Ok(Self {
            broker,
            server,
            mocks,
            clients,
            ephemeral_keys,
        })
    }

    /// The broker's issuer.
    pub fn issuer(&self) -> &str {
        self.broker.issuer()
    }

    /// The broker.
    pub fn broker(&self) -> &Arc<Broker> {
        &self.broker
    }

    /// Whether the broker signs with keys made at start-up (development mode).
    pub fn ephemeral_keys(&self) -> bool {
        self.ephemeral_keys
    }

    /// The mocks: `(upstream id, mock)`.
    pub fn mocks(&self) -> impl Iterator<Item = (&str, &MockIdp)> {
        self.mocks.iter().map(|(id, mock)| (id.as_str(), mock))
    }

    /// The e-service `client_id` of the broker file (clients with a secret), to log in with.
    pub fn eservice(&self, client_id: &str) -> Option<&EService> {
        self.clients
            .iter()
            .find(|client| client.client_id == client_id)
    }

    /// What is running, one line each: the broker, its discovery document, the mocks.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "broker   {issuer}\n         {issuer}/.well-known/openid-configuration\n",
            issuer = self.issuer()
        );
        if self.ephemeral_keys {
            text.push_str(
                "         development mode: signing keys made at start-up, gone at exit\n",
            );
        }
        for (id, mock) in &self.mocks {
            let _ = writeln!(
                text,
                "mock     {id:<10} {} ({:?})",
                mock.issuer().as_str(),
                mock.app().profile()
            );
        }
        text
    }

    /// Stops the broker, then the mocks.
    ///
    /// # Errors
    /// The broker server's I/O error.
    pub async fn stop(self) -> io::Result<()> {
        let result = self.server.shutdown().await;
        for (_, mock) in self.mocks {
            mock.stop().await;
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leftover_placeholder_is_named() {
        assert_eq!(
            leftover_placeholder("issuer = \"${mock.idcard}\"").as_deref(),
            Some("idcard")
        );
        assert_eq!(
            leftover_placeholder("issuer = \"http://127.0.0.1:1\""),
            None
        );
    }

    #[tokio::test]
    async fn a_placeholder_without_a_mock_and_a_missing_file_are_named() {
        let dir = std::env::temp_dir().join(format!("eid-stack-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let broker = dir.join("broker.toml");
        let mocks = dir.join("mocks.toml");
        std::fs::write(
            &broker,
            "# ${mock.in-a-comment} is fine\nissuer = \"${broker}\"\n\
             [[upstreams]]\nid = \"bankid\"\nissuer = \"${mock.bankid}\"\nclient_id = \"broker\"\n\
             redirect_uri = \"${broker}/upstream/callback\"\n\
             client_auth = { method = \"client_secret_basic\", secret = \"s3cret-of-the-test\" }\n",
        )
        .unwrap();
        std::fs::write(&mocks, "mocks = []\n").unwrap();
        let options = StackOptions {
            broker_config: broker,
            mocks_config: mocks,
            port: 0,
        };
        let error = Stack::start(&options).await.unwrap_err();
        assert!(
            matches!(&error, StackError::UnknownPlaceholder { upstream } if upstream == "bankid"),
            "{error:?}"
        );
        let options = StackOptions {
            mocks_config: dir.join("absent.toml"),
            ..options
        };
        let error = Stack::start(&options).await.unwrap_err();
        assert!(
            matches!(&error, StackError::Read { path, .. } if path.ends_with("absent.toml")),
            "{error:?}"
        );
        // A registration without its redirect URI: the line, the key, and never the secret.
        let broker = dir.join("no-redirect.toml");
        std::fs::write(
            &broker,
            "issuer = \"${broker}\"\n\n[[upstreams]]\nid = \"bankid\"\nclient_id = \"broker\"\n\
             client_auth = { method = \"client_secret_basic\", secret = \"s3cret-of-the-test\" }\n",
        )
        .unwrap();
        let options = StackOptions {
            broker_config: broker.clone(),
            mocks_config: dir.join("mocks.toml"),
            port: 0,
        };
        let error = Stack::start(&options).await.unwrap_err().to_string();
        assert_eq!(
            error,
            format!("{}:3: missing field `redirect_uri`", broker.display())
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
