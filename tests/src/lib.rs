//! End-to-end tests of eid across its crates, and against implementations nobody here wrote.
//!
//! The tests live in `tests/`: `conformance/` holds the OpenID conformance suite's OP modules
//! as named tests against the mock IdP over real HTTP; `broker/` the broker's end-to-end
//! evidence; `interop.rs` and `interop_broker.rs` run the OpenID-certified `openid-client` and
//! `oidc-provider` (Node.js, pinned in `interop/package-lock.json`) against the mock and the
//! broker; `browser/` drives headless Chromium with axe-core (pinned in
//! `browser/package-lock.json`). This library holds what the Node.js-driven tests share:
//! [`node`].

pub mod node;
