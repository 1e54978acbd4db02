//! The authorization endpoint, PAR, and the completion of logins.
//!
//! - [`authorize`]: finds the client, takes the request's parameters from the query, a signed
//!   request object ([`request_object`]) or a pushed request ([`par`]), validates them
//!   ([`request`]), and answers from the browser's session, asks for a login (storing an
//!   [`AuthorizationTransaction`](crate::store::AuthorizationTransaction) for
//!   `transaction_ttl`), or answers with an error ([`response`]).
//! - [`complete_login`] and [`abort_login`]: take the transaction atomically, check the level
//!   reached, open or renew the session ([`session`]), and issue the code ([`grant`]).
//! - [`push`]: the PAR endpoint (RFC 9126).
//!
//! Invalid input changes no state: nothing is stored before a request has passed every check.

/// Shared with the token side: [`grant::release_claims`].
pub(crate) mod grant;
mod par;
mod parameters;
mod request;
mod request_object;
mod response;
mod session;
mod transaction;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use eid_core::clock::UnixTime;

pub(crate) use par::push;

use self::grant::{Authenticated, issue_code};
use self::par::{PushedKey, resolve_request_uri, take_pushed};
use self::parameters::{RequestParameters, name};
use self::request::{Origin, ValidatedRequest, asserted_level, best_effort_reply, validate};
use self::request_object::{Expectations, apply_request_object, unverified_parameters};
use self::response::Rejection;
use self::session::Decision;
use self::transaction::{reply_of, to_transaction};
use crate::client::{Client, ClientId};
use crate::oauth_error::{OAuthError, OAuthErrorCode};
use crate::params::Parameters;
use crate::provider::{
    Authentication, AuthorizationResponse, AuthorizeOutcome, LoginCompletion, PendingLogin,
    Provider,
};
use crate::store::{SessionId, TransactionId};

/// What request objects are checked against.
fn expectations(provider: &Provider) -> Expectations<'_> {
    Expectations {
        issuer: provider.issuer().as_str(),
        authorization_endpoint: provider.metadata().authorization_endpoint(),
        algorithms: &provider.config().request_object_algorithms,
        max_skew: provider.config().max_clock_skew,
        keys: &provider.client_keys,
    }
}

pub(crate) async fn authorize(
    provider: &Provider,
    parameters: &Parameters,
    session: Option<&SessionId>,
) -> AuthorizeOutcome {
    let now = provider.now();
    let outer = RequestParameters::from_pairs(
        parameters
            .pairs()
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str())),
    );
    let client = match find_client(provider, &outer).await {
        Ok(client) => client,
        Err(error) => return AuthorizeOutcome::ErrorPage(error),
    };
    let (params, pushed) = match resolve(provider, &client, outer, now).await {
        Ok(resolved) => resolved,
        Err(rejection) => return rejection.into_outcome(provider.issuer()),
    };
    let origin = if pushed.is_some() {
        Origin::Pushed
    } else {
        Origin::Direct
    };
    let request = match validate(provider, &client, &params, origin, now) {
        Ok(request) => request,
        Err(rejection) => return rejection.into_outcome(provider.issuer()),
    };
    match answer(provider, &request, pushed.as_ref(), session, now).await {
        Ok(outcome) => outcome,
        Err(error) => Rejection::at(&request.reply, error).into_outcome(provider.issuer()),
    }
}

/// The client named by `client_id`; errors go to a page.
async fn find_client(
    provider: &Provider,
    params: &RequestParameters,
) -> Result<Arc<Client>, OAuthError> {
    if params.is_repeated(name::CLIENT_ID) {
        return Err(OAuthError::invalid_request(
            "parameter client_id is repeated",
        ));
    }
    let id: ClientId = params
        .get(name::CLIENT_ID)
        .ok_or_else(|| OAuthError::invalid_request("client_id is missing"))?
        .parse()
        .map_err(|_| OAuthError::invalid_request("client_id is malformed"))?;
    provider
        .clients()
        .client(&id)
        .await?
        .ok_or_else(|| OAuthError::invalid_request("client_id names no registered client"))
}

