use std::str::FromStr;

use proptest::prelude::*;
use serde_json::Value;
use time::macros::date;

use super::check::check_digit;
use super::*;

const SPECIMENS: &str = include_str!("../../tests/data/mrz/specimens.json");

const TD3: [&str; 2] = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
];
const TD1: [&str; 3] = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
];
const TD2: [&str; 2] = [
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "D231458907UTO7408122F1204159<<<<<<<6",
];
const TD1_LONG: [&str; 3] = [
    "I<UTOD23145890<7349<<<<<<<<<<<",
    "3407127M9507122UTO<<<<<<<<<<<2",
    "STEVENSON<<PETER<JOHN<<<<<<<<<",
];

fn field_of(name: &str) -> MrzField {
    match name {
        "document_number" => MrzField::DocumentNumber,
        "date_of_birth" => MrzField::DateOfBirth,
        "date_of_expiry" => MrzField::DateOfExpiry,
        "optional_data" => MrzField::OptionalData,
        "composite" => MrzField::Composite,
        other => panic!("unknown check-digit field {other}"),
    }
}

/// The field names of the npm `mrz` oracle's check-digit messages.
fn oracle_field(name: &str) -> MrzField {
    match name {
        "documentNumberCheckDigit" => MrzField::DocumentNumber,
        "birthDateCheckDigit" => MrzField::DateOfBirth,
        "expirationDateCheckDigit" => MrzField::DateOfExpiry,
        "personalNumberCheckDigit" => MrzField::OptionalData,
        "compositeCheckDigit" => MrzField::Composite,
        other => panic!("unknown oracle field {other}"),
    }
}

fn sex_str(sex: Sex) -> &'static str {
    match sex {
        Sex::Female => "F",
        Sex::Male => "M",
        Sex::Unspecified => "<",
    }
}

fn actual_field(fields: &MrzFields, name: &str) -> String {
    match name {
        "document_code" => fields.document_code().as_str().to_owned(),
        "issuing_state" => fields.issuing_state().as_str().to_owned(),
        "nationality" => fields.nationality().as_str().to_owned(),
        "primary_identifier" => fields.names().primary().to_owned(),
        "secondary_identifier" => fields.names().secondary().to_owned(),
        "document_number" => fields.document_number().as_str().to_owned(),
        "date_of_birth" => fields.date_of_birth().as_str().to_owned(),
        "date_of_expiry" => fields.date_of_expiry().as_str().to_owned(),
        "sex" => sex_str(fields.sex()).to_owned(),
        "optional_data" | "optional_data_1" => fields.optional_data().as_str().to_owned(),
        "optional_data_2" => fields
            .optional_data_2()
            .expect("a TD1 has a second optional data field")
            .as_str()
            .to_owned(),
        other => panic!("unknown expected field {other}"),
    }
}

