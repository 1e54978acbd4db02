//! RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0) and the back-channel logout
//! tokens it sends (OpenID Connect Back-Channel Logout 1.0).
//!
//! The request is checked before anything changes:
//!
//! - `id_token_hint`, if given, must be an ID token we issued: signed by a key of our ring
//!   (current, next or previous) with an algorithm we sign with, `iss` our issuer, `aud` a
//!   registered client (the `client_id` parameter, when given, must be that client). Its `exp`
//!   may have passed (§2: the hint is often an old token). `alg: none`, a foreign key or a
//!   tampered token is refused.
//! - `post_logout_redirect_uri`, if given, needs an `id_token_hint` (§2: without one the OP has
//!   no means to confirm the target, and the `client_id` parameter proves nothing), and must be
//!   one of the hint client's registered post-logout redirect URIs, compared as exact strings:
//!   `?foo=bar` added makes it another URI.
//! - A `client_id` without a hint must name a registered client.
//!
//! A refused request changes nothing and is answered with an error page, never a redirect.
//! Otherwise the browser's session is removed from the store (its cookie is to be cleared), every
//! client that took part in it and registered a `backchannel_logout_uri` gets a logout token
//! (with `sub` and `sid`) for the HTTP layer to POST, and the browser goes to the post-logout
//! redirect URI with `state`, or sees a "logged out" page.

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::clock::UnixTime;
use eid_core::verify::MAX_ID_TOKEN_BYTES;
use serde::Deserialize;

use crate::client::{Client, ClientId, RedirectUri};
use crate::id_token::{
    LogoutTarget, LogoutTokenContent, MAX_LOGOUT_TOKEN_LIFETIME, Subject, mint_logout_token,
};
use crate::oauth_error::OAuthError;
use crate::params::Parameters;
use crate::provider::{BackchannelLogout, EndSession, EndSessionOutcome, Provider};
use crate::store::{Session, SessionId};

pub(crate) async fn end_session(
    provider: &Provider,
    parameters: &Parameters,
    session: Option<&SessionId>,
) -> EndSession {
    let now = provider.now();
    let redirect = match check(provider, parameters, now).await {
        Ok(redirect) => redirect,
        Err(error) => {
            return EndSession {
                outcome: EndSessionOutcome::Refused(error),
                clear_session: false,
                backchannel: Vec::new(),
            };
        }
    };
    let Some(session_id) = session else {
        return EndSession {
            outcome: outcome(redirect),
            clear_session: false,
            backchannel: Vec::new(),
        };
    };
    match provider
        .stores
        .sessions
        .remove_session(session_id, now)
        .await
    {
        Ok(removed) => {
            let backchannel = match removed {
                Some(ended) => notifications(provider, &ended, now).await,
                None => Vec::new(),
            };
            EndSession {
                outcome: outcome(redirect),
                clear_session: true,
                backchannel,
            }
        }
        Err(error) => EndSession {
            outcome: EndSessionOutcome::Refused(error.into()),
            // The browser forgets the session even though the store could not.
            clear_session: true,
            backchannel: Vec::new(),
        },
    }
}

fn outcome(redirect: Option<String>) -> EndSessionOutcome {
    match redirect {
        Some(location) => EndSessionOutcome::Redirect(location),
        None => EndSessionOutcome::LoggedOut,
    }
}

/// Checks the request; the URL to redirect to after logout, if any.
async fn check(
    provider: &Provider,
    parameters: &Parameters,
    now: UnixTime,
) -> Result<Option<String>, OAuthError> {
    let hint = parameters.single("id_token_hint")?;
    let redirect_uri = parameters.single("post_logout_redirect_uri")?;
    let state = parameters.single("state")?;
    let client_id = parameters
        .single("client_id")?
        .map(|id| {
            id.parse::<ClientId>()
                .map_err(|_| OAuthError::invalid_request("client_id is malformed"))
        })
        .transpose()?;
    let client = match (hint, &client_id) {
        (Some(hint), _) => Some(verify_hint(provider, hint, client_id.as_ref(), now).await?),
        (None, Some(id)) => Some(registered(provider, id).await?),
        (None, None) => None,
    };
    let Some(redirect_uri) = redirect_uri else {
        return Ok(None);
    };
    let (Some(client), Some(_)) = (client, hint) else {
        return Err(OAuthError::invalid_request(
            "post_logout_redirect_uri requires an id_token_hint",
        ));
    };
    let unregistered =
        || OAuthError::invalid_request("post_logout_redirect_uri is not registered for the client");
    let uri: RedirectUri = redirect_uri.parse().map_err(|_| unregistered())?;
    if !client.post_logout_redirect_uris().contains(&uri) {
        return Err(unregistered());
    }
    Ok(Some(location(&uri, state)))
}

