//! Deserialisation through `FromStr`, without echoing the input in errors.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};

/// Deserialises a `T` from a string with its `FromStr`.
///
/// Serde's default errors for a wrong type quote the value (`invalid type: integer
/// 190905271474`), and `serde_json` builds them without asking the visitor when a string was
/// asked for. So self-describing (human-readable) formats are asked for any value, and this
/// visitor answers every number with a fixed message: personal numbers sent as JSON numbers do
/// not reach logs either. Other formats are asked for a string.
pub(super) fn deserialize<'de, D, T>(
    deserializer: D,
    expecting: &'static str,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: fmt::Display,
{
    let visitor = FromStrVisitor {
        expecting,
        target: PhantomData,
    };
    if deserializer.is_human_readable() {
        deserializer.deserialize_any(visitor)
    } else {
        deserializer.deserialize_str(visitor)
    }
}

struct FromStrVisitor<T> {
    expecting: &'static str,
    target: PhantomData<T>,
}

impl<T> FromStrVisitor<T> {
    fn not_a_string<E: de::Error>(&self) -> E {
        E::custom(format_args!("invalid type: expected {}", self.expecting))
    }
}

impl<T> Visitor<'_> for FromStrVisitor<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        value.parse().map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<T, E> {
        Err(self.not_a_string())
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<T, E> {
        Err(self.not_a_string())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<T, E> {
        Err(self.not_a_string())
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<T, E> {
        Err(self.not_a_string())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<T, E> {
        Err(self.not_a_string())
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<T, E> {
        Err(self.not_a_string())
    }
}
