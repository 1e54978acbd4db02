//! Benchmarks for `eid_core::assurance`: parsing `acr` values and matching them.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};

const LOA3: &str = "http://id.elegnamnden.se/loa/1.0/loa3";
const ACR_VALUES: &str =
    "http://id.elegnamnden.se/loa/1.0/loa3 http://id.elegnamnden.se/loa/1.0/loa4";

fn bench(c: &mut Criterion) {
    c.bench_function("acr parse", |b| {
        b.iter(|| black_box(LOA3).parse::<LevelOfAssurance>())
    });

    let exact = Requirement::from_acr_values(ACR_VALUES, Matching::Exact);
    let minimum = Requirement::from_acr_values("idporten-loa-substantial", Matching::Minimum);
    let (Ok(exact), Ok(minimum)) = (exact, minimum) else {
        return;
    };
    c.bench_function("acr parse + satisfies (exact)", |b| {
        b.iter(|| {
            black_box(LOA3)
                .parse::<LevelOfAssurance>()
                .is_ok_and(|asserted| exact.is_satisfied_by(asserted))
        })
    });
    c.bench_function("acr parse + satisfies (minimum)", |b| {
        b.iter(|| {
            black_box("idporten-loa-high")
                .parse::<LevelOfAssurance>()
                .is_ok_and(|asserted| minimum.is_satisfied_by(asserted))
        })
    });
    c.bench_function("acr_values parse (2 values)", |b| {
        b.iter(|| Requirement::from_acr_values(black_box(ACR_VALUES), Matching::Exact))
    });
    c.bench_function("answer_for (exact, loa4 provider)", |b| {
        b.iter(|| exact.answer_for(black_box(LevelOfAssurance::Loa4)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
