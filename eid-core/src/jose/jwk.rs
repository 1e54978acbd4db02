//! Public JWKs and JWK Sets (RFC 7517), their RFC 7638 thumbprints, and the verifying keys made
//! from them.

use std::collections::HashSet;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use super::provider::{RingPublicKey, RingVerifier, split_point, strip_leading_zeros};
use super::{JoseError, JwsAlgorithm, KeyType};

/// The largest JWK Set document [`Jwks::from_json`] reads: 64 KiB.
pub const MAX_JWKS_JSON_BYTES: usize = 64 * 1024;

/// The most keys a [`Jwks`] holds: 32.
pub const MAX_JWKS_KEYS: usize = 32;

/// The smallest RSA modulus accepted, in bits.
const MIN_RSA_BITS: usize = 2048;

/// The largest RSA modulus accepted, in bits (ring's limit).
const MAX_RSA_BITS: usize = 8192;

/// The largest RSA public exponent accepted, in bytes (ring accepts up to 33 bits).
const MAX_RSA_EXPONENT_BYTES: usize = 5;

/// The JWK `use` member (RFC 7517 §4.2).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyUse {
    /// `"enc"`: encryption. Such keys never verify signatures; [`Jwks::from_json`] drops them.
    Encryption,
    /// `"sig"`: signatures.
    Signature,
}

impl KeyUse {
    /// The JWK value (`"sig"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Encryption => "enc",
            Self::Signature => "sig",
        }
    }
}

/// A public JSON Web Key for signature verification: EC (P-256, P-384), OKP (Ed25519) or RSA
/// (2048 to 8192 bits).
///
/// Parsing rejects private members (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`, `k`), symmetric
/// keys, wrong coordinate lengths, small RSA moduli, and an `alg` that does not fit the key
/// (ES256 on a P-384 key, RS256 on an EC key, `none`, HMAC).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawJwk", into = "PublicJwk")]
pub struct Jwk {
    key_type: KeyType,
    public: RingPublicKey,
    kid: Option<String>,
    algorithm: Option<JwsAlgorithm>,
    key_use: Option<KeyUse>,
}

impl Jwk {
    /// Builds the JWK of a ring public key.
    pub(crate) fn from_public_key(
        key_type: KeyType,
        public: RingPublicKey,
        algorithm: JwsAlgorithm,
    ) -> Self {
        let mut jwk = Self {
            key_type,
            public,
            kid: None,
            algorithm: Some(algorithm),
            key_use: Some(KeyUse::Signature),
        };
        jwk.kid = Some(jwk.thumbprint());
        jwk
    }

    /// The key type (with its curve).
    pub fn key_type(&self) -> KeyType {
        self.key_type
    }

    /// The `kid` member, if any.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The `alg` member, if any.
    pub fn algorithm(&self) -> Option<JwsAlgorithm> {
        self.algorithm
    }

    /// The `use` member, if any.
    pub fn key_use(&self) -> Option<KeyUse> {
        self.key_use
    }

    /// Whether this key may verify signatures made with `algorithm`: the key type fits, the
    /// key's `alg` (if any) is `algorithm`, and its `use` (if any) is `sig`.
    pub fn supports(&self, algorithm: JwsAlgorithm) -> bool {
        algorithm.key_type() == self.key_type
            && self.algorithm.is_none_or(|declared| declared == algorithm)
            && self
                .key_use
                .is_none_or(|key_use| key_use == KeyUse::Signature)
    }

    /// The RFC 7638 JWK thumbprint (SHA-256, base64url): the canonical `kid` of a key.
    pub fn thumbprint(&self) -> String {
        let canonical = match &self.public {
            RingPublicKey::Ec(point) => {
                let (x, y) = split_point(point).unwrap_or_default();
                format!(
                    r#"{{"crv":"{}","kty":"EC","x":"{}","y":"{}"}}"#,
                    self.key_type.crv().unwrap_or_default(),
                    URL_SAFE_NO_PAD.encode(x),
                    URL_SAFE_NO_PAD.encode(y),
                )
            }
            RingPublicKey::Ed25519(x) => format!(
                r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#,
                URL_SAFE_NO_PAD.encode(x)
            ),
            RingPublicKey::Rsa { n, e } => format!(
                r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
                URL_SAFE_NO_PAD.encode(e),
                URL_SAFE_NO_PAD.encode(n)
            ),
            // Never built from a JWK; not reachable through the public API.
            RingPublicKey::RsaDer(der) => URL_SAFE_NO_PAD.encode(der),
        };
        URL_SAFE_NO_PAD.encode(ring::digest::digest(
            &ring::digest::SHA256,
            canonical.as_bytes(),
        ))
    }

