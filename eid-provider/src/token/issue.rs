//! What a redeemed grant issues: an opaque access token, an ID token for `openid` grants, and a
//! refresh token when the client may refresh.

use eid_core::assurance::LevelOfAssurance;
use eid_core::clock::UnixTime;
use serde_json::{Map, Value};

use crate::client::Client;
use crate::id_token::{IdTokenContent, MintError, Subject, mint_id_token};
use crate::oauth_error::OAuthError;
use crate::provider::{Provider, TokenResponse};
use crate::secret::{AccessToken, RefreshToken};
use crate::store::{GrantId, StoredAccessToken, StoredRefreshToken};

/// The scope that makes a grant an OpenID Connect one (an ID token is issued).
pub(crate) const OPENID: &str = "openid";

/// What the tokens of one response are issued from: a code grant, or a refresh token.
pub(super) struct Issuance<'a> {
    /// The grant every token carries (for revocation on code replay).
    pub(super) grant_id: &'a GrantId,
    /// The `sub` the client sees.
    pub(super) subject: &'a str,
    /// The scopes of the access token (and of the ID token's release).
    pub(super) scope: &'a [String],
    /// When the person authenticated.
    pub(super) auth_time: UnixTime,
    /// The `nonce` of the authorization request (never on refresh).
    pub(super) nonce: Option<&'a str>,
    /// The `acr` as its URI.
    pub(super) acr: Option<&'a str>,
    /// The `amr` values.
    pub(super) amr: &'a [String],
    /// The session's `sid`.
    pub(super) sid: Option<&'a str>,
    /// The identity claims of the ID token.
    pub(super) id_token_claims: &'a Map<String, Value>,
    /// The identity claims UserInfo answers with for the access token.
    pub(super) userinfo_claims: &'a Map<String, Value>,
}

/// Mints the ID token (for `openid` scopes) and the access token, stores the access token and
/// the `refresh` token (if any, with its own expiry), and builds the response.
///
/// Nothing is stored before the ID token is minted: a minting failure leaves no token behind.
///
/// # Errors
/// `server_error` when the random source, the signing or a store fails (or the stored grant is
/// unusable: a malformed subject or `acr`).
pub(super) async fn issue(
    provider: &Provider,
    client: &Client,
    issuance: &Issuance<'_>,
    refresh: Option<StoredRefreshToken>,
    now: UnixTime,
) -> Result<TokenResponse, OAuthError> {
    let config = &provider.config;
    let access_token = AccessToken::generate(&provider.rng)?;
    let id_token = if issuance.scope.iter().any(|s| s == OPENID) {
        Some(mint(provider, client, issuance, &access_token, now)?)
    } else {
        None
    };
    let expires_at = now.saturating_add(config.access_token_ttl);
    let mut stored = StoredAccessToken::new(
        issuance.grant_id.clone(),
        client.id().clone(),
        issuance.subject.to_owned(),
        now,
        expires_at,
    );
    stored.scope = issuance.scope.to_vec();
    stored.claims = issuance.userinfo_claims.clone();
    provider
        .stores
        .access_tokens
        .put_access_token(&access_token.digest(), stored, now, config.access_token_ttl)
        .await?;
    let refresh_token = match refresh {
        Some(stored) => {
            let ttl = stored
                .expires_at
                .duration_since(now)
                .filter(|ttl| !ttl.is_zero())
                .ok_or_else(|| {
                    OAuthError::server_error("the refresh token has no lifetime left")
                })?;
            let token = RefreshToken::generate(&provider.rng)?;
            provider
                .stores
                .refresh_tokens
                .put_refresh_token(&token.digest(), stored, now, ttl)
                .await?;
            Some(token)
        }
        None => None,
    };
    Ok(TokenResponse {
        access_token,
        expires_in: config.access_token_ttl.as_secs(),
        id_token,
        refresh_token,
        scope: issuance.scope.join(" "),
    })
}

/// The ID token for `client`, signed with its `id_token_signed_response_alg`, with `at_hash`
/// of `access_token`.
fn mint(
    provider: &Provider,
    client: &Client,
    issuance: &Issuance<'_>,
    access_token: &AccessToken,
    now: UnixTime,
) -> Result<String, OAuthError> {
    let subject: Subject = issuance
        .subject
        .parse()
        .map_err(|_: MintError| OAuthError::server_error("the grant's subject is malformed"))?;
    let mut content = IdTokenContent::new(
        provider.issuer().clone(),
        subject,
        client.id().as_str(),
        issuance.auth_time,
    )
    .with_access_token(access_token)
    .with_amr(issuance.amr.to_vec())
    .with_identity_claims(issuance.id_token_claims.clone());
    if let Some(nonce) = issuance.nonce {
        content = content.with_nonce(nonce);
    }
    if let Some(acr) = issuance.acr {
        let level: LevelOfAssurance = acr
            .parse()
            .map_err(|_| OAuthError::server_error("the grant's acr is not a known level"))?;
        content = content.with_acr(level);
    }
    if let Some(sid) = issuance.sid {
        content = content.with_sid(sid);
    }
    let keys = provider.keys();
    mint_id_token(
        &keys,
        client.id_token_signed_response_alg(),
        &content,
        now,
        provider.config.id_token_ttl,
    )
    .map_err(|error| match error {
        MintError::NoSigningKey { algorithm } => OAuthError::server_error(format!(
            "no signing key for the client's ID token algorithm {algorithm}"
        )),
        other => OAuthError::server_error(format!("the ID token could not be minted: {other}")),
    })
}

/// The refresh token to issue with a code grant: the grant's scope and claims, the session's
/// `sid`, and the configured lifetime from `now`.
pub(super) fn refresh_from(
    provider: &Provider,
    client: &Client,
    issuance: &Issuance<'_>,
    now: UnixTime,
) -> StoredRefreshToken {
    let mut stored = StoredRefreshToken::new(
        issuance.grant_id.clone(),
        client.id().clone(),
        issuance.subject.to_owned(),
        issuance.auth_time,
        now.saturating_add(provider.config.refresh_token_ttl),
    );
    stored.scope = issuance.scope.to_vec();
    stored.acr = issuance.acr.map(str::to_owned);
    stored.amr = issuance.amr.to_vec();
    stored.sid = issuance.sid.map(str::to_owned);
    stored.id_token_claims = issuance.id_token_claims.clone();
    stored.userinfo_claims = issuance.userinfo_claims.clone();
    stored
}
