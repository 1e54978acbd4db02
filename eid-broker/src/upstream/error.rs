//! What can go wrong with an upstream, and what the e-service is told.
//!
//! No variant carries a token, a code, a secret or a claim value: an error can be logged as is.

use std::path::PathBuf;

use eid_core::assurance::LevelOfAssurance;
use eid_core::jose::JoseError;
use eid_core::verify::IdTokenError;
use eid_provider::OAuthErrorCode;

/// A call to the upstream that failed.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// `/.well-known/openid-configuration`.
    Discovery,
    /// The `jwks_uri`.
    Jwks,
    /// The pushed authorization request endpoint.
    Par,
    /// The token endpoint.
    Token,
    /// The UserInfo endpoint.
    UserInfo,
}

impl Endpoint {
    /// A stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Discovery => "discovery",
            Self::Jwks => "jwks",
            Self::Par => "par",
            Self::Token => "token",
            Self::UserInfo => "userinfo",
        }
    }
}

/// How an HTTP exchange with the upstream failed.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HttpFailure {
    /// The connection could not be made.
    #[error("could not connect")]
    Connect,
    /// The response body was larger than allowed.
    #[error("response larger than {max} bytes")]
    TooLarge {
        /// The limit.
        max: usize,
    },
    /// The upstream answered with an unexpected HTTP status.
    #[error("HTTP status {status}")]
    Status {
        /// The status code.
        status: u16,
    },
    /// The connect or request time limit passed.
    #[error("timed out")]
    Timeout,
    /// Another transport failure (TLS, protocol, a redirect).
    #[error("transport failure")]
    Transport,
}

/// What is wrong with the upstream's metadata.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MetadataProblem {
    /// Its `issuer` is not the configured issuer.
    #[error("its issuer is not the configured issuer")]
    IssuerMismatch,
    /// It is not valid provider metadata JSON.
    #[error("not valid provider metadata")]
    Malformed,
    /// It has no token endpoint.
    #[error("no token endpoint")]
    NoTokenEndpoint,
    /// The configuration asks for UserInfo and it has no UserInfo endpoint.
    #[error("no UserInfo endpoint")]
    NoUserInfoEndpoint,
    /// PKCE with S256 is not among its `code_challenge_methods_supported`.
    #[error("S256 PKCE not supported")]
    NoPkceS256,
    /// The configuration says `par = "always"` and it has no PAR endpoint.
    #[error("no PAR endpoint")]
    NoParEndpoint,
    /// It requires PAR and the configuration says `par = "never"`.
    #[error("PAR required by the upstream")]
    ParRequired,
    /// An endpoint URL is not `https` (or loopback `http`).
    #[error("an endpoint is not https")]
    InsecureEndpoint,
}

