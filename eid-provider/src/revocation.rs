//! The revocation endpoint (RFC 7009). (Being built.)

use crate::client::ClientCredentials;
use crate::oauth_error::OAuthError;
use crate::params::Parameters;
use crate::provider::Provider;

pub(crate) async fn revoke(
    _provider: &Provider,
    _credentials: &ClientCredentials,
    _parameters: &Parameters,
) -> Result<(), OAuthError> {
    Err(OAuthError::server_error(
        "the revocation endpoint is not built yet",
    ))
}
