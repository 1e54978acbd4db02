//! EF.SOD from arbitrary bytes: parsing (BER CMS, LDS security object) must never panic, and
//! neither must the integrity check of whatever parses.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(sod) = eid_core::emrtd::sod::Sod::from_bytes(data) {
        let _ = eid_core::emrtd::passive::check_integrity(&sod, &[]);
    }
});
