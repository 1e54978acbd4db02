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
//! - [`binding`]: a credential bound to a verified passport or ID card and its holder's face;
//!   the proofing policy that turns such evidence into a level of assurance.
//! - [`claims`]: the normalized identity and its mapping to and from OIDC, OIDC Sweden, Sweden
//!   Connect eIDAS claims and OpenID Connect for Identity Assurance `verified_claims`.
//! - [`jose`]: signing keys, JWKs and JWKS with RFC 7638 thumbprints, a ring-backed crypto
//!   provider for `jsonwebtoken`.
//! - [`verify`]: what an e-service embeds to verify an ID token at the level it requires.
//! - [`clock`]: the injected clock.
//!
//! # An e-service verifying an ID token at loa3
//!
//! The e-service sent the person to the broker with a nonce and `acr_values` naming the Swedish
//! level 3; it gets back an ID token, which it verifies against the broker's JWKS and reads as
//! a normalized identity. (Here the "broker" is a key generated on the spot.)
//!
//! ```
//! use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
//! use eid_core::claims::{Identity, NationalId};
//! use eid_core::clock::UnixTime;
//! use eid_core::jose::{JwsAlgorithm, Jwks, SigningKey};
//! use eid_core::verify::IdTokenVerifier;
//!
//! # let broker_key = SigningKey::generate(JwsAlgorithm::Es256)?;
//! # let jwks_json = serde_json::to_vec(&Jwks::new(vec![broker_key.public_jwk()])?)?;
//! let now = UnixTime::from_secs(1_795_000_000); // from the e-service's Clock
//! # let id_token = broker_key.sign_jwt(&serde_json::json!({
//! #     "iss": "https://broker.example.se", "sub": "8f1c2a", "aud": "e-service-1",
//! #     "iat": now.as_secs(), "exp": now.as_secs() + 300, "nonce": "n-0S6_WzA2Mj",
//! #     "acr": "http://id.elegnamnden.se/loa/1.0/loa3",
//! #     "https://id.oidc.se/claim/personalIdentityNumber": "195006262546",
//! #     "given_name": "Tolvan", "family_name": "Tolvansson",
//! # }))?;
//! // Fetched once from the broker's `jwks_uri` and kept.
//! let jwks = Jwks::from_json(&jwks_json)?;
//! let requirement = Requirement::from_acr_values(
//!     "http://id.elegnamnden.se/loa/1.0/loa3",
//!     Matching::Exact,
//! )?;
//! let verifier = IdTokenVerifier::new(
//!     "https://broker.example.se",
//!     "e-service-1",
//!     &jwks,
//!     &[JwsAlgorithm::Es256, JwsAlgorithm::Rs256],
//! )?
//! .require(requirement);
//!
//! let verified = verifier.clone().expect_nonce("n-0S6_WzA2Mj").verify(&id_token, now)?;
//! assert_eq!(verified.acr(), Some(LevelOfAssurance::Loa3));
//!
//! let identity = Identity::from_oidc_claims(verified.claims(), now.date())?;
//! let Some(NationalId::Personal(number)) = identity.national_id() else {
//!     panic!("a personnummer was released");
//! };
//! assert_eq!(number.claim_value(), "195006262546");
//! assert_eq!(format!("{number:?}"), "PersonalIdentityNumber([redacted])");
//!
//! // A token from a session with another nonce is refused, with a reason fit for a log line.
//! let error = verifier.expect_nonce("another").verify(&id_token, now).unwrap_err();
//! assert_eq!(error.reason(), "nonce_mismatch");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![doc(test(attr(deny(warnings))))]

pub mod assurance;
pub mod binding;
pub mod claims;
pub mod clock;
pub mod emrtd;
pub mod identifier;
pub mod jose;
pub mod mrz;
pub mod verify;
