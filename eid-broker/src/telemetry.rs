//! Logs: a [`tracing`] subscriber writing human-readable lines or one JSON object per line,
//! filtered by an `EnvFilter` directive (`info`, `eid_broker=debug,info`, …).
//!
//! What is logged is decided where it is logged, not here: the broker, the provider engine and
//! the upstream connector log methods, paths without their query, statuses, client ids, upstream
//! names, levels and stable error codes — never a personal number, a name, a token, an
//! authorization code, a `state`, a secret or a cookie. The integration tests log a whole demo
//! login at the most verbose level and scan the output for each of those (the "log scan").
//!
//! ```
//! use eid_broker::telemetry::{LogFormat, Telemetry};
//!
//! let telemetry = Telemetry::new(LogFormat::Json, "info,eid_broker=debug")?;
//! let subscriber = telemetry.subscriber(std::io::sink);
//! tracing::subscriber::with_default(subscriber, || tracing::info!(client = "demo", "hello"));
//! # Ok::<(), eid_broker::telemetry::TelemetryError>(())
//! ```

use std::fmt;
use std::str::FromStr;

use tracing::Subscriber;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// The filter used when none is given: the broker's own events at `info` and above, and
/// warnings from everything else.
pub const DEFAULT_FILTER: &str = "warn,eid_broker=info,eid_provider=info,eid_idp_mock=info";

/// How log lines are written.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// One human-readable line per event (the default).
    #[default]
    Human,
    /// One JSON object per line: `timestamp`, `level`, `target`, `fields`, and the spans.
    Json,
}

impl LogFormat {
    /// `human` or `json`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Human => "human",
            Self::Json => "json",
        }
    }
}

impl fmt::Display for LogFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LogFormat {
    type Err = TelemetryError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "human" => Ok(Self::Human),
            "json" => Ok(Self::Json),
            _ => Err(TelemetryError::UnknownFormat),
        }
    }
}

/// Why logging could not be set up.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    /// The filter directive does not parse.
    #[error("the log filter is invalid: {0}")]
    Filter(#[source] tracing_subscriber::filter::ParseError),
    /// Another global subscriber is already installed.
    #[error("a log subscriber is already installed")]
    AlreadyInstalled,
    /// The format is neither `human` nor `json`.
    #[error("the log format must be `human` or `json`")]
    UnknownFormat,
}

/// The logging settings: a format and a filter, checked when made.
#[derive(Debug)]
pub struct Telemetry {
    format: LogFormat,
    filter: String,
}

impl Telemetry {
    /// Settings writing `format`, keeping the events `filter` selects (`EnvFilter` syntax; an
    /// empty filter is [`DEFAULT_FILTER`]).
    ///
    /// # Errors
    /// [`TelemetryError::Filter`] when the filter does not parse.
    pub fn new(format: LogFormat, filter: &str) -> Result<Self, TelemetryError> {
        let filter = if filter.trim().is_empty() {
            DEFAULT_FILTER
        } else {
            filter
        };
        // Parsed once here so that a typo is an error, not a silently empty log.
        EnvFilter::builder()
            .parse(filter)
            .map_err(TelemetryError::Filter)?;
        Ok(Self {
            format,
            filter: filter.to_owned(),
        })
    }

    /// The format.
    pub fn format(&self) -> LogFormat {
        self.format
    }

    /// The filter directive.
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// A subscriber writing to `writer` (for example `std::io::stderr`, or a buffer in a test,
    /// used with `tracing::subscriber::with_default`).
    pub fn subscriber<W>(&self, writer: W) -> Box<dyn Subscriber + Send + Sync>
    where
        W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
    {
        // Checked in `new`; `new` keeps only filters that parse.
        let filter = EnvFilter::builder()
            .parse(&self.filter)
            .unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
        let builder = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(writer)
            .with_ansi(false);
        match self.format {
            LogFormat::Human => Box::new(builder.finish()),
            LogFormat::Json => Box::new(
                builder
                    .json()
                    .flatten_event(true)
                    .with_current_span(false)
                    .finish(),
            ),
        }
    }

    /// Installs the subscriber writing to standard error as the process's global one (standard
    /// output carries the audit log).
    ///
    /// # Errors
    /// [`TelemetryError::AlreadyInstalled`] when one already is.
    pub fn install(&self) -> Result<(), TelemetryError> {
        tracing::subscriber::set_global_default(self.subscriber(std::io::stderr))
            .map_err(|_| TelemetryError::AlreadyInstalled)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::*;

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Buffer {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    fn log_with(format: LogFormat, filter: &str) -> String {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = Telemetry::new(format, filter)
            .unwrap()
            .subscriber(move || writer.clone());
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(client = "demo", status = 200_u16, "request");
            tracing::debug!("details");
        });
        buffer.text()
    }

    #[test]
    fn json_is_one_object_per_line_with_flattened_fields() {
        let text = log_with(LogFormat::Json, "info");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1, "{text}");
        let line: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(line["level"], "INFO");
        assert_eq!(line["message"], "request");
        assert_eq!(line["client"], "demo");
        assert_eq!(line["status"], 200);
        assert!(line["timestamp"].is_string());
    }

    #[test]
    fn human_lines_have_no_colour_codes_and_the_filter_applies() {
        let text = log_with(LogFormat::Human, "debug");
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(
            text.contains("INFO") && text.contains("client=\"demo\""),
            "{text}"
        );
        assert!(text.contains("details"));
        assert!(!text.contains('\u{1b}'));
    }

    #[test]
    fn an_invalid_filter_is_refused_and_an_empty_one_is_the_default() {
        assert!(matches!(
            Telemetry::new(LogFormat::Human, "eid_broker=loud"),
            Err(TelemetryError::Filter(_))
        ));
        let telemetry = Telemetry::new(LogFormat::Json, " ").unwrap();
        assert_eq!(telemetry.filter(), DEFAULT_FILTER);
        assert_eq!(telemetry.format(), LogFormat::Json);
    }

    #[test]
    fn formats_parse_by_name() {
        assert_eq!("json".parse::<LogFormat>().unwrap(), LogFormat::Json);
        assert_eq!("human".parse::<LogFormat>().unwrap(), LogFormat::Human);
        assert!(matches!(
            "yaml".parse::<LogFormat>(),
            Err(TelemetryError::UnknownFormat)
        ));
        assert_eq!(LogFormat::Json.to_string(), "json");
    }
}
