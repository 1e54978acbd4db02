use proptest::prelude::*;
use serde_json::{Map, Value, json};
use time::macros::date;

use super::*;

const TODAY: time::Date = date!(2026 - 11 - 25);
const PNR: &str = "195006262546";
const SAMNR: &str = "199008672397";
const SAMNR2: &str = "197010632391";

fn map(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

fn parse(v: Value) -> Result<Identity, ClaimsError> {
    Identity::from_oidc_claims(&map(v), TODAY)
}

fn keys(m: &Map<String, Value>) -> Vec<&str> {
    let mut k: Vec<&str> = m.keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

fn sorted(mut v: Vec<&str>) -> Vec<&str> {
    v.sort_unstable();
    v
}

/// A claims map with every claim of the personnummer branch.
fn full_personal() -> Value {
    json!({
        "name": "Agda Andersson",
        "given_name": "Agda",
        "family_name": "Andersson",
        "middle_name": "Maria",
        "nickname": "Aggan",
        "preferred_username": "agda",
        "gender": "female",
        "birthdate": "1950-06-26",
        "locale": "sv-SE",
        "email": "agda@example.se",
        "email_verified": true,
        "phone_number": "+46701234567",
        "phone_number_verified": false,
        "birth_family_name": "Berg",
        "birth_given_name": "Agda",
        "birth_middle_name": "Maria",
        "place_of_birth": {"country": "SE", "locality": "Umeå"},
        "nationalities": ["SE", "FI"],
        "verified_claims": {
            "verification": {
                "trust_framework": "eidas",
                "assurance_level": "high",
                "time": "2026-11-25T10:00:00Z",
                "verification_process": "f24c6f-6d3f-4ec5-973e-b0d8506f3bc7",
                "evidence": [{
                    "type": "document",
                    "validation_method": {"type": "vpip"},
                    "verification_method": {"type": "pvp"},
                    "time": "2026-11-25T09:00:00Z",
                    "document_details": {"type": "idcard", "document_number": "12345678"}
                }, {
                    "type": "electronic_record",
                    "check_details": [{"check_method": "data", "type": "kbv"}],
                    "record": {"type": "population_register"}
                }]
            },
            "claims": {"given_name": "Agda", "family_name": "Andersson"}
        },
        "https://id.oidc.se/claim/personalIdentityNumber": PNR,
        "https://id.oidc.se/claim/previousCoordinationNumber": SAMNR,
        "https://id.oidc.se/claim/orgAffiliation": "agda.a@5562265719",
        "https://id.oidc.se/claim/orgName": "Exempel AB",
        "https://id.oidc.se/claim/orgNumber": "5562265719",
        "https://id.oidc.se/claim/orgUnit": "IT",
        "https://id.oidc.se/claim/userCertificate": "MIIBIjAN",
        "https://id.oidc.se/claim/userSignature": "c2lnbmF0dXJl",
        "https://id.oidc.se/claim/credentialValidFrom": 1_700_000_000u64,
        "https://id.oidc.se/claim/credentialValidTo": 1_800_000_000u64,
        "https://id.oidc.se/claim/deviceIp": "192.0.2.10",
        "https://id.oidc.se/claim/authnEvidence": "ZXZpZGVuY2U=",
        "https://id.oidc.se/claim/authnProvider": "http://id.elegnamnden.se/idp/bankid",
        "https://id.swedenconnect.se/claim/prid": "NO:5068907693",
        "https://id.swedenconnect.se/claim/pridPersistence": "A",
        "https://id.swedenconnect.se/claim/eidasPersonIdentifier": "NO/SE/05068907693",
        "https://id.swedenconnect.se/claim/eidasCountry": "NO",
        "https://id.swedenconnect.se/claim/mappedPersonalIdentityNumber": "201801012392",
        "https://id.swedenconnect.se/claim/identityBinding":
            "http://id.swedenconnect.se/id-binding/process/populationregister;http://id.swedenconnect.se/id-binding/process/swedish-eid",
    })
}

fn full_coordination() -> Value {
    json!({
        "given_name": "Kalle",
        "https://id.oidc.se/claim/coordinationNumber": SAMNR,
        "https://id.oidc.se/claim/coordinationNumberLevel": "probable",
        "https://id.swedenconnect.se/claim/mappedCoordinationNumber": SAMNR2,
    })
}

// --- round trips ---

#[test]
fn round_trip_full_personal_is_lossless() {
    let input = map(full_personal());
    let id = Identity::from_oidc_claims(&input, TODAY).unwrap();
    for destination in [Destination::IdToken, Destination::UserInfo] {
        let out = id.to_oidc_claims(&Release::full(destination));
        assert_eq!(out, input, "canonical input is reproduced exactly");
        assert_eq!(Identity::from_oidc_claims(&out, TODAY).unwrap(), id);
    }
}

#[test]
fn round_trip_full_coordination_is_lossless() {
    let input = map(full_coordination());
    let id = Identity::from_oidc_claims(&input, TODAY).unwrap();
    assert!(matches!(
        id.national_id(),
        Some(NationalId::Coordination { level: Some(_), .. })
    ));
    let out = id.to_oidc_claims(&Release::full(Destination::UserInfo));
    assert_eq!(out, input);
    assert_eq!(Identity::from_oidc_claims(&out, TODAY).unwrap(), id);
}

#[test]
fn round_trip_of_built_identity() {
    let id = Identity::default()
        .with_given_name("Tolvan")
        .with_family_name("Tolvansson")
        .with_birthdate("0000-12-12".parse().unwrap())
        .with_device_ip("2001:db8::1".parse().unwrap())
        .with_credential_valid_from(crate::clock::UnixTime::from_secs(5))
        .with_nationalities(vec!["SE".parse().unwrap()])
        .with_prid_persistence(PridPersistence::C)
        .with_org_affiliation("x@5562265719".parse().unwrap());
    let out = id.to_oidc_claims(&Release::full(Destination::IdToken));
    assert_eq!(Identity::from_oidc_claims(&out, TODAY).unwrap(), id);
}

#[test]
fn null_claims_count_as_absent_and_unknown_claims_are_ignored() {
    let id = parse(json!({"sub": "x", "iss": "https://op", "given_name": null, "acr": 3})).unwrap();
    assert_eq!(id, Identity::default());
}

// --- scopes ---

fn scope_keys(scope: &str, destination: Destination) -> Vec<String> {
    let id = Identity::from_oidc_claims(&map(full_personal()), TODAY).unwrap();
    let scopes = Scopes::parse(&format!("openid {scope}")).unwrap();
    let out = id.to_oidc_claims(&Release::new(&scopes, None, destination));
    let mut k: Vec<String> = out.keys().cloned().collect();
    k.sort_unstable();
    k
}

#[test]
fn scope_openid_releases_nothing() {
    assert!(scope_keys("", Destination::IdToken).is_empty());
    assert!(scope_keys("", Destination::UserInfo).is_empty());
}

#[test]
fn scope_profile() {
    assert!(scope_keys("profile", Destination::IdToken).is_empty());
    assert_eq!(
        scope_keys("profile", Destination::UserInfo),
        sorted(vec![
            "birthdate",
            "family_name",
            "gender",
            "given_name",
            "locale",
            "middle_name",
            "name",
            "nickname",
            "preferred_username"
        ])
    );
}

#[test]
fn scope_email_and_phone() {
    assert_eq!(
        scope_keys("email", Destination::UserInfo),
        ["email", "email_verified"]
    );
    assert_eq!(
        scope_keys("phone", Destination::UserInfo),
        ["phone_number", "phone_number_verified"]
    );
    assert!(scope_keys("email phone", Destination::IdToken).is_empty());
}

#[test]
fn scope_natural_person_info() {
    let s = uri::SCOPE_NATURAL_PERSON_INFO;
    assert!(scope_keys(s, Destination::IdToken).is_empty());
    assert_eq!(
        scope_keys(s, Destination::UserInfo),
        [
            "birthdate",
            "family_name",
            "given_name",
            "middle_name",
            "name"
        ]
    );
    let release = Release::new(&Scopes::parse(s).unwrap(), None, Destination::UserInfo);
    assert!(!release.is_essential(Claim::GivenName));
}

#[test]
fn scope_natural_person_number_personal() {
    let s = uri::SCOPE_NATURAL_PERSON_NUMBER;
    for d in [Destination::IdToken, Destination::UserInfo] {
        assert_eq!(scope_keys(s, d), [uri::PERSONAL_IDENTITY_NUMBER]);
        let release = Release::new(&Scopes::parse(s).unwrap(), None, d);
        assert!(release.is_essential(Claim::PersonalIdentityNumber));
        assert!(release.is_essential(Claim::CoordinationNumber));
        assert!(
            !release.contains(Claim::PreviousCoordinationNumber),
            "in no scope"
        );
        assert!(
            !release.contains(Claim::CoordinationNumberLevel),
            "via claims only"
        );
    }
}

#[test]
fn scope_natural_person_number_coordination() {
    let id = parse(full_coordination()).unwrap();
    let scopes = Scopes::parse(uri::SCOPE_NATURAL_PERSON_NUMBER).unwrap();
    let out = id.to_oidc_claims(&Release::new(&scopes, None, Destination::IdToken));
    assert_eq!(keys(&out), [uri::COORDINATION_NUMBER]);
}

#[test]
fn scope_natural_person_org_id() {
    let s = uri::SCOPE_NATURAL_PERSON_ORG_ID;
    assert_eq!(scope_keys(s, Destination::IdToken), [uri::ORG_AFFILIATION]);
    assert_eq!(
        scope_keys(s, Destination::UserInfo),
        sorted(vec![
            "name",
            uri::ORG_AFFILIATION,
            uri::ORG_NAME,
            uri::ORG_NUMBER
        ])
    );
    let release = Release::new(&Scopes::parse(s).unwrap(), None, Destination::UserInfo);
    assert!(release.is_essential(Claim::OrgAffiliation));
    assert!(!release.is_essential(Claim::OrgName));
}

#[test]
fn scope_sign() {
    assert_eq!(
        scope_keys(uri::SCOPE_SIGN, Destination::IdToken),
        [uri::USER_SIGNATURE]
    );
    assert!(scope_keys(uri::SCOPE_SIGN, Destination::UserInfo).is_empty());
    assert!(scope_keys(uri::SCOPE_SIGN_APPROVAL, Destination::IdToken).is_empty());
}

#[test]
fn scope_eidas_natural_person_identity() {
    let s = uri::SCOPE_EIDAS_NATURAL_PERSON_IDENTITY;
    assert_eq!(
        scope_keys(s, Destination::IdToken),
        sorted(vec![uri::PRID, uri::PRID_PERSISTENCE])
    );
    assert_eq!(
        scope_keys(s, Destination::UserInfo),
        sorted(vec![
            uri::PRID,
            uri::PRID_PERSISTENCE,
            uri::EIDAS_PERSON_IDENTIFIER
        ])
    );
}

#[test]
fn scope_eidas_swedish_identity() {
    let s = uri::SCOPE_EIDAS_SWEDISH_IDENTITY;
    assert!(scope_keys(s, Destination::IdToken).is_empty());
    assert_eq!(
        scope_keys(s, Destination::UserInfo),
        sorted(vec![
            uri::IDENTITY_BINDING,
            uri::MAPPED_PERSONAL_IDENTITY_NUMBER
        ])
    );
}

#[test]
fn scopes_parse_ignores_unknown_and_limits_count() {
    let scopes = Scopes::parse("openid  foo profile").unwrap();
    assert_eq!(
        scopes.iter().collect::<Vec<_>>(),
        [Scope::Openid, Scope::Profile]
    );
    let many = vec!["x"; Scopes::MAX_VALUES + 1].join(" ");
    assert!(matches!(
        Scopes::parse(&many),
        Err(ClaimsError::ScopeTooLong { .. })
    ));
    assert!(matches!(
        "bogus".parse::<Scope>(),
        Err(ClaimsError::UnknownScope)
    ));
    for scope in Scope::ALL {
        assert_eq!(scope.as_str().parse::<Scope>().unwrap(), *scope);
    }
}

#[test]
fn claim_names_round_trip() {
    for claim in Claim::ALL {
        assert_eq!(Claim::from_name(claim.name()), Some(*claim));
    }
    assert_eq!(Claim::from_name("sub"), None);
}

// --- claims request and destination rules ---

#[test]
fn claims_request_parses_and_adds_to_destination() {
    let request = ClaimsRequest::from_json(
        r#"{"id_token": {"given_name": {"essential": true}, "acr": {"essential": true, "values": ["http://id.elegnamnden.se/loa/1.0/loa3"]}},
            "userinfo": {"https://id.oidc.se/claim/coordinationNumberLevel": null, "unknown_claim": null}}"#,
    )
    .unwrap();
    assert!(request.acr().unwrap().unwrap().is_essential());
    let scopes = Scopes::parse("openid").unwrap();
    let id_token = Release::new(&scopes, Some(&request), Destination::IdToken);
    assert!(id_token.is_essential(Claim::GivenName));
    assert_eq!(id_token.claims().collect::<Vec<_>>(), [Claim::GivenName]);
    let userinfo = Release::new(&scopes, Some(&request), Destination::UserInfo);
    assert_eq!(
        userinfo.claims().collect::<Vec<_>>(),
        [Claim::CoordinationNumberLevel]
    );
}

#[test]
fn claim_in_id_token_from_userinfo_scope_also_goes_to_userinfo() {
    let request = ClaimsRequest::default().with(Destination::IdToken, "given_name", None);
    let scopes = Scopes::parse(uri::SCOPE_NATURAL_PERSON_INFO).unwrap();
    assert!(Release::new(&scopes, Some(&request), Destination::IdToken).contains(Claim::GivenName));
    assert!(
        Release::new(&scopes, Some(&request), Destination::UserInfo).contains(Claim::GivenName)
    );
}

#[test]
fn authentication_information_asked_for_userinfo_also_goes_to_id_token() {
    let request = ClaimsRequest::default()
        .with(Destination::UserInfo, uri::AUTHN_PROVIDER, None)
        .with(Destination::UserInfo, uri::ORG_NAME, None);
    let scopes = Scopes::default();
    let id_token = Release::new(&scopes, Some(&request), Destination::IdToken);
    assert!(id_token.contains(Claim::AuthnProvider));
    assert!(!id_token.contains(Claim::OrgName));
}

#[test]
fn requested_value_mismatch_is_withheld_and_fails_essential_check() {
    let id = parse(full_personal()).unwrap();
    let scopes = Scopes::parse("openid").unwrap();
    let wrong = ClaimsRequest::default().with(
        Destination::IdToken,
        uri::PERSONAL_IDENTITY_NUMBER,
        Some(IndividualClaimRequest::essential().with_value(json!("201801012392"))),
    );
    let release = Release::new(&scopes, Some(&wrong), Destination::IdToken);
    assert!(
        !format!("{wrong:?} {release:?}").contains("201801012392"),
        "Debug is redacted"
    );
    assert!(id.to_oidc_claims(&release).is_empty());
    assert!(matches!(
        id.check_essential(&release),
        Err(ClaimsError::EssentialValueMismatch {
            claim: Claim::PersonalIdentityNumber
        })
    ));
    let right = ClaimsRequest::default().with(
        Destination::IdToken,
        uri::PERSONAL_IDENTITY_NUMBER,
        Some(IndividualClaimRequest::essential().with_values(vec![json!("x"), json!(PNR)])),
    );
    let release = Release::new(&scopes, Some(&right), Destination::IdToken);
    assert_eq!(
        keys(&id.to_oidc_claims(&release)),
        [uri::PERSONAL_IDENTITY_NUMBER]
    );
    id.check_essential(&release).unwrap();
}

#[test]
fn essential_number_is_satisfied_by_either_number() {
    let scopes = Scopes::parse(uri::SCOPE_NATURAL_PERSON_NUMBER).unwrap();
    let release = Release::new(&scopes, None, Destination::IdToken);
    parse(full_coordination())
        .unwrap()
        .check_essential(&release)
        .unwrap();
    parse(full_personal())
        .unwrap()
        .check_essential(&release)
        .unwrap();
    assert!(matches!(
        parse(json!({"given_name": "A"}))
            .unwrap()
            .check_essential(&release),
        Err(ClaimsError::EssentialClaimMissing {
            claim: Claim::PersonalIdentityNumber
        })
    ));
}

#[test]
fn claims_request_errors() {
    assert!(matches!(
        ClaimsRequest::from_json("{\"id_token\": 3}"),
        Err(ClaimsError::MalformedClaimsRequest { .. })
    ));
    assert!(matches!(
        ClaimsRequest::from_json("{\"userinfo\": {\"a\": {\"essential\": \"yes\"}}}"),
        Err(ClaimsError::MalformedClaimsRequest { .. })
    ));
    let big = format!(
        "{{\"userinfo\": {{\"a\": {{\"value\": \"{}\"}}}}}}",
        "x".repeat(20_000)
    );
    assert!(matches!(
        ClaimsRequest::from_json(&big),
        Err(ClaimsError::ClaimsRequestTooLarge { .. })
    ));
    let many: Vec<String> = (0..101).map(|i| format!("\"c{i}\": null")).collect();
    let json = format!("{{\"id_token\": {{{}}}}}", many.join(","));
    assert!(matches!(
        ClaimsRequest::from_json(&json),
        Err(ClaimsError::TooManyRequestedClaims {
            count: 101,
            max: 100
        })
    ));
}

#[test]
fn claims_request_serde_round_trip() {
    let json = json!({"userinfo": {"given_name": null, "email": {"essential": true}},
                      "id_token": {"acr": {"values": ["a", "b"]}}});
    let request = ClaimsRequest::from_json(&json.to_string()).unwrap();
    assert_eq!(serde_json::to_value(&request).unwrap(), json);
}

// --- mutual exclusion and contradictions ---

#[test]
fn both_numbers_is_an_error() {
    let err = parse(json!({
        uri::PERSONAL_IDENTITY_NUMBER: PNR,
        uri::COORDINATION_NUMBER: SAMNR,
    }))
    .unwrap_err();
    assert!(matches!(err, ClaimsError::PersonalAndCoordinationNumber));
    assert_eq!(err.reason(), "personal_and_coordination_number");
    let err = parse(json!({
        uri::MAPPED_PERSONAL_IDENTITY_NUMBER: PNR,
        uri::MAPPED_COORDINATION_NUMBER: SAMNR,
    }))
    .unwrap_err();
    assert!(matches!(
        err,
        ClaimsError::MappedPersonalAndCoordinationNumber
    ));
}

#[test]
fn level_without_coordination_number_is_an_error() {
    let err = parse(json!({
        uri::PERSONAL_IDENTITY_NUMBER: PNR,
        uri::COORDINATION_NUMBER_LEVEL: "confirmed",
    }))
    .unwrap_err();
    assert!(matches!(
        err,
        ClaimsError::CoordinationNumberLevelWithoutNumber
    ));
}

#[test]
fn org_number_must_match_affiliation() {
    let err = parse(json!({
        uri::ORG_AFFILIATION: "a@5562265719",
        uri::ORG_NUMBER: "2021005489",
    }))
    .unwrap_err();
    assert!(matches!(err, ClaimsError::OrgNumberMismatch));
}

#[test]
fn credential_validity_reversed() {
    let err =
        parse(json!({uri::CREDENTIAL_VALID_FROM: 10, uri::CREDENTIAL_VALID_TO: 5})).unwrap_err();
    assert!(matches!(err, ClaimsError::CredentialValidityReversed));
}

// --- malformed values ---

#[test]
fn malformed_claims_give_specific_errors_without_echo() {
    let cases: Vec<(Value, &str)> = vec![
        (json!({"given_name": 3}), "wrong_type"),
        (json!({"given_name": ""}), "empty"),
        (json!({"email_verified": "true"}), "wrong_type"),
        (
            json!({uri::PERSONAL_IDENTITY_NUMBER: 195006262546u64}),
            "wrong_type",
        ),
        (
            json!({uri::PERSONAL_IDENTITY_NUMBER: "19500626-2546"}),
            "not_claim_format",
        ),
        (
            json!({uri::PERSONAL_IDENTITY_NUMBER: "5006262546"}),
            "not_claim_format",
        ),
        (
            json!({uri::PERSONAL_IDENTITY_NUMBER: "195013262546"}),
            "invalid_identifier",
        ),
        (json!({uri::COORDINATION_NUMBER: PNR}), "invalid_identifier"),
        (json!({uri::ORG_NUMBER: "556226-5719"}), "not_claim_format"),
        (
            json!({uri::COORDINATION_NUMBER: SAMNR, uri::COORDINATION_NUMBER_LEVEL: "sure"}),
            "invalid_coordination_number_level",
        ),
        (json!({"birthdate": "1950-02-30"}), "invalid_birthdate"),
        (json!({"birthdate": "50-06-26"}), "invalid_birthdate"),
        (json!({"birthdate": "2030-01-01"}), "birthdate_in_future"),
        (json!({"nationalities": "SE"}), "wrong_type"),
        (json!({"nationalities": ["se"]}), "invalid_country_code"),
        (
            json!({uri::EIDAS_COUNTRY: "Sweden"}),
            "invalid_country_code",
        ),
        (json!({uri::PRID: "5068907693"}), "invalid_prid"),
        (
            json!({uri::PRID_PERSISTENCE: "D"}),
            "invalid_prid_persistence",
        ),
        (
            json!({uri::ORG_AFFILIATION: "nobody"}),
            "invalid_org_affiliation",
        ),
        (
            json!({uri::ORG_AFFILIATION: "@5562265719"}),
            "invalid_org_affiliation",
        ),
        (
            json!({uri::IDENTITY_BINDING: "a;;b"}),
            "invalid_identity_binding",
        ),
        (
            json!({uri::USER_CERTIFICATE: "not base64!"}),
            "invalid_base64",
        ),
        (json!({uri::DEVICE_IP: "300.1.1.1"}), "invalid_ip_address"),
        (json!({uri::CREDENTIAL_VALID_FROM: -1}), "invalid_timestamp"),
        (
            json!({uri::CREDENTIAL_VALID_FROM: 1.5}),
            "invalid_timestamp",
        ),
        (
            json!({uri::CREDENTIAL_VALID_TO: "1700000000"}),
            "wrong_type",
        ),
        (
            json!({uri::EIDAS_PERSON_IDENTIFIER: "ES-AT-1"}),
            "invalid_identifier",
        ),
        (
            json!({"place_of_birth": {"city": "Umeå"}}),
            "invalid_place_of_birth",
        ),
        (json!({"place_of_birth": "Umeå"}), "wrong_type"),
        (
            json!({"verified_claims": {"claims": {}}}),
            "invalid_verified_claims",
        ),
        (json!({"verified_claims": 1}), "wrong_type"),
        (
            json!({"verified_claims": {"verification": {"trust_framework": "eidas", "time": "yesterday"},
            "claims": {}}}),
            "invalid_verified_claims",
        ),
        (json!({"given_name": "A\nB"}), "control_character"),
    ];
    for (input, reason) in cases {
        let text = input.to_string();
        let err = parse(input).expect_err(&text);
        assert_eq!(err.reason(), reason, "{text}");
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains("195006262546") && !shown.contains("2546"),
            "{shown}"
        );
    }
}

