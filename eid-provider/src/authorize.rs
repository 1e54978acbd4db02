//! The authorization endpoint, PAR, and the completion of logins. (Being built.)

use crate::client::ClientCredentials;
use crate::oauth_error::OAuthError;
use crate::params::Parameters;
use crate::provider::{
    Authentication, AuthorizationResponse, AuthorizeOutcome, LoginCompletion, PendingLogin,
    Provider, PushedAuthorization,
};
use crate::store::{SessionId, TransactionId};

fn not_built() -> OAuthError {
    OAuthError::server_error("the authorization endpoint is not built yet")
}

pub(crate) async fn authorize(
    _provider: &Provider,
    _parameters: &Parameters,
    _session: Option<&SessionId>,
) -> AuthorizeOutcome {
    AuthorizeOutcome::ErrorPage(not_built())
}

pub(crate) async fn pending_login(
    _provider: &Provider,
    _transaction: &TransactionId,
) -> Result<Option<PendingLogin>, OAuthError> {
    Err(not_built())
}

pub(crate) async fn complete_login(
    _provider: &Provider,
    _transaction: &TransactionId,
    _authentication: Authentication,
    _session: Option<&SessionId>,
) -> Result<LoginCompletion, OAuthError> {
    Err(not_built())
}

pub(crate) async fn abort_login(
    _provider: &Provider,
    _transaction: &TransactionId,
    _error: OAuthError,
) -> Result<AuthorizationResponse, OAuthError> {
    Err(not_built())
}

pub(crate) async fn push(
    _provider: &Provider,
    _credentials: &ClientCredentials,
    _parameters: &Parameters,
) -> Result<PushedAuthorization, OAuthError> {
    Err(not_built())
}
