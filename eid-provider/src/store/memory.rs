//! [`MemoryStore`]: every store trait in one process's memory, for tests, the mock and a
//! single-node broker.
//!
//! Each kind of entry lives in its own table: a map from key to value and expiry, and an index
//! ordered by expiry. A write first sweeps at most [`SWEEP_BUDGET`] expired entries from the
//! front of that index (a bounded amount of work per request), and a read ignores an expired
//! entry and drops it. Each table holds at most its capacity of live entries ([`DEFAULT_CAPACITY`]
//! unless [`MemoryStore::with_capacity`] says otherwise); a write to a full table first sweeps
//! every expired entry, then fails with [`StoreError::CapacityExceeded`] rather than grow.
//!
//! All operations hold one mutex for their whole duration (no `await` inside), which makes
//! every `take` atomic.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use eid_core::clock::UnixTime;

use super::{
    AccessTokenStore, AuthorizationStore, AuthorizationTransaction, CodeGrant, CodeStore, GrantId,
    PushedRequest, RefreshTokenStore, ReplayCache, RequestUriStore, Session, SessionId,
    SessionStore, StoreError, StoreKind, StoredAccessToken, StoredRefreshToken, TransactionId,
};
use crate::secret::SecretDigest;

/// The default maximum number of live entries per kind.
pub const DEFAULT_CAPACITY: usize = 100_000;

/// The most expired entries a single write removes on its way.
pub const SWEEP_BUDGET: usize = 32;

/// The in-memory backend of every store trait.
#[derive(Debug)]
pub struct MemoryStore {
    inner: Mutex<Tables>,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryStore {
    /// A store holding at most [`DEFAULT_CAPACITY`] live entries of each kind.
    pub fn new() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }

    /// A store holding at most `capacity` live entries of each kind.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            inner: Mutex::new(Tables {
                codes: Table::new(StoreKind::Code, capacity),
                requests: Table::new(StoreKind::RequestUri, capacity),
                transactions: Table::new(StoreKind::Authorization, capacity),
                sessions: Table::new(StoreKind::Session, capacity),
                replay: Table::new(StoreKind::Replay, capacity),
                refresh: GrantTable::new(StoreKind::RefreshToken, capacity),
                access: GrantTable::new(StoreKind::AccessToken, capacity),
            }),
        }
    }

    /// The number of entries held, live or expired but not yet swept, over all kinds.
    pub fn len(&self) -> usize {
        let t = self.lock();
        t.codes.len()
            + t.requests.len()
            + t.transactions.len()
            + t.sessions.len()
            + t.replay.len()
            + t.refresh.table.len()
            + t.access.table.len()
    }

    /// Whether the store holds no entries at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, Tables> {
        // Every operation leaves the tables consistent before anything can panic, so a poisoned
        // lock still guards valid data.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[derive(Debug)]
struct Tables {
    codes: Table<CodeEntry>,
    requests: Table<PushedRequest>,
    transactions: Table<AuthorizationTransaction>,
    sessions: Table<Session>,
    replay: Table<()>,
    refresh: GrantTable<StoredRefreshToken>,
    access: GrantTable<StoredAccessToken>,
}

/// A code before and after its redemption.
#[derive(Clone, Debug)]
enum CodeEntry {
    Unused(Box<CodeGrant>),
    Used(GrantId),
}

/// One kind of entry: values with their expiry, and an index by expiry for sweeping.
#[derive(Debug)]
struct Table<V> {
    kind: StoreKind,
    capacity: usize,
    entries: HashMap<String, (UnixTime, V)>,
    by_expiry: BTreeSet<(UnixTime, String)>,
}

impl<V: Clone> Table<V> {
    fn new(kind: StoreKind, capacity: usize) -> Self {
        Self {
            kind,
            capacity,
            entries: HashMap::new(),
            by_expiry: BTreeSet::new(),
        }
    }

    fn len(&self) -> usize {
        self.entries.len()
    }

