//! Prime-field elements for the generic verifier: `crypto-bigint`'s `ConstMontyForm` (Montgomery
//! form modulo the prime of a `ConstMontyParams` type, see [`super::fields`]), wrapped only to
//! name the few operations the verifier uses and to turn `crypto-bigint`'s `CtOption` and
//! constant-time zero test into plain values. Every operation is `crypto-bigint`'s; nothing
//! here is secret, so its variable-time inversion and exponentiation are used.

use crypto_bigint::Uint;
use crypto_bigint::modular::{ConstMontyForm, ConstMontyParams};

/// An element of GF(p), p the modulus of `F`, in Montgomery form (always fully reduced, so
/// equal elements compare equal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Fe<F: ConstMontyParams<L>, const L: usize>(ConstMontyForm<F, L>);

impl<F: ConstMontyParams<L>, const L: usize> Fe<F, L> {
    /// One.
    pub(super) const ONE: Self = Self(ConstMontyForm::ONE);

    /// The element `value` mod p.
    #[inline]
    pub(super) fn new(value: &Uint<L>) -> Self {
        Self(ConstMontyForm::new(value))
    }

    /// The canonical integer (below p).
    #[inline]
    pub(super) fn retrieve(&self) -> Uint<L> {
        self.0.retrieve()
    }

    /// Whether this is zero (variable-time).
    #[inline]
    pub(super) fn is_zero(&self) -> bool {
        self.0.as_montgomery().is_zero_vartime()
    }

    /// The inverse, or `None` for zero (variable-time).
    #[inline]
    pub(super) fn invert_vartime(&self) -> Option<Self> {
        self.0.invert_vartime().into_option().map(Self)
    }

    /// `self` to the power `exponent` (variable-time).
    #[inline]
    pub(super) fn pow_vartime(&self, exponent: &Uint<L>) -> Self {
        Self(self.0.pow_vartime(exponent))
    }

    /// self + rhs.
    #[inline]
    pub(super) fn add(&self, rhs: &Self) -> Self {
        Self(self.0.add(&rhs.0))
    }

    /// 2·self.
    #[inline]
    pub(super) fn double(&self) -> Self {
        Self(self.0.double())
    }

    /// self − rhs.
    #[inline]
    pub(super) fn sub(&self, rhs: &Self) -> Self {
        Self(self.0.sub(&rhs.0))
    }

    /// −self.
    #[inline]
    pub(super) fn neg(&self) -> Self {
        Self(self.0.neg())
    }

    /// self · rhs.
    #[inline]
    pub(super) fn mul(&self, rhs: &Self) -> Self {
        Self(self.0.mul(&rhs.0))
    }

    /// self².
    #[inline]
    pub(super) fn square(&self) -> Self {
        Self(self.0.square())
    }
}
