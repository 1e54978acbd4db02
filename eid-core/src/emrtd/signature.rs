//! Public keys and signature verification for eMRTD certificates and security objects: RSA
//! PKCS#1 v1.5 (RFC 8017 §8.2), RSASSA-PSS with any parameters (RFC 4055), and ECDSA
//! (SEC 1 v2 §4.1.4) on NIST P-224/256/384/521 and brainpoolP224r1/256r1/320r1/384r1/512r1 (RFC
//! 5639), with named or explicit (`SpecifiedECDomain`) domain parameters (ICAO 9303 part 12 §7.2,
//! BSI TR-03111 §5.1).
//!
//! # Which implementation verifies what
//!
//! Verification is dispatched, fastest first, to the implementation that covers the case:
//!
//! | case | implementation |
//! | --- | --- |
//! | RSA PKCS#1 v1.5, SHA-1/256/384/512, 1024–8192 bits (SHA-384: 2048+) | `ring` |
//! | RSASSA-PSS, SHA-256/384/512, MGF1 with the same hash, salt = hash length, 2048–8192 bits | `ring` |
//! | ECDSA P-256 with SHA-256, P-384 with SHA-384 | `ring` |
//! | any other RSA case (SHA-224, PSS with another salt length or SHA-1, 1024–2047-bit PSS) | `rsa` 0.10 |
//! | ECDSA brainpoolP256r1, brainpoolP384r1, P-521 | `bp256` / `bp384` / `p521` 0.14 (`ecdsa` 0.17) |
//! | ECDSA P-224, brainpoolP224r1/320r1/512r1, and P-256/P-384 with any other hash | our generic verifier on `crypto-bigint` |
//!
//! `ring` lacks brainpool, P-521, ECDSA with SHA-1/512 and PSS with other salt lengths; the
//! RustCrypto crates of one generation (`rsa` 0.10, `ecdsa` 0.17, `elliptic-curve` 0.14,
//! `crypto-bigint` 0.7, all stable releases) fill the gaps; `p224` 0.14 is only a release
//! candidate and no crate implements brainpoolP224r1, P320r1 or P512r1, so those use a small
//! generic short-Weierstrass ECDSA verifier (`signature/weierstrass.rs`) on `crypto-bigint`'s
//! Montgomery arithmetic (`ConstMontyForm`: every field operation is the crate's). All of this
//! verifies public data, so the generic verifier is variable-time by design; it must never see
//! a secret. On the brainpool curves it computes on the isomorphic twist with a = −3 (RFC 5639
//! §3), whose doublings are cheaper. Each curve's generator gets a table of precomputed
//! multiples once, and a key that verifies a second time (a CSCA's) gets one too, shared by its
//! clones, so that later verifications need an eighth of the doublings: on brainpoolP512r1 one
//! then takes a third of the instructions of a key used once (3.8 against 11.3 million,
//! callgrind). Such a key table holds 16 KiB on brainpoolP512r1 (8 KiB on 224- and 256-bit
//! curves). The tests compare the generic verifier with the `bp256`, `bp384` and `p521` crates
//! on random keys and digests. The maintained crates are kept where they exist all the same,
//! and the generic verifier serves only where none does.
//!
//! ASN.1 (SubjectPublicKeyInfo, ECParameters, RSASSA-PSS-params, Ecdsa-Sig-Value) is parsed with
//! `x509-parser` and its `asn1-rs`.
//!
//! # Limits
//! RSA moduli of 1024 to 8192 bits, public exponents odd in 3..2³³; SPKI of at most
//! [`MAX_SPKI_LEN`] bytes; signatures of at most 1024 bytes; messages of at most
//! [`MAX_MESSAGE_LEN`] bytes.

mod algorithm;
mod curves;
mod ecdsa;
mod rsassa;
mod spki;
mod weierstrass;

use std::fmt;

use super::digest::DigestAlgorithm;

/// The largest DER SubjectPublicKeyInfo [`PublicKey::from_spki_der`] reads.
pub const MAX_SPKI_LEN: usize = 16 * 1024;
/// The largest message [`PublicKey::verify`] hashes (a master list signed without signed
/// attributes is about 1 MB).
pub const MAX_MESSAGE_LEN: usize = 16 * 1024 * 1024;
/// The largest signature [`PublicKey::verify`] reads (RSA-8192).
const MAX_SIGNATURE_LEN: usize = 1024;
/// The smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 1024;
/// The largest RSA modulus accepted, in bits.
pub const MAX_RSA_BITS: usize = 8192;

