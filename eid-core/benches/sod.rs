//! Benchmarks of `eid_core::emrtd` parsing: EF.SODs (a DER one and New Zealand's BER one with
//! indefinite lengths), a DG2 facial image, and the Dutch CSCA master list (411 certificates).
#![expect(clippy::expect_used, reason = "the fixtures are known-valid test data")]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use eid_core::emrtd::cms::{CscaMasterList, SignedData};
use eid_core::emrtd::datagroup::{parse_dg1, parse_dg2};
use eid_core::emrtd::sod::Sod;

const SOD_DE: &[u8] = include_bytes!("../tests/data/emrtd/real_sods/DE_gmrtd/EF_SOD.bin");
const SOD_NZ: &[u8] = include_bytes!("../tests/data/emrtd/real_sods/NZ_gmrtd/EF_SOD.bin");
const DG1: &[u8] = include_bytes!("../tests/data/emrtd/nl_specimen_2006/EF_DG1.bin");
const DG2: &[u8] = include_bytes!("../tests/data/emrtd/nl_specimen_2006/EF_DG2.bin");
const MASTER_LIST: &[u8] = include_bytes!("../tests/data/emrtd/masterlists/NL_ML_2026-07-22.ml");

fn bench(c: &mut Criterion) {
    c.bench_function("sod parse DE (DER)", |b| {
        b.iter(|| Sod::from_bytes(black_box(SOD_DE)));
    });
    c.bench_function("sod parse NZ (BER indefinite)", |b| {
        b.iter(|| Sod::from_bytes(black_box(SOD_NZ)));
    });
    c.bench_function("dg1 parse", |b| {
        b.iter(|| parse_dg1(black_box(DG1)));
    });
    c.bench_function("dg2 parse (13.8 KB)", |b| {
        b.iter(|| parse_dg2(black_box(DG2)));
    });
    c.bench_function("master list parse NL (411 certificates)", |b| {
        b.iter(|| {
            let signed_data = SignedData::from_content_info_ber(black_box(MASTER_LIST))
                .expect("the Dutch master list parses");
            CscaMasterList::from_signed_data(&signed_data)
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
