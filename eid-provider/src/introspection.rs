//! The introspection endpoint (RFC 7662).
//!
//! The caller must be a registered confidential client and authenticate as at the token endpoint
//! (public clients are refused with `unauthorized_client`). A client learns about its own tokens
//! only: any other token, and every unknown, expired, revoked or malformed one, is
//! `{"active": false}` (§2.2), so that the endpoint is no oracle for other clients' tokens.
//!
//! An active access token is described with `active`, `scope`, `client_id`, `sub`, `exp`,
//! `iat`, `iss`, `aud` and `token_type` `Bearer`; an active refresh token likewise, with
//! `token_type` `refresh_token` and no `iat` (its issue time is not kept).

use eid_core::clock::UnixTime;
use serde_json::{Map, Value, json};

use crate::client::{Client, ClientCredentials};
use crate::oauth_error::{OAuthError, OAuthErrorCode};
use crate::params::Parameters;
use crate::provider::Provider;
use crate::revocation::{TokenKind, TokenQuery, authenticate};
use crate::secret::SecretDigest;

pub(crate) async fn introspect(
    provider: &Provider,
    credentials: &ClientCredentials,
    parameters: &Parameters,
) -> Result<Value, OAuthError> {
    let query = TokenQuery::parse(parameters)?;
    let now = provider.now();
    let endpoint = provider.metadata.introspection_endpoint();
    let client = authenticate(provider, credentials, endpoint, now).await?;
    if client.is_public() {
        return Err(OAuthError::new(
            OAuthErrorCode::UnauthorizedClient,
            "public clients may not introspect tokens",
        ));
    }
    let Some(digest) = query.digest else {
        return Ok(inactive());
    };
    for kind in query.order {
        if let Some(found) = describe(provider, &client, kind, &digest, now).await? {
            return Ok(found);
        }
    }
    Ok(inactive())
}

fn inactive() -> Value {
    json!({ "active": false })
}

/// The description of the token as `kind`: `None` when there is none of that kind, inactive
/// when it belongs to another client.
async fn describe(
    provider: &Provider,
    client: &Client,
    kind: TokenKind,
    digest: &SecretDigest,
    now: UnixTime,
) -> Result<Option<Value>, OAuthError> {
    let stores = &provider.stores;
    let mut body = Map::new();
    let (client_id, scope, subject, expires_at) = match kind {
        TokenKind::Access => {
            let Some(token) = stores.access_tokens.access_token(digest, now).await? else {
                return Ok(None);
            };
            body.insert("iat".into(), token.issued_at.as_secs().into());
            body.insert("token_type".into(), "Bearer".into());
            (
                token.client_id,
                token.scope,
                token.subject,
                token.expires_at,
            )
        }
        TokenKind::Refresh => {
            let Some(token) = stores.refresh_tokens.refresh_token(digest, now).await? else {
                return Ok(None);
            };
            body.insert("token_type".into(), "refresh_token".into());
            (
                token.client_id,
                token.scope,
                token.subject,
                token.expires_at,
            )
        }
    };
    if client_id != *client.id() || expires_at <= now {
        return Ok(Some(inactive()));
    }
    body.insert("active".into(), true.into());
    body.insert("scope".into(), scope.join(" ").into());
    body.insert("client_id".into(), client_id.as_str().into());
    body.insert("sub".into(), subject.into());
    body.insert("exp".into(), expires_at.as_secs().into());
    body.insert("iss".into(), provider.issuer().as_str().into());
    body.insert("aud".into(), client_id.as_str().into());
    Ok(Some(Value::Object(body)))
}

#[cfg(test)]
mod tests;
