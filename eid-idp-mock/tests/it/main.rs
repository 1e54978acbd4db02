//! eid-idp-mock's integration tests that need no engine endpoint: the binary, the running
//! server, the control API. (The login flows through the engine are in `tests/engine_e2e.rs`.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

mod binary;
mod control;
mod http;
