//! Prometheus metrics: logins by upstream, level and outcome, login and HTTP request latency
//! histograms, served in the OpenMetrics text format at [`METRICS_PATH`].
//!
//! | metric | type | labels |
//! | --- | --- | --- |
//! | `eid_broker_logins_total` | counter | `upstream`, `level` (the `acr` URI), `outcome` |
//! | `eid_broker_login_duration_seconds` | histogram | `upstream`, `outcome` |
//! | `eid_broker_http_request_duration_seconds` | histogram | `method`, `status` |
//!
//! [`Metrics`] is a [`LoginObserver`]: add it to the broker's [`Observers`](crate::audit::Observers).
//! Labels hold no personal data and are bounded: upstream names beyond [`MAX_UPSTREAM_LABELS`]
//! distinct values, and methods other than the standard ones, are counted as `other`; a login
//! without an upstream or a level is labelled `none`.
//!
//! ```
//! use std::time::Duration;
//! use eid_broker::audit::{LoginEvent, LoginObserver, LoginOutcome};
//! use eid_broker::metrics::Metrics;
//!
//! let metrics = Metrics::new();
//! let mut event = LoginEvent::new(LoginOutcome::Cancelled, "e-service", Duration::from_secs(3));
//! event.upstream = Some("bankid".to_owned());
//! metrics.record(&event);
//! let text = metrics.render();
//! assert!(text.contains(r#"eid_broker_logins_total{upstream="bankid",level="none",outcome="cancelled"} 1"#));
//! assert!(text.ends_with("# EOF\n"));
//! ```

use std::collections::HashSet;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::{Family, MetricConstructor};
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::audit::{LoginEvent, LoginObserver};

/// Where the metrics are served.
pub const METRICS_PATH: &str = "/metrics";

/// The content type of the exposition (OpenMetrics text, which Prometheus reads).
pub const CONTENT_TYPE_OPENMETRICS: &str =
    "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The most distinct upstream label values; further ones are counted as `other`.
pub const MAX_UPSTREAM_LABELS: usize = 64;

/// Login latency buckets, in seconds: a login includes a person at an upstream eID.
const LOGIN_BUCKETS: [f64; 11] = [
    0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0,
];

/// HTTP latency buckets, in seconds.
const HTTP_BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LoginLabels {
    upstream: String,
    level: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LoginDurationLabels {
    upstream: String,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    method: &'static str,
    status: u16,
}

/// Makes histograms with fixed buckets (a function pointer: `Family` needs a constructor).
#[derive(Clone, Copy)]
struct Buckets(&'static [f64]);

impl MetricConstructor<Histogram> for Buckets {
    fn new_metric(&self) -> Histogram {
        Histogram::new(self.0.iter().copied())
    }
}

/// The broker's metrics; cheap to share behind an [`Arc`].
pub struct Metrics {
    registry: Registry,
    logins: Family<LoginLabels, Counter>,
    login_duration: Family<LoginDurationLabels, Histogram, Buckets>,
    http_duration: Family<HttpLabels, Histogram, Buckets>,
    upstreams: Mutex<HashSet<String>>,
}

impl fmt::Debug for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Empty metrics, registered under the `eid_broker` prefix.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("eid_broker");
        let logins = Family::<LoginLabels, Counter>::default();
        registry.register(
            "logins",
            "Finished logins by upstream, level of assurance and outcome",
            logins.clone(),
        );
        let login_duration = Family::new_with_constructor(Buckets(&LOGIN_BUCKETS));
        registry.register(
            "login_duration_seconds",
            "Time from the start of a login at the broker to its end",
            login_duration.clone(),
        );
        let http_duration = Family::new_with_constructor(Buckets(&HTTP_BUCKETS));
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by method and status",
            http_duration.clone(),
        );
        Self {
            registry,
            logins,
            login_duration,
            http_duration,
            upstreams: Mutex::new(HashSet::new()),
        }
    }

    /// The exposition, in the OpenMetrics text format (ending with `# EOF`).
    pub fn render(&self) -> String {
        let mut text = String::new();
        // Writing to a String cannot fail; an encoder error would leave a partial text, which
        // a scraper rejects for its missing `# EOF`.
        if prometheus_client::encoding::text::encode(&mut text, &self.registry).is_err() {
            tracing::error!("the metrics could not be encoded");
        }
        text
    }

    /// Records an answered HTTP request.
    pub fn observe_http(&self, method: &Method, status: u16, elapsed: Duration) {
        let labels = HttpLabels {
            method: method_label(method),
            status,
        };
        self.http_duration
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
    }

    /// The upstream label: the name, if it is one of the first [`MAX_UPSTREAM_LABELS`] seen.
    fn upstream_label(&self, upstream: Option<&str>) -> String {
        let Some(name) = upstream else {
            return "none".to_owned();
        };
        let mut seen = self
            .upstreams
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if seen.contains(name) {
            return name.to_owned();
        }
        if seen.len() < MAX_UPSTREAM_LABELS {
            seen.insert(name.to_owned());
            return name.to_owned();
        }
        "other".to_owned()
    }

    /// The routes serving the exposition at [`METRICS_PATH`].
    pub fn routes(self: &Arc<Self>) -> Router {
        Router::new()
            .route(METRICS_PATH, get(exposition))
            .with_state(Arc::clone(self))
    }
}

