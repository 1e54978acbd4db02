//! Benchmarks for `eid_core::claims`: reading an identity from a claims map, releasing it by
//! scope, and parsing a `claims` request parameter.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use eid_core::claims::{ClaimsRequest, Destination, Identity, Release, Scopes};
use serde_json::json;
use time::macros::date;

const CLAIMS_REQUEST: &str = r#"{"id_token": {"acr": {"essential": true, "values": ["http://id.elegnamnden.se/loa/1.0/loa3"]}, "https://id.oidc.se/claim/authnProvider": null}, "userinfo": {"https://id.oidc.se/claim/coordinationNumberLevel": null}}"#;

fn bench(c: &mut Criterion) {
    let today = date!(2026 - 11 - 25);
    let upstream = json!({
        "sub": "4f1c2a",
        "name": "Agda Andersson",
        "given_name": "Agda",
        "family_name": "Andersson",
        "birthdate": "1950-06-26",
        "https://id.oidc.se/claim/personalIdentityNumber": "195006262546",
        "https://id.oidc.se/claim/orgAffiliation": "agda.a@5562265719",
        "https://id.oidc.se/claim/orgName": "Exempel AB",
        "https://id.oidc.se/claim/orgNumber": "5562265719",
        "https://id.oidc.se/claim/credentialValidFrom": 1_700_000_000u64,
        "https://id.oidc.se/claim/credentialValidTo": 1_800_000_000u64,
        "https://id.oidc.se/claim/authnProvider": "http://id.elegnamnden.se/idp/bankid",
    });
    let Some(map) = upstream.as_object() else {
        return;
    };
    c.bench_function("claims from_oidc_claims (12 claims)", |b| {
        b.iter(|| Identity::from_oidc_claims(black_box(map), today))
    });

    let (Ok(identity), Ok(scopes)) = (
        Identity::from_oidc_claims(map, today),
        Scopes::parse(
            "openid https://id.oidc.se/scope/naturalPersonInfo \
             https://id.oidc.se/scope/naturalPersonNumber https://id.oidc.se/scope/naturalPersonOrgId",
        ),
    ) else {
        return;
    };
    c.bench_function(
        "claims Release::new + to_oidc_claims (userinfo, 3 scopes)",
        |b| {
            b.iter(|| {
                let release = Release::new(black_box(&scopes), None, Destination::UserInfo);
                identity.to_oidc_claims(&release)
            })
        },
    );
    c.bench_function("claims ClaimsRequest::from_json", |b| {
        b.iter(|| ClaimsRequest::from_json(black_box(CLAIMS_REQUEST)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
