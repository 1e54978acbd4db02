//! The state stores of the provider engine: narrow async traits, one per policy, and
//! [`MemoryStore`], the in-memory backend that implements them all.
//!
//! Every trait is object safe (`#[async_trait]`) and meant to be held as `Arc<dyn Trait>`.
//! The traits are shaped so that a networked backend implements them unchanged:
//!
//! - **Everything short-lived has a time to live.** Every `put` takes `now` and a `ttl`: Redis
//!   stores it with `SET … PX ttl`, PostgreSQL with an `expires` column, [`MemoryStore`] in an
//!   expiry index it sweeps.
//! - **Single use is one atomic `take`** (Redis `GETDEL`, PostgreSQL `DELETE … RETURNING`), never
//!   a `get` followed by a `delete`: of two concurrent redemptions of one code, exactly one gets
//!   the grant.
//! - **No scans over all keys.** Values are found by their key (the [`SecretDigest`] of a bearer
//!   secret, or an opaque id); revoking every token of a grant goes through a per-grant index.
//! - **Values are serde structs**, so that a networked backend stores JSON.
//! - **Time is an argument** (`now: UnixTime`): nothing here reads a clock.
//!
//! Keys that are bearer secrets (codes, tokens, request handles) are stored by their SHA-256
//! [`SecretDigest`], so that a dump of a store holds nothing a client could present.
//!
//! # Example
//!
//! A code is taken once; a second take (a replay) finds nothing, and the store remembers which
//! grant the used code belonged to, so the token endpoint can revoke what it issued:
//!
//! ```
//! use std::time::Duration;
//!
//! use eid_core::clock::UnixTime;
//! use eid_provider::client::{ClientId, RedirectUri};
//! use eid_provider::pkce::CodeChallenge;
//! use eid_provider::secret::AuthorizationCode;
//! use eid_provider::store::{CodeGrant, CodeStore, GrantId, MemoryStore};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let store = MemoryStore::new();
//! let now = UnixTime::from_secs(1_700_000_000);
//! let rng = ring::rand::SystemRandom::new();
//! let code = AuthorizationCode::generate(&rng)?;
//! let grant = CodeGrant::new(
//!     GrantId::generate(&rng)?,
//!     "https://e-service.example".parse::<ClientId>()?,
//!     "https://e-service.example/callback".parse::<RedirectUri>()?,
//!     CodeChallenge::parse("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")?,
//!     "subject-1".to_owned(),
//!     now,
//! );
//! let grant_id = grant.grant_id().clone();
//! store.put_code(&code.digest(), grant, now, Duration::from_secs(60)).await?;
//!
//! let taken = store.take_code(&code.digest(), now).await?;
//! assert!(taken.is_some());
//! assert!(store.take_code(&code.digest(), now).await?.is_none());
//! assert_eq!(store.used_code_grant(&code.digest(), now).await?, Some(grant_id));
//! # Ok(())
//! # }
//! # let runtime = tokio::runtime::Builder::new_current_thread().build()?;
//! # runtime.block_on(demo()).map_err(|e| e.to_string())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt::{self, Debug};
use std::time::Duration;

use async_trait::async_trait;
use eid_core::clock::UnixTime;

use crate::secret::SecretDigest;

mod memory;
mod value;

pub use memory::{DEFAULT_CAPACITY, MemoryStore, SWEEP_BUDGET};
pub use value::{
    AuthorizationTransaction, CodeGrant, GrantId, PushedRequest, Session, SessionId,
    StoredAccessToken, StoredRefreshToken, TransactionId,
};

/// Why a store operation failed.
///
/// Store errors are internal: the endpoints answer them with `server_error` (or
/// `temporarily_unavailable`) and log the detail.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store holds its maximum number of live entries of this kind: a write was refused
    /// rather than let the store grow without bound.
    #[error("the {kind} store is full ({capacity} live entries)")]
    CapacityExceeded {
        /// Which kind of entry.
        kind: StoreKind,
        /// The configured maximum.
        capacity: usize,
    },
    /// A value could not be encoded or decoded for a networked backend.
    #[error("a {kind} value could not be (de)serialised")]
    Serialization {
        /// Which kind of entry.
        kind: StoreKind,
        /// The serde error.
        #[source]
        source: serde_json::Error,
    },
    /// The backend could not be reached or failed to answer.
    #[error("the {kind} store is unavailable")]
    Unavailable {
        /// Which kind of entry.
        kind: StoreKind,
        /// The backend's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl StoreError {
    /// A stable snake_case code for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::CapacityExceeded { .. } => "store_capacity_exceeded",
            Self::Serialization { .. } => "store_serialization",
            Self::Unavailable { .. } => "store_unavailable",
        }
    }
}

