//! ECDSA verification (SEC 1 v2 §4.1.4) over any short-Weierstrass curve of cofactor 1 whose
//! domain parameters are given at run time.
//!
//! It serves the curves no maintained crate verifies on (brainpoolP224r1, brainpoolP320r1,
//! brainpoolP512r1, P-224), hash/curve pairs the curve crates do not take, and the decoding
//! and on-curve check of every public point we accept.
//!
//! **Verification of public data only.** Nothing here is secret (public key, message digest,
//! signature), so all of it is variable-time: the field arithmetic is `crypto-bigint`'s
//! `ConstMontyForm` ([`element`], with its variable-time inversion and exponentiation), and
//! u1·G + u2·Q is computed interleaved (Shamir's trick) over signed windows (wNAF) of both
//! scalars, in Jacobian coordinates with mixed additions of affine table entries
//! ([`multiples`]). G's table is built once per curve ([`GeneratorCache`]) with bases
//! 2^(k·spacing)·G so that its part needs few doublings; a key that verifies more than once
//! may bring a [`KeyTable`] of the same shape (built by [`precompute`]), and then the whole
//! multiplication needs only `spacing` doublings instead of one per bit of n. Never use any of
//! this with a secret.
//!
//! Measured on brainpoolP512r1 (callgrind, release build, the DE document signer certificate
//! under its CSCA): about 1,430 instructions per field multiplication or squaring, which take
//! four fifths of the time; 11.3 million instructions per verification with a key used once,
//! 3.8 million through the key's table; the key's table costs 11.3 million to build, G's
//! 15.7 million (once per process).

use std::any::Any;
use std::fmt;

use crypto_bigint::modular::{ConstMontyParams, FixedMontyForm, FixedMontyParams};
use crypto_bigint::{Odd, U256, U320, U384, U512, U576, Uint};

use super::Curve;
use super::curves::CurveParams;
use element::Fe;
use fields::{
    BrainpoolP224r1Field, BrainpoolP256r1Field, BrainpoolP320r1Field, BrainpoolP384r1Field,
    BrainpoolP512r1Field, GeneratorCache, P224Field, P256Field, P384Field, P521Field,
};
use multiples::{Multiples, double_scalar};

mod element;
mod fields;
mod multiples;

/// The NAF width for a key's per-call table (8 entries).
const WINDOW: u32 = 5;
/// The NAF width of each generator's table (32 entries per base).
const GENERATOR_WINDOW: u32 = 7;
/// The NAF width of a key's precomputed table (16 entries per base).
const KEY_WINDOW: u32 = 6;
/// The bases of the generator's and a key's precomputed tables: a multiplication needs about
/// bits(n)/`SPLIT` doublings. For brainpoolP512r1 a key's table holds 8 × 16 affine points
/// (16 KiB) and the generator's 8 × 32 (32 KiB).
const SPLIT: usize = 8;

/// Precomputed multiples of a public point for [`verify`], built by [`precompute`]: worth it
/// for a key that verifies many signatures (a CSCA's).
pub(super) struct KeyTable(Box<dyn Any + Send + Sync>);

impl fmt::Debug for KeyTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyTable")
    }
}

