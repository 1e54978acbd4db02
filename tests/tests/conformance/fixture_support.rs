//! The mock as the conformance suite's OP under test: its clients, persons and clock.

use std::sync::{Arc, OnceLock};

use eid_core::claims::Scope;
use eid_core::clock::{ManualClock, UnixTime};
use eid_core::jose::{Jwks, JwsAlgorithm, SigningKey};
use eid_idp_mock::profile::Profile;
use eid_idp_mock::{MockConfig, MockIdp};
use eid_provider::client::{Client, ClientAuthMethod, ClientId, GrantType};
use eid_provider::secret::ClientSecret;

use crate::rp::{AuthRequest, ClientAuth, ClientProfile, Rp};
use crate::{BackchannelReceiver, Fixture};

/// A built-in adult test person of the mock (a Tax Agency test personnummer).
pub const PERSON: &str = "astrid";

/// 2026-11-18T00:53:20Z: the mock's clock starts here and only moves when a test advances it.
const START: u64 = 1_795_000_000;

const SECRET: &str = "conformance-client-secret-for-tests-only";
const REDIRECT_URI: &str = "https://rp.example/callback";
const POST_LOGOUT_URI: &str = "https://rp.example/logged-out";

/// The private key of the `private_key_jwt` client (and of its request objects).
fn client_key() -> Arc<SigningKey> {
    static KEY: OnceLock<Arc<SigningKey>> = OnceLock::new();
    Arc::clone(KEY.get_or_init(|| Arc::new(SigningKey::generate(JwsAlgorithm::Es256).unwrap())))
}

fn client(id: &str, method: ClientAuthMethod, backchannel: &str) -> Client {
    let mut builder = Client::builder(id.parse::<ClientId>().unwrap(), method)
        .redirect_uri(REDIRECT_URI.parse().unwrap())
        .post_logout_redirect_uri(POST_LOGOUT_URI.parse().unwrap())
        .backchannel_logout_uri(backchannel.parse().unwrap())
        .grant_type(GrantType::AuthorizationCode)
        .grant_type(GrantType::RefreshToken)
        .id_token_signed_response_alg(JwsAlgorithm::Rs256);
    for scope in Scope::ALL {
        builder = builder.scope(scope.as_str());
    }
    match method {
        ClientAuthMethod::ClientSecretBasic | ClientAuthMethod::ClientSecretPost => {
            builder = builder.secret(&ClientSecret::from_presented(SECRET).unwrap());
        }
        ClientAuthMethod::PrivateKeyJwt => {
            let jwks = Jwks::new(vec![client_key().public_jwk()]).unwrap();
            builder = builder
                .jwks(jwks)
                .assertion_algorithms(vec![JwsAlgorithm::Es256]);
        }
        _ => {}
    }
    builder.build().unwrap()
}

fn profile(id: &str, auth: ClientAuth) -> ClientProfile {
    ClientProfile {
        client_id: id.to_owned(),
        auth,
        redirect_uri: REDIRECT_URI.to_owned(),
        post_logout_redirect_uri: Some(POST_LOGOUT_URI.to_owned()),
    }
}

/// A mock with the conformance clients (`client_secret_basic`, `client_secret_post`,
/// `private_key_jwt`; RS256 ID tokens; refresh tokens; a back-channel logout URI at a receiver
/// of this test), a manual clock, and an RP for the `client_secret_basic` client.
pub async fn fixture() -> Fixture {
    let receiver = BackchannelReceiver::start().await;
    let clock = Arc::new(ManualClock::new(UnixTime::from_secs(START)));
    // The generic profile delivers the standard claims the Basic OP plan's scope modules
    // look for (email, phone); the eID profiles deliver what their eIDs do.
    let config = MockConfig::default()
        .with_profile(Profile::Generic)
        .with_clock(clock.clone())
        .with_client(client(
            "conformance-basic",
            ClientAuthMethod::ClientSecretBasic,
            &receiver.uri,
        ))
        .with_client(client(
            "conformance-post",
            ClientAuthMethod::ClientSecretPost,
            &receiver.uri,
        ))
        .with_client(client(
            "conformance-jwt",
            ClientAuthMethod::PrivateKeyJwt,
            &receiver.uri,
        ));
    let mock = MockIdp::start(config).await.unwrap();
    let issuer = mock.issuer().as_str().to_owned();
    let rp = Rp::new(
        &issuer,
        profile("conformance-basic", ClientAuth::Basic(SECRET.to_owned())),
        clock.clone(),
    )
    .await;
    Fixture {
        mock,
        clock,
        rp,
        receiver,
    }
}

/// The `client_secret_post` client.
pub fn secret_post_client() -> ClientProfile {
    profile("conformance-post", ClientAuth::Post(SECRET.to_owned()))
}

/// The `private_key_jwt` client.
pub fn private_key_jwt_client() -> ClientProfile {
    profile("conformance-jwt", ClientAuth::PrivateKeyJwt(client_key()))
}

/// A request object for `request`, signed with the `private_key_jwt` client's key.
pub fn request_object(rp: &Rp, request: &AuthRequest) -> String {
    let claims = crate::request_claims(rp, request);
    client_key().sign_jwt(&claims).unwrap()
}

/// Verifies a logout token's signature with the provider's published keys, as an RP must.
pub async fn verify_logout_token(rp: &Rp, token: &str) {
    let header = crate::rp::jwt_header(token);
    let kid = header["kid"].as_str().unwrap();
    let alg = header["alg"].as_str().unwrap();
    let algorithm = match alg {
        "RS256" => JwsAlgorithm::Rs256,
        "ES256" => JwsAlgorithm::Es256,
        other => panic!("unexpected logout token alg {other}"),
    };
    let jwks = rp.jwks().await;
    let key = jwks.find(kid).unwrap().verifying_key(algorithm).unwrap();
    let (signed, signature) = token.rsplit_once('.').unwrap();
    let signature =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, signature)
            .unwrap();
    key.verify(signed.as_bytes(), &signature).unwrap();
}