/// The registered post-logout redirect URI with `state` added to its query.
fn location(uri: &RedirectUri, state: Option<&str>) -> String {
    let base = uri.as_str();
    let Some(state) = state else {
        return base.to_owned();
    };
    let encoded = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("state", state)
        .finish();
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}{encoded}")
}

async fn registered(provider: &Provider, id: &ClientId) -> Result<Arc<Client>, OAuthError> {
    provider
        .clients
        .client(id)
        .await?
        .ok_or_else(|| OAuthError::invalid_request("client_id is not a registered client"))
}

/// The audience of an ID token, read before verification to know which client to verify for.
#[derive(Deserialize)]
struct HintClaims {
    aud: Audience,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

/// Verifies `hint` as an ID token we issued to a registered client (to `client_id` when given);
/// that client.
async fn verify_hint(
    provider: &Provider,
    hint: &str,
    client_id: Option<&ClientId>,
    now: UnixTime,
) -> Result<Arc<Client>, OAuthError> {
    let invalid = || OAuthError::invalid_request("id_token_hint is not a valid ID token of ours");
    if hint.len() > MAX_ID_TOKEN_BYTES {
        return Err(invalid());
    }
    let audience = match client_id {
        Some(id) => id.clone(),
        None => unverified_audience(hint)
            .and_then(|aud| aud.parse().ok())
            .ok_or_else(invalid)?,
    };
    let client = provider
        .clients
        .client(&audience)
        .await?
        .ok_or_else(invalid)?;
    crate::id_token::hint::verify_hint(
        hint,
        provider.issuer(),
        &audience,
        &provider.keys(),
        provider.config.max_clock_skew,
        now,
    )
    .map(|_| client)
    .map_err(|_| invalid())
}

/// The single audience of a compact JWS's payload, unverified.
fn unverified_audience(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let claims: HintClaims = serde_json::from_slice(&bytes).ok()?;
    match claims.aud {
        Audience::One(aud) => Some(aud),
        Audience::Many(mut auds) if auds.len() == 1 => auds.pop(),
        Audience::Many(_) => None,
    }
}

/// A logout token for every client of the ended session that registered a back-channel logout
/// URI. A client that cannot be found or signed for is skipped (it cannot have received an ID
/// token of this session either).
async fn notifications(
    provider: &Provider,
    session: &Session,
    now: UnixTime,
) -> Vec<BackchannelLogout> {
    let target = match session.subject.parse::<Subject>() {
        Ok(subject) => LogoutTarget::SubjectSession {
            subject,
            sid: session.sid.clone(),
        },
        Err(_) => LogoutTarget::Session {
            sid: session.sid.clone(),
        },
    };
    let keys = provider.keys();
    let mut seen: Vec<&ClientId> = Vec::new();
    let mut logouts = Vec::new();
    for client_id in &session.clients {
        if seen.contains(&client_id) {
            continue;
        }
        seen.push(client_id);
        let Ok(Some(client)) = provider.clients.client(client_id).await else {
            continue;
        };
        let Some(uri) = client.backchannel_logout_uri() else {
            continue;
        };
        let content = LogoutTokenContent::new(
            provider.issuer().clone(),
            client_id.as_str(),
            target.clone(),
        );
        let Ok(logout_token) = mint_logout_token(
            &keys,
            client.id_token_signed_response_alg(),
            &content,
            &provider.rng,
            now,
            MAX_LOGOUT_TOKEN_LIFETIME,
        ) else {
            continue;
        };
        logouts.push(BackchannelLogout {
            client_id: client_id.clone(),
            uri: uri.clone(),
            logout_token,
        });
    }
    logouts
}

#[cfg(test)]
mod tests;
