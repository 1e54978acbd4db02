//! Single sign-on sessions: whether a request can be answered from the browser's session, and
//! opening or renewing a session when a login completes.
//!
//! A session answers a request silently unless a reason to authenticate again applies (OIDC
//! Core §3.1.2.1, §3.1.2.3): `prompt=login` (and `consent`, `select_account`, which need the
//! person), `max_age` reached (`max_age=0` always), an `acr` requirement the session's level
//! does not meet, or an `id_token_hint` naming another person. Under
//! [`SessionRules::SwedenConnect`] a request without `prompt` counts as `prompt=login`, and
//! `prompt=none` from a client that has not taken part in the session is `login_required`.
//! With `prompt=none`, any reason is `login_required` (only an essential `acr` counts there:
//! `acr_values` are voluntary).
//!
//! The browser holds a [`SessionId`] (the cookie), replaced at every login (no fixation); the
//! session's `sid` (for ID and logout tokens) stays while the same person logs in again.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::assurance::LevelOfAssurance;
use eid_core::claims::{Destination, Identity, Release};
use eid_core::clock::UnixTime;
use ring::rand::SecureRandom;

use super::request::ValidatedRequest;
use crate::client::ClientId;
use crate::oauth_error::{OAuthError, OAuthErrorCode};
use crate::provider::{Authentication, Provider, SessionRules};
use crate::secret::SECRET_BYTES;
use crate::store::{Session, SessionId};

/// A session that can answer a request.
pub(crate) struct Silent {
    pub(crate) id: SessionId,
    pub(crate) session: Session,
    pub(crate) identity: Identity,
}

/// What the authorization endpoint does with a valid request, given the browser's session.
pub(crate) enum Decision {
    /// Answer with a code from this session.
    Silent(Box<Silent>),
    /// Ask the person to authenticate; the session's subject, if any, as a hint.
    Login { session_subject: Option<String> },
    /// Answer with this error (`prompt=none` and a login would be needed).
    Refuse(OAuthError),
}

fn login_required(description: &str) -> OAuthError {
    OAuthError::new(OAuthErrorCode::LoginRequired, description)
}

/// The session `cookie` names, if it is live.
///
/// # Errors
/// A store error.
pub(crate) async fn load(
    provider: &Provider,
    cookie: Option<&SessionId>,
    now: UnixTime,
) -> Result<Option<(SessionId, Session)>, OAuthError> {
    let Some(id) = cookie else {
        return Ok(None);
    };
    let session = provider.stores().sessions.session(id, now).await?;
    Ok(session.map(|session| (id.clone(), session)))
}

/// Decides how to answer `request` for the browser holding `cookie`.
///
/// # Errors
/// A store error.
pub(crate) async fn decide(
    provider: &Provider,
    request: &ValidatedRequest,
    cookie: Option<&SessionId>,
    now: UnixTime,
) -> Result<Decision, OAuthError> {
    let Some((id, session)) = load(provider, cookie, now).await? else {
        if request.prompt.none {
            return Ok(Decision::Refuse(login_required(
                "the person is not logged in",
            )));
        }
        return Ok(Decision::Login {
            session_subject: None,
        });
    };
    let reason = if request.prompt.none {
        silent_refusal(provider, request, &session, now)
    } else {
        login_reason(provider, request, &session, now)
    };
    let identity = Identity::from_oidc_claims(&session.identity, now.date()).ok();
    match (reason, identity) {
        (None, Some(identity)) => Ok(Decision::Silent(Box::new(Silent {
            id,
            session,
            identity,
        }))),
        (Some(reason), _) if request.prompt.none => Ok(Decision::Refuse(login_required(reason))),
        (None, None) if request.prompt.none => Ok(Decision::Refuse(login_required(
            "the session cannot be used",
        ))),
        _ => Ok(Decision::Login {
            session_subject: Some(session.subject),
        }),
    }
}

/// Why `prompt=none` cannot be answered from `session`, if it cannot.
fn silent_refusal(
    provider: &Provider,
    request: &ValidatedRequest,
    session: &Session,
    now: UnixTime,
) -> Option<&'static str> {
    if provider.config().session_rules == SessionRules::SwedenConnect
        && !session.clients.contains(request.client.id())
    {
        return Some("the session was not made for this client");
    }
    if let Some(reason) = common_reason(request, session, now) {
        return Some(reason);
    }
    if let Some(essential) = &request.essential_acr
        && session_level(session).is_none_or(|level| essential.answer_for(level).is_none())
    {
        return Some("the session's level does not meet the essential acr");
    }
    None
}

