//! What the interop tests share: Node.js and the locked npm packages checked (and installed
//! with `npm ci` when missing), the scripts of `tests/interop/` run as child processes with a
//! time limit.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests; not every test binary uses every helper"
)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use eid_tests::node::npm_ready;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::{Child, ChildStdout};

/// The longest a script run may take (it makes about forty requests on loopback).
pub(crate) const SCRIPT_TIMEOUT: Duration = Duration::from_secs(60);

/// `tests/interop/`.
pub(crate) fn interop_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("interop")
}

/// The versions the lockfile pins.
#[derive(Debug)]
pub(crate) struct Locked {
    /// `openid-client`.
    pub(crate) openid_client: String,
    /// `oidc-provider`.
    pub(crate) oidc_provider: String,
}

/// Checks Node.js, installs the locked npm packages when needed (`npm ci`, as scripts/test
/// does), and returns the versions the lockfile pins. Done once per test binary; panics with
/// a message saying what to install when a peer is missing (never a skip).
pub(crate) fn peers_ready() -> &'static Locked {
    static READY: OnceLock<Result<Locked, String>> = OnceLock::new();
    let ready = READY.get_or_init(|| {
        let pinned = npm_ready(&interop_dir(), &["openid-client", "oidc-provider"])?;
        let version = |name: &str| pinned.get(name).cloned().unwrap_or_default();
        Ok(Locked {
            openid_client: version("openid-client"),
            oidc_provider: version("oidc-provider"),
        })
    });
    match ready {
        Ok(locked) => locked,
        Err(message) => panic!("interop peers not ready: {message}"),
    }
}

/// PKCS#8 DER as PEM.
pub(crate) fn pem(der: &[u8]) -> String {
    format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        STANDARD.encode(der)
    )
}

/// Runs `tests/interop/rp.mjs` with `config`; its exit success and its JSON summary.
pub(crate) async fn run_rp(config: &Value) -> (bool, Value) {
    let child = tokio::process::Command::new("node")
        .arg("rp.mjs")
        .current_dir(interop_dir())
        .env("EID_INTEROP_CONFIG", config.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node could not be started");
    // On a time-out the future is dropped with the child, which kills it.
    let Ok(output) = tokio::time::timeout(SCRIPT_TIMEOUT, child.wait_with_output()).await else {
        panic!("rp.mjs did not finish within {SCRIPT_TIMEOUT:?}");
    };
    let output = output.unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    let summary: Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("rp.mjs printed no JSON summary ({e}):\n{out}\n{err}"));
    (output.status.success(), summary)
}

/// `tests/interop/op.mjs` (oidc-provider) running as a child process; killed when dropped.
pub(crate) struct Op {
    /// Its issuer, as it printed it.
    pub(crate) issuer: String,
    /// What it printed when it started (`issuer`, `peer`).
    pub(crate) started: Value,
    child: Child,
    stdout: BufReader<ChildStdout>,
    /// What it wrote to stderr (oidc-provider's warnings, a crash), for failure messages.
    stderr: Arc<Mutex<String>>,
}

impl Op {
    /// Starts op.mjs with `config` and waits (with the time limit) for its first line.
    pub(crate) async fn start(config: &Value) -> Self {
        let mut child = tokio::process::Command::new("node")
            .arg("op.mjs")
            .current_dir(interop_dir())
            .env("EID_OP_CONFIG", config.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node could not be started");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let collected = Arc::clone(&stderr);
        tokio::spawn(async move {
            let mut line = String::new();
            while matches!(err.read_line(&mut line).await, Ok(n) if n > 0) {
                collected.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        let mut line = String::new();
        let read = tokio::time::timeout(SCRIPT_TIMEOUT, stdout.read_line(&mut line)).await;
        assert!(
            matches!(read, Ok(Ok(n)) if n > 0),
            "op.mjs did not start: {read:?}\n{}",
            stderr.lock().unwrap()
        );
        let started: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("op.mjs printed no JSON ({e}): {line}"));
        let issuer = started["issuer"]
            .as_str()
            .unwrap_or_else(|| panic!("op.mjs did not start: {started}"))
            .to_owned();
        Self {
            issuer,
            started,
            child,
            stdout,
            stderr,
        }
    }

    /// Stops it (its stdin closed) and returns the events it reported, one JSON object each.
    pub(crate) async fn finish(mut self) -> Vec<Value> {
        drop(self.child.stdin.take());
        let mut events = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            let read = tokio::time::timeout(SCRIPT_TIMEOUT, self.stdout.read_line(&mut line))
                .await
                .expect("op.mjs did not stop")
                .unwrap();
            if read == 0 {
                break;
            }
            if !line.starts_with('{') {
                // oidc-provider's own notices (development-only defaults).
                continue;
            }
            events.push(
                serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("op.mjs printed no JSON ({e}): {line}")),
            );
        }
        let status = self.child.wait().await.unwrap();
        assert!(
            status.success(),
            "op.mjs ended with {status}:\n{}",
            self.stderr.lock().unwrap()
        );
        events
    }
}
