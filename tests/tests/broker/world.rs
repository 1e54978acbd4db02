//! A broker built from a TOML configuration ([`BrokerConfig::from_toml_str`]) and served on
//! 127.0.0.1, with one [`MockIdp`] per upstream (each its own profile), one [`ManualClock`]
//! for all of them, the login events it reports, and a receiver of the e-services'
//! back-channel logout requests.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Form, Path, State};
use eid_broker::BrokerConfig;
use eid_broker::audit::{LoginEvent, LoginObserver, Observers};
use eid_core::claims::Scope;
use eid_core::clock::{Clock, ManualClock, UnixTime};
use eid_core::jose::{Jwks, JwsAlgorithm};
use eid_idp_mock::keys::KeySet;
use eid_idp_mock::profile::Profile;
use eid_idp_mock::{MockConfig, MockIdp};
use eid_provider::client::{Client, ClientAuthMethod};
use eid_provider::http::Server;
use eid_provider::secret::ClientSecret;
use tokio::sync::mpsc;

use crate::rp::Rp;

/// The secret the broker uses at the mocks.
pub const UPSTREAM_SECRET: &str = "broker-upstream-secret-0123456789";
/// The secret of every e-service at the broker.
pub const CLIENT_SECRET: &str = "e-service-secret-0123456789abcdef";
/// The e-services' redirect URI (never contacted: the driver stops at it).
pub const RP_REDIRECT: &str = "http://127.0.0.1:9/callback";
/// The e-services' post-logout redirect URI.
pub const RP_LOGGED_OUT: &str = "http://127.0.0.1:9/logged-out";
/// The personal number claim.
pub const PNR: &str = "https://id.oidc.se/claim/personalIdentityNumber";
/// The scopes every e-service asks for.
pub const SCOPES: &str = "openid profile https://id.oidc.se/scope/naturalPersonNumber \
     https://id.oidc.se/scope/naturalPersonOrgId \
     https://id.swedenconnect.se/scope/eidasNaturalPersonIdentity";

/// Level URIs used by the suite.
pub mod level {
    /// Swedish loa2.
    pub const LOA2: &str = "http://id.elegnamnden.se/loa/1.0/loa2";
    /// Swedish loa3.
    pub const LOA3: &str = "http://id.elegnamnden.se/loa/1.0/loa3";
    /// Swedish loa4.
    pub const LOA4: &str = "http://id.elegnamnden.se/loa/1.0/loa4";
    /// Swedish loa3 for a holder without a Swedish number.
    pub const LOA3_NR: &str = "http://id.swedenconnect.se/loa/1.0/loa3-nonresident";
    /// Swedish eIDAS connector, notified scheme, substantial.
    pub const EIDAS_NF_SUB: &str = "http://id.elegnamnden.se/loa/1.0/eidas-nf-sub";
    /// Swedish eIDAS connector, notified scheme, high.
    pub const EIDAS_NF_HIGH: &str = "http://id.elegnamnden.se/loa/1.0/eidas-nf-high";
    /// The EU eIDAS framework's substantial.
    pub const EIDAS_SUB: &str = "http://eidas.europa.eu/LoA/substantial";
    /// The EU eIDAS framework's high.
    pub const EIDAS_HIGH: &str = "http://eidas.europa.eu/LoA/high";
    /// NIST identity assurance level 2.
    pub const NIST_IAL2: &str = "http://idmanagement.gov/ns/assurance/ial/2";
    /// NIST authenticator assurance level 2.
    pub const NIST_AAL2: &str = "http://idmanagement.gov/ns/assurance/aal/2";
}

use level::{EIDAS_HIGH, EIDAS_NF_HIGH, EIDAS_NF_SUB, EIDAS_SUB, LOA2, LOA3, LOA3_NR, LOA4};

/// One entry of an upstream's acr mapping: the broker level, the value asked for, and the
/// values that answer it (empty: the value asked for).
#[derive(Clone, Debug)]
pub struct Acr {
    pub level: &'static str,
    pub request: &'static str,
    pub answers: Vec<&'static str>,
}

