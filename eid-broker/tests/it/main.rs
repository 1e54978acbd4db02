//! Integration tests of eid-broker, through its public interfaces.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "test support code outside #[test] functions fails the test loudly"
)]

mod acr;
mod browser;
mod cli;
mod config;
mod demo;
mod flow;
mod harness;
mod ops;
mod upstream;
mod upstream_fake;
mod upstream_mock;