/// Every specimen of the shared MRZ test data gives its expected result.
#[test]
fn specimens() {
    let doc: Value = serde_json::from_str(SPECIMENS).unwrap();
    let specimens = doc["specimens"].as_array().unwrap();
    assert_eq!(specimens.len(), 25);
    let mut in_scope = 0;
    for s in specimens {
        let id = s["id"].as_str().unwrap();
        let lines: Vec<&str> = s["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        let strict = Mrz::parse(&lines);
        let unchecked = UncheckedMrz::parse(&lines);
        // The text form gives the same answer as the lines.
        assert_eq!(
            Mrz::from_str(&lines.join("\n"))
                .map(|m| m.into_fields())
                .ok(),
            strict.clone().map(Mrz::into_fields).ok(),
            "{id}"
        );

        if !s["in_scope"].as_bool().unwrap() {
            // Visas (MRV-A, MRV-B): same line lengths as TD3/TD2, document code `V`.
            assert_eq!(s["parse_error"], "visa_format_not_parsed", "{id}");
            assert!(
                matches!(strict, Err(MrzError::DocumentCode { .. })),
                "{id}: {strict:?}"
            );
            assert!(
                matches!(unchecked, Err(MrzError::DocumentCode { .. })),
                "{id}"
            );
            continue;
        }
        in_scope += 1;

        if let Some(code) = s["parse_error"].as_str() {
            assert_eq!(s["expected_result"], "reject", "{id}");
            let ok = match code {
                "mrz_bad_shape" => matches!(strict, Err(MrzError::LineLength { .. })),
                "mrz_bad_char" => matches!(strict, Err(MrzError::Charset { .. })),
                other => panic!("{id}: unknown parse_error {other}"),
            };
            assert!(ok, "{id}: {strict:?}");
            assert_eq!(unchecked.unwrap_err(), strict.unwrap_err(), "{id}");
            continue;
        }

        let unchecked = unchecked.unwrap_or_else(|e| panic!("{id}: {e:?}"));
        let fields = unchecked.fields();
        let format = match fields.format() {
            DocumentFormat::Td1 => "TD1",
            DocumentFormat::Td2 => "TD2",
            DocumentFormat::Td3 => "TD3",
        };
        assert_eq!(s["document_type"], format, "{id}");

        // Each check digit, and no other.
        let report = unchecked.check_digits();
        let results = s["check_digit_results"].as_object().unwrap();
        assert_eq!(report.iter().count(), results.len(), "{id}");
        for (name, valid) in results {
            let outcome = report
                .outcome(field_of(name))
                .unwrap_or_else(|| panic!("{id}: no check digit for {name}"));
            assert_eq!(outcome.is_valid(), valid.as_bool().unwrap(), "{id} {name}");
        }
        assert_eq!(
            report.is_valid(),
            s["check_digits_valid"].as_bool().unwrap(),
            "{id}"
        );

        // Each expected field.
        let expected = s["expected_fields"].as_object().unwrap();
        for (name, value) in expected {
            assert_eq!(
                actual_field(fields, name),
                value.as_str().unwrap(),
                "{id} {name}"
            );
        }
        assert_eq!(
            fields.optional_data_2().is_some(),
            expected.contains_key("optional_data_2"),
            "{id}"
        );

        // The npm oracle's messages name the same digits: "...: invalid check digit: F. Must be E".
        let oracle_errors = s["oracles"]["npm_mrz_5.0.2"]["errors"].as_array().unwrap();
        for message in oracle_errors {
            let message = message.as_str().unwrap();
            let (name, rest) = message.split_once(": invalid check digit: ").unwrap();
            let (found, expected) = rest.split_once(". Must be ").unwrap();
            let outcome = report.outcome(oracle_field(name)).unwrap();
            assert_eq!(
                outcome,
                CheckDigitOutcome::Mismatch {
                    expected: expected.parse().unwrap(),
                    found: found.parse().unwrap()
                },
                "{id}: {message}"
            );
        }
        let failing = report.iter().filter(|(_, o)| !o.is_valid()).count();
        assert_eq!(failing, oracle_errors.len(), "{id}");

        match s["expected_result"].as_str().unwrap() {
            "accept" => {
                let mrz = strict.unwrap_or_else(|e| panic!("{id}: {e:?}"));
                assert_eq!(mrz.fields(), fields, "{id}");
            }
            "reject" => {
                let error = strict.unwrap_err();
                assert_eq!(Some(error), report.first_error(), "{id}");
                assert!(
                    matches!(error, MrzError::CheckDigit { .. }),
                    "{id}: {error:?}"
                );
                assert_eq!(error.reason(), "mrz_check_digit");
            }
            other => panic!("{id}: unknown expected_result {other}"),
        }
    }
    assert_eq!(in_scope, 23);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// ICAO 9303 part 11, Appendix D.2 (and D.1 for the parity-adjusted keys).
#[test]
fn bac_keys_worked_example() {
    let info = MrzInformation::from_str("L898902C<369080619406236").unwrap();
    let keys = BacKeys::derive(&info);
    assert_eq!(
        hex(keys.seed().expose_secret()),
        "239AB9CB282DAF66231DC5A4DF6BFBAE"
    );
    assert_eq!(
        hex(keys.enc().expose_secret()),
        "AB94FDECF2674FDFB9B391F85D7F76F2"
    );
    assert_eq!(
        hex(keys.mac().expose_secret()),
        "7962D9ECE03D1ACD4C76089DCE131543"
    );
    assert_eq!(format!("{keys:?}").matches("[redacted]").count(), 3);
    assert_eq!(format!("{info:?}"), "MrzInformation([redacted])");
}

#[test]
fn mrz_information_from_mrz() {
    let mrz = Mrz::parse(&TD3).unwrap();
    assert_eq!(
        mrz.mrz_information().expose_secret(),
        "L898902C36740812212041 59".replace(' ', "")
    );
    // A long number is written whole, with its own check digit.
    let long = Mrz::parse(&TD1_LONG).unwrap();
    assert_eq!(
        long.mrz_information().expose_secret(),
        "D23145890734934071279507122"
    );
    // A short number is padded to nine characters.
    let short = Mrz::parse(&[
        "P<GBRTHATCHER<<BOB<<<<<<<<<<<<<<<<<<<<<<<<<<",
        "7125143269GBR3906022M1601013<<<<<<<<<<<<<<08",
    ])
    .unwrap();
    assert_eq!(
        short.mrz_information().expose_secret(),
        "712514326939060221601013"
    );
    // What `Mrz` builds, `MrzInformation::from_str` accepts.
    for mrz in [mrz, long, short] {
        let info = mrz.mrz_information();
        assert!(MrzInformation::from_str(info.expose_secret()).is_ok());
    }
}

#[test]
fn mrz_information_rejects() {
    assert!(matches!(
        MrzInformation::from_str("L898902C<469080619406236"),
        Err(MrzError::CheckDigit {
            field: MrzField::DocumentNumber,
            expected: 3,
            found: 4
        })
    ));
    assert!(matches!(
        MrzInformation::from_str("L898902C<369080629406236"),
        Err(MrzError::CheckDigit {
            field: MrzField::DateOfBirth,
            ..
        })
    ));
    assert!(matches!(
        MrzInformation::from_str("L898902C<36908061940623<"),
        Err(MrzError::CheckDigitNotDigit {
            field: MrzField::DateOfExpiry,
            ..
        })
    ));
    assert!(matches!(
        MrzInformation::from_str("L898902C<3690806194062"),
        Err(MrzError::LineLength { len: 22, .. })
    ));
    assert!(matches!(
        MrzInformation::from_str("l898902C<369080619406236"),
        Err(MrzError::Charset { position: 1, .. })
    ));
    assert!(matches!(
        MrzInformation::from_str("L898902C<3690A0619406236"),
        Err(MrzError::Format {
            field: MrzField::DateOfBirth
        })
    ));
    assert!(matches!(
        MrzInformation::from_str(&"A".repeat(39)),
        Err(MrzError::InputTooLong { len: 39, max: 38 })
    ));
}

#[test]
fn check_digit_examples() {
    // ICAO 9303 part 3 §4.9 worked example: 520727 → 3.
    assert_eq!(check_digit(b"520727"), 3);
    assert_eq!(check_digit(b"AB2134<<<"), 5);
    assert_eq!(check_digit(b"L898902C3"), 6);
    assert_eq!(check_digit(b"<<<<<<<<<<<<<<"), 0);
    assert_eq!(check_digit(b""), 0);
}

#[test]
fn td3_fields() {
    let mrz = Mrz::parse(&TD3).unwrap();
    let f = mrz.fields();
    assert_eq!(f.format(), DocumentFormat::Td3);
    assert_eq!(f.document_code().as_str(), "P");
    assert_eq!(f.issuing_state().trim_fillers(), "UTO");
    assert_eq!(f.optional_data().as_str(), "ZE184226B");
    assert!(!f.optional_data().is_empty());
    assert!(f.optional_data_2().is_none());
    assert!(!f.names().is_possibly_truncated());
    assert!(mrz.fields().sex() == Sex::Female);
}

#[test]
fn td1_and_td2_fields() {
    let td1 = Mrz::parse(&TD1).unwrap();
    assert_eq!(td1.fields().format(), DocumentFormat::Td1);
    assert_eq!(td1.fields().optional_data_2().unwrap().as_str(), "");
    let td2 = Mrz::parse(&TD2).unwrap();
    assert_eq!(td2.fields().format(), DocumentFormat::Td2);
    assert_eq!(
        td1.fields().document_number(),
        td2.fields().document_number()
    );
    assert_eq!(td1.fields().names(), td2.fields().names());
}

#[test]
fn td1_long_number_with_optional_data_after_it() {
    // The continuation "7349" ends at the first filler; what follows is optional data.
    let l1 = "I<UTOD23145890<7349<ABC<<<<<<<";
    let composite = check_digit(
        l1.as_bytes()[5..30]
            .iter()
            .chain(b"3407127")
            .chain(b"9507122")
            .chain(b"<<<<<<<<<<<"),
    );
    let l2 = format!("3407127M9507122UTO<<<<<<<<<<<{composite}");
    let mrz = Mrz::parse(&[l1, &l2, TD1_LONG[2]]).unwrap();
    assert_eq!(mrz.fields().document_number().as_str(), "D23145890734");
    assert_eq!(mrz.fields().optional_data().as_str(), "ABC");
}

#[test]
fn continuation_without_number_is_malformed() {
    // A filler check digit, and a continuation of one character: only a check digit.
    let lines = [
        "I<UTOD23145890<7<<<<<<<<<<<<<<",
        "3407127M9507122UTO<<<<<<<<<<<2",
        "STEVENSON<<PETER<JOHN<<<<<<<<<",
    ];
    assert!(matches!(
        Mrz::parse(&lines),
        Err(MrzError::Format {
            field: MrzField::DocumentNumber
        })
    ));
}

#[test]
fn td3_number_does_not_continue() {
    // TD3 has no continuation: a filler check digit is just not a digit.
    let lines = [TD3[0], "L898902C3<UTO7408122F1204159ZE184226B<<<<<10"];
    assert!(matches!(
        Mrz::parse(&lines),
        Err(MrzError::CheckDigitNotDigit {
            field: MrzField::DocumentNumber,
            expected: 6
        })
    ));
    let report = *UncheckedMrz::parse(&lines).unwrap().check_digits();
    assert_eq!(
        report.outcome(MrzField::DocumentNumber),
        Some(CheckDigitOutcome::NotDigit { expected: 6 })
    );
    assert_eq!(report.outcome(MrzField::Names), None);
}

#[test]
fn personal_number_check_digit_filler_only_when_empty() {
    // Empty personal number: the check digit may be '<' (gmrtd_doe_john) or '0'.
    for line in [
        "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<8",
        "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<08",
    ] {
        let mrz = Mrz::parse(&[TD3[0], line]).unwrap();
        assert!(mrz.fields().optional_data().is_empty());
    }
    // A personal number with a filler check digit is rejected.
    assert!(matches!(
        Mrz::parse(&[TD3[0], "L898902C36UTO7408122F1204159ZE184226B<<<<<<0"]),
        Err(MrzError::CheckDigitNotDigit {
            field: MrzField::OptionalData,
            expected: 1
        })
    ));
}

#[test]
fn shape_errors() {
    assert!(matches!(
        Mrz::parse(&[]),
        Err(MrzError::LineCount { lines: 0 })
    ));
    assert!(matches!(
        Mrz::parse(&[TD3[0]]),
        Err(MrzError::LineCount { lines: 1 })
    ));
    assert!(matches!(
        Mrz::parse(&[TD1[0], TD1[1], TD1[2], TD1[2]]),
        Err(MrzError::LineCount { lines: 4 })
    ));
    assert!(matches!(
        Mrz::parse(&[TD3[0], TD2[1]]),
        Err(MrzError::LineLength { line: 2, len: 36 })
    ));
    assert!(matches!(
        Mrz::parse(&[TD3[0].get(..40).unwrap(), TD3[1]]),
        Err(MrzError::LineLength { line: 1, len: 40 })
    ));
    // Three lines of TD3 length: a TD1 is expected.
    assert!(matches!(
        Mrz::parse(&[TD3[0], TD3[1], TD3[1]]),
        Err(MrzError::LineLength { line: 1, len: 44 })
    ));
    // Non-ASCII: lengths are in bytes, characters are rejected by position.
    let umlaut = TD3[0].replacen("ERIKSSON", "ERIKSSÖ", 1);
    assert_eq!(umlaut.len(), 44);
    assert!(matches!(
        Mrz::parse(&[&umlaut, TD3[1]]),
        Err(MrzError::Charset {
            line: 1,
            position: 12
        })
    ));
}

#[test]
fn field_errors() {
    let cases: [([&str; 2], MrzError); 6] = [
        (
            ["P<U1OERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", TD3[1]],
            MrzError::Format {
                field: MrzField::IssuingState,
            },
        ),
        (
            [TD3[0], "L898902C36U<O7408122F1204159ZE184226B<<<<<10"],
            MrzError::Format {
                field: MrzField::Nationality,
            },
        ),
        (
            [TD3[0], "L898902C36UTO7408122Z1204159ZE184226B<<<<<10"],
            MrzError::Format {
                field: MrzField::Sex,
            },
        ),
        (
            ["P<UTOERIKSS0N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", TD3[1]],
            MrzError::Format {
                field: MrzField::Names,
            },
        ),
        (
            [TD3[0], "L898902C36UTO74A8122F1204159ZE184226B<<<<<10"],
            MrzError::Format {
                field: MrzField::DateOfBirth,
            },
        ),
        (
            ["PAUTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", TD3[1]],
            MrzError::CheckDigit {
                field: MrzField::Composite,
                expected: 0,
                found: 0,
            },
        ),
    ];
    for (lines, expected) in cases {
        let got = Mrz::parse(&lines);
        match expected {
            // `PA` is a valid passport code: the MRZ parses.
            MrzError::CheckDigit { .. } => {
                assert_eq!(got.unwrap().fields().document_code().as_str(), "PA")
            }
            _ => assert_eq!(got.unwrap_err(), expected, "{lines:?}"),
        }
    }
    // Document codes: a TD3 must be a passport, a TD1/TD2 an A, C or I.
    assert!(matches!(
        Mrz::parse(&["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", TD3[1]]),
        Err(MrzError::DocumentCode {
            format: DocumentFormat::Td3
        })
    ));
    assert!(matches!(
        Mrz::parse(&["P<UTOD231458907<<<<<<<<<<<<<<<", TD1[1], TD1[2]]),
        Err(MrzError::DocumentCode {
            format: DocumentFormat::Td1
        })
    ));
    assert!(matches!(
        Mrz::parse(&["I1UTOD231458907<<<<<<<<<<<<<<<", TD1[1], TD1[2]]),
        Err(MrzError::Format {
            field: MrzField::DocumentCode
        })
    ));
}

#[test]
fn country_codes() {
    for ok in ["UTO", "D<<", "AB<", "XXA"] {
        let raw: [u8; 3] = ok.as_bytes().try_into().unwrap();
        let code = CountryCode::from_bytes(raw, MrzField::Nationality).unwrap();
        assert_eq!(code.as_str(), ok);
    }
    assert_eq!(
        CountryCode::from_bytes(*b"D<<", MrzField::Nationality)
            .unwrap()
            .trim_fillers(),
        "D"
    );
    for bad in ["<<<", "<AB", "A<B", "A1B"] {
        let raw: [u8; 3] = bad.as_bytes().try_into().unwrap();
        assert!(
            matches!(
                CountryCode::from_bytes(raw, MrzField::Nationality),
                Err(MrzError::Format {
                    field: MrzField::Nationality
                })
            ),
            "{bad}"
        );
    }
}

#[test]
fn sex_values() {
    assert_eq!(Sex::from_byte(b'X').unwrap(), Sex::Unspecified);
    assert_eq!(Sex::from_byte(b'<').unwrap(), Sex::Unspecified);
    assert_eq!(Sex::from_byte(b'M').unwrap(), Sex::Male);
}

#[test]
fn names() {
    let n = Names::from_bytes(b"VAN<DER<BERG<<ANNA<<MARIA<<<").unwrap();
    assert_eq!(n.primary(), "VAN DER BERG");
    assert_eq!(n.secondary(), "ANNA MARIA");
    let n = Names::from_bytes(b"ERIKSSON<<<<<").unwrap();
    assert_eq!(n.primary(), "ERIKSSON");
    assert_eq!(n.secondary(), "");
    let n = Names::from_bytes(b"ERIKSSON<<ANNAMARIAJOHANNA").unwrap();
    assert!(n.is_possibly_truncated());
    let n = Names::from_bytes(b"MADONNA").unwrap();
    assert_eq!((n.primary(), n.secondary()), ("MADONNA", ""));
}

#[test]
fn date_resolution() {
    let today = date!(2026 - 11 - 22);
    let d = |s: &str| MrzDate::from_str(s).unwrap();
    // Birth: never in the future.
    assert_eq!(
        d("261122").resolve(today, DateKind::Birth),
        Some(date!(2026 - 11 - 22))
    );
    assert_eq!(
        d("261123").resolve(today, DateKind::Birth),
        Some(date!(1926 - 11 - 23))
    );
    assert_eq!(
        d("340712").resolve(today, DateKind::Birth),
        Some(date!(1934 - 07 - 12))
    );
    assert_eq!(
        d("000229").resolve(today, DateKind::Birth),
        Some(date!(2000 - 02 - 29))
    );
    // 29 February of a year that is not leap: 2004 is in the future, 1904 is leap.
    assert_eq!(
        d("040229").resolve(date!(2003 - 01 - 01), DateKind::Birth),
        Some(date!(1904 - 02 - 29))
    );
    // 2000-02-29 is after the reference, and 1900 was not leap.
    assert_eq!(
        d("000229").resolve(date!(1999 - 12 - 31), DateKind::Birth),
        None
    );
    // Expiry: 49 years back to 50 years ahead.
    assert_eq!(
        d("120415").resolve(today, DateKind::Expiry),
        Some(date!(2012 - 04 - 15))
    );
    assert_eq!(
        d("950712").resolve(today, DateKind::Expiry),
        Some(date!(1995 - 07 - 12))
    );
    assert_eq!(
        d("760101").resolve(today, DateKind::Expiry),
        Some(date!(2076 - 01 - 01))
    );
    assert_eq!(
        d("770101").resolve(today, DateKind::Expiry),
        Some(date!(1977 - 01 - 01))
    );
    assert_eq!(
        d("350520").resolve(date!(2099 - 06 - 01), DateKind::Expiry),
        Some(date!(2135 - 05 - 20))
    );
    // Unknown or impossible parts.
    for bad in ["7408<<", "741312", "740800", "740231", "<<<<<<"] {
        assert_eq!(d(bad).resolve(today, DateKind::Birth), None, "{bad}");
        assert_eq!(d(bad).resolve(today, DateKind::Expiry), None, "{bad}");
    }
    // Out of range for `time::Date`.
    assert_eq!(
        d("400101").resolve(date!(9999 - 01 - 01), DateKind::Expiry),
        None
    );
    assert!(matches!(
        MrzDate::from_str("7408122"),
        Err(MrzError::Format { .. })
    ));
    assert!(matches!(
        MrzDate::from_str("74O812"),
        Err(MrzError::Format { .. })
    ));
    assert_eq!(d("740812").as_str(), "740812");
}

#[test]
fn from_str_forms() {
    let plain = Mrz::from_str(&TD3.join("\n")).unwrap();
    for text in [
        format!("{}\n", TD3.join("\n")),
        TD3.join("\r\n"),
        format!("{}\r\n", TD3.join("\r\n")),
    ] {
        assert_eq!(Mrz::from_str(&text).unwrap().fields(), plain.fields());
    }
    assert!(Mrz::from_str(&TD1.join("\n")).is_ok());
    // Only one final line end: a second makes a third, empty line, and three lines are a TD1.
    assert!(matches!(
        Mrz::from_str(&format!("{}\n\n", TD3.join("\n"))),
        Err(MrzError::LineLength { line: 1, len: 44 })
    ));
    assert!(matches!(
        Mrz::from_str("\n\n\n\n"),
        Err(MrzError::LineCount { lines: 4 })
    ));
    assert!(matches!(
        Mrz::from_str(""),
        Err(MrzError::LineCount { lines: 1 })
    ));
    assert!(matches!(
        Mrz::from_str(&"<".repeat(129)),
        Err(MrzError::InputTooLong { len: 129, max: 128 })
    ));
}

/// Debug and error messages never show the name, number, dates or optional data.
#[test]
fn no_personal_data_in_debug_or_errors() {
    let secrets = [
        "ERIKSSON",
        "ANNA",
        "L898902C3",
        "740812",
        "120415",
        "ZE184226B",
    ];
    let mrz = Mrz::parse(&TD3).unwrap();
    let unchecked = UncheckedMrz::parse(&TD3).unwrap();
    let debug = format!(
        "{mrz:?} {unchecked:?} {:?} {:?} {:?} {:?} {:?} {:?}",
        mrz.fields().names(),
        mrz.fields().document_number(),
        mrz.fields().date_of_birth(),
        mrz.fields().optional_data(),
        mrz.mrz_information(),
        BacKeys::derive(&mrz.mrz_information())
    );
    for secret in secrets {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert!(debug.contains("Td3") && debug.contains("UTO"));
    let mut lines = TD3;
    let bad = "L898902C34UTO7408122F1204159ZE184226B<<<<<10";
    lines[1] = bad;
    let errors = [
        Mrz::parse(&lines).unwrap_err(),
        Mrz::parse(&["P<UTOEriksson<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", TD3[1]]).unwrap_err(),
        Mrz::parse(&[TD3[0], bad.get(..43).unwrap()]).unwrap_err(),
    ];
    for error in errors {
        let text = format!("{error} {error:?}");
        for secret in secrets.iter().chain(&["Eriksson"]) {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}

#[test]
fn reasons() {
    let field = MrzField::Composite;
    let cases = [
        (
            MrzError::CheckDigit {
                field,
                expected: 1,
                found: 2,
            },
            "mrz_check_digit",
        ),
        (
            MrzError::CheckDigitNotDigit { field, expected: 1 },
            "mrz_check_digit",
        ),
        (
            MrzError::Charset {
                line: 1,
                position: 1,
            },
            "mrz_charset",
        ),
        (
            MrzError::DocumentCode {
                format: DocumentFormat::Td3,
            },
            "mrz_document_code",
        ),
        (MrzError::Format { field }, "mrz_format"),
        (
            MrzError::InputTooLong { len: 1, max: 0 },
            "mrz_input_too_long",
        ),
        (MrzError::LineCount { lines: 1 }, "mrz_line_count"),
        (MrzError::LineLength { line: 1, len: 1 }, "mrz_length"),
    ];
    for (error, reason) in cases {
        assert_eq!(error.reason(), reason);
        assert!(!error.to_string().is_empty());
    }
    assert_eq!(MrzField::OptionalData2.to_string(), "optional_data_2");
    assert_eq!(DocumentFormat::Td1.to_string(), "TD1");
    assert_eq!(
        DocumentFormat::Td1.lines() * DocumentFormat::Td1.line_len(),
        90
    );
}

/// A valid TD3 with these fields, its check digits computed.
fn td3_from(number: &str, birth: &str, expiry: &str, personal: &str, names: &str) -> [String; 2] {
    let pad = |s: &str, n: usize| format!("{s:<<n$}");
    let number = pad(number, 9);
    let personal = pad(personal, 14);
    let cd = |s: &str| check_digit(s.as_bytes()).to_string();
    let personal_cd = cd(&personal);
    let body = format!(
        "{number}{}UTO{birth}{}F{expiry}{}{personal}{personal_cd}",
        cd(&number),
        cd(birth),
        cd(expiry)
    );
    let composite = check_digit(
        body.as_bytes()[0..10]
            .iter()
            .chain(&body.as_bytes()[13..20])
            .chain(&body.as_bytes()[21..43]),
    );
    [
        format!("P<UTO{}", pad(names, 39)),
        format!("{body}{composite}"),
    ]
}

const MRZ_CHARS: &str = "[A-Z0-9<]";

proptest! {
    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,140}") {
        let _ = Mrz::from_str(&s);
        let _ = UncheckedMrz::from_str(&s);
        let _ = MrzInformation::from_str(&s);
    }

    #[test]
    fn arbitrary_lines_never_panic(lines in proptest::collection::vec("[A-Z0-9<a-z é]{28,46}", 0..5)) {
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let _ = Mrz::parse(&refs);
        if let Ok(u) = UncheckedMrz::parse(&refs) {
            prop_assert_eq!(u.check_digits().is_valid(), u.clone().check().is_ok());
        }
    }

    /// Any MRZ character anywhere in a valid MRZ of each format: an error or an MRZ, no panic.
    #[test]
    fn mutated_valid_mrz_never_panics(
        which in 0..4_usize,
        line in 0..3_usize,
        pos in 0..44_usize,
        c in MRZ_CHARS,
    ) {
        let mut lines: Vec<String> = match which {
            0 => TD3.iter().map(|s| s.to_string()).collect(),
            1 => TD1.iter().map(|s| s.to_string()).collect(),
            2 => TD2.iter().map(|s| s.to_string()).collect(),
            _ => TD1_LONG.iter().map(|s| s.to_string()).collect(),
        };
        let line = line % lines.len();
        let pos = pos % lines[line].len();
        lines[line].replace_range(pos..=pos, &c);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        match UncheckedMrz::parse(&refs) {
            Ok(u) => {
                let strict = Mrz::parse(&refs);
                prop_assert_eq!(strict.is_ok(), u.check_digits().is_valid());
                if let Ok(mrz) = strict {
                    let _ = BacKeys::derive(&mrz.mrz_information());
                }
            }
            Err(e) => prop_assert!(!e.reason().is_empty()),
        }
    }

    /// A digit changed in a field a check digit covers is always caught (weights 7, 3, 1 are
    /// coprime with 10).
    #[test]
    fn changed_digit_is_caught(pos in prop::sample::select(vec![1_usize, 2, 3, 4, 5, 6, 13, 14, 15, 16, 17, 18, 21, 22, 23, 24, 25, 26]), delta in 1..10_u8) {
        let mut line = TD3[1].as_bytes().to_vec();
        line[pos] = b'0' + (line[pos] - b'0' + delta) % 10;
        let line = String::from_utf8(line).unwrap();
        let caught = matches!(Mrz::parse(&[TD3[0], &line]), Err(MrzError::CheckDigit { .. }));
        prop_assert!(caught);
    }

    /// A TD3 built from random fields parses back to them.
    #[test]
    fn td3_round_trip(
        number in "[A-Z0-9]{1,9}",
        birth in "[0-9]{6}",
        expiry in "[0-9]{6}",
        personal in "[A-Z0-9]{0,14}",
        primary in "[A-Z]{1,15}",
        secondary in "[A-Z]{1,10}( [A-Z]{1,10})?",
    ) {
        let names = format!("{primary}<<{}", secondary.replace(' ', "<"));
        let lines = td3_from(&number, &birth, &expiry, &personal, &names);
        let mrz = Mrz::parse(&[&lines[0], &lines[1]]).unwrap();
        let f = mrz.fields();
        prop_assert_eq!(f.document_number().as_str(), number.as_str());
        let (b, e) = (f.date_of_birth(), f.date_of_expiry());
        prop_assert_eq!(b.as_str(), birth.as_str());
        prop_assert_eq!(e.as_str(), expiry.as_str());
        prop_assert_eq!(f.optional_data().as_str(), personal.as_str());
        prop_assert_eq!(f.names().primary(), primary.as_str());
        prop_assert_eq!(f.names().secondary(), secondary.as_str());
        let info = mrz.mrz_information();
        prop_assert!(MrzInformation::from_str(info.expose_secret()).is_ok());
    }
}

#[test]
fn debug_shows_format_and_codes_only() {
    let mrz = Mrz::parse(&TD3).unwrap();
    assert_eq!(
        format!("{mrz:?}"),
        r#"Mrz(MrzFields { format: Td3, document_code: "P", issuing_state: "UTO", nationality: "UTO", .. })"#
    );
    let de = Mrz::parse(&[
        "IDD<<T220001293<<<<<<<<<<<<<<<",
        "6408125<2010315D<<<<<<<<<<<<<4",
        "MUSTERMANN<<ERIKA<<<<<<<<<<<<<",
    ])
    .unwrap();
    assert_eq!(
        format!("{de:?}"),
        r#"Mrz(MrzFields { format: Td1, document_code: "ID", issuing_state: "D<<", nationality: "D<<", .. })"#
    );
    assert_eq!(de.fields().sex(), Sex::Unspecified);
}

#[test]
fn td2_long_number_and_unchecked_from_str() {
    let text = "I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<\nD23145890<UTO3407127M95071227349<<<8\n";
    let unchecked = UncheckedMrz::from_str(text).unwrap();
    assert!(unchecked.check_digits().is_valid());
    assert_eq!(
        unchecked.check_digits().outcome(MrzField::OptionalData),
        None
    );
    let mrz = unchecked.check().unwrap();
    assert_eq!(mrz.fields().document_number().as_str(), "D23145890734");
    assert!(mrz.fields().optional_data().is_empty());
    assert_eq!(
        mrz.mrz_information().expose_secret(),
        "D23145890734934071279507122"
    );
    // The same number in a TD1 gives the same keys.
    let td1 = Mrz::parse(&TD1_LONG).unwrap();
    assert_eq!(
        BacKeys::derive(&mrz.mrz_information())
            .enc()
            .expose_secret(),
        BacKeys::derive(&td1.mrz_information())
            .enc()
            .expose_secret()
    );
}

/// ICAO 9303 part 11, Appendix D.2: examples 1 to 4 give the MRZ information of a TD2 and a TD1
/// with a nine-character number (`L898902C<`) and with a long one (`D23145890734`).
#[test]
fn part11_appendix_d2_mrz_information() {
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<",
                "D23145890<UTO3407127M95071227349<<<8",
            ],
            "D23145890734934071279507122",
        ),
        (
            &[
                "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
                "L898902C<3UTO6908061F9406236<<<<<<<2",
            ],
            "L898902C<369080619406236",
        ),
        (&TD1_LONG, "D23145890734934071279507122"),
        (
            &[
                "I<UTOL898902C<3<<<<<<<<<<<<<<<",
                "6908061F9406236UTO<<<<<<<<<<<2",
                "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
            ],
            "L898902C<369080619406236",
        ),
    ];
    for (lines, information) in cases {
        let mrz = Mrz::parse(lines).unwrap();
        assert_eq!(mrz.mrz_information().expose_secret(), information);
    }
    let td1 = Mrz::parse(cases[3].0).unwrap();
    assert_eq!(td1.fields().document_number().as_str(), "L898902C");
    let keys = BacKeys::derive(&td1.mrz_information());
    assert_eq!(
        hex(keys.enc().expose_secret()),
        "AB94FDECF2674FDFB9B391F85D7F76F2"
    );
}

