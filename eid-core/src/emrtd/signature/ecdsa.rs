//! ECDSA keys and signatures: DER `Ecdsa-Sig-Value` (RFC 3279 §2.2.3) or plain `r || s` (BSI
//! TR-03111 §5.2.1), dispatched to `ring`, the RustCrypto curve crates or our generic verifier.

use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use ecdsa::elliptic_curve::sec1::{FromSec1Point, ModulusSize, ToSec1Point};
use ecdsa::elliptic_curve::{AffinePoint, CurveArithmetic, FieldBytesSize};
use ecdsa::signature::hazmat::PrehashVerifier as _;
use ring::signature::{self as ring_sig, UnparsedPublicKey};
use x509_parser::asn1_rs::{FromDer, Integer, Sequence};

use super::spki::unsigned;
use super::{Curve, KeyPart, SignatureError, weierstrass};
use crate::emrtd::digest::DigestAlgorithm;

/// An EC public key: the curve and the affine point (each coordinate of the field's length),
/// checked to be on the curve. Equality and hashing are those of the curve and the point.
#[derive(Clone)]
pub(super) struct EcKey {
    curve: Curve,
    x: Vec<u8>,
    y: Vec<u8>,
    /// For the generic verifier: the point's precomputed multiples, shared by clones.
    table: Arc<TableCache>,
}

impl PartialEq for EcKey {
    fn eq(&self, other: &Self) -> bool {
        (self.curve, &self.x, &self.y) == (other.curve, &other.x, &other.y)
    }
}

impl Eq for EcKey {}

impl Hash for EcKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.curve, &self.x, &self.y).hash(state);
    }
}

/// A key's table of precomputed multiples for the generic verifier, built on the key's second
/// verification: a key used once (a document signer's) never pays for it (about one
/// verification's work), and a key used again (a CSCA's, over many document signer
/// certificates) saves most doublings on every later one.
#[derive(Default)]
struct TableCache {
    /// Whether the key verified once already.
    used: AtomicBool,
    /// The table (`None` inside if it could not be built).
    table: OnceLock<Option<weierstrass::KeyTable>>,
}

impl TableCache {
    /// The table if built; else builds it with `build` unless this is the first use.
    fn get(
        &self,
        build: impl FnOnce() -> Option<weierstrass::KeyTable>,
    ) -> Option<&weierstrass::KeyTable> {
        if let Some(table) = self.table.get() {
            return table.as_ref();
        }
        if !self.used.swap(true, Ordering::Relaxed) {
            return None;
        }
        self.table.get_or_init(build).as_ref()
    }
}

impl EcKey {
    pub(super) fn new(curve: Curve, point: Vec<u8>) -> Result<Self, SignatureError> {
        let (x, y) =
            weierstrass::decode_point(curve.params(), &point).ok_or(SignatureError::Malformed {
                part: KeyPart::EcPoint,
            })?;
        Ok(Self {
            curve,
            x,
            y,
            table: Arc::default(),
        })
    }

    pub(super) fn curve(&self) -> Curve {
        self.curve
    }

    /// `04 || x || y`.
    fn uncompressed(&self) -> Vec<u8> {
        let mut point = Vec::with_capacity(1 + self.x.len() + self.y.len());
        point.push(0x04);
        point.extend_from_slice(&self.x);
        point.extend_from_slice(&self.y);
        point
    }

    pub(super) fn verify(
        &self,
        digest: DigestAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        let len = self.curve.field_len();
        let (r, s) = split_signature(signature, len).ok_or(SignatureError::Malformed {
            part: KeyPart::Signature,
        })?;
        // r and s longer than the field cannot be below n.
        let (Some(r), Some(s)) = (left_pad(&r, len), left_pad(&s, len)) else {
            return Err(SignatureError::Invalid);
        };
        let mut fixed = r;
        fixed.extend_from_slice(&s);
        let valid = match (self.curve, digest) {
            (Curve::P256, DigestAlgorithm::Sha256) => ring_verify(
                &ring_sig::ECDSA_P256_SHA256_FIXED,
                &self.uncompressed(),
                message,
                &fixed,
            ),
            (Curve::P384, DigestAlgorithm::Sha384) => ring_verify(
                &ring_sig::ECDSA_P384_SHA384_FIXED,
                &self.uncompressed(),
                message,
                &fixed,
            ),
            (Curve::BrainpoolP256r1, _) => crate_verify::<bp256::BrainpoolP256r1>(
                &self.uncompressed(),
                digest,
                message,
                &fixed,
            ),
            (Curve::BrainpoolP384r1, _) => crate_verify::<bp384::BrainpoolP384r1>(
                &self.uncompressed(),
                digest,
                message,
                &fixed,
            ),
            (Curve::P521, _) => {
                crate_verify::<p521::NistP521>(&self.uncompressed(), digest, message, &fixed)
            }
            _ => {
                let params = self.curve.params();
                let table = self
                    .table
                    .get(|| weierstrass::precompute(params, &self.x, &self.y));
                weierstrass::verify(
                    params,
                    (&self.x, &self.y),
                    table,
                    &digest.digest(message),
                    fixed.split_at(len),
                )
            }
        };
        if valid {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }
}

/// Verifies with `ring` (plain `r || s`).
fn ring_verify(
    algorithm: &'static ring_sig::EcdsaVerificationAlgorithm,
    point: &[u8],
    message: &[u8],
    fixed: &[u8],
) -> bool {
    UnparsedPublicKey::new(algorithm, point)
        .verify(message, fixed)
        .is_ok()
}

/// Verifies with a RustCrypto curve crate (`ecdsa` 0.17 on the message's digest).
fn crate_verify<C>(point: &[u8], digest: DigestAlgorithm, message: &[u8], fixed: &[u8]) -> bool
where
    C: ecdsa::EcdsaCurve + CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    let Ok(key) = ecdsa::VerifyingKey::<C>::from_sec1_bytes(point) else {
        return false;
    };
    let Ok(signature) = ecdsa::Signature::<C>::from_slice(fixed) else {
        return false;
    };
    key.verify_prehash(&digest.digest(message), &signature)
        .is_ok()
}

/// `(r, s)` magnitudes from a DER Ecdsa-Sig-Value, else from plain `r || s` of twice the field
/// length.
fn split_signature(signature: &[u8], field_len: usize) -> Option<(Vec<u8>, Vec<u8>)> {
    let der = Sequence::from_der_and_then(signature, |content| {
        let (content, r) = Integer::from_der(content)?;
        let (content, s) = Integer::from_der(content)?;
        Ok((content, (r, s)))
    });
    if let Ok((rest, (r, s))) = der
        && rest.is_empty()
    {
        let r = unsigned(r.any().data)?.to_vec();
        let s = unsigned(s.any().data)?.to_vec();
        return Some((r, s));
    }
    if signature.len() == 2 * field_len {
        let (r, s) = signature.split_at(field_len);
        return Some((r.to_vec(), s.to_vec()));
    }
    None
}

/// `bytes` left-padded with zeros to `len`, or `None` if longer.
fn left_pad(bytes: &[u8], len: usize) -> Option<Vec<u8>> {
    let offset = len.checked_sub(bytes.len())?;
    let mut out = vec![0u8; len];
    out.get_mut(offset..)?.copy_from_slice(bytes);
    Some(out)
}
