//! The eid-provider integration tests: the HTTP layer driven through its public API (`router`,
//! `Server`), in process.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod http;
mod support;
