//! Claim, scope, parameter and discovery URIs of the Swedish OpenID Connect profile (OIDC-SE)
//! and the Sweden Connect claims specification (SC-CLAIMS), as string constants.
//!
//! Claim names as a closed set are [`Claim`](super::Claim); scopes are
//! [`Scope`](super::Scope). These constants are the single source of the wire strings.

/// Prefix of OIDC-SE claims.
pub const OIDC_SE_CLAIM_PREFIX: &str = "https://id.oidc.se/claim/";
/// Prefix of Sweden Connect claims.
pub const SWEDEN_CONNECT_CLAIM_PREFIX: &str = "https://id.swedenconnect.se/claim/";

// --- OIDC-SE claims (claims specification v1.0, §2) ---

/// Swedish personnummer, 12 digits, no hyphen (SKV 704).
pub const PERSONAL_IDENTITY_NUMBER: &str = "https://id.oidc.se/claim/personalIdentityNumber";
/// Swedish samordningsnummer, 12 digits (SKV 707).
pub const COORDINATION_NUMBER: &str = "https://id.oidc.se/claim/coordinationNumber";
/// Level of a samordningsnummer: `confirmed`, `probable` or `uncertain` (Lag 2022:1697).
pub const COORDINATION_NUMBER_LEVEL: &str = "https://id.oidc.se/claim/coordinationNumberLevel";
/// A samordningsnummer the holder of a new personnummer had; in no scope.
pub const PREVIOUS_COORDINATION_NUMBER: &str =
    "https://id.oidc.se/claim/previousCoordinationNumber";
/// Swedish organisation number, 10 digits, no hyphen (SKV 709).
pub const ORG_NUMBER: &str = "https://id.oidc.se/claim/orgNumber";
/// Organisational affiliation, `<personal-id>@<org-number>`.
pub const ORG_AFFILIATION: &str = "https://id.oidc.se/claim/orgAffiliation";
/// Organisation name.
pub const ORG_NAME: &str = "https://id.oidc.se/claim/orgName";
/// Organisational unit name.
pub const ORG_UNIT: &str = "https://id.oidc.se/claim/orgUnit";
/// The user's certificate, Base64 of its DER encoding.
pub const USER_CERTIFICATE: &str = "https://id.oidc.se/claim/userCertificate";
/// The user's signature, Base64 (type unspecified).
pub const USER_SIGNATURE: &str = "https://id.oidc.se/claim/userSignature";
/// Start of the credential's validity, epoch seconds.
pub const CREDENTIAL_VALID_FROM: &str = "https://id.oidc.se/claim/credentialValidFrom";
/// End of the credential's validity, epoch seconds.
pub const CREDENTIAL_VALID_TO: &str = "https://id.oidc.se/claim/credentialValidTo";
/// IP address of the device holding the credential.
pub const DEVICE_IP: &str = "https://id.oidc.se/claim/deviceIp";
/// Authentication evidence, Base64 (e.g. an OCSP response or a SAML assertion).
pub const AUTHN_EVIDENCE: &str = "https://id.oidc.se/claim/authnEvidence";
/// The underlying authentication service, preferably a URI.
pub const AUTHN_PROVIDER: &str = "https://id.oidc.se/claim/authnProvider";

// --- Sweden Connect eIDAS claims (SC-CLAIMS) ---

/// Provisional identifier of an eIDAS user, e.g. `NO:5068907693`.
pub const PRID: &str = "https://id.swedenconnect.se/claim/prid";
/// Persistence class of the `prid`: `A`, `B` or `C`.
pub const PRID_PERSISTENCE: &str = "https://id.swedenconnect.se/claim/pridPersistence";
/// A personnummer bound to an eIDAS identity.
pub const MAPPED_PERSONAL_IDENTITY_NUMBER: &str =
    "https://id.swedenconnect.se/claim/mappedPersonalIdentityNumber";
/// A samordningsnummer bound to an eIDAS identity.
pub const MAPPED_COORDINATION_NUMBER: &str =
    "https://id.swedenconnect.se/claim/mappedCoordinationNumber";
/// The identity-binding processes, `;`-separated URIs.
pub const IDENTITY_BINDING: &str = "https://id.swedenconnect.se/claim/identityBinding";
/// The eIDAS person identifier, e.g. `ES/AT/02635542Y`.
pub const EIDAS_PERSON_IDENTIFIER: &str = "https://id.swedenconnect.se/claim/eidasPersonIdentifier";
/// The eIDAS user's country, ISO 3166-1 alpha-2 or ISO 3166-3.
pub const EIDAS_COUNTRY: &str = "https://id.swedenconnect.se/claim/eidasCountry";

