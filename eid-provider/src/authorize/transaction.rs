//! A validated request as the [`AuthorizationTransaction`] it is stored as while the person
//! authenticates, and back: the [`PendingLogin`] for the authenticator, the [`Reply`] to
//! answer at, the `claims` request and the level required.

use eid_core::assurance::{LevelOfAssurance, Matching, Requirement};
use eid_core::claims::ClaimsRequest;
use eid_core::clock::UnixTime;

use super::par::PushedKey;
use super::request::{ValidatedRequest, requirement};
use super::response::{Reply, parse_response_mode, response_mode_name};
use crate::oauth_error::OAuthError;
use crate::provider::PendingLogin;
use crate::provider::{Prompt, ResponseMode};
use crate::store::{AuthorizationTransaction, TransactionId};

/// The transaction of `request`, started `now`. `subject_hint` is the subject of the
/// browser's session, if any (the `id_token_hint`'s wins); `pushed` the pushed request it came
/// from.
pub(crate) fn to_transaction(
    request: &ValidatedRequest,
    session_subject: Option<&str>,
    pushed: Option<&PushedKey>,
    now: UnixTime,
) -> AuthorizationTransaction {
    let mut transaction = AuthorizationTransaction::new(
        request.client.id().clone(),
        request.reply.redirect_uri.clone(),
        request.code_challenge.clone(),
        now,
    );
    let required_subject = request
        .hinted_subject
        .as_ref()
        .map(|subject| subject.as_str().to_owned());
    transaction.state.clone_from(&request.reply.state);
    transaction.nonce.clone_from(&request.nonce);
    transaction.scope.clone_from(&request.scope);
    transaction.acr_values = request
        .acr_values
        .iter()
        .map(|level| level.as_uri().to_owned())
        .collect();
    transaction.claims = request
        .claims
        .as_ref()
        .and_then(|claims| serde_json::to_value(claims).ok());
    transaction.max_age = request.max_age;
    transaction.prompt = prompt_values(request.prompt);
    transaction.response_mode = match request.reply.mode {
        ResponseMode::Query => None,
        mode => Some(response_mode_name(mode).to_owned()),
    };
    transaction.login_hint.clone_from(&request.login_hint);
    transaction.ui_locales.clone_from(&request.ui_locales);
    transaction
        .authn_provider
        .clone_from(&request.authn_provider);
    transaction.subject_hint = required_subject
        .clone()
        .or_else(|| session_subject.map(str::to_owned));
    transaction.required_subject = required_subject;
    transaction.pushed_request = pushed.map(|key| key.as_stored().to_owned());
    transaction
}

fn prompt_values(prompt: Prompt) -> Vec<String> {
    [
        (prompt.none, "none"),
        (prompt.login, "login"),
        (prompt.consent, "consent"),
        (prompt.select_account, "select_account"),
    ]
    .into_iter()
    .filter(|(set, _)| *set)
    .map(|(_, value)| value.to_owned())
    .collect()
}

fn prompt_of(values: &[String]) -> Prompt {
    let has = |value: &str| values.iter().any(|v| v == value);
    Prompt {
        none: has("none"),
        login: has("login"),
        consent: has("consent"),
        select_account: has("select_account"),
    }
}

/// Where to answer the transaction's client.
pub(crate) fn reply_of(transaction: &AuthorizationTransaction) -> Reply {
    Reply {
        redirect_uri: transaction.redirect_uri.clone(),
        mode: parse_response_mode(transaction.response_mode.as_deref()).unwrap_or_default(),
        state: transaction.state.clone(),
    }
}

/// The `claims` request of the transaction.
///
/// # Errors
/// `server_error` if the stored request cannot be read back.
pub(crate) fn claims_request(
    transaction: &AuthorizationTransaction,
) -> Result<Option<ClaimsRequest>, OAuthError> {
    transaction
        .claims
        .clone()
        .map(|value| {
            serde_json::from_value(value)
                .map_err(|_| OAuthError::server_error("a stored claims request is unreadable"))
        })
        .transpose()
}

fn acr_values(transaction: &AuthorizationTransaction) -> Vec<LevelOfAssurance> {
    transaction
        .acr_values
        .iter()
        .filter_map(|uri| uri.parse().ok())
        .collect()
}

/// The essential `acr` requirement of the transaction, if any.
///
/// # Errors
/// `server_error` if the stored request cannot be read back.
pub(crate) fn essential_requirement(
    transaction: &AuthorizationTransaction,
    matching: Matching,
) -> Result<Option<Requirement>, OAuthError> {
    let Some(claims) = claims_request(transaction)? else {
        return Ok(None);
    };
    claims
        .essential_acr(matching)
        .map_err(|_| OAuthError::server_error("a stored acr requirement is unreadable"))
}

/// The level the transaction's client requires, and whether it is essential.
///
/// # Errors
/// `server_error` if the stored request cannot be read back.
pub(crate) fn requirements(
    transaction: &AuthorizationTransaction,
    matching: Matching,
) -> Result<(Option<Requirement>, bool), OAuthError> {
    let essential = essential_requirement(transaction, matching)?;
    let is_essential = essential.is_some();
    let acr_values = acr_values(transaction);
    Ok((
        requirement(essential.as_ref(), &acr_values, matching),
        is_essential,
    ))
}

/// What the authenticator is told about the transaction `id`.
///
/// # Errors
/// `server_error` if the stored request cannot be read back.
pub(crate) fn pending_login(
    id: TransactionId,
    transaction: &AuthorizationTransaction,
    matching: Matching,
) -> Result<PendingLogin, OAuthError> {
    let acr_values = acr_values(transaction);
    let essential = essential_requirement(transaction, matching)?;
    Ok(PendingLogin {
        transaction: id,
        client_id: transaction.client_id.clone(),
        requirement: requirement(essential.as_ref(), &acr_values, matching),
        acr_values,
        prompt: prompt_of(&transaction.prompt),
        max_age: transaction.max_age,
        login_hint: transaction.login_hint.clone(),
        subject_hint: transaction
            .subject_hint
            .as_deref()
            .and_then(|subject| subject.parse().ok()),
        ui_locales: transaction.ui_locales.clone(),
        scope: transaction.scope.clone(),
        authn_provider: transaction.authn_provider.clone(),
    })
}
