//! A broker in process on 127.0.0.1 with mock upstreams, and a small relying party that drives
//! it like a browser (cookies kept, redirects followed by hand).
#![expect(
    clippy::indexing_slicing,
    reason = "test support: a missing header or field fails the test"
)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_broker::audit::{LoginEvent, LoginObserver, Observers};
use eid_broker::{Broker, BrokerConfig};
use eid_core::claims::Scope;
use eid_core::clock::{Clock, ManualClock, UnixTime};
use eid_idp_mock::profile::Profile;
use eid_idp_mock::{MockConfig, MockIdp};
use eid_provider::client::{Client, ClientAuthMethod};
use eid_provider::http::Server;
use eid_provider::secret::ClientSecret;
use serde_json::Value;
use url::Url;

/// The secret the broker uses at the mocks.
pub(crate) const UPSTREAM_SECRET: &str = "broker-upstream-secret-0123456789";
/// The secret of the test e-services at the broker.
pub(crate) const CLIENT_SECRET: &str = "e-service-secret-0123456789abcdef";
/// The e-services' redirect URI.
pub(crate) const RP_REDIRECT: &str = "http://127.0.0.1:9/callback";
/// The e-services' post-logout redirect URI.
pub(crate) const RP_LOGGED_OUT: &str = "http://127.0.0.1:9/logged-out";
/// Level URIs.
pub(crate) const LOA2: &str = "http://id.elegnamnden.se/loa/1.0/loa2";
pub(crate) const LOA3: &str = "http://id.elegnamnden.se/loa/1.0/loa3";
pub(crate) const LOA4: &str = "http://id.elegnamnden.se/loa/1.0/loa4";
pub(crate) const EIDAS_NF_SUB: &str = "http://id.elegnamnden.se/loa/1.0/eidas-nf-sub";
pub(crate) const EIDAS_SUB: &str = "http://eidas.europa.eu/LoA/substantial";

/// Records every login event.
#[derive(Debug, Default)]
pub(crate) struct Events(Mutex<Vec<LoginEvent>>);

impl LoginObserver for Events {
    fn record(&self, event: &LoginEvent) {
        self.0.lock().unwrap().push(event.clone());
    }
}

impl Events {
    pub(crate) fn all(&self) -> Vec<LoginEvent> {
        self.0.lock().unwrap().clone()
    }
}

/// One mock upstream and how the broker maps its levels.
pub(crate) struct UpstreamSpec {
    pub(crate) id: &'static str,
    pub(crate) profile: Profile,
    /// `(broker level, value asked and answered)`.
    pub(crate) acr: Vec<(&'static str, &'static str)>,
}

impl UpstreamSpec {
    pub(crate) fn new(
        id: &'static str,
        profile: Profile,
        acr: &[(&'static str, &'static str)],
    ) -> Self {
        Self {
            id,
            profile,
            acr: acr.to_vec(),
        }
    }
}

/// The broker and its mocks.
pub(crate) struct World {
    pub(crate) broker_url: String,
    pub(crate) mocks: HashMap<&'static str, MockIdp>,
    pub(crate) events: Arc<Events>,
    pub(crate) clock: Arc<ManualClock>,
    _server: Server,
}

fn broker_client_at_mock(callback: &str) -> Client {
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
    .id_token_signed_response_alg(eid_core::jose::JwsAlgorithm::Es256)
    .redirect_uri(callback.parse().unwrap());
    for scope in Scope::ALL {
        builder = builder.scope(scope.as_str());
    }
    builder.build().unwrap()
}