#[test]
fn error_for_personal_number_never_echoes_it() {
    let err = parse(json!({uri::PERSONAL_IDENTITY_NUMBER: "195013262546"})).unwrap_err();
    assert!(matches!(
        err,
        ClaimsError::InvalidIdentifier {
            claim: Claim::PersonalIdentityNumber,
            ..
        }
    ));
    let shown = format!("{err} / {err:?} / {:?}", std::error::Error::source(&err));
    assert!(!shown.contains("195013262546"), "{shown}");
}

// --- limits ---

#[test]
fn limits_on_count_and_length() {
    let mut many = Map::new();
    for i in 0..101 {
        many.insert(format!("x{i}"), json!(1));
    }
    assert!(matches!(
        Identity::from_oidc_claims(&many, TODAY),
        Err(ClaimsError::TooManyClaims {
            count: 101,
            max: 100
        })
    ));
    let long = "a".repeat(1025);
    assert!(matches!(
        parse(json!({"name": long})),
        Err(ClaimsError::TooLong {
            claim: Claim::Name,
            len: 1025,
            max: 1024
        })
    ));
    assert!(parse(json!({"name": "a".repeat(1024)})).is_ok());
    // Base64 claims have their own, larger limit.
    let cert = "QUFB".repeat(1000);
    assert!(parse(json!({uri::USER_CERTIFICATE: cert})).is_ok());
    let nats: Vec<&str> = vec!["SE"; 17];
    assert!(matches!(
        parse(json!({"nationalities": nats})),
        Err(ClaimsError::TooManyValues {
            claim: Claim::Nationalities,
            count: 17,
            ..
        })
    ));
    let strict = Limits {
        max_claims: 1,
        ..Limits::default()
    };
    assert!(matches!(
        Identity::from_oidc_claims_with_limits(&map(full_coordination()), TODAY, &strict),
        Err(ClaimsError::TooManyClaims { .. })
    ));
}

