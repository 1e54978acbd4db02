//! # eid-provider
//!
//! The OpenID Connect provider engine of eid: the one place where authorization, PAR, token,
//! UserInfo, discovery, JWKS, client authentication, sessions and the store traits live. Both
//! `eid-broker` and `eid-idp-mock` run on it.
//!
//! The engine is being built (see the project's issue on the provider engine). What exists today:
//! the wire vocabulary of OAuth 2.0 / OpenID Connect errors ([`OAuthErrorCode`], which every
//! endpoint maps its errors to in one place), PKCE `S256` ([`pkce`]) and the bearer secrets the
//! engine issues ([`secret`]).
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

pub mod client;
pub mod discovery;
pub mod id_token;
pub mod keys;
mod oauth_error;
pub mod pkce;
pub mod secret;
pub mod store;

pub use oauth_error::{OAuthErrorCode, UnknownErrorCode};
