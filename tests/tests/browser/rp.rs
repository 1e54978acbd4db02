//! A tiny relying party for the browser to start at and come back to, on 127.0.0.1: `/start`
//! sends the browser to the provider's authorization endpoint (code flow, PKCE S256, state,
//! nonce, the `ui_locales` and `response_mode` it was given); `/callback` (GET, or POST for
//! form_post) checks `state` and `iss`, redeems the code at the token endpoint with the
//! verifier, and shows the ID token's `sub` and `acr`, or the error it got, on a small page in
//! the language the login was started in.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_provider::client::{Client, ClientAuthMethod};
use ring::rand::{SecureRandom, SystemRandom};
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The public client the relying party is, as registered at the provider.
pub(crate) const CLIENT_ID: &str = "browser-rp";

/// A relying party's listener, bound before the provider starts (the provider must know the
/// redirect URI, which holds the port).
pub(crate) struct Bound {
    listener: TcpListener,
    address: SocketAddr,
}

impl Bound {
    /// Binds 127.0.0.1 on a free port.
    pub(crate) async fn bind() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        Self { listener, address }
    }

    /// `http://127.0.0.1:PORT`.
    pub(crate) fn base(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The redirect URI.
    pub(crate) fn redirect_uri(&self) -> String {
        format!("{}/callback", self.base())
    }

    /// The client to register at the provider: public (PKCE only), this redirect URI.
    pub(crate) fn client(&self) -> Client {
        let mut builder = Client::builder(CLIENT_ID.parse().unwrap(), ClientAuthMethod::None)
            .redirect_uri(self.redirect_uri().parse().unwrap())
            .post_logout_redirect_uri(format!("{}/", self.base()).parse().unwrap());
        for scope in eid_core::claims::Scope::ALL {
            builder = builder.scope(scope.as_str());
        }
        builder.build().unwrap()
    }

    /// Serves the relying party against the provider whose discovery `metadata` is given.
    pub(crate) fn serve(self, metadata: &Value) -> Rp {
        let base = self.base();
        let state = Arc::new(RpState {
            redirect_uri: self.redirect_uri(),
            issuer: metadata["issuer"].as_str().unwrap().to_owned(),
            authorization_endpoint: metadata["authorization_endpoint"]
                .as_str()
                .unwrap()
                .to_owned(),
            token_endpoint: metadata["token_endpoint"].as_str().unwrap().to_owned(),
            pending: Mutex::new(HashMap::new()),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        });
        let app = Router::new()
            .route("/start", get(start))
            .route("/callback", get(callback_query).post(callback_form))
            .with_state(state);
        let task = tokio::spawn(async move {
            axum::serve(self.listener, app).await.unwrap();
        });
        Rp { base, task }
    }
}

/// The running relying party; stopped on drop.
pub(crate) struct Rp {
    base: String,
    task: JoinHandle<()>,
}

impl Rp {
    /// The URL that starts a login: `/start?ui_locales=…[&response_mode=…]`.
    pub(crate) fn start_url(&self, ui_locales: &str, response_mode: Option<&str>) -> String {
        let mut url = format!("{}/start?ui_locales={ui_locales}", self.base);
        if let Some(mode) = response_mode {
            url.push_str("&response_mode=");
            url.push_str(mode);
        }
        url
    }

    /// The redirect URI.
    pub(crate) fn callback(&self) -> String {
        format!("{}/callback", self.base)
    }
}

impl Drop for Rp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Pending {
    verifier: String,
    nonce: String,
    lang: Lang,
}

struct RpState {
    redirect_uri: String,
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    pending: Mutex<HashMap<String, Pending>>,
    http: reqwest::Client,
}

#[derive(Clone, Copy)]
enum Lang {
    Sv,
    En,
}

fn random() -> String {
    let mut bytes = [0_u8; 32];
    SystemRandom::new().fill(&mut bytes).unwrap();
    URL_SAFE_NO_PAD.encode(bytes)
}

