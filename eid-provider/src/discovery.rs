//! Provider metadata: one document for OpenID Connect Discovery 1.0
//! (`/.well-known/openid-configuration`) and RFC 8414
//! (`/.well-known/oauth-authorization-server`), with what the Swedish OpenID Connect profile
//! adds (standards.md §1.3, §1.4, §2.3).
//!
//! [`ProviderMetadata::builder`] derives every endpoint from the [`Issuer`] and a path, so the
//! endpoints share the issuer's scheme and host. [`ProviderMetadata`] cannot exist without
//! passing the checks of the conformance suite's `oidcc-discovery-endpoint-verification`
//! (standards.md §9.1) and OIDC-SE §5.2: required fields present; `https` endpoints (`http`
//! only on a loopback host, for development and tests); `scopes_supported` ∋ `openid`;
//! `response_types_supported` ∋ `code`; `subject_types_supported` ∋ `public`;
//! `token_endpoint_auth_methods_supported` ∋ `private_key_jwt`;
//! `token_endpoint_auth_signing_alg_values_supported` ∋ `RS256`, `ES256`;
//! `code_challenge_methods_supported` ∋ `S256` ∌ `plain`; `claims_parameter_supported` and
//! `request_parameter_supported` true; `ui_locales_supported` ∋ `sv`, `en` (SC-OIDC §2.1).
//! [`ProviderMetadata::from_json`] applies the same checks to a document read from elsewhere,
//! and that its issuer is the one expected (the URL used).
//!
//! ```
//! use eid_core::jose::JwsAlgorithm;
//! use eid_provider::discovery::{Endpoint, Issuer, ProviderMetadata};
//!
//! let issuer: Issuer = "https://eid.example".parse()?;
//! let metadata = ProviderMetadata::builder(issuer.clone())
//!     .endpoint(Endpoint::Token, "/oauth2/token")
//!     .id_token_signing_algorithms(vec![JwsAlgorithm::Rs256, JwsAlgorithm::Es256])
//!     .authn_provider_supported(true)
//!     .build()?;
//! assert_eq!(metadata.token_endpoint(), "https://eid.example/oauth2/token");
//!
//! let json = serde_json::to_string(&metadata)?;
//! assert!(json.contains(r#""https://id.oidc.se/disco/authnProviderSupported":true"#));
//! let parsed = ProviderMetadata::from_json(json.as_bytes(), &issuer)?;
//! assert_eq!(parsed, metadata);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod builder;
mod check;
mod error;
mod issuer;
mod metadata;

pub use builder::MetadataBuilder;
pub use error::{DiscoveryError, UrlProblem};
pub use issuer::{Issuer, OAUTH_AUTHORIZATION_SERVER_PATH, OPENID_CONFIGURATION_PATH};
pub use metadata::{Endpoint, MAX_METADATA_JSON_BYTES, ProviderMetadata};

#[cfg(test)]
mod tests;
