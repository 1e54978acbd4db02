//! # eid-broker
//!
//! An OpenID Connect provider to e-services and a relying party to upstream eID providers.
//! Today it holds the `eid-broker` command line (`inspect` subcommands); the broker service is
//! being built on [`eid_provider`].
#![doc(test(attr(deny(warnings))))]

pub mod inspect;
