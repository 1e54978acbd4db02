//! The OAuth 2.0 and OpenID Connect error codes, as they appear on the wire.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An error code of an OAuth 2.0 / OpenID Connect error response.
///
/// The union of RFC 6749 §4.1.2.1 (authorization endpoint) and §5.2 (token endpoint), OpenID
/// Connect Core §3.1.2.6, RFC 9126 (PAR), RFC 6750 §3.1 (bearer tokens, for UserInfo) and the
/// Swedish OIDC profile's `unmet_authentication_requirements` (OpenID Connect Extended
/// Authentication Profile), with their registered spellings. Variants follow the specifications'
/// order.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OAuthErrorCode {
    /// The request is missing a parameter, repeats one, or is otherwise malformed (RFC 6749).
    InvalidRequest,
    /// Client authentication failed (RFC 6749 §5.2).
    InvalidClient,
    /// The grant or refresh token is invalid, expired, revoked or bound elsewhere (RFC 6749 §5.2).
    InvalidGrant,
    /// The client is not authorized to use this grant or response type (RFC 6749).
    UnauthorizedClient,
    /// The grant type is not supported (RFC 6749 §5.2).
    UnsupportedGrantType,
    /// The requested scope is invalid or unknown (RFC 6749).
    InvalidScope,
    /// The resource owner or the server denied the request (RFC 6749 §4.1.2.1).
    AccessDenied,
    /// The response type is not supported (RFC 6749 §4.1.2.1).
    UnsupportedResponseType,
    /// An unexpected condition prevented the server from fulfilling the request.
    ServerError,
    /// The server is temporarily unable to handle the request.
    TemporarilyUnavailable,
    /// User interaction is required (OIDC Core §3.1.2.6).
    InteractionRequired,
    /// The end-user must authenticate (OIDC Core §3.1.2.6).
    LoginRequired,
    /// The end-user must select a session (OIDC Core §3.1.2.6).
    AccountSelectionRequired,
    /// The end-user must consent (OIDC Core §3.1.2.6).
    ConsentRequired,
    /// The `request_uri` is invalid or its content is (OIDC Core §3.1.2.6, RFC 9126).
    InvalidRequestUri,
    /// The request object is invalid (OIDC Core §3.1.2.6).
    InvalidRequestObject,
    /// The `request` parameter is not supported (OIDC Core §3.1.2.6).
    RequestNotSupported,
    /// The `request_uri` parameter is not supported (OIDC Core §3.1.2.6).
    RequestUriNotSupported,
    /// Dynamic registration is not supported (OIDC Core §3.1.2.6).
    RegistrationNotSupported,
    /// The access token is expired, revoked or malformed (RFC 6750 §3.1).
    InvalidToken,
    /// The access token lacks the scope the resource needs (RFC 6750 §3.1).
    InsufficientScope,
    /// The authentication requirements (for example an essential `acr`) cannot be met.
    UnmetAuthenticationRequirements,
}

impl OAuthErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [Self; 22] = [
        Self::InvalidRequest,
        Self::InvalidClient,
        Self::InvalidGrant,
        Self::UnauthorizedClient,
        Self::UnsupportedGrantType,
        Self::InvalidScope,
        Self::AccessDenied,
        Self::UnsupportedResponseType,
        Self::ServerError,
        Self::TemporarilyUnavailable,
        Self::InteractionRequired,
        Self::LoginRequired,
        Self::AccountSelectionRequired,
        Self::ConsentRequired,
        Self::InvalidRequestUri,
        Self::InvalidRequestObject,
        Self::RequestNotSupported,
        Self::RequestUriNotSupported,
        Self::RegistrationNotSupported,
        Self::InvalidToken,
        Self::InsufficientScope,
        Self::UnmetAuthenticationRequirements,
    ];

    /// The registered spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidScope => "invalid_scope",
            Self::AccessDenied => "access_denied",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::ServerError => "server_error",
            Self::TemporarilyUnavailable => "temporarily_unavailable",
            Self::InteractionRequired => "interaction_required",
            Self::LoginRequired => "login_required",
            Self::AccountSelectionRequired => "account_selection_required",
            Self::ConsentRequired => "consent_required",
            Self::InvalidRequestUri => "invalid_request_uri",
            Self::InvalidRequestObject => "invalid_request_object",
            Self::RequestNotSupported => "request_not_supported",
            Self::RequestUriNotSupported => "request_uri_not_supported",
            Self::RegistrationNotSupported => "registration_not_supported",
            Self::InvalidToken => "invalid_token",
            Self::InsufficientScope => "insufficient_scope",
            Self::UnmetAuthenticationRequirements => "unmet_authentication_requirements",
        }
    }
}

impl fmt::Display for OAuthErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is not a registered OAuth 2.0 / OpenID Connect error code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a registered OAuth 2.0 / OpenID Connect error code")]
pub struct UnknownErrorCode;

impl FromStr for OAuthErrorCode {
    type Err = UnknownErrorCode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|code| code.as_str() == s)
            .ok_or(UnknownErrorCode)
    }
}

/// An OAuth 2.0 / OpenID Connect error: a code and a human-readable `error_description`.
///
/// This is what every protocol operation of the engine fails with; the HTTP layer turns it into
/// the response its endpoint calls for (a JSON body with a status, a redirect to the client, a
/// `WWW-Authenticate` challenge, or an error page) in one place. The description is shown to
/// developers: it names the parameter or check at fault and never carries a secret, a token or
/// personal data.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {description}")]
pub struct OAuthError {
    code: OAuthErrorCode,
    description: String,
}

impl OAuthError {
    /// An error with `code` and `description`.
    pub fn new(code: OAuthErrorCode, description: impl Into<String>) -> Self {
        Self {
            code,
            description: description.into(),
        }
    }

    /// `invalid_request` with `description`.
    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(OAuthErrorCode::InvalidRequest, description)
    }

    /// `server_error` with `description`.
    pub fn server_error(description: impl Into<String>) -> Self {
        Self::new(OAuthErrorCode::ServerError, description)
    }

    /// The error code.
    pub fn code(&self) -> OAuthErrorCode {
        self.code
    }

    /// The `error_description`.
    pub fn description(&self) -> &str {
        &self.description
    }
}

impl From<crate::store::StoreError> for OAuthError {
    fn from(error: crate::store::StoreError) -> Self {
        let code = match error {
            crate::store::StoreError::Unavailable { .. } => OAuthErrorCode::TemporarilyUnavailable,
            _ => OAuthErrorCode::ServerError,
        };
        Self::new(code, format!("state store: {}", error.reason()))
    }
}

impl From<crate::secret::RandomError> for OAuthError {
    fn from(_: crate::secret::RandomError) -> Self {
        Self::server_error("the random source failed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_through_text_and_serde() {
        for code in OAuthErrorCode::ALL {
            assert_eq!(code.as_str().parse::<OAuthErrorCode>(), Ok(code));
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<OAuthErrorCode>(&json).unwrap(), code);
        }
    }

    #[test]
    fn request_object_is_spelled_right() {
        // openidconnect-rs serialises this one as "invalid_request_obbject"; ours must not.
        assert_eq!(
            OAuthErrorCode::InvalidRequestObject.as_str(),
            "invalid_request_object"
        );
    }

    #[test]
    fn unknown_codes_are_refused() {
        assert_eq!(
            "Invalid_Request".parse::<OAuthErrorCode>(),
            Err(UnknownErrorCode)
        );
        assert_eq!("".parse::<OAuthErrorCode>(), Err(UnknownErrorCode));
        assert!(serde_json::from_str::<OAuthErrorCode>("\"nope\"").is_err());
    }
}