#[test]
fn ida_time_forms() {
    for t in [
        "2012-04-23T18:25Z",
        "2026-11-25T10:00:00Z",
        "2026-11-25T10:00:00.123+01:00",
    ] {
        let v = json!({"verified_claims": {"verification": {"trust_framework": "eidas", "time": t}, "claims": {}}});
        parse(v).expect(t);
    }
}

#[test]
fn essential_acr_becomes_a_requirement() {
    use crate::assurance::{LevelOfAssurance, Matching};
    let loa3 = "http://id.elegnamnden.se/loa/1.0/loa3";
    let request = ClaimsRequest::default().with(
        Destination::IdToken,
        "acr",
        Some(IndividualClaimRequest::essential().with_values(vec![json!(loa3)])),
    );
    let requirement = request.essential_acr(Matching::Exact).unwrap().unwrap();
    assert_eq!(
        requirement.levels(),
        [loa3.parse::<LevelOfAssurance>().unwrap()]
    );
    let voluntary = ClaimsRequest::default().with(
        Destination::IdToken,
        "acr",
        Some(IndividualClaimRequest::default().with_values(vec![json!(loa3)])),
    );
    assert!(voluntary.essential_acr(Matching::Exact).unwrap().is_none());
    for bad in [json!("urn:unknown"), json!(3)] {
        let request = ClaimsRequest::default().with(
            Destination::IdToken,
            "acr",
            Some(IndividualClaimRequest::essential().with_value(bad)),
        );
        assert!(matches!(
            request.essential_acr(Matching::Exact),
            Err(ClaimsError::InvalidAcrRequest { .. })
        ));
    }
}

