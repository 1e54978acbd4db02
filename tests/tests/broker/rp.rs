//! An e-service and its user's browser: authorization requests with PKCE S256 and fresh
//! `state` and `nonce`, the broker's choice page (the form at `/choose`), the mock's login
//! (the form POST `/login`), redirects followed by hand with a cookie jar, the code redeemed
//! at the broker, the ID token verified by [`IdTokenVerifier`], and RP-initiated logout.
//!
//! Every secret that travels (codes, states, nonces, PKCE values, transactions, tokens,
//! cookies) is recorded in [`secrets`] for the log scan.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::assurance::Requirement;
use eid_core::clock::{Clock, ManualClock};
use eid_core::jose::JwsAlgorithm;
use eid_core::verify::{IdTokenVerifier, VerifiedIdToken};
use reqwest::StatusCode;
use serde_json::Value;
use url::Url;

use crate::world::{CLIENT_SECRET, RP_LOGGED_OUT, RP_REDIRECT, SCOPES, World};

static SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Records a value that must never be logged (short values are not distinctive).
pub fn record_secret(value: &str) {
    if value.len() >= 12 {
        SECRETS.lock().unwrap().push(value.to_owned());
    }
}

/// Every secret recorded so far, by every test of this binary.
pub fn secrets() -> Vec<String> {
    SECRETS.lock().unwrap().clone()
}

/// A fresh random value (base64url of 32 bytes).
pub fn random() -> String {
    let mut bytes = [0_u8; 32];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).unwrap();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the person does on the way.
#[derive(Clone, Debug, Default)]
pub struct Journey {
    /// The upstream to pick on the choice page (`None`: cancel there).
    pub choose: Option<String>,
    /// The mock person to log in as (`None`: cancel at the mock).
    pub person: Option<String>,
}

impl Journey {
    pub fn person(person: &str) -> Self {
        Self {
            choose: None,
            person: Some(person.to_owned()),
        }
    }

    pub fn choosing(mut self, upstream: &str) -> Self {
        self.choose = Some(upstream.to_owned());
        self
    }
}

/// How a login ended at the e-service.
#[derive(Debug)]
pub struct Finished {
    /// The ID token, when a code came back and was redeemed.
    pub id_token: Option<String>,
    /// The nonce sent.
    pub nonce: String,
    /// The error code, when an error came back.
    pub error: Option<String>,
    /// Whether the redirect back carried a `code` (never together with an error).
    pub code_returned: bool,
    /// The choice page, if it was shown.
    pub choice_page: Option<String>,
    /// The upstream login pages (their issuers' hosts) the person went through.
    pub upstream_logins: usize,
}

impl Finished {
    /// The ID token's payload, unverified (for messages).
    pub fn claims(&self) -> Value {
        let token = self
            .id_token
            .as_deref()
            .unwrap_or_else(|| panic!("no ID token: error {:?}", self.error));
        let payload = token.split('.').nth(1).unwrap();
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
    }
}

/// One e-service with one browser.
#[derive(Debug, Clone)]
pub struct Rp {
    pub broker: String,
    pub client_id: String,
    pub http: reqwest::Client,
    clock: Arc<ManualClock>,
}

fn query(url: &Url) -> HashMap<String, String> {
    url.query_pairs().into_owned().collect()
}

/// The query parameters whose values are secrets or one-time values.
const SECRET_PARAMETERS: [&str; 8] = [
    "code",
    "state",
    "nonce",
    "code_challenge",
    "transaction",
    "request_uri",
    "id_token_hint",
    "session_state",
];

fn record_url(url: &Url) {
    for (name, value) in url.query_pairs() {
        if SECRET_PARAMETERS.contains(&name.as_ref()) {
            record_secret(&value);
        }
    }
}

fn record_cookies(response: &reqwest::Response) {
    for value in response.headers().get_all(reqwest::header::SET_COOKIE) {
        let value = value.to_str().unwrap();
        if let Some((_, rest)) = value.split_once('=') {
            record_secret(rest.split(';').next().unwrap_or_default());
        }
    }
}