/// The parameters of the request: the pushed request a `request_uri` names, the query with a
/// request object's parameters over it, or the query.
async fn resolve(
    provider: &Provider,
    client: &Arc<Client>,
    outer: RequestParameters,
    now: UnixTime,
) -> Result<(RequestParameters, Option<PushedKey>), Rejection> {
    let at_client = |params: &RequestParameters, error: OAuthError| Rejection {
        reply: best_effort_reply(client, params),
        error,
    };
    if outer.is_repeated(name::REQUEST_URI) || outer.is_repeated(name::REQUEST) {
        let error = OAuthError::invalid_request("request or request_uri is repeated");
        return Err(at_client(&outer, error));
    }
    match (outer.get(name::REQUEST_URI), outer.get(name::REQUEST)) {
        (Some(_), Some(_)) => {
            let error = OAuthError::invalid_request("request and request_uri cannot both be used");
            Err(at_client(&outer, error))
        }
        (Some(request_uri), None) => {
            match resolve_request_uri(provider, client.id(), request_uri, now).await {
                Ok((params, key)) => Ok((params, Some(key))),
                Err(error) => Err(at_client(&outer, error)),
            }
        }
        (None, Some(jwt)) => {
            let jwt = jwt.to_owned();
            match apply_request_object(&jwt, outer.clone(), client, &expectations(provider), now)
                .await
            {
                Ok(params) => Ok((params, None)),
                Err(error) => {
                    let target = match unverified_parameters(&jwt) {
                        Some(inner) => outer.overridden_by(inner),
                        None => outer,
                    };
                    Err(at_client(&target, error))
                }
            }
        }
        (None, None) => Ok((outer, None)),
    }
}

/// Answers a valid request from the session, or starts a login.
async fn answer(
    provider: &Provider,
    request: &ValidatedRequest,
    pushed: Option<&PushedKey>,
    cookie: Option<&SessionId>,
    now: UnixTime,
) -> Result<AuthorizeOutcome, OAuthError> {
    match session::decide(provider, request, cookie, now).await? {
        Decision::Refuse(error) => Err(error),
        Decision::Login { session_subject } => {
            let transaction = to_transaction(request, session_subject.as_deref(), pushed, now);
            let id = TransactionId::generate(&provider.rng)?;
            let login = transaction::pending_login(
                id.clone(),
                &transaction,
                provider.acr_matching_of(&request.client),
            )?;
            provider
                .stores()
                .transactions
                .put_transaction(&id, transaction, now, provider.config().transaction_ttl)
                .await?;
            Ok(AuthorizeOutcome::Login(login))
        }
        Decision::Silent(silent) => {
            let session::Silent {
                id,
                session,
                identity,
            } = *silent;
            if let Some(key) = pushed
                && !take_pushed(provider, key, now).await?
            {
                return Err(OAuthError::new(
                    OAuthErrorCode::InvalidRequestUri,
                    "the request_uri is unknown, used or expired",
                ));
            }
            let session =
                session::record_client(provider, &id, session, request.client.id(), now).await?;
            let matching = provider.acr_matching_of(&request.client);
            let acr = session::session_level(&session)
                .and_then(|reached| request.asserted_level(matching, reached))
                .map(|level| level.as_uri().to_owned());
            let who = Authenticated {
                subject: session.subject.clone(),
                auth_time: session.auth_time,
                acr,
                amr: session.amr.clone(),
                sid: Some(session.sid.clone()),
            };
            let transaction = to_transaction(request, None, pushed, now);
            let code = issue_code(provider, &transaction, &who, &identity, now).await?;
            Ok(AuthorizeOutcome::Respond(
                request.reply.success(provider.issuer(), &code),
            ))
        }
    }
}

pub(crate) async fn pending_login(
    provider: &Provider,
    transaction: &TransactionId,
) -> Result<Option<PendingLogin>, OAuthError> {
    let now = provider.now();
    let Some(stored) = provider
        .stores()
        .transactions
        .transaction(transaction, now)
        .await?
    else {
        return Ok(None);
    };
    let matching = provider.acr_matching_of_id(&stored.client_id).await?;
    transaction::pending_login(transaction.clone(), &stored, matching).map(Some)
}