impl World {
    /// Starts the mocks of `upstreams` and a broker whose `[[clients]]` are `clients` (TOML)
    /// and whose top-level extra TOML is `extra` (before the tables).
    pub(crate) async fn start(
        upstreams: Vec<UpstreamSpec>,
        clients: &str,
        subject_mode: &str,
    ) -> Self {
        let clock = Arc::new(ManualClock::new(UnixTime::from_secs(1_767_225_600)));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let broker_url = format!("http://{}", listener.local_addr().unwrap());
        let callback = format!("{broker_url}/upstream/callback");
        let mut mocks = HashMap::new();
        let logos = if upstreams.iter().any(|spec| spec.id == "bankid") {
            "logos = { bankid = \"data:image/svg+xml;base64,PHN2Zy8+\" }"
        } else {
            ""
        };
        let mut toml = format!(
            "issuer = \"{broker_url}\"\n\
             [keys]\nephemeral = true\n\
             [subject]\nsecret = \"a-test-subject-secret-of-32-bytes-or-more\"\nmode = \"{subject_mode}\"\n\
             [store]\nkind = \"memory\"\n\
             [ui]\n{logos}\n\n"
        );
        for spec in &upstreams {
            let dyn_clock: Arc<dyn Clock> = clock.clone();
            let mock = MockIdp::start(
                MockConfig::default()
                    .with_profile(spec.profile)
                    .with_client(broker_client_at_mock(&callback))
                    .with_clock(dyn_clock),
            )
            .await
            .unwrap();
            let acr: Vec<String> = spec
                .acr
                .iter()
                .map(|(level, value)| format!("{{ level = \"{level}\", request = \"{value}\" }}"))
                .collect();
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
        toml.push_str(clients);
        let config = BrokerConfig::from_toml_str(&toml, "test.toml")
            .unwrap_or_else(|e| panic!("{e}\n{toml}"));
        let events = Arc::new(Events::default());
        let observers = Observers::new().with(events.clone());
        let dyn_clock: Arc<dyn Clock> = clock.clone();
        let broker = Broker::from_config(config, observers, dyn_clock).unwrap();
        let server = Server::start(listener, broker.router()).unwrap();
        Self {
            broker_url,
            mocks,
            events,
            clock,
            _server: server,
        }
    }

    pub(crate) fn mock(&self, id: &str) -> &MockIdp {
        &self.mocks[id]
    }

    pub(crate) fn rp(&self, client_id: &str) -> Rp {
        Rp::new(&self.broker_url, client_id)
    }
}

/// A `[[clients]]` table.
pub(crate) fn client(id: &str, acr: &str, extra: &str) -> String {
    format!(
        "[[clients]]\n\
         client_id = \"{id}\"\n\
         auth = {{ method = \"client_secret_basic\", secret = \"{CLIENT_SECRET}\" }}\n\
         redirect_uris = [\"{RP_REDIRECT}\"]\n\
         post_logout_redirect_uris = [\"{RP_LOGGED_OUT}\"]\n\
         scopes = [\"openid\", \"profile\", \"https://id.oidc.se/scope/naturalPersonNumber\", \"https://id.oidc.se/scope/naturalPersonOrgId\"]\n\
         acr = {acr}\n\
         {extra}\n\n"
    )
}

/// What the person does on the way.
#[derive(Clone, Debug, Default)]
pub(crate) struct Journey {
    /// The upstream to pick on the choice page (`None`: cancel there).
    pub(crate) choose: Option<String>,
    /// Tick "remember my choice".
    pub(crate) remember: bool,
    /// The mock person to log in as (`None`: cancel at the mock).
    pub(crate) person: Option<String>,
}

impl Journey {
    pub(crate) fn person(person: &str) -> Self {
        Self {
            choose: None,
            remember: false,
            person: Some(person.to_owned()),
        }
    }

    pub(crate) fn choosing(mut self, upstream: &str) -> Self {
        self.choose = Some(upstream.to_owned());
        self
    }

    pub(crate) fn remembering(mut self) -> Self {
        self.remember = true;
        self
    }
}

/// How a login ended at the relying party.
#[derive(Debug)]
pub(crate) struct Finished {
    /// The ID token's claims, when a code came back.
    pub(crate) claims: Option<Value>,
    /// The ID token itself.
    pub(crate) id_token: Option<String>,
    /// The error code, when an error came back.
    pub(crate) error: Option<String>,
    /// The choice page, if it was shown.
    pub(crate) choice_page: Option<String>,
    /// Whether the mock's login page was used.
    pub(crate) logged_in_upstream: bool,
}

impl Finished {
    pub(crate) fn claim(&self, name: &str) -> Value {
        self.claims
            .as_ref()
            .unwrap_or_else(|| panic!("no ID token: error {:?}", self.error))[name]
            .clone()
    }

    pub(crate) fn acr(&self) -> String {
        self.claim("acr").as_str().unwrap().to_owned()
    }

