use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use eid_core::clock::UnixTime;
use eid_core::jose::{Jwks, JwsAlgorithm, SigningKey};
use serde_json::{Value, json};

use super::*;
use crate::client::{Client, ClientAuthMethod, RedirectUri, StaticClients};
use crate::store::MemoryStore;

const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);
const ISSUER: &str = "https://op.example";
const TOKEN_ENDPOINT: &str = "https://op.example/token";
const SKEW: Duration = Duration::from_secs(10);
const BASIC_ID: &str = "basic client:1";
const BASIC_SECRET: &str = "p@ss:w%rd+1";

struct Fixture {
    registry: StaticClients,
    keys: ClientKeys,
    replay: MemoryStore,
    key: SigningKey,
    ed_key: SigningKey,
}

fn redirect() -> RedirectUri {
    "https://e-service.example/cb".parse().unwrap()
}

fn fixture() -> Fixture {
    let key = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
    let ed_key = SigningKey::generate(JwsAlgorithm::EdDsa).unwrap();
    let secret = |s: &str| ClientSecret::from_presented(s).unwrap();
    let clients = vec![
        Client::builder(
            BASIC_ID.parse().unwrap(),
            ClientAuthMethod::ClientSecretBasic,
        )
        .secret(&secret(BASIC_SECRET))
        .redirect_uri(redirect())
        .build()
        .unwrap(),
        Client::builder(
            "post-client".parse().unwrap(),
            ClientAuthMethod::ClientSecretPost,
        )
        .secret(&secret("post-secret"))
        .redirect_uri(redirect())
        .build()
        .unwrap(),
        Client::builder(
            "jwt-client".parse().unwrap(),
            ClientAuthMethod::PrivateKeyJwt,
        )
        .jwks(Jwks::new(vec![key.public_jwk()]).unwrap())
        .redirect_uri(redirect())
        .build()
        .unwrap(),
        Client::builder(
            "fapi-client".parse().unwrap(),
            ClientAuthMethod::PrivateKeyJwt,
        )
        .jwks(Jwks::new(vec![ed_key.public_jwk()]).unwrap())
        .assertion_algorithms(vec![JwsAlgorithm::Es256, JwsAlgorithm::Ps256])
        .redirect_uri(redirect())
        .build()
        .unwrap(),
        Client::builder("public-client".parse().unwrap(), ClientAuthMethod::None)
            .redirect_uri(redirect())
            .build()
            .unwrap(),
    ];
    Fixture {
        registry: StaticClients::new(clients).unwrap(),
        keys: ClientKeys::new(None),
        replay: MemoryStore::new(),
        key,
        ed_key,
    }
}

impl Fixture {
    async fn auth(&self, credentials: &ClientCredentials) -> Result<Arc<Client>, ClientAuthError> {
        self.auth_at(credentials, NOW).await
    }

    async fn auth_at(
        &self,
        credentials: &ClientCredentials,
        now: UnixTime,
    ) -> Result<Arc<Client>, ClientAuthError> {
        authenticate_client(
            ClientLookup {
                registry: &self.registry,
                keys: &self.keys,
                replay: &self.replay,
            },
            credentials,
            ISSUER,
            TOKEN_ENDPOINT,
            now,
            SKEW,
        )
        .await
    }
}

fn basic(id: &str, secret: &str) -> ClientCredentials {
    let encode = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                    char::from(b).to_string()
                }
                b' ' => "+".to_owned(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    let raw = format!("{}:{}", encode(id), encode(secret));
    header(&format!("Basic {}", STANDARD.encode(raw)))
}

fn header(value: &str) -> ClientCredentials {
    ClientCredentials {
        authorization_header: Some(value.to_owned()),
        ..ClientCredentials::default()
    }
}

fn post(id: Option<&str>, secret: &str) -> ClientCredentials {
    ClientCredentials {
        client_id: id.map(str::to_owned),
        client_secret: Some(secret.to_owned()),
        ..ClientCredentials::default()
    }
}

