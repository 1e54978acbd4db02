//! The provider's signing keys, with rotation.
//!
//! A [`KeyRing`] holds three generations of keys:
//!
//! - **current**: the private keys the provider signs with, at most one per [`JwsAlgorithm`];
//! - **next**: private keys already published in the JWKS, so relying parties have cached them
//!   before the provider starts signing with them;
//! - **previous**: public keys of the generation before, still published so tokens they signed
//!   keep verifying until they expire.
//!
//! [`KeyRing::rotate`] moves next → current and current → previous, and drops the older
//! previous generation. [`KeyRing::jwks`] publishes next, current and previous (in that
//! order). Every key's `kid` is its RFC 7638 thumbprint (see [`SigningKey`]).
//!
//! [`KeyRing::ephemeral`] is the development mode: keys generated at start-up and lost at exit.
//! It says so ([`KeyRing::is_ephemeral`], and in `Debug`), so a service can refuse it in
//! production or log a warning.
//!
//! ```
//! use eid_core::jose::{JwsAlgorithm, SigningKey};
//! use eid_provider::keys::KeyRing;
//!
//! let first = SigningKey::generate(JwsAlgorithm::Es256)?;
//! let first_kid = first.kid().to_owned();
//! let mut ring = KeyRing::new(vec![first])?
//!     .with_next(vec![SigningKey::generate(JwsAlgorithm::Es256)?])?;
//! assert_eq!(ring.jwks().keys().len(), 2);
//!
//! ring.rotate(vec![SigningKey::generate(JwsAlgorithm::Es256)?])?;
//! let signer = ring.signer(JwsAlgorithm::Es256).ok_or("no ES256 key")?;
//! assert_ne!(signer.kid(), first_kid);
//! // The old key is still published, as "previous".
//! assert!(ring.jwks().find(&first_kid).is_some());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;

use std::collections::HashSet;
use std::fmt;

use eid_core::jose::{Jwk, Jwks, JwsAlgorithm, MAX_JWKS_KEYS, SigningKey};

pub use error::KeyError;

/// The algorithms [`KeyRing::ephemeral`] generates keys for (ring cannot generate RSA keys).
pub const EPHEMERAL_ALGORITHMS: [JwsAlgorithm; 3] = [
    JwsAlgorithm::Es256,
    JwsAlgorithm::Es384,
    JwsAlgorithm::EdDsa,
];

/// The provider's signing keys: current (signing), next (published ahead) and previous
/// (published after), with the JWK Set that publishes them.
///
/// Invariants, checked by every constructor and by [`rotate`](Self::rotate): at least one
/// current key; at most one key per algorithm in each of current and next; no `kid` twice in
/// the whole ring; at most [`MAX_JWKS_KEYS`] keys published.
pub struct KeyRing {
    current: Vec<SigningKey>,
    next: Vec<SigningKey>,
    previous: Vec<Jwk>,
    jwks: Jwks,
    ephemeral: bool,
}

impl KeyRing {
    /// A ring signing with `current` (one key per algorithm), with no next or previous keys.
    ///
    /// # Errors
    ///
    /// [`KeyError::NoCurrentKey`] if `current` is empty,
    /// [`KeyError::DuplicateAlgorithm`] for two keys of one algorithm,
    /// [`KeyError::DuplicateKeyId`] for a key given twice.
    pub fn new(current: Vec<SigningKey>) -> Result<Self, KeyError> {
        Self::assemble(current, Vec::new(), Vec::new(), false)
    }

