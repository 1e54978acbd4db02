//! Issuing an authorization code: the claims released to the client, and the [`CodeGrant`]
//! the token endpoint redeems.

use eid_core::claims::{ClaimsRequest, Destination, Identity, Release, Scopes};
use eid_core::clock::UnixTime;
use serde_json::{Map, Value};

use super::transaction::claims_request;
use crate::oauth_error::OAuthError;
use crate::provider::Provider;
use crate::secret::AuthorizationCode;
use crate::store::{AuthorizationTransaction, CodeGrant, GrantId};

/// The identity claims released to one client: in the ID token, and at UserInfo.
#[derive(Clone, Default, PartialEq)]
pub(crate) struct ReleasedClaims {
    /// For [`Destination::IdToken`].
    pub(crate) id_token: Map<String, Value>,
    /// For [`Destination::UserInfo`].
    pub(crate) userinfo: Map<String, Value>,
}

/// The claims of `identity` that `scope` and the `claims` request release at each destination
/// (eid-core's [`Release`], OIDC-SE's delivery rules). Shared with the token side, which keeps
/// the same maps on refresh tokens.
pub(crate) fn release_claims(
    identity: &Identity,
    scope: &[String],
    claims: Option<&ClaimsRequest>,
) -> ReleasedClaims {
    // A scope list too long to parse releases nothing (the request validation bounds it).
    let scopes = Scopes::parse(&scope.join(" ")).unwrap_or_default();
    ReleasedClaims {
        id_token: identity.to_oidc_claims(&Release::new(&scopes, claims, Destination::IdToken)),
        userinfo: identity.to_oidc_claims(&Release::new(&scopes, claims, Destination::UserInfo)),
    }
}

/// Who authenticated, and how: what a code carries besides the request.
#[derive(Clone)]
pub(crate) struct Authenticated {
    pub(crate) subject: String,
    pub(crate) auth_time: UnixTime,
    pub(crate) acr: Option<String>,
    pub(crate) amr: Vec<String>,
    pub(crate) sid: Option<String>,
}

/// Issues a code for `transaction` to the person `who` with `identity`, stored for
/// `code_ttl`.
///
/// # Errors
/// `server_error` when the random source or the stored request fails; a store error.
pub(crate) async fn issue_code(
    provider: &Provider,
    transaction: &AuthorizationTransaction,
    who: &Authenticated,
    identity: &Identity,
    now: UnixTime,
) -> Result<AuthorizationCode, OAuthError> {
    let claims = claims_request(transaction)?;
    let released = release_claims(identity, &transaction.scope, claims.as_ref());
    let mut grant = CodeGrant::new(
        GrantId::generate(&provider.rng)?,
        transaction.client_id.clone(),
        transaction.redirect_uri.clone(),
        transaction.code_challenge.clone(),
        who.subject.clone(),
        who.auth_time,
    );
    grant.scope.clone_from(&transaction.scope);
    grant.nonce.clone_from(&transaction.nonce);
    grant.acr.clone_from(&who.acr);
    grant.amr.clone_from(&who.amr);
    grant.sid.clone_from(&who.sid);
    grant.claims = released.id_token;
    grant.userinfo_claims = released.userinfo;
    let code = AuthorizationCode::generate(&provider.rng)?;
    provider
        .stores()
        .codes
        .put_code(&code.digest(), grant, now, provider.config().code_ttl)
        .await?;
    Ok(code)
}