#[test]
fn personal_number_not_permitted_at_nonresident_level() {
    use crate::assurance::LevelOfAssurance;
    let id = parse(full_personal()).unwrap();
    let nonresident = LevelOfAssurance::all()
        .iter()
        .copied()
        .find(|l| !l.permits_personal_identity_number())
        .unwrap();
    assert!(matches!(
        id.check_level(nonresident),
        Err(ClaimsError::PersonalIdentityNumberNotPermitted { .. })
    ));
    let loa3: LevelOfAssurance = "http://id.elegnamnden.se/loa/1.0/loa3".parse().unwrap();
    id.check_level(loa3).unwrap();
    parse(full_coordination())
        .unwrap()
        .check_level(nonresident)
        .unwrap();
}

// --- values ---

#[test]
fn birthdate_forms() {
    for s in ["1950-06-26", "1950", "0000-02-29", "2000-02-29"] {
        assert_eq!(s.parse::<Birthdate>().unwrap().to_string(), s);
    }
    for s in [
        "0000",
        "1950-6-26",
        "1950-06-26T00:00",
        "1951-02-29",
        "+1950-06-26",
        "abcd",
        "",
    ] {
        assert!(
            matches!(s.parse::<Birthdate>(), Err(ClaimsError::InvalidBirthdate)),
            "{s}"
        );
    }
}

