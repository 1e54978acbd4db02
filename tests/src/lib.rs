//! End-to-end tests of eid across its crates, and against implementations nobody here wrote.
//!
//! The tests live in `tests/`: `conformance/` holds the OpenID conformance suite's OP modules
//! as named tests against the mock IdP over real HTTP; `interop.rs` runs the OpenID-certified
//! `openid-client` (Node.js, pinned in `interop/package-lock.json`) as the e-service against the
//! mock; `browser/` drives headless Chromium (playwright-core and axe-core, pinned in
//! `browser/package-lock.json`) through the pages a person sees and scans each for WCAG 2.1
//! A/AA violations. This library itself is empty.
