//! Tables of precomputed multiples of a point and the double-scalar multiplication u1·G + u2·Q
//! over them (variable-time: public data only).
//!
//! A table holds, for `bases` points Pⱼ = 2^(spacing·j)·P (j = 0, 1, …), the odd multiples
//! 1·Pⱼ, 3·Pⱼ, …, (2^(window−1) − 1)·Pⱼ in affine coordinates. A scalar's width-`window` NAF
//! digit dᵢ at position i = spacing·j + t then contributes dᵢ·2^t·Pⱼ = dᵢ·2^i·P, so the
//! multiplication needs only `spacing` doublings instead of one per bit (the split-base,
//! "fixed-base comb" idea of Lim and Lee, CRYPTO '94, with NAF digits). A table of one base is
//! the usual per-call table of the interleaved (Shamir) multiplication. Tables with several
//! bases are built once: for each curve's generator (lazily, see [`super::GeneratorCache`]) and
//! for a public key that verifies more than once (`super::super::ecdsa`).

use crypto_bigint::Uint;
use crypto_bigint::modular::ConstMontyParams;

use super::{Affine, Fe, Field, Point};

/// The largest window: NAF digits up to ±127 fit an `i8`.
const MAX_WINDOW: u32 = 8;

/// The odd multiples of a point and of some of its 2^(spacing·j) multiples, affine.
pub(super) struct Multiples<F: ConstMontyParams<L>, const L: usize> {
    /// The number of bit positions each base covers (doublings of a multiplication).
    spacing: usize,
    /// The NAF width the table serves.
    window: u32,
    /// `bases[j][e]` = (2e + 1)·2^(spacing·j)·P.
    bases: Vec<Vec<Affine<F, L>>>,
}

impl<F: ConstMontyParams<L>, const L: usize> Multiples<F, L> {
    /// The table for `bases` bases, each covering `spacing` bit positions, of width `window`
    /// (3..=8). `None` if a multiple is the point at infinity, which cannot happen for a point
    /// of large prime order.
    pub(super) fn new(
        field: &Field<F, L>,
        point: &Affine<F, L>,
        bases: usize,
        spacing: usize,
        window: u32,
    ) -> Option<Self> {
        if !(3..=MAX_WINDOW).contains(&window) || bases == 0 || spacing == 0 {
            return None;
        }
        let entries = 1usize << (window - 2);
        let mut jacobian = Vec::with_capacity(bases.checked_mul(entries)?);
        let mut base = Point::Jacobian {
            x: point.x,
            y: point.y,
            z: Fe::ONE,
        };
        for index in 0..bases {
            if index > 0 {
                for _ in 0..spacing {
                    base = field.double(&base);
                }
            }
            let twice = field.double(&base);
            let mut multiple = base;
            jacobian.push(multiple);
            for _ in 1..entries {
                multiple = field.add(&multiple, &twice);
                jacobian.push(multiple);
            }
        }
        let affine = normalize(&jacobian)?;
        Some(Self {
            spacing,
            window,
            bases: affine.chunks(entries).map(<[_]>::to_vec).collect(),
        })
    }

    /// The table of one base (no doubling saved) for a single multiplication.
    pub(super) fn single(field: &Field<F, L>, point: &Affine<F, L>, window: u32) -> Option<Self> {
        Self::new(field, point, 1, usize::MAX, window)
    }

    /// The width-`window` NAF of `scalar`, if this table covers all its digits.
    fn digits(&self, scalar: &Uint<L>) -> Option<Vec<i8>> {
        let digits = wnaf(scalar, self.window);
        let covered = self.spacing.saturating_mul(self.bases.len());
        (digits.len() <= covered).then_some(digits)
    }

    /// The number of doublings a multiplication by `digits` needs.
    fn rounds(&self, digits: &[i8]) -> usize {
        self.spacing.min(digits.len())
    }

    /// acc + Σⱼ d_(spacing·j + t)·Pⱼ: the additions of round `t`.
    fn add_round(
        &self,
        field: &Field<F, L>,
        mut acc: Point<F, L>,
        digits: &[i8],
        t: usize,
    ) -> Option<Point<F, L>> {
        if t >= self.spacing {
            return Some(acc);
        }
        let mut index = Some(t);
        for base in &self.bases {
            let Some(digit) = index.and_then(|index| digits.get(index)) else {
                break;
            };
            acc = add_digit(field, &acc, *digit, base)?;
            index = index.and_then(|index| index.checked_add(self.spacing));
        }
        Some(acc)
    }
}

