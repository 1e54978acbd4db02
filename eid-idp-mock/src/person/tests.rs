use eid_core::claims::{Evidence, NationalId, uri};
use eid_core::identifier::CoordinationNumberLevel;

use super::*;

/// 2026-11-25T00:00:00Z.
const NOW: UnixTime = UnixTime::from_secs(1_795_564_800);

#[test]
fn the_builtin_persons_load_with_their_kinds() {
    let persons = Persons::builtin(NOW).unwrap();
    let today = NOW.date();
    let kinds: Vec<(&str, PersonKind)> = persons
        .iter()
        .map(|p| (p.id().as_str(), p.kind(today)))
        .collect();
    assert_eq!(
        kinds,
        [
            ("astrid", PersonKind::Adult),
            ("bertil", PersonKind::Adult),
            ("charlie", PersonKind::Child),
            ("dana", PersonKind::Coordination),
            ("eva", PersonKind::Employee),
            ("frans", PersonKind::Employee),
            ("giulia", PersonKind::Eidas),
            ("amina", PersonKind::Passport),
        ]
    );
    let dana = persons.get("dana").unwrap();
    assert!(matches!(
        dana.identity().national_id(),
        Some(NationalId::Coordination {
            level: Some(CoordinationNumberLevel::Probable),
            ..
        })
    ));
    let eva = persons.get("eva").unwrap().identity();
    assert_eq!(
        eva.org_affiliation().unwrap().claim_value(),
        "SE2021009994-E0001@2021009994"
    );
    assert_eq!(eva.org_number().unwrap().as_str(), "2021009994");
    assert_eq!(eva.org_name(), Some("Testmyndigheten"));
    let giulia = persons.get("giulia").unwrap();
    assert_eq!(
        giulia.identity().prid().unwrap().claim_value(),
        "IT:TESTMOCK0001"
    );
    assert_eq!(
        giulia
            .identity()
            .eidas_person_identifier()
            .unwrap()
            .claim_value(),
        "IT/SE/TESTMOCK0001"
    );
    assert_eq!(
        giulia.acr(),
        Some(LevelOfAssurance::SwedenEidasNotifiedSubstantial)
    );
}

/// Every built-in Swedish number is one of the Tax Agency's test numbers.
#[test]
fn the_builtin_numbers_are_tax_agency_test_numbers() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../eid-core/tests/data/personnummer/"
    );
    let pins: Vec<String> =
        serde_json::from_slice(&std::fs::read(format!("{dir}allPins.json")).unwrap()).unwrap();
    let coords: Vec<String> =
        serde_json::from_slice(&std::fs::read(format!("{dir}allCoords.json")).unwrap()).unwrap();
    let persons = Persons::builtin(NOW).unwrap();
    let mut seen = 0;
    for person in persons.iter() {
        let claims = person
            .identity()
            .to_oidc_claims(&eid_core::claims::Release::full(
                eid_core::claims::Destination::UserInfo,
            ));
        if let Some(pnr) = claims.get(uri::PERSONAL_IDENTITY_NUMBER) {
            assert!(
                pins.iter().any(|p| p == pnr.as_str().unwrap()),
                "{}",
                person.id()
            );
            seen += 1;
        }
        if let Some(number) = claims.get(uri::COORDINATION_NUMBER) {
            assert!(
                coords.iter().any(|c| c == number.as_str().unwrap()),
                "{}",
                person.id()
            );
            seen += 1;
        }
    }
    assert_eq!(seen, 6);
}

