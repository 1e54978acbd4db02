//! Operating the broker: the probes, the metrics, the audit log, `config check` and `serve`
//! from the command line, and the log scan of a whole demo login.

use std::io::{BufRead, BufReader, Write as _};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use eid_broker::audit::Observers;
use eid_broker::metrics::Metrics;
use eid_broker::{Broker, BrokerConfig};
use eid_core::clock::SystemClock;
use serde_json::Value;
use tower::ServiceExt as _;

/// A configuration whose one upstream is at a closed port on 127.0.0.1.
fn config_with_dead_upstream(issuer: &str) -> String {
    format!(
        r#"issuer = "{issuer}"
[keys]
ephemeral = true
[subject]
secret = "0123456789abcdef0123456789abcdef"

[[upstreams]]
id = "bankid"
display_name = {{ sv = "BankID", en = "BankID" }}
issuer = "http://127.0.0.1:9"
client_id = "broker"
redirect_uri = "{issuer}/upstream/callback"
client_auth = {{ method = "client_secret_basic", secret = "s3cret-s3cret" }}
acr = [{{ level = "http://id.elegnamnden.se/loa/1.0/loa3", request = "http://id.elegnamnden.se/loa/1.0/loa3" }}]
timeouts = {{ connect_ms = 500, request_ms = 1000 }}

[[clients]]
client_id = "svc"
auth = {{ method = "none" }}
redirect_uris = ["http://127.0.0.1:1/callback"]
acr = {{ levels = ["http://id.elegnamnden.se/loa/1.0/loa3"], matching = "minimum" }}
"#
    )
}

async fn get(app: &axum::Router, path: &str) -> (StatusCode, String, axum::http::HeaderMap) {
    let response = app
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap(), headers)
}

#[tokio::test]
async fn probes_say_alive_and_not_ready_when_an_upstream_is_unreachable() {
    let config = BrokerConfig::from_toml_str(
        &config_with_dead_upstream("http://127.0.0.1:8080"),
        "t.toml",
    )
    .unwrap();
    let metrics = Arc::new(Metrics::new());
    let broker = Arc::new(
        Broker::from_config(
            config,
            Observers::new().with(metrics.clone()),
            Arc::new(SystemClock),
        )
        .unwrap(),
    );
    let app = eid_broker::serve::app(axum::Router::new(), &broker, &metrics);
    let (status, body, headers) = get(&app, "/healthz").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok\n"));
    assert_eq!(headers["cache-control"], "no-store");
    let (status, body, _) = get(&app, "/readyz").await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, "not ready\n")
    );
    // The broker's own endpoints are behind the probes.
    let (status, body, _) = get(&app, "/.well-known/openid-configuration").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("\"issuer\":\"http://127.0.0.1:8080\""),
        "{body}"
    );
    // Every request so far is in the request histogram.
    let (status, text, headers) = get(&app, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers["content-type"],
        "application/openmetrics-text; version=1.0.0; charset=utf-8"
    );
    assert!(
        text.contains(
            "eid_broker_http_request_duration_seconds_count{method=\"GET\",status=\"200\"} 2\n"
        ),
        "{text}"
    );
    assert!(text.contains(
        "eid_broker_http_request_duration_seconds_count{method=\"GET\",status=\"503\"} 1\n"
    ));
    assert!(text.ends_with("# EOF\n"));
}

