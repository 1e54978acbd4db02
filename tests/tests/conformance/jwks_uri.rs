//! Beyond the plans: a `private_key_jwt` client whose keys are registered by reference
//! (`jwks_uri`), served by the client on 127.0.0.1 and fetched by the provider — for client
//! assertions and signed request objects, across a key rotation at the client.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use eid_core::clock::{ManualClock, UnixTime};
use eid_core::jose::{Jwks, JwsAlgorithm, SigningKey};
use eid_idp_mock::profile::Profile;
use eid_idp_mock::{MockConfig, MockIdp};
use eid_provider::client::{Client, ClientAuthMethod};
use reqwest::StatusCode;

use crate::PERSON;
use crate::rp::{ClientAuth, ClientProfile, Rp};

/// The client's own JWKS endpoint, serving whatever keys the test puts there.
struct ClientJwks {
    uri: String,
    keys: Arc<Mutex<Vec<u8>>>,
    _server: tokio::task::JoinHandle<()>,
}

impl ClientJwks {
    async fn start() -> Self {
        let keys = Arc::new(Mutex::new(Vec::new()));
        let app = axum::Router::new()
            .route(
                "/jwks",
                axum::routing::get(|State(keys): State<Arc<Mutex<Vec<u8>>>>| async move {
                    keys.lock().unwrap().clone()
                }),
            )
            .with_state(Arc::clone(&keys));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            uri: format!("http://{address}/jwks"),
            keys,
            _server: server,
        }
    }

    fn publish(&self, key: &SigningKey) {
        let jwks = Jwks::new(vec![key.public_jwk()]).unwrap();
        *self.keys.lock().unwrap() = serde_json::to_vec(&jwks).unwrap();
    }
}

#[tokio::test]
async fn private_key_jwt_with_keys_fetched_from_the_clients_jwks_uri() {
    let served = ClientJwks::start().await;
    let first = Arc::new(SigningKey::generate(JwsAlgorithm::Es256).unwrap());
    served.publish(&first);
    let clock = Arc::new(ManualClock::new(UnixTime::from_secs(1_795_000_000)));
    let client = Client::builder(
        "by-reference".parse().unwrap(),
        ClientAuthMethod::PrivateKeyJwt,
    )
    .jwks_uri(served.uri.parse().unwrap())
    .redirect_uri("https://rp.example/callback".parse().unwrap())
    .scope("openid")
    .scope("profile")
    .id_token_signed_response_alg(JwsAlgorithm::Es256)
    .build()
    .unwrap();
    let mock = MockIdp::start(
        MockConfig::default()
            .with_profile(Profile::Generic)
            .with_clock(clock.clone())
            .with_client(client),
    )
    .await
    .unwrap();
    let profile = |key: &Arc<SigningKey>| ClientProfile {
        client_id: "by-reference".into(),
        auth: ClientAuth::PrivateKeyJwt(Arc::clone(key)),
        redirect_uri: "https://rp.example/callback".into(),
        post_logout_redirect_uri: None,
    };
    let rp = Rp::new(mock.issuer().as_str(), profile(&first), clock.clone()).await;

    // A client assertion, and a signed request object, verified with the fetched key.
    let request = rp.request();
    let signed = crate::request_object_signed(&rp, &request, &first);
    let tokens = rp
        .sign_in(&request.clone().set("request", &signed), PERSON)
        .await;
    assert!(!tokens.verified.subject().is_empty());

    // The client rotates its key. Within the refresh interval the new kid is not fetched yet;
    // after it, one fetch finds it.
    let second = Arc::new(SigningKey::generate(JwsAlgorithm::Es256).unwrap());
    served.publish(&second);
    let rotated = rp.with_client(profile(&second));
    let request = rotated.request().set("prompt", "login");
    let transaction = rotated.authorize(&request).await.transaction();
    let params = rotated.login(&transaction, PERSON).await.callback();
    let refused = rotated.redeem(&params["code"], &request).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    assert_eq!(refused.json()["error"], "invalid_client");

    clock.advance(Duration::from_secs(10));
    let tokens = rotated
        .sign_in(&rotated.request().set("prompt", "login"), PERSON)
        .await;
    assert!(!tokens.verified.subject().is_empty());

    // A key the client never published is refused.
    let stranger = Arc::new(SigningKey::generate(JwsAlgorithm::Es256).unwrap());
    let forged = rp.with_client(profile(&stranger));
    clock.advance(Duration::from_secs(10));
    let request = forged.request().set("prompt", "login");
    let transaction = forged.authorize(&request).await.transaction();
    let params = forged.login(&transaction, PERSON).await.callback();
    let refused = forged.redeem(&params["code"], &request).await;
    assert_eq!(refused.json()["error"], "invalid_client");
}
