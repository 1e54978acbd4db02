//! The prime field of each curve as a `crypto-bigint` `ConstMontyParams` type, and the lazily
//! built table of each curve's generator.

use std::sync::OnceLock;

use crypto_bigint::modular::{ConstMontyParams, FixedMontyParams};
use crypto_bigint::{Odd, U256, U320, U384, U512, U576};

use super::multiples::Multiples;

/// The prime field of P224.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct P224Field;

impl ConstMontyParams<{ U256::LIMBS }> for P224Field {
    const LIMBS: usize = U256::LIMBS;
    const PARAMS: FixedMontyParams<{ U256::LIMBS }> =
        FixedMontyParams::new_vartime(Odd::<U256>::from_be_hex(
            "00000000ffffffffffffffffffffffffffffffff000000000000000000000001",
        ));
}

/// The prime field of P256.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct P256Field;

impl ConstMontyParams<{ U256::LIMBS }> for P256Field {
    const LIMBS: usize = U256::LIMBS;
    const PARAMS: FixedMontyParams<{ U256::LIMBS }> =
        FixedMontyParams::new_vartime(Odd::<U256>::from_be_hex(
            "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        ));
}

/// The prime field of P384.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct P384Field;

impl ConstMontyParams<{ U384::LIMBS }> for P384Field {
    const LIMBS: usize = U384::LIMBS;
    const PARAMS: FixedMontyParams<{ U384::LIMBS }> =
        FixedMontyParams::new_vartime(Odd::<U384>::from_be_hex(concat!(
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe",
            "ffffffff0000000000000000ffffffff",
        )));
}

/// The prime field of P521.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct P521Field;

impl ConstMontyParams<{ U576::LIMBS }> for P521Field {
    const LIMBS: usize = U576::LIMBS;
    const PARAMS: FixedMontyParams<{ U576::LIMBS }> =
        FixedMontyParams::new_vartime(Odd::<U576>::from_be_hex(concat!(
            "00000000000001ffffffffffffffffffffffffffffffffffffffffffffffffff",
            "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "ffffffffffffffff",
        )));
}

/// The prime field of BrainpoolP224r1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct BrainpoolP224r1Field;

impl ConstMontyParams<{ U256::LIMBS }> for BrainpoolP224r1Field {
    const LIMBS: usize = U256::LIMBS;
    const PARAMS: FixedMontyParams<{ U256::LIMBS }> =
        FixedMontyParams::new_vartime(Odd::<U256>::from_be_hex(
            "00000000d7c134aa264366862a18302575d1d787b09f075797da89f57ec8c0ff",
        ));
}

/// The prime field of BrainpoolP256r1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct BrainpoolP256r1Field;

impl ConstMontyParams<{ U256::LIMBS }> for BrainpoolP256r1Field {
    const LIMBS: usize = U256::LIMBS;
    const PARAMS: FixedMontyParams<{ U256::LIMBS }> =
        FixedMontyParams::new_vartime(Odd::<U256>::from_be_hex(
            "a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377",
        ));
}

/// The prime field of BrainpoolP320r1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct BrainpoolP320r1Field;

impl ConstMontyParams<{ U320::LIMBS }> for BrainpoolP320r1Field {
    const LIMBS: usize = U320::LIMBS;
    const PARAMS: FixedMontyParams<{ U320::LIMBS }> =
        FixedMontyParams::new_vartime(Odd::<U320>::from_be_hex(concat!(
            "d35e472036bc4fb7e13c785ed201e065f98fcfa6f6f40def4f92b9ec7893ec28",
            "fcd412b1f1b32e27",
        )));
}

/// The prime field of BrainpoolP384r1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct BrainpoolP384r1Field;

impl ConstMontyParams<{ U384::LIMBS }> for BrainpoolP384r1Field {
    const LIMBS: usize = U384::LIMBS;
    const PARAMS: FixedMontyParams<{ U384::LIMBS }> =
        FixedMontyParams::new_vartime(Odd::<U384>::from_be_hex(concat!(
            "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b412b1da197fb71123",
            "acd3a729901d1a71874700133107ec53",
        )));
}

/// The prime field of BrainpoolP512r1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct BrainpoolP512r1Field;

impl ConstMontyParams<{ U512::LIMBS }> for BrainpoolP512r1Field {
    const LIMBS: usize = U512::LIMBS;
    const PARAMS: FixedMontyParams<{ U512::LIMBS }> =
        FixedMontyParams::new_vartime(Odd::<U512>::from_be_hex(concat!(
            "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330871",
            "7d4d9b009bc66842aecda12ae6a380e62881ff2f2d82c68528aa6056583a48f3",
        )));
}

/// The lazily built table of each curve's generator (per prime-field type, one curve each).
pub(super) trait GeneratorCache<const L: usize>: ConstMontyParams<L> {
    /// The cell of the generator's table (`None` inside if it could not be built).
    fn generator_table() -> &'static OnceLock<Option<Multiples<Self, L>>>;
}

/// Implements [`GeneratorCache`] for field types with a `static` cell each.
macro_rules! generator_cache {
    ($($field:ty => $limbs:expr),* $(,)?) => {$(
        impl GeneratorCache<{ $limbs }> for $field {
            fn generator_table() -> &'static OnceLock<Option<Multiples<Self, { $limbs }>>> {
                static TABLE: OnceLock<Option<Multiples<$field, { $limbs }>>> = OnceLock::new();
                &TABLE
            }
        }
    )*};
}

generator_cache! {
    P224Field => U256::LIMBS,
    P256Field => U256::LIMBS,
    P384Field => U384::LIMBS,
    P521Field => U576::LIMBS,
    BrainpoolP224r1Field => U256::LIMBS,
    BrainpoolP256r1Field => U256::LIMBS,
    BrainpoolP320r1Field => U320::LIMBS,
    BrainpoolP384r1Field => U384::LIMBS,
    BrainpoolP512r1Field => U512::LIMBS,
}
