//! Passive authentication on real SODs: US (RSA-2048 DS, RSA-4096 CSCA), UK (P-256 DS, P-384
//! CSCA, explicit parameters) and DE (brainpoolP384r1 DS, brainpoolP512r1 CSCA, explicit
//! parameters); cold (the DS chain verified on every call, by the store's CSCA key, parsed once,
//! which for the generic verifier keeps a table of precomputed multiples after its second use)
//! and cached.
//!
//! Measured (release, 2 cores shared with other builds, load average 5–7): DE cold 1.48 ms
//! (about 675 per second) and 14.1 million instructions per call (callgrind: inclusive cost of
//! `PassiveAuthenticator::verify` over its calls from `Bencher::iter`), of which the SOD
//! signature under the brainpoolP384r1 DS key (`bp384` crate) takes 10.3 million (DE cached)
//! and the DS certificate under the CSCA's brainpoolP512r1 key through its table (generic
//! verifier on `crypto-bigint`) 3.8 million; UK cold 0.38 ms, US cold 0.17 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use eid_core::clock::UnixTime;
use eid_core::emrtd::passive::PassiveAuthenticator;
use eid_core::emrtd::sod::Sod;
use eid_core::emrtd::trust::CscaStore;

/// 2026-11-22T00:00:00Z.
const NOW: UnixTime = UnixTime::from_secs(1_795_305_600);

const CASES: [(&str, &[u8], &[u8]); 3] = [
    (
        "US_rsa2048_rsa4096",
        include_bytes!("../tests/data/emrtd/real_sods/US_gmrtd/EF_SOD.bin"),
        include_bytes!("../tests/data/emrtd/real_sods/US_gmrtd/CSCA.cer"),
    ),
    (
        "UK_p256_p384",
        include_bytes!("../tests/data/emrtd/real_sods/UK_gmrtd/EF_SOD.bin"),
        include_bytes!("../tests/data/emrtd/real_sods/UK_gmrtd/CSCA.cer"),
    ),
    (
        "DE_bp384_bp512",
        include_bytes!("../tests/data/emrtd/real_sods/DE_gmrtd/EF_SOD.bin"),
        include_bytes!("../tests/data/emrtd/real_sods/DE_gmrtd/CSCA.cer"),
    ),
];

fn passive(c: &mut Criterion) {
    for (name, sod, csca) in CASES {
        let Ok(sod) = Sod::from_bytes(sod) else {
            continue;
        };
        let mut store = CscaStore::new();
        if store.add_certificate_der(csca).is_err() {
            continue;
        }
        let cold = PassiveAuthenticator::new(store.clone()).with_cache_capacity(0);
        let cached = PassiveAuthenticator::new(store);
        if cold.verify(&sod, &[], NOW).is_err() || cached.verify(&sod, &[], NOW).is_err() {
            continue;
        }
        c.bench_function(&format!("passive/{name}/cold"), |b| {
            b.iter(|| cold.verify(std::hint::black_box(&sod), &[], NOW).is_ok());
        });
        c.bench_function(&format!("passive/{name}/cached"), |b| {
            b.iter(|| cached.verify(std::hint::black_box(&sod), &[], NOW).is_ok());
        });
    }
}

criterion_group!(benches, passive);
criterion_main!(benches);
