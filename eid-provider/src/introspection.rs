//! The introspection endpoint (RFC 7662). (Being built.)

use crate::client::ClientCredentials;
use crate::oauth_error::OAuthError;
use crate::params::Parameters;
use crate::provider::Provider;

pub(crate) async fn introspect(
    _provider: &Provider,
    _credentials: &ClientCredentials,
    _parameters: &Parameters,
) -> Result<serde_json::Value, OAuthError> {
    Err(OAuthError::server_error(
        "the introspection endpoint is not built yet",
    ))
}
