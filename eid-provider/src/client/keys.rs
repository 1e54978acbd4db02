//! A client's public keys, for its client assertions (`private_key_jwt`) and its signed request
//! objects: registered by value (`jwks`) or by reference (`jwks_uri`, RFC 7591 §2), fetched and
//! cached.
//!
//! [`ClientKeys`] keeps a per-client cache of the key sets fetched from `jwks_uri`s. That cache
//! holds public keys only (no flow state), so keeping it in process memory does not break the
//! rule that state lives in the stores: a second node fetches for itself. An entry is fetched
//! again when it is older than [`KEYS_MAX_AGE`], and early when a signature names a `kid` it
//! does not hold (the client rotated), at most once per [`MIN_REFRESH_INTERVAL`] per client so
//! that forged `kid`s cannot make the provider fetch in a loop.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use eid_core::clock::UnixTime;
use eid_core::jose::{JoseError, Jwks, JwsAlgorithm};

use super::{Client, ClientId, RedirectUri};

/// The largest client JWK Set fetched, in bytes.
pub const MAX_CLIENT_JWKS_BYTES: usize = 64 * 1024;

/// How long a fetched key set is used before it is fetched again.
pub const KEYS_MAX_AGE: Duration = Duration::from_secs(300);

/// The shortest time between two fetches of one client's keys.
pub const MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(10);

/// The most clients whose fetched keys are cached; beyond it, the oldest entry is dropped.
const MAX_CACHED_CLIENTS: usize = 4096;

/// A client's `jwks_uri`: https, or http on a loopback IP literal (the rules of
/// [`RedirectUri`]).
pub type JwksUri = RedirectUri;

/// Fetches a JWK Set document. The HTTP layer provides one (`http::HttpJwksFetcher`); tests may
/// provide their own.
#[async_trait]
pub trait JwksFetcher: Send + Sync + fmt::Debug {
    /// The body of `uri`, at most [`MAX_CLIENT_JWKS_BYTES`].
    ///
    /// # Errors
    /// A [`FetchError`] when the document cannot be had.
    async fn fetch(&self, uri: &JwksUri) -> Result<Vec<u8>, FetchError>;
}

/// Why a key set could not be fetched.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The server could not be reached, or did not answer in time.
    #[error("the jwks_uri could not be reached")]
    Unreachable,
    /// The server answered with another status than 200.
    #[error("the jwks_uri answered with status {0}")]
    Status(u16),
    /// The document is larger than [`MAX_CLIENT_JWKS_BYTES`].
    #[error("the jwks_uri document is too large")]
    TooLarge,
}

/// Why a client's signature could not be checked or did not verify.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ClientKeyError {
    /// The client registered no keys (neither `jwks` nor `jwks_uri`).
    #[error("the client has registered no keys")]
    NoKeys,
    /// No key of the client matches the `kid` and algorithm.
    #[error("no key of the client matches")]
    KeyNotFound,
    /// The signature does not verify with the client's key.
    #[error("the signature does not verify")]
    Signature(#[source] JoseError),
    /// The client's `jwks_uri` could not be fetched.
    #[error("the client's keys could not be fetched")]
    Fetch(#[source] FetchError),
    /// The client's `jwks_uri` served something that is not a public JWK Set.
    #[error("the client's jwks_uri does not serve a public JWK Set")]
    Malformed(#[source] JoseError),
    /// The provider has no fetcher for `jwks_uri`s.
    #[error("this provider cannot fetch jwks_uri")]
    NoFetcher,
}

struct Cached {
    jwks: Arc<Jwks>,
    fetched: UnixTime,
}

/// Where clients' keys come from, with the cache of fetched key sets.
pub struct ClientKeys {
    fetcher: Option<Arc<dyn JwksFetcher>>,
    cache: Mutex<HashMap<ClientId, Cached>>,
}

impl fmt::Debug for ClientKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientKeys")
            .field("fetcher", &self.fetcher)
            .finish_non_exhaustive()
    }
}

