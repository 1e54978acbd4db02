//! Assembling the mock ([`MockApp`]: the engine, the authenticator, the scenario layer and the
//! control API as one router) and running it ([`MockIdp`]: on 127.0.0.1, stopped on drop).

use std::collections::VecDeque;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use eid_core::clock::{Clock, SystemClock};
use eid_provider::Provider;
use eid_provider::client::{ClientError, StaticClients};
use eid_provider::discovery::{DiscoveryError, Issuer, ProviderMetadata};
use eid_provider::provider::ProviderError;
use ring::rand::SystemRandom;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::{ConfigError, MockConfig, builtin_clients};
use crate::control::{self, NextClaims};
use crate::keys::{self, KeysError};
use crate::login::{Bindings, MockAuthenticator};
use crate::person::{PersonError, Persons, SubjectKey};
use crate::profile::Profile;
use crate::scenario::rewrite::{self, Rewriter};
use crate::scenario::{MAX_SCENARIOS, Scenario, ScenarioBook};

/// Why a mock could not start.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// The port could not be bound.
    #[error("binding 127.0.0.1:{port}: {source}")]
    Bind {
        /// The port.
        port: u16,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A client registration was refused.
    #[error("clients: {0}")]
    Clients(#[from] ClientError),
    /// The configuration is wrong.
    #[error("{0}")]
    Config(#[from] ConfigError),
    /// The issuer or the metadata is invalid.
    #[error("issuer or metadata: {0}")]
    Discovery(#[from] DiscoveryError),
    /// The keys could not be made.
    #[error("keys: {0}")]
    Keys(#[from] KeysError),
    /// The profile offers none of the persons.
    #[error("the profile {profile} offers none of the persons")]
    NoPersons {
        /// The profile.
        profile: &'static str,
    },
    /// The persons could not be loaded.
    #[error("persons: {0}")]
    Persons(#[from] PersonError),
    /// The engine refused its settings.
    #[error("provider: {0}")]
    Provider(#[from] ProviderError),
}

/// What the authenticator, the control API and the scenario layer share.
pub(crate) struct Shared {
    pub(crate) persons: Persons,
    pub(crate) profile: Profile,
    pub(crate) book: Arc<ScenarioBook>,
    next_claims: Mutex<VecDeque<NextClaims>>,
    pub(crate) subject_key: SubjectKey,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) bindings: Bindings,
    pub(crate) secure_cookies: bool,
    pub(crate) transaction_ttl: Duration,
    pub(crate) insecure_skip_login_binding: bool,
    pub(crate) rng: SystemRandom,
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shared")
            .field("persons", &self.persons.len())
            .field("profile", &self.profile)
            .field(
                "insecure_skip_login_binding",
                &self.insecure_skip_login_binding,
            )
            .finish_non_exhaustive()
    }
}

impl Shared {
    fn claims_queue(&self) -> std::sync::MutexGuard<'_, VecDeque<NextClaims>> {
        // Every update is one call on the queue: a poisoned lock still holds a valid queue.
        self.next_claims
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn enqueue_claims(&self, next: NextClaims) {
        let mut queue = self.claims_queue();
        queue.push_back(next);
        while queue.len() > MAX_SCENARIOS {
            queue.pop_front();
        }
    }

    pub(crate) fn take_next_claims(&self) -> Option<NextClaims> {
        self.claims_queue().pop_front()
    }
}

/// The path part of an endpoint URL.
fn path_of(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.path().to_owned())
        .unwrap_or_default()
}

/// A mock assembled for `issuer`, not yet serving: its [`router`](Self::router) can be served
/// by the caller or driven in-process (`tower::ServiceExt::oneshot`).
#[derive(Debug)]
pub struct MockApp {
    shared: Arc<Shared>,
    provider: Arc<Provider>,
    router: Router,
}

impl MockApp {
    /// Assembles the mock of `config` for `issuer`: loads and checks the persons (verifying the
    /// newcomer's passport chip), registers the clients (the built-in ones when none are
    /// configured), generates the keys, builds the engine, and puts its router, the login
    /// routes, the scenario layer and (if configured) the control API together.
    ///
    /// # Errors
    /// A [`MockError`] naming what is wrong.
    pub fn new(config: MockConfig, issuer: Issuer) -> Result<Self, MockError> {
        let clock: Arc<dyn Clock> = config.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let now = clock.now();
        let mut persons = if config.builtin_persons {
            Persons::builtin(now)?
        } else {
            Persons::new()
        };
        if let Some(json) = &config.persons_json {
            persons.extend(Persons::from_json(json, now)?)?;
        }
        if !persons.iter().any(|p| config.profile.offers(p)) {
            return Err(MockError::NoPersons {
                profile: config.profile.as_str(),
            });
        }
        let clients = if config.clients.is_empty() {
            builtin_clients()?
        } else {
            config.clients
        };
        let registry = StaticClients::new(clients)?;
        let (ring, signer) = keys::generate(config.key_set)?;
        let metadata = ProviderMetadata::builder(issuer.clone())
            .token_endpoint_auth_methods([
                "client_secret_basic",
                "client_secret_post",
                "private_key_jwt",
                "none",
            ])
            .id_token_signing_algorithms(ring.algorithms())
            .userinfo_signing_algorithms(ring.algorithms())
            .refresh_tokens()
            .acr_values(config.profile.levels())
            .build()?;
        let token_path = path_of(metadata.token_endpoint());
        let userinfo_path = path_of(metadata.userinfo_endpoint());
        let transaction_ttl = config.provider.transaction_ttl;
        let provider = Arc::new(
            Provider::builder(metadata, Arc::new(registry), ring)
                .config(config.provider)
                .clock(Arc::clone(&clock))
                .build()?,
        );
        let book = Arc::new(ScenarioBook::default());
        let shared = Arc::new(Shared {
            persons,
            profile: config.profile,
            book: Arc::clone(&book),
            next_claims: Mutex::new(VecDeque::new()),
            subject_key: config.subject_key,
            clock: Arc::clone(&clock),
            bindings: Bindings::default(),
            secure_cookies: issuer.as_str().starts_with("https://"),
            transaction_ttl,
            insecure_skip_login_binding: config.insecure_skip_login_binding,
            rng: SystemRandom::new(),
        });
        let rewriter = Arc::new(Rewriter {
            book,
            signer: Arc::new(signer),
            clock,
            token_path,
            userinfo_path,
        });
        let authenticator = Arc::new(MockAuthenticator::new(Arc::clone(&shared)));
        let mut router = eid_provider::http::router(Arc::clone(&provider), authenticator);
        if config.control_api {
            router = router.merge(control::routes(Arc::clone(&shared)));
        }
        let router = router.layer(axum::middleware::from_fn_with_state(
            rewriter,
            rewrite::layer,
        ));
        Ok(Self {
            shared,
            provider,
            router,
        })
    }

    /// The router of every endpoint.
    pub fn router(&self) -> Router {
        self.router.clone()
    }

    /// The engine.
    pub fn provider(&self) -> &Arc<Provider> {
        &self.provider
    }

    /// The issuer.
    pub fn issuer(&self) -> &Issuer {
        self.provider.issuer()
    }

    /// The persons offered (before the profile's filter).
    pub fn persons(&self) -> &Persons {
        &self.shared.persons
    }

    /// The profile.
    pub fn profile(&self) -> Profile {
        self.shared.profile
    }

    /// The `sub` a person id gets, if the person exists.
    pub fn subject_of(&self, person_id: &str) -> Option<String> {
        let person = self.shared.persons.get(person_id)?;
        self.shared
            .subject_key
            .subject(person.id())
            .ok()
            .map(|s| s.as_str().to_owned())
    }

    /// Queues `scenario` for the next login.
    pub fn enqueue_scenario(&self, scenario: Scenario) {
        self.shared.book.enqueue(scenario);
    }

    /// Queues claims for the next login.
    pub fn enqueue_claims(&self, next: NextClaims) {
        self.shared.enqueue_claims(next);
    }

    /// How many scenarios wait for the next logins.
    pub fn queued_scenarios(&self) -> usize {
        self.shared.book.queued()
    }
}

/// A running mock on 127.0.0.1. Stops when dropped.
#[derive(Debug)]
pub struct MockIdp {
    app: MockApp,
    address: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl MockIdp {
    /// Binds 127.0.0.1 on the configured port (0: any free one, the default), assembles the
    /// mock ([`MockApp::new`]) with the issuer `http://127.0.0.1:<port>` unless one is
    /// configured, and serves it in a task of the current Tokio runtime.
    ///
    /// # Errors
    /// [`MockError::Bind`], and the errors of [`MockApp::new`].
    pub async fn start(config: MockConfig) -> Result<Self, MockError> {
        let port = config.port;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|source| MockError::Bind { port, source })?;
        let address = listener
            .local_addr()
            .map_err(|source| MockError::Bind { port, source })?;
        let issuer: Issuer = match &config.issuer {
            Some(issuer) => issuer.parse()?,
            None => format!("http://127.0.0.1:{}", address.port()).parse()?,
        };
        let app = MockApp::new(config, issuer)?;
        let (shutdown, signal) = oneshot::channel::<()>();
        let router = app.router();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = signal.await;
                })
                .await;
        });
        Ok(Self {
            app,
            address,
            shutdown: Some(shutdown),
            task,
        })
    }

    /// The issuer.
    pub fn issuer(&self) -> &Issuer {
        self.app.issuer()
    }

    /// The socket address served.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The assembled mock (its router, engine and persons).
    pub fn app(&self) -> &MockApp {
        &self.app
    }

    /// Queues `scenario` for the next login.
    pub fn enqueue_scenario(&self, scenario: Scenario) {
        self.app.enqueue_scenario(scenario);
    }

    /// Queues claims for the next login.
    pub fn enqueue_claims(&self, next: NextClaims) {
        self.app.enqueue_claims(next);
    }

    /// Stops serving and waits until the listener is closed (dropping the mock stops it too,
    /// without waiting).
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        let task = std::mem::replace(&mut self.task, tokio::spawn(async {}));
        let _ = task.await;
    }

    /// Waits until the server task ends (it ends when the mock is dropped, or if serving
    /// fails): what the binary does.
    pub async fn serve_forever(mut self) {
        let task = std::mem::replace(&mut self.task, tokio::spawn(async {}));
        let _ = task.await;
    }
}

impl Drop for MockIdp {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        self.task.abort();
    }
}