/// A signature algorithm with its parameters, as named by an AlgorithmIdentifier.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2) with the given hash.
    RsaPkcs1 {
        /// The hash of the message.
        digest: DigestAlgorithm,
    },
    /// RSASSA-PSS (RFC 8017 §8.1, parameters RFC 4055 §3.1).
    RsaPss {
        /// The hash of the message.
        digest: DigestAlgorithm,
        /// The hash of MGF1.
        mgf_digest: DigestAlgorithm,
        /// The salt length, in bytes.
        salt_len: usize,
    },
    /// ECDSA (SEC 1 v2 §4.1) with the given hash; the signature may be a DER `Ecdsa-Sig-Value`
    /// or plain `r || s` (BSI TR-03111 §5.2.1).
    Ecdsa {
        /// The hash of the message.
        digest: DigestAlgorithm,
    },
}

impl SignatureAlgorithm {
    /// The algorithm of an AlgorithmIdentifier: `oid` dotted, `parameters` the DER of the
    /// parameters element (`None` if absent). `digest_hint` is the hash named elsewhere (the CMS
    /// SignerInfo `digestAlgorithm`), used when the OID names no hash: plain `rsaEncryption`
    /// (1.2.840.113549.1.1.1, as in AU, NZ and US SODs) or `ecPublicKey`.
    ///
    /// # Errors
    /// [`SignatureError::UnsupportedAlgorithm`] for an OID we do not know,
    /// [`SignatureError::DigestRequired`] when the OID names no hash and no hint is given,
    /// [`SignatureError::Malformed`] or [`SignatureError::UnsupportedParameters`] for bad or
    /// unsupported RSASSA-PSS parameters.
    pub fn from_algorithm_identifier(
        oid: &str,
        parameters: Option<&[u8]>,
        digest_hint: Option<DigestAlgorithm>,
    ) -> Result<Self, SignatureError> {
        algorithm::from_algorithm_identifier(oid, parameters, digest_hint)
    }

    /// The hash of the message.
    pub fn digest(&self) -> DigestAlgorithm {
        match self {
            Self::RsaPkcs1 { digest } | Self::RsaPss { digest, .. } | Self::Ecdsa { digest } => {
                *digest
            }
        }
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::RsaPkcs1 { digest } => write!(f, "RSA PKCS#1 v1.5 with {digest}"),
            Self::RsaPss {
                digest,
                mgf_digest,
                salt_len,
            } => write!(
                f,
                "RSASSA-PSS with {digest}, MGF1 {mgf_digest}, salt {salt_len}"
            ),
            Self::Ecdsa { digest } => write!(f, "ECDSA with {digest}"),
        }
    }
}

/// An elliptic curve we verify on.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Curve {
    /// NIST P-224 (secp224r1).
    P224,
    /// NIST P-256 (secp256r1, prime256v1).
    P256,
    /// NIST P-384 (secp384r1).
    P384,
    /// NIST P-521 (secp521r1).
    P521,
    /// brainpoolP224r1 (RFC 5639).
    BrainpoolP224r1,
    /// brainpoolP256r1 (RFC 5639).
    BrainpoolP256r1,
    /// brainpoolP320r1 (RFC 5639).
    BrainpoolP320r1,
    /// brainpoolP384r1 (RFC 5639).
    BrainpoolP384r1,
    /// brainpoolP512r1 (RFC 5639).
    BrainpoolP512r1,
}

impl Curve {
    /// Every curve.
    pub const ALL: [Self; 9] = [
        Self::P224,
        Self::P256,
        Self::P384,
        Self::P521,
        Self::BrainpoolP224r1,
        Self::BrainpoolP256r1,
        Self::BrainpoolP320r1,
        Self::BrainpoolP384r1,
        Self::BrainpoolP512r1,
    ];

    /// The dotted object identifier of the named curve.
    pub fn oid(self) -> &'static str {
        self.params().oid
    }

    /// The size of a field element, in bytes (one half of a plain `r || s` signature).
    pub fn field_len(self) -> usize {
        self.params().p.len()
    }

    fn params(self) -> &'static curves::CurveParams {
        match self {
            Self::P224 => &curves::P224,
            Self::P256 => &curves::P256,
            Self::P384 => &curves::P384,
            Self::P521 => &curves::P521,
            Self::BrainpoolP224r1 => &curves::BRAINPOOL_P224R1,
            Self::BrainpoolP256r1 => &curves::BRAINPOOL_P256R1,
            Self::BrainpoolP320r1 => &curves::BRAINPOOL_P320R1,
            Self::BrainpoolP384r1 => &curves::BRAINPOOL_P384R1,
            Self::BrainpoolP512r1 => &curves::BRAINPOOL_P512R1,
        }
    }
}