fn unknown_transaction() -> OAuthError {
    OAuthError::invalid_request("the login is unknown, expired or already finished")
}

pub(crate) async fn complete_login(
    provider: &Provider,
    transaction: &TransactionId,
    authentication: Authentication,
    session: Option<&SessionId>,
) -> Result<LoginCompletion, OAuthError> {
    let now = provider.now();
    let stored = provider
        .stores()
        .transactions
        .take_transaction(transaction, now)
        .await?
        .ok_or_else(unknown_transaction)?;
    let reply = reply_of(&stored);
    let refused = |error: OAuthError| LoginCompletion {
        response: reply.error(provider.issuer(), &error),
        session: None,
        sid: None,
    };
    if let Some(key) = stored.pushed_request.clone().map(PushedKey::from_stored) {
        match take_pushed(provider, &key, now).await {
            Ok(true) => {}
            Ok(false) => {
                return Ok(refused(OAuthError::new(
                    OAuthErrorCode::InvalidRequestUri,
                    "the request_uri was used by another authorization or expired",
                )));
            }
            Err(error) => return Ok(refused(error)),
        }
    }
    let matching = match provider.acr_matching_of_id(&stored.client_id).await {
        Ok(matching) => matching,
        Err(error) => return Ok(refused(error)),
    };
    let asserted = match transaction::requirements(&stored, matching) {
        Ok((requirement, essential)) => {
            asserted_level(requirement.as_ref(), essential, authentication.acr)
        }
        Err(error) => return Ok(refused(error)),
    };
    let Some(asserted) = asserted else {
        return Ok(refused(OAuthError::new(
            OAuthErrorCode::UnmetAuthenticationRequirements,
            "the level of assurance reached does not meet the essential acr",
        )));
    };
    if authentication
        .identity
        .check_level(authentication.acr)
        .is_err()
    {
        return Ok(refused(OAuthError::server_error(
            "the identity does not fit the level of assurance reached",
        )));
    }
    if let Some(required) = &stored.required_subject
        && required != authentication.subject.as_str()
    {
        return Ok(refused(OAuthError::new(
            OAuthErrorCode::LoginRequired,
            "the person who logged in is not the one the id_token_hint names",
        )));
    }
    let acr = Some(asserted.as_uri().to_owned());
    // Without single sign-on sessions nothing about the person is kept beyond the code and the
    // tokens issued from it.
    let (session_id, who) = if provider.config.sso_sessions {
        let (id, opened) =
            match session::open(provider, session, &authentication, &stored.client_id, now).await {
                Ok(opened) => opened,
                Err(error) => return Ok(refused(error)),
            };
        let who = Authenticated {
            subject: opened.subject,
            auth_time: opened.auth_time,
            acr,
            amr: opened.amr,
            sid: Some(opened.sid),
        };
        (Some(id), who)
    } else {
        let who = Authenticated {
            subject: authentication.subject.as_str().to_owned(),
            auth_time: authentication.auth_time.map_or(now, |time| time.min(now)),
            acr,
            amr: authentication.amr.clone(),
            sid: None,
        };
        (None, who)
    };
    let response = match issue_code(provider, &stored, &who, &authentication.identity, now).await {
        Ok(code) => reply.success(provider.issuer(), &code),
        Err(error) => reply.error(provider.issuer(), &error),
    };
    Ok(LoginCompletion {
        response,
        session: session_id,
        sid: who.sid,
    })
}

pub(crate) async fn abort_login(
    provider: &Provider,
    transaction: &TransactionId,
    error: OAuthError,
) -> Result<AuthorizationResponse, OAuthError> {
    let now = provider.now();
    let stored = provider
        .stores()
        .transactions
        .take_transaction(transaction, now)
        .await?
        .ok_or_else(unknown_transaction)?;
    if let Some(key) = stored.pushed_request.clone().map(PushedKey::from_stored) {
        // The pushed request is used up by this answer; an expired one changes nothing.
        take_pushed(provider, &key, now).await?;
    }
    Ok(reply_of(&stored).error(provider.issuer(), &error))
}
