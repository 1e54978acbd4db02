//! The broker's end-to-end evidence (issue 5), in process over real HTTP on 127.0.0.1: a
//! broker built from a TOML configuration with eid-idp-mock upstreams of every profile and one
//! manual clock, driven by an e-service and its user's browser (cookies kept, redirects
//! followed by hand, PKCE S256), each ID token verified by
//! [`eid_core::verify::IdTokenVerifier`].
//!
//! - [`profiles`]: a login through each upstream profile, verified at the level required.
//! - [`acr`]: the level-of-assurance matrix (exact and minimum, the Swedish, eIDAS and NIST
//!   frameworks, essential `acr`, unmet) as a table, and step-up.
//! - [`linking`]: the same person through two upstreams gets the same `sub`; sectors differ.
//! - [`faults`]: every fault scenario of the mock, one row each, answered with the right error
//!   and no code.
//! - [`logout`]: RP-initiated logout propagated upstream and back-channel to the e-services.
//! - [`logscan`]: the whole process's log holds no personal number, token or code.
//!
//! eid-broker's own integration tests (`eid-broker/tests/it`) check the same parts from the
//! inside (the connector's rejection reasons, the choice page, the CLI); this suite checks what
//! an e-service sees.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::missing_panics_doc,
    missing_docs,
    unreachable_pub,
    reason = "tests: a failed expectation fails the test loudly"
)]

mod acr;
mod faults;
mod linking;
mod logout;
mod logs;
mod logscan;
mod profiles;
mod rp;
mod world;
