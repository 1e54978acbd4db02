//! # eid-idp-mock
//!
//! A strict reference OpenID provider with test persons and scripted faults, built on the
//! [`eid_provider`] engine: the same authorization, token, UserInfo, discovery and logout
//! endpoints as the broker, with a login page where you pick a test person instead of using a
//! real eID.
//!
//! - [`person`]: the test persons (built-in: adults and a child with Tax Agency test
//!   personnummer, a samordningsnummer holder, a newcomer whose identity comes from a verified
//!   synthetic passport chip, public-sector employees, an eIDAS user), and persons files.
//! - [`profile`]: which kind of eID the mock plays (BankID-like, state ID card, workplace,
//!   eIDAS node), with its `acr`, `amr` and claims.
//! - [`login`]: the [`Authenticator`](eid_provider::http::Authenticator): the login page and
//!   its form.
//! - [`scenario`]: cancels, slow logins, upstream errors, and a faulty-token mode for every
//!   check of the conformance Basic RP plan, plus expired tokens, lowered `acr` and
//!   authorization-response mix-up.
//! - [`config`]: [`MockConfig`] and the configuration file; the built-in test clients.
//! - [`control`]: the runtime control API (off by default).
//! - [`MockIdp`]: the running mock, on 127.0.0.1, stopped on drop; [`MockApp`]: the same,
//!   assembled but not serving, for in-process tests.
//!
//! Strict by default: PKCE S256, exact redirect URIs, single-use codes, registered clients.
//! Leniency only through options named `insecure_…`.
//!
//! # Starting a mock in a test
//!
//! ```
//! use eid_idp_mock::scenario::Scenario;
//! use eid_idp_mock::{MockConfig, MockIdp};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mock = MockIdp::start(MockConfig::default()).await?;
//! assert!(mock.issuer().as_str().starts_with("http://127.0.0.1:"));
//!
//! // Persons have stable ids; their `sub` is derived from the id, never a personal number.
//! let sub = mock.app().subject_of("astrid").ok_or("no such person")?;
//! assert_eq!(sub.len(), 43);
//!
//! // The next login's ID token will carry another issuer: the relying party must refuse it.
//! mock.enqueue_scenario(Scenario::InvalidIssuer);
//! # Ok(())
//! # }
//! // Dropping `mock` stops it.
//! ```
//!
//! # Logging in without a browser
//!
//! Automated tests log in by doing exactly what the login form does. With a cookie jar and
//! redirects not followed:
//!
//! ```text
//! GET  {issuer}/authorize?response_type=code&client_id=mock-public
//!        &redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fcallback&scope=openid
//!        &state=…&nonce=…&code_challenge=…&code_challenge_method=S256&login_hint=astrid
//!   ← 303 See Other, Location: /login?transaction=T, Set-Cookie: eid_login=B; …
//! GET  {issuer}/login?transaction=T            (optional: the page, with Cookie: eid_login=B)
//! POST {issuer}/login                          (Cookie: eid_login=B)
//!      Content-Type: application/x-www-form-urlencoded
//!      transaction=T&person=astrid             (or: transaction=T&cancel=1)
//!   ← 303 See Other, Location: http://127.0.0.1:8080/callback?code=…&state=…&iss=…
//! POST {issuer}/token  grant_type=authorization_code&code=…&code_verifier=…&client_id=mock-public&redirect_uri=…
//! ```
//!
//! The person ids of the built-in persons are `astrid`, `bertil`, `charlie` (a child),
//! `dana` (samordningsnummer), `amina` (passport, no Swedish number), `eva` and `frans`
//! (employees) and `giulia` (eIDAS); each profile offers those it can authenticate (see
//! [`profile`]). The test clients are listed in [`config`].
//!
//! # The binary
//!
//! `eid-idp-mock [--config FILE] [--port N]`: without `--config`, the built-in persons and test
//! clients, the BankID-like profile, on `http://127.0.0.1:8080` unless `--port` says
//! otherwise; it prints the issuer and the test clients.
#![doc(test(attr(deny(warnings))))]

pub mod config;
pub mod control;
pub mod keys;
pub mod login;
pub mod person;
pub mod profile;
pub mod scenario;
mod server;

pub use config::MockConfig;
pub use control::NextClaims;
pub use server::{MockApp, MockError, MockIdp};
