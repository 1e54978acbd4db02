//! The `authorization_code` grant (RFC 6749 §4.1.3, RFC 7636 §4.5–4.6, OIDC Core §3.1.3.2).

use std::time::Duration;

use eid_core::clock::UnixTime;

use super::invalid_grant;
use super::issue::{Issuance, issue, refresh_from};
use crate::client::{Client, GrantType};
use crate::oauth_error::OAuthError;
use crate::params::Parameters;
use crate::pkce::CodeVerifier;
use crate::provider::{Provider, TokenResponse};
use crate::secret::{AuthorizationCode, SecretDigest};
use crate::store::{CodeGrant, GrantId};

/// A well-formed `authorization_code` request.
pub(super) struct CodeRequest {
    /// The digest of the presented code, `None` when it cannot be one of ours.
    code: Option<SecretDigest>,
    redirect_uri: String,
    verifier: CodeVerifier,
}

impl CodeRequest {
    /// Reads `code`, `redirect_uri` and `code_verifier`, each required once (PKCE is required
    /// of every client, and every code was issued for a `redirect_uri`).
    ///
    /// # Errors
    /// `invalid_request` when one is missing, repeated, or the verifier is malformed.
    pub(super) fn parse(parameters: &Parameters) -> Result<Self, OAuthError> {
        let code = parameters.required("code")?;
        let redirect_uri = parameters.required("redirect_uri")?;
        let verifier = CodeVerifier::parse(parameters.required("code_verifier")?)
            .map_err(|error| OAuthError::invalid_request(error.to_string()))?;
        Ok(Self {
            code: AuthorizationCode::from_presented(code)
                .ok()
                .map(|code| code.digest()),
            redirect_uri: redirect_uri.to_owned(),
            verifier,
        })
    }
}

/// Redeems the code for `client`.
///
/// # Errors
/// `invalid_grant` for an unknown, expired, used or foreign code, a redirect URI that differs,
/// or a verifier that does not answer the challenge; `server_error` when minting or a store
/// fails.
pub(super) async fn redeem(
    provider: &Provider,
    client: &Client,
    request: CodeRequest,
    now: UnixTime,
) -> Result<TokenResponse, OAuthError> {
    let Some(code) = request.code else {
        return Err(invalid_grant(
            "the code is unknown, expired or already used",
        ));
    };
    let codes = &provider.stores.codes;
    let Some(grant) = codes.take_code(&code, now).await? else {
        if let Some(grant_id) = codes.used_code_grant(&code, now).await? {
            // A replay (RFC 6749 §4.1.2, §10.5): whoever holds the code may be an attacker;
            // revoke everything issued from it. The marker first, then the revocation: a first
            // redemption still storing its tokens sees the marker and revokes them itself.
            mark_redeemed(provider, &grant_id, now).await?;
            revoke_grant(provider, &grant_id, now).await?;
            return Err(invalid_grant(
                "the code was already used; the tokens issued from it are revoked",
            ));
        }
        return Err(invalid_grant(
            "the code is unknown, expired or already used",
        ));
    };
    check(&grant, client, &request)?;
    let issuance = Issuance {
        grant_id: &grant.grant_id,
        subject: &grant.subject,
        scope: &grant.scope,
        auth_time: grant.auth_time,
        nonce: grant.nonce.as_deref(),
        acr: grant.acr.as_deref(),
        amr: &grant.amr,
        sid: grant.sid.as_deref(),
        id_token_claims: &grant.claims,
        userinfo_claims: &grant.userinfo_claims,
    };
    let refresh = client
        .grant_types()
        .contains(&GrantType::RefreshToken)
        .then(|| refresh_from(provider, client, &issuance, now));
    let response = issue(provider, client, &issuance, refresh, now).await?;
    if !mark_redeemed(provider, &grant.grant_id, now).await? {
        // A replay of the code came while the tokens were being issued, and its revocation may
        // have run before they were stored: revoke them now.
        revoke_grant(provider, &grant.grant_id, now).await?;
        return Err(invalid_grant(
            "the code was already used; the tokens issued from it are revoked",
        ));
    }
    Ok(response)
}

/// Records in the replay cache that the code of `grant` was presented; `false` when it was
/// already recorded (by the first redemption, or by a replay).
///
/// Of a first redemption and a concurrent replay, each records after its own step (the
/// redemption after storing its tokens, the replay before revoking), so whichever records
/// second knows that the other ran and the tokens end up revoked either way.
async fn mark_redeemed(
    provider: &Provider,
    grant: &GrantId,
    now: UnixTime,
) -> Result<bool, OAuthError> {
    let key = format!("code_redeemed\u{0}{}", grant.as_str());
    // The race lasts no longer than the code lives; a margin covers slow requests.
    let ttl = provider.config.code_ttl.saturating_add(REDEMPTION_MARGIN);
    Ok(provider
        .stores
        .replay
        .insert_if_absent(&key, now, ttl)
        .await?)
}

/// How much longer than the code the redemption marker is kept.
const REDEMPTION_MARGIN: Duration = Duration::from_secs(60);

/// Revokes every access and refresh token issued from `grant`.
async fn revoke_grant(
    provider: &Provider,
    grant: &GrantId,
    now: UnixTime,
) -> Result<(), OAuthError> {
    provider
        .stores
        .access_tokens
        .revoke_access_tokens_of(grant, now)
        .await?;
    provider
        .stores
        .refresh_tokens
        .revoke_refresh_tokens_of(grant, now)
        .await?;
    Ok(())
}

/// The code must be the client's, for the same redirect URI, and the verifier must answer
/// its challenge (RFC 6749 §4.1.3, RFC 7636 §4.6).
fn check(grant: &CodeGrant, client: &Client, request: &CodeRequest) -> Result<(), OAuthError> {
    if grant.client_id != *client.id() {
        return Err(invalid_grant("the code was issued to another client"));
    }
    if grant.redirect_uri.as_str() != request.redirect_uri {
        return Err(invalid_grant(
            "redirect_uri differs from the authorization request's",
        ));
    }
    if !grant.code_challenge.is_answered_by(&request.verifier) {
        return Err(invalid_grant(
            "code_verifier does not match the code_challenge",
        ));
    }
    if grant.dpop_jkt.is_some() {
        // The token endpoint does not check DPoP proofs: a code bound to a DPoP key cannot be
        // redeemed safely here (fail closed).
        return Err(invalid_grant("DPoP-bound codes are not supported"));
    }
    Ok(())
}
