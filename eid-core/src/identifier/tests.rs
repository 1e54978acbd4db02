use proptest::prelude::*;
use time::macros::date;
use time::{Date, Month};

use super::grammar::luhn_check_digit;
use super::*;

const TODAY: Date = date!(2026 - 11 - 25);

/// `YYMMDDNNN` (day as written) completed with its check digit.
fn with_check(nine: &str) -> String {
    let digits: Vec<u8> = nine
        .bytes()
        .map(|b| if b.is_ascii_digit() { b - b'0' } else { 1 })
        .collect();
    format!("{nine}{}", luhn_check_digit(&digits))
}

/// A 10-digit form `YYMMDD{separator}NNNC` with a correct check digit.
fn short(date: &str, separator: &str, birth: &str) -> String {
    let full = with_check(&format!("{date}{birth}"));
    format!("{date}{separator}{}", full.get(6..).unwrap())
}

fn year_of(input: &str, today: Date) -> i32 {
    let number = PersonNumber::parse(input, today).unwrap();
    number.claim_value().get(..4).unwrap().parse().unwrap()
}

#[test]
fn standards_check_values() {
    for claim in [
        "201801012392",
        "201801022383",
        "201701012393",
        "195006262546",
        "199908072391",
    ] {
        let number: PersonalIdentityNumber = claim.parse().unwrap();
        assert_eq!(number.claim_value(), claim);
    }
    for claim in ["199008672397", "197010632391"] {
        let number: CoordinationNumber = claim.parse().unwrap();
        assert_eq!(number.claim_value(), claim);
    }
}

#[test]
fn luhn_examples() {
    // 811218-9876 is the usual textbook example.
    assert_eq!(luhn_check_digit(&[8, 1, 1, 2, 1, 8, 9, 8, 7]), 6);
    assert_eq!(luhn_check_digit(&[0; 9]), 0);
}

#[test]
fn century_without_plus_is_the_latest_not_in_the_future() {
    // Born today: this century.
    assert_eq!(year_of(&short("261125", "-", "123"), TODAY), 2026);
    assert_eq!(year_of(&short("261125", "", "123"), TODAY), 2026);
    // Tomorrow's date would be in the future: the previous century (aged 99).
    assert_eq!(year_of(&short("261126", "-", "123"), TODAY), 1926);
    assert_eq!(year_of(&short("271231", "-", "123"), TODAY), 1927);
    assert_eq!(year_of(&short("000101", "-", "123"), TODAY), 2000);
    assert_eq!(year_of(&short("991231", "-", "123"), TODAY), 1999);
    // The 12-digit forms are taken as written, whatever the date or separator.
    assert_eq!(
        year_of(&format!("20{}", with_check("261126123")), TODAY),
        2026
    );
    let long_plus = format!("19{}", short("460823", "+", "998"));
    assert_eq!(year_of(&long_plus, TODAY), 1946);
}

#[test]
fn century_with_plus_is_from_the_year_of_the_hundredth_birthday() {
    // Turns 100 in 2026, later in the year than TODAY: `+` already from 1 January.
    assert_eq!(year_of(&short("261231", "+", "123"), TODAY), 1926);
    assert_eq!(year_of(&short("260101", "+", "123"), TODAY), 1926);
    assert_eq!(year_of(&short("270101", "+", "123"), TODAY), 1827);
    assert_eq!(year_of(&short("090527", "+", "147"), TODAY), 1909);
    assert_eq!(year_of(&short("000101", "+", "123"), TODAY), 1900);
    // And formatting agrees: `+` from the year of the 100th birthday.
    let number = PersonalIdentityNumber::parse(&short("261231", "+", "123"), TODAY).unwrap();
    assert!(number.formatted(NumberForm::Separated, TODAY).contains('+'));
    assert!(
        number
            .formatted(NumberForm::Separated, date!(2025 - 12 - 31))
            .contains('-')
    );
}

