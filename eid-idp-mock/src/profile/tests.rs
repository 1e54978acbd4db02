use eid_core::claims::Destination;

use super::*;
use crate::person::{Persons, SubjectKey};

/// 2026-11-25T00:00:00Z.
const NOW: UnixTime = UnixTime::from_secs(1_795_564_800);

fn offered(profile: Profile, persons: &Persons) -> Vec<String> {
    persons
        .iter()
        .filter(|p| profile.offers(p))
        .map(|p| p.id().as_str().to_owned())
        .collect()
}

/// The claim names of what `profile` delivers for `id`, with `acr` and `amr`.
fn login(profile: Profile, id: &str) -> (LevelOfAssurance, Vec<String>, Vec<String>) {
    let persons = Persons::builtin(NOW).unwrap();
    let person = persons.get(id).unwrap();
    let subject = SubjectKey::default().subject(person.id()).unwrap();
    let authentication = profile
        .authenticate(person, subject, None, None, NOW)
        .unwrap();
    let claims: Vec<String> = authentication
        .identity
        .to_oidc_claims(&Release::full(Destination::UserInfo))
        .keys()
        .cloned()
        .collect();
    (authentication.acr, authentication.amr, claims)
}

fn names(list: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = list.iter().map(|s| (*s).to_owned()).collect();
    names.sort();
    names
}

fn sorted(mut list: Vec<String>) -> Vec<String> {
    list.sort();
    list
}

#[test]
fn each_profile_offers_the_persons_it_can_authenticate() {
    let persons = Persons::builtin(NOW).unwrap();
    assert_eq!(
        offered(Profile::BankIdLike, &persons),
        ["astrid", "bertil", "charlie", "dana", "eva", "frans"]
    );
    assert_eq!(
        offered(Profile::StateIdCard, &persons),
        [
            "astrid", "bertil", "charlie", "dana", "eva", "frans", "amina"
        ]
    );
    assert_eq!(offered(Profile::Workplace, &persons), ["eva", "frans"]);
    assert_eq!(offered(Profile::EidasNode, &persons), ["giulia"]);
}

#[test]
fn bank_id_like_gives_loa3_bankid_and_the_personal_number() {
    let (acr, amr, claims) = login(Profile::BankIdLike, "bertil");
    assert_eq!(acr, LevelOfAssurance::Loa3);
    assert_eq!(amr, ["BankID"]);
    // Bertil has an email; a BankID-like provider does not deliver it.
    assert_eq!(
        sorted(claims),
        names(&[
            "name",
            "given_name",
            "family_name",
            "birthdate",
            uri::PERSONAL_IDENTITY_NUMBER
        ])
    );
    let (_, _, claims) = login(Profile::BankIdLike, "dana");
    assert!(claims.contains(&uri::COORDINATION_NUMBER.to_owned()));
    assert!(claims.contains(&uri::COORDINATION_NUMBER_LEVEL.to_owned()));
    // An employee logs in as a private person: no organisational claims.
    let (_, _, claims) = login(Profile::BankIdLike, "eva");
    assert!(!claims.contains(&uri::ORG_AFFILIATION.to_owned()));
}

