//! The broker against mock eID providers, from configuration files.
//!
//! What it shows: the broker's own TOML format (`examples/config/broker.toml`: an ephemeral
//! signing key flagged as development mode, two upstreams, one e-service) and the mocks that
//! serve its upstreams (`examples/config/mocks.toml`), started together by
//! [`eid_examples::stack`] on 127.0.0.1; with `--self-test`, one login end to end without a
//! browser: the e-service's authorization request, the BankID-like mock's login page, the code
//! redeemed at the broker, and the ID token verified with eid-core's `IdTokenVerifier`.
//!
//! Run it:
//!
//! ```text
//! cargo run -p eid-examples --example broker_with_mocks                  # serve until Ctrl-C
//! cargo run -p eid-examples --example broker_with_mocks -- --port 8080   # a fixed broker port
//! cargo run -p eid-examples --example broker_with_mocks -- --self-test   # one login, then exit
//! cargo run -p eid-examples --example broker_with_mocks -- --self-test --save target/login
//! ```
//!
//! `--save DIR` keeps the self-test's ID token and the broker's JWK Set in `DIR` and prints the
//! `verify_id_token` command that checks them. `--config` and `--mocks` name other files.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
use eid_core::clock::{Clock, SystemClock};
use eid_core::jose::{Jwks, JwsAlgorithm};
use eid_core::verify::IdTokenVerifier;
use eid_examples::login::{self, Journey, Outcome};
use eid_examples::stack::{Stack, StackOptions};

/// Run the broker against mock eID providers from configuration files.
#[derive(Debug, Parser)]
#[command(name = "broker_with_mocks")]
struct Args {
    /// The broker's configuration (placeholders `${broker}` and `${mock.<id>}`).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/config/broker.toml"))]
    config: PathBuf,
    /// The mocks to start.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/config/mocks.toml"))]
    mocks: PathBuf,
    /// The broker's port on 127.0.0.1 (0: a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Log one person in end to end without a browser, verify the ID token, and exit.
    #[arg(long)]
    self_test: bool,
    /// The self-test's e-service (a `[[clients]]` id of the configuration).
    #[arg(long, default_value = "e-service", requires = "self_test")]
    client: String,
    /// The self-test's upstream.
    #[arg(long, default_value = "bankid", requires = "self_test")]
    upstream: String,
    /// The self-test's person (a built-in person of the mock).
    #[arg(long, default_value = "astrid", requires = "self_test")]
    person: String,
    /// The level the self-test asks for and requires.
    #[arg(
        long,
        default_value = "http://id.elegnamnden.se/loa/1.0/loa3",
        requires = "self_test"
    )]
    level: LevelOfAssurance,
    /// Keep the self-test's ID token and the broker's JWK Set in this directory.
    #[arg(long, requires = "self_test")]
    save: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