#[test]
fn leap_days_depend_on_the_century() {
    let dash = short("000229", "-", "239");
    let plus = short("000229", "+", "239");
    let number = PersonalIdentityNumber::parse(&dash, TODAY).unwrap();
    assert_eq!(number.birth_date(), date!(2000 - 02 - 29));
    // 1900 was not a leap year.
    assert!(matches!(
        PersonalIdentityNumber::parse(&plus, TODAY),
        Err(IdentifierError::InvalidDate {
            kind: IdentifierKind::PersonalIdentityNumber
        })
    ));
}

#[test]
fn personal_identity_number_accessors() {
    let number = PersonalIdentityNumber::parse("19460823-9986", TODAY).unwrap();
    assert_eq!(number.claim_value(), "194608239986");
    assert_eq!(number.birth_date(), date!(1946 - 08 - 23));
    assert_eq!(number.sex(), Sex::Female);
    assert_eq!(number.formatted(NumberForm::Long, TODAY), "194608239986");
    assert_eq!(
        number.formatted(NumberForm::LongSeparated, TODAY),
        "19460823-9986"
    );
    assert_eq!(
        number.formatted(NumberForm::Separated, TODAY),
        "460823-9986"
    );
    assert_eq!(number.formatted(NumberForm::Short, TODAY), "4608239986");
}

#[test]
fn invalid_dates() {
    for (date, kind) in [
        ("461323", IdentifierKind::PersonalIdentityNumber), // month 13
        ("460023", IdentifierKind::PersonalIdentityNumber), // month 00
        ("460800", IdentifierKind::PersonalIdentityNumber), // day 00
        ("460832", IdentifierKind::PersonalIdentityNumber), // day 32
        ("460859", IdentifierKind::PersonalIdentityNumber), // day 59
        ("460431", IdentifierKind::PersonalIdentityNumber), // 31 April
        ("461360", IdentifierKind::CoordinationNumber),     // month 13
        ("460892", IdentifierKind::CoordinationNumber),     // day 92 (= 32)
        ("460899", IdentifierKind::CoordinationNumber),
    ] {
        let input = short(date, "-", "998");
        let err = PersonNumber::parse(&input, TODAY).unwrap_err();
        assert!(
            matches!(err, IdentifierError::InvalidDate { kind: k } if k == kind),
            "{date}: {err:?}"
        );
        assert_eq!(err.reason(), "invalid_date");
    }
}

#[test]
fn coordination_numbers_unknown_and_short_month_dates() {
    for (date, birth_date, birth_year) in [
        ("460060", None, 1946),                        // month and day unknown
        ("460061", None, 1946),                        // month unknown
        ("460860", None, 1946),                        // day unknown
        ("460891", Some(date!(1946 - 08 - 31)), 1946), // 31 August
        ("460491", None, 1946),                        // 31 April: accepted, no date
        ("460291", None, 1946),                        // 31 February
        ("510289", None, 1951),                        // 29 February 1951
        ("520289", Some(date!(1952 - 02 - 29)), 1952), // a leap year
        ("460261", Some(date!(1946 - 02 - 01)), 1946),
    ] {
        let input = short(date, "-", "998");
        let number = CoordinationNumber::parse(&input, TODAY).unwrap();
        assert_eq!(number.birth_date(), birth_date, "{date}");
        assert_eq!(number.birth_year(), birth_year, "{date}");
        assert_eq!(number.sex(), Sex::Female);
    }
}

#[test]
fn coordination_number_century_with_unknown_parts() {
    // Month 00: only the year can be compared with today.
    assert_eq!(year_of(&short("260060", "-", "123"), TODAY), 2026);
    // Day unknown in this month: not in the future.
    assert_eq!(year_of(&short("261160", "-", "123"), TODAY), 2026);
    // Next month: in the future, hence the previous century.
    assert_eq!(year_of(&short("261260", "-", "123"), TODAY), 1926);
}

