//! Prime-field arithmetic in Montgomery form for the generic verifier of [`super::weierstrass`]:
//! multiplication (CIOS, Koç–Acar–Kaliski 1996, "Analyzing and Comparing Montgomery
//! Multiplication Algorithms" §5), addition, subtraction and negation, on fixed-size arrays of
//! `crypto-bigint` words, modulo the prime of a `crypto-bigint` `ConstMontyParams` type.
//!
//! **Public data only.** This is written for speed and makes no constant-time promise (inversion
//! and exponentiation are variable-time); the verifier only ever handles public keys, digests
//! and signatures. `crypto-bigint`'s constant-time `ConstMontyForm` took about 2,000
//! instructions per brainpoolP512r1 multiplication against about 1,240 here (callgrind), and the
//! verifier about 1.5 times as long with it. The rare operations (conversions, inversion,
//! exponentiation) are `crypto-bigint`'s, and the unit tests compare every operation here with
//! `ConstMontyForm` on random elements and edge values (0, 1, p − 2, p − 1) of every field.

use std::fmt;
use std::marker::PhantomData;

use crypto_bigint::modular::{ConstMontyForm, ConstMontyParams};
use crypto_bigint::{Uint, WideWord, Word};

/// An element of GF(p), p the modulus of `F`, as x·R mod p with R = 2^(`Word::BITS`·L),
/// always fully reduced (below p), so that equal elements have equal words.
pub(super) struct Fe<F, const L: usize> {
    words: [Word; L],
    field: PhantomData<F>,
}

impl<F, const L: usize> Clone for Fe<F, L> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<F, const L: usize> Copy for Fe<F, L> {}

impl<F, const L: usize> PartialEq for Fe<F, L> {
    fn eq(&self, other: &Self) -> bool {
        self.words == other.words
    }
}

impl<F, const L: usize> Eq for Fe<F, L> {}

impl<F, const L: usize> fmt::Debug for Fe<F, L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fe")
            .field("montgomery", &self.words)
            .finish()
    }
}

/// The low word of a double word.
fn low(value: WideWord) -> Word {
    // Truncation intended: the low half.
    value as Word
}

/// The high word of a double word.
fn high(value: WideWord) -> Word {
    // Truncation intended: the high half (the shift leaves only `Word::BITS` bits).
    (value >> Word::BITS) as Word
}

/// `a − b` and whether it borrowed.
fn sub_words<const L: usize>(a: &[Word; L], b: &[Word; L]) -> ([Word; L], bool) {
    let mut out = [0; L];
    let mut borrow = false;
    for ((out, a), b) in out.iter_mut().zip(a).zip(b) {
        let (difference, first) = a.overflowing_sub(*b);
        let (difference, second) = difference.overflowing_sub(Word::from(borrow));
        *out = difference;
        borrow = first | second;
    }
    (out, borrow)
}

/// `a + b` and whether it carried.
fn add_words<const L: usize>(a: &[Word; L], b: &[Word; L]) -> ([Word; L], bool) {
    let mut out = [0; L];
    let mut carry: Word = 0;
    for ((out, a), b) in out.iter_mut().zip(a).zip(b) {
        let sum = WideWord::from(*a) + WideWord::from(*b) + WideWord::from(carry);
        *out = low(sum);
        carry = high(sum);
    }
    (out, carry != 0)
}

/// `if_true` if `condition`, else `if_false`, without a branch (the choice is data-dependent
/// and would be mispredicted half of the time).
fn select<const L: usize>(condition: bool, if_true: &[Word; L], if_false: &[Word; L]) -> [Word; L] {
    let mask = Word::from(condition).wrapping_neg();
    let mut out = [0; L];
    for ((out, t), f) in out.iter_mut().zip(if_true).zip(if_false) {
        *out = (t & mask) | (f & !mask);
    }
    out
}

