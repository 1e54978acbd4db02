//! The `eid-broker` command line.
//!
//! ```text
//! eid-broker inspect pnr <NUMBER> [--today YYYY-MM-DD]
//! eid-broker inspect mrz <LINE>... [--today YYYY-MM-DD]
//! eid-broker inspect sod --sod <FILE> [--dg <N>=<FILE>]... [--csca <FILE>]...
//!                       [--master-list <FILE>]... [--master-list-anchor <FILE>]... [--at <RFC3339>]
//! eid-broker inspect acr <URI>
//! eid-broker inspect token <JWT|-> --jwks <FILE> --issuer <URL> --audience <ID>
//!                         [--nonce <N>] [--require <ACR>]... [--matching exact|minimum]
//!                         [--alg <ALG>]... [--now <UNIX-SECONDS>]
//!
//! eid-broker serve --config <FILE> [--listen <ADDR>] [--log-format human|json] [--log-filter <F>]
//! eid-broker config check <FILE>
//! eid-broker demo [--port <N>] [--log-format human|json] [--log-filter <F>]
//! ```
//!
//! `inspect` and `config check` print one JSON document on standard output and exit 0 when the
//! input is valid, 1 when it is invalid (with a stable `reason`), 2 on a usage error; `config
//! check` also says on standard error what is wrong, naming the file, the line and the key.
//!
//! `serve` runs the broker until SIGINT or SIGTERM, then finishes the requests in flight. Logs
//! go to standard error (human-readable, or JSON with `--log-format json`; the filter is
//! `--log-filter`, else `EID_LOG`, else `RUST_LOG`, else the default), the audit log (one JSON
//! line per login) to standard output. It listens on `--listen`, default the issuer's address
//! when the issuer is `http` on a loopback address, else `127.0.0.1:8080`.
//!
//! `demo` runs the broker, four mock eID providers and a demo e-service on 127.0.0.1 and prints
//! the URL to open; `--port` (default 8080) is the e-service's and the broker's.

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::json;

use eid_broker::audit::{AuditLog, Observers};
use eid_broker::demo::{AuditTarget, DemoOptions};
use eid_broker::inspect::{self, Inspection, TokenExpectations};
use eid_broker::metrics::Metrics;
use eid_broker::subject::SubjectMode;
use eid_broker::telemetry::{LogFormat, Telemetry};
use eid_broker::{Broker, BrokerConfig, ConfigError, serve};
use eid_core::assurance::Matching;
use eid_core::clock::{Clock, SystemClock, UnixTime};
use eid_core::jose::JwsAlgorithm;

/// The largest token accepted on standard input.
const MAX_TOKEN_BYTES: u64 = 64 * 1024;
/// The largest SOD, data group, certificate or master list file read.
const MAX_DOCUMENT_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// The largest JWKS file read.
const MAX_JWKS_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Parser)]
#[command(name = "eid-broker", version, about = "The eid broker and its tools")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Inspect an identifier, a level of assurance or an ID token; prints JSON.
    #[command(subcommand)]
    Inspect(Inspect),
    /// Run the broker.
    Serve(ServeArgs),
    /// Work with the configuration file.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Run the broker, four mock eID providers and a demo e-service on 127.0.0.1.
    Demo(DemoArgs),
}

