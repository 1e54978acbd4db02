//! The ring signers and verifiers, and the `jsonwebtoken` crypto provider made of them.
//!
//! `jsonwebtoken` 11 decouples its cryptography behind a process-wide
//! [`CryptoProvider`]: two factory functions (`fn(&Algorithm, &EncodingKey)` and
//! `fn(&Algorithm, &DecodingKey)`) that build a boxed [`JwtSigner`] or [`JwtVerifier`], plus
//! JWK helpers. Its built-in backends are aws-lc-rs and RustCrypto; it has no ring backend, and
//! without an installed provider every signature panics. [`RING_PROVIDER`] is ours: the same
//! [`RingSigner`] and [`RingVerifier`] that [`SigningKey`](super::SigningKey) and
//! [`VerifyingKey`] use, so eid has one crypto stack for JWTs.
//!
//! The factories are plain function pointers, so `jsonwebtoken::encode` re-parses the private
//! key on every call (about half the cost of an ES256 signature). eid's own hot paths therefore
//! do not go through the factories: a [`SigningKey`](super::SigningKey) holds its parsed ring
//! key pair and a [`VerifyingKey`] its decoded public key, and both call the same
//! [`JwtSigner`]/[`JwtVerifier`] implementations directly.

use std::sync::OnceLock;

use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{ErrorKind, new_error};
use jsonwebtoken::jwk::{EllipticCurve, ThumbprintHash};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, DecodingKeyKind, EncodingKey};
use ring::rand::SystemRandom;
use ring::signature::{self as ring_sig, KeyPair as _};

use super::{JoseError, JwsAlgorithm, KeyType};

/// The `jsonwebtoken` crypto provider backed by ring.
///
/// It signs and verifies exactly the algorithms of [`JwsAlgorithm`]; every other algorithm
/// (HMAC, RS384, …) is refused with `ErrorKind::UnsupportedAlgorithm`. Install it with
/// [`install_ring_provider`].
///
/// Keys it accepts: private keys as PKCS#8 DER (RSA also as PKCS#1 `RSAPrivateKey` DER);
/// public keys as JWK components, an uncompressed EC point, a raw Ed25519 key, or a PKCS#1
/// `RSAPublicKey` DER. Its [`KeyUtils`] cannot take an RSA *public* key DER apart (ring has no
/// parser for it) and return an error for that one case.
pub static RING_PROVIDER: CryptoProvider = CryptoProvider {
    signer_factory: new_signer,
    verifier_factory: new_verifier,
    key_utils: KeyUtils {
        rsa_pub_components_from_private_key: rsa_components_from_private_key,
        rsa_pub_components_from_public_key: rsa_components_from_public_key,
        ec_pub_components_from_private_key: ec_components_from_private_key,
        ed_pub_components_from_private_key: ed_components_from_private_key,
        compute_digest,
    },
};

/// Whether our [`install_ring_provider`] call won the race to install a provider.
static INSTALLED_BY_US: OnceLock<bool> = OnceLock::new();

/// Installs [`RING_PROVIDER`] as this process's `jsonwebtoken` crypto provider. Idempotent.
///
/// Call it once at start-up, before any `jsonwebtoken::encode`/`decode`; eid's own signing
/// ([`SigningKey`](super::SigningKey)) and verification ([`crate::verify`]) do not need it.
/// Install the provider only through this function (not `RING_PROVIDER.install_default()`),
/// so that later calls can tell it is ours.
///
/// # Errors
///
/// [`JoseError::ForeignCryptoProvider`] if another provider was installed first (or
/// `jsonwebtoken` was used before any provider was installed, which selects its panicking
/// placeholder).
pub fn install_ring_provider() -> Result<(), JoseError> {
    let ours = *INSTALLED_BY_US.get_or_init(|| RING_PROVIDER.install_default().is_ok());
    if ours {
        Ok(())
    } else {
        Err(JoseError::ForeignCryptoProvider)
    }
}

/// A ring key pair that signs with one [`JwsAlgorithm`].
pub(crate) struct RingSigner {
    algorithm: JwsAlgorithm,
    key_pair: RingKeyPair,
    rng: SystemRandom,
}

enum RingKeyPair {
    Ecdsa(ring_sig::EcdsaKeyPair),
    Ed25519(ring_sig::Ed25519KeyPair),
    Rsa(ring_sig::RsaKeyPair),
}

