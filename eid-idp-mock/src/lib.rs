//! # eid-idp-mock
//!
//! A strict reference OpenID provider with test persons and scripted faults, built on
//! [`eid_provider`]. It is being built (see the project's issue on the provider engine and the
//! mock IdP); nothing here is usable yet.
#![doc(test(attr(deny(warnings))))]