    /// The key, decoded once, for verifying `algorithm` signatures.
    ///
    /// # Errors
    ///
    /// [`JoseError::AlgorithmKeyMismatch`] if the key type does not fit `algorithm`,
    /// [`JoseError::KeyAlgorithmMismatch`] if the key's `alg` is another algorithm,
    /// [`JoseError::UnsupportedKeyUse`] if the key is for encryption.
    pub fn verifying_key(&self, algorithm: JwsAlgorithm) -> Result<VerifyingKey, JoseError> {
        if algorithm.key_type() != self.key_type {
            return Err(JoseError::AlgorithmKeyMismatch {
                algorithm,
                expected: algorithm.key_type(),
                found: self.key_type,
            });
        }
        if let Some(declared) = self.algorithm.filter(|&declared| declared != algorithm) {
            return Err(JoseError::KeyAlgorithmMismatch {
                algorithm,
                declared,
            });
        }
        if self.key_use == Some(KeyUse::Encryption) {
            return Err(JoseError::UnsupportedKeyUse);
        }
        Ok(VerifyingKey(RingVerifier::new(
            algorithm,
            self.public.clone(),
        )))
    }
}

impl fmt::Debug for Jwk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jwk")
            .field("key_type", &self.key_type)
            .field("kid", &self.kid)
            .field("algorithm", &self.algorithm)
            .field("key_use", &self.key_use)
            .finish_non_exhaustive()
    }
}

/// A public key bound to one algorithm, decoded once: what a hot verification path holds.
#[derive(Clone)]
pub struct VerifyingKey(RingVerifier);

impl VerifyingKey {
    /// The algorithm this key verifies.
    pub fn algorithm(&self) -> JwsAlgorithm {
        self.0.algorithm()
    }

    /// Checks a JWS `signature` (decoded) over `message` (the JWS signing input,
    /// `header.payload` as ASCII).
    ///
    /// # Errors
    ///
    /// [`JoseError::SignatureInvalid`] if it does not verify.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), JoseError> {
        self.0.verify(message, signature)
    }
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("algorithm", &self.algorithm())
            .finish_non_exhaustive()
    }
}

/// A public JWK Set (RFC 7517 §5): at most [`MAX_JWKS_KEYS`] signature keys with distinct
/// `kid`s.
///
/// Parse untrusted bytes with [`Jwks::from_json`], which also bounds the document size; the
/// `Deserialize` implementation applies every other rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawJwks")]
pub struct Jwks {
    keys: Vec<Jwk>,
}

impl Jwks {
    /// A set of `keys`.
    ///
    /// # Errors
    ///
    /// [`JoseError::TooManyKeys`] above [`MAX_JWKS_KEYS`], [`JoseError::DuplicateKeyId`] if
    /// two keys share a `kid`.
    pub fn new(keys: Vec<Jwk>) -> Result<Self, JoseError> {
        if keys.len() > MAX_JWKS_KEYS {
            return Err(JoseError::TooManyKeys {
                count: keys.len(),
                max: MAX_JWKS_KEYS,
            });
        }
        let mut kids = HashSet::new();
        for (index, key) in keys.iter().enumerate() {
            if let Some(kid) = key.kid()
                && !kids.insert(kid)
            {
                return Err(JoseError::DuplicateKeyId { index });
            }
        }
        Ok(Self { keys })
    }

    /// Parses a JWK Set document from an untrusted source (a provider's `jwks_uri`).
    ///
    /// Keys with `"use": "enc"` are dropped (after the private-member check): they never verify
    /// signatures. Every other key must be a valid public signature key, or the whole set is
    /// rejected.
    ///
    /// # Errors
    ///
    /// [`JoseError::JwksTooLarge`] above [`MAX_JWKS_JSON_BYTES`], [`JoseError::Json`] if it
    /// is not a JWK Set, [`JoseError::InvalidJwksKey`] naming the first bad key, and the errors
    /// of [`Jwks::new`].
    pub fn from_json(bytes: &[u8]) -> Result<Self, JoseError> {
        if bytes.len() > MAX_JWKS_JSON_BYTES {
            return Err(JoseError::JwksTooLarge {
                size: bytes.len(),
                max: MAX_JWKS_JSON_BYTES,
            });
        }
        let raw: RawJwks = serde_json::from_slice(bytes).map_err(JoseError::Json)?;
        Self::try_from(raw)
    }

