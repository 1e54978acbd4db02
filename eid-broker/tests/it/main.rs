//! Integration tests of eid-broker, through its public interfaces.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test support code outside #[test] functions fails the test loudly"
)]

mod acr;
mod cli;
mod config;
mod flow;
mod harness;
mod upstream;
mod upstream_fake;
mod upstream_mock;
