//! Workplace login restricted to one organisation number.
//!
//! What it shows: an e-service of Testmyndigheten (organisation number 2021009994) whose
//! policy at the broker accepts only its own employees (`org_numbers = ["2021009994"]` in
//! `examples/config/workplace.toml`), in front of a workplace mock
//! (`examples/config/workplace-mocks.toml`) whose built-in employees are `eva`
//! (Testmyndigheten) and `frans` (Testkommunen, 2120000001). Eva is let in, and her ID token,
//! verified with eid-core's `IdTokenVerifier`, carries her `orgAffiliation`; Frans logs in at
//! his workplace but the broker refuses him to the e-service with `access_denied`.
//!
//! Run it:
//!
//! ```text
//! cargo run -p eid-examples --example workplace_login                  # eva, then frans
//! cargo run -p eid-examples --example workplace_login -- --person frans
//! ```
//!
//! It prints one verdict per person and exits 0 when every login ended in a verdict (let in or
//! refused), 1 otherwise.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
use eid_core::clock::{Clock, SystemClock};
use eid_core::jose::{Jwks, JwsAlgorithm};
use eid_core::verify::IdTokenVerifier;
use eid_examples::login::{self, Journey, Outcome};
use eid_examples::stack::{Stack, StackOptions};

/// The e-service of the configuration.
const CLIENT_ID: &str = "testmyndigheten-intranet";
const ORG_AFFILIATION: &str = "https://id.oidc.se/claim/orgAffiliation";

/// Log employees of two organisations in to an e-service that accepts only one of them.
#[derive(Debug, Parser)]
#[command(name = "workplace_login")]
struct Args {
    /// The persons to log in (built-in employees of the workplace mock).
    #[arg(long = "person", default_values_t = ["eva".to_owned(), "frans".to_owned()])]
    persons: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
enum Problem {
    #[error("{0}")]
    Stack(#[from] eid_examples::stack::StackError),
    #[error("{0}")]
    Login(#[from] login::LoginError),
    #[error("the ID token: {0}")]
    Verify(#[from] eid_core::verify::IdTokenError),
    #[error("the JWK Set: {0}")]
    Jwks(#[from] eid_core::jose::JoseError),
    #[error("the level: {0}")]
    Level(#[from] eid_core::assurance::AssuranceError),
    #[error("the configuration has no e-service `{CLIENT_ID}`")]
    NoClient,
    #[error("{0}")]
    Io(#[from] io::Error),
}

async fn log_in_each(args: &Args, out: &mut dyn Write) -> Result<(), Problem> {
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/config");
    let stack = Stack::start(&StackOptions {
        broker_config: format!("{config}/workplace.toml").into(),
        mocks_config: format!("{config}/workplace-mocks.toml").into(),
        port: 0,
    })
    .await?;
    let result = verdicts(&stack, args, out).await;
    stack.stop().await?;
    result
}

async fn verdicts(stack: &Stack, args: &Args, out: &mut dyn Write) -> Result<(), Problem> {
    let eservice = stack.eservice(CLIENT_ID).ok_or(Problem::NoClient)?;
    let jwks =
        Jwks::from_json(&login::fetch(&login::discover(stack.issuer()).await?.jwks_uri).await?)?;
    writeln!(
        out,
        "{CLIENT_ID} accepts employees of organisation 2021009994 only"
    )?;
    for person in &args.persons {
        match eservice.log_in(&Journey::person(person)).await? {
            Outcome::LoggedIn(tokens) => {
                // The e-service checks the token itself, as it would in production.
                let verified =
                    IdTokenVerifier::new(stack.issuer(), CLIENT_ID, &jwks, &[JwsAlgorithm::Es256])?
                        .expect_nonce(&tokens.nonce)
                        .require(Requirement::new(
                            vec![LevelOfAssurance::Loa3],
                            Matching::Minimum,
                        )?)
                        .verify(&tokens.id_token, SystemClock.now())?;
                let claim = |name: &str| {
                    verified
                        .claims()
                        .get(name)
                        .and_then(|value| value.as_str())
                        .unwrap_or("(none)")
                        .to_owned()
                };
                let level = verified
                    .acr()
                    .map_or_else(String::new, |level| level.to_string());
                writeln!(
                    out,
                    "{person}: let in: {}, level {level}",
                    claim(ORG_AFFILIATION),
                )?;
            }
            Outcome::Refused(refusal) => {
                writeln!(
                    out,
                    "{person}: refused: {}{}",
                    refusal.error,
                    refusal
                        .description
                        .map(|description| format!(" ({description})"))
                        .unwrap_or_default()
                )?;
            }
        }
    }
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
    match log_in_each(&args, out).await {
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

    async fn run_with(args: &[&str]) -> (u8, String) {
        let mut out = Vec::new();
        let args = std::iter::once("workplace_login")
            .chain(args.iter().copied())
            .map(str::to_owned)
            .collect();
        let code = run(args, &mut out).await;
        (code, String::from_utf8(out).unwrap())
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn eva_of_the_organisation_is_let_in_and_frans_of_another_is_refused() {
        let (code, out) = run_with(&[]).await;
        assert_eq!(code, 0, "{out}");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert_eq!(
            lines[1],
            "eva: let in: SE2021009994-E0001@2021009994, \
             level http://id.elegnamnden.se/loa/1.0/loa3"
        );
        assert!(
            lines[2].starts_with("frans: refused: access_denied"),
            "{out}"
        );
        // Nothing of Frans's organisation reaches the e-service.
        assert!(!out.contains("2120000001"), "{out}");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn one_person_at_a_time_and_an_unknown_option() {
        let (code, out) = run_with(&["--person", "frans"]).await;
        assert_eq!(code, 0, "{out}");
        assert_eq!(out.lines().count(), 2, "{out}");
        assert!(out.contains("frans: refused: access_denied"), "{out}");
        let (code, out) = run_with(&["--organisation", "2120000001"]).await;
        assert_eq!(code, 2);
        assert!(out.contains("--organisation"), "{out}");
    }
}
