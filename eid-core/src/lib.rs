//! # eid-core
//!
//! The domain of eid, as a pure library: no HTTP, no async runtime, no global state and no
//! clock reads (time is an argument, see [`clock`]).
//!
//! - [`assurance`]: levels of assurance across frameworks (Swedish eID framework, eIDAS, NIST
//!   SP 800-63, Norway, Denmark, Finland), `acr` URIs, exact and minimum matching.
//! - [`identifier`]: personnummer, samordningsnummer, organisation numbers, eIDAS person
//!   identifiers; redacted in `Debug` and `Display`.
//! - [`mrz`]: ICAO 9303 machine-readable zones (TD1, TD2, TD3): fields, check digits, dates
//!   with a century rule, and the Basic Access Control keys.
//! - [`emrtd`]: eMRTD chips: EF.SOD, data groups, CSCA trust, passive and active
//!   authentication.
//! - [`claims`]: the normalized identity and its mapping to and from OIDC, OIDC Sweden, Sweden
//!   Connect eIDAS claims and OpenID Connect for Identity Assurance `verified_claims`.
//! - [`jose`]: signing keys, JWKs and JWKS with RFC 7638 thumbprints, a ring-backed crypto
//!   provider for `jsonwebtoken`.
//! - [`verify`]: what an e-service embeds to verify an ID token at the level it requires.
//! - [`clock`]: the injected clock.
#![doc(test(attr(deny(warnings))))]

pub mod assurance;
pub mod claims;
pub mod clock;
pub mod emrtd;
pub mod identifier;
pub mod jose;
pub mod mrz;
pub mod verify;