#[test]
fn wrong_kinds() {
    let coordination = short("460883", "-", "998");
    let personal = short("460823", "-", "998");
    let interim = format!("460823-T{}", with_check("460823T99").get(7..).unwrap());
    assert!(matches!(
        PersonalIdentityNumber::parse(&coordination, TODAY),
        Err(IdentifierError::UnexpectedKind {
            expected: IdentifierKind::PersonalIdentityNumber,
            found: IdentifierKind::CoordinationNumber
        })
    ));
    assert!(matches!(
        CoordinationNumber::parse(&personal, TODAY),
        Err(IdentifierError::UnexpectedKind {
            expected: IdentifierKind::CoordinationNumber,
            found: IdentifierKind::PersonalIdentityNumber
        })
    ));
    assert!(matches!(
        InterimNumber::parse(&personal, TODAY),
        Err(IdentifierError::UnexpectedKind {
            expected: IdentifierKind::InterimNumber,
            found: IdentifierKind::PersonalIdentityNumber
        })
    ));
    assert!(matches!(
        PersonNumber::parse(&interim, TODAY),
        Err(IdentifierError::UnexpectedKind {
            found: IdentifierKind::InterimNumber,
            ..
        })
    ));
    let number = InterimNumber::parse(&interim, TODAY).unwrap();
    assert_eq!(number.sex(), Sex::Male);
    assert_eq!(number.birth_date(), date!(1946 - 08 - 23));
    assert!(matches!(
        PersonNumber::parse(&coordination, TODAY),
        Ok(PersonNumber::Coordination(_))
    ));
}

#[test]
fn interim_numbers() {
    let number = InterimNumber::parse("000101-T220", TODAY).unwrap();
    assert_eq!(number.claim_value(), "20000101T220");
    assert_eq!(number.sex(), Sex::Female);
    assert_eq!(number.to_string(), "[redacted]");
    assert_eq!(format!("{number:?}"), "InterimNumber([redacted])");
    let strict: InterimNumber = "20000101T220".parse().unwrap();
    assert_eq!(strict, number);
    // Letters only in the first birth-number position, upper case, from the list.
    for input in [
        "000101-t220",
        "000101-E220",
        "000101-2T20",
        "000101-22T0",
        "0001T1-2220",
    ] {
        assert!(
            matches!(
                InterimNumber::parse(input, TODAY),
                Err(IdentifierError::Malformed { .. })
            ),
            "{input}"
        );
    }
    assert!(matches!(
        InterimNumber::parse("000101-T221", TODAY),
        Err(IdentifierError::BadChecksum {
            kind: IdentifierKind::InterimNumber
        })
    ));
    // An interim number may have birth digits 00 after the letter.
    let zero = format!("000101-T{}", with_check("000101T00").get(7..).unwrap());
    assert!(InterimNumber::parse(&zero, TODAY).is_ok());
}

#[test]
fn zero_birth_number_and_checksum() {
    let zero = short("460823", "-", "000");
    assert!(matches!(
        PersonalIdentityNumber::parse(&zero, TODAY),
        Err(IdentifierError::ZeroBirthNumber {
            kind: IdentifierKind::PersonalIdentityNumber
        })
    ));
    let zero = short("460883", "-", "000");
    assert!(matches!(
        CoordinationNumber::parse(&zero, TODAY),
        Err(IdentifierError::ZeroBirthNumber {
            kind: IdentifierKind::CoordinationNumber
        })
    ));
    assert!(matches!(
        PersonalIdentityNumber::parse("460823-9987", TODAY),
        Err(IdentifierError::BadChecksum {
            kind: IdentifierKind::PersonalIdentityNumber
        })
    ));
}

