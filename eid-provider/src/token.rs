//! The token endpoint. (Being built.)

use crate::client::ClientCredentials;
use crate::oauth_error::OAuthError;
use crate::params::Parameters;
use crate::provider::{Provider, TokenResponse};

pub(crate) async fn token(
    _provider: &Provider,
    _credentials: &ClientCredentials,
    _parameters: &Parameters,
) -> Result<TokenResponse, OAuthError> {
    Err(OAuthError::server_error(
        "the token endpoint is not built yet",
    ))
}