impl<F: ConstMontyParams<L>, const L: usize> Fe<F, L> {
    /// Zero.
    pub(super) const ZERO: Self = Self::from_words([0; L]);
    /// One (R mod p in Montgomery form).
    pub(super) const ONE: Self = Self::from_words(F::PARAMS.one().to_words());
    /// The modulus p.
    const MODULUS: [Word; L] = F::PARAMS.modulus().as_ref().to_words();
    /// −p⁻¹ mod 2^`Word::BITS`.
    const MOD_NEG_INV: Word = F::PARAMS.mod_neg_inv().0;

    const fn from_words(words: [Word; L]) -> Self {
        Self {
            words,
            field: PhantomData,
        }
    }

    /// The element `value` mod p.
    pub(super) fn new(value: &Uint<L>) -> Self {
        Self::from_words(
            ConstMontyForm::<F, L>::new(value)
                .to_montgomery()
                .to_words(),
        )
    }

    /// The same element as a `crypto-bigint` `ConstMontyForm`.
    fn to_const_monty(self) -> ConstMontyForm<F, L> {
        ConstMontyForm::from_montgomery(Uint::from_words(self.words))
    }

    fn from_const_monty(value: &ConstMontyForm<F, L>) -> Self {
        Self::from_words(value.to_montgomery().to_words())
    }

    /// The canonical integer (below p).
    pub(super) fn retrieve(&self) -> Uint<L> {
        self.to_const_monty().retrieve()
    }

    /// Whether this is zero.
    pub(super) fn is_zero(&self) -> bool {
        self.words.iter().all(|word| *word == 0)
    }

    /// The inverse, or `None` for zero (variable-time).
    pub(super) fn invert_vartime(&self) -> Option<Self> {
        let inverse = self.to_const_monty().invert_vartime().into_option()?;
        Some(Self::from_const_monty(&inverse))
    }

    /// `self` to the power `exponent` (variable-time).
    pub(super) fn pow_vartime(&self, exponent: &Uint<L>) -> Self {
        Self::from_const_monty(&self.to_const_monty().pow_vartime(exponent))
    }

    /// `value` below 2p (`overflow`: whether it had a carry out of the top word), reduced
    /// below p by at most one subtraction of p.
    fn reduce_once(value: &[Word; L], overflow: bool) -> Self {
        let (difference, borrow) = sub_words(value, &Self::MODULUS);
        Self::from_words(select(overflow || !borrow, &difference, value))
    }

    /// self + rhs.
    pub(super) fn add(&self, rhs: &Self) -> Self {
        let (sum, carry) = add_words(&self.words, &rhs.words);
        Self::reduce_once(&sum, carry)
    }

    /// 2·self.
    pub(super) fn double(&self) -> Self {
        self.add(self)
    }

    /// self − rhs.
    pub(super) fn sub(&self, rhs: &Self) -> Self {
        let (difference, borrow) = sub_words(&self.words, &rhs.words);
        let (wrapped, _) = add_words(&difference, &Self::MODULUS);
        Self::from_words(select(borrow, &wrapped, &difference))
    }

    /// −self.
    pub(super) fn neg(&self) -> Self {
        Self::ZERO.sub(self)
    }