#[test]
fn age_over() {
    let id = Identity::default().with_birthdate("2008-11-26".parse().unwrap());
    assert_eq!(id.age_on(TODAY), Some(17));
    assert_eq!(id.is_age_at_least(18, TODAY), Some(false));
    assert_eq!(id.is_age_at_least(18, date!(2026 - 11 - 26)), Some(true));
    assert_eq!(
        Identity::default()
            .with_birthdate(Birthdate::Year(1950))
            .age_on(TODAY),
        None
    );
}

#[test]
fn debug_is_redacted() {
    let id = parse(full_personal()).unwrap();
    let shown = format!("{id:?}");
    for secret in [
        PNR,
        SAMNR,
        "Agda",
        "agda.a",
        "NO:5068907693",
        "05068907693",
        "192.0.2.10",
        "12345678",
    ] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("given_name"));
    let verified = format!("{:?}", id.verified_claims().unwrap());
    assert!(
        verified.contains("eidas") && !verified.contains("12345678") && !verified.contains("Agda")
    );
}

#[test]
fn verified_claims_typed_access() {
    let id = parse(full_personal()).unwrap();
    let element = id.verified_claims().unwrap().elements().first().unwrap();
    assert_eq!(element.verification.trust_framework, "eidas");
    assert_eq!(
        element.verification.assurance_level.as_deref(),
        Some("high")
    );
    let evidence = element.verification.evidence.as_ref().unwrap();
    assert!(matches!(evidence.first(), Some(Evidence::Document(_))));
    assert!(matches!(
        evidence.get(1),
        Some(Evidence::ElectronicRecord(_))
    ));
}