fn assertion(token: String) -> ClientCredentials {
    ClientCredentials {
        client_assertion_type: Some(JWT_BEARER_ASSERTION_TYPE.to_owned()),
        client_assertion: Some(token),
        ..ClientCredentials::default()
    }
}

fn claims(client: &str) -> Value {
    json!({
        "iss": client,
        "sub": client,
        "aud": ISSUER,
        "exp": NOW.as_secs() + 60,
        "iat": NOW.as_secs(),
        "jti": format!("jti-{}", rand_suffix()),
    })
}

fn rand_suffix() -> String {
    use ring::rand::SecureRandom as _;
    let mut bytes = [0_u8; 12];
    ring::rand::SystemRandom::new().fill(&mut bytes).unwrap();
    URL_SAFE_NO_PAD.encode(bytes)
}

fn with(mut claims: Value, name: &str, value: Value) -> Value {
    claims[name] = value;
    claims
}

fn without(mut claims: Value, name: &str) -> Value {
    claims.as_object_mut().unwrap().remove(name);
    claims
}

/// A compact JWS with this header and claims and a bogus signature.
fn unsigned(header: &Value, claims: &Value) -> String {
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        URL_SAFE_NO_PAD.encode([0_u8; 64])
    )
}

impl Fixture {
    fn signed(&self, claims: &Value) -> ClientCredentials {
        assertion(self.key.sign_jwt(claims).unwrap())
    }
}

// --- client_secret_basic ---

#[tokio::test]
async fn basic_with_form_urlencoded_id_and_secret_succeeds() {
    let f = fixture();
    let client = f.auth(&basic(BASIC_ID, BASIC_SECRET)).await.unwrap();
    assert_eq!(client.id().as_str(), BASIC_ID);
    // A matching client_id parameter beside the header is fine.
    let mut credentials = basic(BASIC_ID, BASIC_SECRET);
    credentials.client_id = Some(BASIC_ID.to_owned());
    assert!(f.auth(&credentials).await.is_ok());
    // The scheme is case-insensitive (RFC 7235 §2.1).
    let mut credentials = basic(BASIC_ID, BASIC_SECRET);
    credentials.authorization_header = credentials
        .authorization_header
        .map(|h| h.replacen("Basic", "bAsIc", 1));
    assert!(f.auth(&credentials).await.is_ok());
}

#[tokio::test]
async fn basic_failures() {
    let f = fixture();
    let e = f.auth(&basic(BASIC_ID, "wrong")).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::SecretMismatch));
    assert_eq!(e.error_code(), OAuthErrorCode::InvalidClient);
    assert_eq!(e.reason(), "secret_mismatch");

    // Sent without form-urlencoding, the secret decodes differently ("+" is a space, which no
    // secret may contain): it is refused.
    let raw = format!("basic+client%3A1:{BASIC_SECRET}");
    let e = f
        .auth(&header(&format!("Basic {}", STANDARD.encode(raw))))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientAuthError::MalformedSecret));
    let raw = "basic+client%3A1:p%40ss%3Aw%25rd%2B2";
    let e = f
        .auth(&header(&format!("Basic {}", STANDARD.encode(raw))))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientAuthError::SecretMismatch));

    let e = f.auth(&basic("nobody", "x")).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::UnknownClient));

    let e = f
        .auth(&basic("post-client", "post-secret"))
        .await
        .unwrap_err();
    assert!(matches!(
        e,
        ClientAuthError::MethodNotRegistered {
            registered: ClientAuthMethod::ClientSecretPost,
            used: ClientAuthMethod::ClientSecretBasic
        }
    ));

    let mut credentials = basic(BASIC_ID, BASIC_SECRET);
    credentials.client_id = Some("post-client".to_owned());
    let e = f.auth(&credentials).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::ClientIdMismatch));
    assert_eq!(e.error_code(), OAuthErrorCode::InvalidRequest);

    for bad in [
        "Bearer abc",
        "Basic",
        "Basic !!!",
        &format!("Basic {}", STANDARD.encode("no-colon")),
        &format!("Basic {}", STANDARD.encode([0xff, b':', b'x'])),
        &format!("Basic {}", STANDARD.encode("id:%FF")),
        &format!("Basic {}", "A".repeat(4096)),
    ] {
        let e = f.auth(&header(bad)).await.unwrap_err();
        assert!(
            matches!(e, ClientAuthError::MalformedAuthorizationHeader),
            "{bad}: {e:?}"
        );
    }
    let e = f
        .auth(&header(&format!("Basic {}", STANDARD.encode(":x"))))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientAuthError::MalformedClientId));
    let e = f
        .auth(&header(&format!("Basic {}", STANDARD.encode("id:"))))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientAuthError::MalformedSecret));
}