impl LoginObserver for Metrics {
    fn record(&self, event: &LoginEvent) {
        let upstream = self.upstream_label(event.upstream.as_deref());
        let outcome = event.outcome.as_str();
        let level = event.level.map_or("none", |level| level.as_uri());
        self.logins
            .get_or_create(&LoginLabels {
                upstream: upstream.clone(),
                level,
                outcome,
            })
            .inc();
        self.login_duration
            .get_or_create(&LoginDurationLabels { upstream, outcome })
            .observe(event.duration.as_secs_f64());
    }
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

async fn exposition(State(metrics): State<Arc<Metrics>>) -> Response {
    let mut response = metrics.render().into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(CONTENT_TYPE_OPENMETRICS),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A middleware (for `axum::middleware::from_fn_with_state`) recording each request's duration,
/// up to its response head, in `eid_broker_http_request_duration_seconds`.
pub async fn track_http(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let started = Instant::now();
    let response = next.run(request).await;
    metrics.observe_http(&method, response.status().as_u16(), started.elapsed());
    response
}

/// `router` with every request's duration recorded in `metrics`.
pub fn layer(router: Router, metrics: &Arc<Metrics>) -> Router {
    router.layer(axum::middleware::from_fn_with_state(
        Arc::clone(metrics),
        track_http,
    ))
}

#[cfg(test)]
mod tests {
    use eid_core::assurance::LevelOfAssurance;

    use super::*;
    use crate::audit::LoginOutcome;

    fn event(outcome: LoginOutcome, upstream: Option<&str>, secs: u64) -> LoginEvent {
        let mut event = LoginEvent::new(outcome, "e-service", Duration::from_secs(secs));
        event.upstream = upstream.map(str::to_owned);
        event.level = Some(LevelOfAssurance::Loa3);
        event.subject = Some("pairwise-subject".to_owned());
        event
    }

    #[test]
    fn logins_are_counted_by_upstream_level_and_outcome() {
        let metrics = Metrics::new();
        metrics.record(&event(LoginOutcome::Success, Some("bankid"), 4));
        metrics.record(&event(LoginOutcome::Success, Some("bankid"), 7));
        metrics.record(&event(LoginOutcome::Failed, Some("card"), 1));
        let text = metrics.render();
        let loa3 = "http://id.elegnamnden.se/loa/1.0/loa3";
        assert!(text.contains(&format!(
            "eid_broker_logins_total{{upstream=\"bankid\",level=\"{loa3}\",outcome=\"success\"}} 2\n"
        )), "{text}");
        assert!(text.contains(&format!(
            "eid_broker_logins_total{{upstream=\"card\",level=\"{loa3}\",outcome=\"failed\"}} 1\n"
        )));
        assert!(text.contains("# TYPE eid_broker_logins counter\n"));
        assert!(text.contains("# TYPE eid_broker_login_duration_seconds histogram\n"));
        // 4 s and 7 s: both at or under 10, neither at or under 2.
        assert!(text.contains(
            "eid_broker_login_duration_seconds_bucket{le=\"2.0\",upstream=\"bankid\",outcome=\"success\"} 0\n"
        ), "{text}");
        assert!(text.contains(
            "eid_broker_login_duration_seconds_bucket{le=\"10.0\",upstream=\"bankid\",outcome=\"success\"} 2\n"
        ));
        assert!(text.contains(
            "eid_broker_login_duration_seconds_sum{upstream=\"bankid\",outcome=\"success\"} 11.0\n"
        ));
        assert!(!text.contains("pairwise-subject"));
        assert!(!text.contains("e-service"));
    }

    #[test]
    fn upstream_labels_are_bounded() {
        let metrics = Metrics::new();
        for i in 0..MAX_UPSTREAM_LABELS + 3 {
            metrics.record(&event(LoginOutcome::Unmet, Some(&format!("up{i}")), 0));
        }
        metrics.record(&event(LoginOutcome::Unmet, None, 0));
        let text = metrics.render();
        assert!(text.contains("upstream=\"up63\""));
        assert!(!text.contains("upstream=\"up64\""));
        assert!(
            text.contains(
                "eid_broker_logins_total{upstream=\"other\",level=\"http://id.elegnamnden.se/loa/1.0/loa3\",outcome=\"unmet\"} 3\n"
            ),
            "{text}"
        );
        assert!(text.contains("upstream=\"none\""));
    }

    #[test]
    fn http_requests_by_method_and_status() {
        let metrics = Metrics::new();
        metrics.observe_http(&Method::GET, 200, Duration::from_millis(3));
        metrics.observe_http(&Method::from_bytes(b"BREW").unwrap(), 405, Duration::ZERO);
        let text = metrics.render();
        assert!(
            text.contains(
                "eid_broker_http_request_duration_seconds_count{method=\"GET\",status=\"200\"} 1\n"
            ),
            "{text}"
        );
        assert!(text.contains(
            "eid_broker_http_request_duration_seconds_bucket{le=\"0.0025\",method=\"GET\",status=\"200\"} 0\n"
        ));
        assert!(text.contains(
            "eid_broker_http_request_duration_seconds_bucket{le=\"0.005\",method=\"GET\",status=\"200\"} 1\n"
        ));
        assert!(text.contains("method=\"other\",status=\"405\""));
    }
}