#[test]
fn verified_claims_array_form_round_trips() {
    let input = json!({"verified_claims": [
        {"verification": {"trust_framework": "se_bankid"}, "claims": {"given_name": "A"}},
        {"verification": {"trust_framework": "eidas", "assurance_level": "substantial",
                          "assurance_process": {"policy": "p"}},
         "claims": {}}
    ]});
    let id = parse(input.clone()).unwrap();
    assert_eq!(id.verified_claims().unwrap().elements().len(), 2);
    assert_eq!(
        Value::Object(id.to_oidc_claims(&Release::full(Destination::UserInfo))),
        input
    );
}

// --- SAML ---

#[test]
fn saml_attributes_map_to_claims() {
    let attrs = [
        (saml::PERSONAL_IDENTITY_NUMBER, SAMNR),
        (saml::GIVEN_NAME, "Kalle"),
        (saml::SN, "Anka"),
        (saml::DISPLAY_NAME, "Kalle Anka"),
        (saml::DATE_OF_BIRTH, "1990-08-07"),
        (saml::GENDER, "M"),
        (saml::ORG_AFFILIATION, "vlindman@5562265719"),
        (saml::ORGANIZATION_IDENTIFIER, "5562265719"),
        (saml::MAPPED_PERSONAL_IDENTITY_NUMBER, PNR),
        (saml::TRANSACTION_IDENTIFIER, "f6a8f1"),
        ("urn:oid:1.2.752.29.6.2.1", "SE2321000016-4HK5"),
    ];
    let claims = saml::to_oidc_claims(attrs).unwrap();
    assert_eq!(claims.get(uri::COORDINATION_NUMBER), Some(&json!(SAMNR)));
    assert_eq!(
        claims.get(uri::MAPPED_PERSONAL_IDENTITY_NUMBER),
        Some(&json!(PNR))
    );
    assert_eq!(claims.get("gender"), Some(&json!("male")));
    assert_eq!(claims.len(), 9);
    let id = Identity::from_oidc_claims(&claims, TODAY).unwrap();
    assert!(matches!(
        id.national_id(),
        Some(NationalId::Coordination { level: None, .. })
    ));
    assert_eq!(id.org_affiliation().unwrap().personal_id(), "vlindman");
}

