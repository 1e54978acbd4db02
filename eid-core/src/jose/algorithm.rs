//! The JWS algorithms eid accepts (RFC 7518 §3.1, RFC 8037 §3.1).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::JoseError;

/// A JWS signature algorithm eid accepts.
///
/// This is an allow-list: `none` and the HMAC algorithms (`HS256`, `HS384`, `HS512`) cannot be
/// expressed, and parsing them fails with [`JoseError::AlgorithmNone`] or
/// [`JoseError::AlgorithmSymmetric`]. Serialised as the JOSE name (`"ES256"`).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum JwsAlgorithm {
    /// EdDSA with Ed25519 (RFC 8037).
    EdDsa,
    /// ECDSA with P-256 and SHA-256: the default.
    #[default]
    Es256,
    /// ECDSA with P-384 and SHA-384.
    Es384,
    /// RSASSA-PSS with SHA-256 and MGF1 with SHA-256.
    Ps256,
    /// RSASSA-PKCS1-v1_5 with SHA-256 (required by OIDC Sweden and OpenID Connect Core).
    Rs256,
}

/// The kind of key an algorithm needs (the JWK `kty`, with the curve for elliptic curves).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// An Ed25519 key (`"kty": "OKP", "crv": "Ed25519"`).
    Ed25519,
    /// A P-256 key (`"kty": "EC", "crv": "P-256"`).
    P256,
    /// A P-384 key (`"kty": "EC", "crv": "P-384"`).
    P384,
    /// An RSA key (`"kty": "RSA"`).
    Rsa,
}

impl JwsAlgorithm {
    /// Every algorithm, in a stable order.
    pub const ALL: [Self; 5] = [
        Self::Es256,
        Self::Es384,
        Self::EdDsa,
        Self::Ps256,
        Self::Rs256,
    ];

    /// The JOSE name (`"ES256"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::EdDsa => "EdDSA",
            Self::Es256 => "ES256",
            Self::Es384 => "ES384",
            Self::Ps256 => "PS256",
            Self::Rs256 => "RS256",
        }
    }

    /// The kind of key this algorithm signs with.
    pub const fn key_type(self) -> KeyType {
        match self {
            Self::EdDsa => KeyType::Ed25519,
            Self::Es256 => KeyType::P256,
            Self::Es384 => KeyType::P384,
            Self::Ps256 | Self::Rs256 => KeyType::Rsa,
        }
    }

    /// The same algorithm as `jsonwebtoken` names it.
    pub const fn to_jsonwebtoken(self) -> jsonwebtoken::Algorithm {
        match self {
            Self::EdDsa => jsonwebtoken::Algorithm::EdDSA,
            Self::Es256 => jsonwebtoken::Algorithm::ES256,
            Self::Es384 => jsonwebtoken::Algorithm::ES384,
            Self::Ps256 => jsonwebtoken::Algorithm::PS256,
            Self::Rs256 => jsonwebtoken::Algorithm::RS256,
        }
    }

    /// The eid algorithm for a `jsonwebtoken` algorithm.
    ///
    /// # Errors
    ///
    /// [`JoseError::AlgorithmSymmetric`] for the HMAC algorithms,
    /// [`JoseError::AlgorithmUnsupported`] for the other algorithms eid does not accept.
    pub fn from_jsonwebtoken(algorithm: jsonwebtoken::Algorithm) -> Result<Self, JoseError> {
        match algorithm {
            jsonwebtoken::Algorithm::EdDSA => Ok(Self::EdDsa),
            jsonwebtoken::Algorithm::ES256 => Ok(Self::Es256),
            jsonwebtoken::Algorithm::ES384 => Ok(Self::Es384),
            jsonwebtoken::Algorithm::PS256 => Ok(Self::Ps256),
            jsonwebtoken::Algorithm::RS256 => Ok(Self::Rs256),
            jsonwebtoken::Algorithm::HS256
            | jsonwebtoken::Algorithm::HS384
            | jsonwebtoken::Algorithm::HS512 => Err(JoseError::AlgorithmSymmetric),
            _ => Err(JoseError::AlgorithmUnsupported),
        }
    }
}

impl KeyType {
    /// The JWK `kty` value.
    pub const fn kty(self) -> &'static str {
        match self {
            Self::Ed25519 => "OKP",
            Self::P256 | Self::P384 => "EC",
            Self::Rsa => "RSA",
        }
    }

    /// The JWK `crv` value, for curve keys.
    pub const fn crv(self) -> Option<&'static str> {
        match self {
            Self::Ed25519 => Some("Ed25519"),
            Self::P256 => Some("P-256"),
            Self::P384 => Some("P-384"),
            Self::Rsa => None,
        }
    }
}

impl fmt::Display for JwsAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for JwsAlgorithm {
    type Err = JoseError;

    /// Parses the exact, case-sensitive JOSE name.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "EdDSA" => Ok(Self::EdDsa),
            "ES256" => Ok(Self::Es256),
            "ES384" => Ok(Self::Es384),
            "PS256" => Ok(Self::Ps256),
            "RS256" => Ok(Self::Rs256),
            _ if name.eq_ignore_ascii_case("none") => Err(JoseError::AlgorithmNone),
            "HS256" | "HS384" | "HS512" => Err(JoseError::AlgorithmSymmetric),
            _ => Err(JoseError::AlgorithmUnsupported),
        }
    }
}

impl Serialize for JwsAlgorithm {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for JwsAlgorithm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}
