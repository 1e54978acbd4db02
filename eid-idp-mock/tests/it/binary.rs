//! The `eid-idp-mock` binary: its help, its configuration errors, and a start.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_eid-idp-mock");

fn temp_file(name: &str, contents: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("eid-idp-mock-bin-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn help_names_the_options() {
    let output = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(help.contains("--config <FILE>"), "{help}");
    assert!(help.contains("--port <N>"), "{help}");
    assert!(help.contains("built-in test persons"), "{help}");
}

#[test]
fn unknown_options_are_refused() {
    let output = Command::new(BINARY).arg("--colour").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = Command::new(BINARY)
        .args(["--port", "eighty"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn configuration_errors_stop_it_with_the_key_path() {
    let path = temp_file(
        "bad.json",
        r#"{"clients": [{"client_id": "c", "auth_method": "none",
            "redirect_uris": ["http://e-service.example/cb"]}]}"#,
    );
    let output = Command::new(BINARY)
        .arg("--config")
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8(output.stderr).unwrap();
    assert!(
        error.contains("configuration error: clients[0].redirect_uris[0]"),
        "{error}"
    );
    let output = Command::new(BINARY)
        .args(["--config", "/nonexistent/eid-idp-mock.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("/nonexistent/eid-idp-mock.json")
    );
}

#[test]
fn without_a_configuration_it_starts_with_the_test_clients() {
    let mut child = Command::new(BINARY)
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let lines: Vec<String> = BufReader::new(stdout)
        .lines()
        .take(10)
        .map(Result::unwrap)
        .collect();
    child.kill().unwrap();
    child.wait().unwrap();
    let text = lines.join("\n");
    assert!(text.contains("issuer: http://127.0.0.1:"), "{text}");
    assert!(text.contains("profile: bank_id_like"), "{text}");
    for client in [
        "mock-client-secret-basic",
        "mock-client-secret-post",
        "mock-private-key-jwt",
        "mock-public",
    ] {
        assert!(text.contains(client), "{text}");
    }
    assert!(
        text.contains("persons: astrid bertil charlie dana eva frans"),
        "{text}"
    );
}
