//! The upstream's metadata and keys, fetched and cached.
//!
//! Metadata is read into openidconnect's [`ProviderMetadata`] with the fields it lacks (PAR,
//! RFC 9207, end-session) as additional metadata; its `issuer` must equal the configured issuer
//! exactly. Metadata and keys are kept for `metadata_ttl_secs`; a stale copy is used when a
//! refresh fails. An ID token naming an unknown `kid` makes the keys be fetched again, at most
//! once per `jwks_min_refresh_secs` (the time comes from the injected clock).

use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use eid_core::clock::UnixTime;
use eid_core::jose::{Jwks, JwsAlgorithm};
use eid_core::verify::{IdTokenError, IdTokenVerifier};
use openidconnect::core::{
    CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClientAuthMethod, CoreGrantType,
    CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm,
    CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{AdditionalProviderMetadata, ProviderMetadata};
use serde::{Deserialize, Serialize};
use url::Url;

use super::config::{ParMode, is_secure};
use super::error::{Endpoint, MetadataProblem, UpstreamError};
use super::http::{UpstreamHttp, get_json};

/// The metadata fields openidconnect's core metadata does not have.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub(crate) struct Extras {
    /// RFC 9126 §5.
    pushed_authorization_request_endpoint: Option<String>,
    /// RFC 9126 §5.
    require_pushed_authorization_requests: Option<bool>,
    /// RFC 9207 §3.
    authorization_response_iss_parameter_supported: Option<bool>,
    /// OpenID Connect RP-Initiated Logout 1.0 §2.1.
    end_session_endpoint: Option<String>,
    /// RFC 8414 §2.
    code_challenge_methods_supported: Option<Vec<String>>,
}

impl AdditionalProviderMetadata for Extras {}

/// Provider metadata as openidconnect reads it, with [`Extras`].
pub(crate) type Metadata = ProviderMetadata<
    Extras,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// The endpoints and flags the connector uses of the metadata.
#[derive(Clone, Debug)]
pub(crate) struct Endpoints {
    pub(crate) authorization: Url,
    pub(crate) token: Url,
    pub(crate) userinfo: Option<Url>,
    /// Set when PAR is to be used.
    pub(crate) par: Option<Url>,
    pub(crate) end_session: Option<Url>,
    /// Whether the upstream advertises `iss` in its authorization responses (RFC 9207).
    pub(crate) iss_parameter_supported: bool,
    jwks_uri: String,
}

/// The metadata and keys, at one time.
#[derive(Debug)]
pub(crate) struct Snapshot {
    pub(crate) endpoints: Endpoints,
    /// The verifier for the current keys, without a nonce.
    pub(crate) verifier: IdTokenVerifier,
    fetched_at: UnixTime,
    keys_fetched_at: UnixTime,
}

/// What discovery needs to know of the configuration.
#[derive(Debug)]
pub(crate) struct DiscoveryConfig {
    pub(crate) issuer: String,
    pub(crate) client_id: String,
    pub(crate) algorithms: Vec<JwsAlgorithm>,
    pub(crate) par: ParMode,
    pub(crate) userinfo: bool,
    pub(crate) metadata_ttl: Duration,
    pub(crate) jwks_min_refresh: Duration,
}

/// The cache of one upstream's metadata and keys.
#[derive(Debug)]
pub(crate) struct Discovery {
    config: DiscoveryConfig,
    current: RwLock<Option<Arc<Snapshot>>>,
    /// One refresh at a time; holds when the last refresh failed.
    refreshing: tokio::sync::Mutex<Option<UnixTime>>,
}

impl Discovery {
    pub(crate) fn new(config: DiscoveryConfig) -> Self {
        Self {
            config,
            current: RwLock::new(None),
            refreshing: tokio::sync::Mutex::new(None),
        }
    }

    fn current(&self) -> Option<Arc<Snapshot>> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn store(&self, snapshot: Arc<Snapshot>) {
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Some(snapshot);
    }

    fn is_fresh(&self, snapshot: &Snapshot, now: UnixTime) -> bool {
        now.duration_since(snapshot.fetched_at)
            .is_some_and(|age| age < self.config.metadata_ttl)
    }

    /// The metadata and keys, fetched when there are none or they are older than the TTL. A
    /// failed refresh falls back to the stale copy, if there is one, and is not tried again
    /// for `jwks_min_refresh` (so an upstream that is down does not hold every login up for
    /// its time limit).
    ///
    /// # Errors
    ///
    /// When nothing is cached and fetching fails.
    pub(crate) async fn snapshot(
        &self,
        http: &UpstreamHttp,
        now: UnixTime,
    ) -> Result<Arc<Snapshot>, UpstreamError> {
        if let Some(snapshot) = self.current()
            && self.is_fresh(&snapshot, now)
        {
            return Ok(snapshot);
        }
        let mut failed_at = self.refreshing.lock().await;
        let stale = self.current();
        if let Some(snapshot) = &stale {
            let failed_recently = failed_at.is_some_and(|failed| {
                now.duration_since(failed)
                    .is_some_and(|age| age < self.config.jwks_min_refresh)
            });
            if self.is_fresh(snapshot, now) || failed_recently {
                return Ok(Arc::clone(snapshot));
            }
        }
        match self.fetch(http, now).await {
            Ok(snapshot) => {
                *failed_at = None;
                let snapshot = Arc::new(snapshot);
                self.store(Arc::clone(&snapshot));
                Ok(snapshot)
            }
            Err(error) => {
                *failed_at = Some(now);
                stale.ok_or(error)
            }
        }
    }