/// Identity binding through the population register (SC-REG §3.1.9.3).
pub const ID_BINDING_POPULATION_REGISTER: &str =
    "http://id.swedenconnect.se/id-binding/process/populationregister";
/// Identity binding through a Swedish eID (SC-REG §3.1.9.3).
pub const ID_BINDING_SWEDISH_EID: &str =
    "http://id.swedenconnect.se/id-binding/process/swedish-eid";

// --- Scopes ---

/// OpenID Connect: the request is an OpenID Connect request.
pub const SCOPE_OPENID: &str = "openid";
/// OpenID Connect Core §5.4 `profile`.
pub const SCOPE_PROFILE: &str = "profile";
/// OpenID Connect Core §5.4 `email`.
pub const SCOPE_EMAIL: &str = "email";
/// OpenID Connect Core §5.4 `phone`.
pub const SCOPE_PHONE: &str = "phone";
/// OIDC-SE §3.1: name and birth date.
pub const SCOPE_NATURAL_PERSON_INFO: &str = "https://id.oidc.se/scope/naturalPersonInfo";
/// OIDC-SE §3.2: personnummer or samordningsnummer.
pub const SCOPE_NATURAL_PERSON_NUMBER: &str = "https://id.oidc.se/scope/naturalPersonNumber";
/// OIDC-SE §3.3: organisational identity.
pub const SCOPE_NATURAL_PERSON_ORG_ID: &str = "https://id.oidc.se/scope/naturalPersonOrgId";
/// OIDC-SE signature extension: sign.
pub const SCOPE_SIGN: &str = "https://id.oidc.se/scope/sign";
/// OIDC-SE signature extension: sign approval (no claims).
pub const SCOPE_SIGN_APPROVAL: &str = "https://id.oidc.se/scope/signApproval";
/// SC-CLAIMS: eIDAS natural person identity.
pub const SCOPE_EIDAS_NATURAL_PERSON_IDENTITY: &str =
    "https://id.swedenconnect.se/scope/eidasNaturalPersonIdentity";
/// SC-CLAIMS: the Swedish identity bound to an eIDAS identity.
pub const SCOPE_EIDAS_SWEDISH_IDENTITY: &str =
    "https://id.swedenconnect.se/scope/eidasSwedishIdentity";

// --- Request parameters (request-parameter-extensions v1.1) ---

/// Message to show the user.
pub const PARAM_USER_MESSAGE: &str = "https://id.oidc.se/param/userMessage";
/// Selects the underlying authentication service.
pub const PARAM_AUTHN_PROVIDER: &str = "https://id.oidc.se/param/authnProvider";
/// The client id of the original client (proxy to underlying OP).
pub const PARAM_ORIGINAL_CLIENT_ID: &str = "https://id.oidc.se/param/originalClientId";
/// An opaque token of the original client (proxy to underlying OP).
pub const PARAM_ORIGINAL_CLIENT_TOKEN: &str = "https://id.oidc.se/param/originalClientToken";
/// Signature request (signature extension v1.1).
pub const PARAM_SIGN_REQUEST: &str = "https://id.oidc.se/param/signRequest";

// --- Discovery flags ---

/// The OP supports `userMessage`.
pub const DISCO_USER_MESSAGE_SUPPORTED: &str = "https://id.oidc.se/disco/userMessageSupported";
/// The MIME types the OP accepts for `userMessage`.
pub const DISCO_USER_MESSAGE_SUPPORTED_MIME_TYPES: &str =
    "https://id.oidc.se/disco/userMessageSupportedMimeTypes";
/// The OP supports `authnProvider`.
pub const DISCO_AUTHN_PROVIDER_SUPPORTED: &str = "https://id.oidc.se/disco/authnProviderSupported";
/// The OP supports `originalClientId`.
pub const DISCO_ORIGINAL_CLIENT_ID_SUPPORTED: &str =
    "https://id.oidc.se/disco/originalClientIdSupported";
/// The OP supports `originalClientToken`.
pub const DISCO_ORIGINAL_CLIENT_TOKEN_SUPPORTED: &str =
    "https://id.oidc.se/disco/originalClientTokenSupported";