    /// Removes up to `budget` entries that expired at or before `now`; returns them.
    fn sweep(&mut self, now: UnixTime, budget: usize) -> Vec<V> {
        let mut removed = Vec::new();
        while removed.len() < budget {
            let Some((expires, _)) = self.by_expiry.first() else {
                break;
            };
            if *expires > now {
                break;
            }
            let Some((_, key)) = self.by_expiry.pop_first() else {
                break;
            };
            if let Some((_, value)) = self.entries.remove(&key) {
                removed.push(value);
            }
        }
        removed
    }

    /// Stores `value` under `key` until `now + ttl`; returns what the sweep removed.
    fn insert(
        &mut self,
        key: String,
        value: V,
        now: UnixTime,
        ttl: Duration,
    ) -> Result<Vec<V>, StoreError> {
        let mut swept = self.sweep(now, SWEEP_BUDGET);
        if let Some((old_expiry, _)) = self.entries.remove(&key) {
            self.by_expiry.remove(&(old_expiry, key.clone()));
        } else if self.entries.len() >= self.capacity {
            swept.extend(self.sweep(now, usize::MAX));
            if self.entries.len() >= self.capacity {
                return Err(StoreError::CapacityExceeded {
                    kind: self.kind,
                    capacity: self.capacity,
                });
            }
        }
        let expires = now.saturating_add(ttl);
        self.by_expiry.insert((expires, key.clone()));
        self.entries.insert(key, (expires, value));
        Ok(swept)
    }

    /// Removes the entry, live or expired; returns its expiry and value.
    fn remove(&mut self, key: &str) -> Option<(UnixTime, V)> {
        let (expires, value) = self.entries.remove(key)?;
        self.by_expiry.remove(&(expires, key.to_owned()));
        Some((expires, value))
    }

    /// The live value under `key`; an expired one is dropped.
    fn get(&mut self, key: &str, now: UnixTime) -> Option<V> {
        let (expires, value) = self.entries.get(key)?;
        if *expires > now {
            return Some(value.clone());
        }
        self.remove(key);
        None
    }

    /// Removes the entry and returns its value if it was live.
    fn take(&mut self, key: &str, now: UnixTime) -> Option<V> {
        let (expires, value) = self.remove(key)?;
        (expires > now).then_some(value)
    }
}

/// Values that belong to a grant.
trait Granted {
    fn grant(&self) -> &GrantId;
}

impl Granted for StoredAccessToken {
    fn grant(&self) -> &GrantId {
        &self.grant_id
    }
}

impl Granted for StoredRefreshToken {
    fn grant(&self) -> &GrantId {
        &self.grant_id
    }
}

/// A table of tokens with an index from grant to the keys of its tokens.
#[derive(Debug)]
struct GrantTable<V> {
    table: Table<V>,
    by_grant: HashMap<GrantId, HashSet<String>>,
}

impl<V: Clone + Granted> GrantTable<V> {
    fn new(kind: StoreKind, capacity: usize) -> Self {
        Self {
            table: Table::new(kind, capacity),
            by_grant: HashMap::new(),
        }
    }

    fn unindex(&mut self, key: &str, value: &V) {
        if let Some(keys) = self.by_grant.get_mut(value.grant()) {
            keys.remove(key);
            if keys.is_empty() {
                self.by_grant.remove(value.grant());
            }
        }
    }

    fn insert(
        &mut self,
        key: String,
        value: V,
        now: UnixTime,
        ttl: Duration,
    ) -> Result<(), StoreError> {
        if let Some((_, old)) = self.table.entries.get(&key) {
            let old = old.clone();
            self.unindex(&key, &old);
        }
        let grant = value.grant().clone();
        let swept = self.table.insert(key.clone(), value, now, ttl)?;
        self.by_grant.entry(grant).or_default().insert(key);
        self.drop_index_of(swept);
        Ok(())
    }