#[derive(Debug, Args)]
struct LogArgs {
    /// The log format on standard error.
    #[arg(long, value_enum, default_value_t = LogFormatArg::Human)]
    log_format: LogFormatArg,
    /// Which events are logged (`info`, `eid_broker=debug,warn`, …); default from EID_LOG or
    /// RUST_LOG.
    #[arg(long)]
    log_filter: Option<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LogFormatArg {
    /// Human-readable lines.
    Human,
    /// One JSON object per line.
    Json,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// The configuration file (TOML).
    #[arg(long)]
    config: PathBuf,
    /// The address to listen on (default: the issuer's when it is http on a loopback address,
    /// else 127.0.0.1:8080).
    #[arg(long)]
    listen: Option<SocketAddr>,
    #[command(flatten)]
    log: LogArgs,
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Read and check a configuration file without starting anything; prints a summary.
    Check {
        /// The configuration file (TOML).
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
struct DemoArgs {
    /// The port of the demo e-service and the broker on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    #[command(flatten)]
    log: LogArgs,
}

#[derive(Debug, Subcommand)]
enum Inspect {
    /// A personnummer or samordningsnummer, in 10- or 12-digit form.
    Pnr {
        /// The number, e.g. 195006262546 or 500626-2546.
        number: String,
        /// The reference date for the century of 10-digit forms (default: today, UTC).
        #[arg(long, value_parser = parse_date)]
        today: Option<time::Date>,
    },
    /// The machine-readable zone of a passport or ID card (TD1, TD2, TD3), one argument per line.
    Mrz {
        /// The lines, e.g. `P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<` and the second one.
        #[arg(required = true, num_args = 1..=3)]
        lines: Vec<String>,
        /// The reference date for the century of the dates (default: today, UTC).
        #[arg(long, value_parser = parse_date)]
        today: Option<time::Date>,
    },
    /// A passport or ID card chip's EF.SOD and data groups: passive authentication.
    Sod(SodArgs),
    /// An `acr` URI (level of assurance).
    Acr {
        /// The URI, e.g. http://id.elegnamnden.se/loa/1.0/loa3.
        uri: String,
    },
    /// An ID token, verified against a JWKS, issuer, audience, nonce and level.
    Token(TokenArgs),
}

#[derive(Debug, Args)]
struct TokenArgs {
    /// The compact JWT, or `-` to read it from standard input (keeps it out of process lists).
    token: String,
    /// A file with the issuer's JWKS (JSON).
    #[arg(long)]
    jwks: PathBuf,
    /// The expected issuer, compared as an exact string.
    #[arg(long)]
    issuer: String,
    /// The client id that must be the token's audience.
    #[arg(long)]
    audience: String,
    /// The nonce the login was started with.
    #[arg(long)]
    nonce: Option<String>,
    /// A level the token's `acr` must satisfy; repeat for several.
    #[arg(long = "require", value_name = "ACR")]
    require: Vec<String>,
    /// How `--require` is matched.
    #[arg(long, value_enum, default_value_t = MatchingArg::Exact)]
    matching: MatchingArg,
    /// An accepted signature algorithm; repeat for several (default: ES256 and RS256).
    #[arg(long = "alg", value_name = "ALG", value_parser = parse_algorithm)]
    algorithms: Vec<JwsAlgorithm>,
    /// Verify as of this time, in seconds since the epoch (default: now).
    #[arg(long)]
    now: Option<u64>,
}

#[derive(Debug, Args)]
struct SodArgs {
    /// The EF.SOD file.
    #[arg(long)]
    sod: PathBuf,
    /// A data group read from the chip, as `N=FILE` (e.g. `1=EF_DG1.bin`); repeat.
    #[arg(long = "dg", value_name = "N=FILE", value_parser = parse_data_group)]
    data_groups: Vec<(u8, PathBuf)>,
    /// A trusted CSCA certificate (DER); repeat.
    #[arg(long = "csca", value_name = "FILE")]
    cscas: Vec<PathBuf>,
    /// A CSCA master list (CMS); its CSCAs are trusted once its signature and signer verify.
    #[arg(long = "master-list", value_name = "FILE")]
    master_lists: Vec<PathBuf>,
    /// A certificate a master list's signer must chain to (default: the --csca certificates).
    #[arg(long = "master-list-anchor", value_name = "FILE")]
    master_list_anchors: Vec<PathBuf>,
    /// Verify as of this time, RFC 3339 (default: now).
    #[arg(long, value_parser = parse_rfc3339)]
    at: Option<UnixTime>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum MatchingArg {
    /// The `acr` must be one of the required levels (Sweden Connect).
    Exact,
    /// The `acr` must be at least one of the required levels (ID-porten).
    Minimum,
}

fn parse_date(text: &str) -> Result<time::Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, format).map_err(|error| format!("expected YYYY-MM-DD: {error}"))
}

fn parse_data_group(text: &str) -> Result<(u8, PathBuf), String> {
    let (number, path) = text
        .split_once('=')
        .ok_or_else(|| "expected N=FILE".to_owned())?;
    let number: u8 = number
        .parse()
        .ok()
        .filter(|n| (1..=16).contains(n))
        .ok_or_else(|| "the data group number must be 1 to 16".to_owned())?;
    Ok((number, PathBuf::from(path)))
}

fn parse_rfc3339(text: &str) -> Result<UnixTime, String> {
    let time = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|error| format!("expected an RFC 3339 time: {error}"))?;
    u64::try_from(time.unix_timestamp())
        .map(UnixTime::from_secs)
        .map_err(|_| "the time is before 1970".to_owned())
}

fn parse_algorithm(text: &str) -> Result<JwsAlgorithm, String> {
    text.parse::<JwsAlgorithm>()
        .map_err(|error| error.to_string())
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    let inspection = match cli.command {
        Command::Inspect(inspect) => run_inspect(inspect),
        Command::Config(ConfigCommand::Check { file }) => run_config_check(&file),
        Command::Serve(args) => return run_serve(args),
        Command::Demo(args) => return run_demo(&args),
    };
    print_json(&inspection.body);
    ExitCode::from(inspection.outcome.exit_code())
}

/// Installs the log subscriber on standard error.
fn install_logs(args: &LogArgs) -> Result<(), ExitCode> {
    let filter = args
        .log_filter
        .clone()
        .or_else(|| std::env::var("EID_LOG").ok())
        .or_else(|| std::env::var("RUST_LOG").ok())
        .unwrap_or_default();
    let format = match args.log_format {
        LogFormatArg::Human => LogFormat::Human,
        LogFormatArg::Json => LogFormat::Json,
    };
    Telemetry::new(format, &filter)
        .and_then(|telemetry| telemetry.install())
        .map_err(|error| {
            let _ = writeln!(io::stderr().lock(), "eid-broker: {error}");
            ExitCode::from(2)
        })
}

fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| {
            let _ = writeln!(io::stderr().lock(), "eid-broker: no async runtime: {error}");
            ExitCode::FAILURE
        })
}