/// `level` asked for and answered with its own URI.
pub fn same(level: &'static str) -> Acr {
    Acr {
        level,
        request: level,
        answers: Vec::new(),
    }
}

/// One mock upstream.
#[derive(Clone, Debug)]
pub struct UpstreamSpec {
    pub id: &'static str,
    pub profile: Profile,
    pub key_set: KeySet,
    pub acr: Vec<Acr>,
}

impl UpstreamSpec {
    pub fn new(id: &'static str, profile: Profile, acr: Vec<Acr>) -> Self {
        Self {
            id,
            profile,
            key_set: KeySet::Rotating,
            acr,
        }
    }

    pub fn with_key_set(mut self, key_set: KeySet) -> Self {
        self.key_set = key_set;
        self
    }
}

/// The four kinds of upstream of issue 5, and an eIDAS node the broker reads in the EU
/// framework's levels:
/// - `bankid` (BankID-like): loa2, loa3;
/// - `idcard` (state ID card): loa3, loa4, loa3-nonresident;
/// - `work` (workplace): loa3;
/// - `eidas` (eIDAS node): eidas-nf-sub;
/// - `eu` (eIDAS node): EU substantial asked as such and answered by `eidas-nf-sub`, EU high
///   answered by `eidas-nf-high`.
pub fn all_upstreams() -> Vec<UpstreamSpec> {
    vec![
        UpstreamSpec::new("bankid", Profile::BankIdLike, vec![same(LOA2), same(LOA3)]),
        UpstreamSpec::new(
            "idcard",
            Profile::StateIdCard,
            vec![same(LOA3), same(LOA4), same(LOA3_NR)],
        ),
        UpstreamSpec::new("work", Profile::Workplace, vec![same(LOA3)]),
        UpstreamSpec::new("eidas", Profile::EidasNode, vec![same(EIDAS_NF_SUB)]),
        UpstreamSpec::new(
            "eu",
            Profile::EidasNode,
            vec![
                Acr {
                    level: EIDAS_SUB,
                    request: EIDAS_SUB,
                    answers: vec![EIDAS_NF_SUB],
                },
                Acr {
                    level: EIDAS_HIGH,
                    request: EIDAS_HIGH,
                    answers: vec![EIDAS_NF_HIGH],
                },
            ],
        ),
    ]
}

/// One e-service (`[[clients]]`).
#[derive(Clone, Debug)]
pub struct ClientSpec {
    pub id: &'static str,
    pub levels: Vec<&'static str>,
    pub matching: &'static str,
    /// Extra TOML lines of the table.
    pub extra: String,
    /// Whether it registers a back-channel logout URI (at the world's receiver).
    pub backchannel: bool,
}

impl ClientSpec {
    pub fn new(id: &'static str, levels: &[&'static str], matching: &'static str) -> Self {
        Self {
            id,
            levels: levels.to_vec(),
            matching,
            extra: String::new(),
            backchannel: false,
        }
    }

    pub fn extra(mut self, line: &str) -> Self {
        self.extra.push_str(line);
        self.extra.push('\n');
        self
    }

    pub fn with_backchannel(mut self) -> Self {
        self.backchannel = true;
        self
    }
}

/// Records every login event the broker reports.
#[derive(Debug, Default)]
pub struct Events(Mutex<Vec<LoginEvent>>);

impl LoginObserver for Events {
    fn record(&self, event: &LoginEvent) {
        self.0.lock().unwrap().push(event.clone());
    }
}

impl Events {
    pub fn all(&self) -> Vec<LoginEvent> {
        self.0.lock().unwrap().clone()
    }
}

/// Receives back-channel logout requests at `/backchannel/{client}` on 127.0.0.1 port 0.
#[derive(Debug)]
pub struct Backchannel {
    pub base: String,
    tokens: tokio::sync::Mutex<mpsc::UnboundedReceiver<(String, String)>>,
    _server: Server,
}