#[tokio::test]
async fn the_demo_is_ready_and_its_metrics_count_logins_and_latency() {
    let demo = eid_broker::demo::start(0).await.unwrap();
    let base = demo.base_url();
    let client = reqwest::Client::new();
    let ready = client.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    let healthz = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(healthz.status(), StatusCode::OK);

    let browser = crate::browser::Browser::new();
    let (page, _) = browser
        .follow(&format!("{base}/demo/login?level=loa4"))
        .await;
    let transaction = crate::browser::query_param(&page, "transaction").unwrap();
    let answer = browser
        .post_form(
            page.join("/login").unwrap().as_str(),
            &[("transaction", transaction.as_str()), ("person", "bertil")],
        )
        .await;
    let (_, result) = browser
        .follow(crate::browser::location(&page, &answer).as_str())
        .await;
    assert_eq!(result.status(), StatusCode::OK);

    let text = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let loa4 = "http://id.elegnamnden.se/loa/1.0/loa4";
    assert!(text.contains(&format!(
        "eid_broker_logins_total{{upstream=\"idcard\",level=\"{loa4}\",outcome=\"success\"}} 1\n"
    )), "{text}");
    assert!(text.contains(
        "eid_broker_login_duration_seconds_count{upstream=\"idcard\",outcome=\"success\"} 1\n"
    ));
    assert!(text.contains(
        "eid_broker_login_duration_seconds_bucket{le=\"+Inf\",upstream=\"idcard\",outcome=\"success\"} 1\n"
    ));
    // Requests through the demo: the e-service's 303, the broker's, the pages.
    assert!(
        text.contains(
            "eid_broker_http_request_duration_seconds_count{method=\"GET\",status=\"303\"}"
        )
    );
    assert!(
        text.contains(
            "eid_broker_http_request_duration_seconds_count{method=\"GET\",status=\"200\"}"
        )
    );
    assert!(!text.contains("195201161857"));
    demo.stop().await.unwrap();
}

// ---- The command line ----

struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "eid-broker-ops-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn eid_broker(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_eid-broker"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn config_check_summarises_a_good_file() {
    let dir = TempDir::new();
    let path = dir.file(
        "broker.toml",
        &config_with_dead_upstream("https://broker.example"),
    );
    let (status, stdout, stderr) = eid_broker(&["config", "check", path.to_str().unwrap()]);
    assert_eq!(status, 0, "{stdout}{stderr}");
    let summary: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(summary["valid"], true);
    assert_eq!(summary["issuer"], "https://broker.example");
    assert_eq!(summary["clients"], serde_json::json!(["svc"]));
    assert_eq!(summary["upstreams"], serde_json::json!(["bankid"]));
    assert_eq!(summary["ephemeral_keys"], true);
    assert_eq!(summary["subject_mode"], "store");
    // The subject secret and the upstream secret are not echoed.
    assert!(!stdout.contains("0123456789abcdef") && !stdout.contains("s3cret"));
}

#[test]
fn config_check_names_the_file_the_line_and_the_key() {
    let dir = TempDir::new();
    let text = config_with_dead_upstream("https://broker.example")
        .replace("acr = {{ levels", "acr = { levels")
        .replace(
            "redirect_uris = [\"http://127.0.0.1:1/callback\"]",
            "redirect_uris = [\"http://127.0.0.1:1/callback\"]\ncolour = \"blue\"",
        );
    let path = dir.file("bad.toml", &text);
    let line = text.lines().position(|l| l.starts_with("colour")).unwrap() + 1;
    let (status, stdout, stderr) = eid_broker(&["config", "check", path.to_str().unwrap()]);
    assert_eq!(status, 1, "{stdout}{stderr}");
    let error: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(error["valid"], false);
    assert_eq!(error["reason"], "invalid_config");
    assert_eq!(error["file"], path.to_str().unwrap());
    assert_eq!(error["line"], line);
    assert!(
        error["key"].as_str().unwrap().starts_with("clients[0]"),
        "{error}"
    );
    assert!(
        stderr.contains(&format!("{}:{line}", path.display())) && stderr.contains("clients[0]"),
        "{stderr}"
    );

    // A syntax error has a line too.
    let path = dir.file(
        "syntax.toml",
        "issuer = \"https://broker.example\"\n[keys\n",
    );
    let (status, stdout, _) = eid_broker(&["config", "check", path.to_str().unwrap()]);
    assert_eq!(status, 1);
    let error: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(error["line"], 2, "{error}");

    // A missing file is a usage error.
    let missing = dir.0.join("missing.toml");
    let (status, stdout, stderr) = eid_broker(&["config", "check", missing.to_str().unwrap()]);
    assert_eq!(status, 2);
    let error: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(error["reason"], "file_unreadable");
    assert!(stderr.contains("missing.toml"), "{stderr}");

    // No file at all.
    let (status, _, _) = eid_broker(&["config", "check"]);
    assert_eq!(status, 2);
}