fn subject_mode(mode: SubjectMode) -> &'static str {
    match mode {
        SubjectMode::Store => "store",
        SubjectMode::NoStore => "no_store",
    }
}

fn config_error_json(error: &ConfigError, reason: &str) -> serde_json::Value {
    json!({
        "valid": false,
        "reason": reason,
        "file": error.file,
        "line": error.line,
        "key": error.key,
        "message": error.message,
    })
}

fn run_config_check(file: &std::path::Path) -> Inspection {
    match BrokerConfig::from_file(file) {
        Ok(config) => {
            let summary = config.summary();
            Inspection {
                outcome: inspect::Outcome::Valid,
                body: json!({
                    "valid": true,
                    "file": file.display().to_string(),
                    "issuer": summary.issuer,
                    "clients": summary.clients,
                    "upstreams": summary.upstreams,
                    "ephemeral_keys": summary.ephemeral_keys,
                    "subject_mode": subject_mode(summary.subject_mode),
                }),
            }
        }
        Err(error) => {
            // For people: the file, the line and the key on standard error.
            let _ = writeln!(io::stderr().lock(), "eid-broker: {error}");
            let (reason, outcome) = if error.key == "(file)" {
                ("file_unreadable", inspect::Outcome::Usage)
            } else {
                ("invalid_config", inspect::Outcome::Invalid)
            };
            Inspection {
                outcome,
                body: config_error_json(&error, reason),
            }
        }
    }
}

fn run_serve(args: ServeArgs) -> ExitCode {
    if let Err(code) = install_logs(&args.log) {
        return code;
    }
    let config = match BrokerConfig::from_file(&args.config) {
        Ok(config) => config,
        Err(error) => {
            // Before anything runs: a plain message naming the file, the line and the key.
            let _ = writeln!(io::stderr().lock(), "eid-broker: {error}");
            return ExitCode::FAILURE;
        }
    };
    let listen = args
        .listen
        .unwrap_or_else(|| serve::default_listen_address(&config.issuer));
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    runtime.block_on(async move {
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let metrics = Arc::new(Metrics::new());
        let observers = Observers::new()
            .with(metrics.clone())
            .with(Arc::new(AuditLog::stdout(Arc::clone(&clock))));
        let broker = match Broker::from_config(config, observers, clock) {
            Ok(broker) => Arc::new(broker),
            Err(error) => {
                tracing::error!(%error, "the broker could not be built");
                return ExitCode::FAILURE;
            }
        };
        let listener = match tokio::net::TcpListener::bind(listen).await {
            Ok(listener) => listener,
            Err(error) => {
                tracing::error!(%error, %listen, "cannot listen");
                return ExitCode::FAILURE;
            }
        };
        let bound = listener.local_addr().unwrap_or(listen);
        tracing::info!(listen = %bound, issuer = broker.issuer(), "serving");
        let app = serve::app(axum::Router::new(), &broker, &metrics);
        match serve::serve(listener, app, serve::shutdown_signal()).await {
            Ok(()) => {
                tracing::info!("stopped");
                ExitCode::SUCCESS
            }
            Err(error) => {
                tracing::error!(%error, "the server failed");
                ExitCode::FAILURE
            }
        }
    })
}

fn run_demo(args: &DemoArgs) -> ExitCode {
    if let Err(code) = install_logs(&args.log) {
        return code;
    }
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    runtime.block_on(async move {
        let options = DemoOptions::new(args.port).audit(AuditTarget::Stdout);
        let demo = match eid_broker::demo::start_with(options).await {
            Ok(demo) => demo,
            Err(error) => {
                tracing::error!(%error, "the demo could not start");
                return ExitCode::FAILURE;
            }
        };
        let _ = writeln!(io::stdout().lock(), "{}", demo.banner());
        serve::shutdown_signal().await;
        match demo.stop().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                tracing::error!(%error, "the demo did not stop cleanly");
                ExitCode::FAILURE
            }
        }
    })
}

