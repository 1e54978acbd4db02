//! End-to-end tests of eid across its crates, and against implementations nobody here wrote.
//!
//! The tests live in `tests/`: `conformance/` holds the OpenID conformance suite's OP modules
//! as named tests against the mock IdP over real HTTP; `interop.rs` runs the OpenID-certified
//! `openid-client` (Node.js, pinned in `interop/package-lock.json`) as the e-service against the
//! mock. This library itself is empty.
