//! The upstream connector: an OpenID Connect relying party to one upstream eID provider.
//!
//! Built on the `openidconnect` crate (provider metadata, authorization requests with PKCE,
//! the code exchange and client authentication) over reqwest with rustls; ID tokens are
//! verified by [`eid_core::verify`], so that every check of the conformance suite's Basic RP
//! plan (standards.md §9.3) fails with its own reason.
//!
//! - [`UpstreamConfig`]: issuer, client, authentication, scopes, algorithm allow-list (default
//!   ES256 and RS256), the [`AcrMapping`] both ways, PAR, timeouts, caches, end-session.
//! - [`Upstream::begin`] takes an [`Ask`] (the broker's levels, hints) and gives the upstream
//!   URL and an [`UpstreamState`] for the broker's store. The client's own `acr_values` never
//!   reach the upstream: only the mapped values of the levels that satisfy the requirement.
//! - [`Upstream::finish`] takes the callback's [`CallbackParams`] and the state and gives an
//!   [`UpstreamLogin`], or an [`UpstreamError`] whose
//!   [`oauth_error_code`](UpstreamError::oauth_error_code) is what the e-service is told.
//! - [`Upstream::end_session_url`] for RP-initiated logout at the upstream.
//!
//! Discovery metadata and keys are cached; an unknown `kid` fetches the keys again at most once
//! per `jwks_min_refresh_secs`. Time comes from the injected [`Clock`]; nothing here reads the
//! system clock.
//!
//! ```no_run
//! # async fn login(redirect: url::Url) -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//!
//! use eid_broker::upstream::{
//!     AcrEntry, AcrMapping, Ask, CallbackParams, ClientAuthConfig, ClientSecret, Upstream,
//!     UpstreamConfig,
//! };
//! use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
//! use eid_core::clock::SystemClock;
//!
//! let acr = AcrMapping::new(vec![AcrEntry::new(
//!     LevelOfAssurance::Loa3,
//!     "http://id.elegnamnden.se/loa/1.0/loa3",
//! )])?;
//! let config = UpstreamConfig::new(
//!     "bankid",
//!     "https://bankid-oidc.example",
//!     "broker",
//!     redirect,
//!     ClientAuthConfig::ClientSecretBasic { secret: ClientSecret::new("s3cret") },
//!     acr,
//! );
//! let upstream = Upstream::new(config, std::path::Path::new("."), Arc::new(SystemClock))?;
//! let ask = Ask::new(Requirement::new(vec![LevelOfAssurance::Loa3], Matching::Minimum)?);
//! let start = upstream.begin(&ask).await?;
//! // Send the person to `start.url`; keep `start.state` until the callback.
//! let callback = CallbackParams::default(); // read from the callback's query
//! let login = upstream.finish(&callback, &start.state).await?;
//! assert_eq!(login.level, LevelOfAssurance::Loa3);
//! # Ok(())
//! # }
//! # let _ = login;
//! ```

mod acr;
mod authorization;
mod callback;
mod client;
mod config;
mod discovery;
mod error;
mod http;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use eid_core::assurance::Requirement;
use eid_core::clock::Clock;
use url::Url;

pub use acr::{AcrEntry, AcrMapping};
pub use authorization::{Ask, AuthorizationStart, Prompt, UpstreamState};
pub use callback::{CallbackParams, UpstreamLogin};
pub use config::{
    CacheConfig, ClientAuthConfig, ClientCredentials, ClientSecret, DisplayNames, OPENID_SCOPE,
    ParMode, Timeouts, UpstreamConfig,
};
pub use error::{Endpoint, HttpFailure, MetadataProblem, UpstreamConfigError, UpstreamError};

use discovery::{Discovery, DiscoveryConfig};
use http::UpstreamHttp;

/// One upstream eID provider, as a relying party to it.
#[derive(Debug)]
pub struct Upstream {
    config: UpstreamConfig,
    credentials: ClientCredentials,
    clock: Arc<dyn Clock>,
    http: UpstreamHttp,
    discovery: Discovery,
}

impl Upstream {
    /// An upstream from its configuration; a `private_key_jwt` key file is read relative to
    /// `base` (the configuration file's directory). Nothing is fetched yet.
    ///
    /// # Errors
    ///
    /// [`UpstreamConfigError`] if the configuration is invalid or the key cannot be loaded.
    pub fn new(
        config: UpstreamConfig,
        base: &Path,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, UpstreamConfigError> {
        config.validate()?;
        let credentials = config.client_auth.load(base)?;
        Self::with_credentials(config, credentials, clock)
    }

    /// An upstream whose client credentials are already loaded (`client_auth` in `config` is
    /// then not used).
    ///
    /// # Errors
    ///
    /// [`UpstreamConfigError`] if the configuration is invalid.
    pub fn with_credentials(
        config: UpstreamConfig,
        credentials: ClientCredentials,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, UpstreamConfigError> {
        config.validate()?;
        let http = UpstreamHttp::new(&config.timeouts)?;
        let discovery = Discovery::new(DiscoveryConfig {
            issuer: config.issuer.clone(),
            client_id: config.client_id.clone(),
            algorithms: config.id_token_algorithms.clone(),
            par: config.par,
            userinfo: config.userinfo,
            metadata_ttl: Duration::from_secs(config.cache.metadata_ttl_secs),
            jwks_min_refresh: Duration::from_secs(config.cache.jwks_min_refresh_secs),
        });
        Ok(Self {
            config,
            credentials,
            clock,
            http,
            discovery,
        })
    }

    /// The upstream's id.
    pub fn id(&self) -> &str {
        &self.config.id
    }

    /// Its configuration.
    pub fn config(&self) -> &UpstreamConfig {
        &self.config
    }

    /// Whether some level this upstream is configured for satisfies `requirement` (the choice
    /// page lists only upstreams that can).
    pub fn can_meet(&self, requirement: &Requirement) -> bool {
        self.config.acr.can_meet(requirement)
    }

    /// Fetches the metadata and keys now (at start-up, or for a readiness check), unless a
    /// fresh copy is cached.
    ///
    /// # Errors
    ///
    /// Discovery and key failures.
    pub async fn discover(&self) -> Result<(), UpstreamError> {
        self.discovery
            .snapshot(&self.http, self.clock.now())
            .await
            .map(|_| ())
    }

    /// The URL of the upstream's end-session endpoint (OpenID Connect RP-Initiated Logout 1.0)
    /// with `id_token_hint`, `client_id`, and, when given, `post_logout_redirect_uri` and
    /// `state`.
    ///
    /// # Errors
    ///
    /// [`UpstreamError::EndSessionUnavailable`] if end-session is not configured for this
    /// upstream or it has no `end_session_endpoint`; discovery failures.
    pub async fn end_session_url(
        &self,
        id_token_hint: &str,
        post_logout_redirect_uri: Option<&Url>,
        state: Option<&str>,
    ) -> Result<Url, UpstreamError> {
        if !self.config.end_session {
            return Err(UpstreamError::EndSessionUnavailable);
        }
        let snapshot = self
            .discovery
            .snapshot(&self.http, self.clock.now())
            .await?;
        let mut url = snapshot
            .endpoints
            .end_session
            .clone()
            .ok_or(UpstreamError::EndSessionUnavailable)?;
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("id_token_hint", id_token_hint)
                .append_pair("client_id", &self.config.client_id);
            if let Some(uri) = post_logout_redirect_uri {
                query.append_pair("post_logout_redirect_uri", uri.as_str());
            }
            if let Some(state) = state {
                query.append_pair("state", state);
            }
        }
        Ok(url)
    }
}