/// Verifies an ECDSA signature `(r, s)` (big-endian, leading zeros allowed) over the digest
/// `hash` under the public point `(qx, qy)` (big-endian, each of the field's byte length, already
/// checked to be on the curve by [`decode_point`]), with the point's precomputed `table` if
/// there is one (it must be [`precompute`]'s for this curve and point). Any failure is `false`.
pub(super) fn verify(
    curve: &CurveParams,
    key: (&[u8], &[u8]),
    table: Option<&KeyTable>,
    hash: &[u8],
    signature: (&[u8], &[u8]),
) -> bool {
    let args = VerifyArgs {
        curve,
        key,
        table,
        hash,
        signature,
    };
    match curve.curve {
        Curve::P224 => verify_with::<P224Field, { U256::LIMBS }>(&args),
        Curve::P256 => verify_with::<P256Field, { U256::LIMBS }>(&args),
        Curve::P384 => verify_with::<P384Field, { U384::LIMBS }>(&args),
        Curve::P521 => verify_with::<P521Field, { U576::LIMBS }>(&args),
        Curve::BrainpoolP224r1 => verify_with::<BrainpoolP224r1Field, { U256::LIMBS }>(&args),
        Curve::BrainpoolP256r1 => verify_with::<BrainpoolP256r1Field, { U256::LIMBS }>(&args),
        Curve::BrainpoolP320r1 => verify_with::<BrainpoolP320r1Field, { U320::LIMBS }>(&args),
        Curve::BrainpoolP384r1 => verify_with::<BrainpoolP384r1Field, { U384::LIMBS }>(&args),
        Curve::BrainpoolP512r1 => verify_with::<BrainpoolP512r1Field, { U512::LIMBS }>(&args),
    }
}

/// The table of multiples of the public point `(qx, qy)` (as for [`verify`]) that lets
/// [`verify`] skip most doublings, or `None` if the inputs are bad.
pub(super) fn precompute(curve: &CurveParams, qx: &[u8], qy: &[u8]) -> Option<KeyTable> {
    match curve.curve {
        Curve::P224 => precompute_with::<P224Field, { U256::LIMBS }>(curve, qx, qy),
        Curve::P256 => precompute_with::<P256Field, { U256::LIMBS }>(curve, qx, qy),
        Curve::P384 => precompute_with::<P384Field, { U384::LIMBS }>(curve, qx, qy),
        Curve::P521 => precompute_with::<P521Field, { U576::LIMBS }>(curve, qx, qy),
        Curve::BrainpoolP224r1 => {
            precompute_with::<BrainpoolP224r1Field, { U256::LIMBS }>(curve, qx, qy)
        }
        Curve::BrainpoolP256r1 => {
            precompute_with::<BrainpoolP256r1Field, { U256::LIMBS }>(curve, qx, qy)
        }
        Curve::BrainpoolP320r1 => {
            precompute_with::<BrainpoolP320r1Field, { U320::LIMBS }>(curve, qx, qy)
        }
        Curve::BrainpoolP384r1 => {
            precompute_with::<BrainpoolP384r1Field, { U384::LIMBS }>(curve, qx, qy)
        }
        Curve::BrainpoolP512r1 => {
            precompute_with::<BrainpoolP512r1Field, { U512::LIMBS }>(curve, qx, qy)
        }
    }
}

/// Decodes a SEC 1 point (§2.3.4: `04 || x || y`, or compressed `02/03 || x` on curves with
/// p ≡ 3 mod 4) and checks that it lies on the curve (the point at infinity is refused). Returns
/// the affine coordinates, each of the field's byte length.
pub(super) fn decode_point(curve: &CurveParams, point: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    match curve.curve {
        Curve::P224 => decode_with::<P224Field, { U256::LIMBS }>(curve, point),
        Curve::P256 => decode_with::<P256Field, { U256::LIMBS }>(curve, point),
        Curve::P384 => decode_with::<P384Field, { U384::LIMBS }>(curve, point),
        Curve::P521 => decode_with::<P521Field, { U576::LIMBS }>(curve, point),
        Curve::BrainpoolP224r1 => {
            decode_with::<BrainpoolP224r1Field, { U256::LIMBS }>(curve, point)
        }
        Curve::BrainpoolP256r1 => {
            decode_with::<BrainpoolP256r1Field, { U256::LIMBS }>(curve, point)
        }
        Curve::BrainpoolP320r1 => {
            decode_with::<BrainpoolP320r1Field, { U320::LIMBS }>(curve, point)
        }
        Curve::BrainpoolP384r1 => {
            decode_with::<BrainpoolP384r1Field, { U384::LIMBS }>(curve, point)
        }
        Curve::BrainpoolP512r1 => {
            decode_with::<BrainpoolP512r1Field, { U512::LIMBS }>(curve, point)
        }
    }
}