async fn start(
    State(rp): State<Arc<RpState>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let ui_locales = query.get("ui_locales").cloned().unwrap_or_default();
    let lang = if ui_locales.starts_with("en") {
        Lang::En
    } else {
        Lang::Sv
    };
    let (state, nonce, verifier) = (random(), random(), random());
    let challenge = URL_SAFE_NO_PAD.encode(ring::digest::digest(
        &ring::digest::SHA256,
        verifier.as_bytes(),
    ));
    let mut url = url::Url::parse(&rp.authorization_endpoint).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", CLIENT_ID)
        .append_pair("redirect_uri", &rp.redirect_uri)
        .append_pair("scope", "openid profile")
        .append_pair("state", &state)
        .append_pair("nonce", &nonce)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256")
        .append_pair("ui_locales", &ui_locales);
    if let Some(mode) = query.get("response_mode") {
        url.query_pairs_mut().append_pair("response_mode", mode);
    }
    rp.pending.lock().unwrap().insert(
        state,
        Pending {
            verifier,
            nonce,
            lang,
        },
    );
    (StatusCode::SEE_OTHER, [(header::LOCATION, url.to_string())]).into_response()
}

async fn callback_query(
    State(rp): State<Arc<RpState>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    callback(&rp, params).await
}

async fn callback_form(
    State(rp): State<Arc<RpState>>,
    Form(params): Form<HashMap<String, String>>,
) -> Response {
    callback(&rp, params).await
}

async fn callback(rp: &RpState, params: HashMap<String, String>) -> Response {
    let pending = params
        .get("state")
        .and_then(|state| rp.pending.lock().unwrap().remove(state));
    let Some(pending) = pending else {
        return page(StatusCode::BAD_REQUEST, Lang::En, "Unknown state", "");
    };
    let lang = pending.lang;
    if params.get("iss") != Some(&rp.issuer) {
        return page(StatusCode::BAD_REQUEST, lang, "Wrong iss", "");
    }
    if let Some(error) = params.get("error") {
        let (title, label) = match lang {
            Lang::Sv => ("Inloggningen avbröts", "Felkod"),
            Lang::En => ("The login was cancelled", "Error code"),
        };
        let body = format!("<p>{label}: <code>{}</code></p>", escape(error));
        return page(StatusCode::OK, lang, title, &body);
    }
    let Some(code) = params.get("code") else {
        return page(StatusCode::BAD_REQUEST, lang, "No code", "");
    };
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", rp.redirect_uri.as_str()),
        ("client_id", CLIENT_ID),
        ("code_verifier", pending.verifier.as_str()),
    ];
    let response = rp
        .http
        .post(&rp.token_endpoint)
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let tokens: Value = response.json().await.unwrap();
    let Some(id_token) = tokens["id_token"].as_str() else {
        let body = format!("<p><code>{}</code></p>", escape(&tokens.to_string()));
        return page(
            StatusCode::BAD_GATEWAY,
            lang,
            &format!("Token {status}"),
            &body,
        );
    };
    // The ID token's signature is checked by the interop and conformance tests; this page
    // only shows what the browser flow delivered.
    let payload = id_token.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    if claims["nonce"].as_str() != Some(pending.nonce.as_str()) {
        return page(StatusCode::BAD_REQUEST, lang, "Wrong nonce", "");
    }
    let title = match lang {
        Lang::Sv => "Inloggad",
        Lang::En => "Logged in",
    };
    let body = format!(
        "<dl>\n<dt>sub</dt><dd><code>{}</code></dd>\n<dt>acr</dt><dd><code>{}</code></dd>\n</dl>",
        escape(claims["sub"].as_str().unwrap_or_default()),
        escape(claims["acr"].as_str().unwrap_or_default()),
    );
    page(StatusCode::OK, lang, title, &body)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(status: StatusCode, lang: Lang, title: &str, body: &str) -> Response {
    let lang = match lang {
        Lang::Sv => "sv",
        Lang::En => "en",
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title} – test e-service</title>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n\
         {body}\n</main>\n</body>\n</html>\n",
        title = escape(title),
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}
