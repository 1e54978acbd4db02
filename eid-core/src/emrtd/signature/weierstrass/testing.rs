//! Curve-constant and group-law checks for the unit tests.

use crypto_bigint::{NonZero, Word};

use super::*;

/// A small deterministic generator (xorshift64*), for reproducible random scalars.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed | 1)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A random integer of `L` words (any value, not reduced).
    fn uint<const L: usize>(&mut self) -> Uint<L> {
        let mut words = [0 as Word; L];
        for word in &mut words {
            // Truncation intended on 32-bit targets.
            *word = self.next_u64() as Word;
        }
        Uint::from_words(words)
    }
}

/// Runs `$function::<Field, LIMBS>($args)` for the prime field of `$curve`.
macro_rules! dispatch {
    ($curve:expr, $function:ident ( $($arg:expr),* )) => {
        match $curve.curve {
            Curve::P224 => $function::<P224Field, { U256::LIMBS }>($($arg),*),
            Curve::P256 => $function::<P256Field, { U256::LIMBS }>($($arg),*),
            Curve::P384 => $function::<P384Field, { U384::LIMBS }>($($arg),*),
            Curve::P521 => $function::<P521Field, { U576::LIMBS }>($($arg),*),
            Curve::BrainpoolP224r1 => {
                $function::<BrainpoolP224r1Field, { U256::LIMBS }>($($arg),*)
            }
            Curve::BrainpoolP256r1 => {
                $function::<BrainpoolP256r1Field, { U256::LIMBS }>($($arg),*)
            }
            Curve::BrainpoolP320r1 => {
                $function::<BrainpoolP320r1Field, { U320::LIMBS }>($($arg),*)
            }
            Curve::BrainpoolP384r1 => {
                $function::<BrainpoolP384r1Field, { U384::LIMBS }>($($arg),*)
            }
            Curve::BrainpoolP512r1 => {
                $function::<BrainpoolP512r1Field, { U512::LIMBS }>($($arg),*)
            }
        }
    };
}

/// Whether the interleaved multiplication u1·G + u2·Q over every kind of table (one base of
/// width 3 or 5, split generator and key tables) equals u1·G + u2·Q computed separately by
/// double-and-add, for Q = k·G with random k: on the edge scalars 0, 1, 2, n − 2 and n − 1,
/// on `rounds` random pairs and on short scalars; and whether u·G + (n − u)·G is the point
/// at infinity and u·G + u·G = 2u·G (the mixed addition's doubling fallback).
pub(in super::super) fn double_scalar_agrees(
    curve: &CurveParams,
    seed: u64,
    rounds: usize,
) -> bool {
    let mut rng = Rng::new(seed);
    dispatch!(curve, double_scalar_agrees_with(curve, &mut rng, rounds)).unwrap_or(false)
}

fn double_scalar_agrees_with<F: ConstMontyParams<L>, const L: usize>(
    curve: &CurveParams,
    rng: &mut Rng,
    rounds: usize,
) -> Option<bool> {
    let arithmetic = Arithmetic::<F, L>::new(curve)?;
    let field = &arithmetic.field;
    let n = to_uint::<L>(curve.n)?;
    let modulus = NonZero::new(n).into_option()?;
    let mut scalar = |shift: u32| {
        rng.uint::<L>()
            .shr_vartime(shift)
            .div_rem_vartime(&modulus)
            .1
    };
    let g = arithmetic.point(curve.gx, curve.gy)?;
    let g_point = jacobian(&g);
    let q_point = multiply(field, &g_point, &scalar(0));
    let q = multiples::normalize(&[q_point])?.into_iter().next()?;
    let g_single = Multiples::single(field, &g, WINDOW)?;
    let g_split = arithmetic.split_table(curve, &g, GENERATOR_WINDOW)?;
    let q_narrow = Multiples::single(field, &q, 3)?;
    let q_single = Multiples::single(field, &q, WINDOW)?;
    let q_split = arithmetic.split_table(curve, &q, KEY_WINDOW)?;
    let combinations = [
        (&g_single, &q_narrow),
        (&g_split, &q_single),
        (&g_split, &q_split),
        (&g_single, &q_split),
    ];
    let one = Uint::ONE;
    let two = Uint::from_u64(2);
    let mut pairs = vec![
        (Uint::ZERO, Uint::ZERO),
        (one, Uint::ZERO),
        (Uint::ZERO, one),
        (two, n.wrapping_sub(&two)),
        (n.wrapping_sub(&one), n.wrapping_sub(&one)),
    ];
    pairs.extend((0..rounds).map(|_| (scalar(0), scalar(0))));
    pairs.extend((0..rounds).map(|_| (scalar(Uint::<L>::BITS - 20), scalar(0))));
    for (u1, u2) in &pairs {
        let expected = field.add(
            &multiply(field, &g_point, u1),
            &multiply(field, &q_point, u2),
        );
        for (g_table, q_table) in combinations {
            let sum = double_scalar(field, u1, g_table, u2, q_table)?;
            if !same_point(&sum, &expected) {
                return Some(false);
            }
        }
    }
    // G as the key: u·G + (n − u)·G = ∞, and u·G + u·G meets equal points.
    let g_as_key = arithmetic.split_table(curve, &g, KEY_WINDOW)?;
    for _ in 0..rounds.max(1) {
        let u = scalar(0);
        let minus_u = n.wrapping_sub(&u);
        let twice = multiply(field, &g_point, &u.add_mod(&u, &modulus));
        for (g_table, key_table) in [(&g_single, &g_single), (&g_split, &g_as_key)] {
            let zero = double_scalar(field, &u, g_table, &minus_u, key_table)?;
            let doubled = double_scalar(field, &u, g_table, &u, key_table)?;
            if !matches!(zero, Point::Infinity) || !same_point(&doubled, &twice) {
                return Some(false);
            }
        }
    }
    Some(true)
}