impl RingSigner {
    /// Parses an unencrypted PKCS#8 private key (DER) for `algorithm`.
    pub(crate) fn from_pkcs8(algorithm: JwsAlgorithm, der: &[u8]) -> Result<Self, JoseError> {
        let rng = SystemRandom::new();
        let key_pair = match algorithm {
            JwsAlgorithm::Es256 | JwsAlgorithm::Es384 => RingKeyPair::Ecdsa(
                ring_sig::EcdsaKeyPair::from_pkcs8(ecdsa_signing(algorithm), der, &rng)
                    .map_err(rejected)?,
            ),
            // Accepts PKCS#8 v1 (what `openssl genpkey` writes) and v2; a v2 public key is
            // checked against the private key.
            JwsAlgorithm::EdDsa => RingKeyPair::Ed25519(
                ring_sig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(der).map_err(rejected)?,
            ),
            JwsAlgorithm::Ps256 | JwsAlgorithm::Rs256 => {
                RingKeyPair::Rsa(ring_sig::RsaKeyPair::from_pkcs8(der).map_err(rejected)?)
            }
        };
        Ok(Self {
            algorithm,
            key_pair,
            rng,
        })
    }

    /// Parses a PKCS#1 `RSAPrivateKey` (DER).
    fn from_rsa_pkcs1(algorithm: JwsAlgorithm, der: &[u8]) -> Result<Self, JoseError> {
        Ok(Self {
            algorithm,
            key_pair: RingKeyPair::Rsa(ring_sig::RsaKeyPair::from_der(der).map_err(rejected)?),
            rng: SystemRandom::new(),
        })
    }

    /// The algorithm this signer signs with.
    pub(crate) fn algorithm(&self) -> JwsAlgorithm {
        self.algorithm
    }

    /// Signs `message` (the JWS signing input).
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, JoseError> {
        match &self.key_pair {
            RingKeyPair::Ecdsa(key_pair) => key_pair
                .sign(&self.rng, message)
                .map(|signature| signature.as_ref().to_vec())
                .map_err(|_| JoseError::Signing),
            RingKeyPair::Ed25519(key_pair) => Ok(key_pair.sign(message).as_ref().to_vec()),
            RingKeyPair::Rsa(key_pair) => {
                let padding: &'static dyn ring_sig::RsaEncoding =
                    if self.algorithm == JwsAlgorithm::Ps256 {
                        &ring_sig::RSA_PSS_SHA256
                    } else {
                        &ring_sig::RSA_PKCS1_SHA256
                    };
                let mut signature = vec![0; key_pair.public().modulus_len()];
                key_pair
                    .sign(padding, &self.rng, message, &mut signature)
                    .map_err(|_| JoseError::Signing)?;
                Ok(signature)
            }
        }
    }

    /// The public key, in the form a [`RingVerifier`] takes.
    pub(crate) fn public_key(&self) -> RingPublicKey {
        match &self.key_pair {
            RingKeyPair::Ecdsa(key_pair) => {
                RingPublicKey::Ec(key_pair.public_key().as_ref().to_vec())
            }
            RingKeyPair::Ed25519(key_pair) => {
                RingPublicKey::Ed25519(key_pair.public_key().as_ref().to_vec())
            }
            RingKeyPair::Rsa(key_pair) => {
                let components =
                    ring_sig::RsaPublicKeyComponents::<Vec<u8>>::from(key_pair.public());
                RingPublicKey::Rsa {
                    n: components.n,
                    e: components.e,
                }
            }
        }
    }
}

impl jsonwebtoken::signature::Signer<Vec<u8>> for RingSigner {
    fn try_sign(&self, message: &[u8]) -> Result<Vec<u8>, jsonwebtoken::signature::Error> {
        self.sign(message)
            .map_err(jsonwebtoken::signature::Error::from_source)
    }
}

impl JwtSigner for RingSigner {
    fn algorithm(&self) -> Algorithm {
        self.algorithm.to_jsonwebtoken()
    }
}

/// A public key, decoded once, in the form ring verifies with.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum RingPublicKey {
    /// An uncompressed SEC 1 point (`04 || x || y`).
    Ec(Vec<u8>),
    /// A raw 32-byte Ed25519 public key.
    Ed25519(Vec<u8>),
    /// RSA modulus and exponent, big-endian without leading zeros.
    Rsa { n: Vec<u8>, e: Vec<u8> },
    /// A PKCS#1 `RSAPublicKey` (DER).
    RsaDer(Vec<u8>),
}

/// A public key bound to the one [`JwsAlgorithm`] it verifies.
#[derive(Clone)]
pub(crate) struct RingVerifier {
    algorithm: JwsAlgorithm,
    key: RingPublicKey,
}

impl RingVerifier {
    /// Binds `key` to `algorithm`. The caller has checked that the key type fits.
    pub(crate) fn new(algorithm: JwsAlgorithm, key: RingPublicKey) -> Self {
        Self { algorithm, key }
    }

    /// The algorithm this key verifies.
    pub(crate) fn algorithm(&self) -> JwsAlgorithm {
        self.algorithm
    }

