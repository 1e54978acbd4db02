//! A bounded cache of DS chain outcomes, keyed by the SHA-256 of the DS certificate.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use crate::clock::UnixTime;
use crate::emrtd::trust::{Certificate, ChainOutcome, sha256};

/// The number of DS certificates cached by default.
pub const DEFAULT_CACHE_CAPACITY: usize = 1024;

#[derive(Debug)]
struct Entry {
    ds: Arc<Certificate>,
    anchor: Arc<Certificate>,
    length: usize,
    valid_from: UnixTime,
    valid_until: UnixTime,
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<[u8; 32], Entry>,
    order: VecDeque<[u8; 32]>,
}

/// The cache; entries are only used inside the validity window of their chain.
#[derive(Debug)]
pub(super) struct DsCache {
    capacity: usize,
    inner: Mutex<Inner>,
}

impl DsCache {
    pub(super) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            inner: Mutex::new(Inner::default()),
        }
    }

    pub(super) fn capacity(&self) -> usize {
        self.capacity
    }

    pub(super) fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entries
            .len()
    }

    /// The parsed certificate of a cached DS with these exact bytes.
    pub(super) fn certificate(&self, der: &[u8]) -> Option<Arc<Certificate>> {
        if self.capacity == 0 {
            return None;
        }
        let hash = sha256(der);
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner
            .entries
            .get(&hash)
            .filter(|entry| entry.ds.der() == der)
            .map(|entry| Arc::clone(&entry.ds))
    }

    /// The anchor and chain length cached for `hash`, if the entry holds at `now`.
    pub(super) fn get(&self, hash: &[u8; 32], now: UnixTime) -> Option<(Arc<Certificate>, usize)> {
        if self.capacity == 0 {
            return None;
        }
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = inner.entries.get(hash)?;
        if entry.valid_from <= now && now <= entry.valid_until {
            return Some((Arc::clone(&entry.anchor), entry.length));
        }
        inner.entries.remove(hash);
        None
    }

    pub(super) fn insert(&self, hash: [u8; 32], ds: &Arc<Certificate>, outcome: &ChainOutcome) {
        if self.capacity == 0 {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = Entry {
            ds: Arc::clone(ds),
            anchor: Arc::clone(&outcome.anchor),
            length: outcome.length,
            valid_from: outcome.valid_from,
            valid_until: outcome.valid_until,
        };
        if inner.entries.insert(hash, entry).is_some() {
            return;
        }
        inner.order.push_back(hash);
        while inner.entries.len() > self.capacity {
            match inner.order.pop_front() {
                Some(oldest) => {
                    inner.entries.remove(&oldest);
                }
                None => break,
            }
        }
        // Keys of entries removed as stale stay in `order`; drop them when it grows too long.
        if inner.order.len() > self.capacity.saturating_mul(2) {
            let Inner { entries, order } = &mut *inner;
            order.retain(|key| entries.contains_key(key));
        }
    }
}