/// A second vector, from a JMRTD forum thread as quoted in the BAC tests of
/// NeuroAccess (`BacTests.cs`, `Test_13_BAC_ChallengeResponse`).
#[test]
fn bac_keys_second_vector() {
    let keys = BacKeys::derive(&MrzInformation::from_str("GF043591<586012072309062").unwrap());
    assert_eq!(
        hex(keys.enc().expose_secret()),
        "BA43433BF47AAEF875234FDF3208206D"
    );
    assert_eq!(
        hex(keys.mac().expose_secret()),
        "EA6445CD622CEAECBF7C9B7CB020B95D"
    );
}

/// A valid TD1 with this number (1 to 23 characters: longer than 9 continues in optional data 1)
/// and optional data, its check digits computed.
fn td1_from(number: &str, optional_1: &str, optional_2: &str) -> [String; 3] {
    let cd = |s: &str| check_digit(s.as_bytes()).to_string();
    let (field, check, optional_1) = if number.len() <= 9 {
        (number.to_owned(), cd(number), optional_1.to_owned())
    } else {
        let (head, tail) = number.split_at(9);
        let continued = format!("{tail}{}<{optional_1}", cd(number));
        (head.to_owned(), "<".to_owned(), continued)
    };
    let l1 = format!("I<UTO{field:<<9}{check}{:<<15}", optional_1);
    let l1 = l1.get(..30).unwrap().to_owned();
    let l2_body = format!("7408122F1204159UTO{optional_2:<<11}");
    let composite = check_digit(
        l1.as_bytes()[5..30]
            .iter()
            .chain(&l2_body.as_bytes()[0..7])
            .chain(&l2_body.as_bytes()[8..15])
            .chain(&l2_body.as_bytes()[18..29]),
    );
    [
        l1,
        format!("{l2_body}{composite}"),
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<".to_owned(),
    ]
}