    /// Drops index entries whose tokens are gone (the sweep does not return keys, so the
    /// grants' key sets are filtered against the table).
    fn drop_index_of(&mut self, swept: Vec<V>) {
        for value in swept {
            let grant = value.grant();
            if let Some(keys) = self.by_grant.get_mut(grant) {
                keys.retain(|key| self.table.entries.contains_key(key));
                if keys.is_empty() {
                    self.by_grant.remove(grant);
                }
            }
        }
    }

    fn get(&mut self, key: &str, now: UnixTime) -> Option<V> {
        let (expires, value) = self.table.entries.get(key)?;
        if *expires > now {
            return Some(value.clone());
        }
        self.take(key, now);
        None
    }

    fn take(&mut self, key: &str, now: UnixTime) -> Option<V> {
        let (expires, value) = self.table.remove(key)?;
        self.unindex(key, &value);
        (expires > now).then_some(value)
    }

    fn revoke_grant(&mut self, grant: &GrantId, now: UnixTime) -> usize {
        let Some(keys) = self.by_grant.remove(grant) else {
            return 0;
        };
        keys.iter()
            .filter_map(|key| self.table.remove(key))
            .filter(|(expires, _)| *expires > now)
            .count()
    }
}

fn key_of(digest: &SecretDigest) -> String {
    digest.to_base64url()
}

#[async_trait]
impl CodeStore for MemoryStore {
    async fn put_code(
        &self,
        code: &SecretDigest,
        grant: CodeGrant,
        now: UnixTime,
        ttl: Duration,
    ) -> Result<(), StoreError> {
        let entry = CodeEntry::Unused(Box::new(grant));
        self.lock()
            .codes
            .insert(key_of(code), entry, now, ttl)
            .map(drop)
    }

    async fn take_code(
        &self,
        code: &SecretDigest,
        now: UnixTime,
    ) -> Result<Option<CodeGrant>, StoreError> {
        let mut tables = self.lock();
        let key = key_of(code);
        let Some((expires, entry)) = tables.codes.entries.get_mut(&key) else {
            return Ok(None);
        };
        if *expires <= now {
            tables.codes.remove(&key);
            return Ok(None);
        }
        let CodeEntry::Unused(grant) = entry else {
            return Ok(None);
        };
        // Keep a marker of the used code, with its grant, until the code would have expired.
        let used = CodeEntry::Used(grant.grant_id.clone());
        let CodeEntry::Unused(grant) = std::mem::replace(entry, used) else {
            return Ok(None);
        };
        Ok(Some(*grant))
    }

    async fn used_code_grant(
        &self,
        code: &SecretDigest,
        now: UnixTime,
    ) -> Result<Option<GrantId>, StoreError> {
        Ok(match self.lock().codes.get(&key_of(code), now) {
            Some(CodeEntry::Used(grant)) => Some(grant),
            Some(CodeEntry::Unused(_)) | None => None,
        })
    }
}

#[async_trait]
impl RequestUriStore for MemoryStore {
    async fn put_request(
        &self,
        handle: &SecretDigest,
        request: PushedRequest,
        now: UnixTime,
        ttl: Duration,
    ) -> Result<(), StoreError> {
        self.lock()
            .requests
            .insert(key_of(handle), request, now, ttl)
            .map(drop)
    }

    async fn request(
        &self,
        handle: &SecretDigest,
        now: UnixTime,
    ) -> Result<Option<PushedRequest>, StoreError> {
        Ok(self.lock().requests.get(&key_of(handle), now))
    }

    async fn take_request(
        &self,
        handle: &SecretDigest,
        now: UnixTime,
    ) -> Result<Option<PushedRequest>, StoreError> {
        Ok(self.lock().requests.take(&key_of(handle), now))
    }
}

#[async_trait]
impl AuthorizationStore for MemoryStore {
    async fn put_transaction(
        &self,
        id: &TransactionId,
        transaction: AuthorizationTransaction,
        now: UnixTime,
        ttl: Duration,
    ) -> Result<(), StoreError> {
        self.lock()
            .transactions
            .insert(key_of(&id.digest()), transaction, now, ttl)
            .map(drop)
    }

