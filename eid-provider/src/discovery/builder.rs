//! The builder of provider metadata, with the Swedish profile's defaults.

use eid_core::assurance::LevelOfAssurance;
use eid_core::claims::{Claim, Scope};
use eid_core::jose::JwsAlgorithm;

use super::metadata::Document;
use super::{DiscoveryError, Endpoint, Issuer, ProviderMetadata, UrlProblem};

/// Builds [`ProviderMetadata`]; every setting has the Swedish profile's default.
///
/// Defaults: every [`Endpoint`] at its [default path](Endpoint::default_path); PAR offered but
/// not required; scopes: every [`Scope`]; claims: `sub`, `iss`, `aud`, `exp`, `iat`,
/// `auth_time`, `nonce`, `acr`, `amr`, `sid`, `txn` and every [`Claim`]; ID token and UserInfo
/// signed with ES256 (set the key ring's algorithms); request objects and client assertions
/// signed with RS256, ES256, PS256 or EdDSA; client authentication `private_key_jwt` only
/// (SC-OIDC §2.3.1); `request` by value but no `request_uri` fetching; subject type `public`; no `acr` values; grant `authorization_code`;
/// response mode `query`; UI locales `sv`, `en`; back-channel logout with `sid`; no
/// front-channel logout; no `https://id.oidc.se/disco/…` flag.
#[derive(Clone, Debug)]
#[must_use]
pub struct MetadataBuilder {
    issuer: Issuer,
    paths: [String; 8],
    offered: [bool; 8],
    settings: Defaults,
}

/// The settable lists and flags.
#[derive(Clone, Debug)]
struct Defaults {
    scopes: Vec<String>,
    claims: Vec<String>,
    id_token_algorithms: Vec<JwsAlgorithm>,
    userinfo_algorithms: Vec<JwsAlgorithm>,
    request_object_algorithms: Vec<JwsAlgorithm>,
    client_assertion_algorithms: Vec<JwsAlgorithm>,
    auth_methods: Vec<String>,
    subject_types: Vec<String>,
    grant_types: Vec<String>,
    acr_values: Vec<LevelOfAssurance>,
    require_par: bool,
    request_uri_parameter: bool,
    service_documentation: Option<String>,
    user_message_mime_types: Option<Vec<String>>,
    authn_provider: bool,
    original_client_id: bool,
    original_client_token: bool,
}

/// The registered claims an ID token may carry besides identity claims.
const PROTOCOL_CLAIMS: [&str; 11] = [
    "sub",
    "iss",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "acr",
    "amr",
    "sid",
    "txn",
];

/// Client-assertion and request-object algorithms (RFC 7523 allow-list of the provider).
const ASSERTION_ALGORITHMS: [JwsAlgorithm; 4] = [
    JwsAlgorithm::Rs256,
    JwsAlgorithm::Es256,
    JwsAlgorithm::Ps256,
    JwsAlgorithm::EdDsa,
];

impl MetadataBuilder {
    pub(super) fn new(issuer: Issuer) -> Self {
        Self {
            issuer,
            paths: Endpoint::ALL.map(|endpoint| endpoint.default_path().to_owned()),
            offered: [true; 8],
            settings: Defaults {
                scopes: Scope::ALL.iter().map(|s| s.as_str().to_owned()).collect(),
                claims: PROTOCOL_CLAIMS
                    .iter()
                    .map(|&c| c.to_owned())
                    .chain(Claim::ALL.iter().map(|c| c.name().to_owned()))
                    .collect(),
                id_token_algorithms: vec![JwsAlgorithm::Es256],
                userinfo_algorithms: vec![JwsAlgorithm::Es256],
                request_object_algorithms: ASSERTION_ALGORITHMS.to_vec(),
                client_assertion_algorithms: ASSERTION_ALGORITHMS.to_vec(),
                auth_methods: vec!["private_key_jwt".to_owned()],
                subject_types: vec!["public".to_owned()],
                grant_types: vec!["authorization_code".to_owned()],
                acr_values: Vec::new(),
                require_par: false,
                request_uri_parameter: false,
                service_documentation: None,
                user_message_mime_types: None,
                authn_provider: false,
                original_client_id: false,
                original_client_token: false,
            },
        }
    }

    /// Serves `endpoint` at `path` under the issuer (`path` starts with `/`).
    pub fn endpoint(mut self, endpoint: Endpoint, path: &str) -> Self {
        if let Some(slot) = self.paths.get_mut(endpoint.index()) {
            *slot = path.to_owned();
        }
        self
    }

