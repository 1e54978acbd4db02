//! The revocation endpoint (RFC 7009).
//!
//! The client authenticates as at the token endpoint (the revocation endpoint's URL, or the
//! issuer, as the assertion audience). `token` is required; `token_type_hint` only orders the
//! search (§2.1: an unknown or wrong hint is not an error). Revoking a refresh token also revokes
//! every access token of its grant (§2.1 SHOULD). A token of another client is left alone, and an
//! unknown or malformed token is not an error (§2.2): the answer is 200 either way, so that the
//! endpoint tells nobody whether a token exists.

use eid_core::clock::UnixTime;

use crate::client::{Client, ClientCredentials, authenticate_client};
use crate::oauth_error::OAuthError;
use crate::params::Parameters;
use crate::provider::Provider;
use crate::secret::{AccessToken, SecretDigest};
use crate::token::client_auth_error;

/// The `token_type_hint` values (RFC 7009 §2.1, RFC 7662 §2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// `access_token`.
    Access,
    /// `refresh_token`.
    Refresh,
}

/// A revocation or introspection request: the presented token's digest (`None` when it
/// cannot be one of ours) and the kinds to look for, in order.
pub(crate) struct TokenQuery {
    pub(crate) digest: Option<SecretDigest>,
    pub(crate) order: [TokenKind; 2],
}

impl TokenQuery {
    /// Reads `token` (required once) and `token_type_hint` (optional; unknown values ignored).
    ///
    /// # Errors
    /// `invalid_request` when `token` is missing or a parameter is repeated.
    pub(crate) fn parse(parameters: &Parameters) -> Result<Self, OAuthError> {
        let token = parameters.required("token")?;
        let order = match parameters.single("token_type_hint")? {
            Some("refresh_token") => [TokenKind::Refresh, TokenKind::Access],
            _ => [TokenKind::Access, TokenKind::Refresh],
        };
        // Access and refresh tokens have the same shape: one digest serves both stores.
        let digest = AccessToken::from_presented(token)
            .ok()
            .map(|token| token.digest());
        Ok(Self { digest, order })
    }
}

/// Authenticates the client of a revocation or introspection request, with `endpoint` (if the
/// metadata publishes it) or the issuer as the accepted assertion audience.
pub(crate) async fn authenticate(
    provider: &Provider,
    credentials: &ClientCredentials,
    endpoint: Option<&str>,
    now: UnixTime,
) -> Result<std::sync::Arc<Client>, OAuthError> {
    let issuer = provider.issuer().as_str();
    authenticate_client(
        provider.client_lookup(),
        credentials,
        issuer,
        endpoint.unwrap_or(issuer),
        now,
        provider.config.max_clock_skew,
    )
    .await
    .map_err(client_auth_error)
}

pub(crate) async fn revoke(
    provider: &Provider,
    credentials: &ClientCredentials,
    parameters: &Parameters,
) -> Result<(), OAuthError> {
    let query = TokenQuery::parse(parameters)?;
    let now = provider.now();
    let endpoint = provider.metadata.revocation_endpoint();
    let client = authenticate(provider, credentials, endpoint, now).await?;
    let Some(digest) = query.digest else {
        return Ok(());
    };
    for kind in query.order {
        if revoke_kind(provider, &client, kind, &digest, now).await? {
            break;
        }
    }
    Ok(())
}

/// Looks the token up as `kind`; revokes it if it is the client's. `true` when a token of that
/// kind was found (the client's or not): the search stops there.
async fn revoke_kind(
    provider: &Provider,
    client: &Client,
    kind: TokenKind,
    digest: &SecretDigest,
    now: UnixTime,
) -> Result<bool, OAuthError> {
    let stores = &provider.stores;
    match kind {
        TokenKind::Access => {
            let Some(token) = stores.access_tokens.access_token(digest, now).await? else {
                return Ok(false);
            };
            if token.client_id == *client.id() {
                stores
                    .access_tokens
                    .revoke_access_token(digest, now)
                    .await?;
            }
            Ok(true)
        }
        TokenKind::Refresh => {
            let Some(token) = stores.refresh_tokens.refresh_token(digest, now).await? else {
                return Ok(false);
            };
            if token.client_id != *client.id() {
                return Ok(true);
            }
            if let Some(taken) = stores
                .refresh_tokens
                .take_refresh_token(digest, now)
                .await?
            {
                stores
                    .access_tokens
                    .revoke_access_tokens_of(&taken.grant_id, now)
                    .await?;
            }
            Ok(true)
        }
    }
}

#[cfg(test)]
mod tests;