#[test]
fn malformed_inputs() {
    for input in [
        "",
        "4608239986 ",
        " 4608239986",
        "460823 9986",
        "460823_9986",
        "460823--9986",
        "46082-39986",
        "1946082-39986",
        "19460823--9986",
        "460823998",
        "46082399861",
        "4608239986a",
        "４６0823-9986",
        "460823−9986", // U+2212 minus sign
        "46O823-9986",
        "+460823-998",
        "1946082399860",
        "\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}",
    ] {
        assert!(
            matches!(
                PersonNumber::parse(input, TODAY),
                Err(IdentifierError::Malformed {
                    kind: IdentifierKind::PersonalIdentityNumber
                })
            ),
            "{input:?}"
        );
    }
}

#[test]
fn from_str_takes_only_the_claim_form() {
    for input in [
        "4608239986",
        "460823-9986",
        "19460823-9986",
        "19460823+9986",
    ] {
        assert!(matches!(
            input.parse::<PersonalIdentityNumber>(),
            Err(IdentifierError::Malformed { .. })
        ));
        assert!(input.parse::<PersonNumber>().is_err());
    }
    assert!(matches!(
        "194608839986".parse::<PersonNumber>(),
        Err(IdentifierError::BadChecksum { .. })
    ));
    let number: PersonNumber = "194608239986".parse().unwrap();
    assert_eq!(number.kind(), IdentifierKind::PersonalIdentityNumber);
}

#[test]
fn too_long_inputs() {
    let long = "1".repeat(MAX_INPUT_LEN + 1);
    let expected = |kind| IdentifierError::TooLong {
        kind,
        length: MAX_INPUT_LEN + 1,
        max: MAX_INPUT_LEN,
    };
    assert_eq!(
        PersonalIdentityNumber::parse(&long, TODAY).unwrap_err(),
        expected(IdentifierKind::PersonalIdentityNumber)
    );
    assert_eq!(
        CoordinationNumber::parse(&long, TODAY).unwrap_err(),
        expected(IdentifierKind::CoordinationNumber)
    );
    assert_eq!(
        InterimNumber::parse(&long, TODAY).unwrap_err(),
        expected(IdentifierKind::InterimNumber)
    );
    assert_eq!(
        long.parse::<OrganisationNumber>().unwrap_err(),
        expected(IdentifierKind::OrganisationNumber)
    );
    assert_eq!(
        long.parse::<PersonalIdentityNumber>().unwrap_err().reason(),
        "too_long"
    );
    // At the limit, it is merely malformed.
    let at_limit = "1".repeat(MAX_INPUT_LEN);
    assert!(matches!(
        PersonalIdentityNumber::parse(&at_limit, TODAY),
        Err(IdentifierError::Malformed { .. })
    ));
}

#[test]
fn redacted_debug_and_display() {
    let personal = PersonalIdentityNumber::parse("460823-9986", TODAY).unwrap();
    let coordination = CoordinationNumber::parse("730288-9931", TODAY).unwrap();
    let either = PersonNumber::from(coordination.clone());
    assert_eq!(
        format!("{personal:?}"),
        "PersonalIdentityNumber([redacted])"
    );
    assert_eq!(
        format!("{personal:#?}"),
        "PersonalIdentityNumber([redacted])"
    );
    assert_eq!(personal.to_string(), "[redacted]");
    assert_eq!(
        format!("{coordination:?}"),
        "CoordinationNumber([redacted])"
    );
    assert_eq!(coordination.to_string(), "[redacted]");
    assert_eq!(
        format!("{either:?}"),
        "Coordination(CoordinationNumber([redacted]))"
    );
    assert_eq!(either.to_string(), "[redacted]");
    let eidas: EidasPersonIdentifier = "ES/AT/02635542Y".parse().unwrap();
    assert_eq!(eidas.to_string(), "ES/AT/[redacted]");
    assert!(!format!("{eidas:?}").contains("02635542Y"));
}