    /// Leaves an optional endpoint (PAR, end session, revocation, introspection) out of the
    /// document. The required ones (authorization, token, UserInfo, JWKS) stay.
    pub fn without(mut self, endpoint: Endpoint) -> Self {
        let optional = !matches!(
            endpoint,
            Endpoint::Authorization | Endpoint::Token | Endpoint::UserInfo | Endpoint::Jwks
        );
        if optional && let Some(slot) = self.offered.get_mut(endpoint.index()) {
            *slot = false;
        }
        self
    }

    /// `require_pushed_authorization_requests` (FAPI 2.0).
    pub fn require_pushed_authorization_requests(mut self, required: bool) -> Self {
        self.settings.require_par = required;
        self
    }

    /// `request_uri_parameter_supported`: whether the authorization endpoint fetches Request
    /// Objects from a client's `request_uri` (OpenID Connect Core §6.2). Default `false`: the
    /// `request_uri` of a pushed authorization request (RFC 9126) does not depend on it, and
    /// conformance expects `request_uri_not_supported` when it is `false`.
    pub fn request_uri_parameter_supported(mut self, supported: bool) -> Self {
        self.settings.request_uri_parameter = supported;
        self
    }

    /// `scopes_supported`.
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.settings.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// `claims_supported`.
    pub fn claims(mut self, claims: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.settings.claims = claims.into_iter().map(Into::into).collect();
        self
    }

    /// `id_token_signing_alg_values_supported` (the key ring's
    /// [`algorithms`](crate::keys::KeyRing::algorithms)).
    pub fn id_token_signing_algorithms(mut self, algorithms: Vec<JwsAlgorithm>) -> Self {
        self.settings.id_token_algorithms = algorithms;
        self
    }

    /// `userinfo_signing_alg_values_supported`.
    pub fn userinfo_signing_algorithms(mut self, algorithms: Vec<JwsAlgorithm>) -> Self {
        self.settings.userinfo_algorithms = algorithms;
        self
    }

    /// `request_object_signing_alg_values_supported`.
    pub fn request_object_signing_algorithms(mut self, algorithms: Vec<JwsAlgorithm>) -> Self {
        self.settings.request_object_algorithms = algorithms;
        self
    }

    /// `token_endpoint_auth_signing_alg_values_supported` (must keep RS256 and ES256).
    pub fn client_assertion_algorithms(mut self, algorithms: Vec<JwsAlgorithm>) -> Self {
        self.settings.client_assertion_algorithms = algorithms;
        self
    }

    /// `token_endpoint_auth_methods_supported` (must keep `private_key_jwt`; add
    /// `client_secret_basic` only for a conformance client, standards.md §9.1).
    pub fn token_endpoint_auth_methods(
        mut self,
        methods: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.settings.auth_methods = methods.into_iter().map(Into::into).collect();
        self
    }

    /// Adds `pairwise` to `subject_types_supported` (OIDC-SE: SHOULD).
    pub fn pairwise_subjects(mut self) -> Self {
        if !self.settings.subject_types.iter().any(|t| t == "pairwise") {
            self.settings.subject_types.push("pairwise".to_owned());
        }
        self
    }

    /// Adds `refresh_token` to `grant_types_supported`.
    pub fn refresh_tokens(mut self) -> Self {
        if !self
            .settings
            .grant_types
            .iter()
            .any(|t| t == "refresh_token")
        {
            self.settings.grant_types.push("refresh_token".to_owned());
        }
        self
    }

    /// `acr_values_supported`.
    pub fn acr_values(mut self, levels: Vec<LevelOfAssurance>) -> Self {
        self.settings.acr_values = levels;
        self
    }

    /// `service_documentation` (SC-OIDC §2.1: SHOULD).
    pub fn service_documentation(mut self, url: impl Into<String>) -> Self {
        self.settings.service_documentation = Some(url.into());
        self
    }

    /// Supports the `userMessage` parameter with these MIME types
    /// (`https://id.oidc.se/disco/userMessageSupported` and `…SupportedMimeTypes`).
    pub fn user_message_supported(
        mut self,
        mime_types: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.settings.user_message_mime_types =
            Some(mime_types.into_iter().map(Into::into).collect());
        self
    }