// --- client_secret_post ---

#[tokio::test]
async fn post_succeeds_and_fails_precisely() {
    let f = fixture();
    let client = f
        .auth(&post(Some("post-client"), "post-secret"))
        .await
        .unwrap();
    assert_eq!(client.id().as_str(), "post-client");

    let e = f
        .auth(&post(Some("post-client"), "nope"))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientAuthError::SecretMismatch));
    let e = f.auth(&post(None, "post-secret")).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::MissingClientId));
    let e = f.auth(&post(Some("post-client"), "")).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::MalformedSecret));
    let e = f.auth(&post(Some(""), "post-secret")).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::MalformedClientId));
    let e = f.auth(&post(Some("nobody"), "x")).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::UnknownClient));
    let e = f
        .auth(&post(Some(BASIC_ID), BASIC_SECRET))
        .await
        .unwrap_err();
    assert!(matches!(
        e,
        ClientAuthError::MethodNotRegistered {
            registered: ClientAuthMethod::ClientSecretBasic,
            used: ClientAuthMethod::ClientSecretPost
        }
    ));
}

// --- more than one method, none at all, public clients ---

#[tokio::test]
async fn two_methods_in_one_request_are_refused() {
    let f = fixture();
    let mut credentials = basic(BASIC_ID, BASIC_SECRET);
    credentials.client_secret = Some(BASIC_SECRET.to_owned());
    let e = f.auth(&credentials).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::MultipleMethods));
    assert_eq!(e.error_code(), OAuthErrorCode::InvalidRequest);

    let mut credentials = f.signed(&claims("jwt-client"));
    credentials.client_secret = Some("x".to_owned());
    let e = f.auth(&credentials).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::MultipleMethods));

    let mut credentials = basic(BASIC_ID, BASIC_SECRET);
    credentials.client_assertion_type = Some(JWT_BEARER_ASSERTION_TYPE.to_owned());
    let e = f.auth(&credentials).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::MultipleMethods));
}

#[tokio::test]
async fn public_clients_name_themselves() {
    let f = fixture();
    let mut credentials = ClientCredentials::default();
    let e = f.auth(&credentials).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::NoCredentials));
    assert_eq!(e.error_code(), OAuthErrorCode::InvalidClient);

    credentials.client_id = Some("public-client".to_owned());
    assert!(f.auth(&credentials).await.unwrap().is_public());

    credentials.client_id = Some("jwt-client".to_owned());
    let e = f.auth(&credentials).await.unwrap_err();
    assert!(matches!(
        e,
        ClientAuthError::MethodNotRegistered {
            registered: ClientAuthMethod::PrivateKeyJwt,
            used: ClientAuthMethod::None
        }
    ));
    credentials.client_id = Some("nobody".to_owned());
    let e = f.auth(&credentials).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::UnknownClient));
}

// --- private_key_jwt ---

#[tokio::test]
async fn assertion_to_issuer_or_endpoint_succeeds_once() {
    let f = fixture();
    for aud in [
        json!(ISSUER),
        json!(TOKEN_ENDPOINT),
        json!(["other", ISSUER]),
    ] {
        let credentials = f.signed(&with(claims("jwt-client"), "aud", aud));
        let client = f.auth(&credentials).await.unwrap();
        assert_eq!(client.id().as_str(), "jwt-client");
        let e = f.auth(&credentials).await.unwrap_err();
        assert!(matches!(e, ClientAuthError::AssertionReplayed));
        assert_eq!(e.error_code(), OAuthErrorCode::InvalidClient);
    }
    // With a matching client_id parameter, and with fractional NumericDates.
    let claims = with(
        claims("jwt-client"),
        "exp",
        json!(NOW.as_secs() as f64 + 30.5),
    );
    let mut credentials = f.signed(&claims);
    credentials.client_id = Some("jwt-client".to_owned());
    assert!(f.auth(&credentials).await.is_ok());
}

