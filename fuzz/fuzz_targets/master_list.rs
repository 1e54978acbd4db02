//! CSCA master lists from arbitrary bytes: parsing and signature checking must never panic.
#![no_main]

use eid_core::clock::UnixTime;
use eid_core::emrtd::trust::{CscaStore, MasterList};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = MasterList::from_bytes(data, UnixTime::from_secs(1_795_305_600), &CscaStore::new());
});
