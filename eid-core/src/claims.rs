//! The normalized identity and its mapping to and from OpenID Connect claims.
//!
//! - [`Identity`]: names, birth date, personnummer **or** samordningsnummer ([`NationalId`]),
//!   eIDAS identifiers, organisational affiliation, credential validity, authentication
//!   provider and evidence, identity binding, IDA [`VerifiedClaims`].
//! - [`Identity::from_oidc_claims`] reads a claims map (ID token or UserInfo) of standard OIDC
//!   claims (OIDC Core §5.1), OIDC Sweden claims (`https://id.oidc.se/claim/…`), Sweden Connect
//!   eIDAS claims (`https://id.swedenconnect.se/claim/…`) and `verified_claims`, under
//!   [`Limits`], with a [`ClaimsError`] per malformed claim that never echoes the value.
//! - [`Identity::to_oidc_claims`] writes what a [`Release`] allows. A release is computed from
//!   the requested [`Scopes`], the `claims` request parameter ([`ClaimsRequest`]) and the
//!   [`Destination`], following OIDC-SE's rules on which claims each [`Scope`] gives and where.
//! - [`Identity::check_essential`] tells whether the essential claims of a release can be met,
//!   [`Identity::check_level`] whether the identity fits the level it was asserted at (no
//!   personnummer at a `*-nonresident` level), and [`ClaimsRequest::essential_acr`] turns an
//!   essential `acr` request into an [`assurance::Requirement`](crate::assurance::Requirement).
//! - [`saml`]: SAML attributes of the Swedish eID framework renamed to these claims.
//! - [`uri`]: every claim, scope, parameter and discovery URI of OIDC-SE and Sweden Connect.
//!
//! ```
//! use eid_core::claims::{Claim, Destination, Identity, Release, Scopes};
//! use serde_json::json;
//! use time::macros::date;
//!
//! let upstream = json!({
//!     "sub": "ab12",
//!     "given_name": "Tolvan",
//!     "family_name": "Tolvansson",
//!     "birthdate": "1912-12-12",
//!     "https://id.oidc.se/claim/personalIdentityNumber": "191212121212",
//! });
//! let today = date!(2026 - 11 - 25);
//! let identity = Identity::from_oidc_claims(upstream.as_object().unwrap(), today)?;
//! assert_eq!(identity.given_name(), Some("Tolvan"));
//! assert_eq!(identity.is_age_at_least(18, today), Some(true));
//!
//! // The e-service asked for `openid` and `naturalPersonNumber`: the number goes in the ID
//! // token, the name does not.
//! let scopes = Scopes::parse("openid https://id.oidc.se/scope/naturalPersonNumber")?;
//! let release = Release::new(&scopes, None, Destination::IdToken);
//! assert!(release.is_essential(Claim::PersonalIdentityNumber));
//! let id_token_claims = identity.to_oidc_claims(&release);
//! assert_eq!(
//!     id_token_claims.keys().collect::<Vec<_>>(),
//!     ["https://id.oidc.se/claim/personalIdentityNumber"],
//! );
//! // Errors never print the number: `Debug` is redacted.
//! assert!(!format!("{identity:?}").contains("191212121212"));
//! # Ok::<(), eid_core::claims::ClaimsError>(())
//! ```

mod claim;
mod convert;
mod identity;
mod release;
mod request;
pub mod saml;
mod scope;
pub mod uri;
mod values;
mod verified;

use crate::identifier as ids;

pub use claim::Claim;
pub use identity::Identity;
pub use release::{Destination, Release};
pub use request::{ClaimsRequest, IndividualClaimRequest};
pub use scope::{Scope, ScopeClaim, Scopes};
pub use values::{
    Base64Value, Birthdate, CountryCode, IdentityBinding, MappedNumber, NationalId, OrgAffiliation,
    PlaceOfBirth, Prid, PridPersistence,
};
pub use verified::{
    CheckMethod, DocumentEvidence, Evidence, RecordEvidence, Verification, VerifiedClaims,
    VerifiedClaimsElement,
};

/// Size and count limits on an input claims map.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most members in the claims map (default 100).
    pub max_claims: usize,
    /// Longest string claim, in bytes (default 1 KiB).
    pub max_string_len: usize,
    /// Longest Base64 claim (`userCertificate`, `userSignature`, `authnEvidence`), in bytes
    /// (default 64 KiB).
    pub max_blob_len: usize,
    /// Longest serialized structured claim (`verified_claims`, `place_of_birth`), in bytes
    /// (default 16 KiB).
    pub max_structured_len: usize,
    /// Most elements in an array claim (`nationalities`, `verified_claims`) (default 16).
    pub max_array_len: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_claims: 100,
            max_string_len: 1024,
            max_blob_len: 64 * 1024,
            max_structured_len: 16 * 1024,
            max_array_len: 16,
        }
    }
}