impl Rp {
    pub fn new(world: &World, client_id: &str) -> Self {
        Self {
            broker: world.broker_url.clone(),
            client_id: client_id.to_owned(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .no_proxy()
                .build()
                .unwrap(),
            clock: world.clock.clone(),
        }
    }

    /// The same browser, another e-service.
    pub fn as_client(&self, client_id: &str) -> Self {
        Self {
            client_id: client_id.to_owned(),
            ..self.clone()
        }
    }

    async fn get(&self, url: &Url) -> reqwest::Response {
        record_url(url);
        let response = self.http.get(url.clone()).send().await.unwrap();
        record_cookies(&response);
        response
    }

    /// Logs in with the extra authorization `params`, doing `journey`.
    pub async fn login(&self, params: &[(&str, &str)], journey: &Journey) -> Finished {
        let verifier = random();
        let challenge = URL_SAFE_NO_PAD.encode(ring::digest::digest(
            &ring::digest::SHA256,
            verifier.as_bytes(),
        ));
        record_secret(&verifier);
        let state = random();
        let nonce = random();
        let mut url = Url::parse(&format!("{}/authorize", self.broker)).unwrap();
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", RP_REDIRECT)
            .append_pair("scope", SCOPES)
            .append_pair("state", &state)
            .append_pair("nonce", &nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        for (name, value) in params {
            url.query_pairs_mut().append_pair(name, value);
        }
        let mut finished = Finished {
            id_token: None,
            nonce,
            error: None,
            code_returned: false,
            choice_page: None,
            upstream_logins: 0,
        };
        let mut response = self.get(&url).await;
        let mut current = url;
        for _ in 0..20 {
            let status = response.status();
            if status == StatusCode::SEE_OTHER || status == StatusCode::FOUND {
                let location = response.headers()["location"].to_str().unwrap().to_owned();
                let next = current.join(&location).unwrap();
                if next.as_str().starts_with(RP_REDIRECT) {
                    record_url(&next);
                    let fields = query(&next);
                    assert_eq!(fields.get("state"), Some(&state), "{next}");
                    assert_eq!(
                        fields.get("iss").map(String::as_str),
                        Some(self.broker.as_str()),
                        "RFC 9207 iss in {next}"
                    );
                    finished.code_returned = fields.contains_key("code");
                    if let Some(error) = fields.get("error") {
                        finished.error = Some(error.clone());
                        return finished;
                    }
                    let code = fields.get("code").unwrap();
                    finished.id_token = Some(self.redeem(code, &verifier).await);
                    return finished;
                }
                current = next;
                response = self.get(&current).await;
                continue;
            }
            let body = response.text().await.unwrap();
            assert_eq!(status, StatusCode::OK, "{current}: {body}");
            let transaction = query(&current)
                .get("transaction")
                .unwrap_or_else(|| panic!("a page without a transaction: {current}: {body}"))
                .clone();
            let (target, form): (Url, Vec<(&str, String)>) = if current.path() == "/choose" {
                finished.choice_page = Some(body);
                let mut form = vec![("transaction", transaction)];
                match &journey.choose {
                    Some(upstream) => form.push(("upstream", upstream.clone())),
                    None => form.push(("cancel", "1".to_owned())),
                }
                (current.join("/choose").unwrap(), form)
            } else {
                finished.upstream_logins += 1;
                let mut form = vec![("transaction", transaction)];
                match &journey.person {
                    Some(person) => form.push(("person", person.clone())),
                    None => form.push(("cancel", "1".to_owned())),
                }
                (current.join("/login").unwrap(), form)
            };
            current = target.clone();
            response = self.http.post(target).form(&form).send().await.unwrap();
            record_cookies(&response);
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
        assert_eq!(status, StatusCode::OK, "{body}");
        for name in ["id_token", "access_token", "refresh_token"] {
            if let Some(token) = body[name].as_str() {
                record_secret(token);
            }
        }
        body["id_token"].as_str().unwrap().to_owned()
    }

    /// Verifies the ID token of `finished` as the e-service would: the broker's published
    /// keys, its issuer, this client, the nonce sent, ES256 only, and `requirement` if any.
    pub async fn verify(
        &self,
        world: &World,
        finished: &Finished,
        requirement: Option<Requirement>,
    ) -> VerifiedIdToken {
        let jwks = world.jwks().await;
        let mut verifier =
            IdTokenVerifier::new(&self.broker, &self.client_id, &jwks, &[JwsAlgorithm::Es256])
                .unwrap()
                .expect_nonce(&finished.nonce);
        if let Some(requirement) = requirement {
            verifier = verifier.require(requirement);
        }
        let token = finished
            .id_token
            .as_deref()
            .unwrap_or_else(|| panic!("no ID token: error {:?}", finished.error));
        verifier
            .verify(token, self.clock.now())
            .unwrap_or_else(|e| panic!("{}: {}", e.reason(), finished.claims()))
    }

    /// RP-initiated logout at the broker with `id_token_hint`, following every redirect by
    /// hand until the e-service's post-logout URI; the URLs visited on the way.
    pub async fn logout(&self, id_token: &str) -> Vec<Url> {
        let discovery: Value = self
            .http
            .get(format!("{}/.well-known/openid-configuration", self.broker))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mut url = Url::parse(discovery["end_session_endpoint"].as_str().unwrap()).unwrap();
        let state = random();
        url.query_pairs_mut()
            .append_pair("id_token_hint", id_token)
            .append_pair("post_logout_redirect_uri", RP_LOGGED_OUT)
            .append_pair("state", &state);
        let mut visited = Vec::new();
        let mut current = url;
        for _ in 0..10 {
            let response = self.get(&current).await;
            visited.push(current.clone());
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{current}");
            let location = response.headers()["location"].to_str().unwrap().to_owned();
            let next = current.join(&location).unwrap();
            if next.as_str().starts_with(RP_LOGGED_OUT) {
                assert_eq!(query(&next).get("state"), Some(&state), "{next}");
                visited.push(next);
                return visited;
            }
            current = next;
        }
        panic!("the logout never came back: {visited:?}");
    }
}