#[test]
fn the_state_id_card_gives_loa4_and_document_evidence() {
    let (acr, amr, claims) = login(Profile::StateIdCard, "astrid");
    assert_eq!(acr, LevelOfAssurance::Loa4);
    assert_eq!(amr, ["hwk", "pin", "mfa"]);
    assert!(claims.contains(&uri::PERSONAL_IDENTITY_NUMBER.to_owned()));
    assert!(claims.contains(&"verified_claims".to_owned()));
    let persons = Persons::builtin(NOW).unwrap();
    let astrid = persons.get("astrid").unwrap();
    let delivered = Profile::StateIdCard
        .deliver(astrid.identity(), NOW)
        .unwrap();
    let verified = serde_json::to_value(delivered.verified_claims().unwrap()).unwrap();
    assert_eq!(verified["verification"]["trust_framework"], "eidas");
    let document = &verified["verification"]["evidence"][0];
    assert_eq!(document["type"], "document");
    assert_eq!(document["validation_method"]["type"], "vpip");
    assert_eq!(document["verification_method"]["type"], "pvp");
    assert_eq!(document["document_details"]["type"], "idcard");
    assert_eq!(document["document_details"]["issuer"]["country_code"], "SE");
    assert_eq!(verified["claims"]["family_name"], "Ödmark");
    assert_eq!(verified["claims"]["birthdate"], "1985-01-01");
    // The delivered identity reads back from its own claims (what the engine releases).
    let claims = delivered.to_oidc_claims(&Release::full(Destination::UserInfo));
    assert_eq!(
        Identity::from_oidc_claims(&claims, NOW.date()).unwrap(),
        delivered
    );
    let (acr, _, claims) = login(Profile::StateIdCard, "amina");
    assert_eq!(acr, LevelOfAssurance::Loa3NonResident);
    assert_eq!(
        sorted(claims),
        names(&[
            "name",
            "given_name",
            "family_name",
            "birthdate",
            "verified_claims"
        ])
    );
}

#[test]
fn the_workplace_gives_the_organisational_identity() {
    let (acr, amr, claims) = login(Profile::Workplace, "eva");
    assert_eq!(acr, LevelOfAssurance::Loa3);
    assert_eq!(amr, ["sc", "pin", "mfa"]);
    assert_eq!(
        sorted(claims),
        names(&[
            "name",
            "given_name",
            "family_name",
            "email",
            uri::PERSONAL_IDENTITY_NUMBER,
            uri::ORG_AFFILIATION,
            uri::ORG_NUMBER,
            uri::ORG_NAME,
            uri::ORG_UNIT,
        ])
    );
}

#[test]
fn the_eidas_node_gives_the_eidas_identity() {
    let (acr, amr, claims) = login(Profile::EidasNode, "giulia");
    assert_eq!(acr, LevelOfAssurance::SwedenEidasNotifiedSubstantial);
    assert_eq!(amr, ["eIDAS"]);
    assert_eq!(
        sorted(claims),
        names(&[
            "name",
            "given_name",
            "family_name",
            "birthdate",
            uri::PRID,
            uri::PRID_PERSISTENCE,
            uri::EIDAS_PERSON_IDENTIFIER,
            uri::EIDAS_COUNTRY,
        ])
    );
}

#[test]
fn a_person_the_profile_cannot_authenticate_is_refused() {
    let persons = Persons::builtin(NOW).unwrap();
    let giulia = persons.get("giulia").unwrap();
    let subject = SubjectKey::default().subject(giulia.id()).unwrap();
    assert!(matches!(
        Profile::BankIdLike.authenticate(giulia, subject, None, None, NOW),
        Err(ProfileError::NotOffered)
    ));
}

#[test]
fn next_login_claims_and_level_replace_the_persons() {
    let persons = Persons::builtin(NOW).unwrap();
    let astrid = persons.get("astrid").unwrap();
    let subject = SubjectKey::default().subject(astrid.id()).unwrap();
    let other = Identity::default().with_given_name("Ersatz");
    let authentication = Profile::BankIdLike
        .authenticate(
            astrid,
            subject.clone(),
            Some(&other),
            Some(LevelOfAssurance::Loa2),
            NOW,
        )
        .unwrap();
    assert_eq!(authentication.acr, LevelOfAssurance::Loa2);
    assert_eq!(authentication.identity.given_name(), Some("Ersatz"));
    assert_eq!(authentication.subject, subject);
    // A personnummer at a non-resident level is refused.
    assert!(matches!(
        Profile::BankIdLike.authenticate(
            astrid,
            subject,
            None,
            Some(LevelOfAssurance::Loa3NonResident),
            NOW
        ),
        Err(ProfileError::Claims(_))
    ));
}

#[test]
fn profiles_read_from_their_configuration_names() {
    for profile in Profile::ALL {
        let json = format!("\"{}\"", profile.as_str());
        assert_eq!(serde_json::from_str::<Profile>(&json).unwrap(), profile);
        assert!(profile.levels().contains(&profile.acr()));
    }
}
