//! Benchmarks of `eid_core::mrz`: parsing a TD3 and a TD1 with every check digit, and deriving
//! the BAC keys (three SHA-1s: the seed, then one per key).
#![expect(clippy::expect_used, reason = "the fixtures are known-valid specimens")]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use eid_core::mrz::{BacKeys, Mrz};

const TD3: [&str; 2] = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
];

const TD1: [&str; 3] = [
    "I<UTOD23145890<7349<<<<<<<<<<<",
    "3407127M9507122UTO<<<<<<<<<<<2",
    "STEVENSON<<PETER<JOHN<<<<<<<<<",
];

fn bench(c: &mut Criterion) {
    c.bench_function("mrz parse TD3", |b| {
        b.iter(|| Mrz::parse(black_box(&TD3)));
    });
    c.bench_function("mrz parse TD1", |b| {
        b.iter(|| Mrz::parse(black_box(&TD1)));
    });
    let information = Mrz::parse(&TD3)
        .expect("the ICAO TD3 specimen parses")
        .mrz_information();
    c.bench_function("bac keys", |b| {
        b.iter(|| BacKeys::derive(black_box(&information)));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
