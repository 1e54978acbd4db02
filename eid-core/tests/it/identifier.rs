//! `eid_core::identifier` against the personnummer/meta conformance data and the Tax Agency's
//! test numbers (`tests/data/personnummer/`, see its PROVENANCE.md).

use std::path::Path;

use eid_core::identifier::{
    CoordinationNumber, IdentifierError, IdentifierKind, InterimNumber, NumberForm,
    OrganisationNumber, PersonNumber, PersonalIdentityNumber, Sex,
};
use serde::Deserialize;
use time::Date;
use time::macros::date;

/// The fixed reference date: the 10-digit forms' century and the `-`/`+` depend on it.
const TODAY: Date = date!(2026 - 11 - 25);

fn read<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/personnummer")
        .join(name);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// A case of `list.json` and `interim.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    integer: u64,
    long_format: String,
    short_format: String,
    separated_format: String,
    separated_long: String,
    valid: bool,
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "isMale")]
    is_male: bool,
    #[serde(rename = "isFemale")]
    is_female: bool,
}

impl Case {
    fn kind(&self) -> IdentifierKind {
        match self.kind.as_str() {
            "ssn" => IdentifierKind::PersonalIdentityNumber,
            "con" => IdentifierKind::CoordinationNumber,
            "interim" => IdentifierKind::InterimNumber,
            other => panic!("unknown type {other}"),
        }
    }

    fn sex(&self) -> Sex {
        assert_ne!(self.is_male, self.is_female, "{self:?}");
        if self.is_male { Sex::Male } else { Sex::Female }
    }

    /// The written forms, each with the claim value it denotes on [`TODAY`].
    fn forms(&self) -> Vec<(&str, String)> {
        let long = self.long_format.clone();
        // `short_format` has no separator, hence no `+`: it denotes the person born 100 years
        // later if that date is not after TODAY (the latest century not in the future).
        let year: i32 = self.long_format.get(..4).unwrap().parse().unwrap();
        let month_day: u16 = self.long_format.get(4..8).unwrap().parse().unwrap();
        let today_month_day = u16::from(u8::from(TODAY.month())) * 100 + u16::from(TODAY.day());
        let short = if (year + 100, month_day % 100 % 60 + month_day / 100 * 100)
            <= (TODAY.year(), today_month_day)
        {
            format!("{}{}", year + 100, self.long_format.get(4..).unwrap())
        } else {
            long.clone()
        };
        let mut forms = vec![
            (self.long_format.as_str(), long.clone()),
            (self.short_format.as_str(), short),
            (self.separated_format.as_str(), long.clone()),
            (self.separated_long.as_str(), long.clone()),
        ];
        if self.integer != 0 {
            forms.push((self.long_format.as_str(), long));
        }
        forms
    }
}

/// A valid number of any kind, as the common accessors see it.
fn check_valid(
    case: &Case,
    input: &str,
    claim: &str,
    sex: Sex,
    formatted: impl Fn(NumberForm) -> String,
) {
    assert_eq!(claim, case_claim(case, input), "{input}");
    assert_eq!(sex, case.sex(), "{input}");
    if claim == case.long_format {
        assert_eq!(formatted(NumberForm::Long), case.long_format);
        assert_eq!(formatted(NumberForm::LongSeparated), case.separated_long);
        assert_eq!(formatted(NumberForm::Separated), case.separated_format);
        assert_eq!(formatted(NumberForm::Short), case.short_format);
    }
}

fn case_claim(case: &Case, input: &str) -> String {
    case.forms()
        .into_iter()
        .find(|(form, _)| *form == input)
        .map(|(_, claim)| claim)
        .unwrap()
}