#[test]
fn saml_errors() {
    assert!(matches!(
        saml::to_oidc_claims([(saml::PERSONAL_IDENTITY_NUMBER, "195006262547")]),
        Err(ClaimsError::InvalidIdentifier {
            claim: Claim::PersonalIdentityNumber,
            ..
        })
    ));
    assert!(matches!(
        saml::to_oidc_claims([(saml::GENDER, "X")]),
        Err(ClaimsError::InvalidGender)
    ));
    assert!(
        saml::to_oidc_claims([(saml::GENDER, "U")])
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        saml::to_oidc_claims([(saml::SN, "A"), (saml::SN, "B")]),
        Err(ClaimsError::DuplicateSamlAttribute {
            claim: Claim::FamilyName
        })
    ));
    let many = vec![("urn:x", "y"); saml::MAX_ATTRIBUTES + 1];
    assert!(matches!(
        saml::to_oidc_claims(many),
        Err(ClaimsError::TooManyClaims { .. })
    ));
}

// --- property tests ---

prop_compose! {
    fn arb_identity()(
        given in proptest::option::of("[\\p{L} '-]{1,30}"),
        family in proptest::option::of("\\PC{1,40}"),
        days in 0i32..40_000,
        number in prop::sample::select(vec![None, Some(PNR), Some(SAMNR), Some("201801012392")]),
        level in prop::sample::select(vec![None, Some("confirmed"), Some("uncertain")]),
        from in proptest::option::of(0u64..2_000_000_000),
        ip in proptest::option::of(any::<std::net::IpAddr>()),
        persistence in prop::sample::select(vec![None, Some("A"), Some("B"), Some("C")]),
    ) -> Map<String, Value> {
        let mut m = Map::new();
        if let Some(g) = given { m.insert("given_name".into(), json!(g)); }
        if let Some(f) = family { m.insert("family_name".into(), json!(f)); }
        let birth = date!(1900 - 01 - 01) + time::Duration::days(i64::from(days));
        m.insert("birthdate".into(), json!(Birthdate::Date(birth).to_string()));
        match number {
            Some(n) if n == SAMNR => {
                m.insert(uri::COORDINATION_NUMBER.into(), json!(n));
                if let Some(l) = level { m.insert(uri::COORDINATION_NUMBER_LEVEL.into(), json!(l)); }
            }
            Some(n) => { m.insert(uri::PERSONAL_IDENTITY_NUMBER.into(), json!(n)); }
            None => {}
        }
        if let Some(f) = from { m.insert(uri::CREDENTIAL_VALID_FROM.into(), json!(f)); }
        if let Some(ip) = ip { m.insert(uri::DEVICE_IP.into(), json!(ip.to_string())); }
        if let Some(p) = persistence { m.insert(uri::PRID_PERSISTENCE.into(), json!(p)); }
        m
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[0-9]{0,14}".prop_map(Value::String),
        "\\PC{0,20}".prop_map(Value::String),
        Just(Value::String(PNR.to_owned())),
        Just(Value::String(SAMNR.to_owned())),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn arb_claim_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(Claim::ALL).prop_map(|c| c.name().to_owned()),
        "[a-z_]{1,10}",
    ]
}

