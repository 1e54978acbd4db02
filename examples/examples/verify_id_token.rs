//! An e-service that embeds eid-core to verify the broker's ID token at the level it requires.
//!
//! What it shows: [`IdTokenVerifier`] built from the broker's issuer, its JWK Set (fetched
//! through the issuer's discovery document, fetched from a URL, or read from a file), the
//! e-service's client id, the nonce it sent and the required level; then either the verified
//! identity and level, or the exact reason for the refusal ([`IdTokenError::reason`]).
//!
//! Run it (an ID token from `broker_with_mocks --self-test --save DIR`, which also saves the
//! broker's JWK Set and prints this command with the nonce filled in):
//!
//! ```text
//! cargo run -p eid-examples --example broker_with_mocks -- --self-test --save target/login
//! cargo run -p eid-examples --example verify_id_token -- \
//!     --issuer <issuer> --jwks target/login/jwks.json --client-id e-service \
//!     --nonce <nonce> --require http://id.elegnamnden.se/loa/1.0/loa3 \
//!     --token-file target/login/id_token.jwt
//! ```
//!
//! It prints `verified: …` and exits 0, or prints `refused: <reason>: <message>` and exits 1;
//! any other problem (a file, the network, an argument) exits 2.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
use eid_core::clock::{Clock, SystemClock};
use eid_core::jose::{Jwks, JwsAlgorithm};
use eid_core::verify::{IdTokenError, IdTokenVerifier};
use eid_examples::login;

/// Verify an ID token of the broker at a required level of assurance.
#[derive(Debug, Parser)]
#[command(name = "verify_id_token")]
struct Args {
    /// The broker's issuer, exactly as in its tokens.
    #[arg(long)]
    issuer: String,
    /// The broker's JWK Set: an http(s) URL or a file; default: the `jwks_uri` of the
    /// issuer's discovery document.
    #[arg(long)]
    jwks: Option<String>,
    /// The e-service's client id at the broker.
    #[arg(long)]
    client_id: String,
    /// The nonce the e-service sent in its authorization request.
    #[arg(long)]
    nonce: String,
    /// A level the e-service requires (a URI; repeat for several).
    #[arg(long = "require", required = true)]
    levels: Vec<LevelOfAssurance>,
    /// Accept exactly these levels instead of these or higher.
    #[arg(long)]
    exact: bool,
    /// The ID token.
    #[arg(
        long,
        conflicts_with = "token_file",
        required_unless_present = "token_file"
    )]
    token: Option<String>,
    /// A file holding the ID token.
    #[arg(long)]
    token_file: Option<PathBuf>,
}