fn jacobian<F: ConstMontyParams<L>, const L: usize>(point: &Affine<F, L>) -> Point<F, L> {
    Point::Jacobian {
        x: point.x,
        y: point.y,
        z: Fe::ONE,
    }
}

/// Whether two Jacobian points are the same point: X₁·Z₂² = X₂·Z₁² and Y₁·Z₂³ = Y₂·Z₁³.
fn same_point<F: ConstMontyParams<L>, const L: usize>(a: &Point<F, L>, b: &Point<F, L>) -> bool {
    match (a, b) {
        (Point::Infinity, Point::Infinity) => true,
        (
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
        ) => {
            let (z1z1, z2z2) = (z1.square(), z2.square());
            x1.mul(&z2z2) == x2.mul(&z1z1) && y1.mul(&z2z2).mul(z2) == y2.mul(&z1z1).mul(z1)
        }
        _ => false,
    }
}

/// Whether G lies on the curve and n·G is the point at infinity (while (n-1)·G is not), and
/// for a brainpool curve whether its twist constant Z is right (a·Z⁴ = −3, and G's image on
/// the twist has order n under the a = −3 doubling).
pub(in super::super) fn check_constants(curve: &CurveParams) -> bool {
    let check = match curve.curve {
        Curve::P224 => check::<P224Field, { U256::LIMBS }>,
        Curve::P256 => check::<P256Field, { U256::LIMBS }>,
        Curve::P384 => check::<P384Field, { U384::LIMBS }>,
        Curve::P521 => check::<P521Field, { U576::LIMBS }>,
        Curve::BrainpoolP224r1 => check::<BrainpoolP224r1Field, { U256::LIMBS }>,
        Curve::BrainpoolP256r1 => check::<BrainpoolP256r1Field, { U256::LIMBS }>,
        Curve::BrainpoolP320r1 => check::<BrainpoolP320r1Field, { U320::LIMBS }>,
        Curve::BrainpoolP384r1 => check::<BrainpoolP384r1Field, { U384::LIMBS }>,
        Curve::BrainpoolP512r1 => check::<BrainpoolP512r1Field, { U512::LIMBS }>,
    };
    check(curve).unwrap_or(false)
}

fn multiply<F: ConstMontyParams<L>, const L: usize>(
    field: &Field<F, L>,
    point: &Point<F, L>,
    k: &Uint<L>,
) -> Point<F, L> {
    let mut acc = Point::Infinity;
    for index in (0..k.bit_width_vartime()).rev() {
        acc = field.double(&acc);
        if k.bit_vartime(index) {
            acc = field.add(&acc, point);
        }
    }
    acc
}

fn check<F: ConstMontyParams<L>, const L: usize>(curve: &CurveParams) -> Option<bool> {
    let field = Field::<F, L>::new(curve)?;
    let x = field.element(curve.gx)?;
    let y = field.element(curve.gy)?;
    if field.rhs(&x) != y.square() {
        return Some(false);
    }
    let g = Point::Jacobian { x, y, z: Fe::ONE };
    let n = to_uint::<L>(curve.n)?;
    let n_g = multiply(&field, &g, &n);
    let n_minus_one_g = multiply(&field, &g, &n.wrapping_sub(&Uint::ONE));
    if !(matches!(n_g, Point::Infinity) && matches!(n_minus_one_g, Point::Jacobian { .. })) {
        return Some(false);
    }
    let Some(z) = curve.twist_z else {
        // a = −3 must have been recognised, for the cheaper doubling.
        return Some(field.a_is_minus_3);
    };
    // a·Z⁴ = −3, and G mapped onto the twist has order n under the a = −3 group law.
    let z = field.element(z)?;
    let z2 = z.square();
    let minus_3 = Fe::new(&field.p.wrapping_sub(&Uint::from_u64(3)));
    if field.a.mul(&z2.square()) != minus_3 {
        return Some(false);
    }
    let twisted = Field::<F, L>::new(curve)?.twisted();
    let g_twist = Point::Jacobian {
        x: x.mul(&z2),
        y: y.mul(&z2.mul(&z)),
        z: Fe::ONE,
    };
    let n_g = multiply(&twisted, &g_twist, &n);
    let n_minus_one_g = multiply(&twisted, &g_twist, &n.wrapping_sub(&Uint::ONE));
    Some(matches!(n_g, Point::Infinity) && matches!(n_minus_one_g, Point::Jacobian { .. }))
}
