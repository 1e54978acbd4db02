//! Client authentication at the token, PAR, introspection and revocation endpoints.
//!
//! [`authenticate_client`] takes what the request carried ([`ClientCredentials`]), finds the
//! client, and checks it by exactly one method, the one the client registered:
//!
//! - `client_secret_basic` (RFC 6749 §2.3.1): `Authorization: Basic` with the id and secret each
//!   `application/x-www-form-urlencoded` before base64, decoded here;
//! - `client_secret_post`: `client_id` and `client_secret` in the form;
//! - `private_key_jwt` (RFC 7523 §3, OIDC Core §9): a JWT signed with one of the client's
//!   registered keys, by an algorithm of [`ASSERTION_ALGORITHMS`] the client allows, with
//!   `iss` = `sub` = the client id, `aud` the issuer or the endpoint's URL, `exp` required and no
//!   more than [`MAX_ASSERTION_LIFETIME`] ahead, `nbf`/`iat` no later than `now` plus the allowed
//!   skew (FAPI 2.0: accept 10 s, reject 60 s), and a `jti` that is recorded in the
//!   [`ReplayCache`] until the assertion expires, so it is accepted once;
//! - `none`: a public client names itself with `client_id`.
//!
//! Secrets are compared by their SHA-256 digests in constant time. Signatures are checked by
//! `eid_core::jose` (ring): there is no second JWT stack.
//!
//! A request that uses two methods is refused (`invalid_request`, RFC 6749 §2.3). Every failure is
//! a [`ClientAuthError`] variant; [`ClientAuthError::error_code`] is the one mapping to the wire.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//!
//! use eid_core::clock::UnixTime;
//! use eid_core::jose::{JwsAlgorithm, Jwks, SigningKey};
//! use eid_provider::client::{
//!     Client, ClientAuthMethod, ClientCredentials, ClientId, JWT_BEARER_ASSERTION_TYPE,
//!     ClientLookup, StaticClients, authenticate_client,
//! };
//! use eid_provider::client::keys::ClientKeys;
//! use eid_provider::store::MemoryStore;
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let key = SigningKey::generate(JwsAlgorithm::Es256)?;
//! let client = Client::builder("e-service".parse::<ClientId>()?, ClientAuthMethod::PrivateKeyJwt)
//!     .jwks(Jwks::new(vec![key.public_jwk()])?)
//!     .redirect_uri("https://e-service.example/cb".parse()?)
//!     .build()?;
//! let registry = StaticClients::new(vec![client])?;
//! let replay = MemoryStore::new();
//! let keys = ClientKeys::new(None);
//! let lookup = ClientLookup { registry: &registry, keys: &keys, replay: &replay };
//! let now = UnixTime::from_secs(1_700_000_000);
//!
//! let assertion = key.sign_jwt(&serde_json::json!({
//!     "iss": "e-service", "sub": "e-service", "aud": "https://op.example",
//!     "exp": now.as_secs() + 60, "iat": now.as_secs(), "jti": "a-unique-id",
//! }))?;
//! let mut credentials = ClientCredentials::default();
//! credentials.client_assertion_type = Some(JWT_BEARER_ASSERTION_TYPE.to_owned());
//! credentials.client_assertion = Some(assertion);
//!
//! let (issuer, endpoint) = ("https://op.example", "https://op.example/token");
//! let skew = Duration::from_secs(10);
//! let client = authenticate_client(lookup, &credentials, issuer, endpoint, now, skew).await?;
//! assert_eq!(client.id().as_str(), "e-service");
//!
//! // The same assertion again is a replay.
//! let again = authenticate_client(lookup, &credentials, issuer, endpoint, now, skew).await;
//! assert_eq!(again.map(|_| ()).map_err(|e| e.reason()), Err("assertion_replayed"));
//! # Ok(())
//! # }
//! # let runtime = tokio::runtime::Builder::new_current_thread().build()?;
//! # runtime.block_on(demo()).map_err(|e| e.to_string())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use eid_core::clock::UnixTime;
use eid_core::jose::{JoseError, JwsAlgorithm};
use serde::Deserialize;

