//! Delivery of back-channel logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.5): a form
//! POST of `logout_token` to each client's `backchannel_logout_uri`, with a short timeout, no
//! redirects followed, and failures logged without the token.

use std::time::Duration;

use crate::client::ClientId;
use crate::provider::BackchannelLogout;

/// How long one delivery may take, connection included.
pub(crate) const DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);

/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// Why a delivery failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DeliveryError {
    /// The HTTP client could not be built (the TLS backend failed to initialise).
    #[error("no HTTP client is available")]
    NoClient,
    /// The request failed: connection, TLS, timeout. The URL is stripped from the source.
    #[error("the request failed")]
    Request(#[source] reqwest::Error),
    /// The client answered with a status other than 2xx (§2.8: 200 on success; a redirect is
    /// not followed).
    #[error("the client answered with status {status}")]
    Status {
        /// The status.
        status: u16,
    },
}

/// The sender of back-channel logout tokens. Cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct Backchannel {
    client: Option<reqwest::Client>,
}

impl Backchannel {
    /// A sender with its own HTTP client (rustls with the Mozilla roots; no proxy from the
    /// environment; no redirects).
    pub(crate) fn new() -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(DELIVERY_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .no_proxy()
            .build();
        match client {
            Ok(client) => Self {
                client: Some(client),
            },
            Err(error) => {
                tracing::error!(error = %error.without_url(), "no HTTP client for back-channel logout");
                Self { client: None }
            }
        }
    }

    /// Delivers one logout token.
    ///
    /// # Errors
    /// [`DeliveryError`] when the request fails or is not answered with a 2xx status.
    pub(crate) async fn deliver(&self, logout: &BackchannelLogout) -> Result<(), DeliveryError> {
        let client = self.client.as_ref().ok_or(DeliveryError::NoClient)?;
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("logout_token", &logout.logout_token)
            .finish();
        let response = client
            .post(logout.uri.as_str())
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body)
            .send()
            .await
            .map_err(|error| DeliveryError::Request(error.without_url()))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(DeliveryError::Status {
                status: status.as_u16(),
            })
        }
    }

    /// Delivers every token concurrently, logging each outcome; the results in the order of
    /// `logouts`.
    pub(crate) async fn deliver_all(
        &self,
        logouts: Vec<BackchannelLogout>,
    ) -> Vec<(ClientId, Result<(), DeliveryError>)> {
        let mut tasks = tokio::task::JoinSet::new();
        for (index, logout) in logouts.into_iter().enumerate() {
            let sender = self.clone();
            tasks.spawn(async move {
                let result = sender.deliver(&logout).await;
                (index, logout.client_id, result)
            });
        }
        let mut results = Vec::with_capacity(tasks.len());
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok((index, client_id, result)) => {
                    match &result {
                        Ok(()) => tracing::info!(
                            client_id = client_id.as_str(),
                            "back-channel logout delivered"
                        ),
                        Err(error) => tracing::warn!(
                            client_id = client_id.as_str(),
                            error = %error,
                            source = ?std::error::Error::source(error).map(ToString::to_string),
                            "back-channel logout failed"
                        ),
                    }
                    results.push((index, client_id, result));
                }
                Err(error) => tracing::error!(error = %error, "back-channel logout task failed"),
            }
        }
        results.sort_by_key(|(index, _, _)| *index);
        results
            .into_iter()
            .map(|(_, client_id, result)| (client_id, result))
            .collect()
    }

    /// Delivers every token in the background (the browser does not wait). Outside a Tokio
    /// runtime nothing can run: the tokens are dropped and that is logged.
    pub(crate) fn spawn(&self, logouts: Vec<BackchannelLogout>) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::error!(
                count = logouts.len(),
                "no runtime to deliver back-channel logouts"
            );
            return;
        };
        let sender = self.clone();
        runtime.spawn(async move {
            sender.deliver_all(logouts).await;
        });
    }
}
