//! JOSE: signing keys, JWKs and JWK Sets with RFC 7638 thumbprints, and the ring-backed crypto
//! provider for `jsonwebtoken`.
//!
//! # One crypto stack: ring
//!
//! Every JWS signature eid makes or checks is computed by [`ring`]:
//!
//! - [`SigningKey`] holds a parsed ring key pair (parsed once, at load or generation) and signs
//!   compact JWTs with it. Its `kid` is the RFC 7638 thumbprint of its public JWK.
//! - [`VerifyingKey`] holds a decoded public key (from a [`Jwk`], decoded once) and checks
//!   signatures with it; [`crate::verify`] builds its verifiers from these.
//! - [`RING_PROVIDER`] is a `jsonwebtoken` [`CryptoProvider`](jsonwebtoken::crypto::CryptoProvider)
//!   made of the same ring signers and verifiers, for code that calls `jsonwebtoken::encode` or
//!   `jsonwebtoken::decode` directly. `jsonwebtoken` 11 has no ring backend of its own and
//!   panics at run time when no provider is installed: call [`install_ring_provider`] once at
//!   start-up (it is idempotent).
//!
//! # Algorithms
//!
//! [`JwsAlgorithm`] is an allow-list type: `none` and the HMAC algorithms cannot be expressed,
//! and parsing them fails with a specific error. ES256 is the default (OIDC Sweden requires
//! RS256 and ES256 support).
//!
//! # Example
//!
//! ```
//! use eid_core::jose::{JwsAlgorithm, Jwks, SigningKey};
//!
//! let key = SigningKey::generate(JwsAlgorithm::Es256)?;
//! let token = key.sign_jwt(&serde_json::json!({ "iss": "https://op.example", "sub": "a" }))?;
//! assert_eq!(token.split('.').count(), 3);
//!
//! // Publish the public half; anyone can check the token against it.
//! let jwks = Jwks::new(vec![key.public_jwk()])?;
//! let json = serde_json::to_vec(&jwks)?;
//! let parsed = Jwks::from_json(&json)?;
//! let jwk = parsed.find(key.kid()).ok_or("kid not found")?;
//! assert_eq!(jwk.thumbprint(), key.kid());
//! let verifying_key = jwk.verifying_key(JwsAlgorithm::Es256)?;
//! let (message, signature) = token.rsplit_once('.').ok_or("not a JWS")?;
//! let signature = base64::Engine::decode(
//!     &base64::engine::general_purpose::URL_SAFE_NO_PAD,
//!     signature,
//! )?;
//! verifying_key.verify(message.as_bytes(), &signature)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod algorithm;
mod error;
mod jwk;
mod key;
mod provider;

pub use algorithm::{JwsAlgorithm, KeyType};
pub use error::JoseError;
pub use jwk::{Jwk, Jwks, KeyUse, MAX_JWKS_JSON_BYTES, MAX_JWKS_KEYS, VerifyingKey};
pub use key::SigningKey;
pub use provider::{RING_PROVIDER, install_ring_provider};

#[cfg(test)]
mod tests;
