//! The UserInfo endpoint. (Being built.)

use crate::oauth_error::OAuthError;
use crate::provider::{Provider, UserInfoResponse};

pub(crate) async fn userinfo(
    _provider: &Provider,
    _access_token: &str,
) -> Result<UserInfoResponse, OAuthError> {
    Err(OAuthError::server_error(
        "the UserInfo endpoint is not built yet",
    ))
}