    /// Checks `signature` over `message` (the JWS signing input).
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), JoseError> {
        let outcome = match (&self.key, self.algorithm) {
            (RingPublicKey::Ec(point), JwsAlgorithm::Es256) => {
                ring_sig::UnparsedPublicKey::new(&ring_sig::ECDSA_P256_SHA256_FIXED, point)
                    .verify(message, signature)
            }
            (RingPublicKey::Ec(point), JwsAlgorithm::Es384) => {
                ring_sig::UnparsedPublicKey::new(&ring_sig::ECDSA_P384_SHA384_FIXED, point)
                    .verify(message, signature)
            }
            (RingPublicKey::Ed25519(key), JwsAlgorithm::EdDsa) => {
                ring_sig::UnparsedPublicKey::new(&ring_sig::ED25519, key).verify(message, signature)
            }
            (RingPublicKey::Rsa { n, e }, JwsAlgorithm::Rs256 | JwsAlgorithm::Ps256) => {
                ring_sig::RsaPublicKeyComponents { n, e }.verify(
                    rsa_verification(self.algorithm),
                    message,
                    signature,
                )
            }
            (RingPublicKey::RsaDer(der), JwsAlgorithm::Rs256 | JwsAlgorithm::Ps256) => {
                ring_sig::UnparsedPublicKey::new(rsa_verification(self.algorithm), der)
                    .verify(message, signature)
            }
            _ => return Err(JoseError::SignatureInvalid),
        };
        outcome.map_err(|_| JoseError::SignatureInvalid)
    }
}

impl jsonwebtoken::signature::Verifier<Vec<u8>> for RingVerifier {
    fn verify(
        &self,
        message: &[u8],
        signature: &Vec<u8>,
    ) -> Result<(), jsonwebtoken::signature::Error> {
        RingVerifier::verify(self, message, signature)
            .map_err(jsonwebtoken::signature::Error::from_source)
    }
}

impl JwtVerifier for RingVerifier {
    fn algorithm(&self) -> Algorithm {
        self.algorithm.to_jsonwebtoken()
    }
}

fn ecdsa_signing(algorithm: JwsAlgorithm) -> &'static ring_sig::EcdsaSigningAlgorithm {
    if algorithm == JwsAlgorithm::Es384 {
        &ring_sig::ECDSA_P384_SHA384_FIXED_SIGNING
    } else {
        &ring_sig::ECDSA_P256_SHA256_FIXED_SIGNING
    }
}

fn rsa_verification(algorithm: JwsAlgorithm) -> &'static ring_sig::RsaParameters {
    if algorithm == JwsAlgorithm::Ps256 {
        &ring_sig::RSA_PSS_2048_8192_SHA256
    } else {
        &ring_sig::RSA_PKCS1_2048_8192_SHA256
    }
}

fn rejected(error: ring::error::KeyRejected) -> JoseError {
    JoseError::KeyRejected {
        detail: error.to_string(),
    }
}

fn provider_error(error: JoseError) -> jsonwebtoken::errors::Error {
    new_error(ErrorKind::Provider(error.to_string()))
}

/// The eid algorithm for a `jsonwebtoken` algorithm, as the factories need it.
fn supported(algorithm: Algorithm) -> jsonwebtoken::errors::Result<JwsAlgorithm> {
    JwsAlgorithm::from_jsonwebtoken(algorithm)
        .map_err(|_| new_error(ErrorKind::UnsupportedAlgorithm))
}

fn family_of(key_type: KeyType) -> AlgorithmFamily {
    match key_type {
        KeyType::Ed25519 => AlgorithmFamily::Ed,
        KeyType::P256 | KeyType::P384 => AlgorithmFamily::Ec,
        KeyType::Rsa => AlgorithmFamily::Rsa,
    }
}

fn new_signer(
    algorithm: &Algorithm,
    key: &EncodingKey,
) -> jsonwebtoken::errors::Result<Box<dyn JwtSigner>> {
    let algorithm = supported(*algorithm)?;
    if key.family() != family_of(algorithm.key_type()) {
        return Err(new_error(ErrorKind::InvalidKeyFormat));
    }
    let signer = match RingSigner::from_pkcs8(algorithm, key.as_bytes()) {
        Ok(signer) => signer,
        Err(error) if algorithm.key_type() == KeyType::Rsa => {
            RingSigner::from_rsa_pkcs1(algorithm, key.as_bytes())
                .map_err(|_| provider_error(error))?
        }
        Err(error) => return Err(provider_error(error)),
    };
    Ok(Box::new(signer))
}