    /// The keys.
    pub fn keys(&self) -> &[Jwk] {
        &self.keys
    }

    /// The key with this `kid`.
    pub fn find(&self, kid: &str) -> Option<&Jwk> {
        self.keys.iter().find(|key| key.kid() == Some(kid))
    }
}

/// A JWK as it arrives: every member optional, private members detected.
#[derive(Deserialize)]
struct RawJwk {
    kty: Option<String>,
    #[serde(rename = "use")]
    key_use: Option<String>,
    alg: Option<String>,
    kid: Option<String>,
    crv: Option<String>,
    x: Option<String>,
    y: Option<String>,
    n: Option<String>,
    e: Option<String>,
    d: Option<IgnoredAny>,
    p: Option<IgnoredAny>,
    q: Option<IgnoredAny>,
    dp: Option<IgnoredAny>,
    dq: Option<IgnoredAny>,
    qi: Option<IgnoredAny>,
    oth: Option<IgnoredAny>,
    k: Option<IgnoredAny>,
}

impl RawJwk {
    fn private_member(&self) -> Option<&'static str> {
        [
            ("d", self.d.is_some()),
            ("p", self.p.is_some()),
            ("q", self.q.is_some()),
            ("dp", self.dp.is_some()),
            ("dq", self.dq.is_some()),
            ("qi", self.qi.is_some()),
            ("oth", self.oth.is_some()),
            ("k", self.k.is_some()),
        ]
        .into_iter()
        .find_map(|(member, present)| present.then_some(member))
    }

    fn is_encryption_key(&self) -> bool {
        self.key_use.as_deref() == Some("enc")
    }
}

fn decode_member(member: &'static str, value: Option<&String>) -> Result<Vec<u8>, JoseError> {
    let value = value.ok_or(JoseError::MissingMember { member })?;
    URL_SAFE_NO_PAD
        .decode(value)
        .map_err(|_| JoseError::Base64 { member })
}

fn decode_fixed(
    member: &'static str,
    value: Option<&String>,
    expected: usize,
) -> Result<Vec<u8>, JoseError> {
    let bytes = decode_member(member, value)?;
    if bytes.len() != expected {
        return Err(JoseError::InvalidKeyLength {
            member,
            expected,
            found: bytes.len(),
        });
    }
    Ok(bytes)
}

/// The bit length of a big-endian unsigned integer without leading zeros.
fn bit_length(bytes: &[u8]) -> usize {
    bytes.first().map_or(0, |&first| {
        (bytes.len() - 1) * 8 + (8 - first.leading_zeros() as usize)
    })
}

impl TryFrom<RawJwk> for Jwk {
    type Error = JoseError;

