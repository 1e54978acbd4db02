//! eid-core integration tests: one binary, one module per area.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

mod binding;
mod corpus;
mod emrtd;
mod identifier;