use super::keys::{ClientKeyError, ClientKeys};
use super::{Client, ClientAuthMethod, ClientId, ClientRegistry};
use crate::OAuthErrorCode;
use crate::secret::ClientSecret;
use crate::store::{ReplayCache, StoreError};

/// The `client_assertion_type` of a JWT client assertion (RFC 7523 §2.2).
pub const JWT_BEARER_ASSERTION_TYPE: &str =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The algorithms a client assertion may use at all; a client may allow fewer
/// ([`super::ClientBuilder::assertion_algorithms`]). RS256 is there for OIDC Sweden; a FAPI 2.0
/// client allows PS256, ES256 and EdDSA only.
pub const ASSERTION_ALGORITHMS: [JwsAlgorithm; 4] = [
    JwsAlgorithm::Rs256,
    JwsAlgorithm::Es256,
    JwsAlgorithm::Ps256,
    JwsAlgorithm::EdDsa,
];

/// The longest client assertion accepted, in bytes.
pub const MAX_ASSERTION_LEN: usize = 8 * 1024;

/// How far in the future an assertion's `exp` may be: an assertion is for one request, not a
/// long-lived credential.
pub const MAX_ASSERTION_LIFETIME: Duration = Duration::from_secs(600);

/// The longest `Authorization` header accepted, in bytes.
const MAX_AUTHORIZATION_HEADER_LEN: usize = 2048;

/// The longest `jti` accepted, in bytes.
const MAX_JTI_LEN: usize = 256;

/// What a request carried for client authentication: the `Authorization` header and the form
/// parameters of RFC 6749 §2.3.1 and RFC 7523 §2.2. The HTTP layer fills it in.
#[non_exhaustive]
#[derive(Clone, Default)]
pub struct ClientCredentials {
    /// The `Authorization` header, if any.
    pub authorization_header: Option<String>,
    /// The `client_id` form parameter.
    pub client_id: Option<String>,
    /// The `client_secret` form parameter.
    pub client_secret: Option<String>,
    /// The `client_assertion_type` form parameter.
    pub client_assertion_type: Option<String>,
    /// The `client_assertion` form parameter.
    pub client_assertion: Option<String>,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let present = |value: &Option<String>| value.as_ref().map(|_| "[redacted]");
        f.debug_struct("ClientCredentials")
            .field("authorization_header", &present(&self.authorization_header))
            .field("client_id", &self.client_id)
            .field("client_secret", &present(&self.client_secret))
            .field("client_assertion_type", &self.client_assertion_type)
            .field("client_assertion", &present(&self.client_assertion))
            .finish()
    }
}