#[test]
fn serve_refuses_a_bad_configuration_with_its_place() {
    let dir = TempDir::new();
    let path = dir.file(
        "broker.toml",
        "issuer = \"ftp://broker.example\"\n[keys]\nephemeral = true\n",
    );
    let (status, _, stderr) = eid_broker(&["serve", "--config", path.to_str().unwrap()]);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("broker.toml"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn serve_answers_then_stops_gracefully_on_sigterm() {
    let dir = TempDir::new();
    let path = dir.file(
        "broker.toml",
        &config_with_dead_upstream("http://127.0.0.1:8080"),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_eid-broker"))
        .args([
            "serve",
            "--config",
            path.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
        ])
        .args(["--log-format", "json", "--log-filter", "info"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The "serving" log line names the bound address.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut listen = None;
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 {
        let event: Value = serde_json::from_str(&line).unwrap();
        if event["message"] == "serving" {
            listen = Some(event["listen"].as_str().unwrap().to_owned());
            break;
        }
        line.clear();
    }
    let listen = listen.expect("a serving line");
    let mut stream = std::net::TcpStream::connect(&listen).unwrap();
    write!(
        stream,
        "GET /healthz HTTP/1.1\r\nHost: {listen}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut stream, &mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert_eq!(exit.code(), Some(0));
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(
        rest.contains("SIGTERM") && rest.contains("stopped"),
        "{rest}"
    );
}

// ---- The log scan ----

/// What must never be logged about the mock persons: their numbers (12- and 10-digit forms,
/// with and without the separator), their eIDAS identifiers and their full names.
fn personal_data() -> Vec<String> {
    let persons: Value =
        serde_json::from_str(include_str!("../../../eid-idp-mock/data/persons.json")).unwrap();
    let mut found = Vec::new();
    for person in persons["persons"].as_array().unwrap() {
        for (name, value) in person["claims"].as_object().unwrap() {
            let Some(text) = value.as_str() else { continue };
            let numbers = [
                "https://id.oidc.se/claim/personalIdentityNumber",
                "https://id.oidc.se/claim/coordinationNumber",
            ];
            if numbers.contains(&name.as_str()) {
                found.push(text.to_owned());
                let ten = &text[2..];
                found.push(ten.to_owned());
                found.push(format!("{}-{}", &ten[..6], &ten[6..]));
                found.push(format!("{}-{}", &text[..8], &text[8..]));
            }
            if name == "name"
                || name.starts_with("https://id.swedenconnect.se/claim/prid")
                    && name.ends_with("prid")
                || name == "https://id.swedenconnect.se/claim/eidasPersonIdentifier"
            {
                found.push(text.to_owned());
            }
        }
    }
    assert!(found.iter().any(|text| text == "198501012382"), "{found:?}");
    found
}

/// The `eid-broker demo` process, its log on standard error in JSON at the most verbose level.
struct DemoProcess {
    child: std::process::Child,
    base: String,
    stdout: std::thread::JoinHandle<String>,
    stderr: std::thread::JoinHandle<String>,
}

impl DemoProcess {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_eid-broker"))
            .args(["demo", "--port", "0", "--log-format", "json"])
            .args([
                "--log-filter",
                "trace,hyper=debug,hyper_util=debug,h2=debug",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut banner = String::new();
        let mut base = None;
        let mut line = String::new();
        while base.is_none() && stdout.read_line(&mut line).unwrap() > 0 {
            if let Some(rest) = line.trim().strip_prefix("Open ") {
                let url = rest.split_whitespace().next().unwrap();
                base = Some(url.trim_end_matches('/').to_owned());
            }
            banner.push_str(&line);
            line.clear();
        }
        let base = base.unwrap_or_else(|| panic!("no URL in the banner: {banner}"));
        let stdout = std::thread::spawn(move || {
            let mut rest = banner;
            std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
            rest
        });
        let mut stderr_pipe = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut stderr_pipe, &mut text).unwrap();
            text
        });
        Self {
            child,
            base,
            stdout,
            stderr,
        }
    }

    /// Stops it with SIGTERM; its exit code, standard output and standard error.
    fn stop(mut self) -> (Option<i32>, String, String) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let code = self.child.wait().unwrap().code();
        (
            code,
            self.stdout.join().unwrap(),
            self.stderr.join().unwrap(),
        )
    }
}

/// The whole demo run as `eid-broker demo`, a login through each upstream, its log at
/// `trace` scanned for personal data, tokens, codes and cookies.
#[cfg(unix)]
#[test]
fn the_log_of_whole_demo_logins_has_no_personal_number_token_code_or_cookie() {
    let demo = DemoProcess::start();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let browser = crate::browser::Browser::new();
    let pages: Vec<String> = runtime.block_on(async {
        let mut pages = Vec::new();
        for (level, upstream, person, _) in crate::demo::THROUGH_EACH {
            // A fresh cookie jar for each, as four people would have.
            let each = crate::browser::Browser::new();
            let (status, html) =
                crate::demo::demo_login(&each, &demo.base, level, upstream, person).await;
            assert_eq!(status, StatusCode::OK, "{html}");
            pages.push(html);
            browser
                .visited
                .lock()
                .unwrap()
                .extend(each.visited.lock().unwrap().drain(..));
            browser
                .cookies
                .lock()
                .unwrap()
                .extend(each.cookies.lock().unwrap().drain(..));
        }
        pages
    });
    let (code, stdout, log) = demo.stop();
    assert_eq!(code, Some(0), "{log}");
    assert!(log.lines().count() > 20, "the scan needs a log: {log}");
    assert!(log.contains("demo e-service login verified"), "{log}");
    for line in log.lines() {
        let event: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        // A field named like the format's own keys would make a duplicate key.
        let level = format!("\"level\":{}", event["level"]);
        assert_eq!(line.matches("\"level\":").count(), 1, "{line}");
        assert!(line.contains(&level));
    }
    let audit: Vec<&str> = stdout.lines().filter(|l| l.starts_with('{')).collect();
    assert_eq!(audit.len(), 4, "{stdout}");

    // Personal data: the persons logged in are on the result pages, not in the log.
    let personal = personal_data();
    let shown: Vec<&String> = personal
        .iter()
        .filter(|text| pages.iter().any(|page| page.contains(text.as_str())))
        .collect();
    assert!(shown.len() >= 3, "the pages show the identities: {shown:?}");
    for text in &personal {
        assert!(
            !log.contains(text.as_str()),
            "personal data `{text}` in the log"
        );
        for line in &audit {
            assert!(
                !line.contains(text.as_str()),
                "personal data `{text}` in {line}"
            );
        }
    }
    // Tokens: no JWT (ID tokens, access tokens, request objects, client assertions).
    assert!(!log.contains("eyJ"), "a JWT in the log");
    // Codes, states, nonces, challenges and transactions that travelled in URLs.
    let visited = browser.visited.lock().unwrap().clone();
    let mut secrets = 0;
    for url in &visited {
        let url = reqwest::Url::parse(url).unwrap();
        for (name, value) in url.query_pairs() {
            let secret = [
                "code",
                "state",
                "nonce",
                "code_challenge",
                "transaction",
                "request_uri",
            ];
            if secret.contains(&name.as_ref()) && value.len() >= 8 {
                secrets += 1;
                assert!(
                    !log.contains(value.as_ref()),
                    "the `{name}` of {url} in the log"
                );
            }
        }
    }
    assert!(secrets >= 12, "the scan saw codes and states: {visited:?}");
    // Cookies: no cookie value.
    let cookies = browser.cookies.lock().unwrap().clone();
    assert!(cookies.len() >= 8, "{cookies:?}");
    for cookie in &cookies {
        let value = cookie
            .split(';')
            .next()
            .and_then(|pair| pair.split_once('='))
            .map(|(_, value)| value)
            .unwrap();
        if value.len() >= 8 {
            assert!(!log.contains(value), "a cookie value in the log: {cookie}");
        }
    }
}

#[test]
fn demo_says_when_its_port_is_taken() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let (status, stdout, stderr) = eid_broker(&["demo", "--port", &port]);
    assert_eq!(status, 1, "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!("binding 127.0.0.1:{port}")),
        "{stderr}"
    );
    assert!(!stdout.contains("Open "));
}
