//! What the broker records about each login: one [`LoginEvent`] per finished login, handed to
//! every [`LoginObserver`] (the audit log, the metrics).
//!
//! An event carries no personal data: the subject is the pseudonymous `sub` the client got,
//! never a personal identity number, a name, a token or a code.

use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

use eid_core::assurance::LevelOfAssurance;
use serde::Serialize;

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