#[test]
fn errors_never_echo_the_input() {
    let inputs = [
        "460823-9987",
        "460823-0000",
        "461323-9986",
        "460883-9986",
        "460823 9986",
        "19460823998",
        "8572090607",
    ];
    for input in inputs {
        for err in [
            PersonalIdentityNumber::parse(input, TODAY).err(),
            CoordinationNumber::parse(input, TODAY).err(),
            InterimNumber::parse(input, TODAY).err(),
            PersonNumber::parse(input, TODAY).err(),
            input.parse::<OrganisationNumber>().err(),
        ]
        .into_iter()
        .flatten()
        {
            let shown = format!("{err} {err:?}");
            for part in [
                input,
                input.get(..6).unwrap(),
                input.get(input.len() - 4..).unwrap(),
            ] {
                assert!(!shown.contains(part), "{shown}");
            }
        }
    }
}

#[test]
fn serde_as_the_claim_value() {
    let number = PersonalIdentityNumber::parse("090527+1474", TODAY).unwrap();
    let json = serde_json::to_string(&number).unwrap();
    assert_eq!(json, "\"190905271474\"");
    let back: PersonalIdentityNumber = serde_json::from_str(&json).unwrap();
    assert_eq!(back, number);
    // Strict: only the claim form.
    assert!(serde_json::from_str::<PersonalIdentityNumber>("\"090527+1474\"").is_err());
    // Never a samordningsnummer.
    assert!(serde_json::from_str::<PersonalIdentityNumber>("\"197302889931\"").is_err());
    let coordination: CoordinationNumber = serde_json::from_str("\"197302889931\"").unwrap();
    assert_eq!(
        serde_json::to_string(&coordination).unwrap(),
        "\"197302889931\""
    );
    // A JSON number is refused without quoting it.
    let err = serde_json::from_str::<PersonalIdentityNumber>("190905271474").unwrap_err();
    assert!(!err.to_string().contains("190905271474"), "{err}");
    let err = serde_json::from_str::<PersonalIdentityNumber>("\"190905271475\"").unwrap_err();
    assert!(!err.to_string().contains("190905271475"), "{err}");
    let org: OrganisationNumber = serde_json::from_str("\"802005-1952\"").unwrap();
    assert_eq!(serde_json::to_string(&org).unwrap(), "\"8020051952\"");
    let eidas: EidasPersonIdentifier = serde_json::from_str("\"ES/AT/02635542Y\"").unwrap();
    assert_eq!(
        serde_json::to_string(&eidas).unwrap(),
        "\"ES/AT/02635542Y\""
    );
    assert_eq!(serde_json::to_string(&Sex::Female).unwrap(), "\"female\"");
}

#[test]
fn coordination_number_levels() {
    for (value, level) in [
        ("confirmed", CoordinationNumberLevel::Confirmed),
        ("probable", CoordinationNumberLevel::Probable),
        ("uncertain", CoordinationNumberLevel::Uncertain),
    ] {
        assert_eq!(value.parse::<CoordinationNumberLevel>().unwrap(), level);
        assert_eq!(level.as_str(), value);
        assert_eq!(level.to_string(), value);
        let json = serde_json::to_string(&level).unwrap();
        assert_eq!(json, format!("\"{value}\""));
        assert_eq!(
            serde_json::from_str::<CoordinationNumberLevel>(&json).unwrap(),
            level
        );
    }
    for value in ["Confirmed", "CONFIRMED", "certain", "", "confirmed "] {
        assert!(matches!(
            value.parse::<CoordinationNumberLevel>(),
            Err(IdentifierError::UnknownCoordinationNumberLevel)
        ));
    }
}