proptest! {
    /// A TD1 with a short or long number parses back to it, and to its optional data.
    #[test]
    fn td1_round_trip(
        number in "[A-Z0-9]{1,23}",
        optional_1 in "([A-Z0-9][A-Z0-9<]{0,12}[A-Z0-9])?",
        optional_2 in "([A-Z0-9][A-Z0-9<]{0,9}[A-Z0-9])?",
    ) {
        // What fits after a continuation, its check digit and a filler.
        let room = if number.len() <= 9 { 15 } else { 15_usize.saturating_sub(number.len() - 9 + 2) };
        let optional_1 = optional_1.get(..room.min(optional_1.len())).unwrap().trim_end_matches('<');
        let lines = td1_from(&number, optional_1, &optional_2);
        let refs = [lines[0].as_str(), lines[1].as_str(), lines[2].as_str()];
        let mrz = Mrz::parse(&refs).unwrap();
        let f = mrz.fields();
        prop_assert_eq!(f.document_number().as_str(), number.as_str());
        prop_assert_eq!(f.optional_data().as_str(), optional_1);
        prop_assert_eq!(f.optional_data_2().unwrap().as_str(), optional_2.as_str());
        let info = mrz.mrz_information();
        prop_assert!(MrzInformation::from_str(info.expose_secret()).is_ok());
        let expected_len = number.len().max(9) + 15;
        prop_assert_eq!(info.expose_secret().len(), expected_len);
    }
}
