//! The provider metadata document and its builder.

use eid_core::assurance::LevelOfAssurance;
use eid_core::claims::{Claim, Scope};
use eid_core::jose::JwsAlgorithm;
use serde::{Deserialize, Serialize};

use super::issuer::check_url;
use super::{DiscoveryError, Issuer, UrlProblem};

/// The largest metadata document [`ProviderMetadata::from_json`] reads: 64 KiB.
pub const MAX_METADATA_JSON_BYTES: usize = 64 * 1024;

/// An endpoint of the provider, with its default path under the issuer.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `authorization_endpoint`, default `/authorize`.
    Authorization,
    /// `end_session_endpoint` (RP-initiated logout), default `/logout`.
    EndSession,
    /// `introspection_endpoint` (RFC 7662), default `/introspect`.
    Introspection,
    /// `jwks_uri`, default `/jwks`.
    Jwks,
    /// `pushed_authorization_request_endpoint` (RFC 9126), default `/par`.
    PushedAuthorizationRequest,
    /// `revocation_endpoint` (RFC 7009), default `/revoke`.
    Revocation,
    /// `token_endpoint`, default `/token`.
    Token,
    /// `userinfo_endpoint`, default `/userinfo`.
    UserInfo,
}

impl Endpoint {
    /// Every endpoint.
    pub const ALL: [Self; 8] = [
        Self::Authorization,
        Self::EndSession,
        Self::Introspection,
        Self::Jwks,
        Self::PushedAuthorizationRequest,
        Self::Revocation,
        Self::Token,
        Self::UserInfo,
    ];

    /// The default path under the issuer.
    pub const fn default_path(self) -> &'static str {
        match self {
            Self::Authorization => "/authorize",
            Self::EndSession => "/logout",
            Self::Introspection => "/introspect",
            Self::Jwks => "/jwks",
            Self::PushedAuthorizationRequest => "/par",
            Self::Revocation => "/revoke",
            Self::Token => "/token",
            Self::UserInfo => "/userinfo",
        }
    }

    /// The metadata field naming this endpoint.
    pub const fn field(self) -> &'static str {
        match self {
            Self::Authorization => "authorization_endpoint",
            Self::EndSession => "end_session_endpoint",
            Self::Introspection => "introspection_endpoint",
            Self::Jwks => "jwks_uri",
            Self::PushedAuthorizationRequest => "pushed_authorization_request_endpoint",
            Self::Revocation => "revocation_endpoint",
            Self::Token => "token_endpoint",
            Self::UserInfo => "userinfo_endpoint",
        }
    }

    fn index(self) -> usize {
        match self {
            Self::Authorization => 0,
            Self::EndSession => 1,
            Self::Introspection => 2,
            Self::Jwks => 3,
            Self::PushedAuthorizationRequest => 4,
            Self::Revocation => 5,
            Self::Token => 6,
            Self::UserInfo => 7,
        }
    }
}

/// The provider metadata document (OpenID Connect Discovery 1.0 §3, RFC 8414 §2), valid by
/// construction (see the [module documentation](super)).
///
/// Serialise it to publish it; build it with [`ProviderMetadata::builder`]; read one with
/// [`ProviderMetadata::from_json`] (or `Deserialize`, which applies the same checks but not
/// the issuer comparison).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Document", into = "Document")]
pub struct ProviderMetadata(Document);