fn new_verifier(
    algorithm: &Algorithm,
    key: &DecodingKey,
) -> jsonwebtoken::errors::Result<Box<dyn JwtVerifier>> {
    let algorithm = supported(*algorithm)?;
    if key.family() != family_of(algorithm.key_type()) {
        return Err(new_error(ErrorKind::InvalidKeyFormat));
    }
    let public_key = match (key.kind(), algorithm.key_type()) {
        (DecodingKeyKind::RsaModulusExponent { n, e }, KeyType::Rsa) => RingPublicKey::Rsa {
            n: strip_leading_zeros(n).to_vec(),
            e: strip_leading_zeros(e).to_vec(),
        },
        (DecodingKeyKind::SecretOrDer(der), KeyType::Rsa) => RingPublicKey::RsaDer(der.clone()),
        (DecodingKeyKind::SecretOrDer(point), KeyType::P256 | KeyType::P384) => {
            RingPublicKey::Ec(point.clone())
        }
        (DecodingKeyKind::SecretOrDer(raw), KeyType::Ed25519) => {
            RingPublicKey::Ed25519(raw.clone())
        }
        _ => return Err(new_error(ErrorKind::InvalidKeyFormat)),
    };
    Ok(Box::new(RingVerifier::new(algorithm, public_key)))
}

/// Removes leading zero octets from a big-endian unsigned integer.
pub(crate) fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(first..).unwrap_or_default()
}

fn rsa_components_from_private_key(der: &[u8]) -> jsonwebtoken::errors::Result<(Vec<u8>, Vec<u8>)> {
    let key_pair = ring_sig::RsaKeyPair::from_pkcs8(der)
        .or_else(|_| ring_sig::RsaKeyPair::from_der(der))
        .map_err(|e| new_error(ErrorKind::InvalidRsaKey(e.to_string())))?;
    let components = ring_sig::RsaPublicKeyComponents::<Vec<u8>>::from(key_pair.public());
    Ok((components.n, components.e))
}

fn rsa_components_from_public_key(_der: &[u8]) -> jsonwebtoken::errors::Result<(Vec<u8>, Vec<u8>)> {
    Err(new_error(ErrorKind::Provider(
        "the ring provider cannot take an RSA public key DER apart; use JWK components".to_owned(),
    )))
}

fn ec_components_from_private_key(
    der: &[u8],
    algorithm: Algorithm,
) -> jsonwebtoken::errors::Result<(EllipticCurve, Vec<u8>, Vec<u8>)> {
    let (jws_algorithm, curve) = match algorithm {
        Algorithm::ES256 => (JwsAlgorithm::Es256, EllipticCurve::P256),
        Algorithm::ES384 => (JwsAlgorithm::Es384, EllipticCurve::P384),
        _ => return Err(new_error(ErrorKind::InvalidEcdsaKey)),
    };
    let signer = RingSigner::from_pkcs8(jws_algorithm, der)
        .map_err(|_| new_error(ErrorKind::InvalidEcdsaKey))?;
    let RingPublicKey::Ec(point) = signer.public_key() else {
        return Err(new_error(ErrorKind::InvalidEcdsaKey));
    };
    let (x, y) = split_point(&point).ok_or_else(|| new_error(ErrorKind::InvalidEcdsaKey))?;
    Ok((curve, x.to_vec(), y.to_vec()))
}

fn ed_components_from_private_key(
    der: &[u8],
    curve: &EllipticCurve,
) -> jsonwebtoken::errors::Result<Vec<u8>> {
    if *curve != EllipticCurve::Ed25519 {
        return Err(new_error(ErrorKind::InvalidAlgorithm));
    }
    let key_pair = ring_sig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
        .map_err(|_| new_error(ErrorKind::InvalidEddsaKey))?;
    Ok(key_pair.public_key().as_ref().to_vec())
}

fn compute_digest(data: &[u8], hash: ThumbprintHash) -> jsonwebtoken::errors::Result<Vec<u8>> {
    let algorithm = match hash {
        ThumbprintHash::SHA256 => &ring::digest::SHA256,
        ThumbprintHash::SHA384 => &ring::digest::SHA384,
        ThumbprintHash::SHA512 => &ring::digest::SHA512,
        _ => return Err(new_error(ErrorKind::UnsupportedAlgorithm)),
    };
    Ok(ring::digest::digest(algorithm, data).as_ref().to_vec())
}

/// Splits an uncompressed SEC 1 point `04 || x || y` into `x` and `y`.
pub(crate) fn split_point(point: &[u8]) -> Option<(&[u8], &[u8])> {
    let (&tag, coordinates) = point.split_first()?;
    if tag != 0x04 || coordinates.is_empty() || coordinates.len() % 2 != 0 {
        return None;
    }
    Some(coordinates.split_at(coordinates.len() / 2))
}