#[tokio::test]
async fn a_replayed_jti_is_refused_until_the_assertion_expires() {
    let f = fixture();
    let claims = with(claims("jwt-client"), "jti", json!("fixed"));
    assert!(f.auth(&f.signed(&claims)).await.is_ok());
    // A fresh signature over the same jti is still a replay.
    let e = f.auth(&f.signed(&claims)).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::AssertionReplayed));
    // The same jti from another client is not (the cache key includes the client).
    let other = with(
        with(
            with(claims.clone(), "iss", json!("fapi-client")),
            "sub",
            json!("fapi-client"),
        ),
        "jti",
        json!("fixed"),
    );
    let token = f.ed_key.sign_jwt(&other).unwrap();
    let e = f.auth(&assertion(token)).await.unwrap_err();
    // fapi-client does not allow EdDSA: refused for that, not as a replay.
    assert!(matches!(
        e,
        ClientAuthError::AssertionAlgorithmNotAllowed {
            algorithm: Some(JwsAlgorithm::EdDsa)
        }
    ));
}

#[tokio::test]
async fn assertion_time_checks() {
    let f = fixture();
    let secs = NOW.as_secs();
    let e = f
        .auth(&f.signed(&with(claims("jwt-client"), "exp", json!(secs - 11))))
        .await
        .unwrap_err();
    assert!(
        matches!(e, ClientAuthError::AssertionExpired { exp, now } if exp.as_secs() == secs - 11 && now == NOW)
    );
    // Within the skew it is still accepted.
    assert!(
        f.auth(&f.signed(&with(claims("jwt-client"), "exp", json!(secs - 9))))
            .await
            .is_ok()
    );
    let e = f
        .auth(&f.signed(&with(claims("jwt-client"), "exp", json!(secs + 3600))))
        .await
        .unwrap_err();
    assert!(
        matches!(e, ClientAuthError::AssertionExpiryTooFar { latest, .. } if latest.as_secs() == secs + 610)
    );
    let e = f
        .auth(&f.signed(&without(claims("jwt-client"), "exp")))
        .await
        .unwrap_err();
    assert!(matches!(
        e,
        ClientAuthError::AssertionMissingClaim { claim: "exp" }
    ));
    // FAPI 2.0: nbf/iat 8 s ahead accepted, 61 s ahead refused.
    for name in ["nbf", "iat"] {
        assert!(
            f.auth(&f.signed(&with(claims("jwt-client"), name, json!(secs + 8))))
                .await
                .is_ok()
        );
    }
    let e = f
        .auth(&f.signed(&with(claims("jwt-client"), "nbf", json!(secs + 61))))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientAuthError::AssertionNotYetValid { .. }));
    let e = f
        .auth(&f.signed(&with(claims("jwt-client"), "iat", json!(secs + 61))))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientAuthError::AssertionIssuedInFuture { .. }));
    let e = f
        .auth(&f.signed(&with(claims("jwt-client"), "exp", json!(-1))))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientAuthError::AssertionMalformed));
    let e = f
        .auth(&f.signed(&with(claims("jwt-client"), "exp", json!("soon"))))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientAuthError::AssertionMalformed));
}