#[test]
fn list_json() {
    let cases: Vec<Case> = read("list.json");
    assert_eq!(cases.len(), 14);
    let mut checked = 0;
    for case in &cases {
        if case.integer != 0 {
            assert_eq!(case.integer.to_string(), case.long_format);
        }
        for (input, _) in case.forms() {
            let any = PersonNumber::parse(input, TODAY);
            let personal = PersonalIdentityNumber::parse(input, TODAY);
            let coordination = CoordinationNumber::parse(input, TODAY);
            if !case.valid {
                assert!(any.is_err(), "{case:?} {input}");
                assert!(personal.is_err(), "{case:?} {input}");
                assert!(coordination.is_err(), "{case:?} {input}");
                checked += 1;
                continue;
            }
            let any = any.unwrap_or_else(|err| panic!("{input}: {err}"));
            assert_eq!(any.kind(), case.kind(), "{input}");
            check_valid(case, input, any.claim_value(), any.sex(), |form| {
                any.formatted(form, TODAY)
            });
            match case.kind() {
                IdentifierKind::PersonalIdentityNumber => {
                    let number = personal.unwrap();
                    assert_eq!(PersonNumber::Personal(number.clone()), any);
                    check_valid(case, input, number.claim_value(), number.sex(), |form| {
                        number.formatted(form, TODAY)
                    });
                    assert_eq!(Some(number.birth_date()), any.birth_date(), "{input}");
                    assert!(matches!(
                        coordination,
                        Err(IdentifierError::UnexpectedKind {
                            expected: IdentifierKind::CoordinationNumber,
                            found: IdentifierKind::PersonalIdentityNumber
                        })
                    ));
                }
                IdentifierKind::CoordinationNumber => {
                    let number = coordination.unwrap();
                    assert_eq!(PersonNumber::Coordination(number.clone()), any);
                    check_valid(case, input, number.claim_value(), number.sex(), |form| {
                        number.formatted(form, TODAY)
                    });
                    assert!(matches!(
                        personal,
                        Err(IdentifierError::UnexpectedKind {
                            expected: IdentifierKind::PersonalIdentityNumber,
                            found: IdentifierKind::CoordinationNumber
                        })
                    ));
                }
                other => panic!("{other:?}"),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 14 * 4 + 13);
}

#[test]
fn list_json_exact_errors() {
    // The reason each invalid case of list.json fails, so a change of rules shows here.
    let expected = [
        ("201509160006", "zero_birth_number"),
        ("197004289895", "bad_checksum"),
        ("194205669899", "bad_checksum"),
        ("196004309886", "bad_checksum"),
        ("197210869924", "bad_checksum"),
        ("19090527 1474", "malformed"),
        ("090527 1474", "malformed"),
    ];
    for (input, reason) in expected {
        let err = PersonNumber::parse(input, TODAY).unwrap_err();
        assert_eq!(err.reason(), reason, "{input}");
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Structured {
    ssn: Group,
    con: Group,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Group {
    integer: Validity<u64>,
    string: Validity<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Validity<T> {
    invalid: Vec<T>,
    valid: Vec<T>,
}

#[test]
fn structured_json() {
    let structured: Structured = read("structured.json");
    let mut checked = 0;
    for (group, kind) in [
        (&structured.ssn, IdentifierKind::PersonalIdentityNumber),
        (&structured.con, IdentifierKind::CoordinationNumber),
    ] {
        let valid = group
            .integer
            .valid
            .iter()
            .map(u64::to_string)
            .chain(group.string.valid.iter().cloned());
        for input in valid {
            let number =
                PersonNumber::parse(&input, TODAY).unwrap_or_else(|err| panic!("{input}: {err}"));
            assert_eq!(number.kind(), kind, "{input}");
            let strict = match kind {
                IdentifierKind::PersonalIdentityNumber => {
                    PersonalIdentityNumber::parse(&input, TODAY).map(PersonNumber::from)
                }
                _ => CoordinationNumber::parse(&input, TODAY).map(PersonNumber::from),
            };
            assert_eq!(strict.unwrap(), number);
            checked += 1;
        }
        let invalid = group
            .integer
            .invalid
            .iter()
            .map(u64::to_string)
            .chain(group.string.invalid.iter().cloned());
        for input in invalid {
            assert!(PersonNumber::parse(&input, TODAY).is_err(), "{input}");
            assert!(
                PersonalIdentityNumber::parse(&input, TODAY).is_err(),
                "{input}"
            );
            assert!(CoordinationNumber::parse(&input, TODAY).is_err(), "{input}");
            checked += 1;
        }
    }
    assert_eq!(checked, (6 + 24) + (4 + 16) + (2 + 8) + (2 + 8));
}

#[test]
fn interim_json() {
    let cases: Vec<Case> = read("interim.json");
    assert_eq!(cases.len(), 12);
    let mut checked = 0;
    for case in &cases {
        assert_eq!(case.kind(), IdentifierKind::InterimNumber);
        for (input, _) in case.forms() {
            // Never a personnummer or samordningsnummer.
            assert!(PersonNumber::parse(input, TODAY).is_err(), "{input}");
            let parsed = InterimNumber::parse(input, TODAY);
            if case.valid {
                let number = parsed.unwrap_or_else(|err| panic!("{input}: {err}"));
                check_valid(case, input, number.claim_value(), number.sex(), |form| {
                    number.formatted(form, TODAY)
                });
                assert_eq!(number.birth_date(), date!(2000 - 01 - 01));
                assert!(matches!(
                    PersonNumber::parse(input, TODAY),
                    Err(IdentifierError::UnexpectedKind {
                        found: IdentifierKind::InterimNumber,
                        ..
                    })
                ));
            } else {
                assert!(
                    matches!(parsed, Err(IdentifierError::Malformed { .. })),
                    "{input}"
                );
            }
            checked += 1;
        }
        if case.valid {
            let strict: InterimNumber = case.long_format.parse().unwrap();
            assert_eq!(strict.claim_value(), case.long_format);
        }
    }
    assert_eq!(checked, 12 * 4);
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgCase {
    integer: u64,
    short_format: String,
    separated_format: String,
    valid: bool,
    #[serde(rename = "type")]
    kind: String,
    comment: String,
}

#[test]
fn orgnumber_json() {
    let cases: Vec<OrgCase> = read("orgnumber.json");
    assert_eq!(cases.len(), 6);
    for case in &cases {
        assert_eq!(case.kind, "org");
        assert!(case.comment.starts_with("Valid Organisationsnummer"));
        assert_eq!(case.integer.to_string(), case.short_format);
        // `valid` is about personnummer: these are not personal numbers...
        assert!(!case.valid);
        for input in [&case.short_format, &case.separated_format] {
            assert!(PersonNumber::parse(input, TODAY).is_err(), "{input}");
            // ...but they are organisation numbers.
            let org: OrganisationNumber = input.parse().unwrap();
            assert_eq!(org.as_str(), case.short_format);
            assert_eq!(org.separated(), case.separated_format);
            assert_eq!(org.to_string(), case.short_format);
        }
    }
}

#[test]
fn all_tax_agency_personal_identity_numbers() {
    let numbers: Vec<String> = read("allPins.json");
    assert_eq!(numbers.len(), 41_129);
    for claim in &numbers {
        let number: PersonalIdentityNumber =
            claim.parse().unwrap_or_else(|err| panic!("{claim}: {err}"));
        assert_eq!(number.claim_value(), claim);
        for form in [NumberForm::LongSeparated, NumberForm::Separated] {
            let written = number.formatted(form, TODAY);
            assert_eq!(
                PersonalIdentityNumber::parse(&written, TODAY).unwrap(),
                number,
                "{written}"
            );
        }
    }
}

#[test]
fn all_tax_agency_coordination_numbers() {
    let numbers: Vec<String> = read("allCoords.json");
    assert_eq!(numbers.len(), 2_264);
    let mut unknown_date = 0;
    for claim in &numbers {
        let number: CoordinationNumber =
            claim.parse().unwrap_or_else(|err| panic!("{claim}: {err}"));
        assert_eq!(number.claim_value(), claim);
        unknown_date += usize::from(number.birth_date().is_none());
        for form in [NumberForm::LongSeparated, NumberForm::Separated] {
            let written = number.formatted(form, TODAY);
            assert_eq!(
                CoordinationNumber::parse(&written, TODAY).unwrap(),
                number,
                "{written}"
            );
        }
    }
    // Month 00 (132), day 60 in a known month (38), and days that do not exist in their month,
    // such as 31 April (24).
    assert_eq!(unknown_date, 132 + 38 + 24);
}