    pub(crate) fn sub(&self) -> String {
        self.claim("sub").as_str().unwrap().to_owned()
    }
}

/// A relying party with one browser.
pub(crate) struct Rp {
    pub(crate) broker: String,
    pub(crate) client_id: String,
    pub(crate) http: reqwest::Client,
}

fn form_fields(url: &Url) -> HashMap<String, String> {
    url.query_pairs().into_owned().collect()
}

impl Rp {
    pub(crate) fn new(broker: &str, client_id: &str) -> Self {
        Self {
            broker: broker.to_owned(),
            client_id: client_id.to_owned(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    /// Logs in with the extra authorization `params`, doing `journey`.
    pub(crate) async fn login(&self, params: &[(&str, &str)], journey: &Journey) -> Finished {
        let verifier = URL_SAFE_NO_PAD.encode([7_u8; 32]);
        let challenge = URL_SAFE_NO_PAD.encode(ring::digest::digest(
            &ring::digest::SHA256,
            verifier.as_bytes(),
        ));
        let mut url = Url::parse(&format!("{}/authorize", self.broker)).unwrap();
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", RP_REDIRECT)
            .append_pair("state", "rp-state")
            .append_pair("nonce", "rp-nonce")
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        if !params.iter().any(|(n, _)| *n == "scope") {
            url.query_pairs_mut().append_pair(
                "scope",
                "openid profile https://id.oidc.se/scope/naturalPersonNumber https://id.oidc.se/scope/naturalPersonOrgId",
            );
        }
        for (name, value) in params {
            url.query_pairs_mut().append_pair(name, value);
        }
        let mut finished = Finished {
            claims: None,
            id_token: None,
            error: None,
            choice_page: None,
            logged_in_upstream: false,
        };
        let mut response = self.http.get(url.clone()).send().await.unwrap();
        let mut current = url;
        for _ in 0..20 {
            let status = response.status();
            if status == reqwest::StatusCode::SEE_OTHER || status == reqwest::StatusCode::FOUND {
                let location = response.headers()["location"].to_str().unwrap().to_owned();
                let next = current.join(&location).unwrap();
                if next.as_str().starts_with(RP_REDIRECT) {
                    let fields = form_fields(&next);
                    assert_eq!(fields.get("state").map(String::as_str), Some("rp-state"));
                    if let Some(error) = fields.get("error") {
                        finished.error = Some(error.clone());
                        return finished;
                    }
                    let code = fields.get("code").unwrap().clone();
                    let id_token = self.redeem(&code, &verifier).await;
                    let payload = id_token.split('.').nth(1).unwrap();
                    finished.claims = Some(
                        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap(),
                    );
                    finished.id_token = Some(id_token);
                    return finished;
                }
                current = next;
                response = self.http.get(current.clone()).send().await.unwrap();
                continue;
            }
            let body = response.text().await.unwrap();
            assert_eq!(status, reqwest::StatusCode::OK, "{current}: {body}");
            let transaction = form_fields(&current).get("transaction").unwrap().clone();
            let (target, form): (Url, Vec<(&str, String)>) = if current.path() == "/choose" {
                finished.choice_page = Some(body);
                let mut form = vec![("transaction", transaction)];
                match &journey.choose {
                    Some(upstream) => form.push(("upstream", upstream.clone())),
                    None => form.push(("cancel", "1".to_owned())),
                }
                if journey.remember {
                    form.push(("remember", "1".to_owned()));
                }
                (current.join("/choose").unwrap(), form)
            } else {
                finished.logged_in_upstream = true;
                let mut form = vec![("transaction", transaction)];
                match &journey.person {
                    Some(person) => form.push(("person", person.clone())),
                    None => form.push(("cancel", "1".to_owned())),
                }
                (current.join("/login").unwrap(), form)
            };
            current = target.clone();
            response = self.http.post(target).form(&form).send().await.unwrap();
        }
        panic!("too many redirects");
    }

    async fn redeem(&self, code: &str, verifier: &str) -> String {
        let response = self
            .http
            .post(format!("{}/token", self.broker))
            .basic_auth(&self.client_id, Some(CLIENT_SECRET))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", RP_REDIRECT),
                ("code_verifier", verifier),
            ])
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        assert_eq!(status, reqwest::StatusCode::OK, "{body}");
        body["id_token"].as_str().unwrap().to_owned()
    }
}

/// The usual mocks: a BankID-like (loa2 and loa3), a state ID card (loa3, loa4), a workplace
/// (loa3) and an eIDAS node (eidas-nf-sub).
pub(crate) fn all_upstreams() -> Vec<UpstreamSpec> {
    vec![
        UpstreamSpec::new("bankid", Profile::BankIdLike, &[(LOA2, LOA2), (LOA3, LOA3)]),
        UpstreamSpec::new(
            "idcard",
            Profile::StateIdCard,
            &[(LOA3, LOA3), (LOA4, LOA4)],
        ),
        UpstreamSpec::new("work", Profile::Workplace, &[(LOA3, LOA3)]),
        UpstreamSpec::new("eidas", Profile::EidasNode, &[(EIDAS_NF_SUB, EIDAS_NF_SUB)]),
    ]
}
