//! What an e-service embeds: verify an ID token against the provider's JWK Set, its issuer, the
//! e-service's client id, the nonce it sent and the level of assurance it requires.
//!
//! [`IdTokenVerifier::verify`] returns a [`VerifiedIdToken`], which nothing else can build:
//! code that takes one knows the token passed every check below. Each failure is its own
//! [`IdTokenError`] variant with a stable [`reason`](IdTokenError::reason).
//!
//! # Checks, in order
//!
//! 1. **Size**: at most [`MAX_ID_TOKEN_BYTES`]; three base64url parts; a JSON header.
//! 2. **Algorithm**: the header `alg` must be on the caller's allow-list; `none` and HMAC
//!    cannot even be named (they fail before any key is looked at). `crit` is refused, and a
//!    `typ` other than `JWT` (such as `at+jwt` or `logout+jwt`) too.
//! 3. **Key**: the header `kid` selects the key, which must be for that algorithm (key type,
//!    and the JWK's own `alg` if any). Without `kid`, exactly one key may fit.
//! 4. **Signature**, by ring, with the key decoded once when the verifier was built.
//! 5. **Claims**: `iss` equals the issuer exactly; `aud` contains the client id and no other
//!    untrusted audience, and with several audiences `azp` is the client id (an `azp` present is
//!    always checked); `exp`, `iat` and optional `nbf` against the injected `now` within the
//!    clock skew (default [`DEFAULT_CLOCK_SKEW`], at most [`MAX_CLOCK_SKEW`]); `sub` present;
//!    `nonce` equal (in constant time) when one was sent; `acr` satisfies the requirement when
//!    one is set.
//!
//! The clock is never read: `now` is an argument (see [`crate::clock`]).
//!
//! # Example
//!
//! ```
//! use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
//! use eid_core::clock::UnixTime;
//! use eid_core::jose::{JwsAlgorithm, Jwks, SigningKey};
//! use eid_core::verify::IdTokenVerifier;
//!
//! // The provider's side: a key, its JWKS, and a signed ID token.
//! let key = SigningKey::generate(JwsAlgorithm::Es256)?;
//! let jwks = Jwks::new(vec![key.public_jwk()])?;
//! let now = UnixTime::from_secs(1_764_000_000);
//! let token = key.sign_jwt(&serde_json::json!({
//!     "iss": "https://eid.example",
//!     "sub": "c3a6fa0e-5b5e-4c3e-a3f5-3b9d0f6bb7f1",
//!     "aud": "e-service",
//!     "exp": now.as_secs() + 300,
//!     "iat": now.as_secs(),
//!     "nonce": "n-0S6_WzA2Mj",
//!     "acr": "http://id.elegnamnden.se/loa/1.0/loa3",
//! }))?;
//!
//! // The e-service's side.
//! let verifier = IdTokenVerifier::new("https://eid.example", "e-service", &jwks, &[JwsAlgorithm::Es256])?
//!     .expect_nonce("n-0S6_WzA2Mj")
//!     .require(Requirement::new(vec![LevelOfAssurance::Loa3], Matching::Minimum)?);
//! let verified = verifier.verify(&token, now)?;
//! assert_eq!(verified.subject(), "c3a6fa0e-5b5e-4c3e-a3f5-3b9d0f6bb7f1");
//! assert_eq!(verified.acr(), Some(LevelOfAssurance::Loa3));
//!
//! // Five minutes and a minute of skew later, it has expired.
//! let later = UnixTime::from_secs(now.as_secs() + 360);
//! assert_eq!(verifier.verify(&token, later).unwrap_err().reason(), "expired");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod token;
mod verifier;

pub use error::{IdTokenError, TokenPart};
pub use token::VerifiedIdToken;
pub use verifier::{DEFAULT_CLOCK_SKEW, IdTokenVerifier, MAX_CLOCK_SKEW, MAX_ID_TOKEN_BYTES};

#[cfg(test)]
mod tests;