/// A JSON type a claim was expected to have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonType {
    /// A JSON string.
    String,
    /// A JSON non-negative integer.
    Integer,
    /// A JSON boolean.
    Boolean,
    /// A JSON object.
    Object,
    /// A JSON array.
    Array,
}

/// Why claims, scopes or a `claims` request were rejected. Messages name the claim, never
/// its value.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ClaimsError {
    /// The claims map has more members than allowed.
    #[error("too many claims: {count} (at most {max})")]
    TooManyClaims {
        /// Members in the map.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A claim value is longer than allowed.
    #[error("claim {claim} is too long: {len} bytes (at most {max})")]
    TooLong {
        /// The claim.
        claim: Claim,
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// An array claim has more elements than allowed.
    #[error("claim {claim} has too many values: {count} (at most {max})")]
    TooManyValues {
        /// The claim.
        claim: Claim,
        /// Elements in the array.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A claim has the wrong JSON type.
    #[error("claim {claim} must be a JSON {expected:?}")]
    WrongType {
        /// The claim.
        claim: Claim,
        /// The JSON type it must have.
        expected: JsonType,
    },
    /// A string claim is empty.
    #[error("claim {claim} is empty")]
    Empty {
        /// The claim.
        claim: Claim,
    },
    /// A number claim is not in its claim format (12 digits for personal and coordination
    /// numbers, 10 for organisation numbers; no separator).
    #[error("claim {claim} is not in its claim format")]
    NotClaimFormat {
        /// The claim.
        claim: Claim,
    },
    /// An identifier claim did not parse.
    #[error("claim {claim} is not a valid identifier")]
    InvalidIdentifier {
        /// The claim.
        claim: Claim,
        /// Why.
        #[source]
        source: ids::IdentifierError,
    },
    /// `birthdate` is not `YYYY-MM-DD`, `YYYY` or `0000-MM-DD`, or not a calendar date.
    #[error("birthdate is not a valid date")]
    InvalidBirthdate,
    /// `birthdate` lies after today.
    #[error("birthdate is in the future")]
    BirthdateInFuture,
    /// A country code is not 2–4 upper-case ASCII letters.
    #[error("invalid country code")]
    InvalidCountryCode,
    /// `coordinationNumberLevel` is not `confirmed`, `probable` or `uncertain`.
    #[error("invalid coordinationNumberLevel")]
    InvalidCoordinationNumberLevel,
    /// `prid` is not `CC:value`.
    #[error("invalid prid")]
    InvalidPrid,
    /// `pridPersistence` is not `A`, `B` or `C`.
    #[error("invalid pridPersistence")]
    InvalidPridPersistence,
    /// `orgAffiliation` is not `<personal-id>@<10-digit org number>`.
    #[error("invalid orgAffiliation")]
    InvalidOrgAffiliation,
    /// `orgNumber` differs from the organisation number in `orgAffiliation`.
    #[error("orgNumber differs from the organisation in orgAffiliation")]
    OrgNumberMismatch,
    /// `identityBinding` is not a `;`-separated list of URIs.
    #[error("invalid identityBinding")]
    InvalidIdentityBinding,
    /// A Base64 claim does not decode.
    #[error("claim {claim} is not valid Base64")]
    InvalidBase64 {
        /// The claim.
        claim: Claim,
    },
    /// `deviceIp` is not an IPv4 or IPv6 address.
    #[error("deviceIp is not an IP address")]
    InvalidIpAddress,
    /// A time claim is not a non-negative integer of seconds.
    #[error("claim {claim} is not a non-negative integer of epoch seconds")]
    InvalidTimestamp {
        /// The claim.
        claim: Claim,
    },
    /// `credentialValidTo` is before `credentialValidFrom`.
    #[error("credential validity ends before it starts")]
    CredentialValidityReversed,
    /// Both `personalIdentityNumber` and `coordinationNumber` are present (OIDC-SE: an OP
    /// MUST NOT send both).
    #[error("both a personal identity number and a coordination number are present")]
    PersonalAndCoordinationNumber,
    /// Both `mappedPersonalIdentityNumber` and `mappedCoordinationNumber` are present.
    #[error("both mapped numbers are present")]
    MappedPersonalAndCoordinationNumber,
    /// `coordinationNumberLevel` without a `coordinationNumber`.
    #[error("coordinationNumberLevel without coordinationNumber")]
    CoordinationNumberLevelWithoutNumber,
    /// `place_of_birth` is not `{country, region, locality}` with valid values.
    #[error("invalid place_of_birth")]
    InvalidPlaceOfBirth,
    /// `verified_claims` does not follow the IDA schema.
    #[error("invalid verified_claims")]
    InvalidVerifiedClaims,
    /// A scope value is not one we know.
    #[error("unknown scope")]
    UnknownScope,
    /// The `scope` parameter has too many values.
    #[error("too many scope values (at most {max})")]
    ScopeTooLong {
        /// The limit.
        max: usize,
    },
    /// The `claims` request parameter is too long.
    #[error("claims request too large: {len} bytes (at most {max})")]
    ClaimsRequestTooLarge {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The `claims` request parameter is not valid JSON of the OIDC Core §5.5 shape.
    #[error("malformed claims request at line {line}, column {column}")]
    MalformedClaimsRequest {
        /// Line of the error.
        line: usize,
        /// Column of the error.
        column: usize,
    },
    /// The `claims` request parameter asks for too many claims in one destination.
    #[error("too many requested claims: {count} (at most {max})")]
    TooManyRequestedClaims {
        /// Claims requested.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// An essential claim cannot be released: the identity does not have it.
    #[error("essential claim {claim} is not available")]
    EssentialClaimMissing {
        /// The claim.
        claim: Claim,
    },
    /// The `acr` entry of a `claims` request is malformed: `value` or `values` not strings, or
    /// not levels we know.
    #[error("invalid acr in the claims request")]
    InvalidAcrRequest {
        /// Why, when a value is not a level we know.
        #[source]
        source: Option<crate::assurance::AssuranceError>,
    },
    /// The identity has a personnummer but was asserted at a level whose holders have none
    /// (the Swedish `*-nonresident` levels: the token MUST NOT contain one, SC-REG §3.1.1).
    #[error("personal identity number not permitted at level {level}")]
    PersonalIdentityNumberNotPermitted {
        /// The asserted level.
        level: crate::assurance::LevelOfAssurance,
    },
    /// A text claim contains a control character.
    #[error("claim {claim} contains a control character")]
    ControlCharacter {
        /// The claim.
        claim: Claim,
    },
    /// A SAML attribute (or two attributes for the same claim) occurs twice.
    #[error("SAML attribute for claim {claim} occurs twice")]
    DuplicateSamlAttribute {
        /// The claim it maps to.
        claim: Claim,
    },
    /// A SAML `gender` attribute other than `M`, `F` or `U`.
    #[error("invalid SAML gender")]
    InvalidGender,
    /// An essential claim's value does not match the requested `value`/`values`.
    #[error("essential claim {claim} does not have the requested value")]
    EssentialValueMismatch {
        /// The claim.
        claim: Claim,
    },
}

impl ClaimsError {
    /// A stable snake_case code for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::TooManyClaims { .. } => "too_many_claims",
            Self::TooLong { .. } => "too_long",
            Self::TooManyValues { .. } => "too_many_values",
            Self::WrongType { .. } => "wrong_type",
            Self::Empty { .. } => "empty",
            Self::NotClaimFormat { .. } => "not_claim_format",
            Self::InvalidIdentifier { .. } => "invalid_identifier",
            Self::InvalidBirthdate => "invalid_birthdate",
            Self::BirthdateInFuture => "birthdate_in_future",
            Self::InvalidCountryCode => "invalid_country_code",
            Self::InvalidCoordinationNumberLevel => "invalid_coordination_number_level",
            Self::InvalidPrid => "invalid_prid",
            Self::InvalidPridPersistence => "invalid_prid_persistence",
            Self::InvalidOrgAffiliation => "invalid_org_affiliation",
            Self::OrgNumberMismatch => "org_number_mismatch",
            Self::InvalidIdentityBinding => "invalid_identity_binding",
            Self::InvalidBase64 { .. } => "invalid_base64",
            Self::InvalidIpAddress => "invalid_ip_address",
            Self::InvalidTimestamp { .. } => "invalid_timestamp",
            Self::CredentialValidityReversed => "credential_validity_reversed",
            Self::PersonalAndCoordinationNumber => "personal_and_coordination_number",
            Self::MappedPersonalAndCoordinationNumber => "mapped_personal_and_coordination_number",
            Self::CoordinationNumberLevelWithoutNumber => {
                "coordination_number_level_without_number"
            }
            Self::InvalidPlaceOfBirth => "invalid_place_of_birth",
            Self::InvalidVerifiedClaims => "invalid_verified_claims",
            Self::UnknownScope => "unknown_scope",
            Self::ScopeTooLong { .. } => "scope_too_long",
            Self::ClaimsRequestTooLarge { .. } => "claims_request_too_large",
            Self::MalformedClaimsRequest { .. } => "malformed_claims_request",
            Self::TooManyRequestedClaims { .. } => "too_many_requested_claims",
            Self::EssentialClaimMissing { .. } => "essential_claim_missing",
            Self::EssentialValueMismatch { .. } => "essential_value_mismatch",
            Self::InvalidAcrRequest { .. } => "invalid_acr_request",
            Self::PersonalIdentityNumberNotPermitted { .. } => {
                "personal_identity_number_not_permitted"
            }
            Self::ControlCharacter { .. } => "control_character",
            Self::DuplicateSamlAttribute { .. } => "duplicate_saml_attribute",
            Self::InvalidGender => "invalid_gender",
        }
    }
}

#[cfg(test)]
mod tests;
