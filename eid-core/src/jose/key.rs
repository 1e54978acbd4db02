//! Signing keys.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, Ed25519KeyPair};
use serde::Serialize;

use super::provider::RingSigner;
use super::{JoseError, Jwk, JwsAlgorithm};

/// A private key that signs JWTs with one [`JwsAlgorithm`], parsed once.
///
/// Its `kid` is the RFC 7638 thumbprint of its public JWK. `Debug` never shows key material.
///
/// One RSA key loaded for RS256 and for PS256 gives two signing keys with the same `kid` (the
/// thumbprint covers the key, not the algorithm): publish and use one algorithm per key.
pub struct SigningKey {
    signer: RingSigner,
    public: Jwk,
    kid: String,
}

/// The protected header eid writes.
#[derive(Serialize)]
struct Header<'a> {
    alg: JwsAlgorithm,
    kid: &'a str,
    typ: &'a str,
}

impl SigningKey {
    /// Generates a fresh key for `algorithm` with ring's `SystemRandom`.
    ///
    /// # Errors
    ///
    /// [`JoseError::KeyGenerationUnsupported`] for RSA algorithms (RSA keys are only
    /// loaded), [`JoseError::KeyGeneration`] if the random generator fails.
    pub fn generate(algorithm: JwsAlgorithm) -> Result<Self, JoseError> {
        let der = Self::generate_pkcs8_der(algorithm)?;
        Self::from_pkcs8_der(&der, algorithm)
    }

    /// Generates a fresh key for `algorithm` and returns it as unencrypted PKCS#8 (v2) DER, for
    /// storage; load it with [`SigningKey::from_pkcs8_der`].
    ///
    /// # Errors
    ///
    /// As [`SigningKey::generate`].
    pub fn generate_pkcs8_der(algorithm: JwsAlgorithm) -> Result<Vec<u8>, JoseError> {
        let rng = SystemRandom::new();
        let document = match algorithm {
            JwsAlgorithm::Es256 => EcdsaKeyPair::generate_pkcs8(
                &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                &rng,
            ),
            JwsAlgorithm::Es384 => EcdsaKeyPair::generate_pkcs8(
                &ring::signature::ECDSA_P384_SHA384_FIXED_SIGNING,
                &rng,
            ),
            JwsAlgorithm::EdDsa => Ed25519KeyPair::generate_pkcs8(&rng),
            JwsAlgorithm::Ps256 | JwsAlgorithm::Rs256 => {
                return Err(JoseError::KeyGenerationUnsupported { algorithm });
            }
        }
        .map_err(|_| JoseError::KeyGeneration)?;
        Ok(document.as_ref().to_vec())
    }

    /// Loads an unencrypted PKCS#8 private key (DER) to sign with `algorithm`.
    ///
    /// # Errors
    ///
    /// [`JoseError::KeyRejected`] if ring rejects it: not PKCS#8, another key type or curve
    /// than `algorithm` needs, an RSA key outside 2048 to 8192 bits, inconsistent.
    pub fn from_pkcs8_der(der: &[u8], algorithm: JwsAlgorithm) -> Result<Self, JoseError> {
        let signer = RingSigner::from_pkcs8(algorithm, der)?;
        let public = Jwk::from_public_key(algorithm.key_type(), signer.public_key(), algorithm);
        let kid = public.thumbprint();
        Ok(Self {
            signer,
            public,
            kid,
        })
    }

    /// Loads an unencrypted PKCS#8 private key in PEM (`-----BEGIN PRIVATE KEY-----`) to sign
    /// with `algorithm`.
    ///
    /// # Errors
    ///
    /// [`JoseError::Pem`] if it is not PEM, [`JoseError::NotPkcs8`] for another label
    /// (`RSA PRIVATE KEY`, `EC PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, …), and the errors of
    /// [`SigningKey::from_pkcs8_der`].
    pub fn from_pkcs8_pem(pem: &[u8], algorithm: JwsAlgorithm) -> Result<Self, JoseError> {
        let document = pem::parse(pem).map_err(JoseError::Pem)?;
        if document.tag() != "PRIVATE KEY" {
            return Err(JoseError::NotPkcs8 {
                label: document.tag().to_owned(),
            });
        }
        Self::from_pkcs8_der(document.contents(), algorithm)
    }

    /// The algorithm this key signs with.
    pub fn algorithm(&self) -> JwsAlgorithm {
        self.signer.algorithm()
    }

    /// The key id: the RFC 7638 thumbprint of the public JWK.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public JWK (`kty`, `use: sig`, `alg`, `kid`, and the public members), for a JWKS.
    pub fn public_jwk(&self) -> Jwk {
        self.public.clone()
    }

    /// Signs `claims` as a compact JWS with the header `{"alg", "kid", "typ": "JWT"}`.
    ///
    /// # Errors
    ///
    /// [`JoseError::Serialization`] if the claims do not serialise,
    /// [`JoseError::Signing`] if ring fails.
    pub fn sign_jwt<T: Serialize>(&self, claims: &T) -> Result<String, JoseError> {
        self.sign_jwt_with_type("JWT", claims)
    }

    /// Signs `claims` as a compact JWS with the header `typ` given (explicit typing, RFC 8725
    /// §3.11: `logout+jwt`, `at+jwt`, …).
    ///
    /// # Errors
    ///
    /// As [`SigningKey::sign_jwt`].
    pub fn sign_jwt_with_type<T: Serialize>(
        &self,
        typ: &str,
        claims: &T,
    ) -> Result<String, JoseError> {
        let header = serde_json::to_vec(&Header {
            alg: self.algorithm(),
            kid: &self.kid,
            typ,
        })
        .map_err(JoseError::Serialization)?;
        let payload = serde_json::to_vec(claims).map_err(JoseError::Serialization)?;
        let mut token = URL_SAFE_NO_PAD.encode(header);
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(payload, &mut token);
        let signature = self.sign_raw(token.as_bytes())?;
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(signature, &mut token);
        Ok(token)
    }
}

impl SigningKey {
    /// Signs a JWS signing input as is (tests build odd headers with it).
    pub(crate) fn sign_raw(&self, message: &[u8]) -> Result<Vec<u8>, JoseError> {
        self.signer.sign(message)
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("algorithm", &self.algorithm())
            .field("kid", &self.kid)
            .field("private_key", &"[redacted]")
            .finish()
    }
}
