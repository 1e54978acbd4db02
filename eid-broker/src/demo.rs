//! `eid-broker demo`: the broker, four mock eID providers and a demo e-service in one process,
//! everything on 127.0.0.1.
//!
//! - The broker and the demo e-service share one address (the `--port`, default 8080): the
//!   e-service's start page is `/`, its pages are under `/demo/`, the probes and `/metrics`
//!   are there too, and every other path is the broker's (its issuer is that address).
//! - Four [`MockIdp`]s on free ports, registered with the broker as upstreams, the broker a
//!   client of each: `bankid` ([`Profile::BankIdLike`], loa2 and loa3), `idcard`
//!   ([`Profile::StateIdCard`], loa3 and loa4), `workplace` ([`Profile::Workplace`], loa3)
//!   and `eidas` ([`Profile::EidasNode`], eIDAS substantial).
//! - The broker's configuration is TOML built here and read by
//!   [`BrokerConfig::from_toml_str`], the path `serve` uses; ephemeral keys, an in-memory
//!   store, and secrets made at start-up.
//! - The e-service ([`eservice`]) is a client of the broker that accepts loa2, loa3, loa4 and
//!   eIDAS substantial, as minimums.
//!
//! ```no_run
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), eid_broker::demo::DemoError> {
//! let demo = eid_broker::demo::start(0).await?;
//! println!("open {}", demo.url());
//! # Ok(())
//! # }
//! ```

use std::fmt::Write as _;
use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::claims::Scope;
use eid_core::clock::{Clock, SystemClock};
use eid_core::jose::JwsAlgorithm;
use eid_idp_mock::profile::Profile;
use eid_idp_mock::{MockConfig, MockError, MockIdp};
use eid_provider::client::{Client, ClientAuthMethod, ClientError};
use eid_provider::http::Server;
use eid_provider::secret::ClientSecret;
use ring::rand::{SecureRandom, SystemRandom};
use tokio::net::TcpListener;

use crate::audit::{AuditLog, Observers};
use crate::metrics::Metrics;
use crate::{Broker, BrokerConfig, BrokerError, ConfigError};

pub mod eservice;
mod page;

use eservice::{EService, EServiceConfig, EServiceError};

/// The demo e-service's client id at the broker.
pub const DEMO_CLIENT_ID: &str = "demo-e-service";
/// The broker's client id at the mocks.
pub const BROKER_CLIENT_ID: &str = "eid-broker-demo";

const LOA2: &str = "http://id.elegnamnden.se/loa/1.0/loa2";
const LOA3: &str = "http://id.elegnamnden.se/loa/1.0/loa3";
const LOA4: &str = "http://id.elegnamnden.se/loa/1.0/loa4";
const EIDAS_NF_SUB: &str = "http://id.elegnamnden.se/loa/1.0/eidas-nf-sub";

/// One upstream of the demo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DemoUpstream {
    /// The upstream id at the broker.
    pub id: &'static str,
    /// The mock's profile.
    pub profile: Profile,
    /// Swedish and English names.
    pub names: (&'static str, &'static str),
    /// `(broker level, the acr asked of the upstream and read from it)`.
    pub acr: &'static [(&'static str, &'static str)],
    /// A person who can log in there.
    pub person: &'static str,
}

/// The demo's upstreams.
pub const UPSTREAMS: [DemoUpstream; 4] = [
    DemoUpstream {
        id: "bankid",
        profile: Profile::BankIdLike,
        names: ("BankID (test)", "BankID (test)"),
        acr: &[(LOA2, LOA2), (LOA3, LOA3)],
        person: "astrid",
    },
    DemoUpstream {
        id: "idcard",
        profile: Profile::StateIdCard,
        names: ("Statligt ID-kort (test)", "State ID card (test)"),
        acr: &[(LOA3, LOA3), (LOA4, LOA4)],
        person: "bertil",
    },
    DemoUpstream {
        id: "workplace",
        profile: Profile::Workplace,
        names: ("Arbetsplatsinloggning (test)", "Workplace login (test)"),
        acr: &[(LOA3, LOA3)],
        person: "eva",
    },
    DemoUpstream {
        id: "eidas",
        profile: Profile::EidasNode,
        names: ("Utländsk e-legitimation (eIDAS)", "Foreign eID (eIDAS)"),
        acr: &[(EIDAS_NF_SUB, EIDAS_NF_SUB)],
        person: "giulia",
    },
];

