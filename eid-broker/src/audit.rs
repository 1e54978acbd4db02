//! What the broker records about each login: one [`LoginEvent`] per finished login, handed to
//! every [`LoginObserver`] (the audit log, the metrics).
//!
//! An event carries no personal data: the subject is the pseudonymous `sub` the client got,
//! never a personal identity number, a name, a token or a code.
//!
//! [`AuditLog`] writes each event as one JSON line, to standard output by default:
//!
//! ```text
//! {"time":"2026-11-26T01:02:03Z","event":"login","outcome":"success","client":"demo-e-service","upstream":"bankid","level":"http://id.elegnamnden.se/loa/1.0/loa3","subject":"Xo2…","reason":null,"duration_ms":5210}
//! ```

use std::fmt::{self, Debug};
use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use eid_core::assurance::LevelOfAssurance;
use eid_core::clock::Clock;
use serde::Serialize;
use serde_json::json;

/// How a login ended.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginOutcome {
    /// The client got a code.
    Success,
    /// The person cancelled (at the choice page or upstream).
    Cancelled,
    /// The level reached does not satisfy the requirement, or no upstream can meet it.
    Unmet,
    /// The upstream failed or answered something the broker refused.
    Failed,
}

impl LoginOutcome {
    /// The outcome as a snake_case word (a metrics label).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Cancelled => "cancelled",
            Self::Unmet => "unmet",
            Self::Failed => "failed",
        }
    }
}

/// One finished login.
#[non_exhaustive]
#[derive(Clone, Debug, Serialize)]
pub struct LoginEvent {
    /// How it ended.
    pub outcome: LoginOutcome,
    /// The e-service (client id).
    pub client: String,
    /// The upstream chosen, if one was.
    pub upstream: Option<String>,
    /// The level reached (on success) or required (otherwise), as its URI.
    #[serde(serialize_with = "level_uri")]
    pub level: Option<LevelOfAssurance>,
    /// The pseudonymous `sub` the client got (on success).
    pub subject: Option<String>,
    /// A stable reason code on failure (an upstream error's `reason()`, an OAuth error code).
    pub reason: Option<&'static str>,
    /// From the start of the login at the broker to its end.
    #[serde(serialize_with = "millis")]
    pub duration: Duration,
}

impl LoginEvent {
    /// An event with `outcome` for `client`; the rest empty.
    pub fn new(outcome: LoginOutcome, client: impl Into<String>, duration: Duration) -> Self {
        Self {
            outcome,
            client: client.into(),
            upstream: None,
            level: None,
            subject: None,
            reason: None,
            duration,
        }
    }
}

fn level_uri<S: serde::Serializer>(
    level: &Option<LevelOfAssurance>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match level {
        Some(level) => s.serialize_str(level.as_uri()),
        None => s.serialize_none(),
    }
}

fn millis<S: serde::Serializer>(duration: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
}

/// Receives every finished login. Implementations must not block: they are called on the
/// request path.
pub trait LoginObserver: Send + Sync + Debug {
    /// Records `event`.
    fn record(&self, event: &LoginEvent);
}

/// Several observers as one.
#[derive(Clone, Debug, Default)]
pub struct Observers(Vec<Arc<dyn LoginObserver>>);

impl Observers {
    /// No observers.
    pub fn new() -> Self {
        Self::default()
    }

    /// With `observer` added.
    #[must_use]
    pub fn with(mut self, observer: Arc<dyn LoginObserver>) -> Self {
        self.0.push(observer);
        self
    }
}

impl LoginObserver for Observers {
    fn record(&self, event: &LoginEvent) {
        for observer in &self.0 {
            observer.record(event);
        }
    }
}

/// The audit log: one JSON object per line per finished login, with `time` (RFC 3339, UTC),
/// `event` (`"login"`), `outcome`, `client`, `upstream`, `level` (the `acr` URI), `subject`
/// (the pseudonymous `sub`), `reason` and `duration_ms`; absent values are `null`.
///
/// Lines are written whole and flushed one by one, under a lock, so that lines from concurrent
/// logins never interleave. A write error is logged (without the line) and the login goes on.
pub struct AuditLog {
    out: Mutex<Box<dyn Write + Send>>,
    clock: Arc<dyn Clock>,
}

impl Debug for AuditLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuditLog")
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

impl AuditLog {
    /// An audit log on standard output.
    pub fn stdout(clock: Arc<dyn Clock>) -> Self {
        Self::to_writer(io::stdout(), clock)
    }

    /// An audit log written to `writer` (a file, a pipe, a buffer in a test).
    pub fn to_writer(writer: impl Write + Send + 'static, clock: Arc<dyn Clock>) -> Self {
        Self {
            out: Mutex::new(Box::new(writer)),
            clock,
        }
    }

    /// The JSON line for `event`, without its line end.
    pub fn line(&self, event: &LoginEvent) -> String {
        json!({
            "time": self.clock.now().to_string(),
            "event": "login",
            "outcome": event.outcome.as_str(),
            "client": event.client,
            "upstream": event.upstream,
            "level": event.level.map(LevelOfAssurance::as_uri),
            "subject": event.subject,
            "reason": event.reason,
            "duration_ms": u64::try_from(event.duration.as_millis()).unwrap_or(u64::MAX),
        })
        .to_string()
    }
}

impl LoginObserver for AuditLog {
    fn record(&self, event: &LoginEvent) {
        let mut line = self.line(event);
        line.push('\n');
        // A poisoned lock still holds a usable writer: every write is one call.
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        if let Err(error) = out.write_all(line.as_bytes()).and_then(|()| out.flush()) {
            tracing::error!(%error, "the audit line could not be written");
        }
    }
}

#[cfg(test)]
mod tests {
    use eid_core::clock::{FixedClock, UnixTime};

    use super::*;

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    struct Broken;

    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::other("closed"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn one_json_line_per_event_through_observers() {
        let buffer = Buffer::default();
        let clock = Arc::new(FixedClock(UnixTime::from_secs(1_764_118_923)));
        let log = Arc::new(AuditLog::to_writer(buffer.clone(), clock));
        let observers = Observers::new().with(log);
        let mut event = LoginEvent::new(
            LoginOutcome::Success,
            "e-service",
            Duration::from_millis(1500),
        );
        event.upstream = Some("bankid".to_owned());
        event.level = Some(LevelOfAssurance::Loa3);
        event.subject = Some("c3a6fa0e".to_owned());
        observers.record(&event);
        observers.record(&LoginEvent::new(
            LoginOutcome::Unmet,
            "other",
            Duration::ZERO,
        ));

        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(
            lines[0],
            json!({
                "time": "2025-11-26T01:02:03Z",
                "event": "login",
                "outcome": "success",
                "client": "e-service",
                "upstream": "bankid",
                "level": "http://id.elegnamnden.se/loa/1.0/loa3",
                "subject": "c3a6fa0e",
                "reason": null,
                "duration_ms": 1500,
            })
        );
        assert_eq!(lines[1]["outcome"], "unmet");
        assert_eq!(lines[1]["upstream"], serde_json::Value::Null);
    }

    #[test]
    fn a_write_error_does_not_stop_the_login() {
        let clock = Arc::new(FixedClock(UnixTime::EPOCH));
        let log = AuditLog::to_writer(Broken, clock);
        log.record(&LoginEvent::new(
            LoginOutcome::Failed,
            "e-service",
            Duration::ZERO,
        ));
        assert!(format!("{log:?}").starts_with("AuditLog"));
    }
}