impl ClientKeys {
    /// Keys by value, and by reference through `fetcher` (none: `jwks_uri` clients fail).
    pub fn new(fetcher: Option<Arc<dyn JwksFetcher>>) -> Self {
        Self {
            fetcher,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Verifies `signature` over `message` with the key of `client` named by `kid` (or, without
    /// a `kid`, each of its keys for `algorithm`).
    ///
    /// # Errors
    /// A [`ClientKeyError`] naming what failed.
    pub async fn verify(
        &self,
        client: &Client,
        kid: Option<&str>,
        algorithm: JwsAlgorithm,
        message: &[u8],
        signature: &[u8],
        now: UnixTime,
    ) -> Result<(), ClientKeyError> {
        if let Some(jwks) = client.jwks() {
            return verify_with(jwks, kid, algorithm, message, signature);
        }
        let Some(uri) = client.jwks_uri() else {
            return Err(ClientKeyError::NoKeys);
        };
        let (jwks, fetched) = self.keys_of(client.id(), uri, false, now).await?;
        match verify_with(&jwks, kid, algorithm, message, signature) {
            Err(ClientKeyError::KeyNotFound) if !fetched => {
                // The client may have rotated: fetch again, at most once per interval.
                let (jwks, _) = self.keys_of(client.id(), uri, true, now).await?;
                verify_with(&jwks, kid, algorithm, message, signature)
            }
            other => other,
        }
    }

    /// The key set of `client`: cached, or fetched (`true` in the answer) when there is none,
    /// it is older than [`KEYS_MAX_AGE`], or `refresh` asks and the last fetch is older than
    /// [`MIN_REFRESH_INTERVAL`].
    async fn keys_of(
        &self,
        client: &ClientId,
        uri: &JwksUri,
        refresh: bool,
        now: UnixTime,
    ) -> Result<(Arc<Jwks>, bool), ClientKeyError> {
        if let Some((jwks, fetched)) = self.cached(client) {
            let age = now.duration_since(fetched).unwrap_or_default();
            let fresh = age < KEYS_MAX_AGE;
            if fresh && (!refresh || age < MIN_REFRESH_INTERVAL) {
                return Ok((jwks, false));
            }
        }
        let fetcher = self.fetcher.as_ref().ok_or(ClientKeyError::NoFetcher)?;
        let body = fetcher.fetch(uri).await.map_err(ClientKeyError::Fetch)?;
        if body.len() > MAX_CLIENT_JWKS_BYTES {
            return Err(ClientKeyError::Fetch(FetchError::TooLarge));
        }
        let jwks = Arc::new(Jwks::from_json(&body).map_err(ClientKeyError::Malformed)?);
        self.store(client, Arc::clone(&jwks), now);
        Ok((jwks, true))
    }

    fn cached(&self, client: &ClientId) -> Option<(Arc<Jwks>, UnixTime)> {
        let cache = match self.cache.lock() {
            Ok(cache) => cache,
            Err(poisoned) => poisoned.into_inner(),
        };
        cache
            .get(client)
            .map(|entry| (Arc::clone(&entry.jwks), entry.fetched))
    }

    fn store(&self, client: &ClientId, jwks: Arc<Jwks>, now: UnixTime) {
        let mut cache = match self.cache.lock() {
            Ok(cache) => cache,
            Err(poisoned) => poisoned.into_inner(),
        };
        if cache.len() >= MAX_CACHED_CLIENTS && !cache.contains_key(client) {
            let oldest = cache
                .iter()
                .min_by_key(|(_, entry)| entry.fetched)
                .map(|(id, _)| id.clone());
            if let Some(oldest) = oldest {
                cache.remove(&oldest);
            }
        }
        cache.insert(client.clone(), Cached { jwks, fetched: now });
    }
}

/// Verifies with the key of `jwks` named by `kid`, or without a `kid` with each of its keys for
/// `algorithm` (a JWK Set holds at most `MAX_JWKS_KEYS`).
fn verify_with(
    jwks: &Jwks,
    kid: Option<&str>,
    algorithm: JwsAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<(), ClientKeyError> {
    let mut last_error = None;
    let candidates = jwks
        .keys()
        .iter()
        .filter(|jwk| kid.is_none_or(|kid| jwk.kid() == Some(kid)))
        .filter(|jwk| jwk.supports(algorithm));
    for jwk in candidates {
        let outcome = jwk
            .verifying_key(algorithm)
            .and_then(|key| key.verify(message, signature));
        match outcome {
            Ok(()) => return Ok(()),
            Err(error) => last_error = Some(error),
        }
    }
    match last_error {
        Some(error) => Err(ClientKeyError::Signature(error)),
        None => Err(ClientKeyError::KeyNotFound),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

    use std::sync::atomic::{AtomicUsize, Ordering};

    use eid_core::jose::SigningKey;

    use super::*;
    use crate::client::ClientAuthMethod;

    /// Serves whatever key set it holds, counting fetches.
    #[derive(Debug, Default)]
    struct Counting {
        body: Mutex<Vec<u8>>,
        fetches: AtomicUsize,
    }

    impl Counting {
        fn serve(&self, keys: &[&SigningKey]) {
            let jwks = Jwks::new(keys.iter().map(|k| k.public_jwk()).collect()).unwrap();
            *self.body.lock().unwrap() = serde_json::to_vec(&jwks).unwrap();
        }
    }

    #[async_trait]
    impl JwksFetcher for Counting {
        async fn fetch(&self, _uri: &JwksUri) -> Result<Vec<u8>, FetchError> {
            self.fetches.fetch_add(1, Ordering::SeqCst);
            Ok(self.body.lock().unwrap().clone())
        }
    }

    fn client() -> Client {
        Client::builder("rp".parse().unwrap(), ClientAuthMethod::PrivateKeyJwt)
            .jwks_uri("https://rp.example/jwks".parse().unwrap())
            .redirect_uri("https://rp.example/cb".parse().unwrap())
            .build()
            .unwrap()
    }

    fn signed(key: &SigningKey) -> (String, Vec<u8>) {
        let token = key.sign_jwt(&serde_json::json!({"a": 1})).unwrap();
        let (message, signature) = token.rsplit_once('.').unwrap();
        let signature =
            base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, signature)
                .unwrap();
        (message.to_owned(), signature)
    }

    #[tokio::test]
    async fn fetched_keys_are_cached_refreshed_on_rotation_and_rate_limited() {
        let old = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
        let new = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
        let fetcher = Arc::new(Counting::default());
        fetcher.serve(&[&old]);
        let keys = ClientKeys::new(Some(fetcher.clone()));
        let client = client();
        let t0 = UnixTime::from_secs(1_790_000_000);
        let verify = |key: &SigningKey, now| {
            let (message, signature) = signed(key);
            let kid = key.kid().to_owned();
            let keys = &keys;
            let client = &client;
            async move {
                keys.verify(
                    client,
                    Some(&kid),
                    JwsAlgorithm::Es256,
                    message.as_bytes(),
                    &signature,
                    now,
                )
                .await
            }
        };

        verify(&old, t0).await.unwrap();
        verify(&old, t0).await.unwrap();
        assert_eq!(fetcher.fetches.load(Ordering::SeqCst), 1, "cached");

        // The client rotates; an unknown kid within the interval does not fetch again.
        fetcher.serve(&[&new]);
        assert!(matches!(
            verify(&new, t0).await,
            Err(ClientKeyError::KeyNotFound)
        ));
        assert_eq!(fetcher.fetches.load(Ordering::SeqCst), 1, "rate limited");

        // After the interval, the unknown kid makes one fetch and verifies.
        let later = t0.saturating_add(MIN_REFRESH_INTERVAL);
        verify(&new, later).await.unwrap();
        assert_eq!(fetcher.fetches.load(Ordering::SeqCst), 2);

        // A kid the client never had is refused after at most one more fetch.
        let stranger = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
        let much_later = later.saturating_add(MIN_REFRESH_INTERVAL);
        assert!(verify(&stranger, much_later).await.is_err());
        assert_eq!(fetcher.fetches.load(Ordering::SeqCst), 3);

        // A stale entry is fetched again.
        let stale = much_later.saturating_add(KEYS_MAX_AGE);
        verify(&new, stale).await.unwrap();
        assert_eq!(fetcher.fetches.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn bad_documents_and_missing_fetchers_fail_closed() {
        let key = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
        let (message, signature) = signed(&key);
        let now = UnixTime::from_secs(1_790_000_000);
        let client = client();

        let none = ClientKeys::new(None);
        let outcome = none
            .verify(
                &client,
                Some(key.kid()),
                JwsAlgorithm::Es256,
                message.as_bytes(),
                &signature,
                now,
            )
            .await;
        assert!(matches!(outcome, Err(ClientKeyError::NoFetcher)));

        let fetcher = Arc::new(Counting::default());
        *fetcher.body.lock().unwrap() = br#"{"keys":[{"kty":"oct","k":"AAAA"}]}"#.to_vec();
        let keys = ClientKeys::new(Some(fetcher.clone()));
        let outcome = keys
            .verify(
                &client,
                Some(key.kid()),
                JwsAlgorithm::Es256,
                message.as_bytes(),
                &signature,
                now,
            )
            .await;
        assert!(
            matches!(outcome, Err(ClientKeyError::Malformed(_))),
            "{outcome:?}"
        );

        *fetcher.body.lock().unwrap() = vec![b' '; MAX_CLIENT_JWKS_BYTES + 1];
        let outcome = keys
            .verify(
                &client,
                Some(key.kid()),
                JwsAlgorithm::Es256,
                message.as_bytes(),
                &signature,
                now,
            )
            .await;
        assert!(matches!(
            outcome,
            Err(ClientKeyError::Fetch(FetchError::TooLarge))
        ));
    }
}