    /// A development ring: fresh keys for [`EPHEMERAL_ALGORITHMS`], generated now and lost when
    /// the process exits. [`is_ephemeral`](Self::is_ephemeral) is `true`.
    ///
    /// Tokens it signs cannot be verified after a restart; relying parties that cached its JWKS
    /// see unknown `kid`s. Use it for development and tests only.
    ///
    /// # Errors
    ///
    /// [`KeyError::Generation`] if the random generator fails.
    pub fn ephemeral() -> Result<Self, KeyError> {
        let current = EPHEMERAL_ALGORITHMS
            .iter()
            .map(|&algorithm| {
                SigningKey::generate(algorithm)
                    .map_err(|source| KeyError::Generation { algorithm, source })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::assemble(current, Vec::new(), Vec::new(), true)
    }

    /// The ring with `next` published ahead of use (replacing any next keys).
    ///
    /// # Errors
    ///
    /// [`KeyError::DuplicateAlgorithm`], [`KeyError::DuplicateKeyId`],
    /// [`KeyError::TooManyKeys`].
    pub fn with_next(self, next: Vec<SigningKey>) -> Result<Self, KeyError> {
        Self::assemble(self.current, next, self.previous, self.ephemeral)
    }

    /// The ring with `previous` public keys still published (replacing any previous keys), for
    /// example the keys of the last run, loaded from configuration.
    ///
    /// # Errors
    ///
    /// [`KeyError::DuplicateKeyId`], [`KeyError::TooManyKeys`].
    pub fn with_previous(self, previous: Vec<Jwk>) -> Result<Self, KeyError> {
        Self::assemble(self.current, self.next, previous, self.ephemeral)
    }

    /// Rotates: next becomes current, current becomes previous (public keys only), the older
    /// previous generation is dropped, and `new_next` becomes next.
    ///
    /// On error the ring is unchanged.
    ///
    /// # Errors
    ///
    /// [`KeyError::NoNextKey`] if there are no next keys to promote,
    /// [`KeyError::NoSuccessor`] if a current algorithm has no next key (rotation never drops
    /// an algorithm), and the errors of
    /// [`with_next`](Self::with_next) for `new_next`.
    pub fn rotate(&mut self, new_next: Vec<SigningKey>) -> Result<(), KeyError> {
        if self.next.is_empty() {
            return Err(KeyError::NoNextKey);
        }
        // Clients registered for an algorithm (`id_token_signed_response_alg`) must keep
        // getting it: every current algorithm needs a successor.
        for key in &self.current {
            let algorithm = key.algorithm();
            if !self.next.iter().any(|next| next.algorithm() == algorithm) {
                return Err(KeyError::NoSuccessor { algorithm });
            }
        }
        let previous: Vec<Jwk> = self.current.iter().map(SigningKey::public_jwk).collect();
        check_keys(&self.next, &new_next, &previous)?;
        let jwks = publish(&self.next, &new_next, &previous)?;
        let promoted = std::mem::replace(&mut self.next, new_next);
        self.current = promoted;
        self.previous = previous;
        self.jwks = jwks;
        Ok(())
    }

    /// Stops publishing the previous generation (once every token it signed has expired).
    pub fn retire_previous(&mut self) {
        self.previous.clear();
        // Removing keys never breaks the invariants.
        if let Ok(jwks) = publish(&self.current, &self.next, &self.previous) {
            self.jwks = jwks;
        }
    }

    /// The current key for `algorithm`, if the ring signs with it.
    pub fn signer(&self, algorithm: JwsAlgorithm) -> Option<&SigningKey> {
        self.current.iter().find(|key| key.algorithm() == algorithm)
    }

    /// The algorithms the ring signs with now, in the order the current keys were given (for
    /// `id_token_signing_alg_values_supported`).
    pub fn algorithms(&self) -> Vec<JwsAlgorithm> {
        self.current.iter().map(SigningKey::algorithm).collect()
    }

    /// The published JWK Set: next, current and previous public keys.
    pub fn jwks(&self) -> &Jwks {
        &self.jwks
    }

    /// Whether the keys were generated at start-up by [`KeyRing::ephemeral`] (development
    /// mode).
    pub fn is_ephemeral(&self) -> bool {
        self.ephemeral
    }

    fn assemble(
        current: Vec<SigningKey>,
        next: Vec<SigningKey>,
        previous: Vec<Jwk>,
        ephemeral: bool,
    ) -> Result<Self, KeyError> {
        if current.is_empty() {
            return Err(KeyError::NoCurrentKey);
        }
        check_keys(&current, &next, &previous)?;
        let jwks = publish(&current, &next, &previous)?;
        Ok(Self {
            current,
            next,
            previous,
            jwks,
            ephemeral,
        })
    }
}

/// One key per algorithm in each private generation; no `kid` twice in the ring.
fn check_keys(
    current: &[SigningKey],
    next: &[SigningKey],
    previous: &[Jwk],
) -> Result<(), KeyError> {
    for generation in [current, next] {
        let mut algorithms = HashSet::new();
        for key in generation {
            if !algorithms.insert(key.algorithm()) {
                return Err(KeyError::DuplicateAlgorithm {
                    algorithm: key.algorithm(),
                });
            }
        }
    }
    let mut kids = HashSet::new();
    let private = current.iter().chain(next).map(|key| Some(key.kid()));
    for kid in private.chain(previous.iter().map(Jwk::kid)).flatten() {
        if !kids.insert(kid) {
            return Err(KeyError::DuplicateKeyId {
                kid: kid.to_owned(),
            });
        }
    }
    Ok(())
}

/// The JWK Set of the three generations: next first, then current, then previous.
fn publish(
    current: &[SigningKey],
    next: &[SigningKey],
    previous: &[Jwk],
) -> Result<Jwks, KeyError> {
    let count = current
        .len()
        .saturating_add(next.len())
        .saturating_add(previous.len());
    if count > MAX_JWKS_KEYS {
        return Err(KeyError::TooManyKeys {
            count,
            max: MAX_JWKS_KEYS,
        });
    }
    let keys = next
        .iter()
        .chain(current)
        .map(SigningKey::public_jwk)
        .chain(previous.iter().cloned())
        .collect();
    Jwks::new(keys).map_err(KeyError::Jwks)
}

impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kids =
            |keys: &[SigningKey]| keys.iter().map(|k| k.kid().to_owned()).collect::<Vec<_>>();
        f.debug_struct("KeyRing")
            .field("ephemeral", &self.ephemeral)
            .field("current", &kids(&self.current))
            .field("next", &kids(&self.next))
            .field(
                "previous",
                &self
                    .previous
                    .iter()
                    .filter_map(Jwk::kid)
                    .collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests;
