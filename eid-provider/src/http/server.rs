//! A small in-process HTTP server for tests, examples and the mock IdP: serves a [`Router`] on
//! a listener, stops gracefully when dropped.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running server. Dropping it asks it to stop: it finishes the requests in flight and closes
/// its connections in the background; [`Server::shutdown`] waits for that.
///
/// Bind first when the router needs to know its own address (an issuer with the port in it):
///
/// ```
/// use eid_provider::http::Server;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// let base = format!("http://{}", listener.local_addr()?);
/// // … build the provider with `base` as its issuer, then its router …
/// let router = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
/// let server = Server::start(listener, router)?;
/// assert_eq!(server.url(), base);
/// server.shutdown().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl Server {
    /// Serves `router` on `listener` in a task of the current Tokio runtime.
    ///
    /// # Errors
    /// When called outside a Tokio runtime, or when the listener has no local address.
    pub fn start(listener: TcpListener, router: Router) -> io::Result<Self> {
        let runtime = tokio::runtime::Handle::try_current().map_err(io::Error::other)?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = runtime.spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    // A dropped sender is a request to stop, as a sent value is.
                    let _ = stopped.await;
                })
                .await
        });
        Ok(Self {
            addr,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// Binds `127.0.0.1` on a free port and serves `router` there.
    ///
    /// # Errors
    /// When the port cannot be bound, or as [`Server::start`].
    pub async fn bind_loopback(router: Router) -> io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        Self::start(listener, router)
    }

    /// The address served.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<address>`, without a trailing `/`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the server and waits until it has stopped.
    ///
    /// # Errors
    /// The server's own I/O error, or one saying its task panicked or was cancelled.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.map_err(io::Error::other)?,
            None => Ok(()),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
