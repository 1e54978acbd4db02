//! Pushed authorization requests (RFC 9126): the PAR endpoint, and `request_uri` references to
//! pushed requests at the authorization endpoint.
//!
//! A `request_uri` is `urn:ietf:params:oauth:request_uri:<handle>`, the handle a fresh
//! [`RequestHandle`] of 256 bits. The store never sees the handle: it keys the request by
//! [`PushedKey::of`]`(handle)` hashed once more, so that neither the store nor a pending
//! transaction (which keeps the [`PushedKey`] to take the request when it completes) holds
//! anything a client could present. Any other `request_uri` is `request_uri_not_supported`.

use std::fmt;

use eid_core::clock::UnixTime;

use super::parameters::{RequestParameters, name};
use super::request::{Origin, validate};
use super::request_object::apply_request_object;
use crate::client::{ClientCredentials, ClientId, authenticate_client};
use crate::oauth_error::{OAuthError, OAuthErrorCode};
use crate::params::Parameters;
use crate::provider::{Provider, PushedAuthorization};
use crate::secret::{RequestHandle, SecretDigest};
use crate::store::PushedRequest;

/// The prefix of our `request_uri`s (RFC 9126 §2.2).
pub(crate) const REQUEST_URI_PREFIX: &str = "urn:ietf:params:oauth:request_uri:";

/// The reference to a pushed request that a transaction keeps: the digest of the handle,
/// which is not itself a handle.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct PushedKey(String);

impl PushedKey {
    /// The key of `handle`.
    pub(crate) fn of(handle: &RequestHandle) -> Self {
        Self(handle.digest().to_base64url())
    }

    /// A key read back from a transaction.
    pub(crate) fn from_stored(value: String) -> Self {
        Self(value)
    }

    /// The text to store in a transaction.
    pub(crate) fn as_stored(&self) -> &str {
        &self.0
    }

    /// The store key.
    pub(crate) fn store_key(&self) -> SecretDigest {
        SecretDigest::of(&self.0)
    }
}

impl fmt::Debug for PushedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PushedKey([redacted])")
    }
}

fn invalid_request_uri(description: &str) -> OAuthError {
    OAuthError::new(OAuthErrorCode::InvalidRequestUri, description)
}

/// The pushed request a `request_uri` names, for `client`: its parameters and its key.
///
/// # Errors
/// `request_uri_not_supported` for a `request_uri` that is not ours; `invalid_request_uri`
/// when it is unknown, expired, already used or pushed by another client; a store error.
pub(crate) async fn resolve_request_uri(
    provider: &Provider,
    client_id: &ClientId,
    request_uri: &str,
    now: UnixTime,
) -> Result<(RequestParameters, PushedKey), OAuthError> {
    let Some(handle) = request_uri.strip_prefix(REQUEST_URI_PREFIX) else {
        return Err(OAuthError::new(
            OAuthErrorCode::RequestUriNotSupported,
            "only request_uri values from this provider's PAR endpoint are supported",
        ));
    };
    let handle = RequestHandle::from_presented(handle)
        .map_err(|_| invalid_request_uri("the request_uri is malformed"))?;
    let key = PushedKey::of(&handle);
    let pushed = provider
        .stores()
        .requests
        .request(&key.store_key(), now)
        .await?
        .ok_or_else(|| invalid_request_uri("the request_uri is unknown, used or expired"))?;
    if pushed.client_id() != client_id {
        return Err(invalid_request_uri(
            "the request_uri was pushed by another client",
        ));
    }
    Ok((RequestParameters::from_map(pushed.parameters), key))
}

/// The PAR endpoint: authenticates the client, validates the request as the authorization
/// endpoint would, and stores it for `request_uri_ttl`.
pub(crate) async fn push(
    provider: &Provider,
    credentials: &ClientCredentials,
    parameters: &Parameters,
) -> Result<PushedAuthorization, OAuthError> {
    let now = provider.now();
    let endpoint = provider
        .metadata()
        .pushed_authorization_request_endpoint()
        .ok_or_else(|| OAuthError::invalid_request("this provider does not offer PAR"))?;
    let client = authenticate_client(
        provider.client_lookup(),
        credentials,
        provider.issuer().as_str(),
        endpoint,
        now,
        provider.config().max_clock_skew,
    )
    .await
    .map_err(|error| OAuthError::new(error.error_code(), error.to_string()))?;

    let mut params = RequestParameters::from_pairs(
        parameters
            .pairs()
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str())),
    );
    if parameters.contains(name::REQUEST_URI) {
        return Err(OAuthError::invalid_request(
            "request_uri is not allowed in a pushed request",
        ));
    }
    if let Some(repeated) = params.first_repeated() {
        return Err(OAuthError::invalid_request(format!(
            "parameter {repeated} is repeated"
        )));
    }
    if params
        .get(name::CLIENT_ID)
        .is_some_and(|id| id != client.id().as_str())
    {
        return Err(OAuthError::invalid_request(
            "client_id does not match the authenticated client",
        ));
    }
    if let Some(jwt) = params.get(name::REQUEST).map(str::to_owned) {
        params = apply_request_object(&jwt, params, &client, &super::expectations(provider), now)
            .await?;
    }
    validate(provider, &client, &params, Origin::Pushed, now)
        .map_err(|rejection| rejection.error)?;

    let handle = RequestHandle::generate(&provider.rng)?;
    let key = PushedKey::of(&handle);
    let ttl = provider.config().request_uri_ttl;
    let stored = params.without(name::CLIENT_ID).into_map();
    provider
        .stores()
        .requests
        .put_request(
            &key.store_key(),
            PushedRequest::new(client.id().clone(), stored),
            now,
            ttl,
        )
        .await?;
    Ok(PushedAuthorization {
        request_uri: format!("{REQUEST_URI_PREFIX}{}", handle.expose_secret()),
        expires_in: ttl.as_secs(),
    })
}

/// Takes the pushed request of a finished authorization: `false` if it was already taken
/// (another authorization used it first) or expired.
///
/// # Errors
/// A store error.
pub(crate) async fn take_pushed(
    provider: &Provider,
    key: &PushedKey,
    now: UnixTime,
) -> Result<bool, OAuthError> {
    Ok(provider
        .stores()
        .requests
        .take_request(&key.store_key(), now)
        .await?
        .is_some())
}