/// An upstream login that did not succeed.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum UpstreamError {
    /// The ID token has no `acr`.
    #[error("the upstream asserted no acr")]
    AcrMissing,
    /// The ID token's `acr` maps to a level that neither satisfies nor covers what was asked.
    #[error("the upstream asserted {asserted}, which does not meet the requested levels")]
    AcrNotSatisfied {
        /// The broker level the upstream's `acr` maps to.
        asserted: LevelOfAssurance,
    },
    /// The ID token's `acr` is not in this upstream's mapping.
    #[error("the upstream asserted an acr that is not mapped")]
    AcrUnknown,
    /// The person cancelled at the upstream (`error=access_denied`).
    #[error("the person cancelled at the upstream")]
    Cancelled,
    /// The client assertion (`private_key_jwt`) could not be signed.
    #[error("the client assertion could not be signed")]
    ClientAssertion(#[source] JoseError),
    /// The callback has neither `code` nor `error`.
    #[error("the callback has no code")]
    CodeMissing,
    /// This upstream has no `end_session_endpoint`, or end-session is not configured.
    #[error("end-session is not available at this upstream")]
    EndSessionUnavailable,
    /// An HTTP exchange with the upstream failed.
    #[error("the upstream's {} endpoint: {failure}", endpoint.as_str())]
    Http {
        /// Which call.
        endpoint: Endpoint,
        /// How it failed.
        failure: HttpFailure,
    },
    /// The ID token failed a check.
    #[error("the ID token was rejected")]
    IdToken(#[source] IdTokenError),
    /// The token response has no ID token.
    #[error("the token response has no ID token")]
    IdTokenMissing,
    /// The authorization response's `iss` is not this upstream's issuer (RFC 9207).
    #[error("the authorization response is from another issuer")]
    IssuerMismatch,
    /// The authorization response has no `iss` although the upstream advertises it (RFC 9207).
    #[error("the authorization response has no iss")]
    IssuerMissing,
    /// The upstream's JWK Set is not usable.
    #[error("the upstream's JWK Set is not usable")]
    Jwks(#[source] JoseError),
    /// The upstream's JWK Set has no key for the allowed algorithms.
    #[error("the upstream's JWK Set has no key for the allowed algorithms")]
    JwksNoUsableKey,
    /// The upstream's metadata is not usable.
    #[error("the upstream's metadata: {0}")]
    Metadata(MetadataProblem),
    /// The PAR response is not usable.
    #[error("the PAR response has no usable request_uri")]
    ParResponse,
    /// The upstream's `state` is not the one sent.
    #[error("the callback's state does not match")]
    StateMismatch,
    /// The login was started longer ago than the configured lifetime.
    #[error("the login was started too long ago")]
    StateExpired,
    /// The stored login state belongs to another upstream.
    #[error("the login state belongs to another upstream")]
    StateOtherUpstream,
    /// The stored login state is damaged (its levels do not form a requirement).
    #[error("the login state is damaged")]
    StateInvalid,
    /// The token endpoint answered with an error.
    #[error("the token endpoint refused the code")]
    TokenRefused {
        /// The OAuth error code, when it is a known one.
        code: Option<OAuthErrorCode>,
    },
    /// The token response is not a valid bearer token response.
    #[error("the token response is not valid")]
    TokenResponse,
    /// This upstream cannot meet the requested levels: no mapped level satisfies them.
    #[error("no level of this upstream satisfies the request")]
    Unmet,
    /// The upstream answered the authorization request with an error other than
    /// `access_denied`.
    #[error("the upstream refused the login")]
    UpstreamRefused {
        /// The OAuth error code, when it is a known one.
        code: Option<OAuthErrorCode>,
    },
    /// The UserInfo response is not a JSON object with a `sub`.
    #[error("the UserInfo response is not valid")]
    UserInfoResponse,
    /// The UserInfo `sub` is not the ID token's `sub`.
    #[error("the UserInfo sub is not the ID token's sub")]
    UserInfoSubjectMismatch,
}

impl UpstreamError {
    /// A stable machine-readable code, for logs, metrics and tests. An ID-token rejection gives
    /// the verifier's own code (`issuer_mismatch`, `signature_invalid`, …).
    pub fn reason(&self) -> &'static str {
        match self {
            Self::AcrMissing => "acr_missing",
            Self::AcrNotSatisfied { .. } => "acr_not_satisfied",
            Self::AcrUnknown => "acr_unknown",
            Self::Cancelled => "cancelled",
            Self::ClientAssertion(_) => "client_assertion",
            Self::CodeMissing => "code_missing",
            Self::EndSessionUnavailable => "end_session_unavailable",
            Self::Http { failure, .. } => match failure {
                HttpFailure::Connect => "upstream_unreachable",
                HttpFailure::Status { .. } => "upstream_http_status",
                HttpFailure::Timeout => "upstream_timeout",
                HttpFailure::TooLarge { .. } => "upstream_response_too_large",
                HttpFailure::Transport => "upstream_transport",
            },
            Self::IdToken(error) => error.reason(),
            Self::IdTokenMissing => "id_token_missing",
            Self::IssuerMismatch => "response_iss_mismatch",
            Self::IssuerMissing => "response_iss_missing",
            Self::Jwks(_) => "jwks_invalid",
            Self::JwksNoUsableKey => "jwks_no_usable_key",
            Self::Metadata(problem) => match problem {
                MetadataProblem::IssuerMismatch => "metadata_issuer_mismatch",
                _ => "metadata_invalid",
            },
            Self::ParResponse => "par_response_invalid",
            Self::StateMismatch => "state_mismatch",
            Self::StateExpired => "state_expired",
            Self::StateOtherUpstream => "state_other_upstream",
            Self::StateInvalid => "state_invalid",
            Self::TokenRefused { .. } => "token_refused",
            Self::TokenResponse => "token_response_invalid",
            Self::Unmet => "unmet_requirement",
            Self::UpstreamRefused { .. } => "upstream_refused",
            Self::UserInfoResponse => "userinfo_invalid",
            Self::UserInfoSubjectMismatch => "userinfo_sub_mismatch",
        }
    }

    /// The error the e-service gets: `access_denied` when the person cancelled,
    /// `temporarily_unavailable` when the upstream could not be reached in time or said so,
    /// `unmet_authentication_requirements` when the level does not satisfy, the upstream's own
    /// `login_required`/`interaction_required`/`consent_required`/`account_selection_required`
    /// (so `prompt=none` works through the broker), and `server_error` otherwise.
    pub fn oauth_error_code(&self) -> OAuthErrorCode {
        match self {
            Self::Cancelled => OAuthErrorCode::AccessDenied,
            Self::AcrMissing | Self::AcrNotSatisfied { .. } | Self::AcrUnknown | Self::Unmet => {
                OAuthErrorCode::UnmetAuthenticationRequirements
            }
            Self::Http { failure, .. } => match failure {
                HttpFailure::Connect | HttpFailure::Timeout => {
                    OAuthErrorCode::TemporarilyUnavailable
                }
                HttpFailure::Status { status: 429 | 503 } => OAuthErrorCode::TemporarilyUnavailable,
                _ => OAuthErrorCode::ServerError,
            },
            Self::UpstreamRefused { code: Some(code) } => match code {
                OAuthErrorCode::TemporarilyUnavailable
                | OAuthErrorCode::LoginRequired
                | OAuthErrorCode::InteractionRequired
                | OAuthErrorCode::ConsentRequired
                | OAuthErrorCode::AccountSelectionRequired
                | OAuthErrorCode::UnmetAuthenticationRequirements => *code,
                _ => OAuthErrorCode::ServerError,
            },
            Self::ClientAssertion(_)
            | Self::CodeMissing
            | Self::EndSessionUnavailable
            | Self::IdToken(_)
            | Self::IdTokenMissing
            | Self::IssuerMismatch
            | Self::IssuerMissing
            | Self::Jwks(_)
            | Self::JwksNoUsableKey
            | Self::Metadata(_)
            | Self::ParResponse
            | Self::StateMismatch
            | Self::StateExpired
            | Self::StateOtherUpstream
            | Self::StateInvalid
            | Self::TokenRefused { .. }
            | Self::TokenResponse
            | Self::UpstreamRefused { code: None }
            | Self::UserInfoResponse
            | Self::UserInfoSubjectMismatch => OAuthErrorCode::ServerError,
        }
    }
}

/// A configuration that cannot be used.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum UpstreamConfigError {
    /// A key has a value that is not allowed.
    #[error("`{key}`: {problem}")]
    Invalid {
        /// The configuration key.
        key: &'static str,
        /// What is wrong.
        problem: &'static str,
    },
    /// The private key file is not a PKCS#8 key for the algorithm.
    #[error("the key in {path} cannot be used")]
    Key {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: JoseError,
    },
    /// The private key file cannot be read.
    #[error("cannot read {path}")]
    KeyFile {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The HTTP client could not be built (TLS set-up).
    #[error("the HTTP client could not be built")]
    HttpClient,
}