/// The wire form. Field order follows OpenID Connect Discovery 1.0 §3.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Document {
    issuer: Issuer,
    authorization_endpoint: String,
    token_endpoint: String,
    userinfo_endpoint: String,
    jwks_uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pushed_authorization_request_endpoint: Option<String>,
    #[serde(default)]
    require_pushed_authorization_requests: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    end_session_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    revocation_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    introspection_endpoint: Option<String>,
    scopes_supported: Vec<String>,
    response_types_supported: Vec<String>,
    response_modes_supported: Vec<String>,
    grant_types_supported: Vec<String>,
    subject_types_supported: Vec<String>,
    id_token_signing_alg_values_supported: Vec<JwsAlgorithm>,
    userinfo_signing_alg_values_supported: Vec<JwsAlgorithm>,
    request_object_signing_alg_values_supported: Vec<JwsAlgorithm>,
    token_endpoint_auth_methods_supported: Vec<String>,
    token_endpoint_auth_signing_alg_values_supported: Vec<JwsAlgorithm>,
    code_challenge_methods_supported: Vec<String>,
    claims_parameter_supported: bool,
    request_parameter_supported: bool,
    request_uri_parameter_supported: bool,
    require_request_uri_registration: bool,
    acr_values_supported: Vec<LevelOfAssurance>,
    claim_types_supported: Vec<String>,
    claims_supported: Vec<String>,
    ui_locales_supported: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service_documentation: Option<String>,
    authorization_response_iss_parameter_supported: bool,
    backchannel_logout_supported: bool,
    backchannel_logout_session_supported: bool,
    frontchannel_logout_supported: bool,
    frontchannel_logout_session_supported: bool,
    #[serde(
        rename = "https://id.oidc.se/disco/userMessageSupported",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    user_message_supported: Option<bool>,
    #[serde(
        rename = "https://id.oidc.se/disco/userMessageSupportedMimeTypes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    user_message_supported_mime_types: Option<Vec<String>>,
    #[serde(
        rename = "https://id.oidc.se/disco/authnProviderSupported",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    authn_provider_supported: Option<bool>,
    #[serde(
        rename = "https://id.oidc.se/disco/originalClientIdSupported",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    original_client_id_supported: Option<bool>,
    #[serde(
        rename = "https://id.oidc.se/disco/originalClientTokenSupported",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    original_client_token_supported: Option<bool>,
}

impl ProviderMetadata {
    /// A builder for `issuer`'s metadata, with the defaults of the Swedish profile.
    pub fn builder(issuer: Issuer) -> MetadataBuilder {
        MetadataBuilder::new(issuer)
    }

    /// Reads provider metadata published by `expected_issuer` (OpenID Connect Discovery 1.0
    /// §4.3: the `issuer` must be exactly the URL used).
    ///
    /// # Errors
    ///
    /// [`DiscoveryError::TooLarge`] above [`MAX_METADATA_JSON_BYTES`],
    /// [`DiscoveryError::Json`] if it is not a metadata document (a required field missing, a
    /// bad issuer or algorithm), [`DiscoveryError::IssuerMismatch`], and the check errors of
    /// [`MetadataBuilder::build`].
    pub fn from_json(bytes: &[u8], expected_issuer: &Issuer) -> Result<Self, DiscoveryError> {
        if bytes.len() > MAX_METADATA_JSON_BYTES {
            return Err(DiscoveryError::TooLarge {
                size: bytes.len(),
                max: MAX_METADATA_JSON_BYTES,
            });
        }
        let document: Document = serde_json::from_slice(bytes).map_err(DiscoveryError::Json)?;
        if document.issuer != *expected_issuer {
            return Err(DiscoveryError::IssuerMismatch);
        }
        Self::try_from(document)
    }

    /// The issuer.
    pub fn issuer(&self) -> &Issuer {
        &self.0.issuer
    }

    /// `authorization_endpoint`.
    pub fn authorization_endpoint(&self) -> &str {
        &self.0.authorization_endpoint
    }

    /// `token_endpoint`.
    pub fn token_endpoint(&self) -> &str {
        &self.0.token_endpoint
    }

    /// `userinfo_endpoint`.
    pub fn userinfo_endpoint(&self) -> &str {
        &self.0.userinfo_endpoint
    }

    /// `jwks_uri`.
    pub fn jwks_uri(&self) -> &str {
        &self.0.jwks_uri
    }

    /// `pushed_authorization_request_endpoint`, if PAR is offered.
    pub fn pushed_authorization_request_endpoint(&self) -> Option<&str> {
        self.0.pushed_authorization_request_endpoint.as_deref()
    }

    /// `end_session_endpoint`, if RP-initiated logout is offered.
    pub fn end_session_endpoint(&self) -> Option<&str> {
        self.0.end_session_endpoint.as_deref()
    }

    /// `scopes_supported`.
    pub fn scopes_supported(&self) -> &[String] {
        &self.0.scopes_supported
    }

    /// `id_token_signing_alg_values_supported`.
    pub fn id_token_signing_algorithms(&self) -> &[JwsAlgorithm] {
        &self.0.id_token_signing_alg_values_supported
    }