#[test]
fn the_newcomer_comes_from_the_verified_passport() {
    let persons = Persons::builtin(NOW).unwrap();
    let amina = persons.get("amina").unwrap();
    assert_eq!(amina.display_name(), "Amina Sofia Testsson");
    assert_eq!(amina.acr(), Some(LevelOfAssurance::Loa3NonResident));
    let identity = amina.identity();
    assert!(identity.national_id().is_none());
    assert_eq!(identity.given_name(), Some("Amina Sofia"));
    assert_eq!(
        identity.birth_date(),
        Some(time::macros::date!(1990 - 03 - 15))
    );
    let verified = identity.verified_claims().unwrap();
    let element = &verified.elements()[0];
    assert_eq!(element.verification.trust_framework, "eidas");
    assert_eq!(
        element.verification.assurance_level.as_deref(),
        Some("substantial")
    );
    let evidence = element.verification.evidence.as_ref().unwrap();
    let Evidence::Document(document) = &evidence[0] else {
        panic!("document evidence expected");
    };
    let details = document.document_details.as_ref().unwrap();
    assert_eq!(details["type"], "passport");
    assert_eq!(details["document_number"], "X4K9P2T71");
    let checks: Vec<&str> = document.extra["check_details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["txn"].as_str().unwrap())
        .collect();
    assert_eq!(
        checks,
        [
            "passive_authentication",
            "active_authentication",
            "face_comparison"
        ]
    );
    assert_eq!(element.claims["family_name"], "TESTSSON");
}

#[test]
fn the_passport_does_not_verify_outside_its_signers_validity() {
    // The document signer is valid 2025-01-01..2036-01-01.
    let later = UnixTime::from_secs(2_200_000_000);
    assert!(matches!(
        Persons::builtin(later),
        Err(PersonError::Passport(_))
    ));
}

#[test]
fn a_persons_file_loads_with_acr_and_scenario() {
    let json = br#"{ "persons": [ {
        "id": "tove-1",
        "display_name": "Tove <Testsson>",
        "acr": "http://id.elegnamnden.se/loa/1.0/loa4",
        "scenario": {"scenario": "slow", "delay_ms": 10},
        "claims": {
            "given_name": "Tove",
            "https://id.oidc.se/claim/personalIdentityNumber": "198501022381"
        }
    } ] }"#;
    let persons = Persons::from_json(json, NOW).unwrap();
    let tove = persons.get("tove-1").unwrap();
    assert_eq!(tove.display_name(), "Tove <Testsson>");
    assert_eq!(tove.acr(), Some(LevelOfAssurance::Loa4));
    assert_eq!(tove.scenario(), Some(&Scenario::Slow { delay_ms: 10 }));
    let mut all = Persons::builtin(NOW).unwrap();
    let before = all.len();
    all.extend(persons).unwrap();
    assert_eq!(all.len(), before + 1);
}

#[test]
fn bad_persons_files_name_the_person_and_the_problem() {
    let person = |body: &str| {
        format!(
            r#"{{ "persons": [ {{ "id": "ok", "display_name": "Ok", "claims": {{}} }}, {body} ] }}"#
        )
    };
    let cases: Vec<(String, &str)> = vec![
        (
            person(r#"{ "id": "Upper", "display_name": "X", "claims": {} }"#),
            "persons[1].id",
        ),
        (
            person(r#"{ "id": "ok", "display_name": "X", "claims": {} }"#),
            "persons[1].id: `ok` is used twice",
        ),
        (
            person(r#"{ "id": "x", "display_name": "", "claims": {} }"#),
            "persons[1].display_name",
        ),
        (
            person(
                r#"{ "id": "x", "display_name": "X", "claims": { "https://id.oidc.se/claim/personalIdentityNumber": "198501022382" } }"#,
            ),
            "persons[1].claims",
        ),
        (
            person(r#"{ "id": "x", "display_name": "X", "acr": "loa9", "claims": {} }"#),
            "persons[1].acr",
        ),
        (
            person(
                r#"{ "id": "x", "display_name": "X", "acr": "http://id.swedenconnect.se/loa/1.0/loa3-nonresident",
                "claims": { "https://id.oidc.se/claim/personalIdentityNumber": "198501022381" } }"#,
            ),
            "persons[1]",
        ),
        (
            person(r#"{ "id": "x", "display_name": "X", "claims": {}, "nickname": "y" }"#),
            "persons file",
        ),
    ];
    for (json, expected) in cases {
        let error = Persons::from_json(json.as_bytes(), NOW).unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with(expected),
            "{message} (expected {expected})"
        );
        // A malformed number is never echoed.
        assert!(!message.contains("198501022382"), "{message}");
    }
    assert!(matches!(
        Persons::from_json(b"[]", NOW),
        Err(PersonError::Json(_))
    ));
}

#[test]
fn subjects_are_stable_keyed_and_not_personal_numbers() {
    let persons = Persons::builtin(NOW).unwrap();
    let key = SubjectKey::default();
    let astrid = persons.get("astrid").unwrap();
    let sub = key.subject(astrid.id()).unwrap();
    assert_eq!(sub.as_str().len(), 43);
    assert_eq!(sub, SubjectKey::default().subject(astrid.id()).unwrap());
    assert_ne!(
        sub,
        SubjectKey::new(b"another key of 16+ bytes")
            .subject(astrid.id())
            .unwrap()
    );
    let mut subjects: Vec<String> = persons
        .iter()
        .map(|p| key.subject(p.id()).unwrap().as_str().to_owned())
        .collect();
    assert!(!subjects.iter().any(|s| s.contains("198501012382")));
    subjects.sort();
    subjects.dedup();
    assert_eq!(subjects.len(), persons.len());
    assert_eq!(format!("{key:?}"), "SubjectKey([redacted])");
}

#[test]
fn debug_shows_no_personal_data() {
    let persons = Persons::builtin(NOW).unwrap();
    let debug = format!("{persons:?}");
    assert!(!debug.contains("198501012382"), "{debug}");
    assert!(!debug.contains("X4K9P2T71"), "{debug}");
}