/// Why client authentication failed.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ClientAuthError {
    /// The assertion's `alg` is not one the client allows (or not a JWS algorithm we know:
    /// `none`, HMAC).
    #[error("the client assertion algorithm is not allowed")]
    AssertionAlgorithmNotAllowed {
        /// The algorithm, if it is one we know.
        algorithm: Option<JwsAlgorithm>,
    },
    /// The assertion's `aud` names neither the issuer nor the endpoint.
    #[error("the client assertion is not addressed to this server")]
    AssertionAudience,
    /// The assertion expired (`exp` plus the skew is not after now).
    #[error("the client assertion expired at {exp}")]
    AssertionExpired {
        /// Its `exp`.
        exp: UnixTime,
        /// The time of the check.
        now: UnixTime,
    },
    /// The assertion's `exp` is further ahead than [`MAX_ASSERTION_LIFETIME`] (plus skew).
    #[error("the client assertion expires too far in the future ({exp} > {latest})")]
    AssertionExpiryTooFar {
        /// Its `exp`.
        exp: UnixTime,
        /// The latest `exp` accepted.
        latest: UnixTime,
    },
    /// The assertion's `iat` is later than now plus the skew.
    #[error("the client assertion was issued in the future ({iat})")]
    AssertionIssuedInFuture {
        /// Its `iat`.
        iat: UnixTime,
        /// The time of the check.
        now: UnixTime,
    },
    /// The assertion's `iss` or `sub` is not the client id.
    #[error("the client assertion's iss and sub must both be the client id")]
    AssertionIssuerSubject,
    /// No registered key of the client matches the assertion's `kid` and `alg`.
    #[error("no registered key of the client matches the client assertion")]
    AssertionKeyNotFound,
    /// The assertion is not a compact JWS with JSON header and claims, or it has a `crit` header
    /// (RFC 7515 §4.1.11: we understand no extension), or a claim has the wrong type.
    #[error("the client assertion is malformed")]
    AssertionMalformed,
    /// A required claim is missing.
    #[error("the client assertion has no {claim}")]
    AssertionMissingClaim {
        /// The claim's name.
        claim: &'static str,
    },
    /// The assertion's `nbf` is later than now plus the skew.
    #[error("the client assertion is not valid before {nbf}")]
    AssertionNotYetValid {
        /// Its `nbf`.
        nbf: UnixTime,
        /// The time of the check.
        now: UnixTime,
    },
    /// The assertion's `jti` was seen before: it is a replay.
    #[error("the client assertion was already used")]
    AssertionReplayed,
    /// The assertion's signature does not verify with the client's key.
    #[error("the client assertion's signature is invalid")]
    AssertionSignature(#[source] JoseError),
    /// The client's keys could not be had (its `jwks_uri` failed or served no JWK Set).
    #[error("the client's keys could not be fetched")]
    AssertionKeysUnavailable(#[source] ClientKeyError),
    /// The assertion is longer than [`MAX_ASSERTION_LEN`].
    #[error("the client assertion is too large ({len} > {max} bytes)")]
    AssertionTooLarge {
        /// Its length.
        len: usize,
        /// The maximum.
        max: usize,
    },
    /// The `client_id` parameter names another client than the credentials do.
    #[error("client_id does not match the authenticated client")]
    ClientIdMismatch,
    /// The `Authorization` header is not `Basic` with a form-urlencoded `id:secret`.
    #[error("the Authorization header is malformed")]
    MalformedAuthorizationHeader,
    /// The client id is not a valid client id.
    #[error("the client id is malformed")]
    MalformedClientId,
    /// The client secret is empty, too long or not printable ASCII.
    #[error("the client secret is malformed")]
    MalformedSecret,
    /// The client authenticated by another method than the one it registered.
    #[error("the client must authenticate with {registered}, not {used}")]
    MethodNotRegistered {
        /// The registered method.
        registered: ClientAuthMethod,
        /// The method used.
        used: ClientAuthMethod,
    },
    /// `client_secret` was sent without `client_id`.
    #[error("client_secret without client_id")]
    MissingClientId,
    /// The request used more than one authentication method (RFC 6749 §2.3).
    #[error("more than one client authentication method was used")]
    MultipleMethods,
    /// The request carries no client authentication and no `client_id`.
    #[error("no client authentication")]
    NoCredentials,
    /// The secret is not the client's.
    #[error("the client secret does not match")]
    SecretMismatch,
    /// The registry or the replay cache failed.
    #[error("client authentication could not be completed")]
    Store(#[source] StoreError),
    /// No client is registered with the id.
    #[error("unknown client")]
    UnknownClient,
    /// `client_assertion_type` is missing or not [`JWT_BEARER_ASSERTION_TYPE`], or
    /// `client_assertion` is missing.
    #[error("unsupported client assertion type")]
    UnsupportedAssertionType,
}

impl ClientAuthError {
    /// A stable snake_case code for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::AssertionAlgorithmNotAllowed { .. } => "assertion_algorithm_not_allowed",
            Self::AssertionAudience => "assertion_audience",
            Self::AssertionExpired { .. } => "assertion_expired",
            Self::AssertionExpiryTooFar { .. } => "assertion_expiry_too_far",
            Self::AssertionIssuedInFuture { .. } => "assertion_issued_in_future",
            Self::AssertionIssuerSubject => "assertion_issuer_subject",
            Self::AssertionKeyNotFound => "assertion_key_not_found",
            Self::AssertionMalformed => "assertion_malformed",
            Self::AssertionMissingClaim { .. } => "assertion_missing_claim",
            Self::AssertionNotYetValid { .. } => "assertion_not_yet_valid",
            Self::AssertionReplayed => "assertion_replayed",
            Self::AssertionSignature(_) => "assertion_signature",
            Self::AssertionKeysUnavailable(_) => "assertion_keys_unavailable",
            Self::AssertionTooLarge { .. } => "assertion_too_large",
            Self::ClientIdMismatch => "client_id_mismatch",
            Self::MalformedAuthorizationHeader => "malformed_authorization_header",
            Self::MalformedClientId => "malformed_client_id",
            Self::MalformedSecret => "malformed_secret",
            Self::MethodNotRegistered { .. } => "method_not_registered",
            Self::MissingClientId => "missing_client_id",
            Self::MultipleMethods => "multiple_methods",
            Self::NoCredentials => "no_credentials",
            Self::SecretMismatch => "secret_mismatch",
            Self::Store(_) => "store",
            Self::UnknownClient => "unknown_client",
            Self::UnsupportedAssertionType => "unsupported_assertion_type",
        }
    }

    /// The OAuth error code to answer with (RFC 6749 §5.2): `invalid_request` for a malformed
    /// request (two methods, a contradictory `client_id`), `server_error` when a store failed,
    /// `invalid_client` otherwise (answered with 401 and `WWW-Authenticate`).
    pub fn error_code(&self) -> OAuthErrorCode {
        match self {
            Self::ClientIdMismatch | Self::MultipleMethods => OAuthErrorCode::InvalidRequest,
            Self::Store(_) => OAuthErrorCode::ServerError,
            Self::AssertionAlgorithmNotAllowed { .. }
            | Self::AssertionAudience
            | Self::AssertionExpired { .. }
            | Self::AssertionExpiryTooFar { .. }
            | Self::AssertionIssuedInFuture { .. }
            | Self::AssertionIssuerSubject
            | Self::AssertionKeyNotFound
            | Self::AssertionMalformed
            | Self::AssertionMissingClaim { .. }
            | Self::AssertionNotYetValid { .. }
            | Self::AssertionReplayed
            | Self::AssertionSignature(_)
            | Self::AssertionKeysUnavailable(_)
            | Self::AssertionTooLarge { .. }
            | Self::MalformedAuthorizationHeader
            | Self::MalformedClientId
            | Self::MalformedSecret
            | Self::MethodNotRegistered { .. }
            | Self::MissingClientId
            | Self::NoCredentials
            | Self::SecretMismatch
            | Self::UnknownClient
            | Self::UnsupportedAssertionType => OAuthErrorCode::InvalidClient,
        }
    }
}

