//! Minting ID tokens (OpenID Connect Core 1.0 §2) and back-channel logout tokens (OpenID
//! Connect Back-Channel Logout 1.0 §2.4), signed by the [`KeyRing`](crate::keys::KeyRing).
//!
//! - [`mint_id_token`] writes `iss`, `sub`, `aud`, `exp`, `iat`, `auth_time`, and when given
//!   `nonce`, `acr`, `amr`, `sid`, `at_hash`, then the identity claims the caller released
//!   with [`Identity::to_oidc_claims`](eid_core::claims::Identity::to_oidc_claims) for
//!   [`Destination::IdToken`](eid_core::claims::Destination::IdToken). The lifetime is capped
//!   at [`MAX_ID_TOKEN_LIFETIME`] (five minutes, OIDC-SE §3.2.1).
//! - [`mint_logout_token`] writes a `logout+jwt` with `iss`, `aud`, `iat`, `exp`, `jti`,
//!   `events` (the back-channel logout event) and `sid` and/or `sub`, and never `nonce`.
//!
//! Time is an argument (`now`); the random `jti` comes from the caller's generator.
//!
//! ```
//! use std::time::Duration;
//!
//! use eid_core::assurance::LevelOfAssurance;
//! use eid_core::clock::UnixTime;
//! use eid_core::jose::JwsAlgorithm;
//! use eid_core::verify::IdTokenVerifier;
//! use eid_provider::discovery::Issuer;
//! use eid_provider::id_token::{IdTokenContent, Subject, mint_id_token};
//! use eid_provider::keys::KeyRing;
//!
//! let ring = KeyRing::ephemeral()?;
//! let issuer: Issuer = "https://eid.example".parse()?;
//! let now = UnixTime::from_secs(1_764_000_000);
//! let content = IdTokenContent::new(issuer, "a1b2c3".parse::<Subject>()?, "e-service", now)
//!     .with_nonce("n-0S6_WzA2Mj")
//!     .with_acr(LevelOfAssurance::Loa3)
//!     .with_sid("session-1");
//! // An hour was asked for; five minutes are given.
//! let token = mint_id_token(&ring, JwsAlgorithm::Es256, &content, now, Duration::from_secs(3600))?;
//!
//! let verifier = IdTokenVerifier::new("https://eid.example", "e-service", ring.jwks(), &[JwsAlgorithm::Es256])?
//!     .expect_nonce("n-0S6_WzA2Mj");
//! let verified = verifier.verify(&token, now)?;
//! assert_eq!(verified.expires_at().as_secs(), now.as_secs() + 300);
//! assert_eq!(verified.acr(), Some(LevelOfAssurance::Loa3));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod content;
mod error;
pub(crate) mod hint;
mod mint;

pub use content::{IdTokenContent, LogoutTarget, LogoutTokenContent, Subject};
pub use error::MintError;
pub use mint::{
    BACKCHANNEL_LOGOUT_EVENT, LOGOUT_TOKEN_TYPE, MAX_ID_TOKEN_LIFETIME, MAX_LOGOUT_TOKEN_LIFETIME,
    mint_id_token, mint_logout_token,
};

#[cfg(test)]
mod tests;