/// The kinds of entries the stores hold (for errors and metrics).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StoreKind {
    /// Refresh and access tokens.
    AccessToken,
    /// Pending authorization transactions.
    Authorization,
    /// Authorization codes.
    Code,
    /// Refresh tokens.
    RefreshToken,
    /// Seen JWT ids and other single-use markers.
    Replay,
    /// Pushed authorization requests.
    RequestUri,
    /// Single sign-on sessions.
    Session,
}

impl StoreKind {
    /// The kind as a snake_case word.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AccessToken => "access_token",
            Self::Authorization => "authorization",
            Self::Code => "code",
            Self::RefreshToken => "refresh_token",
            Self::Replay => "replay",
            Self::RequestUri => "request_uri",
            Self::Session => "session",
        }
    }
}

impl fmt::Display for StoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Authorization codes (RFC 6749 §4.1.2): single use, short-lived, keyed by their digest.
///
/// A taken code leaves a marker until it would have expired, so that a second presentation
/// (a replay, RFC 6749 §4.1.2: "the authorization server … SHOULD revoke … all tokens previously
/// issued based on that authorization code") can be traced to its grant with
/// [`CodeStore::used_code_grant`]. Taking is still one atomic step: Redis can swap the entry for
/// the marker with `SET … XX KEEPTTL GET`, PostgreSQL with `UPDATE … SET used = true WHERE NOT used
/// AND expires > $now RETURNING …`.
#[async_trait]
pub trait CodeStore: Send + Sync + Debug {
    /// Stores `grant` under `code` for `ttl` from `now`, replacing any previous entry.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails or is full.
    async fn put_code(
        &self,
        code: &SecretDigest,
        grant: CodeGrant,
        now: UnixTime,
        ttl: Duration,
    ) -> Result<(), StoreError>;

    /// Atomically removes and returns the grant; `None` if unknown, already taken or expired.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails.
    async fn take_code(
        &self,
        code: &SecretDigest,
        now: UnixTime,
    ) -> Result<Option<CodeGrant>, StoreError>;

    /// The grant of a code that was already taken and has not yet expired: `Some` means the code
    /// is being replayed.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails.
    async fn used_code_grant(
        &self,
        code: &SecretDigest,
        now: UnixTime,
    ) -> Result<Option<GrantId>, StoreError>;
}

/// Pushed authorization requests (RFC 9126), keyed by the digest of their request handle.
///
/// The authorization endpoint may read a request more than once while the person is
/// authenticating (a reload of the page must work), and takes it when the authorization
/// completes: after that it is gone. The stored request names its client: the caller checks
/// that the client presenting the `request_uri` is that one ([`PushedRequest::client_id`]).
#[async_trait]
pub trait RequestUriStore: Send + Sync + Debug {
    /// Stores `request` under `handle` for `ttl` from `now`.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails or is full.
    async fn put_request(
        &self,
        handle: &SecretDigest,
        request: PushedRequest,
        now: UnixTime,
        ttl: Duration,
    ) -> Result<(), StoreError>;

    /// The request, if known and unexpired, without consuming it.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails.
    async fn request(
        &self,
        handle: &SecretDigest,
        now: UnixTime,
    ) -> Result<Option<PushedRequest>, StoreError>;

    /// Atomically removes and returns the request; `None` if unknown, taken or expired.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails.
    async fn take_request(
        &self,
        handle: &SecretDigest,
        now: UnixTime,
    ) -> Result<Option<PushedRequest>, StoreError>;
}

/// Pending authorization transactions: a validated authorization request waiting for the person
/// to authenticate, keyed by an opaque [`TransactionId`].
#[async_trait]
pub trait AuthorizationStore: Send + Sync + Debug {
    /// Stores `transaction` under `id` for `ttl` from `now`.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails or is full.
    async fn put_transaction(
        &self,
        id: &TransactionId,
        transaction: AuthorizationTransaction,
        now: UnixTime,
        ttl: Duration,
    ) -> Result<(), StoreError>;