/// Where client authentication finds clients and their keys, and records assertion ids.
#[derive(Clone, Copy, Debug)]
pub struct ClientLookup<'a> {
    /// The registered clients.
    pub registry: &'a dyn ClientRegistry,
    /// Their public keys, by value or fetched from their `jwks_uri`.
    pub keys: &'a ClientKeys,
    /// The single-use `jti`s of client assertions.
    pub replay: &'a dyn ReplayCache,
}

/// Authenticates the client of a token, PAR, introspection or revocation request.
///
/// `issuer` is our issuer identifier and `endpoint_url` the URL of the endpoint being called;
/// either is accepted as an assertion's `aud`. `max_skew` is the clock skew tolerated on
/// assertion times (FAPI 2.0 conformance expects 10 s accepted and 60 s refused).
///
/// # Errors
/// A [`ClientAuthError`] naming the first check that failed; see the module documentation.
pub async fn authenticate_client(
    lookup: ClientLookup<'_>,
    credentials: &ClientCredentials,
    issuer: &str,
    endpoint_url: &str,
    now: UnixTime,
    max_skew: Duration,
) -> Result<Arc<Client>, ClientAuthError> {
    let basic = credentials.authorization_header.is_some();
    let post = credentials.client_secret.is_some();
    let jwt = credentials.client_assertion.is_some() || credentials.client_assertion_type.is_some();
    if usize::from(basic) + usize::from(post) + usize::from(jwt) > 1 {
        return Err(ClientAuthError::MultipleMethods);
    }
    if let Some(header) = &credentials.authorization_header {
        let (id, secret) = parse_basic(header)?;
        check_client_id_param(credentials, &id)?;
        let client = find(lookup.registry, &id, ClientAuthMethod::ClientSecretBasic).await?;
        return check_secret(client, &secret);
    }
    if let Some(secret) = &credentials.client_secret {
        let id = credentials
            .client_id
            .as_deref()
            .ok_or(ClientAuthError::MissingClientId)?;
        let id = parse_client_id(id)?;
        let secret =
            ClientSecret::from_presented(secret).map_err(|_| ClientAuthError::MalformedSecret)?;
        let client = find(lookup.registry, &id, ClientAuthMethod::ClientSecretPost).await?;
        return check_secret(client, &secret);
    }
    if jwt {
        let (Some(JWT_BEARER_ASSERTION_TYPE), Some(assertion)) = (
            credentials.client_assertion_type.as_deref(),
            credentials.client_assertion.as_deref(),
        ) else {
            return Err(ClientAuthError::UnsupportedAssertionType);
        };
        let audiences = [issuer, endpoint_url];
        return authenticate_assertion(lookup, credentials, assertion, &audiences, now, max_skew)
            .await;
    }
    let id = credentials
        .client_id
        .as_deref()
        .ok_or(ClientAuthError::NoCredentials)?;
    find(
        lookup.registry,
        &parse_client_id(id)?,
        ClientAuthMethod::None,
    )
    .await
}