#[tokio::test]
async fn assertion_identity_and_audience_checks() {
    let f = fixture();
    let e = f
        .auth(&f.signed(&with(
            claims("jwt-client"),
            "aud",
            json!("https://other.example"),
        )))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientAuthError::AssertionAudience));
    let e = f
        .auth(&f.signed(&with(claims("jwt-client"), "aud", json!([]))))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientAuthError::AssertionAudience));
    let e = f
        .auth(&f.signed(&without(claims("jwt-client"), "aud")))
        .await
        .unwrap_err();
    assert!(matches!(
        e,
        ClientAuthError::AssertionMissingClaim { claim: "aud" }
    ));
    let e = f
        .auth(&f.signed(&with(claims("jwt-client"), "sub", json!("someone-else"))))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientAuthError::AssertionIssuerSubject));
    let e = f
        .auth(&f.signed(&without(claims("jwt-client"), "sub")))
        .await
        .unwrap_err();
    assert!(matches!(
        e,
        ClientAuthError::AssertionMissingClaim { claim: "sub" }
    ));
    let e = f
        .auth(&f.signed(&without(claims("jwt-client"), "iss")))
        .await
        .unwrap_err();
    assert!(matches!(
        e,
        ClientAuthError::AssertionMissingClaim { claim: "iss" }
    ));
    let e = f
        .auth(&f.signed(&without(claims("jwt-client"), "jti")))
        .await
        .unwrap_err();
    assert!(matches!(
        e,
        ClientAuthError::AssertionMissingClaim { claim: "jti" }
    ));
    let e = f
        .auth(&f.signed(&with(claims("jwt-client"), "jti", json!(""))))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientAuthError::AssertionMalformed));
    let e = f.auth(&f.signed(&claims("nobody"))).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::UnknownClient));
    let e = f.auth(&f.signed(&claims("post-client"))).await.unwrap_err();
    assert!(matches!(
        e,
        ClientAuthError::MethodNotRegistered {
            registered: ClientAuthMethod::ClientSecretPost,
            used: ClientAuthMethod::PrivateKeyJwt
        }
    ));
    let mut credentials = f.signed(&claims("jwt-client"));
    credentials.client_id = Some("public-client".to_owned());
    let e = f.auth(&credentials).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::ClientIdMismatch));
}

#[tokio::test]
async fn assertion_signature_key_and_algorithm_checks() {
    let f = fixture();
    // Signed by a key the client never registered: its kid is unknown.
    let stranger = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
    let token = stranger.sign_jwt(&claims("jwt-client")).unwrap();
    let e = f.auth(&assertion(token)).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::AssertionKeyNotFound));

    // The right kid but a tampered payload.
    let token = f.key.sign_jwt(&claims("jwt-client")).unwrap();
    let mut parts: Vec<&str> = token.split('.').collect();
    let forged = URL_SAFE_NO_PAD.encode(claims("jwt-client").to_string());
    parts[1] = &forged;
    let e = f.auth(&assertion(parts.join("."))).await.unwrap_err();
    assert!(matches!(
        e,
        ClientAuthError::AssertionSignature(eid_core::jose::JoseError::SignatureInvalid)
    ));

    // No kid: every key for the algorithm is tried.
    let header = json!({ "alg": "ES256", "typ": "JWT" });
    let e = f
        .auth(&assertion(unsigned(&header, &claims("jwt-client"))))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientAuthError::AssertionSignature(_)));
    // An algorithm the key does not support.
    let header = json!({ "alg": "PS256", "kid": f.key.kid() });
    let e = f
        .auth(&assertion(unsigned(&header, &claims("jwt-client"))))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientAuthError::AssertionKeyNotFound));

    for alg in ["none", "HS256", "RS512", "ES512"] {
        let header = json!({ "alg": alg, "kid": f.key.kid() });
        let e = f
            .auth(&assertion(unsigned(&header, &claims("jwt-client"))))
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                ClientAuthError::AssertionAlgorithmNotAllowed { algorithm: None }
            ),
            "{alg}: {e:?}"
        );
    }
    // ES384 is a JWS algorithm we know but not one for client assertions.
    let header = json!({ "alg": "ES384", "kid": f.key.kid() });
    let e = f
        .auth(&assertion(unsigned(&header, &claims("jwt-client"))))
        .await
        .unwrap_err();
    assert!(matches!(
        e,
        ClientAuthError::AssertionAlgorithmNotAllowed {
            algorithm: Some(JwsAlgorithm::Es384)
        }
    ));
    // A critical extension we do not understand.
    let header = json!({ "alg": "ES256", "kid": f.key.kid(), "crit": ["exp"] });
    let e = f
        .auth(&assertion(unsigned(&header, &claims("jwt-client"))))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientAuthError::AssertionMalformed));
}