#[derive(serde::Deserialize)]
struct LogoutForm {
    logout_token: String,
}

impl Backchannel {
    async fn start() -> Self {
        let (sender, receiver) = mpsc::unbounded_channel::<(String, String)>();
        let app = axum::Router::new()
            .route(
                "/backchannel/{client}",
                axum::routing::post(
                    |State(sender): State<mpsc::UnboundedSender<(String, String)>>,
                     Path(client): Path<String>,
                     Form(form): Form<LogoutForm>| async move {
                        let _ = sender.send((client, form.logout_token));
                        axum::http::StatusCode::OK
                    },
                ),
            )
            .with_state(sender);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = Server::start(listener, app).unwrap();
        Self {
            base,
            tokens: tokio::sync::Mutex::new(receiver),
            _server: server,
        }
    }

    /// The next `(client, logout_token)` received. Waits at most 10 s: a bound on a delivery
    /// that is awaited, not a sleep.
    pub async fn next(&self) -> (String, String) {
        let mut tokens = self.tokens.lock().await;
        tokio::time::timeout(Duration::from_secs(10), tokens.recv())
            .await
            .expect("a back-channel logout request within 10 s")
            .expect("the receiver is running")
    }

    /// Whether nothing more has arrived.
    pub async fn is_empty(&self) -> bool {
        self.tokens.lock().await.is_empty()
    }
}

/// The broker, its mocks, its clock and what it reported.
#[derive(Debug)]
pub struct World {
    pub broker_url: String,
    pub mocks: HashMap<&'static str, MockIdp>,
    pub events: Arc<Events>,
    pub clock: Arc<ManualClock>,
    pub backchannel: Backchannel,
    _server: Server,
}

/// 2026-01-01T00:00:00Z: inside the validity of the mock's passport chip.
pub const START: UnixTime = UnixTime::from_secs(1_767_225_600);

fn broker_at_mock(callback: &str) -> Client {
    let mut builder = Client::builder(
        "broker".parse().unwrap(),
        ClientAuthMethod::ClientSecretBasic,
    )
    .secret(&ClientSecret::from_presented(UPSTREAM_SECRET).unwrap())
    .post_logout_redirect_uri(
        callback
            .replace("/upstream/callback", "/upstream/logged-out")
            .parse()
            .unwrap(),
    )
    .id_token_signed_response_alg(JwsAlgorithm::Es256)
    .redirect_uri(callback.parse().unwrap());
    for scope in Scope::ALL {
        builder = builder.scope(scope.as_str());
    }
    builder.build().unwrap()
}

fn acr_toml(acr: &Acr) -> String {
    let answers: Vec<String> = acr.answers.iter().map(|a| format!("\"{a}\"")).collect();
    format!(
        "{{ level = \"{}\", request = \"{}\", answers = [{}] }}",
        acr.level,
        acr.request,
        answers.join(", ")
    )
}

