//! The OpenID conformance suite's OP test plans, as named tests against the mock IdP over real
//! HTTP: Basic OP, Config OP, RP-Initiated Logout OP and the back-channel logout modules.
//!
//! Each test is named after its module (`oidcc-prompt-none-logged-in` →
//! `oidcc_prompt_none_logged_in`) and checks what the module checks (standards.md §9). Every
//! test starts its own mock on 127.0.0.1 port 0 with a manual clock, so that time-dependent
//! modules (`max-age-1`, `codereuse-30seconds`) advance time instead of sleeping.
//!
//! Modules judged not applicable, and why:
//! - `oidcc-scope-address`: `address` is not offered (no Swedish eID delivers it); the test
//!   checks that it is not advertised and that a request naming it still succeeds.
//! - `oidcc-idtoken-unsigned`: `none` is never offered nor used ("correctly refused").
//! - The front-channel logout modules: front-channel logout is not offered (it is not in
//!   `frontchannel_logout_supported`); back-channel logout is.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::missing_panics_doc,
    missing_docs,
    unreachable_pub,
    reason = "tests"
)]

mod basic_op;
mod config_op;
mod jwks_uri;
mod logout_op;
mod rp;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Form, State};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::clock::ManualClock;
use tokio::sync::mpsc;

use rp::{AuthRequest, Rp};

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A running mock, its clock, an RP (a browser) with the conformance client, and the receiver
/// of the clients' back-channel logout requests.
#[expect(missing_debug_implementations, reason = "a test fixture")]
pub struct Fixture {
    pub mock: eid_idp_mock::MockIdp,
    pub clock: Arc<ManualClock>,
    pub rp: Rp,
    pub receiver: BackchannelReceiver,
}

mod fixture_support;

pub use fixture_support::{
    PERSON, fixture, private_key_jwt_client, request_object, secret_post_client,
    verify_logout_token,
};

/// Receives back-channel logout requests on 127.0.0.1 port 0.
#[expect(missing_debug_implementations, reason = "a test fixture")]
pub struct BackchannelReceiver {
    pub uri: String,
    tokens: tokio::sync::Mutex<mpsc::UnboundedReceiver<String>>,
    _server: tokio::task::JoinHandle<()>,
}

#[derive(serde::Deserialize)]
struct LogoutForm {
    logout_token: String,
}

impl BackchannelReceiver {
    pub async fn start() -> Self {
        let (sender, receiver) = mpsc::unbounded_channel();
        let app = axum::Router::new()
            .route(
                "/backchannel",
                axum::routing::post(
                    |State(sender): State<mpsc::UnboundedSender<String>>,
                     Form(form): Form<LogoutForm>| async move {
                        let _ = sender.send(form.logout_token);
                        axum::http::StatusCode::OK
                    },
                ),
            )
            .with_state(sender);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            uri: format!("http://{address}/backchannel"),
            tokens: tokio::sync::Mutex::new(receiver),
            _server: server,
        }
    }

    /// The next logout token received (waits at most 10 s: a bound, not a synchronisation
    /// sleep).
    pub async fn next_token(&self) -> String {
        let mut tokens = self.tokens.lock().await;
        tokio::time::timeout(Duration::from_secs(10), tokens.recv())
            .await
            .expect("a back-channel logout request within 10 s")
            .expect("the receiver is running")
    }
}

/// A request object for `request`, signed with `key`.
pub fn request_object_signed(
    rp: &Rp,
    request: &AuthRequest,
    key: &eid_core::jose::SigningKey,
) -> String {
    key.sign_jwt(&request_claims(rp, request)).unwrap()
}

/// The claims of `request` as a request object body.
pub fn request_claims(
    rp: &Rp,
    request: &AuthRequest,
) -> serde_json::Map<String, serde_json::Value> {
    let mut object = serde_json::Map::new();
    for (name, value) in &request.params {
        object.insert(name.clone(), value.clone().into());
    }
    object.insert("iss".into(), rp.client.client_id.clone().into());
    object.insert("aud".into(), rp.issuer.clone().into());
    let now = rp.now().as_secs();
    object.insert("iat".into(), now.into());
    object.insert("exp".into(), (now + 60).into());
    object
}
