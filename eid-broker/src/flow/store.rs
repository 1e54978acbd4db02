//! Where logins in progress are kept between requests: [`FlowStore`] and its in-memory
//! backend.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use eid_core::clock::UnixTime;
use serde::{Deserialize, Serialize};

use crate::upstream::UpstreamState;

/// A login in progress, as the broker keeps it between requests.
#[derive(Clone, Serialize, Deserialize)]
pub struct FlowRecord {
    /// The engine's transaction (a bearer secret).
    pub(super) transaction: String,
    /// The digest of the browser cookie that started it.
    pub(super) browser: String,
    /// The client.
    pub(super) client: String,
    /// When the broker began the login.
    pub(super) started_at: u64,
    /// The upstream state, once the person was sent upstream.
    pub(super) upstream: Option<UpstreamState>,
    /// For a finished login kept for logout: the upstream's id and its ID token (the
    /// `id_token_hint` of the upstream logout); for a logout in progress: where to go after.
    #[serde(default)]
    pub(super) after: Option<(String, String)>,
}

impl fmt::Debug for FlowRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlowRecord")
            .field("client", &self.client)
            .field("started_at", &self.started_at)
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

/// A flow store failed.
#[derive(Debug, thiserror::Error)]
#[error("the flow store failed: {0}")]
pub struct FlowStoreError(pub &'static str);

/// Where logins in progress are kept, keyed by a digest, with a lifetime.
#[async_trait]
pub trait FlowStore: Send + Sync + fmt::Debug {
    /// Keeps `record` under `key` until `now + ttl`.
    ///
    /// # Errors
    /// [`FlowStoreError`] when the backend fails or is full.
    async fn put(
        &self,
        key: &str,
        record: FlowRecord,
        now: UnixTime,
        ttl: Duration,
    ) -> Result<(), FlowStoreError>;

    /// The record under `key`, if alive, leaving it in place.
    ///
    /// # Errors
    /// [`FlowStoreError`] when the backend fails.
    async fn get(&self, key: &str, now: UnixTime) -> Result<Option<FlowRecord>, FlowStoreError>;

    /// Takes the record under `key`, if alive: a second take finds nothing.
    ///
    /// # Errors
    /// [`FlowStoreError`] when the backend fails.
    async fn take(&self, key: &str, now: UnixTime) -> Result<Option<FlowRecord>, FlowStoreError>;
}

/// The in-memory [`FlowStore`], bounded.
#[derive(Debug, Default)]
pub struct MemoryFlows {
    records: Mutex<HashMap<String, (FlowRecord, UnixTime)>>,
}

/// The most logins in progress the memory store keeps.
const MAX_FLOWS: usize = 100_000;

impl MemoryFlows {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (FlowRecord, UnixTime)>> {
        // Every update is one map operation: a poisoned lock still holds a valid map.
        self.records
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[async_trait]
impl FlowStore for MemoryFlows {
    async fn put(
        &self,
        key: &str,
        record: FlowRecord,
        now: UnixTime,
        ttl: Duration,
    ) -> Result<(), FlowStoreError> {
        let mut records = self.lock();
        if records.len() >= MAX_FLOWS {
            records.retain(|_, (_, until)| *until > now);
        }
        if records.len() >= MAX_FLOWS {
            return Err(FlowStoreError("too many logins in progress"));
        }
        records.insert(key.to_owned(), (record, now.saturating_add(ttl)));
        Ok(())
    }

    async fn get(&self, key: &str, now: UnixTime) -> Result<Option<FlowRecord>, FlowStoreError> {
        Ok(self
            .lock()
            .get(key)
            .filter(|(_, until)| *until > now)
            .map(|(record, _)| record.clone()))
    }

    async fn take(&self, key: &str, now: UnixTime) -> Result<Option<FlowRecord>, FlowStoreError> {
        Ok(self
            .lock()
            .remove(key)
            .filter(|(_, until)| *until > now)
            .map(|(record, _)| record))
    }
}
