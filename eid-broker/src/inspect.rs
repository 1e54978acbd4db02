//! `eid-broker inspect`: look at an identifier, a level of assurance or an ID token the way the
//! broker would, and say in JSON what it is or exactly why it was refused.
//!
//! Each function here is pure: it takes the input and the reference time and returns an
//! [`Inspection`]; the binary prints [`Inspection::body`] and exits with
//! [`Outcome::exit_code`]. Failures carry a stable machine-readable `reason` (the `reason()` code
//! of the eid-core error that refused the input).
//!
//! ```
//! use eid_broker::inspect::{self, Outcome};
//!
//! let today = time::macros::date!(2026 - 11 - 25);
//! let report = inspect::personal_number("19500626-2546", today);
//! assert_eq!(report.outcome, Outcome::Valid);
//! assert_eq!(report.body["claim_value"], "195006262546");
//!
//! let report = inspect::personal_number("195006262547", today);
//! assert_eq!(report.outcome, Outcome::Invalid);
//! assert_eq!(report.body["reason"], "bad_checksum");
//! ```

use serde_json::{Value, json};
use time::Date;

use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
use eid_core::clock::UnixTime;
use eid_core::identifier::PersonNumber;
use eid_core::jose::{Jwks, JwsAlgorithm};
use eid_core::verify::IdTokenVerifier;

mod document;

pub use document::{SodInputs, mrz, sod};

/// The verdict of an inspection, which decides the process exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The input is valid (exit status 0).
    Valid,
    /// The input was inspected and refused (exit status 1).
    Invalid,
    /// The command itself was wrong: bad arguments, an unreadable or invalid JWKS file
    /// (exit status 2).
    Usage,
}

impl Outcome {
    /// The process exit status for this outcome: 0, 1 or 2.
    pub fn exit_code(self) -> u8 {
        match self {
            Self::Valid => 0,
            Self::Invalid => 1,
            Self::Usage => 2,
        }
    }
}

/// The result of an inspection: the verdict and the JSON document to print.
#[derive(Clone, Debug, PartialEq)]
pub struct Inspection {
    /// Valid, invalid or a usage error.
    pub outcome: Outcome,
    /// The JSON document: `"valid": true` with the facts, or `"valid": false` with `reason`
    /// and `message`.
    pub body: Value,
}

impl Inspection {
    fn valid(mut body: Value) -> Self {
        if let Some(object) = body.as_object_mut() {
            object.insert("valid".to_owned(), Value::Bool(true));
        }
        Self {
            outcome: Outcome::Valid,
            body,
        }
    }

    fn invalid(reason: &str, message: String) -> Self {
        Self {
            outcome: Outcome::Invalid,
            body: json!({ "valid": false, "reason": reason, "message": message }),
        }
    }

    /// A usage error: the command cannot be carried out as given.
    pub fn usage(reason: &str, message: String) -> Self {
        Self {
            outcome: Outcome::Usage,
            body: json!({ "valid": false, "reason": reason, "message": message }),
        }
    }
}

/// Inspects a personal identity number or a coordination number, in any of the 10- and
/// 12-digit forms with or without `-`/`+`; `today` decides the century of the 10-digit forms.
///
/// The clear 12-digit claim form is part of the answer: normalising a number is what the
/// command is for, and it goes to the operator's terminal, never to a log.
pub fn personal_number(input: &str, today: Date) -> Inspection {
    match PersonNumber::parse(input, today) {
        Ok(number) => Inspection::valid(json!({
            "kind": number.kind().as_str(),
            "claim_value": number.claim_value(),
            "birth_date": number.birth_date().map(|date| date.to_string()),
            "sex": number.sex().as_str(),
        })),
        Err(error) => Inspection::invalid(error.reason(), error.to_string()),
    }
}

/// Inspects an `acr` URI: which framework and level it is.
pub fn acr(uri: &str) -> Inspection {
    match uri.parse::<LevelOfAssurance>() {
        Ok(level) => Inspection::valid(json!({
            "uri": level.as_uri(),
            "framework": snake_case(&format!("{:?}", level.framework())),
            "dimension": snake_case(&format!("{:?}", level.dimension())),
            "identity_type": snake_case(&format!("{:?}", level.identity_type())),
            "certification": snake_case(&format!("{:?}", level.certification())),
            "test": level.is_test(),
            "permits_personal_identity_number": level.permits_personal_identity_number(),
        })),
        Err(error) => Inspection::invalid(error.reason(), error.to_string()),
    }
}

/// `NonResident` → `non_resident`: the JSON names of eid-core's enum variants.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (index, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if index > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// What `inspect token` checks a token against.
#[derive(Clone, Debug)]
pub struct TokenExpectations<'a> {
    /// The JWKS document (JSON bytes) of the issuer.
    pub jwks: &'a [u8],
    /// The expected `iss`, compared as an exact string.
    pub issuer: &'a str,
    /// The client id that must be the token's audience.
    pub audience: &'a str,
    /// The nonce the login was started with, if any.
    pub nonce: Option<&'a str>,
    /// The levels of which the token's `acr` must satisfy one; empty means no requirement.
    pub require: &'a [String],
    /// Exact or minimum matching of `require`.
    pub matching: Matching,
    /// The signature algorithms accepted.
    pub algorithms: &'a [JwsAlgorithm],
}

/// Verifies an ID token as an e-service embedding `eid_core::verify` would, at time `now`.
pub fn token(token: &str, expected: &TokenExpectations<'_>, now: UnixTime) -> Inspection {
    let jwks = match Jwks::from_json(expected.jwks) {
        Ok(jwks) => jwks,
        Err(error) => return Inspection::usage("jwks_invalid", error.to_string()),
    };
    let verifier = match IdTokenVerifier::new(
        expected.issuer,
        expected.audience,
        &jwks,
        expected.algorithms,
    ) {
        Ok(verifier) => verifier,
        Err(error) => return Inspection::usage(error.reason(), error.to_string()),
    };
    let verifier = match expected.nonce {
        Some(nonce) => verifier.expect_nonce(nonce),
        None => verifier,
    };
    let verifier = if expected.require.is_empty() {
        verifier
    } else {
        match Requirement::from_acr_values(&expected.require.join(" "), expected.matching) {
            Ok(requirement) => verifier.require(requirement),
            Err(error) => return Inspection::usage(error.reason(), error.to_string()),
        }
    };
    match verifier.verify(token, now) {
        Ok(verified) => Inspection::valid(json!({
            "issuer": verified.issuer(),
            "subject": verified.subject(),
            "audiences": verified.audiences(),
            "acr": verified.acr().map(LevelOfAssurance::as_uri),
            "auth_time": verified.auth_time().map(UnixTime::as_secs),
            "issued_at": verified.issued_at().as_secs(),
            "expires_at": verified.expires_at().as_secs(),
            "claims": verified.claims(),
        })),
        Err(error) => Inspection::invalid(error.reason(), error.to_string()),
    }
}