    /// The transaction, if known and unexpired, without consuming it.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails.
    async fn transaction(
        &self,
        id: &TransactionId,
        now: UnixTime,
    ) -> Result<Option<AuthorizationTransaction>, StoreError>;

    /// Atomically removes and returns the transaction (when it completes or is abandoned).
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails.
    async fn take_transaction(
        &self,
        id: &TransactionId,
        now: UnixTime,
    ) -> Result<Option<AuthorizationTransaction>, StoreError>;
}

/// Single sign-on sessions, keyed by the session id the browser holds in a cookie.
#[async_trait]
pub trait SessionStore: Send + Sync + Debug {
    /// Stores `session` under `id` for `ttl` from `now`, replacing any previous one.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails or is full.
    async fn put_session(
        &self,
        id: &SessionId,
        session: Session,
        now: UnixTime,
        ttl: Duration,
    ) -> Result<(), StoreError>;

    /// The session, if known and unexpired.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails.
    async fn session(&self, id: &SessionId, now: UnixTime) -> Result<Option<Session>, StoreError>;

    /// Removes the session (logout) and returns it, if it existed.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails.
    async fn remove_session(
        &self,
        id: &SessionId,
        now: UnixTime,
    ) -> Result<Option<Session>, StoreError>;
}

/// Single-use markers, such as the `jti` of a client assertion (RFC 7523 §3, OIDC Core §9).
#[async_trait]
pub trait ReplayCache: Send + Sync + Debug {
    /// Records `key` for `ttl` from `now` if it is not already recorded: `true` the first time,
    /// `false` for a replay. Atomic (Redis `SET NX PX`, PostgreSQL `INSERT … ON CONFLICT DO
    /// NOTHING`).
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails or is full (callers must then refuse the request:
    /// a replay cache that cannot record must not let a value through).
    async fn insert_if_absent(
        &self,
        key: &str,
        now: UnixTime,
        ttl: Duration,
    ) -> Result<bool, StoreError>;
}

/// Refresh tokens, keyed by their digest, indexed by the grant they came from.
#[async_trait]
pub trait RefreshTokenStore: Send + Sync + Debug {
    /// Stores `token` under `digest` for `ttl` from `now`.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails or is full.
    async fn put_refresh_token(
        &self,
        digest: &SecretDigest,
        token: StoredRefreshToken,
        now: UnixTime,
        ttl: Duration,
    ) -> Result<(), StoreError>;

    /// The token, if known and unexpired, without consuming it (refresh tokens are not rotated,
    /// FAPI 2.0 §5.3.2.1).
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails.
    async fn refresh_token(
        &self,
        digest: &SecretDigest,
        now: UnixTime,
    ) -> Result<Option<StoredRefreshToken>, StoreError>;

    /// Atomically removes and returns the token (rotation, or revocation by RFC 7009).
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails.
    async fn take_refresh_token(
        &self,
        digest: &SecretDigest,
        now: UnixTime,
    ) -> Result<Option<StoredRefreshToken>, StoreError>;

    /// Removes every refresh token issued from `grant`; returns how many there were.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails.
    async fn revoke_refresh_tokens_of(
        &self,
        grant: &GrantId,
        now: UnixTime,
    ) -> Result<usize, StoreError>;
}

/// Opaque access tokens, keyed by their digest, indexed by the grant they came from.
#[async_trait]
pub trait AccessTokenStore: Send + Sync + Debug {
    /// Stores `token` under `digest` for `ttl` from `now`.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails or is full.
    async fn put_access_token(
        &self,
        digest: &SecretDigest,
        token: StoredAccessToken,
        now: UnixTime,
        ttl: Duration,
    ) -> Result<(), StoreError>;

    /// The token, if known and unexpired (UserInfo, introspection).
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails.
    async fn access_token(
        &self,
        digest: &SecretDigest,
        now: UnixTime,
    ) -> Result<Option<StoredAccessToken>, StoreError>;

    /// Removes the token (RFC 7009 revocation); `true` if it existed.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails.
    async fn revoke_access_token(
        &self,
        digest: &SecretDigest,
        now: UnixTime,
    ) -> Result<bool, StoreError>;

    /// Removes every access token issued from `grant` (code replay); returns how many there were.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails.
    async fn revoke_access_tokens_of(
        &self,
        grant: &GrantId,
        now: UnixTime,
    ) -> Result<usize, StoreError>;
}

#[cfg(test)]
mod tests;