enum Problem {
    #[error("{0}")]
    Stack(#[from] eid_examples::stack::StackError),
    #[error("the self-test: {0}")]
    Login(#[from] login::LoginError),
    #[error("the self-test: the configuration has no e-service `{0}` with a client secret")]
    NoClient(String),
    #[error("the self-test: refused: {error} {}", description.as_deref().unwrap_or(""))]
    Refused {
        error: String,
        description: Option<String>,
    },
    #[error("the self-test: the ID token: {0}")]
    Verify(#[from] eid_core::verify::IdTokenError),
    #[error("the self-test: the JWK Set: {0}")]
    Jwks(#[from] eid_core::jose::JoseError),
    #[error("the self-test: the level: {0}")]
    Level(#[from] eid_core::assurance::AssuranceError),
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// One login, verified; the ID token and JWK Set saved if asked.
async fn self_test(stack: &Stack, args: &Args, out: &mut dyn Write) -> Result<(), Problem> {
    let eservice = stack
        .eservice(&args.client)
        .ok_or_else(|| Problem::NoClient(args.client.clone()))?;
    let journey = Journey::person(&args.person)
        .acr_values(args.level.as_uri())
        .upstream(&args.upstream);
    writeln!(
        out,
        "self-test: {} logs in to {} through {} at {}",
        args.person, args.client, args.upstream, args.level
    )?;
    let tokens = match eservice.log_in(&journey).await? {
        Outcome::LoggedIn(tokens) => tokens,
        Outcome::Refused(refusal) => {
            return Err(Problem::Refused {
                error: refusal.error,
                description: refusal.description,
            });
        }
    };
    let jwks_bytes = login::fetch(&login::discover(stack.issuer()).await?.jwks_uri).await?;
    let jwks = Jwks::from_json(&jwks_bytes)?;
    let verified =
        IdTokenVerifier::new(stack.issuer(), &args.client, &jwks, &[JwsAlgorithm::Es256])?
            .expect_nonce(&tokens.nonce)
            .require(Requirement::new(vec![args.level], Matching::Minimum)?)
            .verify(&tokens.id_token, SystemClock.now())?;
    let number = verified
        .claims()
        .get("https://id.oidc.se/claim/personalIdentityNumber")
        .and_then(|number| number.as_str())
        .unwrap_or("(none)");
    let level = verified
        .acr()
        .map_or_else(String::new, |level| level.to_string());
    writeln!(
        out,
        "self-test: verified: personal identity number {number}, level {level}, subject {}",
        verified.subject()
    )?;
    if let Some(dir) = &args.save {
        save(dir, &tokens.id_token, &jwks_bytes)?;
        writeln!(
            out,
            "self-test: saved in {dir}; check it with:\n  cargo run -p eid-examples --example verify_id_token -- \
             --issuer {issuer} --jwks {dir}/jwks.json --client-id {client} --nonce {nonce} \
             --require {level} --token-file {dir}/id_token.jwt",
            dir = dir.display(),
            issuer = stack.issuer(),
            client = args.client,
            nonce = tokens.nonce,
        )?;
    }
    writeln!(out, "self-test: passed")?;
    Ok(())
}

fn save(dir: &Path, id_token: &str, jwks: &[u8]) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("id_token.jwt"), format!("{id_token}\n"))?;
    std::fs::write(dir.join("jwks.json"), jwks)
}

async fn serve(args: &Args, out: &mut dyn Write) -> Result<(), Problem> {
    let stack = Stack::start(&StackOptions {
        broker_config: args.config.clone(),
        mocks_config: args.mocks.clone(),
        port: args.port,
    })
    .await?;
    write!(out, "{}", stack.describe())?;
    if args.self_test {
        let result = self_test(&stack, args, out).await;
        stack.stop().await?;
        return result;
    }
    writeln!(out, "Ctrl-C stops them.")?;
    out.flush()?;
    tokio::signal::ctrl_c().await?;
    stack.stop().await?;
    Ok(())
}

/// The program: parses `args`, writes to `out`, returns the exit code.
async fn run(args: Vec<String>, out: &mut dyn Write) -> u8 {
    let args = match Args::try_parse_from(args) {
        Ok(args) => args,
        Err(error) => {
            let _ = write!(out, "{}", error.render());
            return if error.use_stderr() { 2 } else { 0 };
        }
    };
    match serve(&args, out).await {
        Ok(()) => 0,
        Err(problem) => {
            let _ = writeln!(out, "error: {problem}");
            1
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut out = io::stdout().lock();
    ExitCode::from(run(std::env::args().collect(), &mut out).await)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

    use super::*;

    const CONFIG_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/config");

    async fn run_with(args: &[&str]) -> (u8, String) {
        let mut out = Vec::new();
        let args = std::iter::once("broker_with_mocks")
            .chain(args.iter().copied())
            .map(str::to_owned)
            .collect();
        let code = run(args, &mut out).await;
        (code, String::from_utf8(out).unwrap())
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_self_test_logs_in_end_to_end_and_exits_0() {
        let (code, out) = run_with(&["--self-test"]).await;
        assert_eq!(code, 0, "{out}");
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("broker   http://127.0.0.1:"), "{out}");
        assert!(
            out.contains("development mode: signing keys made at start-up"),
            "{out}"
        );
        assert!(
            out.contains("mock     bankid     http://127.0.0.1:"),
            "{out}"
        );
        assert!(out.contains("(BankIdLike)"), "{out}");
        assert!(
            out.contains("mock     idcard     http://127.0.0.1:"),
            "{out}"
        );
        assert!(
            out.contains(
                "self-test: verified: personal identity number 198501012382, \
                 level http://id.elegnamnden.se/loa/1.0/loa3, subject "
            ),
            "{out}"
        );
        assert!(out.ends_with("self-test: passed\n"), "{out}");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_self_test_through_the_id_card_at_loa4_saves_what_verify_id_token_needs() {
        let dir = std::env::temp_dir().join(format!("eid-broker-example-{}", std::process::id()));
        let (code, out) = run_with(&[
            "--self-test",
            "--upstream",
            "idcard",
            "--person",
            "bertil",
            "--level",
            "http://id.elegnamnden.se/loa/1.0/loa4",
            "--save",
            dir.to_str().unwrap(),
        ])
        .await;
        assert_eq!(code, 0, "{out}");
        assert!(
            out.contains("level http://id.elegnamnden.se/loa/1.0/loa4"),
            "{out}"
        );
        assert!(
            out.contains("--example verify_id_token -- --issuer http://127.0.0.1:"),
            "{out}"
        );
        let token = std::fs::read_to_string(dir.join("id_token.jwt")).unwrap();
        assert_eq!(token.trim().split('.').count(), 3);
        let jwks = std::fs::read(dir.join("jwks.json")).unwrap();
        assert!(Jwks::from_json(&jwks).is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_refused_self_test_and_a_bad_configuration_exit_1_with_the_reason() {
        // The e-service does not accept foreign eIDs (eidas-nf-sub): the broker refuses.
        let (code, out) = run_with(&[
            "--self-test",
            "--level",
            "http://id.elegnamnden.se/loa/1.0/eidas-nf-sub",
        ])
        .await;
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("error: the self-test: refused: "), "{out}");

        let dir =
            std::env::temp_dir().join(format!("eid-broker-example-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mocks = dir.join("mocks.toml");
        std::fs::write(
            &mocks,
            "[[mocks]]\nupstream = \"nowhere\"\nprofile = \"workplace\"\n",
        )
        .unwrap();
        let (code, out) = run_with(&["--mocks", mocks.to_str().unwrap()]).await;
        assert_eq!(code, 1, "{out}");
        assert_eq!(
            out,
            "error: the mock for `nowhere`: the broker file has no such [[upstreams]] id\n"
        );
        // A broker key the broker does not know: its error names the file, line and key.
        let text = std::fs::read_to_string(format!("{CONFIG_DIR}/broker.toml")).unwrap();
        let config = dir.join("broker.toml");
        std::fs::write(
            &config,
            text.replace("[store]\n", "[store]\ncolour = \"blue\"\n"),
        )
        .unwrap();
        let (code, out) = run_with(&["--config", config.to_str().unwrap()]).await;
        assert_eq!(code, 1, "{out}");
        assert!(
            out.starts_with(&format!("error: {}:", config.display())),
            "{out}"
        );
        assert!(out.contains("colour"), "{out}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
