//! The [`Broker`]: the engine for e-services with the upstream [`Flow`] as its authenticator.

use std::collections::HashMap;
use std::sync::Arc;

use eid_core::clock::Clock;
use eid_provider::client::StaticClients;
use eid_provider::discovery::{Issuer, ProviderMetadata};
use eid_provider::keys::KeyRing;
use eid_provider::{Provider, ProviderConfig};

use crate::audit::Observers;
use crate::config::{BrokerConfig, SubjectKind, build_client};
use crate::flow::{Flow, FlowParts, MemoryFlows, Ui};
use crate::policy::{Policy, UpstreamLevels};
use crate::subject::{MemoryAccounts, SubjectMode, SubjectResolver, SubjectType};
use crate::upstream::Upstream;

/// Why a broker could not be built from a checked configuration.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum BrokerError {
    /// A client registration was refused.
    #[error("client {client}: {message}")]
    Client {
        /// The client id.
        client: String,
        /// What is wrong.
        message: String,
    },
    /// An upstream could not be set up.
    #[error("upstream {upstream}: {source}")]
    Upstream {
        /// The upstream id.
        upstream: String,
        /// Why.
        source: crate::upstream::UpstreamConfigError,
    },
    /// The engine refused its settings.
    #[error("provider: {0}")]
    Provider(String),
}

/// The browser's engine session cookie (named `name`), if any.
fn session_cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(cookie, _)| *cookie == name)
        .map(|(_, value)| value.to_owned())
}

/// The broker: see [the crate documentation](crate).
#[derive(Debug)]
pub struct Broker {
    provider: Arc<Provider>,
    flow: Arc<Flow>,
    issuer: String,
}