    /// `https://id.oidc.se/disco/authnProviderSupported` (SC-OIDC §2.2.3: a proxy OP MUST
    /// publish it when it supports `authnProvider`).
    pub fn authn_provider_supported(mut self, supported: bool) -> Self {
        self.settings.authn_provider = supported;
        self
    }

    /// `https://id.oidc.se/disco/originalClientIdSupported`.
    pub fn original_client_id_supported(mut self, supported: bool) -> Self {
        self.settings.original_client_id = supported;
        self
    }

    /// `https://id.oidc.se/disco/originalClientTokenSupported`.
    pub fn original_client_token_supported(mut self, supported: bool) -> Self {
        self.settings.original_client_token = supported;
        self
    }

    /// The document.
    ///
    /// # Errors
    ///
    /// [`DiscoveryError::InvalidEndpoint`] for a path that does not start with `/` or does not
    /// make a valid URL,
    /// [`DiscoveryError::MissingValue`] or [`DiscoveryError::ForbiddenValue`] for a list the
    /// profile does not allow (`scopes` without `openid`, auth methods without
    /// `private_key_jwt`, no ID token algorithm, …).
    pub fn build(self) -> Result<ProviderMetadata, DiscoveryError> {
        for endpoint in Endpoint::ALL {
            let path = self.paths.get(endpoint.index());
            if !path.is_some_and(|path| path.starts_with('/')) {
                return Err(DiscoveryError::InvalidEndpoint {
                    field: endpoint.field(),
                    problem: UrlProblem::PathNotAbsolute,
                });
            }
        }
        let url = |endpoint: Endpoint| {
            self.paths
                .get(endpoint.index())
                .map(|path| self.issuer.endpoint(path))
                .unwrap_or_default()
        };
        let optional = |endpoint: Endpoint| {
            self.offered
                .get(endpoint.index())
                .copied()
                .unwrap_or(false)
                .then(|| url(endpoint))
        };
        let d = &self.settings;
        let flag = |on: bool| on.then_some(true);
        let document = Document {
            issuer: self.issuer.clone(),
            authorization_endpoint: url(Endpoint::Authorization),
            token_endpoint: url(Endpoint::Token),
            userinfo_endpoint: url(Endpoint::UserInfo),
            jwks_uri: url(Endpoint::Jwks),
            pushed_authorization_request_endpoint: optional(Endpoint::PushedAuthorizationRequest),
            require_pushed_authorization_requests: d.require_par,
            end_session_endpoint: optional(Endpoint::EndSession),
            revocation_endpoint: optional(Endpoint::Revocation),
            introspection_endpoint: optional(Endpoint::Introspection),
            scopes_supported: d.scopes.clone(),
            response_types_supported: vec!["code".to_owned()],
            response_modes_supported: vec!["query".to_owned()],
            grant_types_supported: d.grant_types.clone(),
            subject_types_supported: d.subject_types.clone(),
            id_token_signing_alg_values_supported: d.id_token_algorithms.clone(),
            userinfo_signing_alg_values_supported: d.userinfo_algorithms.clone(),
            request_object_signing_alg_values_supported: d.request_object_algorithms.clone(),
            token_endpoint_auth_methods_supported: d.auth_methods.clone(),
            token_endpoint_auth_signing_alg_values_supported: d.client_assertion_algorithms.clone(),
            code_challenge_methods_supported: vec!["S256".to_owned()],
            claims_parameter_supported: true,
            request_parameter_supported: true,
            request_uri_parameter_supported: self.settings.request_uri_parameter,
            require_request_uri_registration: true,
            acr_values_supported: d.acr_values.clone(),
            claim_types_supported: vec!["normal".to_owned()],
            claims_supported: d.claims.clone(),
            ui_locales_supported: vec!["sv".to_owned(), "en".to_owned()],
            service_documentation: d.service_documentation.clone(),
            authorization_response_iss_parameter_supported: true,
            backchannel_logout_supported: true,
            backchannel_logout_session_supported: true,
            frontchannel_logout_supported: false,
            frontchannel_logout_session_supported: false,
            user_message_supported: flag(d.user_message_mime_types.is_some()),
            user_message_supported_mime_types: d.user_message_mime_types.clone(),
            authn_provider_supported: flag(d.authn_provider),
            original_client_id_supported: flag(d.original_client_id),
            original_client_token_supported: flag(d.original_client_token),
        };
        ProviderMetadata::try_from(document)
    }
}