/// The number of bits of a big-endian unsigned integer.
pub(super) fn bit_len(bytes: &[u8]) -> usize {
    let mut rest = bytes.iter().skip_while(|b| **b == 0);
    match rest.next() {
        None => 0,
        Some(first) => {
            let leading = usize::try_from(first.leading_zeros()).unwrap_or(8);
            8 - leading + 8 * rest.count()
        }
    }
}

/// A big-endian unsigned integer as a `Uint`, or `None` if it does not fit.
fn to_uint<const L: usize>(bytes: &[u8]) -> Option<Uint<L>> {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    let digits = bytes.get(start..)?;
    let size = Uint::<L>::BYTES;
    let offset = size.checked_sub(digits.len())?;
    let mut buf = vec![0u8; size];
    buf.get_mut(offset..)?.copy_from_slice(digits);
    Some(Uint::from_be_slice(&buf))
}

/// `value` as big-endian bytes of exactly `len` bytes (`value` < 2^(8·len)).
fn to_bytes<const L: usize>(value: &Uint<L>, len: usize) -> Option<Vec<u8>> {
    let bytes = value.to_be_bytes();
    let bytes: &[u8] = bytes.as_ref();
    let offset = bytes.len().checked_sub(len)?;
    if bytes.get(..offset)?.iter().any(|b| *b != 0) {
        return None;
    }
    Some(bytes.get(offset..)?.to_vec())
}

/// The prime field GF(p) and the curve coefficient a.
struct Field<F: ConstMontyParams<L>, const L: usize> {
    p: Uint<L>,
    a: Fe<F, L>,
    b: Fe<F, L>,
    /// Whether a = −3, for the cheaper doubling.
    a_is_minus_3: bool,
}

impl<F: ConstMontyParams<L>, const L: usize> Field<F, L> {
    fn new(curve: &CurveParams) -> Option<Self> {
        let p = *F::PARAMS.modulus().as_ref();
        // The type's modulus is the curve's p (checked here, and by the unit tests).
        if to_uint::<L>(curve.p)? != p {
            return None;
        }
        let a_value = to_uint::<L>(curve.a)?;
        let a = Fe::new(&a_value);
        let b = Fe::new(&to_uint::<L>(curve.b)?);
        let a_is_minus_3 = a_value.wrapping_add(&Uint::from_u64(3)) == p;
        Some(Self {
            p,
            a,
            b,
            a_is_minus_3,
        })
    }

    /// The same field for the curve's isomorphic twist with a = −3 (RFC 5639 §3), on which
    /// only the group law is used (so b is left as it was: it enters no formula).
    fn twisted(self) -> Self {
        Self {
            a: Fe::new(&self.p.wrapping_sub(&Uint::from_u64(3))),
            a_is_minus_3: true,
            ..self
        }
    }

    /// An element from its canonical big-endian encoding (< p), else `None`.
    fn element(&self, bytes: &[u8]) -> Option<Fe<F, L>> {
        let value = to_uint::<L>(bytes)?;
        (value < self.p).then(|| Fe::new(&value))
    }

    /// x³ + ax + b.
    fn rhs(&self, x: &Fe<F, L>) -> Fe<F, L> {
        x.square().add(&self.a).mul(x).add(&self.b)
    }
}

/// A point in Jacobian coordinates (X/Z², Y/Z³), or the point at infinity.
#[derive(Clone, Copy)]
enum Point<F: ConstMontyParams<L>, const L: usize> {
    Infinity,
    Jacobian {
        x: Fe<F, L>,
        y: Fe<F, L>,
        z: Fe<F, L>,
    },
}