fn run_inspect(command: Inspect) -> Inspection {
    match command {
        Inspect::Pnr { number, today } => {
            let today = today.unwrap_or_else(|| SystemClock.now().date());
            inspect::personal_number(&number, today)
        }
        Inspect::Mrz { lines, today } => {
            let today = today.unwrap_or_else(|| SystemClock.now().date());
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            inspect::mrz(&lines, today)
        }
        Inspect::Acr { uri } => inspect::acr(&uri),
        Inspect::Token(args) => run_token(args),
        Inspect::Sod(args) => run_sod(&args),
    }
}

fn run_token(args: TokenArgs) -> Inspection {
    let token = if args.token == "-" {
        match read_limited(io::stdin().lock(), MAX_TOKEN_BYTES) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_owned(),
            Err(error) => return Inspection::usage("token_unreadable", error),
        }
    } else {
        args.token
    };
    let jwks = match std::fs::File::open(&args.jwks)
        .map_err(|error| error.to_string())
        .and_then(|file| read_limited(file, MAX_JWKS_BYTES))
    {
        Ok(bytes) => bytes,
        Err(error) => {
            let message = format!("cannot read {}: {error}", args.jwks.display());
            return Inspection::usage("jwks_unreadable", message);
        }
    };
    let algorithms = if args.algorithms.is_empty() {
        vec![JwsAlgorithm::Es256, JwsAlgorithm::Rs256]
    } else {
        args.algorithms
    };
    let expected = TokenExpectations {
        jwks: &jwks,
        issuer: &args.issuer,
        audience: &args.audience,
        nonce: args.nonce.as_deref(),
        require: &args.require,
        matching: match args.matching {
            MatchingArg::Exact => Matching::Exact,
            MatchingArg::Minimum => Matching::Minimum,
        },
        algorithms: &algorithms,
    };
    let now = args
        .now
        .map_or_else(|| SystemClock.now(), UnixTime::from_secs);
    inspect::token(&token, &expected, now)
}

fn run_sod(args: &SodArgs) -> Inspection {
    let read = |path: &PathBuf| {
        std::fs::File::open(path)
            .map_err(|error| error.to_string())
            .and_then(|file| read_limited(file, MAX_DOCUMENT_FILE_BYTES))
            .map_err(|error| format!("cannot read {}: {error}", path.display()))
    };
    let read_all = |paths: &[PathBuf]| paths.iter().map(read).collect::<Result<Vec<_>, _>>();
    let files = (|| {
        let sod = read(&args.sod)?;
        let data_groups = args
            .data_groups
            .iter()
            .map(|(number, path)| read(path).map(|bytes| (*number, bytes)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok::<_, String>((
            sod,
            data_groups,
            read_all(&args.cscas)?,
            read_all(&args.master_lists)?,
            read_all(&args.master_list_anchors)?,
        ))
    })();
    let (sod, data_groups, cscas, master_lists, anchors) = match files {
        Ok(files) => files,
        Err(message) => return Inspection::usage("file_unreadable", message),
    };
    let inputs = inspect::SodInputs {
        sod: &sod,
        data_groups: data_groups
            .iter()
            .map(|(number, bytes)| (*number, bytes.as_slice()))
            .collect(),
        cscas: cscas.iter().map(Vec::as_slice).collect(),
        master_lists: master_lists.iter().map(Vec::as_slice).collect(),
        master_list_anchors: anchors.iter().map(Vec::as_slice).collect(),
    };
    inspect::sod(&inputs, args.at.unwrap_or_else(|| SystemClock.now()))
}

/// Reads at most `limit` bytes; more is an error rather than a truncation.
fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| error.to_string())?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(format!("larger than {limit} bytes"));
    }
    Ok(bytes)
}

fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        let _ = write!(io::stdout().lock(), "{error}");
        return ExitCode::SUCCESS;
    }
    // The JSON on stdout for programs, clap's explanation on stderr for people.
    let _ = write!(io::stderr().lock(), "{}", error.render());
    let message = error.kind().as_str().unwrap_or("invalid arguments");
    print_json(&json!({ "valid": false, "reason": "usage", "message": message }));
    ExitCode::from(2)
}

fn print_json(value: &serde_json::Value) {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    // A closed stdout (`| head`) is not worth a panic.
    let _ = writeln!(io::stdout().lock(), "{text}");
}