#[test]
fn organisation_numbers() {
    let org: OrganisationNumber = "556703-7485".parse().unwrap();
    assert_eq!(org.as_str(), "5567037485");
    assert_eq!(org.separated(), "556703-7485");
    assert_eq!(org.group(), OrganisationGroup::LimitedCompany);
    assert_eq!(format!("{org:?}"), "OrganisationNumber(\"5567037485\")");
    assert_eq!(
        "2021005489".parse::<OrganisationNumber>().unwrap().group(),
        OrganisationGroup::Public
    );
    assert!(matches!(
        "556703-7486".parse::<OrganisationNumber>(),
        Err(IdentifierError::BadChecksum {
            kind: IdentifierKind::OrganisationNumber
        })
    ));
    // A personnummer's form (third digit below 2) is not a legal entity's number.
    assert!(matches!(
        "811218-9876".parse::<OrganisationNumber>(),
        Err(IdentifierError::NotLegalEntity)
    ));
    // Groups 0 and 4 are unused.
    for input in ["0020000000", "4020000000"] {
        assert!(matches!(
            input.parse::<OrganisationNumber>(),
            Err(IdentifierError::UnknownOrganisationGroup)
        ));
    }
    for input in [
        "556703+7485",
        "55670-37485",
        "556703-748",
        "16556703748",
        "556703 7485",
    ] {
        assert!(matches!(
            input.parse::<OrganisationNumber>(),
            Err(IdentifierError::Malformed { .. })
        ));
    }
}

#[test]
fn eidas_person_identifiers() {
    let id: EidasPersonIdentifier = "ES/AT/02635542Y".parse().unwrap();
    assert_eq!(id.origin_country(), "ES");
    assert_eq!(id.destination_country(), "AT");
    assert_eq!(id.value(), "02635542Y");
    assert_eq!(id.claim_value(), "ES/AT/02635542Y");
    let slashes: EidasPersonIdentifier = "DE/SE/ab/c+d=".parse().unwrap();
    assert_eq!(slashes.value(), "ab/c+d=");
    let max = format!(
        "EL/SE/{}",
        "é".repeat(EidasPersonIdentifier::MAX_VALUE_CHARS)
    );
    assert!(max.parse::<EidasPersonIdentifier>().is_ok());
    let cases = [
        ("ESAT02635542Y", "malformed"),
        ("ES/AT", "malformed"),
        ("es/AT/1", "invalid_origin_country"),
        ("ESP/AT/1", "invalid_origin_country"),
        ("/AT/1", "invalid_origin_country"),
        ("ES/at/1", "invalid_destination_country"),
        ("ES/A/1", "invalid_destination_country"),
        ("ES/AT/", "invalid_eidas_value"),
        ("ES/AT/1 2", "invalid_eidas_value"),
        ("ES/AT/1\n", "invalid_eidas_value"),
        ("ES/AT/\u{7f}", "invalid_eidas_value"),
    ];
    for (input, reason) in cases {
        let err = input.parse::<EidasPersonIdentifier>().unwrap_err();
        assert_eq!(err.reason(), reason, "{input}");
    }
    let too_long = format!(
        "ES/AT/{}",
        "1".repeat(EidasPersonIdentifier::MAX_VALUE_CHARS + 1)
    );
    assert!(matches!(
        too_long.parse::<EidasPersonIdentifier>(),
        Err(IdentifierError::TooLong {
            kind: IdentifierKind::EidasPersonIdentifier,
            ..
        })
    ));
    let huge = "E".repeat(10_000);
    assert!(matches!(
        huge.parse::<EidasPersonIdentifier>(),
        Err(IdentifierError::TooLong { length: 10_000, .. })
    ));
}