impl<F: ConstMontyParams<L>, const L: usize> Field<F, L> {
    /// 2·P ("dbl-1998-cmo-2", any a; for a = −3 the "dbl-2001-b" shortcut for M).
    fn double(&self, point: &Point<F, L>) -> Point<F, L> {
        let Point::Jacobian { x, y, z } = point else {
            return Point::Infinity;
        };
        if y.is_zero() {
            return Point::Infinity;
        }
        let yy = y.square();
        let s = x.mul(&yy).double().double();
        let zz = z.square();
        let m = if self.a_is_minus_3 {
            // 3·X² − 3·Z⁴ = 3·(X − Z²)·(X + Z²): one multiplication and no a·Z⁴.
            let t = x.sub(&zz).mul(&x.add(&zz));
            t.double().add(&t)
        } else {
            let xx = x.square();
            xx.double().add(&xx).add(&self.a.mul(&zz.square()))
        };
        let x3 = m.square().sub(&s.double());
        let y3 = m
            .mul(&s.sub(&x3))
            .sub(&yy.square().double().double().double());
        let z3 = y.mul(z).double();
        Point::Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// P + Q (general Jacobian addition, falling back to doubling when P = Q).
    fn add(&self, lhs: &Point<F, L>, rhs: &Point<F, L>) -> Point<F, L> {
        let (
            Point::Jacobian {
                x: x1,
                y: y1,
                z: z1,
            },
            Point::Jacobian {
                x: x2,
                y: y2,
                z: z2,
            },
        ) = (lhs, rhs)
        else {
            return match lhs {
                Point::Infinity => *rhs,
                Point::Jacobian { .. } => *lhs,
            };
        };
        let z1z1 = z1.square();
        let z2z2 = z2.square();
        let u1 = x1.mul(&z2z2);
        let u2 = x2.mul(&z1z1);
        let s1 = y1.mul(z2).mul(&z2z2);
        let s2 = y2.mul(z1).mul(&z1z1);
        let h = u2.sub(&u1);
        let r = s2.sub(&s1);
        if h.is_zero() {
            return if r.is_zero() {
                self.double(lhs)
            } else {
                Point::Infinity
            };
        }
        let hh = h.square();
        let hhh = h.mul(&hh);
        let v = u1.mul(&hh);
        let x3 = r.square().sub(&hhh).sub(&v.double());
        let y3 = r.mul(&v.sub(&x3)).sub(&s1.mul(&hhh));
        let z3 = z1.mul(z2).mul(&h);
        Point::Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// P + (x2, y2) with the second point affine (Z = 1): "madd-2007-bl" without the
    /// doubling-free shortcuts, falling back to doubling when the points are equal.
    fn add_affine(&self, lhs: &Point<F, L>, rhs: &Affine<F, L>) -> Point<F, L> {
        let Point::Jacobian {
            x: x1,
            y: y1,
            z: z1,
        } = lhs
        else {
            return Point::Jacobian {
                x: rhs.x,
                y: rhs.y,
                z: Fe::ONE,
            };
        };
        let z1z1 = z1.square();
        let u2 = rhs.x.mul(&z1z1);
        let s2 = rhs.y.mul(z1).mul(&z1z1);
        let h = u2.sub(x1);
        let r = s2.sub(y1);
        if h.is_zero() {
            return if r.is_zero() {
                self.double(lhs)
            } else {
                Point::Infinity
            };
        }
        let hh = h.square();
        let hhh = h.mul(&hh);
        let v = x1.mul(&hh);
        let x3 = r.square().sub(&hhh).sub(&v.double());
        let y3 = r.mul(&v.sub(&x3)).sub(&y1.mul(&hhh));
        let z3 = z1.mul(&h);
        Point::Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// The affine x of a point, or `None` at infinity.
    fn affine_x(&self, point: &Point<F, L>) -> Option<Uint<L>> {
        let Point::Jacobian { x, z, .. } = point else {
            return None;
        };
        let z_inv = z.invert_vartime()?;
        Some(x.mul(&z_inv.square()).retrieve())
    }
}

/// An affine point (never the point at infinity).
#[derive(Clone, Copy)]
struct Affine<F: ConstMontyParams<L>, const L: usize> {
    x: Fe<F, L>,
    y: Fe<F, L>,
}

/// The arguments of [`verify`].
struct VerifyArgs<'a> {
    curve: &'a CurveParams,
    key: (&'a [u8], &'a [u8]),
    table: Option<&'a KeyTable>,
    hash: &'a [u8],
    signature: (&'a [u8], &'a [u8]),
}

/// The field of a curve, the group law used (on a brainpool r1 curve, that of its twist with
/// a = −3, RFC 5639 §3), and the twist's (Z², Z³) if any.
struct Arithmetic<F: ConstMontyParams<L>, const L: usize> {
    field: Field<F, L>,
    twist: Option<(Fe<F, L>, Fe<F, L>)>,
}

impl<F: ConstMontyParams<L>, const L: usize> Arithmetic<F, L> {
    fn new(curve: &CurveParams) -> Option<Self> {
        let field = Field::<F, L>::new(curve)?;
        // The points map by (x, y) ↦ (x·Z², y·Z³), a group isomorphism onto the twist, so
        // R = u1·G + u2·Q maps to R' and x(R') = x(R)·Z².
        Some(match curve.twist_z {
            Some(z) if !field.a_is_minus_3 => {
                let z = field.element(z)?;
                let z2 = z.square();
                let z3 = z2.mul(&z);
                Self {
                    field: field.twisted(),
                    twist: Some((z2, z3)),
                }
            }
            _ => Self { field, twist: None },
        })
    }

    /// The affine point of canonical coordinates `(x, y)` on the curve, mapped onto the twist
    /// if we compute there.
    fn point(&self, x: &[u8], y: &[u8]) -> Option<Affine<F, L>> {
        let x = self.field.element(x)?;
        let y = self.field.element(y)?;
        Some(match self.twist {
            Some((z2, z3)) => Affine {
                x: x.mul(&z2),
                y: y.mul(&z3),
            },
            None => Affine { x, y },
        })
    }

    /// A table of [`SPLIT`] bases covering every scalar below n.
    fn split_table(
        &self,
        curve: &CurveParams,
        point: &Affine<F, L>,
        window: u32,
    ) -> Option<Multiples<F, L>> {
        // A NAF of a scalar below n has at most bits(n) + 1 digits.
        let spacing = (bit_len(curve.n) + 1).div_ceil(SPLIT);
        Multiples::new(&self.field, point, SPLIT, spacing, window)
    }
}

fn precompute_with<F: ConstMontyParams<L>, const L: usize>(
    curve: &CurveParams,
    qx: &[u8],
    qy: &[u8],
) -> Option<KeyTable> {
    let arithmetic = Arithmetic::<F, L>::new(curve)?;
    let q = arithmetic.point(qx, qy)?;
    let table = arithmetic.split_table(curve, &q, KEY_WINDOW)?;
    Some(KeyTable(Box::new(table)))
}

fn verify_with<F: GeneratorCache<L>, const L: usize>(args: &VerifyArgs<'_>) -> bool {
    verify_option::<F, L>(args).unwrap_or(false)
}

fn verify_option<F: GeneratorCache<L>, const L: usize>(args: &VerifyArgs<'_>) -> Option<bool> {
    let VerifyArgs {
        curve,
        key: (qx, qy),
        table,
        hash,
        signature: (r, s),
    } = *args;
    let arithmetic = Arithmetic::<F, L>::new(curve)?;
    let field = &arithmetic.field;
    let n = to_uint::<L>(curve.n)?;
    let r = to_uint::<L>(r)?;
    let s = to_uint::<L>(s)?;
    // SEC 1 §4.1.4 step 1: r and s in [1, n-1].
    if r.is_zero_vartime() || s.is_zero_vartime() || r >= n || s >= n {
        return Some(false);
    }
    // Steps 2-4: e = the leftmost bit_len(n) bits of the digest, reduced mod n.
    let n_bits = bit_len(curve.n);
    let e = {
        let hash_bits = hash.len() * 8;
        let value = if hash_bits > n_bits {
            let keep = n_bits.div_ceil(8);
            let shift = u32::try_from(keep * 8 - n_bits).ok()?;
            to_uint::<L>(hash.get(..keep)?)?.shr_vartime(shift)
        } else {
            to_uint::<L>(hash)?
        };
        if value >= n {
            value.wrapping_sub(&n)
        } else {
            value
        }
    };
    // Step 5: u1 = e·s⁻¹, u2 = r·s⁻¹ (mod n).
    let scalar_params = FixedMontyParams::new_vartime(Odd::new(n).into_option()?);
    let w = FixedMontyForm::new(&s, &scalar_params)
        .invert_vartime()
        .into_option()?;
    let u1 = FixedMontyForm::new(&e, &scalar_params).mul(&w).retrieve();
    let u2 = FixedMontyForm::new(&r, &scalar_params).mul(&w).retrieve();
    // Step 6: R = u1·G + u2·Q.
    let g_table = F::generator_table()
        .get_or_init(|| {
            let g = arithmetic.point(curve.gx, curve.gy)?;
            arithmetic.split_table(curve, &g, GENERATOR_WINDOW)
        })
        .as_ref()?;
    let built;
    let q_table = match table.and_then(|table| table.0.downcast_ref::<Multiples<F, L>>()) {
        Some(table) => table,
        None => {
            built = Multiples::single(field, &arithmetic.point(qx, qy)?, WINDOW)?;
            &built
        }
    };
    let sum = double_scalar(field, &u1, g_table, &u2, q_table)?;
    // Steps 7-8: v = x(R) mod n; valid iff v == r, that is iff x(R) is r or r + n (< p).
    let Some(x) = field.affine_x(&sum) else {
        return Some(false);
    };
    let Some((z2, _)) = arithmetic.twist else {
        let v = if x >= n { x.wrapping_sub(&n) } else { x };
        return Some(v == r);
    };
    // x(R') = x(R)·Z²: compare against each candidate for x(R), mapped, without an inversion.
    let r_plus_n = r.wrapping_add(&n);
    let candidates = [
        Some(r),
        (r_plus_n > r && r_plus_n < field.p).then_some(r_plus_n),
    ];
    Some(
        candidates
            .into_iter()
            .flatten()
            .any(|candidate| Fe::new(&candidate).mul(&z2).retrieve() == x),
    )
}

fn decode_with<F: ConstMontyParams<L>, const L: usize>(
    curve: &CurveParams,
    point: &[u8],
) -> Option<(Vec<u8>, Vec<u8>)> {
    let field = Field::<F, L>::new(curve)?;
    let len = curve.p.len();
    let (tag, body) = point.split_first()?;
    let (x, y) = match (*tag, body.len()) {
        (0x04, body_len) if body_len == 2 * len => {
            let (xb, yb) = body.split_at(len);
            let x = field.element(xb)?;
            let y = field.element(yb)?;
            (field.rhs(&x) == y.square()).then_some((x, y))?
        }
        (0x02 | 0x03, body_len) if body_len == len => {
            // Square root by exponentiation to (p+1)/4, valid when p ≡ 3 (mod 4).
            if field.p.as_words().first().copied().unwrap_or(0) & 3 != 3 {
                return None;
            }
            let x = field.element(body)?;
            let rhs = field.rhs(&x);
            let exponent = field.p.wrapping_add(&Uint::ONE).shr_vartime(2);
            let root = rhs.pow_vartime(&exponent);
            if root.square() != rhs {
                return None;
            }
            let odd = bool::from(root.retrieve().is_odd());
            let y = if odd == (*tag == 0x03) {
                root
            } else {
                root.neg()
            };
            (x, y)
        }
        _ => return None,
    };
    Some((to_bytes(&x.retrieve(), len)?, to_bytes(&y.retrieve(), len)?))
}

#[cfg(test)]
pub(super) mod testing;
