//! `eid-idp-mock`: runs the mock OpenID provider on 127.0.0.1.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use eid_idp_mock::config::{TEST_CLIENT_SECRET, TEST_CLIENTS, TEST_REDIRECT_URIS};
use eid_idp_mock::{MockConfig, MockIdp};

/// The port used when neither `--port` nor the configuration file names one.
const DEFAULT_PORT: u16 = 8080;

/// A strict mock OpenID provider with test persons and scripted faults, on 127.0.0.1.
///
/// Without --config it offers the built-in test persons and test clients, as a BankID-like
/// provider. See the crate documentation of eid-idp-mock for the configuration file.
#[derive(Debug, Parser)]
#[command(name = "eid-idp-mock", version)]
struct Arguments {
    /// A JSON configuration file.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The port to listen on (127.0.0.1); 0 for any free port. Default 8080, or the file's.
    #[arg(long, value_name = "N")]
    port: Option<u16>,
}

#[expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the binary tells the operator where it listens and what went wrong"
)]
#[tokio::main]
async fn main() -> ExitCode {
    let arguments = Arguments::parse();
    let mut config = match &arguments.config {
        Some(path) => match MockConfig::from_file(path) {
            Ok(config) => config,
            Err(error) => {
                eprintln!("eid-idp-mock: configuration error: {error}");
                return ExitCode::from(2);
            }
        },
        None => MockConfig::default(),
    };
    config.port = arguments.port.unwrap_or(if config.port == 0 {
        DEFAULT_PORT
    } else {
        config.port
    });
    let builtin_clients = config.clients.is_empty();
    let mock = match MockIdp::start(config).await {
        Ok(mock) => mock,
        Err(error) => {
            eprintln!("eid-idp-mock: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("eid-idp-mock listening on http://{}", mock.address());
    println!("issuer: {}", mock.issuer().as_str());
    println!("profile: {}", mock.app().profile().as_str());
    if builtin_clients {
        println!("test clients (published credentials, for tests only):");
        for client in TEST_CLIENTS {
            let secret = client
                .secret
                .map(|_| format!(", client_secret {TEST_CLIENT_SECRET}"))
                .unwrap_or_default();
            println!("  {} ({:?}{secret})", client.client_id, client.auth_method);
        }
        println!("  redirect URIs: {}", TEST_REDIRECT_URIS.join(" "));
    }
    let persons: Vec<&str> = mock
        .app()
        .persons()
        .iter()
        .filter(|p| mock.app().profile().offers(p))
        .map(|p| p.id().as_str())
        .collect();
    println!("persons: {}", persons.join(" "));
    mock.serve_forever().await;
    ExitCode::SUCCESS
}