    /// After an unknown `kid`: the keys fetched again, unless they were fetched less than
    /// `jwks_min_refresh` ago (then `None`). If another task refreshed meanwhile, its result.
    ///
    /// # Errors
    ///
    /// When fetching the keys fails.
    pub(crate) async fn refresh_keys(
        &self,
        http: &UpstreamHttp,
        seen: &Arc<Snapshot>,
        now: UnixTime,
    ) -> Result<Option<Arc<Snapshot>>, UpstreamError> {
        let _guard = self.refreshing.lock().await;
        let Some(current) = self.current() else {
            return Ok(None);
        };
        if !Arc::ptr_eq(&current, seen) {
            return Ok(Some(current));
        }
        let recent = now
            .duration_since(current.keys_fetched_at)
            .is_none_or(|age| age < self.config.jwks_min_refresh);
        if recent {
            return Ok(None);
        }
        let verifier = self.fetch_keys(http, &current.endpoints.jwks_uri).await?;
        let snapshot = Arc::new(Snapshot {
            endpoints: current.endpoints.clone(),
            verifier,
            fetched_at: current.fetched_at,
            keys_fetched_at: now,
        });
        self.store(Arc::clone(&snapshot));
        Ok(Some(snapshot))
    }

    async fn fetch(&self, http: &UpstreamHttp, now: UnixTime) -> Result<Snapshot, UpstreamError> {
        let url = format!(
            "{}/.well-known/openid-configuration",
            self.config.issuer.trim_end_matches('/')
        );
        let body = http
            .send_ok(get_json(&url).map_err(|failure| http_error(Endpoint::Discovery, failure))?)
            .await
            .map_err(|failure| http_error(Endpoint::Discovery, failure))?;
        let metadata: Metadata = serde_json::from_slice(&body)
            .map_err(|_| UpstreamError::Metadata(MetadataProblem::Malformed))?;
        let endpoints = self.read_metadata(&metadata)?;
        let verifier = self.fetch_keys(http, &endpoints.jwks_uri).await?;
        Ok(Snapshot {
            endpoints,
            verifier,
            fetched_at: now,
            keys_fetched_at: now,
        })
    }

    /// Checks the metadata and takes what is used.
    fn read_metadata(&self, metadata: &Metadata) -> Result<Endpoints, UpstreamError> {
        let problem = |problem| UpstreamError::Metadata(problem);
        if metadata.issuer().as_str() != self.config.issuer {
            return Err(problem(MetadataProblem::IssuerMismatch));
        }
        let extras = metadata.additional_metadata();
        let secure = |text: &str| -> Result<Url, UpstreamError> {
            let url = Url::parse(text).map_err(|_| problem(MetadataProblem::Malformed))?;
            if !is_secure(&url) {
                return Err(problem(MetadataProblem::InsecureEndpoint));
            }
            Ok(url)
        };
        let authorization_endpoint = secure(metadata.authorization_endpoint().as_str())?;
        let token_endpoint = secure(
            metadata
                .token_endpoint()
                .ok_or(problem(MetadataProblem::NoTokenEndpoint))?
                .as_str(),
        )?;
        let userinfo_endpoint = metadata
            .userinfo_endpoint()
            .map(|url| secure(url.as_str()))
            .transpose()?;
        if self.config.userinfo && userinfo_endpoint.is_none() {
            return Err(problem(MetadataProblem::NoUserInfoEndpoint));
        }
        let jwks_uri = secure(metadata.jwks_uri().as_str())?.to_string();
        if let Some(methods) = &extras.code_challenge_methods_supported
            && !methods.iter().any(|method| method == "S256")
        {
            return Err(problem(MetadataProblem::NoPkceS256));
        }
        let offered_par = extras
            .pushed_authorization_request_endpoint
            .as_deref()
            .map(secure)
            .transpose()?;
        let required = extras.require_pushed_authorization_requests == Some(true);
        let par_endpoint = match (self.config.par, offered_par) {
            (ParMode::Never, _) if required => return Err(problem(MetadataProblem::ParRequired)),
            (ParMode::Never, _) => None,
            (ParMode::Always, None) => return Err(problem(MetadataProblem::NoParEndpoint)),
            (ParMode::Always | ParMode::Auto, offered) => offered,
        };
        if required && par_endpoint.is_none() {
            return Err(problem(MetadataProblem::NoParEndpoint));
        }
        let end_session_endpoint = extras
            .end_session_endpoint
            .as_deref()
            .map(secure)
            .transpose()?;
        Ok(Endpoints {
            authorization: authorization_endpoint,
            token: token_endpoint,
            userinfo: userinfo_endpoint,
            par: par_endpoint,
            end_session: end_session_endpoint,
            iss_parameter_supported: extras.authorization_response_iss_parameter_supported
                == Some(true),
            jwks_uri,
        })
    }

    async fn fetch_keys(
        &self,
        http: &UpstreamHttp,
        jwks_uri: &str,
    ) -> Result<IdTokenVerifier, UpstreamError> {
        let body = http
            .send_ok(get_json(jwks_uri).map_err(|failure| http_error(Endpoint::Jwks, failure))?)
            .await
            .map_err(|failure| http_error(Endpoint::Jwks, failure))?;
        let jwks = Jwks::from_json(&body).map_err(UpstreamError::Jwks)?;
        self.verifier(&jwks)
    }

    fn verifier(&self, jwks: &Jwks) -> Result<IdTokenVerifier, UpstreamError> {
        IdTokenVerifier::new(
            &self.config.issuer,
            &self.config.client_id,
            jwks,
            &self.config.algorithms,
        )
        .map_err(|error| match error {
            IdTokenError::NoUsableKey => UpstreamError::JwksNoUsableKey,
            other => UpstreamError::IdToken(other),
        })
    }
}

pub(crate) fn http_error(endpoint: Endpoint, failure: super::error::HttpFailure) -> UpstreamError {
    UpstreamError::Http { endpoint, failure }
}
