//! Running the broker as a service: the app served (the broker, the probes, the metrics, a
//! request-duration layer), and serving it until SIGINT or SIGTERM with a graceful shutdown.
//!
//! | path | answer |
//! | --- | --- |
//! | [`HEALTHZ_PATH`](crate::health::HEALTHZ_PATH) | 200 while the process serves |
//! | [`READYZ_PATH`](crate::health::READYZ_PATH) | 200 when [`Broker::ready`], else 503 |
//! | [`METRICS_PATH`](crate::metrics::METRICS_PATH) | the Prometheus exposition |
//! | anything else | the [`Broker`]'s router |

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;

use crate::Broker;
use crate::health::{self, Readiness};
use crate::metrics::{self, Metrics};

#[async_trait::async_trait]
impl Readiness for Broker {
    async fn ready(&self) -> bool {
        Broker::ready(self).await
    }
}

/// The whole app: `front` (routes served before the broker's, e.g. a demo e-service), the
/// probes, the metrics, then the broker's router for every other path; each request's
/// duration recorded in `metrics`.
pub fn app(front: Router, broker: &Arc<Broker>, metrics: &Arc<Metrics>) -> Router {
    let readiness: Arc<dyn Readiness> = broker.clone();
    let router = front
        .merge(health::routes(readiness))
        .merge(metrics.routes())
        .fallback_service(broker.router());
    metrics::layer(router, metrics)
}

/// Serves `app` on `listener` until `shutdown` completes, then stops taking connections and
/// finishes the requests in flight.
///
/// # Errors
/// The server's I/O error.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Completes on SIGINT (Ctrl-C) or, on Unix, SIGTERM. Should a handler fail to install, that
/// signal is not waited for (the other still is).
pub async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("SIGINT: shutting down"),
        () = terminate => tracing::info!("SIGTERM: shutting down"),
    }
}

/// The address to listen on when none is given: the issuer's own, when it is an `http` URL on
/// a loopback address with a port (development and the demo), else `127.0.0.1:8080` (behind a
/// TLS-terminating proxy that serves the `https` issuer).
pub fn default_listen_address(issuer: &str) -> SocketAddr {
    let fallback = SocketAddr::from(([127, 0, 0, 1], 8080));
    let Ok(url) = url::Url::parse(issuer) else {
        return fallback;
    };
    if url.scheme() != "http" {
        return fallback;
    }
    let Some(port) = url.port() else {
        return fallback;
    };
    match url.host() {
        Some(url::Host::Ipv4(ip)) if ip.is_loopback() => SocketAddr::from((ip, port)),
        Some(url::Host::Ipv6(ip)) if ip.is_loopback() => SocketAddr::from((ip, port)),
        _ => fallback,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_address_is_a_loopback_issuers_own() {
        assert_eq!(
            default_listen_address("http://127.0.0.1:9000"),
            "127.0.0.1:9000".parse().unwrap()
        );
        assert_eq!(
            default_listen_address("http://[::1]:9001/broker"),
            "[::1]:9001".parse().unwrap()
        );
        for issuer in ["https://broker.example", "http://127.0.0.1", "not a url"] {
            assert_eq!(
                default_listen_address(issuer),
                "127.0.0.1:8080".parse().unwrap(),
                "{issuer}"
            );
        }
    }
}