fn parse_client_id(id: &str) -> Result<ClientId, ClientAuthError> {
    id.parse().map_err(|_| ClientAuthError::MalformedClientId)
}

/// A `client_id` parameter next to other credentials must name the same client.
fn check_client_id_param(
    credentials: &ClientCredentials,
    id: &ClientId,
) -> Result<(), ClientAuthError> {
    match credentials.client_id.as_deref() {
        Some(param) if param != id.as_str() => Err(ClientAuthError::ClientIdMismatch),
        _ => Ok(()),
    }
}

/// The registered client `id`, which must have registered `used`.
async fn find(
    registry: &dyn ClientRegistry,
    id: &ClientId,
    used: ClientAuthMethod,
) -> Result<Arc<Client>, ClientAuthError> {
    let client = registry
        .client(id)
        .await
        .map_err(ClientAuthError::Store)?
        .ok_or(ClientAuthError::UnknownClient)?;
    if client.auth_method() != used {
        return Err(ClientAuthError::MethodNotRegistered {
            registered: client.auth_method(),
            used,
        });
    }
    Ok(client)
}

fn check_secret(
    client: Arc<Client>,
    secret: &ClientSecret,
) -> Result<Arc<Client>, ClientAuthError> {
    if client.secret_matches(secret) {
        Ok(client)
    } else {
        Err(ClientAuthError::SecretMismatch)
    }
}

