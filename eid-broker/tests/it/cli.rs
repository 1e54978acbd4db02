//! The `eid-broker` binary, run as a user runs it: arguments in, JSON and an exit status out.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

struct Run {
    status: i32,
    json: Value,
    stderr: String,
}

fn eid_broker(args: &[&str]) -> Run {
    run(Command::new(env!("CARGO_BIN_EXE_eid-broker"))
        .args(args)
        .output()
        .unwrap())
}

fn eid_broker_with_stdin(args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eid-broker"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    run(child.wait_with_output().unwrap())
}

fn run(output: Output) -> Run {
    let stdout = String::from_utf8(output.stdout).unwrap();
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|error| panic!("stdout is not one JSON document ({error}): {stdout}"));
    Run {
        status: output.status.code().unwrap(),
        json,
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

#[test]
fn pnr_valid_in_every_written_form() {
    for form in ["195006262546", "19500626-2546", "500626-2546", "5006262546"] {
        let run = eid_broker(&["inspect", "pnr", form, "--today", "2026-11-25"]);
        assert_eq!(run.status, 0, "{form}: {}", run.json);
        assert_eq!(run.json["valid"], true);
        assert_eq!(run.json["kind"], "personal_identity_number");
        assert_eq!(run.json["claim_value"], "195006262546");
        assert_eq!(run.json["birth_date"], "1950-06-26");
        assert_eq!(run.json["sex"], "female");
    }
}

#[test]
fn pnr_plus_sign_means_a_hundred_years_earlier() {
    // Valid check digits for 1918-01-01 (Tax Agency test number 191801012392 shifted is not
    // needed: the short form carries no century, the separator chooses it).
    let young = eid_broker(&["inspect", "pnr", "180101-2392", "--today", "2026-11-25"]);
    let old = eid_broker(&["inspect", "pnr", "180101+2392", "--today", "2026-11-25"]);
    assert_eq!(young.status, 0, "{}", young.json);
    assert_eq!(old.status, 0, "{}", old.json);
    assert_eq!(young.json["claim_value"], "201801012392");
    assert_eq!(old.json["claim_value"], "191801012392");
}

#[test]
fn pnr_coordination_number() {
    let run = eid_broker(&["inspect", "pnr", "199008672397", "--today", "2026-11-25"]);
    assert_eq!(run.status, 0, "{}", run.json);
    assert_eq!(run.json["kind"], "coordination_number");
    assert_eq!(run.json["birth_date"], "1990-08-07");
}

#[test]
fn pnr_refusals_have_reasons_and_do_not_echo_the_number() {
    let cases = [
        ("195006262547", "bad_checksum"),
        ("19501326-2546", "invalid_date"),
        ("not a number", "malformed"),
    ];
    for (input, reason) in cases {
        let run = eid_broker(&["inspect", "pnr", input, "--today", "2026-11-25"]);
        assert_eq!(run.status, 1, "{input}: {}", run.json);
        assert_eq!(run.json["valid"], false);
        assert_eq!(run.json["reason"], reason, "{input}: {}", run.json);
        let text = run.json.to_string();
        assert!(
            !text.contains("2546") && !text.contains("2547"),
            "echoed: {text}"
        );
    }
}

#[test]
fn acr_known_and_unknown() {
    let run = eid_broker(&["inspect", "acr", "http://id.elegnamnden.se/loa/1.0/loa3"]);
    assert_eq!(run.status, 0, "{}", run.json);
    assert_eq!(run.json["framework"], "sweden");
    assert_eq!(run.json["identity_type"], "resident");
    assert_eq!(run.json["permits_personal_identity_number"], true);

    let run = eid_broker(&[
        "inspect",
        "acr",
        "http://id.swedenconnect.se/loa/1.0/loa3-nonresident",
    ]);
    assert_eq!(run.status, 0, "{}", run.json);
    assert_eq!(run.json["identity_type"], "non_resident");
    assert_eq!(run.json["permits_personal_identity_number"], false);

    let run = eid_broker(&["inspect", "acr", "http://id.elegnamnden.se/loa/1.0/loa5"]);
    assert_eq!(run.status, 1, "{}", run.json);
    assert_eq!(run.json["reason"], "unknown_acr");
}

#[test]
fn usage_errors_exit_2_with_json() {
    for args in [
        &["inspect"][..],
        &["inspect", "pnr"][..],
        &["inspect", "pnr", "195006262546", "--today", "yesterday"][..],
        &["frobnicate"][..],
    ] {
        let run = eid_broker(args);
        assert_eq!(run.status, 2, "{args:?}: {}", run.json);
        assert_eq!(run.json["reason"], "usage");
        assert!(!run.stderr.is_empty(), "clap explains the usage on stderr");
    }
}

#[test]
fn help_exits_0() {
    let output = Command::new(env!("CARGO_BIN_EXE_eid-broker"))
        .args(["inspect", "--help"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("token"));
}

// ID tokens: signed here with a key generated for the test, verified by the binary.

mod token {
    use super::*;

    use eid_core::clock::UnixTime;
    use eid_core::jose::{Jwks, JwsAlgorithm, SigningKey};
    use serde_json::json;

    const ISSUER: &str = "https://broker.example.se";
    const CLIENT: &str = "e-service-1";
    const NOW: u64 = 1_790_000_000;

    struct Fixture {
        key: SigningKey,
        jwks_path: PathBuf,
    }

    fn fixture(name: &str) -> Fixture {
        let key = SigningKey::generate(JwsAlgorithm::Es256).unwrap();
        // A second key of another algorithm, so that an allow-list without ES256 still has a
        // usable key and the token's own algorithm is what gets refused.
        let eddsa = SigningKey::generate(JwsAlgorithm::EdDsa).unwrap();
        let jwks = Jwks::new(vec![key.public_jwk(), eddsa.public_jwk()]).unwrap();
        let jwks_path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.jwks"));
        std::fs::write(&jwks_path, serde_json::to_vec(&jwks).unwrap()).unwrap();
        Fixture { key, jwks_path }
    }

    fn claims(acr: &str) -> Value {
        json!({
            "iss": ISSUER,
            "sub": "pairwise-4711",
            "aud": CLIENT,
            "iat": NOW - 10,
            "exp": NOW + 290,
            "auth_time": NOW - 20,
            "nonce": "n-0S6_WzA2Mj",
            "acr": acr,
        })
    }

    fn verify(fixture: &Fixture, token: &str, extra: &[&str]) -> Run {
        verify_at(fixture, token, NOW, extra)
    }

    fn verify_at(fixture: &Fixture, token: &str, now: u64, extra: &[&str]) -> Run {
        let now = now.to_string();
        let jwks = fixture.jwks_path.to_str().unwrap();
        let mut args = vec![
            "inspect",
            "token",
            token,
            "--jwks",
            jwks,
            "--issuer",
            ISSUER,
            "--audience",
            CLIENT,
            "--now",
            &now,
        ];
        args.extend_from_slice(extra);
        eid_broker(&args)
    }

    #[test]
    fn valid_token_at_the_required_level() {
        let fixture = fixture("valid");
        let token = fixture
            .key
            .sign_jwt(&claims("http://id.elegnamnden.se/loa/1.0/loa3"))
            .unwrap();
        let run = verify(
            &fixture,
            &token,
            &[
                "--nonce",
                "n-0S6_WzA2Mj",
                "--require",
                "http://id.elegnamnden.se/loa/1.0/loa3",
                "--require",
                "http://id.elegnamnden.se/loa/1.0/loa4",
            ],
        );
        assert_eq!(run.status, 0, "{}", run.json);
        assert_eq!(run.json["subject"], "pairwise-4711");
        assert_eq!(run.json["acr"], "http://id.elegnamnden.se/loa/1.0/loa3");
        assert_eq!(run.json["auth_time"], NOW - 20);
        assert_eq!(
            UnixTime::from_secs(NOW + 290).as_secs(),
            run.json["expires_at"]
        );
    }

    #[test]
    fn token_from_stdin() {
        let fixture = fixture("stdin");
        let token = fixture
            .key
            .sign_jwt(&claims("http://id.elegnamnden.se/loa/1.0/loa3"))
            .unwrap();
        let now = NOW.to_string();
        let jwks = fixture.jwks_path.to_str().unwrap();
        let run = eid_broker_with_stdin(
            &[
                "inspect",
                "token",
                "-",
                "--jwks",
                jwks,
                "--issuer",
                ISSUER,
                "--audience",
                CLIENT,
                "--now",
                &now,
            ],
            &format!("{token}\n"),
        );
        assert_eq!(run.status, 0, "{}", run.json);
    }

    #[test]
    fn refusals_name_the_check_that_failed() {
        let fixture = fixture("refusals");
        let loa3 = "http://id.elegnamnden.se/loa/1.0/loa3";
        let token = fixture.key.sign_jwt(&claims(loa3)).unwrap();

        let run = verify(
            &fixture,
            &token,
            &["--require", "http://id.elegnamnden.se/loa/1.0/loa4"],
        );
        assert_eq!(
            (run.status, run.json["reason"].as_str()),
            (1, Some("acr_not_satisfied"))
        );

        let run = verify(&fixture, &token, &["--nonce", "another-nonce"]);
        assert_eq!(
            (run.status, run.json["reason"].as_str()),
            (1, Some("nonce_mismatch"))
        );

        let run = verify_at(&fixture, &token, NOW + 3600, &[]);
        assert_eq!(
            (run.status, run.json["reason"].as_str()),
            (1, Some("expired"))
        );

        let run = verify(&fixture, &token, &["--alg", "EdDSA"]);
        assert_eq!(
            (run.status, run.json["reason"].as_str()),
            (1, Some("algorithm_not_allowed"))
        );

        let mut tampered = token.clone();
        tampered.push('A');
        let run = verify(&fixture, &tampered, &[]);
        assert_eq!(run.status, 1, "{}", run.json);

        let other = super::token::fixture("refusals-other-key");
        let run = verify(&other, &token, &[]);
        assert_eq!(run.status, 1, "{}", run.json);
        assert!(
            matches!(
                run.json["reason"].as_str(),
                Some("unknown_key" | "signature_invalid")
            ),
            "{}",
            run.json
        );
    }

    #[test]
    fn unreadable_or_invalid_jwks_is_a_usage_error() {
        let fixture = fixture("usage");
        let token = fixture
            .key
            .sign_jwt(&claims("http://id.elegnamnden.se/loa/1.0/loa3"))
            .unwrap();
        let missing = Fixture {
            key: SigningKey::generate(JwsAlgorithm::Es256).unwrap(),
            jwks_path: PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("does-not-exist.jwks"),
        };
        let run = verify(&missing, &token, &[]);
        assert_eq!(
            (run.status, run.json["reason"].as_str()),
            (2, Some("jwks_unreadable"))
        );

        std::fs::write(&fixture.jwks_path, b"{\"keys\": 7}").unwrap();
        let run = verify(&fixture, &token, &[]);
        assert_eq!(
            (run.status, run.json["reason"].as_str()),
            (2, Some("jwks_invalid"))
        );

        let es256_only = Jwks::new(vec![fixture.key.public_jwk()]).unwrap();
        std::fs::write(&fixture.jwks_path, serde_json::to_vec(&es256_only).unwrap()).unwrap();
        let run = verify(&fixture, &token, &["--alg", "RS256"]);
        assert_eq!(
            (run.status, run.json["reason"].as_str()),
            (2, Some("no_usable_key"))
        );

        let run = verify(&fixture, &token, &["--alg", "none"]);
        assert_eq!(
            (run.status, run.json["reason"].as_str()),
            (2, Some("usage"))
        );
        let run = verify(&fixture, &token, &["--alg", "HS256"]);
        assert_eq!(
            (run.status, run.json["reason"].as_str()),
            (2, Some("usage"))
        );
    }
}

/// ICAO 9303 part 4, Appendix A: the Utopian specimen passport.
const MRZ_LINE_1: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
const MRZ_LINE_2: &str = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";

fn inspect_mrz(lines: &[&str]) -> Run {
    let mut args = vec!["inspect", "mrz"];
    args.extend_from_slice(lines);
    args.extend_from_slice(&["--today", "2026-11-25"]);
    eid_broker(&args)
}

#[test]
fn mrz_td3_fields_dates_and_check_digits() {
    let run = inspect_mrz(&[MRZ_LINE_1, MRZ_LINE_2]);
    assert_eq!(run.status, 0, "{}", run.json);
    assert_eq!(run.json["format"], "TD3");
    assert_eq!(run.json["document_number"], "L898902C3");
    assert_eq!(run.json["secondary_identifier"], "ANNA MARIA");
    assert_eq!(run.json["date_of_birth"]["date"], "1974-08-12");
    assert_eq!(run.json["date_of_expiry"]["expired"], true);
    assert_eq!(run.json["check_digits"]["composite"], "valid");
}

#[test]
fn mrz_with_a_wrong_check_digit_is_refused_with_the_report() {
    // The document number's check digit 6 changed to 4.
    let wrong = MRZ_LINE_2.replacen("C36", "C34", 1);
    let run = inspect_mrz(&[MRZ_LINE_1, &wrong]);
    assert_eq!(run.status, 1, "{}", run.json);
    assert_eq!(run.json["reason"], "mrz_check_digit");
    assert_eq!(run.json["check_digits"]["document_number"]["expected"], 6);
    assert_eq!(run.json["check_digits"]["document_number"]["found"], 4);

    let run = inspect_mrz(&["P<UTOERIKSSON"]);
    assert_eq!(run.status, 1, "{}", run.json);
    assert!(
        run.json["reason"].as_str().unwrap().starts_with("mrz_"),
        "{}",
        run.json
    );
}

mod sod {
    use super::*;

    fn data(path: &str) -> String {
        format!(
            "{}/../eid-core/tests/data/emrtd/{path}",
            env!("CARGO_MANIFEST_DIR")
        )
    }

    #[test]
    fn synthetic_chip_is_accepted_with_its_chain() {
        let (sod, dg1, dg15, csca) = (
            data("synthetic/EF_SOD.bin"),
            format!("1={}", data("synthetic/EF_DG1.bin")),
            format!("15={}", data("synthetic/EF_DG15.bin")),
            data("synthetic/CSCA.cer"),
        );
        let run = eid_broker(&[
            "inspect",
            "sod",
            "--sod",
            &sod,
            "--dg",
            &dg1,
            "--dg",
            &dg15,
            "--csca",
            &csca,
            "--at",
            "2026-11-22T00:00:00Z",
        ]);
        assert_eq!(run.status, 0, "{}", run.json);
        assert_eq!(
            run.json["csca"],
            "C=UT, O=Utopia eid test PKI, CN=CSCA Utopia eid test"
        );
        assert_eq!(run.json["data_groups"]["1"], "matched");
        assert_eq!(run.json["proven_data_groups"], serde_json::json!([1, 15]));
        assert_eq!(run.json["signature_algorithm"], "1.2.840.10045.4.3.2");
    }

    #[test]
    fn refusals() {
        let sod = data("synthetic/EF_SOD.bin");
        let csca = data("synthetic/CSCA.cer");

        // A data group changed after signing.
        let mut dg1 = std::fs::read(data("synthetic/EF_DG1.bin")).unwrap();
        if let Some(byte) = dg1.last_mut() {
            *byte ^= 1;
        }
        let forged = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("forged_dg1.bin");
        std::fs::write(&forged, dg1).unwrap();
        let dg = format!("1={}", forged.display());
        let run = eid_broker(&[
            "inspect",
            "sod",
            "--sod",
            &sod,
            "--dg",
            &dg,
            "--csca",
            &csca,
            "--at",
            "2026-11-22T00:00:00Z",
        ]);
        assert_eq!(
            (run.status, run.json["reason"].as_str()),
            (1, Some("dg_hash_mismatch"))
        );
        assert_eq!(run.json["data_groups"]["1"], "mismatch");

        // No CSCA: the signature verifies but nothing is trusted.
        let run = eid_broker(&[
            "inspect",
            "sod",
            "--sod",
            &sod,
            "--at",
            "2026-11-22T00:00:00Z",
        ]);
        assert_eq!(
            (run.status, run.json["reason"].as_str()),
            (1, Some("no_trust_anchor"))
        );
        assert_eq!(run.json["signature_valid"], true);

        // After the document signer expired.
        let run = eid_broker(&[
            "inspect",
            "sod",
            "--sod",
            &sod,
            "--csca",
            &csca,
            "--at",
            "2040-01-01T00:00:00Z",
        ]);
        assert_eq!(run.status, 1, "{}", run.json);
        assert_eq!(run.json["reason"], "ds_expired");

        // Not a SOD at all.
        let run = eid_broker(&["inspect", "sod", "--sod", &csca, "--csca", &csca]);
        assert_eq!(run.status, 1, "{}", run.json);
    }

    #[test]
    fn real_german_passport_through_the_german_master_list() {
        let (sod, list, anchor) = (
            data("real_sods/DE_gmrtd/EF_SOD.bin"),
            data("masterlists/DE_ML_2026-05-28-08-28-45.ml"),
            data("masterlists/DE_ROOT_CA_CSCA07.cer"),
        );
        let run = eid_broker(&[
            "inspect",
            "sod",
            "--sod",
            &sod,
            "--master-list",
            &list,
            "--master-list-anchor",
            &anchor,
            "--at",
            "2026-11-22T00:00:00Z",
        ]);
        assert_eq!(run.status, 0, "{}", run.json);
        assert_eq!(run.json["csca"], "C=DE, O=bund, OU=bsi, CN=csca-germany");
        assert!(run.json["trusted_cscas"].as_u64().unwrap() > 500);
        assert_eq!(run.json["lds_version"], 1);
    }

    #[test]
    fn usage_errors() {
        let sod = data("synthetic/EF_SOD.bin");
        for args in [
            &["inspect", "sod"][..],
            &["inspect", "sod", "--sod", &sod, "--dg", "17=x"][..],
            &["inspect", "sod", "--sod", &sod, "--dg", "one"][..],
            &["inspect", "sod", "--sod", &sod, "--at", "yesterday"][..],
        ] {
            let run = eid_broker(args);
            assert_eq!(
                (run.status, run.json["reason"].as_str()),
                (2, Some("usage")),
                "{args:?}"
            );
        }
        let run = eid_broker(&["inspect", "sod", "--sod", "/nonexistent/EF_SOD.bin"]);
        assert_eq!(
            (run.status, run.json["reason"].as_str()),
            (2, Some("file_unreadable"))
        );
    }
}