/// What went wrong before a verdict.
#[derive(Debug, thiserror::Error)]
enum Problem {
    #[error("{0}")]
    Fetch(#[from] login::LoginError),
    #[error("{path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("the JWK Set: {0}")]
    Jwks(#[source] eid_core::jose::JoseError),
    #[error("the verifier: {0}")]
    Verifier(#[source] IdTokenError),
    #[error("the required levels: {0}")]
    Requirement(#[source] eid_core::assurance::AssuranceError),
    #[error("writing the output: {0}")]
    Output(#[from] io::Error),
}

fn read(path: &PathBuf) -> Result<Vec<u8>, Problem> {
    std::fs::read(path).map_err(|source| Problem::Read {
        path: path.clone(),
        source,
    })
}

/// The broker's keys: from the argument, or through discovery.
async fn jwks(args: &Args) -> Result<Jwks, Problem> {
    let bytes = match &args.jwks {
        Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
            login::fetch(url).await?
        }
        Some(file) => read(&PathBuf::from(file))?,
        None => login::fetch(&login::discover(&args.issuer).await?.jwks_uri).await?,
    };
    Jwks::from_json(&bytes).map_err(Problem::Jwks)
}

/// Verifies and prints the verdict; the exit code: 0 verified, 1 refused.
async fn verify(args: &Args, out: &mut dyn Write) -> Result<u8, Problem> {
    let token = match (&args.token, &args.token_file) {
        (Some(token), _) => token.clone(),
        (None, Some(path)) => String::from_utf8_lossy(&read(path)?).trim().to_owned(),
        (None, None) => String::new(),
    };
    let jwks = jwks(args).await?;
    let matching = if args.exact {
        Matching::Exact
    } else {
        Matching::Minimum
    };
    let requirement =
        Requirement::new(args.levels.clone(), matching).map_err(Problem::Requirement)?;
    // The broker signs with ES256 by default; RS256 if a client asks for it.
    let verifier = IdTokenVerifier::new(
        &args.issuer,
        &args.client_id,
        &jwks,
        &[JwsAlgorithm::Es256, JwsAlgorithm::Rs256],
    )
    .map_err(Problem::Verifier)?
    .expect_nonce(&args.nonce)
    .require(requirement);
    match verifier.verify(&token, SystemClock.now()) {
        Ok(verified) => {
            let level = verified
                .acr()
                .map_or_else(|| "(none)".to_owned(), |level| level.to_string());
            writeln!(
                out,
                "verified: the ID token is valid for {}",
                args.client_id
            )?;
            writeln!(out, "  subject: {}", verified.subject())?;
            writeln!(out, "  level:   {level}")?;
            // The identity claims the ID token carries (those of the `profile` scope, such as
            // `name`, come from the UserInfo endpoint instead).
            for claim in [
                "https://id.oidc.se/claim/personalIdentityNumber",
                "https://id.oidc.se/claim/orgAffiliation",
            ] {
                if let Some(value) = verified.claims().get(claim).and_then(|v| v.as_str()) {
                    writeln!(out, "  {claim}: {value}")?;
                }
            }
            Ok(0)
        }
        Err(error) => {
            writeln!(out, "refused: {}: {error}", error.reason())?;
            Ok(1)
        }
    }
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
    match verify(&args, out).await {
        Ok(code) => code,
        Err(problem) => {
            let _ = writeln!(out, "error: {problem}");
            2
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

    use eid_examples::login::{Journey, Outcome, Tokens};
    use eid_examples::stack::{Stack, StackOptions};

    use super::*;

    const LOA2: &str = "http://id.elegnamnden.se/loa/1.0/loa2";
    const LOA3: &str = "http://id.elegnamnden.se/loa/1.0/loa3";

    async fn stack() -> Stack {
        let config = concat!(env!("CARGO_MANIFEST_DIR"), "/config");
        Stack::start(&StackOptions {
            broker_config: format!("{config}/broker.toml").into(),
            mocks_config: format!("{config}/mocks.toml").into(),
            port: 0,
        })
        .await
        .unwrap()
    }

    /// A real ID token of the broker: `person` through the BankID-like mock at `level`.
    async fn token(stack: &Stack, person: &str, level: &str) -> Tokens {
        let journey = Journey::person(person).acr_values(level).upstream("bankid");
        match stack.eservice("e-service").unwrap().log_in(&journey).await {
            Ok(Outcome::LoggedIn(tokens)) => tokens,
            other => panic!("{other:?}"),
        }
    }

    async fn run_with(args: &[&str]) -> (u8, String) {
        let mut out = Vec::new();
        let args = std::iter::once("verify_id_token")
            .chain(args.iter().copied())
            .map(str::to_owned)
            .collect();
        let code = run(args, &mut out).await;
        (code, String::from_utf8(out).unwrap())
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_token_at_the_required_level_is_accepted_and_one_below_is_refused() {
        let stack = stack().await;
        let issuer = stack.issuer().to_owned();
        let at_loa3 = token(&stack, "astrid", LOA3).await;
        // tove logs in at loa2 only (config/persons.json).
        let at_loa2 = token(&stack, "tove", LOA2).await;

        // loa3 required, a loa3 token: verified, with the JWK Set found through discovery.
        let (code, out) = run_with(&[
            "--issuer",
            &issuer,
            "--client-id",
            "e-service",
            "--nonce",
            &at_loa3.nonce,
            "--require",
            LOA3,
            "--token",
            &at_loa3.id_token,
        ])
        .await;
        assert_eq!(code, 0, "{out}");
        assert!(
            out.starts_with("verified: the ID token is valid for e-service\n"),
            "{out}"
        );
        assert!(out.contains(&format!("  level:   {LOA3}\n")), "{out}");
        assert!(
            out.contains("  https://id.oidc.se/claim/personalIdentityNumber: 198501012382\n"),
            "{out}"
        );

        // loa3 required, a loa2 token: refused, and the reason says so.
        let (code, out) = run_with(&[
            "--issuer",
            &issuer,
            "--client-id",
            "e-service",
            "--nonce",
            &at_loa2.nonce,
            "--require",
            LOA3,
            "--token",
            &at_loa2.id_token,
        ])
        .await;
        assert_eq!(code, 1, "{out}");
        assert_eq!(
            out,
            format!("refused: acr_not_satisfied: acr {LOA2} does not satisfy the requirement\n")
        );

        // The same loa2 token is fine for an e-service that requires loa2.
        let (code, out) = run_with(&[
            "--issuer",
            &issuer,
            "--client-id",
            "e-service",
            "--nonce",
            &at_loa2.nonce,
            "--require",
            LOA2,
            "--token",
            &at_loa2.id_token,
        ])
        .await;
        assert_eq!(code, 0, "{out}");
        assert!(out.contains(&format!("  level:   {LOA2}\n")), "{out}");
        stack.stop().await.unwrap();
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_jwks_from_a_file_and_the_token_from_a_file_and_each_refusal_reason() {
        let stack = stack().await;
        let issuer = stack.issuer().to_owned();
        let tokens = token(&stack, "astrid", LOA3).await;
        let jwks_uri = login::discover(&issuer).await.unwrap().jwks_uri;
        let jwks = login::fetch(&jwks_uri).await.unwrap();
        stack.stop().await.unwrap();

        let dir = std::env::temp_dir().join(format!("eid-verify-example-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let jwks_file = dir.join("jwks.json");
        let token_file = dir.join("id_token.jwt");
        std::fs::write(&jwks_file, &jwks).unwrap();
        std::fs::write(&token_file, format!("{}\n", tokens.id_token)).unwrap();
        let jwks_file = jwks_file.to_str().unwrap();
        let token_file = token_file.to_str().unwrap();

        // The broker is gone: the saved JWK Set still verifies its token.
        let (code, out) = run_with(&[
            "--issuer",
            &issuer,
            "--jwks",
            jwks_file,
            "--client-id",
            "e-service",
            "--nonce",
            &tokens.nonce,
            "--require",
            LOA3,
            "--token-file",
            token_file,
        ])
        .await;
        assert_eq!(code, 0, "{out}");

        let cases = [
            // Another nonce than the one sent.
            (
                [
                    "--issuer",
                    &issuer,
                    "--client-id",
                    "e-service",
                    "--nonce",
                    "another",
                ],
                "refused: nonce_mismatch: nonce mismatch\n",
            ),
            // Another e-service.
            (
                [
                    "--issuer",
                    &issuer,
                    "--client-id",
                    "other",
                    "--nonce",
                    &tokens.nonce,
                ],
                "refused: audience_mismatch: the ID token is not for this client\n",
            ),
            // Another issuer.
            (
                [
                    "--issuer",
                    "http://127.0.0.1:1",
                    "--client-id",
                    "e-service",
                    "--nonce",
                    &tokens.nonce,
                ],
                "refused: issuer_mismatch: issuer mismatch\n",
            ),
        ];
        for (args, expected) in cases {
            let mut all: Vec<&str> = args.to_vec();
            all.extend([
                "--jwks",
                jwks_file,
                "--require",
                LOA3,
                "--token-file",
                token_file,
            ]);
            let (code, out) = run_with(&all).await;
            assert_eq!((code, out.as_str()), (1, expected));
        }
        // A level that needs more than the token has (loa4, exactly).
        let (code, out) = run_with(&[
            "--issuer",
            &issuer,
            "--jwks",
            jwks_file,
            "--client-id",
            "e-service",
            "--nonce",
            &tokens.nonce,
            "--require",
            "http://id.elegnamnden.se/loa/1.0/loa4",
            "--exact",
            "--token-file",
            token_file,
        ])
        .await;
        assert_eq!(code, 1, "{out}");
        assert!(out.starts_with("refused: acr_not_satisfied: "), "{out}");
        // A token whose signature was tampered with.
        let (signed, signature) = tokens.id_token.rsplit_once('.').unwrap();
        let mut signature = signature.to_owned().into_bytes();
        signature[10] = if signature[10] == b'A' { b'B' } else { b'A' };
        let forged = format!("{signed}.{}", String::from_utf8(signature).unwrap());
        let (code, out) = run_with(&[
            "--issuer",
            &issuer,
            "--jwks",
            jwks_file,
            "--client-id",
            "e-service",
            "--nonce",
            &tokens.nonce,
            "--require",
            LOA3,
            "--token",
            &forged,
        ])
        .await;
        assert_eq!(
            (code, out.as_str()),
            (1, "refused: signature_invalid: invalid signature\n")
        );

        // Usage errors exit 2 with clap's message; a missing file names it.
        let (code, out) = run_with(&["--issuer", &issuer]).await;
        assert_eq!(code, 2);
        assert!(out.contains("--client-id"), "{out}");
        let (code, out) = run_with(&[
            "--issuer",
            &issuer,
            "--jwks",
            "/nonexistent/jwks.json",
            "--client-id",
            "e-service",
            "--nonce",
            "n",
            "--require",
            LOA3,
            "--token",
            "a.b.c",
        ])
        .await;
        assert_eq!(code, 2);
        assert!(out.starts_with("error: /nonexistent/jwks.json: "), "{out}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