    async fn transaction(
        &self,
        id: &TransactionId,
        now: UnixTime,
    ) -> Result<Option<AuthorizationTransaction>, StoreError> {
        Ok(self.lock().transactions.get(&key_of(&id.digest()), now))
    }

    async fn take_transaction(
        &self,
        id: &TransactionId,
        now: UnixTime,
    ) -> Result<Option<AuthorizationTransaction>, StoreError> {
        Ok(self.lock().transactions.take(&key_of(&id.digest()), now))
    }
}

#[async_trait]
impl SessionStore for MemoryStore {
    async fn put_session(
        &self,
        id: &SessionId,
        session: Session,
        now: UnixTime,
        ttl: Duration,
    ) -> Result<(), StoreError> {
        self.lock()
            .sessions
            .insert(key_of(&id.digest()), session, now, ttl)
            .map(drop)
    }

    async fn session(&self, id: &SessionId, now: UnixTime) -> Result<Option<Session>, StoreError> {
        Ok(self.lock().sessions.get(&key_of(&id.digest()), now))
    }

    async fn remove_session(
        &self,
        id: &SessionId,
        now: UnixTime,
    ) -> Result<Option<Session>, StoreError> {
        Ok(self.lock().sessions.take(&key_of(&id.digest()), now))
    }
}

#[async_trait]
impl ReplayCache for MemoryStore {
    async fn insert_if_absent(
        &self,
        key: &str,
        now: UnixTime,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        let mut tables = self.lock();
        // Keys come from clients (a `jti`): hash them, so that an entry's size is fixed.
        let key = key_of(&SecretDigest::of(key));
        if tables.replay.get(&key, now).is_some() {
            return Ok(false);
        }
        tables.replay.insert(key, (), now, ttl).map(|_| true)
    }
}

#[async_trait]
impl RefreshTokenStore for MemoryStore {
    async fn put_refresh_token(
        &self,
        digest: &SecretDigest,
        token: StoredRefreshToken,
        now: UnixTime,
        ttl: Duration,
    ) -> Result<(), StoreError> {
        self.lock().refresh.insert(key_of(digest), token, now, ttl)
    }

    async fn refresh_token(
        &self,
        digest: &SecretDigest,
        now: UnixTime,
    ) -> Result<Option<StoredRefreshToken>, StoreError> {
        Ok(self.lock().refresh.get(&key_of(digest), now))
    }

    async fn take_refresh_token(
        &self,
        digest: &SecretDigest,
        now: UnixTime,
    ) -> Result<Option<StoredRefreshToken>, StoreError> {
        Ok(self.lock().refresh.take(&key_of(digest), now))
    }

    async fn revoke_refresh_tokens_of(
        &self,
        grant: &GrantId,
        now: UnixTime,
    ) -> Result<usize, StoreError> {
        Ok(self.lock().refresh.revoke_grant(grant, now))
    }
}

#[async_trait]
impl AccessTokenStore for MemoryStore {
    async fn put_access_token(
        &self,
        digest: &SecretDigest,
        token: StoredAccessToken,
        now: UnixTime,
        ttl: Duration,
    ) -> Result<(), StoreError> {
        self.lock().access.insert(key_of(digest), token, now, ttl)
    }

    async fn access_token(
        &self,
        digest: &SecretDigest,
        now: UnixTime,
    ) -> Result<Option<StoredAccessToken>, StoreError> {
        Ok(self.lock().access.get(&key_of(digest), now))
    }

    async fn revoke_access_token(
        &self,
        digest: &SecretDigest,
        now: UnixTime,
    ) -> Result<bool, StoreError> {
        Ok(self.lock().access.take(&key_of(digest), now).is_some())
    }

    async fn revoke_access_tokens_of(
        &self,
        grant: &GrantId,
        now: UnixTime,
    ) -> Result<usize, StoreError> {
        Ok(self.lock().access.revoke_grant(grant, now))
    }
}