impl fmt::Display for Curve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::P224 => "P-224",
            Self::P256 => "P-256",
            Self::P384 => "P-384",
            Self::P521 => "P-521",
            Self::BrainpoolP224r1 => "brainpoolP224r1",
            Self::BrainpoolP256r1 => "brainpoolP256r1",
            Self::BrainpoolP320r1 => "brainpoolP320r1",
            Self::BrainpoolP384r1 => "brainpoolP384r1",
            Self::BrainpoolP512r1 => "brainpoolP512r1",
        })
    }
}

/// A signature verification key: RSA (n, e) or an EC point on a known curve. Built only by
/// [`PublicKey::from_spki_der`], which checks sizes and that the point is on the curve.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PublicKey {
    inner: KeyInner,
}

#[derive(Clone, PartialEq, Eq, Hash)]
enum KeyInner {
    Rsa(rsassa::RsaKey),
    Ec(ecdsa::EcKey),
}

impl PublicKey {
    /// The key of a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7): `rsaEncryption` (or
    /// `id-RSASSA-PSS`) with an RSAPublicKey, or `ecPublicKey` with named or explicit
    /// (`SpecifiedECDomain`, RFC 3279 §2.3.5) parameters. Explicit parameters are recognised as
    /// the known curve they equal (p, a, b, G, n, cofactor 1); the point may be uncompressed or
    /// compressed and must lie on the curve.
    ///
    /// # Errors
    /// [`SignatureError::Malformed`] for bad DER, a bad RSA key or a point off the curve;
    /// [`SignatureError::UnknownCurve`] for parameters of a curve we do not know;
    /// [`SignatureError::UnsupportedKeyType`] for another key algorithm;
    /// [`SignatureError::KeyTooSmall`] / [`SignatureError::KeyTooLarge`] for an RSA modulus
    /// outside 1024..=8192 bits; [`SignatureError::InputTooLarge`] past [`MAX_SPKI_LEN`].
    pub fn from_spki_der(spki: &[u8]) -> Result<Self, SignatureError> {
        if spki.len() > MAX_SPKI_LEN {
            return Err(SignatureError::InputTooLarge {
                len: spki.len(),
                max: MAX_SPKI_LEN,
            });
        }
        let inner = match spki::parse(spki)? {
            spki::ParsedKey::Rsa { n, e } => KeyInner::Rsa(rsassa::RsaKey::new(n, e)?),
            spki::ParsedKey::Ec { curve, point } => KeyInner::Ec(ecdsa::EcKey::new(curve, point)?),
        };
        Ok(Self { inner })
    }

    /// The curve of an EC key.
    pub fn curve(&self) -> Option<Curve> {
        match &self.inner {
            KeyInner::Ec(key) => Some(key.curve()),
            KeyInner::Rsa(_) => None,
        }
    }

    /// The size of an RSA key's modulus, in bits.
    pub fn rsa_modulus_bits(&self) -> Option<usize> {
        match &self.inner {
            KeyInner::Rsa(key) => Some(key.bits()),
            KeyInner::Ec(_) => None,
        }
    }

    /// Verifies `signature` over `message` (hashed here with the algorithm's digest). ECDSA
    /// signatures may be a DER `Ecdsa-Sig-Value` or plain `r || s` of twice the field size (as
    /// active authentication and BSI TR-03111 use).
    ///
    /// # Errors
    /// [`SignatureError::Invalid`] if the signature does not verify;
    /// [`SignatureError::AlgorithmKeyMismatch`] for an RSA algorithm with an EC key or the
    /// reverse; [`SignatureError::UnsupportedParameters`] for PSS with an MGF1 hash other than
    /// the message hash; [`SignatureError::InputTooLarge`] for an oversized message or
    /// signature.
    pub fn verify(
        &self,
        algorithm: &SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        if message.len() > MAX_MESSAGE_LEN {
            return Err(SignatureError::InputTooLarge {
                len: message.len(),
                max: MAX_MESSAGE_LEN,
            });
        }
        if signature.len() > MAX_SIGNATURE_LEN {
            return Err(SignatureError::InputTooLarge {
                len: signature.len(),
                max: MAX_SIGNATURE_LEN,
            });
        }
        match (&self.inner, algorithm) {
            (KeyInner::Rsa(key), SignatureAlgorithm::RsaPkcs1 { digest }) => {
                key.verify_pkcs1(*digest, message, signature)
            }
            (
                KeyInner::Rsa(key),
                SignatureAlgorithm::RsaPss {
                    digest,
                    mgf_digest,
                    salt_len,
                },
            ) => key.verify_pss(*digest, *mgf_digest, *salt_len, message, signature),
            (KeyInner::Ec(key), SignatureAlgorithm::Ecdsa { digest }) => {
                key.verify(*digest, message, signature)
            }
            _ => Err(SignatureError::AlgorithmKeyMismatch),
        }
    }

