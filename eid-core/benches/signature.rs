//! Benchmarks of `eid_core::emrtd::signature`: verifying real document signer certificates under
//! their CSCA, one per implementation path (`ring` RSA, the `bp384` crate, the generic verifier
//! on brainpoolP512r1, on P-384 with SHA-256 and on P-256 with SHA-1, with the key's
//! precomputed table, and on brainpoolP512r1 also with a key used once), and reading an
//! explicit-parameter key.
//!
//! Measured (release, callgrind instructions per verification; wall clock on 2 cores shared
//! with other builds, load average 5–7), the generic verifier on `crypto-bigint`'s
//! `ConstMontyForm`: brainpoolP512r1 3.8 million / 0.56 ms through the key's table and
//! 11.3 million / 1.8 ms with a key used once; P-384 with SHA-256 1.9 million / 0.26 ms; P-256
//! with SHA-1 0.66 million / 0.11 ms; the `bp384` crate on brainpoolP384r1 10.1 million /
//! 1.1 ms.
#![expect(
    clippy::expect_used,
    reason = "the fixtures are known-valid certificates"
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use eid_core::emrtd::signature::{PublicKey, SignatureAlgorithm};
use x509_parser::asn1_rs::ToDer as _;
use x509_parser::prelude::{FromDer as _, X509Certificate};

macro_rules! data {
    ($path:literal) => {
        include_bytes!(concat!("../tests/data/emrtd/real_sods/", $path)).as_slice()
    };
}

/// (name, DS certificate, CSCA certificate).
const CASES: [(&str, &[u8], &[u8]); 6] = [
    (
        "US RSA-4096 PKCS#1 SHA-256 (ring)",
        data!("US_gmrtd/DS.cer"),
        data!("US_gmrtd/CSCA.cer"),
    ),
    (
        "MY RSA-3072 PSS SHA-256 (ring)",
        data!("MY_gmrtd/DS.cer"),
        data!("MY_gmrtd/CSCA.cer"),
    ),
    (
        "UK P-384 explicit SHA-256 (generic)",
        data!("UK_gmrtd/DS.cer"),
        data!("UK_gmrtd/CSCA.cer"),
    ),
    (
        "AT brainpoolP384r1 explicit SHA-384 (bp384)",
        data!("AT_gmrtd/DS.cer"),
        data!("AT_gmrtd/CSCA.cer"),
    ),
    (
        "DE brainpoolP512r1 explicit SHA-512 (generic)",
        data!("DE_gmrtd/DS.cer"),
        data!("DE_gmrtd/CSCA.cer"),
    ),
    (
        "RU P-256 explicit SHA-1 (generic)",
        data!("RU_gmrtd/DS.cer"),
        data!("RU_gmrtd/CSCA.cer"),
    ),
];

struct Prepared {
    key: PublicKey,
    algorithm: SignatureAlgorithm,
    tbs: Vec<u8>,
    signature: Vec<u8>,
}

fn prepare(ds: &[u8], csca: &[u8]) -> Prepared {
    let (_, ds) = X509Certificate::from_der(ds).expect("DS certificate");
    let (_, csca) = X509Certificate::from_der(csca).expect("CSCA certificate");
    let key = PublicKey::from_spki_der(csca.tbs_certificate.subject_pki.raw).expect("CSCA key");
    let parameters = ds
        .signature_algorithm
        .parameters
        .as_ref()
        .map(|p| p.to_der_vec().expect("parameters"));
    let algorithm = SignatureAlgorithm::from_algorithm_identifier(
        &ds.signature_algorithm.algorithm.to_id_string(),
        parameters.as_deref(),
        None,
    )
    .expect("algorithm");
    Prepared {
        key,
        algorithm,
        tbs: ds.tbs_certificate.as_ref().to_vec(),
        signature: ds.signature_value.data.to_vec(),
    }
}

fn bench(c: &mut Criterion) {
    for (name, ds, csca) in CASES {
        let prepared = prepare(ds, csca);
        c.bench_function(&format!("verify DS certificate: {name}"), |b| {
            b.iter(|| {
                prepared
                    .key
                    .verify(
                        black_box(&prepared.algorithm),
                        black_box(&prepared.tbs),
                        black_box(&prepared.signature),
                    )
                    .expect("valid")
            });
        });
    }
    let (_, de_csca) =
        X509Certificate::from_der(data!("DE_gmrtd/CSCA.cer")).expect("DE CSCA certificate");
    let spki = de_csca.tbs_certificate.subject_pki.raw;
    // The loop above verifies with one key again and again, so the generic verifier uses the
    // key's precomputed table from the second iteration on; a key used once has none.
    let de = prepare(data!("DE_gmrtd/DS.cer"), data!("DE_gmrtd/CSCA.cer"));
    c.bench_function(
        "verify DS certificate: DE brainpoolP512r1 explicit SHA-512 (generic, key used once)",
        |b| {
            b.iter(|| {
                PublicKey::from_spki_der(black_box(spki))
                    .expect("key")
                    .verify(&de.algorithm, black_box(&de.tbs), black_box(&de.signature))
                    .expect("valid")
            });
        },
    );
    c.bench_function("key from SPKI: brainpoolP512r1 explicit parameters", |b| {
        b.iter(|| PublicKey::from_spki_der(black_box(spki)).expect("key"));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
