//! Fetching clients' `jwks_uri` documents over HTTP, for [`ClientKeys`](crate::client::keys).

use std::time::Duration;

use async_trait::async_trait;

use crate::client::keys::{FetchError, JwksFetcher, JwksUri, MAX_CLIENT_JWKS_BYTES};

/// The whole fetch, connection included.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// Establishing the connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// Fetches JWK Sets with a short timeout, no redirects followed (a redirect could point the
/// provider anywhere), no proxy from the environment, and a size bound.
#[derive(Debug, Clone)]
pub struct HttpJwksFetcher {
    client: Option<reqwest::Client>,
}

impl HttpJwksFetcher {
    /// A fetcher. If the HTTP client cannot be built (no TLS roots), every fetch fails.
    pub fn new() -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(FETCH_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .no_proxy()
            .build()
            .ok();
        Self { client }
    }
}

impl Default for HttpJwksFetcher {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait]
impl JwksFetcher for HttpJwksFetcher {
    async fn fetch(&self, uri: &JwksUri) -> Result<Vec<u8>, FetchError> {
        let client = self.client.as_ref().ok_or(FetchError::Unreachable)?;
        let mut response = client
            .get(uri.as_str())
            .header(
                reqwest::header::ACCEPT,
                "application/json, application/jwk-set+json",
            )
            .send()
            .await
            .map_err(|_| FetchError::Unreachable)?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(FetchError::Status(status));
        }
        if response
            .content_length()
            .is_some_and(|length| length > MAX_CLIENT_JWKS_BYTES as u64)
        {
            return Err(FetchError::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|_| FetchError::Unreachable)?
        {
            if body.len().saturating_add(chunk.len()) > MAX_CLIENT_JWKS_BYTES {
                return Err(FetchError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}
