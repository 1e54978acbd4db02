//! Probes for an orchestrator: [`HEALTHZ_PATH`] answers 200 while the process serves
//! requests (liveness); [`READYZ_PATH`] answers 200 when the service can do its work — for the
//! broker, when its upstreams' discovery documents are reachable — and 503 otherwise.
//!
//! Both answer `text/plain` with `Cache-Control: no-store`, and say nothing about why a check
//! failed (the broker logs that).

use std::fmt::Debug;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CACHE_CONTROL;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// The liveness probe's path.
pub const HEALTHZ_PATH: &str = "/healthz";
/// The readiness probe's path.
pub const READYZ_PATH: &str = "/readyz";

/// Whether a service is ready to take traffic.
#[async_trait::async_trait]
pub trait Readiness: Send + Sync + Debug {
    /// True when ready. Must answer within the probe's timeout: bound any I/O it does.
    async fn ready(&self) -> bool;
}

/// Always ready (for services with nothing to wait for).
#[derive(Clone, Copy, Debug, Default)]
pub struct AlwaysReady;

#[async_trait::async_trait]
impl Readiness for AlwaysReady {
    async fn ready(&self) -> bool {
        true
    }
}

/// The routes of both probes.
pub fn routes(readiness: Arc<dyn Readiness>) -> Router {
    Router::new()
        .route(HEALTHZ_PATH, get(healthz))
        .route(READYZ_PATH, get(readyz))
        .with_state(readiness)
}

async fn healthz() -> Response {
    plain(StatusCode::OK, "ok\n")
}

async fn readyz(State(readiness): State<Arc<dyn Readiness>>) -> Response {
    if readiness.ready().await {
        plain(StatusCode::OK, "ready\n")
    } else {
        plain(StatusCode::SERVICE_UNAVAILABLE, "not ready\n")
    }
}

fn plain(status: StatusCode, body: &'static str) -> Response {
    (status, [(CACHE_CONTROL, "no-store")], body).into_response()
}