impl World {
    /// Starts a mock per upstream and a broker whose configuration file is made of them and
    /// `clients`, with `subject_mode` (`store` or `no_store`).
    pub async fn start(
        upstreams: Vec<UpstreamSpec>,
        clients: Vec<ClientSpec>,
        subject_mode: &str,
    ) -> Self {
        crate::logs::capture();
        let clock = Arc::new(ManualClock::new(START));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let broker_url = format!("http://{}", listener.local_addr().unwrap());
        let callback = format!("{broker_url}/upstream/callback");
        let backchannel = Backchannel::start().await;
        let mut toml = format!(
            "issuer = \"{broker_url}\"\n\
             [keys]\nephemeral = true\n\
             [subject]\nsecret = \"an-e2e-subject-secret-of-32-bytes-or-more\"\nmode = \"{subject_mode}\"\n\
             [store]\nkind = \"memory\"\n\n"
        );
        let mut mocks = HashMap::new();
        for spec in &upstreams {
            let dyn_clock: Arc<dyn Clock> = clock.clone();
            let mock = MockIdp::start(
                MockConfig::default()
                    .with_profile(spec.profile)
                    .with_key_set(spec.key_set)
                    .with_client(broker_at_mock(&callback))
                    .with_clock(dyn_clock),
            )
            .await
            .unwrap();
            let acr: Vec<String> = spec.acr.iter().map(acr_toml).collect();
            toml.push_str(&format!(
                "[[upstreams]]\n\
                 id = \"{id}\"\n\
                 display_name = {{ sv = \"{id} (sv)\", en = \"{id} (en)\" }}\n\
                 issuer = \"{issuer}\"\n\
                 client_id = \"broker\"\n\
                 redirect_uri = \"{callback}\"\n\
                 client_auth = {{ method = \"client_secret_basic\", secret = \"{UPSTREAM_SECRET}\" }}\n\
                 scopes = [\"profile\", \"https://id.oidc.se/scope/naturalPersonNumber\", \"https://id.oidc.se/scope/naturalPersonOrgId\", \"https://id.swedenconnect.se/scope/eidasNaturalPersonIdentity\"]\n\
                 acr = [{acr}]\n\
                 end_session = true\n\n",
                id = spec.id,
                issuer = mock.issuer().as_str(),
                acr = acr.join(", "),
            ));
            mocks.insert(spec.id, mock);
        }
        for client in &clients {
            let levels: Vec<String> = client.levels.iter().map(|l| format!("\"{l}\"")).collect();
            let backchannel_line = if client.backchannel {
                format!(
                    "backchannel_logout_uri = \"{}/backchannel/{}\"\n",
                    backchannel.base, client.id
                )
            } else {
                String::new()
            };
            toml.push_str(&format!(
                "[[clients]]\n\
                 client_id = \"{id}\"\n\
                 auth = {{ method = \"client_secret_basic\", secret = \"{CLIENT_SECRET}\" }}\n\
                 redirect_uris = [\"{RP_REDIRECT}\"]\n\
                 post_logout_redirect_uris = [\"{RP_LOGGED_OUT}\"]\n\
                 scopes = [{scopes}]\n\
                 acr = {{ levels = [{levels}], matching = \"{matching}\" }}\n\
                 {backchannel_line}{extra}\n",
                id = client.id,
                scopes = SCOPES
                    .split(' ')
                    .map(|s| format!("\"{s}\""))
                    .collect::<Vec<_>>()
                    .join(", "),
                levels = levels.join(", "),
                matching = client.matching,
                extra = client.extra,
            ));
        }
        let config = BrokerConfig::from_toml_str(&toml, "e2e.toml")
            .unwrap_or_else(|e| panic!("{e}\n{toml}"));
        let events = Arc::new(Events::default());
        let dyn_clock: Arc<dyn Clock> = clock.clone();
        let broker = eid_broker::Broker::from_config(
            config,
            Observers::new().with(events.clone()),
            dyn_clock,
        )
        .unwrap();
        let server = Server::start(listener, broker.router()).unwrap();
        Self {
            broker_url,
            mocks,
            events,
            clock,
            backchannel,
            _server: server,
        }
    }

    pub fn mock(&self, id: &str) -> &MockIdp {
        self.mocks
            .get(id)
            .unwrap_or_else(|| panic!("no upstream {id}"))
    }

    /// A relying party of `client_id` with a fresh browser.
    pub fn rp(&self, client_id: &str) -> Rp {
        Rp::new(self, client_id)
    }

    /// The broker's published keys.
    pub async fn jwks(&self) -> Jwks {
        let http = reqwest::Client::new();
        let discovery: serde_json::Value = http
            .get(format!(
                "{}/.well-known/openid-configuration",
                self.broker_url
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(discovery["issuer"], self.broker_url.as_str());
        let jwks_uri = discovery["jwks_uri"].as_str().unwrap();
        let bytes = http
            .get(jwks_uri)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        Jwks::from_json(&bytes).unwrap()
    }

    pub fn now(&self) -> UnixTime {
        self.clock.now()
    }
}
