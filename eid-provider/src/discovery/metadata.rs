//! The provider metadata document and its endpoints.

use eid_core::assurance::LevelOfAssurance;
use eid_core::jose::JwsAlgorithm;
use serde::{Deserialize, Serialize};

use super::builder::MetadataBuilder;
use super::check::check;
use super::{DiscoveryError, Issuer};

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

    pub(super) fn index(self) -> usize {
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
pub(super) struct Document {
    pub(super) issuer: Issuer,
    pub(super) authorization_endpoint: String,
    pub(super) token_endpoint: String,
    pub(super) userinfo_endpoint: String,
    pub(super) jwks_uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) pushed_authorization_request_endpoint: Option<String>,
    #[serde(default)]
    pub(super) require_pushed_authorization_requests: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) end_session_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) revocation_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) introspection_endpoint: Option<String>,
    pub(super) scopes_supported: Vec<String>,
    pub(super) response_types_supported: Vec<String>,
    pub(super) response_modes_supported: Vec<String>,
    pub(super) grant_types_supported: Vec<String>,
    pub(super) subject_types_supported: Vec<String>,
    pub(super) id_token_signing_alg_values_supported: Vec<JwsAlgorithm>,
    pub(super) userinfo_signing_alg_values_supported: Vec<JwsAlgorithm>,
    pub(super) request_object_signing_alg_values_supported: Vec<JwsAlgorithm>,
    pub(super) token_endpoint_auth_methods_supported: Vec<String>,
    pub(super) token_endpoint_auth_signing_alg_values_supported: Vec<JwsAlgorithm>,
    pub(super) code_challenge_methods_supported: Vec<String>,
    pub(super) claims_parameter_supported: bool,
    pub(super) request_parameter_supported: bool,
    pub(super) request_uri_parameter_supported: bool,
    pub(super) require_request_uri_registration: bool,
    pub(super) acr_values_supported: Vec<LevelOfAssurance>,
    pub(super) claim_types_supported: Vec<String>,
    pub(super) claims_supported: Vec<String>,
    pub(super) ui_locales_supported: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) service_documentation: Option<String>,
    pub(super) authorization_response_iss_parameter_supported: bool,
    pub(super) backchannel_logout_supported: bool,
    pub(super) backchannel_logout_session_supported: bool,
    pub(super) frontchannel_logout_supported: bool,
    pub(super) frontchannel_logout_session_supported: bool,
    #[serde(
        rename = "https://id.oidc.se/disco/userMessageSupported",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub(super) user_message_supported: Option<bool>,
    #[serde(
        rename = "https://id.oidc.se/disco/userMessageSupportedMimeTypes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub(super) user_message_supported_mime_types: Option<Vec<String>>,
    #[serde(
        rename = "https://id.oidc.se/disco/authnProviderSupported",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub(super) authn_provider_supported: Option<bool>,
    #[serde(
        rename = "https://id.oidc.se/disco/originalClientIdSupported",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub(super) original_client_id_supported: Option<bool>,
    #[serde(
        rename = "https://id.oidc.se/disco/originalClientTokenSupported",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub(super) original_client_token_supported: Option<bool>,
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

    /// `revocation_endpoint`, if revocation (RFC 7009) is offered.
    pub fn revocation_endpoint(&self) -> Option<&str> {
        self.0.revocation_endpoint.as_deref()
    }

    /// `introspection_endpoint`, if introspection (RFC 7662) is offered.
    pub fn introspection_endpoint(&self) -> Option<&str> {
        self.0.introspection_endpoint.as_deref()
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