proptest! {
    #[test]
    fn from_oidc_claims_never_panics(
        entries in prop::collection::vec((arb_claim_name(), arb_json()), 0..12)
    ) {
        let claims: Map<String, Value> = entries.into_iter().collect();
        if let Ok(id) = Identity::from_oidc_claims(&claims, TODAY) {
            // Whatever parses, round-trips.
            let out = id.to_oidc_claims(&Release::full(Destination::UserInfo));
            prop_assert_eq!(Identity::from_oidc_claims(&out, TODAY).unwrap(), id);
        }
    }

    #[test]
    fn valid_identities_round_trip_exactly(claims in arb_identity()) {
        let id = Identity::from_oidc_claims(&claims, TODAY).unwrap();
        let out = id.to_oidc_claims(&Release::full(Destination::UserInfo));
        prop_assert_eq!(&out, &claims);
        prop_assert_eq!(Identity::from_oidc_claims(&out, TODAY).unwrap(), id);
    }

    #[test]
    fn saml_mapping_never_panics(
        attrs in prop::collection::vec(
            (prop::sample::select(vec![saml::PERSONAL_IDENTITY_NUMBER, saml::GENDER, saml::SN,
                saml::MAPPED_PERSONAL_IDENTITY_NUMBER, "urn:x"]), "\\PC{0,14}"),
            0..6,
        )
    ) {
        let pairs: Vec<(&str, &str)> = attrs.iter().map(|(n, v)| (*n, v.as_str())).collect();
        if let Ok(claims) = saml::to_oidc_claims(pairs) {
            let _ = Identity::from_oidc_claims(&claims, TODAY);
        }
    }

    #[test]
    fn claims_request_never_panics(s in "\\PC{0,200}") {
        let _ = ClaimsRequest::from_json(&s);
    }

    #[test]
    fn scopes_never_panic(s in "\\PC{0,200}") {
        let _ = Scopes::parse(&s);
    }
}