    /// The raw RSA public operation `J = signature^e mod n` and `n − J`, as big-endian bytes of
    /// the modulus length (for ISO/IEC 9796-2 message recovery).
    pub(super) fn rsa_public_op(
        &self,
        signature: &[u8],
    ) -> Result<(Vec<u8>, Vec<u8>), SignatureError> {
        match &self.inner {
            KeyInner::Rsa(key) => key.public_op(signature),
            KeyInner::Ec(_) => Err(SignatureError::AlgorithmKeyMismatch),
        }
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            KeyInner::Rsa(key) => f
                .debug_struct("PublicKey")
                .field("kind", &"RSA")
                .field("bits", &key.bits())
                .finish(),
            KeyInner::Ec(key) => f
                .debug_struct("PublicKey")
                .field("kind", &"EC")
                .field("curve", &key.curve())
                .finish(),
        }
    }
}

/// The part of a key, algorithm identifier or signature that could not be decoded.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyPart {
    /// The SubjectPublicKeyInfo structure.
    SubjectPublicKeyInfo,
    /// The RSAPublicKey (modulus, exponent).
    RsaPublicKey,
    /// The EC domain parameters.
    EcParameters,
    /// The EC public point.
    EcPoint,
    /// The parameters of the signature AlgorithmIdentifier.
    AlgorithmParameters,
    /// The signature value.
    Signature,
}

impl fmt::Display for KeyPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SubjectPublicKeyInfo => "SubjectPublicKeyInfo",
            Self::RsaPublicKey => "RSA public key",
            Self::EcParameters => "EC domain parameters",
            Self::EcPoint => "EC public point",
            Self::AlgorithmParameters => "algorithm parameters",
            Self::Signature => "signature value",
        })
    }
}

/// Why a key could not be read or a signature did not verify.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The signature does not verify under the key.
    #[error("signature invalid")]
    Invalid,
    /// The algorithm is for another key type (RSA algorithm, EC key or the reverse).
    #[error("signature algorithm does not match the key type")]
    AlgorithmKeyMismatch,
    /// The algorithm names no hash (plain `rsaEncryption`, `ecPublicKey`) and none was given.
    #[error("signature algorithm {oid} names no hash and no digest algorithm was given")]
    DigestRequired {
        /// The dotted OID.
        oid: String,
    },
    /// An input exceeds our limit.
    #[error("input of {len} bytes exceeds the limit of {max}")]
    InputTooLarge {
        /// The input's length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// An RSA modulus is larger than [`MAX_RSA_BITS`].
    #[error("RSA key of {bits} bits exceeds the maximum of {max}")]
    KeyTooLarge {
        /// The modulus size.
        bits: usize,
        /// The maximum.
        max: usize,
    },
    /// An RSA modulus is smaller than [`MIN_RSA_BITS`].
    #[error("RSA key of {bits} bits is below the minimum of {min}")]
    KeyTooSmall {
        /// The modulus size.
        bits: usize,
        /// The minimum.
        min: usize,
    },
    /// The DER of a key, its parameters or a signature is malformed.
    #[error("malformed {part}")]
    Malformed {
        /// Which part.
        part: KeyPart,
    },
    /// EC parameters name, or equal, no curve we know.
    #[error("unknown elliptic curve")]
    UnknownCurve,
    /// The signature algorithm OID is not one we verify.
    #[error("unsupported signature algorithm {oid}")]
    UnsupportedAlgorithm {
        /// The dotted OID.
        oid: String,
    },
    /// The key algorithm OID is neither RSA nor EC.
    #[error("unsupported public key algorithm {oid}")]
    UnsupportedKeyType {
        /// The dotted OID.
        oid: String,
    },
    /// Algorithm parameters we do not support (an MGF other than MGF1, a PSS trailer other than
    /// 0xBC, an MGF1 hash other than the message hash, an unknown hash).
    #[error("unsupported algorithm parameters")]
    UnsupportedParameters,
}

impl SignatureError {
    /// A stable snake_case code for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Invalid => "signature_invalid",
            Self::AlgorithmKeyMismatch => "algorithm_key_mismatch",
            Self::DigestRequired { .. } => "digest_required",
            Self::InputTooLarge { .. } => "input_too_large",
            Self::KeyTooLarge { .. } => "key_too_large",
            Self::KeyTooSmall { .. } => "key_too_small",
            Self::Malformed { .. } => "malformed",
            Self::UnknownCurve => "unknown_curve",
            Self::UnsupportedAlgorithm { .. } => "unsupported_algorithm",
            Self::UnsupportedKeyType { .. } => "unsupported_key_type",
            Self::UnsupportedParameters => "unsupported_parameters",
        }
    }
}

#[cfg(test)]
mod tests;