#[tokio::test]
async fn malformed_assertions_and_types() {
    let f = fixture();
    for bad in [
        "",
        "a.b",
        "a.b.c.d",
        "!!.e30.AA",
        "e30.e30.AA",
        "e30.bm90IGpzb24.AA",
    ] {
        let e = f.auth(&assertion(bad.to_owned())).await.unwrap_err();
        assert!(
            matches!(e, ClientAuthError::AssertionMalformed),
            "{bad}: {e:?}"
        );
    }
    let e = f
        .auth(&assertion("a".repeat(MAX_ASSERTION_LEN + 1)))
        .await
        .unwrap_err();
    assert!(matches!(
        e,
        ClientAuthError::AssertionTooLarge {
            len: 8193,
            max: 8192
        }
    ));

    let mut credentials = f.signed(&claims("jwt-client"));
    credentials.client_assertion_type =
        Some("urn:ietf:params:oauth:client-assertion-type:saml2-bearer".to_owned());
    let e = f.auth(&credentials).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::UnsupportedAssertionType));
    assert_eq!(e.error_code(), OAuthErrorCode::InvalidClient);
    credentials.client_assertion_type = None;
    let e = f.auth(&credentials).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::UnsupportedAssertionType));
    let credentials = ClientCredentials {
        client_assertion_type: Some(JWT_BEARER_ASSERTION_TYPE.to_owned()),
        ..ClientCredentials::default()
    };
    let e = f.auth(&credentials).await.unwrap_err();
    assert!(matches!(e, ClientAuthError::UnsupportedAssertionType));
}

#[tokio::test]
async fn a_failing_replay_cache_refuses_the_assertion() {
    let f = fixture();
    let full = MemoryStore::with_capacity(0);
    let credentials = f.signed(&claims("jwt-client"));
    let e = authenticate_client(
        ClientLookup {
            registry: &f.registry,
            keys: &f.keys,
            replay: &full,
        },
        &credentials,
        ISSUER,
        TOKEN_ENDPOINT,
        NOW,
        SKEW,
    )
    .await
    .unwrap_err();
    assert!(matches!(e, ClientAuthError::Store(_)));
    assert_eq!(e.error_code(), OAuthErrorCode::ServerError);
    assert_eq!(e.reason(), "store");
}

#[test]
fn credentials_debug_hides_secrets() {
    let mut credentials = basic(BASIC_ID, BASIC_SECRET);
    credentials.client_assertion = Some("eyJhbGciOi".to_owned());
    let debug = format!("{credentials:?}");
    assert!(!debug.contains("Basic "), "{debug}");
    assert!(!debug.contains("eyJ"), "{debug}");
    assert!(debug.contains("[redacted]"), "{debug}");
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_credentials_never_panic_nor_authenticate(
            header in proptest::option::of("(Basic )?[A-Za-z0-9+/=:%]{0,80}"),
            id in proptest::option::of("[\\x20-\\x7e]{0,20}"),
            secret in proptest::option::of("\\PC{0,20}"),
            token in proptest::option::of("[A-Za-z0-9_.-]{0,200}"),
        ) {
            let f = fixture();
            let credentials = ClientCredentials {
                authorization_header: header,
                client_id: id,
                client_secret: secret,
                client_assertion_type: token.as_ref().map(|_| JWT_BEARER_ASSERTION_TYPE.to_owned()),
                client_assertion: token,
            };
            let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
            let outcome = runtime.block_on(f.auth(&credentials));
            // Nothing random names a registered client with its credentials, except by chance a
            // public client's id.
            if let Ok(client) = outcome {
                prop_assert!(client.is_public());
            }
        }
    }
}