impl Broker {
    /// Builds the broker of `config`, reporting finished logins to `observers`.
    ///
    /// # Errors
    /// [`BrokerError`] when a part cannot be built.
    pub fn from_config(
        mut config: BrokerConfig,
        observers: Observers,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, BrokerError> {
        let issuer: Issuer =
            config
                .issuer
                .parse()
                .map_err(|e: eid_provider::discovery::DiscoveryError| {
                    BrokerError::Provider(e.to_string())
                })?;
        let mut upstreams = Vec::new();
        let mut levels = Vec::new();
        for upstream_config in &config.upstreams {
            levels.push(UpstreamLevels {
                id: upstream_config.id.clone(),
                issuer: upstream_config.issuer.clone(),
                acr: upstream_config.acr.clone(),
            });
            let upstream = Upstream::new(upstream_config.clone(), &config.base, Arc::clone(&clock))
                .map_err(|source| BrokerError::Upstream {
                    upstream: upstream_config.id.clone(),
                    source,
                })?;
            upstreams.push(Arc::new(upstream));
        }
        let mut policy = Policy::new(levels, config.equivalences.clone());
        let mut clients = Vec::new();
        let mut subject_types = HashMap::new();
        for client in &config.clients {
            let failed = |message: String| BrokerError::Client {
                client: client.client_id.clone(),
                message,
            };
            let client_policy = client
                .policy()
                .map_err(|(key, message)| failed(format!("{key}: {message}")))?;
            policy = policy.with_client(client.client_id.clone(), client_policy);
            clients.push(
                build_client(client, &config.base)
                    .map_err(|(key, message)| failed(format!("{key}: {message}")))?,
            );
            let kind = match client.subject {
                SubjectKind::Pairwise => SubjectType::Pairwise {
                    sector: client.sector(),
                },
                SubjectKind::Public => SubjectType::Public,
            };
            subject_types.insert(client.client_id.clone(), kind);
        }
        let registry = StaticClients::new(clients).map_err(|e| BrokerError::Client {
            client: String::new(),
            message: e.to_string(),
        })?;
        let keys = if config.ephemeral_keys {
            tracing::warn!(
                "DEVELOPMENT MODE: the signing keys are ephemeral, made at start-up and lost at \
                 exit; tokens cannot be verified after a restart"
            );
            KeyRing::ephemeral()
        } else {
            KeyRing::new(std::mem::take(&mut config.signing_keys))
        }
        .map_err(|e| BrokerError::Provider(e.to_string()))?;
        for client in &config.clients {
            let wanted = std::iter::once(client.id_token_signed_response_alg)
                .chain(client.userinfo_signed_response_alg);
            for algorithm in wanted {
                if keys.signer(algorithm).is_none() {
                    return Err(BrokerError::Client {
                        client: client.client_id.clone(),
                        message: format!("the broker has no {algorithm} signing key"),
                    });
                }
            }
        }
        let mut metadata = ProviderMetadata::builder(issuer.clone())
            .token_endpoint_auth_methods([
                "client_secret_basic",
                "client_secret_post",
                "private_key_jwt",
                "none",
            ])
            .id_token_signing_algorithms(keys.algorithms())
            .userinfo_signing_algorithms(keys.algorithms())
            .pairwise_subjects()
            .acr_values(policy.offered_levels())
            .authn_provider_supported(true);
        if config.clients.iter().any(|c| c.refresh_tokens) {
            metadata = metadata.refresh_tokens();
        }
        let metadata = metadata
            .build()
            .map_err(|e| BrokerError::Provider(e.to_string()))?;
        // In the no-store mode nothing about the person outlives the login: no account links
        // and no single sign-on session holding their claims.
        let mut engine = ProviderConfig::default();
        engine.sso_sessions = config.subject_mode != SubjectMode::NoStore;
        let provider = Arc::new(
            Provider::builder(metadata, Arc::new(registry), keys)
                .config(engine)
                .clock(Arc::clone(&clock))
                .build()
                .map_err(|e| BrokerError::Provider(e.to_string()))?,
        );
        let subjects = match config.subject_mode {
            SubjectMode::Store => SubjectResolver::with_store(
                config.subject_secret.clone(),
                Arc::new(MemoryAccounts::new()),
            ),
            SubjectMode::NoStore => SubjectResolver::without_store(config.subject_secret.clone()),
        };
        let issuer_path = url::Url::parse(issuer.as_str())
            .map(|url| url.path().trim_end_matches('/').to_owned())
            .unwrap_or_default();
        let ui = Ui {
            texts: config.ui.texts(),
            logos: config.ui.logos.clone(),
            stylesheet: format!("{issuer_path}/static/eid.css"),
        };
        let flow = Arc::new(Flow::new(FlowParts {
            policy,
            upstreams,
            subject_types,
            subjects,
            flows: Arc::new(MemoryFlows::new()),
            observers,
            clock,
            ui,
            secure_cookies: issuer.as_str().starts_with("https://"),
            issuer: issuer.as_str().to_owned(),
            session_ttl: provider.config().session_ttl,
            transaction_ttl: provider.config().transaction_ttl,
        }));
        Ok(Self {
            provider,
            flow,
            issuer: issuer.as_str().to_owned(),
        })
    }

    /// The whole broker app: the engine's endpoints, the choice page and the upstream
    /// callback.
    pub fn router(&self) -> axum::Router {
        let authenticator: Arc<dyn eid_provider::http::Authenticator> = self.flow.clone();
        let router = eid_provider::http::router(Arc::clone(&self.provider), authenticator);
        let end_session = self
            .provider
            .metadata()
            .end_session_endpoint()
            .and_then(|url| url::Url::parse(url).ok())
            .map(|url| url.path().to_owned());
        let Some(end_session) = end_session else {
            return router;
        };
        let flow = Arc::clone(&self.flow);
        let cookie = eid_provider::http::session_cookie_name(&self.issuer);
        router.layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                let flow = Arc::clone(&flow);
                let end_session = end_session.clone();
                let cookie = cookie.clone();
                async move {
                    if request.uri().path() != end_session {
                        return next.run(request).await;
                    }
                    let session = session_cookie(request.headers(), &cookie);
                    let response = next.run(request).await;
                    flow.propagate_logout(session.as_deref(), response).await
                }
            },
        ))
    }

    /// The issuer.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The engine.
    pub fn provider(&self) -> &Arc<Provider> {
        &self.provider
    }

    /// Whether every upstream's discovery metadata and keys can be fetched (for `/readyz`).
    pub async fn ready(&self) -> bool {
        for upstream in self.flow.upstreams() {
            if let Err(error) = upstream.discover().await {
                tracing::warn!(
                    upstream = upstream.id(),
                    reason = error.reason(),
                    "not ready"
                );
                return false;
            }
        }
        true
    }
}
