//! Data groups 1, 2 and 15 from arbitrary bytes: parsing must never panic.
#![no_main]

use eid_core::emrtd::datagroup;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = datagroup::data_group_number(data);
    let _ = datagroup::parse_dg1(data);
    let _ = datagroup::parse_dg2(data);
    let _ = datagroup::parse_dg15(data);
});