    fn try_from(raw: RawJwk) -> Result<Self, Self::Error> {
        if let Some(member) = raw.private_member() {
            return Err(JoseError::PrivateKeyMaterial { member });
        }
        let kty = raw
            .kty
            .as_deref()
            .ok_or(JoseError::MissingMember { member: "kty" })?;
        let (key_type, public) = match kty {
            "EC" => {
                let (key_type, size) = match raw.crv.as_deref() {
                    Some("P-256") => (KeyType::P256, 32),
                    Some("P-384") => (KeyType::P384, 48),
                    Some(_) => return Err(JoseError::UnsupportedCurve),
                    None => return Err(JoseError::MissingMember { member: "crv" }),
                };
                let x = decode_fixed("x", raw.x.as_ref(), size)?;
                let y = decode_fixed("y", raw.y.as_ref(), size)?;
                let mut point = Vec::with_capacity(1 + 2 * size);
                point.push(0x04);
                point.extend_from_slice(&x);
                point.extend_from_slice(&y);
                (key_type, RingPublicKey::Ec(point))
            }
            "OKP" => {
                match raw.crv.as_deref() {
                    Some("Ed25519") => {}
                    Some(_) => return Err(JoseError::UnsupportedCurve),
                    None => return Err(JoseError::MissingMember { member: "crv" }),
                }
                let x = decode_fixed("x", raw.x.as_ref(), ring::signature::ED25519_PUBLIC_KEY_LEN)?;
                (KeyType::Ed25519, RingPublicKey::Ed25519(x))
            }
            "RSA" => {
                let n = decode_member("n", raw.n.as_ref())?;
                let e = decode_member("e", raw.e.as_ref())?;
                let n = strip_leading_zeros(&n).to_vec();
                let e = strip_leading_zeros(&e).to_vec();
                let bits = bit_length(&n);
                if bits < MIN_RSA_BITS {
                    return Err(JoseError::RsaModulusTooSmall { bits });
                }
                if bits > MAX_RSA_BITS {
                    return Err(JoseError::RsaModulusTooLarge { bits });
                }
                if e.is_empty() || e.len() > MAX_RSA_EXPONENT_BYTES {
                    return Err(JoseError::InvalidKeyLength {
                        member: "e",
                        expected: MAX_RSA_EXPONENT_BYTES,
                        found: e.len(),
                    });
                }
                (KeyType::Rsa, RingPublicKey::Rsa { n, e })
            }
            "oct" => return Err(JoseError::SymmetricKey),
            _ => return Err(JoseError::UnsupportedKeyType),
        };
        let algorithm = raw
            .alg
            .as_deref()
            .map(str::parse::<JwsAlgorithm>)
            .transpose()?;
        if let Some(algorithm) = algorithm
            && algorithm.key_type() != key_type
        {
            return Err(JoseError::AlgorithmKeyMismatch {
                algorithm,
                expected: algorithm.key_type(),
                found: key_type,
            });
        }
        let key_use = match raw.key_use.as_deref() {
            None => None,
            Some("sig") => Some(KeyUse::Signature),
            Some("enc") => Some(KeyUse::Encryption),
            Some(_) => return Err(JoseError::UnsupportedKeyUse),
        };
        Ok(Self {
            key_type,
            public,
            kid: raw.kid,
            algorithm,
            key_use,
        })
    }
}

/// A JWK as it is published.
#[derive(Serialize)]
struct PublicJwk {
    kty: &'static str,
    #[serde(rename = "use", skip_serializing_if = "Option::is_none")]
    key_use: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alg: Option<JwsAlgorithm>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    crv: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    x: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    y: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    n: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    e: Option<String>,
}

impl From<Jwk> for PublicJwk {
    fn from(jwk: Jwk) -> Self {
        let mut public = Self {
            kty: jwk.key_type.kty(),
            key_use: jwk.key_use.map(KeyUse::as_str),
            alg: jwk.algorithm,
            kid: jwk.kid,
            crv: jwk.key_type.crv(),
            x: None,
            y: None,
            n: None,
            e: None,
        };
        match &jwk.public {
            RingPublicKey::Ec(point) => {
                let (x, y) = split_point(point).unwrap_or_default();
                public.x = Some(URL_SAFE_NO_PAD.encode(x));
                public.y = Some(URL_SAFE_NO_PAD.encode(y));
            }
            RingPublicKey::Ed25519(x) => public.x = Some(URL_SAFE_NO_PAD.encode(x)),
            RingPublicKey::Rsa { n, e } => {
                public.n = Some(URL_SAFE_NO_PAD.encode(n));
                public.e = Some(URL_SAFE_NO_PAD.encode(e));
            }
            RingPublicKey::RsaDer(_) => {}
        }
        public
    }
}

/// A JWK Set as it arrives.
#[derive(Deserialize)]
struct RawJwks {
    keys: Vec<RawJwk>,
}

impl TryFrom<RawJwks> for Jwks {
    type Error = JoseError;

    fn try_from(raw: RawJwks) -> Result<Self, Self::Error> {
        if raw.keys.len() > MAX_JWKS_KEYS {
            return Err(JoseError::TooManyKeys {
                count: raw.keys.len(),
                max: MAX_JWKS_KEYS,
            });
        }
        let mut keys = Vec::with_capacity(raw.keys.len());
        for (index, raw_key) in raw.keys.into_iter().enumerate() {
            let invalid = |source| JoseError::InvalidJwksKey {
                index,
                source: Box::new(source),
            };
            if let Some(member) = raw_key.private_member() {
                return Err(invalid(JoseError::PrivateKeyMaterial { member }));
            }
            if raw_key.is_encryption_key() {
                continue;
            }
            keys.push(Jwk::try_from(raw_key).map_err(invalid)?);
        }
        Self::new(keys)
    }
}
