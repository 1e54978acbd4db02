//! Benchmarks of `eid_core::identifier`: personnummer and samordningsnummer parsing.
//!
//! `cargo bench -p eid-core --bench identifier -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use eid_core::identifier::{CoordinationNumber, PersonNumber, PersonalIdentityNumber};
use time::macros::date;

fn personnummer(c: &mut Criterion) {
    let today = date!(2026 - 11 - 25);
    let mut group = c.benchmark_group("personnummer parse");
    // Tax Agency test numbers (tests/data/personnummer/allPins.json).
    group.bench_function("12-digit claim form (FromStr)", |b| {
        b.iter(|| black_box("189001019802").parse::<PersonalIdentityNumber>())
    });
    group.bench_function("12-digit", |b| {
        b.iter(|| PersonalIdentityNumber::parse(black_box("189001019802"), today))
    });
    group.bench_function("10-digit with separator", |b| {
        b.iter(|| PersonalIdentityNumber::parse(black_box("900101+9802"), today))
    });
    group.bench_function("10-digit with separator, either kind", |b| {
        b.iter(|| PersonNumber::parse(black_box("900101+9802"), today))
    });
    group.finish();

    let mut group = c.benchmark_group("coordination number parse");
    // Tax Agency test numbers (tests/data/personnummer/allCoords.json).
    group.bench_function("12-digit", |b| {
        b.iter(|| CoordinationNumber::parse(black_box("191401682396"), today))
    });
    group.bench_function("10-digit with separator", |b| {
        b.iter(|| CoordinationNumber::parse(black_box("140168+2396"), today))
    });
    group.finish();
}

criterion_group!(benches, personnummer);
criterion_main!(benches);
