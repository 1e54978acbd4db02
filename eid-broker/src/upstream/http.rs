//! The HTTP client of one upstream: reqwest with rustls, connect and request time limits, no
//! redirects, no system proxy, and a size limit on every response body.
//!
//! It implements openidconnect's [`AsyncHttpClient`], so the crate's token request runs on it
//! with the same limits as the broker's own discovery, key, PAR and UserInfo calls.

use std::future::Future;
use std::pin::Pin;

use openidconnect::http;
use openidconnect::{AsyncHttpClient, HttpRequest, HttpResponse};

use super::config::Timeouts;
use super::error::{HttpFailure, UpstreamConfigError};

/// The largest response body read from an upstream (metadata, tokens, UserInfo).
pub(crate) const MAX_BODY_BYTES: usize = 256 * 1024;

/// An HTTP client for one upstream.
#[derive(Clone, Debug)]
pub(crate) struct UpstreamHttp {
    client: reqwest::Client,
}

/// An HTTP failure as openidconnect's client trait needs it (an error type).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct HttpError(pub(crate) HttpFailure);

impl UpstreamHttp {
    pub(crate) fn new(timeouts: &Timeouts) -> Result<Self, UpstreamConfigError> {
        let client = reqwest::Client::builder()
            .connect_timeout(timeouts.connect())
            .timeout(timeouts.request())
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .map_err(|_| UpstreamConfigError::HttpClient)?;
        Ok(Self { client })
    }

    /// Sends `request` and reads at most [`MAX_BODY_BYTES`] of the answer, whatever its status.
    pub(crate) async fn send(&self, request: HttpRequest) -> Result<HttpResponse, HttpFailure> {
        let request = reqwest::Request::try_from(request).map_err(|_| HttpFailure::Transport)?;
        let mut response = self.client.execute(request).await.map_err(classify)?;
        if response
            .content_length()
            .is_some_and(|len| len > MAX_BODY_BYTES as u64)
        {
            return Err(HttpFailure::TooLarge {
                max: MAX_BODY_BYTES,
            });
        }
        let mut builder = http::Response::builder().status(response.status());
        for (name, value) in response.headers() {
            builder = builder.header(name, value);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len().saturating_add(chunk.len()) > MAX_BODY_BYTES {
                return Err(HttpFailure::TooLarge {
                    max: MAX_BODY_BYTES,
                });
            }
            body.extend_from_slice(&chunk);
        }
        builder.body(body).map_err(|_| HttpFailure::Transport)
    }

    /// Sends `request` and returns the body of a 200 answer.
    pub(crate) async fn send_ok(&self, request: HttpRequest) -> Result<Vec<u8>, HttpFailure> {
        let response = self.send(request).await?;
        if response.status() != http::StatusCode::OK {
            return Err(HttpFailure::Status {
                status: response.status().as_u16(),
            });
        }
        Ok(response.into_body())
    }
}

impl<'c> AsyncHttpClient<'c> for UpstreamHttp {
    type Error = HttpError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let response = self.send(request).await.map_err(HttpError)?;
            // An overloaded or paused upstream (429, 503) answers with whatever page its load
            // balancer has: report the status itself, so that the e-service hears
            // `temporarily_unavailable` rather than an unreadable response.
            match response.status().as_u16() {
                status @ (429 | 503) => Err(HttpError(HttpFailure::Status { status })),
                _ => Ok(response),
            }
        })
    }
}

/// What kind of failure a reqwest error is (its text, which names the URL, is not kept).
fn classify(error: reqwest::Error) -> HttpFailure {
    if error.is_timeout() {
        HttpFailure::Timeout
    } else if error.is_connect() {
        HttpFailure::Connect
    } else {
        HttpFailure::Transport
    }
}

/// A GET request accepting JSON.
pub(crate) fn get_json(url: &str) -> Result<HttpRequest, HttpFailure> {
    http::Request::builder()
        .method(http::Method::GET)
        .uri(url)
        .header(http::header::ACCEPT, "application/json")
        .body(Vec::new())
        .map_err(|_| HttpFailure::Transport)
}
