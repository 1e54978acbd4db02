//! The mock's signing keys: the engine's [`KeyRing`], and a raw signer over the same current key
//! so that the scenario rewriter can sign tokens with odd headers (no `kid`) or altered claims.
//!
//! The ES256 keys are generated at start-up (lost at exit). [`KeySet`] decides what the JWKS
//! publishes: with [`KeySet::Rotating`] (the default) a current and a next ES256 key and the
//! published RS256 test key ([`TEST_RS256_KEY_PEM`], for clients registered for RS256 ID tokens),
//! so a token without `kid` is ambiguous (conformance `oidcc-client-test-kid-absent-multiple-jwks`); with
//! [`KeySet::Single`] one key only, so a token without `kid` has exactly one candidate
//! (`oidcc-client-test-kid-absent-single-jwks`).

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::jose::{JoseError, JwsAlgorithm, SigningKey};
use eid_provider::keys::{KeyError, KeyRing};
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which keys the mock publishes in its JWKS.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeySet {
    /// A current ES256 key (signing), the published RS256 test key (for clients registered for
    /// RS256) and a next ES256 key (published ahead of rotation).
    #[default]
    Rotating,
    /// One ES256 key.
    Single,
}

/// Why the keys could not be made.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    /// A key could not be generated or loaded.
    #[error("signing key: {0}")]
    Jose(#[from] JoseError),
    /// The key ring refused the keys.
    #[error("key ring: {0}")]
    Ring(#[from] KeyError),
    /// ring refused the generated key for raw signing.
    #[error("the generated key could not be loaded for raw signing")]
    RawKey,
    /// The header or the claims do not serialise.
    #[error("token JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// ring failed to sign.
    #[error("signing failed")]
    Signing,
}

/// Signs compact JWS with the mock's current ES256 key and any header the caller writes.
pub struct RawSigner {
    key_pair: EcdsaKeyPair,
    kid: String,
    rng: SystemRandom,
}

impl RawSigner {
    /// The `kid` of the key (its RFC 7638 thumbprint, as the JWKS publishes it).
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The algorithm (ES256).
    pub fn algorithm(&self) -> JwsAlgorithm {
        JwsAlgorithm::Es256
    }

    /// A compact JWS of `header` and `claims`, signed as they are (the header is not checked:
    /// this is how faulty tokens are made).
    ///
    /// # Errors
    /// [`KeysError::Json`], [`KeysError::Signing`].
    pub fn sign(&self, header: &Value, claims: &Value) -> Result<String, KeysError> {
        let mut token = URL_SAFE_NO_PAD.encode(serde_json::to_vec(header)?);
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(serde_json::to_vec(claims)?, &mut token);
        let signature = self
            .key_pair
            .sign(&self.rng, token.as_bytes())
            .map_err(|_| KeysError::Signing)?;
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(signature.as_ref(), &mut token);
        Ok(token)
    }
}

impl fmt::Debug for RawSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawSigner")
            .field("kid", &self.kid)
            .field("private_key", &"[redacted]")
            .finish()
    }
}

/// The published RS256 test key (see `data/keys/README.md`): ring cannot generate RSA keys, and
/// the conformance Basic OP plan checks RS256 ID tokens.
pub const TEST_RS256_KEY_PEM: &str = include_str!("../data/keys/test-rs256.pem");

/// Generates the keys of `set`: the ring for the engine and the raw signer over its current key.
///
/// # Errors
/// [`KeysError`] when generation or loading fails.
pub fn generate(set: KeySet) -> Result<(KeyRing, RawSigner), KeysError> {
    let der = SigningKey::generate_pkcs8_der(JwsAlgorithm::Es256)?;
    let current = SigningKey::from_pkcs8_der(&der, JwsAlgorithm::Es256)?;
    let kid = current.kid().to_owned();
    let rng = SystemRandom::new();
    let key_pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &der, &rng)
        .map_err(|_| KeysError::RawKey)?;
    let ring = match set {
        KeySet::Rotating => {
            let rsa =
                SigningKey::from_pkcs8_pem(TEST_RS256_KEY_PEM.as_bytes(), JwsAlgorithm::Rs256)?;
            KeyRing::new(vec![current, rsa])?
                .with_next(vec![SigningKey::generate(JwsAlgorithm::Es256)?])?
        }
        KeySet::Single => KeyRing::new(vec![current])?,
    };
    Ok((ring, RawSigner { key_pair, kid, rng }))
}

#[cfg(test)]
mod tests {
    use eid_core::clock::UnixTime;
    use eid_core::verify::IdTokenVerifier;
    use serde_json::json;

    use super::*;

    #[test]
    fn the_raw_signer_signs_with_the_published_current_key() {
        let (ring, signer) = generate(KeySet::Rotating).unwrap();
        assert_eq!(ring.jwks().keys().len(), 3);
        assert_eq!(
            ring.signer(JwsAlgorithm::Es256).unwrap().kid(),
            signer.kid()
        );
        let now = UnixTime::from_secs(1_764_000_000);
        let token = signer
            .sign(
                &json!({"alg": "ES256", "kid": signer.kid(), "typ": "JWT"}),
                &json!({"iss": "https://op.example", "sub": "s", "aud": "c",
                        "iat": now.as_secs(), "exp": now.as_secs() + 60}),
            )
            .unwrap();
        let verifier = IdTokenVerifier::new(
            "https://op.example",
            "c",
            ring.jwks(),
            &[JwsAlgorithm::Es256],
        )
        .unwrap();
        assert_eq!(verifier.verify(&token, now).unwrap().subject(), "s");
        let (single, _) = generate(KeySet::Single).unwrap();
        assert_eq!(single.jwks().keys().len(), 1);
        assert!(!format!("{signer:?}").contains("BEGIN"));
    }
}
