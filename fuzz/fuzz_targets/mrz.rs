//! Machine-readable zones from arbitrary bytes: parsing must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = text.parse::<eid_core::mrz::UncheckedMrz>();
        let _ = text.parse::<eid_core::mrz::Mrz>();
    }
});