#[test]
fn reasons_are_distinct_snake_case() {
    let kind = IdentifierKind::PersonalIdentityNumber;
    let all = [
        IdentifierError::BadChecksum { kind },
        IdentifierError::InvalidDestinationCountry,
        IdentifierError::InvalidDate { kind },
        IdentifierError::InvalidOriginCountry,
        IdentifierError::InvalidEidasValue,
        IdentifierError::Malformed { kind },
        IdentifierError::NotLegalEntity,
        IdentifierError::TooLong {
            kind,
            length: 65,
            max: 64,
        },
        IdentifierError::UnexpectedKind {
            expected: kind,
            found: kind,
        },
        IdentifierError::UnknownCoordinationNumberLevel,
        IdentifierError::UnknownOrganisationGroup,
        IdentifierError::ZeroBirthNumber { kind },
    ];
    let mut reasons: Vec<_> = all.iter().map(IdentifierError::reason).collect();
    assert!(
        reasons
            .iter()
            .all(|r| r.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
    );
    reasons.sort_unstable();
    reasons.dedup();
    assert_eq!(reasons.len(), all.len());
}

/// A valid personnummer (or, with `coordination`, samordningsnummer) in the claim form, born
/// in the 200 years up to a `today`, and that `today`.
fn valid_number(coordination: bool) -> impl Strategy<Value = (String, Date)> {
    (
        1950_i32..=2200,
        1_u16..=365,
        0_i32..200,
        0_u8..=12,
        0_u8..=31,
        1_u16..=999,
    )
        .prop_filter_map(
            "a real, past date",
            move |(this_year, ordinal, age, month, day, birth)| {
                let today = Date::from_ordinal_date(this_year, ordinal).ok()?;
                let year = this_year - age;
                let written_day = if coordination {
                    day + 60
                } else {
                    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()?;
                    day
                };
                if year == this_year && (month, day) > (u8::from(today.month()), today.day()) {
                    return None;
                }
                let nine = format!("{:02}{month:02}{written_day:02}{birth:03}", year % 100);
                Some((format!("{:02}{}", year / 100, with_check(&nine)), today))
            },
        )
}

proptest! {
    #[test]
    fn parsers_never_panic(input in any::<String>()) {
        let _ = PersonalIdentityNumber::parse(&input, TODAY);
        let _ = CoordinationNumber::parse(&input, TODAY);
        let _ = InterimNumber::parse(&input, TODAY);
        let _ = PersonNumber::parse(&input, TODAY);
        let _ = input.parse::<PersonalIdentityNumber>();
        let _ = input.parse::<CoordinationNumber>();
        let _ = input.parse::<InterimNumber>();
        let _ = input.parse::<PersonNumber>();
        let _ = input.parse::<OrganisationNumber>();
        let _ = input.parse::<EidasPersonIdentifier>();
        let _ = input.parse::<CoordinationNumberLevel>();
    }

    #[test]
    fn parsers_never_panic_on_near_misses(
        input in "[0-9+\\- TRSUWXJKLMNE/]{0,16}",
        year in -9999_i32..=9999,
        ordinal in 1_u16..=365,
    ) {
        let today = Date::from_ordinal_date(year, ordinal).unwrap();
        let _ = PersonalIdentityNumber::parse(&input, today);
        let _ = CoordinationNumber::parse(&input, today);
        let _ = InterimNumber::parse(&input, today);
        if let Ok(number) = PersonNumber::parse(&input, today) {
            for form in [NumberForm::Long, NumberForm::LongSeparated, NumberForm::Separated, NumberForm::Short] {
                let _ = number.formatted(form, today);
            }
        }
        let _ = input.parse::<OrganisationNumber>();
        let _ = input.parse::<EidasPersonIdentifier>();
    }

    #[test]
    fn long_inputs_are_too_long(input in "\\PC{65,200}") {
        prop_assume!(input.len() > MAX_INPUT_LEN);
        let too_long = |result: Result<(), IdentifierError>| {
            matches!(
                result,
                Err(IdentifierError::TooLong { length, max: MAX_INPUT_LEN, .. }) if length == input.len()
            )
        };
        prop_assert!(too_long(PersonalIdentityNumber::parse(&input, TODAY).map(drop)), "personal");
        prop_assert!(too_long(CoordinationNumber::parse(&input, TODAY).map(drop)), "coordination");
        prop_assert!(too_long(InterimNumber::parse(&input, TODAY).map(drop)), "interim");
        prop_assert!(too_long(PersonNumber::parse(&input, TODAY).map(drop)), "either");
        prop_assert!(too_long(input.parse::<PersonalIdentityNumber>().map(drop)), "from_str");
        prop_assert!(too_long(input.parse::<OrganisationNumber>().map(drop)), "organisation");
    }

    #[test]
    fn personal_identity_numbers_round_trip((claim, today) in valid_number(false)) {
        let number: PersonalIdentityNumber = claim.parse().unwrap();
        prop_assert_eq!(number.claim_value(), claim.as_str());
        let short_year = short_form_year(number.claim_value(), today);
        for form in [NumberForm::Long, NumberForm::LongSeparated, NumberForm::Separated, NumberForm::Short] {
            let written = number.formatted(form, today);
            let again = PersonalIdentityNumber::parse(&written, today).unwrap();
            if form == NumberForm::Short {
                prop_assert_eq!(again.birth_date().year(), short_year);
                prop_assert_eq!(again.claim_value().get(4..), claim.get(4..));
            } else {
                prop_assert_eq!(&again, &number, "{}", form_name(form));
            }
        }
        let json = serde_json::to_string(&number).unwrap();
        prop_assert_eq!(serde_json::from_str::<PersonalIdentityNumber>(&json).unwrap(), number);
    }

    #[test]
    fn coordination_numbers_round_trip((claim, today) in valid_number(true)) {
        let number: CoordinationNumber = claim.parse().unwrap();
        prop_assert_eq!(number.claim_value(), claim.as_str());
        let short_year = short_form_year(number.claim_value(), today);
        for form in [NumberForm::Long, NumberForm::LongSeparated, NumberForm::Separated, NumberForm::Short] {
            let written = number.formatted(form, today);
            let again = CoordinationNumber::parse(&written, today).unwrap();
            if form == NumberForm::Short {
                prop_assert_eq!(again.birth_year(), short_year);
                prop_assert_eq!(again.claim_value().get(4..), claim.get(4..));
            } else {
                prop_assert_eq!(&again, &number, "{}", form_name(form));
            }
        }
        let json = serde_json::to_string(&number).unwrap();
        prop_assert_eq!(serde_json::from_str::<CoordinationNumber>(&json).unwrap(), number);
    }

    #[test]
    fn organisation_numbers_round_trip(
        group in prop::sample::select(vec![1_u8, 2, 3, 5, 6, 7, 8, 9]),
        second in 0_u8..=9,
        third in 2_u8..=9,
        rest in "[0-9]{6}",
    ) {
        let nine = format!("{group}{second}{third}{rest}");
        let digits: Vec<u8> = nine.bytes().map(|b| b - b'0').collect();
        let ten = format!("{nine}{}", luhn_check_digit(&digits));
        let org: OrganisationNumber = ten.parse().unwrap();
        prop_assert_eq!(org.as_str(), ten.as_str());
        prop_assert_eq!(org.separated().parse::<OrganisationNumber>().unwrap(), org);
    }
}

/// The year `YYMMDDNNNC` (no room for a `+`) denotes: 100 years after the number's year if that
/// date is not after `today`, else the number's year.
fn short_form_year(claim: &str, today: Date) -> i32 {
    let year: i32 = claim.get(..4).unwrap().parse().unwrap();
    let month: u8 = claim.get(4..6).unwrap().parse().unwrap();
    let day: u8 = claim.get(6..8).unwrap().parse().unwrap();
    let day = if day >= 60 { day - 60 } else { day };
    if (year + 100, month, day) <= (today.year(), u8::from(today.month()), today.day()) {
        year + 100
    } else {
        year
    }
}

fn form_name(form: NumberForm) -> &'static str {
    match form {
        NumberForm::Long => "long",
        NumberForm::LongSeparated => "long separated",
        NumberForm::Separated => "separated",
        NumberForm::Short => "short",
    }
}