    /// self · rhs (self·rhs·R⁻¹ on the Montgomery representations): coarsely integrated operand
    /// scanning, t = (t + xᵢ·y + m·p) / 2^`Word::BITS` for each word xᵢ, with t < 2p throughout.
    pub(super) fn mul(&self, rhs: &Self) -> Self {
        let Some((p_low, p_rest)) = Self::MODULUS.split_first() else {
            return Self::ZERO;
        };
        let mut t = [0 as Word; L];
        // The word of t above its L words.
        let mut t_top: Word = 0;
        for x in &self.words {
            let x = WideWord::from(*x);
            // t += x·y.
            let mut carry: Word = 0;
            for (t_word, y) in t.iter_mut().zip(&rhs.words) {
                let sum = WideWord::from(*t_word) + x * WideWord::from(*y) + WideWord::from(carry);
                *t_word = low(sum);
                carry = high(sum);
            }
            let sum = WideWord::from(t_top) + WideWord::from(carry);
            t_top = low(sum);
            let t_overflow = high(sum);
            // t = (t + m·p) / 2^Word::BITS, m chosen so that the low word is zero.
            let Some((t_low, t_rest)) = t.split_first_mut() else {
                return Self::ZERO;
            };
            let m = WideWord::from(t_low.wrapping_mul(Self::MOD_NEG_INV));
            let mut carry = high(WideWord::from(*t_low) + m * WideWord::from(*p_low));
            let mut previous = t_low;
            for (t_word, p_word) in t_rest.iter_mut().zip(p_rest) {
                let sum =
                    WideWord::from(*t_word) + m * WideWord::from(*p_word) + WideWord::from(carry);
                *previous = low(sum);
                carry = high(sum);
                previous = t_word;
            }
            let sum = WideWord::from(t_top) + WideWord::from(carry);
            *previous = low(sum);
            t_top = t_overflow + high(sum);
        }
        Self::reduce_once(&t, t_top != 0)
    }

    /// self².
    pub(super) fn square(&self) -> Self {
        self.mul(self)
    }
}

#[cfg(test)]
pub(super) mod testing {
    //! Checks of every operation against `crypto-bigint`'s `ConstMontyForm`.

    use super::*;

    /// A small deterministic generator (xorshift64*), for reproducible random elements.
    pub(in super::super) struct Rng(u64);

    impl Rng {
        pub(in super::super) fn new(seed: u64) -> Self {
            Self(seed | 1)
        }

        pub(in super::super) fn next_u64(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        /// A random integer of `L` words (any value, not reduced).
        pub(in super::super) fn uint<const L: usize>(&mut self) -> Uint<L> {
            let mut words = [0 as Word; L];
            for word in &mut words {
                // Truncation intended on 32-bit targets.
                *word = self.next_u64() as Word;
            }
            Uint::from_words(words)
        }
    }

    /// Whether mul, square, add, double, sub and neg agree with `ConstMontyForm` on `rounds`
    /// random pairs and on the edge values 0, 1, p − 1 and p − 2.
    pub(in super::super) fn agrees_with_const_monty<F: ConstMontyParams<L>, const L: usize>(
        rng: &mut Rng,
        rounds: usize,
    ) -> bool {
        let p = *F::PARAMS.modulus().as_ref();
        let edges = [
            Uint::ZERO,
            Uint::ONE,
            p.wrapping_sub(&Uint::ONE),
            p.wrapping_sub(&Uint::from_u64(2)),
        ];
        let mut values: Vec<Uint<L>> = edges.to_vec();
        values.extend((0..rounds).map(|_| rng.uint::<L>()));
        let mut ok = true;
        for (index, a) in values.iter().enumerate() {
            let b = values
                .get((index * 7 + 3) % values.len())
                .copied()
                .unwrap_or(Uint::ONE);
            for (x, y) in [(a, &b), (a, a), (&b, a)] {
                let (fx, fy) = (Fe::<F, L>::new(x), Fe::<F, L>::new(y));
                let (cx, cy) = (
                    ConstMontyForm::<F, L>::new(x),
                    ConstMontyForm::<F, L>::new(y),
                );
                ok &= fx.mul(&fy).retrieve() == cx.mul(&cy).retrieve();
                ok &= fx.square().retrieve() == cx.square().retrieve();
                ok &= fx.add(&fy).retrieve() == cx.add(&cy).retrieve();
                ok &= fx.double().retrieve() == cx.double().retrieve();
                ok &= fx.sub(&fy).retrieve() == cx.sub(&cy).retrieve();
                ok &= fx.neg().retrieve() == cx.neg().retrieve();
                ok &= fx.retrieve() == cx.retrieve();
                ok &= fx.is_zero() == bool::from(cx.retrieve().is_zero());
            }
        }
        ok &= Fe::<F, L>::ONE.retrieve() == Uint::ONE;
        ok &= Fe::<F, L>::ZERO.retrieve() == Uint::ZERO;
        ok
    }
}
