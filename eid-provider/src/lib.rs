//! # eid-provider
//!
//! The OpenID Connect provider engine of eid: the one place where authorization, PAR, token,
//! UserInfo, discovery, JWKS, end-session, revocation, introspection, client authentication,
//! sessions and the store traits live. Both `eid-broker` and `eid-idp-mock` run on it.
//!
//! Two layers:
//!
//! - [`Provider`] (module [`provider`]): the protocol. One method per endpoint operation takes
//!   decoded input ([`params::Parameters`], [`client::ClientCredentials`], the browser's
//!   session id) and returns a typed outcome or an [`OAuthError`]. It is strict: registered
//!   clients only, exact redirect URIs, PKCE `S256` for every client, single-use codes of 256
//!   bits that live at most 60 s and revoke their tokens when replayed, `iss` in every
//!   authorization response (RFC 9207), signed request objects and PAR, `prompt`, `max_age`,
//!   `id_token_hint`, the `claims` parameter, `acr` requirements, SSO sessions (with the
//!   Sweden Connect rules as an option), refresh tokens bound to their client, signed UserInfo,
//!   RP-initiated and back-channel logout.
//! - [`http`]: the axum layer. [`http::router`] serves every endpoint at the paths the
//!   [`discovery`] metadata publishes, reads requests strictly (repeated parameters, sizes,
//!   content types, methods), maps every [`OAuthError`] to its response in one place, and hands
//!   logins to an [`http::Authenticator`]: whoever authenticates the person (the mock's login
//!   page, the broker's upstream login).
//!
//! State lives behind the narrow async [`store`] traits (TTLs on everything, single use by an
//! atomic take, no scans), with an in-memory backend; time comes from an injected
//! [`Clock`](eid_core::clock::Clock).
//!
//! A whole authorization code flow through the protocol layer (the HTTP layer does the same
//! with real requests):
//!
//! ```
//! use std::sync::Arc;
//!
//! use eid_core::assurance::LevelOfAssurance;
//! use eid_core::claims::Identity;
//! use eid_core::clock::{ManualClock, UnixTime};
//! use eid_core::jose::JwsAlgorithm;
//! use eid_provider::client::{Client, ClientAuthMethod, ClientCredentials, StaticClients};
//! use eid_provider::discovery::ProviderMetadata;
//! use eid_provider::keys::KeyRing;
//! use eid_provider::params::Parameters;
//! use eid_provider::pkce::{CodeChallenge, CodeVerifier};
//! use eid_provider::provider::AuthorizeOutcome;
//! use eid_provider::{Authentication, Provider};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder("e-service".parse()?, ClientAuthMethod::None)
//!     .redirect_uri("https://e-service.example/callback".parse()?)
//!     .scope("openid")
//!     .id_token_signed_response_alg(JwsAlgorithm::Es256)
//!     .build()?;
//! let metadata = ProviderMetadata::builder("https://idp.example".parse()?).build()?;
//! let clock = Arc::new(ManualClock::new(UnixTime::from_secs(1_790_000_000)));
//! let provider = Provider::builder(
//!     metadata,
//!     Arc::new(StaticClients::new(vec![client])?),
//!     KeyRing::ephemeral()?,
//! )
//! .clock(clock)
//! .build()?;
//!
//! // The RFC 7636 Appendix B pair.
//! let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
//! let challenge = CodeChallenge::from_verifier(&CodeVerifier::parse(verifier)?);
//! let request = Parameters::from_urlencoded(
//!     format!(
//!         "response_type=code&client_id=e-service&scope=openid&state=s1&nonce=n1\
//!          &redirect_uri=https%3A%2F%2Fe-service.example%2Fcallback\
//!          &code_challenge={}&code_challenge_method=S256",
//!         challenge.to_base64url()
//!     )
//!     .as_bytes(),
//! )?;
//! let AuthorizeOutcome::Login(login) = provider.authorize(&request, None).await else {
//!     panic!("a valid request without a session asks for a login");
//! };
//!
//! // The authenticator (a login page, an upstream eID) reports who logged in.
//! let person = Authentication::new(
//!     "pairwise-sub-1".parse()?,
//!     LevelOfAssurance::Loa3,
//!     Identity::default().with_name("Astrid Ödmark"),
//! );
//! let done = provider.complete_login(&login.transaction, person, None).await?;
//! assert_eq!(done.response.parameter("state"), Some("s1"));
//! assert_eq!(done.response.parameter("iss"), Some("https://idp.example"));
//! let code = done.response.parameter("code").ok_or("no code")?;
//!
//! let mut credentials = ClientCredentials::default();
//! credentials.client_id = Some("e-service".into());
//! let redeem = Parameters::from_urlencoded(
//!     format!(
//!         "grant_type=authorization_code&code={code}&code_verifier={verifier}\
//!          &redirect_uri=https%3A%2F%2Fe-service.example%2Fcallback"
//!     )
//!     .as_bytes(),
//! )?;
//! let tokens = provider.token(&credentials, &redeem).await?;
//! assert!(tokens.id_token.is_some());
//! // The code is single use.
//! assert!(provider.token(&credentials, &redeem).await.is_err());
//! # Ok(())
//! # }
//! # let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
//! # runtime.block_on(demo()).map_err(|e| e.to_string())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
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
