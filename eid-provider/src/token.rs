//! The token endpoint (RFC 6749 §3.2, OIDC Core §3.1.3): the `authorization_code` grant
//! ([`code`]) and the `refresh_token` grant ([`refresh`]), with what both issue ([`issue`]).
//!
//! Every request goes through the same steps:
//!
//! 1. the parameters are read (`grant_type` present and not repeated; each grant's own
//!    parameters present, not repeated, well-formed) before anything is looked up, so that a
//!    malformed request changes no state;
//! 2. the client authenticates by the method it registered
//!    ([`authenticate_client`](crate::client::authenticate_client)), with the token endpoint's URL
//!    of the metadata as an accepted assertion audience;
//! 3. the client must be registered for the grant type (`unauthorized_client` otherwise);
//! 4. the grant is redeemed: a code is taken atomically and checked against the client, the
//!    redirect URI and the PKCE verifier; a refresh token is checked against the client and the
//!    scope, then taken atomically and replaced (rotation);
//! 5. the tokens are minted and stored: an opaque access token (by its digest, with the
//!    UserInfo claims), an ID token for `openid` grants, and a refresh token for clients
//!    registered for the `refresh_token` grant.
//!
//! A code presented a second time (RFC 6749 §4.1.2) is answered with `invalid_grant`, and every
//! access and refresh token issued from its grant is revoked, even when the replay races the
//! first redemption (a marker in the replay cache tells the later of the two that the other
//! ran). A code presented by the wrong
//! client, with the wrong redirect URI or the wrong verifier is burnt too (it was taken): a code
//! in the wrong hands is not given a second chance.

use crate::client::{ClientAuthError, ClientCredentials, GrantType, authenticate_client};
use crate::oauth_error::{OAuthError, OAuthErrorCode};
use crate::params::Parameters;
use crate::provider::{Provider, TokenResponse};

mod code;
mod issue;
mod refresh;

pub(crate) use issue::OPENID;

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

/// The grant types of the token endpoint, as named by `grant_type`.
const AUTHORIZATION_CODE: &str = "authorization_code";
const REFRESH_TOKEN: &str = "refresh_token";

pub(crate) async fn token(
    provider: &Provider,
    credentials: &ClientCredentials,
    parameters: &Parameters,
) -> Result<TokenResponse, OAuthError> {
    let request = match parameters.required("grant_type")? {
        AUTHORIZATION_CODE => Request::Code(code::CodeRequest::parse(parameters)?),
        REFRESH_TOKEN => Request::Refresh(refresh::RefreshRequest::parse(parameters)?),
        _ => {
            return Err(OAuthError::new(
                OAuthErrorCode::UnsupportedGrantType,
                "grant_type must be authorization_code or refresh_token",
            ));
        }
    };
    let now = provider.now();
    let client = authenticate_client(
        provider.client_lookup(),
        credentials,
        provider.issuer().as_str(),
        provider.metadata.token_endpoint(),
        now,
        provider.config.max_clock_skew,
    )
    .await
    .map_err(client_auth_error)?;
    match request {
        Request::Code(request) => {
            require_grant_type(&client, GrantType::AuthorizationCode)?;
            code::redeem(provider, &client, request, now).await
        }
        Request::Refresh(request) => {
            require_grant_type(&client, GrantType::RefreshToken)?;
            refresh::redeem(provider, &client, request, now).await
        }
    }
}

/// A token request, parsed.
enum Request {
    Code(code::CodeRequest),
    Refresh(refresh::RefreshRequest),
}

fn require_grant_type(
    client: &crate::client::Client,
    grant_type: GrantType,
) -> Result<(), OAuthError> {
    if client.grant_types().contains(&grant_type) {
        return Ok(());
    }
    let name = match grant_type {
        GrantType::RefreshToken => REFRESH_TOKEN,
        _ => AUTHORIZATION_CODE,
    };
    Err(OAuthError::new(
        OAuthErrorCode::UnauthorizedClient,
        format!("the client is not registered for the {name} grant"),
    ))
}

/// The one mapping of a client authentication failure to the wire (`invalid_client`, or
/// `invalid_request` / `server_error` as [`ClientAuthError::error_code`] says), for the token,
/// revocation and introspection endpoints.
pub(crate) fn client_auth_error(error: ClientAuthError) -> OAuthError {
    let description = match error.error_code() {
        OAuthErrorCode::ServerError => "client authentication could not be completed".to_owned(),
        _ => format!("client authentication failed: {error}"),
    };
    OAuthError::new(error.error_code(), description)
}

/// `invalid_grant` with `description`.
fn invalid_grant(description: &str) -> OAuthError {
    OAuthError::new(OAuthErrorCode::InvalidGrant, description)
}
