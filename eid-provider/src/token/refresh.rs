//! The `refresh_token` grant (RFC 6749 §6, OIDC Core §12).
//!
//! A refresh token is bound to the client it was issued to and is rotated on every use: it is
//! taken atomically and a new one, with the same grant, scope, claims and absolute expiry, is
//! issued in its place. A narrower `scope` may be asked for (never a wider one): the access
//! token and ID token then carry that scope, without the identity claims only the dropped
//! scopes released; the new refresh token keeps the original scope (RFC 6749 §6). A refreshed
//! ID token keeps `sub`, `auth_time`, `acr`, `amr` and `sid`, and has no `nonce`.

use std::collections::BTreeSet;

use eid_core::claims::{Claim, Destination, Release, Scopes};
use eid_core::clock::UnixTime;
use serde_json::{Map, Value};

use super::invalid_grant;
use super::issue::{Issuance, issue};
use crate::client::Client;
use crate::oauth_error::{OAuthError, OAuthErrorCode};
use crate::params::Parameters;
use crate::provider::{Provider, TokenResponse};
use crate::secret::{RefreshToken, SecretDigest};

/// A well-formed `refresh_token` request.
pub(super) struct RefreshRequest {
    /// The digest of the presented token, `None` when it cannot be one of ours.
    token: Option<SecretDigest>,
    /// The narrower scope asked for, if any.
    scope: Option<Vec<String>>,
}

impl RefreshRequest {
    /// Reads `refresh_token` (required once) and `scope` (optional).
    ///
    /// # Errors
    /// `invalid_request` when `refresh_token` is missing or a parameter is repeated;
    /// `invalid_scope` when `scope` is not a space-separated list of scope tokens.
    pub(super) fn parse(parameters: &Parameters) -> Result<Self, OAuthError> {
        let token = parameters.required("refresh_token")?;
        let scope = match parameters.single("scope")? {
            Some(scope) => Some(parse_scope(scope)?),
            None => None,
        };
        Ok(Self {
            token: RefreshToken::from_presented(token)
                .ok()
                .map(|token| token.digest()),
            scope,
        })
    }
}

/// `scope = scope-token *( SP scope-token )` (RFC 6749 §3.3).
fn parse_scope(scope: &str) -> Result<Vec<String>, OAuthError> {
    let values: Vec<String> = scope.split(' ').map(str::to_owned).collect();
    if values.iter().any(String::is_empty) {
        return Err(OAuthError::new(
            OAuthErrorCode::InvalidScope,
            "scope must be scope tokens separated by single spaces",
        ));
    }
    Ok(values)
}

/// Redeems the refresh token for `client`, rotating it.
///
/// # Errors
/// `invalid_grant` for an unknown, expired, revoked or foreign token; `invalid_scope` for a
/// scope that was not granted; `server_error` when minting or a store fails.
pub(super) async fn redeem(
    provider: &Provider,
    client: &Client,
    request: RefreshRequest,
    now: UnixTime,
) -> Result<TokenResponse, OAuthError> {
    const UNKNOWN: &str = "the refresh token is unknown, expired or revoked";
    let Some(digest) = request.token else {
        return Err(invalid_grant(UNKNOWN));
    };
    let store = &provider.stores.refresh_tokens;
    // Checked before taking, so that a token presented by the wrong client or with a wider
    // scope is left as it was.
    let Some(seen) = store.refresh_token(&digest, now).await? else {
        return Err(invalid_grant(UNKNOWN));
    };
    if seen.client_id != *client.id() {
        return Err(invalid_grant(
            "the refresh token was issued to another client",
        ));
    }
    if let Some(asked) = &request.scope
        && let Some(extra) = asked.iter().find(|s| !seen.scope.contains(s))
    {
        return Err(OAuthError::new(
            OAuthErrorCode::InvalidScope,
            format!("scope {extra} was not granted"),
        ));
    }
    let Some(stored) = store.take_refresh_token(&digest, now).await? else {
        // Taken by a concurrent request between the two steps.
        return Err(invalid_grant(UNKNOWN));
    };
    if stored.client_id != *client.id() {
        return Err(invalid_grant(
            "the refresh token was issued to another client",
        ));
    }
    let (scope, id_token_claims, userinfo_claims) = match request.scope {
        Some(narrower) => {
            let id_token = narrow(
                &stored.id_token_claims,
                &stored.scope,
                &narrower,
                Destination::IdToken,
            );
            let userinfo = narrow(
                &stored.userinfo_claims,
                &stored.scope,
                &narrower,
                Destination::UserInfo,
            );
            (narrower, id_token, userinfo)
        }
        None => (
            stored.scope.clone(),
            stored.id_token_claims.clone(),
            stored.userinfo_claims.clone(),
        ),
    };
    let issuance = Issuance {
        grant_id: &stored.grant_id,
        subject: &stored.subject,
        scope: &scope,
        auth_time: stored.auth_time,
        nonce: None,
        acr: stored.acr.as_deref(),
        amr: &stored.amr,
        sid: stored.sid.as_deref(),
        id_token_claims: &id_token_claims,
        userinfo_claims: &userinfo_claims,
    };
    issue(provider, client, &issuance, Some(stored.clone()), now).await
}

/// The claims of `claims` still released at `destination` when the granted scopes `granted`
/// narrow to `narrower`: a claim that one of the granted scopes released stays only if one of
/// the narrower scopes releases it too; claims asked for by the `claims` parameter (released by
/// no granted scope) stay.
fn narrow(
    claims: &Map<String, Value>,
    granted: &[String],
    narrower: &[String],
    destination: Destination,
) -> Map<String, Value> {
    let release = |scope: &[String]| {
        let distinct: BTreeSet<&str> = scope.iter().map(String::as_str).collect();
        let joined = distinct.into_iter().collect::<Vec<_>>().join(" ");
        Scopes::parse(&joined).map(|scopes| Release::new(&scopes, None, destination))
    };
    let (Ok(before), Ok(after)) = (release(granted), release(narrower)) else {
        // More distinct scopes than a request may carry: release no identity claim.
        return Map::new();
    };
    claims
        .iter()
        .filter(|(name, _)| match Claim::from_name(name) {
            Some(claim) => after.contains(claim) || !before.contains(claim),
            None => true,
        })
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}