impl<F: ConstMontyParams<L>, const L: usize> Clone for Multiples<F, L> {
    fn clone(&self) -> Self {
        Self {
            spacing: self.spacing,
            window: self.window,
            bases: self.bases.clone(),
        }
    }
}

/// u1·P + u2·Q from tables of multiples of P and Q, interleaved (Shamir's trick): one shared
/// doubling per round, the rounds being those of the table needing more. `None` if a scalar
/// has more digits than its table covers.
pub(super) fn double_scalar<F: ConstMontyParams<L>, const L: usize>(
    field: &Field<F, L>,
    u1: &Uint<L>,
    p_table: &Multiples<F, L>,
    u2: &Uint<L>,
    q_table: &Multiples<F, L>,
) -> Option<Point<F, L>> {
    let u1_digits = p_table.digits(u1)?;
    let u2_digits = q_table.digits(u2)?;
    let rounds = p_table.rounds(&u1_digits).max(q_table.rounds(&u2_digits));
    let mut acc = Point::Infinity;
    for t in (0..rounds).rev() {
        acc = field.double(&acc);
        acc = p_table.add_round(field, acc, &u1_digits, t)?;
        acc = q_table.add_round(field, acc, &u2_digits, t)?;
    }
    Some(acc)
}

/// The affine form of Jacobian points, with one inversion for all (Montgomery's trick). `None`
/// if one is the point at infinity.
pub(super) fn normalize<F: ConstMontyParams<L>, const L: usize>(
    points: &[Point<F, L>],
) -> Option<Vec<Affine<F, L>>> {
    let mut coordinates = Vec::with_capacity(points.len());
    for point in points {
        let Point::Jacobian { x, y, z } = point else {
            return None;
        };
        coordinates.push((*x, *y, *z));
    }
    // Prefix products, one inversion, then back.
    let mut prefix = Vec::with_capacity(coordinates.len());
    let mut product = Fe::ONE;
    for (_, _, z) in &coordinates {
        prefix.push(product);
        product = product.mul(z);
    }
    let mut inverse = product.invert_vartime()?;
    let mut affine = Vec::with_capacity(coordinates.len());
    for ((x, y, z), before) in coordinates.iter().zip(&prefix).rev() {
        let z_inv = inverse.mul(before);
        inverse = inverse.mul(z);
        let z_inv2 = z_inv.square();
        affine.push(Affine {
            x: x.mul(&z_inv2),
            y: y.mul(&z_inv2).mul(&z_inv),
        });
    }
    affine.reverse();
    Some(affine)
}

/// The width-`window` non-adjacent form of `scalar`, least significant digit first: digits odd
/// in −(2^(window−1) − 1)..=2^(window−1) − 1 or zero, at most one non-zero in any `window`
/// consecutive. `window` is in 2..=8.
fn wnaf<const L: usize>(scalar: &Uint<L>, window: u32) -> Vec<i8> {
    let modulus = 1u64 << window;
    let half = modulus >> 1;
    let mut k = *scalar;
    let mut digits = Vec::with_capacity(usize::try_from(Uint::<L>::BITS).unwrap_or(0) + 1);
    while !k.is_zero_vartime() {
        let mut digit = 0i8;
        if bool::from(k.is_odd()) {
            let low = k.as_words().first().copied().unwrap_or(0) & (modulus - 1);
            if low >= half {
                let magnitude = modulus - low;
                k = k.wrapping_add(&Uint::from_u64(magnitude));
                digit = -i8::try_from(magnitude).unwrap_or(0);
            } else {
                k = k.wrapping_sub(&Uint::from_u64(low));
                digit = i8::try_from(low).unwrap_or(0);
            }
        }
        digits.push(digit);
        k = k.shr_vartime(1);
    }
    digits
}

/// acc + digit·P for a NAF digit, from the odd multiples of P.
fn add_digit<F: ConstMontyParams<L>, const L: usize>(
    field: &Field<F, L>,
    acc: &Point<F, L>,
    digit: i8,
    table: &[Affine<F, L>],
) -> Option<Point<F, L>> {
    if digit == 0 {
        return Some(*acc);
    }
    let entry = table.get(usize::from(digit.unsigned_abs() / 2))?;
    let entry = if digit < 0 {
        Affine {
            x: entry.x,
            y: entry.y.neg(),
        }
    } else {
        *entry
    };
    Some(field.add_affine(acc, &entry))
}