/// Why the demo could not start.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The port could not be bound.
    #[error("binding 127.0.0.1:{port}: {source}")]
    Bind {
        /// The port.
        port: u16,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// A mock could not start.
    #[error("mock {upstream}: {source}")]
    Mock {
        /// The upstream id.
        upstream: &'static str,
        /// Why.
        #[source]
        source: MockError,
    },
    /// The broker's client at a mock was refused.
    #[error("the broker's client at the mocks: {0}")]
    Client(#[source] ClientError),
    /// The demo's broker configuration was refused (a bug in the demo).
    #[error("the demo's configuration: {0}")]
    Config(#[source] ConfigError),
    /// The broker could not be built.
    #[error("the broker: {0}")]
    Broker(#[source] BrokerError),
    /// The e-service could not be built.
    #[error("the e-service: {0}")]
    EService(#[source] EServiceError),
    /// No random bytes for the secrets.
    #[error("no random bytes for the demo's secrets")]
    Random,
    /// The server could not start.
    #[error("serving: {0}")]
    Serve(#[source] io::Error),
}

/// Where the demo's audit log goes.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AuditTarget {
    /// Kept in memory, read with [`Demo::audit_lines`] (the default; for tests).
    #[default]
    Memory,
    /// Standard output (the `demo` command).
    Stdout,
}

/// The demo's settings.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default)]
pub struct DemoOptions {
    /// The port of the broker and the e-service; 0 for any free one.
    pub port: u16,
    /// Where the audit log goes.
    pub audit: AuditTarget,
}

impl DemoOptions {
    /// On `port`, the audit log in memory.
    pub fn new(port: u16) -> Self {
        Self {
            port,
            audit: AuditTarget::Memory,
        }
    }

    /// With the audit log to `audit`.
    #[must_use]
    pub fn audit(mut self, audit: AuditTarget) -> Self {
        self.audit = audit;
        self
    }
}

/// An audit log kept in memory.
#[derive(Clone, Debug, Default)]
struct MemoryLog(Arc<Mutex<Vec<u8>>>);

impl Write for MemoryLog {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The running demo; dropping it stops the broker, the e-service and the mocks.
#[derive(Debug)]
pub struct Demo {
    url: String,
    broker: Arc<Broker>,
    metrics: Arc<Metrics>,
    mocks: Vec<(&'static str, MockIdp)>,
    audit: Option<MemoryLog>,
    server: Server,
}

/// Starts the demo on `port` (0: any free port), its audit log in memory.
///
/// # Errors
/// [`DemoError`] naming the part that could not start.
pub async fn start(port: u16) -> Result<Demo, DemoError> {
    start_with(DemoOptions::new(port)).await
}

fn random_secret(rng: &SystemRandom) -> Result<String, DemoError> {
    let mut bytes = [0_u8; 32];
    rng.fill(&mut bytes).map_err(|_| DemoError::Random)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

fn broker_client_at_mock(callback: &str, secret: &str) -> Result<Client, DemoError> {
    let id = BROKER_CLIENT_ID.parse().map_err(DemoError::Client)?;
    let secret = ClientSecret::from_presented(secret).map_err(|_| DemoError::Random)?;
    let mut builder = Client::builder(id, ClientAuthMethod::ClientSecretBasic)
        .secret(&secret)
        .id_token_signed_response_alg(JwsAlgorithm::Es256)
        .redirect_uri(callback.parse().map_err(DemoError::Client)?);
    for scope in Scope::ALL {
        builder = builder.scope(scope.as_str());
    }
    builder.build().map_err(DemoError::Client)
}

/// The broker's TOML for the demo.
fn broker_toml(
    base: &str,
    mocks: &[(&'static str, MockIdp)],
    upstream_secret: &str,
    client_secret: &str,
    subject_secret: &str,
) -> String {
    let callback = format!("{base}/upstream/callback");
    let mut toml = format!(
        "issuer = \"{base}\"\n\n[keys]\nephemeral = true\n\n\
         [subject]\nsecret = \"{subject_secret}\"\nmode = \"store\"\n\n\
         [store]\nkind = \"memory\"\n\n"
    );
    for upstream in UPSTREAMS {
        let Some((_, mock)) = mocks.iter().find(|(id, _)| *id == upstream.id) else {
            continue;
        };
        let acr: Vec<String> = upstream
            .acr
            .iter()
            .map(|(level, value)| format!("{{ level = \"{level}\", request = \"{value}\" }}"))
            .collect();
        let _ = write!(
            toml,
            "[[upstreams]]\nid = \"{id}\"\n\
             display_name = {{ sv = \"{sv}\", en = \"{en}\" }}\n\
             issuer = \"{issuer}\"\nclient_id = \"{BROKER_CLIENT_ID}\"\n\
             redirect_uri = \"{callback}\"\n\
             client_auth = {{ method = \"client_secret_basic\", secret = \"{upstream_secret}\" }}\n\
             scopes = [\"profile\", \"https://id.oidc.se/scope/naturalPersonNumber\", \
             \"https://id.oidc.se/scope/naturalPersonOrgId\", \
             \"https://id.swedenconnect.se/scope/eidasNaturalPersonIdentity\"]\n\
             acr = [{acr}]\n\n",
            id = upstream.id,
            sv = upstream.names.0,
            en = upstream.names.1,
            issuer = mock.issuer().as_str(),
            acr = acr.join(", "),
        );
    }
    let _ = write!(
        toml,
        "[[clients]]\nclient_id = \"{DEMO_CLIENT_ID}\"\n\
         auth = {{ method = \"client_secret_basic\", secret = \"{client_secret}\" }}\n\
         redirect_uris = [\"{base}{callback_path}\"]\n\
         post_logout_redirect_uris = [\"{base}/\"]\n\
         scopes = [\"openid\", \"profile\", \"https://id.oidc.se/scope/naturalPersonNumber\", \
         \"https://id.swedenconnect.se/scope/eidasNaturalPersonIdentity\"]\n\
         acr = {{ levels = [\"{LOA2}\", \"{LOA3}\", \"{LOA4}\", \"{EIDAS_NF_SUB}\"], matching = \"minimum\" }}\n",
        callback_path = eservice::CALLBACK_PATH,
    );
    toml
}

/// Starts the demo with `options`.
///
/// # Errors
/// [`DemoError`] naming the part that could not start.
pub async fn start_with(options: DemoOptions) -> Result<Demo, DemoError> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let rng = SystemRandom::new();
    let listener = TcpListener::bind(("127.0.0.1", options.port))
        .await
        .map_err(|source| DemoError::Bind {
            port: options.port,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| DemoError::Bind {
        port: options.port,
        source,
    })?;
    let base = format!("http://{addr}");
    let upstream_secret = random_secret(&rng)?;
    let client_secret = random_secret(&rng)?;
    let subject_secret = random_secret(&rng)?;

    let callback = format!("{base}/upstream/callback");
    let mut mocks = Vec::new();
    for upstream in UPSTREAMS {
        let config = MockConfig::default()
            .with_profile(upstream.profile)
            .with_client(broker_client_at_mock(&callback, &upstream_secret)?)
            .with_clock(Arc::clone(&clock));
        let mock = MockIdp::start(config)
            .await
            .map_err(|source| DemoError::Mock {
                upstream: upstream.id,
                source,
            })?;
        mocks.push((upstream.id, mock));
    }

    let toml = broker_toml(
        &base,
        &mocks,
        &upstream_secret,
        &client_secret,
        &subject_secret,
    );
    let config = BrokerConfig::from_toml_str(&toml, "demo.toml").map_err(DemoError::Config)?;
    let metrics = Arc::new(Metrics::new());
    let (audit_log, memory) = match options.audit {
        AuditTarget::Stdout => (AuditLog::stdout(Arc::clone(&clock)), None),
        AuditTarget::Memory => {
            let memory = MemoryLog::default();
            (
                AuditLog::to_writer(memory.clone(), Arc::clone(&clock)),
                Some(memory),
            )
        }
    };
    let observers = Observers::new()
        .with(metrics.clone())
        .with(Arc::new(audit_log));
    let broker = Arc::new(
        Broker::from_config(config, observers, Arc::clone(&clock)).map_err(DemoError::Broker)?,
    );

    let mut form_action_origins = vec![base.clone()];
    form_action_origins.extend(
        mocks
            .iter()
            .map(|(_, mock)| mock.issuer().as_str().to_owned()),
    );
    let eservice = EService::new(EServiceConfig {
        base_url: base.clone(),
        issuer: broker.issuer().to_owned(),
        client_id: DEMO_CLIENT_ID.to_owned(),
        client_secret,
        form_action_origins,
        clock,
    })
    .map_err(DemoError::EService)?;
    let app = crate::serve::app(eservice.router(), &broker, &metrics);
    let server = Server::start(listener, app).map_err(DemoError::Serve)?;
    tracing::info!(url = %eservice.start_url(), "the demo is running");
    Ok(Demo {
        url: eservice.start_url(),
        broker,
        metrics,
        mocks,
        audit: memory,
        server,
    })
}

impl Demo {
    /// The demo e-service's start page: the URL to open.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The origin of the broker and the e-service, without a trailing `/`.
    pub fn base_url(&self) -> String {
        self.server.url()
    }

    /// The broker's issuer.
    pub fn issuer(&self) -> &str {
        self.broker.issuer()
    }

    /// The broker.
    pub fn broker(&self) -> &Arc<Broker> {
        &self.broker
    }

    /// The metrics.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// The mock behind upstream `id`.
    pub fn mock(&self, id: &str) -> Option<&MockIdp> {
        self.mocks
            .iter()
            .find(|(upstream, _)| *upstream == id)
            .map(|(_, mock)| mock)
    }

    /// The audit log's lines so far (empty when it goes to standard output).
    pub fn audit_lines(&self) -> Vec<String> {
        let Some(memory) = &self.audit else {
            return Vec::new();
        };
        let bytes = memory.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes)
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// What the `demo` command prints: the URL to open, the upstreams and who can log in.
    pub fn banner(&self) -> String {
        let mut text = format!(
            "eid-broker demo\n\n  Open {}  (broker issuer {})\n\n  Upstreams (mock eID providers):\n",
            self.url,
            self.issuer()
        );
        for upstream in UPSTREAMS {
            let issuer = self
                .mock(upstream.id)
                .map_or_else(String::new, |mock| mock.issuer().as_str().to_owned());
            let _ = writeln!(
                text,
                "    {:<10} {:<24} {}  (try: {})",
                upstream.id, upstream.names.1, issuer, upstream.person
            );
        }
        let _ = write!(
            text,
            "\n  Probes: {base}/healthz  {base}/readyz  {base}/metrics\n  Ctrl-C stops the demo.\n",
            base = self.base_url()
        );
        text
    }

    /// Stops everything and waits until the broker's server has stopped.
    ///
    /// # Errors
    /// The server's I/O error.
    pub async fn stop(self) -> io::Result<()> {
        let Self { server, mocks, .. } = self;
        let result = server.shutdown().await;
        for (_, mock) in mocks {
            mock.stop().await;
        }
        result
    }
}