/// `Basic base64(urlencode(id) ":" urlencode(secret))`, RFC 6749 §2.3.1 and RFC 7617.
fn parse_basic(header: &str) -> Result<(ClientId, ClientSecret), ClientAuthError> {
    const MALFORMED: ClientAuthError = ClientAuthError::MalformedAuthorizationHeader;
    if header.len() > MAX_AUTHORIZATION_HEADER_LEN {
        return Err(MALFORMED);
    }
    let (scheme, encoded) = header.split_once(' ').ok_or(MALFORMED)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(MALFORMED);
    }
    let decoded = STANDARD
        .decode(encoded.trim_start_matches(' '))
        .map_err(|_| MALFORMED)?;
    let decoded = String::from_utf8(decoded).map_err(|_| MALFORMED)?;
    let (id, secret) = decoded.split_once(':').ok_or(MALFORMED)?;
    let id = parse_client_id(&form_urldecode(id).ok_or(MALFORMED)?)?;
    let secret = ClientSecret::from_presented(&form_urldecode(secret).ok_or(MALFORMED)?)
        .map_err(|_| ClientAuthError::MalformedSecret)?;
    Ok((id, secret))
}

/// Decodes one `application/x-www-form-urlencoded` value: `+` is a space, `%XX` a byte.
fn form_urldecode(value: &str) -> Option<String> {
    let spaced = value.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

#[derive(Deserialize)]
struct AssertionHeader {
    alg: String,
    kid: Option<String>,
    crit: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    fn contains_any(&self, accepted: &[&str]) -> bool {
        match self {
            Self::One(aud) => accepted.contains(&aud.as_str()),
            Self::Many(auds) => auds.iter().any(|aud| accepted.contains(&aud.as_str())),
        }
    }
}

#[derive(Deserialize)]
struct AssertionClaims {
    iss: Option<String>,
    sub: Option<String>,
    aud: Option<Audience>,
    exp: Option<serde_json::Number>,
    nbf: Option<serde_json::Number>,
    iat: Option<serde_json::Number>,
    jti: Option<String>,
}

/// A JSON `NumericDate` (RFC 7519 §2), fractions dropped; negative or non-finite is malformed.
fn numeric_date(value: Option<&serde_json::Number>) -> Result<Option<UnixTime>, ClientAuthError> {
    let Some(number) = value else {
        return Ok(None);
    };
    if let Some(secs) = number.as_u64() {
        return Ok(Some(UnixTime::from_secs(secs)));
    }
    match number.as_f64() {
        Some(secs) if secs.is_finite() && secs >= 0.0 && secs < u64::MAX as f64 => {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "finite, non-negative and below u64::MAX: the cast only drops the fraction"
            )]
            let whole = secs as u64;
            Ok(Some(UnixTime::from_secs(whole)))
        }
        _ => Err(ClientAuthError::AssertionMalformed),
    }
}

fn decode_json<T: for<'de> Deserialize<'de>>(part: &str) -> Result<T, ClientAuthError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| ClientAuthError::AssertionMalformed)?;
    serde_json::from_slice(&bytes).map_err(|_| ClientAuthError::AssertionMalformed)
}