    /// `acr_values_supported`.
    pub fn acr_values_supported(&self) -> &[LevelOfAssurance] {
        &self.0.acr_values_supported
    }
}

impl TryFrom<Document> for ProviderMetadata {
    type Error = DiscoveryError;

    fn try_from(document: Document) -> Result<Self, Self::Error> {
        check(&document)?;
        Ok(Self(document))
    }
}

impl From<ProviderMetadata> for Document {
    fn from(metadata: ProviderMetadata) -> Self {
        metadata.0
    }
}

/// The profile's rules (module documentation).
fn check(d: &Document) -> Result<(), DiscoveryError> {
    let endpoint = |field: &'static str, value: &str| {
        check_url(value, true)
            .map(|_| ())
            .map_err(|problem| DiscoveryError::InvalidEndpoint { field, problem })
    };
    endpoint("authorization_endpoint", &d.authorization_endpoint)?;
    endpoint("token_endpoint", &d.token_endpoint)?;
    endpoint("userinfo_endpoint", &d.userinfo_endpoint)?;
    endpoint("jwks_uri", &d.jwks_uri)?;
    let optional = [
        (
            "pushed_authorization_request_endpoint",
            &d.pushed_authorization_request_endpoint,
        ),
        ("end_session_endpoint", &d.end_session_endpoint),
        ("revocation_endpoint", &d.revocation_endpoint),
        ("introspection_endpoint", &d.introspection_endpoint),
        ("service_documentation", &d.service_documentation),
    ];
    for (field, value) in optional {
        if let Some(value) = value {
            endpoint(field, value)?;
        }
    }
    if d.require_pushed_authorization_requests && d.pushed_authorization_request_endpoint.is_none()
    {
        return Err(DiscoveryError::MissingValue {
            field: "pushed_authorization_request_endpoint",
            value: "a URL when PAR is required",
        });
    }
    let contains = |field: &'static str, list: &[String], value: &'static str| {
        if list.iter().any(|item| item == value) {
            Ok(())
        } else {
            Err(DiscoveryError::MissingValue { field, value })
        }
    };
    contains("scopes_supported", &d.scopes_supported, "openid")?;
    contains(
        "response_types_supported",
        &d.response_types_supported,
        "code",
    )?;
    contains(
        "subject_types_supported",
        &d.subject_types_supported,
        "public",
    )?;
    contains(
        "grant_types_supported",
        &d.grant_types_supported,
        "authorization_code",
    )?;
    contains(
        "token_endpoint_auth_methods_supported",
        &d.token_endpoint_auth_methods_supported,
        "private_key_jwt",
    )?;
    contains(
        "code_challenge_methods_supported",
        &d.code_challenge_methods_supported,
        "S256",
    )?;
    contains("ui_locales_supported", &d.ui_locales_supported, "sv")?;
    contains("ui_locales_supported", &d.ui_locales_supported, "en")?;
    if d.code_challenge_methods_supported
        .iter()
        .any(|m| m == "plain")
    {
        return Err(DiscoveryError::ForbiddenValue {
            field: "code_challenge_methods_supported",
            value: "plain",
        });
    }
    for (field, algorithm) in [
        (
            "token_endpoint_auth_signing_alg_values_supported",
            JwsAlgorithm::Rs256,
        ),
        (
            "token_endpoint_auth_signing_alg_values_supported",
            JwsAlgorithm::Es256,
        ),
    ] {
        if !d
            .token_endpoint_auth_signing_alg_values_supported
            .contains(&algorithm)
        {
            return Err(DiscoveryError::MissingValue {
                field,
                value: algorithm.as_str(),
            });
        }
    }
    if d.id_token_signing_alg_values_supported.is_empty() {
        return Err(DiscoveryError::MissingValue {
            field: "id_token_signing_alg_values_supported",
            value: "an algorithm",
        });
    }
    for (field, value) in [
        ("claims_parameter_supported", d.claims_parameter_supported),
        ("request_parameter_supported", d.request_parameter_supported),
        (
            "authorization_response_iss_parameter_supported",
            d.authorization_response_iss_parameter_supported,
        ),
    ] {
        if !value {
            return Err(DiscoveryError::WrongFlag {
                field,
                required: true,
            });
        }
    }
    Ok(())
}

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
    fn new(issuer: Issuer) -> Self {
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
