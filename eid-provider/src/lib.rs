//! # eid-provider
//!
//! The OpenID Connect provider engine of eid: the one place where authorization, PAR, token,
//! UserInfo, discovery, JWKS, client authentication, sessions and the store traits live. Both
//! `eid-broker` and `eid-idp-mock` run on it.
//!
//! The engine is being built (see the project's issue on the provider engine); the endpoints and
//! their HTTP layer come next. What exists today, as protocol logic without HTTP types:
//!
//! - [`OAuthErrorCode`]: the wire vocabulary of OAuth 2.0 / OpenID Connect errors, which every
//!   endpoint maps its errors to in one place;
//! - [`pkce`]: PKCE, `S256` only; [`secret`]: the bearer secrets the engine issues, redacted
//!   and compared in constant time;
//! - [`store`]: the narrow async store traits (codes, PAR requests, authorization
//!   transactions, sessions, replay cache, access and refresh tokens) with single use by an
//!   atomic take and a TTL on everything, and the in-memory backend;
//! - [`client`]: clients, their exact-match redirect URIs, the registry, and client
//!   authentication (`client_secret_basic`, `client_secret_post`, `private_key_jwt`, `none`);
//! - [`keys`]: the signing key ring with next, current and previous keys published;
//!   [`discovery`]: the provider metadata (OpenID Connect Discovery and RFC 8414, with the
//!   Swedish profile's fields); [`id_token`]: ID tokens and back-channel logout tokens.
//!
//! ```
//! use eid_provider::OAuthErrorCode;
//!
//! let code: OAuthErrorCode = "unmet_authentication_requirements".parse()?;
//! assert_eq!(code, OAuthErrorCode::UnmetAuthenticationRequirements);
//! assert_eq!(code.as_str(), "unmet_authentication_requirements");
//! # Ok::<(), eid_provider::UnknownErrorCode>(())
//! ```
//!
//! PKCE, with the vector of RFC 7636 Appendix B:
//!
//! ```
//! use eid_provider::pkce::{CodeChallenge, CodeVerifier};
//!
//! let challenge = CodeChallenge::parse("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")?;
//! let verifier = CodeVerifier::parse("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")?;
//! assert!(challenge.is_answered_by(&verifier));
//! # Ok::<(), eid_provider::pkce::PkceError>(())
//! ```
#![doc(test(attr(deny(warnings))))]

mod authorize;
pub mod client;
pub mod discovery;
pub mod http;
pub mod id_token;
mod introspection;
pub mod keys;
mod logout;
mod oauth_error;
pub mod params;
pub mod pkce;
pub mod provider;
mod revocation;
pub mod secret;
pub mod store;
mod token;
mod userinfo;

pub use oauth_error::{OAuthError, OAuthErrorCode, UnknownErrorCode};
pub use provider::{Authentication, Provider, ProviderConfig, Stores};