/// `private_key_jwt`: RFC 7523 §3 and OIDC Core §9.
async fn authenticate_assertion(
    lookup: ClientLookup<'_>,
    credentials: &ClientCredentials,
    assertion: &str,
    audiences: &[&str],
    now: UnixTime,
    max_skew: Duration,
) -> Result<Arc<Client>, ClientAuthError> {
    if assertion.len() > MAX_ASSERTION_LEN {
        return Err(ClientAuthError::AssertionTooLarge {
            len: assertion.len(),
            max: MAX_ASSERTION_LEN,
        });
    }
    let mut parts = assertion.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ClientAuthError::AssertionMalformed);
    };
    let header: AssertionHeader = decode_json(header)?;
    if header.crit.is_some() {
        return Err(ClientAuthError::AssertionMalformed);
    }
    let claims: AssertionClaims = decode_json(payload)?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| ClientAuthError::AssertionMalformed)?;
    let algorithm = header
        .alg
        .parse::<JwsAlgorithm>()
        .map_err(|_| ClientAuthError::AssertionAlgorithmNotAllowed { algorithm: None })?;

    // Find the client the (not yet verified) assertion names, to learn its keys.
    let issuer = claims
        .iss
        .as_deref()
        .ok_or(ClientAuthError::AssertionMissingClaim { claim: "iss" })?;
    let id: ClientId = issuer
        .parse()
        .map_err(|_| ClientAuthError::AssertionIssuerSubject)?;
    check_client_id_param(credentials, &id)?;
    let client = find(lookup.registry, &id, ClientAuthMethod::PrivateKeyJwt).await?;

    if !client.assertion_algorithms().contains(&algorithm) {
        return Err(ClientAuthError::AssertionAlgorithmNotAllowed {
            algorithm: Some(algorithm),
        });
    }
    let message = assertion
        .rsplit_once('.')
        .map(|(message, _)| message)
        .ok_or(ClientAuthError::AssertionMalformed)?;
    lookup
        .keys
        .verify(
            &client,
            header.kid.as_deref(),
            algorithm,
            message.as_bytes(),
            &signature,
            now,
        )
        .await
        .map_err(|error| match error {
            ClientKeyError::Signature(error) => ClientAuthError::AssertionSignature(error),
            ClientKeyError::KeyNotFound | ClientKeyError::NoKeys => {
                ClientAuthError::AssertionKeyNotFound
            }
            other => ClientAuthError::AssertionKeysUnavailable(other),
        })?;

    // The claims, now that they are the client's.
    if claims.sub.as_deref() != Some(id.as_str()) {
        return match claims.sub {
            None => Err(ClientAuthError::AssertionMissingClaim { claim: "sub" }),
            Some(_) => Err(ClientAuthError::AssertionIssuerSubject),
        };
    }
    let audience = claims
        .aud
        .as_ref()
        .ok_or(ClientAuthError::AssertionMissingClaim { claim: "aud" })?;
    if !audience.contains_any(audiences) {
        return Err(ClientAuthError::AssertionAudience);
    }
    let exp = numeric_date(claims.exp.as_ref())?
        .ok_or(ClientAuthError::AssertionMissingClaim { claim: "exp" })?;
    if exp.saturating_add(max_skew) <= now {
        return Err(ClientAuthError::AssertionExpired { exp, now });
    }
    let latest = now
        .saturating_add(MAX_ASSERTION_LIFETIME)
        .saturating_add(max_skew);
    if exp > latest {
        return Err(ClientAuthError::AssertionExpiryTooFar { exp, latest });
    }
    let horizon = now.saturating_add(max_skew);
    if let Some(nbf) = numeric_date(claims.nbf.as_ref())?
        && nbf > horizon
    {
        return Err(ClientAuthError::AssertionNotYetValid { nbf, now });
    }
    if let Some(iat) = numeric_date(claims.iat.as_ref())?
        && iat > horizon
    {
        return Err(ClientAuthError::AssertionIssuedInFuture { iat, now });
    }
    let jti = claims
        .jti
        .as_deref()
        .ok_or(ClientAuthError::AssertionMissingClaim { claim: "jti" })?;
    if jti.is_empty() || jti.len() > MAX_JTI_LEN {
        return Err(ClientAuthError::AssertionMalformed);
    }

    // Single use: remember the jti for as long as the assertion could be accepted.
    let key = format!("private_key_jwt\u{0}{id}\u{0}{jti}");
    let ttl = exp
        .saturating_add(max_skew)
        .duration_since(now)
        .unwrap_or_default();
    let fresh = lookup
        .replay
        .insert_if_absent(&key, now, ttl)
        .await
        .map_err(ClientAuthError::Store)?;
    if !fresh {
        return Err(ClientAuthError::AssertionReplayed);
    }
    Ok(client)
}

#[cfg(test)]
mod tests;
