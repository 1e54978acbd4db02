use std::sync::Arc;

use eid_core::claims::NationalId;
use eid_core::claims::{Identity, Prid};
use eid_core::identifier::{CoordinationNumber, PersonalIdentityNumber};

use super::{
    MemoryAccounts, PersonKey, SubjectError, SubjectResolver, SubjectSecret, SubjectType,
    person_keys,
};

fn today() -> time::Date {
    time::macros::date!(2026 - 01 - 01)
}

fn secret() -> SubjectSecret {
    SubjectSecret::new(b"0123456789abcdef0123456789abcdef").unwrap()
}

fn pnr(n: &str) -> NationalId {
    NationalId::Personal(PersonalIdentityNumber::parse(n, today()).unwrap())
}

fn samn(n: &str) -> CoordinationNumber {
    CoordinationNumber::parse(n, today()).unwrap()
}

fn pairwise(sector: &str) -> SubjectType {
    SubjectType::Pairwise {
        sector: sector.to_owned(),
    }
}

#[test]
fn keys_come_strongest_first_and_never_show_in_debug() {
    let identity = Identity::default()
        .with_national_id(pnr("198501012382"))
        .with_prid("IT:ABC123".parse::<Prid>().unwrap());
    let keys = person_keys(&identity);
    assert_eq!(
        keys,
        [
            PersonKey::PersonalNumber("198501012382".to_owned()),
            PersonKey::Eidas("IT:ABC123".to_owned())
        ]
    );
    assert!(!format!("{keys:?}").contains("1985"));
    assert!(person_keys(&Identity::default()).is_empty());
    assert!(!format!("{:?}", secret()).contains("0123"));
}

#[test]
fn a_short_secret_is_refused() {
    assert!(SubjectSecret::new(b"too short").is_none());
}

#[tokio::test]
async fn pairwise_subjects_differ_per_sector_and_public_ones_do_not() {
    let resolver = SubjectResolver::without_store(secret());
    let astrid = Identity::default().with_national_id(pnr("198501012382"));
    let a = resolver
        .resolve(&astrid, &pairwise("a.example"))
        .await
        .unwrap();
    let b = resolver
        .resolve(&astrid, &pairwise("b.example"))
        .await
        .unwrap();
    assert_ne!(a.as_str(), b.as_str());
    assert_eq!(a.as_str().len(), 43);
    assert_eq!(
        resolver
            .resolve(&astrid, &pairwise("a.example"))
            .await
            .unwrap()
            .as_str(),
        a.as_str()
    );
    let public = resolver
        .resolve(&astrid, &SubjectType::Public)
        .await
        .unwrap();
    assert_ne!(public.as_str(), a.as_str());
    // Another secret, another sub.
    let other = SubjectResolver::without_store(
        SubjectSecret::new(b"another-secret-another-secret-xx").unwrap(),
    );
    assert_ne!(
        other
            .resolve(&astrid, &pairwise("a.example"))
            .await
            .unwrap()
            .as_str(),
        a.as_str()
    );
    assert!(matches!(
        resolver
            .resolve(&Identity::default(), &SubjectType::Public)
            .await,
        Err(SubjectError::NoPersonKey)
    ));
}

#[tokio::test]
async fn a_coordination_number_holder_keeps_the_sub_after_getting_a_personal_number() {
    let dana_before = Identity::default().with_national_id(NationalId::Coordination {
        number: samn("198001662397"),
        level: None,
    });
    let dana_after = Identity::default()
        .with_national_id(pnr("197801012399"))
        .with_previous_coordination_number(samn("198001662397"));
    for resolver in [
        SubjectResolver::without_store(secret()),
        SubjectResolver::with_store(secret(), Arc::new(MemoryAccounts::new())),
    ] {
        let before = resolver
            .resolve(&dana_before, &pairwise("s"))
            .await
            .unwrap();
        let after = resolver.resolve(&dana_after, &pairwise("s")).await.unwrap();
        assert_eq!(before.as_str(), after.as_str(), "{:?}", resolver.mode());
    }
}

#[tokio::test]
async fn a_store_links_keys_seen_together_and_holds_only_digests() {
    let store = Arc::new(MemoryAccounts::new());
    let resolver = SubjectResolver::with_store(secret(), store.clone());
    // First seen through an eIDAS node that also mapped a Swedish number.
    let via_eidas = Identity::default()
        .with_prid("IT:ABC123".parse::<Prid>().unwrap())
        .with_mapped_number(eid_core::claims::MappedNumber::Personal(
            PersonalIdentityNumber::parse("198501012382", today()).unwrap(),
        ));
    let first = resolver.resolve(&via_eidas, &pairwise("s")).await.unwrap();
    assert_eq!(store.len(), 2);
    // Later only the prid: the same account.
    let prid_only = Identity::default().with_prid("IT:ABC123".parse::<Prid>().unwrap());
    let again = resolver.resolve(&prid_only, &pairwise("s")).await.unwrap();
    assert_eq!(first.as_str(), again.as_str());
    // Without a store, the prid alone is another key: another sub.
    let stateless = SubjectResolver::without_store(secret());
    assert_ne!(
        stateless
            .resolve(&prid_only, &pairwise("s"))
            .await
            .unwrap()
            .as_str(),
        first.as_str()
    );
}

#[tokio::test]
async fn a_person_with_only_a_document_is_known_by_it() {
    let claims = serde_json::json!({
        "verified_claims": {
            "verification": {
                "trust_framework": "eidas",
                "evidence": [{
                    "type": "document",
                    "document_details": {
                        "type": "passport",
                        "document_number": "X4K9P2T71",
                        "issuer": { "country_code": "UTO" }
                    }
                }]
            },
            "claims": { "given_name": "Amina" }
        }
    });
    let identity = Identity::from_oidc_claims(claims.as_object().unwrap(), today()).unwrap();
    assert_eq!(
        person_keys(&identity),
        [PersonKey::Document("UTO:passport:X4K9P2T71".to_owned())]
    );
    let resolver = SubjectResolver::without_store(secret());
    let a = resolver.resolve(&identity, &pairwise("s")).await.unwrap();
    assert_eq!(
        resolver
            .resolve(&identity, &pairwise("s"))
            .await
            .unwrap()
            .as_str(),
        a.as_str()
    );
}
