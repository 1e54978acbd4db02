//! The UserInfo endpoint (OIDC Core §5.3).
//!
//! The bearer access token is looked up by its digest. An unknown, expired or revoked token, or
//! one whose client is no longer registered, is `invalid_token` (RFC 6750 §3.1); a token issued
//! without the `openid` scope is `insufficient_scope`. The answer is the UserInfo claims stored
//! with the token and `sub`, always (OIDC Core §5.3.2). A client registered with a
//! `userinfo_signed_response_alg` gets a signed JWT (`typ: JWT`) with `iss`, `aud` (its client
//! id) and `iat` added, as OIDC-SE §4 requires of Swedish providers.

use serde_json::{Map, Value};

use crate::oauth_error::{OAuthError, OAuthErrorCode};
use crate::provider::{Provider, UserInfoResponse};
use crate::secret::AccessToken;
use crate::token::OPENID;

pub(crate) async fn userinfo(
    provider: &Provider,
    access_token: &str,
) -> Result<UserInfoResponse, OAuthError> {
    let invalid = || {
        OAuthError::new(
            OAuthErrorCode::InvalidToken,
            "the access token is unknown, expired or revoked",
        )
    };
    let token = AccessToken::from_presented(access_token).map_err(|_| invalid())?;
    let now = provider.now();
    let stored = provider
        .stores
        .access_tokens
        .access_token(&token.digest(), now)
        .await?
        .ok_or_else(invalid)?;
    // A backend that keeps entries a little past their TTL must not extend a token's life.
    if stored.expires_at <= now {
        return Err(invalid());
    }
    let client = provider
        .clients
        .client(&stored.client_id)
        .await?
        .ok_or_else(invalid)?;
    if !stored.scope.iter().any(|s| s == OPENID) {
        return Err(OAuthError::new(
            OAuthErrorCode::InsufficientScope,
            "the access token was not issued for the openid scope",
        ));
    }
    let mut claims: Map<String, Value> = stored.claims;
    claims.insert("sub".into(), stored.subject.into());
    let Some(algorithm) = client.userinfo_signed_response_alg() else {
        return Ok(UserInfoResponse::Json(claims));
    };
    claims.insert("iss".into(), provider.issuer().as_str().into());
    claims.insert("aud".into(), client.id().as_str().into());
    claims.insert("iat".into(), now.as_secs().into());
    let keys = provider.keys();
    let signer = keys.signer(algorithm).ok_or_else(|| {
        OAuthError::server_error(format!(
            "no signing key for the client's UserInfo algorithm {algorithm}"
        ))
    })?;
    let jwt = signer
        .sign_jwt(&Value::Object(claims))
        .map_err(|_| OAuthError::server_error("the UserInfo response could not be signed"))?;
    Ok(UserInfoResponse::Jwt(jwt))
}

#[cfg(test)]
mod tests;