/// Why the person must authenticate again despite `session`, if they must.
fn login_reason(
    provider: &Provider,
    request: &ValidatedRequest,
    session: &Session,
    now: UnixTime,
) -> Option<&'static str> {
    if request.prompt.login || request.prompt.consent || request.prompt.select_account {
        return Some("the client asked for the person's interaction");
    }
    if provider.config().session_rules == SessionRules::SwedenConnect && !request.prompt_given {
        return Some("without prompt, the Sweden Connect rules require a login");
    }
    if let Some(reason) = common_reason(request, session, now) {
        return Some(reason);
    }
    let matching = provider.acr_matching_of(&request.client);
    let met = match session_level(session) {
        Some(level) => request.is_met_by(matching, level),
        None => request.requirement(matching).is_none(),
    };
    if !met {
        return Some("the session's level does not meet the requested acr");
    }
    None
}

/// The reasons that apply with and without `prompt=none`: `max_age` and `id_token_hint`.
fn common_reason(
    request: &ValidatedRequest,
    session: &Session,
    now: UnixTime,
) -> Option<&'static str> {
    if let Some(max_age) = request.max_age {
        let elapsed = now
            .duration_since(session.auth_time)
            .unwrap_or_default()
            .as_secs();
        // Times are whole seconds: an elapsed 1 s may be 1.9 s, so max_age is reached at
        // equality (and max_age=0 always asks for a login).
        if elapsed >= max_age {
            return Some("the authentication is older than max_age");
        }
    }
    if let Some(hinted) = &request.hinted_subject
        && hinted.as_str() != session.subject
    {
        return Some("the id_token_hint names another person than the session's");
    }
    None
}

pub(crate) fn session_level(session: &Session) -> Option<LevelOfAssurance> {
    session.acr.as_deref().and_then(|acr| acr.parse().ok())
}

/// How long `session` still lives.
fn remaining(provider: &Provider, session: &Session, now: UnixTime) -> Duration {
    let end = session.expires_at.unwrap_or_else(|| {
        session
            .auth_time
            .saturating_add(provider.config().session_ttl)
    });
    end.duration_since(now).unwrap_or_default()
}

/// Records that `client` took part in the session (for logout), keeping its end.
///
/// # Errors
/// A store error; `login_required` if the session ended meanwhile.
pub(crate) async fn record_client(
    provider: &Provider,
    id: &SessionId,
    mut session: Session,
    client: &ClientId,
    now: UnixTime,
) -> Result<Session, OAuthError> {
    if session.clients.contains(client) {
        return Ok(session);
    }
    let ttl = remaining(provider, &session, now);
    if ttl.is_zero() {
        return Err(login_required("the session has ended"));
    }
    session.clients.push(client.clone());
    provider
        .stores()
        .sessions
        .put_session(id, session.clone(), now, ttl)
        .await?;
    Ok(session)
}

/// Opens a session for `authentication` with `client` in it, replacing the browser's current
/// one (`cookie`): the same person keeps the `sid` and the clients, another person gets a new
/// session. Either way the browser gets a new session id.
///
/// # Errors
/// A store error; `server_error` when the random source fails.
pub(crate) async fn open(
    provider: &Provider,
    cookie: Option<&SessionId>,
    authentication: &Authentication,
    client: &ClientId,
    now: UnixTime,
) -> Result<(SessionId, Session), OAuthError> {
    let auth_time = authentication.auth_time.map_or(now, |time| time.min(now));
    let subject = authentication.subject.as_str().to_owned();
    let previous = match cookie {
        Some(cookie) => {
            provider
                .stores()
                .sessions
                .remove_session(cookie, now)
                .await?
        }
        None => None,
    };
    let (sid, mut clients) = match previous {
        Some(previous) if previous.subject == subject => (previous.sid, previous.clients),
        _ => (random_sid(provider)?, Vec::new()),
    };
    if !clients.contains(client) {
        clients.push(client.clone());
    }
    let ttl = provider.config().session_ttl;
    let mut session = Session::new(sid, subject, auth_time);
    session.acr = Some(authentication.acr.as_uri().to_owned());
    session.amr.clone_from(&authentication.amr);
    session.clients = clients;
    session.identity = authentication
        .identity
        .to_oidc_claims(&Release::full(Destination::IdToken));
    session.expires_at = Some(now.saturating_add(ttl));
    let id = SessionId::generate(&provider.rng)?;
    provider
        .stores()
        .sessions
        .put_session(&id, session.clone(), now, ttl)
        .await?;
    Ok((id, session))
}

/// A fresh random `sid`.
fn random_sid(provider: &Provider) -> Result<String, OAuthError> {
    let mut bytes = [0_u8; SECRET_BYTES];
    provider
        .rng
        .fill(&mut bytes)
        .map_err(|_| OAuthError::server_error("the random source failed"))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}
