//! RSA signatures: PKCS#1 v1.5 and PSS (RFC 8017 §8), `ring` first, the `rsa` crate for what
//! `ring` lacks; and the raw public operation for ISO/IEC 9796-2.

use ring::signature::{self as ring_sig, RsaPublicKeyComponents};
use rsa::{BoxedUint, Pkcs1v15Sign, Pss, traits::PublicKeyParts as _};

use super::{KeyPart, MAX_RSA_BITS, MIN_RSA_BITS, SignatureError, weierstrass::bit_len};
use crate::emrtd::digest::DigestAlgorithm;

/// The largest public exponent accepted (as `ring` and `rsa`): 2³³ − 1.
const MAX_EXPONENT_BITS: usize = 33;

/// An RSA public key: modulus and exponent, big-endian without leading zeros.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) struct RsaKey {
    n: Vec<u8>,
    e: Vec<u8>,
    bits: usize,
}

impl RsaKey {
    pub(super) fn new(n: Vec<u8>, e: Vec<u8>) -> Result<Self, SignatureError> {
        let bits = bit_len(&n);
        if bits < MIN_RSA_BITS {
            return Err(SignatureError::KeyTooSmall {
                bits,
                min: MIN_RSA_BITS,
            });
        }
        if bits > MAX_RSA_BITS {
            return Err(SignatureError::KeyTooLarge {
                bits,
                max: MAX_RSA_BITS,
            });
        }
        let e_bits = bit_len(&e);
        let odd = |v: &[u8]| v.last().is_some_and(|b| b & 1 == 1);
        if !(2..=MAX_EXPONENT_BITS).contains(&e_bits) || !odd(&e) || !odd(&n) {
            return Err(SignatureError::Malformed {
                part: KeyPart::RsaPublicKey,
            });
        }
        Ok(Self { n, e, bits })
    }

    pub(super) fn bits(&self) -> usize {
        self.bits
    }

    fn ring(&self) -> RsaPublicKeyComponents<&[u8]> {
        RsaPublicKeyComponents {
            n: &self.n,
            e: &self.e,
        }
    }

    fn rustcrypto(&self) -> Result<rsa::PublicKey, SignatureError> {
        let n = BoxedUint::from_be_slice_vartime(&self.n);
        let e = BoxedUint::from_be_slice_vartime(&self.e);
        rsa::PublicKey::new_with_size_limits(n, e, MIN_RSA_BITS..=MAX_RSA_BITS).map_err(|_| {
            SignatureError::Malformed {
                part: KeyPart::RsaPublicKey,
            }
        })
    }

    pub(super) fn verify_pkcs1(
        &self,
        digest: DigestAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        let ring_algorithm: Option<&ring_sig::RsaParameters> = match digest {
            DigestAlgorithm::Sha1 => Some(&ring_sig::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY),
            DigestAlgorithm::Sha256 => {
                Some(&ring_sig::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY)
            }
            DigestAlgorithm::Sha384 if self.bits >= 2048 => {
                Some(&ring_sig::RSA_PKCS1_2048_8192_SHA384)
            }
            DigestAlgorithm::Sha512 => {
                Some(&ring_sig::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY)
            }
            DigestAlgorithm::Sha224 | DigestAlgorithm::Sha384 => None,
        };
        if let Some(algorithm) = ring_algorithm {
            return self
                .ring()
                .verify(algorithm, message, signature)
                .map_err(|_| SignatureError::Invalid);
        }
        let hashed = digest.digest(message);
        let scheme = match digest {
            DigestAlgorithm::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
            DigestAlgorithm::Sha224 => Pkcs1v15Sign::new::<rsa::sha2::Sha224>(),
            DigestAlgorithm::Sha256 => Pkcs1v15Sign::new::<rsa::sha2::Sha256>(),
            DigestAlgorithm::Sha384 => Pkcs1v15Sign::new::<rsa::sha2::Sha384>(),
            DigestAlgorithm::Sha512 => Pkcs1v15Sign::new::<rsa::sha2::Sha512>(),
        };
        self.rustcrypto()?
            .verify(scheme, &hashed, signature)
            .map_err(|_| SignatureError::Invalid)
    }

    pub(super) fn verify_pss(
        &self,
        digest: DigestAlgorithm,
        mgf_digest: DigestAlgorithm,
        salt_len: usize,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        // Both `ring` and `rsa` use the message hash for MGF1.
        if mgf_digest != digest {
            return Err(SignatureError::UnsupportedParameters);
        }
        let ring_algorithm: Option<&ring_sig::RsaParameters> = match digest {
            _ if salt_len != digest.output_len() || self.bits < 2048 => None,
            DigestAlgorithm::Sha256 => Some(&ring_sig::RSA_PSS_2048_8192_SHA256),
            DigestAlgorithm::Sha384 => Some(&ring_sig::RSA_PSS_2048_8192_SHA384),
            DigestAlgorithm::Sha512 => Some(&ring_sig::RSA_PSS_2048_8192_SHA512),
            DigestAlgorithm::Sha1 | DigestAlgorithm::Sha224 => None,
        };
        if let Some(algorithm) = ring_algorithm {
            return self
                .ring()
                .verify(algorithm, message, signature)
                .map_err(|_| SignatureError::Invalid);
        }
        let hashed = digest.digest(message);
        let key = self.rustcrypto()?;
        let result = match digest {
            DigestAlgorithm::Sha1 => key.verify(
                Pss::<sha1::Sha1>::new_with_salt(salt_len),
                &hashed,
                signature,
            ),
            DigestAlgorithm::Sha224 => key.verify(
                Pss::<rsa::sha2::Sha224>::new_with_salt(salt_len),
                &hashed,
                signature,
            ),
            DigestAlgorithm::Sha256 => key.verify(
                Pss::<rsa::sha2::Sha256>::new_with_salt(salt_len),
                &hashed,
                signature,
            ),
            DigestAlgorithm::Sha384 => key.verify(
                Pss::<rsa::sha2::Sha384>::new_with_salt(salt_len),
                &hashed,
                signature,
            ),
            DigestAlgorithm::Sha512 => key.verify(
                Pss::<rsa::sha2::Sha512>::new_with_salt(salt_len),
                &hashed,
                signature,
            ),
        };
        result.map_err(|_| SignatureError::Invalid)
    }

    /// `J = signature^e mod n` and `n − J`, as big-endian bytes of the modulus length. The
    /// signature must have the modulus length and be below the modulus.
    pub(super) fn public_op(&self, signature: &[u8]) -> Result<(Vec<u8>, Vec<u8>), SignatureError> {
        let len = self.bits.div_ceil(8);
        if signature.len() != len {
            return Err(SignatureError::Malformed {
                part: KeyPart::Signature,
            });
        }
        let key = self.rustcrypto()?;
        let n = key.n().as_ref();
        let s = BoxedUint::from_be_slice(signature, n.bits_precision()).map_err(|_| {
            SignatureError::Malformed {
                part: KeyPart::Signature,
            }
        })?;
        if s >= *n {
            return Err(SignatureError::Invalid);
        }
        let j = rsa::hazmat::rsa_encrypt(&key, &s).map_err(|_| SignatureError::Invalid)?;
        let n_minus_j = n.wrapping_sub(&j);
        let bytes = |value: &BoxedUint| {
            let all = value.to_be_bytes();
            let offset = all.len().saturating_sub(len);
            all.get(offset..).unwrap_or_default().to_vec()
        };
        Ok((bytes(&j), bytes(&n_minus_j)))
    }
}
